-- SQLite only (the store skips it on PostgreSQL, where `seq BIGINT PRIMARY KEY` is already the
-- table's ordered key). In SQLite only a column declared exactly `INTEGER PRIMARY KEY` is the
-- row id, the key the table is stored in; `BIGINT PRIMARY KEY` left `seq` a separate index, and
-- pages read in `seq` order were found through the time index instead, rescanning the table
-- on every page. The table is rebuilt with `seq` as its row id; every value is kept (SQLite
-- integers are 64-bit whatever the declared type).
CREATE TABLE consent_records_by_seq (
    seq INTEGER PRIMARY KEY,
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

INSERT INTO consent_records_by_seq (seq, record_id, consent_id, method, granted, denied, services, revision,
    language, text_hash, origin, path, widget_version, client_time, received_at, user_agent, prev_hash, hash)
SELECT seq, record_id, consent_id, method, granted, denied, services, revision,
    language, text_hash, origin, path, widget_version, client_time, received_at, user_agent, prev_hash, hash
FROM consent_records ORDER BY seq;

DROP TABLE consent_records;
ALTER TABLE consent_records_by_seq RENAME TO consent_records;

CREATE INDEX consent_records_by_consent ON consent_records (consent_id, seq);
CREATE INDEX consent_records_by_time ON consent_records (received_at);
