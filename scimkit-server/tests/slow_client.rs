//! Slow clients through the library's connection loop (`scimkit_server::serve`, what the
//! binary runs): a client that stalls in its request line is disconnected after the header
//! timeout, 40 of them do not delay a normal request, and a graceful stop lets a request in
//! flight finish.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::routing::get;
use scimkit_server::{ServeOptions, Service, SqlStore, router, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn start(header_timeout: Duration) -> String {
    let store = SqlStore::open("sqlite::memory:").await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let app = router(Arc::new(Service::new(store, format!("http://{addr}"))));
    tokio::spawn(serve(
        listener,
        app,
        std::future::pending(),
        ServeOptions::default().with_header_timeout(header_timeout),
    ));
    addr
}

/// Connects and sends half a request line.
async fn stall(addr: &str) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /hea").await.unwrap();
    s
}

/// Reads until the server closes; how long that took (`None` if it did not within `limit`).
async fn closed_within(s: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    let mut buf = [0_u8; 1024];
    tokio::time::timeout(limit, async {
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .ok()
    .map(|()| start.elapsed())
}

async fn health(addr: &str) -> Duration {
    let start = Instant::now();
    let r = reqwest::get(format!("http://{addr}/health")).await.unwrap();
    assert_eq!(r.status(), 200);
    start.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_request_line_is_cut_at_the_header_timeout() {
    let addr = start(Duration::from_millis(1500)).await;
    let mut s = stall(&addr).await;
    let took = closed_within(&mut s, Duration::from_secs(10))
        .await
        .expect("the stalled connection was not closed");
    assert!(
        took >= Duration::from_millis(1200) && took < Duration::from_secs(5),
        "closed after {took:?}"
    );
    // A connection that sends nothing at all is cut too.
    let mut silent = TcpStream::connect(&addr).await.unwrap();
    assert!(
        closed_within(&mut silent, Duration::from_secs(10))
            .await
            .is_some()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_timeout_passing_the_connection_stays() {
    // The control: with a long header timeout the same client is still connected after 3 s,
    // so it is the timeout that cuts it above.
    let addr = start(Duration::from_secs(60)).await;
    let mut s = stall(&addr).await;
    assert_eq!(closed_within(&mut s, Duration::from_secs(3)).await, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_stalled_clients_do_not_delay_a_request() {
    let addr = start(Duration::from_secs(3)).await;
    let mut stalled = Vec::new();
    for _ in 0..40 {
        stalled.push(stall(&addr).await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    for _ in 0..5 {
        let took = health(&addr).await;
        assert!(took < Duration::from_secs(1), "GET /health took {took:?}");
    }
    // And every one of them is gone after the timeout.
    for s in &mut stalled {
        assert!(
            closed_within(s, Duration::from_secs(8)).await.is_some(),
            "a stalled client outlived the header timeout"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graceful_stop_finishes_requests_in_flight() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let app = axum::Router::new().route(
        "/slow",
        get(|| async {
            tokio::time::sleep(Duration::from_millis(800)).await;
            "done"
        }),
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(
        listener,
        app,
        async {
            let _ = stopped.await;
        },
        ServeOptions::default(),
    ));
    let url = format!("http://{addr}/slow");
    let request = tokio::spawn(async move { reqwest::get(url).await.unwrap().text().await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.send(()).unwrap();
    // Stops accepting at once…
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(TcpStream::connect(&addr).await.is_err(), "still accepting");
    // …but the request in flight is answered, and then serve returns.
    assert_eq!(request.await.unwrap().unwrap(), "done");
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("serve did not return")
        .unwrap()
        .unwrap();
}
