//! Positions are taken inside the writing transaction, so commit order equals position order:
//! a reader pulling while many devices push never skips a change.

use atlas_shared::seeds::BASINGSTOKE;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::*;
use atlas_shared::Seq;

const PUSHERS: usize = 8;
const PUSHES_EACH: usize = 15;
const MUTATIONS_PER_PUSH: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pushes_never_let_a_reader_skip_a_change() {
    let server = Arc::new(TestServer::start().await);
    let (p, mp) = partnership(BASINGSTOKE);
    server.push(vec![mp]).await;
    let done = Arc::new(AtomicBool::new(false));

    // The reader: pulls from its cursor as fast as it can, as a device would.
    let reader = {
        let server = server.clone();
        let done = done.clone();
        tokio::spawn(async move {
            let mut cursor = Seq(0);
            let mut seen = BTreeSet::new();
            let mut pulls = 0usize;
            loop {
                let finished = done.load(Ordering::SeqCst);
                let page = server.pull(cursor).await;
                pulls += 1;
                let mut last = cursor;
                for change in &page.changes {
                    assert!(
                        change.version > last,
                        "versions rise within and across pages"
                    );
                    last = change.version;
                    seen.insert(change.id);
                }
                assert!(page.cursor >= cursor, "the cursor never goes back");
                cursor = page.cursor;
                if finished && !page.more {
                    break;
                }
            }
            (seen, cursor, pulls)
        })
    };

    let mut writers = Vec::new();
    for w in 0..PUSHERS {
        let server = server.clone();
        writers.push(tokio::spawn(async move {
            let device = device();
            let mut made = Vec::new();
            for i in 0..PUSHES_EACH {
                let (ids, batch) = organisations_batch(p, w, i, MUTATIONS_PER_PUSH);
                made.extend(ids);
                server.push_from(device, batch).await;
            }
            made
        }));
    }
    let mut written = BTreeSet::from([p]);
    for w in writers {
        written.extend(w.await.expect("a writer finishes"));
    }
    done.store(true, Ordering::SeqCst);
    let (seen, cursor, pulls) = reader.await.expect("the reader finishes");

    let expected = 1 + PUSHERS * PUSHES_EACH * MUTATIONS_PER_PUSH;
    assert_eq!(written.len(), expected);
    assert_eq!(cursor, Seq(expected as u64));
    assert!(pulls > 1, "the reader pulled while the writers pushed");
    let missed: Vec<_> = written.difference(&seen).collect();
    assert!(missed.is_empty(), "the reader skipped {missed:?}");
    assert_eq!(seen, written);
}

/// Pushes arriving together are written together (one transaction, a savepoint each: see
/// `db/group.rs`), yet each is settled alone: the two refused as a whole leave nothing of
/// themselves behind (not even their valid changes) and are kept for a manager, and every
/// other push is stored whole, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pushes_sent_together_are_each_settled_alone() {
    const PUSHES: usize = 16;
    const REFUSED: [usize; 2] = [5, 11];
    let server = Arc::new(TestServer::start().await);
    let (p, mp) = partnership(BASINGSTOKE);
    server.push(vec![mp]).await;

    let pushes: Vec<Vec<atlas_shared::Mutation>> = (0..PUSHES)
        .map(|n| {
            let mut push: Vec<_> = (0..3)
                .map(|i| organisation(p, &format!("Partner {n}.{i}")).1)
                .collect();
            if REFUSED.contains(&n) {
                let atlas_shared::Op::Upsert { fields, .. } = &mut push[1].op else {
                    unreachable!("an upsert")
                };
                fields.insert("colour".into(), serde_json::json!("green"));
            }
            push
        })
        .collect();
    let sent: Vec<_> = pushes
        .iter()
        .cloned()
        .map(|push| {
            let server = server.clone();
            tokio::spawn(async move { server.push_as(&server.client, push).await })
        })
        .collect();
    let mut answers = Vec::new();
    for push in sent {
        answers.push(push.await);
    }

    let mut stored = BTreeSet::new();
    for (n, (answer, push)) in answers.into_iter().zip(&pushes).enumerate() {
        let (status, text) = answer.expect("the push task");
        if REFUSED.contains(&n) {
            assert_eq!(status, 422, "push {n}: {text}");
            assert!(text.contains(&push[1].id.0.to_string()), "push {n}: {text}");
            continue;
        }
        assert_eq!(status, 200, "push {n}: {text}");
        let answer: atlas_shared::PushResponse = serde_json::from_str(&text).expect("an answer");
        for result in &answer.results {
            assert!(
                matches!(result.outcome, atlas_shared::Outcome::Applied { .. }),
                "push {n}: {result:?}"
            );
        }
        stored.extend(push.iter().map(|m| m.record_id));
    }

    let pulled: Vec<_> = server
        .pull_all(Seq(0))
        .await
        .changes
        .into_iter()
        .filter(|c| c.kind == atlas_shared::EntityKind::Organisation)
        .map(|c| c.id)
        .collect();
    assert_eq!(pulled.len(), stored.len(), "each stored once");
    assert_eq!(pulled.into_iter().collect::<BTreeSet<_>>(), stored);
    let kept: Vec<String> =
        sqlx::query_scalar("SELECT mutation_id FROM refused_mutations ORDER BY mutation_id")
            .fetch_all(&server.inspect().await)
            .await
            .expect("the refused changes");
    let mut expected: Vec<String> = REFUSED
        .iter()
        .map(|&n| pushes[n][1].id.0.to_string())
        .collect();
    expected.sort();
    assert_eq!(kept, expected);
}
