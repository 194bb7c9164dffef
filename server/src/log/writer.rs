//! The single writer of this server: it appends the server's records to a chain of its own.
//! Requests queue here; each batch is chained after the chain's last row and committed in one
//! statement, and only then is anyone answered, so an acknowledged record is a durable record.
//!
//! The chain is held by a lease in the database, renewed between batches, so that other
//! servers on the same database append to chains of their own and nobody waits for anybody.
//! The lease is not what keeps chains whole: a row's `seq` is its place in its chain and the
//! table's key, so two writers that both believed they held a chain could never both append
//! after the same row; the one refused finds where the chain now ends, or another chain.

use crate::log::chains::{self, Lease};
use crate::store::{Row, Store, Tail, Taken};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection};
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, MissedTickBehavior};

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
    let mut waves = Waves::default();
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
        let (batch, closing) = collect(first, &mut queue, waves.expected()).await;
        waves.saw(batch.len());
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

/// How long a batch waits, at most, for the rest of its wave (see [`collect`]). Tokio's timers
/// tick every millisecond, so the wait ends within the next tick or two.
const LINGER: Duration = Duration::from_millis(1);

/// The batch size past which waiting no longer pays: a statement's fixed cost is then a small
/// share of each record's.
const WORTH_WAITING_BELOW: usize = 32;

/// How many recent batches tell the size of a wave.
const WAVE_MEMORY: usize = 4;

/// The sizes of the last few batches: what the next wave will likely bring.
#[derive(Default)]
struct Waves {
    recent: VecDeque<usize>,
}

impl Waves {
    /// How many records the next batch can expect: the largest of the recent batches.
    fn expected(&self) -> usize {
        self.recent.iter().copied().max().unwrap_or(0)
    }

    fn saw(&mut self, batch: usize) {
        if self.recent.len() == WAVE_MEMORY {
            self.recent.pop_front();
        }
        self.recent.push_back(batch);
    }
}

/// The batch that starts with `first`: every append queued, up to [`MAX_BATCH`], and the close
/// request if one came. Under load, clients come back in waves: those answered by one commit
/// send their next records together. While the batch is smaller than the recent ones
/// (`expected`), the writer waits up to [`LINGER`] for the rest of its wave, so that a wave
/// split across two commits merges into one. Each server commits its own batches, so with
/// several servers on one database the same traffic arrives in smaller waves; without the wait
/// each server would settle into two half waves per round trip of its clients, and the
/// database would commit twice as many statements. A batch of [`WORTH_WAITING_BELOW`] records
/// or more never waits (one server under heavy load), nor does a lone record on a quiet server.
async fn collect(
    first: Message,
    queue: &mut mpsc::Receiver<Message>,
    expected: usize,
) -> (Vec<Job>, Option<oneshot::Sender<()>>) {
    let deadline = Instant::now() + LINGER;
    let mut batch = Vec::new();
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
        if next.is_none() && batch.len() < expected.min(WORTH_WAITING_BELOW) {
            next = tokio::time::timeout_at(deadline, queue.recv()).await.ok().flatten();
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

#[cfg(test)]
mod tests {
    use super::*;
    use consent_widget::core::record::ConsentRecord;

    fn append() -> Message {
        let record: ConsentRecord = serde_json::from_value(serde_json::json!({
            "recordId": uuid::Uuid::new_v4(), "consentId": uuid::Uuid::new_v4(), "method": "accept_all",
            "granted": ["necessary"], "denied": [], "services": {}, "revision": 1, "language": "en",
            "textHash": "a".repeat(64), "origin": "https://shop.example", "path": "/",
            "widgetVersion": "0.1.0", "clientTime": 1_800_000_000_000_i64
        }))
        .unwrap();
        let (reply, _) = oneshot::channel();
        Message::Append(Job { draft: Row::draft(&record, 1_800_000_000_000, "Firefox 128"), reply })
    }

    /// A queue holding `queued` appends, and its sender, kept open as a server's is.
    fn queue_of(queued: usize) -> (mpsc::Sender<Message>, mpsc::Receiver<Message>) {
        let (sender, queue) = mpsc::channel(64);
        for _ in 0..queued {
            sender.try_send(append()).unwrap();
        }
        (sender, queue)
    }

    /// The size of the batch collected from a queue of `queued` appends and one more, with
    /// `expected` records expected, and how long collecting it waited. Run on paused time: a wait
    /// moves the clock by exactly what was waited.
    async fn collected(queued: usize, expected: usize) -> (usize, Duration) {
        let (_sender, mut queue) = queue_of(queued);
        let started = Instant::now();
        let (batch, _) = collect(append(), &mut queue, expected).await;
        (batch.len(), started.elapsed())
    }

    #[tokio::test(start_paused = true)]
    async fn a_lone_record_never_waits() {
        assert_eq!(collected(0, 0).await, (1, Duration::ZERO));
        assert_eq!(collected(0, 1).await, (1, Duration::ZERO));
    }

    #[tokio::test(start_paused = true)]
    async fn a_batch_as_large_as_the_recent_ones_does_not_wait() {
        assert_eq!(collected(4, 5).await, (5, Duration::ZERO));
    }

    #[tokio::test(start_paused = true)]
    async fn a_batch_large_enough_to_spread_a_statement_thin_does_not_wait() {
        assert_eq!(collected(WORTH_WAITING_BELOW - 1, 100).await, (WORTH_WAITING_BELOW, Duration::ZERO));
    }

    #[tokio::test(start_paused = true)]
    async fn a_batch_waits_for_the_rest_of_its_wave() {
        let (sender, mut queue) = queue_of(1);
        // Sent once the writer waits (this runtime runs one task at a time): the rest of the
        // wave, which arrives while the batch lingers.
        tokio::spawn(async move {
            for _ in 0..3 {
                tokio::task::yield_now().await;
                sender.send(append()).await.unwrap();
            }
            // The sender stays open past the wait: the batch ends because it is complete.
            tokio::time::sleep(Duration::from_secs(1)).await;
        });
        let started = Instant::now();
        let (batch, _) = collect(append(), &mut queue, 5).await;
        assert_eq!(batch.len(), 5, "the two queued and the three that came while it waited");
        assert!(started.elapsed() < LINGER, "it stopped waiting once the wave was in: {:?}", started.elapsed());
    }

    #[tokio::test(start_paused = true)]
    async fn a_wave_that_does_not_come_costs_at_most_the_linger() {
        let (batch, waited) = collected(1, 40).await;
        assert_eq!(batch, 2);
        assert!(waited >= LINGER && waited <= LINGER + Duration::from_millis(1), "waited {waited:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_close_ends_the_wait() {
        let (sender, mut queue) = queue_of(0);
        let (done, _) = oneshot::channel();
        sender.try_send(Message::Close(done)).unwrap();
        let started = Instant::now();
        let (batch, closing) = collect(append(), &mut queue, 40).await;
        assert_eq!(batch.len(), 1);
        assert!(closing.is_some());
        assert_eq!(started.elapsed(), Duration::ZERO);
    }

    #[test]
    fn the_expected_wave_is_the_largest_recent_batch() {
        let mut waves = Waves::default();
        assert_eq!(waves.expected(), 0);
        for batch in [3, 30, 12, 9] {
            waves.saw(batch);
        }
        assert_eq!(waves.expected(), 30);
        // Once traffic falls, the large batch is forgotten after WAVE_MEMORY batches.
        for _ in 0..WAVE_MEMORY {
            waves.saw(1);
        }
        assert_eq!(waves.expected(), 1);
    }
}
