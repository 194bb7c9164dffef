//! A failing database logs its error once, then a count once an interval, rather than one
//! line per failed request (an unwritable database gave about 500 ERROR lines a second).

mod common;

use common::logs::problems_logged_during;
use common::record;
use consent_server::logs::RepeatedErrors;
use std::time::{Duration, Instant};

// On tokio's paused clock: each sleep moves time to the next timer at once, so the interval's
// end comes in the same order on a busy machine as on a quiet one.
#[tokio::test(start_paused = true)]
async fn an_error_repeated_500_times_is_logged_once_then_counted() {
    let interval = Duration::from_millis(200);
    let log = problems_logged_during(async {
        let errors = RepeatedErrors::new(interval);
        for _ in 0..500 {
            errors.log("could not store a batch of records", &"attempt to write a readonly database");
        }
        errors.log("could not store a batch of records", &"disk I/O error");
        // The counts come at the end of the interval; a quiet interval after it ends the run.
        tokio::time::sleep(interval * 4).await;
        errors.log("could not store a batch of records", &"attempt to write a readonly database");
        tokio::time::sleep(interval / 4).await;
    })
    .await;
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 4, "{log}");
    assert!(lines[0].contains("ERROR") && lines[0].contains("readonly"), "{log}");
    assert!(lines[1].contains("disk I/O error"), "{log}");
    assert!(lines[2].contains("the same error 499 more times") && lines[2].contains("readonly"), "{log}");
    assert!(
        lines[3].contains("readonly") && !lines[3].contains("more times"),
        "after a quiet interval, logged at once: {log}"
    );
}

on_both_databases! {
    a_database_that_refuses_writes_is_logged_once_while_every_request_gets_503(server, &[]) {
        let start = Instant::now();
        let log = problems_logged_during(async {
            make_read_only(&server).await;
            let mut statuses = Vec::new();
            for _ in 0..100 {
                statuses.push(server.post(&record()).await.status().as_u16());
            }
            assert!(statuses.iter().all(|status| *status == 503), "{statuses:?}");
        })
        .await;
        let errors = log.lines().filter(|line| line.contains("ERROR")).count();
        assert!(start.elapsed() < consent_server::logs::INTERVAL, "the test ran within one interval");
        assert!((1..=2).contains(&errors), "{errors} error lines for 100 failed writes:\n{log}");
    }
}

/// Makes every new write fail at once, as a read-only disk or database does.
async fn make_read_only(server: &common::TestServer) {
    match server.store.backend {
        consent_server::store::Backend::Sqlite => {
            // A trigger that refuses every insert: the writer's statement fails the way a
            // read-only file makes it fail, at once and every time.
            sqlx::query(
                "CREATE TRIGGER refuse_writes BEFORE INSERT ON consent_records \
                 BEGIN SELECT RAISE(ABORT, 'attempt to write a readonly database'); END",
            )
            .execute(&server.store.pool)
            .await
            .unwrap();
        }
        consent_server::store::Backend::Postgres => {
            // From a connection outside the server's pool, so that every pooled one can be ended.
            use sqlx::Connection;
            let mut admin = sqlx::AnyConnection::connect(&server.database_url).await.unwrap();
            let database: String =
                sqlx::query_scalar("SELECT current_database()::text").fetch_one(&mut admin).await.unwrap();
            sqlx::query(&format!("ALTER DATABASE {database} SET default_transaction_read_only = on"))
                .execute(&mut admin)
                .await
                .unwrap();
            // Sessions opened from now on are read-only: end the open ones.
            sqlx::query(
                "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            .execute(&mut admin)
            .await
            .unwrap();
        }
    }
}
