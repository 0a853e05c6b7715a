//! The sync protocol over real HTTP: push, pull, idempotent retries, the merge rule, deletes
//! and their cascades, and a batch that fails as a whole.

use crate::common::*;
use atlas_shared::seeds::{
    BASINGSTOKE, BASINGSTOKE_BOARD, BASINGSTOKE_CONFERENCE, BASINGSTOKE_MANAGEMENT_GROUP, BATH,
    HAMPSHIRE_COUNTY_COUNCIL, REDDITCH, REDDITCH_BOROUGH_COUNCIL, WEST_MERCIA_POLICE,
};
use atlas_shared::{
    BodyKind, EntityKind, LineKind, MAX_PULL_CHANGES, MutationId, Outcome, PROTOCOL_VERSION,
    PushRequest, Rejection, Seq,
};
use serde_json::json;
use sqlx::Row;

#[tokio::test]
async fn push_creates_records_and_pull_returns_them_in_order_with_the_cursor() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(BASINGSTOKE);
    let (board, mb) = body(p, BASINGSTOKE_BOARD, BodyKind::Board);
    let (mg, mm) = body(p, BASINGSTOKE_MANAGEMENT_GROUP, BodyKind::ManagementGroup);
    let pushed = server.push(vec![mp, mb, mm]).await;
    assert_eq!(pushed.protocol, PROTOCOL_VERSION);
    let versions: Vec<Seq> = pushed
        .results
        .iter()
        .map(|r| applied_version(&r.outcome))
        .collect();
    assert_eq!(versions, vec![Seq(1), Seq(2), Seq(3)]);

    let pulled = server.pull(Seq(0)).await;
    let ids: Vec<_> = pulled.changes.iter().map(|c| c.id).collect();
    assert_eq!(ids, vec![p, board, mg]);
    let order: Vec<Seq> = pulled.changes.iter().map(|c| c.version).collect();
    assert_eq!(order, vec![Seq(1), Seq(2), Seq(3)]);
    assert_eq!(pulled.cursor, Seq(3));
    assert!(!pulled.more);
    let fields = pulled.changes[2].fields.as_ref().expect("live record");
    assert_eq!(fields["name"], BASINGSTOKE_MANAGEMENT_GROUP);
    assert_eq!(fields["kind"], "management_group");
    assert!(!pulled.changes[2].deleted);
}

#[tokio::test]
async fn pull_since_the_cursor_returns_only_later_changes() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(REDDITCH);
    server.push(vec![mp]).await;
    let first = server.pull(Seq(0)).await;
    assert_eq!(first.cursor, Seq(1));

    let (_, mo) = organisation(p, WEST_MERCIA_POLICE);
    server.push(vec![mo]).await;
    let next = server.pull(first.cursor).await;
    assert_eq!(next.changes.len(), 1);
    assert_eq!(next.changes[0].kind, EntityKind::Organisation);
    assert_eq!(next.cursor, Seq(2));

    // Nothing new: the cursor stays where it was asked.
    let empty = server.pull(next.cursor).await;
    assert!(empty.changes.is_empty());
    assert_eq!(empty.cursor, Seq(2));
    assert!(!empty.more);
}

#[tokio::test]
async fn pull_pages_in_version_order_with_more_until_the_end() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(BATH);
    server.push(vec![mp]).await;
    let total = MAX_PULL_CHANGES + 200;
    let mut made = 1;
    while made < total {
        let batch: Vec<_> = (made..(made + 400).min(total))
            .map(|i| organisation(p, &format!("Member organisation {i}")).1)
            .collect();
        made += batch.len();
        server.push(batch).await;
    }

    let page = server.pull(Seq(0)).await;
    assert_eq!(page.changes.len(), MAX_PULL_CHANGES);
    assert!(page.more);
    assert_eq!(page.cursor, Seq(MAX_PULL_CHANGES as u64));
    let rest = server.pull(page.cursor).await;
    assert_eq!(rest.changes.len(), total - MAX_PULL_CHANGES);
    assert!(!rest.more);
    assert_eq!(rest.cursor, Seq(total as u64));
    assert_eq!(
        rest.changes[0].version,
        Seq(MAX_PULL_CHANGES as u64 + 1),
        "the next page starts right after the cursor"
    );
}

#[tokio::test]
async fn a_retried_push_changes_nothing_and_answers_byte_identically() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(REDDITCH);
    let (_, mo) = organisation(p, REDDITCH_BOROUGH_COUNCIL);
    let request = serde_json::to_vec(&PushRequest {
        protocol: PROTOCOL_VERSION,
        device_id: device(),
        mutations: vec![mp, mo],
    })
    .expect("JSON");
    let (status, first) = server.push_raw(request.clone()).await;
    assert_eq!(status, 200, "{first}");
    let after_first = server.pull(Seq(0)).await;

    let (status, second) = server.push_raw(request).await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(first, second, "the retry gets the very same answer");
    assert_eq!(server.pull(Seq(0)).await, after_first, "nothing changed");

    let db = server.inspect().await;
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applied_mutations")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(applied, 2);
}

#[tokio::test]
async fn a_stale_edit_of_another_field_merges_with_the_newer_change() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(BASINGSTOKE);
    let (b, mb) = body(p, BASINGSTOKE_MANAGEMENT_GROUP, BodyKind::ManagementGroup);
    server.push(vec![mp, mb]).await;
    // Both devices saw version 2. The first changes the terms of reference...
    let r = server
        .push(vec![upsert(
            EntityKind::Body,
            b,
            Some(Seq(2)),
            fields(json!({"terms_of_reference": "Sets the LSP work programme."})),
        )])
        .await;
    assert_eq!(applied_version(&r.results[0].outcome), Seq(3));
    // ...the second, offline, renamed it.
    let r = server
        .push(vec![upsert(
            EntityKind::Body,
            b,
            Some(Seq(2)),
            fields(json!({"name": "LSP Management Group"})),
        )])
        .await;
    match &r.results[0].outcome {
        Outcome::Applied {
            version,
            overwritten,
        } => {
            assert_eq!(*version, Seq(4));
            assert!(overwritten.is_empty(), "no conflict: {overwritten:?}");
        }
        other => panic!("expected applied, got {other:?}"),
    }
    let pulled = server.pull(Seq(3)).await;
    let f = pulled.changes[0].fields.as_ref().expect("live");
    assert_eq!(f["name"], "LSP Management Group");
    assert_eq!(f["terms_of_reference"], "Sets the LSP work programme.");
}

#[tokio::test]
async fn a_stale_edit_of_the_same_field_wins_reports_the_loser_and_keeps_it_in_history() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(BASINGSTOKE);
    let (b, mb) = body(p, "Board", BodyKind::Board);
    server.push(vec![mp, mb]).await;
    server
        .push(vec![upsert(
            EntityKind::Body,
            b,
            Some(Seq(2)),
            fields(json!({"name": "LSP Board"})),
        )])
        .await;
    let stale = upsert(
        EntityKind::Body,
        b,
        Some(Seq(2)),
        fields(json!({"name": BASINGSTOKE_BOARD})),
    );
    let stale_id = stale.id;
    let r = server.push(vec![stale]).await;
    match &r.results[0].outcome {
        Outcome::Applied {
            version,
            overwritten,
        } => {
            assert_eq!(*version, Seq(4));
            assert_eq!(overwritten.len(), 1);
            assert_eq!(overwritten[0].field, "name");
            assert_eq!(overwritten[0].previous, json!("LSP Board"));
            assert_eq!(overwritten[0].previous_version, Seq(3));
        }
        other => panic!("expected applied, got {other:?}"),
    }
    let pulled = server.pull(Seq(3)).await;
    assert_eq!(
        pulled.changes[0].fields.as_ref().expect("live")["name"],
        BASINGSTOKE_BOARD
    );

    let db = server.inspect().await;
    let row = sqlx::query(
        "SELECT action, seq, before, overwritten FROM record_history WHERE mutation_id = $1",
    )
    .bind(stale_id.0.to_string())
    .fetch_one(&db)
    .await
    .expect("a history row for the stale edit");
    assert_eq!(row.get::<String, _>("action"), "update");
    assert_eq!(row.get::<i64, _>("seq"), 4);
    let before: serde_json::Value =
        serde_json::from_str(&row.get::<String, _>("before")).expect("JSON");
    assert_eq!(before["name"], "LSP Board");
    let overwritten: serde_json::Value =
        serde_json::from_str(&row.get::<String, _>("overwritten")).expect("JSON");
    assert_eq!(overwritten[0]["previous"], "LSP Board");
}

#[tokio::test]
async fn an_edit_after_a_delete_is_rejected_as_record_deleted_and_kept_in_history() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(REDDITCH);
    let (b, mb) = body(p, "LSP Task and Finish Group", BodyKind::TaskAndFinishGroup);
    server.push(vec![mp, mb]).await;
    server
        .push(vec![delete(EntityKind::Body, b, Some(Seq(2)))])
        .await;
    let late = upsert(
        EntityKind::Body,
        b,
        Some(Seq(2)),
        fields(json!({"terms_of_reference": "15 recommendations, monitored November 2011"})),
    );
    let late_id = late.id;
    let r = server.push(vec![late.clone()]).await;
    match &r.results[0].outcome {
        Outcome::Rejected { reason, message } => {
            assert_eq!(*reason, Rejection::RecordDeleted);
            assert!(message.contains("deleted"), "{message}");
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
    // The retry gets the same rejection, and the record stays deleted.
    let again = server.push(vec![late]).await;
    assert_eq!(again.results, r.results);
    let pulled = server.pull(Seq(0)).await;
    let tomb = pulled
        .changes
        .iter()
        .find(|c| c.id == b)
        .expect("the tombstone");
    assert!(tomb.deleted);

    let db = server.inspect().await;
    let row = sqlx::query("SELECT action, seq, after FROM record_history WHERE mutation_id = $1")
        .bind(late_id.0.to_string())
        .fetch_one(&db)
        .await
        .expect("the rejected edit is in the history");
    assert_eq!(row.get::<String, _>("action"), "rejected");
    assert_eq!(row.get::<Option<i64>, _>("seq"), None);
    assert!(
        row.get::<String, _>("after")
            .contains("monitored November 2011")
    );
}

#[tokio::test]
async fn deleting_a_body_cascades_tombstones_to_its_memberships_and_lines() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(BASINGSTOKE);
    let (org, mo) = organisation(p, HAMPSHIRE_COUNTY_COUNCIL);
    let (board, mb) = body(p, BASINGSTOKE_BOARD, BodyKind::Board);
    let (mg, mm) = body(p, BASINGSTOKE_MANAGEMENT_GROUP, BodyKind::ManagementGroup);
    let (seat, ms) = membership(p, mg, Some(org), "");
    let (board_seat, mbs) = membership(p, board, Some(org), "");
    let (reports, ml) = line(p, mg, board, LineKind::ReportsTo);
    server.push(vec![mp, mo, mb, mm, ms, mbs, ml]).await;
    let before = server.pull(Seq(0)).await;

    let r = server
        .push(vec![delete(EntityKind::Body, mg, Some(Seq(4)))])
        .await;
    assert_eq!(applied_version(&r.results[0].outcome), Seq(8));

    let pulled = server.pull(before.cursor).await;
    let gone: Vec<_> = pulled
        .changes
        .iter()
        .map(|c| (c.kind, c.id, c.deleted, c.fields.is_none()))
        .collect();
    assert_eq!(
        gone,
        vec![
            (EntityKind::Body, mg, true, true),
            (EntityKind::Membership, seat, true, true),
            (EntityKind::ReportingLine, reports, true, true),
        ]
    );
    assert_eq!(pulled.cursor, Seq(10));
    // What did not refer to it is untouched.
    let all = server.pull(Seq(0)).await;
    let live: Vec<_> = all
        .changes
        .iter()
        .filter(|c| !c.deleted)
        .map(|c| c.id)
        .collect();
    assert_eq!(live, vec![p, org, board, board_seat]);

    let db = server.inspect().await;
    let cascades: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM record_history WHERE action = 'cascade_delete' AND before IS NOT NULL",
    )
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(cascades, 2);
}

#[tokio::test]
async fn deleting_a_partnership_deletes_everything_in_it_and_nothing_else() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(REDDITCH);
    let (org, mo) = organisation(p, REDDITCH_BOROUGH_COUNCIL);
    let (board, mb) = body(p, "Partnership Management Board", BodyKind::Board);
    let (_, ms) = membership(p, board, Some(org), "");
    let (other, mother) = partnership(BASINGSTOKE);
    let (other_body, mob) = body(
        other,
        BASINGSTOKE_MANAGEMENT_GROUP,
        BodyKind::ManagementGroup,
    );
    server.push(vec![mp, mo, mb, ms, mother, mob]).await;

    server
        .push(vec![delete(EntityKind::Partnership, p, None)])
        .await;
    let all = server.pull(Seq(0)).await;
    let live: Vec<_> = all
        .changes
        .iter()
        .filter(|c| !c.deleted)
        .map(|c| c.id)
        .collect();
    assert_eq!(live, vec![other, other_body]);
    assert_eq!(all.changes.iter().filter(|c| c.deleted).count(), 4);
    // Deleting it again is a harmless no-op at the tombstone's version.
    let r = server
        .push(vec![delete(EntityKind::Partnership, p, None)])
        .await;
    assert_eq!(applied_version(&r.results[0].outcome), Seq(7));
}

#[tokio::test]
async fn deleting_an_unknown_record_is_applied_at_version_zero() {
    let server = TestServer::start().await;
    let r = server
        .push(vec![delete(EntityKind::Body, new_id(), None)])
        .await;
    assert_eq!(applied_version(&r.results[0].outcome), Seq(0));
    assert!(server.pull(Seq(0)).await.changes.is_empty());
}

#[tokio::test]
async fn an_edit_that_changes_nothing_keeps_the_version() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(REDDITCH);
    server.push(vec![mp]).await;
    let r = server
        .push(vec![upsert(
            EntityKind::Partnership,
            p,
            Some(Seq(1)),
            fields(json!({"name": REDDITCH})),
        )])
        .await;
    assert_eq!(applied_version(&r.results[0].outcome), Seq(1));
    assert_eq!(server.pull(Seq(1)).await.changes.len(), 0);
}

#[tokio::test]
async fn a_reference_to_a_deleted_record_is_rejected_not_a_failed_push() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(BASINGSTOKE);
    let (pag, mpag) = body(p, "Housing", BodyKind::PriorityActionGroup);
    let (mg, mm) = body(p, BASINGSTOKE_MANAGEMENT_GROUP, BodyKind::ManagementGroup);
    server.push(vec![mp, mpag, mm]).await;
    server.push(vec![delete(EntityKind::Body, mg, None)]).await;
    // A device that had not seen the delete draws a line to the deleted group, and in the same
    // push creates a body that is fine.
    let (_, ml) = line(p, pag, mg, LineKind::ReportsTo);
    let (_, mok) = body(p, "Community Safety", BodyKind::PriorityActionGroup);
    let r = server.push(vec![ml, mok]).await;
    match &r.results[0].outcome {
        Outcome::Rejected {
            reason: Rejection::MissingReference { entity, id },
            ..
        } => {
            assert_eq!(*entity, EntityKind::Body);
            assert_eq!(*id, mg);
        }
        other => panic!("expected a missing reference, got {other:?}"),
    }
    assert_eq!(applied_version(&r.results[1].outcome), Seq(5));
}

#[tokio::test]
async fn a_batch_whose_third_mutation_is_invalid_changes_nothing() {
    let server = TestServer::start().await;
    let (p0, m0) = partnership(REDDITCH);
    server.push(vec![m0]).await;
    let before = server.pull(Seq(0)).await;

    let (p, mp) = partnership(BASINGSTOKE);
    let (_, mb) = body(p, BASINGSTOKE_MANAGEMENT_GROUP, BodyKind::ManagementGroup);
    let (bad_id, mut bad) = body(p, "Housing", BodyKind::PriorityActionGroup);
    if let atlas_shared::Op::Upsert { fields, .. } = &mut bad.op {
        fields.insert("name".into(), json!("   "));
    }
    let ids: Vec<MutationId> = [&mp, &mb, &bad].iter().map(|m| m.id).collect();
    let request = PushRequest {
        protocol: PROTOCOL_VERSION,
        device_id: device(),
        mutations: vec![mp, mb, bad],
    };
    let (status, text) = server
        .push_raw(serde_json::to_vec(&request).expect("JSON"))
        .await;
    assert_eq!(status, 422, "{text}");
    let error: atlas_shared::ErrorBody = serde_json::from_str(&text).expect("an ErrorBody");
    assert_eq!(error.mutation_id, Some(ids[2]));
    assert!(error.error.contains(&bad_id.to_string()), "{}", error.error);
    assert_eq!(error.fields.len(), 1);
    assert_eq!(error.fields[0].field, "name");

    assert_eq!(server.pull(Seq(0)).await, before, "pull unchanged");
    let db = server.inspect().await;
    let recorded: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM applied_mutations WHERE mutation_id IN ($1, $2, $3)",
    )
    .bind(ids[0].0.to_string())
    .bind(ids[1].0.to_string())
    .bind(ids[2].0.to_string())
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(recorded, 0, "no id of the failed push is recorded");
    let counter: i64 = sqlx::query_scalar("SELECT seq FROM sync_counter")
        .fetch_one(&db)
        .await
        .expect("counter");
    assert_eq!(counter, 1, "no position was taken");
    let _ = p0;
}

#[tokio::test]
async fn moving_a_record_to_another_partnership_is_refused() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(REDDITCH);
    let (other, mo) = partnership(BASINGSTOKE);
    let (b, mb) = body(p, "Partnership Management Board", BodyKind::Board);
    server.push(vec![mp, mo, mb]).await;
    let mv = upsert(
        EntityKind::Body,
        b,
        Some(Seq(3)),
        fields(json!({"partnership_id": other})),
    );
    let (status, text) = server
        .push_raw(
            serde_json::to_vec(&PushRequest {
                protocol: PROTOCOL_VERSION,
                device_id: device(),
                mutations: vec![mv],
            })
            .expect("JSON"),
        )
        .await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("another partnership"), "{text}");
}

#[tokio::test]
async fn a_membership_of_one_partnership_for_another_partnerships_organisation_is_refused() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(REDDITCH);
    let (other, mo) = partnership(BATH);
    let (board, mb) = body(p, "Partnership Management Board", BodyKind::Board);
    let (police, mpol) = organisation(other, "Avon and Somerset Constabulary");
    server.push(vec![mp, mo, mb, mpol]).await;
    let (_, seat) = membership(p, board, Some(police), "");
    let (status, text) = server
        .push_raw(
            serde_json::to_vec(&PushRequest {
                protocol: PROTOCOL_VERSION,
                device_id: device(),
                mutations: vec![seat],
            })
            .expect("JSON"),
        )
        .await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("organisation_id"), "{text}");
}

#[tokio::test]
async fn a_line_from_another_partnerships_body_is_refused_naming_the_from_field() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(REDDITCH);
    let (other, mo) = partnership(BATH);
    let (board, mb) = body(p, "Partnership Management Board", BodyKind::Board);
    let (theirs, mt) = body(other, "Public Services Board", BodyKind::Board);
    server.push(vec![mp, mo, mb, mt]).await;
    let (_, from_theirs) = line(p, theirs, board, LineKind::ReportsTo);
    let refused = push_refused(&server, vec![from_theirs]).await;
    let fields: Vec<&str> = refused.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, vec!["from_body_id"], "{}", refused.error);
    let (_, to_theirs) = line(p, board, theirs, LineKind::ReportsTo);
    let refused = push_refused(&server, vec![to_theirs]).await;
    let fields: Vec<&str> = refused.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, vec!["to_body_id"], "{}", refused.error);
}

#[tokio::test]
async fn a_batch_can_create_a_partnership_and_then_its_bodies_and_lines() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(BASINGSTOKE);
    let (board, mb) = body(p, BASINGSTOKE_BOARD, BodyKind::Board);
    let (conf, mc) = body(p, BASINGSTOKE_CONFERENCE, BodyKind::Conference);
    let (_, ml) = line(p, board, conf, LineKind::ReportsAnnuallyTo);
    let r = server.push(vec![mp, mb, mc, ml]).await;
    assert!(
        r.results
            .iter()
            .all(|r| matches!(r.outcome, Outcome::Applied { .. }))
    );
}
