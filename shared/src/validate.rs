//! Validation rules, written once: the browser checks a form with them before a change enters
//! the outbox, and the server checks every mutation with them before it is stored.

use serde::{Deserialize, Serialize};

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

#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn required_name(&mut self, field: &str, value: &str, what: &str) {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.0.push(FieldError::new(field, format!("Enter {what}")));
        } else {
            self.max_chars(field, value, MAX_NAME_CHARS, what);
        }
    }

    fn max_chars(&mut self, field: &str, value: &str, max: usize, what: &str) {
        let n = value.chars().count();
        if n > max {
            let what = capitalise(what);
            self.0.push(FieldError::new(
                field,
                format!("{what} must be {max} characters or fewer (it has {n})"),
            ));
        }
    }

    fn text(&mut self, field: &str, value: &str, what: &str) {
        self.max_chars(field, value, MAX_TEXT_CHARS, what);
    }

    fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
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
