//! Strategies over real HTTP: a draft strategy, and everything under it (its priorities,
//! targets and figures), reaches the partnership's members but never the public; once it goes
//! to pre-scrutiny, the public pulls all of it. And the demo's Redditch strategy is public.

use crate::common::*;
use atlas_shared::accounts::Role;
use atlas_shared::seeds::REDDITCH;
use atlas_shared::strategy::{
    Figure, Frequency, Measurement, Polarity, Priority, PriorityId, Strategy, StrategyId,
    StrategyStatus, Target, TargetId,
};
use atlas_shared::{Change, Entity, EntityKind, IsoDate, PartnershipId, Seq};
use uuid::Uuid;

/// The live records of the strategy kinds among `changes`, by kind and id.
fn strategy_records(changes: &[Change]) -> Vec<(EntityKind, Uuid)> {
    let mut v: Vec<_> = changes
        .iter()
        .filter(|c| {
            !c.deleted
                && matches!(
                    c.kind,
                    EntityKind::Strategy
                        | EntityKind::Priority
                        | EntityKind::Target
                        | EntityKind::Measurement
                )
        })
        .map(|c| (c.kind, c.id))
        .collect();
    v.sort();
    v.dedup();
    v
}

fn draft(p: Uuid, status: StrategyStatus) -> Entity {
    Entity::Strategy(Strategy {
        partnership_id: PartnershipId(p),
        title: "Redditch Sustainable Community Strategy 2014 to 2017 (draft)".into(),
        first_year: 2014,
        last_year: 2017,
        vision: String::new(),
        status,
        drafted_on: None,
        pre_scrutiny_on: None,
        adopted_on: None,
        superseded_on: None,
    })
}

#[tokio::test]
async fn a_draft_strategy_and_everything_under_it_reach_members_but_not_the_public() {
    let server = TestServer::start().await;
    let (p, make) = partnership("Redditch Partnership");
    let strategy = new_id();
    let priority = new_id();
    let target = new_id();
    let figure = new_id();
    let pid = PartnershipId(p);
    let records = [
        (strategy, draft(p, StrategyStatus::Draft)),
        (
            priority,
            Entity::Priority(Priority {
                partnership_id: pid,
                strategy_id: StrategyId(strategy),
                title: "Raising educational standards".into(),
                description: String::new(),
                body_id: None,
                lead_organisation_ids: Vec::new(),
                position: 1,
                resident_theme: None,
                dovetails_with: Vec::new(),
            }),
        ),
        (
            target,
            Entity::Target(Target {
                partnership_id: pid,
                priority_id: PriorityId(priority),
                name: "Achievement of 5 or more A*-C grades at GCSE or equivalent including English and Maths".into(),
                code: "NI 75".into(),
                unit: "%".into(),
                polarity: Polarity::HigherIsBetter,
                baseline: Some(Figure::known(45.0)),
                baseline_on: Some(IsoDate::known(2013, 8, 31)),
                target_value: Some(Figure::known(53.0)),
                deadline: Some(IsoDate::known(2017, 8, 31)),
                milestones: Vec::new(),
                tolerance_percent: Figure::known(5.0),
                source: "Illustrative figure".into(),
                frequency: Frequency::Yearly,
                owner_id: None,
                laa: false,
                status_override: None,
                override_reason: String::new(),
            }),
        ),
        (
            figure,
            Entity::Measurement(Measurement {
                partnership_id: pid,
                target_id: TargetId(target),
                on: IsoDate::known(2014, 8, 31),
                value: Figure::known(46.5),
                note: "Illustrative figure".into(),
            }),
        ),
    ];
    let mut mutations = vec![make];
    mutations.extend(
        records
            .iter()
            .map(|(id, e)| upsert(e.kind(), *id, None, e.to_fields())),
    );
    let pushed = server.push(mutations).await;
    assert!(
        pushed
            .results
            .iter()
            .all(|r| matches!(r.outcome, atlas_shared::Outcome::Applied { .. })),
        "{pushed:?}"
    );
    let mut all: Vec<(EntityKind, Uuid)> = records.iter().map(|(id, e)| (e.kind(), *id)).collect();
    all.sort();

    let public = server.pull_as(&server.anonymous, Seq(0), None).await;
    assert_eq!(
        strategy_records(&public.changes),
        [],
        "the public sees no draft"
    );
    let (_, councillor) = server.person(Some(Role::Councillor), p).await;
    let theirs = server.pull_as(&councillor, Seq(0), None).await;
    assert_eq!(
        strategy_records(&theirs.changes),
        all,
        "members read the draft"
    );
    let (_, staff) = server.person(Some(Role::ConsultationStaff), p).await;
    let tablet = server.pull_as(&staff, Seq(0), None).await;
    assert_eq!(
        strategy_records(&tablet.changes),
        [],
        "staff read what the public reads"
    );

    // Sent to pre-scrutiny, it is everyone's, with all it holds.
    let version = theirs
        .changes
        .iter()
        .rfind(|c| c.id == strategy)
        .map(|c| c.version);
    let mut fields = draft(p, StrategyStatus::PreScrutiny).to_fields();
    fields.insert("pre_scrutiny_on".into(), "2014-03-01".into());
    server
        .push(vec![upsert(
            EntityKind::Strategy,
            strategy,
            version,
            fields,
        )])
        .await;
    let public = server.pull_as(&server.anonymous, Seq(0), None).await;
    assert_eq!(strategy_records(&public.changes), all);
}

#[tokio::test]
async fn the_demo_holds_redditchs_adopted_strategy_with_four_priorities_for_the_public() {
    let server = TestServer::demo().await;
    let public = server.pull_as(&server.anonymous, Seq(0), None).await;
    let redditch = partnership_named(&public.changes, REDDITCH).expect("Redditch is public");
    // Redditch's records (the demo's other partnerships have strategies too).
    let of_redditch: Vec<Change> = public
        .changes
        .iter()
        .filter(|c| {
            c.fields
                .as_ref()
                .and_then(|f| f.get("partnership_id"))
                .and_then(|v| v.as_str())
                == Some(redditch.to_string().as_str())
        })
        .cloned()
        .collect();
    let strategies: Vec<&Change> = of_redditch
        .iter()
        .filter(|c| !c.deleted && c.kind == EntityKind::Strategy)
        .collect();
    assert_eq!(strategies.len(), 1);
    let fields = strategies[0].fields.clone().unwrap_or_default();
    assert_eq!(fields["status"], "adopted");
    assert_eq!(fields["pre_scrutiny_on"], "2011-03-02");
    let kinds = strategy_records(&of_redditch);
    let count = |k: EntityKind| kinds.iter().filter(|(kind, _)| *kind == k).count();
    assert_eq!(count(EntityKind::Priority), 4, "only four key priorities");
    assert!(count(EntityKind::Target) >= 5);
    assert!(count(EntityKind::Measurement) >= 5);
    // Every figure says it is illustrative.
    for c in public
        .changes
        .iter()
        .filter(|c| c.kind == EntityKind::Measurement)
    {
        let note = c
            .fields
            .as_ref()
            .and_then(|f| f.get("note"))
            .and_then(|n| n.as_str())
            .unwrap_or_default();
        assert!(note.starts_with("Illustrative figure"), "{note}");
    }
}
