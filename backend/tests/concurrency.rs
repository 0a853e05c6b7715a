//! Positions are taken inside the writing transaction, so commit order equals position order:
//! a reader pulling while many devices push never skips a change.

mod common;

use atlas_shared::seeds::BASINGSTOKE;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use atlas_shared::Seq;
use common::*;

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
