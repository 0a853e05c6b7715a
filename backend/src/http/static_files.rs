//! The built frontend (trunk's `dist/`), served as a single-page app.
//!
//! * A file that exists is served with its content type (`.wasm` as `application/wasm`, which
//!   browsers require for streaming compilation).
//! * A path with no file extension that matches no file is a route of the app
//!   (`/bodies/<id>/edit`): it gets `index.html` with 200, and the app's router takes over.
//! * A path with an extension that matches no file is a real 404 (a stale asset name).
//! * Compressed once, at build time: `cargo xtask` writes `<file>.br` (brotli quality 11) and
//!   `<file>.gz` (gzip level 9) beside each text file and the wasm, and the file is sent in
//!   the best of those the request's `Accept-Encoding` allows, with `Content-Encoding` and
//!   the original's content type, or as it is when none fits (or there is no compressed copy,
//!   as for the PNG icons). Every answer says `Vary: Accept-Encoding`, so a cache keeps one
//!   copy per encoding. Nothing here compresses while serving (the API's JSON still is, see
//!   `http::app`).
//! * `index.html` and `sw.js` must always be revalidated (`no-cache`): they name the current
//!   hashed assets and the service worker's cache version; so must the web app manifest and
//!   its icons (`/manifest.webmanifest`, `/icons/...`), whose names browsers keep. Every
//!   other file has a content hash in its name (trunk adds one), so it never changes and is
//!   cached for a year, `immutable`. The manifest is `application/manifest+json`.
//! * If the frontend has not been built, every page answers 503 saying how to build it; the
//!   API still works.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// Revalidate every time: the file names the current versions of everything else.
pub const NO_CACHE: &str = "no-cache";
/// Cache for a year and never revalidate: the file's name changes when its content does.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

struct StaticFiles {
    index: PathBuf,
    dir: ServeDir,
}

/// A router that serves `dist` (to be used as the app's fallback, after the API).
pub fn router(dist: PathBuf) -> Router {
    let files = Arc::new(StaticFiles {
        index: dist.join("index.html"),
        dir: ServeDir::new(&dist)
            .append_index_html_on_directories(true)
            .precompressed_br()
            .precompressed_gzip(),
    });
    Router::new().fallback(serve).with_state(files)
}

async fn serve(State(files): State<Arc<StaticFiles>>, request: Request) -> Response {
    if !files.index.is_file() {
        return not_built();
    }
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    let headers = request.headers().clone();
    let response = match files.dir.clone().oneshot(request).await {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    };
    let client_route = !has_extension(&path) && (method == Method::GET || method == Method::HEAD);
    let response = if response.status() == StatusCode::NOT_FOUND && client_route {
        serve_index(&files.index, method, headers).await
    } else if response.status() == StatusCode::NOT_FOUND {
        (
            StatusCode::NOT_FOUND,
            format!("Not found: there is no file at {path}\n"),
        )
            .into_response()
    } else {
        response
    };
    with_cache_headers(&path, client_route, response)
}

async fn serve_index(index: &Path, method: Method, headers: axum::http::HeaderMap) -> Response {
    let mut request = Request::new(Body::empty());
    *request.method_mut() = method;
    *request.headers_mut() = headers;
    match ServeFile::new(index)
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(request)
        .await
    {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    }
}

fn with_cache_headers(path: &str, client_route: bool, mut response: Response) -> Response {
    let file = path.rsplit('/').next().unwrap_or_default();
    let revalidate = client_route
        || file.is_empty()
        || file == "index.html"
        || file == "sw.js"
        // The web app manifest and its icons keep their names so browsers can find them.
        || file.ends_with(".webmanifest")
        || path.starts_with("/icons/");
    let ok = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
    let value = if revalidate || !ok {
        NO_CACHE
    } else {
        IMMUTABLE
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    // The same address answers differently by Accept-Encoding (the precompressed copies).
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// Whether the last segment of `path` has a file extension (`app-1a2b.wasm`, not `edit`).
fn has_extension(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    match last.rfind('.') {
        Some(dot) => dot > 0 && dot + 1 < last.len(),
        None => false,
    }
}

fn not_built() -> Response {
    let mut response = (
        StatusCode::SERVICE_UNAVAILABLE,
        Html(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <title>Partnership Atlas: frontend not built</title></head><body>\
             <h1>The frontend has not been built</h1>\
             <p>The server is running and its API works, but there is no built app to serve. \
             Run <code>cargo xtask run</code> to build the frontend and start the server, \
             or point <code>--dist</code> (<code>ATLAS_DIST</code>) at trunk's output folder.</p>\
             </body></html>\n",
        ),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::has_extension;

    #[test]
    fn client_routes_have_no_extension_and_assets_do() {
        assert!(!has_extension(
            "/bodies/0190e1a2-7c3b-7000-8000-000000000001/edit"
        ));
        assert!(!has_extension("/"));
        assert!(!has_extension("/.well-known"));
        assert!(has_extension("/atlas-frontend-1a2b_bg.wasm"));
        assert!(has_extension("/style-3c4d.css"));
    }
}
