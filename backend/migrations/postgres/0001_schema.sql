-- Partnership Atlas, PostgreSQL schema 1: the schema SQLite's migrations 1 to 8 build
-- (`migrations/sqlite/`), in one step and in PostgreSQL's types. Read those files for what
-- each table is for; only what differs is explained here.
--
-- * Ids stay TEXT (the UUID's hyphenated form), as in SQLite: the records table holds ids of
--   every kind side by side with ids read out of JSON fields, and the server's code binds and
--   reads them the same way on both databases.
-- * JSON stays TEXT, not JSONB: the server stores and returns the exact text it wrote (a
--   refresh of published results compares what it computed with what it parsed back, to the
--   bit), and the few queries that look inside cast to JSONB there.
-- * Positions, times in ms since the Unix epoch and counts are BIGINT; flags are BOOLEAN.
-- * `at` columns hold ISO 8601 UTC text (`...T12:34:56.789Z`), as SQLite's `strftime` writes.

-- The change sequence: ONE row, bumped by every applied change inside the writing transaction
-- (`UPDATE sync_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq`), and locked by every
-- push from its start (`SELECT ... FOR UPDATE`). NEVER a SEQUENCE: a sequence hands numbers
-- out outside the transaction, so a higher number could commit before a lower one and a
-- reader past the higher one would skip the lower one for ever. The row's lock is held to
-- the commit, so across every server process the transaction holding a lower position
-- commits first (see `db::Database`'s invariants).
CREATE TABLE sync_counter (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT  NOT NULL CHECK (seq >= 0)
);
INSERT INTO sync_counter (id, seq) VALUES (1, 0);

CREATE TABLE records (
    kind           TEXT    NOT NULL,
    id             TEXT    NOT NULL,
    partnership_id TEXT,
    fields         TEXT,
    field_versions TEXT    NOT NULL DEFAULT '{}',
    version        BIGINT  NOT NULL,
    deleted        BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (kind, id)
);
CREATE UNIQUE INDEX records_by_version ON records (version);
CREATE INDEX records_by_partnership ON records (partnership_id);

CREATE TABLE record_refs (
    kind     TEXT NOT NULL,
    id       TEXT NOT NULL,
    ref_kind TEXT NOT NULL,
    ref_id   TEXT NOT NULL,
    PRIMARY KEY (kind, id, ref_kind, ref_id),
    FOREIGN KEY (kind, id) REFERENCES records (kind, id)
);
CREATE INDEX record_refs_by_target ON record_refs (ref_kind, ref_id);

CREATE TABLE applied_mutations (
    mutation_id TEXT PRIMARY KEY,
    device_id   TEXT NOT NULL,
    result      TEXT NOT NULL,
    applied_at  TEXT NOT NULL
);

-- `id` orders the history for paging only (never for sync): an identity column is fine here.
CREATE TABLE record_history (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seq         BIGINT,
    kind        TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    mutation_id TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    action      TEXT NOT NULL
        CHECK (action IN ('create', 'update', 'delete', 'cascade_delete', 'rejected')),
    before      TEXT,
    after       TEXT,
    overwritten TEXT,
    at          TEXT NOT NULL,
    actor       TEXT,
    address     TEXT
);
CREATE INDEX record_history_by_record ON record_history (kind, record_id);

CREATE TABLE refused_mutations (
    mutation_id     TEXT PRIMARY KEY,
    device_id       TEXT NOT NULL,
    kind            TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    mutation        TEXT NOT NULL,
    error           TEXT NOT NULL,
    fields          TEXT NOT NULL,
    at              TEXT NOT NULL,
    rejection       TEXT,
    settled_at      TEXT,
    settled_version BIGINT
);
CREATE INDEX refused_mutations_by_record ON refused_mutations (kind, record_id);
CREATE INDEX refused_mutations_unsettled ON refused_mutations (kind, at) WHERE settled_at IS NULL;

CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    email           TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    password_hash   TEXT    NOT NULL,
    admin           BOOLEAN NOT NULL DEFAULT FALSE,
    disabled        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      BIGINT  NOT NULL,
    last_sign_in_at BIGINT
);

CREATE TABLE grants (
    user_id        TEXT NOT NULL REFERENCES users (id),
    partnership_id TEXT NOT NULL,
    role           TEXT NOT NULL
        CHECK (role IN ('councillor', 'consultation_staff', 'group_lead', 'manager')),
    PRIMARY KEY (user_id, partnership_id)
);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      TEXT   NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE sign_in_failures (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email   TEXT   NOT NULL,
    address TEXT   NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_by_email ON sign_in_failures (email, at);
CREATE INDEX sign_in_failures_by_address ON sign_in_failures (address, at);

CREATE TABLE tablets (
    id               TEXT PRIMARY KEY,
    partnership_id   TEXT   NOT NULL,
    name             TEXT   NOT NULL,
    consultation_ids TEXT   NOT NULL DEFAULT '[]',
    token_hash       TEXT   NOT NULL UNIQUE,
    created_at       BIGINT NOT NULL,
    created_by       TEXT   NOT NULL REFERENCES users (id),
    last_seen_at     BIGINT,
    revoked_at       BIGINT,
    revoked_by       TEXT REFERENCES users (id)
);
CREATE INDEX tablets_by_partnership ON tablets (partnership_id, created_at);

CREATE TABLE totp (
    user_id      TEXT PRIMARY KEY REFERENCES users (id),
    secret       TEXT NOT NULL,
    confirmed_at BIGINT,
    last_step    BIGINT
);

CREATE TABLE visibility_changes (
    partnership_id TEXT PRIMARY KEY,
    seq            BIGINT NOT NULL
);
