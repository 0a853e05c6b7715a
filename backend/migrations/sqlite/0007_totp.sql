-- Partnership Atlas, SQLite schema 7: two-step verification (TOTP, RFC 6238) for
-- administrators and partnership managers, and when each person last signed in.

-- A person's authenticator key. Unlike a password, the secret cannot be hashed: the server
-- must compute the code from the key itself (HMAC-SHA-1 of the time step) to compare it with
-- the code typed, so it keeps the key. A copy of this table alone signs nobody in (the
-- password is still needed), and an administrator can reset a key (`DELETE` of the row) when
-- a phone is lost.
CREATE TABLE totp (
    user_id      TEXT PRIMARY KEY REFERENCES users (id),
    -- The key in base32, as the person typed it into their app.
    secret       TEXT NOT NULL,
    -- NULL until the person proved their app holds the key by entering a first code; only
    -- then does signing in ask for a code.
    confirmed_at INTEGER,
    -- The time step (Unix seconds / 30) of the last code accepted: a code is accepted once,
    -- and never one older than the last, so a code seen over a shoulder is worth nothing.
    last_step    INTEGER
) WITHOUT ROWID;

-- For the people page: ms since the Unix epoch, NULL before a first sign-in.
ALTER TABLE users ADD COLUMN last_sign_in_at INTEGER;
