//! The HTTP layer: one module per resource, each with its own `router()`, merged here under
//! `/api`, with the built frontend as the fallback for every other path. Every response
//! carries the security headers, and the API refuses cross-site changes ([`security`]); the
//! API's requests have a time limit, and are answered 503 at once while the database cannot
//! be reached; [`serve`] runs the connections with their own limits.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{OriginalUri, Request, State};
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::db::{Database, DbError};

pub mod account;
pub mod answer_limit;
pub mod client_address;
pub mod error;
pub mod extract;
pub mod health;
pub mod history;
pub mod open_data;
pub mod refused;
pub mod security;
pub mod serve;
pub mod session;
pub mod static_files;
pub mod sync;
pub mod tablets;
pub mod users;

use error::{Error, body};

/// What every API handler can reach.
#[derive(Clone)]
pub struct ApiContext {
    pub db: Arc<dyn Database>,
    /// Served over HTTPS (behind a TLS proxy): the session cookie is `__Host-` and Secure.
    pub https: bool,
    /// The proxies whose `X-Forwarded-For` names the client (see [`client_address`]).
    pub trusted_proxies: Arc<[client_address::TrustedProxy]>,
}

/// The whole app: `/api/...` and the frontend in `dist`. `https`: it is served over HTTPS
/// (the session cookie is then `__Host-` and Secure). An API request that takes longer
/// than `request_timeout` (reading its body included) is answered with a JSON 503.
/// `trusted_proxies`: see [`client_address`].
pub fn app(
    db: Arc<dyn Database>,
    dist: PathBuf,
    request_timeout: Duration,
    https: bool,
    trusted_proxies: &[client_address::TrustedProxy],
) -> Router {
    let policy = security::Policy::for_dist(&dist);
    // Layers run outside in: the last added first.
    let context = ApiContext {
        db: db.clone(),
        https,
        trusted_proxies: trusted_proxies.into(),
    };
    let api = api_router(context)
        // br or gzip, as the browser asks: a first pull shrinks several times. Only the API:
        // the frontend's files are compressed once at build time (see `static_files`).
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(db, while_reachable))
        .layer(middleware::from_fn_with_state(request_timeout, time_limit))
        .layer(middleware::from_fn(security::refuse_cross_site_writes))
        .layer(middleware::from_fn(security::no_store));
    Router::new()
        .nest("/api", api)
        .fallback_service(static_files::router(dist))
        .layer(middleware::from_fn_with_state(
            policy,
            security::add_security_headers,
        ))
        .layer(TraceLayer::new_for_http())
}

/// Middleware for the API: a JSON 503 when the request takes longer than `limit`. A push cut
/// off is rolled back (its transaction dropped unfinished), or, cut off as it committed, is
/// stored; either way the app sends it again and it applies once (its mutation ids).
async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(?limit, "an API request took too long and was stopped");
            Error::TimedOut(body(format!(
                "the server did not finish this request within {} seconds, so it was stopped; \
                 try again (a change sent again is applied only once)",
                limit.as_secs_f64()
            )))
            .into_response()
        }
    }
}

/// Middleware for the API: while the database cannot be reached ([`Database::unreachable`]),
/// a request is answered at once with the 503 and `Retry-After` of a database failure of the
/// moment, and one already waiting for the database is cut off with it (as [`time_limit`]
/// cuts off a slow one), so no device waits on a database that is gone.
async fn while_reachable(
    State(db): State<Arc<dyn Database>>,
    request: Request,
    next: Next,
) -> Response {
    tokio::select! {
        biased;
        () = db.unreachable() => Error::Database(DbError::Unreachable).into_response(),
        response = next.run(request) => response,
    }
}

fn api_router(ctx: ApiContext) -> Router {
    Router::new()
        .merge(sync::router())
        .merge(health::router())
        .merge(refused::router())
        .merge(history::router())
        .merge(open_data::router())
        .merge(session::router())
        .merge(tablets::router())
        .merge(account::router())
        .merge(users::router())
        // After the routes: it applies to the routes already added.
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .with_state(ctx)
}

async fn not_found(OriginalUri(uri): OriginalUri) -> Error {
    Error::NotFound(body(format!(
        "there is no API at {}; the API has /api/sync/push, /api/sync/pull, /api/session, /api/users, \
         /api/refused, /api/history, /api/tablets and /api/health",
        uri.path()
    )))
}

async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> Error {
    Error::MethodNotAllowed(body(format!("{} is not allowed on {}", method, uri.path())))
}
