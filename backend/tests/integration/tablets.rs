//! Registered tablets over real HTTP: a manager registers one (its token shown once, only its
//! hash stored), the tablet pushes answers with it as a bearer token and pulls what staff read
//! (never an answer); only a manager of the partnership registers, lists and withdraws; a
//! withdrawn tablet's answers are refused, kept for a manager and counted once; its pull is
//! refused. Fixtures from seed 004: "We Are Redditch", January 2010.

use crate::common::redditch::*;
use crate::common::*;
use atlas_shared::accounts::Role;
use atlas_shared::accounts::tablets::{RegisteredTablet, TabletInfo, Tablets};
use atlas_shared::attention::{CountedAnswer, RefusedAnswers};
use atlas_shared::{
    ConsultationId, Entity, EntityKind, ErrorBody, Outcome, PushResponse, Rejection, Seq,
};
use serde_json::json;
use sha2::{Digest, Sha256};

/// Registers a tablet named "Hall tablet 3" for `consultations` of Redditch as `manager`.
async fn register(
    server: &TestServer,
    manager: &reqwest::Client,
    r: &Redditch,
    consultations: &[ConsultationId],
) -> (u16, String) {
    let response = manager
        .post(server.url("/api/tablets"))
        .json(&json!({
            "partnership_id": r.p,
            "name": " Hall tablet 3 ",
            "consultation_ids": consultations,
        }))
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

async fn registered(
    server: &TestServer,
    manager: &reqwest::Client,
    r: &Redditch,
) -> RegisteredTablet {
    let (status, text) = register(server, manager, r, &[]).await;
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).expect("a RegisteredTablet")
}

/// A client that sends `token` as a bearer token, as an enrolled tablet does.
fn tablet_client(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let value = format!("Bearer {token}").parse().expect("a header value");
    headers.insert(reqwest::header::AUTHORIZATION, value);
    reqwest::Client::builder()
        .no_proxy()
        .default_headers(headers)
        .build()
        .expect("an HTTP client")
}

async fn post_as(server: &TestServer, client: &reqwest::Client, path: &str) -> (u16, String) {
    let response = client.post(server.url(path)).send().await.expect("sent");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

/// How many live responses the server holds (as the administrator reads them).
async fn stored_responses(server: &TestServer) -> usize {
    let all = server.pull_all(Seq(0)).await;
    let live = all.changes.iter().filter(|c| !c.deleted);
    live.filter(|c| c.kind == EntityKind::Response).count()
}

fn error_of(text: &str) -> String {
    serde_json::from_str::<ErrorBody>(text)
        .expect("an ErrorBody")
        .error
}

#[tokio::test]
async fn a_registered_tablet_pushes_answers_with_its_token_and_pulls_no_answers() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    // An answer already there, which a tablet must never read back.
    let (_, earlier) = create(Entity::Response(r.valid(device())));
    server.push(vec![earlier]).await;
    let (manager_id, manager) = server.person(Some(Role::Manager), r.p.0).await;

    let reg = registered(&server, &manager, &r).await;
    assert_eq!(reg.tablet.name, "Hall tablet 3");
    assert_eq!(reg.tablet.created_by, manager_id);
    assert_eq!(reg.token.len(), 43, "32 random bytes");
    assert!(
        reg.enrol_link
            .ends_with(&format!("/tablet/enrol#{}", reg.token)),
        "{}",
        reg.enrol_link
    );
    assert!(
        reg.enrol_link.starts_with(&server.base),
        "{}",
        reg.enrol_link
    );
    assert_eq!(reg.qr.rows.len(), reg.qr.size);
    assert!(reg.qr.size >= 21);

    // Only the token's hash is stored, and the list never carries the token.
    let db = server.inspect().await;
    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT id || partnership_id || name || consultation_ids || token_hash FROM tablets",
    )
    .fetch_all(&db)
    .await
    .expect("the tablets table");
    let hash: String = Sha256::digest(reg.token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(stored.len(), 1);
    assert!(stored[0].ends_with(&hash), "{}", stored[0]);
    assert!(!stored[0].contains(&reg.token));
    let (status, text) = server
        .get_as(&manager, &format!("/api/tablets?partnership={}", r.p.0))
        .await;
    assert_eq!(status, 200, "{text}");
    assert!(!text.contains(&reg.token));
    let listed: Tablets = serde_json::from_str(&text).expect("Tablets");
    assert_eq!(listed.tablets.len(), 1);
    assert_eq!(listed.tablets[0].id, reg.tablet.id);

    let tablet = tablet_client(&reg.token);
    let (status, text) = server.get_as(&tablet, "/api/tablet").await;
    assert_eq!(status, 200, "{text}");
    let me: TabletInfo = serde_json::from_str(&text).expect("TabletInfo");
    assert_eq!(me.partnership_id, r.p);
    assert!(me.last_seen_at.is_some(), "marked seen");

    let (id, sent) = create(Entity::Response(r.valid(device())));
    let (status, text) = server.push_as(&tablet, vec![sent]).await;
    assert_eq!(status, 200, "{text}");
    let pushed: PushResponse = serde_json::from_str(&text).expect("a PushResponse");
    applied_version(&pushed.results[0].outcome);
    assert_eq!(stored_responses(&server).await, 2);
    let actor: String = sqlx::query_scalar("SELECT actor FROM record_history WHERE record_id = $1")
        .bind(id.to_string())
        .fetch_one(&db)
        .await
        .expect("the answer's history");
    assert_eq!(actor, format!("tablet:{}", reg.tablet.id));

    // It pulls what staff capture with, and no answer.
    let pulled = server.pull_as(&tablet, Seq(0), None).await;
    let kinds: Vec<EntityKind> = pulled.changes.iter().map(|c| c.kind).collect();
    for kind in [
        EntityKind::Questionnaire,
        EntityKind::ConsultationEvent,
        EntityKind::Consultation,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} in {kinds:?}");
    }
    assert!(!kinds.contains(&EntityKind::Response), "{kinds:?}");
}

#[tokio::test]
async fn only_a_manager_of_the_partnership_registers_lists_and_withdraws_tablets() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let (_, manager) = server.person(Some(Role::Manager), r.p.0).await;
    let reg = registered(&server, &manager, &r).await;
    let list = format!("/api/tablets?partnership={}", r.p.0);
    let revoke = format!("/api/tablets/{}/revoke", reg.tablet.id);

    let (status, text) = register(&server, &server.anonymous, &r, &[]).await;
    assert_eq!(status, 401, "{text}");
    let (status, _) = server.get_as(&server.anonymous, &list).await;
    assert_eq!(status, 401);
    for role in [Role::Councillor, Role::ConsultationStaff, Role::GroupLead] {
        let (_, person) = server.person(Some(role), r.p.0).await;
        let (status, text) = register(&server, &person, &r, &[]).await;
        assert_eq!(status, 403, "{role:?}: {text}");
        assert_eq!(
            error_of(&text),
            "Only a manager of the partnership can register a tablet."
        );
        let (status, _) = server.get_as(&person, &list).await;
        assert_eq!(status, 403, "{role:?}");
        let (status, _) = post_as(&server, &person, &revoke).await;
        assert_eq!(status, 403, "{role:?}");
    }
    // A manager of another partnership can do none of it here.
    let (other, make) = partnership("Basingstoke and Deane");
    server.push(vec![make]).await;
    let (_, other_manager) = server.person(Some(Role::Manager), other).await;
    let (status, _) = post_as(&server, &other_manager, &revoke).await;
    assert_eq!(status, 403);
    let (status, _) = server.get_as(&other_manager, &list).await;
    assert_eq!(status, 403);
    // Nor can a tablet withdraw itself or register another.
    let tablet = tablet_client(&reg.token);
    let (status, _) = post_as(&server, &tablet, &revoke).await;
    assert_eq!(status, 401);
    assert!(
        server
            .get_as(&manager, &list)
            .await
            .1
            .contains("\"revoked_at\":null")
    );

    // A name is needed; an unknown token is told it is not registered.
    let response = manager
        .post(server.url("/api/tablets"))
        .json(&json!({"partnership_id": r.p, "name": " "}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 422);
    let e: ErrorBody = response.json().await.expect("an ErrorBody");
    assert_eq!(e.fields[0].field, "name");
    let stranger = tablet_client("not-a-token-anyone-was-given");
    let (status, text) = server.push_as(&stranger, vec![]).await;
    assert_eq!(status, 401, "{text}");
    assert!(
        error_of(&text).starts_with("This tablet is not registered"),
        "{text}"
    );
}

#[tokio::test]
async fn a_withdrawn_tablets_answers_are_refused_kept_and_counted_once() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let (manager_id, manager) = server.person(Some(Role::Manager), r.p.0).await;
    let reg = registered(&server, &manager, &r).await;
    let tablet = tablet_client(&reg.token);

    let (status, text) = post_as(
        &server,
        &manager,
        &format!("/api/tablets/{}/revoke", reg.tablet.id),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let withdrawn: TabletInfo = serde_json::from_str(&text).expect("TabletInfo");
    assert!(withdrawn.revoked_at.is_some());
    assert_eq!(withdrawn.revoked_by, Some(manager_id));

    // Its answer (captured before it heard) is refused, and kept; so is any other change.
    let (_, sent) = create(Entity::Response(r.valid(device())));
    let (_, body_change) = body(
        r.p.0,
        "Hall tablet's body",
        atlas_shared::BodyKind::TaskGroup,
    );
    let (status, text) = server
        .push_as(&tablet, vec![sent.clone(), body_change])
        .await;
    assert_eq!(status, 200, "{text}");
    let pushed: PushResponse = serde_json::from_str(&text).expect("a PushResponse");
    for result in &pushed.results {
        match &result.outcome {
            Outcome::Rejected {
                reason: Rejection::NotAllowed,
                message,
            } => assert!(
                message.starts_with("This tablet was withdrawn on ")
                    && message.ends_with(
                        "by a manager. Its answers are kept for a manager of the partnership \
                         to count."
                    ),
                "{message}"
            ),
            other => panic!("a withdrawn tablet's change: {other:?}"),
        }
    }
    assert_eq!(stored_responses(&server).await, 0, "nothing stored");

    // Its pull is refused.
    let (status, text) = server.get_as(&tablet, "/api/sync/pull?since=0").await;
    assert_eq!(status, 401, "{text}");
    assert!(error_of(&text).contains("withdrawn"), "{text}");

    // The manager sees the answer among the refused ones, and counts it exactly once.
    let (status, text) = server.get_as(&manager, "/api/refused").await;
    assert_eq!(status, 200, "{text}");
    let refused: RefusedAnswers = serde_json::from_str(&text).expect("RefusedAnswers");
    assert_eq!(refused.answers.len(), 1);
    assert_eq!(refused.answers[0].change.mutation.id, sent.id);
    let count = format!("/api/refused/{}/count", sent.id.0);
    let (status, text) = post_as(&server, &manager, &count).await;
    assert_eq!(status, 200, "{text}");
    let counted: CountedAnswer = serde_json::from_str(&text).expect("a CountedAnswer");
    assert_eq!(counted.record_id, sent.record_id);
    let (status, again) = post_as(&server, &manager, &count).await;
    assert_eq!(status, 200, "{again}");
    let again: CountedAnswer = serde_json::from_str(&again).expect("a CountedAnswer");
    assert_eq!(again.version, counted.version);
    assert_eq!(stored_responses(&server).await, 1);
    let (_, text) = server.get_as(&manager, "/api/refused").await;
    assert!(text.contains("\"answers\":[]"), "{text}");
    // The tablet sending it again changes nothing.
    let (status, _) = server.push_as(&tablet, vec![sent]).await;
    assert_eq!(status, 200);
    assert_eq!(stored_responses(&server).await, 1);
}

#[tokio::test]
async fn a_tablet_registered_for_some_consultations_is_refused_answers_to_others() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let (other, make) = r.another_consultation("Older people's housing");
    server.push(vec![make]).await;
    let (_, manager) = server.person(Some(Role::Manager), r.p.0).await;

    // A consultation of another partnership is not this partnership's to choose.
    let (elsewhere, make) = partnership("Basingstoke and Deane");
    server.push(vec![make]).await;
    let (status, text) = register(&server, &manager, &r, &[ConsultationId(elsewhere)]).await;
    assert_eq!(status, 422, "{text}");

    let (status, text) = register(&server, &manager, &r, &[ConsultationId(other)]).await;
    assert_eq!(status, 200, "{text}");
    let reg: RegisteredTablet = serde_json::from_str(&text).expect("a RegisteredTablet");
    assert_eq!(reg.tablet.consultation_ids, vec![ConsultationId(other)]);
    let (_, sent) = create(Entity::Response(r.valid(device())));
    let (status, text) = server.push_as(&tablet_client(&reg.token), vec![sent]).await;
    assert_eq!(status, 200, "{text}");
    let pushed: PushResponse = serde_json::from_str(&text).expect("a PushResponse");
    match &pushed.results[0].outcome {
        Outcome::Rejected { message, .. } => {
            assert!(message.contains("other consultations"), "{message}")
        }
        other => panic!("an answer to another consultation: {other:?}"),
    }
    assert_eq!(stored_responses(&server).await, 0);
}
