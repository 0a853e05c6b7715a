//! The built frontend: client routes get the app shell, assets their content type and cache
//! headers, precompressed copies go to browsers that accept them, and a server with no build
//! still serves the API.

use std::path::Path;

use crate::common::*;

const INDEX: &str = "<!doctype html><html lang=\"en\"><head><title>Partnership Atlas</title>\
    <link rel=\"modulepreload\" href=\"/atlas-frontend-1a2b3c.js\"></head><body></body></html>";

const WASM: &[u8] = b"\0asm\x01\0\0\0";
/// Stand-ins for the precompressed copies `cargo xtask` writes: the server sends them as
/// they are, so distinct bytes show which copy was sent.
const WASM_BR: &[u8] = b"brotli copy of the wasm";
const WASM_GZ: &[u8] = b"gzip copy of the wasm";
const INDEX_BR: &[u8] = b"brotli copy of index.html";
const MANIFEST: &str = r#"{"name":"Partnership Atlas","start_url":"/"}"#;

/// A dist folder like the build's: index.html, the service worker, hashed assets, the web
/// app manifest and an icon, and `.br` / `.gz` copies of some of them.
fn write_dist(dir: &Path) {
    std::fs::create_dir_all(dir).expect("dist folder");
    std::fs::write(dir.join("index.html"), INDEX).expect("index.html");
    std::fs::write(
        dir.join("sw.js"),
        "self.addEventListener('install', () => {});\n",
    )
    .expect("sw.js");
    std::fs::write(dir.join("atlas-frontend-1a2b3c_bg.wasm"), WASM.repeat(512)).expect("wasm");
    std::fs::write(dir.join("atlas-frontend-1a2b3c_bg.wasm.br"), WASM_BR).expect("wasm.br");
    std::fs::write(dir.join("atlas-frontend-1a2b3c_bg.wasm.gz"), WASM_GZ).expect("wasm.gz");
    std::fs::write(dir.join("index.html.br"), INDEX_BR).expect("index.html.br");
    std::fs::write(dir.join("manifest.webmanifest"), MANIFEST).expect("manifest");
    std::fs::create_dir_all(dir.join("icons")).expect("icons folder");
    std::fs::write(dir.join("icons/icon-192.png"), b"\x89PNG\r\n\x1a\n").expect("icon");
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

async fn get(server: &TestServer, path: &str, accept_encoding: Option<&str>) -> reqwest::Response {
    let mut request = server.client.get(server.url(path));
    if let Some(encoding) = accept_encoding {
        request = request.header("accept-encoding", encoding);
    }
    let response = request.send().await.expect("sent");
    assert_eq!(response.status(), 200, "{path} with {accept_encoding:?}");
    response
}

#[tokio::test]
async fn the_wasm_is_sent_as_its_brotli_or_gzip_copy_when_accepted_and_as_it_is_otherwise() {
    let server = with_dist().await;
    let path = "/atlas-frontend-1a2b3c_bg.wasm";
    for (accept, encoding, body) in [
        (Some("br"), "br", WASM_BR.to_vec()),
        (Some("gzip, deflate, br, zstd"), "br", WASM_BR.to_vec()),
        (Some("gzip"), "gzip", WASM_GZ.to_vec()),
        (Some("br;q=0, gzip"), "gzip", WASM_GZ.to_vec()),
        (None, "", WASM.repeat(512)),
        (Some("identity"), "", WASM.repeat(512)),
    ] {
        let response = get(&server, path, accept).await;
        assert_eq!(
            header(&response, "content-encoding"),
            encoding,
            "{accept:?}"
        );
        assert_eq!(
            header(&response, "content-type"),
            "application/wasm",
            "{accept:?}"
        );
        assert_eq!(header(&response, "vary"), "accept-encoding", "{accept:?}");
        assert_eq!(
            header(&response, "cache-control"),
            "public, max-age=31536000, immutable",
            "{accept:?}"
        );
        assert_eq!(
            response.bytes().await.expect("body").to_vec(),
            body,
            "{accept:?}"
        );
    }
}

#[tokio::test]
async fn a_file_without_a_compressed_copy_is_sent_as_it_is_not_compressed_while_serving() {
    let server = with_dist().await;
    for path in ["/atlas-frontend-1a2b3c.js", "/style-4d5e6f.css", "/sw.js"] {
        let on_disk = std::fs::read(server.storage.dir.path().join("dist").join(&path[1..]))
            .expect("the file in dist");
        let response = get(&server, path, Some("br, gzip")).await;
        assert_eq!(header(&response, "content-encoding"), "", "{path}");
        assert_eq!(header(&response, "vary"), "accept-encoding", "{path}");
        assert_eq!(
            response.bytes().await.expect("body").to_vec(),
            on_disk,
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_client_route_gets_the_precompressed_app_shell_when_accepted() {
    let server = with_dist().await;
    let response = get(&server, "/partnerships", Some("br")).await;
    assert_eq!(header(&response, "content-encoding"), "br");
    assert!(header(&response, "content-type").starts_with("text/html"));
    assert_eq!(header(&response, "cache-control"), "no-cache");
    assert_eq!(header(&response, "vary"), "accept-encoding");
    assert_eq!(response.bytes().await.expect("body").to_vec(), INDEX_BR);
    let plain = get(&server, "/partnerships", None).await;
    assert_eq!(header(&plain, "content-encoding"), "");
    assert_eq!(plain.text().await.expect("body"), INDEX);
}

#[tokio::test]
async fn the_manifest_is_application_manifest_json_and_it_and_its_icons_are_revalidated() {
    let server = with_dist().await;
    let manifest = get(&server, "/manifest.webmanifest", None).await;
    assert_eq!(
        header(&manifest, "content-type"),
        "application/manifest+json"
    );
    assert_eq!(header(&manifest, "cache-control"), "no-cache");
    assert_eq!(manifest.text().await.expect("body"), MANIFEST);
    let icon = get(&server, "/icons/icon-192.png", Some("br")).await;
    assert_eq!(header(&icon, "content-type"), "image/png");
    assert_eq!(header(&icon, "content-encoding"), "");
    assert_eq!(header(&icon, "cache-control"), "no-cache");
}

#[tokio::test]
async fn api_answers_are_still_compressed_with_brotli_or_gzip_when_asked() {
    let server = with_dist().await;
    for encoding in ["br", "gzip"] {
        let response = get(&server, "/api/sync/pull?since=0", Some(encoding)).await;
        assert_eq!(header(&response, "content-encoding"), encoding);
        assert!(header(&response, "content-type").starts_with("application/json"));
    }
    let plain = get(&server, "/api/sync/pull?since=0", None).await;
    assert_eq!(header(&plain, "content-encoding"), "");
    let body: serde_json::Value = plain.json().await.expect("JSON");
    assert!(body.get("changes").is_some(), "{body}");
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
