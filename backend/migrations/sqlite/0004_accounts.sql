-- Partnership Atlas, SQLite schema 4: people, their roles, their sessions, and who made each
-- change.
--
-- Times here are milliseconds since the Unix epoch (INTEGER), as the server's clock gives
-- them, so lifetimes and throttling windows compare as numbers.

-- A person who signs in. The email is stored lower-cased and trimmed (one account per
-- address, however it is typed). Only an Argon2id hash of the password is kept (PHC string:
-- algorithm, parameters, salt and hash), never the password.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    -- An administrator of the whole service (every partnership, people, roles, sessions).
    admin         INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1)),
    -- A disabled person cannot sign in, and disabling ends every session of theirs.
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    INTEGER NOT NULL
) WITHOUT ROWID;

-- A person's role in a partnership: one per partnership at most. Read on every request that
-- carries a session, so the server never trusts a role the browser remembers.
CREATE TABLE grants (
    user_id        TEXT NOT NULL REFERENCES users (id),
    partnership_id TEXT NOT NULL,
    role           TEXT NOT NULL
        CHECK (role IN ('councillor', 'consultation_staff', 'group_lead', 'manager')),
    PRIMARY KEY (user_id, partnership_id)
) WITHOUT ROWID;

-- A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a copy
-- of this table signs nobody in. A session ends when it is idle too long, at its absolute
-- end, at sign-out, or when its person is disabled (rows are deleted then).
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Failed sign-ins, for throttling per account and per address (kept in the database, not in
-- one process's memory, so that several server instances throttle together). Old rows are
-- removed as new ones are written.
CREATE TABLE sign_in_failures (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    email   TEXT NOT NULL,
    address TEXT NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_by_email ON sign_in_failures (email, at);
CREATE INDEX sign_in_failures_by_address ON sign_in_failures (address, at);

-- Who made each change and from where: `user:<id>`, `tablet:<id>` or `public`, and the
-- client's address. NULL on rows written before accounts existed.
ALTER TABLE record_history ADD COLUMN actor TEXT;
ALTER TABLE record_history ADD COLUMN address TEXT;
