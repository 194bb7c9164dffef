//! The single writer of this server: it appends the server's records to a chain of its own.
//! Requests queue here; each batch is chained after the chain's last row and committed in one
//! statement, and only then is anyone answered, so an acknowledged record is a durable record.
//!
//! The chain is held by a lease in the database, renewed between batches, so that other
//! servers on the same database append to chains of their own and nobody waits for anybody.
//! The lease is not what keeps chains whole: a row's `seq` is its place in its chain and the
//! table's key, so two writers that both believed they held a chain could never both append
//! after the same row; the one refused finds where the chain now ends, or another chain.

use crate::chains::{self, Lease};
use crate::store::{Row, Store, Tail, Taken};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use tokio::time::MissedTickBehavior;

/// How many queued records one commit takes at most: what one insert statement holds.
const MAX_BATCH: usize = crate::store::MAX_ROWS_PER_INSERT;

/// How often a batch is tried again after someone else appended to this server's chain.
const MAX_ATTEMPTS: usize = 4;

/// What the writer answers: the stored row, and whether this call stored it.
#[derive(Debug, Clone)]
pub struct Appended {
    pub row: Arc<Row>,
    pub created: bool,
}

/// Why a record was not stored. Either way the client may send it again: a record id names
/// one decision, so a retry never stores it twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriterError {
    /// The batch holding the record could not be committed.
    Unavailable,
    /// The writer has stopped (the server is shutting down).
    Stopped,
}

impl std::fmt::Display for WriterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            WriterError::Unavailable => "the database is unavailable",
            WriterError::Stopped => "the writer has stopped",
        })
    }
}

impl std::error::Error for WriterError {}

struct Job {
    draft: Row,
    reply: oneshot::Sender<Result<Appended, WriterError>>,
}

// Nearly every message is an append: boxing it would cost an allocation per record to make
// the one close smaller.
#[allow(clippy::large_enum_variant)]
enum Message {
    Append(Job),
    /// Store what was queued before this, give the chain up, answer, and stop.
    Close(oneshot::Sender<()>),
}

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Message>,
    /// This server's name in the `chains` table.
    pub holder: Arc<str>,
}

/// The chain this writer appends to, and where it ends.
struct Held {
    chain: i64,
    tail: Tail,
}

/// What the writer keeps between batches.
struct State {
    store: Store,
    holder: Arc<str>,
    lease: Lease,
    held: Option<Held>,
    /// Whether the held chain's end must be read again: after an error, the last batch may
    /// have been stored or not.
    unsure: bool,
    // The writer keeps one connection for itself, sparing a pool hand-off per batch; after an
    // error it takes a fresh one.
    connection: Option<PoolConnection<Any>>,
}

impl Writer {
    /// Leases a chain for `holder` and starts appending to it.
    pub async fn start(store: Store, holder: String, lease: Lease) -> Result<Writer, sqlx::Error> {
        let holder: Arc<str> = holder.into();
        let mut state = State { store, holder: holder.clone(), lease, held: None, unsure: false, connection: None };
        state.acquire().await?;
        let (jobs, queue) = mpsc::channel(4096);
        tokio::spawn(run(state, queue));
        Ok(Writer { jobs, holder })
    }

    /// Appends the row `draft` (see [`Row::draft`]), or returns the row already stored under
    /// its record id.
    pub async fn append(&self, draft: Row) -> Result<Appended, WriterError> {
        let (reply, answer) = oneshot::channel();
        self.jobs.send(Message::Append(Job { draft, reply })).await.map_err(|_| WriterError::Stopped)?;
        answer.await.map_err(|_| WriterError::Stopped)?
    }

    /// Stores everything queued so far, gives the chain up for another server to take over,
    /// then stops: later appends are refused.
    pub async fn close(&self) -> Result<(), WriterError> {
        let (done, stored) = oneshot::channel();
        self.jobs.send(Message::Close(done)).await.map_err(|_| WriterError::Stopped)?;
        stored.await.map_err(|_| WriterError::Stopped)
    }
}

async fn run(mut state: State, mut queue: mpsc::Receiver<Message>) {
    let mut renewal = tokio::time::interval(state.lease.renew_every());
    renewal.set_missed_tick_behavior(MissedTickBehavior::Delay);
    renewal.tick().await;
    let mut last_batch = 0;
    loop {
        let first = tokio::select! {
            message = queue.recv() => match message {
                Some(message) => message,
                None => return,
            },
            _ = renewal.tick() => {
                state.renew().await;
                continue;
            }
        };
        let (batch, closing) = collect(first, &mut queue, last_batch).await;
        last_batch = batch.len();
        if !batch.is_empty() {
            state.store_batch(batch).await;
        }
        if let Some(done) = closing {
            state.release().await;
            let _ = done.send(());
            return;
        }
    }
}

/// How often the writer lets the server's other tasks run while its batch is smaller than the
/// last one.
const MAX_YIELDS: usize = 8;

/// The batch that starts with `first`: every append queued, up to [`MAX_BATCH`], and the close
/// request if one came. While the batch is smaller than the last one (`last_batch`), the writer
/// first lets the requests already running on this server reach the queue: under load, records
/// come back in the same waves as they were answered, and a batch that waits for the rest of
/// its wave saves a commit or more, for nothing but a few task switches. Once idle, a batch of
/// one is a batch of one.
async fn collect(
    first: Message,
    queue: &mut mpsc::Receiver<Message>,
    last_batch: usize,
) -> (Vec<Job>, Option<oneshot::Sender<()>>) {
    let mut batch = Vec::new();
    let mut yields = 0;
    let mut next = Some(first);
    while let Some(message) = next.take() {
        match message {
            Message::Append(job) => batch.push(job),
            Message::Close(done) => return (batch, Some(done)),
        }
        if batch.len() >= MAX_BATCH {
            break;
        }
        next = queue.try_recv().ok();
        while next.is_none() && batch.len() < last_batch && yields < MAX_YIELDS {
            yields += 1;
            tokio::task::yield_now().await;
            next = queue.try_recv().ok();
        }
    }
    (batch, None)
}

/// Why a batch was not stored.
enum Failure {
    /// Someone else appended to this server's chain.
    ChainMoved,
    Database(sqlx::Error),
}

impl From<sqlx::Error> for Failure {
    fn from(error: sqlx::Error) -> Failure {
        Failure::Database(error)
    }
}

impl State {
    /// Leases a chain: the lowest one nobody holds, else a new one.
    async fn acquire(&mut self) -> Result<&mut Held, sqlx::Error> {
        let acquired = self.store.acquire_chain(&self.holder, self.lease.length).await?;
        let chain = acquired.chain;
        if acquired.tail.seq > chains::origin(chain) {
            tracing::info!(
                chain,
                seq = acquired.tail.seq,
                "appending to chain {chain}, after its row {}",
                acquired.tail.seq
            );
        } else {
            tracing::info!(chain, "appending to chain {chain}, new");
        }
        Ok(self.held.insert(Held { chain, tail: acquired.tail }))
    }

    /// Renews the lease. A server that lost it (it could not renew in time, and another took
    /// the chain over) leases another chain before its next batch.
    async fn renew(&mut self) {
        let Some(held) = &self.held else { return };
        match self.store.renew_chain(held.chain, &self.holder, self.lease.length).await {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(chain = held.chain, "the lease on chain {} lapsed and was taken over", held.chain);
                self.held = None;
            }
            Err(error) => crate::logs::error("could not renew the lease on this server's chain", &error),
        }
    }

    /// Gives the chain up, as a server does when it stops.
    async fn release(&mut self) {
        if let Some(held) = self.held.take()
            && let Err(error) = self.store.release_chain(held.chain, &self.holder).await
        {
            crate::logs::error("could not give up this server's chain", &error);
        }
    }

    /// Chains and stores one batch, and answers each of its jobs.
    async fn store_batch(&mut self, batch: Vec<Job>) {
        let (mut rows, replies): (Vec<Row>, Vec<_>) = batch.into_iter().map(|job| (job.draft, job.reply)).unzip();
        match self.append(&mut rows).await {
            Ok(places) => {
                for (reply, answer) in replies.into_iter().zip(answers(rows, places)) {
                    let _ = reply.send(Ok(answer));
                }
            }
            Err(error) => {
                crate::logs::error("could not store a batch of records", &error);
                self.connection = None;
                self.unsure = true;
                for reply in replies {
                    let _ = reply.send(Err(WriterError::Unavailable));
                }
            }
        }
    }

    /// Appends the new rows of `rows` to this server's chain; where each row ended up.
    async fn append(&mut self, rows: &mut [Row]) -> Result<Vec<Place>, sqlx::Error> {
        for _ in 0..MAX_ATTEMPTS {
            let (chain, tail) = self.room_for(rows.len()).await?;
            let connection = match &mut self.connection {
                Some(connection) => connection,
                None => self.connection.insert(self.store.pool.acquire().await?),
            };
            match append_batch(&self.store, connection, &tail, rows).await {
                Ok((new_tail, places)) => {
                    if let Some(held) = &mut self.held {
                        held.tail = new_tail;
                    }
                    return Ok(places);
                }
                Err(Failure::ChainMoved) => self.reread(chain).await?,
                Err(Failure::Database(error)) => return Err(error),
            }
        }
        Err(sqlx::Error::Protocol("other writers kept appending to this server's chain".into()))
    }

    /// The chain to append `count` rows to, and where it ends: the one held, unless it has no
    /// room left (then it is retired and another leased).
    async fn room_for(&mut self, count: usize) -> Result<(i64, Tail), sqlx::Error> {
        if self.unsure
            && let Some(held) = &self.held
        {
            self.reread(held.chain).await?;
        }
        self.unsure = false;
        if let Some(held) = &self.held
            && held.tail.seq + count as i64 > chains::last_seq(held.chain)
        {
            tracing::info!(chain = held.chain, "chain {} is full: retired", held.chain);
            self.store.retire_chain(held.chain, &self.holder).await?;
            self.held = None;
        }
        let held = match &mut self.held {
            Some(held) => held,
            None => self.acquire().await?,
        };
        Ok((held.chain, held.tail.clone()))
    }

    /// Reads where `chain` ends, after an error or after someone else appended to it: while
    /// the lease is still this server's, it continues after that end; once it is not, the
    /// server leases another chain.
    async fn reread(&mut self, chain: i64) -> Result<(), sqlx::Error> {
        if self.store.renew_chain(chain, &self.holder, self.lease.length).await? {
            let tail = self.store.head(chain).await?;
            if self.held.as_ref().is_some_and(|held| held.tail != tail) {
                tracing::info!(chain, seq = tail.seq, "chain {chain} continues after row {}", tail.seq);
            }
            self.held = Some(Held { chain, tail });
        } else {
            tracing::warn!(chain, "chain {chain} was taken over by another server");
            self.held = None;
        }
        Ok(())
    }
}

/// Where a batch's row ends up.
enum Place {
    /// Appended to the chain by this batch.
    New,
    /// A record id sent earlier in the same batch: answered with that row.
    SameAs(usize),
    /// Already stored: answered with the stored row.
    Stored(Box<Row>),
}

/// Chains the new rows of a batch after `tail` and stores them; replays get their original row.
///
/// Replays are rare (an outbox retry whose first delivery did arrive), so the batch is first
/// stored as if every record were new, without a lookup; only when the database reports a
/// duplicate record id are the stored rows looked up and the batch chained again without them.
/// A duplicate `seq` is another matter: someone else appended to the chain.
async fn append_batch(
    store: &Store,
    connection: &mut AnyConnection,
    tail: &Tail,
    rows: &mut [Row],
) -> Result<(Tail, Vec<Place>), Failure> {
    let mut stored: HashMap<String, Row> = HashMap::new();
    // Each refusal means that a record of the batch not known to be stored was stored by then
    // (by another server, when a replay reaches several at once), so the lookup after it finds
    // at least that one more: there are at most as many rounds as records in the batch. Under
    // load, servers storing the same replays can take each other's place a few times in a row.
    loop {
        let (new_tail, places) = chain(tail, rows, &stored);
        match store.insert_all(connection, &new_rows(rows, &places)).await {
            Ok(()) => return Ok((new_tail, places)),
            Err(error) => match crate::store::taken(&error) {
                Some(Taken::RecordId) => {}
                Some(Taken::Seq) => return Err(Failure::ChainMoved),
                None => return Err(error.into()),
            },
        }
        let ids: Vec<String> = rows.iter().map(|row| row.record_id.clone()).collect();
        let found: HashMap<String, Row> =
            store.find_all(&ids).await?.into_iter().map(|row| (row.record_id.clone(), row)).collect();
        if !found.keys().any(|id| !stored.contains_key(id)) {
            let refused = "a record id was refused as stored, but no stored record of the batch was found";
            return Err(Failure::Database(sqlx::Error::Protocol(refused.into())));
        }
        stored = found;
    }
}

/// Numbers, links and hashes the rows not in `stored` after `tail`, and says where each row of
/// the batch ends up. A record id sent twice in one batch is stored once.
fn chain(tail: &Tail, rows: &mut [Row], stored: &HashMap<String, Row>) -> (Tail, Vec<Place>) {
    let mut tail = tail.clone();
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    let mut places = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter_mut().enumerate() {
        if let Some(first) = first_seen.get(&row.record_id) {
            places.push(Place::SameAs(*first));
            continue;
        }
        if let Some(original) = stored.get(&row.record_id) {
            places.push(Place::Stored(Box::new(original.clone())));
            continue;
        }
        row.link(tail.seq + 1, &tail.hash);
        tail = Tail { seq: row.seq, hash: row.hash.clone() };
        first_seen.insert(row.record_id.clone(), index);
        places.push(Place::New);
    }
    (tail, places)
}

fn new_rows<'a>(rows: &'a [Row], places: &[Place]) -> Vec<&'a Row> {
    rows.iter().zip(places).filter(|(_, place)| matches!(place, Place::New)).map(|(row, _)| row).collect()
}

/// Each job's answer, in batch order.
fn answers(rows: Vec<Row>, places: Vec<Place>) -> Vec<Appended> {
    let rows: Vec<Arc<Row>> = rows.into_iter().map(Arc::new).collect();
    places
        .into_iter()
        .zip(&rows)
        .map(|(place, row)| match place {
            Place::New => Appended { row: row.clone(), created: true },
            Place::SameAs(first) => Appended { row: rows[first].clone(), created: false },
            Place::Stored(original) => Appended { row: Arc::new(*original), created: false },
        })
        .collect()
}
