//! Whoever can write the database can rewrite the log so that every row and link checks out:
//! take rows off the end, or change a row and recompute every hash after it. The signed
//! checkpoints (and, past the latest of them, the receipts visitors got and copies of the
//! checkpoints kept elsewhere) still tell, and `verify` names what it found.

mod common;

use common::{TestServer, record};
use consent_server::log::anchors::Anchors;
use consent_server::log::chains::{Lease, origin};
use consent_server::log::checkpoint::INTERVAL;
use consent_server::log::checkpoints::Checkpoints;
use consent_server::log::verify::verify_chain;
use consent_server::store::verify::Verdict;
use consent_server::store::{Row, Store};
use serde_json::Value;
use std::time::Duration;

const KEY: &str = "checkpoint-key";

/// Posts `count` records; their receipts.
async fn post(server: &TestServer, count: usize) -> Vec<Value> {
    let mut receipts = Vec::new();
    for _ in 0..count {
        let response = server.post(&record()).await;
        assert_eq!(response.status(), 201);
        receipts.push(response.json().await.unwrap());
    }
    receipts
}

/// A periodic checkpoint of every chain's last row, as the server writes one.
async fn checkpoint_now(store: &Store) {
    let written = Checkpoints::signed(KEY).write(store, INTERVAL, common::now_millis()).await.unwrap();
    assert!(written.is_some());
}

/// Changes row `seq` with `edit`, then recomputes its hash and every later one in its chain,
/// as someone covering their tracks would.
async fn rewrite(store: &Store, seq: i64, edit: impl Fn(&mut Row)) {
    let rows = store.rows_after(seq - 1, 100_000).await.unwrap();
    let mut prev_hash = None;
    for mut row in rows
        .into_iter()
        .filter(|row| consent_server::log::chains::chain_of(row.seq) == consent_server::log::chains::chain_of(seq))
    {
        if row.seq == seq {
            edit(&mut row);
        }
        if let Some(prev) = prev_hash.take() {
            row.prev_hash = prev;
        }
        row.hash = row.compute_hash();
        sqlx::query("UPDATE consent_records SET granted = $1, prev_hash = $2, hash = $3 WHERE seq = $4")
            .bind(&row.granted)
            .bind(&row.prev_hash)
            .bind(&row.hash)
            .bind(row.seq)
            .execute(&store.pool)
            .await
            .unwrap();
        prev_hash = Some(row.hash);
    }
}

fn broken(verdict: Verdict) -> (i64, String, String) {
    match verdict {
        Verdict::Broken { seq, record_id, reason } => (seq, record_id, reason),
        intact => panic!("the tampering went unnoticed: {intact}"),
    }
}

fn granted_marketing(row: &mut Row) {
    row.granted = r#"["marketing","necessary"]"#.to_string();
}

on_both_databases! {
    rows_taken_off_the_end_are_named_by_the_checkpoint_that_saw_them(server, &["--rate-limit", "0"]) {
        post(&server, 120).await;
        checkpoint_now(&server.store).await;
        assert_eq!(verify_chain(&server.store, Some(KEY)).await.unwrap(), Verdict::Intact { rows: 120 });
        // The last 50 rows go: what is left is a whole chain.
        sqlx::query("DELETE FROM consent_records WHERE seq > 70").execute(&server.store.pool).await.unwrap();
        let (seq, _, reason) = broken(verify_chain(&server.store, Some(KEY)).await.unwrap());
        assert_eq!(seq, 120);
        assert!(reason.contains("chain 0 ends at row 70"), "{reason}");
        assert!(reason.contains("names row 120: rows are missing from its end"), "{reason}");
        assert!(reason.contains("periodic checkpoint"), "{reason}");
    }

    a_row_changed_and_every_later_hash_recomputed_is_found_between_two_checkpoints(server, &["--rate-limit", "0"]) {
        post(&server, 30).await;
        checkpoint_now(&server.store).await;
        post(&server, 90).await;
        checkpoint_now(&server.store).await;
        post(&server, 10).await;
        rewrite(&server.store, 37, granted_marketing).await;
        // Every row and link checks out on its own...
        let (seq, _, reason) = broken(verify_chain(&server.store, None).await.unwrap());
        // ...but the checkpoint of row 120 names another hash.
        assert_eq!(seq, 120);
        assert!(reason.contains("changed and the hashes after it recomputed"), "{reason}");
        assert!(reason.contains("row 30 still matches"), "{reason}");
        assert!(reason.contains("the change is in rows 31 to 120"), "{reason}");
    }

    past_the_latest_checkpoint_the_receipts_visitors_kept_still_tell(server, &["--rate-limit", "0"]) {
        let mut receipts = post(&server, 40).await;
        checkpoint_now(&server.store).await;
        receipts.extend(post(&server, 10).await);
        rewrite(&server.store, 45, granted_marketing).await;
        // Nothing in the database names rows 41 to 50 apart from themselves.
        assert_eq!(verify_chain(&server.store, Some(KEY)).await.unwrap(), Verdict::Intact { rows: 50 });
        let mut anchors = Anchors::default();
        let lines: String = receipts.iter().map(|receipt| format!("{receipt}\n")).collect();
        anchors.read(&lines).unwrap();
        let (seq, record_id, reason) = broken(anchors.check(&server.store, Some(KEY)).await.unwrap().unwrap());
        assert_eq!(seq, 45);
        assert_eq!(record_id, receipts[44]["recordId"].as_str().unwrap());
        assert!(reason.contains("not the one on its receipt"), "{reason}");
        // A receipt whose row is gone.
        sqlx::query("DELETE FROM consent_records WHERE seq = 50").execute(&server.store.pool).await.unwrap();
        let mut last = Anchors::default();
        last.read(&format!("{}\n", receipts[49])).unwrap();
        let (_, record_id, reason) = broken(last.check(&server.store, Some(KEY)).await.unwrap().unwrap());
        assert_eq!(record_id, receipts[49]["recordId"].as_str().unwrap());
        assert!(reason.contains("does not hold it"), "{reason}");
    }

    checkpoints_copied_outside_the_database_tell_when_the_ones_inside_were_deleted_too(server, &["--rate-limit", "0"]) {
        let folder = tempfile::tempdir().unwrap();
        let copy = folder.path().join("checkpoints.ndjson");
        let copying = Checkpoints { key: Some(KEY.to_string()), copy_to: Some(copy.clone()) };
        post(&server, 20).await;
        copying.write(&server.store, INTERVAL, common::now_millis()).await.unwrap().unwrap();
        let mut anchors = Anchors::default();
        anchors.read(&std::fs::read_to_string(&copy).unwrap()).unwrap();
        assert_eq!(anchors.checkpoints.len(), 1);
        assert_eq!(anchors.check(&server.store, Some(KEY)).await.unwrap(), None, "the copy agrees");
        let mut forged = anchors.checkpoints[0].clone();
        forged.through_hash = "0".repeat(64);
        let forged = Anchors { receipts: Vec::new(), checkpoints: vec![forged] };
        let (_, _, reason) = broken(forged.check(&server.store, Some(KEY)).await.unwrap().unwrap());
        assert!(reason.contains("not signed with this key"), "{reason}");
        // The checkpoints in the database are deleted...
        sqlx::query("DELETE FROM chain_checkpoints").execute(&server.store.pool).await.unwrap();
        let (seq, _, reason) = broken(anchors.check(&server.store, Some(KEY)).await.unwrap().unwrap());
        assert_eq!(seq, 20);
        assert!(reason.contains("is not in the database any more"), "{reason}");
        // ...with the rows they named: inside the database, nothing tells any more.
        sqlx::query("DELETE FROM consent_records WHERE seq > 15").execute(&server.store.pool).await.unwrap();
        assert_eq!(verify_chain(&server.store, Some(KEY)).await.unwrap(), Verdict::Intact { rows: 15 });
        let (seq, _, reason) = broken(anchors.check(&server.store, Some(KEY)).await.unwrap().unwrap());
        assert_eq!(seq, 20);
        assert!(reason.contains("rows are missing from the end of chain 0"), "{reason}");
    }

    a_chain_taken_away_whole_is_named_and_so_is_a_checkpoint_row_deleted(server, &["--rate-limit", "0"]) {
        // A second writer on the same database, as a second server has: chain 1.
        let other = consent_server::log::writer::Writer::start(
            server.store.clone(),
            "another server".to_string(),
            Lease { length: Duration::from_secs(10) },
        )
        .await
        .unwrap();
        post(&server, 10).await;
        for _ in 0..5 {
            let record = serde_json::from_value::<consent_widget::core::record::ConsentRecord>(record()).unwrap();
            assert!(other.append(Row::draft(&record, common::now_millis(), "Firefox 128")).await.unwrap().created);
        }
        checkpoint_now(&server.store).await;
        assert_eq!(verify_chain(&server.store, Some(KEY)).await.unwrap(), Verdict::Intact { rows: 15 });
        sqlx::query("DELETE FROM consent_records WHERE seq > $1").bind(origin(1)).execute(&server.store.pool).await.unwrap();
        let (seq, _, reason) = broken(verify_chain(&server.store, Some(KEY)).await.unwrap());
        assert_eq!(seq, origin(1) + 5);
        assert!(reason.contains("chain 1 has no rows left"), "{reason}");
        // One row of a checkpoint deleted (the one naming the chain that went, say).
        sqlx::query("DELETE FROM chain_checkpoints WHERE through_seq > $1").bind(origin(1)).execute(&server.store.pool).await.unwrap();
        let (_, record_id, reason) = broken(verify_chain(&server.store, Some(KEY)).await.unwrap());
        assert_eq!(record_id, "(checkpoint)");
        assert!(reason.contains("names the last rows of 2 chains, but 1 of its rows are stored"), "{reason}");
    }
}
