-- Partnership Atlas, SQLite schema 14: the number of live answers beside each consultation's
-- kept counts.
--
-- A push trusted the kept counts only after counting the consultation's live answers, which
-- made every push cost the whole consultation again. The number is kept here instead, moved by
-- the same changes in the same transaction as the counts. A row from before this column has
-- none, so its counts are counted afresh at the next push (and at every start-up).
ALTER TABLE consultation_tallies ADD COLUMN answers INTEGER;
