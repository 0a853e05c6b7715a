//! Highlight reports over real HTTP: a group lead may write one and a councillor may not; the
//! partnership's members pull them and the public never does. And the demo's Redditch
//! Community Safety Partnership reports to the Partnership Management Board, one report
//! escalating a matter to the Board's next meeting, every word labelled illustrative.

use crate::common::*;
use atlas_shared::accounts::Role;
use atlas_shared::seeds::REDDITCH;
use atlas_shared::strategy::highlights::{escalations_to, reports_to};
use atlas_shared::strategy::{HighlightReport, OverallStatus};
use atlas_shared::{
    BodyId, BodyKind, Change, Entity, EntityKind, IsoDate, LineKind, PartnershipId, Replica, Seq,
};
use uuid::Uuid;

fn reports(changes: &[Change]) -> Vec<Uuid> {
    changes
        .iter()
        .filter(|c| c.kind == EntityKind::HighlightReport && !c.deleted)
        .map(|c| c.id)
        .collect()
}

fn report(p: Uuid, from: Uuid, to: Uuid) -> Entity {
    Entity::HighlightReport(HighlightReport {
        partnership_id: PartnershipId(p),
        body_id: BodyId(from),
        to_body_id: BodyId(to),
        period_start: IsoDate::known(2011, 4, 1),
        period_end: IsoDate::known(2011, 6, 30),
        due_on: IsoDate::known(2011, 7, 14),
        submitted_on: Some(IsoDate::known(2011, 7, 12)),
        overall: OverallStatus::AtRisk,
        progress: "Illustrative: the partnership agreed its plan for the year.".into(),
        next_period: String::new(),
        risks_and_issues: String::new(),
        decisions_needed: String::new(),
        escalate: true,
        escalation: "Illustrative: the Board to ask for the quarterly figures.".into(),
    })
}

#[tokio::test]
async fn a_group_lead_may_write_a_highlight_report_a_councillor_may_not_and_the_public_never_reads_it()
 {
    let server = TestServer::start().await;
    let (p, make) = partnership("Redditch Partnership");
    let (safety, safety_made) = body(
        p,
        "Redditch Community Safety Partnership",
        BodyKind::ThematicPartnership,
    );
    let (board, board_made) = body(p, "Partnership Management Board", BodyKind::Board);
    let (_, line_made) = line(p, safety, board, LineKind::ReportsTo);
    server
        .push(vec![make, safety_made, board_made, line_made])
        .await;
    let entity = report(p, safety, board);

    let (_, lead) = server.person(Some(Role::GroupLead), p).await;
    assert_eq!(pushed_as(&server, &lead, &entity).await, "applied");
    let (_, councillor) = server.person(Some(Role::Councillor), p).await;
    assert_eq!(
        pushed_as(&server, &councillor, &entity).await,
        "not allowed"
    );
    assert_eq!(
        pushed_as(&server, &server.anonymous, &entity).await,
        "status 401",
        "the public must sign in to write"
    );

    // Members read it (the councillor too); the public does not, though the partnership is
    // published and its bodies are public.
    let theirs = server.pull_as(&councillor, Seq(0), None).await;
    assert_eq!(reports(&theirs.changes).len(), 1, "the councillor reads it");
    let public = server.pull_as(&server.anonymous, Seq(0), None).await;
    assert!(
        public
            .changes
            .iter()
            .any(|c| c.kind == EntityKind::Body && !c.deleted),
        "the public reads the structure"
    );
    assert_eq!(
        reports(&public.changes),
        Vec::<Uuid>::new(),
        "never the public"
    );
    let (_, staff) = server.person(Some(Role::ConsultationStaff), p).await;
    let tablet = server.pull_as(&staff, Seq(0), None).await;
    assert!(
        reports(&tablet.changes).is_empty(),
        "nor consultation staff"
    );
}

#[tokio::test]
async fn the_demo_safety_partnership_reports_to_the_board_and_escalates_to_its_july_meeting() {
    let server = TestServer::demo().await;
    let all = server.pull_all(Seq(0)).await;
    let mut replica = Replica::default();
    for c in &all.changes {
        replica.apply_change(c);
    }
    let s = replica.view(&[]);
    let redditch = partnership_named(&all.changes, REDDITCH).expect("the demo has Redditch");
    let named = |name: &str| {
        s.bodies
            .iter()
            .find(|(_, b)| b.partnership_id.0 == redditch && b.name == name)
            .map(|(id, _)| *id)
            .expect(name)
    };
    let board = named("Partnership Management Board");
    let safety = named("Redditch Community Safety Partnership");
    // The safety partnership owns a priority of the strategy.
    assert!(!s.priorities_owned_by(safety).is_empty());

    let to_board = reports_to(&s, board, IsoDate::known(2011, 11, 1));
    assert_eq!(to_board.received.len(), 1);
    assert_eq!(to_board.late.len(), 1);
    assert!(to_board.due.is_empty());
    for r in s.highlight_reports.values() {
        assert_eq!(r.body_id, safety);
        assert!(r.progress.starts_with("Illustrative"), "{}", r.progress);
        for text in [
            &r.next_period,
            &r.risks_and_issues,
            &r.decisions_needed,
            &r.escalation,
        ] {
            assert!(
                text.is_empty() || text.starts_with("Illustrative"),
                "{text}"
            );
        }
    }
    let board_meeting = |date: IsoDate| {
        s.meetings
            .iter()
            .find(|(_, m)| m.body_id == Some(board) && m.date == date)
            .map(|(id, _)| *id)
            .expect("the Board's meeting")
    };
    let escalated = escalations_to(&s, board_meeting(IsoDate::known(2011, 7, 19)));
    assert_eq!(escalated.len(), 1);
    assert!(
        escalated[0]
            .1
            .escalation
            .contains("quarterly crime figures")
    );
    let september = board_meeting(IsoDate::known(2011, 9, 20));
    assert!(escalations_to(&s, september).is_empty(), "not carried on");
}
