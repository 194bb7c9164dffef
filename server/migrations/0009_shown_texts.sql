-- The canonical text behind each record's text hash (core::record::shown_text), kept the first
-- time a widget sends it: what a visitor was shown, for an audit to read beside the record.
-- Append-only, like the records; a text is stored once, under its SHA-256.
CREATE TABLE shown_texts (
    hash TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    first_seen BIGINT NOT NULL
);
-- A text is taken only for a hash that a record names.
CREATE INDEX consent_records_by_text_hash ON consent_records (text_hash);
