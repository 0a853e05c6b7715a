//! Meetings over real HTTP, on the demo data (seeds 000, 001 and 004): the meetings, agenda
//! items and minutes every reader pulls, and draft minutes, which reach the partnership's
//! councillors and not the public until a manager publishes them.

use crate::common::*;
use atlas_backend::demo::DRAFT_MINUTES_TEXT;
use atlas_shared::accounts::Role;
use atlas_shared::seeds::{self, REDDITCH};
use atlas_shared::{Change, Entity, EntityKind, IsoDate, Outcome, PushResponse, Rejection, Seq};
use serde_json::json;

/// The outcome of a one-mutation push's reply.
fn outcome(text: &str) -> Outcome {
    let reply: PushResponse = serde_json::from_str(text).expect("a push reply");
    reply.results[0].outcome.clone()
}

fn live(changes: &[Change], kind: EntityKind) -> Vec<&Change> {
    changes
        .iter()
        .filter(|c| !c.deleted && c.kind == kind)
        .collect()
}

/// The text of each live minutes record pulled.
fn minutes_texts(changes: &[Change]) -> Vec<String> {
    live(changes, EntityKind::Minutes)
        .into_iter()
        .filter_map(|c| c.fields.as_ref()?.get("text")?.as_str().map(str::to_owned))
        .collect()
}

/// The demo's draft minutes (the Board's of September 2011), as the administrator pulls them.
fn draft_minutes(changes: &[Change]) -> Change {
    live(changes, EntityKind::Minutes)
        .into_iter()
        .find(|c| c.fields.as_ref().and_then(|f| f.get("text")) == Some(&json!(DRAFT_MINUTES_TEXT)))
        .cloned()
        .expect("the demo has draft minutes")
}

#[tokio::test]
async fn the_public_pulls_seed_000s_meeting_and_item_126() {
    let server = TestServer::demo().await;
    let public = server.pull_as(&server.anonymous, Seq(0), None).await;
    let item = live(&public.changes, EntityKind::AgendaItem)
        .into_iter()
        .find(|c| c.fields.as_ref().and_then(|f| f.get("number")) == Some(&json!("126")))
        .expect("item 126 reaches the public");
    let fields = item.fields.as_ref().expect("fields");
    assert_eq!(fields["title"], seeds::ITEM_126_TITLE);
    assert_eq!(fields["outcome"], seeds::ITEM_126_OUTCOME);
    assert_eq!(fields["report_type"], "presentation");
    let meeting = live(&public.changes, EntityKind::Meeting)
        .into_iter()
        .find(|c| c.id.to_string() == fields["meeting_id"])
        .expect("its meeting reaches the public");
    let m = meeting.fields.as_ref().expect("fields");
    assert_eq!(m["date"], "2009-11-25");
    assert_eq!(m["committee"], seeds::OVERVIEW_AND_SCRUTINY);
    // Bath and North East Somerset's reports to its Corporate Issues Panel (seed 001).
    let panel: Vec<String> = live(&public.changes, EntityKind::Meeting)
        .into_iter()
        .filter_map(|c| c.fields.as_ref())
        .filter(|f| f["committee"] == seeds::CORPORATE_ISSUES_PANEL)
        .map(|f| f["date"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(panel, ["2002-12-01", "2003-01-15"]);
}

#[tokio::test]
async fn draft_minutes_reach_a_councillor_and_not_the_public_until_published() {
    let server = TestServer::demo().await;
    let everything = server.pull_all(Seq(0)).await;
    let redditch = partnership_named(&everything.changes, REDDITCH).expect("Redditch");
    let draft = draft_minutes(&everything.changes);

    let public = server.pull_as(&server.anonymous, Seq(0), None).await;
    let seen = minutes_texts(&public.changes);
    assert!(!seen.iter().any(|t| t == DRAFT_MINUTES_TEXT), "{seen:?}");
    assert_eq!(
        seen.len(),
        1,
        "the published minutes reach the public: {seen:?}"
    );
    // Its meeting is public all the same: only the minutes are the members'.
    let meeting_id = draft.fields.as_ref().expect("fields")["meeting_id"].clone();
    assert!(
        live(&public.changes, EntityKind::Meeting)
            .iter()
            .any(|c| json!(c.id.to_string()) == meeting_id)
    );

    let (_, councillor) = server.person(Some(Role::Councillor), redditch).await;
    let theirs = server.pull_as(&councillor, Seq(0), None).await;
    assert!(
        minutes_texts(&theirs.changes)
            .iter()
            .any(|t| t == DRAFT_MINUTES_TEXT)
    );

    // A manager publishes them: the public's copy is out of date, and a pull brings them.
    let mut fields = draft.fields.clone().expect("fields");
    fields.insert(
        "published_on".into(),
        json!(IsoDate::known(2011, 12, 1).to_string()),
    );
    assert!(Entity::from_fields(EntityKind::Minutes, &fields).is_ok());
    let (_, manager) = server.person(Some(Role::Manager), redditch).await;
    let (status, text) = server
        .push_as(
            &manager,
            vec![upsert(
                EntityKind::Minutes,
                draft.id,
                Some(draft.version),
                fields,
            )],
        )
        .await;
    assert_eq!(status, 200, "{text}");
    assert!(matches!(outcome(&text), Outcome::Applied { .. }), "{text}");

    let again = server
        .pull_page(&server.anonymous, public.cursor, Some(&public.scope))
        .await;
    assert!(
        again.reset,
        "what the public may see changed, so its device pulls afresh"
    );
    let public = server.pull_as(&server.anonymous, Seq(0), None).await;
    assert!(
        minutes_texts(&public.changes)
            .iter()
            .any(|t| t == DRAFT_MINUTES_TEXT)
    );
}

#[tokio::test]
async fn a_councillor_may_not_publish_minutes() {
    let server = TestServer::demo().await;
    let everything = server.pull_all(Seq(0)).await;
    let redditch = partnership_named(&everything.changes, REDDITCH).expect("Redditch");
    let draft = draft_minutes(&everything.changes);
    let mut fields = draft.fields.clone().expect("fields");
    fields.insert("published_on".into(), json!("2011-12-01"));
    let (_, councillor) = server.person(Some(Role::Councillor), redditch).await;
    let (status, text) = server
        .push_as(
            &councillor,
            vec![upsert(
                EntityKind::Minutes,
                draft.id,
                Some(draft.version),
                fields,
            )],
        )
        .await;
    assert_eq!(status, 200, "{text}");
    assert!(
        matches!(
            outcome(&text),
            Outcome::Rejected {
                reason: Rejection::NotAllowed,
                ..
            }
        ),
        "{text}"
    );
    let public = server.pull_as(&server.anonymous, Seq(0), None).await;
    assert!(
        !minutes_texts(&public.changes)
            .iter()
            .any(|t| t == DRAFT_MINUTES_TEXT)
    );
}
