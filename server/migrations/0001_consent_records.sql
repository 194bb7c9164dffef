-- The proof-of-consent log. Portable SQL: the same file runs on SQLite and PostgreSQL.
-- Rows are only ever appended (and, past the retention period, purged from the oldest end);
-- each row's hash covers its content and the previous row's hash.
CREATE TABLE consent_records (
    seq BIGINT PRIMARY KEY,
    record_id TEXT NOT NULL UNIQUE,
    consent_id TEXT NOT NULL,
    method TEXT NOT NULL,
    granted TEXT NOT NULL,
    denied TEXT NOT NULL,
    services TEXT NOT NULL,
    revision BIGINT NOT NULL,
    language TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    origin TEXT NOT NULL,
    path TEXT NOT NULL,
    widget_version TEXT NOT NULL,
    client_time BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    user_agent TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE INDEX consent_records_by_consent ON consent_records (consent_id, seq);
CREATE INDEX consent_records_by_time ON consent_records (received_at);

-- Where the chain starts after old rows were purged: the last purged row's hash, signed.
CREATE TABLE chain_checkpoints (
    id BIGINT PRIMARY KEY,
    through_seq BIGINT NOT NULL,
    through_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    signature TEXT NOT NULL
);
