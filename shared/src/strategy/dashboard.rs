//! The performance dashboard of a partnership: its current strategy's priorities, each with its
//! targets' computed statuses, the count of targets in each status, the key actions overdue,
//! the figures overdue, the highlight reports late and the escalations still to be heard.
//! Everything comes from the snapshot and `today`; nothing is typed. It is built from what the
//! reader's device holds, so the public's dashboard has only what is published (a draft
//! strategy and everything under it reach members only).
//!
//! A body's dashboard ([`body_dashboard`]) is the same roll-up shaped for one body, such as the
//! Management Group or the Board: only what it oversees, which is what reports to it
//! ([`overseen_by`]).

use super::actions::{ActionPlanId, ActionStatus, KeyActionId, action_status};
use super::highlights::{HighlightReportId, escalation_meeting};
use super::{Assessment, PriorityId, StrategyId, StrategyStatus, TargetId, TargetStatus};
use super::{assess, figures_of};
use crate::Snapshot;
use crate::date::IsoDate;
use crate::ids::{BodyId, PartnershipId};
use crate::order::sort_by_key;
use crate::structure::domain::{BodyKind, LineKind};
use crate::text::fold_case;

/// One target as the dashboard shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetLine {
    pub id: TargetId,
    /// "NI 75: Five good GCSEs", or the name alone without a code.
    pub name: String,
    pub assessment: Assessment,
}

/// One priority with its targets.
#[derive(Clone, Debug, PartialEq)]
pub struct PriorityLine {
    pub id: PriorityId,
    pub title: String,
    pub owner: Option<BodyId>,
    pub targets: Vec<TargetLine>,
}

/// A key action past its due date and not done.
#[derive(Clone, Debug, PartialEq)]
pub struct OverdueAction {
    pub id: KeyActionId,
    pub plan: ActionPlanId,
    /// The group whose plan it is.
    pub body: crate::ids::BodyId,
    pub title: String,
    /// "Overdue: due on 30 June 2010, 45 days ago".
    pub sentence: String,
    pub due_on: IsoDate,
}

/// What the dashboard shows for a partnership on a day.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dashboard {
    /// The strategy it reports on ([`current_strategy`]); none when the partnership has none
    /// the reader may see.
    pub strategy: Option<StrategyId>,
    /// How many of its targets are in each status, in [`TargetStatus::ALL`] order, leaving out
    /// the statuses no target has.
    pub counts: Vec<(TargetStatus, usize)>,
    pub priorities: Vec<PriorityLine>,
    /// The partnership's key actions overdue, the longest overdue first.
    pub overdue_actions: Vec<OverdueAction>,
    /// The targets whose next figure is overdue, the longest overdue first.
    pub overdue_figures: Vec<(TargetId, String, IsoDate)>,
    /// Highlight reports not submitted by their due date, the longest overdue first (only for
    /// readers who may see highlight reports).
    pub late_reports: Vec<(HighlightReportId, BodyId, BodyId, IsoDate)>,
    /// Escalations submitted and not yet heard: their meeting is still to come, or none is
    /// planned yet (then `None`).
    pub escalations: Vec<(HighlightReportId, Option<crate::scrutiny::MeetingId>)>,
}

/// The strategy a dashboard reports on: the adopted one whose period holds `today`'s year;
/// else the adopted one that started last; else the latest of any status the reader sees.
pub fn current_strategy(s: &Snapshot, p: PartnershipId, today: IsoDate) -> Option<StrategyId> {
    let strategies = s.strategies_of(p);
    let adopted = || {
        strategies
            .iter()
            .filter(|(_, st)| st.status == StrategyStatus::Adopted)
    };
    let year = today.year();
    adopted()
        .find(|(_, st)| u32::from(st.first_year) <= year && year <= u32::from(st.last_year))
        .or_else(|| adopted().next())
        .or_else(|| strategies.first())
        .map(|(id, _)| *id)
}

/// "NI 75: Five good GCSEs".
pub fn target_name(code: &str, name: &str) -> String {
    if code.trim().is_empty() {
        name.to_owned()
    } else {
        format!("{}: {name}", code.trim())
    }
}

/// How many of `statuses` are each status, in [`TargetStatus::ALL`] order, leaving out the
/// statuses none has.
pub fn status_counts(statuses: impl Iterator<Item = TargetStatus>) -> Vec<(TargetStatus, usize)> {
    let statuses: Vec<TargetStatus> = statuses.collect();
    TargetStatus::ALL
        .iter()
        .map(|status| (*status, statuses.iter().filter(|s| *s == status).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// The dashboard of partnership `p` on `today`.
pub fn dashboard(s: &Snapshot, p: PartnershipId, today: IsoDate) -> Dashboard {
    let strategy = current_strategy(s, p, today);
    let priorities: Vec<PriorityLine> = strategy
        .map(|st| s.priorities_of(st))
        .unwrap_or_default()
        .into_iter()
        .map(|(id, priority)| PriorityLine {
            id,
            title: priority.title.clone(),
            owner: priority.body_id.filter(|b| s.bodies.contains_key(b)),
            targets: s
                .targets_of(id)
                .into_iter()
                .map(|(t, target)| TargetLine {
                    id: t,
                    name: target_name(&target.code, &target.name),
                    assessment: assess(target, &figures_of(s, t), today),
                })
                .collect(),
        })
        .collect();
    let (counts, overdue_figures) = target_totals(&priorities);
    let mut overdue_actions: Vec<OverdueAction> = s
        .key_actions
        .iter()
        .filter(|(_, a)| a.partnership_id == p)
        .filter_map(|(id, a)| {
            let plan = s.action_plans.get(&a.action_plan_id)?;
            let (status, sentence) = action_status(a, today);
            (status == ActionStatus::Overdue).then(|| OverdueAction {
                id: *id,
                plan: a.action_plan_id,
                body: plan.body_id,
                title: a.title.clone(),
                sentence,
                due_on: a.due_on.unwrap_or(today),
            })
        })
        .collect();
    sort_by_key(&mut overdue_actions, |a| (a.due_on, fold_case(&a.title)));
    let reports = || {
        s.highlight_reports
            .iter()
            .filter(|(_, r)| r.partnership_id == p)
    };
    let mut late_reports: Vec<_> = reports()
        .filter(|(_, r)| !r.is_submitted() && r.due_on < today)
        .map(|(id, r)| (*id, r.body_id, r.to_body_id, r.due_on))
        .collect();
    sort_by_key(&mut late_reports, |(id, _, _, due)| (*due, *id));
    let mut escalations: Vec<_> = reports()
        .filter(|(_, r)| r.escalation_stands())
        .map(|(id, r)| (*id, r, escalation_meeting(s, r)))
        .filter(|(_, _, m)| {
            m.and_then(|m| s.meetings.get(&m))
                .is_none_or(|meeting| meeting.date >= today)
        })
        .collect();
    sort_by_key(&mut escalations, |(id, r, _)| (r.submitted_on, *id));
    let escalations = escalations.into_iter().map(|(id, _, m)| (id, m)).collect();
    Dashboard {
        strategy,
        counts,
        priorities,
        overdue_actions,
        overdue_figures,
        late_reports,
        escalations,
    }
}

/// How many of `priorities`' targets are in each status (leaving out the statuses none has),
/// and their targets whose next figure is overdue, the longest overdue first.
#[allow(clippy::type_complexity)]
fn target_totals(
    priorities: &[PriorityLine],
) -> (Vec<(TargetStatus, usize)>, Vec<(TargetId, String, IsoDate)>) {
    let targets = || priorities.iter().flat_map(|p| &p.targets);
    let counts = status_counts(targets().map(|t| t.assessment.status));
    let mut overdue_figures: Vec<(TargetId, String, IsoDate)> = targets()
        .filter(|t| t.assessment.overdue)
        .filter_map(|t| Some((t.id, t.name.clone(), t.assessment.next_due?)))
        .collect();
    sort_by_key(&mut overdue_figures, |(_, name, due)| {
        (*due, fold_case(name))
    });
    (counts, overdue_figures)
}

/// The bodies `body` oversees: itself and every body that reports to it, feeds into it or
/// reports to it yearly, directly or through others (an adviser is not overseen). Cycles in
/// the lines are harmless.
pub fn overseen_by(s: &Snapshot, body: BodyId) -> std::collections::BTreeSet<BodyId> {
    let mut seen = std::collections::BTreeSet::from([body]);
    let mut queue = vec![body];
    while let Some(b) = queue.pop() {
        for (_, line) in s.lines_to(b) {
            if line.kind != LineKind::Advises && seen.insert(line.from_body_id) {
                queue.push(line.from_body_id);
            }
        }
    }
    seen
}

/// The dashboard of `body` on `today`: its partnership's ([`dashboard`]) cut to what the body
/// oversees ([`overseen_by`]): the priorities those bodies own (and, for a Board, which sets
/// the priorities (seed 003: "LSP Board sets the vision and priorities in SCS"), those no
/// group owns yet), their key actions overdue, the highlight reports late to them and the
/// escalations to them. `None` when the reader's device does not hold the body.
pub fn body_dashboard(s: &Snapshot, body: BodyId, today: IsoDate) -> Option<Dashboard> {
    let b = s.bodies.get(&body)?;
    let span = overseen_by(s, body);
    let mut d = dashboard(s, b.partnership_id, today);
    let board = b.kind == BodyKind::Board;
    d.priorities
        .retain(|p| p.owner.map_or(board, |owner| span.contains(&owner)));
    (d.counts, d.overdue_figures) = target_totals(&d.priorities);
    d.overdue_actions.retain(|a| span.contains(&a.body));
    d.late_reports.retain(|(_, _, to, _)| span.contains(to));
    d.escalations.retain(|(id, _)| {
        s.highlight_reports
            .get(id)
            .is_some_and(|r| span.contains(&r.to_body_id))
    });
    Some(d)
}

#[cfg(test)]
mod tests;
