//! Records for the strategy area's tests: Redditch's (seed 004), with illustrative figures.

use super::{
    Figure, Frequency, Measurement, Polarity, Priority, PriorityId, Strategy, StrategyId,
    StrategyStatus, Target, TargetId,
};
use crate::date::IsoDate;
use crate::ids::{BodyId, PartnershipId};
use crate::strategy::{HighlightReport, OverallStatus};

pub fn p() -> PartnershipId {
    PartnershipId::new(1, [1; 10])
}

/// A strategy of Redditch's for `first_year` to `last_year`.
pub fn strategy(first_year: u16, last_year: u16, status: StrategyStatus) -> Strategy {
    Strategy {
        partnership_id: p(),
        title: "Redditch Sustainable Community Strategy".into(),
        first_year,
        last_year,
        vision: String::new(),
        status,
        drafted_on: None,
        pre_scrutiny_on: None,
        adopted_on: None,
        superseded_on: None,
    }
}

pub fn priority(strategy_id: StrategyId, title: &str, position: u32) -> Priority {
    Priority {
        partnership_id: p(),
        strategy_id,
        title: title.into(),
        description: String::new(),
        body_id: None,
        lead_organisation_ids: Vec::new(),
        position,
        resident_theme: None,
        dovetails_with: Vec::new(),
    }
}

/// A yearly percentage target, higher is better, with no baseline, target or milestones.
pub fn target(priority: PriorityId, code: &str, name: &str) -> Target {
    Target {
        partnership_id: p(),
        priority_id: priority,
        name: name.into(),
        code: code.into(),
        unit: "%".into(),
        polarity: Polarity::HigherIsBetter,
        baseline: None,
        baseline_on: None,
        target_value: None,
        deadline: None,
        milestones: Vec::new(),
        tolerance_percent: Figure::known(5.0),
        source: String::new(),
        frequency: Frequency::Yearly,
        owner_id: None,
        laa: false,
        status_override: None,
        override_reason: String::new(),
    }
}

/// An illustrative figure of `target`.
pub fn figure(target_id: TargetId, on: IsoDate, value: f64) -> Measurement {
    Measurement {
        partnership_id: p(),
        target_id,
        on,
        value: Figure::known(value),
        note: "Illustrative figure".into(),
    }
}

/// A draft highlight report of `body` to `to` for `start` to `end`, due on `end`, on track,
/// with nothing written and no escalation.
pub fn highlight_report(body: BodyId, to: BodyId, start: IsoDate, end: IsoDate) -> HighlightReport {
    HighlightReport {
        partnership_id: p(),
        body_id: body,
        to_body_id: to,
        period_start: start,
        period_end: end,
        due_on: end,
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
