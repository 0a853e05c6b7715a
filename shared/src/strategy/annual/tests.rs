use uuid::Uuid;

use super::*;
use crate::domain::Body;
use crate::scrutiny::Meeting;
use crate::strategy::actions::{ActionPlan, KeyAction};
use crate::strategy::figures_csv::read_figures;
use crate::strategy::fixtures::{figure, p, priority, strategy, target};
use crate::strategy::{Figure, HighlightReport, HighlightReportId, MeasurementId};

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
const BOARD: BodyId = BodyId(Uuid::from_u128(41));
const SAFETY: BodyId = BodyId(Uuid::from_u128(42));

fn day(y: u16, m: u8, d: u8) -> IsoDate {
    IsoDate::known(y, m, d)
}

/// 2011/12, reported in 2013.
const Y2011: FinancialYear = FinancialYear(2011);

fn today() -> IsoDate {
    day(2013, 1, 15)
}

fn report(s: &Snapshot, year: FinancialYear, today: IsoDate) -> AnnualReport {
    annual_report(s, p(), year, today).unwrap_or_else(|| panic!("a report for {year:?}"))
}

fn body(name: &str, kind: BodyKind) -> Body {
    Body {
        partnership_id: p(),
        name: name.into(),
        kind,
        terms_of_reference: String::new(),
    }
}

/// Redditch (seed 004's strategy; every figure and date illustrative): the strategy before
/// (superseded, 2008 to 2011), the adopted one of 2011 to 2014 and a draft of the next; two
/// priorities; five good GCSEs measured on each side of the year's ends; the conception rate
/// measured after 2011/12 only; obesity never.
fn snapshot() -> Snapshot {
    let mut s = Snapshot::default();
    s.strategies
        .insert(OLD, strategy(2008, 2011, StrategyStatus::Superseded));
    s.strategies
        .insert(NOW, strategy(2011, 2014, StrategyStatus::Adopted));
    s.strategies
        .insert(NEXT, strategy(2014, 2017, StrategyStatus::Draft));
    s.priorities
        .insert(EDUCATION, priority(NOW, "Raising educational standards", 1));
    s.priorities
        .insert(HEALTH, priority(NOW, "Tackling health inequalities", 2));
    let mut gcse = target(EDUCATION, "NI 75", "Five good GCSEs");
    gcse.baseline = Some(Figure::known(45.0));
    gcse.baseline_on = Some(day(2011, 3, 31));
    gcse.target_value = Some(Figure::known(53.0));
    gcse.deadline = Some(day(2015, 3, 31));
    s.targets.insert(GCSE, gcse);
    let mut conceptions = target(HEALTH, "NI 112", "Under 18 conception rate");
    conceptions.polarity = crate::strategy::Polarity::LowerIsBetter;
    conceptions.target_value = Some(Figure::known(40.0));
    s.targets.insert(CONCEPTIONS, conceptions);
    s.targets
        .insert(OBESITY, target(HEALTH, "", "Obesity in Year 6"));
    for (n, t, on, value) in [
        // 2010/11's last day: before the year.
        (50, GCSE, day(2011, 3, 31), 44.0),
        // Within 2011/12: the first day and the last.
        (51, GCSE, day(2011, 4, 1), 46.0),
        (52, GCSE, day(2012, 3, 31), 46.5),
        // 2012/13's first day: the target is met, but not in 2011/12.
        (53, GCSE, day(2012, 4, 1), 54.0),
        (54, CONCEPTIONS, day(2012, 12, 31), 39.5),
    ] {
        s.measurements
            .insert(MeasurementId(Uuid::from_u128(n)), figure(t, on, value));
    }
    s.bodies.insert(
        GROUP,
        body(
            "Children and Young People's Group",
            BodyKind::PriorityActionGroup,
        ),
    );
    s.bodies
        .insert(BOARD, body("Partnership Management Board", BodyKind::Board));
    s.bodies.insert(
        SAFETY,
        body(
            "Redditch Community Safety Partnership",
            BodyKind::ThematicPartnership,
        ),
    );
    s.action_plans.insert(
        PLAN,
        ActionPlan {
            partnership_id: p(),
            body_id: GROUP,
            year: 2011,
            due_on: day(2011, 6, 30),
            provided_on: Some(day(2011, 6, 1)),
            summary: String::new(),
        },
    );
    for (n, title, due, done) in [
        // Done on the year's last day.
        (
            60,
            "Run the parents' evening",
            Some(day(2012, 3, 1)),
            Some(day(2012, 3, 31)),
        ),
        // Due on the last day, done the day after: overdue at the year's end.
        (
            61,
            "Open the homework club",
            Some(day(2012, 3, 31)),
            Some(day(2012, 4, 1)),
        ),
        // Due in the year and never done.
        (62, "Recruit mentors", Some(day(2011, 11, 30)), None),
        // Done the year before.
        (
            63,
            "Agree the plan",
            Some(day(2011, 3, 1)),
            Some(day(2011, 3, 31)),
        ),
        // Due after the year.
        (64, "Review the year", Some(day(2012, 4, 30)), None),
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

fn titles(actions: &[YearAction]) -> Vec<&str> {
    actions.iter().map(|a| a.title.as_str()).collect()
}

#[test]
fn the_year_runs_from_1_april_to_31_march_and_the_default_is_the_last_complete_one() {
    assert_eq!(FinancialYear::of(day(2012, 3, 31)), Y2011);
    assert_eq!(FinancialYear::of(day(2012, 4, 1)), FinancialYear(2012));
    assert_eq!(FinancialYear::of(day(2011, 4, 1)), Y2011);
    assert_eq!(Y2011.start(), Some(day(2011, 4, 1)));
    assert_eq!(Y2011.end(), Some(day(2012, 3, 31)));
    assert_eq!(Y2011.label(), "2011/12");
    assert_eq!(Y2011.span(), "1 April 2011 to 31 March 2012");
    assert!(Y2011.contains(day(2012, 3, 31)));
    assert!(!Y2011.contains(day(2012, 4, 1)));
    assert!(!Y2011.contains(day(2011, 3, 31)));
    // On the year's last day it is not yet complete; the day after, it is.
    assert_eq!(last_complete_year(day(2012, 3, 31)), FinancialYear(2010));
    assert_eq!(last_complete_year(day(2012, 4, 1)), Y2011);
    assert_eq!(
        annual_figures_file_name(FinancialYear(1999)),
        "annual-report-1999-00-figures.csv"
    );
}

#[test]
fn figures_and_actions_on_31_march_belong_to_the_year_and_on_1_april_to_the_next() {
    let r = report(&snapshot(), Y2011, today());
    let gcse = &r.priorities[0].targets[0];
    assert_eq!(gcse.name, "NI 75: Five good GCSEs");
    assert_eq!(
        gcse.in_year,
        [(day(2011, 4, 1), 46.0), (day(2012, 3, 31), 46.5)]
    );
    assert_eq!(titles(&r.actions_done), ["Run the parents' evening"]);
    // Due on the last day and done the day after: overdue when the year ended.
    assert_eq!(
        titles(&r.actions_overdue),
        ["Recruit mentors", "Open the homework club"]
    );
    let next = report(&snapshot(), FinancialYear(2012), today());
    assert_eq!(
        next.priorities[0].targets[0].in_year,
        [(day(2012, 4, 1), 54.0)]
    );
    assert_eq!(titles(&next.actions_done), ["Open the homework club"]);
    let before = report(&snapshot(), FinancialYear(2010), today());
    assert_eq!(titles(&before.actions_done), ["Agree the plan"]);
}

#[test]
fn a_status_is_as_at_the_year_end_and_a_later_figure_does_not_count() {
    let r = report(&snapshot(), Y2011, today());
    assert!(r.complete);
    assert_eq!(r.as_at, day(2012, 3, 31));
    let gcse = &r.priorities[0].targets[0];
    // 46.5 on 31 March 2012, a quarter of the way from 45 to 53: 47 expected, at risk. The
    // 54 of 1 April 2012 would make it achieved; it is not counted.
    assert_eq!(gcse.assessment.status, TargetStatus::AtRisk);
    assert_eq!(gcse.assessment.latest, Some((day(2012, 3, 31), 46.5)));
    assert_eq!(
        gcse.assessment.direction,
        crate::strategy::Direction::Better
    );
    assert!(
        gcse.to_year_end
            .iter()
            .all(|(on, _)| *on <= day(2012, 3, 31))
    );
    assert_eq!(gcse.to_year_end.len(), 3, "the baseline year's figure too");
    // The conception rate's only figure is after the year: not yet measured then.
    let conceptions = &r.priorities[1].targets;
    let statuses: Vec<(&str, TargetStatus)> = conceptions
        .iter()
        .map(|t| (t.title.as_str(), t.assessment.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("Obesity in Year 6", TargetStatus::NotYetMeasured),
            ("Under 18 conception rate", TargetStatus::NotYetMeasured),
        ]
    );
    assert_eq!(
        r.counts,
        [(TargetStatus::AtRisk, 1), (TargetStatus::NotYetMeasured, 2)]
    );
    // The next year, the later figure counts: achieved.
    let next = report(&snapshot(), FinancialYear(2012), today());
    assert_eq!(
        next.priorities[0].targets[0].assessment.status,
        TargetStatus::Achieved
    );
}

#[test]
fn a_year_not_yet_over_is_reported_as_at_today() {
    let r = report(&snapshot(), Y2011, day(2011, 12, 1));
    assert!(!r.complete);
    assert_eq!(r.as_at, day(2011, 12, 1));
    assert_eq!(
        r.priorities[0].targets[0].in_year,
        [(day(2011, 4, 1), 46.0)]
    );
    // Due on 30 November, not done: overdue on 1 December; nothing done yet.
    assert_eq!(titles(&r.actions_overdue), ["Recruit mentors"]);
    assert!(r.actions_done.is_empty());
    let due_today = report(&snapshot(), Y2011, day(2011, 11, 30));
    assert!(
        due_today.actions_overdue.is_empty(),
        "due today is not overdue"
    );
}

#[test]
fn an_empty_year_reports_nothing_and_invents_nothing() {
    let s = Snapshot::default();
    let r = report(&s, Y2011, today());
    assert_eq!(r.strategy, None);
    assert!(r.priorities.is_empty());
    assert!(r.counts.is_empty());
    assert!(r.actions_done.is_empty() && r.actions_overdue.is_empty());
    assert!(r.highlights.is_empty() && r.board_meetings.is_empty());
    assert!(r.funds_spent.is_empty(), "no funds are invented");
    // A year long after the strategies: none was in force.
    let later = report(&snapshot(), FinancialYear(2020), day(2022, 1, 1));
    assert_eq!(later.strategy, None);
    assert!(later.priorities.is_empty());
    assert!(later.actions_done.is_empty());
    // An action never done is still overdue when a later year ends.
    assert_eq!(
        titles(&later.actions_overdue),
        ["Recruit mentors", "Review the year"]
    );
    // Another partnership's report holds none of Redditch's records.
    let other = annual_report(&snapshot(), PartnershipId::new(9, [9; 10]), Y2011, today());
    assert!(other.is_some_and(|r| r.priorities.is_empty() && r.actions_overdue.is_empty()));
    // Beyond the dates the app holds: no report, and no crash.
    assert_eq!(annual_report(&s, p(), FinancialYear(9999), today()), None);
}

#[test]
fn the_strategy_in_force_is_adopted_or_superseded_never_a_draft() {
    let s = snapshot();
    // 2011/12 is in both the old strategy's years and the new one's: the adopted one.
    assert_eq!(strategy_in_force(&s, p(), Y2011), Some(NOW));
    assert_eq!(strategy_in_force(&s, p(), FinancialYear(2009)), Some(OLD));
    // 2015/16 is only in the draft's years: nothing was in force.
    assert_eq!(strategy_in_force(&s, p(), FinancialYear(2015)), None);
    let mut drafts_only = Snapshot::default();
    drafts_only
        .strategies
        .insert(NEXT, strategy(2011, 2014, StrategyStatus::Draft));
    drafts_only
        .strategies
        .insert(OLD, strategy(2011, 2014, StrategyStatus::PreScrutiny));
    assert_eq!(strategy_in_force(&drafts_only, p(), Y2011), None);
    assert_eq!(report(&drafts_only, Y2011, today()).strategy, None);
    // The chooser starts at the first strategy in force, not the draft's years.
    let years = report_years(&s, p(), day(2013, 1, 15));
    assert_eq!(years.first(), Some(&FinancialYear(2012)));
    assert_eq!(years.last(), Some(&FinancialYear(2008)));
    assert_eq!(
        report_years(&Snapshot::default(), p(), day(2013, 1, 15)),
        [FinancialYear(2012), FinancialYear(2011)]
    );
}

/// The public's snapshot: what the server lets anyone read. A draft strategy and everything
/// under it, and every highlight report, reach members only.
fn as_the_public_sees_it(mut s: Snapshot) -> Snapshot {
    use crate::Record;
    use crate::accounts::Access;
    let drafts: Vec<StrategyId> = s
        .strategies
        .iter()
        .filter(|(_, st)| st.read_access() != Access::Public)
        .map(|(id, _)| *id)
        .collect();
    s.strategies.retain(|id, _| !drafts.contains(id));
    s.priorities
        .retain(|_, pr| !drafts.contains(&pr.strategy_id));
    assert_eq!(HighlightReport::READ, Access::Member);
    s.highlight_reports.clear();
    s
}

#[test]
fn the_publics_report_has_no_draft_strategy_and_no_highlight_reports() {
    let mut s = snapshot();
    // The adopted strategy is withdrawn to a draft of the same years.
    if let Some(mut st) = s.strategies.get_mut(&NOW) {
        st.status = StrategyStatus::Draft;
    }
    s.highlight_reports.insert(
        HighlightReportId(Uuid::from_u128(70)),
        highlight(SAFETY, day(2011, 6, 30), Some(day(2011, 7, 12)), true),
    );
    // Members: no draft is reported as in force, but the old strategy's last year is.
    let members = report(&s, Y2011, today());
    assert_eq!(members.strategy, Some(OLD));
    assert_eq!(members.highlights.len(), 1);
    let public = report(&as_the_public_sees_it(s), Y2011, today());
    assert_eq!(public.strategy, Some(OLD));
    assert!(
        public.priorities.is_empty(),
        "the old strategy has none here"
    );
    assert!(public.highlights.is_empty());
}

fn highlight(
    body: BodyId,
    end: IsoDate,
    submitted: Option<IsoDate>,
    escalate: bool,
) -> HighlightReport {
    HighlightReport {
        partnership_id: p(),
        body_id: body,
        to_body_id: BOARD,
        period_start: end
            .add_months(-3)
            .and_then(|d| d.add_days(1))
            .unwrap_or(end),
        period_end: end,
        due_on: end.add_days(14).unwrap_or(end),
        submitted_on: submitted,
        overall: if escalate {
            OverallStatus::OffTrack
        } else {
            OverallStatus::AtRisk
        },
        progress: "Illustrative progress".into(),
        next_period: String::new(),
        risks_and_issues: String::new(),
        decisions_needed: String::new(),
        escalate,
        escalation: if escalate {
            "Illustrative: ask the police for the figures".into()
        } else {
            String::new()
        },
    }
}

#[test]
fn highlight_reports_of_the_year_are_summarised_per_body() {
    let mut s = snapshot();
    for (n, b, end, submitted, escalate) in [
        // The year before: not counted.
        (70, SAFETY, day(2011, 3, 31), Some(day(2011, 4, 10)), true),
        (71, SAFETY, day(2011, 6, 30), Some(day(2011, 7, 12)), true),
        (72, SAFETY, day(2011, 9, 30), Some(day(2011, 10, 10)), false),
        (73, SAFETY, day(2011, 12, 31), None, false),
        // The last quarter, submitted after the year: counted.
        (74, GROUP, day(2012, 3, 31), Some(day(2012, 4, 10)), false),
        // The next year's first quarter: not counted.
        (75, GROUP, day(2012, 6, 30), Some(day(2012, 7, 10)), true),
    ] {
        s.highlight_reports.insert(
            HighlightReportId(Uuid::from_u128(n)),
            highlight(b, end, submitted, escalate),
        );
    }
    let r = report(&s, Y2011, today());
    assert_eq!(
        r.highlights,
        [
            BodyHighlights {
                body: GROUP,
                submitted: 1,
                not_submitted: 0,
                latest: Some((OverallStatus::AtRisk, day(2012, 3, 31))),
                escalations: 0,
            },
            BodyHighlights {
                body: SAFETY,
                submitted: 2,
                not_submitted: 1,
                latest: Some((OverallStatus::AtRisk, day(2011, 9, 30))),
                escalations: 1,
            },
        ]
    );
}

#[test]
fn the_boards_meetings_held_in_the_year_are_listed() {
    let mut s = snapshot();
    let meeting = |body: BodyId, date: IsoDate, status: MeetingStatus| Meeting {
        partnership_id: p(),
        body_id: Some(body),
        council_id: None,
        committee: String::new(),
        date,
        time: String::new(),
        venue: String::new(),
        status,
        note: "Illustrative date".into(),
    };
    for (n, b, date, status) in [
        (80, BOARD, day(2011, 4, 1), MeetingStatus::Held),
        (81, BOARD, day(2011, 7, 19), MeetingStatus::Cancelled),
        (82, BOARD, day(2012, 3, 31), MeetingStatus::Held),
        (83, BOARD, day(2012, 4, 1), MeetingStatus::Held),
        (84, GROUP, day(2011, 9, 20), MeetingStatus::Held),
    ] {
        s.meetings
            .insert(MeetingId(Uuid::from_u128(n)), meeting(b, date, status));
    }
    let r = report(&s, Y2011, today());
    assert_eq!(
        r.board_meetings,
        [
            (MeetingId(Uuid::from_u128(80)), BOARD, day(2011, 4, 1)),
            (MeetingId(Uuid::from_u128(82)), BOARD, day(2012, 3, 31)),
        ]
    );
}

#[test]
fn the_years_figures_file_has_the_figures_columns_and_reads_back_unchanged() {
    let s = snapshot();
    let r = report(&s, Y2011, today());
    let csv = annual_figures_csv(&s, &r);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "target_id,code,target,unit,date,value,note,priority,status_at_year_end"
    );
    assert_eq!(
        lines[1],
        format!(
            "{GCSE},NI 75,Five good GCSEs,%,2011-04-01,46,Illustrative figure,Raising educational standards,At risk"
        )
    );
    assert!(lines[2].contains(",2012-03-31,46.5,"), "{}", lines[2]);
    // Not the figures of the years either side.
    assert!(!csv.contains("2011-03-31") && !csv.contains("2012-04-01"));
    // A target with no figure in the year has a row to show its status, with no figure.
    assert!(
        lines
            .iter()
            .any(|l| l.contains(",Under 18 conception rate,")
                && l.ends_with(",,,Tackling health inequalities,Not yet measured")),
        "{csv}"
    );
    assert_eq!(lines.len(), 1 + 2 + 2);
    // Imported on the strategy page, it changes nothing.
    let read = read_figures(&s, NOW, &csv).unwrap_or_default();
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    assert!(read.changes.is_empty(), "{:?}", read.changes);
    assert_eq!((read.unchanged, read.blank), (2, 2));
}

#[test]
fn a_year_is_read_as_an_address_or_a_person_writes_it() {
    for text in ["2011", " 2011 ", "2011-12", "2011/12", "2011-2012"] {
        assert_eq!(FinancialYear::parse(text), Some(Y2011), "{text}");
    }
    assert_eq!(FinancialYear::parse("2099/00"), Some(FinancialYear(2099)));
    for text in [
        "",
        "11",
        "2011-13",
        "2011/2013",
        "1999",
        "2101",
        "２０１１",
        "2011-",
        "x",
    ] {
        assert_eq!(FinancialYear::parse(text), None, "{text}");
    }
}

mod text_input {
    use super::FinancialYear;
    use crate::test_text::{config, text};
    use proptest::prelude::{prop_assert, proptest};

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn any_typed_year_is_read_or_refused_without_a_crash(input in text(12)) {
            if let Some(year) = FinancialYear::parse(&input) {
                prop_assert!((2000..=2100).contains(&year.0));
                prop_assert!(FinancialYear::parse(&year.0.to_string()) == Some(year));
            }
        }
    }
}
