//! Meetings, their agenda items and their minutes: the record of what the partnership's bodies
//! decided and of what council committees received about the partnership (seed 000: Redditch's
//! Overview and Scrutiny Committee heard a presentation on the LSP as item 126 on 25 November
//! 2009, and "the report noted"; seed 001: a business plan report in Bath and North East
//! Somerset; seed 004: pre-scrutiny of the new strategy, six-monthly monitoring sessions, and
//! Board minutes circulated to councillors once finalised).
//!
//! Three synced kinds:
//! * [`Meeting`]: of one of the partnership's bodies (the Board) **or** of a council committee
//!   (a council, named by its member organisation, and the committee's name, "Overview and
//!   Scrutiny Committee"). Neither is a reference: deleting a body or an organisation leaves
//!   the record of its meetings in place.
//! * [`AgendaItem`]: one item of a meeting (a reference: it goes with its meeting), with the
//!   documents it links to and the records it concerns (plain links, not references).
//! * [`Minutes`]: a meeting's minutes and the date of each step. Draft minutes are the
//!   partnership members' ([`Access::Member`]) until they are published; then everyone's
//!   ([`Minutes::read_access`]).
//!
//! The queries pages use are free functions over the [`Snapshot`] here, beside the records.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::accounts::Access;
use crate::date::IsoDate;
use crate::entity::{EntityKind, Record, RefField};
use crate::ids::{BodyId, OrganisationId, PartnershipId, define_id};
use crate::order::{sort_by, sort_by_key};
use crate::replica::Snapshot;
use crate::structure::domain::labelled_enum;
use crate::text::fold_case;
use crate::validate::{Errors, FieldError, MAX_NAME_CHARS, Validate};

define_id!(
    /// A meeting of a partnership body or of a council committee.
    MeetingId
);
define_id!(
    /// One item on a meeting's agenda.
    AgendaItemId
);
define_id!(
    /// A meeting's minutes.
    MinutesId
);

labelled_enum! {
    /// Where a meeting stands.
    pub enum MeetingStatus {
        Scheduled => ("Scheduled", "The meeting is planned and has not happened yet."),
        Held => ("Held", "The meeting took place."),
        Cancelled => ("Cancelled", "The meeting was called off and did not take place."),
    }
}

labelled_enum! {
    /// How an item was put to the meeting.
    pub enum ReportType {
        Written => ("Written report", "A report on paper, circulated with the agenda."),
        Oral => ("Oral report", "Officers or partners reported in person, with no written report."),
        Presentation => ("Presentation", "A presentation, for example with slides, given at the meeting."),
    }
}

/// The most documents one agenda item links to.
pub const MAX_DOCUMENTS: usize = 50;
/// The most records one agenda item says it concerns.
pub const MAX_CONCERNS: usize = 50;
/// The longest web address of a document.
pub const MAX_URL_CHARS: usize = 2_000;

/// A meeting of a partnership body, or of a council committee that receives reports about
/// the partnership. Exactly one of the two: a body, or a council with a committee name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub partnership_id: PartnershipId,
    /// The partnership body that met (the Board), when it is a body's meeting. Not a
    /// reference: deleting the body keeps the record of its meetings.
    #[serde(default)]
    pub body_id: Option<BodyId>,
    /// The council whose committee met, as a member organisation of the partnership, when it
    /// is a committee's meeting. Not a reference either.
    #[serde(default)]
    pub council_id: Option<OrganisationId>,
    /// The committee's name ("Overview and Scrutiny Committee", "Full Council", "Cabinet");
    /// empty for a body's meeting.
    #[serde(default)]
    pub committee: String,
    pub date: IsoDate,
    /// The start time, 24-hour `HH:MM` as a time input sends it; empty when not known.
    #[serde(default)]
    pub time: String,
    #[serde(default)]
    pub venue: String,
    pub status: MeetingStatus,
    /// Anything to say about the record itself, e.g. that a date is illustrative.
    #[serde(default)]
    pub note: String,
}

impl Record for Meeting {
    type Id = MeetingId;
    const WIRE_NAME: &'static str = "meeting";
    const NOUN: &'static str = "meeting";
    const PLURAL: &'static str = "meetings";
    // The body and the council are plain ids, not references (see the fields).
    const REFERENCES: &'static [RefField<Self>] =
        &[RefField::partnership(|m| Some(m.partnership_id.0))];
}

impl Meeting {
    /// Whether this is a council committee's meeting (rather than a partnership body's).
    pub fn is_committee(&self) -> bool {
        self.body_id.is_none()
    }

    /// The start time for people ("7pm", "10:30am"); `None` when not given or not a time.
    pub fn time_label(&self) -> Option<String> {
        let (h, m) = parse_time(&self.time)?;
        let suffix = if h < 12 { "am" } else { "pm" };
        let h12 = match h % 12 {
            0 => 12,
            h => h,
        };
        Some(if m == 0 {
            format!("{h12}{suffix}")
        } else {
            format!("{h12}:{m:02}{suffix}")
        })
    }
}

/// A 24-hour time written `HH:MM` ("19:00") as hours and minutes; `None` for anything else.
/// Any text is safe to pass.
pub fn parse_time(text: &str) -> Option<(u8, u8)> {
    let text = text.trim();
    let (h, m) = text.split_once(':')?;
    let digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return None;
    }
    let (h, m): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some((h, m))
}

impl Validate for Meeting {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        let committee_named = !self.committee.trim().is_empty();
        match (self.body_id, self.council_id) {
            (Some(_), _) if self.council_id.is_some() || committee_named => {
                e.0.push(FieldError::new(
                    "body_id",
                    "Choose either a partnership body or a council committee, not both",
                ));
            }
            (Some(_), _) => {}
            (None, None) if !committee_named => e.0.push(FieldError::new(
                "body_id",
                "Choose the partnership body that met, or the council and committee",
            )),
            (None, None) => e.0.push(FieldError::new(
                "council_id",
                "Choose the council whose committee met",
            )),
            (None, Some(_)) => {
                e.required_name("committee", &self.committee, "the committee's name")
            }
        }
        if self.body_id.is_some() {
            e.max_chars(
                "committee",
                &self.committee,
                MAX_NAME_CHARS,
                "the committee's name",
            );
        }
        if !self.time.trim().is_empty() && parse_time(&self.time).is_none() {
            e.0.push(FieldError::new(
                "time",
                "Enter the time as hours and minutes on the 24-hour clock, like 19:00",
            ));
        }
        e.max_chars("venue", &self.venue, MAX_NAME_CHARS, "the venue");
        e.text("note", &self.note, "the note");
        e.finish()
    }
}

/// A document an agenda item links to: a report, slides, an appendix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentLink {
    pub title: String,
    /// An `http` or `https` address; nothing else is stored, so no link can run a script.
    pub url: String,
}

/// Whether `url` is an address the app may link to: `http://` or `https://` (any case)
/// followed by a host, with no spaces or control characters, at most [`MAX_URL_CHARS`]
/// characters. Anything else (`javascript:`, `data:`, a relative path) is refused. Any text
/// is safe to pass.
pub fn is_web_address(url: &str) -> bool {
    if url.chars().count() > MAX_URL_CHARS
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return false;
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    match rest {
        // A host: something before any path, query or fragment, not starting with a slash.
        Some(rest) => rest
            .split(['/', '?', '#'])
            .next()
            .is_some_and(|host| !host.is_empty() && !host.starts_with('@')),
        None => false,
    }
}

/// Documents as a form writes them, one a line: the title, a space, then the web address
/// ("Slides on the LSP https://example.org/lsp.pdf"). Blank lines are skipped. `Err` names
/// the first line that is not a title and an address, in words for the form. Any text is safe
/// to pass; [`document_lines`] writes what this reads.
pub fn parse_document_lines(text: &str) -> Result<Vec<DocumentLink>, String> {
    let mut documents = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let n = i + 1;
        let (title, url) = match line.rsplit_once(char::is_whitespace) {
            Some((title, url)) => (title.trim(), url),
            None => ("", line),
        };
        if !is_web_address(url) {
            return Err(format!(
                "Line {n}: end the line with the document's web address, starting with \
                 https:// or http://"
            ));
        }
        if title.is_empty() {
            return Err(format!(
                "Line {n}: give the document's title before its web address"
            ));
        }
        documents.push(DocumentLink {
            title: title.to_owned(),
            url: url.to_owned(),
        });
    }
    Ok(documents)
}

/// Documents as the form shows them: see [`parse_document_lines`].
pub fn document_lines(documents: &[DocumentLink]) -> String {
    documents
        .iter()
        .map(|d| format!("{} {}", d.title.trim(), d.url.trim()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A record an agenda item concerns (a body, a recommendation, a consultation): a plain link
/// by kind and id, not a reference, so deleting that record leaves the item in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Concern {
    pub kind: EntityKind,
    pub id: Uuid,
}

/// One item on a meeting's agenda: what was put to the meeting and what it resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub partnership_id: PartnershipId,
    pub meeting_id: MeetingId,
    /// The item's number as the agenda prints it ("126", "5(a)"); empty when unnumbered.
    #[serde(default)]
    pub number: String,
    pub title: String,
    pub report_type: ReportType,
    /// What was reported, in brief.
    #[serde(default)]
    pub summary: String,
    /// The resolution or outcome ("The report was noted."); empty until the meeting decides.
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub documents: Vec<DocumentLink>,
    #[serde(default)]
    pub concerns: Vec<Concern>,
}

impl Record for AgendaItem {
    type Id = AgendaItemId;
    const WIRE_NAME: &'static str = "agenda_item";
    const NOUN: &'static str = "agenda item";
    const PLURAL: &'static str = "agenda items";
    // What the item concerns is a plain link, not a reference.
    const REFERENCES: &'static [RefField<Self>] = &[
        RefField::partnership(|a| Some(a.partnership_id.0)),
        RefField::new(EntityKind::Meeting, "meeting_id", |a| Some(a.meeting_id.0)),
    ];
}

impl AgendaItem {
    /// How lists name the item: "Item 126: Local Strategic Partnership (LSP)", or the title
    /// alone when it has no number.
    pub fn label(&self) -> String {
        if self.number.trim().is_empty() {
            self.title.trim().to_owned()
        } else {
            format!("Item {}: {}", self.number.trim(), self.title.trim())
        }
    }
}

impl Validate for AgendaItem {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        e.max_chars("number", &self.number, 20, "the item number");
        e.required_name("title", &self.title, "the item's title");
        e.text("summary", &self.summary, "the summary");
        e.text("outcome", &self.outcome, "the outcome");
        if self.documents.len() > MAX_DOCUMENTS {
            e.0.push(FieldError::new(
                "documents",
                format!("An item can link to at most {MAX_DOCUMENTS} documents"),
            ));
        }
        for (i, d) in self.documents.iter().enumerate() {
            let n = i + 1;
            if d.title.trim().is_empty() {
                e.0.push(FieldError::new(
                    "documents",
                    format!("Document {n}: enter the document's title"),
                ));
            } else if d.title.chars().count() > MAX_NAME_CHARS {
                e.0.push(FieldError::new(
                    "documents",
                    format!("Document {n}: the title must be {MAX_NAME_CHARS} characters or fewer"),
                ));
            }
            if !is_web_address(d.url.trim()) {
                e.0.push(FieldError::new(
                    "documents",
                    format!(
                        "Document {n}: enter a web address starting with https:// or http://, \
                         like https://www.redditchbc.gov.uk/"
                    ),
                ));
            }
        }
        if self.concerns.len() > MAX_CONCERNS {
            e.0.push(FieldError::new(
                "concerns",
                format!("An item can concern at most {MAX_CONCERNS} records"),
            ));
        }
        e.finish()
    }
}

/// A meeting's minutes, with the date of each step from draft to published. Which steps have
/// happened is read from the dates; nothing else is typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Minutes {
    pub partnership_id: PartnershipId,
    pub meeting_id: MeetingId,
    pub text: String,
    #[serde(default)]
    pub drafted_on: Option<IsoDate>,
    /// Approved as a correct record, usually at the body's next meeting.
    #[serde(default)]
    pub approved_on: Option<IsoDate>,
    /// The meeting that approved them (a plain id, not a reference).
    #[serde(default)]
    pub approved_at: Option<MeetingId>,
    /// Sent to the council's councillors (seed 004, recommendation 5).
    #[serde(default)]
    pub circulated_on: Option<IsoDate>,
    /// Published for everyone: until then only the partnership's members read them.
    #[serde(default)]
    pub published_on: Option<IsoDate>,
    /// Anything to say about the record itself, e.g. that its dates are illustrative.
    #[serde(default)]
    pub note: String,
}

impl Record for Minutes {
    type Id = MinutesId;
    const WIRE_NAME: &'static str = "minutes";
    const NOUN: &'static str = "minutes";
    const PLURAL: &'static str = "minutes";
    const REFERENCES: &'static [RefField<Self>] = &[
        RefField::partnership(|m| Some(m.partnership_id.0)),
        RefField::new(EntityKind::Meeting, "meeting_id", |m| Some(m.meeting_id.0)),
    ];
    const READ_VARIES: bool = true;

    /// The partnership's members (councillors, group leads, managers) read minutes while they
    /// are drafts; once published, everyone does.
    fn read_access(&self) -> Access {
        if self.is_published() {
            Access::Public
        } else {
            Access::Member
        }
    }
}

/// Where minutes stand, from their latest step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MinutesStatus {
    Draft,
    Approved,
    Published,
}

impl MinutesStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Approved => "Approved",
            Self::Published => "Published",
        }
    }
}

/// One step in the life of minutes, for the page's list of steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MinutesStep {
    /// "Drafted", "Approved as a correct record", ...
    pub label: &'static str,
    /// The day it happened; `None` while it has not.
    pub on: Option<IsoDate>,
}

impl Minutes {
    pub fn is_published(&self) -> bool {
        self.published_on.is_some()
    }

    pub fn status(&self) -> MinutesStatus {
        if self.published_on.is_some() {
            MinutesStatus::Published
        } else if self.approved_on.is_some() {
            MinutesStatus::Approved
        } else {
            MinutesStatus::Draft
        }
    }

    /// The four steps in order, each with its date when it has happened.
    pub fn steps(&self) -> [MinutesStep; 4] {
        [
            MinutesStep {
                label: "Drafted",
                on: self.drafted_on,
            },
            MinutesStep {
                label: "Approved as a correct record",
                on: self.approved_on,
            },
            MinutesStep {
                label: "Circulated to councillors",
                on: self.circulated_on,
            },
            MinutesStep {
                label: "Published",
                on: self.published_on,
            },
        ]
    }

    /// Whole days from the meeting to circulation to councillors; `None` until circulated.
    pub fn days_to_circulation(&self, meeting: IsoDate) -> Option<i64> {
        self.circulated_on.map(|c| meeting.days_until(c))
    }

    /// How long the minutes took (or are taking) to reach councillors, in words: "Circulated
    /// to councillors 9 days after the meeting", or "Not yet circulated to councillors: 12
    /// days since the meeting" (from `today`, the caller's clock).
    pub fn circulation_summary(&self, meeting: IsoDate, today: IsoDate) -> String {
        match self.days_to_circulation(meeting) {
            Some(0) => "Circulated to councillors on the day of the meeting".to_owned(),
            Some(n) if n < 0 => {
                "Circulated to councillors before the meeting's date: check the dates".to_owned()
            }
            Some(n) => format!("Circulated to councillors {} after the meeting", days(n)),
            None => {
                let waited = meeting.days_until(today);
                if waited > 0 {
                    format!(
                        "Not yet circulated to councillors: {} since the meeting",
                        days(waited)
                    )
                } else {
                    "Not yet circulated to councillors".to_owned()
                }
            }
        }
    }
}

/// "1 day", "9 days".
fn days(n: i64) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

impl Validate for Minutes {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        if self.text.trim().is_empty() {
            e.0.push(FieldError::new("text", "Enter the minutes"));
        } else {
            e.text("text", &self.text, "the minutes");
        }
        if self.approved_at.is_some() && self.approved_on.is_none() {
            e.0.push(FieldError::new(
                "approved_on",
                "Enter the date the minutes were approved, or leave the approving meeting empty",
            ));
        }
        let drafted = self.drafted_on;
        for (field, on, what) in [
            ("approved_on", self.approved_on, "approved"),
            ("circulated_on", self.circulated_on, "circulated"),
            ("published_on", self.published_on, "published"),
        ] {
            if let (Some(d), Some(on)) = (drafted, on)
                && on < d
            {
                e.0.push(FieldError::new(
                    field,
                    format!("The date the minutes were {what} must be on or after the date they were drafted"),
                ));
            }
        }
        e.text("note", &self.note, "the note");
        e.finish()
    }
}

// --- queries ---------------------------------------------------------------------------

/// Item numbers in agenda order: by the number they start with ("9" before "10", "126"
/// before "126a"), then as text.
pub fn item_order(a: &str, b: &str) -> Ordering {
    fn lead(s: &str) -> Option<u64> {
        let digits: String = s.trim().chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    }
    match (lead(a), lead(b)) {
        (Some(x), Some(y)) if x != y => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        _ => a.trim().cmp(b.trim()),
    }
}

/// A partnership's meetings, earliest first (then by time).
pub fn meetings_of(s: &Snapshot, p: PartnershipId) -> Vec<(MeetingId, &Meeting)> {
    let mut v: Vec<_> = s
        .meetings
        .iter()
        .filter(|(_, m)| m.partnership_id == p)
        .map(|(id, m)| (*id, m))
        .collect();
    sort_by(&mut v, |a, b| {
        (a.1.date, &a.1.time, a.0).cmp(&(b.1.date, &b.1.time, b.0))
    });
    v
}

/// A partnership's meetings split at `today`: those still to come ([`is_coming`], earliest
/// first), then the rest (latest first).
pub type UpcomingAndPast<'a> = (Vec<(MeetingId, &'a Meeting)>, Vec<(MeetingId, &'a Meeting)>);

/// See [`UpcomingAndPast`].
pub fn upcoming_and_past(s: &Snapshot, p: PartnershipId, today: IsoDate) -> UpcomingAndPast<'_> {
    let (upcoming, mut past): (Vec<_>, Vec<_>) = meetings_of(s, p)
        .into_iter()
        .partition(|(_, m)| is_coming(m, today));
    past.reverse();
    (upcoming, past)
}

/// Whether a meeting is still to come on `today`: on or after it, and not cancelled. (A
/// meeting held since is still "to come" on an earlier day, which the forward plan asks
/// about when read as it stood on a past day.)
pub fn is_coming(m: &Meeting, today: IsoDate) -> bool {
    m.date >= today && m.status != MeetingStatus::Cancelled
}

/// A body's meetings, latest first.
pub fn meetings_of_body(s: &Snapshot, body: BodyId) -> Vec<(MeetingId, &Meeting)> {
    let Some(p) = s.bodies.get(&body).map(|b| b.partnership_id) else {
        return Vec::new();
    };
    let mut v: Vec<_> = meetings_of(s, p)
        .into_iter()
        .filter(|(_, m)| m.body_id == Some(body))
        .collect();
    v.reverse();
    v
}

/// A body's meetings around `today`, for a short list such as the map's panel: up to `limit`
/// still to come ([`is_coming`], earliest first), then up to `limit` of the rest (held or
/// cancelled, latest first).
pub fn body_meetings_around(
    s: &Snapshot,
    body: BodyId,
    today: IsoDate,
    limit: usize,
) -> UpcomingAndPast<'_> {
    let (mut coming, mut recent): (Vec<_>, Vec<_>) = meetings_of_body(s, body)
        .into_iter()
        .partition(|(_, m)| is_coming(m, today));
    // Latest first from the query: the soonest to come are at the end.
    coming.reverse();
    coming.truncate(limit);
    recent.truncate(limit);
    (coming, recent)
}

/// Whether two committee names name the same committee (ignoring case and outer spaces).
pub fn same_committee(a: &str, b: &str) -> bool {
    fold_case(a.trim()) == fold_case(b.trim())
}

/// The meetings of one council committee about partnership `p`, latest first.
pub fn meetings_of_committee<'a>(
    s: &'a Snapshot,
    p: PartnershipId,
    council: OrganisationId,
    committee: &str,
) -> Vec<(MeetingId, &'a Meeting)> {
    let mut v: Vec<_> = meetings_of(s, p)
        .into_iter()
        .filter(|(_, m)| m.council_id == Some(council) && same_committee(&m.committee, committee))
        .collect();
    v.reverse();
    v
}

/// The council committees that met about partnership `p`: each council and committee name
/// once (as first written), ordered by council then committee.
pub fn committees_of(s: &Snapshot, p: PartnershipId) -> Vec<(OrganisationId, String)> {
    let mut v: Vec<(OrganisationId, String)> = Vec::new();
    for (_, m) in meetings_of(s, p) {
        if let Some(council) = m.council_id
            && !v
                .iter()
                .any(|(c, name)| *c == council && same_committee(name, &m.committee))
        {
            v.push((council, m.committee.trim().to_owned()));
        }
    }
    sort_by_key(&mut v, |(c, name)| {
        (organisation_name(s, *c), fold_case(name))
    });
    v
}

/// A meeting's agenda, in item order.
pub fn agenda_of(s: &Snapshot, meeting: MeetingId) -> Vec<(AgendaItemId, &AgendaItem)> {
    let mut v: Vec<_> = s
        .agenda_items
        .iter()
        .filter(|(_, a)| a.meeting_id == meeting)
        .map(|(id, a)| (*id, a))
        .collect();
    sort_by(&mut v, |a, b| {
        item_order(&a.1.number, &b.1.number).then(a.0.cmp(&b.0))
    });
    v
}

/// A meeting's minutes, if this device holds them (the earliest made, should there be two).
pub fn minutes_of(s: &Snapshot, meeting: MeetingId) -> Option<(MinutesId, &Minutes)> {
    s.minutes
        .iter()
        .find(|(_, m)| m.meeting_id == meeting)
        .map(|(id, m)| (*id, m))
}

/// An organisation's name, or a plain phrase when it is no longer on this device.
pub fn organisation_name(s: &Snapshot, id: OrganisationId) -> String {
    s.organisations
        .get(&id)
        .map(|o| o.name.clone())
        .unwrap_or_else(|| "a council no longer in the partnership".to_owned())
}

/// Who met: the body's name, or "Overview and Scrutiny Committee, Redditch Borough Council".
pub fn who_met(s: &Snapshot, m: &Meeting) -> String {
    match (m.body_id, m.council_id) {
        (Some(body), _) => s
            .bodies
            .get(&body)
            .map(|b| b.name.clone())
            .unwrap_or_else(|| "A body no longer in the partnership".to_owned()),
        (None, Some(council)) => {
            format!("{}, {}", m.committee.trim(), organisation_name(s, council))
        }
        (None, None) => m.committee.trim().to_owned(),
    }
}

/// How a meeting is named in headings and lists: "Overview and Scrutiny Committee, Redditch
/// Borough Council: 25 November 2009".
pub fn meeting_title(s: &Snapshot, m: &Meeting) -> String {
    format!("{}: {}", who_met(s, m), m.date.long())
}

/// The forward plan: partnership `p`'s meetings still to come on `today`, earliest first,
/// each with its agenda so far.
pub type ForwardPlan<'a> = Vec<(MeetingId, &'a Meeting, Vec<(AgendaItemId, &'a AgendaItem)>)>;

/// See [`ForwardPlan`].
pub fn forward_plan(s: &Snapshot, p: PartnershipId, today: IsoDate) -> ForwardPlan<'_> {
    upcoming_and_past(s, p, today)
        .0
        .into_iter()
        .map(|(id, m)| (id, m, agenda_of(s, id)))
        .collect()
}

/// What each concern of an agenda item links to on this device, as (kind, id, name); the
/// records this device does not hold (deleted, or not the reader's to see) are left out.
pub fn concerned_records(s: &Snapshot, item: &AgendaItem) -> Vec<Concern> {
    item.concerns
        .iter()
        .copied()
        .filter(|c| s.contains((c.kind, c.id)))
        .collect()
}

/// The longest a recommendation's text runs in a form's choice before it is cut short.
pub const CHOICE_TEXT_CHARS: usize = 80;

/// `text` on one line, cut to at most `max` characters (with "…" when cut). Works on
/// characters, so any text is safe to pass.
pub fn short_text(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// How an agenda item names a record it concerns ("Recommendation 8 of the review …",
/// "Monitoring session of 12 September 2011 on the review …"); `None` for a record this
/// device does not hold or a kind an item does not name.
pub fn concern_label(s: &Snapshot, c: Concern) -> Option<String> {
    use crate::scrutiny::{MonitoringSessionId, RecommendationId};
    let review_title = |r| {
        s.reviews.get(&r).map_or_else(
            || "a review".to_owned(),
            |x| format!("“{}”", x.title.trim()),
        )
    };
    match c.kind {
        EntityKind::Body => s.bodies.get(&BodyId(c.id)).map(|b| b.name.clone()),
        EntityKind::Meeting => s
            .meetings
            .get(&MeetingId(c.id))
            .map(|m| meeting_title(s, m)),
        EntityKind::Recommendation => s.recommendations.get(&RecommendationId(c.id)).map(|r| {
            format!(
                "Recommendation {} of {}",
                r.number,
                review_title(r.review_id)
            )
        }),
        EntityKind::MonitoringSession => {
            s.monitoring_sessions
                .get(&MonitoringSessionId(c.id))
                .map(|m| {
                    format!(
                        "Monitoring session of {} on {}",
                        m.date.long(),
                        review_title(m.review_id)
                    )
                })
        }
        EntityKind::HighlightReport => s
            .highlight_reports
            .get(&crate::strategy::HighlightReportId(c.id))
            .map(|r| highlight_report_label(s, r)),
        EntityKind::FundBid => s
            .fund_bids
            .get(&crate::strategy::FundBidId(c.id))
            .map(|b| bid_label(s, b)),
        _ => None,
    }
}

/// The recommendations of partnership `p`'s reviews an agenda item may concern, as (id,
/// label) for a form: review by review, in number order, each with the start of its text.
pub fn recommendation_choices(s: &Snapshot, p: PartnershipId) -> Vec<(Uuid, String)> {
    use crate::scrutiny::reviews::{recommendations_of, reviews_of};
    reviews_of(s, p)
        .into_iter()
        .flat_map(|(review, r)| {
            recommendations_of(s, review)
                .into_iter()
                .map(move |(id, rec)| {
                    (
                        id.0,
                        format!(
                            "{}: recommendation {}, {}",
                            r.title.trim(),
                            rec.number,
                            short_text(&rec.text, CHOICE_TEXT_CHARS)
                        ),
                    )
                })
        })
        .collect()
}

/// The monitoring sessions of partnership `p`'s reviews an agenda item may concern, as (id,
/// label) for a form: review by review, earliest first.
pub fn monitoring_session_choices(s: &Snapshot, p: PartnershipId) -> Vec<(Uuid, String)> {
    use crate::scrutiny::reviews::{reviews_of, sessions_of};
    reviews_of(s, p)
        .into_iter()
        .flat_map(|(review, r)| {
            sessions_of(s, review).into_iter().map(move |(id, m)| {
                (
                    id.0,
                    format!(
                        "{}: monitoring session of {}",
                        r.title.trim(),
                        m.date.long()
                    ),
                )
            })
        })
        .collect()
}

/// "Community Safety Partnership: highlight report, 1 April 2011 to 30 June 2011".
pub fn highlight_report_label(s: &Snapshot, r: &crate::strategy::HighlightReport) -> String {
    let body = s
        .bodies
        .get(&r.body_id)
        .map_or("A body no longer in the structure", |b| b.name.as_str());
    format!("{body}: highlight report, {}", r.period_label())
}

/// The highlight reports of partnership `p` an agenda item may concern, as (id, label) for a
/// form: those submitted, the latest period first (a draft is not yet the group's report).
pub fn highlight_report_choices(s: &Snapshot, p: PartnershipId) -> Vec<(Uuid, String)> {
    let mut reports: Vec<_> = s
        .highlight_reports
        .iter()
        .filter(|(_, r)| r.partnership_id == p && r.is_submitted())
        .collect();
    sort_by_key(&mut reports, |(id, r)| {
        (
            std::cmp::Reverse(r.period_end),
            s.body_name(r.body_id),
            **id,
        )
    });
    reports
        .into_iter()
        .map(|(id, r)| (id.0, highlight_report_label(s, r)))
        .collect()
}

/// "Bid by Community Safety: a youth diversion scheme (LSP project fund 2010/11)".
pub fn bid_label(s: &Snapshot, b: &crate::strategy::FundBid) -> String {
    let fund = s
        .fund_pots
        .get(&b.pot_id)
        .map(|f| f.title())
        .unwrap_or_else(|| "a project fund".to_owned());
    // The group is a plain id: a bid outlives a group taken out of the structure.
    let group = s
        .bodies
        .get(&b.body_id)
        .map_or("a former group", |g| g.name.as_str());
    format!(
        "Bid by {group}: {} ({fund})",
        short_text(&b.purpose, CHOICE_TEXT_CHARS)
    )
}

/// The bids to partnership `p`'s project funds an agenda item may concern (a meeting that
/// decides them), as (id, label) for a form: the latest fund first, then by group.
pub fn bid_choices(s: &Snapshot, p: PartnershipId) -> Vec<(Uuid, String)> {
    let mut bids: Vec<_> = s
        .fund_bids
        .iter()
        .filter(|(_, b)| b.partnership_id == p)
        .map(|(id, b)| {
            let year = s.fund_pots.get(&b.pot_id).map(|f| f.year);
            (std::cmp::Reverse(year), s.body_name(b.body_id), *id, b)
        })
        .collect();
    sort_by(&mut bids, |a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
    bids.into_iter()
        .map(|(_, _, id, b)| (id.0, bid_label(s, b)))
        .collect()
}

/// An agenda item that concerned a record, with its meeting.
pub type ItemConcerning<'a> = (MeetingId, &'a Meeting, AgendaItemId, &'a AgendaItem);

/// The agenda items on this device that say they concern `record`, with their meetings:
/// earliest meeting first, then in agenda order.
pub fn items_concerning(s: &Snapshot, record: Concern) -> Vec<ItemConcerning<'_>> {
    let mut v: Vec<ItemConcerning<'_>> = s
        .agenda_items
        .iter()
        .filter(|(_, a)| a.concerns.contains(&record))
        .filter_map(|(id, a)| {
            s.meetings
                .get(&a.meeting_id)
                .map(|m| (a.meeting_id, m, *id, a))
        })
        .collect();
    sort_by(&mut v, |a, b| {
        (a.1.date, &a.1.time, a.0)
            .cmp(&(b.1.date, &b.1.time, b.0))
            .then_with(|| item_order(&a.3.number, &b.3.number))
            .then(a.2.cmp(&b.2))
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeds;
    use proptest::prelude::*;

    fn pid() -> PartnershipId {
        PartnershipId::new(1, [1; 10])
    }

    fn meeting_id(n: u8) -> MeetingId {
        MeetingId::new(u64::from(n), [n; 10])
    }

    /// Seed 000: Redditch's Overview and Scrutiny Committee, 25 November 2009.
    fn overview_and_scrutiny() -> Meeting {
        Meeting {
            partnership_id: pid(),
            body_id: None,
            council_id: Some(OrganisationId::new(2, [2; 10])),
            committee: seeds::OVERVIEW_AND_SCRUTINY.into(),
            date: IsoDate::known(2009, 11, 25),
            time: String::new(),
            venue: String::new(),
            status: MeetingStatus::Held,
            note: String::new(),
        }
    }

    fn draft_minutes() -> Minutes {
        Minutes {
            partnership_id: pid(),
            meeting_id: meeting_id(3),
            text: "The Board agreed the new priorities.".into(),
            drafted_on: Some(IsoDate::known(2011, 6, 20)),
            approved_on: None,
            approved_at: None,
            circulated_on: None,
            published_on: None,
            note: String::new(),
        }
    }

    fn fields(errors: Result<(), Vec<FieldError>>) -> Vec<String> {
        errors
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_committee_meeting_names_its_council_and_committee() {
        assert_eq!(overview_and_scrutiny().validate(), Ok(()));
        let unnamed = Meeting {
            committee: "  ".into(),
            ..overview_and_scrutiny()
        };
        assert_eq!(fields(unnamed.validate()), ["committee"]);
        let no_council = Meeting {
            council_id: None,
            ..overview_and_scrutiny()
        };
        assert_eq!(fields(no_council.validate()), ["council_id"]);
    }

    #[test]
    fn a_meeting_is_of_a_body_or_of_a_committee_never_both_nor_neither() {
        let board = Meeting {
            body_id: Some(BodyId::new(3, [3; 10])),
            council_id: None,
            committee: String::new(),
            ..overview_and_scrutiny()
        };
        assert_eq!(board.validate(), Ok(()));
        assert!(!board.is_committee());
        let both = Meeting {
            body_id: board.body_id,
            ..overview_and_scrutiny()
        };
        let errors = both.validate().err().unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("not both"), "{errors:?}");
        let committee_text_only = Meeting {
            committee: "Cabinet".into(),
            ..board.clone()
        };
        assert_eq!(fields(committee_text_only.validate()), ["body_id"]);
        let neither = Meeting {
            council_id: None,
            committee: String::new(),
            ..overview_and_scrutiny()
        };
        assert_eq!(fields(neither.validate()), ["body_id"]);
    }

    #[test]
    fn a_meeting_time_is_hours_and_minutes_on_the_24_hour_clock() {
        let at = |t: &str| Meeting {
            time: t.into(),
            ..overview_and_scrutiny()
        };
        assert_eq!(at("19:00").time_label().as_deref(), Some("7pm"));
        assert_eq!(at("10:30").time_label().as_deref(), Some("10:30am"));
        assert_eq!(at("00:05").time_label().as_deref(), Some("12:05am"));
        assert_eq!(at("12:00").time_label().as_deref(), Some("12pm"));
        assert_eq!(at("").time_label(), None);
        assert_eq!(at("").validate(), Ok(()));
        for bad in ["7pm", "24:00", "19:60", "1:00", "19:0", "١٩:٠٠"] {
            assert_eq!(fields(at(bad).validate()), ["time"], "{bad}");
        }
    }

    #[test]
    fn document_links_must_be_web_addresses() {
        for ok in [
            "https://moderngov.redditchbc.gov.uk/ieListDocuments.aspx?CId=1",
            "http://www.bathnes.gov.uk/",
            "HTTPS://EXAMPLE.ORG",
        ] {
            assert!(is_web_address(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "/documents/report.pdf",
            "https://",
            "https:///path",
            "https://@evil",
            "https://example.org/a b",
            "https://example.org/\n",
            "vbscript:msgbox",
            "",
        ] {
            assert!(!is_web_address(bad), "{bad:?}");
        }
        let item = |url: &str| AgendaItem {
            partnership_id: pid(),
            meeting_id: meeting_id(1),
            number: "126".into(),
            title: "Local Strategic Partnership (LSP)".into(),
            report_type: ReportType::Presentation,
            summary: String::new(),
            outcome: "The report was noted.".into(),
            documents: vec![DocumentLink {
                title: "Slides".into(),
                url: url.into(),
            }],
            concerns: Vec::new(),
        };
        assert_eq!(item("https://example.org/slides.pdf").validate(), Ok(()));
        let refused = item("javascript:alert(1)")
            .validate()
            .err()
            .unwrap_or_default();
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].field, "documents");
        assert!(
            refused[0]
                .message
                .starts_with("Document 1: enter a web address")
        );
    }

    #[test]
    fn draft_minutes_are_the_members_until_published_then_everyones() {
        let draft = draft_minutes();
        assert_eq!(draft.read_access(), Access::Member);
        assert_eq!(draft.status(), MinutesStatus::Draft);
        let approved = Minutes {
            approved_on: Some(IsoDate::known(2011, 9, 12)),
            approved_at: Some(meeting_id(4)),
            circulated_on: Some(IsoDate::known(2011, 9, 14)),
            ..draft.clone()
        };
        // Approved and circulated to councillors, but not yet published: still members only.
        assert_eq!(approved.read_access(), Access::Member);
        assert_eq!(approved.status(), MinutesStatus::Approved);
        let published = Minutes {
            published_on: Some(IsoDate::known(2011, 9, 15)),
            ..approved
        };
        assert_eq!(published.read_access(), Access::Public);
        assert_eq!(published.status(), MinutesStatus::Published);
        // Through the registry, as the server asks.
        let entity = crate::Entity::Minutes(draft);
        assert_eq!(entity.read_access(), Access::Member);
        assert!(EntityKind::Minutes.read_varies());
        assert!(EntityKind::Minutes.gated());
        assert!(!EntityKind::Meeting.gated());
        assert!(!EntityKind::AgendaItem.gated());
    }

    #[test]
    fn minutes_count_the_days_from_the_meeting_to_councillors() {
        let meeting = IsoDate::known(2011, 6, 20);
        let today = IsoDate::known(2011, 7, 2);
        let draft = draft_minutes();
        assert_eq!(draft.days_to_circulation(meeting), None);
        assert_eq!(
            draft.circulation_summary(meeting, today),
            "Not yet circulated to councillors: 12 days since the meeting"
        );
        assert_eq!(
            draft.circulation_summary(meeting, meeting),
            "Not yet circulated to councillors"
        );
        let circulated = |on: IsoDate| Minutes {
            circulated_on: Some(on),
            ..draft_minutes()
        };
        // Across a month's end: 20 June to 29 June is 9 days.
        let nine = circulated(IsoDate::known(2011, 6, 29));
        assert_eq!(nine.days_to_circulation(meeting), Some(9));
        assert_eq!(
            nine.circulation_summary(meeting, today),
            "Circulated to councillors 9 days after the meeting"
        );
        let next_day = circulated(IsoDate::known(2011, 6, 21));
        assert_eq!(
            next_day.circulation_summary(meeting, today),
            "Circulated to councillors 1 day after the meeting"
        );
        assert_eq!(
            circulated(meeting).circulation_summary(meeting, today),
            "Circulated to councillors on the day of the meeting"
        );
        // Across a year's end and a leap day.
        let winter = IsoDate::known(2011, 12, 20);
        assert_eq!(
            circulated(IsoDate::known(2012, 3, 1)).days_to_circulation(winter),
            Some(72)
        );
        assert!(
            circulated(IsoDate::known(2011, 6, 1))
                .circulation_summary(meeting, today)
                .contains("check the dates")
        );
    }

    #[test]
    fn minutes_steps_come_in_order_and_an_approving_meeting_needs_a_date() {
        assert_eq!(draft_minutes().validate(), Ok(()));
        let early = Minutes {
            published_on: Some(IsoDate::known(2011, 6, 1)),
            ..draft_minutes()
        };
        assert_eq!(fields(early.validate()), ["published_on"]);
        let undated = Minutes {
            approved_at: Some(meeting_id(4)),
            ..draft_minutes()
        };
        assert_eq!(fields(undated.validate()), ["approved_on"]);
        let empty = Minutes {
            text: " ".into(),
            ..draft_minutes()
        };
        assert_eq!(fields(empty.validate()), ["text"]);
        let labels: Vec<&str> = draft_minutes().steps().iter().map(|s| s.label).collect();
        assert_eq!(
            labels,
            [
                "Drafted",
                "Approved as a correct record",
                "Circulated to councillors",
                "Published"
            ]
        );
    }

    #[test]
    fn agenda_items_sort_by_their_numbers() {
        let mut numbers = vec![
            "10",
            "126a",
            "9",
            "",
            "126",
            "5(b)",
            "5(a)",
            "Any other business",
        ];
        sort_by(&mut numbers, |a, b| item_order(a, b));
        assert_eq!(
            numbers,
            [
                "5(a)",
                "5(b)",
                "9",
                "10",
                "126",
                "126a",
                "",
                "Any other business"
            ]
        );
    }

    #[test]
    fn a_meeting_is_to_come_from_its_day_on_unless_cancelled() {
        let m = overview_and_scrutiny();
        assert!(is_coming(&m, IsoDate::known(2009, 11, 25)));
        assert!(is_coming(&m, IsoDate::known(2009, 11, 1)));
        assert!(!is_coming(&m, IsoDate::known(2009, 11, 26)));
        let cancelled = Meeting {
            status: MeetingStatus::Cancelled,
            ..m
        };
        assert!(!is_coming(&cancelled, IsoDate::known(2009, 11, 1)));
    }

    #[test]
    fn a_bodys_meetings_around_a_day_are_the_next_to_come_and_the_latest_past() {
        let mut s = Snapshot::default();
        let board = BodyId::new(3, [3; 10]);
        s.bodies.insert(
            board,
            crate::domain::Body {
                partnership_id: pid(),
                name: "Partnership Management Board".into(),
                kind: crate::domain::BodyKind::Board,
                terms_of_reference: String::new(),
            },
        );
        let board_meeting = |month, day, status| Meeting {
            body_id: Some(board),
            council_id: None,
            committee: String::new(),
            date: IsoDate::known(2011, month, day),
            status,
            ..overview_and_scrutiny()
        };
        for (n, month, day, status) in [
            (1, 1, 10, MeetingStatus::Held),
            (2, 3, 14, MeetingStatus::Cancelled),
            (3, 6, 20, MeetingStatus::Held),
            (4, 9, 12, MeetingStatus::Scheduled),
            (5, 12, 5, MeetingStatus::Scheduled),
            (6, 10, 3, MeetingStatus::Cancelled),
            (7, 11, 7, MeetingStatus::Scheduled),
        ] {
            s.meetings
                .insert(meeting_id(n), board_meeting(month, day, status));
        }
        // A committee's meeting is not the Board's.
        s.meetings.insert(meeting_id(8), overview_and_scrutiny());
        let dates = |v: &[(MeetingId, &Meeting)]| v.iter().map(|(_, m)| m.date).collect::<Vec<_>>();
        let (coming, recent) = body_meetings_around(&s, board, IsoDate::known(2011, 9, 1), 2);
        assert_eq!(
            dates(&coming),
            [IsoDate::known(2011, 9, 12), IsoDate::known(2011, 11, 7)]
        );
        // A cancelled meeting is past whatever its day.
        assert_eq!(
            dates(&recent),
            [IsoDate::known(2011, 10, 3), IsoDate::known(2011, 6, 20)]
        );
        let (coming, recent) = body_meetings_around(&s, board, IsoDate::known(2012, 1, 1), 10);
        assert!(coming.is_empty());
        assert_eq!(recent.len(), 7);
        let unknown =
            body_meetings_around(&s, BodyId::new(9, [9; 10]), IsoDate::known(2011, 9, 1), 3);
        assert!(unknown.0.is_empty() && unknown.1.is_empty());
    }

    /// Seed 004's recommendation 8 (induction material) went to the committee's monitoring
    /// session: the item that concerned it is found from the recommendation, and the forms
    /// offer it by its review and number.
    #[test]
    fn items_that_concern_a_recommendation_are_found_from_it_in_meeting_order() {
        use crate::scrutiny::{
            MonitoringSession, MonitoringSessionId, Recommendation, RecommendationId, Review,
            ReviewId,
        };
        let mut s = Snapshot::default();
        let review = ReviewId::new(40, [4; 10]);
        s.reviews.insert(
            review,
            Review {
                partnership_id: pid(),
                title: "Redditch Partnership Task and Finish Group".into(),
                body_id: None,
                committee: seeds::OVERVIEW_AND_SCRUTINY.into(),
                started_on: None,
                reported_on: None,
                members: Vec::new(),
                summary: String::new(),
                monitoring_months: 6,
            },
        );
        let rec = RecommendationId::new(41, [4; 10]);
        s.recommendations.insert(
            rec,
            Recommendation {
                partnership_id: pid(),
                review_id: review,
                number: 8,
                text: "Induction material for new councillors should include information about the Partnership."
                    .into(),
                addressed_to: String::new(),
                on_laa_target: false,
            },
        );
        let session = MonitoringSessionId::new(42, [4; 10]);
        s.monitoring_sessions.insert(
            session,
            MonitoringSession {
                partnership_id: pid(),
                review_id: review,
                date: IsoDate::known(2011, 11, 8),
                held_at: seeds::OVERVIEW_AND_SCRUTINY.into(),
                note: String::new(),
            },
        );
        let concern = Concern {
            kind: EntityKind::Recommendation,
            id: rec.0,
        };
        let later = MeetingId::new(50, [5; 10]);
        let earlier = MeetingId::new(51, [5; 10]);
        s.meetings.insert(
            later,
            Meeting {
                date: IsoDate::known(2011, 11, 8),
                ..overview_and_scrutiny()
            },
        );
        s.meetings.insert(earlier, overview_and_scrutiny());
        let item = |meeting_id, number: &str, concerns: Vec<Concern>| AgendaItem {
            partnership_id: pid(),
            meeting_id,
            number: number.into(),
            title: format!("Item {number}"),
            report_type: ReportType::Written,
            summary: String::new(),
            outcome: String::new(),
            documents: Vec::new(),
            concerns,
        };
        let other = Concern {
            kind: EntityKind::MonitoringSession,
            id: session.0,
        };
        for (n, it) in [
            (60, item(later, "7", vec![other, concern])),
            (61, item(earlier, "126", vec![concern])),
            (62, item(later, "5", vec![concern])),
            (63, item(later, "6", vec![other])),
        ] {
            s.agenda_items.insert(AgendaItemId::new(n, [6; 10]), it);
        }
        let found: Vec<(IsoDate, &str)> = items_concerning(&s, concern)
            .into_iter()
            .map(|(_, m, _, a)| (m.date, a.number.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (IsoDate::known(2009, 11, 25), "126"),
                (IsoDate::known(2011, 11, 8), "5"),
                (IsoDate::known(2011, 11, 8), "7"),
            ]
        );
        assert_eq!(items_concerning(&s, other).len(), 2);
        assert_eq!(
            s.agenda_items[&AgendaItemId::new(61, [6; 10])].label(),
            "Item 126: Item 126"
        );
        let unnumbered = AgendaItem {
            number: " ".into(),
            ..item(earlier, "", Vec::new())
        };
        assert_eq!(unnumbered.label(), "Item");
        assert_eq!(
            concern_label(&s, concern).as_deref(),
            Some("Recommendation 8 of “Redditch Partnership Task and Finish Group”")
        );
        assert_eq!(
            concern_label(&s, other).as_deref(),
            Some(
                "Monitoring session of 8 November 2011 on “Redditch Partnership Task and Finish Group”"
            )
        );
        assert_eq!(
            recommendation_choices(&s, pid()),
            [(
                rec.0,
                "Redditch Partnership Task and Finish Group: recommendation 8, Induction material for new councillors should include information about the Par…"
                    .to_owned()
            )]
        );
        assert_eq!(
            monitoring_session_choices(&s, pid()),
            [(
                session.0,
                "Redditch Partnership Task and Finish Group: monitoring session of 8 November 2011"
                    .to_owned()
            )]
        );
        assert!(recommendation_choices(&s, PartnershipId::new(9, [9; 10])).is_empty());
        // A recommendation deleted since has no label; the items keep their plain link.
        s.recommendations.clear();
        assert_eq!(concern_label(&s, concern), None);
    }

    /// An agenda item may concern a highlight report (issue 12: "the records they concern (a
    /// recommendation, a highlight report, a bid)"): the form offers the submitted ones, the
    /// latest period first; a draft is not offered.
    #[test]
    fn agenda_items_may_concern_submitted_highlight_reports() {
        use crate::strategy::{HighlightReport, HighlightReportId};
        use crate::structure::domain::{Body, BodyKind};
        let mut s = Snapshot::default();
        let group = BodyId::new(70, [7; 10]);
        s.bodies.insert(
            group,
            Body {
                partnership_id: pid(),
                name: "Redditch Community Safety Partnership".into(),
                kind: BodyKind::ThematicPartnership,
                terms_of_reference: String::new(),
            },
        );
        let report = |start: IsoDate, end: IsoDate, submitted: Option<IsoDate>| HighlightReport {
            submitted_on: submitted,
            ..crate::strategy::fixtures::highlight_report(
                group,
                BodyId::new(71, [7; 10]),
                start,
                end,
            )
        };
        let (first, second, draft) = (
            HighlightReportId::new(72, [7; 10]),
            HighlightReportId::new(73, [7; 10]),
            HighlightReportId::new(74, [7; 10]),
        );
        let d = IsoDate::known;
        s.highlight_reports.insert(
            first,
            report(d(2011, 4, 1), d(2011, 6, 30), Some(d(2011, 7, 12))),
        );
        s.highlight_reports.insert(
            second,
            report(d(2011, 7, 1), d(2011, 9, 30), Some(d(2011, 10, 10))),
        );
        s.highlight_reports
            .insert(draft, report(d(2011, 10, 1), d(2011, 12, 31), None));
        let labels: Vec<(Uuid, String)> = highlight_report_choices(&s, pid());
        assert_eq!(
            labels.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            [second.0, first.0]
        );
        let concern = Concern {
            kind: EntityKind::HighlightReport,
            id: first.0,
        };
        assert_eq!(concern_label(&s, concern), Some(labels[1].1.clone()));
        assert!(
            labels[1]
                .1
                .starts_with("Redditch Community Safety Partnership: highlight report, ")
        );
        assert!(highlight_report_choices(&s, PartnershipId::new(9, [9; 10])).is_empty());
        s.highlight_reports.clear();
        assert_eq!(concern_label(&s, concern), None);
    }

    /// An agenda item may concern a bid to a project fund (issue 12: "a bid"): the form offers
    /// the partnership's bids, the latest fund first, each named by its group, purpose and fund.
    #[test]
    fn agenda_items_may_concern_bids_to_the_project_funds() {
        use crate::strategy::{BidDecision, FundBid, FundBidId, FundPot, FundPotId};
        let mut s = Snapshot::default();
        let fund = |year| FundPot {
            partnership_id: pid(),
            name: "LSP project fund".into(),
            year,
            decided_by: None,
            criteria: Vec::new(),
            closes_on: None,
            note: String::new(),
        };
        let (old, new) = (FundPotId::new(80, [8; 10]), FundPotId::new(81, [8; 10]));
        s.fund_pots.insert(old, fund(2009));
        s.fund_pots.insert(new, fund(2010));
        let bid = |pot, purpose: &str| FundBid {
            partnership_id: pid(),
            pot_id: pot,
            body_id: BodyId::new(82, [8; 10]),
            joint_organisation_ids: Vec::new(),
            amount_asked_pence: 100_000,
            purpose: purpose.into(),
            priority_ids: Vec::new(),
            target_ids: Vec::new(),
            submitted_on: None,
            scores: Vec::new(),
            decision: BidDecision::Pending,
            amount_approved_pence: None,
            decided_on: None,
            decided_by: None,
            reason: String::new(),
        };
        let (first, second) = (FundBidId::new(83, [8; 10]), FundBidId::new(84, [8; 10]));
        s.fund_bids
            .insert(first, bid(old, "Illustrative: a youth café"));
        s.fund_bids.insert(
            second,
            bid(new, "Illustrative: a   youth diversion\nscheme"),
        );
        let choices = bid_choices(&s, pid());
        assert_eq!(
            choices,
            [
                (
                    second.0,
                    "Bid by a former group: Illustrative: a youth diversion scheme (LSP project fund 2010/11)"
                        .to_owned()
                ),
                (
                    first.0,
                    "Bid by a former group: Illustrative: a youth café (LSP project fund 2009/10)".to_owned()
                ),
            ]
        );
        let concern = Concern {
            kind: EntityKind::FundBid,
            id: first.0,
        };
        assert_eq!(concern_label(&s, concern), Some(choices[1].1.clone()));
        assert!(bid_choices(&s, PartnershipId::new(9, [9; 10])).is_empty());
    }

    #[test]
    fn committee_names_match_ignoring_case_and_spaces() {
        assert!(same_committee(
            " Overview and Scrutiny Committee",
            "overview and scrutiny committee "
        ));
        assert!(!same_committee("Cabinet", "Full Council"));
    }

    #[test]
    fn documents_are_written_one_a_line_title_then_address() {
        let text = "Slides on the LSP https://example.org/lsp.pdf\n\n  Appendix A:  business plan\thttp://example.org/a?x=1 \n";
        let docs = parse_document_lines(text);
        assert_eq!(
            docs,
            Ok(vec![
                DocumentLink {
                    title: "Slides on the LSP".into(),
                    url: "https://example.org/lsp.pdf".into()
                },
                DocumentLink {
                    title: "Appendix A:  business plan".into(),
                    url: "http://example.org/a?x=1".into()
                },
            ])
        );
        let back = document_lines(&docs.unwrap_or_default());
        assert_eq!(
            back,
            "Slides on the LSP https://example.org/lsp.pdf\nAppendix A:  business plan http://example.org/a?x=1"
        );
        assert_eq!(
            parse_document_lines("Slides javascript:alert(1)"),
            Err("Line 1: end the line with the document's web address, starting with https:// or http://".into())
        );
        assert_eq!(
            parse_document_lines("\nhttps://example.org/"),
            Err("Line 2: give the document's title before its web address".into())
        );
        assert_eq!(parse_document_lines("  \n "), Ok(Vec::new()));
    }

    proptest! {
        #![proptest_config(crate::test_text::config())]

        /// Any text is safe to check, and what passes starts with a web scheme.
        #[test]
        fn any_text_is_safe_to_check_as_a_web_address(s in crate::test_text::text(40)) {
            if is_web_address(&s) {
                let lower = s.to_ascii_lowercase();
                prop_assert!(lower.starts_with("https://") || lower.starts_with("http://"));
            }
            let _ = is_web_address(&format!("https://{s}"));
        }

        /// Whatever is typed, what parses is valid, and writes back to what parses the same.
        #[test]
        fn document_lines_round_trip(s in crate::test_text::text(60)) {
            if let Ok(docs) = parse_document_lines(&s) {
                for d in &docs {
                    prop_assert!(is_web_address(&d.url));
                    prop_assert!(!d.title.trim().is_empty());
                }
                prop_assert_eq!(parse_document_lines(&document_lines(&docs)), Ok(docs));
            }
        }

        #[test]
        fn any_text_is_safe_to_cut_short(text in crate::test_text::text(120), max in 0usize..100) {
            let cut = short_text(&text, max);
            prop_assert!(cut.chars().count() <= max.max(1));
            prop_assert!(!cut.contains('\n'));
        }

        #[test]
        fn any_text_is_safe_as_a_time_or_item_number(
            a in crate::test_text::text(8),
            b in crate::test_text::text(8),
        ) {
            if let Some((h, m)) = parse_time(&a) {
                prop_assert!(h < 24 && m < 60);
            }
            let _ = item_order(&a, &b);
            prop_assert_eq!(item_order(&a, &a), Ordering::Equal);
            prop_assert_eq!(item_order(&a, &b), item_order(&b, &a).reverse());
        }
    }
}
