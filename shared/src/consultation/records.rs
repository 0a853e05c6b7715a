//! Consultations: a partnership asks residents about their priorities ("We Are Redditch",
//! January 2010), at events on tablets, online and on paper, and traces the results to what it
//! did ("you said, we did").
//!
//! A questionnaire is versioned: a version is never edited once answers exist; a change makes a
//! new version, and every response names the version it answered. Responses are append-only:
//! each is one resident's submission, with its own client-made id, so tablets never conflict
//! and a retried upload never counts a response twice.
//!
//! Every struct here that carries a `partnership_id` is a synced record (see
//! [`crate::entity::EntityKind`]): [`Consultation`], [`ConsultationEvent`], [`Questionnaire`]
//! (one record per version), [`Response`] and [`Finding`]. The server keeps the two rules that
//! need more than one record: a response is checked against its questionnaire version with
//! [`validate_response`], and a version that has responses is never edited.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, Error as _, IgnoredAny, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde::{Deserialize, Serialize};

use crate::accounts::Access;
use crate::date::IsoDate;
use crate::entity::{EntityKind, Record, RefField};
use crate::ids::{
    BodyId, ConsultationEventId, ConsultationId, DeviceId, FindingId, PartnershipId,
    QuestionnaireId, ResponseId,
};
use crate::strategy::{KeyActionId, PriorityId};
use crate::validate::FieldError;

/// A consultation of residents about the partnership's priorities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consultation {
    pub partnership_id: PartnershipId,
    pub title: String,
    #[serde(default)]
    pub purpose: String,
    /// The first and last days residents can answer; open-ended when absent.
    #[serde(default)]
    pub opens_on: Option<IsoDate>,
    #[serde(default)]
    pub closes_on: Option<IsoDate>,
    /// Breakdown cells with fewer answers than this are not shown publicly.
    #[serde(default = "default_threshold")]
    pub suppression_threshold: u32,
    /// Closed to new answers and left out of lists, but kept whole with its answers (a
    /// consultation that holds answers is archived rather than deleted). Restorable.
    #[serde(default)]
    pub archived: bool,
}

impl Record for Consultation {
    type Id = ConsultationId;
    const WIRE_NAME: &'static str = "consultation";
    const NOUN: &'static str = "consultation";
    const PLURAL: &'static str = "consultations";
    const REFERENCES: &'static [RefField<Self>] =
        &[RefField::partnership(|c| Some(c.partnership_id.0))];
    const PROTECTS_ANSWERS: bool = true;
    const CAN_BE_ARCHIVED: bool = true;
}

fn default_threshold() -> u32 {
    DEFAULT_SUPPRESSION_THRESHOLD
}

/// The default smallest count shown in a public breakdown.
pub const DEFAULT_SUPPRESSION_THRESHOLD: u32 = 5;

/// A public event of a consultation (a stall, a drop-in session), where answers are captured on
/// tablets and paper.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationEvent {
    pub partnership_id: PartnershipId,
    pub consultation_id: ConsultationId,
    pub name: String,
    pub date: IsoDate,
    #[serde(default)]
    pub venue: String,
}

impl Record for ConsultationEvent {
    type Id = ConsultationEventId;
    const WIRE_NAME: &'static str = "consultation_event";
    const NOUN: &'static str = "consultation event";
    const PLURAL: &'static str = "consultation events";
    const REFERENCES: &'static [RefField<Self>] = &[
        RefField::partnership(|e| Some(e.partnership_id.0)),
        RefField::new(EntityKind::Consultation, "consultation_id", |e| {
            Some(e.consultation_id.0)
        }),
    ];
    /// Where and when staff take answers: for the partnership's staff and members, not
    /// the public.
    const READ: Access = Access::Staff;
    const PROTECTS_ANSWERS: bool = true;
}

/// How an answer reached the partnership.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A member of staff asked the questions and tapped the answers.
    StaffAssisted,
    /// The resident answered on a tablet in kiosk mode.
    Kiosk,
    /// A paper form, keyed in afterwards.
    Paper,
    /// The resident answered online through the public link.
    Online,
}

impl Channel {
    pub const ALL: &'static [Self] = &[Self::StaffAssisted, Self::Kiosk, Self::Paper, Self::Online];

    pub fn label(self) -> &'static str {
        match self {
            Self::StaffAssisted => "Staff-assisted",
            Self::Kiosk => "Kiosk",
            Self::Paper => "Paper form",
            Self::Online => "Online",
        }
    }
}

/// One option of a choice or ranking question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Stable within the question; answers store it.
    pub key: String,
    pub label: String,
}

impl Choice {
    /// Options from `(key, label)` pairs, in order.
    pub fn list(pairs: &[(&str, &str)]) -> Vec<Self> {
        pairs
            .iter()
            .map(|(key, label)| Self {
                key: (*key).to_owned(),
                label: (*label).to_owned(),
            })
            .collect()
    }
}

/// The five points of an agree/disagree scale, stored as -2..=2.
pub const AGREE_SCALE: [(i8, &str); 5] = [
    (2, "Strongly agree"),
    (1, "Agree"),
    (0, "Neither agree nor disagree"),
    (-1, "Disagree"),
    (-2, "Strongly disagree"),
];

/// What a question asks for, written `{"type": "choose_one", "options": [...]}`.
///
/// Read by hand ([`KindVisitor`]), as [`crate::sync::Op`] is: serde's derive for an internally
/// tagged enum copies the whole object into a buffer of its own (its `Content`) before it looks
/// at the tag, and reads the variant from that copy. With the derive for this enum and for
/// [`AnswerValue`], the questionnaire's first load was 14.9 KB larger (2.6 KB brotli). The
/// hand-made reading takes and refuses what the derive does, in the same words
/// (property-tested against it below).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    /// Choose and order the top `top_n` of the options.
    RankPriorities {
        options: Vec<Choice>,
        top_n: u8,
    },
    ChooseOne {
        options: Vec<Choice>,
    },
    ChooseSeveral {
        options: Vec<Choice>,
    },
    /// The five-point [`AGREE_SCALE`].
    AgreeScale,
    FreeText {
        max_chars: u32,
    },
    /// A UK postcode district ("B97"), the outward part of a postcode.
    PostcodeDistrict,
    /// An optional question about the resident (age band and the like), for breakdowns.
    AboutYou {
        options: Vec<Choice>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Stable across versions while the question means the same; answers store it.
    pub key: String,
    pub text: String,
    #[serde(default)]
    pub hint: String,
    #[serde(default)]
    pub required: bool,
    pub kind: QuestionKind,
}

impl Question {
    pub fn options(&self) -> &[Choice] {
        match &self.kind {
            QuestionKind::RankPriorities { options, .. }
            | QuestionKind::ChooseOne { options }
            | QuestionKind::ChooseSeveral { options }
            | QuestionKind::AboutYou { options } => options,
            QuestionKind::AgreeScale
            | QuestionKind::FreeText { .. }
            | QuestionKind::PostcodeDistrict => &[],
        }
    }
}

/// One version of a consultation's questionnaire, a record of its own. Once a response answers
/// it, it is never edited: a change makes a record with the next `version`, and the responses
/// already given stay tied to the version they answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Questionnaire {
    pub partnership_id: PartnershipId,
    pub consultation_id: ConsultationId,
    /// 1, 2, ...: the order of the versions of one consultation's questionnaire.
    pub version: u32,
    pub questions: Vec<Question>,
    /// Set (once, never unset) when a device first offers this version to residents: a staff
    /// capture screen, a kiosk or the public link. From then on residents may be answering it
    /// on tablets with no signal, so the server refuses any change to it and the builder saves
    /// changes as the next version. The server records it; a device's own count of answers
    /// cannot know about answers still on other tablets.
    #[serde(default)]
    pub opened_for_answers: bool,
}

impl Record for Questionnaire {
    type Id = QuestionnaireId;
    const WIRE_NAME: &'static str = "questionnaire";
    const NOUN: &'static str = "questionnaire version";
    const PLURAL: &'static str = "questionnaire versions";
    const REFERENCES: &'static [RefField<Self>] = &[
        RefField::partnership(|q| Some(q.partnership_id.0)),
        RefField::new(EntityKind::Consultation, "consultation_id", |q| {
            Some(q.consultation_id.0)
        }),
    ];
    const PROTECTS_ANSWERS: bool = true;
}

/// An answer to one question, written `{"type": "one", "value": "health"}`.
///
/// Read by hand ([`AnswerVisitor`]), as [`QuestionKind`] is: serde's derive for an adjacently
/// tagged enum copies `value` into its `Content` buffer when it comes before `type`. The
/// hand-made reading takes and refuses what the derive does, in the same words
/// (property-tested against it below).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum AnswerValue {
    /// Option keys, most important first.
    Ranked(Vec<String>),
    One(String),
    Several(Vec<String>),
    Scale(i8),
    Text(String),
    Postcode(String),
}

/// One resident's submission: append-only. Once stored, only `hidden` may change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub partnership_id: PartnershipId,
    pub consultation_id: ConsultationId,
    /// The questionnaire version answered.
    pub questionnaire_id: QuestionnaireId,
    /// The event it was captured at; `None` online, or for paper forms from elsewhere.
    #[serde(default)]
    pub event_id: Option<ConsultationEventId>,
    pub device_id: DeviceId,
    pub channel: Channel,
    /// When it was captured on the device, ms since the Unix epoch (the device's clock).
    pub captured_at: i64,
    /// Answers by question key; unanswered optional questions are absent.
    pub answers: BTreeMap<String, AnswerValue>,
    /// Hidden by a moderator (its free text holds personal data, say): kept, counted in the
    /// totals, but its free text is never shown.
    #[serde(default)]
    pub hidden: bool,
    /// Set by the server only, when the response arrives: what did not match the version it
    /// names (a question added or changed while the tablet was offline, an event deleted
    /// meanwhile). Such a response is stored, never refused, and waits for a manager to look
    /// at it before it is counted. Whatever a device sends here is replaced.
    #[serde(default)]
    pub review: Vec<FieldError>,
    /// A manager has looked at a response under review and counts it.
    #[serde(default)]
    pub accepted: bool,
    /// Set by the server only: when the answer first reached it, ms since the Unix epoch (the
    /// server's clock; `captured_at` is the device's, which may be wrong, and a resident's
    /// browser could say anything). Whatever a device sends here is replaced.
    #[serde(default)]
    pub received_at: Option<i64>,
}

impl Record for Response {
    type Id = ResponseId;
    const WIRE_NAME: &'static str = "response";
    const NOUN: &'static str = "response";
    const PLURAL: &'static str = "responses";
    /// The records an answer belongs to: each of these kinds protects answers.
    /// Residents' raw answers (free text, device and time) are the managers' alone; the
    /// public and councillors read the results.
    const READ: Access = Access::Manager;
    const CAPTURED: bool = true;
    const REFERENCES: &'static [RefField<Self>] = &[
        RefField::partnership(|r| Some(r.partnership_id.0)),
        RefField::new(EntityKind::Consultation, "consultation_id", |r| {
            Some(r.consultation_id.0)
        }),
        RefField::new(EntityKind::Questionnaire, "questionnaire_id", |r| {
            Some(r.questionnaire_id.0)
        }),
        RefField::new(EntityKind::ConsultationEvent, "event_id", |r| {
            r.event_id.map(|e| e.0)
        }),
    ];
}

impl Response {
    /// Whether the results count it: every response, except one under review that no
    /// manager has accepted yet.
    pub fn is_counted(&self) -> bool {
        self.review.is_empty() || self.accepted
    }
}

/// "You said, we did": what residents said, what the partnership did about it, and the Priority
/// Action Groups (standing for the partnership's themes) whose priorities it shaped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub partnership_id: PartnershipId,
    pub consultation_id: ConsultationId,
    /// What residents said.
    pub text: String,
    /// What was done about it; empty until decided.
    #[serde(default)]
    pub action: String,
    /// The groups it shaped. Like a presentation step's bodies these are not references:
    /// deleting a group leaves the finding in place, without that link.
    #[serde(default)]
    pub body_ids: Vec<BodyId>,
    /// The strategy's priorities it led to ("We made it a priority"). Plain ids, like the
    /// groups: deleting a priority leaves the finding without that link. A reader who may not
    /// see a priority (a draft strategy's) is not shown the link.
    #[serde(default)]
    pub priority_ids: Vec<PriorityId>,
    /// The key actions of the groups' action plans that answer it ("We did"). Plain ids.
    #[serde(default)]
    pub key_action_ids: Vec<KeyActionId>,
}

impl Record for Finding {
    type Id = FindingId;
    const WIRE_NAME: &'static str = "finding";
    const NOUN: &'static str = "finding";
    const PLURAL: &'static str = "findings";
    // The groups are not references, like a presentation step's bodies.
    const REFERENCES: &'static [RefField<Self>] = &[
        RefField::partnership(|f| Some(f.partnership_id.0)),
        RefField::new(EntityKind::Consultation, "consultation_id", |f| {
            Some(f.consultation_id.0)
        }),
    ];
}

/// The outward code of a UK postcode, normalised ("b97 4" → "B97"), or `None` if `input` is not
/// a postcode or postcode district. Accepts a full postcode and keeps only its district. Any
/// text is safe to pass (it is what a resident types): the answer is always plain ASCII, and a
/// district passed back in comes out unchanged.
pub fn postcode_district(input: &str) -> Option<String> {
    let mut parts = input.split_whitespace();
    let first = parts.next()?.to_ascii_uppercase();
    // With a space, the outward code is what stands before it; without one, a full postcode
    // ends in a digit and two letters (the inward code).
    let outward = if parts.next().is_some() {
        first
    } else {
        // `first` is the whole input without its surrounding spaces. A postcode is ASCII, so
        // anything else is not one; checking that first also makes the byte arithmetic below
        // safe (one byte is one character).
        if !first.is_ascii() {
            return None;
        }
        match first.len().checked_sub(3) {
            Some(cut) if cut >= 2 && is_inward(&first[cut..]) => first[..cut].to_owned(),
            _ => first,
        }
    };
    is_outward(&outward).then_some(outward)
}

fn is_inward(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 3
        && b[0].is_ascii_digit()
        && b[1].is_ascii_alphabetic()
        && b[2].is_ascii_alphabetic()
}

/// Area (1–2 letters), district (a digit, then an optional digit or letter).
fn is_outward(s: &str) -> bool {
    let b = s.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if !(1..=2).contains(&letters) {
        return false;
    }
    let rest = &b[letters..];
    match rest {
        [d] => d.is_ascii_digit(),
        [d, x] => d.is_ascii_digit() && x.is_ascii_alphanumeric(),
        _ => false,
    }
}

/// Checks a response against the questionnaire version it answers (the record its
/// `questionnaire_id` names). Field names in the errors are question keys, so a capture screen
/// can point at the question.
pub fn validate_response(q: &Questionnaire, r: &Response) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if r.consultation_id != q.consultation_id {
        errors.push(FieldError::new(
            "questionnaire_id",
            "This questionnaire belongs to another consultation: choose one of this consultation's",
        ));
        return Err(errors);
    }
    let known = crate::order::set_of(q.questions.iter().map(|x| x.key.as_str()));
    for key in r.answers.keys() {
        if !known.contains(key.as_str()) {
            errors.push(FieldError::new(
                key,
                "There is no such question in this questionnaire",
            ));
        }
    }
    for question in &q.questions {
        match r.answers.get(&question.key) {
            None if question.required => errors.push(FieldError::new(
                &question.key,
                format!("Answer the question: {}", question.text),
            )),
            None => {}
            Some(answer) => {
                if let Err(message) = check_answer(question, answer) {
                    errors.push(FieldError::new(&question.key, message));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn check_answer(question: &Question, answer: &AnswerValue) -> Result<(), String> {
    let keys = crate::order::set_of(question.options().iter().map(|c| c.key.as_str()));
    let all_known = |chosen: &[String]| chosen.iter().all(|k| keys.contains(k.as_str()));
    let distinct = |chosen: &[String]| crate::order::set_of(chosen).len() == chosen.len();
    match (&question.kind, answer) {
        (QuestionKind::RankPriorities { top_n, .. }, AnswerValue::Ranked(chosen)) => {
            if chosen.is_empty() {
                Err("Choose at least one priority".into())
            } else if chosen.len() > usize::from(*top_n) {
                Err(format!("Choose no more than {top_n} priorities"))
            } else if !all_known(chosen) || !distinct(chosen) {
                Err("Choose each priority from the list once".into())
            } else {
                Ok(())
            }
        }
        (QuestionKind::ChooseOne { .. } | QuestionKind::AboutYou { .. }, AnswerValue::One(k)) => {
            if keys.contains(k.as_str()) {
                Ok(())
            } else {
                Err("Choose one of the options".into())
            }
        }
        (QuestionKind::ChooseSeveral { .. }, AnswerValue::Several(chosen)) => {
            if all_known(chosen) && distinct(chosen) {
                Ok(())
            } else {
                Err("Choose from the options given".into())
            }
        }
        (QuestionKind::AgreeScale, AnswerValue::Scale(v)) => {
            if (-2..=2).contains(v) {
                Ok(())
            } else {
                Err("Choose a point on the scale".into())
            }
        }
        (QuestionKind::FreeText { max_chars }, AnswerValue::Text(t)) => {
            let n = t.chars().count();
            if n as u64 > u64::from(*max_chars) {
                Err(format!(
                    "Use {max_chars} characters or fewer (this has {n})"
                ))
            } else {
                Ok(())
            }
        }
        (QuestionKind::PostcodeDistrict, AnswerValue::Postcode(p)) => {
            if postcode_district(p).as_deref() == Some(p.as_str()) {
                Ok(())
            } else {
                Err("Enter the first part of a postcode, like B97".into())
            }
        }
        _ => Err("This answer is not of the kind the question asks for".into()),
    }
}

// Reading `QuestionKind` and `AnswerValue` by hand.
//
// serde's derive reads these tagged enums through its `Content` buffer: `QuestionKind` always
// (the whole object is copied before the tag is looked at), `AnswerValue` when its value comes
// before its tag. What that takes is not quite what a reading by type takes: every value is
// parsed whole, so a number out of range, a bad escape or nesting past serde_json's limit is an
// error anywhere in the object, even under a key that is then ignored; and a value of the
// wrong type under a field the variant does not have is no error at all. The readings below
// take what the derive takes, and refuse what it refuses in the same words, without the
// buffer. A question kind's fields are each read once, whole, into a [`Got`], which keeps only
// what the fields here are made of, and made their types once the tag says which are the
// variant's: the tag may come after them, and always does in a record's stored fields, whose
// keys are in order. An answer's value is read so only when it comes before the tag.

/// An error kept, not yet returned: a field's value may be wrong for a variant that the tag,
/// read later, does not name. Made the reader's own error at the end ([`Problem::error`]), so
/// the words are those the derive's reading gives (serde_json's "null", not "unit value").
/// Boxed, so that every `Result` here stays small (moving a large one is code, in wasm).
struct Problem(Box<Why>);

enum Why {
    /// A value of the wrong type, and what the type expects.
    Type(Seen, &'static str),
    /// A number out of the type's range.
    Value(Seen, &'static str),
    /// A list of the wrong length, and what was expected.
    Length(usize, &'static str),
    Duplicate(&'static str),
    Missing(&'static str),
}

impl From<Why> for Problem {
    fn from(why: Why) -> Self {
        Self(Box::new(why))
    }
}

impl Problem {
    // Made only when needed (`ok_or_else(|| Problem::missing(…))`): made before it is known to
    // be needed (`ok_or(Why::Missing(…))`), it was 1.5 KB more of the questionnaire's first
    // load (0.5 KB brotli).
    fn missing(field: &'static str) -> Self {
        Why::Missing(field).into()
    }

    fn duplicate(field: &'static str) -> Self {
        Why::Duplicate(field).into()
    }

    fn error<E: de::Error>(self) -> E {
        match *self.0 {
            Why::Type(seen, expected) => E::invalid_type(seen.unexpected(), &expected),
            Why::Value(seen, expected) => E::invalid_value(seen.unexpected(), &expected),
            Why::Length(len, expected) => E::invalid_length(len, &expected),
            Why::Duplicate(field) => E::duplicate_field(field),
            Why::Missing(field) => E::missing_field(field),
        }
    }
}

/// A value that is not a list or an object, or only that it was one of those.
enum Seen {
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Str(String),
    Unit,
    Seq,
    Map,
}

impl Seen {
    fn unexpected(&self) -> Unexpected<'_> {
        match self {
            Self::Bool(v) => Unexpected::Bool(*v),
            Self::Unsigned(v) => Unexpected::Unsigned(*v),
            Self::Signed(v) => Unexpected::Signed(*v),
            Self::Float(v) => Unexpected::Float(*v),
            Self::Str(v) => Unexpected::Str(v),
            Self::Unit => Unexpected::Unit,
            Self::Seq => Unexpected::Seq,
            Self::Map => Unexpected::Map,
        }
    }
}

/// A value read loosely, before its variant is known: a single value, a list of values, or an
/// object, the only objects here being [`Choice`]s, read as the derive reads a choice (or what
/// was wrong with it).
enum Got {
    One(Seen),
    List(Vec<Got>),
    Object(Result<Choice, Problem>),
}

impl Got {
    /// What it was, for an error about it.
    fn seen(self) -> Seen {
        match self {
            Self::One(seen) => seen,
            Self::List(_) => Seen::Seq,
            Self::Object(_) => Seen::Map,
        }
    }

    /// Serde's error for it where a value of another type was expected.
    fn wrong(self, expected: &'static str) -> Problem {
        Why::Type(self.seen(), expected).into()
    }

    fn text(self) -> Result<String, Problem> {
        match self {
            Self::One(Seen::Str(v)) => Ok(v),
            other => Err(other.wrong("a string")),
        }
    }

    /// A list whose every item is made a `T` by `each`, or the first item's problem.
    fn list<T>(self, each: fn(Got) -> Result<T, Problem>) -> Result<Vec<T>, Problem> {
        let Self::List(items) = self else {
            return Err(self.wrong("a sequence"));
        };
        let mut list = Vec::with_capacity(items.len());
        for item in items {
            list.push(each(item)?);
        }
        Ok(list)
    }

    /// A [`Choice`], which the derive also reads from a list of its fields in order.
    fn choice(self) -> Result<Choice, Problem> {
        match self {
            Self::Object(choice) => choice,
            Self::List(items) => {
                let expecting = "struct Choice with 2 elements";
                let (fields, length) = fields_of_list(items, CHOICE_KEYS, expecting);
                choice(fields, length)
            }
            other => Err(other.wrong("struct Choice")),
        }
    }

    /// A whole number of type `T`, which serde's errors name `expected` ("u8").
    fn whole<T: TryFrom<u64> + TryFrom<i64>>(self, expected: &'static str) -> Result<T, Problem> {
        let fits = match &self {
            Self::One(Seen::Unsigned(v)) => T::try_from(*v).ok(),
            Self::One(Seen::Signed(v)) => T::try_from(*v).ok(),
            _ => return Err(self.wrong(expected)),
        };
        fits.ok_or_else(|| Why::Value(self.seen(), expected).into())
    }
}

/// Reads any value into a [`Got`], parsed whole as the derive's buffer parses it: serde's
/// `IgnoredAny` instead lets serde_json skip text unparsed, which takes more than the derive.
struct Any;

impl<'de> DeserializeSeed<'de> for Any {
    type Value = Got;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Got, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Any {
    type Value = Got;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Got, E> {
        Ok(Got::One(Seen::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Got, E> {
        Ok(Got::One(Seen::Signed(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Got, E> {
        Ok(Got::One(Seen::Unsigned(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Got, E> {
        Ok(Got::One(Seen::Float(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Got, E> {
        Ok(Got::One(Seen::Str(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Got, E> {
        Ok(Got::One(Seen::Str(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Got, E> {
        Ok(Got::One(Seen::Unit))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Got, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Any)? {
            items.push(item);
        }
        Ok(Got::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Got, A::Error> {
        let mut fields = Vec::new();
        while let Some(key) = map.next_key_seed(Key(CHOICE_KEYS))? {
            field_of_map(&mut map, &mut fields, key)?;
        }
        Ok(Got::Object(choice(fields, None)))
    }
}

/// A key of an object: the one of `names` it is, or `None` for any other.
struct Key(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<&'static str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Option<&'static str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().copied().find(|name| *name == v))
    }
}

/// The fields of a struct (or of a struct variant) as they were met, each with its value, or
/// `None` for a field met again (the derive's `duplicate field`).
type Fields = Vec<(&'static str, Option<Got>)>;

/// Reads the value of one key of an object, whole: kept in `fields` if the key is a field
/// (the key's name), dropped if not.
fn field_of_map<'de, A: MapAccess<'de>>(
    map: &mut A,
    fields: &mut Fields,
    key: Option<&'static str>,
) -> Result<(), A::Error> {
    let value = map.next_value_seed(Any)?;
    if let Some(name) = key {
        let first = fields.iter().all(|(met, _)| *met != name);
        fields.push((name, first.then_some(value)));
    }
    Ok(())
}

/// A struct's fields taken from a list as the derive takes them: one item each, in order,
/// and no more. A list too short or too long is a problem, which the derive reports after
/// any field's own; `expecting` is how serde words the first ("struct Choice with 2
/// elements"), and the structs here have at most two fields.
fn fields_of_list(
    items: Vec<Got>,
    own: &'static [&'static str],
    expecting: &'static str,
) -> (Fields, Option<Problem>) {
    let len = items.len();
    let length = if len < own.len() {
        Some(Why::Length(len, expecting).into())
    } else if len > own.len() {
        let expected = match own.len() {
            0 => "0 elements in sequence",
            1 => "1 element in sequence",
            _ => "2 elements in sequence",
        };
        Some(Why::Length(len, expected).into())
    } else {
        None
    };
    (
        own.iter()
            .copied()
            .zip(items.into_iter().map(Some))
            .collect(),
        length,
    )
}

const CHOICE_KEYS: &[&str] = &["key", "label"];

/// A [`Choice`] from its fields, or the first problem the derive would meet: a field's, in
/// the order met, then `length`'s, then a missing field.
fn choice(fields: Fields, length: Option<Problem>) -> Result<Choice, Problem> {
    let (mut key, mut label) = (None, None);
    for (name, value) in fields {
        let text = value.ok_or_else(|| Problem::duplicate(name))?.text()?;
        match name {
            "key" => key = Some(text),
            _ => label = Some(text),
        }
    }
    if let Some(problem) = length {
        return Err(problem);
    }
    Ok(Choice {
        key: key.ok_or_else(|| Problem::missing("key"))?,
        label: label.ok_or_else(|| Problem::missing("label"))?,
    })
}

/// The variants of a tagged enum, as its tag names them.
trait Tag: Copy + 'static {
    /// The names on the wire, in the order of `ALL`.
    const NAMES: &'static [&'static str];
    const ALL: &'static [Self];
}

/// A tag written as a variant's name (a string), as the derive reads it.
struct Variant<T>(PhantomData<T>);

impl<'de, T: Tag> DeserializeSeed<'de> for Variant<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de, T: Tag> Visitor<'de> for Variant<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::NAMES
            .iter()
            .zip(T::ALL)
            .find(|(name, _)| **name == v)
            .map(|(_, tag)| *tag)
            .ok_or_else(|| E::unknown_variant(v, T::NAMES))
    }
}

/// Which [`QuestionKind`] a question is, without its settings: the name its `type` field
/// gives it, and what the questionnaire builder offers, in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KindTag {
    RankPriorities,
    ChooseOne,
    ChooseSeveral,
    AgreeScale,
    FreeText,
    PostcodeDistrict,
    AboutYou,
}

impl Tag for KindTag {
    const NAMES: &'static [&'static str] = &[
        "rank_priorities",
        "choose_one",
        "choose_several",
        "agree_scale",
        "free_text",
        "postcode_district",
        "about_you",
    ];
    const ALL: &'static [Self] = &KindTag::ALL;
}

impl KindTag {
    /// Every kind, in the builder's order.
    pub const ALL: [Self; 7] = [
        Self::RankPriorities,
        Self::ChooseOne,
        Self::ChooseSeveral,
        Self::AgreeScale,
        Self::FreeText,
        Self::PostcodeDistrict,
        Self::AboutYou,
    ];

    /// The name a question's `type` field gives this kind (`rank_priorities`, ...).
    pub fn key(self) -> &'static str {
        <Self as Tag>::NAMES[self as usize]
    }

    /// The kind of `kind`.
    pub fn of(kind: &QuestionKind) -> Self {
        match kind {
            QuestionKind::RankPriorities { .. } => Self::RankPriorities,
            QuestionKind::ChooseOne { .. } => Self::ChooseOne,
            QuestionKind::ChooseSeveral { .. } => Self::ChooseSeveral,
            QuestionKind::AgreeScale => Self::AgreeScale,
            QuestionKind::FreeText { .. } => Self::FreeText,
            QuestionKind::PostcodeDistrict => Self::PostcodeDistrict,
            QuestionKind::AboutYou { .. } => Self::AboutYou,
        }
    }

    /// The variant's fields, in order, and what serde's errors say a list of them should be.
    fn fields(self) -> (&'static [&'static str], &'static str) {
        match self {
            Self::RankPriorities => (
                &["options", "top_n"],
                "struct variant QuestionKind::RankPriorities with 2 elements",
            ),
            Self::ChooseOne => (
                &["options"],
                "struct variant QuestionKind::ChooseOne with 1 element",
            ),
            Self::ChooseSeveral => (
                &["options"],
                "struct variant QuestionKind::ChooseSeveral with 1 element",
            ),
            Self::AgreeScale => (&[], "unit variant QuestionKind::AgreeScale"),
            Self::FreeText => (
                &["max_chars"],
                "struct variant QuestionKind::FreeText with 1 element",
            ),
            Self::PostcodeDistrict => (&[], "unit variant QuestionKind::PostcodeDistrict"),
            Self::AboutYou => (
                &["options"],
                "struct variant QuestionKind::AboutYou with 1 element",
            ),
        }
    }

    /// The question kind of this variant from the fields met, or the first problem the derive
    /// would meet: with one of the variant's own fields, in the order met (other fields are
    /// ignored, right or wrong), then `length`'s, then a missing field.
    fn kind(self, fields: Fields, length: Option<Problem>) -> Result<QuestionKind, Problem> {
        let (own, _) = self.fields();
        let (mut options, mut top_n, mut max_chars) = (None, None, None);
        for (name, value) in fields.into_iter().filter(|(name, _)| own.contains(name)) {
            let value = value.ok_or_else(|| Problem::duplicate(name))?;
            match name {
                "options" => options = Some(value.list(Got::choice)?),
                "top_n" => top_n = Some(value.whole("u8")?),
                _ => max_chars = Some(value.whole("u32")?),
            }
        }
        if let Some(problem) = length {
            return Err(problem);
        }
        let options = || options.ok_or_else(|| Problem::missing("options"));
        Ok(match self {
            Self::RankPriorities => QuestionKind::RankPriorities {
                options: options()?,
                top_n: top_n.ok_or_else(|| Problem::missing("top_n"))?,
            },
            Self::ChooseOne => QuestionKind::ChooseOne {
                options: options()?,
            },
            Self::ChooseSeveral => QuestionKind::ChooseSeveral {
                options: options()?,
            },
            Self::AgreeScale => QuestionKind::AgreeScale,
            Self::FreeText => QuestionKind::FreeText {
                max_chars: max_chars.ok_or_else(|| Problem::missing("max_chars"))?,
            },
            Self::PostcodeDistrict => QuestionKind::PostcodeDistrict,
            Self::AboutYou => QuestionKind::AboutYou {
                options: options()?,
            },
        })
    }
}

/// The keys of a [`QuestionKind`]: its tag and every variant's fields.
const KIND_KEYS: &[&str] = &["type", "options", "top_n", "max_chars"];

impl<'de> Deserialize<'de> for QuestionKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KindVisitor)
    }
}

/// Reads a [`QuestionKind`] as serde's derive for `#[serde(tag = "type")]` does. An object:
/// `type` anywhere among its keys, and other keys ignored, the fields of other variants too,
/// whatever their values. Or a list: the tag, then the variant's fields in order and no more.
/// A duplicate or missing `type` or an unknown variant is an error, and so is a missing or
/// duplicate field of the variant named, or one of the wrong type. Every value is parsed whole,
/// as the derive's buffer parses it, even one then ignored (see [`Any`]).
struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = QuestionKind;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("internally tagged enum QuestionKind")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<QuestionKind, A::Error> {
        let mut tag = None;
        let mut fields = Vec::new();
        while let Some(key) = map.next_key_seed(Key(KIND_KEYS))? {
            match key {
                Some("type") if tag.is_some() => return Err(A::Error::duplicate_field("type")),
                Some("type") => tag = Some(map.next_value_seed(Variant::<KindTag>(PhantomData))?),
                key => field_of_map(&mut map, &mut fields, key)?,
            }
        }
        let tag = tag.ok_or_else(|| A::Error::missing_field("type"))?;
        tag.kind(fields, None).map_err(Problem::error)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<QuestionKind, A::Error> {
        let Some(tag) = seq.next_element_seed(Variant::<KindTag>(PhantomData))? else {
            return Err(A::Error::missing_field("type"));
        };
        let mut rest = Vec::new();
        while let Some(item) = seq.next_element_seed(Any)? {
            rest.push(item);
        }
        let (own, expecting) = tag.fields();
        let (fields, length) = fields_of_list(rest, own, expecting);
        tag.kind(fields, length).map_err(Problem::error)
    }
}

/// Which [`AnswerValue`].
#[derive(Clone, Copy)]
enum AnswerTag {
    Ranked,
    One,
    Several,
    Scale,
    Text,
    Postcode,
}

impl Tag for AnswerTag {
    const NAMES: &'static [&'static str] =
        &["ranked", "one", "several", "scale", "text", "postcode"];
    const ALL: &'static [Self] = &[
        Self::Ranked,
        Self::One,
        Self::Several,
        Self::Scale,
        Self::Text,
        Self::Postcode,
    ];
}

impl AnswerTag {
    /// The answer of this kind whose value, read before the tag, is `value`.
    fn answer(self, value: Got) -> Result<AnswerValue, Problem> {
        Ok(match self {
            Self::Ranked => AnswerValue::Ranked(value.list(Got::text)?),
            Self::One => AnswerValue::One(value.text()?),
            Self::Several => AnswerValue::Several(value.list(Got::text)?),
            Self::Scale => AnswerValue::Scale(value.whole("i8")?),
            Self::Text => AnswerValue::Text(value.text()?),
            Self::Postcode => AnswerValue::Postcode(value.text()?),
        })
    }
}

/// The value of an [`AnswerValue`] whose tag is known: read straight into its type, as the
/// derive reads it.
struct AnswerSeed(AnswerTag);

impl<'de> DeserializeSeed<'de> for AnswerSeed {
    type Value = AnswerValue;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<AnswerValue, D::Error> {
        Ok(match self.0 {
            AnswerTag::Ranked => AnswerValue::Ranked(Deserialize::deserialize(d)?),
            AnswerTag::One => AnswerValue::One(Deserialize::deserialize(d)?),
            AnswerTag::Several => AnswerValue::Several(Deserialize::deserialize(d)?),
            AnswerTag::Scale => AnswerValue::Scale(Deserialize::deserialize(d)?),
            AnswerTag::Text => AnswerValue::Text(Deserialize::deserialize(d)?),
            AnswerTag::Postcode => AnswerValue::Postcode(Deserialize::deserialize(d)?),
        })
    }
}

/// The `type` of an [`AnswerValue`] object, read as the derive reads it: as a unit variant of
/// an enum, so `"one"`, or `{"one": null}` as serde_json also writes one.
struct AnswerTagSeed;

impl<'de> DeserializeSeed<'de> for AnswerTagSeed {
    type Value = AnswerTag;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<AnswerTag, D::Error> {
        d.deserialize_enum("AnswerValue", AnswerTag::NAMES, self)
    }
}

impl<'de> Visitor<'de> for AnswerTagSeed {
    type Value = AnswerTag;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("variant of enum AnswerValue")
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<AnswerTag, A::Error> {
        let (tag, variant) = data.variant_seed(Variant::<AnswerTag>(PhantomData))?;
        variant.unit_variant()?;
        Ok(tag)
    }
}

const ANSWER_KEYS: &[&str] = &["type", "value"];

impl<'de> Deserialize<'de> for AnswerValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct("AnswerValue", ANSWER_KEYS, AnswerVisitor)
    }
}

/// Reads an [`AnswerValue`] as serde's derive for `#[serde(tag = "type", content = "value")]`
/// does. An object: `type` and `value` in either order, other keys skipped as serde skips them
/// (`IgnoredAny`); a duplicate or missing `type` or `value`, an unknown variant or a value of
/// the wrong type is an error. Or a list, `[type, value]`. The value is read once: straight
/// into its type after the tag ([`AnswerSeed`]), whole into a [`Got`] before it.
struct AnswerVisitor;

impl<'de> Visitor<'de> for AnswerVisitor {
    type Value = AnswerValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("adjacently tagged enum AnswerValue")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnswerValue, A::Error> {
        let mut tag: Option<AnswerTag> = None;
        // The value when it comes before the tag, until the tag says what it is.
        let mut early = None;
        let mut answer = None;
        while let Some(key) = map.next_key_seed(Key(ANSWER_KEYS))? {
            match key {
                Some("type") if tag.is_some() => return Err(A::Error::duplicate_field("type")),
                Some("type") => {
                    let read = map.next_value_seed(AnswerTagSeed)?;
                    if let Some(value) = early.take() {
                        answer = Some(read.answer(value).map_err(Problem::error)?);
                    }
                    tag = Some(read);
                }
                Some(_) if early.is_some() || answer.is_some() => {
                    return Err(A::Error::duplicate_field("value"));
                }
                Some(_) => match tag {
                    Some(tag) => answer = Some(map.next_value_seed(AnswerSeed(tag))?),
                    None => early = Some(map.next_value_seed(Any)?),
                },
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        match (tag, answer) {
            (None, _) => Err(A::Error::missing_field("type")),
            (Some(_), None) => Err(A::Error::missing_field("value")),
            (Some(_), Some(answer)) => Ok(answer),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnswerValue, A::Error> {
        let Some(tag) = seq.next_element_seed(Variant::<AnswerTag>(PhantomData))? else {
            return Err(A::Error::invalid_length(0, &self));
        };
        match seq.next_element_seed(AnswerSeed(tag))? {
            Some(answer) => Ok(answer),
            None => Err(A::Error::invalid_length(1, &self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_tag_is_the_type_its_question_kind_is_written_with() {
        let options = Choice::list(&[("one", "One"), ("two", "Two")]);
        let kinds = [
            QuestionKind::RankPriorities {
                options: options.clone(),
                top_n: 2,
            },
            QuestionKind::ChooseOne {
                options: options.clone(),
            },
            QuestionKind::ChooseSeveral {
                options: options.clone(),
            },
            QuestionKind::AgreeScale,
            QuestionKind::FreeText { max_chars: 500 },
            QuestionKind::PostcodeDistrict,
            QuestionKind::AboutYou { options },
        ];
        let tags: Vec<KindTag> = kinds.iter().map(KindTag::of).collect();
        assert_eq!(
            tags,
            KindTag::ALL,
            "one kind of each, in the builder's order"
        );
        for kind in &kinds {
            let written = serde_json::to_value(kind).expect("a kind is written");
            assert_eq!(written["type"], KindTag::of(kind).key(), "{written}");
        }
    }

    #[test]
    fn postcode_districts_are_normalised_from_postcodes_and_districts() {
        assert_eq!(postcode_district("b97 4"), Some("B97".into()));
        assert_eq!(postcode_district("B97 4DL"), Some("B97".into()));
        assert_eq!(postcode_district("b974dl"), Some("B97".into()));
        assert_eq!(postcode_district("BA1"), Some("BA1".into()));
        assert_eq!(postcode_district("RG21"), Some("RG21".into()));
        assert_eq!(postcode_district("W1A 1AA"), Some("W1A".into()));
        assert_eq!(postcode_district("  sw1a  "), Some("SW1A".into()));
        assert_eq!(postcode_district("Redditch"), None);
        assert_eq!(postcode_district("123"), None);
        assert_eq!(postcode_district(""), None);
    }

    #[test]
    fn letters_whose_case_changes_their_length_are_not_postcodes_and_do_not_crash() {
        // 'İ' and 'ẞ' are two and three bytes; the old code cut such text at a byte inside one.
        for odd in [
            "İẞ12",
            "ẞ12",
            "İ1",
            "B97İẞ",
            "😀",
            "B9😀",
            "😀 4DL",
            "\u{212A}1",
            "B\u{301}97",
            "\u{202E}B97",
            "שלום",
        ] {
            assert_eq!(postcode_district(odd), None, "{odd:?}");
        }
        // What stands before a space is the district, whatever follows it.
        assert_eq!(postcode_district("b97 İẞ"), Some("B97".into()));
    }

    use crate::test_text::{config, text};
    use proptest::prelude::*;

    /// A district as `is_outward` accepts it: one or two letters, a digit, then perhaps a
    /// digit or a letter.
    fn district() -> impl Strategy<Value = String> {
        "[A-Za-z]{1,2}[0-9][0-9A-Za-z]?"
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn any_text_gives_no_district_or_an_ascii_one_that_comes_back_unchanged(input in text(12)) {
            if let Some(out) = postcode_district(&input) {
                prop_assert!((2..=4).contains(&out.len()), "{out:?}");
                prop_assert!(
                    out.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
                    "{out:?}"
                );
                prop_assert_eq!(postcode_district(&out), Some(out.clone()));
            }
        }

        #[test]
        fn a_full_postcode_gives_its_district_with_or_without_the_space(
            d in district(),
            inward in "[0-9][A-Za-z]{2}",
            before in "[ \t]{0,2}",
            after in "[ \t]{0,2}",
        ) {
            let want = Some(d.to_ascii_uppercase());
            prop_assert_eq!(postcode_district(&format!("{before}{d} {inward}{after}")), want.clone());
            prop_assert_eq!(postcode_district(&format!("{before}{d}{inward}{after}")), want.clone());
            prop_assert_eq!(postcode_district(&d), want);
        }

        #[test]
        fn a_postcode_answer_of_any_text_is_checked_without_a_crash(input in text(12)) {
            let r = response(vec![
                ("priorities", ranked(&["health"])),
                ("postcode", AnswerValue::Postcode(input.clone())),
            ]);
            let valid = validate_response(&questionnaire(), &r).is_ok();
            prop_assert_eq!(valid, postcode_district(&input).as_deref() == Some(input.as_str()));
        }
    }

    fn choices(keys: &[&str]) -> Vec<Choice> {
        keys.iter()
            .map(|k| Choice {
                key: (*k).into(),
                label: k.to_uppercase(),
            })
            .collect()
    }

    fn consultation() -> ConsultationId {
        ConsultationId(crate::ids::uuid_v7(2, [2; 10]))
    }

    fn questionnaire() -> Questionnaire {
        Questionnaire {
            partnership_id: PartnershipId(crate::ids::uuid_v7(1, [1; 10])),
            consultation_id: consultation(),
            version: 2,
            questions: vec![
                Question {
                    key: "priorities".into(),
                    text: "What matters most to you in Redditch?".into(),
                    hint: String::new(),
                    required: true,
                    kind: QuestionKind::RankPriorities {
                        options: choices(&["education", "health", "safety", "housing"]),
                        top_n: 3,
                    },
                },
                Question {
                    key: "postcode".into(),
                    text: "Your postcode district".into(),
                    hint: String::new(),
                    required: false,
                    kind: QuestionKind::PostcodeDistrict,
                },
            ],
            opened_for_answers: false,
        }
    }

    fn response(answers: Vec<(&str, AnswerValue)>) -> Response {
        Response {
            partnership_id: PartnershipId(crate::ids::uuid_v7(1, [1; 10])),
            consultation_id: consultation(),
            questionnaire_id: QuestionnaireId(crate::ids::uuid_v7(3, [3; 10])),
            event_id: None,
            device_id: DeviceId(uuid::Uuid::nil()),
            channel: Channel::Kiosk,
            captured_at: 1_263_000_000_000,
            answers: answers
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            hidden: false,
            accepted: false,
            received_at: None,
            review: Vec::new(),
        }
    }

    fn ranked(keys: &[&str]) -> AnswerValue {
        AnswerValue::Ranked(keys.iter().map(|k| (*k).to_owned()).collect())
    }

    #[test]
    fn a_complete_response_is_valid() {
        let r = response(vec![
            ("priorities", ranked(&["education", "health"])),
            ("postcode", AnswerValue::Postcode("B97".into())),
        ]);
        assert_eq!(validate_response(&questionnaire(), &r), Ok(()));
    }

    #[test]
    fn a_required_question_left_unanswered_is_named() {
        let errors = validate_response(&questionnaire(), &response(vec![]))
            .err()
            .unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "priorities");
    }

    #[test]
    fn ranking_too_many_or_repeated_or_unknown_priorities_is_refused() {
        let q = questionnaire();
        for bad in [
            ranked(&["education", "health", "safety", "housing"]),
            ranked(&["education", "education"]),
            ranked(&["parking"]),
            ranked(&[]),
        ] {
            assert!(
                validate_response(&q, &response(vec![("priorities", bad.clone())])).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn an_answer_of_the_wrong_kind_or_to_an_unknown_question_is_refused() {
        let q = questionnaire();
        let r = response(vec![
            ("priorities", AnswerValue::One("education".into())),
            ("favourite_colour", AnswerValue::Text("green".into())),
        ]);
        let errors = validate_response(&q, &r).err().unwrap_or_default();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["favourite_colour", "priorities"]);
    }

    #[test]
    fn a_response_to_another_consultations_questionnaire_is_refused() {
        let mut r = response(vec![("priorities", ranked(&["health"]))]);
        r.consultation_id = ConsultationId(crate::ids::uuid_v7(9, [9; 10]));
        let errors = validate_response(&questionnaire(), &r)
            .err()
            .unwrap_or_default();
        assert_eq!(errors[0].field, "questionnaire_id");
    }

    #[test]
    fn a_postcode_answer_must_be_a_normalised_district() {
        let q = questionnaire();
        let r = response(vec![
            ("priorities", ranked(&["health"])),
            ("postcode", AnswerValue::Postcode("b97 4dl".into())),
        ]);
        assert!(validate_response(&q, &r).is_err());
    }

    /// [`QuestionKind`] as serde derives it: what the hand-made reading must match.
    #[derive(Debug, Deserialize)]
    #[serde(tag = "type", rename_all = "snake_case")]
    enum DerivedKind {
        RankPriorities { options: Vec<Choice>, top_n: u8 },
        ChooseOne { options: Vec<Choice> },
        ChooseSeveral { options: Vec<Choice> },
        AgreeScale,
        FreeText { max_chars: u32 },
        PostcodeDistrict,
        AboutYou { options: Vec<Choice> },
    }

    impl From<DerivedKind> for QuestionKind {
        fn from(kind: DerivedKind) -> Self {
            match kind {
                DerivedKind::RankPriorities { options, top_n } => {
                    Self::RankPriorities { options, top_n }
                }
                DerivedKind::ChooseOne { options } => Self::ChooseOne { options },
                DerivedKind::ChooseSeveral { options } => Self::ChooseSeveral { options },
                DerivedKind::AgreeScale => Self::AgreeScale,
                DerivedKind::FreeText { max_chars } => Self::FreeText { max_chars },
                DerivedKind::PostcodeDistrict => Self::PostcodeDistrict,
                DerivedKind::AboutYou { options } => Self::AboutYou { options },
            }
        }
    }

    /// [`AnswerValue`] as serde derives it.
    #[derive(Debug, Deserialize)]
    #[serde(tag = "type", content = "value", rename_all = "snake_case")]
    enum DerivedAnswer {
        Ranked(Vec<String>),
        One(String),
        Several(Vec<String>),
        Scale(i8),
        Text(String),
        Postcode(String),
    }

    impl From<DerivedAnswer> for AnswerValue {
        fn from(answer: DerivedAnswer) -> Self {
            match answer {
                DerivedAnswer::Ranked(v) => Self::Ranked(v),
                DerivedAnswer::One(v) => Self::One(v),
                DerivedAnswer::Several(v) => Self::Several(v),
                DerivedAnswer::Scale(v) => Self::Scale(v),
                DerivedAnswer::Text(v) => Self::Text(v),
                DerivedAnswer::Postcode(v) => Self::Postcode(v),
            }
        }
    }

    /// `text` read as `T` by hand and as `R` by the derive, each way the records are read:
    /// from text, and (where the text is a `Value`) from a `&Value`, a `Value` and, for an
    /// object, a `&Map`. Both must take it, as the same value, or both refuse it in the same
    /// words (but for where serde_json says it stopped reading the text, which differs: the
    /// derive reads the variant from its buffer once the whole object is read).
    fn read_alike<T, R>(text: &str) -> Result<(), TestCaseError>
    where
        T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
        R: serde::de::DeserializeOwned + Into<T>,
    {
        fn words(e: &serde_json::Error) -> String {
            let message = e.to_string().replace("DerivedKind", "QuestionKind");
            let message = message.replace("DerivedAnswer", "AnswerValue");
            match message.rfind(" at line ") {
                Some(at) => message.get(..at).unwrap_or_default().to_owned(),
                None => message,
            }
        }
        fn same<T: PartialEq + std::fmt::Debug>(
            how: &str,
            text: &str,
            ours: Result<T, serde_json::Error>,
            derived: Result<T, serde_json::Error>,
        ) -> Result<(), TestCaseError> {
            match (&ours, &derived) {
                (Ok(a), Ok(b)) if a == b => Ok(()),
                (Err(a), Err(b)) if words(a) == words(b) => Ok(()),
                _ => Err(TestCaseError::fail(format!(
                    "{how} {text}: by hand {ours:?}, derived {derived:?}"
                ))),
            }
        }
        same(
            "text",
            text,
            serde_json::from_str::<T>(text),
            serde_json::from_str::<R>(text).map(Into::into),
        )?;
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
            return Ok(());
        };
        same(
            "&Value",
            text,
            T::deserialize(&value),
            R::deserialize(&value).map(Into::into),
        )?;
        same(
            "Value",
            text,
            serde_json::from_value::<T>(value.clone()),
            serde_json::from_value::<R>(value.clone()).map(Into::into),
        )?;
        if let serde_json::Value::Object(map) = &value {
            same(
                "&Map",
                text,
                T::deserialize(map),
                R::deserialize(map).map(Into::into),
            )?;
        }
        Ok(())
    }

    /// An object as JSON text, keys in the order given and repeats kept (a `Value` could hold
    /// neither).
    fn object_text(entries: &[(&str, String)]) -> String {
        let body: Vec<String> = entries.iter().map(|(k, v)| format!("{k:?}:{v}")).collect();
        format!("{{{}}}", body.join(","))
    }

    /// A list as JSON text: the tag, if any, then the rest.
    fn list_text(tag: Option<String>, rest: Vec<String>) -> String {
        let items: Vec<String> = tag.into_iter().chain(rest).collect();
        format!("[{}]", items.join(","))
    }

    /// `n` nested empty lists: past serde_json's nesting limit for some `n` where they stand.
    fn nested(n: usize) -> String {
        format!("{}{}", "[".repeat(n), "]".repeat(n))
    }

    /// Values that no field takes but that only a whole parse refuses (the derive's buffer
    /// parses them; serde's `IgnoredAny` skips them), and values that are merely odd.
    fn junk() -> Vec<String> {
        let mut junk = strings(&[
            "null",
            "1",
            "-1",
            "2.5",
            "true",
            "{}",
            "[]",
            "\"x\"",
            "{\"a\":1,\"a\":2}",
            "[1,[2,{\"b\":[]}]]",
            "1e400",
            "\"\\ud800\"",
            "\"\\u00e9\"",
        ]);
        // At serde_json's nesting limit within an object, and past it.
        junk.extend([125, 126, 127].map(nested));
        junk
    }

    fn pick(values: Vec<String>) -> impl Strategy<Value = String> {
        proptest::sample::select(values)
    }

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    fn kind_tags() -> Vec<String> {
        strings(&[
            "\"rank_priorities\"",
            "\"choose_one\"",
            "\"choose_several\"",
            "\"agree_scale\"",
            "\"free_text\"",
            "\"postcode_district\"",
            "\"about_you\"",
            "\"\\u0061gree_scale\"",
        ])
    }

    fn wrong_kind_tags() -> Vec<String> {
        strings(&[
            "\"AgreeScale\"",
            "\"agree\"",
            "\"\"",
            "null",
            "0",
            "3",
            "{\"agree_scale\":null}",
            "[\"agree_scale\"]",
        ])
    }

    fn options() -> Vec<String> {
        strings(&[
            "[]",
            "[{\"key\":\"a\",\"label\":\"A\"}]",
            "[{\"label\":\"B\",\"key\":\"b\",\"note\":[1,{\"x\":null}]},{\"key\":\"c\",\"label\":\"\"}]",
            "[[\"a\",\"A\"],{\"key\":\"\\u00e9\",\"label\":\"\u{1F68C}\",\"label_\":1e300}]",
        ])
    }

    fn wrong_options() -> Vec<String> {
        let mut wrong = strings(&[
            "[[\"a\"]]",
            "[[]]",
            "[[\"a\",\"A\",\"x\"]]",
            "[[\"a\",1]]",
            "[{\"key\":\"a\"}]",
            "[{\"label\":\"A\"}]",
            "[{\"key\":\"a\",\"label\":\"A\",\"key\":\"b\"}]",
            "[{\"key\":1,\"label\":\"A\"}]",
            "[{\"key\":\"a\",\"label\":null}]",
            "[{\"key\":\"a\",\"label\":\"A\",\"x\":1e400}]",
            "[{\"key\":\"a\",\"label\":\"A\",\"x\":\"\\ud800\"}]",
            "[{\"key\":\"a\",\"label\":\"A\"},3]",
            "[null]",
            "{\"key\":\"a\",\"label\":\"A\"}",
            "\"a\"",
            "null",
            "3",
        ]);
        // Nested at the limit and past it, inside a choice inside the list inside the object.
        for n in [123, 124] {
            wrong.push(format!(
                "[{{\"key\":\"a\",\"label\":\"A\",\"x\":{}}}]",
                nested(n)
            ));
        }
        wrong
    }

    /// Whole numbers that fit all of u8, u32 and i8.
    fn small_numbers() -> Vec<String> {
        strings(&["0", "2", "3", "127"])
    }

    fn wrong_numbers() -> Vec<String> {
        strings(&[
            "128",
            "255",
            "256",
            "4294967295",
            "4294967296",
            "-1",
            "-2",
            "-128",
            "-129",
            "2.0",
            "-0",
            "18446744073709551615",
            "18446744073709551616",
            "\"3\"",
            "null",
            "true",
            "[3]",
            "{}",
            "1e400",
        ])
    }

    /// One of `right`, mostly, or one of `wrong`.
    fn mostly(right: Vec<String>, wrong: Vec<String>) -> impl Strategy<Value = String> {
        proptest::prop_oneof![3 => pick(right), 1 => pick(wrong)]
    }

    /// A key no field has, with any value.
    fn other_entry(keys: Vec<&'static str>) -> impl Strategy<Value = (&'static str, String)> {
        (proptest::sample::select(keys), pick(junk()))
    }

    fn kind_entry() -> impl Strategy<Value = (&'static str, String)> {
        proptest::prop_oneof![
            3 => mostly(kind_tags(), wrong_kind_tags()).prop_map(|v| ("type", v)),
            3 => mostly(options(), wrong_options()).prop_map(|v| ("options", v)),
            2 => mostly(small_numbers(), wrong_numbers()).prop_map(|v| ("top_n", v)),
            2 => mostly(small_numbers(), wrong_numbers()).prop_map(|v| ("max_chars", v)),
            1 => other_entry(vec!["note", "Type", "value", "label", "type "]),
        ]
    }

    /// A tag and each field with a right value, each there or not, with a few more entries of
    /// any kind, in any order: often a question kind the derive takes.
    fn right_kind() -> impl Strategy<Value = Vec<(&'static str, String)>> {
        let field = |name: &'static str, values: Vec<String>| {
            proptest::option::weighted(0.8, pick(values).prop_map(move |v| (name, v)))
        };
        (
            pick(kind_tags()).prop_map(|v| ("type", v)),
            field("options", options()),
            field("top_n", small_numbers()),
            field("max_chars", small_numbers()),
            proptest::collection::vec(kind_entry(), 0..3),
        )
            .prop_flat_map(|(tag, options, top_n, max_chars, more)| {
                let entries: Vec<_> = [Some(tag), options, top_n, max_chars]
                    .into_iter()
                    .flatten()
                    .chain(more)
                    .collect();
                Just(entries).prop_shuffle()
            })
    }

    fn answer_tags() -> Vec<String> {
        strings(&[
            "\"ranked\"",
            "\"one\"",
            "\"several\"",
            "\"scale\"",
            "\"text\"",
            "\"postcode\"",
            "\"\\u006fne\"",
            "{\"one\":null}",
            "{\"scale\":null}",
            "{\"ranked\" : null }",
        ])
    }

    fn wrong_answer_tags() -> Vec<String> {
        strings(&[
            "\"One\"",
            "\"\"",
            "null",
            "0",
            "{\"one\":1}",
            "{\"one\":[]}",
            "{\"one\":null,\"text\":null}",
            "{\"won\":null}",
            "{}",
            "[\"one\"]",
        ])
    }

    /// Values some variant takes.
    fn answer_values() -> Vec<String> {
        let mut values = strings(&["\"B97\"", "\"\"", "\"\\u00e9\\n\"", "[\"a\",\"b\"]", "[]"]);
        values.extend(small_numbers());
        values.extend(strings(&["-2", "-128"]));
        values
    }

    fn wrong_answer_values() -> Vec<String> {
        let mut values = strings(&[
            "[\"a\",1]",
            "[[\"a\"]]",
            "[\"\\ud800\"]",
            "[\"a\",1e400]",
            "{\"a\":1}",
        ]);
        values.extend(wrong_numbers());
        values.extend(junk());
        values
    }

    fn answer_entry() -> impl Strategy<Value = (&'static str, String)> {
        proptest::prop_oneof![
            3 => mostly(answer_tags(), wrong_answer_tags()).prop_map(|v| ("type", v)),
            3 => mostly(answer_values(), wrong_answer_values()).prop_map(|v| ("value", v)),
            1 => other_entry(vec!["note", "Type", "values", "content"]),
        ]
    }

    /// A tag and a value of its variant, with a few more entries, in any order.
    fn right_answer() -> impl Strategy<Value = Vec<(&'static str, String)>> {
        let texts = strings(&["\"B97\"", "\"\"", "\"\\u00e9\\n\""]);
        let lists = strings(&["[\"a\",\"b\"]", "[]", "[\"\\\"\"]"]);
        let numbers = strings(&["0", "2", "-2", "127", "-128"]);
        let tag_and_value = proptest::prop_oneof![
            (
                pick(strings(&[
                    "\"ranked\"",
                    "\"several\"",
                    "{\"ranked\" : null }"
                ])),
                pick(lists)
            ),
            (
                pick(strings(&[
                    "\"one\"",
                    "\"text\"",
                    "\"postcode\"",
                    "{\"one\":null}",
                    "\"\\u006fne\""
                ])),
                pick(texts)
            ),
            (
                pick(strings(&["\"scale\"", "{\"scale\":null}"])),
                pick(numbers)
            ),
        ];
        (
            tag_and_value,
            proptest::collection::vec(answer_entry(), 0..3),
        )
            .prop_flat_map(|((tag, value), more)| {
                let entries: Vec<_> = [("type", tag), ("value", value)]
                    .into_iter()
                    .chain(more)
                    .collect();
                Just(entries).prop_shuffle()
            })
    }

    /// Objects of up to `most` entries, any keys in any order, or of `right` ones.
    fn objects(
        entry: impl Strategy<Value = (&'static str, String)>,
        most: usize,
        right: impl Strategy<Value = Vec<(&'static str, String)>>,
    ) -> impl Strategy<Value = String> {
        proptest::prop_oneof![proptest::collection::vec(entry, 0..most), right]
            .prop_map(|entries| object_text(&entries))
    }

    /// Lists of a tag (nearly always) and then up to `most` items.
    fn lists(
        tag: impl Strategy<Value = String>,
        item: impl Strategy<Value = String>,
        most: usize,
    ) -> impl Strategy<Value = String> {
        (
            proptest::option::weighted(0.95, tag),
            proptest::collection::vec(item, 0..=most),
        )
            .prop_map(|(tag, rest)| list_text(tag, rest))
    }

    /// Question kinds as JSON text: objects of their keys with right and wrong values, in any
    /// order, with repeats; and lists, the tag first.
    fn kinds() -> impl Strategy<Value = String> {
        let items = proptest::prop_oneof![
            2 => mostly(options(), wrong_options()),
            2 => mostly(small_numbers(), wrong_numbers()),
            1 => pick(junk()),
        ];
        proptest::prop_oneof![
            3 => objects(kind_entry(), 6, right_kind()),
            1 => lists(mostly(kind_tags(), wrong_kind_tags()), items, 3),
        ]
    }

    /// Answers as JSON text: objects and lists, as [`kinds`].
    fn answers() -> impl Strategy<Value = String> {
        let items = mostly(answer_values(), wrong_answer_values());
        proptest::prop_oneof![
            3 => objects(answer_entry(), 5, right_answer()),
            1 => lists(mostly(answer_tags(), wrong_answer_tags()), items, 2),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5000))]

        #[test]
        fn a_question_kind_is_read_as_the_derive_reads_it(text in kinds()) {
            read_alike::<QuestionKind, DerivedKind>(&text)?;
        }

        #[test]
        fn an_answer_is_read_as_the_derive_reads_it(text in answers()) {
            read_alike::<AnswerValue, DerivedAnswer>(&text)?;
        }
    }

    fn every_kind() -> Vec<QuestionKind> {
        vec![
            QuestionKind::RankPriorities {
                options: choices(&["education", "health"]),
                top_n: 3,
            },
            QuestionKind::ChooseOne {
                options: choices(&["yes", "no"]),
            },
            QuestionKind::ChooseSeveral {
                options: choices(&[]),
            },
            QuestionKind::AgreeScale,
            QuestionKind::FreeText { max_chars: 500 },
            QuestionKind::PostcodeDistrict,
            QuestionKind::AboutYou {
                options: choices(&["16-24", "25-64"]),
            },
        ]
    }

    fn every_answer() -> Vec<AnswerValue> {
        vec![
            ranked(&["health", "education"]),
            AnswerValue::One("yes".into()),
            AnswerValue::Several(vec![]),
            AnswerValue::Scale(-2),
            AnswerValue::Text("More buses, please \u{1F68C}".into()),
            AnswerValue::Postcode("B97".into()),
        ]
    }

    /// `value` written by its (derived) `Serialize`, then read back from the text and from
    /// the `Value`, owned and borrowed.
    fn reads_back<T>(value: &T)
    where
        T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let text = serde_json::to_string(value).unwrap_or_default();
        let from_text: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(&from_text, value, "{text}");
        let json = serde_json::to_value(value).unwrap_or_default();
        let from_ref = T::deserialize(&json).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(&from_ref, value, "{text}");
        let from_value: T = serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&from_value, value, "{text}");
    }

    #[test]
    fn every_kind_and_answer_reads_back_as_written() {
        for kind in every_kind() {
            reads_back(&kind);
        }
        for answer in every_answer() {
            reads_back(&answer);
        }
        let mut q = questionnaire();
        for (question, kind) in q.questions.iter_mut().zip(every_kind().into_iter().rev()) {
            question.kind = kind;
        }
        reads_back(&q);
        let keys = ["a", "b", "c", "d", "e", "f"];
        reads_back(&response(keys.into_iter().zip(every_answer()).collect()));
    }

    fn error<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
        serde_json::from_str::<T>(text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_else(|| panic!("{text} was read"))
    }

    #[test]
    fn a_question_kind_takes_and_refuses_what_the_derive_does() {
        let read = |text: &str| serde_json::from_str::<QuestionKind>(text).ok();
        // The tag anywhere; other keys ignored, another variant's fields whatever they hold.
        assert_eq!(
            read(r#"{"max_chars":"lots","options":5,"type":"free_text","max_chars":9}"#),
            None
        );
        assert_eq!(
            read(r#"{"max_chars":9,"options":5,"type":"free_text","note":[]}"#),
            Some(QuestionKind::FreeText { max_chars: 9 })
        );
        assert_eq!(
            read(r#"{"top_n":300,"type":"agree_scale","type_":1}"#),
            Some(QuestionKind::AgreeScale)
        );
        assert_eq!(
            read(r#"["choose_one",[["a","A"]]]"#),
            Some(QuestionKind::ChooseOne {
                options: vec![Choice {
                    key: "a".into(),
                    label: "A".into()
                }]
            })
        );
        // Every value parsed whole, even one then ignored.
        assert_eq!(read(r#"{"type":"agree_scale","note":1e400}"#), None);
        for (text, words) in [
            (r#"{"options":[]}"#, "missing field `type`"),
            (
                r#"{"type":"agree_scale","type":"agree_scale"}"#,
                "duplicate field `type`",
            ),
            (
                r#"{"type":"choose"}"#,
                "unknown variant `choose`, expected one of",
            ),
            (
                r#"{"type":"rank_priorities","options":[]}"#,
                "missing field `top_n`",
            ),
            (
                r#"{"top_n":1,"type":"rank_priorities","options":[],"top_n":2}"#,
                "duplicate field `top_n`",
            ),
            (
                r#"{"type":"rank_priorities","options":[],"top_n":256}"#,
                "invalid value: integer `256`, expected u8",
            ),
            (
                r#"{"type":"choose_one","options":[{"key":"a"}]}"#,
                "missing field `label`",
            ),
            (
                r#"{"type":"choose_one","options":[{"key":"a","label":7}]}"#,
                "invalid type: integer `7`, expected a string",
            ),
            (
                r#"["free_text",5,6]"#,
                "invalid length 2, expected 1 element in sequence",
            ),
            (
                r#"["rank_priorities",[]]"#,
                "invalid length 1, expected struct variant QuestionKind::RankPriorities with 2 elements",
            ),
        ] {
            let got = error::<QuestionKind>(text);
            assert!(got.contains(words), "{text}: {got}");
            let derived = error::<DerivedKind>(text).replace("DerivedKind", "QuestionKind");
            assert!(derived.contains(words), "{text}: {derived}");
        }
    }

    #[test]
    fn an_answer_takes_and_refuses_what_the_derive_does() {
        let read = |text: &str| serde_json::from_str::<AnswerValue>(text).ok();
        let one = Some(AnswerValue::One("x".into()));
        assert_eq!(read(r#"{"value":"x","type":"one"}"#), one);
        assert_eq!(read(r#"{"type":{"one":null},"value":"x"}"#), one);
        assert_eq!(read(r#"["one","x"]"#), one);
        // Other keys are skipped unparsed, as serde's `IgnoredAny` skips them.
        assert_eq!(read(r#"{"note":1e400,"type":"one","value":"x"}"#), one);
        for (text, words) in [
            (r#"{"value":"x"}"#, "missing field `type`"),
            (r#"{"type":"one"}"#, "missing field `value`"),
            (
                r#"{"type":"one","value":"x","type":"one"}"#,
                "duplicate field `type`",
            ),
            (
                r#"{"value":"x","value":"y","type":"one"}"#,
                "duplicate field `value`",
            ),
            (
                r#"{"type":"won","value":"x"}"#,
                "unknown variant `won`, expected one of",
            ),
            (
                r#"{"value":128,"type":"scale"}"#,
                "invalid value: integer `128`, expected i8",
            ),
            (
                r#"{"type":"ranked","value":["a",1]}"#,
                "invalid type: integer `1`, expected a string",
            ),
            (
                r#"{"value":"a","type":"ranked"}"#,
                "invalid type: string \"a\", expected a sequence",
            ),
        ] {
            let got = error::<AnswerValue>(text);
            assert!(got.contains(words), "{text}: {got}");
            let derived = error::<DerivedAnswer>(text);
            assert!(derived.contains(words), "{text}: {derived}");
        }
    }
}
