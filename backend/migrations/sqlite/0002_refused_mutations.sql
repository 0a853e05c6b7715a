-- Partnership Atlas, SQLite schema 2: changes the server refused as invalid.
--
-- A push that carries an invalid change (its fields break a rule, or it would move a record to
-- another partnership) is refused whole and its transaction rolls back, so nothing of it is in
-- `record_history`. The device keeps the refused change in its "needs attention" list; the
-- server keeps it here too, so that a change a person made is never lost unseen even if the
-- device is wiped. Written in its own transaction after the rollback. Append-only; a retry of
-- the same mutation id keeps the first row.
CREATE TABLE refused_mutations (
    mutation_id TEXT PRIMARY KEY,
    device_id   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    -- The whole mutation as sent, JSON.
    mutation    TEXT NOT NULL,
    -- The sentence the device was answered with, and the per-field problems (JSON array).
    error       TEXT NOT NULL,
    fields      TEXT NOT NULL,
    at          TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX refused_mutations_by_record ON refused_mutations (kind, record_id);
