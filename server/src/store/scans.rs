//! The SQL of the scan reports (see [`crate::log::scans`]).

use super::Store;

/// Columns of `scan_reports`, as [`ScanReport`] reads them.
const SCAN_COLUMNS: &str = "id, started_at, site, exit_status, pages, violations, undeclared, lifetime, category, \
    unseen, report_json, report_html, report_hash, signature";

/// A stored scan report: its numbers, both forms, their hash and its signature.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ScanReport {
    /// 0 until stored.
    pub id: i64,
    /// Unix milliseconds.
    pub started_at: i64,
    pub site: String,
    pub exit_status: i64,
    pub pages: i64,
    pub violations: i64,
    pub undeclared: i64,
    pub lifetime: i64,
    pub category: i64,
    pub unseen: i64,
    pub report_json: String,
    pub report_html: String,
    pub report_hash: String,
    pub signature: String,
}

impl Store {
    /// Stores `report`; its id.
    pub async fn add_scan(&self, report: &ScanReport) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "INSERT INTO scan_reports (started_at, site, exit_status, pages, violations, undeclared, lifetime, \
             category, unseen, report_json, report_html, report_hash, signature) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(report.started_at)
        .bind(&report.site)
        .bind(report.exit_status)
        .bind(report.pages)
        .bind(report.violations)
        .bind(report.undeclared)
        .bind(report.lifetime)
        .bind(report.category)
        .bind(report.unseen)
        .bind(&report.report_json)
        .bind(&report.report_html)
        .bind(&report.report_hash)
        .bind(&report.signature)
        .fetch_one(&self.pool)
        .await
    }

    /// The newest `limit` reports, newest first, without their texts (a page of the dashboard).
    pub async fn latest_scans(&self, limit: i64) -> Result<Vec<ScanReport>, sqlx::Error> {
        sqlx::query_as(
            "SELECT id, started_at, site, exit_status, pages, violations, undeclared, lifetime, category, unseen, \
             '' AS report_json, '' AS report_html, report_hash, signature FROM scan_reports ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await
    }

    /// The report `id`, whole.
    pub async fn scan(&self, id: i64) -> Result<Option<ScanReport>, sqlx::Error> {
        sqlx::query_as(&format!("SELECT {SCAN_COLUMNS} FROM scan_reports WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Up to `limit` reports after `after_id`, whole, in order (for `verify`).
    pub async fn scans_after(&self, after_id: i64, limit: i64) -> Result<Vec<ScanReport>, sqlx::Error> {
        sqlx::query_as(&format!("SELECT {SCAN_COLUMNS} FROM scan_reports WHERE id > $1 ORDER BY id LIMIT $2"))
            .bind(after_id)
            .bind(limit)
            .fetch_all(&self.pool)
            .await
    }

    /// Deletes the reports of scans started before `cutoff` (Unix milliseconds); how many went.
    pub async fn purge_scans_before(&self, cutoff: i64) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query("DELETE FROM scan_reports WHERE started_at < $1")
            .bind(cutoff)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}
