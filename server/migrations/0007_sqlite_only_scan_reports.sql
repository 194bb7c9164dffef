-- SQLite only (PostgreSQL: the next migration). The reports of the scheduled scans of the site
-- (consent-scan, `--scan`): each whole, as JSON and as HTML, with the hash of both and its
-- signature under the checkpoint key, so that `verify` can tell a report changed after it was
-- written. Kept apart from the records: no visitor's data is in them.
CREATE TABLE scan_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at BIGINT NOT NULL,
    site TEXT NOT NULL,
    exit_status BIGINT NOT NULL,
    pages BIGINT NOT NULL,
    violations BIGINT NOT NULL,
    undeclared BIGINT NOT NULL,
    lifetime BIGINT NOT NULL,
    category BIGINT NOT NULL,
    unseen BIGINT NOT NULL,
    report_json TEXT NOT NULL,
    report_html TEXT NOT NULL,
    report_hash TEXT NOT NULL,
    signature TEXT NOT NULL
);
CREATE INDEX scan_reports_by_time ON scan_reports (started_at);
