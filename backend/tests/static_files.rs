//! The built frontend: client routes get the app shell, assets their content type and cache
//! headers, and a server with no build still serves the API.

mod common;

use std::path::Path;

use common::*;

const INDEX: &str = "<!doctype html><html lang=\"en\"><head><title>Partnership Atlas</title>\
    <link rel=\"modulepreload\" href=\"/atlas-frontend-1a2b3c.js\"></head><body></body></html>";

/// A dist folder like trunk's: index.html, the service worker and hashed assets.
fn write_dist(dir: &Path) {
    std::fs::create_dir_all(dir).expect("dist folder");
    std::fs::write(dir.join("index.html"), INDEX).expect("index.html");
    std::fs::write(
        dir.join("sw.js"),
        "self.addEventListener('install', () => {});\n",
    )
    .expect("sw.js");
    std::fs::write(
        dir.join("atlas-frontend-1a2b3c_bg.wasm"),
        b"\0asm\x01\0\0\0".repeat(512),
    )
    .expect("wasm");
    std::fs::write(
        dir.join("atlas-frontend-1a2b3c.js"),
        "export default function init() { return 'Partnership Atlas'; }\n".repeat(50),
    )
    .expect("js");
    std::fs::write(
        dir.join("style-4d5e6f.css"),
        "body { margin: 0 }\n".repeat(50),
    )
    .expect("css");
}

async fn with_dist() -> TestServer {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let dist = dir.path().join("dist");
    write_dist(&dist);
    TestServer::start_in(
        dir,
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

#[tokio::test]
async fn a_client_route_gets_index_html_with_200_and_no_cache() {
    let server = with_dist().await;
    for path in [
        "/",
        "/bodies/0190e1a2-7c3b-7000-8000-000000000001/edit",
        "/partnerships",
    ] {
        let response = server
            .client
            .get(server.url(path))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 200, "{path}");
        assert!(
            header(&response, "content-type").starts_with("text/html"),
            "{path}"
        );
        assert_eq!(header(&response, "cache-control"), "no-cache", "{path}");
        assert_eq!(response.text().await.expect("body"), INDEX, "{path}");
    }
}

#[tokio::test]
async fn a_missing_asset_is_a_404_not_the_app_shell() {
    let server = with_dist().await;
    let response = server
        .client
        .get(server.url("/atlas-frontend-000000_bg.wasm"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 404);
    assert_ne!(response.text().await.expect("body"), INDEX);
}

#[tokio::test]
async fn wasm_is_served_as_application_wasm_and_cached_as_immutable() {
    let server = with_dist().await;
    let response = server
        .client
        .get(server.url("/atlas-frontend-1a2b3c_bg.wasm"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), "application/wasm");
    assert_eq!(
        header(&response, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    let css = server
        .client
        .get(server.url("/style-4d5e6f.css"))
        .send()
        .await
        .expect("sent");
    assert!(header(&css, "content-type").starts_with("text/css"));
    assert_eq!(
        header(&css, "cache-control"),
        "public, max-age=31536000, immutable"
    );
}

#[tokio::test]
async fn index_html_and_the_service_worker_are_always_revalidated() {
    let server = with_dist().await;
    for path in ["/index.html", "/sw.js"] {
        let response = server
            .client
            .get(server.url(path))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(header(&response, "cache-control"), "no-cache", "{path}");
    }
    let sw = server
        .client
        .get(server.url("/sw.js"))
        .send()
        .await
        .expect("sent");
    assert!(header(&sw, "content-type").contains("javascript"));
}

#[tokio::test]
async fn assets_are_compressed_with_brotli_or_gzip_when_asked() {
    let server = with_dist().await;
    for encoding in ["br", "gzip"] {
        let response = server
            .client
            .get(server.url("/atlas-frontend-1a2b3c.js"))
            .header("accept-encoding", encoding)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 200);
        assert_eq!(header(&response, "content-encoding"), encoding);
    }
}

#[tokio::test]
async fn without_a_built_frontend_pages_say_how_to_build_it_and_the_api_works() {
    let server = TestServer::start().await;
    let response = server
        .client
        .get(server.url("/"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 503);
    let text = response.text().await.expect("body");
    assert!(text.contains("has not been built"), "{text}");
    assert!(text.contains("cargo xtask run"), "{text}");
    let health = server
        .client
        .get(server.url("/api/health"))
        .send()
        .await
        .expect("sent");
    assert_eq!(health.status(), 200);
}
