//! Hostile and slow clients: half-sent requests, idle connections and crowds of them cannot
//! keep others out, and a stalled database gets an answer that says when to retry.

mod common;

use common::process::ServerProcess;
use common::{TestServer, record};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// A request cut off inside its headers, as a slow-loris client leaves it.
const HALF_SENT: &[u8] = b"POST /api/v1/consents HTTP/1.1\r\nHost: consent.example\r\nContent-Length: 400\r\n";

/// A connection from `from` (any 127.x.y.z is this machine), or `None` if it could not be made.
async fn connect_from(from: Ipv4Addr, to: SocketAddr) -> Option<TcpStream> {
    let socket = TcpSocket::new_v4().ok()?;
    socket.bind(SocketAddr::new(IpAddr::V4(from), 0)).ok()?;
    socket.connect(to).await.ok()
}

/// Everything the server sends until it closes the connection (or `limit` passes), and when
/// it closed it.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, Option<Duration>) {
    let start = Instant::now();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout(limit.saturating_sub(start.elapsed()), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&answer).into_owned(), Some(start.elapsed())),
            Ok(Ok(read)) => answer.extend_from_slice(&buffer[..read]),
            Err(_) => return (String::from_utf8_lossy(&answer).into_owned(), None),
        }
    }
}

async fn health_check_time(client: &reqwest::Client, base: &str) -> Duration {
    let start = Instant::now();
    let response = client.get(format!("{base}/healthz")).send().await.expect("the health check is answered");
    assert_eq!(response.status(), 200);
    start.elapsed()
}

/// One host opens more half-sent requests than the server has file handles for (it was
/// allowed 512): the server holds a share of them, refuses the rest with a reason, and a
/// health check from elsewhere is still answered at once. Before the connection caps,
/// accepting failed with "Too many open files" and the health check went unanswered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_connections_from_one_host_do_not_keep_health_checks_out() {
    let folder = tempfile::tempdir().unwrap();
    let database = format!("sqlite:{}?mode=rwc", folder.path().join("log.db").display());
    let widget = folder.path().display().to_string();
    let server = ServerProcess::start(&["--database-url", &database, "--widget-dir", &widget], Some(512));
    let attacker = Ipv4Addr::new(127, 0, 0, 1);
    let mut slow = Vec::new();
    for _ in 0..600 {
        if let Some(mut stream) = connect_from(attacker, server.address).await {
            let _ = stream.write_all(HALF_SENT).await;
            slow.push(stream);
        }
    }
    assert!(slow.len() > 512, "the attack opened {} connections", slow.len());

    let monitor = reqwest::Client::builder().local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2))).build().unwrap();
    let mut times = Vec::new();
    for _ in 0..7 {
        times.push(
            tokio::time::timeout(Duration::from_secs(5), health_check_time(&monitor, &server.base))
                .await
                .unwrap_or_else(|_| {
                    panic!("no answer to a health check in 5 s while {} slow connections are open", slow.len())
                }),
        );
    }
    times.sort();
    let memory = std::fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap_or_default();
    let resident = memory.lines().find(|line| line.starts_with("VmRSS")).unwrap_or("VmRSS: unknown");
    eprintln!("{} slow connections open; health checks took {times:?}; server {resident}", slow.len());
    assert!(times[3] < Duration::from_millis(100), "health checks took {times:?}");
    assert!(times[6] < Duration::from_secs(1), "health checks took {times:?}");

    // The crowded host itself is told why it gets no more connections.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let mut probe = connect_from(attacker, server.address).await.unwrap();
        let _ = probe.write_all(b"GET /healthz HTTP/1.1\r\nHost: consent.example\r\n\r\n").await;
        let (answer, _) = read_until_closed(&mut probe, Duration::from_secs(2)).await;
        if answer.starts_with("HTTP/1.1 429") {
            assert!(answer.contains("retry-after: "), "{answer}");
            assert!(answer.contains("application/problem+json") && answer.contains("connections"), "{answer}");
            break;
        }
        // Refusals are answered a few dozen at a time; the others are closed unanswered.
        assert!(Instant::now() < deadline, "no refusal with a reason in 5 s; last answer: {answer:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let log = server.log();
    assert!(!log.contains("Too many open files"), "{log}");
    drop(slow);
}

#[tokio::test]
async fn half_sent_requests_and_idle_connections_are_closed_after_their_timeouts() {
    let server = common::start(common::Backend::Sqlite, &["--header-timeout", "1", "--body-timeout", "1"]).await;
    let address: SocketAddr = server.base.trim_start_matches("http://").parse().unwrap();

    // Headers that never end.
    let mut slow_headers = TcpStream::connect(address).await.unwrap();
    slow_headers.write_all(HALF_SENT).await.unwrap();
    // A connection that never says anything.
    let mut silent = TcpStream::connect(address).await.unwrap();
    // A kept-alive connection left idle after its first request.
    let mut idle = TcpStream::connect(address).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: consent.example\r\n\r\n").await.unwrap();
    // A body that stops short.
    let mut slow_body = TcpStream::connect(address).await.unwrap();
    let body = record().to_string();
    let head = format!(
        "POST /api/v1/consents HTTP/1.1\r\nHost: consent.example\r\nOrigin: https://shop.example\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    slow_body.write_all(head.as_bytes()).await.unwrap();
    slow_body.write_all(&body.as_bytes()[..10]).await.unwrap();

    for (name, stream) in
        [("half-sent headers", &mut slow_headers), ("silent", &mut silent), ("idle keep-alive", &mut idle)]
    {
        let (_, closed) = read_until_closed(stream, Duration::from_secs(5)).await;
        let closed = closed.unwrap_or_else(|| panic!("the {name} connection was still open after 5 s"));
        assert!(closed < Duration::from_secs(4), "the {name} connection closed after {closed:?}");
    }
    let (answer, closed) = read_until_closed(&mut slow_body, Duration::from_secs(5)).await;
    assert!(closed.is_some(), "the connection with a short body was still open after 5 s");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert_eq!(server.count().await, 0);
}

#[tokio::test]
async fn connections_beyond_the_cap_are_refused_with_503_until_one_closes() {
    let server =
        common::start(common::Backend::Sqlite, &["--max-connections", "20", "--max-connections-per-client", "0"]).await;
    let address: SocketAddr = server.base.trim_start_matches("http://").parse().unwrap();
    let mut held = Vec::new();
    for _ in 0..20 {
        held.push(TcpStream::connect(address).await.unwrap());
    }
    // Give the server the time to accept all twenty (a health check on a held one says so).
    held[0].write_all(b"GET /healthz HTTP/1.1\r\nHost: consent.example\r\n\r\n").await.unwrap();
    let mut first = [0u8; 12];
    held[0].read_exact(&mut first).await.unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");

    let mut extra = TcpStream::connect(address).await.unwrap();
    extra.write_all(b"GET /healthz HTTP/1.1\r\nHost: consent.example\r\n\r\n").await.unwrap();
    let (answer, _) = read_until_closed(&mut extra, Duration::from_secs(3)).await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("retry-after: ") && answer.contains("as many connections as it may"), "{answer}");

    drop(held.pop());
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let mut next = TcpStream::connect(address).await.unwrap();
        next.write_all(b"GET /healthz HTTP/1.1\r\nHost: consent.example\r\nConnection: close\r\n\r\n").await.unwrap();
        let (answer, _) = read_until_closed(&mut next, Duration::from_secs(3)).await;
        if answer.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(Instant::now() < deadline, "a freed place was not given to a new connection: {answer}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Holds the log's write lock from a connection of its own, as another process could.
async fn hold_write_lock(server: &TestServer) -> sqlx::pool::PoolConnection<sqlx::Any> {
    let mut connection = server.store.pool.acquire().await.unwrap();
    let statements: &[&str] = match server.store.backend {
        consent_server::store::Backend::Sqlite => &["BEGIN IMMEDIATE"],
        consent_server::store::Backend::Postgres => &["BEGIN", "LOCK TABLE consent_records IN EXCLUSIVE MODE"],
    };
    for statement in statements {
        sqlx::query(statement).execute(&mut *connection).await.unwrap();
    }
    connection
}

on_both_databases! {
    a_locked_database_gets_503_with_retry_after_in_bounded_time(server, &["--database-timeout", "1"]) {
        let mut lock = hold_write_lock(&server).await;
        let sent = record();
        let start = Instant::now();
        let response = server.post(&sent).await;
        let waited = start.elapsed();
        assert_eq!(response.status(), 503);
        assert!(waited < Duration::from_millis(2500), "answered after {waited:?}");
        let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!(retry >= 1);
        assert_eq!(response.headers()["content-type"], "application/problem+json");
        sqlx::query("ROLLBACK").execute(&mut *lock).await.unwrap();
        drop(lock);
        // The retry is stored once: the first attempt may have been committed once the lock
        // went, and then its receipt comes back.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let status = server.post(&sent).await.status().as_u16();
            if status == 200 || status == 201 {
                break;
            }
            assert_eq!(status, 503);
            assert!(Instant::now() < deadline, "still 503 after the lock went");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(server.count().await, 1);
    }
}

#[tokio::test]
async fn a_request_not_answered_in_time_gets_a_503_problem() {
    // The database waits longer than the request may: the request's own limit answers.
    let server = common::start(common::Backend::Sqlite, &["--database-timeout", "20", "--request-timeout", "1"]).await;
    let lock = hold_write_lock(&server).await;
    let start = Instant::now();
    let response = server.post(&record()).await;
    assert_eq!(response.status(), 503);
    assert!(start.elapsed() < Duration::from_millis(2500), "answered after {:?}", start.elapsed());
    assert!(response.headers().contains_key("retry-after"));
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["detail"].as_str().unwrap().contains("too long"), "{body}");
    drop(lock);
}
