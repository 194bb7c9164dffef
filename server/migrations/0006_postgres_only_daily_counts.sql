-- PostgreSQL only (SQLite: the previous migration). Statement triggers keep the counts: one
-- grouped upsert per batch of records, not one per row.
-- Counts of the records present, per day (UTC, days since 1970-01-01: received_at / 86400000),
-- for the admin dashboard: it reads these few thousand rows instead of millions of records.
-- Triggers keep them in the same transaction as every insert and delete of records, so they
-- always equal counts over the rows present: a retention purge takes its rows out of the counts
-- too. Keyed by chain as well, so that servers appending to chains of their own never update the
-- same count row and never wait for each other. Counts of the rows already there come first.
-- 86400000: milliseconds a day; 1000000000000: a chain's span (chains.rs).
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

INSERT INTO daily_decisions (day, chain, method, language, revision, decisions)
SELECT received_at / 86400000, seq / 1000000000000, method, language, revision, COUNT(*)
FROM consent_records GROUP BY 1, 2, 3, 4, 5;

INSERT INTO daily_categories (day, chain, category, granted, denied)
SELECT received_at / 86400000, seq / 1000000000000, category, SUM(granted), SUM(denied) FROM (
    SELECT received_at, seq, jsonb_array_elements_text(granted::jsonb) AS category, 1 AS granted, 0 AS denied
    FROM consent_records
    UNION ALL
    SELECT received_at, seq, jsonb_array_elements_text(denied::jsonb), 0, 1 FROM consent_records
) AS categories GROUP BY 1, 2, 3;

CREATE FUNCTION count_consent_records() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    direction BIGINT := CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END;
BEGIN
    -- The rows of this statement: `changed` is the transition table of either trigger below.
    INSERT INTO daily_decisions AS counts (day, chain, method, language, revision, decisions)
    SELECT received_at / 86400000, seq / 1000000000000, method, language, revision, direction * COUNT(*)
    FROM changed GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (day, chain, method, language, revision)
    DO UPDATE SET decisions = counts.decisions + EXCLUDED.decisions;

    INSERT INTO daily_categories AS counts (day, chain, category, granted, denied)
    SELECT received_at / 86400000, seq / 1000000000000, category, direction * SUM(granted), direction * SUM(denied) FROM (
        SELECT received_at, seq, jsonb_array_elements_text(granted::jsonb) AS category, 1 AS granted, 0 AS denied
        FROM changed
        UNION ALL
        SELECT received_at, seq, jsonb_array_elements_text(denied::jsonb), 0, 1 FROM changed
    ) AS categories GROUP BY 1, 2, 3
    ON CONFLICT (day, chain, category)
    DO UPDATE SET granted = counts.granted + EXCLUDED.granted, denied = counts.denied + EXCLUDED.denied;
    RETURN NULL;
END;
$$;

CREATE TRIGGER consent_records_counted AFTER INSERT ON consent_records
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION count_consent_records();
CREATE TRIGGER consent_records_uncounted AFTER DELETE ON consent_records
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION count_consent_records();
