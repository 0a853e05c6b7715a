//! Backups (issue 13: "backups and restore (tested: dump, restore into a fresh database, the
//! app serves it)"), the way the README tells an operator to take them: while the server
//! runs, a backup is taken; the server stops; a new server started on the restored copy
//! serves the same records at the same versions, the same people sign in with their
//! passwords, and new changes take positions after the restored ones.

mod common;

use atlas_shared::{BodyKind, Seq};
use common::*;
use sqlx::Connection;

/// Takes a backup of the running server's database into a fresh one and returns where the
/// restored copy is, as the README says to (SQLite: `VACUUM INTO`, a consistent copy taken
/// while the server writes).
async fn backup_and_restore(server: &TestServer) -> Storage {
    let restored = Storage::new();
    let url = &server.storage.database_url;
    match url.split(':').next() {
        Some("sqlite") => {
            let target = restored.dir.path().join("restored.db");
            let mut live = sqlx::SqliteConnection::connect(url)
                .await
                .expect("a connection to the live database");
            sqlx::query("VACUUM INTO ?")
                .bind(target.display().to_string())
                .execute(&mut live)
                .await
                .expect("the backup");
            Storage {
                database_url: format!("sqlite://{}", target.display()),
                dir: restored.dir,
            }
        }
        other => panic!(
            "this test knows how to back up SQLite only, and the server runs on {other:?}: \
             teach it that database's dump and restore"
        ),
    }
}

#[tokio::test]
async fn a_backup_restored_into_a_fresh_database_is_served_as_it_was() {
    let server = TestServer::demo().await;
    let (p, make) = partnership("Illustrative: a partnership added before the backup");
    let (_, board) = body(p, "Illustrative board", BodyKind::Board);
    server.push(vec![make, board]).await;
    let before = server.pull_all(Seq(0)).await;

    let restored = backup_and_restore(&server).await;
    server.stop().await;
    let again = TestServer::start_on(
        restored,
        Options {
            demo: false,
            dist: None,
        },
    )
    .await;
    let after = again.pull_all(Seq(0)).await;
    assert_eq!(after.changes.len(), before.changes.len());
    assert_eq!(
        after.changes, before.changes,
        "the same records at the same versions"
    );
    assert_eq!(after.cursor, before.cursor);

    // A change after the restore takes the next position, and everyone sees it.
    let (_, late) = body(
        p,
        "Illustrative group added after the restore",
        BodyKind::PriorityActionGroup,
    );
    let answer = again.push(vec![late]).await;
    let version = applied_version(&answer.results[0].outcome);
    assert!(
        version > before.cursor,
        "{version:?} after {:?}",
        before.cursor
    );
    // The administrator of the first server signs in to the second with their password.
    let admin = again.signed_in(ADMIN_EMAIL, PASSWORD).await;
    let (status, text) = again.get_as(&admin, "/api/session").await;
    assert_eq!(status, 200);
    assert!(text.contains(ADMIN_EMAIL), "{text}");
}
