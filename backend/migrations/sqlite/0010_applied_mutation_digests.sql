-- Partnership Atlas, SQLite schema 10: what each settled mutation carried.
--
-- A retried push is answered with the result stored under each mutation id, so a device that
-- lost the answer hears it again. If a device ever sent another change under an id already
-- settled, that answer would say "applied" while the new change was never stored: a change
-- dropped unseen. The SHA-256 of the mutation as first settled is kept here, and a mutation
-- whose id is settled but whose digest differs is refused (422) instead. NULL for rows
-- settled before this column existed (those are answered as before).
ALTER TABLE applied_mutations ADD COLUMN digest TEXT;
