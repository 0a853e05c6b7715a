//! Validation rules, written once: the browser checks a form with them before a change enters
//! the outbox, and the server checks every mutation with them before it is stored.

use serde::{Deserialize, Serialize};

use std::collections::BTreeSet;

use crate::consultation::{
    Consultation, ConsultationEvent, Finding, Question, QuestionKind, Questionnaire, Response,
};
use crate::domain::{Body, Membership, Organisation, Partnership, ReportingLine};
use crate::training::{GlossaryTerm, PresentationStep};

/// The longest name of a partnership, organisation, body or person.
pub const MAX_NAME_CHARS: usize = 200;
/// The longest free text (terms of reference, descriptions, notes).
pub const MAX_TEXT_CHARS: usize = 20_000;

/// One problem with one field, in words a person can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's machine name, as in the record's JSON (and the form's input name).
    pub field: String,
    /// What is wrong and how to put it right, e.g. "Enter the body's name".
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// A value that can check itself. `Err` lists every problem, in form order, so a form can show
/// them all at once in its error summary.
pub trait Validate {
    fn validate(&self) -> Result<(), Vec<FieldError>>;
}

/// Gathers a record's problems in form order; an area's `impl Validate` uses it too.
#[derive(Default)]
pub(crate) struct Errors(pub(crate) Vec<FieldError>);

impl Errors {
    pub(crate) fn required_name(&mut self, field: &str, value: &str, what: &str) {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.0.push(FieldError::new(field, format!("Enter {what}")));
        } else {
            self.max_chars(field, value, MAX_NAME_CHARS, what);
        }
    }

    pub(crate) fn max_chars(&mut self, field: &str, value: &str, max: usize, what: &str) {
        let n = value.chars().count();
        if n > max {
            let what = capitalise(what);
            self.0.push(FieldError::new(
                field,
                format!("{what} must be {max} characters or fewer (it has {n})"),
            ));
        }
    }

    pub(crate) fn text(&mut self, field: &str, value: &str, what: &str) {
        self.max_chars(field, value, MAX_TEXT_CHARS, what);
    }

    pub(crate) fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

/// "published results" → "Published results": for the app's own phrases (what a field is, a
/// kind's plural), which begin with an ASCII letter. Only an ASCII first letter is changed; any
/// other first character is kept as it is. So the core every page loads carries no Unicode case
/// table for it (12 KB), and no text can make it panic (property-tested).
pub fn capitalise(s: &str) -> String {
    let mut out = s.to_owned();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

impl Validate for Partnership {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        e.required_name("name", &self.name, "the partnership's name");
        e.max_chars("area", &self.area, MAX_NAME_CHARS, "the area");
        e.text("description", &self.description, "the description");
        e.finish()
    }
}

impl Validate for Organisation {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        e.required_name("name", &self.name, "the organisation's name");
        e.text("description", &self.description, "the description");
        e.finish()
    }
}

impl Validate for Body {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        e.required_name("name", &self.name, "the body's name");
        e.text(
            "terms_of_reference",
            &self.terms_of_reference,
            "the terms of reference",
        );
        e.finish()
    }
}

impl Validate for Membership {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        if self.person.trim().is_empty() && self.organisation_id.is_none() {
            e.0.push(FieldError::new(
                "person",
                "Enter the person's name, or choose the organisation they represent",
            ));
        }
        e.max_chars("person", &self.person, MAX_NAME_CHARS, "the person's name");
        e.max_chars(
            "represents",
            &self.represents,
            MAX_NAME_CHARS,
            "what they represent",
        );
        e.finish()
    }
}

impl Validate for ReportingLine {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        if self.from_body_id == self.to_body_id {
            e.0.push(FieldError::new(
                "to_body_id",
                "Choose a different body: a body cannot report to itself",
            ));
        }
        e.text("note", &self.note, "the note");
        e.finish()
    }
}

impl Validate for GlossaryTerm {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        e.required_name("term", &self.term, "the term or acronym");
        if self.meaning.trim().is_empty() {
            e.0.push(FieldError::new("meaning", "Enter what the term means"));
        } else {
            e.text("meaning", &self.meaning, "the meaning");
        }
        e.finish()
    }
}

impl Validate for PresentationStep {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        e.required_name("title", &self.title, "the step's title");
        e.text("text", &self.text, "what to say");
        e.finish()
    }
}

impl Validate for Consultation {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        e.required_name("title", &self.title, "the consultation's title");
        e.text("purpose", &self.purpose, "the purpose");
        if let (Some(opens), Some(closes)) = (self.opens_on, self.closes_on)
            && closes < opens
        {
            e.0.push(FieldError::new(
                "closes_on",
                "The closing date must be on or after the opening date",
            ));
        }
        let least = crate::consultation::published::MIN_SUPPRESSION_THRESHOLD;
        if self.suppression_threshold < least {
            e.0.push(FieldError::new(
                "suppression_threshold",
                format!(
                    "The smallest group shown in public results must be {least} or more, \
                     so no resident can be picked out"
                ),
            ));
        }
        e.finish()
    }
}

impl Validate for ConsultationEvent {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        e.required_name("name", &self.name, "the event's name");
        e.max_chars("venue", &self.venue, MAX_NAME_CHARS, "the venue");
        e.finish()
    }
}

impl Validate for Questionnaire {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        if self.version == 0 {
            e.0.push(FieldError::new("version", "The version must be 1 or more"));
        }
        if self.questions.is_empty() {
            e.0.push(FieldError::new("questions", "Add at least one question"));
        }
        let mut keys = BTreeSet::new();
        for (i, q) in self.questions.iter().enumerate() {
            for message in question_problems(q) {
                e.0.push(FieldError::new(
                    "questions",
                    format!("Question {}: {message}", i + 1),
                ));
            }
            if !q.key.trim().is_empty() && !keys.insert(q.key.as_str()) {
                e.0.push(FieldError::new(
                    "questions",
                    format!(
                        "Question {}: another question already uses the key “{}”; give each \
                         question its own key",
                        i + 1,
                        q.key
                    ),
                ));
            }
        }
        e.finish()
    }
}

/// What is wrong with one question, as sentences to prefix with the question's number.
fn question_problems(q: &Question) -> Vec<String> {
    let mut problems = Vec::new();
    if q.key.trim().is_empty() {
        problems.push("enter a key (a short name the answers are stored under)".to_owned());
    }
    if q.text.trim().is_empty() {
        problems.push("enter the question's text".to_owned());
    } else if q.text.chars().count() > MAX_TEXT_CHARS {
        problems.push(format!(
            "the question's text must be {MAX_TEXT_CHARS} characters or fewer"
        ));
    }
    let options = q.options();
    let has_options = !matches!(
        q.kind,
        QuestionKind::AgreeScale | QuestionKind::FreeText { .. } | QuestionKind::PostcodeDistrict
    );
    if has_options && options.len() < 2 {
        problems.push("give at least two options to choose from".to_owned());
    }
    let mut option_keys = BTreeSet::new();
    for (j, c) in options.iter().enumerate() {
        if c.key.trim().is_empty() || c.label.trim().is_empty() {
            problems.push(format!("option {} needs a key and a label", j + 1));
        } else if !option_keys.insert(c.key.as_str()) {
            problems.push(format!("option {} repeats the key “{}”", j + 1, c.key));
        }
    }
    match q.kind {
        QuestionKind::RankPriorities { top_n, .. }
            if options.len() >= 2 && (top_n == 0 || usize::from(top_n) > options.len()) =>
        {
            problems.push(format!(
                "ask for between 1 and {} priorities to be ranked",
                options.len()
            ));
        }
        QuestionKind::FreeText { max_chars: 0 } => {
            problems.push("allow at least one character of free text".to_owned());
        }
        _ => {}
    }
    problems
}

impl Validate for Response {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        if self.captured_at <= 0 {
            e.0.push(FieldError::new(
                "captured_at",
                "The time the answers were captured is missing",
            ));
        }
        e.finish()
    }
}

impl Validate for Finding {
    fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        if self.text.trim().is_empty() {
            e.0.push(FieldError::new("text", "Enter what residents said"));
        } else {
            e.text("text", &self.text, "what residents said");
        }
        e.text("action", &self.action, "what was done");
        e.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{BodyKind, LineKind, MembershipRole, Sector};
    use crate::ids::{BodyId, OrganisationId, PartnershipId};

    fn pid() -> PartnershipId {
        PartnershipId::new(1, [1; 10])
    }

    #[test]
    fn a_blank_name_asks_for_one() {
        let org = Organisation {
            partnership_id: pid(),
            name: "   ".into(),
            sector: Sector::Public,
            named_partner: true,
            description: String::new(),
        };
        assert_eq!(
            org.validate(),
            Err(vec![FieldError::new(
                "name",
                "Enter the organisation's name"
            )])
        );
    }

    #[test]
    fn an_overlong_name_says_the_limit_and_the_length() {
        let body = Body {
            partnership_id: pid(),
            name: "x".repeat(MAX_NAME_CHARS + 1),
            kind: BodyKind::Board,
            terms_of_reference: String::new(),
        };
        let errors = body.validate().err().unwrap_or_default();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].message,
            "The body's name must be 200 characters or fewer (it has 201)"
        );
    }

    #[test]
    fn a_name_of_exactly_the_limit_is_accepted() {
        let p = Partnership {
            name: "é".repeat(MAX_NAME_CHARS),
            area: String::new(),
            description: String::new(),
            published: true,
            archived: false,
        };
        assert_eq!(p.validate(), Ok(()));
    }

    #[test]
    fn a_membership_needs_a_person_or_an_organisation() {
        let mut m = Membership {
            partnership_id: pid(),
            body_id: BodyId::new(2, [2; 10]),
            organisation_id: None,
            person: String::new(),
            role: MembershipRole::Member,
            independent: false,
            interim: false,
            represents: String::new(),
        };
        assert!(m.validate().is_err());
        m.organisation_id = Some(OrganisationId::new(3, [3; 10]));
        assert_eq!(m.validate(), Ok(()));
        m.organisation_id = None;
        m.person = "Councillor Robin Nicoll".into();
        assert_eq!(m.validate(), Ok(()));
    }

    use crate::test_text::{config, text, tricky_char};
    use proptest::prelude::*;

    /// Names around the limit, in characters of any width.
    fn long_name() -> impl Strategy<Value = String> {
        (
            proptest::collection::vec(tricky_char(), 1..4),
            190..210usize,
        )
            .prop_map(|(cs, n)| cs.iter().copied().cycle().take(n).collect::<String>())
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn capitalising_any_text_changes_at_most_an_ascii_first_letter(s in text(12)) {
            let c = capitalise(&s);
            let (mut ours, mut theirs) = (c.chars(), s.chars());
            match (ours.next(), theirs.next()) {
                (Some(a), Some(b)) => prop_assert_eq!(a, b.to_ascii_uppercase()),
                (a, b) => prop_assert_eq!(a, b),
            }
            prop_assert!(ours.eq(theirs), "{:?} from {:?}", c, s);
        }

        #[test]
        fn a_name_of_any_text_is_measured_in_characters_not_bytes(
            name in prop_oneof![text(20), long_name()],
        ) {
            let p = Partnership {
                name: name.clone(),
                area: name.clone(),
                description: name.clone(),
                published: true,
                archived: false,
            };
            let n = name.chars().count();
            let result = p.validate();
            if name.trim().is_empty() {
                prop_assert!(result.is_err());
            } else if n > MAX_NAME_CHARS {
                let errors = result.err().unwrap_or_default();
                prop_assert!(errors[0].message.ends_with(&format!("(it has {n})")), "{:?}", errors);
            } else {
                prop_assert_eq!(result, Ok(()));
            }
        }
    }

    #[test]
    fn a_consultation_cannot_close_before_it_opens() {
        let day = |s: &str| crate::date::IsoDate::parse(s).ok();
        let mut c = Consultation {
            partnership_id: pid(),
            title: "We Are Redditch".into(),
            purpose: String::new(),
            opens_on: day("2010-01-31"),
            closes_on: day("2010-01-01"),
            suppression_threshold: 5,
            archived: false,
        };
        let errors = c.validate().err().unwrap_or_default();
        assert_eq!(errors[0].field, "closes_on");
        assert_eq!(
            errors[0].message,
            "The closing date must be on or after the opening date"
        );
        c.closes_on = day("2010-01-31");
        assert_eq!(c.validate(), Ok(()));
        c.closes_on = None;
        assert_eq!(c.validate(), Ok(()));
    }

    #[test]
    fn an_event_needs_a_name() {
        let event = ConsultationEvent {
            partnership_id: pid(),
            consultation_id: crate::ids::ConsultationId::new(2, [2; 10]),
            name: " ".into(),
            date: crate::date::IsoDate::new(2010, 1, 16).expect("a real day"),
            venue: String::new(),
        };
        let fields: Vec<String> = event
            .validate()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["name"]);
    }

    #[test]
    fn a_questionnaire_names_the_question_that_is_wrong() {
        use crate::consultation::Choice;
        let question = |key: &str, kind| Question {
            key: key.into(),
            text: "Which matter most?".into(),
            hint: String::new(),
            required: true,
            kind,
        };
        let two = vec![
            Choice {
                key: "health".into(),
                label: "Health".into(),
            },
            Choice {
                key: "education".into(),
                label: "Education".into(),
            },
        ];
        let q = Questionnaire {
            partnership_id: pid(),
            consultation_id: crate::ids::ConsultationId::new(2, [2; 10]),
            version: 1,
            questions: vec![
                question("say", QuestionKind::FreeText { max_chars: 500 }),
                question(
                    "priorities",
                    QuestionKind::RankPriorities {
                        options: two,
                        top_n: 3,
                    },
                ),
                question("say", QuestionKind::AgreeScale),
            ],
            opened_for_answers: false,
        };
        let messages: Vec<String> = q
            .validate()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.message)
            .collect();
        assert_eq!(
            messages,
            vec![
                "Question 2: ask for between 1 and 2 priorities to be ranked",
                "Question 3: another question already uses the key “say”; give each question \
                 its own key",
            ]
        );
    }

    #[test]
    fn a_body_cannot_report_to_itself() {
        let b = BodyId::new(2, [2; 10]);
        let line = ReportingLine {
            partnership_id: pid(),
            from_body_id: b,
            to_body_id: b,
            kind: LineKind::ReportsTo,
            note: String::new(),
        };
        let errors = line.validate().err().unwrap_or_default();
        assert_eq!(errors[0].field, "to_body_id");
    }
}
