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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// An answer to one question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
