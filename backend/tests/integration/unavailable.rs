//! A database that does not answer for a moment (issue 13: "the server answers with a
//! retryable error, the client backs off and retries, nothing is lost"): another process
//! holds the writers' lock longer than the server waits for it (SQLite's write lock past the
//! busy timeout; on PostgreSQL the counter row's lock past `lock_timeout`), so a push cannot
//! begin. The server answers 503 with `Retry-After` (in the header and in the body), stores
//! nothing and records no mutation id; once the lock is gone, the same batch sent again is
//! stored, once. The client's side of it (waiting as told, backing off) is
//! `atlas_shared::retry`.

use crate::common::*;
use atlas_shared::{EntityKind, ErrorBody, Seq};
use sqlx::Connection;

/// A connection, of another process as far as the server can tell, holding the writers' lock
/// until it is rolled back.
async fn hold_the_write_lock(storage: &Storage) -> sqlx::AnyConnection {
    sqlx::any::install_default_drivers();
    let mut holder = sqlx::AnyConnection::connect(&storage.database_url)
        .await
        .expect("a second connection to the server's database");
    if storage.backend() == "sqlite" {
        sqlx::query("BEGIN EXCLUSIVE")
            .execute(&mut holder)
            .await
            .expect("the write lock");
    } else {
        sqlx::query("BEGIN")
            .execute(&mut holder)
            .await
            .expect("a transaction");
        sqlx::query("SELECT seq FROM sync_counter WHERE id = 1 FOR UPDATE")
            .execute(&mut holder)
            .await
            .expect("the counter row's lock");
    }
    holder
}

#[tokio::test]
async fn a_database_busy_for_a_moment_is_answered_503_with_retry_after_and_the_resend_is_stored_once()
 {
    let server = TestServer::start().await;
    let (p, make) = partnership("Redditch Local Strategic Partnership");
    server.push(vec![make]).await;
    let (_, board) = body(
        p,
        "Partnership Management Board",
        atlas_shared::BodyKind::Board,
    );
    let before = server.pull_all(Seq(0)).await;

    let mut holder = hold_the_write_lock(&server.storage).await;
    let request = atlas_shared::PushRequest {
        protocol: atlas_shared::PROTOCOL_VERSION,
        device_id: device(),
        mutations: vec![board.clone()],
    };
    let response = server
        .client
        .post(server.url("/api/sync/push"))
        .json(&request)
        .send()
        .await
        .expect("the push is answered");
    assert_eq!(response.status().as_u16(), 503);
    let header = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let refused: ErrorBody = response.json().await.expect("an error body");
    assert_eq!(header.as_deref(), Some("5"));
    assert_eq!(refused.retry_after_secs, Some(5));
    assert!(
        refused.error.contains("nothing was changed"),
        "{}",
        refused.error
    );

    sqlx::query("ROLLBACK")
        .execute(&mut holder)
        .await
        .expect("the lock is let go");
    let after = server.pull_all(Seq(0)).await;
    assert_eq!(after.changes, before.changes, "nothing was stored");

    // The same batch, resent as the device's outbox does: stored once, and a third send is
    // recognised by its mutation id.
    let first = server.push(vec![board.clone()]).await;
    let again = server.push(vec![board.clone()]).await;
    assert_eq!(first.results, again.results);
    let stored = server.pull_all(Seq(0)).await;
    let bodies = stored
        .changes
        .iter()
        .filter(|c| c.kind == EntityKind::Body)
        .count();
    assert_eq!(bodies, 1);
}

/// Noting when a session was last used is bookkeeping: while the database's write lock is
/// held elsewhere, a signed-in request that only reads is still answered (the note waits for a
/// later request), where it used to fail behind a long queue of pushes.
#[tokio::test]
async fn a_signed_in_read_is_answered_while_the_write_lock_is_held_elsewhere() {
    let server = TestServer::start().await;
    // The session was last used long ago, so this request would note its use.
    let db = server.storage.connect().await;
    sqlx::query("UPDATE sessions SET last_seen_at = $1")
        .bind(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX) - 120_000)
                .unwrap_or_default(),
        )
        .execute(&db)
        .await
        .expect("the session made older");
    let mut holder = hold_the_write_lock(&server.storage).await;
    let (status, text) = server.get("/api/session").await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains(ADMIN_EMAIL), "{text}");
    sqlx::query("ROLLBACK")
        .execute(&mut holder)
        .await
        .expect("the lock is let go");
}
