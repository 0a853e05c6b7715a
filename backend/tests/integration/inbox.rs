//! Pushes handed off (`POST /api/sync/inbox`, "Handing a push off" in `atlas_shared::sync`)
//! over real HTTP, on whichever database the tests run on: received at once (202), applied in
//! turn with the results a push would have had, each mutation once however often it arrives;
//! a change refused in a push handed off is kept and the rest applied; a device asks what
//! became of each (`POST /api/sync/outcomes`), and an id the server never received is unknown.

use std::time::{Duration, Instant};

use atlas_shared::{
    DeviceId, Fate, Mutation, MutationFate, MutationId, Outcome, OutcomesRequest, OutcomesResponse,
    PROTOCOL_VERSION, PushReceipt, PushRequest,
};
use serde_json::json;

use crate::common::*;

/// Hands `mutations` off from `device` as the administrator: the status and the body.
async fn hand_off(server: &TestServer, device: DeviceId, mutations: &[Mutation]) -> (u16, String) {
    let response = server
        .client
        .post(server.url("/api/sync/inbox"))
        .json(&PushRequest {
            protocol: PROTOCOL_VERSION,
            device_id: device,
            mutations: mutations.to_vec(),
        })
        .send()
        .await
        .expect("the push is sent");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a response body"))
}

/// What became of `ids`, sent from `device`, as the server says now.
async fn fates(server: &TestServer, device: DeviceId, ids: &[MutationId]) -> Vec<MutationFate> {
    let response = server
        .anonymous
        .post(server.url("/api/sync/outcomes"))
        .json(&OutcomesRequest {
            protocol: PROTOCOL_VERSION,
            device_id: device,
            mutation_ids: ids.to_vec(),
        })
        .send()
        .await
        .expect("the question is sent");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a response body");
    assert_eq!(status, 200, "{text}");
    let answer: OutcomesResponse = serde_json::from_str(&text).expect("an OutcomesResponse");
    assert_eq!(answer.fates.len(), ids.len(), "one fate per id: {text}");
    for (fate, id) in answer.fates.iter().zip(ids) {
        assert_eq!(fate.mutation_id, *id, "in the order asked: {text}");
    }
    answer.fates
}

/// The fates of `ids` once none is pending (the writer applies the inbox in turn).
async fn settled(server: &TestServer, device: DeviceId, ids: &[MutationId]) -> Vec<Fate> {
    let started = Instant::now();
    loop {
        let now = fates(server, device, ids).await;
        if now.iter().all(|f| f.fate != Fate::Pending) {
            return now.into_iter().map(|f| f.fate).collect();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "still pending after 30 s: {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn ids(mutations: &[Mutation]) -> Vec<MutationId> {
    mutations.iter().map(|m| m.id).collect()
}

#[tokio::test]
async fn a_push_handed_off_is_received_then_applied_with_the_results_a_push_would_have() {
    let server = TestServer::start().await;
    let from = device();
    let (p, partnership) = partnership("Handed off LSP");
    let mut mutations = vec![partnership];
    for name in [
        "Basingstoke and Deane BC",
        "Hampshire Constabulary",
        "NHS Hampshire",
    ] {
        mutations.push(organisation(p, name).1);
    }

    let (status, text) = hand_off(&server, from, &mutations).await;
    assert_eq!(status, 202, "{text}");
    let receipt: PushReceipt = serde_json::from_str(&text).expect("a PushReceipt");
    assert_eq!(receipt.received, 4);

    let fates = settled(&server, from, &ids(&mutations)).await;
    let versions: Vec<u64> = fates
        .iter()
        .map(|fate| match fate {
            Fate::Settled {
                outcome: Outcome::Applied { version, .. },
            } => version.0,
            other => panic!("not applied: {other:?}"),
        })
        .collect();
    assert!(
        versions.windows(2).all(|w| w[0] < w[1]),
        "applied in the order sent: {versions:?}"
    );
    let held = server.pull_all(atlas_shared::Seq(0)).await;
    for m in &mutations {
        assert!(
            held.changes.iter().any(|c| c.id == m.record_id),
            "{} {} is pulled",
            m.kind.as_str(),
            m.record_id
        );
    }

    // Sent again, as a push: answered with the same results, and nothing stored twice.
    let again = server.push_from(from, mutations.clone()).await;
    let outcomes: Vec<Fate> = again
        .results
        .into_iter()
        .map(|r| Fate::Settled { outcome: r.outcome })
        .collect();
    assert_eq!(outcomes, fates);
    let (status, text) = hand_off(&server, from, &mutations).await;
    assert_eq!(status, 202, "{text}");
    assert_eq!(settled(&server, from, &ids(&mutations)).await, fates);
    let after = server.pull_all(atlas_shared::Seq(0)).await;
    assert_eq!(after.cursor, held.cursor, "nothing applied twice");
}

#[tokio::test]
async fn a_change_refused_in_a_push_handed_off_is_kept_and_the_rest_of_the_push_applied() {
    let server = TestServer::start().await;
    let from = device();
    let (p, first) = partnership("Kept LSP");
    let (_, mut refused) = organisation(p, "A refused organisation");
    if let atlas_shared::Op::Upsert { fields, .. } = &mut refused.op {
        fields.insert("colour".to_owned(), json!("green"));
    }
    let (_, last) = organisation(p, "Hampshire Fire and Rescue");
    let mutations = vec![first, refused.clone(), last];

    let (status, text) = hand_off(&server, from, &mutations).await;
    assert_eq!(status, 202, "{text}");
    let fates = settled(&server, from, &ids(&mutations)).await;
    assert!(
        matches!(
            &fates[0],
            Fate::Settled {
                outcome: Outcome::Applied { .. }
            }
        ),
        "{fates:?}"
    );
    match &fates[1] {
        Fate::Refused { error } => {
            assert_eq!(error.mutation_id, Some(refused.id));
            assert!(
                error.fields.iter().any(|f| f.field == "colour"),
                "the field is named: {error:?}"
            );
        }
        other => panic!("not refused: {other:?}"),
    }
    assert!(
        matches!(
            &fates[2],
            Fate::Settled {
                outcome: Outcome::Applied { .. }
            }
        ),
        "the rest of the push is applied: {fates:?}"
    );
    let kept: Vec<String> =
        sqlx::query_scalar("SELECT mutation_id FROM refused_mutations WHERE mutation_id = $1")
            .bind(refused.id.0.to_string())
            .fetch_all(&server.inspect().await)
            .await
            .expect("the refused changes");
    assert_eq!(kept.len(), 1, "the refused change is kept for a manager");
    let inbox: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inbox")
        .fetch_one(&server.inspect().await)
        .await
        .expect("the inbox");
    assert_eq!(inbox, 0, "the push left the inbox once applied");
}

#[tokio::test]
async fn an_id_the_server_never_received_is_unknown_and_a_bad_batch_is_refused_whole() {
    let server = TestServer::start().await;
    let from = device();
    let never = MutationId(new_id());
    assert_eq!(
        fates(&server, from, &[never]).await[0].fate,
        Fate::Unknown,
        "never sent: send it again"
    );

    // The same id twice: refused whole before anything is stored, as a push would be.
    let (_, twice) = partnership("Twice LSP");
    let (status, text) = hand_off(&server, from, &[twice.clone(), twice.clone()]).await;
    assert_eq!(status, 422, "{text}");
    assert_eq!(
        fates(&server, from, &[twice.id]).await[0].fate,
        Fate::Unknown
    );

    // Without a sign-in, only residents' online answers may come.
    let (_, change) = partnership("Anonymous LSP");
    let response = server
        .anonymous
        .post(server.url("/api/sync/inbox"))
        .json(&PushRequest {
            protocol: PROTOCOL_VERSION,
            device_id: from,
            mutations: vec![change.clone()],
        })
        .send()
        .await
        .expect("the push is sent");
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(
        fates(&server, from, &[change.id]).await[0].fate,
        Fate::Unknown
    );

    // Another device's mutations are not this one's to ask about.
    let (_, mine) = partnership("Mine LSP");
    let (status, text) = hand_off(&server, from, std::slice::from_ref(&mine)).await;
    assert_eq!(status, 202, "{text}");
    assert!(matches!(
        settled(&server, from, &[mine.id]).await[0],
        Fate::Settled { .. }
    ));
    assert_eq!(
        fates(&server, device(), &[mine.id]).await[0].fate,
        Fate::Unknown
    );
}
