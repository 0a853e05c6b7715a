-- Partnership Atlas, PostgreSQL schema 3: SQLite's schema 11, the counts behind each consultation's published results.
--
-- A push refreshes the published results of each consultation it touched, inside its own
-- transaction. Counting every answer of the consultation again made each push cost the whole
-- consultation. The server keeps the raw counts here instead (a `ResultsTallies` as JSON) and
-- moves them by the push's own answers, in the same transaction. They are not suppressed, so
-- they are never synced or served. A missing or stale row (the questions changed, or it holds
-- another number of answers than are stored) is counted afresh from the answers.
CREATE TABLE consultation_tallies (
    consultation_id TEXT PRIMARY KEY NOT NULL,
    tallies         TEXT NOT NULL
);
