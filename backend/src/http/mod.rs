//! The HTTP layer: one module per resource, each with its own `router()`, merged here under
//! `/api`, with the built frontend as the fallback for every other path.

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::OriginalUri;
use axum::http::Method;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use crate::db::Database;

pub mod error;
pub mod extract;
pub mod health;
pub mod refused;
pub mod session;
pub mod static_files;
pub mod sync;

use error::{Error, body};

/// What every API handler can reach.
#[derive(Clone)]
pub struct ApiContext {
    pub db: Arc<dyn Database>,
    /// Served over HTTPS (behind a TLS proxy): the session cookie is `__Host-` and Secure.
    pub https: bool,
}

/// The whole app: `/api/...` and the frontend in `dist`.
pub fn app(db: Arc<dyn Database>, dist: PathBuf, https: bool) -> Router {
    Router::new()
        // br or gzip, as the browser asks: a first pull shrinks several times. Only the API:
        // the frontend's files are compressed once at build time (see `static_files`).
        .nest(
            "/api",
            api_router(ApiContext { db, https }).layer(CompressionLayer::new()),
        )
        .fallback_service(static_files::router(dist))
        .layer(TraceLayer::new_for_http())
}

fn api_router(ctx: ApiContext) -> Router {
    Router::new()
        .merge(sync::router())
        .merge(health::router())
        .merge(refused::router())
        .merge(session::router())
        // After the routes: it applies to the routes already added.
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .with_state(ctx)
}

async fn not_found(OriginalUri(uri): OriginalUri) -> Error {
    Error::NotFound(body(format!(
        "there is no API at {}; the API has /api/sync/push, /api/sync/pull, /api/session, /api/refused and \
         /api/health",
        uri.path()
    )))
}

async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> Error {
    Error::MethodNotAllowed(body(format!("{} is not allowed on {}", method, uri.path())))
}
