-- Partnership Atlas, SQLite schema 13: the inbox of pushes handed off.
--
-- `POST /api/sync/inbox` stores a push whole here and answers at once; the writer applies the
-- inbox oldest first, exactly as pushes, and takes each push out in the transaction that
-- applied it (`db::group`). `sender` is who the server established sent it (JSON), what it
-- is applied as; `mutations` the push's mutations as JSON. A device asks what became of its
-- mutations (`POST /api/sync/outcomes`): a mutation neither settled nor refused is pending
-- while the device has a push here, and unknown (to be sent again) otherwise.
CREATE TABLE inbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    device_id   TEXT NOT NULL,
    sender      TEXT NOT NULL,
    mutations   TEXT NOT NULL,
    received_at INTEGER NOT NULL
);
CREATE INDEX inbox_by_device ON inbox (device_id);
