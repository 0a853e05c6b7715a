//! Two server processes (the real binary) on one database, as behind a load balancer: several
//! writers push through both at once while readers pull through both, and every reader sees
//! every change exactly once, in position order, with no gap. A change that committed late
//! with an earlier position than one already pulled would be skipped for ever; this is what
//! the single counter row prevents (see `db::Database`'s invariants). It also shows a session
//! started on one instance is honoured by the other (sessions live in the database).
//!
//! On PostgreSQL (`ATLAS_TEST_DATABASE_URL`) this is the case that matters; on SQLite both
//! processes share the file, which its write lock orders the same way.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::*;
use atlas_shared::seeds::BASINGSTOKE;
use atlas_shared::{PROTOCOL_VERSION, PullResponse, PushRequest, PushResponse, Seq};
use uuid::Uuid;

const BIN: &str = env!("CARGO_BIN_EXE_atlas-backend");
// Sized so that the test catches the bug it is about: with positions from a SEQUENCE (and no
// lock on the counter row) it failed 3 runs out of 3 with "a reader skipped ..."; batches of 20
// leave a late commit a window wide enough for a reader to pass it.
const WRITERS: usize = 8;
const PUSHES_EACH: usize = 10;
const MUTATIONS_PER_PUSH: usize = 20;
const READERS: usize = 3;

/// A server process, killed when dropped (a failed assertion must not leave it running).
struct Instance {
    child: Child,
    base: String,
}

impl Instance {
    fn start(database_url: &str, dist: &std::path::Path) -> Self {
        let mut child = Command::new(BIN)
            .args(["--addr", "127.0.0.1:0", "--database-url", database_url])
            .env("ATLAS_DIST", dist)
            .env_remove("DATABASE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("the server binary {BIN} does not start: {e}"));
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the server's first line");
        let base = line
            .trim_end()
            .strip_prefix("Partnership Atlas is running at ")
            .map(|b| b.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| panic!("the server did not start: its first line was {line:?}"));
        Self { child, base }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn push(client: &reqwest::Client, base: &str, request: &PushRequest) -> PushResponse {
    let response = client
        .post(format!("{base}/api/sync/push"))
        .json(request)
        .send()
        .await
        .expect("the push is sent");
    let status = response.status();
    let text = response.text().await.expect("a body");
    assert_eq!(status, 200, "push through {base} failed: {text}");
    serde_json::from_str(&text).expect("a PushResponse")
}

async fn pull(client: &reqwest::Client, base: &str, since: Seq, scope: &str) -> PullResponse {
    let mut url = format!("{base}/api/sync/pull?since={}", since.0);
    if !scope.is_empty() {
        url.push_str(&format!("&scope={scope}"));
    }
    let response = client.get(url).send().await.expect("the pull is sent");
    let status = response.status();
    let text = response.text().await.expect("a body");
    assert_eq!(status, 200, "pull through {base} failed: {text}");
    serde_json::from_str(&text).expect("a PullResponse")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_database_never_let_a_reader_skip_or_repeat_a_change() {
    let storage = Storage::new();
    let url = storage.database_url.clone();
    let db = atlas_backend::db::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("the test database does not open: {e}"));
    ensure_admin(db.as_ref()).await;
    db.close().await;
    let dist = storage.dir.path().join("no-dist-here");
    let instances = [Instance::start(&url, &dist), Instance::start(&url, &dist)];
    let bases: Arc<Vec<String>> = Arc::new(instances.iter().map(|i| i.base.clone()).collect());

    // Signed in through the first instance only: the cookie works on the second too.
    let client = signed_in_at(&bases[0], ADMIN_EMAIL, PASSWORD).await;

    let (p, make) = partnership(BASINGSTOKE);
    let first = PushRequest {
        protocol: PROTOCOL_VERSION,
        device_id: device(),
        mutations: vec![make],
    };
    push(&client, &bases[1], &first).await;
    let scope = pull(&client, &bases[1], Seq(0), "").await.scope;

    let done = Arc::new(AtomicBool::new(false));
    let mut readers = Vec::new();
    for r in 0..READERS {
        let (client, bases, done, scope) =
            (client.clone(), bases.clone(), done.clone(), scope.clone());
        readers.push(tokio::spawn(async move {
            let mut cursor = Seq(0);
            let mut versions: Vec<u64> = Vec::new();
            let mut seen: BTreeSet<Uuid> = BTreeSet::new();
            let mut pulls = 0usize;
            loop {
                let finished = done.load(Ordering::SeqCst);
                // Each pull through the other instance than the last.
                let base = &bases[(r + pulls) % bases.len()];
                let page = pull(&client, base, cursor, &scope).await;
                assert!(!page.reset, "the administrator's scope does not change");
                pulls += 1;
                for change in &page.changes {
                    assert!(
                        change.version > cursor,
                        "versions rise within and across pages"
                    );
                    assert!(
                        seen.insert(change.id),
                        "reader {r} was sent {} twice",
                        change.id
                    );
                    versions.push(change.version.0);
                    cursor = change.version;
                }
                assert!(page.cursor >= cursor, "the cursor never goes back");
                cursor = page.cursor;
                if finished && !page.more {
                    break;
                }
            }
            (seen, versions, pulls)
        }));
    }

    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let (client, bases) = (client.clone(), bases.clone());
        writers.push(tokio::spawn(async move {
            let device = device();
            let mut made = Vec::new();
            for i in 0..PUSHES_EACH {
                let (ids, mutations) = organisations_batch(p, w, i, MUTATIONS_PER_PUSH);
                made.extend(ids);
                let request = PushRequest {
                    protocol: PROTOCOL_VERSION,
                    device_id: device,
                    mutations,
                };
                let answer = push(&client, &bases[(w + i) % bases.len()], &request).await;
                for result in &answer.results {
                    applied_version(&result.outcome);
                }
            }
            made
        }));
    }
    let mut written = BTreeSet::from([p]);
    for w in writers {
        written.extend(w.await.expect("a writer finishes"));
    }
    done.store(true, Ordering::SeqCst);

    let expected = 1 + WRITERS * PUSHES_EACH * MUTATIONS_PER_PUSH;
    assert_eq!(written.len(), expected);
    let every_position: Vec<u64> = (1..=expected as u64).collect();
    for reader in readers {
        let (seen, versions, pulls) = reader.await.expect("a reader finishes");
        assert!(pulls > 2, "the reader pulled while the writers pushed");
        let missed: Vec<_> = written.difference(&seen).collect();
        assert!(missed.is_empty(), "a reader skipped {missed:?}");
        assert_eq!(seen, written);
        // Every record was created once, so its position is its only one: no gap, in order.
        assert_eq!(
            versions, every_position,
            "positions seen, in order, with no gap"
        );
    }
    drop(instances);
}
