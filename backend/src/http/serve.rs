//! The connection loop: HTTP/1.1 by hyper, with the limits `axum::serve` cannot set.
//!
//! * **Header read timeout.** A client must send a request's headers within
//!   `header_read_timeout`, or the connection is closed; so must an idle kept-alive connection
//!   start its next request. Without it, a client that opens connections and never finishes
//!   its headers holds each of them for ever (axum 0.8's `serve` leaves hyper's timeout off,
//!   as hyper has no timer there).
//! * **HTTP/1.1 only.** Browsers speak HTTP/2 only over TLS, which a proxy in front ends; and
//!   telling HTTP/2 from HTTP/1 first (hyper-util's `auto` builder) waits for the first bytes
//!   with no timeout at all, which would undo the one above.
//! * **Concurrency.** At most `max_concurrent_requests` requests are handled at once (one
//!   semaphore for the whole server); more wait for a turn. A request holds its turn until
//!   its response starts, not while a large file streams to a slow client.
//! * **Graceful shutdown.** When `shutdown` completes, no new connection is accepted, idle
//!   connections close, and requests in flight finish before [`serve`] returns.
//!
//! The API's per-request timeout is a middleware in [`super::app`].

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::{ServiceBuilder, ServiceExt as _};

/// The limits [`serve`] applies to connections and requests.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub header_read_timeout: Duration,
    pub max_concurrent_requests: usize,
}

/// Serves `app` on `listener` until `shutdown` completes, then lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let service = ServiceBuilder::new()
        .layer(GlobalConcurrencyLimitLayer::new(
            limits.max_concurrent_requests,
        ))
        .service(app);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Handlers read the client's address (the history, the sign-in throttle) as axum's
        // `ConnectInfo`, as `axum::serve` would provide it.
        let with_address = service
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(remote));
                request
            });
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(with_address));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                // A header read timeout, a client gone, a malformed request: the client's
                // doing, not the server's.
                tracing::debug!(%remote, "connection ended: {e}");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// After a failed accept: a connection that failed before it was accepted is no matter; any
/// other failure (out of file descriptors, say) is logged and waited out for a second, as
/// axum's `serve` does, rather than spinning.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::error!("cannot accept a connection: {e}");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
