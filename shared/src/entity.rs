//! Records as the sync layer sees them: a kind, an id and a JSON object of fields. This module
//! turns those fields into typed domain values, validates them (once, for both sides), and
//! knows which records a record refers to.
//!
//! Each record kind declares its facts once, beside its struct in its area module, by
//! implementing [`Record`]; [`for_each_record!`] lists the kinds once, in dependency order, and
//! generates [`EntityKind`], [`Entity`] and their dispatch from that list (and `Snapshot`'s
//! tables in `replica.rs`). Adding a kind is one `impl Record` and one line in the list.

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::accounts::Access;
use crate::ids::PartnershipId;
use crate::validate::{FieldError, Validate};

/// What a record kind is, declared once beside its struct: the typed value of one kind of
/// synced record. The registry ([`for_each_record!`]) turns these declarations into
/// [`EntityKind`]'s answers and [`Entity`]'s dispatch.
pub trait Record:
    Clone
    + std::fmt::Debug
    + PartialEq
    + Serialize
    + DeserializeOwned
    + Validate
    + Send
    + Sync
    + 'static
{
    /// The record's typed id.
    type Id: Copy + Ord + Into<Uuid> + From<Uuid> + Send + Sync + 'static;
    /// The machine name used in JSON and in the database ("reporting_line"). Never changes:
    /// it is in every stored record and every mutation.
    const WIRE_NAME: &'static str;
    /// A plain-English name for messages ("reporting line").
    const NOUN: &'static str;
    /// The plural for lists and warnings ("reporting lines").
    const PLURAL: &'static str;
    /// The records a record of this kind refers to, by field, in the order
    /// [`Entity::references`] lists them. Every kind but the partnership names its
    /// partnership first (field `partnership_id`). A referred record must exist for this one
    /// to be stored, and deleting it deletes this one too; a kind may only refer to kinds
    /// listed before it in the registry.
    const REFERENCES: &'static [RefField<Self>];
    /// Whether a delete is refused while residents' answers belong to the record (the
    /// partnership or consultation they were given to, the event they were captured at, the
    /// questionnaire version they answered): answers are never deleted with anything.
    const PROTECTS_ANSWERS: bool = false;
    /// Whether records of this kind may be archived (closed and left out of lists, kept
    /// whole) rather than deleted.
    const CAN_BE_ARCHIVED: bool = false;
    /// The least access that reads a record of this kind (see [`crate::accounts`]): the
    /// public's, once its partnership is published, unless the kind says otherwise.
    const READ: Access = Access::Public;
    /// The least access that creates, changes or deletes one: the partnership's managers',
    /// unless the kind says otherwise.
    const WRITE: Access = Access::Manager;
    /// Whether records of this kind are captured from residents (answers): created by
    /// consultation staff, tablets, or the public through a public link, whatever
    /// [`Self::WRITE`] says; changed only as `WRITE` says.
    const CAPTURED: bool = false;
    /// Whether records of this kind are made by the server from other records (published
    /// results): no client may create, change or delete one, whoever it is.
    const DERIVED: bool = false;
    /// Whether records of this kind choose their own readers with [`Self::read_access`]
    /// (draft minutes are the members', published minutes everyone's). Their visibility is
    /// also their descendants': a record that refers to one (directly or through others) is
    /// seen only by those who see it. The server re-sends a partnership's records when one
    /// changes who may see it (see the backend's pull).
    const READ_VARIES: bool = false;

    /// Whether records of this kind need more than [`Self::WRITE`] in some states, as
    /// [`Self::write_access`] says (a group lead may change a bid of theirs until it is
    /// scored or decided; then only managers may). The server then checks the record as
    /// stored and as the change leaves it.
    const WRITE_VARIES: bool = false;
    /// The rule [`Self::write_access`] applies, in words, for the refusal it causes ("a group
    /// lead changes a bid only until it is scored or decided").
    const WRITE_VARIES_RULE: &'static str = "";

    /// The least access that reads this record: [`Self::READ`], unless the kind sets
    /// [`Self::READ_VARIES`] and decides per record. Never less than [`Self::READ`].
    fn read_access(&self) -> Access {
        Self::READ
    }

    /// The least access that creates this record in this state, or changes or deletes it
    /// from this state: [`Self::WRITE`], unless the kind sets [`Self::WRITE_VARIES`] and
    /// decides per record. Never less than [`Self::WRITE`].
    fn write_access(&self) -> Access {
        Self::WRITE
    }
}

/// One field by which a record of kind `T` refers to a record of `kind`.
pub struct RefField<T> {
    pub kind: EntityKind,
    /// The field's name in the record's fields ("from_body_id").
    pub field: &'static str,
    /// The referred record's id, or `None` when the (optional) field is empty.
    pub id: fn(&T) -> Option<Uuid>,
}

impl<T> RefField<T> {
    pub const fn new(kind: EntityKind, field: &'static str, id: fn(&T) -> Option<Uuid>) -> Self {
        Self { kind, field, id }
    }

    /// The reference every kind but the partnership starts with: its `partnership_id`.
    pub const fn partnership(id: fn(&T) -> Option<Uuid>) -> Self {
        Self::new(EntityKind::Partnership, "partnership_id", id)
    }
}

/// A reference from one record to another: (kind, id).
pub type RecordRef = (EntityKind, Uuid);

/// A reference from one record to another, with the field that holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reference {
    pub kind: EntityKind,
    pub id: Uuid,
    /// The referring record's field ("to_body_id"), for a per-field error message.
    pub field: &'static str,
}

impl Reference {
    /// The referred record's key.
    pub fn key(self) -> RecordRef {
        (self.kind, self.id)
    }
}

/// The registry of record kinds: calls the macro `$then` with every kind, as
/// `area::Type => snapshot_table`, in dependency order (a kind comes after every kind it
/// refers to, which `Replica::view` relies on and a unit test checks). Attributes before an
/// entry document its `Snapshot` table. This list is the one place a kind is added.
macro_rules! for_each_record {
    ($then:ident) => {
        $then! {
            structure::Partnership => partnerships,
            structure::Organisation => organisations,
            structure::Body => bodies,
            structure::Membership => memberships,
            structure::ReportingLine => lines,
            training::GlossaryTerm => glossary,
            training::PresentationStep => steps,
            consultation::Consultation => consultations,
            consultation::ConsultationEvent => consultation_events,
            /// Every version of every questionnaire.
            consultation::Questionnaire => questionnaires,
            consultation::Response => responses,
            /// Made by the server from the answers; one per consultation, by its id.
            consultation::PublishedResults => published_results,
            consultation::Finding => findings,
            strategy::Strategy => strategies,
            strategy::Priority => priorities,
            strategy::Target => targets,
            strategy::Measurement => measurements,
            scrutiny::Review => reviews,
            scrutiny::Recommendation => recommendations,
            /// Every recommendation's log, each entry by its id.
            scrutiny::RecommendationStep => recommendation_steps,
            scrutiny::MonitoringSession => monitoring_sessions,
            scrutiny::Meeting => meetings,
            scrutiny::AgendaItem => agenda_items,
            /// Draft minutes are the members' until published ([`Record::READ_VARIES`]).
            scrutiny::Minutes => minutes,
            scrutiny::TrainingSession => training_sessions,
            strategy::ActionPlan => action_plans,
            strategy::KeyAction => key_actions,
            scrutiny::CouncillorInduction => councillor_inductions,
            strategy::HighlightReport => highlight_reports,
            strategy::FundPot => fund_pots,
            strategy::FundContribution => fund_contributions,
            /// Each bid chooses its readers: an award is public ([`Record::READ_VARIES`]).
            strategy::FundBid => fund_bids,
        }
    };
}
pub(crate) use for_each_record;

macro_rules! entity_kinds {
    ($($(#[$meta:meta])* $area:ident :: $kind:ident => $table:ident,)+) => {
        /// The kinds of record that sync, in dependency order. Adding a kind is a protocol
        /// change: old servers reject it with a clear "unknown entity kind" error rather than
        /// storing what they cannot check.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum EntityKind {
            $($kind,)+
        }

        impl EntityKind {
            pub const ALL: &'static [Self] = &[$(Self::$kind),+];

            /// Every kind's machine name, in [`Self::ALL`] order.
            const WIRE_NAMES: &'static [&'static str] =
                &[$(<crate::$area::$kind as Record>::WIRE_NAME),+];

            /// The machine name used in JSON and in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$kind => <crate::$area::$kind as Record>::WIRE_NAME,)+
                }
            }

            /// A plain-English name for messages ("this body", "the organisation").
            pub fn noun(self) -> &'static str {
                match self {
                    $(Self::$kind => <crate::$area::$kind as Record>::NOUN,)+
                }
            }

            /// The plural for lists and warnings ("reporting lines").
            pub fn plural(self) -> &'static str {
                match self {
                    $(Self::$kind => <crate::$area::$kind as Record>::PLURAL,)+
                }
            }

            /// See [`Record::PROTECTS_ANSWERS`]. A partnership or consultation that holds
            /// answers is archived instead.
            pub fn protects_answers(self) -> bool {
                match self {
                    $(Self::$kind => <crate::$area::$kind as Record>::PROTECTS_ANSWERS,)+
                }
            }

            /// See [`Record::CAN_BE_ARCHIVED`].
            pub fn can_be_archived(self) -> bool {
                match self {
                    $(Self::$kind => <crate::$area::$kind as Record>::CAN_BE_ARCHIVED,)+
                }
            }

            /// See [`Record::READ`].
            pub fn read_access(self) -> Access {
                match self {
                    $(Self::$kind => <crate::$area::$kind as Record>::READ,)+
                }
            }

            /// See [`Record::READ_VARIES`].
            pub fn read_varies(self) -> bool {
                match self {
                    $(Self::$kind => <crate::$area::$kind as Record>::READ_VARIES,)+
                }
            }

            /// See [`Record::WRITE`].
            pub fn write_access(self) -> Access {
                match self {
                    $(Self::$kind => <crate::$area::$kind as Record>::WRITE,)+
                }
            }

            /// See [`Record::WRITE_VARIES`].
            pub fn write_varies(self) -> bool {
                match self {
                    $(Self::$kind => <crate::$area::$kind as Record>::WRITE_VARIES,)+
                }
            }

            /// See [`Record::WRITE_VARIES_RULE`].
            pub fn write_varies_rule(self) -> &'static str {
                match self {
                    $(Self::$kind => <crate::$area::$kind as Record>::WRITE_VARIES_RULE,)+
                }
            }

            /// See [`Record::CAPTURED`].
            pub fn captured(self) -> bool {
                match self {
                    $(Self::$kind => <crate::$area::$kind as Record>::CAPTURED,)+
                }
            }

            /// See [`Record::DERIVED`].
            pub fn derived(self) -> bool {
                match self {
                    $(Self::$kind => <crate::$area::$kind as Record>::DERIVED,)+
                }
            }

            /// The kinds a record of this kind may refer to, each with the field that holds
            /// the reference, as its [`Record::REFERENCES`] declare them: a table made at
            /// compile time, so no call allocates (a list built in each kind's arm was 4.5 KB
            /// of the core's code, about 0.2 KB of it once compressed).
            pub fn refers_to(self) -> &'static [(EntityKind, &'static str)] {
                match self {
                    $(Self::$kind => {
                        const REFS: &[RefField<crate::$area::$kind>] =
                            <crate::$area::$kind as Record>::REFERENCES;
                        const TABLE: [(EntityKind, &str); REFS.len()] = {
                            let mut table = [(EntityKind::Partnership, ""); REFS.len()];
                            let mut i = 0;
                            while i < REFS.len() {
                                table[i] = (REFS[i].kind, REFS[i].field);
                                i += 1;
                            }
                            table
                        };
                        &TABLE
                    })+
                }
            }

            fn may_refer_to(self, target: EntityKind) -> bool {
                self.refers_to().iter().any(|&(kind, _)| kind == target)
            }
        }

        /// A typed record value.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub enum Entity {
            $($kind(crate::$area::$kind),)+
        }

        $(
            impl From<crate::$area::$kind> for Entity {
                fn from(value: crate::$area::$kind) -> Self {
                    Self::$kind(value)
                }
            }
        )+

        impl Entity {
            /// Parses and validates the fields of a record of `kind`.
            pub fn from_fields(
                kind: EntityKind,
                fields: &Map<String, Value>,
            ) -> Result<Self, EntityError> {
                Ok(match kind {
                    $(EntityKind::$kind => Self::$kind(from_fields(kind, fields)?),)+
                })
            }

            /// The record's fields as they travel in a mutation and are stored.
            pub fn to_fields(&self) -> Map<String, Value> {
                match self {
                    $(Self::$kind(v) => to_fields(v),)+
                }
            }

            pub fn kind(&self) -> EntityKind {
                match self {
                    $(Self::$kind(_) => EntityKind::$kind,)+
                }
            }

            /// The partnership the record belongs to; `None` for a partnership itself.
            pub fn partnership_id(&self) -> Option<PartnershipId> {
                match self {
                    $(Self::$kind(v) => partnership_of(v),)+
                }
            }

            /// The least access that reads this record ([`Record::read_access`]), not
            /// counting the records it refers to.
            pub fn read_access(&self) -> Access {
                match self {
                    $(Self::$kind(v) => v.read_access().max(<crate::$area::$kind as Record>::READ),)+
                }
            }

            /// The least access that creates this record as it is, or changes or deletes it
            /// from how it is ([`Record::write_access`]).
            pub fn write_access(&self) -> Access {
                match self {
                    $(Self::$kind(v) => v.write_access().max(<crate::$area::$kind as Record>::WRITE),)+
                }
            }

            /// The records this one refers to, with the field of each, in declaration order
            /// (its partnership first). Each must exist (and not be deleted) for this record
            /// to be stored, and its deletion deletes this record too.
            pub fn reference_fields(&self) -> Vec<Reference> {
                match self {
                    $(Self::$kind(v) => reference_fields(v),)+
                }
            }
        }
    };
}

for_each_record!(entity_kinds);

/// The records `fields` refer to, by the fields `refers_to` names ([`EntityKind::refers_to`]),
/// read from the fields without parsing the record. A field that is empty, or not an id (the
/// record will not parse), refers to nothing.
pub(crate) fn references<'a>(
    refers_to: &'a [(EntityKind, &'static str)],
    fields: &'a Map<String, Value>,
) -> impl Iterator<Item = RecordRef> + 'a {
    refers_to
        .iter()
        .filter_map(|(kind, field)| match fields.get(*field) {
            Some(Value::String(id)) => Uuid::parse_str(id).ok().map(|id| (*kind, id)),
            _ => None,
        })
}

impl EntityKind {
    /// The records a record of this kind with these `fields` refers to, read from the fields
    /// by name: for a record that parses, what [`Entity::references`] says, in the same
    /// order.
    pub fn references_in(self, fields: &Map<String, Value>) -> Vec<RecordRef> {
        references(self.refers_to(), fields).collect()
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    /// Whether a record of this kind can be hidden by a record it refers to, directly or
    /// through others, choosing its readers ([`Record::READ_VARIES`]): such records' readers
    /// are worked out from their ancestors'.
    pub fn gated(self) -> bool {
        self.read_varies()
            || self
                .refers_to()
                .iter()
                .any(|&(k, _)| k != self && k.gated())
    }

    /// Whether a record of another kind can refer to a record of this kind (so deleting or
    /// creating one can change what else is shown): derived from every kind's references.
    pub fn can_be_referenced(self) -> bool {
        Self::ALL.iter().any(|k| k.may_refer_to(self))
    }
}

impl Serialize for EntityKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EntityKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = EntityKind;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an entity kind")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<EntityKind, E> {
                EntityKind::parse(s).ok_or_else(|| E::unknown_variant(s, EntityKind::WIRE_NAMES))
            }
        }
        deserializer.deserialize_str(Name)
    }
}

fn partnership_of<T: Record>(value: &T) -> Option<PartnershipId> {
    T::REFERENCES
        .iter()
        .find(|r| r.kind == EntityKind::Partnership && r.field == "partnership_id")
        .and_then(|r| (r.id)(value))
        .map(PartnershipId)
}

/// The records `value` refers to, with their fields: [`Entity::reference_fields`] for one
/// kind.
pub fn reference_fields<T: Record>(value: &T) -> Vec<Reference> {
    T::REFERENCES
        .iter()
        .filter_map(|r| {
            (r.id)(value).map(|id| Reference {
                kind: r.kind,
                id,
                field: r.field,
            })
        })
        .collect()
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

/// Parses and validates the fields of one record of `kind` as a `T`: what
/// [`Entity::from_fields`] does for one kind, so that code which knows the kind compiles only
/// that kind's reading (the browser's parts each read their own kinds).
pub fn from_fields<T: DeserializeOwned + Validate>(
    kind: EntityKind,
    fields: &Map<String, Value>,
) -> Result<T, EntityError> {
    // Read from the fields in place: a copy of them first (`from_value`) cost as much again
    // as reading them, for every record a push validates.
    let value: T = T::deserialize(fields).map_err(|e| EntityError::Shape {
        kind: kind.noun(),
        message: e.to_string(),
    })?;
    value.validate().map_err(|errors| EntityError::Invalid {
        kind: kind.noun(),
        errors,
    })?;
    Ok(value)
}

/// A record's fields as they travel and are stored: [`Entity::to_fields`] for one kind.
pub fn to_fields<T: Serialize>(value: &T) -> Map<String, Value> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map,
        // Every domain struct serialises to an object; anything else is a programming error
        // that the unit tests catch, and an empty object then fails validation loudly.
        _ => Map::new(),
    }
}

impl Entity {
    /// The records this one refers to as `(kind, id)` pairs: [`Self::reference_fields`]
    /// without the fields.
    pub fn references(&self) -> Vec<RecordRef> {
        self.reference_fields()
            .into_iter()
            .map(Reference::key)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::consultation::{
        AnswerValue, Channel, Consultation, ConsultationEvent, Finding, Question, QuestionKind,
        Questionnaire, Response,
    };
    use crate::domain::{
        Body, BodyKind, LineKind, Membership, MembershipRole, Organisation, Partnership,
        ReportingLine, Sector,
    };
    use crate::ids::{
        BodyId, ConsultationEventId, ConsultationId, DeviceId, OrganisationId, QuestionnaireId,
    };
    use crate::order::sort;
    use crate::scrutiny::{
        AgendaItem, Concern, CouncillorInduction, DocumentLink, Meeting, MeetingId, MeetingStatus,
        Minutes, ReportType, TrainingSession,
    };
    use crate::strategy::funds::{Criterion, CriterionScore};
    use crate::strategy::{ActionPlan, ActionPlanId, HighlightReport, KeyAction, OverallStatus};
    use crate::strategy::{BidDecision, FundBid, FundContribution, FundPot, FundPotId};
    use crate::strategy::{
        Figure, Frequency, Measurement, Milestone, Polarity, Priority, PriorityId, Strategy,
        StrategyId, StrategyStatus, Target, TargetId,
    };
    use crate::training::{GlossaryTerm, PresentationStep};

    fn pid() -> PartnershipId {
        PartnershipId::new(1, [1; 10])
    }

    /// The wire names are in every stored record and every mutation: they never change.
    #[test]
    fn entity_kind_names_are_the_stored_names_and_match_serde() {
        let names: Vec<&str> = EntityKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "partnership",
                "organisation",
                "body",
                "membership",
                "reporting_line",
                "glossary_term",
                "presentation_step",
                "consultation",
                "consultation_event",
                "questionnaire",
                "response",
                "published_results",
                "finding",
                "strategy",
                "priority",
                "target",
                "measurement",
                "review",
                "recommendation",
                "recommendation_step",
                "monitoring_session",
                "meeting",
                "agenda_item",
                "minutes",
                "training_session",
                "action_plan",
                "key_action",
                "councillor_induction",
                "highlight_report",
                "fund_pot",
                "fund_contribution",
                "fund_bid",
            ]
        );
        for kind in EntityKind::ALL {
            let json = serde_json::to_value(kind).unwrap_or_default();
            assert_eq!(json, Value::String(kind.as_str().to_owned()));
            assert_eq!(EntityKind::parse(kind.as_str()), Some(*kind));
            let back: Result<EntityKind, _> = serde_json::from_value(json);
            assert_eq!(back.ok(), Some(*kind));
        }
        assert_eq!(EntityKind::parse("spaceship"), None);
    }

    /// The message a server gives for an unknown kind is the one serde's derive gave.
    #[test]
    fn an_unknown_kind_is_refused_naming_it_and_the_known_kinds() {
        let err = serde_json::from_str::<EntityKind>("\"spaceship\"")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with(
                "unknown variant `spaceship`, expected one of `partnership`, `organisation`, \
                 `body`, `membership`, `reporting_line`, `glossary_term`, `presentation_step`, \
                 `consultation`, `consultation_event`, `questionnaire`, `response`, \
                 `published_results`, `finding`, `strategy`, `priority`, `target`, \
                 `measurement`, `review`, `recommendation`, `recommendation_step`, \
                 `monitoring_session`, `meeting`, `agenda_item`, `minutes`, \
                 `training_session`, `action_plan`, `key_action`, `councillor_induction`, \
                 `highlight_report`, `fund_pot`, `fund_contribution`, `fund_bid`"
            ),
            "{err}"
        );
        assert!(serde_json::from_str::<EntityKind>("7").is_err());
    }

    /// One valid record of every kind, in [`EntityKind::ALL`] order, each referring to the
    /// ones before it.
    fn one_of_each() -> Vec<Entity> {
        let body = BodyId::new(3, [3; 10]);
        let group = BodyId::new(4, [4; 10]);
        let org = OrganisationId::new(2, [2; 10]);
        let c = ConsultationId::new(5, [5; 10]);
        let event = ConsultationEventId::new(6, [6; 10]);
        let q = QuestionnaireId::new(7, [7; 10]);
        let strategy = StrategyId::new(9, [9; 10]);
        let priority = PriorityId::new(10, [10; 10]);
        let target = TargetId::new(11, [11; 10]);
        let mut records: Vec<Entity> = vec![
            Partnership {
                name: "Redditch Partnership".into(),
                area: "Borough of Redditch".into(),
                description: String::new(),
                published: true,
                archived: false,
            }
            .into(),
            Organisation {
                partnership_id: pid(),
                name: "Redditch Borough Council".into(),
                sector: Sector::Public,
                named_partner: true,
                description: String::new(),
            }
            .into(),
            Body {
                partnership_id: pid(),
                name: "LSP Board".into(),
                kind: BodyKind::Board,
                terms_of_reference: String::new(),
            }
            .into(),
            Membership {
                partnership_id: pid(),
                body_id: body,
                organisation_id: Some(org),
                person: "Cllr Jane Smith".into(),
                role: MembershipRole::Chair,
                independent: false,
                interim: true,
                represents: String::new(),
            }
            .into(),
            ReportingLine {
                partnership_id: pid(),
                from_body_id: group,
                to_body_id: body,
                kind: LineKind::FeedsInto,
                note: "Quarterly".into(),
            }
            .into(),
            GlossaryTerm {
                partnership_id: pid(),
                term: "LSP".into(),
                meaning: "Local Strategic Partnership".into(),
            }
            .into(),
            PresentationStep {
                partnership_id: pid(),
                position: 1,
                title: "The Board".into(),
                text: String::new(),
                body_ids: vec![body],
            }
            .into(),
            Consultation {
                partnership_id: pid(),
                title: "We Are Redditch".into(),
                purpose: String::new(),
                opens_on: Some(crate::date::IsoDate::known(2010, 1, 4)),
                closes_on: None,
                suppression_threshold: 5,
                archived: false,
            }
            .into(),
            ConsultationEvent {
                partnership_id: pid(),
                consultation_id: c,
                name: "Kingfisher Centre stall".into(),
                date: crate::date::IsoDate::known(2010, 1, 16),
                venue: String::new(),
            }
            .into(),
            Questionnaire {
                partnership_id: pid(),
                consultation_id: c,
                version: 1,
                questions: vec![Question {
                    key: "agree".into(),
                    text: "Redditch is a good place to live".into(),
                    hint: String::new(),
                    required: true,
                    kind: QuestionKind::AgreeScale,
                }],
                opened_for_answers: false,
            }
            .into(),
            Response {
                partnership_id: pid(),
                consultation_id: c,
                questionnaire_id: q,
                event_id: Some(event),
                device_id: DeviceId::new(8, [8; 10]),
                channel: Channel::Kiosk,
                captured_at: 1_263_000_000_000,
                answers: BTreeMap::from([("agree".to_owned(), AnswerValue::Scale(1))]),
                hidden: false,
                accepted: false,
                received_at: None,
                review: Vec::new(),
            }
            .into(),
            Finding {
                partnership_id: pid(),
                consultation_id: c,
                text: "Residents asked for safer streets".into(),
                action: String::new(),
                body_ids: vec![group],
                priority_ids: vec![priority],
                key_action_ids: vec![crate::strategy::KeyActionId::new(20, [20; 10])],
            }
            .into(),
            Strategy {
                partnership_id: pid(),
                title: "Redditch Sustainable Community Strategy".into(),
                first_year: 2011,
                last_year: 2014,
                vision: String::new(),
                status: StrategyStatus::Adopted,
                drafted_on: None,
                pre_scrutiny_on: Some(crate::date::IsoDate::known(2011, 3, 2)),
                adopted_on: None,
                superseded_on: None,
            }
            .into(),
            Priority {
                partnership_id: pid(),
                strategy_id: strategy,
                title: "Raising educational standards".into(),
                description: String::new(),
                body_id: Some(group),
                lead_organisation_ids: vec![org],
                position: 1,
                resident_theme: Some(crate::strategy::ResidentTheme {
                    consultation_id: c,
                    question_key: "priorities".into(),
                    option_key: "education".into(),
                    option_label: "Educational standards".into(),
                }),
                dovetails_with: vec![PriorityId::new(21, [21; 10])],
            }
            .into(),
            Target {
                partnership_id: pid(),
                priority_id: priority,
                name: "Five good GCSEs".into(),
                code: "NI 75".into(),
                unit: "%".into(),
                polarity: Polarity::HigherIsBetter,
                baseline: Some(Figure::known(48.0)),
                baseline_on: Some(crate::date::IsoDate::known(2010, 8, 31)),
                target_value: Some(Figure::known(56.5)),
                deadline: Some(crate::date::IsoDate::known(2014, 8, 31)),
                milestones: vec![Milestone {
                    on: crate::date::IsoDate::known(2012, 8, 31),
                    value: Figure::known(52.0),
                }],
                tolerance_percent: Figure::known(5.0),
                source: String::new(),
                frequency: Frequency::Yearly,
                owner_id: Some(org),
                laa: false,
                status_override: None,
                override_reason: String::new(),
            }
            .into(),
            Measurement {
                partnership_id: pid(),
                target_id: target,
                on: crate::date::IsoDate::known(2011, 8, 31),
                value: Figure::known(49.5),
                note: String::new(),
            }
            .into(),
        ];
        // The server's published results of the records above, in registry order.
        let find = |kind: EntityKind| records.iter().find(|e| e.kind() == kind);
        let (
            Some(Entity::Consultation(consultation)),
            Some(Entity::ConsultationEvent(e)),
            Some(Entity::Questionnaire(version)),
            Some(Entity::Response(response)),
        ) = (
            find(EntityKind::Consultation),
            find(EntityKind::ConsultationEvent),
            find(EntityKind::Questionnaire),
            find(EntityKind::Response),
        )
        else {
            return records;
        };
        let published = crate::consultation::published::publish(
            c,
            consultation,
            &[(q, version)],
            [(event, e)],
            [response],
        );
        let at = records
            .iter()
            .position(|e| e.kind() == EntityKind::Finding)
            .unwrap_or(records.len());
        records.insert(at, published.into());
        let review = crate::scrutiny::ReviewId::new(12, [12; 10]);
        let recommendation = crate::scrutiny::RecommendationId::new(13, [13; 10]);
        let meeting = MeetingId::new(14, [14; 10]);
        records.extend([
            Entity::from(crate::scrutiny::Review {
                partnership_id: pid(),
                title: "LSP Task and Finish Group review".into(),
                body_id: Some(group),
                committee: "Overview and Scrutiny Committee".into(),
                started_on: None,
                reported_on: Some(crate::date::IsoDate::known(2009, 11, 25)),
                members: vec!["Cllr Jane Smith".into()],
                summary: String::new(),
                monitoring_months: 6,
            }),
            crate::scrutiny::Recommendation {
                partnership_id: pid(),
                review_id: review,
                number: 6,
                text: "Pre-scrutiny of each new SCS".into(),
                addressed_to: "Overview and Scrutiny Committee".into(),
                on_laa_target: false,
            }
            .into(),
            crate::scrutiny::RecommendationStep {
                partnership_id: pid(),
                recommendation_id: recommendation,
                date: crate::date::IsoDate::known(2011, 3, 2),
                what: crate::scrutiny::StepKind::Response,
                answer: Some(crate::scrutiny::ResponseAnswer::AcceptedInPrinciple),
                due_on: None,
                link: String::new(),
                text: "Pre-scrutiny took place in March 2011.".into(),
                date_note: String::new(),
            }
            .into(),
            crate::scrutiny::MonitoringSession {
                partnership_id: pid(),
                review_id: review,
                date: crate::date::IsoDate::known(2011, 11, 8),
                held_at: "Overview and Scrutiny Committee".into(),
                note: String::new(),
            }
            .into(),
            Meeting {
                partnership_id: pid(),
                body_id: None,
                council_id: Some(org),
                committee: "Overview and Scrutiny Committee".into(),
                date: crate::date::IsoDate::known(2009, 11, 25),
                time: "19:00".into(),
                venue: String::new(),
                status: MeetingStatus::Held,
                note: String::new(),
            }
            .into(),
            AgendaItem {
                partnership_id: pid(),
                meeting_id: meeting,
                number: "126".into(),
                title: "Local Strategic Partnership (LSP)".into(),
                report_type: ReportType::Presentation,
                summary: String::new(),
                outcome: "The report was noted.".into(),
                documents: vec![DocumentLink {
                    title: "Slides".into(),
                    url: "https://example.org/lsp.pdf".into(),
                }],
                concerns: vec![Concern {
                    kind: EntityKind::Body,
                    id: body.0,
                }],
            }
            .into(),
            Minutes {
                partnership_id: pid(),
                meeting_id: meeting,
                text: "Item 126: the report was noted.".into(),
                drafted_on: Some(crate::date::IsoDate::known(2009, 11, 27)),
                approved_on: None,
                approved_at: None,
                circulated_on: None,
                published_on: None,
                note: String::new(),
            }
            .into(),
            TrainingSession {
                partnership_id: pid(),
                date: crate::date::IsoDate::known(2010, 10, 1),
                topic: "The Redditch Partnership".into(),
                trainer: "Redditch Partnership Manager".into(),
                material: "Induction pack".into(),
                attendees: vec!["Cllr Jane Smith".into()],
                note: String::new(),
            }
            .into(),
            ActionPlan {
                partnership_id: pid(),
                body_id: group,
                year: 2009,
                due_on: crate::date::IsoDate::known(2009, 6, 30),
                provided_on: None,
                summary: String::new(),
            }
            .into(),
            KeyAction {
                partnership_id: pid(),
                action_plan_id: ActionPlanId::new(15, [15; 10]),
                title: "Agree three key actions".into(),
                description: String::new(),
                lead_organisation_id: Some(org),
                due_on: None,
                completed_on: None,
                progress: String::new(),
                priority_ids: vec![priority],
                target_ids: vec![target],
            }
            .into(),
            CouncillorInduction {
                partnership_id: pid(),
                councillor: "Cllr Jane Smith".into(),
                council_id: Some(org),
                joined_on: crate::date::IsoDate::known(2011, 5, 6),
                pack_given_on: Some(crate::date::IsoDate::known(2011, 5, 13)),
                note: String::new(),
            }
            .into(),
            HighlightReport {
                partnership_id: pid(),
                body_id: group,
                to_body_id: body,
                period_start: crate::date::IsoDate::known(2011, 4, 1),
                period_end: crate::date::IsoDate::known(2011, 6, 30),
                due_on: crate::date::IsoDate::known(2011, 7, 14),
                submitted_on: Some(crate::date::IsoDate::known(2011, 7, 12)),
                overall: OverallStatus::AtRisk,
                progress: "Illustrative: two schools joined the mentoring scheme.".into(),
                next_period: String::new(),
                risks_and_issues: String::new(),
                decisions_needed: String::new(),
                escalate: true,
                escalation: "Illustrative: agree the funding gap.".into(),
            }
            .into(),
            FundPot {
                partnership_id: pid(),
                name: "LSP project fund".into(),
                year: 2010,
                decided_by: Some(body),
                criteria: vec![Criterion {
                    name: "Serves the SCS priorities".into(),
                    max_score: 10,
                }],
                closes_on: Some(crate::date::IsoDate::known(2010, 6, 30)),
                note: "Illustrative figures".into(),
            }
            .into(),
            FundContribution {
                partnership_id: pid(),
                pot_id: FundPotId::new(16, [16; 10]),
                organisation_id: org,
                amount_pence: 1_000_000,
                on: crate::date::IsoDate::known(2010, 4, 1),
                note: "Illustrative figure".into(),
            }
            .into(),
            FundBid {
                partnership_id: pid(),
                pot_id: FundPotId::new(16, [16; 10]),
                body_id: group,
                joint_organisation_ids: vec![OrganisationId::new(17, [17; 10])],
                amount_asked_pence: 250_050,
                purpose: "Illustrative: youth diversion sessions".into(),
                priority_ids: vec![priority],
                target_ids: vec![target],
                submitted_on: Some(crate::date::IsoDate::known(2010, 5, 4)),
                scores: vec![CriterionScore {
                    criterion: "Serves the SCS priorities".into(),
                    score: 8,
                }],
                decision: BidDecision::Approved,
                amount_approved_pence: Some(200_000),
                decided_on: Some(crate::date::IsoDate::known(2010, 7, 13)),
                decided_by: Some(BodyId::new(18, [18; 10])),
                reason: String::new(),
            }
            .into(),
        ]);
        records
    }

    #[test]
    fn the_samples_hold_one_record_of_every_kind() {
        let kinds: Vec<EntityKind> = one_of_each().iter().map(Entity::kind).collect();
        assert_eq!(kinds, EntityKind::ALL);
    }

    /// The fields as they travel and are stored, pinned as JSON text for every kind: the
    /// registry changed how kinds are declared, never what a record looks like.
    #[test]
    #[rustfmt::skip]
    fn every_kind_round_trips_through_its_fields_with_the_stored_json_unchanged() {
        let expected = [
            r#"{"archived":false,"area":"Borough of Redditch","description":"","name":"Redditch Partnership","published":true}"#,
            r#"{"description":"","name":"Redditch Borough Council","named_partner":true,"partnership_id":"00000000-0001-7101-8101-010101010101","sector":"public"}"#,
            r#"{"kind":"board","name":"LSP Board","partnership_id":"00000000-0001-7101-8101-010101010101","terms_of_reference":""}"#,
            r#"{"body_id":"00000000-0003-7303-8303-030303030303","independent":false,"interim":true,"organisation_id":"00000000-0002-7202-8202-020202020202","partnership_id":"00000000-0001-7101-8101-010101010101","person":"Cllr Jane Smith","represents":"","role":"chair"}"#,
            r#"{"from_body_id":"00000000-0004-7404-8404-040404040404","kind":"feeds_into","note":"Quarterly","partnership_id":"00000000-0001-7101-8101-010101010101","to_body_id":"00000000-0003-7303-8303-030303030303"}"#,
            r#"{"meaning":"Local Strategic Partnership","partnership_id":"00000000-0001-7101-8101-010101010101","term":"LSP"}"#,
            r#"{"body_ids":["00000000-0003-7303-8303-030303030303"],"partnership_id":"00000000-0001-7101-8101-010101010101","position":1,"text":"","title":"The Board"}"#,
            r#"{"archived":false,"closes_on":null,"opens_on":"2010-01-04","partnership_id":"00000000-0001-7101-8101-010101010101","purpose":"","suppression_threshold":5,"title":"We Are Redditch"}"#,
            r#"{"consultation_id":"00000000-0005-7505-8505-050505050505","date":"2010-01-16","name":"Kingfisher Centre stall","partnership_id":"00000000-0001-7101-8101-010101010101","venue":""}"#,
            r#"{"consultation_id":"00000000-0005-7505-8505-050505050505","opened_for_answers":false,"partnership_id":"00000000-0001-7101-8101-010101010101","questions":[{"hint":"","key":"agree","kind":{"type":"agree_scale"},"required":true,"text":"Redditch is a good place to live"}],"version":1}"#,
            r#"{"accepted":false,"answers":{"agree":{"type":"scale","value":1}},"captured_at":1263000000000,"channel":"kiosk","consultation_id":"00000000-0005-7505-8505-050505050505","device_id":"00000000-0008-7808-8808-080808080808","event_id":"00000000-0006-7606-8606-060606060606","hidden":false,"partnership_id":"00000000-0001-7101-8101-010101010101","questionnaire_id":"00000000-0007-7707-8707-070707070707","received_at":null,"review":[]}"#,
            r#"{"awaiting_review":0,"consultation_id":"00000000-0005-7505-8505-050505050505","events":[["00000000-0006-7606-8606-060606060606","Kingfisher Centre stall"]],"free_text_answers":[],"partnership_id":"00000000-0001-7101-8101-010101010101","questions":[{"hint":"","key":"agree","kind":{"type":"agree_scale"},"required":true,"text":"Redditch is a good place to live"}],"report":{"breakdowns":[[{"by":"event"},[{"groups":[{"cells":[{"cell":"suppressed"},{"cell":"suppressed"},{"cell":"suppressed"},{"cell":"suppressed"},{"cell":"suppressed"}],"key":"00000000-0006-7606-8606-060606060606","size":{"cell":"suppressed"}}],"options":[["2","Strongly agree"],["1","Agree"],["0","Neither agree nor disagree"],["-1","Disagree"],["-2","Strongly disagree"]],"question":"agree","threshold":5}]]],"summary":{"by_channel":{"kiosk":1},"by_event":[["00000000-0006-7606-8606-060606060606",1]],"questions":[{"answered":1,"key":"agree","options":[{"count":0,"first":0,"key":"2","label":"Strongly agree","percent":0.0,"points":0},{"count":1,"first":0,"key":"1","label":"Agree","percent":100.0,"points":0},{"count":0,"first":0,"key":"0","label":"Neither agree nor disagree","percent":0.0,"points":0},{"count":0,"first":0,"key":"-1","label":"Disagree","percent":0.0,"points":0},{"count":0,"first":0,"key":"-2","label":"Strongly disagree","percent":0.0,"points":0}],"text":"Redditch is a good place to live"}],"responses":1}},"threshold":5}"#,
            r#"{"action":"","body_ids":["00000000-0004-7404-8404-040404040404"],"consultation_id":"00000000-0005-7505-8505-050505050505","key_action_ids":["00000000-0014-7414-9414-141414141414"],"partnership_id":"00000000-0001-7101-8101-010101010101","priority_ids":["00000000-000a-7a0a-8a0a-0a0a0a0a0a0a"],"text":"Residents asked for safer streets"}"#,
            r#"{"adopted_on":null,"drafted_on":null,"first_year":2011,"last_year":2014,"partnership_id":"00000000-0001-7101-8101-010101010101","pre_scrutiny_on":"2011-03-02","status":"adopted","superseded_on":null,"title":"Redditch Sustainable Community Strategy","vision":""}"#,
            r#"{"body_id":"00000000-0004-7404-8404-040404040404","description":"","dovetails_with":["00000000-0015-7515-9515-151515151515"],"lead_organisation_ids":["00000000-0002-7202-8202-020202020202"],"partnership_id":"00000000-0001-7101-8101-010101010101","position":1,"resident_theme":{"consultation_id":"00000000-0005-7505-8505-050505050505","option_key":"education","option_label":"Educational standards","question_key":"priorities"},"strategy_id":"00000000-0009-7909-8909-090909090909","title":"Raising educational standards"}"#,
            r#"{"baseline":48.0,"baseline_on":"2010-08-31","code":"NI 75","deadline":"2014-08-31","frequency":"yearly","laa":false,"milestones":[{"on":"2012-08-31","value":52.0}],"name":"Five good GCSEs","override_reason":"","owner_id":"00000000-0002-7202-8202-020202020202","partnership_id":"00000000-0001-7101-8101-010101010101","polarity":"higher_is_better","priority_id":"00000000-000a-7a0a-8a0a-0a0a0a0a0a0a","source":"","status_override":null,"target_value":56.5,"tolerance_percent":5.0,"unit":"%"}"#,
            r#"{"note":"","on":"2011-08-31","partnership_id":"00000000-0001-7101-8101-010101010101","target_id":"00000000-000b-7b0b-8b0b-0b0b0b0b0b0b","value":49.5}"#,
            r#"{"body_id":"00000000-0004-7404-8404-040404040404","committee":"Overview and Scrutiny Committee","members":["Cllr Jane Smith"],"monitoring_months":6,"partnership_id":"00000000-0001-7101-8101-010101010101","reported_on":"2009-11-25","started_on":null,"summary":"","title":"LSP Task and Finish Group review"}"#,
            r#"{"addressed_to":"Overview and Scrutiny Committee","number":6,"on_laa_target":false,"partnership_id":"00000000-0001-7101-8101-010101010101","review_id":"00000000-000c-7c0c-8c0c-0c0c0c0c0c0c","text":"Pre-scrutiny of each new SCS"}"#,
            r#"{"answer":"accepted_in_principle","date":"2011-03-02","date_note":"","due_on":null,"link":"","partnership_id":"00000000-0001-7101-8101-010101010101","recommendation_id":"00000000-000d-7d0d-8d0d-0d0d0d0d0d0d","text":"Pre-scrutiny took place in March 2011.","what":"response"}"#,
            r#"{"date":"2011-11-08","held_at":"Overview and Scrutiny Committee","note":"","partnership_id":"00000000-0001-7101-8101-010101010101","review_id":"00000000-000c-7c0c-8c0c-0c0c0c0c0c0c"}"#,
            r#"{"body_id":null,"committee":"Overview and Scrutiny Committee","council_id":"00000000-0002-7202-8202-020202020202","date":"2009-11-25","note":"","partnership_id":"00000000-0001-7101-8101-010101010101","status":"held","time":"19:00","venue":""}"#,
            r#"{"concerns":[{"id":"00000000-0003-7303-8303-030303030303","kind":"body"}],"documents":[{"title":"Slides","url":"https://example.org/lsp.pdf"}],"meeting_id":"00000000-000e-7e0e-8e0e-0e0e0e0e0e0e","number":"126","outcome":"The report was noted.","partnership_id":"00000000-0001-7101-8101-010101010101","report_type":"presentation","summary":"","title":"Local Strategic Partnership (LSP)"}"#,
            r#"{"approved_at":null,"approved_on":null,"circulated_on":null,"drafted_on":"2009-11-27","meeting_id":"00000000-000e-7e0e-8e0e-0e0e0e0e0e0e","note":"","partnership_id":"00000000-0001-7101-8101-010101010101","published_on":null,"text":"Item 126: the report was noted."}"#,
            r#"{"attendees":["Cllr Jane Smith"],"date":"2010-10-01","material":"Induction pack","note":"","partnership_id":"00000000-0001-7101-8101-010101010101","topic":"The Redditch Partnership","trainer":"Redditch Partnership Manager"}"#,
            r#"{"body_id":"00000000-0004-7404-8404-040404040404","due_on":"2009-06-30","partnership_id":"00000000-0001-7101-8101-010101010101","provided_on":null,"summary":"","year":2009}"#,
            r#"{"action_plan_id":"00000000-000f-7f0f-8f0f-0f0f0f0f0f0f","completed_on":null,"description":"","due_on":null,"lead_organisation_id":"00000000-0002-7202-8202-020202020202","partnership_id":"00000000-0001-7101-8101-010101010101","priority_ids":["00000000-000a-7a0a-8a0a-0a0a0a0a0a0a"],"progress":"","target_ids":["00000000-000b-7b0b-8b0b-0b0b0b0b0b0b"],"title":"Agree three key actions"}"#,
            r#"{"council_id":"00000000-0002-7202-8202-020202020202","councillor":"Cllr Jane Smith","joined_on":"2011-05-06","note":"","pack_given_on":"2011-05-13","partnership_id":"00000000-0001-7101-8101-010101010101"}"#,
            r#"{"body_id":"00000000-0004-7404-8404-040404040404","decisions_needed":"","due_on":"2011-07-14","escalate":true,"escalation":"Illustrative: agree the funding gap.","next_period":"","overall":"at_risk","partnership_id":"00000000-0001-7101-8101-010101010101","period_end":"2011-06-30","period_start":"2011-04-01","progress":"Illustrative: two schools joined the mentoring scheme.","risks_and_issues":"","submitted_on":"2011-07-12","to_body_id":"00000000-0003-7303-8303-030303030303"}"#,
            r#"{"closes_on":"2010-06-30","criteria":[{"max_score":10,"name":"Serves the SCS priorities"}],"decided_by":"00000000-0003-7303-8303-030303030303","name":"LSP project fund","note":"Illustrative figures","partnership_id":"00000000-0001-7101-8101-010101010101","year":2010}"#,
            r#"{"amount_pence":1000000,"note":"Illustrative figure","on":"2010-04-01","organisation_id":"00000000-0002-7202-8202-020202020202","partnership_id":"00000000-0001-7101-8101-010101010101","pot_id":"00000000-0010-7010-9010-101010101010"}"#,
            r#"{"amount_approved_pence":200000,"amount_asked_pence":250050,"body_id":"00000000-0004-7404-8404-040404040404","decided_by":"00000000-0012-7212-9212-121212121212","decided_on":"2010-07-13","decision":"approved","joint_organisation_ids":["00000000-0011-7111-9111-111111111111"],"partnership_id":"00000000-0001-7101-8101-010101010101","pot_id":"00000000-0010-7010-9010-101010101010","priority_ids":["00000000-000a-7a0a-8a0a-0a0a0a0a0a0a"],"purpose":"Illustrative: youth diversion sessions","reason":"","scores":[{"criterion":"Serves the SCS priorities","score":8}],"submitted_on":"2010-05-04","target_ids":["00000000-000b-7b0b-8b0b-0b0b0b0b0b0b"]}"#,
        ];
        assert_eq!(expected.len(), EntityKind::ALL.len());
        for (entity, expected) in one_of_each().into_iter().zip(expected) {
            let fields = entity.to_fields();
            assert_eq!(
                serde_json::to_string(&fields).unwrap_or_default(),
                expected,
                "{}",
                entity.kind().noun()
            );
            assert_eq!(Entity::from_fields(entity.kind(), &fields), Ok(entity));
        }
    }

    /// The field names a type's `Deserialize` declares (serde passes them to
    /// `deserialize_struct`), read without any data.
    fn declared_fields<T: DeserializeOwned>() -> Vec<&'static str> {
        use serde::de::{Error as _, Visitor, value::Error};
        struct Names(&'static [&'static str]);
        impl<'de> Deserializer<'de> for &mut Names {
            type Error = Error;
            fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Error> {
                Err(Error::custom("not a struct"))
            }
            fn deserialize_struct<V: Visitor<'de>>(
                self,
                _: &'static str,
                fields: &'static [&'static str],
                _: V,
            ) -> Result<V::Value, Error> {
                self.0 = fields;
                Err(Error::custom("the field names are all that was wanted"))
            }
            serde::forward_to_deserialize_any! {
                bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
                byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
                identifier ignored_any
            }
        }
        let mut names = Names(&[]);
        let _ = T::deserialize(&mut names);
        let mut fields = names.0.to_vec();
        sort(&mut fields);
        fields
    }

    macro_rules! declared_by_kind {
        ($($(#[$meta:meta])* $area:ident :: $kind:ident => $table:ident,)+) => {
            fn declared(kind: EntityKind) -> Vec<&'static str> {
                match kind {
                    $(EntityKind::$kind => declared_fields::<crate::$area::$kind>(),)+
                }
            }
        };
    }
    for_each_record!(declared_by_kind);

    /// The server's unknown-field rule compares what is sent with the canonical fields
    /// ([`Entity::to_fields`]): if a kind left an optional field out of its serialisation
    /// (`skip_serializing_if`), a client sending that field would be refused. So every kind's
    /// canonical fields name every field its type declares.
    #[test]
    fn every_kinds_canonical_fields_name_every_field_it_declares() {
        for entity in one_of_each() {
            let fields = entity.to_fields();
            let mut canonical: Vec<&str> = fields.keys().map(String::as_str).collect();
            sort(&mut canonical);
            assert_eq!(
                canonical,
                declared(entity.kind()),
                "{}",
                entity.kind().noun()
            );
        }
    }

    #[test]
    fn every_declared_reference_field_is_a_field_of_the_record() {
        for entity in one_of_each() {
            let fields = entity.to_fields();
            for &(target, field) in entity.kind().refers_to() {
                let value = fields.get(field);
                assert!(
                    value.is_some_and(|v| v.is_string() || v.is_null()),
                    "{} has no id field {field} for its {}",
                    entity.kind().noun(),
                    target.noun()
                );
            }
            // Every sample fills every reference, so each field gives one reference whose id
            // is the field's value.
            let refs = entity.reference_fields();
            assert_eq!(refs.len(), entity.kind().refers_to().len());
            for r in refs {
                assert_eq!(fields[r.field], Value::String(r.id.to_string()));
            }
        }
    }

    /// Every kind but the partnership belongs to one, and names it first: the server scopes
    /// every record by it.
    #[test]
    fn every_kind_but_the_partnership_refers_first_to_its_partnership() {
        for entity in one_of_each() {
            let kind = entity.kind();
            let first = kind.refers_to().first().copied();
            if kind == EntityKind::Partnership {
                assert_eq!(first, None);
                assert_eq!(entity.partnership_id(), None);
            } else {
                assert_eq!(
                    first,
                    Some((EntityKind::Partnership, "partnership_id")),
                    "{}",
                    kind.noun()
                );
                assert_eq!(entity.partnership_id(), Some(pid()), "{}", kind.noun());
            }
        }
    }

    /// A kind's facts as the rules below read them.
    #[derive(Clone, Debug)]
    struct Facts {
        kind: EntityKind,
        refers_to: Vec<EntityKind>,
        can_be_referenced: bool,
        protects_answers: bool,
        can_be_archived: bool,
    }

    fn facts() -> Vec<Facts> {
        EntityKind::ALL
            .iter()
            .map(|&kind| Facts {
                kind,
                refers_to: kind.refers_to().iter().map(|&(k, _)| k).collect(),
                can_be_referenced: kind.can_be_referenced(),
                protects_answers: kind.protects_answers(),
                can_be_archived: kind.can_be_archived(),
            })
            .collect()
    }

    /// `Replica::view` drops dangling records in one pass in kind order, so a kind must come
    /// strictly after every kind it may refer to.
    fn check_order(table: &[Facts]) -> Result<(), String> {
        for (i, f) in table.iter().enumerate() {
            for target in &f.refers_to {
                let at = table.iter().position(|g| g.kind == *target);
                if at.is_none_or(|at| at >= i) {
                    return Err(format!(
                        "{} refers to {}, which does not come before it",
                        f.kind.noun(),
                        target.noun()
                    ));
                }
            }
        }
        Ok(())
    }

    /// `can_be_referenced` (which decides whether a save may take the fast path) is true
    /// exactly for the kinds some kind refers to.
    fn check_referenced(table: &[Facts]) -> Result<(), String> {
        for f in table {
            let named = table.iter().any(|g| g.refers_to.contains(&f.kind));
            if f.can_be_referenced != named {
                return Err(format!(
                    "{}: can_be_referenced is {} but {} kind refers to it",
                    f.kind.noun(),
                    f.can_be_referenced,
                    if named { "a" } else { "no" }
                ));
            }
        }
        Ok(())
    }

    /// Deleting a record deletes what refers to it, so every kind an answer refers to must
    /// refuse a delete while it holds answers (answers are never deleted with anything), and
    /// only those can hold any. Archiving is what is offered instead of a refused delete.
    fn check_answers(table: &[Facts], answer: EntityKind) -> Result<(), String> {
        let answer_refs = table
            .iter()
            .find(|f| f.kind == answer)
            .map(|f| f.refers_to.clone())
            .unwrap_or_default();
        for f in table {
            let held = answer_refs.contains(&f.kind);
            if f.protects_answers != held {
                return Err(format!(
                    "{}: protects_answers is {} but answers {} refer to it",
                    f.kind.noun(),
                    f.protects_answers,
                    if held { "do" } else { "do not" }
                ));
            }
            if f.can_be_archived && !f.protects_answers {
                return Err(format!(
                    "{} can be archived but never holds answers",
                    f.kind.noun()
                ));
            }
        }
        Ok(())
    }

    #[test]
    fn every_kind_comes_after_every_kind_it_may_refer_to() {
        assert_eq!(check_order(&facts()), Ok(()));
        // The check fails on a registry in the wrong order, and on a kind referring to itself.
        let mut swapped = facts();
        swapped.swap(2, 3);
        assert!(check_order(&swapped).is_err_and(|e| e.contains("membership refers to body")));
        let mut itself = facts();
        itself[2].refers_to.push(EntityKind::Body);
        assert!(check_order(&itself).is_err());
    }

    #[test]
    fn can_be_referenced_is_true_exactly_for_the_kinds_some_kind_refers_to() {
        assert_eq!(check_referenced(&facts()), Ok(()));
        let referenced: Vec<EntityKind> = EntityKind::ALL
            .iter()
            .copied()
            .filter(|k| k.can_be_referenced())
            .collect();
        assert_eq!(
            referenced,
            [
                EntityKind::Partnership,
                EntityKind::Organisation,
                EntityKind::Body,
                EntityKind::Consultation,
                EntityKind::ConsultationEvent,
                EntityKind::Questionnaire,
                EntityKind::Strategy,
                EntityKind::Priority,
                EntityKind::Target,
                EntityKind::Review,
                EntityKind::Recommendation,
                EntityKind::Meeting,
                EntityKind::ActionPlan,
                EntityKind::FundPot,
            ]
        );
        let mut wrong = facts();
        wrong[5].can_be_referenced = true;
        assert!(check_referenced(&wrong).is_err_and(|e| e.starts_with("glossary term")));
        let mut forgotten = facts();
        forgotten[1].refers_to.clear();
        forgotten[3]
            .refers_to
            .retain(|k| *k != EntityKind::Organisation);
        assert!(check_referenced(&forgotten).is_err_and(|e| e.starts_with("organisation")));
    }

    #[test]
    fn the_kinds_answers_refer_to_protect_them_and_only_those_can_be_archived() {
        assert_eq!(check_answers(&facts(), EntityKind::Response), Ok(()));
        let protecting: Vec<EntityKind> = EntityKind::ALL
            .iter()
            .copied()
            .filter(|k| k.protects_answers())
            .collect();
        assert_eq!(
            protecting,
            [
                EntityKind::Partnership,
                EntityKind::Consultation,
                EntityKind::ConsultationEvent,
                EntityKind::Questionnaire,
            ]
        );
        let archivable: Vec<EntityKind> = EntityKind::ALL
            .iter()
            .copied()
            .filter(|k| k.can_be_archived())
            .collect();
        assert_eq!(
            archivable,
            [EntityKind::Partnership, EntityKind::Consultation]
        );
        let mut unprotected = facts();
        unprotected[9].protects_answers = false;
        assert!(
            check_answers(&unprotected, EntityKind::Response)
                .is_err_and(|e| e.starts_with("questionnaire version"))
        );
        let mut archived_body = facts();
        archived_body[2].can_be_archived = true;
        assert!(check_answers(&archived_body, EntityKind::Response).is_err());
        let mut new_reference = facts();
        new_reference[10].refers_to.push(EntityKind::Body);
        assert!(
            check_answers(&new_reference, EntityKind::Response)
                .is_err_and(|e| e.starts_with("body"))
        );
    }

    #[test]
    fn a_seat_without_an_organisation_refers_only_to_its_partnership_and_body() {
        let body = BodyId::new(2, [2; 10]);
        let seat = Entity::Membership(Membership {
            partnership_id: pid(),
            body_id: body,
            organisation_id: None,
            person: "A resident".into(),
            role: MembershipRole::Member,
            independent: true,
            interim: false,
            represents: String::new(),
        });
        assert_eq!(
            seat.references(),
            [
                (EntityKind::Partnership, pid().0),
                (EntityKind::Body, body.0)
            ]
        );
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
            received_at: None,
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
    fn a_reporting_line_refers_to_its_partnership_and_both_bodies_by_their_fields() {
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
        let fields: Vec<&str> = line.reference_fields().iter().map(|r| r.field).collect();
        assert_eq!(fields, ["partnership_id", "from_body_id", "to_body_id"]);
    }
}
