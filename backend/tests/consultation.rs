//! Consultation records over real HTTP: responses are append-only and counted once however
//! often they arrive, a response must answer its questionnaire version, and a version with
//! answers is never edited. Fixtures from seed 004: "We Are Redditch", January 2010.

mod common;

use atlas_shared::consultation::{
    AnswerValue, Channel, Choice, Consultation, ConsultationEvent, Question, QuestionKind,
    Questionnaire, Response,
};
use atlas_shared::{
    ConsultationEventId, ConsultationId, DeviceId, Entity, EntityKind, Mutation, Outcome,
    PartnershipId, QuestionnaireId, Rejection, Seq,
};
use common::*;
use serde_json::json;
use uuid::Uuid;

/// A partnership with the "We Are Redditch" consultation, its event and questionnaire
/// version 1, stored on the server.
struct Redditch {
    p: PartnershipId,
    c: ConsultationId,
    event: ConsultationEventId,
    v1: QuestionnaireId,
    v1_version: Seq,
}

fn questionnaire(p: PartnershipId, c: ConsultationId) -> Questionnaire {
    Questionnaire {
        partnership_id: p,
        consultation_id: c,
        version: 1,
        questions: vec![
            Question {
                key: "priorities".into(),
                text: "Which three matter most to you?".into(),
                hint: String::new(),
                required: true,
                kind: QuestionKind::RankPriorities {
                    options: Choice::list(&[
                        ("education", "Raising educational standards"),
                        ("health", "Tackling health inequalities"),
                        ("safety", "Community safety"),
                        ("housing", "Housing"),
                    ]),
                    top_n: 3,
                },
            },
            Question {
                key: "anything_else".into(),
                text: "Anything else?".into(),
                hint: String::new(),
                required: false,
                kind: QuestionKind::FreeText { max_chars: 500 },
            },
        ],
    }
}

async fn redditch(server: &TestServer) -> Redditch {
    let (p, mp) = partnership("Redditch Partnership");
    let p = PartnershipId(p);
    let (c, mc) = create(Entity::Consultation(Consultation {
        partnership_id: p,
        title: "We Are Redditch".into(),
        purpose: String::new(),
        opens_on: Some("2010-01-01".into()),
        closes_on: Some("2010-01-31".into()),
        suppression_threshold: 5,
    }));
    let c = ConsultationId(c);
    let (event, me) = create(Entity::ConsultationEvent(ConsultationEvent {
        partnership_id: p,
        consultation_id: c,
        name: "We Are Redditch public event".into(),
        date: "2010-01-01".into(),
        venue: "Redditch".into(),
    }));
    let (v1, mq) = create(Entity::Questionnaire(questionnaire(p, c)));
    let pushed = server.push(vec![mp, mc, me, mq]).await;
    Redditch {
        p,
        c,
        event: ConsultationEventId(event),
        v1: QuestionnaireId(v1),
        v1_version: applied_version(&pushed.results[3].outcome),
    }
}

impl Redditch {
    fn response(&self, device: DeviceId, answers: Vec<(&str, AnswerValue)>) -> Response {
        Response {
            partnership_id: self.p,
            consultation_id: self.c,
            questionnaire_id: self.v1,
            event_id: Some(self.event),
            device_id: device,
            channel: Channel::StaffAssisted,
            captured_at: 1_262_700_000_000,
            answers: answers
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            hidden: false,
        }
    }

    fn valid(&self, device: DeviceId) -> Response {
        self.response(
            device,
            vec![
                (
                    "priorities",
                    AnswerValue::Ranked(vec!["health".into(), "education".into()]),
                ),
                (
                    "anything_else",
                    AnswerValue::Text("Call me on 07700 900123".into()),
                ),
            ],
        )
    }
}

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

#[tokio::test]
async fn a_response_missing_a_required_answer_is_refused_naming_the_question() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let incomplete = r.response(
        device(),
        vec![("anything_else", AnswerValue::Text("More buses".into()))],
    );
    let refused = push_refused(&server, vec![create(Entity::Response(incomplete)).1]).await;
    assert_eq!(refused.fields.len(), 1);
    assert_eq!(refused.fields[0].field, "priorities");
    assert_eq!(
        refused.fields[0].message,
        "Answer the question: Which three matter most to you?"
    );
    assert!(refused.error.contains("priorities"), "{}", refused.error);
    assert_eq!(stored_responses(&server).await, 0);
}

#[tokio::test]
async fn a_response_at_another_consultations_event_is_refused() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let (other, mo) = create(Entity::Consultation(Consultation {
        partnership_id: r.p,
        title: "Second consultation event".into(),
        purpose: String::new(),
        opens_on: None,
        closes_on: None,
        suppression_threshold: 5,
    }));
    let (event, me) = create(Entity::ConsultationEvent(ConsultationEvent {
        partnership_id: r.p,
        consultation_id: ConsultationId(other),
        name: "Drop-in".into(),
        date: "2010-06-01".into(),
        venue: String::new(),
    }));
    server.push(vec![mo, me]).await;
    let mut response = r.valid(device());
    response.event_id = Some(ConsultationEventId(event));
    let refused = push_refused(&server, vec![create(Entity::Response(response)).1]).await;
    assert_eq!(refused.fields[0].field, "event_id");
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
    let refused = push_refused(
        &server,
        vec![upsert(
            EntityKind::Questionnaire,
            r.v1.0,
            Some(v1_version),
            patch,
        )],
    )
    .await;
    assert!(
        refused.error.contains("make a new version (version 2)"),
        "{}",
        refused.error
    );
    assert_eq!(refused.fields[0].field, "questions");

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
        date: "2010-03-01".into(),
        venue: "Redditch".into(),
    }));
    server.push(vec![create_spare]).await;
    let pushed = server
        .push(vec![delete(EntityKind::ConsultationEvent, spare, None)])
        .await;
    applied_version(&pushed.results[0].outcome);
}
