use uuid::Uuid;

use super::*;
use crate::strategy::actions::{ActionPlan, KeyAction};
use crate::strategy::fixtures::{figure, p, priority, strategy, target};
use crate::strategy::{Figure, Polarity};

const OLD: StrategyId = StrategyId(Uuid::from_u128(1));
const NOW: StrategyId = StrategyId(Uuid::from_u128(2));
const NEXT: StrategyId = StrategyId(Uuid::from_u128(3));
const EDUCATION: PriorityId = PriorityId(Uuid::from_u128(10));
const HEALTH: PriorityId = PriorityId(Uuid::from_u128(11));
const GCSE: TargetId = TargetId(Uuid::from_u128(20));
const CONCEPTIONS: TargetId = TargetId(Uuid::from_u128(21));
const OBESITY: TargetId = TargetId(Uuid::from_u128(22));
const PLAN: ActionPlanId = ActionPlanId(Uuid::from_u128(30));
const GROUP: BodyId = BodyId(Uuid::from_u128(40));

fn day(y: u16, m: u8, d: u8) -> IsoDate {
    IsoDate::known(y, m, d)
}

fn today() -> IsoDate {
    day(2013, 1, 15)
}

/// Redditch: the strategy before (superseded), the adopted one of 2011 to 2014 and a draft of
/// the next; two priorities of the adopted one with three targets (at risk, achieved, not yet
/// measured and its first figure overdue); a group's plan with a key action overdue, one done
/// and one due later.
fn snapshot() -> Snapshot {
    let mut s = Snapshot::default();
    s.strategies
        .insert(OLD, strategy(2008, 2011, StrategyStatus::Superseded));
    s.strategies
        .insert(NOW, strategy(2011, 2014, StrategyStatus::Adopted));
    s.strategies
        .insert(NEXT, strategy(2014, 2017, StrategyStatus::Draft));
    s.priorities
        .insert(HEALTH, priority(NOW, "Tackling health inequalities", 2));
    s.priorities
        .insert(EDUCATION, priority(NOW, "Raising educational standards", 1));
    let mut gcse = target(EDUCATION, "NI 75", "Five good GCSEs");
    gcse.baseline = Some(Figure::known(45.0));
    gcse.baseline_on = Some(day(2010, 12, 31));
    gcse.target_value = Some(Figure::known(53.0));
    gcse.deadline = Some(day(2014, 12, 31));
    s.targets.insert(GCSE, gcse);
    let mut conceptions = target(HEALTH, "NI 112", "Under 18 conception rate");
    conceptions.polarity = Polarity::LowerIsBetter;
    conceptions.target_value = Some(Figure::known(40.0));
    s.targets.insert(CONCEPTIONS, conceptions);
    let mut obesity = target(HEALTH, "", "Obesity in Year 6");
    obesity.baseline = Some(Figure::known(19.5));
    obesity.baseline_on = Some(day(2011, 7, 31));
    s.targets.insert(OBESITY, obesity);
    for (n, t, on, value) in [
        (50, GCSE, day(2011, 12, 31), 46.0),
        (51, GCSE, day(2012, 12, 31), 47.0),
        (52, CONCEPTIONS, day(2012, 12, 31), 39.5),
    ] {
        s.measurements.insert(
            crate::strategy::MeasurementId(Uuid::from_u128(n)),
            figure(t, on, value),
        );
    }
    s.action_plans.insert(
        PLAN,
        ActionPlan {
            partnership_id: p(),
            body_id: GROUP,
            year: 2012,
            due_on: day(2012, 6, 30),
            provided_on: Some(day(2012, 6, 1)),
            summary: String::new(),
        },
    );
    for (n, title, due, done) in [
        (60, "Open the homework club", Some(day(2012, 9, 1)), None),
        (
            61,
            "Run the parents' evening",
            Some(day(2012, 10, 1)),
            Some(day(2012, 10, 1)),
        ),
        (62, "Review the year", Some(day(2013, 3, 31)), None),
        (63, "Recruit mentors", Some(day(2012, 11, 30)), None),
    ] {
        s.key_actions.insert(
            KeyActionId(Uuid::from_u128(n)),
            KeyAction {
                partnership_id: p(),
                action_plan_id: PLAN,
                title: title.into(),
                description: String::new(),
                lead_organisation_id: None,
                due_on: due,
                completed_on: done,
                progress: String::new(),
                priority_ids: vec![EDUCATION],
                target_ids: Vec::new(),
            },
        );
    }
    s
}

#[test]
fn the_dashboard_reports_on_the_adopted_strategy_whose_period_holds_today() {
    let s = snapshot();
    assert_eq!(current_strategy(&s, p(), today()), Some(NOW));
    // After its period, the adopted one that started last; a draft is never preferred to it.
    assert_eq!(current_strategy(&s, p(), day(2016, 1, 1)), Some(NOW));
    let mut only_drafts = Snapshot::default();
    only_drafts
        .strategies
        .insert(NEXT, strategy(2014, 2017, StrategyStatus::Draft));
    assert_eq!(current_strategy(&only_drafts, p(), today()), Some(NEXT));
    assert_eq!(current_strategy(&Snapshot::default(), p(), today()), None);
}

#[test]
fn every_priority_shows_its_targets_computed_statuses_and_the_counts_add_up() {
    let d = dashboard(&snapshot(), p(), today());
    let titles: Vec<&str> = d.priorities.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Raising educational standards",
            "Tackling health inequalities"
        ]
    );
    let statuses: Vec<(String, TargetStatus)> = d
        .priorities
        .iter()
        .flat_map(|p| &p.targets)
        .map(|t| (t.name.clone(), t.assessment.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("NI 75: Five good GCSEs".to_owned(), TargetStatus::AtRisk),
            ("Obesity in Year 6".to_owned(), TargetStatus::NotYetMeasured),
            (
                "NI 112: Under 18 conception rate".to_owned(),
                TargetStatus::Achieved
            ),
        ]
    );
    assert_eq!(
        d.counts,
        [
            (TargetStatus::AtRisk, 1),
            (TargetStatus::Achieved, 1),
            (TargetStatus::NotYetMeasured, 1),
        ]
    );
}

#[test]
fn overdue_actions_and_figures_are_listed_the_longest_overdue_first() {
    let d = dashboard(&snapshot(), p(), today());
    let actions: Vec<&str> = d.overdue_actions.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(actions, ["Open the homework club", "Recruit mentors"]);
    assert_eq!(d.overdue_actions[0].body, GROUP);
    // Obesity's first figure was due a year after its baseline, on 31 July 2012.
    assert_eq!(
        d.overdue_figures,
        [(OBESITY, "Obesity in Year 6".to_owned(), day(2012, 7, 31))]
    );
}

#[test]
fn another_partnership_or_none_gives_an_empty_dashboard() {
    let other = PartnershipId::new(9, [9; 10]);
    assert_eq!(dashboard(&snapshot(), other, today()), Dashboard::default());
}

#[test]
fn late_highlight_reports_and_escalations_not_yet_heard_are_listed() {
    use crate::strategy::{HighlightReport, HighlightReportId, OverallStatus};
    let board = BodyId(Uuid::from_u128(41));
    let report = |due: IsoDate, submitted: Option<IsoDate>, escalate: bool| HighlightReport {
        partnership_id: p(),
        body_id: GROUP,
        to_body_id: board,
        period_start: day(2012, 7, 1),
        period_end: day(2012, 9, 30),
        due_on: due,
        submitted_on: submitted,
        overall: OverallStatus::AtRisk,
        progress: "Illustrative progress".into(),
        next_period: String::new(),
        risks_and_issues: String::new(),
        decisions_needed: String::new(),
        escalate,
        escalation: if escalate {
            "Illustrative: agree the funding gap".into()
        } else {
            String::new()
        },
    };
    let mut s = snapshot();
    let (late, escalating, on_time) = (
        HighlightReportId(Uuid::from_u128(70)),
        HighlightReportId(Uuid::from_u128(71)),
        HighlightReportId(Uuid::from_u128(72)),
    );
    s.highlight_reports
        .insert(late, report(day(2012, 10, 14), None, false));
    s.highlight_reports.insert(
        escalating,
        report(day(2012, 10, 14), Some(day(2013, 1, 10)), true),
    );
    s.highlight_reports
        .insert(on_time, report(day(2013, 1, 31), None, false));
    let d = dashboard(&s, p(), today());
    assert_eq!(d.late_reports, [(late, GROUP, board, day(2012, 10, 14))]);
    // No meeting of the Board is planned yet: the escalation waits for one.
    assert_eq!(d.escalations, [(escalating, None)]);
}

/// Redditch shaped as Basingstoke and Deane is (seed 003): the group reports to the Management
/// Group, which reports to the Board; an adviser advises the Management Group. The Board sets
/// the priorities, so it also sees the one no group owns.
#[test]
fn a_bodys_dashboard_holds_only_what_reports_to_it() {
    use crate::ReportingLineId;
    use crate::strategy::fixtures::highlight_report;
    use crate::strategy::{HighlightReport, HighlightReportId};
    use crate::structure::domain::{Body, BodyKind, LineKind, ReportingLine};
    let board = BodyId(Uuid::from_u128(41));
    let management = BodyId(Uuid::from_u128(42));
    let adviser = BodyId(Uuid::from_u128(43));
    let mut s = snapshot();
    for (id, name, kind) in [
        (
            GROUP,
            "Children and Young People",
            BodyKind::PriorityActionGroup,
        ),
        (board, "LSP Board", BodyKind::Board),
        (
            management,
            "LSP Management Group",
            BodyKind::ManagementGroup,
        ),
        (adviser, "Task groups", BodyKind::TaskGroup),
    ] {
        s.bodies.insert(
            id,
            Body {
                partnership_id: p(),
                name: name.into(),
                kind,
                terms_of_reference: String::new(),
            },
        );
    }
    for (n, from, to, kind) in [
        (80, GROUP, management, LineKind::ReportsTo),
        (81, management, board, LineKind::ReportsTo),
        (82, adviser, management, LineKind::Advises),
        // A cycle does no harm.
        (83, management, GROUP, LineKind::FeedsInto),
    ] {
        s.lines.insert(
            ReportingLineId(Uuid::from_u128(n)),
            ReportingLine {
                partnership_id: p(),
                from_body_id: from,
                to_body_id: to,
                kind,
                note: String::new(),
            },
        );
    }
    s.priorities.get_mut(&EDUCATION).expect("education").body_id = Some(GROUP);
    let late = HighlightReportId(Uuid::from_u128(90));
    s.highlight_reports.insert(
        late,
        HighlightReport {
            due_on: day(2012, 10, 14),
            ..highlight_report(GROUP, management, day(2012, 7, 1), day(2012, 9, 30))
        },
    );
    assert_eq!(
        overseen_by(&s, management),
        std::collections::BTreeSet::from([GROUP, management])
    );

    let titles = |d: &Dashboard| {
        d.priorities
            .iter()
            .map(|p| p.title.clone())
            .collect::<Vec<_>>()
    };
    let group = body_dashboard(&s, management, today()).expect("the Management Group");
    assert_eq!(titles(&group), ["Raising educational standards"]);
    assert_eq!(group.counts, [(TargetStatus::AtRisk, 1)]);
    assert!(group.overdue_figures.is_empty(), "obesity is the Board's");
    assert_eq!(group.overdue_actions.len(), 2);
    assert_eq!(group.late_reports.len(), 1);

    let top = body_dashboard(&s, board, today()).expect("the Board");
    assert_eq!(
        titles(&top),
        [
            "Raising educational standards",
            "Tackling health inequalities"
        ]
    );
    assert_eq!(top.counts, dashboard(&s, p(), today()).counts);
    assert_eq!(
        top.late_reports.len(),
        1,
        "the Management Group's, beneath it"
    );

    let aside = body_dashboard(&s, adviser, today()).expect("the adviser");
    assert!(aside.priorities.is_empty() && aside.overdue_actions.is_empty());
    assert!(aside.late_reports.is_empty());
    assert_eq!(
        body_dashboard(&s, BodyId(Uuid::from_u128(99)), today()),
        None
    );
}
