//! Reviews by Task and Finish groups, and recommendations that track themselves.
//!
//! A [`Review`] makes numbered [`Recommendation`]s. What happens to each is a dated log of
//! [`RecommendationStep`]s: received, the response (with its answer: accepted, partially
//! accepted, accepted in principle, not accepted), actions planned with their due dates,
//! progress updates, evidence, completion, and the committee's sign-off. The committee reviews
//! progress at [`MonitoringSession`]s, every six months by default (seed 004, recommendation
//! 11).
//!
//! A recommendation's status is **derived from its log, never typed** ([`status_of`]), the way
//! Open Civic Data derives a bill's status from its actions: nobody can mark a recommendation
//! "completed" without a dated step that says so. "Accepted in principle" stays its own answer
//! and is never folded into "accepted".
//!
//! Deadlines. A response is due two months after the recommendation is received: for a
//! recommendation on a Local Area Agreement target that is the statutory period (The Local
//! Authorities (Overview and Scrutiny Committees) (England) Regulations 2009, SI 2009/1919);
//! the app holds every recommendation to it. Months are counted as deadlines are
//! ([`IsoDate::add_months`]: 31 August plus two months is 31 October, 31 December plus two
//! months is 28 or 29 February). The next monitoring session is due
//! [`Review::monitoring_months`] after the last one, or after the review reported.
//!
//! Like the rest of `shared`, nothing here reads a clock: "today" is always passed in.
//!
//! The one rule across records the server does not check is that a recommendation's number is
//! unique within its review: the form checks it ([`number_taken`]) before saving. Two devices
//! offline could still both add a number 16; the review page then shows both, in id order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::IsoDate;
use crate::entity::{EntityKind, Record, RefField};
use crate::ids::{BodyId, PartnershipId};
use crate::order::{sort_by, sort_by_key};
use crate::replica::Snapshot;
use crate::structure::domain::labelled_enum;
use crate::text::fold_case;
use crate::validate::{Errors, FieldError, MAX_NAME_CHARS, Validate};

crate::ids::define_id!(
    /// A review by a Task and Finish group.
    ReviewId
);
crate::ids::define_id!(
    /// One numbered recommendation of a review.
    RecommendationId
);
crate::ids::define_id!(
    /// One dated entry in a recommendation's log.
    RecommendationStepId
);
crate::ids::define_id!(
    /// A committee's session monitoring a review's recommendations.
    MonitoringSessionId
);

/// How many months a response is due after a recommendation is received (SI 2009/1919).
pub const RESPONSE_MONTHS: i32 = 2;
/// How often a committee monitors a review's recommendations, unless it says otherwise.
pub const DEFAULT_MONITORING_MONTHS: u32 = 6;

fn default_monitoring_months() -> u32 {
    DEFAULT_MONITORING_MONTHS
}

/// A review by a Task and Finish group, reporting to a council committee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub partnership_id: PartnershipId,
    pub title: String,
    /// The Task and Finish group that did the review. Not a reference: deleting the group
    /// leaves its review in place, without the link.
    #[serde(default)]
    pub body_id: Option<BodyId>,
    /// The committee it reports to ("Overview and Scrutiny Committee").
    #[serde(default)]
    pub committee: String,
    #[serde(default)]
    pub started_on: Option<IsoDate>,
    #[serde(default)]
    pub reported_on: Option<IsoDate>,
    /// The group's members, one name each.
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(default)]
    pub summary: String,
    /// How many months apart the committee monitors the recommendations.
    #[serde(default = "default_monitoring_months")]
    pub monitoring_months: u32,
}

impl Record for Review {
    type Id = ReviewId;
    const WIRE_NAME: &'static str = "review";
    const NOUN: &'static str = "review";
    const PLURAL: &'static str = "reviews";
    // The group is not a reference, like a finding's groups.
    const REFERENCES: &'static [RefField<Self>] =
        &[RefField::partnership(|r| Some(r.partnership_id.0))];
}

/// One numbered recommendation of a review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    pub partnership_id: PartnershipId,
    pub review_id: ReviewId,
    /// 1, 2, ...: unique within the review (the form checks it, see the module docs).
    pub number: u32,
    pub text: String,
    /// Who it asks to act: a body, a partner or an officer ("The Leader of the Council").
    #[serde(default)]
    pub addressed_to: String,
    /// Whether it concerns a Local Area Agreement target, for which the two-month response
    /// period is statutory (SI 2009/1919).
    #[serde(default)]
    pub on_laa_target: bool,
}

impl Record for Recommendation {
    type Id = RecommendationId;
    const WIRE_NAME: &'static str = "recommendation";
    const NOUN: &'static str = "recommendation";
    const PLURAL: &'static str = "recommendations";
    const REFERENCES: &'static [RefField<Self>] = &[
        RefField::partnership(|r| Some(r.partnership_id.0)),
        RefField::new(EntityKind::Review, "review_id", |r| Some(r.review_id.0)),
    ];
}

labelled_enum! {
    /// What happened, in one entry of a recommendation's log.
    pub enum StepKind {
        Received => ("Received", "The body, partner or officer it is addressed to received the recommendation. The response is due two months later."),
        Response => ("Response", "Their response: whether they accept it, and what they say."),
        ActionPlanned => ("Action planned", "An action to carry it out, with the date it is due."),
        Progress => ("Progress update", "What has happened since the last entry."),
        Evidence => ("Evidence", "Something that shows progress, with a link where there is one."),
        Completed => ("Completed", "The recommendation has been carried out."),
        SignedOff => ("Signed off by the committee", "The committee agreed that nothing more needs doing."),
    }
}

labelled_enum! {
    /// The answer a response gives to a recommendation.
    pub enum ResponseAnswer {
        Accepted => ("Accepted", "They will carry it out as written."),
        PartiallyAccepted => ("Partially accepted", "They will carry out part of it."),
        AcceptedInPrinciple => ("Accepted in principle", "They agree with it but have not committed to carrying it out."),
        NotAccepted => ("Not accepted", "They will not carry it out."),
    }
}

/// One dated entry in a recommendation's log. The log is what the status is derived from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendationStep {
    pub partnership_id: PartnershipId,
    pub recommendation_id: RecommendationId,
    pub date: IsoDate,
    pub what: StepKind,
    /// A response's answer; `None` when the response does not say (as in seed 004, whose
    /// responses report what was done).
    #[serde(default)]
    pub answer: Option<ResponseAnswer>,
    /// When a planned action is due.
    #[serde(default)]
    pub due_on: Option<IsoDate>,
    /// Evidence's web address, if it has one.
    #[serde(default)]
    pub link: String,
    #[serde(default)]
    pub text: String,
    /// Said beside the date, when the date is not exactly known ("Illustrative day: the paper
    /// gives January 2010 only").
    #[serde(default)]
    pub date_note: String,
}

impl Record for RecommendationStep {
    type Id = RecommendationStepId;
    const WIRE_NAME: &'static str = "recommendation_step";
    const NOUN: &'static str = "step";
    const PLURAL: &'static str = "steps";
    const REFERENCES: &'static [RefField<Self>] = &[
        RefField::partnership(|s| Some(s.partnership_id.0)),
        RefField::new(EntityKind::Recommendation, "recommendation_id", |s| {
            Some(s.recommendation_id.0)
        }),
    ];
}

/// A session at which a committee monitored a review's recommendations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitoringSession {
    pub partnership_id: PartnershipId,
    pub review_id: ReviewId,
    pub date: IsoDate,
    /// The meeting or committee ("Overview and Scrutiny Committee").
    #[serde(default)]
    pub held_at: String,
    #[serde(default)]
    pub note: String,
}

impl Record for MonitoringSession {
    type Id = MonitoringSessionId;
    const WIRE_NAME: &'static str = "monitoring_session";
    const NOUN: &'static str = "monitoring session";
    const PLURAL: &'static str = "monitoring sessions";
    const REFERENCES: &'static [RefField<Self>] = &[
        RefField::partnership(|s| Some(s.partnership_id.0)),
        RefField::new(EntityKind::Review, "review_id", |s| Some(s.review_id.0)),
    ];
}

// ------------------------------------------------------------------------- validation

/// The longest monitoring interval a review may set, in months.
pub const MAX_MONITORING_MONTHS: u32 = 24;

impl Validate for Review {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        e.required_name("title", &self.title, "the review's title");
        e.max_chars(
            "committee",
            &self.committee,
            MAX_NAME_CHARS,
            "the committee's name",
        );
        if let (Some(started), Some(reported)) = (self.started_on, self.reported_on)
            && reported < started
        {
            e.0.push(FieldError::new(
                "reported_on",
                "The date it reported must be on or after the date it started",
            ));
        }
        if let Some(long) = self
            .members
            .iter()
            .find(|m| m.chars().count() > MAX_NAME_CHARS)
        {
            e.max_chars("members", long, MAX_NAME_CHARS, "each member's name");
        }
        if self.members.iter().any(|m| m.trim().is_empty()) {
            e.0.push(FieldError::new(
                "members",
                "Enter each member's name on a line of its own, with no blank entries",
            ));
        }
        e.text("summary", &self.summary, "the summary");
        if !(1..=MAX_MONITORING_MONTHS).contains(&self.monitoring_months) {
            e.0.push(FieldError::new(
                "monitoring_months",
                format!(
                    "Enter how many months apart the committee monitors the recommendations, \
                     from 1 to {MAX_MONITORING_MONTHS}"
                ),
            ));
        }
        e.finish()
    }
}

impl Validate for Recommendation {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        if self.number == 0 {
            e.0.push(FieldError::new(
                "number",
                "Enter the recommendation's number, 1 or more",
            ));
        }
        if self.text.trim().is_empty() {
            e.0.push(FieldError::new("text", "Enter the recommendation"));
        } else {
            e.text("text", &self.text, "the recommendation");
        }
        e.max_chars(
            "addressed_to",
            &self.addressed_to,
            MAX_NAME_CHARS,
            "who it is addressed to",
        );
        e.finish()
    }
}

impl Validate for RecommendationStep {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        if self.answer.is_some() && self.what != StepKind::Response {
            e.0.push(FieldError::new(
                "answer",
                "Leave the answer empty: only a response has one",
            ));
        }
        match (self.what, self.due_on) {
            (StepKind::ActionPlanned, None) => e.0.push(FieldError::new(
                "due_on",
                "Enter the date the action is due",
            )),
            (StepKind::ActionPlanned, Some(due)) if due < self.date => e.0.push(FieldError::new(
                "due_on",
                "The due date must be on or after the date of the entry",
            )),
            (StepKind::ActionPlanned, Some(_)) | (_, None) => {}
            (_, Some(_)) => e.0.push(FieldError::new(
                "due_on",
                "Leave the due date empty: only a planned action has one",
            )),
        }
        let needs_text = match self.what {
            StepKind::Response => Some("Enter what the response says"),
            StepKind::Progress => Some("Enter what has happened"),
            StepKind::Evidence => Some("Describe the evidence"),
            _ => None,
        };
        match needs_text {
            Some(message) if self.text.trim().is_empty() => {
                e.0.push(FieldError::new("text", message))
            }
            _ => e.text("text", &self.text, "the text"),
        }
        let link = self.link.trim();
        if !link.is_empty() {
            if self.what != StepKind::Evidence {
                e.0.push(FieldError::new(
                    "link",
                    "Leave the link empty: only evidence has one",
                ));
            } else if !(link.starts_with("https://") || link.starts_with("http://"))
                || link.chars().any(char::is_whitespace)
            {
                e.0.push(FieldError::new(
                    "link",
                    "Enter a web address starting with https://, like https://www.redditchbc.gov.uk",
                ));
            } else {
                e.max_chars("link", link, 2_000, "the link");
            }
        }
        e.max_chars(
            "date_note",
            &self.date_note,
            MAX_NAME_CHARS,
            "the note on the date",
        );
        e.finish()
    }
}

impl Validate for MonitoringSession {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        e.max_chars(
            "held_at",
            &self.held_at,
            MAX_NAME_CHARS,
            "the meeting or committee",
        );
        e.text("note", &self.note, "the note");
        e.finish()
    }
}

// ------------------------------------------------------------------------- the status

labelled_enum! {
    /// A recommendation's status, derived from its log ([`status_of`]); never typed. The
    /// review page filters by it.
    pub enum Status {
        AwaitingResponse => ("Awaiting response", "Received; the response is not yet due."),
        ResponseOverdue => ("Response overdue", "The response was due two months after the recommendation was received and has not come."),
        Accepted => ("Accepted", "The response accepts it; no action is recorded yet."),
        PartiallyAccepted => ("Partially accepted", "The response accepts part of it; no action is recorded yet."),
        AcceptedInPrinciple => ("Accepted in principle", "The response agrees with it in principle, without committing to it; no action is recorded yet."),
        NotAccepted => ("Not accepted", "The response does not accept it."),
        Responded => ("Responded", "A response was given that does not say whether it accepts the recommendation."),
        InProgress => ("In progress", "Actions, progress or evidence are recorded, and no planned action is overdue."),
        ActionOverdue => ("Action overdue", "The latest planned action is past its due date and the recommendation is not completed."),
        Completed => ("Completed", "Carried out, waiting for the committee to sign it off."),
        SignedOff => ("Signed off", "The committee agreed that nothing more needs doing."),
    }
}

impl Status {
    /// Whether it counts as done in "N of M completed": completed or signed off.
    pub fn is_done(self) -> bool {
        matches!(self, Self::Completed | Self::SignedOff)
    }

    fn from_answer(answer: Option<ResponseAnswer>) -> Self {
        match answer {
            Some(ResponseAnswer::Accepted) => Self::Accepted,
            Some(ResponseAnswer::PartiallyAccepted) => Self::PartiallyAccepted,
            Some(ResponseAnswer::AcceptedInPrinciple) => Self::AcceptedInPrinciple,
            Some(ResponseAnswer::NotAccepted) => Self::NotAccepted,
            None => Self::Responded,
        }
    }
}

/// A recommendation's state on a day, from its log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecommendationState {
    pub status: Status,
    /// The latest response's answer (kept when actions follow, so "accepted in principle"
    /// stays visible while it is in progress).
    pub answer: Option<ResponseAnswer>,
    /// The latest response, if any.
    pub latest_response: Option<RecommendationStep>,
    /// When the response is (or was) due: two months after the first "received" entry. Set
    /// only while no response has come.
    pub response_due: Option<IsoDate>,
    /// When the latest planned action is due, while the recommendation is not completed.
    pub action_due: Option<IsoDate>,
    /// The date of the latest entry on or before the day.
    pub last_entry: Option<IsoDate>,
    /// The day the state is for.
    pub today: IsoDate,
}

/// Orders a log: by date, then in the order a log is naturally written (received before the
/// response before actions ...), so entries of one day read in a sensible order.
pub fn in_order(steps: &mut [(RecommendationStepId, RecommendationStep)]) {
    sort_by_key(steps, |(id, s)| (s.date, s.what, *id));
}

/// The state of a recommendation on `today` from its log: entries dated after `today` are
/// not counted (so a report for an earlier date shows the state then).
///
/// The rules, in order: signed off if the committee signed it off; completed if an entry says
/// so; else, once an action, progress update or evidence is recorded, action overdue if the
/// latest planned action's due date has passed, otherwise in progress; else the latest
/// response's answer (or "responded" when it gives none); else, if received, awaiting a
/// response until two months after it was received and overdue after that; else awaiting
/// response, with no date to count from.
pub fn status_of<'a>(
    steps: impl IntoIterator<Item = &'a RecommendationStep>,
    today: IsoDate,
) -> RecommendationState {
    let mut log: Vec<&RecommendationStep> = steps.into_iter().filter(|s| s.date <= today).collect();
    sort_by_key(&mut log, |s| (s.date, s.what));
    let has = |k: StepKind| log.iter().any(|s| s.what == k);
    let latest_response = log
        .iter()
        .rev()
        .find(|s| s.what == StepKind::Response)
        .map(|s| (*s).clone());
    let answer = latest_response.as_ref().and_then(|r| r.answer);
    let received = log
        .iter()
        .find(|s| s.what == StepKind::Received)
        .map(|s| s.date);
    let action_due = log
        .iter()
        .rev()
        .find(|s| s.what == StepKind::ActionPlanned)
        .and_then(|s| s.due_on);
    let acting = has(StepKind::ActionPlanned) || has(StepKind::Progress) || has(StepKind::Evidence);
    let done = has(StepKind::Completed) || has(StepKind::SignedOff);
    let status = if has(StepKind::SignedOff) {
        Status::SignedOff
    } else if has(StepKind::Completed) {
        Status::Completed
    } else if acting {
        match action_due {
            Some(due) if due < today => Status::ActionOverdue,
            _ => Status::InProgress,
        }
    } else if latest_response.is_some() {
        Status::from_answer(answer)
    } else {
        match received.and_then(response_due) {
            Some(due) if due < today => Status::ResponseOverdue,
            _ => Status::AwaitingResponse,
        }
    };
    RecommendationState {
        status,
        answer,
        response_due: if latest_response.is_none() {
            received.and_then(response_due)
        } else {
            None
        },
        action_due: if done { None } else { action_due },
        last_entry: log.last().map(|s| s.date),
        latest_response,
        today,
    }
}

/// When a response is due for a recommendation received on `received`: two months later.
pub fn response_due(received: IsoDate) -> Option<IsoDate> {
    received.add_months(RESPONSE_MONTHS)
}

/// "in 12 days", "today", "tomorrow" / "23 days overdue", "1 day overdue": how `due` stands
/// on `today`.
pub fn days_words(due: IsoDate, today: IsoDate) -> String {
    let n = today.days_until(due);
    match n {
        0 => "due today".to_owned(),
        1 => "due tomorrow".to_owned(),
        n if n > 1 => format!("due in {n} days"),
        -1 => "1 day overdue".to_owned(),
        n => format!("{} days overdue", n.unsigned_abs()),
    }
}

impl RecommendationState {
    /// The status in words, with its count of days where there is a deadline: "Response due
    /// in 12 days (by 31 October 2011)", "Response 23 days overdue (was due 31 October 2011)",
    /// "In progress (accepted in principle)".
    pub fn words(&self) -> String {
        let today = self.today;
        let with_answer = |what: &str| match self.answer {
            Some(a) => format!("{what} ({})", fold_case(a.label())),
            None => what.to_owned(),
        };
        match self.status {
            Status::AwaitingResponse => match self.response_due {
                Some(due) => format!("Response {} (by {})", days_words(due, today), due.long()),
                None => "Awaiting response".to_owned(),
            },
            Status::ResponseOverdue => match self.response_due {
                Some(due) => format!(
                    "Response {} (was due {})",
                    days_words(due, today),
                    due.long()
                ),
                None => "Response overdue".to_owned(),
            },
            Status::InProgress => match self.action_due {
                Some(due) => format!(
                    "{}: action {} (by {})",
                    with_answer("In progress"),
                    days_words(due, today),
                    due.long()
                ),
                None => with_answer("In progress"),
            },
            Status::ActionOverdue => match self.action_due {
                Some(due) => format!(
                    "{}: action {} (was due {})",
                    with_answer("Action overdue"),
                    days_words(due, today),
                    due.long()
                ),
                None => with_answer("Action overdue"),
            },
            Status::Completed => with_answer("Completed"),
            Status::SignedOff => with_answer("Signed off"),
            other => other.label().to_owned(),
        }
    }
}

// ------------------------------------------------------------------------- queries

/// A partnership's reviews, most recently reported first (then by title).
pub fn reviews_of(s: &Snapshot, p: PartnershipId) -> Vec<(ReviewId, &Review)> {
    let mut v = s.reviews.select(|r| r.partnership_id == p);
    sort_by(&mut v, |(_, a), (_, b)| {
        b.reported_on
            .cmp(&a.reported_on)
            .then_with(|| a.title.cmp(&b.title))
    });
    v
}

/// A review's recommendations by number (then id, should two share a number).
pub fn recommendations_of(
    s: &Snapshot,
    review: ReviewId,
) -> Vec<(RecommendationId, &Recommendation)> {
    let mut v = s.recommendations.select(|r| r.review_id == review);
    sort_by_key(&mut v, |(id, r)| (r.number, *id));
    v
}

/// A recommendation's log, in order ([`in_order`]).
pub fn steps_of(
    s: &Snapshot,
    recommendation: RecommendationId,
) -> Vec<(RecommendationStepId, RecommendationStep)> {
    let mut v: Vec<_> = s
        .recommendation_steps
        .select(|st| st.recommendation_id == recommendation)
        .into_iter()
        .map(|(k, st)| (k, st.clone()))
        .collect();
    in_order(&mut v);
    v
}

/// A review's monitoring sessions, earliest first.
pub fn sessions_of(
    s: &Snapshot,
    review: ReviewId,
) -> Vec<(MonitoringSessionId, &MonitoringSession)> {
    let mut v = s.monitoring_sessions.select(|m| m.review_id == review);
    sort_by_key(&mut v, |(id, m)| (m.date, *id));
    v
}

/// Whether another recommendation of `review` (not `id`) already has `number`.
pub fn number_taken(s: &Snapshot, review: ReviewId, id: RecommendationId, number: u32) -> bool {
    s.recommendations
        .iter()
        .any(|(other, r)| *other != id && r.review_id == review && r.number == number)
}

/// The number after the highest of a review's recommendations: what the form offers.
pub fn next_number(s: &Snapshot, review: ReviewId) -> u32 {
    recommendations_of(s, review)
        .iter()
        .map(|(_, r)| r.number)
        .max()
        .unwrap_or(0)
        .saturating_add(1)
}

/// One line of a review's table (and of its monitoring report).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecommendationRow {
    pub id: RecommendationId,
    pub recommendation: Recommendation,
    pub state: RecommendationState,
}

/// Every recommendation of a review with its state on `today`, by number.
pub fn review_table(s: &Snapshot, review: ReviewId, today: IsoDate) -> Vec<RecommendationRow> {
    let mut steps: BTreeMap<RecommendationId, Vec<&RecommendationStep>> = BTreeMap::new();
    for st in s.recommendation_steps.values() {
        steps.entry(st.recommendation_id).or_default().push(st);
    }
    recommendations_of(s, review)
        .into_iter()
        .map(|(id, r)| RecommendationRow {
            id,
            recommendation: r.clone(),
            state: status_of(steps.get(&id).into_iter().flatten().copied(), today),
        })
        .collect()
}

/// "N of M completed": how many are completed or signed off, of how many.
pub fn completed_count(rows: &[RecommendationRow]) -> (usize, usize) {
    (
        rows.iter().filter(|r| r.state.status.is_done()).count(),
        rows.len(),
    )
}

// ------------------------------------------------------------------------- monitoring

/// When the committee should next monitor a review, and how that stands on a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonitoringDue {
    pub due: IsoDate,
    /// The last session, or `None` when the due date counts from the review's report.
    pub last_session: Option<IsoDate>,
    pub today: IsoDate,
}

impl MonitoringDue {
    pub fn is_overdue(&self) -> bool {
        self.due < self.today
    }

    /// "The next monitoring session is due in 12 days (by 8 May 2012)." /
    /// "The next monitoring session is 23 days overdue (it was due 8 May 2012)."
    pub fn words(&self) -> String {
        let days = days_words(self.due, self.today);
        if self.is_overdue() {
            format!(
                "The next monitoring session is {days} (it was due {}).",
                self.due.long()
            )
        } else {
            format!(
                "The next monitoring session is {days} (by {}).",
                self.due.long()
            )
        }
    }
}

/// When the next monitoring session is due: [`Review::monitoring_months`] after the latest
/// session held on or before `today`, or after the review reported when there has been none;
/// `None` when there is neither.
pub fn monitoring_due(
    review: &Review,
    sessions: &[&MonitoringSession],
    today: IsoDate,
) -> Option<MonitoringDue> {
    let last_session = sessions
        .iter()
        .map(|m| m.date)
        .filter(|d| *d <= today)
        .max();
    let from = last_session.or(review.reported_on)?;
    let months = i32::try_from(review.monitoring_months).unwrap_or(i32::MAX);
    Some(MonitoringDue {
        due: from.add_months(months)?,
        last_session,
        today,
    })
}

/// The open recommendations (not completed or signed off) with no entry in their log since
/// the last monitoring session on or before `today`; empty when there has been no session.
pub fn unchanged_since_last_session<'a>(
    rows: &'a [RecommendationRow],
    sessions: &[&MonitoringSession],
    today: IsoDate,
) -> Vec<&'a RecommendationRow> {
    let Some(last) = sessions
        .iter()
        .map(|m| m.date)
        .filter(|d| *d <= today)
        .max()
    else {
        return Vec::new();
    };
    rows.iter()
        .filter(|r| !r.state.status.is_done())
        .filter(|r| r.state.last_entry.is_none_or(|d| d <= last))
        .collect()
}

// ------------------------------------------------------------------------- the report

/// The columns of the monitoring report's CSV, in order.
pub const REPORT_COLUMNS: [&str; 7] = [
    "number",
    "recommendation",
    "addressed_to",
    "latest_response",
    "response_date",
    "status",
    "last_entry",
];

/// The monitoring report as CSV (seed 004's shape: number, recommendation, latest response,
/// then the status and dates), one row per recommendation, written by the consultation
/// export's [`crate::export::csv_table`] (RFC 4180 quoting and its formula guard).
pub fn report_csv(rows: &[RecommendationRow]) -> String {
    crate::export::csv_table(
        &REPORT_COLUMNS,
        rows.iter().map(|r| {
            let response = r.state.latest_response.as_ref();
            vec![
                r.recommendation.number.to_string(),
                r.recommendation.text.clone(),
                r.recommendation.addressed_to.clone(),
                response.map(response_words).unwrap_or_default(),
                response.map(|s| s.date.to_string()).unwrap_or_default(),
                r.state.words(),
                r.state
                    .last_entry
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ]
        }),
    )
}

/// A response as the report gives it: its answer first when it has one ("Accepted in
/// principle: ..."), then its text.
pub fn response_words(step: &RecommendationStep) -> String {
    match step.answer {
        Some(a) => format!("{}: {}", a.label(), step.text),
        None => step.text.clone(),
    }
}

/// The name of the report's CSV file: "monitoring-report-2011-11-08.csv".
pub fn report_file_name(on: IsoDate) -> String {
    format!("monitoring-report-{on}.csv")
}

// ------------------------------------------------------------------------- seed 004

/// One recommendation of seed 004 and the response the November 2011 monitoring report gives.
pub struct SeedRecommendation {
    pub number: u32,
    pub text: &'static str,
    /// Read from the recommendation's own wording (the paper has no column for it).
    pub addressed_to: &'static str,
    pub response: &'static str,
}

/// The title of seed 004's review.
pub const SEED_004_REVIEW: &str = "Review of the Redditch Partnership (LSP Task and Finish Group)";
/// The Task and Finish group that made seed 004's recommendations (the demo's body).
pub const SEED_004_GROUP: &str = "LSP Task and Finish Group";
/// The committee it reported to, and that monitors it.
pub const SEED_004_COMMITTEE: &str = "Overview and Scrutiny Committee";
/// The first six-monthly monitoring session (recommendation 11's response).
pub const SEED_004_FIRST_MONITORING: IsoDate = IsoDate::known(2011, 11, 8);

/// Seed 004's fifteen recommendations and their responses, word for word (the PDF's broken
/// line ends, stray bullets and split ordinals such as "16 th" mended, nothing else changed).
pub const SEED_004: [SeedRecommendation; 15] = [
    SeedRecommendation {
        number: 1,
        text: "The Partnership's website, hosted by Redditch Council, should be re-launched with expanded material.",
        addressed_to: "Redditch Partnership",
        response: "Redditch Partnership web pages were re-launched in early 2010 structured in accordance with the Task and Finish Group's suggestion. They are maintained on a regular basis.",
    },
    SeedRecommendation {
        number: 2,
        text: "The Partnership should hold an annual \"We Are Redditch\" event for partners to inform the public about their work and consult them about their priorities.",
        addressed_to: "Redditch Partnership",
        response: "The \"We Are Redditch\" event was held in January 2010 as a response to the CAA report and the red flag. It was also used as an opportunity to consult with the public regarding their priorities for the new Sustainable Community Strategy. As the Strategy is now completed, Redditch Partnership has not needed to undertake consultation in 2011. They do however, review information from other consultations undertaken by partner organisations.",
    },
    SeedRecommendation {
        number: 3,
        text: "The Partnership should publicise its work and invite public reaction by placing regular items by partners in Redditch Matters.",
        addressed_to: "Redditch Partnership",
        response: "Redditch Matters contains a section for Redditch Partnership news or news related to the activities of the Partnership e.g. education, schools etc.",
    },
    SeedRecommendation {
        number: 4,
        text: "The Partnership should advertise and hold an annual meeting for partners and the public to discuss the state of the Borough.",
        addressed_to: "Redditch Partnership",
        response: "A Redditch Partnership Conference was held on 16th June 2011. Members of the public were not invited to attend as the event was aimed at launching the new Sustainable Community Strategy to partner organisations.",
    },
    SeedRecommendation {
        number: 5,
        text: "LSP Board meeting minutes should be circulated with the agenda for Council meetings as part of the new Leader's Items section.",
        addressed_to: "LSP Board",
        response: "Minutes are now directly circulated to Members by the Redditch Partnership Manager once they have been finalised after each Board meeting. This ensures they are not too out of date once members receive them.",
    },
    SeedRecommendation {
        number: 6,
        text: "There should be pre-scrutiny of each new Redditch Sustainable Community Strategy (SCS) by the Overview and Scrutiny Committee.",
        addressed_to: "Overview and Scrutiny Committee",
        response: "Pre-scrutiny of the new SCS took place in March 2011.",
    },
    SeedRecommendation {
        number: 7,
        text: "The Leader of the Council should provide a formal Annual Report of the Partnership at the end of the Municipal year.",
        addressed_to: "The Leader of the Council",
        response: "Councillor Carole Gandy has delivered a formal verbal Annual Report about the Redditch Partnership at full Council.",
    },
    SeedRecommendation {
        number: 8,
        text: "Information about the Partnership should be included in the induction material for new Councillors.",
        addressed_to: "Redditch Partnership",
        response: "Basic information about Redditch Partnership has been provided to the Member Service Officer for inclusion in the information packs for new Members for both 2010 and 2011.",
    },
    SeedRecommendation {
        number: 9,
        text: "An event focussing on the Partnership be included as a standard part of the annual councillor training programme.",
        addressed_to: "Redditch Partnership",
        response: "Two Members training sessions have been provided by the Redditch Partnership Manager, one in October 2010 and one in October 2011.",
    },
    SeedRecommendation {
        number: 10,
        text: "There should be a full review and audit of each completed SCS by the Overview and Scrutiny Committee.",
        addressed_to: "Overview and Scrutiny Committee",
        response: "O&S Committee examined prescrutinised the new SCS on 2nd March 2011.",
    },
    SeedRecommendation {
        number: 11,
        text: "The Redditch Partnership and SCS should be subject to six-monthly monitoring sessions by the Committee.",
        addressed_to: "Overview and Scrutiny Committee",
        response: "The first six monthly review is taking place at the O&S Committee meeting on 8th November.",
    },
    SeedRecommendation {
        number: 12,
        text: "The next SCS should have fewer, more focussed targets (perhaps four – six) which are specific, measurable, achievable, relevant and timebound.",
        addressed_to: "Redditch Partnership",
        response: "The new SCS has only four key priorities.",
    },
    SeedRecommendation {
        number: 13,
        text: "For the foreseeable future, the SCS should contain targets relating to health and educational inequalities in Redditch.",
        addressed_to: "Redditch Partnership",
        response: "The focus of the majority of the work of Redditch Partnership is raising educational standards and tackling health inequalities.",
    },
    SeedRecommendation {
        number: 14,
        text: "The priorities within the SCS should reflect residents' priorities (as identified through consultation) and also dovetail with those of the Worcestershire Partnership.",
        addressed_to: "Redditch Partnership",
        response: "Two consultation events were held in 2010, the results of which fed into the writing of the new Redditch SCS. Worcestershire Partnership has recently refreshed its own SCS by auditing all of the district LSP priorities and forming a new set of priorities which reflect those of all the districts.",
    },
    SeedRecommendation {
        number: 15,
        text: "The LSP requires the support of a full-time permanent Partnership Manager reporting directly to the Director of Policy, Performance and Partnerships.",
        addressed_to: "Redditch Borough Council",
        response: "Helen Broughton was appointed as the full time, permanent Redditch Partnership Manager in May 2011 as part of the Shared Services Review of Policy, Performance and Partnerships Directorate.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    const fn d(y: u16, m: u8, day: u8) -> IsoDate {
        IsoDate::known(y, m, day)
    }

    fn pid() -> PartnershipId {
        PartnershipId::new(1, [1; 10])
    }

    fn rec_id() -> RecommendationId {
        RecommendationId::new(2, [2; 10])
    }

    fn step(what: StepKind, date: IsoDate) -> RecommendationStep {
        RecommendationStep {
            partnership_id: pid(),
            recommendation_id: rec_id(),
            date,
            what,
            answer: None,
            due_on: None,
            link: String::new(),
            text: String::new(),
            date_note: String::new(),
        }
    }

    fn received(date: IsoDate) -> RecommendationStep {
        step(StepKind::Received, date)
    }

    fn response(date: IsoDate, answer: Option<ResponseAnswer>) -> RecommendationStep {
        RecommendationStep {
            answer,
            text: "Pre-scrutiny of the new SCS took place in March 2011.".into(),
            ..step(StepKind::Response, date)
        }
    }

    fn action(date: IsoDate, due: IsoDate) -> RecommendationStep {
        RecommendationStep {
            due_on: Some(due),
            ..step(StepKind::ActionPlanned, date)
        }
    }

    #[test]
    fn a_response_is_due_two_months_after_receipt_counting_to_the_months_last_day() {
        assert_eq!(response_due(d(2011, 8, 31)), Some(d(2011, 10, 31)));
        assert_eq!(response_due(d(2011, 12, 31)), Some(d(2012, 2, 29)));
        assert_eq!(response_due(d(2010, 12, 31)), Some(d(2011, 2, 28)));
        assert_eq!(response_due(d(2011, 9, 8)), Some(d(2011, 11, 8)));
        // 30 June → 30 August, not 31.
        assert_eq!(response_due(d(2011, 6, 30)), Some(d(2011, 8, 30)));
        assert_eq!(response_due(d(9999, 11, 1)), None);
    }

    #[test]
    fn with_nothing_in_the_log_it_awaits_a_response_with_no_date_to_count_from() {
        let state = status_of([], d(2011, 11, 8));
        assert_eq!(state.status, Status::AwaitingResponse);
        assert_eq!(state.response_due, None);
        assert_eq!(state.words(), "Awaiting response");
    }

    #[test]
    fn a_received_recommendation_counts_the_days_to_its_response_then_the_days_overdue() {
        let log = [received(d(2011, 8, 31))];
        let before = status_of(&log, d(2011, 10, 19));
        assert_eq!(before.status, Status::AwaitingResponse);
        assert_eq!(before.response_due, Some(d(2011, 10, 31)));
        assert_eq!(
            before.words(),
            "Response due in 12 days (by 31 October 2011)"
        );
        let on_the_day = status_of(&log, d(2011, 10, 31));
        assert_eq!(on_the_day.status, Status::AwaitingResponse);
        assert_eq!(
            on_the_day.words(),
            "Response due today (by 31 October 2011)"
        );
        let day_after = status_of(&log, d(2011, 11, 1));
        assert_eq!(day_after.status, Status::ResponseOverdue);
        assert_eq!(
            day_after.words(),
            "Response 1 day overdue (was due 31 October 2011)"
        );
        let later = status_of(&log, d(2011, 11, 23));
        assert_eq!(
            later.words(),
            "Response 23 days overdue (was due 31 October 2011)"
        );
    }

    #[test]
    fn the_answer_of_the_latest_response_is_the_status_and_in_principle_stays_its_own() {
        for (answer, status) in [
            (Some(ResponseAnswer::Accepted), Status::Accepted),
            (
                Some(ResponseAnswer::PartiallyAccepted),
                Status::PartiallyAccepted,
            ),
            (
                Some(ResponseAnswer::AcceptedInPrinciple),
                Status::AcceptedInPrinciple,
            ),
            (Some(ResponseAnswer::NotAccepted), Status::NotAccepted),
            (None, Status::Responded),
        ] {
            let log = [received(d(2011, 1, 10)), response(d(2011, 5, 1), answer)];
            let state = status_of(&log, d(2011, 6, 1));
            assert_eq!(state.status, status);
            assert_eq!(state.response_due, None, "a response stops the count");
        }
        // A later response replaces an earlier answer.
        let log = [
            response(d(2011, 2, 1), Some(ResponseAnswer::NotAccepted)),
            response(d(2011, 3, 1), Some(ResponseAnswer::AcceptedInPrinciple)),
        ];
        let state = status_of(&log, d(2011, 4, 1));
        assert_eq!(state.status, Status::AcceptedInPrinciple);
        assert_eq!(state.words(), "Accepted in principle");
    }

    #[test]
    fn a_late_response_is_still_a_response() {
        let log = [
            received(d(2011, 1, 10)),
            response(d(2011, 6, 1), Some(ResponseAnswer::Accepted)),
        ];
        assert_eq!(status_of(&log, d(2011, 6, 2)).status, Status::Accepted);
        // Before the response came, it was overdue.
        assert_eq!(
            status_of(&log, d(2011, 5, 31)).status,
            Status::ResponseOverdue
        );
    }

    #[test]
    fn actions_make_it_in_progress_keeping_the_answer_until_the_due_date_passes() {
        let log = [
            response(d(2011, 3, 1), Some(ResponseAnswer::AcceptedInPrinciple)),
            action(d(2011, 3, 2), d(2011, 9, 30)),
        ];
        let state = status_of(&log, d(2011, 9, 30));
        assert_eq!(state.status, Status::InProgress);
        assert_eq!(
            state.words(),
            "In progress (accepted in principle): action due today (by 30 September 2011)"
        );
        let late = status_of(&log, d(2011, 10, 2));
        assert_eq!(late.status, Status::ActionOverdue);
        assert_eq!(
            late.words(),
            "Action overdue (accepted in principle): action 2 days overdue (was due 30 September 2011)"
        );
        // A re-planned action's new date replaces the old one.
        let mut replanned = log.to_vec();
        replanned.push(action(d(2011, 10, 1), d(2012, 1, 31)));
        assert_eq!(
            status_of(&replanned, d(2011, 10, 2)).status,
            Status::InProgress
        );
        // Progress and evidence alone are in progress too.
        for k in [StepKind::Progress, StepKind::Evidence] {
            assert_eq!(
                status_of(&[step(k, d(2011, 1, 1))], d(2011, 2, 1)).status,
                Status::InProgress
            );
        }
    }

    #[test]
    fn completion_and_sign_off_end_the_count_and_count_as_done() {
        let mut log = vec![
            received(d(2011, 1, 10)),
            response(d(2011, 2, 1), Some(ResponseAnswer::Accepted)),
            action(d(2011, 2, 1), d(2011, 3, 1)),
            step(StepKind::Completed, d(2011, 4, 1)),
        ];
        let state = status_of(&log, d(2011, 12, 1));
        assert_eq!(state.status, Status::Completed);
        assert_eq!(state.action_due, None);
        assert!(state.status.is_done());
        assert_eq!(state.words(), "Completed (accepted)");
        log.push(step(StepKind::SignedOff, d(2011, 11, 8)));
        assert_eq!(status_of(&log, d(2011, 12, 1)).status, Status::SignedOff);
        // On an earlier day, the later entries do not count.
        assert_eq!(status_of(&log, d(2011, 3, 2)).status, Status::ActionOverdue);
        assert_eq!(
            status_of(&log, d(2011, 1, 9)).status,
            Status::AwaitingResponse
        );
        assert!(!Status::InProgress.is_done());
    }

    #[test]
    fn days_are_said_in_words() {
        let today = d(2011, 11, 8);
        assert_eq!(days_words(d(2011, 11, 9), today), "due tomorrow");
        assert_eq!(days_words(d(2011, 11, 20), today), "due in 12 days");
        assert_eq!(days_words(d(2011, 11, 7), today), "1 day overdue");
        assert_eq!(days_words(d(2011, 10, 16), today), "23 days overdue");
    }

    fn review(reported_on: Option<IsoDate>) -> Review {
        Review {
            partnership_id: pid(),
            title: SEED_004_REVIEW.into(),
            body_id: None,
            committee: SEED_004_COMMITTEE.into(),
            started_on: None,
            reported_on,
            members: Vec::new(),
            summary: String::new(),
            monitoring_months: DEFAULT_MONITORING_MONTHS,
        }
    }

    fn session(date: IsoDate) -> MonitoringSession {
        MonitoringSession {
            partnership_id: pid(),
            review_id: ReviewId::new(3, [3; 10]),
            date,
            held_at: SEED_004_COMMITTEE.into(),
            note: String::new(),
        }
    }

    #[test]
    fn monitoring_is_due_six_months_after_the_last_session_or_the_report() {
        let first = session(SEED_004_FIRST_MONITORING);
        let due = monitoring_due(&review(None), &[&first], d(2012, 5, 1));
        assert_eq!(
            due.as_ref().map(|m| (m.due, m.is_overdue())),
            Some((d(2012, 5, 8), false))
        );
        assert_eq!(
            due.map(|m| m.words()).unwrap_or_default(),
            "The next monitoring session is due in 7 days (by 8 May 2012)."
        );
        let late = monitoring_due(&review(None), &[&first], d(2012, 5, 31));
        assert_eq!(
            late.map(|m| m.words()).unwrap_or_default(),
            "The next monitoring session is 23 days overdue (it was due 8 May 2012)."
        );
        // No session yet: from the report; 31 August + 6 months is the end of February.
        let from_report = monitoring_due(&review(Some(d(2011, 8, 31))), &[], d(2011, 9, 1));
        assert_eq!(from_report.map(|m| m.due), Some(d(2012, 2, 29)));
        // A session after the day asked about does not count yet.
        let future = session(d(2012, 5, 8));
        let early = monitoring_due(&review(None), &[&first, &future], d(2012, 1, 1));
        assert_eq!(early.map(|m| m.due), Some(d(2012, 5, 8)));
        // Nothing to count from.
        assert_eq!(monitoring_due(&review(None), &[], d(2012, 1, 1)), None);
        // Another interval.
        let quarterly = Review {
            monitoring_months: 3,
            ..review(None)
        };
        let q = monitoring_due(&quarterly, &[&first], d(2012, 1, 1));
        assert_eq!(q.map(|m| m.due), Some(d(2012, 2, 8)));
    }

    fn row(n: u32, log: &[RecommendationStep], today: IsoDate) -> RecommendationRow {
        RecommendationRow {
            id: RecommendationId::new(u64::from(n), [n as u8; 10]),
            recommendation: Recommendation {
                partnership_id: pid(),
                review_id: ReviewId::new(3, [3; 10]),
                number: n,
                text: format!("Recommendation {n}"),
                addressed_to: String::new(),
                on_laa_target: false,
            },
            state: status_of(log, today),
        }
    }

    #[test]
    fn unchanged_since_the_last_session_lists_open_recommendations_with_no_newer_entry() {
        let today = d(2012, 3, 1);
        let rows = [
            row(1, &[response(d(2011, 10, 1), None)], today),
            row(2, &[response(d(2011, 12, 1), None)], today),
            row(
                3,
                &[
                    response(d(2011, 10, 1), None),
                    step(StepKind::Completed, d(2011, 10, 2)),
                ],
                today,
            ),
            row(4, &[], today),
            // An entry on the day of the session is not a change since it.
            row(5, &[response(SEED_004_FIRST_MONITORING, None)], today),
        ];
        let first = session(SEED_004_FIRST_MONITORING);
        let numbers: Vec<u32> = unchanged_since_last_session(&rows, &[&first], today)
            .iter()
            .map(|r| r.recommendation.number)
            .collect();
        assert_eq!(numbers, [1, 4, 5]);
        assert!(unchanged_since_last_session(&rows, &[], today).is_empty());
    }

    #[test]
    fn completed_counts_the_done_of_all() {
        let today = d(2012, 3, 1);
        let rows = [
            row(1, &[step(StepKind::Completed, d(2011, 1, 1))], today),
            row(2, &[step(StepKind::SignedOff, d(2011, 1, 1))], today),
            row(3, &[response(d(2011, 1, 1), None)], today),
        ];
        assert_eq!(completed_count(&rows), (2, 3));
    }

    #[test]
    fn the_report_csv_has_a_row_per_recommendation_with_its_latest_response_and_guards_formulas() {
        let today = d(2011, 11, 8);
        let mut formula = response(d(2011, 11, 1), Some(ResponseAnswer::Accepted));
        formula.text = "=HYPERLINK(\"http://example.com\")".into();
        let rows = [
            row(1, &[response(d(2011, 11, 8), None)], today),
            row(2, &[formula], today),
        ];
        let csv = report_csv(&rows);
        let parsed = crate::export::parse_csv(&csv).unwrap_or_default();
        assert_eq!(parsed.len(), 3);
        assert_eq!(parsed[0], REPORT_COLUMNS.map(str::to_owned));
        assert_eq!(parsed[1][0], "1");
        assert_eq!(
            parsed[1][3],
            "Pre-scrutiny of the new SCS took place in March 2011."
        );
        assert_eq!(parsed[1][4], "2011-11-08");
        assert_eq!(parsed[1][5], "Responded");
        // The answer leads the response, so the cell does not start with "=".
        assert_eq!(parsed[2][3], "Accepted: =HYPERLINK(\"http://example.com\")");
        let mut raw = response(d(2011, 11, 1), None);
        raw.text = "=1+1".into();
        let guarded = report_csv(&[row(3, &[raw], today)]);
        assert!(guarded.contains("'=1+1"), "{guarded}");
        assert_eq!(report_file_name(today), "monitoring-report-2011-11-08.csv");
    }

    #[test]
    fn a_step_checks_its_answer_due_date_text_and_link() {
        let fields = |s: &RecommendationStep| -> Vec<String> {
            s.validate()
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert!(
            response(d(2011, 1, 1), Some(ResponseAnswer::Accepted))
                .validate()
                .is_ok()
        );
        assert_eq!(fields(&step(StepKind::Response, d(2011, 1, 1))), ["text"]);
        assert_eq!(
            fields(&step(StepKind::ActionPlanned, d(2011, 1, 1))),
            ["due_on"]
        );
        assert_eq!(fields(&action(d(2011, 2, 1), d(2011, 1, 31))), ["due_on"]);
        assert!(action(d(2011, 2, 1), d(2011, 2, 1)).validate().is_ok());
        let wrong_answer = RecommendationStep {
            answer: Some(ResponseAnswer::Accepted),
            ..step(StepKind::Completed, d(2011, 1, 1))
        };
        assert_eq!(fields(&wrong_answer), ["answer"]);
        let due_on_received = RecommendationStep {
            due_on: Some(d(2011, 3, 1)),
            ..received(d(2011, 1, 1))
        };
        assert_eq!(fields(&due_on_received), ["due_on"]);
        let evidence = |link: &str| RecommendationStep {
            text: "Web pages re-launched".into(),
            link: link.into(),
            ..step(StepKind::Evidence, d(2010, 1, 1))
        };
        assert!(evidence("https://www.redditchbc.gov.uk").validate().is_ok());
        assert!(evidence("").validate().is_ok());
        assert_eq!(fields(&evidence("javascript:alert(1)")), ["link"]);
        assert_eq!(fields(&evidence("https://a b")), ["link"]);
        let link_on_progress = RecommendationStep {
            text: "Done".into(),
            link: "https://example.org".into(),
            ..step(StepKind::Progress, d(2010, 1, 1))
        };
        assert_eq!(fields(&link_on_progress), ["link"]);
    }

    #[test]
    fn a_review_and_a_recommendation_check_their_fields() {
        assert!(review(None).validate().is_ok());
        let bad = Review {
            title: " ".into(),
            started_on: Some(d(2011, 2, 1)),
            reported_on: Some(d(2011, 1, 1)),
            members: vec!["Cllr A".into(), "".into()],
            monitoring_months: 0,
            ..review(None)
        };
        let fields: Vec<String> = bad
            .validate()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["title", "reported_on", "members", "monitoring_months"]
        );
        let rec = Recommendation {
            partnership_id: pid(),
            review_id: ReviewId::new(3, [3; 10]),
            number: 0,
            text: "".into(),
            addressed_to: String::new(),
            on_laa_target: true,
        };
        let fields: Vec<String> = rec
            .validate()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["number", "text"]);
    }

    #[test]
    fn seed_004_has_fifteen_numbered_recommendations_each_with_a_response() {
        for (i, r) in SEED_004.iter().enumerate() {
            assert_eq!(r.number as usize, i + 1);
            assert!(!r.text.trim().is_empty() && !r.response.trim().is_empty());
            assert!(!r.addressed_to.is_empty());
        }
        assert!(SEED_004[8].text.starts_with("An event focussing"));
        assert!(SEED_004[14].response.contains("May 2011"));
    }

    use crate::test_text::{config, text};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn any_text_in_a_step_is_checked_and_exported_without_a_crash(
            t in text(40), link in text(20), note in text(20)
        ) {
            let s = RecommendationStep {
                text: t.clone(),
                link,
                date_note: note,
                ..step(StepKind::Evidence, d(2011, 1, 1))
            };
            let _ = s.validate();
            let r = RecommendationRow {
                state: status_of([&s], d(2011, 1, 2)),
                ..row(1, &[], d(2011, 1, 2))
            };
            let csv = report_csv(std::slice::from_ref(&r));
            let parsed = crate::export::parse_csv(&csv);
            prop_assert!(parsed.is_ok());
        }

        #[test]
        fn any_member_names_are_checked_without_a_crash(members in proptest::collection::vec(text(12), 0..4)) {
            let r = Review { members, ..review(None) };
            let _ = r.validate();
        }
    }
}
