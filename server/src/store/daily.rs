//! The admin dashboard's reads: sums of the daily counts (see migrations 0005 and 0006), which
//! triggers keep equal to counts over the records present. A period of days reads at most a few
//! rows per day, method, language, revision and chain, never the records themselves; all in one
//! read transaction, so that every figure on a page comes from the same moment.

use super::{Backend, Store};
use sqlx::{Any, Executor, Transaction};
use std::collections::BTreeMap;

/// Milliseconds in a day: days are UTC days since 1970-01-01, `received_at / DAY_MILLIS`.
pub const DAY_MILLIS: i64 = 86_400_000;

/// The records received on the days `from_day..=to_day`, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Decisions per day, for the days that have any, in order.
    pub per_day: Vec<(i64, i64)>,
    /// Decisions per method, most first.
    pub by_method: Vec<(String, i64)>,
    pub by_language: Vec<(String, i64)>,
    /// Decisions per configuration revision, most first.
    pub by_revision: Vec<(i64, i64)>,
    /// Per category: how often granted and how often denied, by name.
    pub categories: Vec<CategoryCount>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryCount {
    pub category: String,
    pub granted: i64,
    pub denied: i64,
}

impl Summary {
    pub fn total(&self) -> i64 {
        self.per_day.iter().map(|(_, count)| count).sum()
    }
}

/// The newest record: its sequence number and when it was received (Unix milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct Newest {
    pub seq: i64,
    pub received_at: i64,
}

// Sums are cast: PostgreSQL sums BIGINTs as NUMERIC. Counts that fell to zero (their records
// were purged) are left out.
const PER_DAY: &str = "SELECT day, CAST(SUM(decisions) AS BIGINT) FROM daily_decisions \
    WHERE day >= $1 AND day <= $2 GROUP BY day HAVING SUM(decisions) <> 0 ORDER BY day";

/// The period's decisions per method, language and revision at once: one scan of the counts,
/// from which each split is summed (a few hundred rows at most).
const BY_KIND: &str = "SELECT method, language, revision, CAST(SUM(decisions) AS BIGINT) FROM daily_decisions \
    WHERE day >= $1 AND day <= $2 GROUP BY method, language, revision HAVING SUM(decisions) <> 0";

const CATEGORIES: &str = "SELECT category, CAST(SUM(granted) AS BIGINT), CAST(SUM(denied) AS BIGINT) \
    FROM daily_categories WHERE day >= $1 AND day <= $2 GROUP BY category \
    HAVING SUM(granted) <> 0 OR SUM(denied) <> 0 ORDER BY category";

/// The sums of `counts` per key, most first (then by key).
fn most_first<K: Ord>(counts: impl Iterator<Item = (K, i64)>) -> Vec<(K, i64)> {
    let mut sums: BTreeMap<K, i64> = BTreeMap::new();
    for (key, n) in counts {
        *sums.entry(key).or_default() += n;
    }
    let mut sums: Vec<(K, i64)> = sums.into_iter().filter(|(_, n)| *n != 0).collect();
    sums.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sums
}

impl Store {
    /// The counts of the days `from_day..=to_day`.
    pub async fn daily_summary(&self, from_day: i64, to_day: i64) -> Result<Summary, sqlx::Error> {
        let mut transaction = self.read_snapshot().await?;
        let per_day = sqlx::query_as(PER_DAY).bind(from_day).bind(to_day).fetch_all(&mut *transaction).await?;
        let by_kind: Vec<(String, String, i64, i64)> =
            sqlx::query_as(BY_KIND).bind(from_day).bind(to_day).fetch_all(&mut *transaction).await?;
        let categories: Vec<(String, i64, i64)> =
            sqlx::query_as(CATEGORIES).bind(from_day).bind(to_day).fetch_all(&mut *transaction).await?;
        transaction.commit().await?;
        Ok(Summary {
            per_day,
            by_method: most_first(by_kind.iter().map(|(method, _, _, n)| (method.clone(), *n))),
            by_language: most_first(by_kind.iter().map(|(_, language, _, n)| (language.clone(), *n))),
            by_revision: most_first(by_kind.iter().map(|(_, _, revision, n)| (*revision, *n))),
            categories: categories
                .into_iter()
                .map(|(category, granted, denied)| CategoryCount { category, granted, denied })
                .collect(),
        })
    }

    /// The most recently received record, read from the time index.
    pub async fn newest_record(&self) -> Result<Option<Newest>, sqlx::Error> {
        sqlx::query_as("SELECT seq, received_at FROM consent_records ORDER BY received_at DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await
    }

    /// A read-only transaction that sees one moment of the database throughout (a repeatable
    /// read on PostgreSQL; on SQLite a reader keeps its view in WAL mode, and never blocks the
    /// writer).
    async fn read_snapshot(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        let mut transaction = self.pool.begin().await?;
        if self.backend == Backend::Postgres {
            transaction.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").await?;
        }
        Ok(transaction)
    }
}
