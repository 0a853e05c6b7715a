-- Partnership Atlas, SQLite schema 1: the records that sync, the change sequence that orders
-- them, the mutation ids already applied, and the history that keeps every overwritten value
-- and every rejected edit.
--
-- Records are stored as JSON fields rather than a table per kind: the server does not need to
-- query inside them (the browser holds a full copy and does that), every kind syncs the same
-- way, and a new kind is a protocol change, not a schema change. The few things the server
-- does query (which partnership a record belongs to, which records refer to which) are kept
-- in their own columns and tables below.

-- The change sequence: ONE row, bumped by every applied change inside the writing
-- transaction (`UPDATE sync_counter SET seq = seq + 1 RETURNING seq`). Because every push
-- holds SQLite's write lock from `BEGIN IMMEDIATE` to `COMMIT`, the transaction that takes a
-- lower position always commits before one that takes a higher position, so a reader that has
-- seen position N has seen every position below N. (An AUTOINCREMENT or a sequence object
-- would not give that guarantee on PostgreSQL, where sequences are not transactional; the
-- counter row's lock does, on both.)
CREATE TABLE sync_counter (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL CHECK (seq >= 0)
);
INSERT INTO sync_counter (id, seq) VALUES (1, 0);

-- The latest state of every record, live or deleted. A deleted record stays as a tombstone
-- (deleted = 1, fields NULL) so that a pull can tell devices to forget it and so that an edit
-- made offline to a record someone else deleted is recognised and rejected, never silently
-- re-creating the record.
CREATE TABLE records (
    kind           TEXT    NOT NULL,
    id             TEXT    NOT NULL,
    -- The partnership the record belongs to; NULL for a partnership itself.
    partnership_id TEXT,
    -- The record's fields as a JSON object; NULL for a tombstone (the last fields are kept in
    -- record_history).
    fields         TEXT,
    -- Per field, the change sequence position that last set it: what the merge rule compares
    -- a stale edit's base version against. A JSON object of field name to position.
    field_versions TEXT    NOT NULL DEFAULT '{}',
    -- The position of the record's latest change.
    version        INTEGER NOT NULL,
    deleted        INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;

-- Each position belongs to at most one record's latest state; the pull is
-- `WHERE version > ? ORDER BY version LIMIT ?`, a range scan of this index, so it costs
-- O(changes since the cursor), never O(records).
CREATE UNIQUE INDEX records_by_version ON records (version);
CREATE INDEX records_by_partnership ON records (partnership_id);

-- Which records refer to which (`Entity::references()`), kept beside the records so that a
-- delete finds what it must cascade to with an index lookup instead of parsing every record
-- of the partnership. Rewritten whenever a record is written; removed with its tombstone.
CREATE TABLE record_refs (
    kind     TEXT NOT NULL,
    id       TEXT NOT NULL,
    ref_kind TEXT NOT NULL,
    ref_id   TEXT NOT NULL,
    PRIMARY KEY (kind, id, ref_kind, ref_id),
    FOREIGN KEY (kind, id) REFERENCES records (kind, id)
) WITHOUT ROWID;
CREATE INDEX record_refs_by_target ON record_refs (ref_kind, ref_id);

-- Every mutation id the server has settled, with the result it answered. A retried push (the
-- browser lost the response) finds its ids here and gets the same answer, byte for byte,
-- without applying anything twice. Rejected mutations are recorded too: a rejection is an
-- answer, and the retry must get the same one.
CREATE TABLE applied_mutations (
    mutation_id TEXT PRIMARY KEY,
    device_id   TEXT NOT NULL,
    -- The MutationResult as JSON, exactly as first answered.
    result      TEXT NOT NULL,
    applied_at  TEXT NOT NULL
) WITHOUT ROWID;

-- Every applied change and every rejected mutation, so that nothing a person typed is lost
-- unseen: the value a last-writer-wins edit replaced is in `overwritten`, the last fields of
-- a deleted record in `before`, and an edit that arrived after a delete in `after` of a
-- 'rejected' row. Append-only.
CREATE TABLE record_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The change sequence position; NULL for a rejected mutation (it took none).
    seq         INTEGER,
    kind        TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    mutation_id TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    action      TEXT NOT NULL
        CHECK (action IN ('create', 'update', 'delete', 'cascade_delete', 'rejected')),
    before      TEXT,
    after       TEXT,
    overwritten TEXT,
    at          TEXT NOT NULL
);
CREATE INDEX record_history_by_record ON record_history (kind, record_id);
