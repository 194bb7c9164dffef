//! Checks the whole log: in every chain each row's hash, each link to the row before it and
//! no gaps, from where the chain's latest purge checkpoint says it starts; and that every row a
//! checkpoint names is still there, unchanged. Rows are read in pages by key, with the
//! checkpoints beside them in the order of the rows they name, so time grows with the log and
//! memory does not.

use super::{GENESIS_HASH, Row, Store};
use crate::chains::{chain_of, origin};
use crate::checkpoint::{self, Checkpoint};
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
    let mut starts: HashMap<i64, Checkpoint> = HashMap::new();
    for purge in store.checkpoints(checkpoint::PURGE).await? {
        if !authentic(&purge) {
            return Ok(forged(&purge));
        }
        let chain = chain_of(purge.through_seq);
        if starts.get(&chain).is_none_or(|start| start.through_seq < purge.through_seq) {
            starts.insert(chain, purge);
        }
    }
    if let Some((set_id, stored, size)) = store.incomplete_checkpoint().await? {
        return Ok(Verdict::Broken {
            seq: 0,
            record_id: "(checkpoint)".to_string(),
            reason: format!(
                "a checkpoint names the last rows of {size} chains, but {stored} of its rows are stored \
                 (set {set_id}): checkpoint rows were deleted"
            ),
        });
    }
    let mut walk = Walk { starts, named: Named::new(store), chain: None, rows: 0 };
    let mut after = 0;
    loop {
        // One page at a time, by key: time and memory stay flat however long the log is.
        let page = store.rows_after(after, PAGE_ROWS).await?;
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

struct Walk<'a> {
    starts: HashMap<i64, Checkpoint>,
    named: Named<'a>,
    chain: Option<Chain>,
    rows: u64,
}

impl Walk<'_> {
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
struct Named<'a> {
    store: &'a Store,
    page: VecDeque<Checkpoint>,
    /// The last checkpoint read: `(through_seq, id)`.
    after: (i64, i64),
    done: bool,
}

impl<'a> Named<'a> {
    fn new(store: &'a Store) -> Named<'a> {
        Named { store, page: VecDeque::new(), after: (i64::MIN, 0), done: false }
    }

    /// The next checkpoint if it names a row before `seq`.
    async fn next_before(&mut self, seq: i64) -> Result<Option<Checkpoint>, sqlx::Error> {
        if self.page.is_empty() && !self.done {
            let page = self.store.named_rows_after(self.after.0, self.after.1, PAGE_ROWS).await?;
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
