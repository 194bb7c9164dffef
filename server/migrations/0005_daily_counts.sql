-- Counts of the records present, per day (UTC, days since 1970-01-01: received_at / 86400000),
-- for the admin dashboard: it reads these few thousand rows instead of millions of records.
-- Triggers (next two migrations, one per database) keep them in the same transaction as every
-- insert and delete of records, so they always equal counts over the rows present: a retention
-- purge takes its rows out of the counts too. Keyed by chain as well, so that servers appending
-- to chains of their own never update the same count row and never wait for each other.
CREATE TABLE daily_decisions (
    day BIGINT NOT NULL,
    chain BIGINT NOT NULL,
    method TEXT NOT NULL,
    language TEXT NOT NULL,
    revision BIGINT NOT NULL,
    decisions BIGINT NOT NULL,
    PRIMARY KEY (day, chain, method, language, revision)
);

-- How often each category was granted and denied, per day.
CREATE TABLE daily_categories (
    day BIGINT NOT NULL,
    chain BIGINT NOT NULL,
    category TEXT NOT NULL,
    granted BIGINT NOT NULL,
    denied BIGINT NOT NULL,
    PRIMARY KEY (day, chain, category)
);
