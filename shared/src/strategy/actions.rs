//! Action plans: each Priority Action Group sets the key actions it will deliver in the year,
//! with a lead organisation and a due date, and the priorities and targets each serves (one
//! action may serve several).
//!
//! Seed 003's "Expectations of PAGs 2009/10" are rules the app checks ([`plan_checks`]):
//! "Establish three key actions", "Provide an Action Plan by June 2009 to include at least the
//! 3 key actions", "Report Hampshire LAA performance targets (where applicable)". Nothing here
//! is a status typed by hand: an action is done when it has a completion date, and overdue
//! when its due date has passed without one ([`action_status`]). Today is passed in; shared
//! code never reads the clock.

use serde::{Deserialize, Serialize};

use crate::accounts::Access;
use crate::date::IsoDate;
use crate::entity::{EntityKind, Record, RefField};
use crate::ids::{BodyId, OrganisationId, PartnershipId, define_id};
use crate::order::{sort, sort_by_key};
use crate::replica::Snapshot;
use crate::strategy::{Target, TargetId, assess};
use crate::structure::domain::labelled_enum;
use crate::text::fold_case;
use crate::validate::{Errors, FieldError, Validate};

define_id!(
    /// A group's action plan for one year.
    ActionPlanId
);
define_id!(
    /// A key action of an action plan.
    KeyActionId
);

/// The fewest key actions a plan should hold (seed 003: "at least the 3 key actions").
pub const LEAST_KEY_ACTIONS: usize = 3;

/// How near a due date counts as "due soon", in days.
pub const DUE_SOON_DAYS: i64 = 30;

/// A group's action plan for one year (April to March, as councils count).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionPlan {
    pub partnership_id: PartnershipId,
    /// The group whose plan it is. Not a reference: deleting the group keeps its plans, as
    /// the record of what it undertook.
    pub body_id: BodyId,
    /// The year it starts: 2009 for 2009/10.
    pub year: u32,
    /// When the plan is due: seed 003 asks for it "by June".
    pub due_on: IsoDate,
    /// When the group provided it; none while it has not.
    #[serde(default)]
    pub provided_on: Option<IsoDate>,
    #[serde(default)]
    pub summary: String,
}

impl Record for ActionPlan {
    type Id = ActionPlanId;
    const WIRE_NAME: &'static str = "action_plan";
    const NOUN: &'static str = "action plan";
    const PLURAL: &'static str = "action plans";
    const REFERENCES: &'static [RefField<Self>] =
        &[RefField::partnership(|p| Some(p.partnership_id.0))];
    const WRITE: Access = Access::Lead;
}

impl ActionPlan {
    /// "2009/10".
    pub fn year_label(&self) -> String {
        year_label(self.year)
    }
}

/// "2009/10" for 2009; "1999/00" for 1999.
pub fn year_label(year: u32) -> String {
    format!("{year}/{:02}", (year + 1) % 100)
}

/// The default due date of a plan starting in `year`: the last day of June (seed 003).
pub fn default_due_on(year: u32) -> Option<IsoDate> {
    IsoDate::new(year, 6, 30)
}

/// A key action of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyAction {
    pub partnership_id: PartnershipId,
    pub action_plan_id: ActionPlanId,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The organisation that leads it (not a reference, like a plan's group).
    #[serde(default)]
    pub lead_organisation_id: Option<OrganisationId>,
    #[serde(default)]
    pub due_on: Option<IsoDate>,
    /// When it was done; none until then.
    #[serde(default)]
    pub completed_on: Option<IsoDate>,
    /// The latest word on its progress.
    #[serde(default)]
    pub progress: String,
    /// The priorities and targets it serves, by id (links, not references: deleting a
    /// priority leaves the action in place without that link).
    #[serde(default)]
    pub priority_ids: Vec<super::PriorityId>,
    #[serde(default)]
    pub target_ids: Vec<super::TargetId>,
}

impl Record for KeyAction {
    type Id = KeyActionId;
    const WIRE_NAME: &'static str = "key_action";
    const NOUN: &'static str = "key action";
    const PLURAL: &'static str = "key actions";
    const REFERENCES: &'static [RefField<Self>] = &[
        RefField::partnership(|a| Some(a.partnership_id.0)),
        RefField::new(EntityKind::ActionPlan, "action_plan_id", |a| {
            Some(a.action_plan_id.0)
        }),
    ];
    const WRITE: Access = Access::Lead;
}

impl Validate for ActionPlan {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        if !(2000..=2100).contains(&self.year) {
            e.0.push(FieldError::new(
                "year",
                "Enter the year the plan starts, from 2000 to 2100, for example 2009 for 2009/10",
            ));
        }
        e.text("summary", &self.summary, "the summary");
        e.finish()
    }
}

impl Validate for KeyAction {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        e.required_name("title", &self.title, "what the action is");
        e.text("description", &self.description, "the description");
        e.text("progress", &self.progress, "the progress note");
        e.finish()
    }
}

labelled_enum! {
    /// Where a key action stands, worked out from its dates (never typed).
    pub enum ActionStatus {
        Done => ("Done", "It has a completion date."),
        Overdue => ("Overdue", "Its due date has passed and it is not done."),
        DueSoon => ("Due soon", "It is due within 30 days."),
        OnSchedule => ("On schedule", "It is due later."),
        NoDueDate => ("No due date", "It has no due date, so nobody can tell whether it is on time."),
    }
}

/// Where `action` stands on `today`, with a sentence that says why.
pub fn action_status(action: &KeyAction, today: IsoDate) -> (ActionStatus, String) {
    match (action.completed_on, action.due_on) {
        (Some(done), Some(due)) if done > due => (
            ActionStatus::Done,
            format!(
                "Done on {}, {} after it was due",
                done.long(),
                days(due.days_until(done))
            ),
        ),
        (Some(done), _) => (ActionStatus::Done, format!("Done on {}", done.long())),
        (None, None) => (
            ActionStatus::NoDueDate,
            "No due date: add one so the group can tell whether it is on time".to_owned(),
        ),
        (None, Some(due)) => {
            let left = today.days_until(due);
            if left < 0 {
                (
                    ActionStatus::Overdue,
                    format!("Overdue by {} (due {})", days(-left), due.long()),
                )
            } else if left == 0 {
                (ActionStatus::DueSoon, "Due today".to_owned())
            } else if left <= DUE_SOON_DAYS {
                (
                    ActionStatus::DueSoon,
                    format!("Due in {} ({})", days(left), due.long()),
                )
            } else {
                (ActionStatus::OnSchedule, format!("Due on {}", due.long()))
            }
        }
    }
}

/// "1 day", "12 days".
fn days(n: i64) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

labelled_enum! {
    /// Whether a plan meets one of the partnership's expectations.
    pub enum CheckOutcome {
        Met => ("Met", "The plan meets this expectation."),
        NotMet => ("Not met", "The plan does not meet this expectation."),
        NotYet => ("Not yet due", "It cannot be judged until the due date."),
        DoesNotApply => ("Does not apply", "Nothing in the plan calls for it."),
    }
}

/// One expectation of a plan, judged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanCheck {
    pub outcome: CheckOutcome,
    /// What was expected, as seed 003 puts it.
    pub expectation: &'static str,
    /// What the plan shows, in a sentence.
    pub finding: String,
}

/// A Local Area Agreement target that applies to a plan, with its figures.
#[derive(Clone, Debug, PartialEq)]
pub struct LaaFigures<'a> {
    pub target: &'a Target,
    pub figures: Vec<(IsoDate, f64)>,
}

impl Snapshot {
    /// The Local Area Agreement targets that apply to a group's plan: those of the priorities
    /// the group owns in a strategy whose period meets the plan's year, and those its key
    /// actions serve. Each once, by name.
    pub fn laa_targets_of_plan(
        &self,
        plan: &ActionPlan,
        actions: &[&KeyAction],
    ) -> Vec<LaaFigures<'_>> {
        let mut ids: Vec<TargetId> = self
            .priorities_owned_by(plan.body_id)
            .into_iter()
            .filter(|(_, p)| {
                self.strategies.get(&p.strategy_id).is_some_and(|s| {
                    u32::from(s.first_year) <= plan.year.saturating_add(1)
                        && u32::from(s.last_year) >= plan.year
                })
            })
            .flat_map(|(pid, _)| self.targets_of(pid).into_iter().map(|(id, _)| id))
            .chain(actions.iter().flat_map(|a| a.target_ids.iter().copied()))
            .collect();
        sort(&mut ids);
        ids.dedup();
        let mut found: Vec<LaaFigures<'_>> = ids
            .into_iter()
            .filter_map(|id| {
                let target = self.targets.get(&id).filter(|t| t.laa)?;
                let figures = self
                    .measurements_of(id)
                    .into_iter()
                    .map(|(_, m)| (m.on, m.value.get()))
                    .collect();
                Some(LaaFigures { target, figures })
            })
            .collect();
        sort_by_key(&mut found, |l| fold_case(&l.target.name));
        found
    }
}

/// The first and last days of a plan's year: 1 April to 31 March.
pub fn plan_year(year: u32) -> Option<(IsoDate, IsoDate)> {
    Some((
        IsoDate::new(year, 4, 1)?,
        IsoDate::new(year.checked_add(1)?, 3, 31)?,
    ))
}

/// Seed 003's "Report Hampshire LAA performance targets (where applicable)", judged on
/// `today` for the targets that apply ([`Snapshot::laa_targets_of_plan`]). A target is
/// behind when, on today (or the year's last day, once the year is over), a figure is overdue
/// by its frequency ([`assess`]), or the year is over without a figure dated within it.
pub fn laa_check(plan: &ActionPlan, laa: &[LaaFigures<'_>], today: IsoDate) -> PlanCheck {
    let expectation = "Local Area Agreement targets reported, where they apply";
    let check = |outcome, finding| PlanCheck {
        outcome,
        expectation,
        finding,
    };
    if laa.is_empty() {
        return check(
            CheckOutcome::DoesNotApply,
            "None of the group's targets is a Local Area Agreement target".to_owned(),
        );
    }
    let Some((start, end)) = plan_year(plan.year) else {
        return check(
            CheckOutcome::NotYet,
            "The plan's year cannot be read".to_owned(),
        );
    };
    if today < start {
        return check(
            CheckOutcome::NotYet,
            format!("Figures are due from {}", start.long()),
        );
    }
    let as_of = today.min(end);
    let behind: Vec<String> = laa
        .iter()
        .filter_map(|l| {
            let known: Vec<(IsoDate, f64)> =
                l.figures.iter().copied().filter(|f| f.0 <= as_of).collect();
            let in_year = known.iter().any(|f| f.0 >= start);
            let a = assess(l.target, &known, as_of);
            let name = if l.target.code.is_empty() {
                l.target.name.clone()
            } else {
                format!("{} ({})", l.target.name, l.target.code)
            };
            match (a.overdue, a.next_due) {
                (true, Some(due)) => Some(format!("{name}: a figure was due by {}", due.long())),
                _ if today > end && !in_year => {
                    Some(format!("{name}: no figure for {}", plan.year_label()))
                }
                _ => None,
            }
        })
        .collect();
    let n = laa.len();
    let targets = if n == 1 {
        "1 LAA target".to_owned()
    } else {
        format!("{n} LAA targets")
    };
    if behind.is_empty() {
        check(
            CheckOutcome::Met,
            format!("{targets}, each reported as often as it should be"),
        )
    } else {
        check(
            CheckOutcome::NotMet,
            format!("{targets}; not reported: {}", behind.join("; ")),
        )
    }
}

/// The expectations of a plan (seed 003) judged on `today`: at least three key actions,
/// provided by its due date, every key action with a lead organisation and a due date, and
/// the Local Area Agreement targets that apply (`laa`, from
/// [`Snapshot::laa_targets_of_plan`]) reported ([`laa_check`]).
pub fn plan_checks(
    plan: &ActionPlan,
    actions: &[&KeyAction],
    laa: &[LaaFigures<'_>],
    today: IsoDate,
) -> Vec<PlanCheck> {
    let mut checks = Vec::new();
    let n = actions.len();
    checks.push(PlanCheck {
        outcome: if n >= LEAST_KEY_ACTIONS {
            CheckOutcome::Met
        } else {
            CheckOutcome::NotMet
        },
        expectation: "At least three key actions, to be delivered in the coming 12 months",
        finding: match n {
            0 => "No key actions yet".to_owned(),
            1 => "1 key action".to_owned(),
            n => format!("{n} key actions"),
        },
    });
    let due = plan.due_on;
    let (outcome, finding) = match plan.provided_on {
        Some(on) if on <= due => (
            CheckOutcome::Met,
            format!("Provided on {}, by the due date", on.long()),
        ),
        Some(on) => (
            CheckOutcome::NotMet,
            format!(
                "Provided on {}, {} after the due date ({})",
                on.long(),
                days(due.days_until(on)),
                due.long()
            ),
        ),
        None if today > due => (
            CheckOutcome::NotMet,
            format!(
                "Not provided: it was due on {}, {} ago",
                due.long(),
                days(due.days_until(today))
            ),
        ),
        None => (CheckOutcome::NotYet, format!("Due by {}", due.long())),
    };
    checks.push(PlanCheck {
        outcome,
        expectation: "The action plan provided by June",
        finding,
    });
    let missing: Vec<&str> = actions
        .iter()
        .filter(|a| a.lead_organisation_id.is_none() || a.due_on.is_none())
        .map(|a| a.title.as_str())
        .collect();
    checks.push(PlanCheck {
        outcome: if missing.is_empty() {
            CheckOutcome::Met
        } else {
            CheckOutcome::NotMet
        },
        expectation: "Every key action has a lead organisation and a due date",
        finding: if missing.is_empty() {
            "Every key action has both".to_owned()
        } else {
            format!("Missing a lead or a due date: {}", missing.join("; "))
        },
    });
    checks.push(laa_check(plan, laa, today));
    checks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::uuid_v7;

    fn date(s: &str) -> IsoDate {
        IsoDate::parse(s).expect("a date")
    }

    fn plan(provided: Option<&str>) -> ActionPlan {
        ActionPlan {
            partnership_id: PartnershipId(uuid_v7(1, [1; 10])),
            body_id: BodyId(uuid_v7(2, [2; 10])),
            year: 2009,
            due_on: default_due_on(2009).expect("30 June"),
            provided_on: provided.map(date),
            summary: String::new(),
        }
    }

    fn action(due: Option<&str>, done: Option<&str>) -> KeyAction {
        KeyAction {
            partnership_id: PartnershipId(uuid_v7(1, [1; 10])),
            action_plan_id: ActionPlanId(uuid_v7(3, [3; 10])),
            title: "Run a tenancy-sustainment pilot".into(),
            description: String::new(),
            lead_organisation_id: Some(OrganisationId(uuid_v7(4, [4; 10]))),
            due_on: due.map(date),
            completed_on: done.map(date),
            progress: String::new(),
            priority_ids: Vec::new(),
            target_ids: Vec::new(),
        }
    }

    #[test]
    fn an_action_is_done_overdue_due_soon_or_on_schedule_from_its_dates() {
        let today = date("2009-11-01");
        let status = |due, done| action_status(&action(due, done), today);
        assert_eq!(
            status(Some("2009-10-01"), None),
            (
                ActionStatus::Overdue,
                "Overdue by 31 days (due 1 October 2009)".to_owned()
            )
        );
        assert_eq!(status(Some("2009-11-01"), None).0, ActionStatus::DueSoon);
        assert_eq!(
            status(Some("2009-11-02"), None).1,
            "Due in 1 day (2 November 2009)"
        );
        assert_eq!(status(Some("2009-12-01"), None).0, ActionStatus::DueSoon);
        assert_eq!(status(Some("2009-12-02"), None).0, ActionStatus::OnSchedule);
        assert_eq!(status(None, None).0, ActionStatus::NoDueDate);
        assert_eq!(
            status(Some("2009-10-01"), Some("2009-10-03")).1,
            "Done on 3 October 2009, 2 days after it was due"
        );
        assert_eq!(
            status(None, Some("2009-10-03")),
            (ActionStatus::Done, "Done on 3 October 2009".to_owned())
        );
    }

    #[test]
    fn seed_003s_expectations_are_checked() {
        let three = [
            action(Some("2010-03-31"), None),
            action(Some("2010-03-31"), None),
            action(Some("2010-03-31"), None),
        ];
        let all: Vec<&KeyAction> = three.iter().collect();
        let on_time = plan_checks(&plan(Some("2009-06-12")), &all, &[], date("2009-07-01"));
        assert!(
            on_time[..3].iter().all(|c| c.outcome == CheckOutcome::Met),
            "{on_time:?}"
        );
        assert_eq!(on_time[3].outcome, CheckOutcome::DoesNotApply);

        let late = plan_checks(
            &plan(Some("2009-07-02")),
            &all[..2],
            &[],
            date("2009-08-01"),
        );
        assert_eq!(late[0].outcome, CheckOutcome::NotMet);
        assert_eq!(late[0].finding, "2 key actions");
        assert_eq!(
            late[1].finding,
            "Provided on 2 July 2009, 2 days after the due date (30 June 2009)"
        );

        let waiting = plan_checks(&plan(None), &[], &[], date("2009-05-01"));
        assert_eq!(waiting[1].outcome, CheckOutcome::NotYet);
        let missed = plan_checks(&plan(None), &[], &[], date("2009-07-10"));
        assert_eq!(
            missed[1].finding,
            "Not provided: it was due on 30 June 2009, 10 days ago"
        );

        let mut no_lead = action(None, None);
        no_lead.lead_organisation_id = None;
        let checks = plan_checks(&plan(None), &[&no_lead], &[], date("2009-05-01"));
        assert_eq!(checks[2].outcome, CheckOutcome::NotMet);
        assert!(checks[2].finding.contains("tenancy-sustainment"));
    }

    #[test]
    fn a_year_reads_as_councils_write_it() {
        assert_eq!(year_label(2009), "2009/10");
        assert_eq!(year_label(1999), "1999/00");
        assert!(plan(None).validate().is_ok());
        let mut odd = plan(None);
        odd.year = 20091;
        assert_eq!(
            odd.validate().expect_err("a year out of range")[0].field,
            "year"
        );
        let mut blank = action(None, None);
        blank.title = "  ".into();
        assert_eq!(
            blank.validate().expect_err("a blank title")[0].field,
            "title"
        );
    }

    /// Seed 003's "Report Hampshire LAA performance targets (where applicable)": the LAA
    /// targets of the priorities a group owns and those its actions serve, quarterly here.
    #[test]
    fn laa_targets_that_apply_are_checked_for_figures_in_the_plans_year() {
        use crate::strategy::fixtures::{figure, priority, strategy, target};
        use crate::strategy::{Frequency, PriorityId, StrategyId, StrategyStatus, TargetId};

        let mut s = Snapshot::default();
        let now = StrategyId(uuid_v7(10, [10; 10]));
        let old = StrategyId(uuid_v7(11, [11; 10]));
        s.strategies
            .insert(now, strategy(2008, 2011, StrategyStatus::Adopted));
        s.strategies
            .insert(old, strategy(2004, 2007, StrategyStatus::Superseded));
        let group = plan(None).body_id;
        let owned = PriorityId(uuid_v7(12, [12; 10]));
        let mut p = priority(now, "Safer communities", 1);
        p.body_id = Some(group);
        s.priorities.insert(owned, p);
        let superseded = PriorityId(uuid_v7(13, [13; 10]));
        let mut p = priority(old, "Safer streets", 1);
        p.body_id = Some(group);
        s.priorities.insert(superseded, p);
        let other = PriorityId(uuid_v7(14, [14; 10]));
        s.priorities.insert(other, priority(now, "Housing", 2));

        let laa = |priority, code: &str, name: &str| {
            let mut t = target(priority, code, name);
            t.laa = true;
            t.frequency = Frequency::Quarterly;
            t.baseline_on = Some(date("2009-03-31"));
            t
        };
        let crime = TargetId(uuid_v7(20, [20; 10]));
        s.targets
            .insert(crime, laa(owned, "NI 16", "Serious acquisitive crime"));
        let homes = TargetId(uuid_v7(21, [21; 10]));
        s.targets
            .insert(homes, laa(other, "NI 155", "Affordable homes delivered"));
        // Neither an LAA target nor of a priority of this strategy: never asked for.
        let local = TargetId(uuid_v7(22, [22; 10]));
        s.targets.insert(
            local,
            target(owned, "", "Residents feeling safe after dark"),
        );
        let stale = TargetId(uuid_v7(23, [23; 10]));
        s.targets
            .insert(stale, laa(superseded, "NI 15", "Serious violent crime"));
        for (i, on) in ["2009-06-30", "2009-09-30"].iter().enumerate() {
            s.measurements.insert(
                crate::strategy::MeasurementId(uuid_v7(30 + i as u64, [30; 10])),
                figure(crime, date(on), 14.0),
            );
        }

        let group_plan = plan(Some("2009-06-12"));
        let none: Vec<&KeyAction> = Vec::new();
        let applies = s.laa_targets_of_plan(&group_plan, &none);
        assert_eq!(
            applies
                .iter()
                .map(|l| l.target.code.as_str())
                .collect::<Vec<_>>(),
            ["NI 16"],
            "the owned priority's LAA target only, not the superseded strategy's"
        );
        let check = |laa: &[LaaFigures<'_>], today| laa_check(&group_plan, laa, date(today));
        assert_eq!(check(&applies, "2009-03-01").outcome, CheckOutcome::NotYet);
        let met = check(&applies, "2009-11-15");
        assert_eq!(met.outcome, CheckOutcome::Met, "{met:?}");
        assert_eq!(
            met.finding,
            "1 LAA target, each reported as often as it should be"
        );
        let late = check(&applies, "2010-01-05");
        assert_eq!(late.outcome, CheckOutcome::NotMet);
        assert_eq!(
            late.finding,
            "1 LAA target; not reported: Serious acquisitive crime (NI 16): a figure was due \
             by 30 December 2009"
        );

        // An action serving the housing target brings it in; it has no figure at all.
        let mut serving = action(Some("2010-03-31"), None);
        serving.target_ids = vec![homes, local];
        let applies = s.laa_targets_of_plan(&group_plan, &[&serving]);
        assert_eq!(applies.len(), 2);
        let after = check(&applies, "2010-06-01");
        assert_eq!(after.outcome, CheckOutcome::NotMet);
        assert!(
            after
                .finding
                .contains("Affordable homes delivered (NI 155): a figure was due by 30 June 2009"),
            "{after:?}"
        );
        // Judged at the year's end once it is over: a figure after 31 March does not count.
        s.measurements.insert(
            crate::strategy::MeasurementId(uuid_v7(40, [40; 10])),
            figure(homes, date("2010-05-01"), 3.0),
        );
        let applies = s.laa_targets_of_plan(&group_plan, &[&serving]);
        assert_eq!(check(&applies, "2010-06-01").outcome, CheckOutcome::NotMet);

        assert_eq!(check(&[], "2010-06-01").outcome, CheckOutcome::DoesNotApply);
    }

    /// A target with no frequency (figures "when available") is behind only when the year
    /// ends with no figure in it.
    #[test]
    fn an_irregular_laa_target_is_behind_only_when_the_year_passes_without_a_figure() {
        use crate::strategy::fixtures::target;
        use crate::strategy::{Frequency, PriorityId};
        let mut t = target(PriorityId(uuid_v7(5, [5; 10])), "", "Volunteering");
        t.laa = true;
        t.frequency = Frequency::Irregular;
        let plan = plan(None);
        let none = [LaaFigures {
            target: &t,
            figures: vec![(date("2009-01-31"), 20.0)],
        }];
        assert_eq!(
            laa_check(&plan, &none, date("2010-03-31")).outcome,
            CheckOutcome::Met
        );
        let after = laa_check(&plan, &none, date("2010-04-01"));
        assert_eq!(after.outcome, CheckOutcome::NotMet);
        assert!(
            after
                .finding
                .ends_with("Volunteering: no figure for 2009/10"),
            "{after:?}"
        );
    }
}
