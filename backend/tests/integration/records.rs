//! What the server stores for a record, over real HTTP: exactly the fields that passed
//! validation (defaults filled in, nothing else), never a field the kind does not have, never
//! a record over `MAX_RECORD_BYTES`; and a pull page bounded by `MAX_PULL_BYTES` as well as by
//! its change count.

use crate::common::*;
use atlas_shared::consultation::{Consultation, Question, QuestionKind, Questionnaire};
use atlas_shared::seeds::{
    BASINGSTOKE, BASINGSTOKE_CONFERENCE, BASINGSTOKE_MANAGEMENT_GROUP, BATH, REDDITCH,
    REDDITCH_BOROUGH_COUNCIL,
};
use atlas_shared::{
    BodyKind, Change, ConsultationId, Entity, EntityKind, MAX_PULL_BYTES, MAX_RECORD_BYTES,
    PartnershipId, Seq, record_bytes,
};
use serde_json::{Map, Value, json};
use sqlx::Row;
use uuid::Uuid;

/// The `fields` column the server stored for a record, parsed.
async fn stored_fields(server: &TestServer, kind: EntityKind, id: Uuid) -> Map<String, Value> {
    let db = server.inspect().await;
    let row = sqlx::query("SELECT fields FROM records WHERE kind = $1 AND id = $2")
        .bind(kind.as_str())
        .bind(id.to_string())
        .fetch_one(&db)
        .await
        .expect("the record is stored");
    let text: String = row.try_get("fields").expect("live fields");
    serde_json::from_str(&text).expect("a JSON object")
}

/// A record written straight into the database file, as an older server (before these rules)
/// could have stored it: at the next position of the change sequence. Returns that position.
async fn store_as_an_older_server_did(
    server: &TestServer,
    kind: EntityKind,
    id: Uuid,
    partnership: Uuid,
    fields: &Map<String, Value>,
) -> Seq {
    let db = server.storage.connect().await;
    // Taking the position first takes the writers' lock at once on either database (SQLite's
    // write lock; PostgreSQL's lock on the counter row, which the server's writers take too).
    let mut tx = db.begin().await.expect("a transaction");
    let seq: i64 =
        sqlx::query_scalar("UPDATE sync_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq")
            .fetch_one(&mut *tx)
            .await
            .expect("a position");
    let versions: Map<String, Value> = fields.keys().map(|k| (k.clone(), json!(seq))).collect();
    sqlx::query(
        "INSERT INTO records (kind, id, partnership_id, fields, field_versions, version, deleted) \
         VALUES ($1, $2, $3, $4, $5, $6, FALSE)",
    )
    .bind(kind.as_str())
    .bind(id.to_string())
    .bind(partnership.to_string())
    .bind(Value::Object(fields.clone()).to_string())
    .bind(Value::Object(versions).to_string())
    .bind(seq)
    .execute(&mut *tx)
    .await
    .expect("the record is written");
    tx.commit().await.expect("committed");
    db.close().await;
    Seq(u64::try_from(seq).expect("a positive position"))
}

/// A management group body stored by an older server, with `extra` fields over the ones it
/// must have. Returns its id and version.
async fn a_management_group_stored_long_ago(
    server: &TestServer,
    p: Uuid,
    extra: Value,
) -> (Uuid, Seq) {
    let id = new_id();
    let mut legacy = fields(json!({
        "partnership_id": p,
        "name": BASINGSTOKE_MANAGEMENT_GROUP,
        "kind": "management_group",
        "terms_of_reference": "",
    }));
    legacy.extend(fields(extra));
    let at = store_as_an_older_server_did(server, EntityKind::Body, id, p, &legacy).await;
    (id, at)
}

fn live_fields(change: &Change) -> &Map<String, Value> {
    change.fields.as_ref().expect("a live record")
}

#[tokio::test]
async fn the_server_stores_and_serves_the_validated_record_with_its_defaults_not_the_json_sent() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(REDDITCH);
    // Only the fields a body must have: no terms of reference.
    let board = new_id();
    let sent = fields(json!({
        "partnership_id": p,
        "name": "Partnership Management Board",
        "kind": "board",
    }));
    // A consultation without its suppression threshold, dates or purpose.
    let consultation = new_id();
    let sent_consultation = fields(json!({"partnership_id": p, "title": "We Are Redditch"}));
    server
        .push(vec![
            mp,
            upsert(EntityKind::Body, board, None, sent.clone()),
            upsert(
                EntityKind::Consultation,
                consultation,
                None,
                sent_consultation.clone(),
            ),
        ])
        .await;

    for (kind, id, sent) in [
        (EntityKind::Body, board, sent),
        (EntityKind::Consultation, consultation, sent_consultation),
    ] {
        let canonical = Entity::from_fields(kind, &sent).expect("valid").to_fields();
        assert_ne!(canonical, sent, "the defaults add fields");
        assert_eq!(stored_fields(&server, kind, id).await, canonical);
        let pulled = server.pull(Seq(0)).await;
        let change = pulled.changes.iter().find(|c| c.id == id).expect("pulled");
        assert_eq!(live_fields(change), &canonical);
    }
    let consultation = stored_fields(&server, EntityKind::Consultation, consultation).await;
    assert_eq!(consultation["suppression_threshold"], 5);
    assert_eq!(consultation["opens_on"], Value::Null);
    assert_eq!(
        stored_fields(&server, EntityKind::Body, board).await["terms_of_reference"],
        ""
    );
}

#[tokio::test]
async fn a_field_the_kind_does_not_have_is_refused_with_422_naming_it_and_nothing_is_stored() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(REDDITCH);
    server.push(vec![mp]).await;
    let (_, mut made) = body(p, "Partnership Management Board", BodyKind::Board);
    let mutation_id = made.id;
    if let atlas_shared::Op::Upsert { fields, .. } = &mut made.op {
        fields.insert("colour".into(), json!("green"));
    }
    let (_, fine) = organisation(p, REDDITCH_BOROUGH_COUNCIL);
    let e = push_refused(&server, vec![fine, made]).await;
    assert_eq!(e.mutation_id, Some(mutation_id));
    assert_eq!(e.fields.len(), 1, "{:?}", e.fields);
    assert_eq!(e.fields[0].field, "colour");
    assert_eq!(e.fields[0].message, "There is no such field on a body");
    assert!(
        e.error
            .contains("it sets a field a body does not have (colour)"),
        "{}",
        e.error
    );
    assert_eq!(
        server.pull(Seq(1)).await.changes,
        vec![],
        "the whole push was refused, the organisation too"
    );
}

#[tokio::test]
async fn an_edit_that_sets_unknown_fields_is_refused_naming_each_of_them() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(REDDITCH);
    let (o, mo) = organisation(p, REDDITCH_BOROUGH_COUNCIL);
    server.push(vec![mp, mo]).await;
    let edit = upsert(
        EntityKind::Organisation,
        o,
        Some(Seq(2)),
        fields(json!({"name": "Redditch BC", "colour": "green", "size": 3})),
    );
    let e = push_refused(&server, vec![edit]).await;
    let named: Vec<(&str, &str)> = e
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.message.as_str()))
        .collect();
    assert_eq!(
        named,
        [
            ("colour", "There is no such field on an organisation"),
            ("size", "There is no such field on an organisation"),
        ]
    );
    assert!(e.error.contains("(colour and size)"), "{}", e.error);
    let stored = stored_fields(&server, EntityKind::Organisation, o).await;
    assert_eq!(stored["name"], REDDITCH_BOROUGH_COUNCIL);
}

#[tokio::test]
async fn optional_fields_sent_as_their_defaults_are_not_unknown() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(BATH);
    let (b, mb) = body(p, "Local Strategic Partnership", BodyKind::Board);
    server.push(vec![mp, mb]).await;
    // An independent chair: no organisation, sent as null; every optional field at its default.
    let seat = new_id();
    let sent = fields(json!({
        "partnership_id": p,
        "body_id": b,
        "organisation_id": null,
        "person": "Councillor Robin Nicoll",
        "role": "chair",
        "independent": true,
        "interim": false,
        "represents": "",
    }));
    let pushed = server
        .push(vec![upsert(
            EntityKind::Membership,
            seat,
            None,
            sent.clone(),
        )])
        .await;
    applied_version(&pushed.results[0].outcome);
    assert_eq!(
        stored_fields(&server, EntityKind::Membership, seat).await,
        sent
    );
}

#[tokio::test]
async fn a_field_an_older_server_stored_does_not_block_an_edit_and_is_dropped_by_it() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(BASINGSTOKE);
    server.push(vec![mp]).await;
    let (b, at) = a_management_group_stored_long_ago(&server, p, json!({"colour": "green"})).await;
    let edit = upsert(
        EntityKind::Body,
        b,
        Some(at),
        fields(json!({"name": "LSP Management Group"})),
    );
    let pushed = server.push(vec![edit]).await;
    applied_version(&pushed.results[0].outcome);
    let stored = stored_fields(&server, EntityKind::Body, b).await;
    assert_eq!(stored["name"], "LSP Management Group");
    assert!(!stored.contains_key("colour"), "{stored:?}");
}

/// A questionnaire version of one free-text question whose hint is padded so that the record
/// is exactly `bytes` long.
fn questionnaire_of(p: Uuid, c: Uuid, version: u32, bytes: usize) -> Entity {
    let make = |hint: String| {
        Entity::Questionnaire(Questionnaire {
            partnership_id: PartnershipId(p),
            consultation_id: ConsultationId(c),
            version,
            questions: vec![Question {
                key: "anything_else".into(),
                text: "Is there anything else you would like the partnership to know?".into(),
                hint,
                required: false,
                kind: QuestionKind::FreeText { max_chars: 1000 },
            }],
            opened_for_answers: false,
        })
    };
    let base = record_bytes(&make(String::new()).to_fields());
    let entity = make("x".repeat(bytes - base));
    assert_eq!(record_bytes(&entity.to_fields()), bytes);
    entity
}

async fn a_consultation(server: &TestServer) -> (Uuid, Uuid) {
    let (p, mp) = partnership(REDDITCH);
    let (c, mc) = create(Entity::Consultation(Consultation {
        partnership_id: PartnershipId(p),
        title: "We Are Redditch".into(),
        purpose: String::new(),
        opens_on: None,
        closes_on: None,
        suppression_threshold: 5,
        archived: false,
    }));
    server.push(vec![mp, mc]).await;
    (p, c)
}

#[tokio::test]
async fn a_record_at_the_size_limit_is_stored_and_one_byte_more_is_a_422_stating_the_limit() {
    let server = TestServer::start().await;
    let (p, c) = a_consultation(&server).await;
    let (at_limit, made) = create(questionnaire_of(p, c, 1, MAX_RECORD_BYTES));
    server.push(vec![made]).await;
    assert_eq!(
        record_bytes(&stored_fields(&server, EntityKind::Questionnaire, at_limit).await),
        MAX_RECORD_BYTES
    );

    let (_, over) = create(questionnaire_of(p, c, 2, MAX_RECORD_BYTES + 1));
    let mutation_id = over.id;
    let e = push_refused(&server, vec![over]).await;
    assert_eq!(e.limit_bytes, Some(MAX_RECORD_BYTES as u64));
    assert_eq!(e.mutation_id, Some(mutation_id));
    assert_eq!(e.fields.len(), 1);
    assert_eq!(e.fields[0].field, "questions", "the longest field");
    assert!(
        e.error.contains(&format!(
            "{} bytes long, over the limit of 256 KiB",
            MAX_RECORD_BYTES + 1
        )),
        "{}",
        e.error
    );
    let versions = server
        .pull(Seq(0))
        .await
        .changes
        .iter()
        .filter(|ch| ch.kind == EntityKind::Questionnaire)
        .count();
    assert_eq!(versions, 1, "the record over the limit was not stored");
}

#[tokio::test]
async fn a_pull_page_stops_at_the_byte_limit_says_more_and_the_next_page_goes_on() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(BASINGSTOKE);
    server.push(vec![mp]).await;
    // Twenty bodies whose terms of reference are at the 20,000-character limit in a script of
    // three bytes a character: 60 KB each, 1.2 MB in all.
    let terms = "✓".repeat(atlas_shared::validate::MAX_TEXT_CHARS);
    let mut made = Vec::new();
    for batch in 0..2 {
        let mutations: Vec<_> = (0..10)
            .map(|n| {
                let (id, mut m) = body(
                    p,
                    &format!("Priority Action Group {batch}-{n}"),
                    BodyKind::PriorityActionGroup,
                );
                if let atlas_shared::Op::Upsert { fields, .. } = &mut m.op {
                    fields.insert("terms_of_reference".into(), json!(terms));
                }
                made.push(id);
                m
            })
            .collect();
        server.push(mutations).await;
    }

    let first = server.pull(Seq(0)).await;
    assert!(first.more, "cut by bytes, not by count");
    assert!(first.changes.len() < 21, "{}", first.changes.len());
    let page_bytes = serde_json::to_vec(&first.changes).expect("JSON").len();
    assert!(page_bytes <= MAX_PULL_BYTES, "{page_bytes}");
    assert!(
        page_bytes > MAX_PULL_BYTES - 70_000,
        "nearly full: another body would not fit ({page_bytes})"
    );
    assert_eq!(first.cursor, first.changes.last().expect("changes").version);

    let all = server.pull_all(Seq(0)).await;
    assert!(!all.more);
    let bodies: Vec<Uuid> = all
        .changes
        .iter()
        .filter(|ch| ch.kind == EntityKind::Body)
        .map(|ch| ch.id)
        .collect();
    assert_eq!(bodies, made, "every body, once, in order");
}

#[tokio::test]
async fn a_record_larger_than_a_pull_page_is_pulled_alone_and_does_not_stall_the_pull() {
    let server = TestServer::start().await;
    let (p, mp) = partnership(BASINGSTOKE);
    server.push(vec![mp]).await;
    // Stored before these limits: larger than a whole pull page.
    let terms = "x".repeat(MAX_PULL_BYTES + 1000);
    let (huge, at) =
        a_management_group_stored_long_ago(&server, p, json!({"terms_of_reference": terms})).await;
    let (after, mb) = body(p, BASINGSTOKE_CONFERENCE, BodyKind::Conference);
    server.push(vec![mb]).await;

    let page = server.pull(Seq(1)).await;
    let ids: Vec<Uuid> = page.changes.iter().map(|c| c.id).collect();
    assert_eq!(ids, vec![huge], "the large record alone");
    assert!(page.more);
    assert_eq!(page.cursor, at);
    let next = server.pull(page.cursor).await;
    let ids: Vec<Uuid> = next.changes.iter().map(|c| c.id).collect();
    assert_eq!(ids, vec![after]);
    assert!(!next.more);
}
