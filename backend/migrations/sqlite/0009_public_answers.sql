-- Partnership Atlas, SQLite schema 9: answers sent through public links without signing in,
-- per address, for the limit on them (`http::answer_limit`).
--
-- Kept in the database, not in one process's memory, so that several server instances behind
-- a load balancer share one limit: otherwise each would let an address send the limit, and a
-- script spreading its requests over the instances would send that many times over. One row
-- per push the limit let through; rows older than the window are removed as new ones are
-- taken, so the table holds at most an hour of public answers.
CREATE TABLE public_answers (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    address TEXT NOT NULL,
    -- When the push arrived, ms since the Unix epoch (the server's clock).
    at      INTEGER NOT NULL,
    -- How many answers it carried.
    count   INTEGER NOT NULL CHECK (count > 0)
);
CREATE INDEX public_answers_by_address ON public_answers (address, at);
CREATE INDEX public_answers_by_time ON public_answers (at);
