-- Partnership Atlas, SQLite schema 8: when who may see a partnership's stored records last
-- changed.
--
-- Most kinds are read by everyone with enough access in the partnership, but some records
-- choose their readers (draft minutes are the members' until published; a draft strategy,
-- with its priorities and targets, likewise), and a record's readers are also those of the
-- records it refers to. A pull passes over the records a reader may not see, so when a change
-- reveals or hides records already stored (minutes published, a priority moved to a draft
-- strategy), readers must pull afresh: the change's position is kept here, and it is part of
-- every reader's scope (`db::scope_of`), so their next pull starts again from nothing.
CREATE TABLE visibility_changes (
    partnership_id TEXT PRIMARY KEY,
    -- The position of the last such change in the change sequence.
    seq            INTEGER NOT NULL
) WITHOUT ROWID;
