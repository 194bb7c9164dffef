//! The single writer that appends to the chain. Requests queue here; each batch is
//! chained and committed in one transaction, and only then is anyone answered, so an
//! acknowledged record is a durable record.

use crate::store::{Row, Store, Tail};
use consent_widget::core::record::ConsentRecord;
use std::collections::HashMap;
use tokio::sync::{mpsc, oneshot};

/// How many queued records one transaction takes at most.
const MAX_BATCH: usize = 512;

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
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        match append_batch(&store, &tail, &batch).await {
            Ok((new_tail, answers)) => {
                tail = new_tail;
                for (job, answer) in batch.into_iter().zip(answers) {
                    let _ = job.reply.send(Ok(answer));
                }
            }
            Err(error) => {
                tracing::error!(%error, records = batch.len(), "could not store a batch of records");
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
async fn append_batch(store: &Store, tail: &Tail, batch: &[Job]) -> Result<(Tail, Vec<Appended>), sqlx::Error> {
    let mut tail = tail.clone();
    let ids: Vec<String> = batch.iter().map(|job| job.record.record_id.to_string()).collect();
    let stored: HashMap<String, Row> =
        store.find_all(&ids).await?.into_iter().map(|row| (row.record_id.clone(), row)).collect();
    let mut fresh: Vec<Row> = Vec::new();
    let mut in_batch: HashMap<String, usize> = HashMap::new();
    let mut answers = Vec::with_capacity(batch.len());
    for (job, record_id) in batch.iter().zip(ids) {
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
    if !fresh.is_empty() {
        store.insert_all(&fresh).await?;
    }
    Ok((tail, answers))
}
