//! Proof under faults: bad batches answered by the written rule ("Bad batches" in
//! `atlas_shared::sync`) and leaving the database as it was; the server killed in the middle of
//! pushes (alone, or one of two instances on one database) and every outbox resent; the same
//! with pushes handed off to the inbox, those received before the kill applied without being
//! sent again; the
//! connection lost after the commit and the batch resent; two instances sharing the limit on
//! answers sent without signing in.
//!
//! Everything here goes through HTTP and the harness's `Storage`, so it runs unchanged on any
//! database `ATLAS_TEST_DATABASE_URL` names.

use std::time::Duration;

use crate::common::child::ChildServer;
use crate::common::proxy::{AnswerLosingProxy, body_of};
use crate::common::redditch::{Redditch, redditch};
use crate::common::*;
use atlas_shared::seeds::{BASINGSTOKE, BASINGSTOKE_MANAGEMENT_GROUP, REDDITCH};
use atlas_shared::{
    BodyKind, Entity, EntityKind, ErrorBody, MAX_MUTATIONS_PER_PUSH, MAX_PUSH_BYTES, Mutation,
    Outcome, PROTOCOL_VERSION, PullResponse, PushRequest, PushResponse, Rejection, Seq,
};
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// A push body with `mutations` from a new device, as JSON bytes.
fn push_body(mutations: &[Mutation]) -> Vec<u8> {
    serde_json::to_vec(&PushRequest {
        protocol: PROTOCOL_VERSION,
        device_id: device(),
        mutations: mutations.to_vec(),
    })
    .expect("a push body")
}

fn error(text: &str) -> ErrorBody {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not an ErrorBody ({e}): {text}"))
}

fn reply(text: &str) -> PushResponse {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not a PushResponse ({e}): {text}"))
}

/// Everything the server holds, as the administrator pulls it from the start: the records
/// and the last position.
async fn everything(server: &TestServer) -> PullResponse {
    server.pull_all(Seq(0)).await
}

/// Expects `answer` to be a refusal with status `want` that left the server as `before`, and
/// returns its error body.
async fn refused(
    server: &TestServer,
    before: &PullResponse,
    answer: (u16, String),
    want: u16,
) -> ErrorBody {
    let (status, text) = answer;
    assert_eq!(status, want, "{text}");
    assert_eq!(
        &everything(server).await,
        before,
        "a refused batch changes nothing"
    );
    error(&text)
}

/// A server holding one partnership, and a batch creating a second partnership with a body:
/// what each bad batch below spoils.
async fn server_with_a_batch() -> (TestServer, PullResponse, Vec<Mutation>) {
    let server = TestServer::start().await;
    let (_, m0) = partnership(REDDITCH);
    server.push(vec![m0]).await;
    let before = everything(&server).await;
    let (p, mp) = partnership(BASINGSTOKE);
    let (_, mb) = body(p, BASINGSTOKE_MANAGEMENT_GROUP, BodyKind::ManagementGroup);
    (server, before, vec![mp, mb])
}

/// Sends `good` (whose ids a refused batch carried) and expects every mutation applied as a
/// new change (two new records: the batch's partnership and body): the refusal recorded none
/// of the ids.
async fn the_corrected_batch_is_accepted(
    server: &TestServer,
    before: &PullResponse,
    good: Vec<Mutation>,
) {
    let n = good.len();
    let (status, text) = server.push_raw(push_body(&good)).await;
    assert_eq!(status, 200, "{text}");
    let r = reply(&text);
    assert_eq!(r.results.len(), n);
    for (m, result) in good.iter().zip(&r.results) {
        assert_eq!(result.mutation_id, m.id);
        let version = applied_version(&result.outcome);
        assert!(version > before.cursor, "{m:?} is a new change: {result:?}");
    }
    let after = everything(server).await;
    assert_eq!(after.changes.len(), before.changes.len() + 2);
}

#[tokio::test]
async fn a_body_that_is_not_json_or_is_cut_short_is_a_400_and_stores_nothing() {
    let (server, before, batch) = server_with_a_batch().await;
    let whole = push_body(&batch);
    let cases = [
        (
            br#"{"protocol": 1, "mutations": [}"#.to_vec(),
            "the request body is not valid JSON: ",
        ),
        (
            whole[..whole.len() - 7].to_vec(),
            "the request body is not valid JSON: EOF while parsing",
        ),
    ];
    for (bad, says) in cases {
        let e = refused(&server, &before, server.push_raw(bad).await, 400).await;
        assert!(e.error.starts_with(says), "{}", e.error);
    }
    the_corrected_batch_is_accepted(&server, &before, batch).await;
}

#[tokio::test]
async fn a_body_whose_connection_closes_before_its_length_arrived_stores_nothing() {
    let (server, before, batch) = server_with_a_batch().await;
    let whole = push_body(&batch);
    let addr = server.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connects to the server");
    let head = format!(
        "POST /api/sync/push HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        whole.len()
    );
    stream.write_all(head.as_bytes()).await.expect("sent");
    stream
        .write_all(&whole[..whole.len() / 2])
        .await
        .expect("sent");
    // The client goes away half-way through its body (it may read the answer still).
    stream.shutdown().await.expect("half-closed");
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("the server answers or closes within 10 s");
    read.expect("the answer is read");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 400"), "{text}");
    assert!(
        text.contains("the request body could not be read: "),
        "{text}"
    );
    assert_eq!(everything(&server).await, before);
    the_corrected_batch_is_accepted(&server, &before, batch).await;
}

#[tokio::test]
async fn a_batch_over_the_limits_is_a_413_and_stores_nothing() {
    let (server, before, batch) = server_with_a_batch().await;
    // Too many mutations: the batch's own, then more bodies of the new partnership.
    let p = batch[0].record_id;
    let mut many = batch.clone();
    while many.len() <= MAX_MUTATIONS_PER_PUSH {
        many.push(body(p, "Themed Group", BodyKind::ThematicPartnership).1);
    }
    let answer = server.push_raw(push_body(&many)).await;
    let e = refused(&server, &before, answer, 413).await;
    assert!(e.error.contains("at most 500 mutations"), "{}", e.error);
    assert!(e.error.contains("this one has 501"), "{}", e.error);

    // Too many bytes: the batch with a body of 3 MiB of padding.
    let mut big = batch.clone();
    if let atlas_shared::Op::Upsert { fields, .. } = &mut big[1].op {
        fields.insert(
            "terms_of_reference".into(),
            json!("x".repeat(MAX_PUSH_BYTES + MAX_PUSH_BYTES / 2)),
        );
    }
    let answer = server.push_raw(push_body(&big)).await;
    let e = refused(&server, &before, answer, 413).await;
    assert_eq!(e.limit_bytes, Some(MAX_PUSH_BYTES as u64));
    the_corrected_batch_is_accepted(&server, &before, batch).await;
}

#[tokio::test]
async fn a_batch_with_one_mutation_id_twice_is_a_422_naming_it_and_stores_nothing() {
    let (server, before, batch) = server_with_a_batch().await;
    let mut twice = batch.clone();
    // The same id on a second, different change: applying one and answering the other with
    // its result would drop that change.
    let (_, mut other) = body(batch[0].record_id, "Housing", BodyKind::PriorityActionGroup);
    other.id = batch[1].id;
    twice.push(other);
    let answer = server.push_raw(push_body(&twice)).await;
    let e = refused(&server, &before, answer, 422).await;
    assert_eq!(e.mutation_id, Some(batch[1].id));
    assert!(
        e.error.contains(&format!(
            "the mutation {} appears twice in this push",
            batch[1].id
        )),
        "{}",
        e.error
    );
    // The very same mutation twice is refused the same way.
    let mut same = batch.clone();
    same.push(batch[0].clone());
    let answer = server.push_raw(push_body(&same)).await;
    let e = refused(&server, &before, answer, 422).await;
    assert_eq!(e.mutation_id, Some(batch[0].id));
    the_corrected_batch_is_accepted(&server, &before, batch).await;
}

#[tokio::test]
async fn a_mutation_sent_again_in_a_later_batch_is_answered_as_first_and_stored_once() {
    let (server, before, batch) = server_with_a_batch().await;
    let first = server.push(batch.clone()).await;
    let once = everything(&server).await;
    assert_eq!(once.changes.len(), before.changes.len() + 2);
    // The outbox sends the body again with a new change behind it.
    let (_, more) = body(batch[0].record_id, "Housing", BodyKind::PriorityActionGroup);
    let again = server.push(vec![batch[1].clone(), more]).await;
    assert_eq!(
        again.results[0], first.results[1],
        "answered as the first time"
    );
    let version = applied_version(&again.results[1].outcome);
    assert!(version > once.cursor, "{again:?}");
    let after = everything(&server).await;
    assert_eq!(after.changes.len(), once.changes.len() + 1, "the body once");
    assert_eq!(after.cursor, version, "the resent body took no position");
}

#[tokio::test]
async fn a_mutation_id_already_settled_sent_with_another_change_is_a_422_and_stores_nothing() {
    let (server, _, batch) = server_with_a_batch().await;
    let first = server.push(batch.clone()).await;
    let before = everything(&server).await;
    // The body's id again, carrying another name: "applied" would be a lie about it.
    let mut reused = batch[1].clone();
    if let atlas_shared::Op::Upsert { fields, .. } = &mut reused.op {
        fields.insert("name".into(), json!("Basingstoke Board"));
    }
    let answer = server.push_raw(push_body(&[reused])).await;
    let e = refused(&server, &before, answer, 422).await;
    assert_eq!(e.mutation_id, Some(batch[1].id));
    assert!(
        e.error.contains(&format!(
            "the mutation id {} was already used for a different change",
            batch[1].id
        )),
        "{}",
        e.error
    );
    // The change itself, sent again, is still answered as the first time.
    let again = server.push(vec![batch[1].clone()]).await;
    assert_eq!(again.results[0], first.results[1]);
    assert_eq!(everything(&server).await, before);
}

/// The batch's body and an edit renaming it, made on the device after creating it.
fn rename_of_the_body(batch: &[Mutation]) -> (uuid::Uuid, Mutation) {
    let b = batch[1].record_id;
    let name = json!({"name": "Basingstoke Management Group"});
    (b, upsert(EntityKind::Body, b, None, fields(name)))
}

#[tokio::test]
async fn an_edit_sent_before_its_records_create_is_a_422_and_stores_nothing() {
    let (server, before, batch) = server_with_a_batch().await;
    let (b, rename) = rename_of_the_body(&batch);
    let out_of_order = vec![batch[0].clone(), rename.clone(), batch[1].clone()];
    let answer = server.push_raw(push_body(&out_of_order)).await;
    let e = refused(&server, &before, answer, 422).await;
    assert_eq!(e.mutation_id, Some(rename.id), "{}", e.error);

    let in_order = vec![batch[0].clone(), batch[1].clone(), rename];
    the_corrected_batch_is_accepted(&server, &before, in_order).await;
    let stored = everything(&server).await;
    let body = stored.changes.iter().find(|c| c.id == b).expect("the body");
    let name = body.fields.as_ref().and_then(|f| f.get("name"));
    assert_eq!(name, Some(&json!("Basingstoke Management Group")));
}

#[tokio::test]
async fn an_edit_sent_after_its_records_delete_is_rejected_and_the_rest_applied() {
    let (server, _, batch) = server_with_a_batch().await;
    let (b, rename) = rename_of_the_body(&batch);
    let gone = delete(EntityKind::Body, b, None);
    let mut out_of_order = batch.clone();
    out_of_order.extend([gone, rename]);
    let r = server.push(out_of_order).await;
    assert_eq!(r.results.len(), 4);
    let deleted_at = applied_version(&r.results[2].outcome);
    match &r.results[3].outcome {
        Outcome::Rejected {
            reason: Rejection::RecordDeleted,
            message,
        } => assert!(
            message.contains(&format!(
                "deleted by another change (version {})",
                deleted_at.0
            )),
            "{message}"
        ),
        other => panic!("expected the edit rejected as deleted, got {other:?}"),
    }
    let after = everything(&server).await;
    let body = after.changes.iter().find(|c| c.id == b).expect("the body");
    assert!(body.deleted, "the delete stands: {body:?}");
    assert_eq!(
        after.cursor, deleted_at,
        "the rejected edit took no position"
    );
}

/// Tablets (devices) pushing answers at once, pushes per tablet and answers per push in the
/// SIGKILL test: 4,000 answers, sent 100 to a push as an outbox sends them.
const TABLETS: usize = 4;
const PUSHES_PER_TABLET: usize = 10;
const ANSWERS_PER_PUSH: usize = 100;

/// Each tablet's pushes, as the exact bytes its outbox sends (and sends again): answers
/// captured at the Redditch event.
fn outboxes(r: &Redditch) -> Vec<Vec<Vec<u8>>> {
    (0..TABLETS)
        .map(|_| r.outbox(PUSHES_PER_TABLET, ANSWERS_PER_PUSH))
        .collect()
}

/// Posts a push body to `base` as `client`: the answer, or `None` when none arrived (the
/// connection was refused or dropped).
async fn send(client: &reqwest::Client, base: &str, body: &[u8]) -> Option<(u16, String)> {
    post(client, format!("{base}/api/sync/push"), body).await
}

/// Posts `body` (JSON) to `url` as `client`: the answer, or `None` when none arrived.
async fn post(client: &reqwest::Client, url: String, body: &[u8]) -> Option<(u16, String)> {
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_vec())
        .send()
        .await
        .ok()?;
    let status = response.status().as_u16();
    Some((status, response.text().await.ok()?))
}

#[tokio::test]
async fn a_server_killed_in_the_middle_of_pushes_keeps_one_copy_of_every_resent_answer() {
    push_through_a_kill(1).await;
}

#[tokio::test]
async fn one_of_two_instances_killed_in_the_middle_of_pushes_keeps_one_copy_of_every_answer() {
    push_through_a_kill(2).await;
}

/// Tablets send their outboxes at once to `path` through `instances` server processes on one
/// database (tablet `t` through instance `t % instances`); instance 0 is killed with SIGKILL
/// while every tablet is still sending. What each tablet heard back, the survivor (a restart of
/// the killed process when it was the only one, else the instance that lived) and what was sent.
struct Killed {
    storage: Storage,
    client: reqwest::Client,
    outboxes: Vec<Vec<Vec<u8>>>,
    /// The ids of every answer in the outboxes.
    sent: Vec<uuid::Uuid>,
    /// Each tablet's answers, push by push, until its server died.
    heard: Vec<Vec<(u16, String)>>,
    survivor: ChildServer,
    /// How many pushes sent to the killed instance were answered, of how many.
    killed_heard: usize,
    killed_sent: usize,
    /// Pushes handed off that were in the inbox, received and not applied, just after the kill.
    in_the_inbox: i64,
}

impl Killed {
    /// Every answer heard must have status `heard_as`.
    async fn sending_to(path: &'static str, heard_as: u16, instances: usize) -> Self {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        // The consultation, made by an in-process server that is then stopped.
        let server = TestServer::start().await;
        let r = redditch(&server).await;
        let storage = server.stop().await;
        let outboxes = Arc::new(outboxes(&r));
        let sent: Vec<uuid::Uuid> = outboxes
            .iter()
            .flatten()
            .flat_map(|body| {
                let request: PushRequest = serde_json::from_slice(body).expect("a push");
                request.mutations.into_iter().map(|m| m.record_id)
            })
            .collect();
        assert_eq!(sent.len(), TABLETS * PUSHES_PER_TABLET * ANSWERS_PER_PUSH);

        let mut processes: Vec<ChildServer> = (0..instances)
            .map(|_| ChildServer::start(&storage.database_url, storage.dir.path()))
            .collect();
        let client = signed_in_at(&processes[0].base, ADMIN_EMAIL, PASSWORD).await;
        let answered = Arc::new(AtomicUsize::new(0));
        let tablets: Vec<_> = (0..TABLETS)
            .map(|t| {
                let url = format!("{}{path}", processes[t % instances].base);
                let (client, outboxes, answered) =
                    (client.clone(), outboxes.clone(), answered.clone());
                tokio::spawn(async move {
                    let mut heard = Vec::new();
                    for body in &outboxes[t] {
                        let Some(answer) = post(&client, url.clone(), body).await else {
                            break;
                        };
                        answered.fetch_add(1, Ordering::SeqCst);
                        heard.push(answer);
                    }
                    heard
                })
            })
            .collect();
        // Kill once a few pushes have been answered, with every tablet still sending.
        let deadline = std::time::Instant::now() + Duration::from_secs(120);
        while answered.load(Ordering::SeqCst) < TABLETS + 2 {
            assert!(
                std::time::Instant::now() < deadline,
                "no pushes answered in 2 minutes; the server's log:\n{}",
                processes[0].log_tail()
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        processes.remove(0).kill();
        let mut heard = Vec::new();
        for tablet in tablets {
            heard.push(tablet.await.expect("the tablet's task ends"));
        }
        for (status, text) in heard.iter().flatten() {
            assert_eq!(*status, heard_as, "{text}");
        }
        let killed_heard: usize = heard.iter().step_by(instances).map(Vec::len).sum();
        let killed_sent = outboxes.iter().step_by(instances).map(Vec::len).sum();
        assert!(
            killed_heard < killed_sent,
            "the server was killed before its tablets' pushes were all answered ({killed_heard} \
             of {killed_sent} were)"
        );
        let in_the_inbox = sqlx::query_scalar("SELECT COUNT(*) FROM inbox")
            .fetch_one(&storage.connect().await)
            .await
            .expect("the inbox is counted");
        let survivor = match processes.pop() {
            Some(survivor) => survivor,
            None => ChildServer::start(&storage.database_url, storage.dir.path()),
        };
        Self {
            storage,
            client,
            outboxes: Arc::unwrap_or_clone(outboxes),
            sent,
            heard,
            survivor,
            killed_heard,
            killed_sent,
            in_the_inbox,
        }
    }
}

/// Tablets push their outboxes through a kill ([`Killed`]). Then every outbox is sent again
/// whole, as each tablet's outbox does, to the survivor. Every resend is answered as applied
/// (a push heard before the kill exactly as then), and the server holds exactly one copy of
/// every answer.
async fn push_through_a_kill(instances: usize) {
    let Killed {
        storage,
        client,
        outboxes,
        sent,
        heard,
        survivor,
        ..
    } = Killed::sending_to("/api/sync/push", 200, instances).await;

    // Every outbox sent again whole.
    let mut versions = std::collections::HashMap::new();
    for (t, outbox) in outboxes.iter().enumerate() {
        for (i, body) in outbox.iter().enumerate() {
            let (status, text) = send(&client, &survivor.base, body)
                .await
                .expect("the server answers");
            assert_eq!(status, 200, "{text}");
            if let Some((_, first)) = heard[t].get(i) {
                assert_eq!(&text, first, "a push heard before is answered the same");
            }
            let request: PushRequest = serde_json::from_slice(body).expect("a push");
            for (m, result) in request.mutations.iter().zip(reply(&text).results) {
                assert_eq!(result.mutation_id, m.id);
                versions.insert(m.record_id, applied_version(&result.outcome));
            }
        }
    }
    let stored = answers_at(&client, &survivor.base).await;
    assert_eq!(stored.len(), sent.len(), "exactly one copy of every answer");
    for (id, version) in &stored {
        assert_eq!(versions.get(id), Some(version), "answer {id} as answered");
    }
    let stored: std::collections::HashSet<uuid::Uuid> = stored.iter().map(|(id, _)| *id).collect();
    assert!(
        sent.iter().all(|id| stored.contains(id)),
        "every answer sent is stored"
    );
    drop(survivor);
    drop(storage);
}

#[tokio::test]
async fn a_push_whose_answer_is_lost_after_the_commit_is_recognised_and_answered_the_same() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let tablet = device();
    let answers: Vec<Mutation> = (0..200)
        .map(|_| create(Entity::Response(r.valid(tablet))).1)
        .collect();
    let body = push_body(&answers);
    let before = everything(&server).await;

    let proxy = AnswerLosingProxy::start(&server.base).await;
    let lost = send(&server.client, &proxy.base, &body).await;
    assert!(lost.is_none(), "the client heard nothing: {lost:?}");
    let withheld = proxy.withheld();
    assert_eq!(withheld.len(), 1, "the server answered the one push");
    assert!(
        withheld[0].starts_with(b"HTTP/1.1 200 "),
        "{}",
        String::from_utf8_lossy(&withheld[0])
    );
    let committed = everything(&server).await;
    assert_eq!(
        committed.changes.len(),
        before.changes.len() + answers.len()
    );

    // The device resends the same batch, straight to the server.
    let (status, text) = server.push_raw(body).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        text.as_bytes(),
        body_of(&withheld[0]),
        "the very answer the client never heard: same results, same versions"
    );
    let again = reply(&text);
    assert_eq!(again.results.len(), answers.len());
    let applied = |r: &atlas_shared::MutationResult| matches!(r.outcome, Outcome::Applied { .. });
    assert!(again.results.iter().all(applied), "{text}");
    assert_eq!(
        everything(&server).await,
        committed,
        "nothing is stored twice and no position is taken"
    );
}

#[tokio::test]
async fn two_servers_on_one_database_share_the_limit_on_answers_without_signing_in() {
    let first = TestServer::start().await;
    let r = redditch(&first).await;
    // A second instance on the same database, as behind a load balancer.
    let second = TestServer::start_on(
        Storage {
            database_url: first.storage.database_url.clone(),
            dir: tempfile::tempdir().expect("a temporary folder"),
        },
        Options {
            demo: false,
            dist: None,
        },
    )
    .await;
    let answers = |n: usize| -> Vec<Mutation> {
        (0..n)
            .map(|_| create(Entity::Response(r.online())).1)
            .collect()
    };
    let (status, text) = first.push_as(&first.anonymous, answers(20)).await;
    assert_eq!(status, 200, "{text}");
    // Eleven more through the other instance would pass thirty from this address.
    let (status, wait, text) = second.push_waiting_as(&second.anonymous, answers(11)).await;
    assert_eq!(status, 429, "{text}");
    let wait = wait.expect("Retry-After in seconds");
    assert!((3500..=3600).contains(&wait), "{wait}");
    let (status, text) = second.push_as(&second.anonymous, answers(10)).await;
    assert_eq!(status, 200, "ten still fit: {text}");
    let (status, text) = first.push_as(&first.anonymous, answers(1)).await;
    assert_eq!(
        status, 429,
        "the first instance counts the second's: {text}"
    );
    assert_eq!(answers_at(&first.client, &first.base).await.len(), 30);
}

#[tokio::test]
async fn a_server_killed_while_pushes_are_handed_off_applies_each_received_one_once() {
    hand_off_through_a_kill(1).await;
}

#[tokio::test]
async fn one_of_two_instances_killed_while_pushes_are_handed_off_applies_each_answer_once() {
    hand_off_through_a_kill(2).await;
}

/// [`push_through_a_kill`] for pushes handed off (`POST /api/sync/inbox`), as the app sends
/// them: instance 0 is killed while every tablet is still handing off, with pushes received
/// and not yet applied. Afterwards each tablet does what the app does: it asks what became of
/// the pushes it heard were received (never sending them again; a received change is never
/// unknown), and hands off again the ones it did not hear about, to the survivor (the instance
/// that lived applies what the dead one received on its own: the inbox is in the database).
/// Every change settles applied, and the server holds exactly one copy of every answer.
async fn hand_off_through_a_kill(instances: usize) {
    let Killed {
        storage,
        client,
        outboxes,
        sent,
        heard,
        survivor,
        killed_heard,
        killed_sent,
        in_the_inbox,
    } = Killed::sending_to("/api/sync/inbox", 202, instances).await;
    println!(
        "killed with {killed_heard} of {killed_sent} pushes received; the inbox held \
         {in_the_inbox} not yet applied"
    );
    let base = &survivor.base;
    // The pushes not heard received are handed off again.
    for (t, outbox) in outboxes.iter().enumerate() {
        for body in &outbox[heard[t].len()..] {
            let (status, text) = post(&client, format!("{base}/api/sync/inbox"), body)
                .await
                .expect("the server answers");
            assert_eq!(status, 202, "{text}");
        }
    }
    // Every change settles applied, those received before the kill included.
    let mut versions = std::collections::HashMap::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    for body in outboxes.iter().flatten() {
        let request: PushRequest = serde_json::from_slice(body).expect("a push");
        let asked = serde_json::to_vec(&outcomes_of(body)).expect("an outcomes request");
        loop {
            let (status, text) = post(&client, format!("{base}/api/sync/outcomes"), &asked)
                .await
                .expect("the server answers");
            assert_eq!(status, 200, "{text}");
            let reply: atlas_shared::OutcomesResponse =
                serde_json::from_str(&text).expect("outcomes");
            if reply
                .fates
                .iter()
                .any(|f| f.fate == atlas_shared::Fate::Pending)
            {
                assert!(
                    std::time::Instant::now() < deadline,
                    "changes received are still not applied after a minute: {text}"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
            for (m, f) in request.mutations.iter().zip(&reply.fates) {
                assert_eq!(f.mutation_id, m.id);
                let atlas_shared::Fate::Settled { outcome } = &f.fate else {
                    panic!("a change handed off ended {:?}, not applied", f.fate);
                };
                versions.insert(m.record_id, applied_version(outcome));
            }
            break;
        }
    }
    let stored = answers_at(&client, base).await;
    assert_eq!(stored.len(), sent.len(), "exactly one copy of every answer");
    for (id, version) in &stored {
        assert_eq!(
            versions.get(id),
            Some(version),
            "answer {id} as its outcome said"
        );
    }
    drop(survivor);
    drop(storage);
}
