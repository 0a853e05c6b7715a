//! Every refusal is a JSON `ErrorBody` with the right status and a sentence a developer can act
//! on; never axum's plain text.

use crate::common::*;
use atlas_shared::seeds::REDDITCH;
use atlas_shared::{
    BodyKind, ErrorBody, MAX_MUTATIONS_PER_PUSH, MAX_PUSH_BYTES, PROTOCOL_VERSION, PushRequest,
};
use serde_json::json;

/// Reads a response that must be a JSON `ErrorBody`.
async fn error_body(response: reqwest::Response) -> (u16, ErrorBody) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.expect("a body");
    assert!(
        content_type.starts_with("application/json"),
        "{status} answered {content_type}: {text}"
    );
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (status, body)
}

fn parse(text: &str) -> ErrorBody {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not an ErrorBody ({e}): {text}"))
}

#[tokio::test]
async fn malformed_json_is_a_400_json_error_with_serdes_explanation() {
    let server = TestServer::start().await;
    let (status, text) = server.push_raw(r#"{"protocol": 1, "mutations": [}"#).await;
    assert_eq!(status, 400, "{text}");
    let e = parse(&text);
    assert!(e.error.contains("not valid JSON"), "{}", e.error);
    assert!(e.error.contains("line 1 column"), "{}", e.error);
}

#[tokio::test]
async fn wrong_types_are_a_422_json_error_naming_the_field() {
    let server = TestServer::start().await;
    let body = json!({"protocol": 1, "device_id": "not-a-uuid", "mutations": []});
    let (status, text) = server.push_raw(body.to_string()).await;
    assert_eq!(status, 422, "{text}");
    assert!(parse(&text).error.contains("device_id"), "{text}");

    let body = json!({"protocol": 1, "device_id": new_id(), "mutations": "all of them"});
    let (status, text) = server.push_raw(body.to_string()).await;
    assert_eq!(status, 422, "{text}");
    assert!(parse(&text).error.contains("mutations"), "{text}");
}

#[tokio::test]
async fn an_unknown_entity_kind_is_a_422_json_error_that_names_it() {
    let server = TestServer::start().await;
    let body = json!({
        "protocol": 1,
        "device_id": new_id(),
        "mutations": [{
            "id": new_id(),
            "kind": "spaceship",
            "record_id": new_id(),
            "op": {"type": "delete", "base_version": null}
        }]
    });
    let (status, text) = server.push_raw(body.to_string()).await;
    assert_eq!(status, 422, "{text}");
    let e = parse(&text);
    assert!(e.error.contains("spaceship"), "{}", e.error);
    assert!(e.error.contains("mutations[0].kind"), "{}", e.error);
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_that_states_the_limit() {
    let server = TestServer::start().await;
    let mut body = String::from(r#"{"protocol": 1, "device_id": "x", "mutations": [], "pad": ""#);
    body.push_str(&"x".repeat(MAX_PUSH_BYTES + MAX_PUSH_BYTES / 2));
    body.push_str("\"}");
    let (status, text) = server.push_raw(body).await;
    assert_eq!(status, 413, "{text}");
    let e = parse(&text);
    assert_eq!(e.limit_bytes, Some(MAX_PUSH_BYTES as u64));
    assert!(e.error.contains("2 MiB limit"), "{}", e.error);
}

#[tokio::test]
async fn more_mutations_than_a_push_may_carry_is_a_413_saying_how_many() {
    let server = TestServer::start().await;
    let (p, _) = partnership(REDDITCH);
    let mutations = (0..=MAX_MUTATIONS_PER_PUSH)
        .map(|_| body(p, "Themed Group", BodyKind::ThematicPartnership).1)
        .collect();
    let request = PushRequest {
        protocol: PROTOCOL_VERSION,
        device_id: device(),
        mutations,
    };
    let (status, text) = server
        .push_raw(serde_json::to_vec(&request).expect("JSON"))
        .await;
    assert_eq!(status, 413, "{text}");
    let e = parse(&text);
    assert!(e.error.contains("at most 500 mutations"), "{}", e.error);
    assert!(e.error.contains("501"), "{}", e.error);
}

#[tokio::test]
async fn an_unsupported_protocol_is_a_400_listing_the_supported_ones() {
    let server = TestServer::start().await;
    // A newer client's body may not even fit this server's types: the protocol is still what
    // it is told about.
    let body = json!({"protocol": 2, "device_id": new_id(), "mutations": [], "batch": {}});
    let (status, text) = server.push_raw(body.to_string()).await;
    assert_eq!(status, 400, "{text}");
    let e = parse(&text);
    assert_eq!(e.supported_protocols, Some(vec![1]));
    assert!(
        e.error
            .contains("unsupported sync protocol version 2; this server speaks version 1"),
        "{}",
        e.error
    );

    let response = server
        .client
        .get(server.url("/api/sync/pull?since=0&protocol=7"))
        .send()
        .await
        .expect("sent");
    let (status, e) = error_body(response).await;
    assert_eq!(status, 400);
    assert_eq!(e.supported_protocols, Some(vec![1]));
    assert!(e.error.contains("version 7"), "{}", e.error);
}

#[tokio::test]
async fn a_pull_with_a_since_that_is_not_a_number_is_a_400_json_error() {
    let server = TestServer::start().await;
    let response = server
        .client
        .get(server.url("/api/sync/pull?since=yesterday"))
        .send()
        .await
        .expect("sent");
    let (status, e) = error_body(response).await;
    assert_eq!(status, 400);
    assert!(e.error.contains("since"), "{}", e.error);
}

#[tokio::test]
async fn a_pull_without_since_starts_from_the_beginning_and_accepts_protocol_1() {
    let server = TestServer::start().await;
    let response = server
        .client
        .get(server.url("/api/sync/pull?protocol=1"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let pulled: atlas_shared::PullResponse = response.json().await.expect("a PullResponse");
    assert_eq!(pulled.cursor, atlas_shared::Seq(0));
}

#[tokio::test]
async fn a_push_that_is_not_json_is_a_415_json_error() {
    let server = TestServer::start().await;
    let response = server
        .client
        .post(server.url("/api/sync/push"))
        .header("content-type", "text/plain")
        .body("protocol=1")
        .send()
        .await
        .expect("sent");
    let (status, e) = error_body(response).await;
    assert_eq!(status, 415);
    assert!(e.error.contains("application/json"), "{}", e.error);
}

#[tokio::test]
async fn an_unknown_api_path_is_a_404_json_error() {
    let server = TestServer::start().await;
    let response = server
        .client
        .get(server.url("/api/consultations"))
        .send()
        .await
        .expect("sent");
    let (status, e) = error_body(response).await;
    assert_eq!(status, 404);
    assert!(e.error.contains("/api/consultations"), "{}", e.error);
}

#[tokio::test]
async fn a_wrong_method_on_an_api_route_is_a_405_json_error() {
    let server = TestServer::start().await;
    let response = server
        .client
        .get(server.url("/api/sync/push"))
        .send()
        .await
        .expect("sent");
    let (status, e) = error_body(response).await;
    assert_eq!(status, 405);
    assert!(
        e.error.contains("GET is not allowed on /api/sync/push"),
        "{}",
        e.error
    );

    let response = server
        .client
        .delete(server.url("/api/sync/pull"))
        .send()
        .await
        .expect("sent");
    assert_eq!(error_body(response).await.0, 405);
}

#[tokio::test]
async fn health_reports_ok_the_protocol_and_the_database() {
    let server = TestServer::start().await;
    let response = server
        .client
        .get(server.url("/api/health"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let v: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(
        v,
        json!({"status": "ok", "protocol": 1, "database": server.storage.backend()})
    );
}

#[tokio::test]
async fn health_is_a_503_json_error_when_the_database_does_not_answer() {
    // On the test database (PostgreSQL too, with `ATLAS_TEST_DATABASE_URL`).
    let storage = Storage::new();
    let db = atlas_backend::db::connect(&storage.database_url)
        .await
        .expect("the database opens");
    let app = atlas_backend::http::app(
        db.clone(),
        storage.dir.path().join("dist"),
        atlas_backend::config::REQUEST_TIMEOUT,
        false,
        &[],
    );
    db.close().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    let response = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a client")
        .get(format!("http://{addr}/api/health"))
        .send()
        .await
        .expect("sent");
    let (status, e) = error_body(response).await;
    assert_eq!(status, 503);
    assert!(e.error.contains("database is not answering"), "{}", e.error);
}

#[tokio::test]
async fn a_date_that_is_not_a_real_day_is_a_422_that_says_how_to_write_one() {
    let server = TestServer::start().await;
    let (p, make_partnership) = partnership(REDDITCH);
    server.push(vec![make_partnership]).await;
    for bad in ["31/01/2010", "2010-02-30", ""] {
        let consultation = upsert(
            atlas_shared::EntityKind::Consultation,
            new_id(),
            None,
            fields(json!({"partnership_id": p, "title": "We Are Redditch", "opens_on": bad})),
        );
        let e = push_refused(&server, vec![consultation]).await;
        assert!(
            e.error.contains("not a real date written like 2010-01-23"),
            "{bad}: {}",
            e.error
        );
    }
}
