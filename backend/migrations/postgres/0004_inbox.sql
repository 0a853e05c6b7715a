-- Partnership Atlas, PostgreSQL schema 4: SQLite's schema 13, the inbox of pushes handed off.
--
-- `POST /api/sync/inbox` stores a push whole here and answers at once; a writer applies the
-- inbox oldest first, exactly as pushes, under the writers' turn, and takes each push out in
-- the transaction that applied it (`db::group`), so two servers never apply one push twice.
-- `sender` is who the server established sent it (JSON); `mutations` the push's mutations as
-- JSON.
CREATE TABLE inbox (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    device_id   TEXT NOT NULL,
    sender      TEXT NOT NULL,
    mutations   TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE INDEX inbox_by_device ON inbox (device_id);
