//! The connection loop: HTTP/1.1 over accepted TCP connections, with a header read timeout
//! (which `axum::serve` lacks) and a graceful stop.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// How [`serve`] treats connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServeOptions {
    /// How long a client may take to send a request's line and headers, counted from when
    /// the server starts reading them (on a new connection, and on a kept-alive one after
    /// each answer); past it the connection is closed. A client that stalls therefore holds
    /// a socket and a small task for at most this long, and no worker or request slot. The
    /// body is covered by [`Limits::request_timeout`](crate::Limits::request_timeout).
    pub header_timeout: Duration,
}

impl Default for ServeOptions {
    /// A 10 s header timeout.
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
        }
    }
}

impl ServeOptions {
    /// Sets [`header_timeout`](Self::header_timeout).
    #[must_use]
    pub fn with_header_timeout(mut self, timeout: Duration) -> Self {
        self.header_timeout = timeout;
        self
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then stops accepting, lets the
/// requests in flight finish (idle kept-alive connections are closed), and returns.
///
/// Each connection is HTTP/1.1 on its own task, with the header read timeout of `options`.
/// Accept errors (a connection reset before it was accepted, too many open files) are
/// logged and the loop goes on, pausing a moment on errors that are not the connection's.
///
/// ```no_run
/// # async fn run(app: axum::Router) -> std::io::Result<()> {
/// use scimkit_server::{ServeOptions, serve};
///
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
/// let stop = async { let _ = tokio::signal::ctrl_c().await; };
/// serve(listener, app, stop, ServeOptions::default()).await
/// # }
/// ```
pub async fn serve<F>(
    listener: TcpListener,
    app: Router,
    shutdown: F,
    options: ServeOptions,
) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send,
{
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(options.header_timeout)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            () = &mut shutdown => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) if is_connection_error(&e) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let connection =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let watched = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = watched.await {
                // Header timeouts and clients that went away: not the server's failure.
                tracing::debug!(error = %e, "connection ended");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    )
}
