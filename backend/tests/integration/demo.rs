//! The demo partnerships from the seed papers: loaded into a new database once, through the
//! change sequence, and never again.

use atlas_shared::seeds::{
    BASINGSTOKE_BOARD, BASINGSTOKE_CONFERENCE, BASINGSTOKE_MANAGEMENT_GROUP,
    BASINGSTOKE_ORGANISATIONS, BASINGSTOKE_OTHER_PARTNERSHIPS, BATH_ORGANISATIONS,
    REDDITCH_ORGANISATIONS,
};
use std::collections::{BTreeMap, BTreeSet};

use crate::common::*;
use atlas_backend::demo;
use atlas_shared::{Change, EntityKind, Seq};
use uuid::Uuid;

fn live(pulled: &[Change], kind: EntityKind) -> Vec<&Change> {
    pulled
        .iter()
        .filter(|c| c.kind == kind && !c.deleted)
        .collect()
}

fn field<'a>(c: &'a Change, name: &str) -> &'a str {
    c.fields
        .as_ref()
        .and_then(|f| f.get(name))
        .and_then(|v| v.as_str())
        .unwrap_or_default()
}

#[tokio::test]
async fn demo_data_loads_once_and_a_second_start_does_not_duplicate_it() {
    let server = TestServer::start_with(Options {
        demo: true,
        dist: None,
    })
    .await;
    let first = server.pull_all(Seq(0)).await;
    // Every record of the demo, and the published results of each consultation.
    let consultations = live(&first.changes, EntityKind::Consultation).len();
    assert_eq!(
        first.changes.len(),
        demo::demo_mutations().len() + consultations
    );
    let storage = server.stop().await;

    let again = TestServer::start_on(
        storage,
        Options {
            demo: true,
            dist: None,
        },
    )
    .await;
    let second = again.pull_all(Seq(0)).await;
    assert_eq!(second, first, "the second start loaded nothing");
}

#[tokio::test]
async fn no_demo_data_leaves_a_new_database_empty() {
    let server = TestServer::start().await;
    assert!(server.pull(Seq(0)).await.changes.is_empty());
}

#[tokio::test]
async fn the_demo_has_the_three_partnerships_of_the_seed_papers() {
    let server = TestServer::start_with(Options {
        demo: true,
        dist: None,
    })
    .await;
    let all = server.pull_all(Seq(0)).await.changes;
    let names: BTreeSet<&str> = live(&all, EntityKind::Partnership)
        .iter()
        .map(|c| field(c, "name"))
        .collect();
    assert_eq!(
        names,
        BTreeSet::from([
            demo::REDDITCH,
            demo::BATH,
            demo::BASINGSTOKE,
            // The county partnership of seed 004 #14, its records illustrative.
            demo::WORCESTERSHIRE,
        ])
    );
    let orgs: BTreeSet<&str> = live(&all, EntityKind::Organisation)
        .iter()
        .map(|c| field(c, "name"))
        .collect();
    for seed in REDDITCH_ORGANISATIONS
        .iter()
        .chain(&BATH_ORGANISATIONS)
        .chain(&BASINGSTOKE_ORGANISATIONS)
    {
        assert!(
            orgs.contains(seed.name),
            "missing organisation {}",
            seed.name
        );
    }
    let people: BTreeSet<&str> = live(&all, EntityKind::Membership)
        .iter()
        .map(|c| field(c, "person"))
        .collect();
    for person in [
        "Helen Broughton",
        "Councillor Robin Nicoll",
        "Councillor Metcalfe",
        "Councillor O'Flaherty",
        "Louise Tester",
    ] {
        assert!(people.contains(person), "missing {person}");
    }
    let chair = live(&all, EntityKind::Membership)
        .into_iter()
        .find(|c| field(c, "person") == "Councillor Robin Nicoll")
        .expect("the B&NES chair");
    let f = chair.fields.as_ref().expect("live");
    assert_eq!(f["role"], "chair");
    assert_eq!(f["independent"], true);
    assert!(f["organisation_id"].is_null());
}

#[tokio::test]
async fn the_demo_includes_every_basingstoke_body_and_other_fora_feeding_five_pags() {
    let server = TestServer::start_with(Options {
        demo: true,
        dist: None,
    })
    .await;
    let all = server.pull_all(Seq(0)).await.changes;
    let basingstoke = live(&all, EntityKind::Partnership)
        .into_iter()
        .find(|c| field(c, "name") == demo::BASINGSTOKE)
        .expect("Basingstoke and Deane")
        .id
        .to_string();
    let bodies: BTreeMap<Uuid, (&str, &str)> = live(&all, EntityKind::Body)
        .into_iter()
        .filter(|c| field(c, "partnership_id") == basingstoke)
        .map(|c| (c.id, (field(c, "name"), field(c, "kind"))))
        .collect();
    let names: BTreeSet<&str> = bodies.values().map(|(n, _)| *n).collect();
    assert_eq!(names, demo::basingstoke_bodies().into_iter().collect());
    assert_eq!(names.len(), 16);

    let by_name = |name: &str| {
        bodies
            .iter()
            .find(|(_, (n, _))| *n == name)
            .map(|(id, _)| id.to_string())
            .unwrap_or_else(|| panic!("no body {name}"))
    };
    let other = by_name(BASINGSTOKE_OTHER_PARTNERSHIPS);
    let lines = live(&all, EntityKind::ReportingLine);
    let fed: BTreeSet<String> = lines
        .iter()
        .filter(|c| field(c, "from_body_id") == other && field(c, "kind") == "feeds_into")
        .map(|c| field(c, "to_body_id").to_owned())
        .collect();
    let pags: BTreeSet<String> = demo::BASINGSTOKE_PRIORITY_ACTION_GROUPS
        .iter()
        .map(|n| by_name(n))
        .collect();
    assert_eq!(
        fed, pags,
        "feeds into each of the five Priority Action Groups"
    );
    for (_, (name, kind)) in bodies
        .iter()
        .filter(|(id, _)| pags.contains(&id.to_string()))
    {
        assert_eq!(*kind, "priority_action_group", "{name}");
    }

    // The Management Group reports to the Board; the Board reports yearly to the Conference.
    let has_line = |from: &str, to: &str, kind: &str| {
        let (from, to) = (by_name(from), by_name(to));
        lines.iter().any(|c| {
            field(c, "from_body_id") == from
                && field(c, "to_body_id") == to
                && field(c, "kind") == kind
        })
    };
    assert!(has_line(
        BASINGSTOKE_MANAGEMENT_GROUP,
        BASINGSTOKE_BOARD,
        "reports_to"
    ));
    assert!(has_line(
        BASINGSTOKE_BOARD,
        BASINGSTOKE_CONFERENCE,
        "reports_annually_to"
    ));
    assert!(has_line(
        "Cross-cutting task groups",
        BASINGSTOKE_MANAGEMENT_GROUP,
        "advises"
    ));
}

#[tokio::test]
async fn the_demo_holds_its_illustrative_answers_each_valid_against_its_questionnaire_version() {
    use atlas_shared::Entity;
    use atlas_shared::consultation::{Questionnaire, Response, validate_response};

    let server = TestServer::start_with(Options {
        demo: true,
        dist: None,
    })
    .await;
    let all = server.pull_all(Seq(0)).await.changes;
    let parse = |c: &Change| {
        Entity::from_fields(c.kind, c.fields.as_ref().expect("live")).expect("a valid record")
    };
    let versions: BTreeMap<Uuid, Questionnaire> = live(&all, EntityKind::Questionnaire)
        .into_iter()
        .filter_map(|c| match parse(c) {
            Entity::Questionnaire(q) => Some((c.id, q)),
            _ => None,
        })
        .collect();
    let responses: Vec<Response> = live(&all, EntityKind::Response)
        .into_iter()
        .filter_map(|c| match parse(c) {
            Entity::Response(r) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(responses.len(), demo::ILLUSTRATIVE_RESPONSES);
    for r in &responses {
        let version = &versions[&r.questionnaire_id.0];
        assert_eq!(validate_response(version, r), Ok(()), "{r:?}");
    }
    let events: BTreeSet<&str> = live(&all, EntityKind::ConsultationEvent)
        .iter()
        .map(|c| field(c, "name"))
        .collect();
    assert_eq!(
        events,
        BTreeSet::from([
            "We Are Redditch public event",
            "Illustrative market-day stall",
            "Illustrative youth forum session",
        ])
    );

    // Loading the demo again, as the same device pushing the same mutations, adds nothing.
    for batch in demo::demo_mutations().chunks(atlas_shared::MAX_MUTATIONS_PER_PUSH) {
        server.push_from(demo::DEMO_DEVICE_ID, batch.to_vec()).await;
    }
    assert_eq!(server.pull_all(Seq(0)).await.changes, all);
}

/// Seed 004: the Task and Finish Group's review with its fifteen recommendations, each with
/// the paper's response word for word, dated in or before November 2011 (saying where the day
/// is illustrative), and the first six-monthly monitoring session of 8 November 2011.
#[tokio::test]
async fn the_demo_holds_seed_004s_review_with_every_recommendation_and_response() {
    use atlas_shared::Entity;
    use atlas_shared::IsoDate;
    use atlas_shared::scrutiny::reviews::{SEED_004, SEED_004_GROUP};
    use atlas_shared::scrutiny::{RecommendationStep, StepKind};

    let server = TestServer::start_with(Options {
        demo: true,
        dist: None,
    })
    .await;
    let all = server.pull_all(Seq(0)).await.changes;
    let reviews = live(&all, EntityKind::Review);
    assert_eq!(reviews.len(), 1);
    let group = live(&all, EntityKind::Body)
        .into_iter()
        .find(|c| field(c, "name") == SEED_004_GROUP)
        .expect("the Task and Finish Group");
    assert_eq!(field(reviews[0], "body_id"), group.id.to_string());

    let recommendations = live(&all, EntityKind::Recommendation);
    assert_eq!(recommendations.len(), 15);
    let steps: Vec<(Uuid, RecommendationStep)> = live(&all, EntityKind::RecommendationStep)
        .into_iter()
        .filter_map(
            |c| match Entity::from_fields(c.kind, c.fields.as_ref().expect("live")) {
                Ok(Entity::RecommendationStep(s)) => Some((c.id, s)),
                _ => None,
            },
        )
        .collect();
    for seed in &SEED_004 {
        let r = recommendations
            .iter()
            .find(|c| c.fields.as_ref().and_then(|f| f.get("number")) == Some(&seed.number.into()))
            .expect("every number");
        assert_eq!(field(r, "text"), seed.text);
        let responses: Vec<&RecommendationStep> = steps
            .iter()
            .map(|(_, s)| s)
            .filter(|s| s.recommendation_id.0 == r.id && s.what == StepKind::Response)
            .collect();
        assert_eq!(responses.len(), 1, "recommendation {}", seed.number);
        assert_eq!(responses[0].text, seed.response);
        assert!(responses[0].date_note.starts_with("Illustrative day"));
    }
    let november_2011 = IsoDate::known(2011, 11, 30);
    for (_, s) in &steps {
        assert!(s.date <= november_2011, "{s:?}");
        // A day the paper does not give is labelled as illustrative beside it.
        if s.date.day() == 1 {
            assert!(s.date_note.starts_with("Illustrative day"), "{s:?}");
        }
    }
    let sessions = live(&all, EntityKind::MonitoringSession);
    assert_eq!(sessions.len(), 1);
    assert_eq!(field(sessions[0], "date"), "2011-11-08");
    assert_eq!(
        field(sessions[0], "held_at"),
        "Overview and Scrutiny Committee"
    );
}

/// Seed 004 #8: the packs for new Members of 2010 and 2011. The papers name no councillor and
/// give no dates, so each demo record says, in its name and its note, that it is illustrative;
/// the public pulls none of them (named councillors are the members').
#[tokio::test]
async fn the_demos_new_councillors_are_labelled_illustrative_and_kept_from_the_public() {
    let server = TestServer::start_with(Options {
        demo: true,
        dist: None,
    })
    .await;
    let all = server.pull_all(Seq(0)).await.changes;
    let inductions = live(&all, EntityKind::CouncillorInduction);
    let mut years: Vec<&str> = inductions
        .iter()
        .map(|c| {
            assert!(field(c, "councillor").starts_with("Illustrative"));
            assert_eq!(field(c, "note"), demo::INDUCTION_NOTE);
            field(c, "joined_on").get(..4).unwrap_or_default()
        })
        .collect();
    years.sort_unstable();
    assert_eq!(years, ["2010", "2011"]);
    let public = server.pull_as(&server.anonymous, Seq(0), None).await;
    assert!(live(&public.changes, EntityKind::CouncillorInduction).is_empty());
}

/// Two instances started at once on one new database both load the demo: neither fails to
/// start (the second finds the demo accounts already made), and the records and accounts are
/// there once.
#[tokio::test]
async fn two_instances_loading_the_demo_at_once_both_start_and_it_is_there_once() {
    let storage = Storage::new();
    let (a, b) = tokio::join!(
        atlas_backend::db::connect(&storage.database_url),
        atlas_backend::db::connect(&storage.database_url)
    );
    let (a, b) = (a.expect("one opens"), b.expect("the other opens"));
    let (loaded_a, loaded_b) = tokio::join!(demo::load_if_empty(&*a), demo::load_if_empty(&*b));
    loaded_a.expect("the first instance starts");
    loaded_b.expect("the second instance starts");
    let people = a.people().await.expect("the accounts");
    let demo_emails: BTreeSet<&str> = atlas_shared::seeds::DEMO_USERS
        .iter()
        .map(|u| u.email)
        .collect();
    let found: Vec<&str> = people
        .iter()
        .map(|p| p.email.as_str())
        .filter(|e| demo_emails.contains(e))
        .collect();
    assert_eq!(
        found.len(),
        demo_emails.len(),
        "each demo account once: {found:?}"
    );
    let once = a.record_count().await.expect("a count");
    assert_eq!(
        once,
        b.record_count().await.expect("a count"),
        "one database"
    );
    let again = atlas_backend::db::connect(&storage.database_url)
        .await
        .expect("opens");
    assert!(!demo::load_if_empty(&*again).await.expect("starts"));
    assert_eq!(again.record_count().await.expect("a count"), once);
}
