//! Highlight reports in a real browser: a report with its narrative and the figures pulled
//! for its period, what a reader who may not write is offered, the receiving body's reports
//! late, due and received, the escalation on the receiving body's next meeting, and the form
//! pre-filled from the data that refuses an escalation without words and keeps what was
//! typed; and the group's action plan checked for its LAA target's figures. Each test mounts
//! one view with a hand-built `Snapshot`: Redditch's Community Safety Partnership reporting
//! to its Partnership Management Board (seed 000), on the strategy's illustrative "safer
//! Redditch" priority, with illustrative figures. No store, no IndexedDB.

use atlas_frontend::components::FormErrors;
use atlas_frontend::pages::scrutiny::meetings::MeetingDetail;
use atlas_frontend::pages::strategy::action_plans::ActionPlanDetail;
use atlas_frontend::pages::strategy::highlights::{
    BodyHighlights, HighlightReportDetail, HighlightReportForm, HighlightReportsList, new_report,
};
use atlas_shared::scrutiny::{
    AgendaItem, AgendaItemId, Concern, Meeting, MeetingId, MeetingStatus, ReportType,
};
use atlas_shared::seeds::fixture_id as id;
use atlas_shared::strategy::{
    ActionPlan, ActionPlanId, Figure, Frequency, HighlightReport, HighlightReportId, KeyAction,
    KeyActionId, Measurement, MeasurementId, OverallStatus, Polarity, Priority, PriorityId,
    Strategy, StrategyId, StrategyStatus, Target, TargetId,
};
use atlas_shared::{
    Body, BodyId, BodyKind, EntityKind, IsoDate, LineKind, Partnership, PartnershipId,
    ReportingLine, ReportingLineId, Snapshot,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::common::*;

const P: u16 = 1;
const BOARD: u16 = 2;
const SAFETY: u16 = 3;
const LINE: u16 = 4;
const STRATEGY: u16 = 10;
const PRIORITY: u16 = 11;
const CRIME: u16 = 12;
const PLAN: u16 = 13;
const JULY: u16 = 20;
const SEPTEMBER: u16 = 21;
const FIRST: u16 = 30;
const SECOND: u16 = 31;

fn day(y: u16, m: u8, d: u8) -> IsoDate {
    IsoDate::known(y, m, d)
}

fn pid() -> PartnershipId {
    PartnershipId(id(P))
}

fn board() -> BodyId {
    BodyId(id(BOARD))
}

fn safety() -> BodyId {
    BodyId(id(SAFETY))
}

/// The first quarter's report, submitted and escalating.
fn first_report() -> HighlightReport {
    HighlightReport {
        partnership_id: pid(),
        body_id: safety(),
        to_body_id: board(),
        period_start: day(2011, 4, 1),
        period_end: day(2011, 6, 30),
        due_on: day(2011, 7, 14),
        submitted_on: Some(day(2011, 7, 12)),
        overall: OverallStatus::AtRisk,
        progress: "Illustrative: the partnership agreed its plan for the year.".into(),
        next_period: "Illustrative: a joint approach to burglary.".into(),
        risks_and_issues: String::new(),
        decisions_needed: "Illustrative: none this quarter.".into(),
        escalate: true,
        escalation: "Illustrative: the Board to ask for the quarterly crime figures.".into(),
    }
}

fn fixture() -> Snapshot {
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
    for (n, name, kind) in [
        (BOARD, "Partnership Management Board", BodyKind::Board),
        (
            SAFETY,
            "Redditch Community Safety Partnership",
            BodyKind::ThematicPartnership,
        ),
    ] {
        s.bodies.insert(
            BodyId(id(n)),
            Body {
                partnership_id: pid(),
                name: name.into(),
                kind,
                terms_of_reference: String::new(),
            },
        );
    }
    s.lines.insert(
        ReportingLineId(id(LINE)),
        ReportingLine {
            partnership_id: pid(),
            from_body_id: safety(),
            to_body_id: board(),
            kind: LineKind::ReportsTo,
            note: String::new(),
        },
    );
    s.strategies.insert(
        StrategyId(id(STRATEGY)),
        Strategy {
            partnership_id: pid(),
            title: "Redditch Sustainable Community Strategy".into(),
            first_year: 2011,
            last_year: 2014,
            vision: String::new(),
            status: StrategyStatus::Adopted,
            drafted_on: None,
            pre_scrutiny_on: Some(day(2011, 3, 2)),
            adopted_on: None,
            superseded_on: None,
        },
    );
    s.priorities.insert(
        PriorityId(id(PRIORITY)),
        Priority {
            partnership_id: pid(),
            strategy_id: StrategyId(id(STRATEGY)),
            title: "Illustrative priority: a safer Redditch".into(),
            description: String::new(),
            body_id: Some(safety()),
            lead_organisation_ids: Vec::new(),
            position: 3,
            resident_theme: None,
            dovetails_with: Vec::new(),
        },
    );
    s.targets.insert(
        TargetId(id(CRIME)),
        Target {
            partnership_id: pid(),
            priority_id: PriorityId(id(PRIORITY)),
            name: "Serious acquisitive crime rate".into(),
            code: "NI 16".into(),
            unit: "per 1,000 population".into(),
            polarity: Polarity::LowerIsBetter,
            baseline: Some(Figure::known(15.0)),
            baseline_on: Some(day(2010, 3, 31)),
            target_value: Some(Figure::known(13.0)),
            deadline: Some(day(2014, 3, 31)),
            milestones: Vec::new(),
            tolerance_percent: Figure::known(10.0),
            source: "Illustrative figure".into(),
            frequency: Frequency::Quarterly,
            owner_id: None,
            laa: false,
            status_override: None,
            override_reason: String::new(),
        },
    );
    // 14.9 against about 14.38 expected at the end of June 2011: a little behind, at risk.
    s.measurements.insert(
        MeasurementId(id(40)),
        Measurement {
            partnership_id: pid(),
            target_id: TargetId(id(CRIME)),
            on: day(2011, 6, 30),
            value: Figure::known(14.9),
            note: "Illustrative figure".into(),
        },
    );
    s.action_plans.insert(
        ActionPlanId(id(PLAN)),
        ActionPlan {
            partnership_id: pid(),
            body_id: safety(),
            year: 2011,
            due_on: day(2011, 6, 30),
            provided_on: Some(day(2011, 5, 1)),
            summary: "Illustrative plan".into(),
        },
    );
    for (n, title, due, done) in [
        (
            50,
            "Agree the burglary plan",
            day(2011, 5, 31),
            Some(day(2011, 5, 10)),
        ),
        (51, "Share crime figures monthly", day(2011, 6, 1), None),
        (52, "Audit the street lighting", day(2011, 8, 31), None),
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
    for (n, date, status) in [
        (JULY, day(2011, 7, 19), MeetingStatus::Held),
        (SEPTEMBER, day(2011, 9, 20), MeetingStatus::Scheduled),
    ] {
        s.meetings.insert(
            MeetingId(id(n)),
            Meeting {
                partnership_id: pid(),
                body_id: Some(board()),
                council_id: None,
                committee: String::new(),
                date,
                time: "14:00".into(),
                venue: String::new(),
                status,
                note: String::new(),
            },
        );
    }
    s.highlight_reports
        .insert(HighlightReportId(id(FIRST)), first_report());
    s.highlight_reports.insert(
        HighlightReportId(id(SECOND)),
        HighlightReport {
            period_start: day(2011, 7, 1),
            period_end: day(2011, 9, 30),
            due_on: day(2011, 10, 14),
            submitted_on: None,
            overall: OverallStatus::OnTrack,
            progress: "Illustrative: a draft.".into(),
            next_period: String::new(),
            decisions_needed: String::new(),
            escalate: false,
            escalation: String::new(),
            ..first_report()
        },
    );
    s
}

fn texts(root: &web_sys::Element, css: &str) -> Vec<String> {
    all(root, css).iter().map(text).collect()
}

#[wasm_bindgen_test]
async fn a_report_shows_its_narrative_and_the_figures_pulled_for_its_period() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _unmount) = mount(move || {
        view! { <HighlightReportDetail snapshot=snapshot id=HighlightReportId(id(FIRST)) may_write=true /> }
    });
    settle().await;
    assert_eq!(
        text(&one(&root, "h1")),
        "Redditch Community Safety Partnership: highlight report, 1 April 2011 to 30 June 2011"
    );
    assert!(text(&one(&root, ".highlight__route")).contains("to Partnership Management Board"));
    assert_eq!(
        text(&one(&root, "#highlight-submitted")),
        "Submitted on 12 July 2011"
    );
    let overall = one(&root, "#highlight-overall");
    assert_eq!(
        overall.get_attribute("data-status").as_deref(),
        Some("at_risk")
    );
    assert!(
        text(&overall).starts_with("At risk"),
        "in words, not colour alone"
    );
    assert!(text(&one(&root, "#highlight-progress")).contains("agreed its plan"));
    assert!(text(&one(&root, "#highlight-risks")).contains("Nothing written yet"));
    assert!(text(&one(&root, "#highlight-escalation")).contains("quarterly crime figures"));

    // The figures come from the data, as they stood at the end of June.
    let rows = all(&root, ".highlight-target");
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].get_attribute("data-status").as_deref(),
        Some("at_risk")
    );
    let row = text(&rows[0]);
    assert!(
        row.contains("Serious acquisitive crime rate (NI 16)"),
        "{row}"
    );
    assert!(
        row.contains("14.9 per 1,000 population on 30 June 2011"),
        "{row}"
    );
    assert!(row.contains("At risk"), "{row}");
    assert_eq!(
        texts(&root, "#highlight-done a"),
        ["Agree the burglary plan"]
    );
    // Each action links to its place on its plan's page, which every member reads.
    assert_eq!(
        one(&root, "#highlight-done a").get_attribute("href"),
        Some(format!(
            "/action-plans/{}#action-{}",
            ActionPlanId(id(PLAN)),
            KeyActionId(id(50))
        ))
    );
    assert_eq!(
        texts(&root, "#highlight-overdue a"),
        ["Share crime figures monthly"]
    );
    assert_eq!(
        texts(&root, "#highlight-due-next a"),
        ["Audit the street lighting"]
    );
    assert!(text(&root).contains("Due in the next period (1 July 2011 to 30 September 2011)"));
    assert!(all(&root, "#highlight-print").len() == 1, "printable");
    let links = texts(&root, "a");
    assert!(links.contains(&"Edit report".to_owned()), "{links:?}");

    // A new figure after the period does not change what the report shows.
    snapshot.update(|s| {
        s.measurements.insert(
            MeasurementId(id(41)),
            Measurement {
                partnership_id: pid(),
                target_id: TargetId(id(CRIME)),
                on: day(2011, 9, 30),
                value: Figure::known(20.0),
                note: "Illustrative figure".into(),
            },
        );
    });
    settle().await;
    assert!(text(&one(&root, ".highlight-target")).contains("14.9 per 1,000"));
}

#[wasm_bindgen_test]
async fn a_reader_who_may_not_write_is_offered_no_changes() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _unmount) = mount(move || {
        view! { <HighlightReportsList snapshot=snapshot body=safety() may_write=false /> }
    });
    settle().await;
    let periods = texts(&root, ".highlight-row td:first-child");
    assert_eq!(
        periods,
        [
            "1 July 2011 to 30 September 2011",
            "1 April 2011 to 30 June 2011"
        ],
        "the latest period first"
    );
    assert!(text(&root).contains("Escalated"));
    let links = texts(&root, "a");
    assert!(
        !links
            .iter()
            .any(|l| l.starts_with("Write") || l.starts_with("Edit")),
        "{links:?}"
    );

    let detail_snapshot = RwSignal::new(fixture());
    let (detail, _unmount_detail) = mount(move || {
        view! { <HighlightReportDetail snapshot=detail_snapshot id=HighlightReportId(id(FIRST)) may_write=false /> }
    });
    settle().await;
    let links = texts(&detail, "a");
    assert!(
        !links
            .iter()
            .any(|l| l.starts_with("Edit") || l.starts_with("Delete")),
        "{links:?}"
    );

    let lead_snapshot = RwSignal::new(fixture());
    let (lead, _unmount_lead) = mount(move || {
        view! { <HighlightReportsList snapshot=lead_snapshot body=safety() may_write=true /> }
    });
    settle().await;
    assert!(texts(&lead, "a").contains(&"Write a highlight report".to_owned()));
}

#[wasm_bindgen_test]
async fn the_receiving_body_sees_reports_late_due_and_received() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _unmount) = mount(move || {
        view! { <BodyHighlights snapshot=snapshot body=board() today=day(2011, 10, 20) may_read=true may_write=true /> }
    });
    settle().await;
    assert_eq!(
        text(&one(&root, "#received-heading")),
        "Highlight reports received"
    );
    let late = texts(&root, "#received-late li");
    assert_eq!(late.len(), 1);
    assert!(
        late[0].contains("1 July 2011 to 30 September 2011"),
        "{late:?}"
    );
    assert!(
        late[0].contains("Draft: due by 14 October 2011"),
        "{late:?}"
    );
    assert!(text(&one(&root, "#received-due")).contains("No report is waiting"));
    let received = texts(&root, "#received-received li");
    assert_eq!(received.len(), 1);
    assert!(
        received[0].contains("Submitted on 12 July 2011"),
        "{received:?}"
    );
    assert!(received[0].contains("At risk") && received[0].contains("Escalated"));
    // The Board reports to nobody here, so it offers no reports of its own.
    assert!(all(&root, "#own-highlights").is_empty());

    // Before its due date, the draft is due, not late.
    let earlier = RwSignal::new(fixture());
    let (before, _unmount_before) = mount(move || {
        view! { <BodyHighlights snapshot=earlier body=board() today=day(2011, 10, 10) may_read=true may_write=false /> }
    });
    settle().await;
    assert_eq!(all(&before, "#received-due li").len(), 1);
    assert!(text(&one(&before, "#received-late")).contains("No report is late"));

    // The reporting body links to its own reports and offers to write one.
    let own = RwSignal::new(fixture());
    let (group, _unmount_group) = mount(move || {
        view! { <BodyHighlights snapshot=own body=safety() today=day(2011, 10, 20) may_read=true may_write=true /> }
    });
    settle().await;
    assert_eq!(
        text(&one(&group, "#own-highlights")),
        "Highlight reports it has written (2)"
    );
    assert!(texts(&group, "a").contains(&"Write a highlight report".to_owned()));
    assert!(all(&group, "#received-heading").is_empty());

    // A reader who may not read reports (the public) is shown neither section.
    let public = RwSignal::new(fixture());
    let (outside, _unmount_outside) = mount(move || {
        view! { <BodyHighlights snapshot=public body=board() today=day(2011, 10, 20) may_read=false may_write=false /> }
    });
    settle().await;
    assert_eq!(text(&outside), "");
}

#[wasm_bindgen_test]
async fn the_next_meeting_after_submission_shows_what_was_escalated_to_it() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _unmount) = mount(move || {
        view! { <MeetingDetail snapshot=snapshot id=MeetingId(id(JULY)) today=day(2011, 10, 1) manages=false /> }
    });
    settle().await;
    assert_eq!(
        text(&one(&root, "#escalations-heading")),
        "Escalated to this meeting"
    );
    let items = texts(&root, ".meeting-escalation");
    assert_eq!(items.len(), 1);
    assert!(
        items[0].contains("Redditch Community Safety Partnership"),
        "{items:?}"
    );
    assert!(items[0].contains("quarterly crime figures"), "{items:?}");
    assert!(items[0].contains("submitted on 12 July 2011"), "{items:?}");

    // Not carried on to the meeting after.
    let later = RwSignal::new(fixture());
    let (september, _unmount_september) = mount(move || {
        view! { <MeetingDetail snapshot=later id=MeetingId(id(SEPTEMBER)) today=day(2011, 10, 1) manages=false /> }
    });
    settle().await;
    assert!(all(&september, "#escalations-heading").is_empty());
}

#[wasm_bindgen_test]
async fn the_form_is_pre_filled_and_refuses_an_escalation_without_words_keeping_what_was_typed() {
    setup();
    let s = fixture();
    let initial = new_report(&s, safety(), day(2011, 10, 20)).expect("the body is here");
    // After the last report: the next quarter, due two weeks after, to the Board (the
    // reporting line), at risk as the target suggests.
    assert_eq!(
        (initial.period_start, initial.period_end, initial.due_on),
        (day(2011, 10, 1), day(2011, 12, 31), day(2012, 1, 14))
    );
    assert_eq!(initial.to_body_id, board());
    assert_eq!(initial.overall, OverallStatus::AtRisk);
    assert_eq!(initial.submitted_on, None);

    let snapshot = RwSignal::new(s);
    let saved = RwSignal::new(None::<HighlightReport>);
    let errors = RwSignal::new(FormErrors::default());
    let (root, _unmount) = mount(move || {
        view! {
            <HighlightReportForm
                snapshot=snapshot
                initial=initial
                errors=errors
                submit_label="Save report"
                cancel_href="/"
                on_submit=move |r| saved.set(Some(r))
            />
        }
    });
    settle().await;
    let select = one(&root, "#to_body_id").unchecked_into::<web_sys::HtmlSelectElement>();
    assert_eq!(select.value(), board().to_string());
    assert_eq!(
        one(&root, "#period_start")
            .unchecked_into::<web_sys::HtmlInputElement>()
            .value(),
        "2011-10-01"
    );
    let suggestion = one(&root, "#highlight-suggestion");
    assert_eq!(
        suggestion.get_attribute("data-status").as_deref(),
        Some("at_risk")
    );
    assert!(text(&suggestion).contains("1 target is at risk: Serious acquisitive crime rate"));

    type_into(
        &root,
        "#progress",
        "Illustrative: street lighting audit begun.",
    );
    type_into(&root, "#submitted_on", "2012-01-10");
    click(&root, "#escalate");
    click(&root, "button[type=submit]");
    settle().await;
    assert_eq!(saved.get_untracked(), None);
    let fields: Vec<String> = errors
        .get_untracked()
        .fields
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["escalation"]);
    assert_eq!(
        one(&root, "#progress")
            .unchecked_into::<web_sys::HtmlTextAreaElement>()
            .value(),
        "Illustrative: street lighting audit begun.",
        "what was typed stays"
    );

    type_into(
        &root,
        "#escalation",
        "Illustrative: the Board to fund the lighting repairs.",
    );
    click(&root, "button[type=submit]");
    settle().await;
    let report = saved.get_untracked().expect("saved");
    assert!(report.escalate);
    assert_eq!(report.submitted_on, Some(day(2012, 1, 10)));
    assert_eq!(report.to_body_id, board());
    assert_eq!(report.overall, OverallStatus::AtRisk);
    assert_eq!(
        report.progress,
        "Illustrative: street lighting audit begun."
    );
}

/// Seed 003's "Report Hampshire LAA performance targets (where applicable)" on the group's
/// action plan: the crime target becomes an LAA target, reported quarterly; by November its
/// September figure is overdue and the plan says so, naming it.
#[wasm_bindgen_test]
async fn the_groups_action_plan_is_checked_for_its_laa_targets_figures() {
    setup();
    let mut s = fixture();
    let plan = |snapshot: Snapshot, today: IsoDate| {
        let snapshot = RwSignal::new(snapshot);
        mount(move || {
            view! { <ActionPlanDetail snapshot=snapshot id=ActionPlanId(id(PLAN)) today=today may_write=false /> }
        })
    };
    let (root, _unmount) = plan(s.clone(), day(2011, 8, 1));
    settle().await;
    let checks = texts(&root, ".plan-checks__item");
    assert_eq!(checks.len(), 4, "{checks:?}");
    assert!(
        checks[3].starts_with("Does not apply")
            && checks[3].contains("None of the group's targets is a Local Area Agreement target"),
        "{checks:?}"
    );

    s.targets
        .get_mut(&TargetId(id(CRIME)))
        .expect("the crime target")
        .laa = true;
    let (met, _unmount_met) = plan(s.clone(), day(2011, 8, 1));
    settle().await;
    let checks = texts(&met, ".plan-checks__item");
    assert!(
        checks[3].starts_with("Met")
            && checks[3].contains("1 LAA target, each reported as often as it should be"),
        "{checks:?}"
    );
    let (late, _unmount_late) = plan(s, day(2011, 11, 1));
    settle().await;
    let checks = texts(&late, ".plan-checks__item");
    assert!(
        checks[3].starts_with("Not met")
            && checks[3].contains(
                "Serious acquisitive crime rate (NI 16): a figure was due by 30 September 2011"
            ),
        "{checks:?}"
    );
}

/// An agenda item may concern a highlight report: the report's page lists the meeting that
/// considered it, with the outcome, and says so plainly when none has.
#[wasm_bindgen_test]
async fn a_report_lists_the_meetings_whose_agenda_names_it() {
    setup();
    let mut s = fixture();
    let before = RwSignal::new(s.clone());
    let (none, _unmount_none) = mount(move || {
        view! { <HighlightReportDetail snapshot=before id=HighlightReportId(id(FIRST)) may_write=false /> }
    });
    settle().await;
    assert!(
        text(&one(&none, "#considered-empty"))
            .starts_with("No meeting’s agenda names this report yet.")
    );

    s.agenda_items.insert(
        AgendaItemId(id(60)),
        AgendaItem {
            partnership_id: pid(),
            meeting_id: MeetingId(id(JULY)),
            number: "4".into(),
            title: "Community Safety Partnership: highlight report".into(),
            report_type: ReportType::Written,
            summary: String::new(),
            outcome: "Illustrative: the Board asked for the quarterly crime figures.".into(),
            documents: Vec::new(),
            concerns: vec![Concern {
                kind: EntityKind::HighlightReport,
                id: id(FIRST),
            }],
        },
    );
    let after = RwSignal::new(s);
    let (root, _unmount) = mount(move || {
        view! { <HighlightReportDetail snapshot=after id=HighlightReportId(id(FIRST)) may_write=false /> }
    });
    settle().await;
    let items = texts(&root, "#considered-at li");
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0].contains("Item 4"), "{items:?}");
    assert!(
        items[0].contains("the quarterly crime figures"),
        "{items:?}"
    );
}
