//! The annual report in a real browser, mounted with a hand-built `Snapshot`: Redditch's
//! strategy (seed 004) with illustrative figures on each side of 2011/12's ends, a group's
//! key actions and the Board's meetings (illustrative dates). No store, no IndexedDB.

use atlas_frontend::pages::strategy::annual::{AnnualReportView, FundsSpentSection};
use atlas_shared::scrutiny::{Meeting, MeetingId, MeetingStatus};
use atlas_shared::seeds::fixture_id as id;
use atlas_shared::strategy::annual::{FinancialYear, FundsSpent};
use atlas_shared::strategy::{
    ActionPlan, ActionPlanId, Figure, Frequency, KeyAction, KeyActionId, Measurement,
    MeasurementId, Polarity, Priority, PriorityId, Strategy, StrategyId, StrategyStatus, Target,
    TargetId,
};
use atlas_shared::{Body, BodyId, BodyKind, IsoDate, Partnership, PartnershipId, Snapshot};
use leptos::prelude::*;
use wasm_bindgen_test::*;

use crate::common::*;

fn texts(root: &web_sys::Element, css: &str) -> Vec<String> {
    all(root, css).iter().map(text).collect()
}

const P: u16 = 1;
const BOARD: u16 = 2;
const GROUP: u16 = 3;
const STRATEGY: u16 = 10;
const EDUCATION: u16 = 20;
const GCSES: u16 = 30;
const PLAN: u16 = 40;

fn day(y: u16, m: u8, d: u8) -> IsoDate {
    IsoDate::known(y, m, d)
}

fn today() -> IsoDate {
    day(2013, 1, 15)
}

fn pid() -> PartnershipId {
    PartnershipId(id(P))
}

fn body(name: &str, kind: BodyKind) -> Body {
    Body {
        partnership_id: pid(),
        name: name.into(),
        kind,
        terms_of_reference: String::new(),
    }
}

fn fixture(status: StrategyStatus) -> Snapshot {
    let mut s = Snapshot::default();
    s.partnerships.insert(
        pid(),
        Partnership {
            name: "Redditch Partnership".into(),
            area: "Borough of Redditch".into(),
            description: String::new(),
            published: true,
            archived: false,
        },
    );
    s.bodies.insert(
        BodyId(id(BOARD)),
        body("Partnership Management Board", BodyKind::Board),
    );
    s.bodies.insert(
        BodyId(id(GROUP)),
        body(
            "Children and Young People's Group",
            BodyKind::PriorityActionGroup,
        ),
    );
    s.strategies.insert(
        StrategyId(id(STRATEGY)),
        Strategy {
            partnership_id: pid(),
            title: "Redditch Sustainable Community Strategy".into(),
            first_year: 2011,
            last_year: 2014,
            vision: "Illustrative vision.".into(),
            status,
            drafted_on: None,
            pre_scrutiny_on: Some(day(2011, 3, 2)),
            adopted_on: None,
            superseded_on: None,
        },
    );
    s.priorities.insert(
        PriorityId(id(EDUCATION)),
        Priority {
            partnership_id: pid(),
            strategy_id: StrategyId(id(STRATEGY)),
            title: "Raising educational standards".into(),
            description: String::new(),
            body_id: Some(BodyId(id(GROUP))),
            lead_organisation_ids: Vec::new(),
            position: 1,
            resident_theme: None,
            dovetails_with: Vec::new(),
        },
    );
    s.targets.insert(
        TargetId(id(GCSES)),
        Target {
            partnership_id: pid(),
            priority_id: PriorityId(id(EDUCATION)),
            name: "Five good GCSEs".into(),
            code: "NI 75".into(),
            unit: "%".into(),
            polarity: Polarity::HigherIsBetter,
            baseline: Some(Figure::known(45.0)),
            baseline_on: Some(day(2011, 3, 31)),
            target_value: Some(Figure::known(53.0)),
            deadline: Some(day(2015, 3, 31)),
            milestones: Vec::new(),
            tolerance_percent: Figure::known(5.0),
            source: "Illustrative figure".into(),
            frequency: Frequency::Yearly,
            owner_id: None,
            laa: false,
            status_override: None,
            override_reason: String::new(),
        },
    );
    // 46 and 46.5 in 2011/12 (at risk by its end); 54 on the next year's first day.
    for (n, on, value) in [
        (50, day(2011, 4, 1), 46.0),
        (51, day(2012, 3, 31), 46.5),
        (52, day(2012, 4, 1), 54.0),
    ] {
        s.measurements.insert(
            MeasurementId(id(n)),
            Measurement {
                partnership_id: pid(),
                target_id: TargetId(id(GCSES)),
                on,
                value: Figure::known(value),
                note: "Illustrative figure".into(),
            },
        );
    }
    s.action_plans.insert(
        ActionPlanId(id(PLAN)),
        ActionPlan {
            partnership_id: pid(),
            body_id: BodyId(id(GROUP)),
            year: 2011,
            due_on: day(2011, 6, 30),
            provided_on: Some(day(2011, 6, 1)),
            summary: String::new(),
        },
    );
    for (n, title, due, done) in [
        (
            60,
            "Run the parents' evening",
            day(2012, 3, 1),
            Some(day(2012, 3, 31)),
        ),
        (61, "Recruit mentors", day(2011, 11, 30), None),
    ] {
        s.key_actions.insert(
            KeyActionId(id(n)),
            KeyAction {
                partnership_id: pid(),
                action_plan_id: ActionPlanId(id(PLAN)),
                title: title.into(),
                description: String::new(),
                lead_organisation_id: None,
                due_on: Some(due),
                completed_on: done,
                progress: String::new(),
                priority_ids: Vec::new(),
                target_ids: Vec::new(),
            },
        );
    }
    s.meetings.insert(
        MeetingId(id(70)),
        Meeting {
            partnership_id: pid(),
            body_id: Some(BodyId(id(BOARD))),
            council_id: None,
            committee: String::new(),
            date: day(2011, 7, 19),
            time: "14:00".into(),
            venue: String::new(),
            status: MeetingStatus::Held,
            note: "Illustrative date".into(),
        },
    );
    s
}

#[wasm_bindgen_test]
async fn the_annual_report_shows_each_targets_status_at_the_years_end_and_what_was_done() {
    setup();
    let snapshot = RwSignal::new(fixture(StrategyStatus::Adopted));
    let year = RwSignal::new(FinancialYear(2011));
    let (root, _unmount) = mount(move || {
        view! { <AnnualReportView snapshot=snapshot partnership=pid() year=year today=today() /> }
    });
    settle().await;
    assert_eq!(
        text(&one(&root, "#annual-heading")),
        "Annual report 2011/12"
    );
    let intro = text(&one(&root, "#annual-intro"));
    assert!(
        intro.contains("1 April 2011 to 31 March 2012")
            && intro.contains("April to March")
            && intro.contains("figures dated up to 31 March 2012"),
        "{intro}"
    );
    assert!(
        root.query_selector("#annual-not-over")
            .ok()
            .flatten()
            .is_none(),
        "2011/12 is over"
    );
    assert_eq!(
        text(&one(&root, "#annual-strategy")),
        "The strategy in force: Redditch Sustainable Community Strategy (2011 to 2014)."
    );
    // The 54 of 1 April 2012 would make it achieved: not counted in 2011/12.
    let row = one(&root, ".annual-target");
    assert_eq!(row.get_attribute("data-status").as_deref(), Some("at_risk"));
    assert_eq!(text(&one(&row, ".tag")), "At risk");
    assert_eq!(
        text(&one(&row, ".annual-target__direction")),
        "Better than last time"
    );
    assert_eq!(
        text(&one(&row, ".annual-target__figures")),
        "1 April 2011: 46%; 31 March 2012: 46.5%"
    );
    // The trajectory chart, with only the figures up to the year's end.
    let chart = one(&root, ".annual-chart .trajectory");
    let dots = all(&chart, ".trajectory__dot");
    assert_eq!(dots.len(), 2);
    assert_eq!(
        texts(&root, "#annual-done li"),
        ["Run the parents' evening (Children and Young People's Group): Done on 31 March 2012"]
    );
    assert_eq!(
        texts(&root, "#annual-overdue li"),
        ["Recruit mentors (Children and Young People's Group): Due on 30 November 2011; not done"]
    );
    assert_eq!(
        texts(&root, "#annual-meetings li"),
        ["Partnership Management Board, 19 July 2011"]
    );
    // No funds are recorded: no section; no highlight reports on this device: none either.
    assert!(
        root.query_selector("#annual-funds-heading")
            .ok()
            .flatten()
            .is_none()
    );
    assert!(
        root.query_selector("#annual-highlights-heading")
            .ok()
            .flatten()
            .is_none()
    );
    // The year chooser marks the year shown, and the buttons are there.
    assert_eq!(text(&one(&root, "a[aria-current=page]")), "2011/12");
    assert_eq!(text(&one(&root, "#annual-print")), "Print or save as PDF");
    assert_eq!(
        text(&one(&root, "#annual-csv")),
        "Download the figures (CSV)"
    );

    // The next year: the later figure counts, and the target is achieved.
    year.set(FinancialYear(2012));
    settle().await;
    assert_eq!(
        text(&one(&root, "#annual-heading")),
        "Annual report 2012/13"
    );
    assert_eq!(
        one(&root, ".annual-target")
            .get_attribute("data-status")
            .as_deref(),
        Some("achieved")
    );
    // 2012/13 is not over on 15 January 2013: the report says so.
    assert!(text(&one(&root, "#annual-not-over")).contains("15 January 2013"));
}

#[wasm_bindgen_test]
async fn a_draft_strategy_is_not_reported_as_in_force() {
    setup();
    let snapshot = RwSignal::new(fixture(StrategyStatus::Draft));
    let (root, _unmount) = mount(move || {
        view! { <AnnualReportView snapshot=snapshot partnership=pid() year=FinancialYear(2011) today=today() /> }
    });
    settle().await;
    assert_eq!(
        text(&one(&root, "#annual-strategy")),
        "No strategy was in force in 2011/12: none adopted covers that year."
    );
    assert_eq!(
        text(&one(&root, "#annual-no-priorities")),
        "No priorities to report."
    );
    assert!(
        root.query_selector(".annual-target")
            .ok()
            .flatten()
            .is_none()
    );
}

#[wasm_bindgen_test]
async fn funds_spent_show_only_when_there_are_lines_with_their_total() {
    setup();
    let (root, _unmount) = mount(move || view! { <FundsSpentSection lines=Vec::new() /> });
    settle().await;
    assert_eq!(text(&root), "");
    let lines = vec![
        FundsSpent {
            what: "Illustrative project: homework club".into(),
            pence: 125_050,
        },
        FundsSpent {
            what: "Illustrative project: mentors".into(),
            pence: 99,
        },
    ];
    let (root, _unmount) = mount(move || view! { <FundsSpentSection lines=lines /> });
    settle().await;
    assert_eq!(text(&one(&root, "#annual-funds-heading")), "Funds spent");
    assert_eq!(text(&one(&root, "#annual-funds-total")), "£1,251.49");
}
