-- Several servers on one database. Each appends to a chain of its own, so that none waits for
-- another: a row's `seq` is `chain * 1000000000000 + its position in the chain`, and chain 0 is
-- the log as earlier versions wrote it. A server holds its chain by a lease it keeps renewing;
-- a chain whose lease has lapsed is taken over by the next server that needs one.
CREATE TABLE chains (
    chain BIGINT PRIMARY KEY,
    -- The server appending to it now; '' when none is.
    holder TEXT NOT NULL,
    -- Unix milliseconds by the database's clock: the lease ends then unless renewed.
    expires_at BIGINT NOT NULL
);

-- A checkpoint names the last row of every chain at one moment: one row per chain, the rows of
-- one checkpoint sharing `set_id` (empty for a purge, and for the checkpoints of earlier
-- versions), each row signed with the size of its set so that none can go missing unseen.
ALTER TABLE chain_checkpoints ADD COLUMN set_id TEXT NOT NULL DEFAULT '';
ALTER TABLE chain_checkpoints ADD COLUMN set_size BIGINT NOT NULL DEFAULT 1;
CREATE INDEX chain_checkpoints_by_seq ON chain_checkpoints (through_seq);
