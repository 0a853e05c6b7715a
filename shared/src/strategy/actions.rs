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
use crate::structure::domain::labelled_enum;
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

/// The expectations of a plan (seed 003) judged on `today`: at least three key actions,
/// provided by its due date, and every key action with a lead organisation and a due date.
/// (Reporting the LAA targets its actions serve is judged where the targets are.)
pub fn plan_checks(plan: &ActionPlan, actions: &[&KeyAction], today: IsoDate) -> Vec<PlanCheck> {
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
        let on_time = plan_checks(&plan(Some("2009-06-12")), &all, date("2009-07-01"));
        assert!(
            on_time.iter().all(|c| c.outcome == CheckOutcome::Met),
            "{on_time:?}"
        );

        let late = plan_checks(&plan(Some("2009-07-02")), &all[..2], date("2009-08-01"));
        assert_eq!(late[0].outcome, CheckOutcome::NotMet);
        assert_eq!(late[0].finding, "2 key actions");
        assert_eq!(
            late[1].finding,
            "Provided on 2 July 2009, 2 days after the due date (30 June 2009)"
        );

        let waiting = plan_checks(&plan(None), &[], date("2009-05-01"));
        assert_eq!(waiting[1].outcome, CheckOutcome::NotYet);
        let missed = plan_checks(&plan(None), &[], date("2009-07-10"));
        assert_eq!(
            missed[1].finding,
            "Not provided: it was due on 30 June 2009, 10 days ago"
        );

        let mut no_lead = action(None, None);
        no_lead.lead_organisation_id = None;
        let checks = plan_checks(&plan(None), &[&no_lead], date("2009-05-01"));
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
}
