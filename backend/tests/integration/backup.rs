//! Backups (issue 13: "backups and restore (tested: dump, restore into a fresh database, the
//! app serves it)"), the way the README tells an operator to take them, on whichever
//! database the tests run on: while the server
//! runs, a backup is taken; the server stops; a new server started on the restored copy
//! serves the same records at the same versions, the same people sign in with their
//! passwords, and new changes take positions after the restored ones.

use std::path::PathBuf;
use std::process::Command;

use crate::common::*;
use atlas_shared::{BodyKind, Seq};
use sqlx::Connection;
use sqlx::migrate::MigrateDatabase;

/// PostgreSQL's client programs (`pg_dump`, `pg_restore`): on the `PATH`, or the newest
/// under Debian's `/usr/lib/postgresql/<version>/bin` (where `cargo xtask test` installs
/// them). Fails loudly when there are none.
fn pg_program(name: &str) -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join(name))
        .find(|p| p.is_file());
    let debian = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version: u32 = e.file_name().to_str()?.parse().ok()?;
            let program = e.path().join("bin").join(name);
            program.is_file().then_some((version, program))
        })
        .max()
        .map(|(_, p)| p);
    debian.or(on_path).unwrap_or_else(|| {
        panic!("{name} is needed to back up PostgreSQL: apt-get install postgresql-client")
    })
}

fn run(program: PathBuf, args: &[&str]) {
    let out = Command::new(&program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    assert!(
        out.status.success(),
        "{} failed: {}",
        program.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Takes a backup of the running server's database and restores it into a fresh one, as the
/// README tells an operator to: SQLite with `VACUUM INTO` (a consistent copy taken while the
/// server writes), PostgreSQL with `pg_dump --format=custom` and `pg_restore` into a new
/// database. Returns the restored database.
async fn backup_and_restore(server: &TestServer) -> Storage {
    let restored = Storage::new();
    let live = &server.storage.database_url;
    if server.storage.backend() == "sqlite" {
        let target = restored
            .database_url
            .strip_prefix("sqlite://")
            .map(PathBuf::from)
            .expect("a SQLite file");
        std::fs::create_dir_all(target.parent().expect("a folder")).expect("the folder");
        let mut connection = sqlx::SqliteConnection::connect(live)
            .await
            .expect("a connection to the live database");
        sqlx::query("VACUUM INTO ?")
            .bind(target.display().to_string())
            .execute(&mut connection)
            .await
            .expect("the backup");
    } else {
        let dump = restored.dir.path().join("atlas.dump");
        let dump = dump.to_str().expect("a path in UTF-8");
        run(
            pg_program("pg_dump"),
            &["--format=custom", "--file", dump, live],
        );
        sqlx::Postgres::create_database(&restored.database_url)
            .await
            .expect("a fresh database");
        run(
            pg_program("pg_restore"),
            &["--no-owner", "-d", &restored.database_url, dump],
        );
    }
    restored
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
