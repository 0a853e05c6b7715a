//! What keeps a browser safe with this server: the headers every response carries, and the
//! API's refusal of changes sent from other sites' pages.
//!
//! * Every response (the API, the built app, errors, 404s) carries a Content-Security-Policy
//!   and `nosniff`, `Referrer-Policy`, `X-Frame-Options` and `Cross-Origin-Opener-Policy`
//!   ([`add_security_headers`]). The policy allows scripts only from this origin, the
//!   compiling of WebAssembly (`'wasm-unsafe-eval'`, which the app needs and which allows no
//!   `eval` of JavaScript), and the inline scripts of `dist/index.html` by their SHA-256: trunk
//!   writes one there, a `<script type="module">` that imports the app's JavaScript and starts
//!   the wasm. Its text names the hashed file names, so it changes with every build; the
//!   hashes are read from the file when the server starts and again whenever the file changes
//!   ([`Policy`]). With no build, the policy has no script hashes (pages answer 503 anyway).
//!   Styles come from this origin, plus the map's one inline `<style>` by its hash; only
//!   `style` attributes are unchecked (see [`DIRECTIVES`]).
//! * Every `/api` response says `Cache-Control: no-store` ([`no_store`]): the data lives in
//!   the browser's IndexedDB, never in its HTTP cache.
//! * A request that changes something (any method but GET, HEAD and OPTIONS) under `/api` is
//!   refused with a JSON 403 when the browser says it comes from another site's page
//!   (`Sec-Fetch-Site: cross-site`), or when its `Origin` is not the address it was sent to
//!   (its `Host`) ([`refuse_cross_site_writes`]). A request with neither header (curl,
//!   scripts, the tests) passes: browsers send them, so only a browser can be tricked into a
//!   cross-site request. A reverse proxy in front must pass the `Host` header through as the
//!   browser sent it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::error::{Error, body};

/// The policy's directives; `{scripts}` and `{styles}` become the hashes of the inline
/// scripts and styles allowed.
///
/// * `style-src-attr 'unsafe-inline'`: the app sets `style` attributes (the map's size and a
///   drag's CSS transform, the outline's indent), whose values change as it runs, and a policy
///   cannot allow attribute values by hash. Without it the map loses its shape (the
///   end-to-end map test fails: it prints on two pages).
/// * The inline `<style>` elements are allowed by their hashes: the map's styles inside its
///   `<svg>` (so an exported SVG looks the same), [`MAP_STYLE`], and the areas' sheets the
///   parts insert, [`PART_STYLES`].
const DIRECTIVES: &[&str] = &[
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'{scripts}",
    "style-src 'self'{styles}",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
];

/// The text of the `<style>` the app puts inside the map's `<svg>`, the same file the
/// frontend includes (`frontend/src/pages/structure/map_canvas.rs`), so its hash is always
/// the one the browser computes.
pub const MAP_STYLE: &str = include_str!("../../../frontend/src/pages/structure/map.css");

/// The sheets of `frontend/src/styles/`, which the app's parts insert as `<style>` elements
/// (`frontend/src/styles.rs`): the same files compacted the same way, so their hashes are the
/// browser's.
pub const PART_STYLES: &[&str] = &[
    atlas_shared::compact_css!(include_str!("../../../frontend/src/styles/structure.css")),
    atlas_shared::compact_css!(include_str!("../../../frontend/src/styles/outline.css")),
    atlas_shared::compact_css!(include_str!("../../../frontend/src/styles/training.css")),
    atlas_shared::compact_css!(include_str!(
        "../../../frontend/src/styles/consultation.css"
    )),
    atlas_shared::compact_css!(include_str!("../../../frontend/src/styles/capture.css")),
    atlas_shared::compact_css!(include_str!("../../../frontend/src/styles/results.css")),
    atlas_shared::compact_css!(include_str!("../../../frontend/src/styles/plans.css")),
];

/// The Content-Security-Policy for a build whose `index.html` is `index_html` (`None`: no
/// build).
pub fn content_security_policy(index_html: Option<&str>) -> String {
    let inline = |tag: &str| {
        index_html
            .map(|html| inline_elements(html, tag))
            .unwrap_or_default()
    };
    let sources = |texts: Vec<&str>| -> String {
        texts
            .into_iter()
            .map(|text| format!(" 'sha256-{}'", sha256_base64(text)))
            .collect()
    };
    let scripts = sources(inline("script"));
    let styles = sources(
        [MAP_STYLE]
            .into_iter()
            .chain(PART_STYLES.iter().copied())
            .chain(inline("style"))
            .collect(),
    );
    DIRECTIVES
        .iter()
        .map(|d| {
            d.replace("{scripts}", &scripts)
                .replace("{styles}", &styles)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn sha256_base64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

/// The text of each inline `<tag>` element in `html` (one with no `src` attribute), exactly as
/// written, as a browser hashes it. Comments are skipped.
pub fn inline_elements<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    // ASCII lowercasing keeps every byte offset.
    let lower = html.to_ascii_lowercase();
    let open = format!("<{tag}");
    let close = format!("</{tag}");
    let mut found = Vec::new();
    let mut at = 0;
    while at < lower.len() {
        let Some(lt) = lower[at..].find('<').map(|i| at + i) else {
            break;
        };
        if lower[lt..].starts_with("<!--") {
            at = lower[lt + 4..]
                .find("-->")
                .map_or(lower.len(), |i| lt + 4 + i + 3);
            continue;
        }
        let after_name = lt + open.len();
        let is_tag = lower[lt..].starts_with(&open)
            && lower[after_name..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_whitespace() || c == '>' || c == '/');
        if !is_tag {
            at = lt + 1;
            continue;
        }
        let Some(end_of_open) = end_of_tag(&lower, after_name) else {
            break;
        };
        let attributes = &lower[after_name..end_of_open];
        let text_start = end_of_open + 1;
        let Some(text_end) = lower[text_start..].find(&close).map(|i| text_start + i) else {
            break;
        };
        if !attribute_names(attributes).any(|name| name == "src") {
            found.push(&html[text_start..text_end]);
        }
        at = text_end + close.len();
    }
    found
}

/// The index of the `>` that ends the tag whose attributes start at `from` (a `>` inside a
/// quoted value does not).
fn end_of_tag(lower: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in lower[from..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(from + i),
            (None, _) => {}
        }
    }
    None
}

/// The names of the attributes in an opening tag's text after its name.
fn attribute_names(attributes: &str) -> impl Iterator<Item = &str> {
    let mut rest = attributes;
    std::iter::from_fn(move || {
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if rest.is_empty() {
                return None;
            }
            let name_len = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
                .unwrap_or(rest.len());
            let name = &rest[..name_len];
            rest = rest[name_len..].trim_start();
            if let Some(value) = rest.strip_prefix('=') {
                let value = value.trim_start();
                rest = match value.chars().next() {
                    Some(q @ ('"' | '\'')) => value[1..].find(q).map_or("", |i| &value[i + 2..]),
                    _ => value
                        .find(|c: char| c.is_ascii_whitespace())
                        .map_or("", |i| &value[i..]),
                };
            }
            if !name.is_empty() {
                return Some(name);
            }
        }
    })
}

/// The policy for the build in a `dist` folder, kept in step with its `index.html`.
#[derive(Clone)]
pub struct Policy {
    index: PathBuf,
    current: Arc<RwLock<(Option<Stamp>, HeaderValue)>>,
}

/// What says index.html changed: its modification time and length.
type Stamp = (Option<SystemTime>, u64);

impl Policy {
    /// Reads `dist/index.html` now.
    pub fn for_dist(dist: &Path) -> Self {
        let index = dist.join("index.html");
        let stamp = stamp(&index);
        let text = std::fs::read_to_string(&index).ok();
        let policy = Self {
            current: Arc::new(RwLock::new((stamp, header_value(text.as_deref())))),
            index,
        };
        tracing::info!(csp = ?policy.value(), "content security policy");
        policy
    }

    /// The policy as it stands.
    pub fn value(&self) -> HeaderValue {
        match self.current.read() {
            Ok(current) => current.1.clone(),
            Err(poisoned) => poisoned.into_inner().1.clone(),
        }
    }

    /// The policy, read again first if index.html has changed since it was last read (a new
    /// build names new hashed files in its inline script).
    pub async fn refreshed(&self) -> HeaderValue {
        let index = self.index.clone();
        let known = match self.current.read() {
            Ok(current) => current.0,
            Err(poisoned) => poisoned.into_inner().0,
        };
        let read = tokio::task::spawn_blocking(move || {
            let now = stamp(&index);
            (now != known).then(|| (now, std::fs::read_to_string(&index).ok()))
        })
        .await;
        match read {
            Ok(Some((now, text))) => {
                let value = header_value(text.as_deref());
                tracing::info!(csp = ?value, "index.html changed: content security policy read again");
                if let Ok(mut current) = self.current.write() {
                    *current = (now, value.clone());
                }
                value
            }
            _ => self.value(),
        }
    }
}

fn stamp(index: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(index).ok()?;
    Some((meta.modified().ok(), meta.len()))
}

fn header_value(index_html: Option<&str>) -> HeaderValue {
    HeaderValue::from_str(&content_security_policy(index_html))
        // Only base64, ASCII sources and punctuation: always a valid header value.
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

const FIXED: [(HeaderName, &str); 4] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "same-origin"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    ),
];

/// Middleware: the security headers on every response (see the module docs).
pub async fn add_security_headers(
    State(policy): State<Policy>,
    request: Request,
    next: Next,
) -> Response {
    let api = is_api(request.uri().path());
    let mut response = next.run(request).await;
    // Only a page needs the current hashes (its inline scripts run under the policy it came
    // with); every other answer takes the policy as it stands.
    let page = !api
        && (response.status() == StatusCode::NOT_MODIFIED
            || response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|t| t.starts_with("text/html")));
    let csp = if page {
        policy.refreshed().await
    } else {
        policy.value()
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    for (name, value) in FIXED {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Middleware for the API: `Cache-Control: no-store` on every answer.
pub async fn no_store(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Middleware for the API: refuses a change sent from another site's page (see the module
/// docs).
pub async fn refuse_cross_site_writes(request: Request, next: Next) -> Response {
    let reads = [Method::GET, Method::HEAD, Method::OPTIONS];
    if !reads.contains(request.method())
        && let Some(from) = cross_site(request.headers(), request.uri().authority())
    {
        tracing::warn!(method = %request.method(), path = request.uri().path(), from, "refused a cross-site change");
        return Error::Forbidden(body(format!(
            "this change was sent from another site ({from}), and the server accepts changes \
             only from Partnership Atlas's own pages: open Partnership Atlas at its own address \
             and make the change there"
        )))
        .into_response();
    }
    next.run(request).await
}

/// Where a request came from, when that is another site: `None` when the browser says it is
/// this site, or says nothing.
fn cross_site(
    headers: &HeaderMap,
    authority: Option<&axum::http::uri::Authority>,
) -> Option<String> {
    let fetch_site = headers
        .get("sec-fetch-site")
        .map(|v| v.to_str().unwrap_or_default().trim());
    if fetch_site.is_some_and(|site| site.eq_ignore_ascii_case("cross-site")) {
        let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        return Some(origin.unwrap_or("Sec-Fetch-Site: cross-site").to_owned());
    }
    let origin = headers.get(header::ORIGIN)?;
    let origin = origin.to_str().unwrap_or("an unreadable Origin");
    // HTTP/1 names the address in `Host`; HTTP/2 in the request's authority.
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or(authority.map(|a| a.as_str()));
    if host.is_some_and(|host| same_host_and_port(origin, host)) {
        None
    } else {
        Some(origin.to_owned())
    }
}

/// Whether the `Origin` header `origin` names the same host and port as the `Host` header
/// `host` (which has no scheme: a missing port is the default of the origin's scheme).
fn same_host_and_port(origin: &str, host: &str) -> bool {
    let Ok(origin) = url::Url::parse(origin) else {
        // `null` (a sandboxed page, say) or nonsense.
        return false;
    };
    let Ok(host) = host.parse::<axum::http::uri::Authority>() else {
        return false;
    };
    let (Some(origin_host), Some(origin_port)) =
        (origin.host_str(), origin.port_or_known_default())
    else {
        return false;
    };
    let host_port = host.port_u16().or(match origin.scheme() {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    });
    origin_host.eq_ignore_ascii_case(host.host()) && Some(origin_port) == host_port
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_found_and_external_ones_and_comments_are_not() {
        let html = r#"<!doctype html><html><head>
            <!-- <script>not this</script> -->
            <script src="/app.js"></script>
            <SCRIPT type="module">import init from '/a.js';await init('/a_bg.wasm');</SCRIPT>
            <script data-x='a>b' >one()</script>
            <style>p { color: red }</style>
            <link rel="stylesheet" href="/s.css">
            </head><body><script>two()</script></body></html>"#;
        assert_eq!(
            inline_elements(html, "script"),
            [
                "import init from '/a.js';await init('/a_bg.wasm');",
                "one()",
                "two()"
            ]
        );
        assert_eq!(inline_elements(html, "style"), ["p { color: red }"]);
        assert!(inline_elements("<scripts>x</scripts>", "script").is_empty());
    }

    #[test]
    fn the_policy_carries_each_inline_script_by_its_sha256() {
        // echo -n "alert(1)" | openssl dgst -sha256 -binary | base64
        let csp = content_security_policy(Some("<script>alert(1)</script>"));
        assert!(
            csp.contains(
                "script-src 'self' 'wasm-unsafe-eval' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=';"
            ),
            "{csp}"
        );
        let none = content_security_policy(None);
        assert!(
            none.contains("script-src 'self' 'wasm-unsafe-eval';"),
            "{none}"
        );
    }

    #[test]
    fn every_sheet_the_parts_insert_is_allowed_by_its_hash() {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../frontend/src/styles");
        let mut sheets: Vec<String> = std::fs::read_dir(folder)
            .unwrap_or_else(|e| panic!("{folder}: {e}"))
            .flatten()
            .map(|f| f.path())
            .filter(|p| p.extension().is_some_and(|e| e == "css"))
            .map(|p| std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p:?}: {e}")))
            .map(|css| atlas_shared::css::compact(&css).expect("a readable stylesheet"))
            .collect();
        sheets.sort();
        let mut listed: Vec<String> = PART_STYLES.iter().map(|s| (*s).to_owned()).collect();
        listed.sort();
        assert_eq!(
            sheets, listed,
            "PART_STYLES lists every file of frontend/src/styles, and only those"
        );
        let csp = content_security_policy(None);
        for sheet in PART_STYLES.iter().chain([&MAP_STYLE]) {
            assert!(
                csp.contains(&format!("'sha256-{}'", sha256_base64(sheet))),
                "{csp}"
            );
        }
    }

    #[test]
    fn an_origin_matches_its_host_with_default_ports() {
        assert!(same_host_and_port(
            "http://127.0.0.1:8080",
            "127.0.0.1:8080"
        ));
        assert!(same_host_and_port("https://atlas.example", "atlas.example"));
        assert!(same_host_and_port(
            "https://atlas.example",
            "atlas.example:443"
        ));
        assert!(same_host_and_port("http://Atlas.Example", "atlas.example"));
        assert!(same_host_and_port("http://[::1]:8080", "[::1]:8080"));
        assert!(!same_host_and_port(
            "http://127.0.0.1:8081",
            "127.0.0.1:8080"
        ));
        assert!(!same_host_and_port(
            "https://atlas.example",
            "atlas.example:80"
        ));
        assert!(!same_host_and_port("https://evil.example", "atlas.example"));
        assert!(!same_host_and_port("null", "atlas.example"));
    }
}
