//! What keeps browsers safe with this server: the security headers on every response (the
//! content security policy with the hashes of index.html's inline scripts), the API's refusal
//! of cross-site changes.

mod common;

use std::path::Path;

use atlas_shared::{ErrorBody, PROTOCOL_VERSION, PushRequest, Seq};
use common::*;

/// trunk's loader, as it writes it into index.html: inline, so the policy must name its hash.
const LOADER: &str = "import init from '/atlas-frontend-1a2b3c.js';\
    await init({module_or_path:'/atlas-frontend-1a2b3c_bg.wasm'});";
/// `echo -n "$LOADER" | openssl dgst -sha256 -binary | base64`
const LOADER_HASH: &str = "'sha256-dzKgUPYbwMktxKCJGtsCDv07Yrj7oCE1Ii6ue6DGdkk='";
/// The loader of a later build (new hashed names, and longer: a new size as well as a new
/// time says the file changed), and its hash.
const NEXT_LOADER: &str = "import init from '/atlas-frontend-9f8e7d.js';\
    await init({module_or_path:'/atlas-frontend-9f8e7d_bg.wasm'});\
    dispatchEvent(new Event('started'));";
const NEXT_LOADER_HASH: &str = "'sha256-QGxV/MqPkkR4GAtNSGnz2gX7olXKKkPcBHsAmdSsp3k='";

fn index_html(loader: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><title>Partnership Atlas</title>\
         <script type=\"module\">{loader}</script>\
         <link rel=\"modulepreload\" href=\"/atlas-frontend-1a2b3c.js\"></head><body></body></html>"
    )
}

fn write_dist(dir: &Path) {
    std::fs::create_dir_all(dir).expect("dist folder");
    std::fs::write(dir.join("index.html"), index_html(LOADER)).expect("index.html");
    std::fs::write(dir.join("atlas-frontend-1a2b3c.js"), "export default 1;\n").expect("js");
    std::fs::write(dir.join("sw.js"), "'use strict';\n").expect("sw.js");
}

async fn with_dist() -> TestServer {
    let storage = Storage::new();
    let dist = storage.dir.path().join("dist");
    write_dist(&dist);
    TestServer::start_on(
        storage,
        Options {
            demo: false,
            dist: Some(dist),
        },
    )
    .await
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The headers every response carries, whatever answered it.
fn assert_security_headers(what: &str, response: &reqwest::Response) {
    let csp = header(response, "content-security-policy");
    for directive in [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ] {
        assert!(
            csp.contains(directive),
            "{what}: {directive:?} not in {csp:?}"
        );
    }
    let script_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap_or_default();
    assert!(
        !script_src.contains("unsafe-inline") && !script_src.contains("'unsafe-eval'"),
        "{what}: {script_src}"
    );
    // Inline style elements only by hash (the map's); only style attributes go unchecked.
    let style_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("style-src "))
        .unwrap_or_default();
    assert!(
        style_src.contains("'self' 'sha256-") && !style_src.contains("unsafe-inline"),
        "{what}: {style_src}"
    );
    assert!(
        csp.contains("style-src-attr 'unsafe-inline'"),
        "{what}: {csp}"
    );
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
    ] {
        assert_eq!(header(response, name), value, "{what}: {name}");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_api_answers_are_not_stored() {
    let server = with_dist().await;
    let get = |path: &str| server.client.get(server.url(path)).send();

    let api = get("/api/health").await.expect("sent");
    assert_eq!(api.status(), 200);
    assert_security_headers("an API answer", &api);
    assert_eq!(header(&api, "cache-control"), "no-store");

    let page = get("/").await.expect("sent");
    assert_eq!(page.status(), 200);
    assert_security_headers("a page", &page);
    assert_eq!(
        header(&page, "cache-control"),
        "no-cache",
        "static caching kept"
    );

    let asset = get("/atlas-frontend-1a2b3c.js").await.expect("sent");
    assert_eq!(asset.status(), 200);
    assert_security_headers("a static file", &asset);
    assert!(
        header(&asset, "cache-control").contains("immutable"),
        "static caching kept"
    );

    let missing_file = get("/atlas-frontend-000000.js").await.expect("sent");
    assert_eq!(missing_file.status(), 404);
    assert_security_headers("a missing file", &missing_file);

    let missing_api = get("/api/nothing-here").await.expect("sent");
    assert_eq!(missing_api.status(), 404);
    assert_security_headers("a missing API", &missing_api);
    assert_eq!(header(&missing_api, "cache-control"), "no-store");

    let refused = server
        .client
        .post(server.url("/api/sync/push"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("sent");
    assert_eq!(refused.status(), 400);
    assert_security_headers("an API error", &refused);
    assert_eq!(header(&refused, "cache-control"), "no-store");

    // With no build: the 503 page that says how to build, and still every header.
    let unbuilt = TestServer::start().await;
    let page = unbuilt
        .client
        .get(unbuilt.url("/"))
        .send()
        .await
        .expect("sent");
    assert_eq!(page.status(), 503);
    assert_security_headers("the page of an unbuilt frontend", &page);
    let csp = header(&page, "content-security-policy");
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "no inline script allowed: {csp}"
    );
}

#[tokio::test]
async fn the_policy_allows_index_htmls_inline_script_by_its_hash_and_follows_a_new_build() {
    let server = with_dist().await;
    let csp = |response: &reqwest::Response| header(response, "content-security-policy");
    let page = server
        .client
        .get(server.url("/"))
        .send()
        .await
        .expect("sent");
    let policy = csp(&page);
    assert!(
        policy.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' {LOADER_HASH};"
        )),
        "{policy}"
    );
    // A client route gets index.html, under the same policy; so does an API answer.
    let route = server
        .client
        .get(server.url("/bodies/0190e1a2-7c3b-7000-8000-000000000001/edit"))
        .send()
        .await
        .expect("sent");
    assert_eq!(csp(&route), policy);

    // A new build, with the server still running: its loader names new files.
    let dist = server.storage.dir.path().join("dist");
    std::fs::write(dist.join("index.html"), index_html(NEXT_LOADER)).expect("a new index.html");
    let page = server
        .client
        .get(server.url("/"))
        .send()
        .await
        .expect("sent");
    let policy = csp(&page);
    assert!(policy.contains(NEXT_LOADER_HASH), "{policy}");
    assert!(
        !policy.contains(LOADER_HASH),
        "the old build's hash is gone: {policy}"
    );
}

/// Pushes one new partnership with `headers` added, returning the status and body.
async fn push_with(server: &TestServer, headers: &[(&str, &str)]) -> (u16, String) {
    let (_, mutation) = partnership("Redditch Partnership");
    let mut request = server
        .client
        .post(server.url("/api/sync/push"))
        .json(&PushRequest {
            protocol: PROTOCOL_VERSION,
            device_id: device(),
            mutations: vec![mutation],
        });
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    let content_type = header(&response, "content-type");
    let text = response.text().await.expect("a body");
    if status != 200 {
        assert!(
            content_type.starts_with("application/json"),
            "{status}: {content_type}: {text}"
        );
    }
    (status, text)
}

#[tokio::test]
async fn a_change_sent_from_another_site_is_a_json_403_and_stores_nothing() {
    let server = TestServer::start().await;
    for headers in [
        &[("sec-fetch-site", "cross-site")][..],
        &[("origin", "https://evil.example")],
        &[("origin", "null")],
        // Same host, another port: another origin.
        &[("origin", "http://127.0.0.1:1")],
        // An honest Sec-Fetch-Site does not excuse a foreign Origin.
        &[
            ("sec-fetch-site", "same-origin"),
            ("origin", "https://evil.example"),
        ],
    ] {
        let (status, text) = push_with(&server, headers).await;
        assert_eq!(status, 403, "{headers:?}: {text}");
        let body: ErrorBody = serde_json::from_str(&text).expect("an ErrorBody");
        assert!(
            body.error.contains("another site") && body.error.contains("open Partnership Atlas"),
            "{}",
            body.error
        );
    }
    // A cross-site count of a refused answer is refused too (every write under /api).
    let response = server
        .client
        .post(server.url(&format!("/api/refused/{}/count", new_id())))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 403);
    assert!(
        server.pull(Seq(0)).await.changes.is_empty(),
        "nothing stored"
    );
}

#[tokio::test]
async fn a_change_from_the_apps_own_page_or_with_no_browser_headers_passes() {
    let server = TestServer::start().await;
    let own = server.base.clone();
    for headers in [
        &[("origin", own.as_str()), ("sec-fetch-site", "same-origin")][..],
        &[("origin", own.as_str())],
        &[("sec-fetch-site", "same-origin")],
        &[("sec-fetch-site", "none")],
        // curl, scripts, the app's own tests: no Origin, no Sec-Fetch-Site.
        &[],
    ] {
        let (status, text) = push_with(&server, headers).await;
        assert_eq!(status, 200, "{headers:?}: {text}");
    }
    // Reading is never refused: a GET from another site cannot change anything.
    let response = server
        .client
        .get(server.url("/api/health"))
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
}
