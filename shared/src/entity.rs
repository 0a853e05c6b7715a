//! Records as the sync layer sees them: a kind, an id and a JSON object of fields. This module
//! turns those fields into typed domain values, validates them (once, for both sides), and
//! knows which records a record refers to.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::consultation::{Consultation, ConsultationEvent, Finding, Questionnaire, Response};
use crate::domain::{Body, Membership, Organisation, Partnership, ReportingLine};
use crate::ids::PartnershipId;
use crate::training::{GlossaryTerm, PresentationStep};
use crate::validate::{FieldError, Validate};

/// The kinds of record that sync. Adding a kind is a protocol change: old servers reject it
/// with a clear "unknown entity kind" error rather than storing what they cannot check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Partnership,
    Organisation,
    Body,
    Membership,
    ReportingLine,
    GlossaryTerm,
    PresentationStep,
    // Consultations. A kind comes after every kind it refers to (see `Replica::view`).
    Consultation,
    ConsultationEvent,
    Questionnaire,
    Response,
    Finding,
}

impl EntityKind {
    pub const ALL: &'static [Self] = &[
        Self::Partnership,
        Self::Organisation,
        Self::Body,
        Self::Membership,
        Self::ReportingLine,
        Self::GlossaryTerm,
        Self::PresentationStep,
        Self::Consultation,
        Self::ConsultationEvent,
        Self::Questionnaire,
        Self::Response,
        Self::Finding,
    ];

    /// The machine name used in JSON and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Partnership => "partnership",
            Self::Organisation => "organisation",
            Self::Body => "body",
            Self::Membership => "membership",
            Self::ReportingLine => "reporting_line",
            Self::GlossaryTerm => "glossary_term",
            Self::PresentationStep => "presentation_step",
            Self::Consultation => "consultation",
            Self::ConsultationEvent => "consultation_event",
            Self::Questionnaire => "questionnaire",
            Self::Response => "response",
            Self::Finding => "finding",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    /// Whether a record of another kind can refer to a record of this kind (so deleting or
    /// creating one can change what else is shown).
    pub fn can_be_referenced(self) -> bool {
        match self {
            Self::Partnership
            | Self::Organisation
            | Self::Body
            | Self::Consultation
            | Self::ConsultationEvent
            | Self::Questionnaire => true,
            Self::Membership
            | Self::ReportingLine
            | Self::GlossaryTerm
            | Self::PresentationStep
            | Self::Response
            | Self::Finding => false,
        }
    }

    /// Whether a delete of this kind is refused while residents' answers belong to the record
    /// (the partnership or consultation they were given to, the event they were captured at,
    /// the questionnaire version they answered): answers are never deleted with anything. A
    /// partnership or consultation that holds answers is archived instead.
    pub fn protects_answers(self) -> bool {
        matches!(
            self,
            Self::Partnership | Self::Consultation | Self::ConsultationEvent | Self::Questionnaire
        )
    }

    /// Whether records of this kind may be archived (closed and left out of lists, kept whole)
    /// rather than deleted.
    pub fn can_be_archived(self) -> bool {
        matches!(self, Self::Partnership | Self::Consultation)
    }

    /// A plain-English name for messages ("this body", "the organisation").
    pub fn noun(self) -> &'static str {
        match self {
            Self::Partnership => "partnership",
            Self::Organisation => "organisation",
            Self::Body => "body",
            Self::Membership => "membership",
            Self::ReportingLine => "reporting line",
            Self::GlossaryTerm => "glossary term",
            Self::PresentationStep => "presentation step",
            Self::Consultation => "consultation",
            Self::ConsultationEvent => "consultation event",
            Self::Questionnaire => "questionnaire version",
            Self::Response => "response",
            Self::Finding => "finding",
        }
    }
}

/// A reference from one record to another: (kind, id).
pub type RecordRef = (EntityKind, Uuid);

/// A typed record value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entity {
    Partnership(Partnership),
    Organisation(Organisation),
    Body(Body),
    Membership(Membership),
    ReportingLine(ReportingLine),
    GlossaryTerm(GlossaryTerm),
    PresentationStep(PresentationStep),
    Consultation(Consultation),
    ConsultationEvent(ConsultationEvent),
    Questionnaire(Questionnaire),
    Response(Response),
    Finding(Finding),
}

/// Why a record's fields are not an acceptable value of its kind.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EntityError {
    /// The fields are not the right shape (a missing or wrongly typed field).
    #[error("the {kind} fields are not valid: {message}")]
    Shape { kind: &'static str, message: String },
    /// The fields are the right shape but break a rule.
    #[error("the {kind} is not valid: {}", describe(.errors))]
    Invalid {
        kind: &'static str,
        errors: Vec<FieldError>,
    },
}

fn describe(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl EntityError {
    /// The per-field errors, if the failure was a rule rather than the shape.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            Self::Invalid { errors, .. } => errors,
            Self::Shape { .. } => &[],
        }
    }
}

fn from_fields<T: serde::de::DeserializeOwned + Validate>(
    kind: EntityKind,
    fields: &Map<String, Value>,
) -> Result<T, EntityError> {
    let value: T =
        serde_json::from_value(Value::Object(fields.clone())).map_err(|e| EntityError::Shape {
            kind: kind.noun(),
            message: e.to_string(),
        })?;
    value.validate().map_err(|errors| EntityError::Invalid {
        kind: kind.noun(),
        errors,
    })?;
    Ok(value)
}

fn to_fields<T: Serialize>(value: &T) -> Map<String, Value> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map,
        // Every domain struct serialises to an object; anything else is a programming error
        // that the unit tests catch, and an empty object then fails validation loudly.
        _ => Map::new(),
    }
}

impl Entity {
    /// Parses and validates the fields of a record of `kind`.
    pub fn from_fields(kind: EntityKind, fields: &Map<String, Value>) -> Result<Self, EntityError> {
        Ok(match kind {
            EntityKind::Partnership => Self::Partnership(from_fields(kind, fields)?),
            EntityKind::Organisation => Self::Organisation(from_fields(kind, fields)?),
            EntityKind::Body => Self::Body(from_fields(kind, fields)?),
            EntityKind::Membership => Self::Membership(from_fields(kind, fields)?),
            EntityKind::ReportingLine => Self::ReportingLine(from_fields(kind, fields)?),
            EntityKind::GlossaryTerm => Self::GlossaryTerm(from_fields(kind, fields)?),
            EntityKind::PresentationStep => Self::PresentationStep(from_fields(kind, fields)?),
            EntityKind::Consultation => Self::Consultation(from_fields(kind, fields)?),
            EntityKind::ConsultationEvent => Self::ConsultationEvent(from_fields(kind, fields)?),
            EntityKind::Questionnaire => Self::Questionnaire(from_fields(kind, fields)?),
            EntityKind::Response => Self::Response(from_fields(kind, fields)?),
            EntityKind::Finding => Self::Finding(from_fields(kind, fields)?),
        })
    }

    /// The record's fields as they travel in a mutation and are stored.
    pub fn to_fields(&self) -> Map<String, Value> {
        match self {
            Self::Partnership(v) => to_fields(v),
            Self::Organisation(v) => to_fields(v),
            Self::Body(v) => to_fields(v),
            Self::Membership(v) => to_fields(v),
            Self::ReportingLine(v) => to_fields(v),
            Self::GlossaryTerm(v) => to_fields(v),
            Self::PresentationStep(v) => to_fields(v),
            Self::Consultation(v) => to_fields(v),
            Self::ConsultationEvent(v) => to_fields(v),
            Self::Questionnaire(v) => to_fields(v),
            Self::Response(v) => to_fields(v),
            Self::Finding(v) => to_fields(v),
        }
    }

    pub fn kind(&self) -> EntityKind {
        match self {
            Self::Partnership(_) => EntityKind::Partnership,
            Self::Organisation(_) => EntityKind::Organisation,
            Self::Body(_) => EntityKind::Body,
            Self::Membership(_) => EntityKind::Membership,
            Self::ReportingLine(_) => EntityKind::ReportingLine,
            Self::GlossaryTerm(_) => EntityKind::GlossaryTerm,
            Self::PresentationStep(_) => EntityKind::PresentationStep,
            Self::Consultation(_) => EntityKind::Consultation,
            Self::ConsultationEvent(_) => EntityKind::ConsultationEvent,
            Self::Questionnaire(_) => EntityKind::Questionnaire,
            Self::Response(_) => EntityKind::Response,
            Self::Finding(_) => EntityKind::Finding,
        }
    }

    /// The partnership the record belongs to; `None` for a partnership itself.
    pub fn partnership_id(&self) -> Option<PartnershipId> {
        match self {
            Self::Partnership(_) => None,
            Self::Organisation(v) => Some(v.partnership_id),
            Self::Body(v) => Some(v.partnership_id),
            Self::Membership(v) => Some(v.partnership_id),
            Self::ReportingLine(v) => Some(v.partnership_id),
            Self::GlossaryTerm(v) => Some(v.partnership_id),
            Self::PresentationStep(v) => Some(v.partnership_id),
            Self::Consultation(v) => Some(v.partnership_id),
            Self::ConsultationEvent(v) => Some(v.partnership_id),
            Self::Questionnaire(v) => Some(v.partnership_id),
            Self::Response(v) => Some(v.partnership_id),
            Self::Finding(v) => Some(v.partnership_id),
        }
    }

    /// The records this one refers to, each of which must exist (and not be deleted) for this
    /// record to be stored, and whose deletion deletes this record too.
    pub fn references(&self) -> Vec<RecordRef> {
        let mut refs = Vec::with_capacity(4);
        if let Some(p) = self.partnership_id() {
            refs.push((EntityKind::Partnership, p.0));
        }
        match self {
            Self::Membership(m) => {
                refs.push((EntityKind::Body, m.body_id.0));
                if let Some(o) = m.organisation_id {
                    refs.push((EntityKind::Organisation, o.0));
                }
            }
            Self::ReportingLine(l) => {
                refs.push((EntityKind::Body, l.from_body_id.0));
                refs.push((EntityKind::Body, l.to_body_id.0));
            }
            Self::ConsultationEvent(ConsultationEvent {
                consultation_id, ..
            })
            | Self::Questionnaire(Questionnaire {
                consultation_id, ..
            })
            // A finding's groups are not references, like a step's bodies below.
            | Self::Finding(Finding {
                consultation_id, ..
            }) => refs.push((EntityKind::Consultation, consultation_id.0)),
            Self::Response(r) => {
                refs.push((EntityKind::Consultation, r.consultation_id.0));
                refs.push((EntityKind::Questionnaire, r.questionnaire_id.0));
                if let Some(e) = r.event_id {
                    refs.push((EntityKind::ConsultationEvent, e.0));
                }
            }
            // A step's highlighted bodies are not references: deleting a body leaves the
            // step in place, just without that highlight.
            Self::Partnership(_)
            | Self::Organisation(_)
            | Self::Body(_)
            | Self::GlossaryTerm(_)
            | Self::PresentationStep(_)
            | Self::Consultation(_) => {}
        }
        refs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{BodyKind, LineKind};
    use crate::ids::BodyId;

    fn pid() -> PartnershipId {
        PartnershipId::new(1, [1; 10])
    }

    #[test]
    fn entity_kind_names_match_serde() {
        for kind in EntityKind::ALL {
            let json = serde_json::to_value(kind).unwrap_or_default();
            assert_eq!(json, Value::String(kind.as_str().to_owned()));
            assert_eq!(EntityKind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(EntityKind::parse("spaceship"), None);
    }

    #[test]
    fn fields_round_trip_through_entity() {
        let body = Entity::Body(Body {
            partnership_id: pid(),
            name: "Basingstoke and Deane LSP Board".into(),
            kind: BodyKind::Board,
            terms_of_reference: "Sets the vision and priorities in the SCS.".into(),
        });
        let fields = body.to_fields();
        assert_eq!(fields["kind"], "board");
        assert_eq!(Entity::from_fields(EntityKind::Body, &fields), Ok(body));
    }

    #[test]
    fn missing_field_is_a_shape_error_naming_the_kind() {
        let mut fields = Map::new();
        fields.insert("name".into(), "Management Group".into());
        let err = Entity::from_fields(EntityKind::Body, &fields).err();
        assert!(matches!(err, Some(EntityError::Shape { kind: "body", .. })));
    }

    #[test]
    fn a_response_refers_to_its_consultation_questionnaire_version_and_event() {
        use crate::consultation::Channel;
        use crate::ids::{ConsultationEventId, ConsultationId, DeviceId, QuestionnaireId};
        let c = ConsultationId::new(2, [2; 10]);
        let q = QuestionnaireId::new(3, [3; 10]);
        let e = ConsultationEventId::new(4, [4; 10]);
        let response = Entity::Response(Response {
            partnership_id: pid(),
            consultation_id: c,
            questionnaire_id: q,
            event_id: Some(e),
            device_id: DeviceId::new(5, [5; 10]),
            channel: Channel::StaffAssisted,
            captured_at: 1_263_000_000_000,
            answers: Default::default(),
            hidden: false,
            accepted: false,
            review: Vec::new(),
        });
        assert_eq!(
            response.references(),
            vec![
                (EntityKind::Partnership, pid().0),
                (EntityKind::Consultation, c.0),
                (EntityKind::Questionnaire, q.0),
                (EntityKind::ConsultationEvent, e.0),
            ]
        );
        let fields = response.to_fields();
        assert_eq!(fields["hidden"], false);
        assert_eq!(
            Entity::from_fields(EntityKind::Response, &fields),
            Ok(response)
        );
    }

    #[test]
    fn a_reporting_line_refers_to_its_partnership_and_both_bodies() {
        let from = BodyId::new(2, [2; 10]);
        let to = BodyId::new(3, [3; 10]);
        let line = Entity::ReportingLine(ReportingLine {
            partnership_id: pid(),
            from_body_id: from,
            to_body_id: to,
            kind: LineKind::ReportsTo,
            note: String::new(),
        });
        assert_eq!(
            line.references(),
            vec![
                (EntityKind::Partnership, pid().0),
                (EntityKind::Body, from.0),
                (EntityKind::Body, to.0)
            ]
        );
    }
}
