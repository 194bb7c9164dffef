//! Checks the whole log: in every chain each row's hash, each link to the row before it and
//! no gaps, from where the chain's latest purge checkpoint says it starts; and that every row a
//! checkpoint names is still there, unchanged. Rows are read in pages by key, with the
//! checkpoints beside them in the order of the rows they name, so time grows with the log and
//! memory does not; all in one read transaction, so that servers appending, checkpointing and
//! purging meanwhile cannot make the log look broken.

use super::{Backend, CHECKPOINT_COLUMNS, GENESIS_HASH, Row, Store, rows_after_sql};
use crate::log::chains::{chain_of, origin};
use crate::log::checkpoint::{self, Checkpoint};
use sqlx::{Any, Executor, Transaction};
use std::collections::{HashMap, VecDeque};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The log is whole: how many rows were checked.
    Intact { rows: u64 },
    /// The first row (by sequence number) that does not check out, and why.
    Broken { seq: i64, record_id: String, reason: String },
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Intact { rows } => write!(f, "chain intact: {rows} rows verified"),
            Verdict::Broken { seq, record_id, reason } => {
                write!(f, "chain broken at row {seq} (record {record_id}): {reason}")
            }
        }
    }
}

/// Rows, and checkpoints, read per query.
const PAGE_ROWS: i64 = 1000;

/// Walks the log in pages. `authentic` tells whether a checkpoint's signature is good.
pub async fn verify(store: &Store, authentic: impl Fn(&Checkpoint) -> bool) -> Result<Verdict, sqlx::Error> {
    let mut snapshot = Snapshot::begin(store).await?;
    let mut starts: HashMap<i64, Checkpoint> = HashMap::new();
    for purge in snapshot.purge_checkpoints().await? {
        if !authentic(&purge) {
            return Ok(forged(&purge));
        }
        let chain = chain_of(purge.through_seq);
        if starts.get(&chain).is_none_or(|start| start.through_seq < purge.through_seq) {
            starts.insert(chain, purge);
        }
    }
    if let Some((set_id, stored, size)) = snapshot.incomplete_checkpoint().await? {
        return Ok(Verdict::Broken {
            seq: 0,
            record_id: "(checkpoint)".to_string(),
            reason: format!(
                "a checkpoint names the last rows of {size} chains, but {stored} of its rows are stored \
                 (set {set_id}): checkpoint rows were deleted"
            ),
        });
    }
    let mut walk = Walk { starts, named: Named::new(snapshot), chain: None, rows: 0 };
    let mut after = 0;
    loop {
        // One page at a time, by key: time and memory stay flat however long the log is.
        let page = walk.named.snapshot.rows_after(after, PAGE_ROWS).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for row in page {
            if let Some(broken) = walk.row(&row, &authentic).await? {
                return Ok(broken);
            }
        }
    }
    if let Some(broken) = walk.end(&authentic).await? {
        return Ok(broken);
    }
    Ok(Verdict::Intact { rows: walk.rows })
}

/// The log as it stood when `verify` began: one read-only transaction (a repeatable read on
/// PostgreSQL; SQLite's WAL keeps a reader's view as it was at its first read).
struct Snapshot {
    transaction: Transaction<'static, Any>,
}

impl Snapshot {
    async fn begin(store: &Store) -> Result<Snapshot, sqlx::Error> {
        let mut transaction = store.pool.begin().await?;
        if store.backend == Backend::Postgres {
            transaction.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").await?;
        }
        Ok(Snapshot { transaction })
    }

    async fn purge_checkpoints(&mut self) -> Result<Vec<Checkpoint>, sqlx::Error> {
        sqlx::query_as(&format!("SELECT {CHECKPOINT_COLUMNS} FROM chain_checkpoints WHERE kind = $1 ORDER BY id"))
            .bind(checkpoint::PURGE)
            .fetch_all(&mut *self.transaction)
            .await
    }

    /// A checkpoint some of whose rows are gone: its set id, how many rows it has and should have.
    async fn incomplete_checkpoint(&mut self) -> Result<Option<(String, i64, i64)>, sqlx::Error> {
        sqlx::query_as(
            "SELECT set_id, COUNT(*), MAX(set_size) FROM chain_checkpoints WHERE set_id <> '' \
             GROUP BY set_id HAVING COUNT(*) <> MAX(set_size) OR MIN(set_size) <> MAX(set_size) LIMIT 1",
        )
        .fetch_optional(&mut *self.transaction)
        .await
    }

    async fn rows_after(&mut self, after_seq: i64, limit: i64) -> Result<Vec<Row>, sqlx::Error> {
        sqlx::query_as(&rows_after_sql()).bind(after_seq).bind(limit).fetch_all(&mut *self.transaction).await
    }

    /// Up to `limit` checkpoints that name rows (all but purge checkpoints), after the one at
    /// `(after_seq, after_id)` in the order of the rows they name.
    async fn named_after(&mut self, after_seq: i64, after_id: i64, limit: i64) -> Result<Vec<Checkpoint>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {CHECKPOINT_COLUMNS} FROM chain_checkpoints \
             WHERE kind <> $1 AND (through_seq > $2 OR (through_seq = $2 AND id > $3)) \
             ORDER BY through_seq, id LIMIT $4"
        ))
        .bind(checkpoint::PURGE)
        .bind(after_seq)
        .bind(after_id)
        .bind(limit)
        .fetch_all(&mut *self.transaction)
        .await
    }
}

fn forged(checkpoint: &Checkpoint) -> Verdict {
    Verdict::Broken {
        seq: checkpoint.through_seq,
        record_id: format!("({} checkpoint)", checkpoint.kind),
        reason: "the checkpoint's signature does not match".to_string(),
    }
}

/// The chain being walked.
struct Chain {
    chain: i64,
    /// The `seq` before its first row: its purge checkpoint's, or its origin.
    start: i64,
    /// The last row seen (`start` before any).
    last: i64,
    prev_hash: String,
    /// The latest checkpoint found to match a row of this chain.
    matched: Option<Checkpoint>,
}

struct Walk {
    starts: HashMap<i64, Checkpoint>,
    named: Named,
    chain: Option<Chain>,
    rows: u64,
}

impl Walk {
    /// A chain before any of its rows.
    fn start(&self, chain: i64) -> Chain {
        let (start, prev_hash) = match self.starts.get(&chain) {
            Some(purge) => (purge.through_seq, purge.through_hash.clone()),
            None => (origin(chain), GENESIS_HASH.to_string()),
        };
        Chain { chain, start, last: start, prev_hash, matched: None }
    }

    /// Checks `row`, the next one by `seq`.
    async fn row(
        &mut self,
        row: &Row,
        authentic: &impl Fn(&Checkpoint) -> bool,
    ) -> Result<Option<Verdict>, sqlx::Error> {
        let chain = chain_of(row.seq);
        if self.chain.as_ref().is_none_or(|current| current.chain != chain) {
            if let Some(broken) = self.finish_chains_before(origin(chain), authentic).await? {
                return Ok(Some(broken));
            }
            self.chain = Some(self.start(chain));
        }
        let Some(current) = self.chain.as_mut() else { return Ok(None) };
        let broken = |reason: String| Some(Verdict::Broken { seq: row.seq, record_id: row.record_id.clone(), reason });
        if row.seq != current.last + 1 {
            return Ok(broken(format!("expected row {} next: rows are missing", current.last + 1)));
        }
        if row.prev_hash != current.prev_hash {
            return Ok(broken("its link to the previous row does not match".to_string()));
        }
        if row.compute_hash() != row.hash {
            return Ok(broken("its content does not match its hash".to_string()));
        }
        while let Some(named) = self.named.next_before(row.seq + 1).await? {
            if !authentic(&named) {
                return Ok(Some(forged(&named)));
            }
            // Purged rows are gone by right; and no checkpoint can name a row between the
            // chain's start and this one without having been met at that row.
            if named.through_seq <= current.start || named.through_seq < row.seq {
                continue;
            }
            if named.through_hash != row.hash {
                return Ok(broken(rewritten(current, row.seq, &named)));
            }
            current.matched = Some(named);
        }
        current.last = row.seq;
        current.prev_hash.clone_from(&row.hash);
        self.rows += 1;
        Ok(None)
    }

    /// After the last row: the checkpoints left name rows past the end of their chains.
    async fn end(&mut self, authentic: &impl Fn(&Checkpoint) -> bool) -> Result<Option<Verdict>, sqlx::Error> {
        self.finish_chains_before(i64::MAX, authentic).await
    }

    /// Ends the chain being walked and every chain without rows before the row `seq`: a
    /// checkpoint that names a row past a chain's end means rows were taken off that end.
    async fn finish_chains_before(
        &mut self,
        seq: i64,
        authentic: &impl Fn(&Checkpoint) -> bool,
    ) -> Result<Option<Verdict>, sqlx::Error> {
        while let Some(named) = self.named.next_before(seq).await? {
            if !authentic(&named) {
                return Ok(Some(forged(&named)));
            }
            let named_chain = chain_of(named.through_seq);
            let ended = match self.chain.take() {
                Some(current) if current.chain == named_chain => current,
                _ => self.start(named_chain),
            };
            let broken = (named.through_seq > ended.last).then(|| truncated(&ended, &named));
            self.chain = Some(ended);
            if broken.is_some() {
                return Ok(broken);
            }
        }
        Ok(None)
    }
}

/// Why a row that a checkpoint names with another hash fails: where the change can lie.
fn rewritten(chain: &Chain, seq: i64, named: &Checkpoint) -> String {
    let from = match &chain.matched {
        Some(matched) => format!(
            "row {} still matches {}, so the change is in rows {} to {seq}",
            matched.through_seq,
            matched.describe(),
            matched.through_seq + 1
        ),
        None => format!("the change is in rows {} to {seq}", chain.start + 1),
    };
    format!(
        "it is not the row {} names: it or a row before it was changed and the hashes after it recomputed; {from}",
        named.describe()
    )
}

/// Why a checkpoint that names a row past the end of its chain fails.
fn truncated(chain: &Chain, named: &Checkpoint) -> Verdict {
    let ends = if chain.last > chain.start {
        format!("chain {} ends at row {}", chain.chain, chain.last)
    } else {
        format!("chain {} has no rows left", chain.chain)
    };
    Verdict::Broken {
        seq: named.through_seq,
        record_id: format!("({} checkpoint)", named.kind),
        reason: format!(
            "{ends}, but {} names row {}: rows are missing from its end",
            named.describe(),
            named.through_seq
        ),
    }
}

/// The checkpoints that name rows, in the order of those rows, read a page at a time.
struct Named {
    snapshot: Snapshot,
    page: VecDeque<Checkpoint>,
    /// The last checkpoint read: `(through_seq, id)`.
    after: (i64, i64),
    done: bool,
}

impl Named {
    fn new(snapshot: Snapshot) -> Named {
        Named { snapshot, page: VecDeque::new(), after: (i64::MIN, 0), done: false }
    }

    /// The next checkpoint if it names a row before `seq`.
    async fn next_before(&mut self, seq: i64) -> Result<Option<Checkpoint>, sqlx::Error> {
        if self.page.is_empty() && !self.done {
            let page = self.snapshot.named_after(self.after.0, self.after.1, PAGE_ROWS).await?;
            self.done = (page.len() as i64) < PAGE_ROWS;
            if let Some(last) = page.last() {
                self.after = (last.through_seq, last.id);
            }
            self.page.extend(page);
        }
        if self.page.front().is_some_and(|named| named.through_seq < seq) {
            Ok(self.page.pop_front())
        } else {
            Ok(None)
        }
    }
}
