//! The partnership structure: partnerships, member organisations, bodies, memberships and the
//! reporting lines between bodies. Names follow `DOMAIN.md`.
//!
//! A record's id is not part of these structs: it travels beside them (see [`crate::sync`]), so
//! the same struct serves a record being created, edited or read.

use serde::{Deserialize, Serialize};

use crate::entity::{EntityKind, Record, RefField};
use crate::ids::{BodyId, MembershipId, OrganisationId, PartnershipId, ReportingLineId};

macro_rules! labelled_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident => ($label:literal, $explain:literal)),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in the order the interface lists them.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The plain-English name shown to people.
            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label),+ }
            }

            /// One sentence saying what this means, for hints and first-time users.
            pub fn explanation(self) -> &'static str {
                match self { $(Self::$variant => $explain),+ }
            }

            /// Parses the machine name used in JSON and form values (`snake_case`).
            pub fn from_key(key: &str) -> Option<Self> {
                serde_json::from_value(serde_json::Value::String(key.to_owned())).ok()
            }

            /// The machine name as JSON spells it (`snake_case`).
            pub fn as_key(self) -> String {
                match serde_json::to_value(self) {
                    Ok(serde_json::Value::String(s)) => s,
                    _ => String::new(),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

pub(crate) use labelled_enum;

labelled_enum! {
    /// The sector a member organisation belongs to. Every sector has parity of esteem.
    pub enum Sector {
        Public => ("Public sector", "Councils, police, NHS, fire and rescue, colleges and other public bodies."),
        Business => ("Private and business sector", "Businesses and their representatives, such as a chamber of commerce."),
        Community => ("Community sector", "Residents' groups, community forums and networks of local people."),
        Voluntary => ("Voluntary sector", "Charities and voluntary organisations, and the networks that support them."),
    }
}

labelled_enum! {
    /// What kind of body this is within the partnership.
    pub enum BodyKind {
        Board => ("Board", "Sets the vision and priorities in the Sustainable Community Strategy and holds the strategic overview."),
        ManagementGroup => ("Management Group", "Sets the work programme, monitors action, considers emerging issues and reports progress to the Board."),
        Conference => ("Conference", "Meets yearly; the Board gives its annual report to it and to funding partners."),
        PriorityActionGroup => ("Priority Action Group", "Co-ordinates action on one priority theme and reports on its targets to the Management Group."),
        CrossCuttingGroup => ("Cross-cutting group", "Works across every priority theme, such as communications or diversity."),
        TaskGroup => ("Task group", "Provides expertise on specific tasks as directed."),
        TaskAndFinishGroup => ("Task and Finish group", "A time-limited group that investigates one question and makes recommendations."),
        ThematicPartnership => ("Thematic partnership", "A partnership for one theme that sits under the LSP, such as the Crime and Disorder Reduction Partnership."),
        Network => ("Network", "A network of networks that connects community interest groups to the partnership."),
        OtherForum => ("Other partnership or forum", "Another partnership or forum that feeds into one or more groups."),
    }
}

impl BodyKind {
    /// The Board and the Conference stand side by side at the top of the structure: a line
    /// between them (the Board's annual report) does not put one under the other.
    pub fn is_apex(self) -> bool {
        matches!(self, Self::Board | Self::Conference)
    }
}

labelled_enum! {
    /// The seat a person holds on a body.
    pub enum MembershipRole {
        Chair => ("Chair", "Chairs the body's meetings."),
        ViceChair => ("Vice-chair", "Deputises for the chair."),
        Member => ("Member", "A full member of the body."),
        CoOpted => ("Co-opted member", "Invited onto the body, often for a particular interest or on an interim basis."),
        Adviser => ("Adviser", "Attends to give advice; not a voting member."),
        SupportingOfficer => ("Supporting officer", "Supports the body's work, for example as partnership manager."),
    }
}

labelled_enum! {
    /// How one body relates to the body it reports to. Lines point from the reporting body to
    /// the body that receives the report.
    pub enum LineKind {
        ReportsTo => ("reports to", "Reports progress regularly to the receiving body."),
        FeedsInto => ("feeds into", "Contributes its work and views to the receiving body."),
        Advises => ("advises", "Gives expertise to the receiving body on request."),
        ReportsAnnuallyTo => ("reports annually to", "Gives a yearly report to the receiving body."),
    }
}

/// A Local Strategic Partnership for one local authority area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partnership {
    pub name: String,
    /// The local authority area it serves, e.g. "Borough of Redditch".
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub description: String,
    /// Whether the public may browse it without signing in.
    #[serde(default)]
    pub published: bool,
    /// Left out of lists but kept whole (a partnership whose consultations hold residents'
    /// answers is archived rather than deleted). Restorable.
    #[serde(default)]
    pub archived: bool,
}

impl Record for Partnership {
    type Id = PartnershipId;
    const WIRE_NAME: &'static str = "partnership";
    const NOUN: &'static str = "partnership";
    const PLURAL: &'static str = "partnerships";
    const REFERENCES: &'static [RefField<Self>] = &[];
    const PROTECTS_ANSWERS: bool = true;
    const CAN_BE_ARCHIVED: bool = true;
}

/// A member organisation of a partnership.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub partnership_id: PartnershipId,
    pub name: String,
    pub sector: Sector,
    /// A named partner with a statutory duty to co-operate on Local Area Agreement targets.
    #[serde(default)]
    pub named_partner: bool,
    #[serde(default)]
    pub description: String,
}

impl Record for Organisation {
    type Id = OrganisationId;
    const WIRE_NAME: &'static str = "organisation";
    const NOUN: &'static str = "organisation";
    const PLURAL: &'static str = "member organisations";
    const REFERENCES: &'static [RefField<Self>] =
        &[RefField::partnership(|o| Some(o.partnership_id.0))];
}

/// A body of the partnership: a board, group, conference, network or forum.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    pub partnership_id: PartnershipId,
    pub name: String,
    pub kind: BodyKind,
    /// What the body is for: its remit, roles and responsibilities.
    #[serde(default)]
    pub terms_of_reference: String,
}

impl Record for Body {
    type Id = BodyId;
    const WIRE_NAME: &'static str = "body";
    const NOUN: &'static str = "body";
    const PLURAL: &'static str = "bodies";
    const REFERENCES: &'static [RefField<Self>] =
        &[RefField::partnership(|b| Some(b.partnership_id.0))];
}

/// A seat on a body: a representative of an organisation, or a person in their own right
/// (co-opted, or an independent chair), or an organisation whose representative is not named.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub partnership_id: PartnershipId,
    pub body_id: BodyId,
    /// The organisation represented, if any.
    #[serde(default)]
    pub organisation_id: Option<OrganisationId>,
    /// The person's name; may be empty when only the organisation is recorded.
    #[serde(default)]
    pub person: String,
    pub role: MembershipRole,
    /// Sits as an independent person, not for their organisation (seed 001's chair).
    #[serde(default)]
    pub independent: bool,
    /// Holds the seat on an interim basis.
    #[serde(default)]
    pub interim: bool,
    /// The interest the person represents, e.g. "Transport interests".
    #[serde(default)]
    pub represents: String,
}

impl Record for Membership {
    type Id = MembershipId;
    const WIRE_NAME: &'static str = "membership";
    const NOUN: &'static str = "membership";
    const PLURAL: &'static str = "memberships";
    const REFERENCES: &'static [RefField<Self>] = &[
        RefField::partnership(|m| Some(m.partnership_id.0)),
        RefField::new(EntityKind::Body, "body_id", |m| Some(m.body_id.0)),
        RefField::new(EntityKind::Organisation, "organisation_id", |m| {
            m.organisation_id.map(|o| o.0)
        }),
    ];
}

/// A directed reporting line from one body to another. Lines form a graph: a body may feed
/// into several groups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportingLine {
    pub partnership_id: PartnershipId,
    pub from_body_id: BodyId,
    pub to_body_id: BodyId,
    pub kind: LineKind,
    #[serde(default)]
    pub note: String,
}

impl Record for ReportingLine {
    type Id = ReportingLineId;
    const WIRE_NAME: &'static str = "reporting_line";
    const NOUN: &'static str = "reporting line";
    const PLURAL: &'static str = "reporting lines";
    const REFERENCES: &'static [RefField<Self>] = &[
        RefField::partnership(|l| Some(l.partnership_id.0)),
        RefField::new(EntityKind::Body, "from_body_id", |l| Some(l.from_body_id.0)),
        RefField::new(EntityKind::Body, "to_body_id", |l| Some(l.to_body_id.0)),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_keys_are_snake_case_and_parse_back() {
        assert_eq!(
            BodyKind::PriorityActionGroup.as_key(),
            "priority_action_group"
        );
        assert_eq!(
            BodyKind::from_key("task_and_finish_group"),
            Some(BodyKind::TaskAndFinishGroup)
        );
        assert_eq!(Sector::from_key("nonsense"), None);
        for kind in BodyKind::ALL {
            assert_eq!(BodyKind::from_key(&kind.as_key()), Some(*kind));
            assert!(!kind.explanation().is_empty());
        }
    }
}
