//! The database unavailable for a moment, for real (issue 13: "PostgreSQL stopped and started:
//! the server answers with a retryable error, the client backs off and retries, nothing is
//! lost"). `unavailable.rs` holds a lock past the server's patience; here PostgreSQL itself
//! goes away, so the test runs a cluster of its own ([`crate::common::cluster`]) and the real server
//! binary on it.
//!
//! Tablets send their outboxes of answers, pulling after each push as the app does, while the
//! cluster is stopped (`pg_ctl stop -m fast`, then in a second round `-m immediate`, a crash)
//! with pushes in flight, kept down for a few seconds, and started again. Meanwhile every
//! request (push, pull, `/api/health`) must be answered promptly with a 503 carrying
//! `Retry-After` (header and body): never another status, never a hang, and the server
//! process stays up. The tablets wait between tries as the app's rule says
//! (`atlas_shared::retry::retry_delay`, honouring `Retry-After`) and send the same bytes (the
//! same mutation ids) again until they are answered. Half the tablets push (`/api/sync/push`);
//! half hand their pushes off (`/api/sync/inbox`) and ask what became of them
//! (`/api/sync/outcomes`) until each is applied, as the app does, so the server's inbox is being
//! filled and applied when PostgreSQL goes. Afterwards, with the same server process, the
//! health check is OK again and every answer is stored exactly once.
//!
//! `cargo xtask test` runs this file in its `postgres` stage only, where PostgreSQL is
//! installed: the stage before it leaves it out by name (`OWN_CLUSTER_TESTS` in
//! `xtask/src/test.rs`).

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::common::child::ChildServer;
use crate::common::cluster::{Cluster, Stop};
use crate::common::redditch::{Redditch, redditch};
use crate::common::*;
use atlas_shared::retry::{Failure, retry_delay};
use atlas_shared::{
    ErrorBody, Fate, OutcomesRequest, OutcomesResponse, PullResponse, PushReceipt, PushRequest,
    PushResponse, Seq,
};

/// Tablets pushing at once, each pushing its outbox of this many pushes of this many answers
/// in each round.
const TABLETS: usize = 4;
const PUSHES_EACH: usize = 8;
const ANSWERS_PER_PUSH: usize = 20;
/// How long PostgreSQL stays down: longer than the first wait the server asks for
/// (`Retry-After: 5`), so a tablet's first resend meets the outage too and it backs off again.
const OUTAGE: Duration = Duration::from_secs(6);
/// The longest a request may wait for its 503 while the database is down.
const PROMPT: Duration = Duration::from_secs(5);
/// The longest any request may wait for its answer (pushes take turns while it is up).
const BOUNDED: Duration = Duration::from_secs(30);
/// How soon after PostgreSQL is back the health check must be OK.
const BACK_WITHIN: Duration = Duration::from_secs(15);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgresql_stopped_and_started_mid_push_is_answered_503_and_every_answer_is_kept_once() {
    let mut cluster = Cluster::start();
    let storage = Storage {
        database_url: cluster.url("atlas"),
        dir: tempfile::tempdir().expect("a temporary folder"),
    };
    // The consultation, made by an in-process server that is then stopped.
    let setup = TestServer::start_on(
        storage,
        Options {
            demo: false,
            dist: None,
        },
    )
    .await;
    let r = redditch(&setup).await;
    let storage = setup.stop().await;
    let mut server = ChildServer::start(&storage.database_url, storage.dir.path());
    let client = signed_in_at(&server.base, ADMIN_EMAIL, PASSWORD).await;

    let mut sent = Vec::new();
    for how in [Stop::Fast, Stop::Immediate] {
        sent.extend(a_round(&mut cluster, how, &server, &client, &r).await);
        assert!(
            server.is_running(),
            "the server process stays up through a database stopped ({how:?}); its log:\n{}",
            server.log_tail()
        );
    }

    let stored = answers_at(&client, &server.base).await;
    let ids: HashSet<uuid::Uuid> = stored.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids.len(), stored.len(), "no answer is stored twice");
    assert_eq!(stored.len(), sent.len(), "exactly one copy of every answer");
    assert!(
        sent.iter().all(|id| ids.contains(id)),
        "every answer sent is stored"
    );
    drop(server);
    drop(storage);
}

/// One round: the tablets push their new outboxes; PostgreSQL is stopped `how` with a push in
/// flight and probed while it is down, then started again; the tablets finish. Returns the ids
/// of the answers sent (by the tablets and by the probe).
async fn a_round(
    cluster: &mut Cluster,
    how: Stop,
    server: &ChildServer,
    client: &reqwest::Client,
    r: &Redditch,
) -> Vec<uuid::Uuid> {
    let outboxes: Vec<Vec<Vec<u8>>> = (0..TABLETS)
        .map(|_| r.outbox(PUSHES_EACH, ANSWERS_PER_PUSH))
        .collect();
    let probe = r.outbox(1, 3).remove(0);
    let sent = outboxes
        .iter()
        .flatten()
        .chain([&probe])
        .flat_map(|body| answer_ids(body))
        .collect();
    let seen = Arc::new(Seen::default());
    let tablets: Vec<_> = outboxes
        .into_iter()
        .enumerate()
        .map(|(n, outbox)| {
            let (client, base, seen) = (client.clone(), server.base.clone(), seen.clone());
            let sending = if n % 2 == 0 {
                Sending::Push
            } else {
                Sending::HandOff
            };
            tokio::spawn(async move { a_tablet(&client, &base, outbox, &seen, sending).await })
        })
        .collect();

    // Stopped once every tablet has been answered, with a push in flight.
    let deadline = Instant::now() + BOUNDED;
    while seen.pushed.load(Ordering::SeqCst) < TABLETS || seen.in_flight.load(Ordering::SeqCst) == 0
    {
        assert!(
            Instant::now() < deadline,
            "the tablets did not get going within {BOUNDED:?}; the server's log:\n{}",
            server.log_tail()
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    cluster.stop(how);

    // Down: every request is answered promptly, and retryably.
    let base = &server.base;
    let up_again_at = Instant::now() + OUTAGE;
    let (mut probes, mut slowest) = (0, Duration::ZERO);
    loop {
        let health = send(client.get(format!("{base}/api/health"))).await;
        retryable(&health, "the health check");
        let says: ErrorBody = serde_json::from_str(&health.text).expect("an error body");
        assert!(says.error.contains("database"), "{}", says.error);
        let pushed = send(push(client, base, &probe)).await;
        retryable(&pushed, "a push");
        let pulled = send(client.get(format!("{base}/api/sync/pull?since=0"))).await;
        retryable(&pulled, "a pull");
        let handed = send(hand_off(client, base, &probe)).await;
        retryable(&handed, "a push handed off");
        let asked = send(outcomes(client, base, &outcomes_of(&probe))).await;
        retryable(&asked, "a question of outcomes");
        probes += 5;
        slowest = [
            slowest,
            health.took,
            pushed.took,
            pulled.took,
            handed.took,
            asked.took,
        ]
        .into_iter()
        .max()
        .unwrap_or_default();
        if Instant::now() >= up_again_at {
            break;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    cluster.start_again();
    let started = Instant::now();

    // Up again, with the same server process: the health check is OK, and what was refused
    // is stored when sent again.
    let back = Instant::now() + BACK_WITHIN;
    loop {
        let health = send(client.get(format!("{base}/api/health"))).await;
        if health.status == 200 {
            assert!(health.text.contains(r#""status":"ok""#), "{}", health.text);
            println!(
                "{how:?} stop: {probes} requests while down, each answered 503 (the slowest in \
                 {slowest:?}); the health check OK {:?} after PostgreSQL started",
                started.elapsed()
            );
            break;
        }
        retryable(&health, "the health check after the restart");
        assert!(
            Instant::now() < back,
            "the health check is not OK {BACK_WITHIN:?} after PostgreSQL started again: {}",
            health.text
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let answered = until_answered(|| push(client, base, &probe), "the probe's push", &seen).await;
    all_applied(&probe, &answered);
    for tablet in tablets {
        tablet.await.expect("the tablet's task ends");
    }
    let refused = seen.refused.load(Ordering::SeqCst);
    let in_a_row = seen.most_in_a_row.load(Ordering::SeqCst);
    assert!(
        in_a_row >= 2,
        "a tablet met the outage and backed off again ({refused} requests answered 503, at \
         most {in_a_row} in a row)"
    );
    println!(
        "{how:?} stop: the tablets' requests answered 503 and sent again: {refused}, at most \
         {in_a_row} in a row; pushes handed off: {}, outcomes asked while pending: {}",
        seen.handed_off.load(Ordering::SeqCst),
        seen.pending.load(Ordering::SeqCst)
    );
    sent
}

/// What the tablets did, counted across them.
#[derive(Default)]
struct Seen {
    /// Pushes answered 200, or handed off and applied.
    pushed: AtomicUsize,
    /// Requests answered 503.
    refused: AtomicUsize,
    /// Pushes handed off and received (once more after the server had no trace of them).
    handed_off: AtomicUsize,
    /// Questions of what became of pushes handed off, answered while some were pending.
    pending: AtomicUsize,
    /// The most 503s one request met in a row before it was answered.
    most_in_a_row: AtomicUsize,
    /// Requests sent and not yet answered.
    in_flight: AtomicUsize,
}

/// How a tablet sends its pushes.
#[derive(Clone, Copy)]
enum Sending {
    /// Each push answered with its results (`/api/sync/push`).
    Push,
    /// Each push handed off, then its outcomes asked for (`/api/sync/inbox`, `/outcomes`).
    HandOff,
}

/// A tablet syncing its outbox: each push sent until it is answered (or handed off until it
/// is applied), then a pull of what changed since the last, as the app does.
async fn a_tablet(
    client: &reqwest::Client,
    base: &str,
    outbox: Vec<Vec<u8>>,
    seen: &Seen,
    sending: Sending,
) {
    let (mut since, mut scope) = (Seq(0), None::<String>);
    for body in &outbox {
        match sending {
            Sending::Push => {
                let answered = until_answered(|| push(client, base, body), "a push", seen).await;
                all_applied(body, &answered);
            }
            Sending::HandOff => handed_off_until_applied(client, base, body, seen).await,
        }
        seen.pushed.fetch_add(1, Ordering::SeqCst);
        let mut url = format!("{base}/api/sync/pull?since={}", since.0);
        if let Some(scope) = &scope {
            url.push_str(&format!("&scope={scope}"));
        }
        let page = until_answered(|| client.get(&url), "a pull", seen).await;
        let page: PullResponse = serde_json::from_str(&page).expect("a PullResponse");
        (since, scope) = (page.cursor, Some(page.scope));
    }
}

/// Hands the push `body` off until it is received, then asks what became of its changes until
/// every one is applied. If the server holds no trace of them, it is handed off again, as the
/// app does; a change refused, or rejected, fails the test.
async fn handed_off_until_applied(client: &reqwest::Client, base: &str, body: &[u8], seen: &Seen) {
    let asked = outcomes_of(body);
    loop {
        let text = until_answered(|| hand_off(client, base, body), "a push handed off", seen).await;
        seen.handed_off.fetch_add(1, Ordering::SeqCst);
        let receipt: PushReceipt = serde_json::from_str(&text).expect("a PushReceipt");
        assert_eq!(receipt.received, asked.mutation_ids.len(), "{text}");
        loop {
            let text =
                until_answered(|| outcomes(client, base, &asked), "the outcomes", seen).await;
            let reply: OutcomesResponse = serde_json::from_str(&text).expect("outcomes");
            assert_eq!(reply.fates.len(), asked.mutation_ids.len(), "{text}");
            let fates: Vec<&Fate> = reply.fates.iter().map(|f| &f.fate).collect();
            if fates.iter().any(|f| matches!(f, Fate::Unknown)) {
                break;
            }
            if fates.iter().all(|f| matches!(f, Fate::Settled { .. })) {
                for fate in fates {
                    if let Fate::Settled { outcome } = fate {
                        applied_version(outcome);
                    }
                }
                return;
            }
            assert!(
                fates.iter().all(|f| !matches!(f, Fate::Refused { .. })),
                "a change handed off was refused: {text}"
            );
            seen.pending.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn push(client: &reqwest::Client, base: &str, body: &[u8]) -> reqwest::RequestBuilder {
    post(client, format!("{base}/api/sync/push"), body.to_vec())
}

fn hand_off(client: &reqwest::Client, base: &str, body: &[u8]) -> reqwest::RequestBuilder {
    post(client, format!("{base}/api/sync/inbox"), body.to_vec())
}

fn outcomes(
    client: &reqwest::Client,
    base: &str,
    asked: &OutcomesRequest,
) -> reqwest::RequestBuilder {
    let body = serde_json::to_vec(asked).expect("an outcomes request");
    post(client, format!("{base}/api/sync/outcomes"), body)
}

fn post(client: &reqwest::Client, url: String, body: Vec<u8>) -> reqwest::RequestBuilder {
    client
        .post(url)
        .header("content-type", "application/json")
        .body(body)
}

/// The ids of the answers a push body carries.
fn answer_ids(body: &[u8]) -> Vec<uuid::Uuid> {
    let request: PushRequest = serde_json::from_slice(body).expect("a push");
    request.mutations.iter().map(|m| m.record_id).collect()
}

/// Expects every mutation of the push `body` applied, in order, in the answer `text`.
fn all_applied(body: &[u8], text: &str) {
    let request: PushRequest = serde_json::from_slice(body).expect("a push");
    let reply: PushResponse = serde_json::from_str(text).expect("a PushResponse");
    assert_eq!(reply.results.len(), request.mutations.len(), "{text}");
    for (m, result) in request.mutations.iter().zip(&reply.results) {
        assert_eq!(result.mutation_id, m.id);
        applied_version(&result.outcome);
    }
}

/// A request's answer and how long it took to come.
struct Answer {
    status: u16,
    retry_after: Option<u32>,
    text: String,
    took: Duration,
}

/// Sends a request and waits (at most [`BOUNDED`]) for its answer. The server must answer:
/// its process stays up whatever the database does.
async fn send(request: reqwest::RequestBuilder) -> Answer {
    let started = Instant::now();
    let response = tokio::time::timeout(BOUNDED, request.send())
        .await
        .unwrap_or_else(|_| panic!("a request hung: no answer within {BOUNDED:?}"))
        .unwrap_or_else(|e| panic!("the server did not answer: {e}"));
    let status = response.status().as_u16();
    let retry_after = retry_after(&response);
    let text = tokio::time::timeout(BOUNDED, response.text())
        .await
        .unwrap_or_else(|_| panic!("an answer's body hung: not read within {BOUNDED:?}"))
        .expect("an answer's body");
    Answer {
        status,
        retry_after,
        text,
        took: started.elapsed(),
    }
}

/// Expects a retryable answer to `what`: 503 within [`PROMPT`], with `Retry-After` in the
/// header and the same in the body. Returns the seconds to wait.
fn retryable(answer: &Answer, what: &str) -> u32 {
    assert_eq!(
        answer.status, 503,
        "{what} while the database is down is answered 503 (retryable): {}",
        answer.text
    );
    assert!(
        answer.took < PROMPT,
        "{what} while the database is down took {:?} to be answered (at most {PROMPT:?})",
        answer.took
    );
    let secs = answer
        .retry_after
        .unwrap_or_else(|| panic!("{what}: a 503 without Retry-After: {}", answer.text));
    let body: ErrorBody = serde_json::from_str(&answer.text)
        .unwrap_or_else(|e| panic!("{what}: not an error body ({e}): {}", answer.text));
    assert_eq!(body.retry_after_secs, Some(secs), "{}", answer.text);
    secs
}

/// Sends a request until it is answered with success (200, or 202 for a push handed off),
/// waiting between tries as the app does ([`retry_delay`], at least the server's
/// `Retry-After`), and returns the answer's body. Any answer but success or a retryable 503
/// fails the test.
async fn until_answered(
    request: impl Fn() -> reqwest::RequestBuilder,
    what: &str,
    seen: &Seen,
) -> String {
    let mut failures = 0_usize;
    loop {
        seen.in_flight.fetch_add(1, Ordering::SeqCst);
        let answer = send(request()).await;
        seen.in_flight.fetch_sub(1, Ordering::SeqCst);
        if matches!(answer.status, 200 | 202) {
            return answer.text;
        }
        let secs = retryable(&answer, what);
        seen.refused.fetch_add(1, Ordering::SeqCst);
        failures += 1;
        seen.most_in_a_row.fetch_max(failures, Ordering::SeqCst);
        let busy = Failure::Busy {
            retry_after_secs: Some(secs),
        };
        let in_a_row = u32::try_from(failures).unwrap_or(u32::MAX);
        tokio::time::sleep(retry_delay(in_a_row, busy, jitter())).await;
    }
}

/// A number from 0 to 1 for [`retry_delay`]'s spread, from a fresh id's random bits.
fn jitter() -> f64 {
    f64::from(new_id().as_u128() as u16) / f64::from(u16::MAX)
}
