//! The annual report: what the Board tells the Conference and the funding partners each year
//! (seed 003: "LSP Board gives annual report to Conference and funding partners"), generated
//! from the data for a chosen **financial year**, 1 April to 31 March, as UK partnerships
//! and councils report. Nothing in it is typed: it is the snapshot read as it stood at the
//! year's end.
//!
//! # What it holds ([`annual_report`])
//! - **The strategy in force** ([`strategy_in_force`]): an adopted (or since superseded)
//!   strategy whose period holds the year's first year ("2011 to 2014" holds 2011/12 to
//!   2014/15), preferring the adopted one, then the one that started last. A draft or one in
//!   pre-scrutiny was not in force, so it is never reported; and the public's snapshot holds
//!   no draft at all.
//! - **Each priority with its targets**: each target's status **as at the year's end**, by
//!   the status rule ([`assess`]) applied to the figures dated on or before that day (a
//!   figure dated later does not count, however early it was entered), with the direction of
//!   travel that rule gives, and the figures dated within the year. The count of targets in
//!   each status.
//! - **Key actions** of the partnership's action plans: those completed within the year, and
//!   those overdue at its end (due on or before its last day and not done by then).
//! - **Highlight reports** whose period ends within the year, summarised per reporting body:
//!   how many have been submitted (a report of the year's last quarter is due after it, and
//!   counts once it comes), the overall status of the latest submitted, how many escalated a
//!   matter, and how many are not submitted. Only members read highlight reports, so the
//!   public's report has none.
//! - **Meetings of the Board** (every body of the kind Board) held within the year.
//! - **Funds spent**: [`AnnualReport::funds_spent`], the bids approved from the partnership's
//!   project funds by decisions dated in the year; the page shows the section only when it
//!   has lines.
//!
//! A year not yet over is reported as at today, and says so ([`AnnualReport::complete`]).
//! The default year is the last complete one ([`last_complete_year`]).

use super::actions::{KeyActionId, year_label};
use super::dashboard::{status_counts, target_name};
use super::figures_csv::FIGURE_COLUMNS;
use super::highlights::OverallStatus;
use super::{
    ActionPlanId, Assessment, PriorityId, StrategyId, StrategyStatus, TargetId, TargetStatus,
    assess, figures_of,
};
use crate::Snapshot;
use crate::date::IsoDate;
use crate::domain::BodyKind;
use crate::export::csv_table;
use crate::ids::{BodyId, PartnershipId};
use crate::order::sort_by_key;
use crate::scrutiny::{MeetingId, MeetingStatus};
use crate::text::fold_case;

/// The financial year starting on 1 April of `year` (2011 for 2011/12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FinancialYear(pub u32);

impl FinancialYear {
    /// The financial year that holds `day`: January to March belong to the year before.
    pub fn of(day: IsoDate) -> Self {
        if day.month() >= 4 {
            Self(day.year())
        } else {
            Self(day.year().saturating_sub(1))
        }
    }

    /// 1 April of its first year; `None` outside the dates `IsoDate` holds.
    pub fn start(self) -> Option<IsoDate> {
        IsoDate::new(self.0, 4, 1)
    }

    /// 31 March of the next year.
    pub fn end(self) -> Option<IsoDate> {
        IsoDate::new(self.0.checked_add(1)?, 3, 31)
    }

    /// "2011/12".
    pub fn label(self) -> String {
        year_label(self.0)
    }

    /// "1 April 2011 to 31 March 2012".
    pub fn span(self) -> String {
        match (self.start(), self.end()) {
            (Some(a), Some(b)) => format!("{} to {}", a.long(), b.long()),
            _ => self.label(),
        }
    }

    /// A year as an address or a person writes it: `2011`, `2011-12` or `2011/12` (the
    /// second part must be the next year); from 2000 to 2100. Any text is safe to pass.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (first, next) = match text.split_once(['-', '/']) {
            Some((a, b)) => (a, Some(b)),
            None => (text, None),
        };
        let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(first, 4) {
            return None;
        }
        let year: u32 = first.parse().ok()?;
        if !(2000..=2100).contains(&year) {
            return None;
        }
        match next {
            None => Some(Self(year)),
            Some(n) if digits(n, 2) && n.parse::<u32>().ok()? == (year + 1) % 100 => {
                Some(Self(year))
            }
            Some(n) if digits(n, 4) && n.parse::<u32>().ok()? == year + 1 => Some(Self(year)),
            Some(_) => None,
        }
    }

    /// Whether `day` falls within it.
    pub fn contains(self, day: IsoDate) -> bool {
        Self::of(day) == self
    }
}

/// The last financial year that has ended by `today`: on 31 March 2012 it is 2010/11, on
/// 1 April 2012 it is 2011/12.
pub fn last_complete_year(today: IsoDate) -> FinancialYear {
    FinancialYear(FinancialYear::of(today).0.saturating_sub(1))
}

/// The years a person may choose for partnership `p`'s report, the latest first: from the
/// first year of its earliest strategy in force (or the last complete year, with none) to the
/// year that holds `today`, at most [`MOST_YEARS`] of them.
pub fn report_years(s: &Snapshot, p: PartnershipId, today: IsoDate) -> Vec<FinancialYear> {
    let now = FinancialYear::of(today).0;
    let first = s
        .strategies_of(p)
        .iter()
        .filter(|(_, st)| was_in_force(st.status))
        .map(|(_, st)| u32::from(st.first_year))
        .min()
        .unwrap_or(now.saturating_sub(1))
        .min(now.saturating_sub(1));
    (first..=now)
        .rev()
        .take(MOST_YEARS)
        .map(FinancialYear)
        .collect()
}

/// The most years the chooser offers.
pub const MOST_YEARS: usize = 30;

fn was_in_force(status: StrategyStatus) -> bool {
    matches!(status, StrategyStatus::Adopted | StrategyStatus::Superseded)
}

/// The strategy in force in `year` (module docs), if any.
pub fn strategy_in_force(
    s: &Snapshot,
    p: PartnershipId,
    year: FinancialYear,
) -> Option<StrategyId> {
    let mut held: Vec<_> = s
        .strategies_of(p)
        .into_iter()
        .filter(|(_, st)| was_in_force(st.status))
        .filter(|(_, st)| u32::from(st.first_year) <= year.0 && year.0 <= u32::from(st.last_year))
        .collect();
    // Adopted before superseded; then `strategies_of`'s order (the latest period first).
    sort_by_key(&mut held, |(_, st)| st.status != StrategyStatus::Adopted);
    held.first().map(|(id, _)| *id)
}

/// One target in the report.
#[derive(Clone, Debug, PartialEq)]
pub struct YearTarget {
    pub id: TargetId,
    /// "NI 75: Five good GCSEs".
    pub name: String,
    /// Its own code and name, apart ("NI 75", "Five good GCSEs").
    pub code: String,
    pub title: String,
    pub unit: String,
    /// The status rule's answer as at the year's end (its `direction` is the direction of
    /// travel).
    pub assessment: Assessment,
    /// The figures dated within the year, in date order.
    pub in_year: Vec<(IsoDate, f64)>,
    /// Every figure up to the year's end, in date order (what the chart draws).
    pub to_year_end: Vec<(IsoDate, f64)>,
}

/// One priority of the strategy in force, with its targets.
#[derive(Clone, Debug, PartialEq)]
pub struct YearPriority {
    pub id: PriorityId,
    pub title: String,
    pub owner: Option<BodyId>,
    pub targets: Vec<YearTarget>,
}

/// A key action in the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearAction {
    pub id: KeyActionId,
    pub plan: ActionPlanId,
    /// The group whose plan it is.
    pub body: BodyId,
    pub title: String,
    pub due_on: Option<IsoDate>,
    pub completed_on: Option<IsoDate>,
}

/// One body's highlight reports of the year, summarised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyHighlights {
    pub body: BodyId,
    /// Reports submitted whose period ends within the year.
    pub submitted: usize,
    /// Reports whose period ends within the year and not submitted (yet).
    pub not_submitted: usize,
    /// The overall status of the latest submitted one (by period), with its period's end.
    pub latest: Option<(OverallStatus, IsoDate)>,
    /// How many of the submitted ones escalated a matter.
    pub escalations: usize,
}

/// A line of funds spent in the year: a bid approved from one of the partnership's project
/// funds by a decision dated in the year ([`super::funds::funds_spent`]). The page shows the
/// section only when there is a line. Amounts are in whole pence, so sums are exact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FundsSpent {
    /// What the money was spent on: the group, the bid's purpose, the fund and the day.
    pub what: String,
    pub pence: u64,
}

/// The annual report of a partnership for a financial year.
#[derive(Clone, Debug, PartialEq)]
pub struct AnnualReport {
    pub year: FinancialYear,
    /// The day it reports as at: the year's last day, or today while the year is not over.
    pub as_at: IsoDate,
    /// Whether the year is over.
    pub complete: bool,
    pub strategy: Option<StrategyId>,
    pub priorities: Vec<YearPriority>,
    /// How many targets end the year in each status, in [`TargetStatus::ALL`] order, leaving
    /// out the statuses no target has.
    pub counts: Vec<(TargetStatus, usize)>,
    /// Key actions completed within the year, in the order they were completed.
    pub actions_done: Vec<YearAction>,
    /// Key actions overdue at the year's end, the longest overdue first.
    pub actions_overdue: Vec<YearAction>,
    /// Highlight reports per reporting body, by body name.
    pub highlights: Vec<BodyHighlights>,
    /// Meetings of the Board held within the year, in date order.
    pub board_meetings: Vec<(MeetingId, BodyId, IsoDate)>,
    /// Funds spent in the year (see [`FundsSpent`]).
    pub funds_spent: Vec<FundsSpent>,
}

/// The annual report of partnership `p` for `year`, on `today` (module docs). `None` only
/// for a year outside the dates the app holds.
pub fn annual_report(
    s: &Snapshot,
    p: PartnershipId,
    year: FinancialYear,
    today: IsoDate,
) -> Option<AnnualReport> {
    let (start, end) = (year.start()?, year.end()?);
    let complete = today > end;
    let as_at = if complete { end } else { today.max(start) };
    let strategy = strategy_in_force(s, p, year);
    let priorities: Vec<YearPriority> = strategy
        .map(|st| s.priorities_of(st))
        .unwrap_or_default()
        .into_iter()
        .map(|(id, priority)| YearPriority {
            id,
            title: priority.title.clone(),
            owner: priority.body_id.filter(|b| s.bodies.contains_key(b)),
            targets: s
                .targets_of(id)
                .into_iter()
                .map(|(t, target)| {
                    let to_year_end: Vec<(IsoDate, f64)> = figures_of(s, t)
                        .into_iter()
                        .filter(|(on, _)| *on <= as_at)
                        .collect();
                    YearTarget {
                        id: t,
                        name: target_name(&target.code, &target.name),
                        code: target.code.clone(),
                        title: target.name.clone(),
                        unit: target.unit.clone(),
                        assessment: assess(target, &to_year_end, as_at),
                        in_year: to_year_end
                            .iter()
                            .copied()
                            .filter(|(on, _)| *on >= start)
                            .collect(),
                        to_year_end,
                    }
                })
                .collect(),
        })
        .collect();
    let counts = status_counts(
        priorities
            .iter()
            .flat_map(|p| &p.targets)
            .map(|t| t.assessment.status),
    );

    let mut actions_done = Vec::new();
    let mut actions_overdue = Vec::new();
    for (id, a) in s.key_actions.iter().filter(|(_, a)| a.partnership_id == p) {
        let Some(plan) = s.action_plans.get(&a.action_plan_id) else {
            continue;
        };
        let line = YearAction {
            id: *id,
            plan: a.action_plan_id,
            body: plan.body_id,
            title: a.title.clone(),
            due_on: a.due_on,
            completed_on: a.completed_on,
        };
        let done_by_end = a.completed_on.is_some_and(|c| c <= as_at);
        if a.completed_on.is_some_and(|c| c >= start && c <= as_at) {
            actions_done.push(line);
        } else if !done_by_end && a.due_on.is_some_and(|d| overdue_at(d, as_at, complete)) {
            actions_overdue.push(line);
        }
    }
    sort_by_key(&mut actions_done, |a| {
        (a.completed_on, fold_case(&a.title), a.id)
    });
    sort_by_key(&mut actions_overdue, |a| {
        (a.due_on, fold_case(&a.title), a.id)
    });

    let mut highlights: Vec<BodyHighlights> = Vec::new();
    let mut reports: Vec<_> = s
        .highlight_reports
        .iter()
        .filter(|(_, r)| r.partnership_id == p)
        .filter(|(_, r)| r.period_end >= start && r.period_end <= as_at)
        .collect();
    sort_by_key(&mut reports, |(id, r)| (r.period_end, r.period_start, **id));
    for (_, r) in reports {
        let i = match highlights.iter().position(|h| h.body == r.body_id) {
            Some(i) => i,
            None => {
                highlights.push(BodyHighlights {
                    body: r.body_id,
                    submitted: 0,
                    not_submitted: 0,
                    latest: None,
                    escalations: 0,
                });
                highlights.len() - 1
            }
        };
        let h = &mut highlights[i];
        if r.is_submitted() {
            h.submitted += 1;
            h.latest = Some((r.overall, r.period_end));
            if r.escalate {
                h.escalations += 1;
            }
        } else {
            h.not_submitted += 1;
        }
    }
    sort_by_key(&mut highlights, |h| {
        (fold_case(&s.body_name(h.body)), h.body)
    });

    let mut board_meetings: Vec<(MeetingId, BodyId, IsoDate)> = s
        .meetings
        .iter()
        .filter(|(_, m)| m.partnership_id == p && m.status == MeetingStatus::Held)
        .filter(|(_, m)| m.date >= start && m.date <= as_at)
        .filter_map(|(id, m)| {
            let body = m.body_id?;
            let is_board = s
                .bodies
                .get(&body)
                .is_some_and(|b| b.kind == BodyKind::Board);
            is_board.then_some((*id, body, m.date))
        })
        .collect();
    sort_by_key(&mut board_meetings, |(id, _, date)| (*date, *id));

    Some(AnnualReport {
        year,
        as_at,
        complete,
        strategy,
        priorities,
        counts,
        actions_done,
        actions_overdue,
        highlights,
        board_meetings,
        funds_spent: funds_spent(s, p, year),
    })
}

/// The awards of the year from the partnership's project funds, the earliest decision first.
fn funds_spent(s: &Snapshot, p: PartnershipId, year: FinancialYear) -> Vec<FundsSpent> {
    use crate::scrutiny::meetings::short_text;
    super::funds::funds_spent(s, p, year.0)
        .awards
        .into_iter()
        .filter_map(|id| {
            let bid = s.fund_bids.get(&id)?;
            let fund = s
                .fund_pots
                .get(&bid.pot_id)
                .map(|f| f.title())
                .unwrap_or_else(|| "a project fund".to_owned());
            let on = bid.decided_on.map(|d| d.long()).unwrap_or_default();
            Some(FundsSpent {
                what: format!(
                    "{}: {} ({fund}, approved on {on})",
                    s.body_name(bid.body_id),
                    short_text(&bid.purpose, 80)
                ),
                pence: bid.committed_pence(),
            })
        })
        .collect()
}

/// Whether an action due on `due` and not done is overdue as at `as_at`: once the year is
/// over, anything due by its last day; while it runs, anything due before today (as the
/// action's own page says: due today is not yet overdue).
fn overdue_at(due: IsoDate, as_at: IsoDate, complete: bool) -> bool {
    if complete { due <= as_at } else { due < as_at }
}

/// The columns of the report's file of figures: those of the figures file
/// ([`FIGURE_COLUMNS`]), so the file reads back in on the strategy page, then the priority and
/// the target's status at the year's end, for people (the import does not read them).
pub const ANNUAL_FIGURE_COLUMNS: [&str; 9] = [
    FIGURE_COLUMNS[0],
    FIGURE_COLUMNS[1],
    FIGURE_COLUMNS[2],
    FIGURE_COLUMNS[3],
    FIGURE_COLUMNS[4],
    FIGURE_COLUMNS[5],
    FIGURE_COLUMNS[6],
    "priority",
    "status_at_year_end",
];

/// The report's figures as CSV ([`ANNUAL_FIGURE_COLUMNS`]): one row per figure dated within
/// the year, with its note, and one row with no date and no value for a target with none in
/// the year, so every target and its status at the year's end is in the file.
pub fn annual_figures_csv(s: &Snapshot, report: &AnnualReport) -> String {
    let start = report.year.start();
    let mut rows = Vec::new();
    for priority in &report.priorities {
        for t in &priority.targets {
            let row = |date: String, value: String, note: String| {
                vec![
                    t.id.to_string(),
                    t.code.clone(),
                    t.title.clone(),
                    t.unit.clone(),
                    date,
                    value,
                    note,
                    priority.title.clone(),
                    t.assessment.status.label().to_owned(),
                ]
            };
            let figures: Vec<_> = s
                .measurements_of(t.id)
                .into_iter()
                .filter(|(_, m)| start.is_some_and(|a| m.on >= a) && m.on <= report.as_at)
                .collect();
            if figures.is_empty() {
                rows.push(row(String::new(), String::new(), String::new()));
            }
            for (_, m) in figures {
                rows.push(row(
                    m.on.to_string(),
                    format!("{}", m.value.get()),
                    m.note.clone(),
                ));
            }
        }
    }
    csv_table(&ANNUAL_FIGURE_COLUMNS, rows)
}

/// The report's file of figures: its name, like `annual-report-2011-12-figures.csv`.
pub fn annual_figures_file_name(year: FinancialYear) -> String {
    format!(
        "annual-report-{}-{:02}-figures.csv",
        year.0,
        (year.0 + 1) % 100
    )
}

#[cfg(test)]
mod tests;
