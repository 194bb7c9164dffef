//! The proof-of-consent log in SQL: SQLite by default, PostgreSQL when the URL says so.
//! All SQL of the server lives in this module.

mod row;
pub mod verify;

pub use crate::checkpoint::Checkpoint;
use futures_util::future::BoxFuture;
pub use row::{GENESIS_HASH, Row};

use crate::checkpoint;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, Migrator};
use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use std::fmt::Write;
use std::str::FromStr;

/// Every migration; each backend runs those not marked for the other one (see [`Backend::runs`]).
static MIGRATIONS: Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Whether this backend runs the migration described as `description`: most SQL is the
    /// same on both, and a file named `NNNN_sqlite_only_…` or `NNNN_postgres_only_…` holds what
    /// cannot be.
    fn runs(self, description: &str) -> bool {
        match self {
            Backend::Sqlite => !description.starts_with("postgres only"),
            Backend::Postgres => !description.starts_with("sqlite only"),
        }
    }

    /// The migrations of this backend, in order.
    async fn migrator(self) -> Result<Migrator, sqlx::migrate::MigrateError> {
        Migrator::new(Migrations(MIGRATIONS.iter().filter(|m| self.runs(&m.description)).cloned().collect())).await
    }
}

/// A list of migrations already in memory, as a source for [`Migrator::new`].
#[derive(Debug)]
struct Migrations(Vec<Migration>);

impl MigrationSource<'static> for Migrations {
    fn resolve(self) -> BoxFuture<'static, Result<Vec<Migration>, BoxDynError>> {
        Box::pin(std::future::ready(Ok(self.0)))
    }
}

#[derive(Clone)]
pub struct Store {
    pub pool: AnyPool,
    pub backend: Backend,
}

/// The end of the chain: the last row's sequence number and hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tail {
    pub seq: i64,
    pub hash: String,
}

/// Rows per insert statement: `COLUMN_COUNT` parameters each stays under the bind limits of SQLite
/// (32,766) and PostgreSQL (65,535).
pub const MAX_ROWS_PER_INSERT: usize = 512;

/// How many names `COLUMNS` lists: the bind parameters of one row.
const COLUMN_COUNT: usize = 18;

const COLUMNS: &str = "seq, record_id, consent_id, method, granted, denied, services, revision, language, \
    text_hash, origin, path, widget_version, client_time, received_at, user_agent, prev_hash, hash";

impl Store {
    /// Connects, creating the SQLite file (and its folder) if needed, and applies migrations.
    pub async fn open(url: &str) -> Result<Store, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(sqlx::Error::Configuration(
                format!("unsupported database URL `{url}`: use sqlite:PATH or postgres://...").into(),
            ));
        };
        if backend == Backend::Sqlite {
            create_sqlite_folder(url);
        }
        let options = AnyConnectOptions::from_str(url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .test_before_acquire(false)
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers work while the writer appends; FULL makes every
                        // acknowledged commit survive a crash.
                        connection
                            .execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;",
                            )
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        backend.migrator().await?.run(&pool).await?;
        Ok(Store { pool, backend })
    }

    /// Where the next row attaches: the last row, else the latest purge checkpoint, else genesis.
    pub async fn tail(&self) -> Result<Tail, sqlx::Error> {
        let last: Option<(i64, String)> =
            sqlx::query_as("SELECT seq, hash FROM consent_records ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&self.pool)
                .await?;
        if let Some((seq, hash)) = last {
            return Ok(Tail { seq, hash });
        }
        Ok(match self.purge_checkpoint().await? {
            Some(checkpoint) => Tail { seq: checkpoint.through_seq, hash: checkpoint.through_hash },
            None => Tail { seq: 0, hash: GENESIS_HASH.to_string() },
        })
    }

    /// The latest purge checkpoint: where the chain starts now.
    pub async fn purge_checkpoint(&self) -> Result<Option<Checkpoint>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {CHECKPOINT_COLUMNS} FROM chain_checkpoints WHERE kind = $1 ORDER BY id DESC LIMIT 1"
        ))
        .bind(checkpoint::PURGE)
        .fetch_optional(&self.pool)
        .await
    }

    /// Every checkpoint of `kind`, oldest first.
    pub async fn checkpoints(&self, kind: &str) -> Result<Vec<Checkpoint>, sqlx::Error> {
        sqlx::query_as(&format!("SELECT {CHECKPOINT_COLUMNS} FROM chain_checkpoints WHERE kind = $1 ORDER BY id"))
            .bind(kind)
            .fetch_all(&self.pool)
            .await
    }

    pub async fn add_checkpoint(&self, checkpoint: &Checkpoint) -> Result<(), sqlx::Error> {
        let mut transaction = self.pool.begin().await?;
        insert_checkpoint(&mut transaction, checkpoint).await?;
        transaction.commit().await
    }

    pub async fn find(&self, record_id: &str) -> Result<Option<Row>, sqlx::Error> {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM consent_records WHERE record_id = $1"))
            .bind(record_id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Every record of one consent id, oldest first.
    pub async fn history(&self, consent_id: &str) -> Result<Vec<Row>, sqlx::Error> {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM consent_records WHERE consent_id = $1 ORDER BY seq LIMIT 500"))
            .bind(consent_id)
            .fetch_all(&self.pool)
            .await
    }

    /// Up to `limit` rows after `after_seq`, in chain order: one range of the table's key, so
    /// each page costs the same wherever it starts.
    pub async fn rows_after(&self, after_seq: i64, limit: i64) -> Result<Vec<Row>, sqlx::Error> {
        sqlx::query_as(&rows_after_sql()).bind(after_seq).bind(limit).fetch_all(&self.pool).await
    }

    /// The first and last sequence numbers of the rows received in `[from, to)`, read from the
    /// time index; `None` when there are none.
    pub async fn seq_range(&self, from: i64, to: i64) -> Result<Option<(i64, i64)>, sqlx::Error> {
        let (first, last): (Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT MIN(seq), MAX(seq) FROM consent_records WHERE received_at >= $1 AND received_at < $2",
        )
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        Ok(first.zip(last))
    }

    /// Up to `limit` rows received in `[from, to)` with a sequence number in `(after_seq,
    /// through_seq]`, in chain order: a range of the table's key (see [`Store::seq_range`]),
    /// filtered by time.
    pub async fn rows_between(
        &self,
        after_seq: i64,
        through_seq: i64,
        from: i64,
        to: i64,
        limit: i64,
    ) -> Result<Vec<Row>, sqlx::Error> {
        sqlx::query_as(&rows_between_sql())
            .bind(after_seq)
            .bind(through_seq)
            .bind(from)
            .bind(to)
            .bind(limit)
            .fetch_all(&self.pool)
            .await
    }

    pub async fn count(&self) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT COUNT(*) FROM consent_records").fetch_one(&self.pool).await
    }

    /// Bind parameters `first` to `first + count - 1`, comma-separated, appended to `sql`.
    /// SQLite gets plain `?`: it resolves `$n` names one by one, which costs more than the
    /// rest of a large insert.
    fn push_placeholders(&self, sql: &mut String, first: usize, count: usize) {
        for n in first..first + count {
            if n > first {
                sql.push_str(", ");
            }
            match self.backend {
                Backend::Sqlite => sql.push('?'),
                Backend::Postgres => {
                    let _ = write!(sql, "${n}");
                }
            }
        }
    }

    /// The stored rows among `record_ids`.
    pub async fn find_all(&self, record_ids: &[String]) -> Result<Vec<Row>, sqlx::Error> {
        let mut found = Vec::new();
        for chunk in record_ids.chunks(500) {
            let mut sql = format!("SELECT {COLUMNS} FROM consent_records WHERE record_id IN (");
            self.push_placeholders(&mut sql, 1, chunk.len());
            sql.push(')');
            let mut query = sqlx::query_as(&sql);
            for id in chunk {
                query = query.bind(id);
            }
            found.extend(query.fetch_all(&self.pool).await?);
        }
        Ok(found)
    }

    /// Appends rows already chained by the writer, all or none. Up to [`MAX_ROWS_PER_INSERT`]
    /// rows go in a single statement, which is atomic on its own: one round trip to the
    /// database and one commit, where a transaction would cost two more round trips.
    pub async fn insert_all(&self, connection: &mut AnyConnection, rows: &[&Row]) -> Result<(), sqlx::Error> {
        if rows.len() <= MAX_ROWS_PER_INSERT {
            return self.insert_statement(connection, rows).await;
        }
        let mut transaction = connection.begin().await?;
        for chunk in rows.chunks(MAX_ROWS_PER_INSERT) {
            self.insert_statement(&mut transaction, chunk).await?;
        }
        transaction.commit().await
    }

    async fn insert_statement(&self, connection: &mut AnyConnection, rows: &[&Row]) -> Result<(), sqlx::Error> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut sql = format!("INSERT INTO consent_records ({COLUMNS}) VALUES ");
        for row in 0..rows.len() {
            sql.push_str(if row == 0 { "(" } else { ", (" });
            self.push_placeholders(&mut sql, row * COLUMN_COUNT + 1, COLUMN_COUNT);
            sql.push(')');
        }
        let mut query = sqlx::query(&sql);
        for row in rows {
            query = query
                .bind(row.seq)
                .bind(&row.record_id)
                .bind(&row.consent_id)
                .bind(&row.method)
                .bind(&row.granted)
                .bind(&row.denied)
                .bind(&row.services)
                .bind(row.revision)
                .bind(&row.language)
                .bind(&row.text_hash)
                .bind(&row.origin)
                .bind(&row.path)
                .bind(&row.widget_version)
                .bind(row.client_time)
                .bind(row.received_at)
                .bind(&row.user_agent)
                .bind(&row.prev_hash)
                .bind(&row.hash);
        }
        query.execute(connection).await.map(|_| ())
    }

    /// Deletes rows received before `cutoff` and records where the chain now starts, in a
    /// checkpoint signed with `key` so nobody can move it unnoticed.
    pub async fn purge_before(&self, cutoff: i64, now: i64, key: Option<&str>) -> Result<u64, sqlx::Error> {
        let mut transaction = self.pool.begin().await?;
        // The newest purged row, found in the time index rather than by walking back from the end.
        let last: Option<(i64, String)> = sqlx::query_as(
            "SELECT seq, hash FROM consent_records \
             WHERE seq = (SELECT MAX(seq) FROM consent_records WHERE received_at < $1)",
        )
        .bind(cutoff)
        .fetch_optional(&mut *transaction)
        .await?;
        let Some((through_seq, through_hash)) = last else { return Ok(0) };
        let purged = sqlx::query("DELETE FROM consent_records WHERE seq <= $1")
            .bind(through_seq)
            .execute(&mut *transaction)
            .await?
            .rows_affected();
        let checkpoint = Checkpoint::new(checkpoint::PURGE, through_seq, &through_hash, now, key);
        insert_checkpoint(&mut transaction, &checkpoint).await?;
        transaction.commit().await?;
        Ok(purged)
    }
}

fn rows_after_sql() -> String {
    format!("SELECT {COLUMNS} FROM consent_records WHERE seq > $1 ORDER BY seq LIMIT $2")
}

/// `+received_at` (an expression, on both databases) keeps the planner from reading the pages
/// through the time index, which would sort the whole time range again for each page.
fn rows_between_sql() -> String {
    format!(
        "SELECT {COLUMNS} FROM consent_records WHERE seq > $1 AND seq <= $2 \
         AND +received_at >= $3 AND +received_at < $4 ORDER BY seq LIMIT $5"
    )
}

const CHECKPOINT_COLUMNS: &str = "kind, through_seq, through_hash, created_at, signature";

async fn insert_checkpoint(connection: &mut AnyConnection, checkpoint: &Checkpoint) -> Result<(), sqlx::Error> {
    let id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM chain_checkpoints")
        .fetch_one(&mut *connection)
        .await?;
    sqlx::query(&format!("INSERT INTO chain_checkpoints (id, {CHECKPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"))
        .bind(id)
        .bind(&checkpoint.kind)
        .bind(checkpoint.through_seq)
        .bind(&checkpoint.through_hash)
        .bind(checkpoint.created_at)
        .bind(&checkpoint.signature)
        .execute(connection)
        .await
        .map(|_| ())
}

fn create_sqlite_folder(url: &str) {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or(path);
    if let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        let _ = std::fs::create_dir_all(parent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_column_count_matches_the_column_list() {
        assert_eq!(COLUMNS.split(',').count(), COLUMN_COUNT);
    }

    /// SQLite's plan for `sql`, one step a line.
    async fn plan(store: &Store, sql: &str) -> String {
        let steps: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(&format!("EXPLAIN QUERY PLAN {sql}")).fetch_all(&store.pool).await.unwrap();
        steps.into_iter().map(|(_, _, _, step)| step).collect::<Vec<_>>().join("\n")
    }

    #[tokio::test]
    async fn sqlite_reads_every_page_as_a_range_of_the_row_id() {
        let folder = tempfile::tempdir().unwrap();
        let store = Store::open(&format!("sqlite:{}?mode=rwc", folder.path().join("log.db").display())).await.unwrap();
        for sql in [rows_after_sql(), rows_between_sql()] {
            let plan = plan(&store, &sql).await;
            assert!(plan.contains("USING INTEGER PRIMARY KEY (rowid>?"), "{sql}\n{plan}");
            assert!(!plan.contains("TEMP B-TREE"), "pages come in key order, unsorted: {plan}");
        }
    }
}
