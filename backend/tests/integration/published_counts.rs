//! Published results moved by each push's own answers. The server keeps each consultation's
//! raw counts beside its published results (`consultation_tallies`) and moves them by what a
//! push changed, instead of counting every answer again. After every kind of change (answers
//! in several pushes, a resend, an answer counted after review, a hidden answer, a new
//! questionnaire version), the published results equal the results counted afresh from every
//! stored answer; kept counts that cannot be trusted (missing, unreadable, holding another
//! number of answers) are counted afresh; a restart counts everything afresh. On both databases.

use crate::common::redditch::*;
use crate::common::*;
use atlas_shared::consultation::published::publish;
use atlas_shared::consultation::{
    AnswerValue, Channel, Choice, Consultation, ConsultationEvent, PublishedResults, Question,
    QuestionKind, Questionnaire, Response,
};
use atlas_shared::{ConsultationEventId, ConsultationId, Entity, EntityKind, QuestionnaireId, Seq};
use serde_json::json;

/// The results as published, and as counted afresh from everything a manager pulls.
async fn published_and_afresh(
    server: &TestServer,
    c: ConsultationId,
) -> (PublishedResults, PublishedResults) {
    let pulled = server.pull_all(Seq(0)).await;
    let mut consultation: Option<Consultation> = None;
    let mut versions: Vec<(QuestionnaireId, Questionnaire)> = Vec::new();
    let mut events: Vec<(ConsultationEventId, ConsultationEvent)> = Vec::new();
    let mut answers: Vec<Response> = Vec::new();
    let mut published: Option<PublishedResults> = None;
    for change in pulled.changes.into_iter().filter(|ch| !ch.deleted) {
        let fields = change.fields.unwrap_or_default();
        let entity = Entity::from_fields(change.kind, &fields)
            .unwrap_or_else(|e| panic!("{} {} as pulled: {e:?}", change.kind.noun(), change.id));
        match entity {
            Entity::Consultation(x) if change.id == c.0 => consultation = Some(x),
            Entity::Questionnaire(q) if q.consultation_id == c => {
                versions.push((QuestionnaireId(change.id), q));
            }
            Entity::ConsultationEvent(e) if e.consultation_id == c => {
                events.push((ConsultationEventId(change.id), e));
            }
            Entity::Response(r) if r.consultation_id == c => answers.push(r),
            Entity::PublishedResults(p) if p.consultation_id == c => published = Some(p),
            _ => {}
        }
    }
    versions.sort_by_key(|(_, q)| q.version);
    let versions: Vec<(QuestionnaireId, &Questionnaire)> =
        versions.iter().map(|(id, q)| (*id, q)).collect();
    let consultation = consultation.expect("the consultation is pulled");
    let afresh = publish(
        c,
        &consultation,
        &versions,
        events.iter().map(|(id, e)| (*id, e)),
        &answers,
    );
    (published.expect("the results are published"), afresh)
}

/// Asserts the published results equal those counted afresh, and returns them.
async fn counted_right(server: &TestServer, c: ConsultationId, when: &str) -> PublishedResults {
    let (published, afresh) = published_and_afresh(server, c).await;
    assert_eq!(
        published, afresh,
        "{when}: the published results are not the stored answers'"
    );
    published
}

fn ranked(keys: &[&str]) -> AnswerValue {
    AnswerValue::Ranked(keys.iter().map(|k| (*k).to_owned()).collect())
}

/// A varied answer: its ranking, channel and event depend on `n`.
fn answer(r: &Redditch, n: usize) -> Response {
    let rankings: [&[&str]; 4] = [
        &["health", "education", "safety"],
        &["safety"],
        &["housing", "health"],
        &["education", "housing", "health"],
    ];
    let mut a = r.response(
        device(),
        vec![
            ("priorities", ranked(rankings[n % 4])),
            ("anything_else", AnswerValue::Text(format!("answer {n}"))),
        ],
    );
    if n.is_multiple_of(3) {
        a.channel = Channel::Paper;
        a.event_id = None;
    }
    a
}

#[tokio::test]
async fn published_results_moved_by_each_push_equal_the_answers_counted_afresh() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    counted_right(&server, r.c, "with no answers").await;

    // Answers in three pushes from two tablets, and one push resent.
    let tablet = device();
    let mut n = 0;
    let mut resend = Vec::new();
    for size in [7, 1, 12] {
        let batch: Vec<_> = (n..n + size)
            .map(|i| create(Entity::Response(answer(&r, i))).1)
            .collect();
        n += size;
        server.push_from(tablet, batch.clone()).await;
        resend = batch;
    }
    server.push_from(tablet, resend).await;
    let twenty = counted_right(&server, r.c, "after three pushes and a resend").await;
    assert_eq!(twenty.report.summary.responses, 20);

    // An answer waiting for review (no ranking), then counted by a manager.
    let waiting = r.response(
        device(),
        vec![("anything_else", AnswerValue::Text("More buses".into()))],
    );
    let (id, sent) = create(Entity::Response(waiting));
    let pushed = server.push(vec![sent]).await;
    let version = applied_version(&pushed.results[0].outcome);
    let held = counted_right(&server, r.c, "with an answer waiting for review").await;
    assert_eq!(
        (held.report.summary.responses, held.awaiting_review),
        (20, 1)
    );
    let accepted = server
        .push(vec![upsert(
            EntityKind::Response,
            id,
            Some(version),
            fields(json!({ "accepted": true })),
        )])
        .await;
    let version = applied_version(&accepted.results[0].outcome);
    let counted = counted_right(&server, r.c, "after a manager counted it").await;
    assert_eq!(
        (counted.report.summary.responses, counted.awaiting_review),
        (21, 0)
    );

    // Hidden by a moderator: still counted, nothing moves.
    let hidden = server
        .push(vec![upsert(
            EntityKind::Response,
            id,
            Some(version),
            fields(json!({ "hidden": true })),
        )])
        .await;
    applied_version(&hidden.results[0].outcome);
    assert_eq!(
        counted_right(&server, r.c, "after hiding an answer").await,
        counted
    );

    // A second version adds a question: the questions change, so everything is counted afresh.
    let mut v2 = questionnaire(r.p, r.c);
    v2.version = 2;
    v2.questions.push(Question {
        key: "age".into(),
        text: "Your age".into(),
        hint: String::new(),
        required: false,
        kind: QuestionKind::AboutYou {
            options: Choice::list(&[("young", "Under 25"), ("older", "25 or over")]),
        },
    });
    let (v2_id, sent) = create(Entity::Questionnaire(v2));
    server.push(vec![sent]).await;
    counted_right(&server, r.c, "after a new version").await;
    let mut later = answer(&r, 1);
    later.questionnaire_id = QuestionnaireId(v2_id);
    later
        .answers
        .insert("age".into(), AnswerValue::One("young".into()));
    server.push(vec![create(Entity::Response(later)).1]).await;
    let with_age = counted_right(&server, r.c, "after an answer to the new version").await;
    assert_eq!(with_age.report.summary.responses, 22);
    assert!(
        with_age
            .report
            .breakdowns
            .iter()
            .any(|(d, _)| *d == atlas_shared::results::Dimension::AboutYou("age".into())),
        "the new question's breakdown is published"
    );
}

/// The kept counts of consultation `c` as stored.
async fn kept(server: &TestServer, c: ConsultationId) -> Option<String> {
    let db = server.inspect().await;
    sqlx::query_scalar("SELECT tallies FROM consultation_tallies WHERE consultation_id = $1")
        .bind(c.0.to_string())
        .fetch_optional(&db)
        .await
        .expect("the kept counts read")
}

/// Replaces the kept counts of consultation `c` with `text`, or removes them.
async fn set_kept(server: &TestServer, c: ConsultationId, text: Option<&str>) {
    let db = server.inspect().await;
    let id = c.0.to_string();
    let done = match text {
        Some(text) => {
            sqlx::query("UPDATE consultation_tallies SET tallies = $1 WHERE consultation_id = $2")
                .bind(text.to_owned())
                .bind(id)
                .execute(&db)
                .await
        }
        None => {
            sqlx::query("DELETE FROM consultation_tallies WHERE consultation_id = $1")
                .bind(id)
                .execute(&db)
                .await
        }
    };
    assert_eq!(done.expect("the kept counts change").rows_affected(), 1);
}

/// Replaces the number of answers kept beside the counts of consultation `c` (none: as in a row
/// kept before that number was).
async fn set_kept_answers(server: &TestServer, c: ConsultationId, answers: Option<i64>) {
    let db = server.inspect().await;
    let done =
        sqlx::query("UPDATE consultation_tallies SET answers = $1 WHERE consultation_id = $2")
            .bind(answers)
            .bind(c.0.to_string())
            .execute(&db)
            .await;
    assert_eq!(done.expect("the kept number changes").rows_affected(), 1);
}

#[tokio::test]
async fn kept_counts_that_cannot_be_trusted_are_counted_afresh() {
    let server = TestServer::start().await;
    let r = redditch(&server).await;
    let tablet = device();
    let push = |from: usize, to: usize| {
        let batch: Vec<_> = (from..to)
            .map(|i| create(Entity::Response(answer(&r, i))).1)
            .collect();
        server.push_from(tablet, batch)
    };
    push(0, 6).await;
    let six = kept(&server, r.c)
        .await
        .expect("counts are kept once answers arrive");

    // Gone (as in a database from before the counts were kept).
    set_kept(&server, r.c, None).await;
    push(6, 8).await;
    counted_right(&server, r.c, "after the kept counts were removed").await;

    // Unreadable.
    set_kept(&server, r.c, Some("{not json")).await;
    push(8, 9).await;
    counted_right(&server, r.c, "after the kept counts were unreadable").await;

    // Readable but holding another number of answers (six, where nine are stored).
    set_kept(&server, r.c, Some(&six)).await;
    push(9, 10).await;
    counted_right(&server, r.c, "after the kept counts fell behind").await;

    // The same, without the number of answers beside them (as in a row kept before it was).
    set_kept(&server, r.c, Some(&six)).await;
    set_kept_answers(&server, r.c, None).await;
    push(10, 11).await;
    let eleven = counted_right(&server, r.c, "after the kept number of answers was removed").await;
    assert_eq!(eleven.report.summary.responses, 11);

    // A restart counts everything afresh, whatever is kept.
    set_kept(&server, r.c, Some(&six)).await;
    let storage = server.stop().await;
    let again = TestServer::start_on(
        storage,
        Options {
            demo: false,
            dist: None,
        },
    )
    .await;
    assert_eq!(counted_right(&again, r.c, "after a restart").await, eleven);
    let kept_now = kept(&again, r.c).await.expect("kept");
    assert_ne!(kept_now, six, "the restart wrote the counts afresh");
}
