//! The status rule and the SMART check: pure functions of a target, its figures and today's
//! date (passed in: `shared` never reads a clock). The rule is described in the module docs
//! of [`crate::strategy`]; the tests below are its examples.

use serde::{Deserialize, Serialize};

use crate::date::IsoDate;
use crate::structure::domain::labelled_enum;

use super::records::{Polarity, Target, TargetStatus, format_figure};
use crate::order::sort_by_key;
use crate::text::fold_case;

labelled_enum! {
    /// Which way the latest figure moved from the one before, for the better or the worse
    /// as the target's polarity says.
    pub enum Direction {
        Better => ("Better than last time", "The latest figure moved the right way."),
        Worse => ("Worse than last time", "The latest figure moved the wrong way."),
        Same => ("The same as last time", "The latest figure equals the one before."),
        First => ("First figure", "There is no earlier figure to compare with."),
    }
}

/// What the rule says of a target.
#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    /// The computed status: what the figures say.
    pub status: TargetStatus,
    /// A status a manager set by hand, with their reason, shown beside the computed one.
    pub set_by_hand: Option<(TargetStatus, String)>,
    pub direction: Direction,
    /// The latest figure and its date.
    pub latest: Option<(IsoDate, f64)>,
    /// The value the trajectory expects on the latest figure's date.
    pub expected: Option<f64>,
    /// How far the latest figure is behind the trajectory, in percent of the value expected
    /// (negative when ahead).
    pub shortfall_percent: Option<f64>,
    /// When the next figure is due (from the latest figure, or the baseline, and the
    /// frequency); `None` when figures come when available.
    pub next_due: Option<IsoDate>,
    /// Whether that day has passed.
    pub overdue: bool,
    /// The status in words: "At risk: 8% short of this year's milestone, better than last
    /// time."
    pub sentence: String,
}

/// Where a point of the trajectory comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PointKind {
    Baseline,
    Milestone,
    Target,
}

/// The trajectory: the dated baseline, the milestones and the dated target, in date order
/// (the same day: baseline, then milestones, then target).
fn trajectory(t: &Target) -> Vec<(IsoDate, f64, PointKind)> {
    let mut points = Vec::new();
    if let (Some(v), Some(d)) = (t.baseline, t.baseline_on) {
        points.push((d, v.get(), PointKind::Baseline));
    }
    for m in &t.milestones {
        points.push((m.on, m.value.get(), PointKind::Milestone));
    }
    if let (Some(v), Some(d)) = (t.target_value, t.deadline) {
        points.push((d, v.get(), PointKind::Target));
    }
    sort_by_key(&mut points, |p| p.0);
    points
}

/// The value expected on `day`, and the words for what it is compared with.
fn expected_on(points: &[(IsoDate, f64, PointKind)], day: IsoDate) -> Option<(f64, String)> {
    let name = |kind: PointKind, on: IsoDate| match kind {
        PointKind::Baseline => "the baseline".to_owned(),
        PointKind::Target => "the target".to_owned(),
        PointKind::Milestone if on.year() == day.year() => "this year's milestone".to_owned(),
        PointKind::Milestone => format!("the milestone for {}", on.long()),
    };
    let last = points.last()?;
    let Some(i) = points.iter().position(|p| p.0 >= day) else {
        let words = match last.2 {
            PointKind::Milestone => "the last milestone".to_owned(),
            kind => name(kind, last.0),
        };
        return Some((last.1, words));
    };
    let (d1, v1, k1) = points[i];
    if d1 == day || i == 0 {
        return Some((v1, name(k1, d1)));
    }
    let (d0, v0, _) = points[i - 1];
    let span = d0.days_until(d1) as f64;
    let t = if span > 0.0 {
        (d0.days_until(day) as f64 / span).clamp(0.0, 1.0)
    } else {
        1.0
    };
    // Each term is finite for finite values, so the sum is never NaN.
    let value = v0 * (1.0 - t) + v1 * t;
    Some((value, format!("the trajectory to {}", name(k1, d1))))
}

/// How far past the tolerance still counts as on its edge: decimal figures are not exact in
/// binary (52 - 49.4 is 2.6000000000000014), and a figure exactly at the tolerance is at risk.
const EDGE: f64 = 1e-9;

/// "8%", "less than 1%", "more than 1,000%".
fn percent(p: f64) -> String {
    let p = p.abs();
    if !p.is_finite() || p > 1000.0 {
        "more than 1,000%".to_owned()
    } else if p > 0.0 && p < 0.5 {
        "less than 1%".to_owned()
    } else {
        format!("{:.0}%", p)
    }
}

/// Whether `a` is better than `b` for a target of `polarity`.
fn better(polarity: Polarity, a: f64, b: f64) -> bool {
    match polarity {
        Polarity::HigherIsBetter => a > b,
        Polarity::LowerIsBetter => a < b,
    }
}

/// The status rule (see the module docs of [`crate::strategy`]): where `target` stands given
/// its `figures` (date and value, in any order; the same day keeps the order given) on
/// `today`.
pub fn assess(target: &Target, figures: &[(IsoDate, f64)], today: IsoDate) -> Assessment {
    let mut figures: Vec<(IsoDate, f64)> = figures
        .iter()
        .copied()
        .filter(|(_, v)| v.is_finite())
        .collect();
    sort_by_key(&mut figures, |f| f.0);
    let latest = figures.last().copied();
    let previous = figures.len().checked_sub(2).map(|i| figures[i]);
    let polarity = target.polarity;
    let direction = match (latest, previous) {
        (Some((_, now)), Some((_, before))) if better(polarity, now, before) => Direction::Better,
        (Some((_, now)), Some((_, before))) if better(polarity, before, now) => Direction::Worse,
        (Some(_), Some(_)) => Direction::Same,
        _ => Direction::First,
    };
    let next_due = target.frequency.months().and_then(|months| {
        let from = latest.map(|l| l.0).or(target.baseline_on)?;
        from.add_months(months)
    });
    let overdue = next_due.is_some_and(|due| today > due);
    let set_by_hand = target
        .status_override
        .map(|s| (s, target.override_reason.clone()));
    let points = trajectory(target);
    let unit = target.unit.as_str();
    let then = match direction {
        Direction::First => String::new(),
        d => format!(", {}", fold_case(d.label())),
    };

    let mut expected = None;
    let mut shortfall_percent = None;
    let (status, detail) = match latest {
        None => (
            TargetStatus::NotYetMeasured,
            "no figure has been entered yet".to_owned(),
        ),
        Some((_, value))
            if target
                .target_value
                .is_some_and(|goal| !better(polarity, goal.get(), value)) =>
        {
            let goal = target.target_value.map(|g| g.get()).unwrap_or(value);
            (
                TargetStatus::Achieved,
                format!("the target of {} is met", format_figure(goal, unit)),
            )
        }
        Some((day, value)) => match expected_on(&points, day) {
            None => (
                TargetStatus::NoTrajectory,
                "there is no dated baseline, milestone or target to compare the figures with"
                    .to_owned(),
            ),
            Some((want, words)) => {
                expected = Some(want);
                // How far behind, in the target's own direction (negative when ahead).
                let behind = match polarity {
                    Polarity::HigherIsBetter => want - value,
                    Polarity::LowerIsBetter => value - want,
                };
                let scale = if want.abs() > 1e-9 {
                    want.abs()
                } else {
                    points
                        .iter()
                        .map(|p| p.1.abs())
                        .fold(0.0, f64::max)
                        .max(1.0)
                };
                let mut share = behind / scale * 100.0;
                if share.is_nan() {
                    // Only infinite over infinite: values so far apart it is off the scale.
                    share = if behind < 0.0 {
                        f64::NEG_INFINITY
                    } else {
                        f64::INFINITY
                    };
                }
                shortfall_percent = Some(share);
                let tolerance = target.tolerance_percent.get();
                if behind <= 0.0 {
                    let detail = if behind == 0.0 {
                        format!("level with {words}")
                    } else {
                        format!("{} ahead of {words}", percent(share))
                    };
                    (TargetStatus::OnTrack, detail)
                } else if share <= tolerance + EDGE {
                    (
                        TargetStatus::AtRisk,
                        format!("{} short of {words}", percent(share)),
                    )
                } else {
                    (
                        TargetStatus::OffTrack,
                        format!("{} short of {words}", percent(share)),
                    )
                }
            }
        },
    };
    let sentence = format!("{}: {detail}{then}.", status.label());
    Assessment {
        status,
        set_by_hand,
        direction,
        latest,
        expected,
        shortfall_percent,
        next_due,
        overdue,
        sentence,
    }
}

labelled_enum! {
    /// What a target lacks to be SMART (specific, measurable, achievable, relevant and
    /// timebound), as Redditch's Task and Finish Group asked of the next strategy's targets.
    pub enum SmartGap {
        NoUnit => ("No measure", "Say what a figure counts, such as % or a rate per 1,000."),
        NoBaseline => ("No baseline", "Add the baseline: where things stood when the target was set, and when."),
        NoTargetValue => ("No target value", "Add the value to reach."),
        NoDeadline => ("No deadline", "Add the date by which the target should be reached."),
        NoOwner => ("No owner", "Choose the organisation answerable for the target."),
        NoSource => ("No data source", "Say where the figures come from, so anyone can check them."),
        NoImprovement => ("Target no better than baseline", "The target asks for no improvement on the baseline: check the value and whether higher or lower is better."),
    }
}

/// What `t` lacks to be SMART, in the order a person would put it right; empty when nothing.
pub fn smart_check(t: &Target) -> Vec<SmartGap> {
    let mut gaps = Vec::new();
    if t.unit.trim().is_empty() {
        gaps.push(SmartGap::NoUnit);
    }
    if t.baseline.is_none() || t.baseline_on.is_none() {
        gaps.push(SmartGap::NoBaseline);
    }
    if t.target_value.is_none() {
        gaps.push(SmartGap::NoTargetValue);
    }
    if t.deadline.is_none() {
        gaps.push(SmartGap::NoDeadline);
    }
    if t.owner_id.is_none() {
        gaps.push(SmartGap::NoOwner);
    }
    if t.source.trim().is_empty() {
        gaps.push(SmartGap::NoSource);
    }
    if let (Some(from), Some(to)) = (t.baseline, t.target_value)
        && !better(t.polarity, to.get(), from.get())
    {
        gaps.push(SmartGap::NoImprovement);
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{OrganisationId, PartnershipId};
    use crate::strategy::records::{Figure, Frequency, Milestone, PriorityId};

    fn day(y: u16, m: u8, d: u8) -> IsoDate {
        IsoDate::known(y, m, d)
    }

    /// NI 75 in the manner of Redditch's strategy (illustrative figures): 48% of pupils with
    /// five good GCSEs in 2010, 52% expected by 2012, 56% by 2014; a 5% tolerance.
    fn gcses() -> Target {
        Target {
            partnership_id: PartnershipId::new(1, [1; 10]),
            priority_id: PriorityId::new(2, [2; 10]),
            name: "Pupils achieving 5 or more A*-C GCSEs including English and Maths".into(),
            code: "NI 75".into(),
            unit: "%".into(),
            polarity: Polarity::HigherIsBetter,
            baseline: Some(Figure::known(48.0)),
            baseline_on: Some(day(2010, 8, 31)),
            target_value: Some(Figure::known(56.0)),
            deadline: Some(day(2014, 8, 31)),
            milestones: vec![Milestone {
                on: day(2012, 8, 31),
                value: Figure::known(52.0),
            }],
            tolerance_percent: Figure::known(5.0),
            source: "Department for Education performance tables".into(),
            frequency: Frequency::Yearly,
            owner_id: Some(OrganisationId::new(3, [3; 10])),
            laa: false,
            status_override: None,
            override_reason: String::new(),
        }
    }

    #[test]
    fn with_no_figure_a_target_is_not_yet_measured() {
        let a = assess(&gcses(), &[], day(2011, 1, 1));
        assert_eq!(a.status, TargetStatus::NotYetMeasured);
        assert_eq!(a.direction, Direction::First);
        assert_eq!(
            a.sentence,
            "Not yet measured: no figure has been entered yet."
        );
        // The first figure is due a year after the baseline.
        assert_eq!(a.next_due, Some(day(2011, 8, 31)));
        assert!(!a.overdue);
    }

    #[test]
    fn a_figure_on_a_milestone_short_by_less_than_the_tolerance_is_at_risk() {
        // 48 against 52: 7.7% short, more than the 5% tolerance; 50 is 3.8% short.
        let figures = [(day(2011, 8, 31), 47.0), (day(2012, 8, 31), 50.0)];
        let a = assess(&gcses(), &figures, day(2012, 9, 1));
        assert_eq!(a.status, TargetStatus::AtRisk);
        assert_eq!(a.expected, Some(52.0));
        assert_eq!(
            a.sentence,
            "At risk: 4% short of this year's milestone, better than last time."
        );
        let off = assess(&gcses(), &[(day(2012, 8, 31), 47.8)], day(2012, 9, 1));
        assert_eq!(off.status, TargetStatus::OffTrack);
        assert_eq!(
            off.sentence,
            "Off track: 8% short of this year's milestone."
        );
    }

    #[test]
    fn between_points_the_trajectory_is_interpolated_by_date() {
        // Halfway (by days) from 48 in 2010 to 52 in 2012: about 50.
        let a = assess(&gcses(), &[(day(2011, 8, 31), 50.5)], day(2011, 9, 1));
        let expected = a.expected.unwrap_or_default();
        assert!((expected - 50.0).abs() < 0.01, "{expected}");
        assert_eq!(a.status, TargetStatus::OnTrack);
        assert_eq!(
            a.sentence,
            "On track: 1% ahead of the trajectory to the milestone for 31 August 2012."
        );
    }

    #[test]
    fn a_target_already_met_is_achieved_before_its_deadline() {
        let figures = [(day(2011, 8, 31), 51.0), (day(2012, 8, 31), 57.5)];
        let a = assess(&gcses(), &figures, day(2012, 9, 1));
        assert_eq!(a.status, TargetStatus::Achieved);
        assert_eq!(
            a.sentence,
            "Achieved: the target of 56% is met, better than last time."
        );
    }

    /// NI 112, the under-18 conception rate (illustrative figures): lower is better.
    fn conceptions() -> Target {
        Target {
            name: "Under 18 conception rate".into(),
            code: "NI 112".into(),
            unit: "per 1,000 women aged 15 to 17".into(),
            polarity: Polarity::LowerIsBetter,
            baseline: Some(Figure::known(50.0)),
            baseline_on: Some(day(2010, 12, 31)),
            target_value: Some(Figure::known(40.0)),
            deadline: Some(day(2014, 12, 31)),
            milestones: Vec::new(),
            tolerance_percent: Figure::known(10.0),
            frequency: Frequency::Yearly,
            ..gcses()
        }
    }

    #[test]
    fn when_lower_is_better_a_rise_is_worse_and_a_fall_below_the_target_is_achieved() {
        // 2012 halfway: 45 expected. 48 is 6.7% over it: within the 10% tolerance.
        let figures = [(day(2011, 12, 31), 46.0), (day(2012, 12, 31), 48.0)];
        let a = assess(&conceptions(), &figures, day(2013, 1, 2));
        assert_eq!(a.status, TargetStatus::AtRisk);
        assert_eq!(a.direction, Direction::Worse);
        assert!(
            a.sentence.ends_with("worse than last time."),
            "{}",
            a.sentence
        );
        let fallen = [(day(2011, 12, 31), 46.0), (day(2012, 12, 31), 43.0)];
        let b = assess(&conceptions(), &fallen, day(2013, 1, 2));
        assert_eq!(b.status, TargetStatus::OnTrack);
        assert_eq!(b.direction, Direction::Better);
        let met = assess(
            &conceptions(),
            &[(day(2012, 12, 31), 39.0)],
            day(2013, 1, 2),
        );
        assert_eq!(met.status, TargetStatus::Achieved);
        // 52 where 45 is expected: 16% over, beyond the tolerance.
        let off = assess(
            &conceptions(),
            &[(day(2012, 12, 31), 52.0)],
            day(2013, 1, 2),
        );
        assert_eq!(off.status, TargetStatus::OffTrack);
    }

    #[test]
    fn a_cumulative_trajectory_from_zero_is_judged_against_the_running_total() {
        // Illustrative: affordable homes delivered since April 2011, a running total.
        let homes = Target {
            name: "Affordable homes delivered since April 2011".into(),
            code: "NI 155".into(),
            unit: "homes".into(),
            baseline: Some(Figure::known(0.0)),
            baseline_on: Some(day(2011, 4, 1)),
            target_value: Some(Figure::known(400.0)),
            deadline: Some(day(2014, 3, 31)),
            milestones: vec![
                Milestone {
                    on: day(2012, 3, 31),
                    value: Figure::known(100.0),
                },
                Milestone {
                    on: day(2013, 3, 31),
                    value: Figure::known(250.0),
                },
            ],
            ..gcses()
        };
        let figures = [(day(2012, 3, 31), 110.0), (day(2013, 3, 31), 240.0)];
        let a = assess(&homes, &figures, day(2013, 4, 2));
        assert_eq!(a.expected, Some(250.0));
        assert_eq!(a.status, TargetStatus::AtRisk);
        assert_eq!(
            a.sentence,
            "At risk: 4% short of this year's milestone, better than last time."
        );
        // At the very start the expected total is 0: the shortfall is measured against the
        // whole trajectory rather than divided by zero.
        let early = assess(&homes, &[(day(2011, 4, 1), 0.0)], day(2011, 4, 2));
        assert_eq!(early.status, TargetStatus::OnTrack);
        assert_eq!(early.sentence, "On track: level with the baseline.");
    }

    #[test]
    fn a_figure_not_come_in_by_its_frequency_is_overdue() {
        let mut t = gcses();
        t.frequency = Frequency::Quarterly;
        let figures = [(day(2011, 3, 31), 49.0)];
        let due = assess(&t, &figures, day(2011, 6, 30));
        assert_eq!(due.next_due, Some(day(2011, 6, 30)));
        assert!(!due.overdue, "due today is not yet overdue");
        let late = assess(&t, &figures, day(2011, 7, 1));
        assert!(late.overdue);
        t.frequency = Frequency::Irregular;
        let never = assess(&t, &figures, day(2020, 1, 1));
        assert_eq!(never.next_due, None);
        assert!(!never.overdue);
    }

    #[test]
    fn the_tolerance_is_inclusive_and_zero_tolerance_has_no_at_risk() {
        let mut t = gcses();
        // 52 expected on the milestone; 49.4 is exactly 5% short.
        let at_edge = [(day(2012, 8, 31), 49.4)];
        assert_eq!(
            assess(&t, &at_edge, day(2012, 9, 1)).status,
            TargetStatus::AtRisk
        );
        let beyond = [(day(2012, 8, 31), 49.39)];
        assert_eq!(
            assess(&t, &beyond, day(2012, 9, 1)).status,
            TargetStatus::OffTrack
        );
        let level = [(day(2012, 8, 31), 52.0)];
        assert_eq!(
            assess(&t, &level, day(2012, 9, 1)).status,
            TargetStatus::OnTrack
        );
        t.tolerance_percent = Figure::known(0.0);
        assert_eq!(
            assess(&t, &[(day(2012, 8, 31), 51.99)], day(2012, 9, 1)).status,
            TargetStatus::OffTrack
        );
    }

    #[test]
    fn with_no_baseline_the_milestones_and_target_still_judge() {
        let mut t = gcses();
        t.baseline = None;
        t.baseline_on = None;
        let a = assess(&t, &[(day(2011, 8, 31), 50.0)], day(2011, 9, 1));
        // Before the first point, the first point is what is expected.
        assert_eq!(a.expected, Some(52.0));
        assert_eq!(a.status, TargetStatus::AtRisk);
        assert!(smart_check(&t).contains(&SmartGap::NoBaseline));
        // With nothing dated at all there is nothing to compare.
        t.milestones.clear();
        t.deadline = None;
        let b = assess(&t, &[(day(2011, 8, 31), 50.0)], day(2011, 9, 1));
        assert_eq!(b.status, TargetStatus::NoTrajectory);
        assert_eq!(b.expected, None);
    }

    #[test]
    fn a_status_set_by_hand_is_kept_beside_the_computed_one() {
        let mut t = gcses();
        t.status_override = Some(TargetStatus::OnTrack);
        t.override_reason = "The 2012 results were re-marked upwards.".into();
        let a = assess(&t, &[(day(2012, 8, 31), 45.0)], day(2012, 9, 1));
        assert_eq!(a.status, TargetStatus::OffTrack);
        assert_eq!(
            a.set_by_hand,
            Some((
                TargetStatus::OnTrack,
                "The 2012 results were re-marked upwards.".to_owned()
            ))
        );
    }

    #[test]
    fn the_smart_check_lists_what_is_missing() {
        assert_eq!(smart_check(&gcses()), []);
        let bare = Target {
            unit: String::new(),
            baseline: None,
            target_value: None,
            deadline: None,
            owner_id: None,
            source: " ".into(),
            ..gcses()
        };
        assert_eq!(
            smart_check(&bare),
            [
                SmartGap::NoUnit,
                SmartGap::NoBaseline,
                SmartGap::NoTargetValue,
                SmartGap::NoDeadline,
                SmartGap::NoOwner,
                SmartGap::NoSource,
            ]
        );
        let backwards = Target {
            polarity: Polarity::LowerIsBetter,
            ..gcses()
        };
        assert_eq!(smart_check(&backwards), [SmartGap::NoImprovement]);
    }

    use proptest::prelude::*;

    fn any_day() -> impl Strategy<Value = IsoDate> {
        (-700_000i64..2_900_000).prop_filter_map("a day", IsoDate::from_days_since_epoch)
    }

    fn any_value() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>(),
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(f64::MAX),
            Just(-f64::MAX),
            Just(0.0),
            -1e3f64..1e3,
        ]
    }

    fn figure() -> impl Strategy<Value = Option<Figure>> {
        any_value().prop_map(Figure::new)
    }

    proptest! {
        #![proptest_config(crate::test_text::config())]

        #[test]
        fn no_target_figures_or_dates_make_the_rule_panic(
            baseline in figure(),
            baseline_on in proptest::option::of(any_day()),
            goal in figure(),
            deadline in proptest::option::of(any_day()),
            milestones in proptest::collection::vec((any_day(), figure()), 0..4),
            tolerance in figure(),
            figures in proptest::collection::vec((any_day(), any_value()), 0..5),
            today in any_day(),
            lower in any::<bool>(),
            frequency in proptest::sample::select(Frequency::ALL),
        ) {
            let t = Target {
                baseline,
                baseline_on,
                target_value: goal,
                deadline,
                milestones: milestones
                    .into_iter()
                    .filter_map(|(on, v)| v.map(|value| Milestone { on, value }))
                    .collect(),
                tolerance_percent: tolerance.unwrap_or(Figure::known(5.0)),
                polarity: if lower { Polarity::LowerIsBetter } else { Polarity::HigherIsBetter },
                frequency,
                ..gcses()
            };
            let a = assess(&t, &figures, today);
            prop_assert!(!a.sentence.is_empty());
            prop_assert!(a.sentence.starts_with(a.status.label()));
            prop_assert!(a.expected.is_none_or(|e| !e.is_nan()));
            prop_assert!(a.shortfall_percent.is_none_or(|s| !s.is_nan()));
            let _ = smart_check(&t);
        }
    }
}
