//! Strategy and performance: a partnership's Sustainable Community Strategy, its priorities,
//! their targets and the figures that show whether each target is on track. A status is
//! computed from the figures, never typed by hand and forgotten.
//!
//! # The records
//! - [`Strategy`] (one partnership has several over time, all kept): a title, the period it
//!   covers (first and last year), the vision, and its status (draft, pre-scrutiny, adopted,
//!   superseded) with the day each step was reached. **A draft is read by the partnership's
//!   members only** ([`Record::read_access`](crate::Record::read_access) is
//!   [`Access::Member`](crate::accounts::Access::Member)); from pre-scrutiny on, everyone
//!   reads it. Its priorities, targets and measurements inherit that
//!   ([`EntityKind::gated`](crate::EntityKind::gated)).
//! - [`Priority`] of a strategy, in order: a title, a description, the body that owns it
//!   (usually a Priority Action Group) and the lead organisations. The owner and leads are
//!   plain ids, not references, so deleting a body leaves its priorities in place. More than
//!   [`MOST_PRIORITIES`] in one strategy gives a warning ([`too_many_priorities`]), never a
//!   refusal: Redditch's Task and Finish Group asked for "fewer, more focussed targets
//!   (perhaps four – six)" (seed 004, recommendation 12).
//! - [`Target`] (an indicator) of a priority: its name, a National Indicator or Local Area
//!   Agreement code, the unit, whether higher or lower is better, the baseline (value and
//!   date), the target (value and deadline), milestones between them, a tolerance, the data
//!   source, how often a figure comes, and the owning organisation. [`smart_check`] lists
//!   what it lacks to be specific, measurable, achievable, relevant and timebound.
//!   [`NATIONAL_INDICATORS`] is a small library of the 2008 National Indicator Set to pick from.
//! - [`Measurement`] of a target: a dated figure, with an optional note.
//!
//! # The status rule ([`assess`])
//! 1. With no figure, a target is **not yet measured**.
//! 2. The latest figure (by date) that meets or beats the target value (as the polarity
//!    says) makes it **achieved**, whether or not the deadline has come.
//! 3. Otherwise the figure is compared with the **trajectory**: the dated baseline, the
//!    milestones and the dated target, joined by straight lines and read at the figure's
//!    date (before the first point, the first point's value; after the last, the last's). A
//!    cumulative target (a running total) works the same way: its points are running totals.
//!    With no dated point at all there is **nothing to compare**.
//! 4. The shortfall is how far the figure is behind the trajectory in the target's direction,
//!    as a percentage of the value expected (of the largest value of the trajectory when
//!    the value expected is zero). None (level or ahead): **on track**. Up to and including
//!    the tolerance: **at risk**. Beyond it: **off track**.
//! 5. The **direction of travel** compares the latest figure with the one before it:
//!    better, worse or the same, as the polarity says.
//! 6. The next figure is **due** one period (the frequency) after the latest figure, or after
//!    the baseline date before any figure; it is **overdue** once that day has passed (today
//!    is passed in). Figures that come "when available" are never overdue.
//! 7. All of it is said in one sentence: "At risk: 4% short of this year's milestone, better
//!    than last time."
//!
//! A manager may set a status by hand, with a required reason. It is shown **beside** the
//! computed status, never instead of it, and who set it and when is shown from the record's
//! history of changes (the audit log), not stored in the record.
//!
//! # Delivery
//! [`actions`]: each group's action plans and their key actions, with seed 003's
//! expectations checked. [`highlights`]: each body's highlight reports to the body it
//! reports to, their figures pulled from the data, and the escalations they put on the
//! receiving body's next agenda. [`funds`]: the project funds, partners' contributions and
//! groups' bids scored and decided.

pub mod actions;
pub mod annual;
pub mod compare;
pub mod dashboard;
pub mod figures_csv;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod funds;
pub mod highlights;
mod indicators;
mod records;
pub mod residents;
mod status;

pub use actions::{ActionPlan, ActionPlanId, KeyAction, KeyActionId};
pub use funds::{
    BidDecision, FundBid, FundBidId, FundContribution, FundContributionId, FundPot, FundPotId,
};
pub use highlights::{HighlightReport, HighlightReportId, OverallStatus};
pub use indicators::{NATIONAL_INDICATORS, NationalIndicator, national_indicator};
pub use records::*;
pub use residents::{ResidentRanking, resident_ranking, strategy_reflects_residents};
pub use status::{Assessment, Direction, SmartGap, assess, smart_check};

/// The figures of a target as the status rule reads them: (date, value) in date order.
pub fn figures_of(s: &crate::Snapshot, t: TargetId) -> Vec<(crate::IsoDate, f64)> {
    s.measurements_of(t)
        .into_iter()
        .map(|(_, m)| (m.on, m.value.get()))
        .collect()
}
