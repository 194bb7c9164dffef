//! The single writer that appends to the chain. Requests queue here; each batch is
//! chained and committed in one transaction, and only then is anyone answered, so an
//! acknowledged record is a durable record.

use crate::store::{Row, Store, Tail};
use consent_widget::core::record::ConsentRecord;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection};
use std::collections::HashMap;
use tokio::sync::{mpsc, oneshot};

/// How many queued records one commit takes at most: what one insert statement holds.
const MAX_BATCH: usize = crate::store::MAX_ROWS_PER_INSERT;

/// What the writer answers: the stored row, and whether this call stored it.
#[derive(Debug, Clone)]
pub struct Appended {
    pub row: Row,
    pub created: bool,
}

struct Job {
    record: ConsentRecord,
    user_agent: String,
    received_at: i64,
    reply: oneshot::Sender<Result<Appended, String>>,
}

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    pub async fn start(store: Store) -> Result<Writer, sqlx::Error> {
        let tail = store.tail().await?;
        let (jobs, queue) = mpsc::channel(4096);
        tokio::spawn(run(store, tail, queue));
        Ok(Writer { jobs })
    }

    /// Appends `record`, or returns the row already stored under its record id.
    pub async fn append(
        &self,
        record: ConsentRecord,
        user_agent: String,
        received_at: i64,
    ) -> Result<Appended, String> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { record, user_agent, received_at, reply })
            .await
            .map_err(|_| "the writer has stopped".to_string())?;
        answer.await.map_err(|_| "the writer has stopped".to_string())?
    }
}

async fn run(store: Store, mut tail: Tail, mut queue: mpsc::Receiver<Job>) {
    // The writer keeps one connection for itself, sparing a pool hand-off per batch; after an
    // error it takes a fresh one.
    let mut connection: Option<PoolConnection<Any>> = None;
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let result = match &mut connection {
            Some(connection) => append_batch(&store, connection, &tail, &batch).await,
            None => match store.pool.acquire().await {
                Ok(fresh) => append_batch(&store, connection.insert(fresh), &tail, &batch).await,
                Err(error) => Err(error),
            },
        };
        match result {
            Ok((new_tail, answers)) => {
                tail = new_tail;
                for (job, answer) in batch.into_iter().zip(answers) {
                    let _ = job.reply.send(Ok(answer));
                }
            }
            Err(error) => {
                tracing::error!(%error, records = batch.len(), "could not store a batch of records");
                connection = None;
                for job in batch {
                    let _ = job.reply.send(Err("the database is unavailable".to_string()));
                }
                // Another process may have written meanwhile: start again from what is stored.
                if let Ok(stored) = store.tail().await {
                    tail = stored;
                }
            }
        }
    }
}

/// Chains the new records of a batch after `tail` and stores them; replays get their original row.
///
/// Replays are rare (an outbox retry whose first delivery did arrive), so the batch is first
/// stored as if every record were new, without a lookup; only when the database reports a
/// duplicate record id are the stored rows looked up and the batch chained again without them.
async fn append_batch(
    store: &Store,
    connection: &mut AnyConnection,
    tail: &Tail,
    batch: &[Job],
) -> Result<(Tail, Vec<Appended>), sqlx::Error> {
    let (new_tail, fresh, answers) = chain(tail, batch, &HashMap::new());
    match store.insert_all(connection, &fresh).await {
        Ok(()) => return Ok((new_tail, answers)),
        Err(error) if is_duplicate(&error) => {}
        Err(error) => return Err(error),
    }
    let ids: Vec<String> = batch.iter().map(|job| job.record.record_id.to_string()).collect();
    let stored: HashMap<String, Row> =
        store.find_all(&ids).await?.into_iter().map(|row| (row.record_id.clone(), row)).collect();
    let (new_tail, fresh, answers) = chain(tail, batch, &stored);
    store.insert_all(connection, &fresh).await?;
    Ok((new_tail, answers))
}

/// The rows that append the batch's records not in `stored` after `tail`, the new tail, and
/// each job's answer. A record id sent twice in one batch is stored once.
fn chain(tail: &Tail, batch: &[Job], stored: &HashMap<String, Row>) -> (Tail, Vec<Row>, Vec<Appended>) {
    let mut tail = tail.clone();
    let mut fresh: Vec<Row> = Vec::new();
    let mut in_batch: HashMap<String, usize> = HashMap::new();
    let mut answers = Vec::with_capacity(batch.len());
    for job in batch {
        let record_id = job.record.record_id.to_string();
        if let Some(index) = in_batch.get(&record_id) {
            answers.push(Appended { row: fresh[*index].clone(), created: false });
            continue;
        }
        if let Some(existing) = stored.get(&record_id) {
            answers.push(Appended { row: existing.clone(), created: false });
            continue;
        }
        let row = Row::new(tail.seq + 1, &job.record, job.received_at, &job.user_agent, &tail.hash);
        tail = Tail { seq: row.seq, hash: row.hash.clone() };
        in_batch.insert(record_id, fresh.len());
        answers.push(Appended { row: row.clone(), created: true });
        fresh.push(row);
    }
    (tail, fresh, answers)
}

fn is_duplicate(error: &sqlx::Error) -> bool {
    error.as_database_error().is_some_and(|error| error.is_unique_violation())
}
