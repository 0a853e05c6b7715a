-- Partnership Atlas, SQLite schema 5: registered tablets.
--
-- A partnership manager registers a tablet; it then sends a bearer token instead of a
-- person's session, so it captures answers for days with nobody signed in on it and no
-- session to idle out. Times are milliseconds since the Unix epoch, as in schema 4.

-- Only the SHA-256 (hex) of the tablet's random token is stored, as for sessions: a copy of
-- this table enrols no tablet. A withdrawn tablet keeps its row (revoked_at set), so what it
-- sends afterwards is refused with a sentence that says when, and its history still names it.
CREATE TABLE tablets (
    id             TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL,
    name           TEXT NOT NULL,
    -- The consultations it captures for, as a JSON array of ids; empty for all of the
    -- partnership's. A JSON column rather than a child table: it is read whole with its
    -- tablet on every request and never queried by consultation.
    consultation_ids TEXT NOT NULL DEFAULT '[]',
    token_hash     TEXT NOT NULL UNIQUE,
    created_at     INTEGER NOT NULL,
    created_by     TEXT NOT NULL REFERENCES users (id),
    -- Updated at most once a minute: a syncing tablet makes no write per request.
    last_seen_at   INTEGER,
    revoked_at     INTEGER,
    revoked_by     TEXT REFERENCES users (id)
) WITHOUT ROWID;
CREATE INDEX tablets_by_partnership ON tablets (partnership_id, created_at);
