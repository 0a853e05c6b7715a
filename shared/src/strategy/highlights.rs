//! Highlight reports: a body's regular report for a period to the body it reports to (a
//! Priority Action Group to the Management Group, the Management Group to the Board), with
//! its overall status, what it did since the last report, what comes next, its risks and
//! issues, the decisions it needs, and an **escalation** that puts an item on the receiving
//! body's next agenda.
//!
//! A lead writes only the narrative. The figures are never typed: [`report_figures`] pulls
//! them from the snapshot for the report's period (the body's priorities' targets, assessed
//! as they stood at the period's end, and its key actions done, overdue and due next), and
//! [`suggested_overall`] suggests the overall status from them.
//!
//! # Who reads and writes them
//! A report is written by group leads ([`Access::Lead`]) and managers, like action plans.
//! It is read by the partnership's **members** ([`Access::Member`]: councillors, leads,
//! managers), never the public: it is the partnership's internal account of how its work is
//! going, with frank risks and decisions asked of another body, in the way Board papers go
//! to members. What the public sees of performance is the strategy's targets and statuses.
//!
//! # The rules
//! - **Receiving body** ([`receiving_body`]): the body the reporting body's line leads to: a
//!   "reports to" line first, then "reports annually to", then "feeds into"; a body that
//!   only advises has none. It is a default on the form; the report stores the body chosen.
//! - **Overall status** ([`suggested_overall`]): the worst computed status of the body's
//!   targets at the period's end: any off track makes it off track; otherwise any at risk
//!   makes it at risk; otherwise on track (achieved counts as on track). Targets not yet
//!   measured, or with nothing to compare, do not count; with none that counts, the
//!   suggestion is on track and says there was nothing to judge by. A status set by hand on
//!   a target is not used: the suggestion follows the figures. The lead may choose another.
//! - **Period** ([`default_period`]): the period after the body's last report, as long as it
//!   (whole months stay whole months: quarterly reports stay on quarters); with no earlier
//!   report, the council quarter (April to June, July to September, October to December,
//!   January to March) that holds today. **Due** by default [`DUE_AFTER_DAYS`] days after
//!   the period ends.
//! - **Due, late and received** ([`reports_to`]): for the receiving body, a report submitted
//!   is received; one not submitted is late once its due date has passed, and due until then.
//! - **Escalations** ([`escalation_meeting`], [`escalations_to`]): a submitted report that
//!   escalates reaches the receiving body's first meeting (not cancelled) held after the day
//!   it was submitted (a report submitted on the day of a meeting is too late for its
//!   papers), and only that meeting: it is not carried to a later one.

use serde::{Deserialize, Serialize};

use crate::accounts::Access;
use crate::date::IsoDate;
use crate::domain::LineKind;
use crate::entity::{Record, RefField};
use crate::ids::{BodyId, PartnershipId, define_id};
use crate::replica::Snapshot;
use crate::scrutiny::{MeetingId, MeetingStatus};
use crate::structure::domain::labelled_enum;
use crate::validate::{Errors, FieldError, Validate};

use super::actions::KeyActionId;
use super::records::{PriorityId, TargetId, TargetStatus, format_figure};
use super::status::assess;
use crate::order::{sort_by, sort_by_key};
use crate::text::fold_case;

define_id!(
    /// A body's highlight report for one period.
    HighlightReportId
);

/// How many days after its period ends a report is due, by default.
pub const DUE_AFTER_DAYS: i64 = 14;

labelled_enum! {
    /// How the reporting body says its work stands overall.
    pub enum OverallStatus {
        OnTrack => ("On track", "The work is going to plan."),
        AtRisk => ("At risk", "Some of the work is behind, but the group expects to recover it."),
        OffTrack => ("Off track", "The work is behind and needs help or a decision to recover."),
    }
}

/// A body's report for a period to the body it reports to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HighlightReport {
    pub partnership_id: PartnershipId,
    /// The body reporting. A plain id, not a reference: deleting the body keeps its reports.
    pub body_id: BodyId,
    /// The body receiving it (by default, the one its reporting line leads to). A plain id.
    pub to_body_id: BodyId,
    /// The period reported on, first and last day.
    pub period_start: IsoDate,
    pub period_end: IsoDate,
    pub due_on: IsoDate,
    /// The day it was submitted; none while it is a draft.
    #[serde(default)]
    pub submitted_on: Option<IsoDate>,
    pub overall: OverallStatus,
    /// Progress since the last report.
    #[serde(default)]
    pub progress: String,
    /// What comes in the next period.
    #[serde(default)]
    pub next_period: String,
    #[serde(default)]
    pub risks_and_issues: String,
    #[serde(default)]
    pub decisions_needed: String,
    /// Whether an item goes on the receiving body's next agenda.
    #[serde(default)]
    pub escalate: bool,
    /// What is escalated, and what the receiving body is asked to do.
    #[serde(default)]
    pub escalation: String,
}

impl Record for HighlightReport {
    type Id = HighlightReportId;
    const WIRE_NAME: &'static str = "highlight_report";
    const NOUN: &'static str = "highlight report";
    const PLURAL: &'static str = "highlight reports";
    // The two bodies are plain ids, not references (see the fields).
    const REFERENCES: &'static [RefField<Self>] =
        &[RefField::partnership(|r| Some(r.partnership_id.0))];
    /// The partnership's members read it, never the public (see the module docs).
    const READ: Access = Access::Member;
    const WRITE: Access = Access::Lead;
}

impl HighlightReport {
    /// Whether it has been submitted (else it is a draft).
    pub fn is_submitted(&self) -> bool {
        self.submitted_on.is_some()
    }

    /// Whether it was submitted after its due date.
    pub fn submitted_late(&self) -> bool {
        self.submitted_on.is_some_and(|on| on > self.due_on)
    }

    /// "1 April 2011 to 30 June 2011".
    pub fn period_label(&self) -> String {
        format!("{} to {}", self.period_start.long(), self.period_end.long())
    }

    /// Whether its escalation stands: it escalates and has been submitted.
    pub fn escalation_stands(&self) -> bool {
        self.escalate && self.is_submitted()
    }
}

impl Validate for HighlightReport {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        if self.to_body_id == self.body_id {
            e.0.push(FieldError::new(
                "to_body_id",
                "Choose the body the report goes to: a body cannot report to itself",
            ));
        }
        if self.period_end <= self.period_start {
            e.0.push(FieldError::new(
                "period_end",
                "The end of the period must be after its start",
            ));
        }
        if self.due_on < self.period_start {
            e.0.push(FieldError::new(
                "due_on",
                "The due date must be on or after the start of the period",
            ));
        }
        if let Some(on) = self.submitted_on
            && on < self.period_start
        {
            e.0.push(FieldError::new(
                "submitted_on",
                "The date submitted must be on or after the start of the period",
            ));
        }
        if self.is_submitted() && self.progress.trim().is_empty() {
            e.0.push(FieldError::new(
                "progress",
                "Enter the progress since the last report, or leave the date submitted empty to keep it as a draft",
            ));
        }
        e.text(
            "progress",
            &self.progress,
            "the progress since the last report",
        );
        e.text(
            "next_period",
            &self.next_period,
            "the plans for the next period",
        );
        e.text(
            "risks_and_issues",
            &self.risks_and_issues,
            "the risks and issues",
        );
        e.text(
            "decisions_needed",
            &self.decisions_needed,
            "the decisions needed",
        );
        match (self.escalate, self.escalation.trim().is_empty()) {
            (true, true) => e.0.push(FieldError::new(
                "escalation",
                "Enter what you are escalating and what you need the receiving body to do",
            )),
            (false, false) => e.0.push(FieldError::new(
                "escalation",
                "Tick “Escalate to the next meeting” to put this on the agenda, or remove the escalation text",
            )),
            _ => e.text("escalation", &self.escalation, "the escalation"),
        }
        e.finish()
    }
}

// --- defaults ---------------------------------------------------------------------------

/// The body that `body`'s reporting line leads to: a "reports to" line first, then "reports
/// annually to", then "feeds into" (the first by the receiving body's name); none when it only
/// advises or has no line.
pub fn receiving_body(s: &Snapshot, body: BodyId) -> Option<BodyId> {
    let rank = |k: LineKind| match k {
        LineKind::ReportsTo => Some(0),
        LineKind::ReportsAnnuallyTo => Some(1),
        LineKind::FeedsInto => Some(2),
        LineKind::Advises => None,
    };
    s.lines_from(body)
        .into_iter()
        .filter(|(_, l)| l.to_body_id != body)
        .filter_map(|(_, l)| rank(l.kind).map(|r| (r, l.to_body_id)))
        // Stable: within a rank, the lines stay in the receiving body's name order.
        .min_by_key(|(r, _)| *r)
        .map(|(_, b)| b)
}

/// The period after `start`..=`end`, as long as it: whole months stay whole months (a
/// quarter is followed by the next quarter), otherwise the same number of days. `None` only
/// past the end of the calendar.
pub fn next_period(start: IsoDate, end: IsoDate) -> Option<(IsoDate, IsoDate)> {
    let next_start = end.add_days(1)?;
    let months = whole_months(start, next_start);
    let next_end = match months {
        Some(m) => next_start.add_months(m)?.add_days(-1)?,
        None => next_start.add_days(start.days_until(end).max(0))?,
    };
    Some((next_start, next_end))
}

/// The number of whole months from `start` to `after_end` (both the first of a month), if
/// that is what they are.
fn whole_months(start: IsoDate, after_end: IsoDate) -> Option<i32> {
    if start.day() != 1 || after_end.day() != 1 {
        return None;
    }
    let index = |d: IsoDate| i64::from(d.year()) * 12 + i64::from(d.month());
    let m = index(after_end) - index(start);
    (m > 0).then(|| i32::try_from(m).ok()).flatten()
}

/// The council quarter that holds `day`: April to June, July to September, October to
/// December, January to March.
pub fn quarter_of(day: IsoDate) -> Option<(IsoDate, IsoDate)> {
    let first_month = (day.month() - 1) / 3 * 3 + 1;
    let start = IsoDate::new(day.year(), first_month, 1)?;
    let end = start.add_months(3)?.add_days(-1)?;
    Some((start, end))
}

/// The default period of a new report by `body`: after its latest report (see
/// [`next_period`]), or the quarter that holds `today`.
pub fn default_period(s: &Snapshot, body: BodyId, today: IsoDate) -> Option<(IsoDate, IsoDate)> {
    match reports_of(s, body).first() {
        Some((_, last)) => next_period(last.period_start, last.period_end),
        None => quarter_of(today),
    }
}

/// The default due date of a report for a period ending on `end`.
pub fn default_due(end: IsoDate) -> Option<IsoDate> {
    end.add_days(DUE_AFTER_DAYS)
}

// --- the figures ------------------------------------------------------------------------

/// One of the body's targets as it stood at the end of the period.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetFigure {
    pub priority_id: PriorityId,
    pub priority: String,
    pub target_id: TargetId,
    pub name: String,
    /// Its National Indicator or LAA code, or empty.
    pub code: String,
    /// The latest figure by the period's end, with its unit, and its date.
    pub latest: Option<(String, IsoDate)>,
    pub status: TargetStatus,
    /// The status rule's sentence.
    pub sentence: String,
}

/// One of the body's key actions, for the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionFigure {
    pub id: KeyActionId,
    /// The plan it belongs to, whose page lists it.
    pub action_plan_id: super::ActionPlanId,
    pub title: String,
    pub due_on: Option<IsoDate>,
    pub completed_on: Option<IsoDate>,
}

/// What a report shows beside its narrative, pulled from the data (never typed).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportFigures {
    /// The body's priorities' targets, by priority then target name.
    pub targets: Vec<TargetFigure>,
    /// Key actions completed within the period.
    pub done: Vec<ActionFigure>,
    /// Key actions due before the period's end and not done by then.
    pub overdue: Vec<ActionFigure>,
    /// Key actions not done by the period's end and due within the next period.
    pub due_next: Vec<ActionFigure>,
    /// The next period, as [`next_period`] reckons it.
    pub next_period: Option<(IsoDate, IsoDate)>,
}

/// The figures of a report by `body` for `start`..=`end`, as the snapshot stood at `end`:
/// the targets of the priorities it owns in strategies whose years overlap the period, each
/// assessed by the status rule with the figures dated on or before `end` (and `end` as
/// today), and the key actions of its action plans.
pub fn report_figures(s: &Snapshot, body: BodyId, start: IsoDate, end: IsoDate) -> ReportFigures {
    let mut figures = ReportFigures {
        next_period: next_period(start, end),
        ..ReportFigures::default()
    };
    let years = start.year()..=end.year();
    for (pid, priority) in s.priorities_owned_by(body) {
        let current = s.strategies.get(&priority.strategy_id).is_some_and(|st| {
            u32::from(st.first_year) <= *years.end() && u32::from(st.last_year) >= *years.start()
        });
        if !current {
            continue;
        }
        for (tid, target) in s.targets_of(pid) {
            let upto: Vec<(IsoDate, f64)> = super::figures_of(s, tid)
                .into_iter()
                .filter(|(on, _)| *on <= end)
                .collect();
            let a = assess(target, &upto, end);
            figures.targets.push(TargetFigure {
                priority_id: pid,
                priority: priority.title.clone(),
                target_id: tid,
                name: target.name.clone(),
                code: target.code.clone(),
                latest: a.latest.map(|(on, v)| (format_figure(v, &target.unit), on)),
                status: a.status,
                sentence: a.sentence,
            });
        }
    }
    let next_end = figures.next_period.map(|(_, e)| e);
    let mut actions: Vec<(KeyActionId, &super::KeyAction)> = s
        .key_actions
        .iter()
        .filter(|(_, a)| {
            s.action_plans
                .get(&a.action_plan_id)
                .is_some_and(|p| p.body_id == body)
        })
        .map(|(id, a)| (*id, a))
        .collect();
    sort_by(&mut actions, |a, b| {
        (a.1.due_on, fold_case(&a.1.title), a.0).cmp(&(b.1.due_on, fold_case(&b.1.title), b.0))
    });
    for (id, a) in actions {
        let figure = ActionFigure {
            id,
            action_plan_id: a.action_plan_id,
            title: a.title.clone(),
            due_on: a.due_on,
            completed_on: a.completed_on,
        };
        let done_by_end = a.completed_on.is_some_and(|c| c <= end);
        if a.completed_on.is_some_and(|c| c >= start && c <= end) {
            figures.done.push(figure);
        } else if done_by_end {
            continue;
        } else if a.due_on.is_some_and(|d| d < end) {
            figures.overdue.push(figure);
        } else if a.due_on.is_some_and(|d| next_end.is_some_and(|n| d <= n)) {
            figures.due_next.push(figure);
        }
    }
    figures
}

/// The overall status the figures suggest, with a sentence saying why (the rule is in the
/// module docs).
pub fn suggested_overall(figures: &ReportFigures) -> (OverallStatus, String) {
    let named = |status: TargetStatus| -> Vec<&str> {
        figures
            .targets
            .iter()
            .filter(|t| t.status == status)
            .map(|t| t.name.as_str())
            .collect()
    };
    let off = named(TargetStatus::OffTrack);
    let risk = named(TargetStatus::AtRisk);
    let good = figures
        .targets
        .iter()
        .filter(|t| matches!(t.status, TargetStatus::OnTrack | TargetStatus::Achieved))
        .count();
    let list = |names: &[&str]| {
        let n = names.len();
        let noun = if n == 1 { "target is" } else { "targets are" };
        format!("{n} {noun}")
    };
    if !off.is_empty() {
        (
            OverallStatus::OffTrack,
            format!("{} off track: {}", list(&off), off.join("; ")),
        )
    } else if !risk.is_empty() {
        (
            OverallStatus::AtRisk,
            format!("{} at risk: {}", list(&risk), risk.join("; ")),
        )
    } else if good > 0 {
        let all = if good == 1 {
            "The 1 target with figures is on track or achieved".to_owned()
        } else {
            format!("All {good} targets with figures are on track or achieved")
        };
        (OverallStatus::OnTrack, all)
    } else {
        (
            OverallStatus::OnTrack,
            "No target had a figure to judge by at the end of the period, so this is only a \
             starting point: choose the status that fits"
                .to_owned(),
        )
    }
}

// --- queries ----------------------------------------------------------------------------

/// A body's own reports, the latest period first.
pub fn reports_of(s: &Snapshot, body: BodyId) -> Vec<(HighlightReportId, &HighlightReport)> {
    let mut v: Vec<_> = s
        .highlight_reports
        .iter()
        .filter(|(_, r)| r.body_id == body)
        .map(|(id, r)| (*id, r))
        .collect();
    sort_by(&mut v, |a, b| {
        (b.1.period_end, b.1.period_start, b.0).cmp(&(a.1.period_end, a.1.period_start, a.0))
    });
    v
}

/// The reports a receiving body expects, as it stands on a day.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportsReceived<'a> {
    /// Not submitted, due today or later: the soonest due first.
    pub due: Vec<(HighlightReportId, &'a HighlightReport)>,
    /// Not submitted and past their due date: the longest overdue first.
    pub late: Vec<(HighlightReportId, &'a HighlightReport)>,
    /// Submitted: the latest submitted first.
    pub received: Vec<(HighlightReportId, &'a HighlightReport)>,
}

/// The reports to `body` on `today`, split into due, late and received.
pub fn reports_to(s: &Snapshot, body: BodyId, today: IsoDate) -> ReportsReceived<'_> {
    let mut out = ReportsReceived::default();
    for (id, r) in &s.highlight_reports {
        if r.to_body_id != body {
            continue;
        }
        let entry = (*id, r);
        match r.submitted_on {
            Some(_) => out.received.push(entry),
            None if r.due_on < today => out.late.push(entry),
            None => out.due.push(entry),
        }
    }
    sort_by_key(&mut out.due, |(id, r)| (r.due_on, *id));
    sort_by_key(&mut out.late, |(id, r)| (r.due_on, *id));
    sort_by_key(&mut out.received, |(id, r)| {
        (std::cmp::Reverse((r.submitted_on, r.period_end)), *id)
    });
    out
}

/// The meeting an escalating report reaches: the receiving body's first meeting, not
/// cancelled, after the day it was submitted. `None` for a draft, a report that does not
/// escalate, or when no such meeting is planned yet.
pub fn escalation_meeting(s: &Snapshot, report: &HighlightReport) -> Option<MeetingId> {
    let submitted = report.submitted_on.filter(|_| report.escalate)?;
    s.meetings
        .iter()
        .filter(|(_, m)| {
            m.body_id == Some(report.to_body_id)
                && m.status != MeetingStatus::Cancelled
                && m.date > submitted
        })
        .min_by(|a, b| (a.1.date, &a.1.time, a.0).cmp(&(b.1.date, &b.1.time, b.0)))
        .map(|(id, _)| *id)
}

/// The escalations that reach `meeting` (see [`escalation_meeting`]), the earliest
/// submitted first.
pub fn escalations_to(
    s: &Snapshot,
    meeting: MeetingId,
) -> Vec<(HighlightReportId, &HighlightReport)> {
    let Some(body) = s.meetings.get(&meeting).and_then(|m| m.body_id) else {
        return Vec::new();
    };
    let mut v: Vec<_> = s
        .highlight_reports
        .iter()
        .filter(|(_, r)| r.to_body_id == body && r.escalation_stands())
        .filter(|(_, r)| escalation_meeting(s, r) == Some(meeting))
        .map(|(id, r)| (*id, r))
        .collect();
    sort_by_key(&mut v, |(id, r)| (r.submitted_on, *id));
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ReportingLine;
    use crate::ids::{ReportingLineId, uuid_v7};
    use crate::scrutiny::Meeting;
    use crate::strategy::{
        ActionPlan, ActionPlanId, Figure, Frequency, KeyAction, Measurement, MeasurementId,
        Milestone, Polarity, Priority, Strategy, StrategyId, StrategyStatus, Target,
    };
    use proptest::prelude::{prop_assert, prop_assert_eq, proptest};

    fn date(s: &str) -> IsoDate {
        IsoDate::parse(s).expect("a date")
    }

    fn pid() -> PartnershipId {
        PartnershipId::new(1, [1; 10])
    }

    /// A Priority Action Group (seed 003's Children and Young People) and the Management
    /// Group it reports to.
    fn group() -> BodyId {
        BodyId::new(4, [4; 10])
    }
    fn management() -> BodyId {
        BodyId::new(3, [3; 10])
    }

    fn report() -> HighlightReport {
        HighlightReport {
            partnership_id: pid(),
            body_id: group(),
            to_body_id: management(),
            period_start: date("2011-04-01"),
            period_end: date("2011-06-30"),
            due_on: date("2011-07-14"),
            submitted_on: None,
            overall: OverallStatus::OnTrack,
            progress: String::new(),
            next_period: String::new(),
            risks_and_issues: String::new(),
            decisions_needed: String::new(),
            escalate: false,
            escalation: String::new(),
        }
    }

    fn fields(r: &HighlightReport) -> Vec<String> {
        r.validate()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_report_is_the_members_and_written_by_leads() {
        assert_eq!(HighlightReport::READ, Access::Member);
        assert_eq!(HighlightReport::WRITE, Access::Lead);
        assert_eq!(report().read_access(), Access::Member);
    }

    #[test]
    fn a_period_runs_forwards_and_a_body_does_not_report_to_itself() {
        assert_eq!(report().validate(), Ok(()));
        let backwards = HighlightReport {
            period_end: date("2011-04-01"),
            ..report()
        };
        assert_eq!(fields(&backwards), ["period_end"]);
        let itself = HighlightReport {
            to_body_id: group(),
            ..report()
        };
        assert_eq!(fields(&itself), ["to_body_id"]);
        let early_due = HighlightReport {
            due_on: date("2011-03-31"),
            ..report()
        };
        assert_eq!(fields(&early_due), ["due_on"]);
    }

    #[test]
    fn a_submitted_report_says_what_progress_was_made() {
        let submitted = HighlightReport {
            submitted_on: Some(date("2011-07-10")),
            ..report()
        };
        let errors = submitted.validate().err().unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "progress");
        assert!(errors[0].message.starts_with("Enter the progress"));
        let written = HighlightReport {
            progress: "Illustrative: two schools joined the mentoring scheme.".into(),
            ..submitted
        };
        assert_eq!(written.validate(), Ok(()));
        assert!(!written.submitted_late());
        let late = HighlightReport {
            submitted_on: Some(date("2011-07-20")),
            ..written
        };
        assert!(late.submitted_late());
    }

    #[test]
    fn an_escalation_needs_its_text_and_text_needs_the_tick() {
        let ticked = HighlightReport {
            escalate: true,
            ..report()
        };
        let errors = ticked.validate().err().unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "escalation");
        assert_eq!(
            errors[0].message,
            "Enter what you are escalating and what you need the receiving body to do"
        );
        let unticked = HighlightReport {
            escalation: "Illustrative: the Board to agree funding.".into(),
            ..report()
        };
        assert_eq!(fields(&unticked), ["escalation"]);
        let both = HighlightReport {
            escalate: true,
            ..unticked
        };
        assert_eq!(both.validate(), Ok(()));
    }

    fn line(from: BodyId, to: BodyId, kind: LineKind, n: u8) -> (ReportingLineId, ReportingLine) {
        (
            ReportingLineId(uuid_v7(100 + u64::from(n), [n; 10])),
            ReportingLine {
                partnership_id: pid(),
                from_body_id: from,
                to_body_id: to,
                kind,
                note: String::new(),
            },
        )
    }

    #[test]
    fn the_receiving_body_is_where_the_reporting_line_leads() {
        let board = BodyId::new(5, [5; 10]);
        let mut s = Snapshot::default();
        assert_eq!(receiving_body(&s, group()), None);
        let (id, l) = line(group(), board, LineKind::Advises, 1);
        s.lines.insert(id, l);
        assert_eq!(
            receiving_body(&s, group()),
            None,
            "advising is not reporting"
        );
        let (id, l) = line(group(), board, LineKind::FeedsInto, 2);
        s.lines.insert(id, l);
        assert_eq!(receiving_body(&s, group()), Some(board));
        let (id, l) = line(group(), management(), LineKind::ReportsTo, 3);
        s.lines.insert(id, l);
        assert_eq!(receiving_body(&s, group()), Some(management()));
    }

    #[test]
    fn the_next_period_follows_quarters_or_counts_days() {
        assert_eq!(
            next_period(date("2011-04-01"), date("2011-06-30")),
            Some((date("2011-07-01"), date("2011-09-30")))
        );
        assert_eq!(
            next_period(date("2011-10-01"), date("2011-12-31")),
            Some((date("2012-01-01"), date("2012-03-31")))
        );
        assert_eq!(
            next_period(date("2011-01-01"), date("2011-01-31")),
            Some((date("2011-02-01"), date("2011-02-28")))
        );
        assert_eq!(
            next_period(date("2011-04-05"), date("2011-04-18")),
            Some((date("2011-04-19"), date("2011-05-02")))
        );
        assert_eq!(
            quarter_of(date("2011-05-17")),
            Some((date("2011-04-01"), date("2011-06-30")))
        );
        assert_eq!(
            quarter_of(date("2012-02-29")),
            Some((date("2012-01-01"), date("2012-03-31")))
        );
        assert_eq!(default_due(date("2011-06-30")), Some(date("2011-07-14")));
    }

    #[test]
    fn a_new_report_follows_the_last_one_or_takes_todays_quarter() {
        let mut s = Snapshot::default();
        assert_eq!(
            default_period(&s, group(), date("2011-08-02")),
            Some((date("2011-07-01"), date("2011-09-30")))
        );
        s.highlight_reports
            .insert(HighlightReportId::new(20, [20; 10]), report());
        assert_eq!(
            default_period(&s, group(), date("2012-08-02")),
            Some((date("2011-07-01"), date("2011-09-30")))
        );
    }

    /// The demo's shape: Redditch's 2011 to 2014 strategy, a priority owned by the group
    /// with one target (NI 75, illustrative figures), and its action plan.
    fn strategy_snapshot() -> Snapshot {
        let mut s = Snapshot::default();
        let strategy = StrategyId::new(9, [9; 10]);
        s.strategies.insert(
            strategy,
            Strategy {
                partnership_id: pid(),
                title: "Redditch Sustainable Community Strategy".into(),
                first_year: 2011,
                last_year: 2014,
                vision: String::new(),
                status: StrategyStatus::Adopted,
                drafted_on: None,
                pre_scrutiny_on: None,
                adopted_on: None,
                superseded_on: None,
            },
        );
        let priority = PriorityId::new(10, [10; 10]);
        s.priorities.insert(
            priority,
            Priority {
                partnership_id: pid(),
                strategy_id: strategy,
                title: "Raising educational standards".into(),
                description: String::new(),
                body_id: Some(group()),
                lead_organisation_ids: Vec::new(),
                position: 1,
                resident_theme: None,
                dovetails_with: Vec::new(),
            },
        );
        let target = TargetId::new(11, [11; 10]);
        s.targets.insert(
            target,
            Target {
                partnership_id: pid(),
                priority_id: priority,
                name: "Five good GCSEs".into(),
                code: "NI 75".into(),
                unit: "%".into(),
                polarity: Polarity::HigherIsBetter,
                baseline: Some(Figure::known(48.0)),
                baseline_on: Some(date("2010-08-31")),
                target_value: Some(Figure::known(56.0)),
                deadline: Some(date("2014-08-31")),
                milestones: vec![Milestone {
                    on: date("2011-06-30"),
                    value: Figure::known(50.0),
                }],
                tolerance_percent: Figure::known(5.0),
                source: String::new(),
                frequency: Frequency::Quarterly,
                owner_id: None,
                laa: false,
                status_override: None,
                override_reason: String::new(),
            },
        );
        for (n, on, value) in [(1u8, "2011-06-30", 49.0), (2, "2011-09-30", 40.0)] {
            s.measurements.insert(
                MeasurementId::new(30 + u64::from(n), [n; 10]),
                Measurement {
                    partnership_id: pid(),
                    target_id: target,
                    on: date(on),
                    value: Figure::known(value),
                    note: String::new(),
                },
            );
        }
        let plan = ActionPlanId::new(15, [15; 10]);
        s.action_plans.insert(
            plan,
            ActionPlan {
                partnership_id: pid(),
                body_id: group(),
                year: 2011,
                due_on: date("2011-06-30"),
                provided_on: None,
                summary: String::new(),
            },
        );
        for (n, title, due, done) in [
            (
                1u8,
                "Mentoring scheme",
                Some("2011-05-31"),
                Some("2011-05-20"),
            ),
            (2, "Homework clubs", Some("2011-06-15"), None),
            (3, "Parents' evenings", Some("2011-08-31"), None),
            (4, "Reading champions", Some("2012-03-31"), None),
            (
                5,
                "Last year's audit",
                Some("2011-03-01"),
                Some("2011-03-01"),
            ),
        ] {
            s.key_actions.insert(
                KeyActionId::new(40 + u64::from(n), [n; 10]),
                KeyAction {
                    partnership_id: pid(),
                    action_plan_id: plan,
                    title: title.into(),
                    description: String::new(),
                    lead_organisation_id: None,
                    due_on: due.map(date),
                    completed_on: done.map(date),
                    progress: String::new(),
                    priority_ids: vec![priority],
                    target_ids: vec![target],
                },
            );
        }
        s
    }

    #[test]
    fn the_figures_are_pulled_as_they_stood_at_the_end_of_the_period() {
        let s = strategy_snapshot();
        let f = report_figures(&s, group(), date("2011-04-01"), date("2011-06-30"));
        assert_eq!(f.targets.len(), 1);
        let t = &f.targets[0];
        assert_eq!(t.name, "Five good GCSEs");
        // The September figure (40%) is after the period and left out: 49% against a
        // milestone of 50% is 2% short, within the 5% tolerance.
        assert_eq!(t.latest, Some(("49%".to_owned(), date("2011-06-30"))));
        assert_eq!(t.status, TargetStatus::AtRisk);
        assert!(t.sentence.starts_with("At risk"), "{}", t.sentence);
        let titles = |v: &[ActionFigure]| v.iter().map(|a| a.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(&f.done), ["Mentoring scheme"]);
        assert_eq!(titles(&f.overdue), ["Homework clubs"]);
        assert_eq!(titles(&f.due_next), ["Parents' evenings"]);
        assert_eq!(
            f.next_period,
            Some((date("2011-07-01"), date("2011-09-30")))
        );
        assert_eq!(suggested_overall(&f).0, OverallStatus::AtRisk);
        assert_eq!(
            suggested_overall(&f).1,
            "1 target is at risk: Five good GCSEs"
        );

        let next = report_figures(&s, group(), date("2011-07-01"), date("2011-09-30"));
        assert_eq!(next.targets[0].status, TargetStatus::OffTrack);
        assert_eq!(suggested_overall(&next).0, OverallStatus::OffTrack);
        // Another body owns nothing and has no plan.
        let other = report_figures(&s, management(), date("2011-04-01"), date("2011-06-30"));
        assert!(other.targets.is_empty() && other.done.is_empty());
    }

    #[test]
    fn a_strategy_outside_the_period_is_left_out() {
        let s = strategy_snapshot();
        let f = report_figures(&s, group(), date("2009-04-01"), date("2009-06-30"));
        assert!(f.targets.is_empty());
    }

    #[test]
    fn the_suggestion_is_on_track_when_nothing_is_behind_and_says_when_nothing_was_judged() {
        let empty = ReportFigures::default();
        let (status, why) = suggested_overall(&empty);
        assert_eq!(status, OverallStatus::OnTrack);
        assert!(why.starts_with("No target had a figure"), "{why}");
        let s = strategy_snapshot();
        let f = report_figures(&s, group(), date("2011-01-01"), date("2011-03-31"));
        // Before any figure: not yet measured, which does not count.
        assert_eq!(f.targets[0].status, TargetStatus::NotYetMeasured);
        assert_eq!(suggested_overall(&f).0, OverallStatus::OnTrack);
    }

    fn meeting(body: BodyId, on: &str, status: MeetingStatus) -> Meeting {
        Meeting {
            partnership_id: pid(),
            body_id: Some(body),
            council_id: None,
            committee: String::new(),
            date: date(on),
            time: String::new(),
            venue: String::new(),
            status,
            note: String::new(),
        }
    }

    #[test]
    fn the_receiving_body_sees_reports_due_late_and_received() {
        let mut s = Snapshot::default();
        let ids: Vec<HighlightReportId> = (1..=4)
            .map(|n| HighlightReportId::new(n, [n as u8; 10]))
            .collect();
        s.highlight_reports.insert(ids[0], report());
        s.highlight_reports.insert(
            ids[1],
            HighlightReport {
                due_on: date("2011-07-01"),
                ..report()
            },
        );
        s.highlight_reports.insert(
            ids[2],
            HighlightReport {
                submitted_on: Some(date("2011-07-05")),
                progress: "Illustrative".into(),
                ..report()
            },
        );
        s.highlight_reports.insert(
            ids[3],
            HighlightReport {
                to_body_id: BodyId::new(5, [5; 10]),
                ..report()
            },
        );
        let r = reports_to(&s, management(), date("2011-07-10"));
        let keys =
            |v: &[(HighlightReportId, &HighlightReport)]| v.iter().map(|e| e.0).collect::<Vec<_>>();
        assert_eq!(keys(&r.due), [ids[0]]);
        assert_eq!(keys(&r.late), [ids[1]]);
        assert_eq!(keys(&r.received), [ids[2]]);
        let later = reports_to(&s, management(), date("2011-07-15"));
        assert_eq!(keys(&later.late), [ids[1], ids[0]]);
    }

    #[test]
    fn an_escalation_reaches_the_receiving_bodys_next_meeting_after_submission_only() {
        let mut s = Snapshot::default();
        let m = |n: u8| MeetingId::new(50 + u64::from(n), [n; 10]);
        for (n, body, on, status) in [
            (1, management(), "2011-07-05", MeetingStatus::Held),
            (2, management(), "2011-07-12", MeetingStatus::Cancelled),
            (3, management(), "2011-07-19", MeetingStatus::Scheduled),
            (4, management(), "2011-09-20", MeetingStatus::Scheduled),
            (5, group(), "2011-07-08", MeetingStatus::Scheduled),
        ] {
            s.meetings.insert(m(n), meeting(body, on, status));
        }
        let escalating = HighlightReport {
            submitted_on: Some(date("2011-07-05")),
            progress: "Illustrative".into(),
            escalate: true,
            escalation: "Illustrative: agree the funding gap".into(),
            ..report()
        };
        let id = HighlightReportId::new(60, [60; 10]);
        s.highlight_reports.insert(id, escalating.clone());
        // Submitted on the day of the 5 July meeting; the 12 July one was cancelled.
        assert_eq!(escalation_meeting(&s, &escalating), Some(m(3)));
        assert_eq!(escalations_to(&s, m(3)).len(), 1);
        for other in [m(1), m(2), m(4), m(5)] {
            assert!(escalations_to(&s, other).is_empty(), "{other:?}");
        }
        // A draft, or a report that does not escalate, reaches no meeting.
        let draft = HighlightReport {
            submitted_on: None,
            ..escalating.clone()
        };
        assert_eq!(escalation_meeting(&s, &draft), None);
        s.highlight_reports.insert(id, draft);
        assert!(escalations_to(&s, m(3)).is_empty());
    }

    proptest! {
        #![proptest_config(crate::test_text::config())]

        /// Whatever is typed in the narrative, checking it never crashes, and an escalation
        /// with only spaces is refused.
        #[test]
        fn any_narrative_is_checked_without_a_crash(
            text in crate::test_text::text(40),
            escalate in proptest::bool::ANY,
        ) {
            let r = HighlightReport {
                progress: text.clone(),
                risks_and_issues: text.clone(),
                escalate,
                escalation: text.clone(),
                submitted_on: Some(date("2011-07-01")),
                ..report()
            };
            let errors = r.validate().err().unwrap_or_default();
            let on_escalation = errors.iter().any(|e| e.field == "escalation");
            prop_assert_eq!(on_escalation, escalate == text.trim().is_empty());
        }

        /// Every report to a body is in exactly one of due, late and received, by the rule.
        #[test]
        fn every_report_is_due_late_or_received(
            reports in proptest::collection::vec((0i64..60, proptest::option::of(0i64..60), proptest::bool::ANY), 0..12),
            today in 0i64..60,
        ) {
            let base = date("2011-07-01");
            let day = |n: i64| base.add_days(n).unwrap_or(base);
            let mut s = Snapshot::default();
            for (i, (due, submitted, ours)) in reports.iter().enumerate() {
                let n = i as u8;
                s.highlight_reports.insert(HighlightReportId::new(u64::from(n) + 1, [n; 10]), HighlightReport {
                    to_body_id: if *ours { management() } else { BodyId::new(7, [7; 10]) },
                    due_on: day(*due),
                    submitted_on: submitted.map(day),
                    ..report()
                });
            }
            let r = reports_to(&s, management(), day(today));
            let ours = reports.iter().filter(|r| r.2).count();
            prop_assert_eq!(r.due.len() + r.late.len() + r.received.len(), ours);
            prop_assert!(r.received.iter().all(|(_, x)| x.is_submitted()));
            prop_assert!(r.late.iter().all(|(_, x)| !x.is_submitted() && x.due_on < day(today)));
            prop_assert!(r.due.iter().all(|(_, x)| !x.is_submitted() && x.due_on >= day(today)));
        }

        /// An escalation reaches exactly one meeting when one comes after it, and it is the
        /// first such meeting of the receiving body.
        #[test]
        fn an_escalation_reaches_one_meeting_the_first_after_submission(
            meetings in proptest::collection::vec((0i64..40, proptest::bool::ANY, proptest::bool::ANY), 0..8),
            submitted in 0i64..40,
        ) {
            let base = date("2011-07-01");
            let day = |n: i64| base.add_days(n).unwrap_or(base);
            let mut s = Snapshot::default();
            for (i, (on, cancelled, ours)) in meetings.iter().enumerate() {
                let n = i as u8;
                let status = if *cancelled { MeetingStatus::Cancelled } else { MeetingStatus::Scheduled };
                let body = if *ours { management() } else { group() };
                s.meetings.insert(MeetingId::new(u64::from(n) + 1, [n; 10]), Meeting { date: day(*on), ..meeting(body, "2011-07-01", status) });
            }
            let report = HighlightReport {
                submitted_on: Some(day(submitted)),
                progress: "Illustrative".into(),
                escalate: true,
                escalation: "Illustrative".into(),
                ..report()
            };
            s.highlight_reports.insert(HighlightReportId::new(99, [99; 10]), report.clone());
            let reached: Vec<MeetingId> = s.meetings.keys().copied().filter(|m| !escalations_to(&s, *m).is_empty()).collect();
            let eligible: Vec<i64> = meetings.iter().filter(|(on, c, ours)| *ours && !*c && *on > submitted).map(|m| m.0).collect();
            prop_assert_eq!(reached.len(), usize::from(!eligible.is_empty()));
            if let Some(first) = reached.first() {
                let m = &s.meetings[first];
                prop_assert!(m.date > day(submitted));
                prop_assert_eq!(Some(m.date), eligible.iter().min().map(|n| day(*n)));
            }
        }

        /// The next period starts the day after and is as long (in whole months, or days).
        #[test]
        fn the_next_period_starts_the_day_after(start in 0i64..3000, len in 1i64..400) {
            let base = date("2009-01-01");
            let s = base.add_days(start).unwrap_or(base);
            let e = s.add_days(len).unwrap_or(s);
            let (ns, ne) = next_period(s, e).unwrap_or((s, s));
            prop_assert_eq!(e.add_days(1), Some(ns));
            prop_assert!(ne > ns);
            if whole_months(s, ns).is_none() {
                prop_assert_eq!(ns.days_until(ne), s.days_until(e));
            }
        }
    }
}
