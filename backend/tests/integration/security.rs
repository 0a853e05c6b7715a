//! What keeps browsers safe with this server: the security headers on every response (the
//! content security policy with the hashes of index.html's inline scripts), the API's refusal
//! of cross-site changes, and the time and concurrency limits.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::*;
use atlas_shared::{ErrorBody, PROTOCOL_VERSION, PushRequest, Seq};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

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

async fn with_dist(configure: impl FnOnce(&mut atlas_backend::Config)) -> TestServer {
    let storage = Storage::new();
    let dist = storage.dir.path().join("dist");
    write_dist(&dist);
    TestServer::start_configured(
        storage,
        Options {
            demo: false,
            dist: Some(dist),
        },
        configure,
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
    let server = with_dist(|_| {}).await;
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
    let server = with_dist(|_| {}).await;
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

/// Reads until the server closes the connection or `limit` passes; what was read, and
/// whether it closed.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, bool) {
    let mut got = Vec::new();
    let deadline = tokio::time::Instant::now() + limit;
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return (String::from_utf8_lossy(&got).into_owned(), false),
            Ok(Ok(0) | Err(_)) => return (String::from_utf8_lossy(&got).into_owned(), true),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected_after_the_timeout() {
    let timeout = Duration::from_millis(300);
    let server = with_dist(|config| config.header_read_timeout = timeout).await;
    let addr = server.base.trim_start_matches("http://").to_owned();

    let started = Instant::now();
    let mut slow = TcpStream::connect(&addr).await.expect("connects");
    // The headers begun and never ended (no blank line).
    slow.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: 1")
        .await
        .expect("sent");
    let (answer, closed) = read_until_closed(&mut slow, Duration::from_secs(10)).await;
    assert!(closed, "still open after 10 s; read {answer:?}");
    assert!(
        !answer.contains("200 OK"),
        "an unfinished request was answered: {answer}"
    );
    assert!(
        started.elapsed() >= timeout.mul_f32(0.8),
        "closed after {:?}, before the timeout",
        started.elapsed()
    );

    // A connection that sends nothing at all goes the same way.
    let mut silent = TcpStream::connect(&addr).await.expect("connects");
    let (_, closed) = read_until_closed(&mut silent, Duration::from_secs(10)).await;
    assert!(closed, "a silent connection still open after 10 s");

    // And a prompt client is served.
    let (status, _) = server.get("/api/health").await;
    assert_eq!(status, 200);
}

/// Sends a push's headers and only part of its body, so it waits for the rest.
async fn start_a_push_that_never_finishes(addr: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    stream
        .write_all(
            b"POST /api/sync/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 1000\r\n\r\n{\"protocol\": 1,",
        )
        .await
        .expect("sent");
    stream
}

#[tokio::test]
async fn an_api_request_over_the_time_limit_is_a_json_503() {
    let limit = Duration::from_millis(400);
    let server = with_dist(|config| config.request_timeout = limit).await;
    let addr = server.base.trim_start_matches("http://").to_owned();
    let started = Instant::now();
    let mut stream = start_a_push_that_never_finishes(&addr).await;
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    // Read until the JSON body's end (the server keeps the connection open).
    while !answer.ends_with(b"}") {
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf))
            .await
            .expect("answered within 10 s")
            .expect("read");
        assert!(n > 0, "closed without an answer");
        answer.extend_from_slice(&buf[..n]);
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        started.elapsed() >= limit.mul_f32(0.8),
        "{:?}",
        started.elapsed()
    );
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{answer}"
    );
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("content-security-policy:"),
        "{answer}"
    );
    let json = &answer[answer.find("\r\n\r\n").expect("a body") + 4..];
    let body: ErrorBody = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert!(
        body.error.contains("within 0.4 seconds") && body.error.contains("try again"),
        "{}",
        body.error
    );
    assert!(
        answer.to_ascii_lowercase().contains("retry-after: 5"),
        "the app is told when to send it again: {answer}"
    );
    assert_eq!(body.retry_after_secs, Some(5));
}

#[tokio::test]
async fn requests_over_the_concurrency_limit_wait_for_a_turn() {
    let limit = Duration::from_millis(500);
    let server = with_dist(|config| {
        config.max_concurrent_requests = 1;
        config.request_timeout = limit;
    })
    .await;
    let addr = server.base.trim_start_matches("http://").to_owned();
    // The one turn, held by a push whose body never comes (until the time limit ends it).
    let started = Instant::now();
    let _holder = start_a_push_that_never_finishes(&addr).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (status, _) = server.get("/api/health").await;
    assert_eq!(status, 200);
    assert!(
        started.elapsed() >= limit.mul_f32(0.8),
        "answered after {:?}, while the only turn was taken",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_request_in_flight_when_the_server_stops_is_still_answered() {
    let server = TestServer::start().await;
    let addr = server.base.trim_start_matches("http://").to_owned();
    let (_, mutation) = partnership("Bath and North East Somerset Public Services Board");
    let body = serde_json::to_vec(&PushRequest {
        protocol: PROTOCOL_VERSION,
        device_id: device(),
        mutations: vec![mutation],
    })
    .expect("a push body");
    let (first, rest) = body.split_at(body.len() / 2);
    let mut stream = TcpStream::connect(&addr).await.expect("connects");
    let head = format!(
        "POST /api/sync/push HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("sent");
    stream.write_all(first).await.expect("sent");
    tokio::time::sleep(Duration::from_millis(200)).await;

    let stopping = tokio::spawn(server.stop());
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!stopping.is_finished(), "stopped with a request in flight");
    stream.write_all(rest).await.expect("the rest sent");
    let (answer, closed) = read_until_closed(&mut stream, Duration::from_secs(10)).await;
    // Nobody signed in on this hand-written connection: the push is answered with its
    // refusal, which is what shows the request was read whole and answered.
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    assert!(answer.contains("sign in"), "{answer}");
    assert!(closed, "the connection closes after the answer");
    tokio::time::timeout(Duration::from_secs(10), stopping)
        .await
        .expect("the server stops once the request is answered")
        .expect("the stop does not panic");
}

#[tokio::test]
async fn pushes_still_uploading_do_not_hold_up_the_others() {
    // Pushes take turns once their bodies are in: twenty tablets on a slow connection, still
    // sending, must not keep a tablet whose push has arrived waiting.
    let server = with_dist(|_| {}).await;
    let addr = server.base.trim_start_matches("http://").to_owned();
    let mut slow = Vec::new();
    for _ in 0..20 {
        slow.push(start_a_push_that_never_finishes(&addr).await);
    }
    let (_, sent) = partnership("Redditch Partnership");
    let pushed = tokio::time::timeout(Duration::from_secs(5), server.push(vec![sent]))
        .await
        .expect("a whole push is answered while others are still uploading");
    applied_version(&pushed.results[0].outcome);
    drop(slow);
}
