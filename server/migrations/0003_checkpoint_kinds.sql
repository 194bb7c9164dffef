-- Checkpoints of more than one kind: `purge` (where the chain starts after old rows went, the
-- only kind before) and `shutdown` (where it stood when a server stopped).
ALTER TABLE chain_checkpoints ADD COLUMN kind TEXT NOT NULL DEFAULT 'purge';
