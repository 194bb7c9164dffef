//! The single writer that appends to the chain. Requests queue here; each batch is
//! chained and committed in one statement, and only then is anyone answered, so an
//! acknowledged record is a durable record.

use crate::store::{Row, Store, Tail};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// How many queued records one commit takes at most: what one insert statement holds.
const MAX_BATCH: usize = crate::store::MAX_ROWS_PER_INSERT;

/// What the writer answers: the stored row, and whether this call stored it.
#[derive(Debug, Clone)]
pub struct Appended {
    pub row: Arc<Row>,
    pub created: bool,
}

struct Job {
    draft: Row,
    reply: oneshot::Sender<Result<Appended, String>>,
}

// Nearly every message is an append: boxing it would cost an allocation per record to make
// the one close smaller.
#[allow(clippy::large_enum_variant)]
enum Message {
    Append(Job),
    /// Store what was queued before this, answer, and stop.
    Close(oneshot::Sender<()>),
}

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Message>,
}

impl Writer {
    pub async fn start(store: Store) -> Result<Writer, sqlx::Error> {
        let tail = store.tail().await?;
        let (jobs, queue) = mpsc::channel(4096);
        tokio::spawn(run(store, tail, queue));
        Ok(Writer { jobs })
    }

    /// Appends the row `draft` (see [`Row::draft`]), or returns the row already stored under
    /// its record id.
    pub async fn append(&self, draft: Row) -> Result<Appended, String> {
        let (reply, answer) = oneshot::channel();
        self.jobs.send(Message::Append(Job { draft, reply })).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }

    /// Stores everything queued so far, then stops: later appends are refused.
    pub async fn close(&self) -> Result<(), String> {
        let (done, stored) = oneshot::channel();
        self.jobs.send(Message::Close(done)).await.map_err(|_| stopped())?;
        stored.await.map_err(|_| stopped())
    }
}

fn stopped() -> String {
    "the writer has stopped".to_string()
}

async fn run(store: Store, mut tail: Tail, mut queue: mpsc::Receiver<Message>) {
    // The writer keeps one connection for itself, sparing a pool hand-off per batch; after an
    // error it takes a fresh one.
    let mut connection: Option<PoolConnection<Any>> = None;
    while let Some(first) = queue.recv().await {
        let mut batch = Vec::new();
        let mut closing = None;
        let mut next = Some(first);
        while let Some(message) = next.take() {
            match message {
                Message::Append(job) => batch.push(job),
                Message::Close(done) => {
                    closing = Some(done);
                    break;
                }
            }
            if batch.len() < MAX_BATCH {
                next = queue.try_recv().ok();
            }
        }
        if !batch.is_empty() {
            store_batch(&store, &mut connection, &mut tail, batch).await;
        }
        if let Some(done) = closing {
            let _ = done.send(());
            return;
        }
    }
}

/// Chains and stores one batch, and answers each of its jobs.
async fn store_batch(store: &Store, connection: &mut Option<PoolConnection<Any>>, tail: &mut Tail, batch: Vec<Job>) {
    let (rows, replies): (Vec<Row>, Vec<_>) = batch.into_iter().map(|job| (job.draft, job.reply)).unzip();
    let result = match connection {
        Some(connection) => append_batch(store, connection, tail, rows).await,
        None => match store.pool.acquire().await {
            Ok(fresh) => append_batch(store, connection.insert(fresh), tail, rows).await,
            Err(error) => Err(error),
        },
    };
    match result {
        Ok((new_tail, answers)) => {
            *tail = new_tail;
            for (reply, answer) in replies.into_iter().zip(answers) {
                let _ = reply.send(Ok(answer));
            }
        }
        Err(error) => {
            crate::logs::error("could not store a batch of records", &error);
            *connection = None;
            for reply in replies {
                let _ = reply.send(Err("the database is unavailable".to_string()));
            }
            // Another process may have written meanwhile: start again from what is stored.
            if let Ok(stored) = store.tail().await {
                *tail = stored;
            }
        }
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
async fn append_batch(
    store: &Store,
    connection: &mut AnyConnection,
    tail: &Tail,
    mut rows: Vec<Row>,
) -> Result<(Tail, Vec<Appended>), sqlx::Error> {
    let (new_tail, places) = chain(tail, &mut rows, &HashMap::new());
    match store.insert_all(connection, &new_rows(&rows, &places)).await {
        Ok(()) => return Ok((new_tail, answers(rows, places))),
        Err(error) if is_duplicate(&error) => {}
        Err(error) => return Err(error),
    }
    let ids: Vec<String> = rows.iter().map(|row| row.record_id.clone()).collect();
    let stored: HashMap<String, Row> =
        store.find_all(&ids).await?.into_iter().map(|row| (row.record_id.clone(), row)).collect();
    let (new_tail, places) = chain(tail, &mut rows, &stored);
    store.insert_all(connection, &new_rows(&rows, &places)).await?;
    Ok((new_tail, answers(rows, places)))
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

fn is_duplicate(error: &sqlx::Error) -> bool {
    error.as_database_error().is_some_and(|error| error.is_unique_violation())
}
