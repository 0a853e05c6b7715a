//! Consultation records over real HTTP: responses are append-only and counted once however
//! often they arrive; an answer is never refused because its questionnaire moved on (it is
//! stored for review); a version opened for answers is never edited; nothing that holds answers
//! is deleted, and no answer is. Fixtures from seed 004: "We Are Redditch", January 2010.

use crate::common::redditch::*;
use crate::common::*;
use atlas_shared::Op;
use atlas_shared::attention::{CountedAnswer, Refusal, RefusedAnswer, RefusedAnswers};
use atlas_shared::consultation::{
    AnswerValue, Channel, Choice, Consultation, ConsultationEvent, PublishedResults, Question,
    QuestionKind, Response,
};
use atlas_shared::results::Cell;
use atlas_shared::{
    ConsultationEventId, ConsultationId, DeviceId, Entity, EntityKind, Mutation, Outcome,
    Rejection, Seq,
};
use serde_json::json;
use uuid::Uuid;

/// Pushes a valid response from `tablet`; returns its id and the version it was stored at.
async fn store_response(server: &TestServer, r: &Redditch, tablet: DeviceId) -> (Uuid, Seq) {
    let (id, sent) = create(Entity::Response(r.valid(tablet)));
    let pushed = server.push_from(tablet, vec![sent]).await;
    (id, applied_version(&pushed.results[0].outcome))
}

/// How many live responses the server holds.
async fn stored_responses(server: &TestServer) -> usize {
    server
        .pull_all(Seq(0))
        .await
        .changes
        .iter()
        .filter(|c| c.kind == EntityKind::Response && !c.deleted)
        .count()
}

#[tokio::test]
async fn a_retried_push_of_responses_adds_nothing() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let tablet = device();
    let batch: Vec<Mutation> = (0..3)
        .map(|_| create(Entity::Response(r.valid(tablet))).1)
        .collect();
    let first = server.push_from(tablet, batch.clone()).await;
    let again = server.push_from(tablet, batch).await;
    assert_eq!(first, again, "a retry gets the same answer");
    assert_eq!(stored_responses(&server).await, 3);
}

#[tokio::test]
async fn the_same_response_imported_from_a_second_device_counts_once() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let tablet = device();
    let (id, version) = store_response(&server, &r, tablet).await;

    // The tablet's rescue file is imported on a laptop: the same record under a new mutation.
    let laptop = device();
    let fields = Entity::Response(r.valid(tablet)).to_fields();
    let imported = server
        .push_from(laptop, vec![upsert(EntityKind::Response, id, None, fields)])
        .await;
    assert_eq!(applied_version(&imported.results[0].outcome), version);
    assert_eq!(stored_responses(&server).await, 1);
}

#[tokio::test]
async fn changing_a_responses_answers_is_refused_but_hiding_it_works() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let tablet = device();
    let (id, version) = store_response(&server, &r, tablet).await;

    let mut changed = r.valid(tablet);
    changed.answers.insert(
        "priorities".into(),
        AnswerValue::Ranked(vec!["safety".into()]),
    );
    let patch = fields(json!({ "answers": Entity::Response(changed).to_fields()["answers"] }));
    let refused = push_refused(
        &server,
        vec![upsert(EntityKind::Response, id, Some(version), patch)],
    )
    .await;
    assert!(
        refused.error.contains("never changed once stored"),
        "{}",
        refused.error
    );
    assert_eq!(refused.fields[0].field, "answers");

    // A moderator hides it (its free text holds a phone number).
    let hidden = server
        .push(vec![upsert(
            EntityKind::Response,
            id,
            Some(version),
            fields(json!({ "hidden": true })),
        )])
        .await;
    let hidden_at = applied_version(&hidden.results[0].outcome);
    assert!(hidden_at > version);

    // The rescue file arriving later does not undo the moderator's decision.
    let fields = Entity::Response(r.valid(tablet)).to_fields();
    let imported = server
        .push(vec![upsert(EntityKind::Response, id, None, fields)])
        .await;
    assert_eq!(applied_version(&imported.results[0].outcome), hidden_at);
    let pulled = server.pull_all(Seq(0)).await;
    let stored = pulled
        .changes
        .iter()
        .find(|c| c.id == id)
        .and_then(|c| c.fields.as_ref())
        .expect("the response is stored");
    assert_eq!(stored["hidden"], true);
}

/// The stored fields of the record `id`, as a device would pull them.
async fn stored(server: &TestServer, id: Uuid) -> serde_json::Map<String, serde_json::Value> {
    server
        .pull_all(Seq(0))
        .await
        .changes
        .into_iter()
        // A consultation's published results share its id.
        .find(|c| c.id == id && !c.deleted && c.kind != EntityKind::PublishedResults)
        .and_then(|c| c.fields)
        .expect("the record is stored")
}

/// The review notes the server stored on response `id`, as (field, message) pairs.
async fn review_of(server: &TestServer, id: Uuid) -> Vec<(String, String)> {
    let fields = stored(server, id).await;
    let response: Response =
        serde_json::from_value(serde_json::Value::Object(fields)).expect("a response");
    response
        .review
        .into_iter()
        .map(|e| (e.field, e.message))
        .collect()
}

fn rejection(outcome: &Outcome) -> (&Rejection, &str) {
    match outcome {
        Outcome::Rejected { reason, message } => (reason, message.as_str()),
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[tokio::test]
async fn a_response_missing_a_required_answer_is_stored_for_review_naming_the_question() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let incomplete = r.response(
        device(),
        vec![("anything_else", AnswerValue::Text("More buses".into()))],
    );
    let (id, sent) = create(Entity::Response(incomplete));
    let pushed = server.push(vec![sent]).await;
    let version = applied_version(&pushed.results[0].outcome);
    assert_eq!(
        stored_responses(&server).await,
        1,
        "a resident's answer is kept"
    );
    assert_eq!(
        review_of(&server, id).await,
        vec![(
            "priorities".to_owned(),
            "Answer the question: Which three matter most to you?".to_owned()
        )]
    );
    assert_eq!(stored(&server, id).await["accepted"], false);

    // A manager looks at it and counts it.
    let accepted = server
        .push(vec![upsert(
            EntityKind::Response,
            id,
            Some(version),
            fields(json!({ "accepted": true })),
        )])
        .await;
    applied_version(&accepted.results[0].outcome);
    assert_eq!(stored(&server, id).await["accepted"], true);
    assert_eq!(review_of(&server, id).await.len(), 1, "the notes stay");
}

#[tokio::test]
async fn a_device_cannot_write_the_servers_review_of_a_response() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    // An incomplete answer that claims to have been reviewed and accepted already.
    let mut claimed = r.response(device(), vec![]);
    claimed.accepted = true;
    let (id, mut sent) = create(Entity::Response(claimed));
    if let atlas_shared::Op::Upsert { fields, .. } = &mut sent.op {
        fields.insert("review".into(), json!([]));
    }
    server.push(vec![sent]).await;
    assert_eq!(review_of(&server, id).await.len(), 1);
    assert_eq!(stored(&server, id).await["accepted"], false);

    // A complete answer carrying made-up notes is stored without them.
    let mut tidy = r.valid(device());
    tidy.review = vec![atlas_shared::FieldError::new("priorities", "made up")];
    let (tidy_id, sent) = create(Entity::Response(tidy));
    server.push(vec![sent]).await;
    assert!(review_of(&server, tidy_id).await.is_empty());
}

#[tokio::test]
async fn an_answer_to_a_version_changed_while_the_tablet_was_offline_arrives_for_review() {
    // The tablet took answers to version 1 offline; meanwhile a manager (with an old app that
    // does not freeze opened versions) added a required question to version 1.
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let mut changed = questionnaire(r.p, r.c);
    changed.questions.push(Question {
        key: "ward".into(),
        text: "Which ward do you live in?".into(),
        hint: String::new(),
        required: true,
        kind: QuestionKind::ChooseOne {
            options: Choice::list(&[("abbey", "Abbey"), ("batchley", "Batchley")]),
        },
    });
    let patch =
        fields(json!({ "questions": Entity::Questionnaire(changed).to_fields()["questions"] }));
    let edited = server
        .push(vec![upsert(
            EntityKind::Questionnaire,
            r.v1.0,
            Some(r.v1_version),
            patch,
        )])
        .await;
    applied_version(&edited.results[0].outcome);

    let tablet = device();
    let answers: Vec<(Uuid, Mutation)> = (0..3)
        .map(|_| create(Entity::Response(r.valid(tablet))))
        .collect();
    let pushed = server
        .push_from(tablet, answers.iter().map(|(_, m)| m.clone()).collect())
        .await;
    for result in &pushed.results {
        applied_version(&result.outcome);
    }
    assert_eq!(
        stored_responses(&server).await,
        3,
        "all three answers arrive"
    );
    for (id, _) in &answers {
        let fields = stored(&server, *id).await;
        assert_eq!(
            fields["questionnaire_id"],
            r.v1.0.to_string(),
            "tied to its version"
        );
        assert_eq!(
            review_of(&server, *id).await,
            vec![(
                "ward".to_owned(),
                "Answer the question: Which ward do you live in?".to_owned()
            )]
        );
    }
}

#[tokio::test]
async fn a_response_at_another_consultations_event_is_stored_for_review() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let (other, mo) = r.another_consultation("Second consultation event");
    let (event, me) = create(Entity::ConsultationEvent(ConsultationEvent {
        partnership_id: r.p,
        consultation_id: ConsultationId(other),
        name: "Drop-in".into(),
        date: atlas_shared::IsoDate::known(2010, 6, 1),
        venue: String::new(),
    }));
    server.push(vec![mo, me]).await;
    let mut response = r.valid(device());
    response.event_id = Some(ConsultationEventId(event));
    let (id, sent) = create(Entity::Response(response));
    server.push(vec![sent]).await;
    let notes = review_of(&server, id).await;
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].0, "event_id");
}

#[tokio::test]
async fn an_answer_captured_at_an_event_deleted_meanwhile_still_arrives() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    // Nobody has answered at the event yet, so the manager may delete it; a tablet that is
    // offline is still taking answers there.
    let deleted = server
        .push(vec![delete(EntityKind::ConsultationEvent, r.event.0, None)])
        .await;
    applied_version(&deleted.results[0].outcome);
    let (id, sent) = create(Entity::Response(r.valid(device())));
    let pushed = server.push(vec![sent]).await;
    applied_version(&pushed.results[0].outcome);
    assert_eq!(stored_responses(&server).await, 1);
    let notes = review_of(&server, id).await;
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].0, "event_id");
    assert!(notes[0].1.contains("deleted"), "{}", notes[0].1);
}

#[tokio::test]
async fn a_questionnaire_version_with_responses_cannot_be_edited_but_a_new_version_can_be_made() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;

    // Before any answers, the draft can still be edited.
    let mut draft = questionnaire(r.p, r.c);
    draft.questions[1].text = "Is there anything else you would like to tell us?".into();
    let patch = fields(
        json!({ "questions": Entity::Questionnaire(draft.clone()).to_fields()["questions"] }),
    );
    let edited = server
        .push(vec![upsert(
            EntityKind::Questionnaire,
            r.v1.0,
            Some(r.v1_version),
            patch,
        )])
        .await;
    let v1_version = applied_version(&edited.results[0].outcome);

    server
        .push(vec![create(Entity::Response(r.valid(device()))).1])
        .await;

    draft.questions.pop();
    let patch = fields(
        json!({ "questions": Entity::Questionnaire(draft.clone()).to_fields()["questions"] }),
    );
    let refused = server
        .push(vec![upsert(
            EntityKind::Questionnaire,
            r.v1.0,
            Some(v1_version),
            patch,
        )])
        .await;
    let (reason, message) = rejection(&refused.results[0].outcome);
    assert_eq!(*reason, Rejection::VersionInUse { version: 1 });
    assert!(
        message.contains("save the change as version 2"),
        "{message}"
    );

    // The change goes into version 2; the answer stays with version 1.
    draft.version = 2;
    let (v2, made) = create(Entity::Questionnaire(draft));
    let pushed = server.push(vec![made]).await;
    assert!(matches!(pushed.results[0].outcome, Outcome::Applied { .. }));
    let pulled = server.pull_all(Seq(0)).await;
    let versions = pulled
        .changes
        .iter()
        .filter(|c| c.kind == EntityKind::Questionnaire && !c.deleted)
        .count();
    assert_eq!(versions, 2);
    let answer = pulled
        .changes
        .iter()
        .find(|c| c.kind == EntityKind::Response)
        .and_then(|c| c.fields.as_ref())
        .expect("the response");
    assert_eq!(answer["questionnaire_id"], r.v1.0.to_string());
    assert_ne!(Uuid::from(r.v1), v2);
}

#[tokio::test]
async fn a_version_opened_for_answers_is_frozen_before_any_answer_arrives() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    // A tablet opens the capture screen: the version is marked opened.
    let opened = server
        .push(vec![upsert(
            EntityKind::Questionnaire,
            r.v1.0,
            Some(r.v1_version),
            fields(json!({ "opened_for_answers": true })),
        )])
        .await;
    let opened_at = applied_version(&opened.results[0].outcome);

    // The manager's edit made against the version before it was opened is refused and kept.
    let mut draft = questionnaire(r.p, r.c);
    draft.questions[0].required = false;
    let patch =
        fields(json!({ "questions": Entity::Questionnaire(draft).to_fields()["questions"] }));
    let refused = server
        .push(vec![upsert(
            EntityKind::Questionnaire,
            r.v1.0,
            Some(r.v1_version),
            patch,
        )])
        .await;
    let (reason, _) = rejection(&refused.results[0].outcome);
    assert_eq!(*reason, Rejection::VersionInUse { version: 1 });

    // Marking it opened again changes nothing; unmarking it is refused; so is deleting it.
    let again = server
        .push(vec![upsert(
            EntityKind::Questionnaire,
            r.v1.0,
            Some(opened_at),
            fields(json!({ "opened_for_answers": true })),
        )])
        .await;
    assert_eq!(applied_version(&again.results[0].outcome), opened_at);
    let unmark = server
        .push(vec![upsert(
            EntityKind::Questionnaire,
            r.v1.0,
            Some(opened_at),
            fields(json!({ "opened_for_answers": false })),
        )])
        .await;
    rejection(&unmark.results[0].outcome);
    let removed = server
        .push(vec![delete(EntityKind::Questionnaire, r.v1.0, None)])
        .await;
    let (reason, _) = rejection(&removed.results[0].outcome);
    assert_eq!(*reason, Rejection::VersionInUse { version: 1 });
    assert_eq!(stored(&server, r.v1.0).await["opened_for_answers"], true);
}

#[tokio::test]
async fn a_consultation_or_partnership_holding_answers_is_not_deleted() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    store_response(&server, &r, device()).await;
    for (kind, id) in [
        (EntityKind::Consultation, r.c.0),
        (EntityKind::Partnership, r.p.0),
    ] {
        let pushed = server.push(vec![delete(kind, id, None)]).await;
        let (reason, message) = rejection(&pushed.results[0].outcome);
        assert_eq!(*reason, Rejection::HoldsAnswers { count: 1 }, "{kind:?}");
        assert!(message.contains("archive it instead"), "{message}");
    }
    assert_eq!(stored_responses(&server).await, 1);
    // Archiving is an ordinary edit and keeps everything.
    let archived = server
        .push(vec![upsert(
            EntityKind::Consultation,
            r.c.0,
            None,
            fields(json!({ "archived": true })),
        )])
        .await;
    applied_version(&archived.results[0].outcome);
    assert_eq!(stored(&server, r.c.0).await["archived"], true);
    assert_eq!(stored_responses(&server).await, 1);
}

#[tokio::test]
async fn a_response_cannot_be_deleted_through_sync() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let (id, _) = store_response(&server, &r, device()).await;
    let pushed = server
        .push(vec![delete(EntityKind::Response, id, None)])
        .await;
    let (reason, _) = rejection(&pushed.results[0].outcome);
    assert_eq!(*reason, Rejection::ResponseKept);
    assert_eq!(stored_responses(&server).await, 1);
}

#[tokio::test]
async fn a_change_refused_as_invalid_is_kept_on_the_server() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let mut changed = r.valid(device());
    changed.captured_at = 0;
    let (id, sent) = create(Entity::Response(changed));
    let mutation_id = sent.id;
    let refused = push_refused(&server, vec![sent]).await;
    assert_eq!(refused.fields[0].field, "captured_at");
    let db = server.inspect().await;
    let kept: (String, String, String) = sqlx::query_as(
        "SELECT kind, record_id, fields FROM refused_mutations WHERE mutation_id = $1",
    )
    .bind(mutation_id.0.to_string())
    .fetch_one(&db)
    .await
    .expect("the refused change is kept");
    assert_eq!(kept.0, "response");
    assert_eq!(kept.1, id.to_string());
    assert!(kept.2.contains("captured_at"), "{}", kept.2);
}

/// The answers the server refused that no manager has counted, as a manager sees them.
async fn refused_answers(server: &TestServer) -> Vec<RefusedAnswer> {
    let (status, text) = server.get("/api/refused").await;
    assert_eq!(status, 200, "{text}");
    serde_json::from_str::<RefusedAnswers>(&text)
        .expect("a RefusedAnswers")
        .answers
}

#[tokio::test]
async fn a_manager_sees_an_answer_refused_as_invalid_and_counts_it_when_they_choose() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    // A newer app's answer, with a field this server does not know: refused whole (422).
    let (id, mut sent) = create(Entity::Response(r.valid(device())));
    if let Op::Upsert { fields, .. } = &mut sent.op {
        fields.insert("mood".into(), json!("cheerful"));
    }
    let mutation_id = sent.id;
    push_refused(&server, vec![sent]).await;
    assert_eq!(stored_responses(&server).await, 0);

    let listed = refused_answers(&server).await;
    assert_eq!(listed.len(), 1);
    let answer = &listed[0];
    assert_eq!(answer.change.mutation.id, mutation_id);
    assert_eq!(answer.consultation_id(), Some(r.c.0));
    assert!(
        answer
            .change
            .reason()
            .contains("no such field on a response"),
        "{}",
        answer.change.reason()
    );
    assert!(
        matches!(&answer.change.refusal, Refusal::Invalid { fields } if fields[0].field == "mood"),
        "{:?}",
        answer.change.refusal
    );
    assert!(
        answer.answers().contains(&(
            "anything_else".to_owned(),
            vec!["Call me on 07700 900123".to_owned()]
        )),
        "{:?}",
        answer.answers()
    );

    let (status, text) = server
        .post_empty(&format!("/api/refused/{}/count", mutation_id.0))
        .await;
    assert_eq!(status, 200, "{text}");
    let counted: CountedAnswer = serde_json::from_str(&text).expect("a CountedAnswer");
    assert_eq!(counted.record_id, id);
    assert_eq!(counted.left_out, vec!["mood".to_owned()]);
    let record = stored(&server, id).await;
    assert_eq!(record["accepted"], true, "{record:?}");
    assert!(record.get("mood").is_none(), "{record:?}");
    assert_eq!(stored_responses(&server).await, 1);
    assert!(
        refused_answers(&server).await.is_empty(),
        "no longer listed"
    );

    // Counting it again (the manager's page lost the answer) stores nothing more.
    let (status, again) = server
        .post_empty(&format!("/api/refused/{}/count", mutation_id.0))
        .await;
    assert_eq!(status, 200, "{again}");
    let again: CountedAnswer = serde_json::from_str(&again).expect("a CountedAnswer");
    assert_eq!(again.version, counted.version);
    assert_eq!(stored_responses(&server).await, 1);
}

#[tokio::test]
async fn an_answer_that_cannot_be_stored_stays_listed_with_the_reason() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let mut broken = r.valid(device());
    broken.captured_at = 0;
    let (_, sent) = create(Entity::Response(broken));
    let mutation_id = sent.id;
    push_refused(&server, vec![sent]).await;

    let (status, text) = server
        .post_empty(&format!("/api/refused/{}/count", mutation_id.0))
        .await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("This answer cannot be counted"), "{text}");
    assert_eq!(stored_responses(&server).await, 0);
    assert_eq!(refused_answers(&server).await.len(), 1, "still listed");

    let (status, text) = server.post_empty("/api/refused/not-an-id/count").await;
    assert_eq!(status, 400, "{text}");
    let (status, text) = server
        .post_empty(&format!("/api/refused/{}/count", new_id()))
        .await;
    assert_eq!(status, 404, "{text}");
}

#[tokio::test]
async fn an_answer_whose_consultation_was_deleted_meanwhile_is_listed_for_a_manager() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    // Nobody had answered yet, so the consultation could be deleted while a tablet was offline.
    let pushed = server
        .push(vec![delete(EntityKind::Consultation, r.c.0, None)])
        .await;
    applied_version(&pushed.results[0].outcome);
    let (_, sent) = create(Entity::Response(r.valid(device())));
    let pushed = server.push(vec![sent.clone()]).await;
    let (reason, _) = rejection(&pushed.results[0].outcome);
    assert!(
        matches!(reason, Rejection::MissingReference { .. }),
        "{reason:?}"
    );
    let listed = refused_answers(&server).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].change.mutation.id, sent.id);
    assert!(
        listed[0].change.reason().contains("was deleted"),
        "{}",
        listed[0].change.reason()
    );
    // It cannot be counted: there is no consultation to count it in. The reason says so.
    let (status, text) = server
        .post_empty(&format!("/api/refused/{}/count", sent.id.0))
        .await;
    assert_eq!(status, 422, "{text}");
}

#[tokio::test]
async fn an_event_or_version_with_answers_is_not_deleted_and_its_answers_stay() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let tablet = device();
    store_response(&server, &r, tablet).await;

    for (kind, id) in [
        (EntityKind::ConsultationEvent, r.event.0),
        (EntityKind::Questionnaire, r.v1.0),
    ] {
        let pushed = server.push(vec![delete(kind, id, None)]).await;
        match &pushed.results[0].outcome {
            Outcome::Rejected { reason, message } => {
                assert_eq!(*reason, Rejection::HoldsAnswers { count: 1 }, "{kind:?}");
                assert!(message.contains("never deleted"), "{message}");
            }
            other => panic!("deleting a {kind:?} with answers: {other:?}"),
        }
    }
    assert_eq!(
        stored_responses(&server).await,
        1,
        "the answer is still there"
    );

    // An event nobody answered at goes as any record does.
    let (spare, create_spare) = create(Entity::ConsultationEvent(ConsultationEvent {
        partnership_id: r.p,
        consultation_id: r.c,
        name: "Second consultation event".into(),
        date: atlas_shared::IsoDate::known(2010, 3, 1),
        venue: "Redditch".into(),
    }));
    server.push(vec![create_spare]).await;
    let pushed = server
        .push(vec![delete(EntityKind::ConsultationEvent, spare, None)])
        .await;
    applied_version(&pushed.results[0].outcome);
}

/// The published results of consultation `c` as `client` pulls them, with their version.
async fn published(
    server: &TestServer,
    client: &reqwest::Client,
    c: ConsultationId,
) -> Option<(PublishedResults, Seq)> {
    let pulled = server.pull_as(client, Seq(0), None).await;
    assert!(
        !pulled
            .changes
            .iter()
            .any(|ch| ch.kind == EntityKind::Response),
        "only managers pull raw answers"
    );
    pulled
        .changes
        .into_iter()
        .find(|ch| ch.kind == EntityKind::PublishedResults && ch.id == c.0 && !ch.deleted)
        .map(|ch| {
            let fields = serde_json::Value::Object(ch.fields.unwrap_or_default());
            let results = serde_json::from_value(fields).expect("published results");
            (results, ch.version)
        })
}

#[tokio::test]
async fn the_server_publishes_results_counting_each_answer_once_without_residents_words() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let public = server.anonymous.clone();
    let (empty, _) = published(&server, &public, r.c)
        .await
        .expect("results are published as soon as the consultation exists");
    assert_eq!(empty.report.summary.responses, 0);

    let tablet = device();
    let mut sent = Vec::new();
    for _ in 0..6 {
        let (_, m) = create(Entity::Response(r.valid(tablet)));
        sent.push(m);
    }
    server.push_from(tablet, sent.clone()).await;
    // The same answers again (a tablet that never heard back): counted once.
    server.push_from(tablet, sent).await;
    let (six, version) = published(&server, &public, r.c).await.expect("results");
    assert_eq!(six.report.summary.responses, 6);
    assert_eq!(six.threshold, 5);
    assert_eq!(six.free_text_answers, vec![("anything_else".to_owned(), 6)]);
    let ranking = &six.report.summary.questions[0];
    assert_eq!(ranking.options[0].key, "health");
    assert_eq!(ranking.options[0].points, 18);
    let text = serde_json::to_string(&six).expect("json");
    assert!(
        !text.contains("07700"),
        "residents' own words are never published"
    );
    assert_eq!(
        six.events,
        vec![(r.event, "We Are Redditch public event".into())]
    );

    // One resident online: the group of one is withheld in every breakdown.
    let mut online = r.valid(device());
    online.channel = Channel::Online;
    online.event_id = None;
    let (_, m) = create(Entity::Response(online));
    let (status, body) = server.push_as(&public, vec![m]).await;
    assert_eq!(status, 200, "{body}");
    let (seven, later) = published(&server, &public, r.c).await.expect("results");
    assert!(later > version);
    assert_eq!(seven.report.summary.responses, 7);
    let (_, by_event) = &seven.report.breakdowns[0];
    let lone = by_event[0]
        .groups
        .iter()
        .find(|g| g.key.is_empty())
        .expect("the online group");
    assert_eq!(lone.size, Cell::Suppressed);
    assert!(lone.cells.iter().all(|c| *c == Cell::Suppressed));
    let event = by_event[0]
        .groups
        .iter()
        .find(|g| g.key == r.event.to_string())
        .expect("the event's group");
    assert_eq!(event.size, Cell::Shown(6));

    // Nothing that changes no figure writes a new version.
    let (again, same) = published(&server, &public, r.c).await.expect("results");
    assert_eq!((again, same), (seven, later));
}

#[tokio::test]
async fn a_suppression_threshold_below_five_is_refused() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let (_, m) = create(Entity::Consultation(Consultation {
        partnership_id: r.p,
        title: "Too small to hide anyone".into(),
        purpose: String::new(),
        opens_on: None,
        closes_on: None,
        suppression_threshold: 3,
        archived: false,
    }));
    let refused = push_refused(&server, vec![m]).await;
    assert!(refused.error.contains("5 or more"), "{}", refused.error);
}

fn now_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970");
    i64::try_from(since.as_millis()).expect("in range")
}

#[tokio::test]
async fn the_server_stamps_when_an_answer_arrived_whatever_the_device_says() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let before = now_ms();
    let (id, mut m) = create(Entity::Response(r.online()));
    if let Op::Upsert { fields, .. } = &mut m.op {
        fields.insert("received_at".into(), json!(0));
    }
    let (status, body) = server.push_as(&server.anonymous, vec![m]).await;
    assert_eq!(status, 200, "{body}");
    let received = stored(&server, id).await["received_at"]
        .as_i64()
        .expect("the server's time");
    assert!(
        (before..=now_ms()).contains(&received),
        "{before} <= {received}"
    );
}

#[tokio::test]
async fn one_address_sends_at_most_thirty_answers_an_hour_without_signing_in() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let answers = |n: usize| -> Vec<Mutation> {
        (0..n)
            .map(|_| create(Entity::Response(r.online())).1)
            .collect()
    };
    let (status, body) = server.push_as(&server.anonymous, answers(25)).await;
    assert_eq!(status, 200, "{body}");
    // Six more would pass thirty: refused whole, nothing stored, with when to try again.
    let (status, wait, text) = server.push_waiting_as(&server.anonymous, answers(6)).await;
    assert_eq!(status, 429, "{text}");
    let wait = wait.expect("Retry-After in seconds");
    assert!((3500..=3600).contains(&wait), "{wait}");
    assert!(text.contains("kept on this device"), "{text}");
    assert_eq!(stored_responses(&server).await, 25);
    // Five still fit; a signed-in manager's device is not limited.
    let (status, _) = server.push_as(&server.anonymous, answers(5)).await;
    assert_eq!(status, 200);
    server.push(answers(40)).await;
    assert_eq!(stored_responses(&server).await, 70);
}

/// Behind a load balancer every resident's connection comes from the balancer: with it named
/// as a trusted proxy, the limit counts each resident's address from `X-Forwarded-For`. A
/// server that trusts no proxy ignores the header, so a script cannot dodge the limit by
/// naming a new address each time.
#[tokio::test]
async fn behind_a_trusted_proxy_the_limit_counts_each_forwarded_address_and_otherwise_ignores_it() {
    let options = || Options {
        demo: false,
        dist: None,
    };
    let behind = TestServer::start_configured(Storage::new(), options(), |c| {
        c.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")];
    })
    .await;
    let open = TestServer::start_configured(Storage::new(), options(), |_| {}).await;
    for (server, limited_after_another) in [(&behind, false), (&open, true)] {
        let r = redditch(server).await;
        let push_from = |from: &'static str, n: usize| {
            let request = atlas_shared::PushRequest {
                protocol: atlas_shared::PROTOCOL_VERSION,
                device_id: device(),
                mutations: (0..n)
                    .map(|_| create(Entity::Response(r.online())).1)
                    .collect(),
            };
            server
                .anonymous
                .post(server.url("/api/sync/push"))
                .header("x-forwarded-for", from)
                .json(&request)
                .send()
        };
        let first = push_from("203.0.113.9", 30).await.expect("sent");
        assert_eq!(first.status().as_u16(), 200);
        let over = push_from("203.0.113.9", 1).await.expect("sent");
        assert_eq!(over.status().as_u16(), 429);
        let another = push_from("203.0.113.10", 30).await.expect("sent");
        let want = if limited_after_another { 429 } else { 200 };
        assert_eq!(another.status().as_u16(), want);
    }
}
