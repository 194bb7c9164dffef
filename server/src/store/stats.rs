//! Counts over the whole log, for the admin stats.

use super::Store;

/// A column the records are counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    Method,
    Language,
    /// The granted categories, as stored: a JSON array.
    Granted,
    /// The denied categories, as stored: a JSON array.
    Denied,
}

impl Grouping {
    fn sql(self) -> &'static str {
        match self {
            Grouping::Method => "SELECT method, COUNT(*) FROM consent_records GROUP BY method",
            Grouping::Language => "SELECT language, COUNT(*) FROM consent_records GROUP BY language",
            Grouping::Granted => "SELECT granted, COUNT(*) FROM consent_records GROUP BY granted",
            Grouping::Denied => "SELECT denied, COUNT(*) FROM consent_records GROUP BY denied",
        }
    }
}

impl Store {
    /// How many records hold each value of the column `grouping`.
    pub async fn count_by(&self, grouping: Grouping) -> Result<Vec<(String, i64)>, sqlx::Error> {
        sqlx::query_as(grouping.sql()).fetch_all(&self.pool).await
    }

    /// How many records were received on each day (UTC), days counted from 1970-01-01.
    pub async fn count_by_day(&self) -> Result<Vec<(i64, i64)>, sqlx::Error> {
        sqlx::query_as(
            "SELECT received_at / 86400000 AS day, COUNT(*) FROM consent_records GROUP BY received_at / 86400000",
        )
        .fetch_all(&self.pool)
        .await
    }

    /// Whether the database answers at all.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }
}
