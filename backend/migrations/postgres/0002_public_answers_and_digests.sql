-- Partnership Atlas, PostgreSQL schema 2: SQLite's schemas 9 and 10.
--
-- Answers sent through public links without signing in, per address, for the limit on them
-- (`http::answer_limit`), kept here so every server instance shares one limit; and the
-- SHA-256 of each settled mutation, so a different change sent under an id already settled
-- is refused rather than answered "applied" (see the SQLite migrations for the reasons).
CREATE TABLE public_answers (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    address TEXT NOT NULL,
    -- When the push arrived, ms since the Unix epoch (the server's clock).
    at      BIGINT NOT NULL,
    -- How many answers it carried.
    count   BIGINT NOT NULL CHECK (count > 0)
);
CREATE INDEX public_answers_by_address ON public_answers (address, at);
CREATE INDEX public_answers_by_time ON public_answers (at);

ALTER TABLE applied_mutations ADD COLUMN digest TEXT;
