//! The proof-of-consent log in SQL: SQLite by default, PostgreSQL when the URL says so.
//! All SQL of the server lives in this module.

mod chains;
pub mod daily;
mod row;
pub mod scans;
mod texts;
pub mod verify;

pub use crate::log::chains::Tail;
pub use crate::log::checkpoint::Checkpoint;
pub use chains::Acquired;
use futures_util::future::BoxFuture;
pub use row::{GENESIS_HASH, Row};

use crate::log::chains::{CHAIN_SPAN, origin};
use crate::log::checkpoint;
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

    /// Every checkpoint of `kind`, oldest first.
    pub async fn checkpoints(&self, kind: &str) -> Result<Vec<Checkpoint>, sqlx::Error> {
        sqlx::query_as(&format!("SELECT {CHECKPOINT_COLUMNS} FROM chain_checkpoints WHERE kind = $1 ORDER BY id"))
            .bind(kind)
            .fetch_all(&self.pool)
            .await
    }

    /// Stores `checkpoints` (the rows of one checkpoint), all or none.
    pub async fn add_checkpoints(&self, checkpoints: &[Checkpoint]) -> Result<(), sqlx::Error> {
        let mut transaction = self.pool.begin().await?;
        self.lock_checkpoints(&mut transaction).await?;
        for checkpoint in checkpoints {
            insert_checkpoint(&mut transaction, checkpoint).await?;
        }
        transaction.commit().await
    }

    /// Makes the transaction on `connection` the only one writing checkpoints until it ends:
    /// their ids are numbered in order, and several servers may write at once. (SQLite has a
    /// single writer already.)
    async fn lock_checkpoints(&self, connection: &mut AnyConnection) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Postgres {
            connection.execute("LOCK TABLE chain_checkpoints IN EXCLUSIVE MODE").await?;
        }
        Ok(())
    }

    /// The rows of the latest checkpoint that names chain heads (see [`checkpoint::Checkpoints`]).
    pub async fn latest_checkpoint_set(&self) -> Result<Vec<Checkpoint>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {CHECKPOINT_COLUMNS} FROM chain_checkpoints WHERE set_id = \
             (SELECT set_id FROM chain_checkpoints WHERE set_id <> '' ORDER BY id DESC LIMIT 1) ORDER BY through_seq"
        ))
        .fetch_all(&self.pool)
        .await
    }

    /// The checkpoint row of set `set_id` that names `seq`, if the database holds it.
    pub async fn find_checkpoint(&self, set_id: &str, seq: i64) -> Result<Option<Checkpoint>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {CHECKPOINT_COLUMNS} FROM chain_checkpoints WHERE set_id = $1 AND through_seq = $2"
        ))
        .bind(set_id)
        .bind(seq)
        .fetch_optional(&self.pool)
        .await
    }

    pub async fn find(&self, record_id: &str) -> Result<Option<Row>, sqlx::Error> {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM consent_records WHERE record_id = $1"))
            .bind(record_id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Every record of one consent id, oldest first (its records may be in different chains).
    pub async fn history(&self, consent_id: &str) -> Result<Vec<Row>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM consent_records WHERE consent_id = $1 ORDER BY received_at, seq LIMIT 500"
        ))
        .bind(consent_id)
        .fetch_all(&self.pool)
        .await
    }

    /// Up to `limit` rows after `after_seq`, in chain order: one range of the table's key, so
    /// each page costs the same wherever it starts.
    pub async fn rows_after(&self, after_seq: i64, limit: i64) -> Result<Vec<Row>, sqlx::Error> {
        sqlx::query_as(&rows_after_sql()).bind(after_seq).bind(limit).fetch_all(&self.pool).await
    }

    /// For each chain with rows received in `[from, to)`, the first and last sequence numbers
    /// of those rows, read from the time index; in chain order.
    pub async fn seq_ranges(&self, from: i64, to: i64) -> Result<Vec<(i64, i64)>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT MIN(seq), MAX(seq) FROM consent_records WHERE received_at >= $1 AND received_at < $2 \
             GROUP BY seq / {CHAIN_SPAN} ORDER BY MIN(seq)"
        ))
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
    }

    /// Up to `limit` rows received in `[from, to)` with a sequence number in `(after_seq,
    /// through_seq]`, in chain order: a range of the table's key (see [`Store::seq_ranges`]),
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

    /// Whether the database answers at all.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
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

    /// Deletes rows received before `cutoff` and records where each chain now starts, in
    /// checkpoints signed with `key` so nobody can move them unnoticed. The checkpoints that
    /// name only purged rows go too.
    pub async fn purge_before(&self, cutoff: i64, now: i64, key: Option<&str>) -> Result<u64, sqlx::Error> {
        let mut transaction = self.pool.begin().await?;
        self.lock_checkpoints(&mut transaction).await?;
        // A checkpoint names rows received before it was written: one older than the cutoff
        // names only rows purged now or before. (Written first: see [`insert_checkpoint`].)
        sqlx::query("DELETE FROM chain_checkpoints WHERE kind <> $1 AND created_at < $2")
            .bind(checkpoint::PURGE)
            .bind(cutoff)
            .execute(&mut *transaction)
            .await?;
        // The newest purged row of each chain, found in the time index rather than by walking
        // back from each chain's end.
        let lasts: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT seq, hash FROM consent_records WHERE seq IN \
             (SELECT MAX(seq) FROM consent_records WHERE received_at < $1 GROUP BY seq / {CHAIN_SPAN}) ORDER BY seq"
        ))
        .bind(cutoff)
        .fetch_all(&mut *transaction)
        .await?;
        let mut purged = 0;
        for (through_seq, through_hash) in lasts {
            let chain_origin = origin(crate::log::chains::chain_of(through_seq));
            purged += sqlx::query("DELETE FROM consent_records WHERE seq > $1 AND seq <= $2")
                .bind(chain_origin)
                .bind(through_seq)
                .execute(&mut *transaction)
                .await?
                .rows_affected();
            // Only the chain's latest start matters; the earlier ones name rows long gone.
            sqlx::query("DELETE FROM chain_checkpoints WHERE kind = $1 AND through_seq > $2 AND through_seq < $3")
                .bind(checkpoint::PURGE)
                .bind(chain_origin)
                .bind(through_seq)
                .execute(&mut *transaction)
                .await?;
            let checkpoint = Checkpoint::new(checkpoint::PURGE, through_seq, &through_hash, now, key);
            insert_checkpoint(&mut transaction, &checkpoint).await?;
        }
        transaction.commit().await?;
        Ok(purged)
    }
}

pub(crate) fn rows_after_sql() -> String {
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

/// A checkpoint's columns as read; it is written with all but `id` (see [`insert_checkpoint`]).
pub(crate) const CHECKPOINT_COLUMNS: &str =
    "id, kind, through_seq, through_hash, created_at, signature, set_id, set_size";

/// Inserts `checkpoint` with the next id, in a transaction that holds the checkpoint lock
/// (see [`Store::lock_checkpoints`]). One statement, so that on SQLite the transaction's first
/// statement writes: one that read first could not take the write lock while the writer holds
/// it, and would fail at once instead of waiting.
async fn insert_checkpoint(connection: &mut AnyConnection, checkpoint: &Checkpoint) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO chain_checkpoints (id, kind, through_seq, through_hash, created_at, signature, set_id, set_size) \
         SELECT COALESCE(MAX(id), 0) + 1, $1, $2, $3, $4, $5, $6, $7 FROM chain_checkpoints",
    )
    .bind(&checkpoint.kind)
    .bind(checkpoint.through_seq)
    .bind(&checkpoint.through_hash)
    .bind(checkpoint.created_at)
    .bind(&checkpoint.signature)
    .bind(&checkpoint.set_id)
    .bind(checkpoint.set_size)
    .execute(connection)
    .await
    .map(|_| ())
}

/// Whether `error` is a unique key refusing a row.
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    error.as_database_error().is_some_and(|error| error.is_unique_violation())
}

/// Which unique key of `consent_records` refused a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// Another row holds this record id: a replay.
    RecordId,
    /// Another row holds this place in the chain: someone else appended to it.
    Seq,
}

/// What `error` says was taken, when it is a unique key of `consent_records` refusing a row.
/// PostgreSQL names the constraint; SQLite names the column in its message.
pub fn taken(error: &sqlx::Error) -> Option<Taken> {
    let error = error.as_database_error().filter(|error| error.is_unique_violation())?;
    let said = format!("{} {}", error.constraint().unwrap_or_default(), error.message());
    if said.contains("record_id") {
        Some(Taken::RecordId)
    } else if said.contains("pkey") || said.contains("consent_records.seq") {
        Some(Taken::Seq)
    } else {
        None
    }
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
