-- Partnership Atlas, SQLite schema 3: a manager settles the answers the server refused.
--
-- `rejection`: for a change the server did not apply because of what others did (an answer
-- whose consultation was deleted meanwhile, say), the reason (JSON of `Rejection`); NULL for a
-- change refused as invalid (422). Answers rejected that way are kept here too, so a manager
-- sees every answer the server did not store.
-- `settled_at`, `settled_version`: when a manager counted the answer, and the version it was
-- stored as. A settled row stays (the history of what was refused), but is no longer listed.
ALTER TABLE refused_mutations ADD COLUMN rejection TEXT;
ALTER TABLE refused_mutations ADD COLUMN settled_at TEXT;
ALTER TABLE refused_mutations ADD COLUMN settled_version INTEGER;
CREATE INDEX refused_mutations_unsettled ON refused_mutations (kind, at) WHERE settled_at IS NULL;
