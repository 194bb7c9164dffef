-- SQLite only (PostgreSQL: the next migration). The counts are stored in their key's order
-- (WITHOUT ROWID), so that a period is one range read; row triggers keep them.
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
) WITHOUT ROWID;

-- How often each category was granted and denied, per day.
CREATE TABLE daily_categories (
    day BIGINT NOT NULL,
    chain BIGINT NOT NULL,
    category TEXT NOT NULL,
    granted BIGINT NOT NULL,
    denied BIGINT NOT NULL,
    PRIMARY KEY (day, chain, category)
) WITHOUT ROWID;

INSERT INTO daily_decisions (day, chain, method, language, revision, decisions)
SELECT received_at / 86400000, seq / 1000000000000, method, language, revision, COUNT(*)
FROM consent_records GROUP BY 1, 2, 3, 4, 5;

INSERT INTO daily_categories (day, chain, category, granted, denied)
SELECT day, chain, category, SUM(granted), SUM(denied) FROM (
    SELECT r.received_at / 86400000 AS day, r.seq / 1000000000000 AS chain, c.value AS category,
        1 AS granted, 0 AS denied
    FROM consent_records r, json_each(r.granted) c
    UNION ALL
    SELECT r.received_at / 86400000, r.seq / 1000000000000, c.value, 0, 1
    FROM consent_records r, json_each(r.denied) c
) GROUP BY day, chain, category;

CREATE TRIGGER consent_records_counted AFTER INSERT ON consent_records BEGIN
    INSERT INTO daily_decisions (day, chain, method, language, revision, decisions)
    VALUES (NEW.received_at / 86400000, NEW.seq / 1000000000000, NEW.method, NEW.language, NEW.revision, 1)
    ON CONFLICT (day, chain, method, language, revision) DO UPDATE SET decisions = decisions + 1;
    -- `WHERE true` keeps SQLite from reading ON CONFLICT as part of the join.
    INSERT INTO daily_categories (day, chain, category, granted, denied)
    SELECT NEW.received_at / 86400000, NEW.seq / 1000000000000, value, 1, 0 FROM json_each(NEW.granted) WHERE true
    ON CONFLICT (day, chain, category) DO UPDATE SET granted = granted + 1;
    INSERT INTO daily_categories (day, chain, category, granted, denied)
    SELECT NEW.received_at / 86400000, NEW.seq / 1000000000000, value, 0, 1 FROM json_each(NEW.denied) WHERE true
    ON CONFLICT (day, chain, category) DO UPDATE SET denied = denied + 1;
END;

CREATE TRIGGER consent_records_uncounted AFTER DELETE ON consent_records BEGIN
    UPDATE daily_decisions SET decisions = decisions - 1
    WHERE day = OLD.received_at / 86400000 AND chain = OLD.seq / 1000000000000 AND method = OLD.method
        AND language = OLD.language AND revision = OLD.revision;
    UPDATE daily_categories SET granted = granted - 1
    WHERE day = OLD.received_at / 86400000 AND chain = OLD.seq / 1000000000000
        AND category IN (SELECT value FROM json_each(OLD.granted));
    UPDATE daily_categories SET denied = denied - 1
    WHERE day = OLD.received_at / 86400000 AND chain = OLD.seq / 1000000000000
        AND category IN (SELECT value FROM json_each(OLD.denied));
END;
