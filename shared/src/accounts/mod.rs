//! Who may see and change what: roles, the access each gives, and the two rules both sides
//! apply, [`Principal::can_read`] and [`Principal::may_write`]. The server decides with them
//! (from the principal it derived itself, and the record's partnership as stored); the
//! browser uses the same rules only to leave out pages and buttons a person may not use.
//!
//! Each record kind declares who may read it ([`Record::READ`](crate::Record::READ)) and who
//! may change it ([`Record::WRITE`](crate::Record::WRITE)) beside its other facts.
//!
//! | role | reads | writes |
//! | --- | --- | --- |
//! | public (no sign-in) | published partnerships' public records | answers through the public link (channel online) |
//! | consultation staff | as the public, plus events and questionnaires | answers |
//! | councillor | everything of their partnerships but raw answers | nothing |
//! | group lead | as a councillor | what groups report (kinds whose `WRITE` is `Lead`; a bid only until it is scored) |
//! | partnership manager | everything of their partnership | everything of their partnership |
//! | administrator | everything | everything, and partnerships themselves |

pub mod audit;

use std::collections::BTreeMap;

pub mod tablets;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::consultation::Channel;
use crate::entity::{Entity, EntityKind};
use crate::ids::PartnershipId;
use crate::structure::domain::labelled_enum;

pub mod two_step;

labelled_enum! {
    /// What a person does in a partnership. A person has at most one role in each.
    pub enum Role {
        Councillor => ("Councillor", "Reads everything of the partnership but residents' raw answers; results as totals."),
        ConsultationStaff => ("Consultation staff", "Takes residents' answers at events, on a tablet; reads what the public reads, plus the events and questionnaires."),
        GroupLead => ("Group lead", "Reads as a councillor does, and reports on the groups they lead: their action plans, highlight reports and bids to the project funds."),
        Manager => ("Partnership manager", "Keeps the partnership current: changes anything of it, moderates answers, manages its people and tablets."),
    }
}

/// How much of a partnership a reader may see, least first. A kind's
/// [`Record::READ`](crate::Record::READ) names the least access that sees it, and its
/// [`Record::WRITE`](crate::Record::WRITE) the least that changes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Anyone, once the partnership is published.
    Public,
    /// Consultation staff (and registered tablets): what they capture answers with.
    Staff,
    /// Members of the partnership: councillors (and group leads, who hold more).
    Member,
    /// Group leads: read as members do, and write what a group reports (its highlight
    /// reports, its action plan), as each kind's `WRITE` says.
    Lead,
    /// The partnership's managers (and administrators).
    Manager,
}

impl Role {
    pub fn access(self) -> Access {
        match self {
            Role::Councillor => Access::Member,
            Role::GroupLead => Access::Lead,
            Role::ConsultationStaff => Access::Staff,
            Role::Manager => Access::Manager,
        }
    }

    /// Whether the role takes residents' answers (staff and managers do; councillors read
    /// results, they do not add answers).
    pub fn captures_answers(self) -> bool {
        matches!(self, Role::ConsultationStaff | Role::Manager)
    }
}

/// A person's grants: whether they administer the whole service, and their role in each
/// partnership.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grants {
    #[serde(default)]
    pub admin: bool,
    #[serde(default)]
    pub roles: BTreeMap<PartnershipId, Role>,
}

/// Who is asking, as the server established it (never as a client claims).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    /// Nobody signed in.
    Public,
    /// A signed-in person.
    User { id: Uuid, grants: Grants },
    /// A registered tablet of one partnership.
    Tablet {
        id: Uuid,
        partnership: PartnershipId,
    },
}

/// A change a principal may not make, with the sentence that says why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Denied(pub String);

/// What a mutation does to a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteOp {
    Create,
    Update,
    Delete,
}

impl Principal {
    /// Whether this principal administers the whole service.
    pub fn is_admin(&self) -> bool {
        matches!(self, Principal::User { grants, .. } if grants.admin)
    }

    /// The access granted in `partnership`; `None` for none (the public's, which sees a
    /// published partnership's public records).
    pub fn access(&self, partnership: PartnershipId) -> Option<Access> {
        match self {
            Principal::Public => None,
            Principal::User { grants, .. } if grants.admin => Some(Access::Manager),
            Principal::User { grants, .. } => grants.roles.get(&partnership).map(|r| r.access()),
            Principal::Tablet { partnership: p, .. } => {
                (*p == partnership).then_some(Access::Staff)
            }
        }
    }

    /// Whether a record of `kind` in `partnership` (a partnership's own id for a
    /// partnership) may be read, that partnership being `published` or not. A published
    /// partnership's public records are everyone's; the rest needs a grant in it.
    pub fn can_read(&self, kind: EntityKind, partnership: PartnershipId, published: bool) -> bool {
        self.can_read_at(kind.read_access(), partnership, published)
    }

    /// Whether a record that needs `needed` access to read (its kind's, or its own and its
    /// ancestors' when they choose their readers: see
    /// [`Record::READ_VARIES`](crate::Record::READ_VARIES)) may be read in `partnership`.
    pub fn can_read_at(&self, needed: Access, partnership: PartnershipId, published: bool) -> bool {
        match self.access(partnership) {
            Some(held) => held >= needed,
            None => published && needed == Access::Public,
        }
    }

    /// Whether this principal may make the change `op` to a record of `kind` in
    /// `partnership` (for a partnership, its own id; for an update or delete, the
    /// partnership as stored, never as the change claims). `entity` is the record as the
    /// change leaves it, or for a delete as stored; `None` when not known, judged by the
    /// kind alone. A kind whose access varies ([`Record::WRITE_VARIES`](crate::Record::WRITE_VARIES))
    /// is asked of the record as stored and as changed (the server does both).
    /// `published` is whether the partnership is.
    pub fn may_write(
        &self,
        op: WriteOp,
        kind: EntityKind,
        partnership: PartnershipId,
        published: bool,
        entity: Option<&Entity>,
    ) -> Result<(), Denied> {
        if self.is_admin() {
            return Ok(());
        }
        let held = self.access(partnership);
        let deny = |what: &str| Err(Denied(what.to_owned()));
        if kind == EntityKind::Partnership && op != WriteOp::Update {
            return deny("Only an administrator can add or delete a partnership.");
        }
        if kind.captured() && op == WriteOp::Create {
            let captures = match self {
                Principal::User { grants, .. } => grants
                    .roles
                    .get(&partnership)
                    .is_some_and(|r| r.captures_answers()),
                Principal::Tablet { .. } => held.is_some(),
                Principal::Public => false,
            };
            if captures {
                return Ok(());
            }
            // Anyone may answer through the public link, as a resident.
            let online = matches!(entity, Some(Entity::Response(r))
                if r.channel == Channel::Online && r.event_id.is_none());
            return match (online, published || held.is_some()) {
                (true, true) => Ok(()),
                (true, false) => deny("This consultation is not open to the public."),
                _ if matches!(self, Principal::Public) => {
                    deny("Answers can be sent without signing in only through the public link.")
                }
                _ => deny(
                    "Only the partnership's consultation staff and managers can add answers \
                     taken at events.",
                ),
            };
        }
        let needed = entity.map_or(kind.write_access(), Entity::write_access);
        match held {
            Some(a) if a >= needed => Ok(()),
            Some(a) if a >= kind.write_access() => deny(&format!(
                "Only the partnership's managers can make this change: {}.",
                kind.write_varies_rule()
            )),
            _ if matches!(self, Principal::Public) => deny(&format!(
                "Sign in as one of the partnership's managers to change {}.",
                kind.plural()
            )),
            _ => deny(&format!(
                "Only the partnership's managers can change {}.",
                kind.plural()
            )),
        }
    }

    /// Whether the principal may change anything at all in `partnership` (whether to offer
    /// Add, Edit and Delete there).
    pub fn manages(&self, partnership: PartnershipId) -> bool {
        self.access(partnership) == Some(Access::Manager)
    }
}

/// `POST /api/session`: signing in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignIn {
    pub email: String,
    pub password: String,
    /// The code from the person's authenticator app, once they have set up two-step
    /// verification. Without it, a right password is answered 401 with a field error on
    /// [`CODE_FIELD`]: the browser then asks for the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// The field a sign-in's error names when it needs (or did not accept) the two-step code.
pub const CODE_FIELD: &str = "code";

/// Whether a role set needs two-step verification: administrators' and partnership
/// managers' accounts change what everyone sees.
pub fn needs_two_step(grants: &Grants) -> bool {
    grants.manages_people()
}

impl Grants {
    /// Whether they manage people: an administrator, or a manager of some partnership.
    pub fn manages_people(&self) -> bool {
        self.admin || self.roles.values().any(|r| *r == Role::Manager)
    }
}

/// `GET /api/session` and the answer to signing in: who this browser is signed in as.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// `None` when nobody is signed in.
    #[serde(default)]
    pub user: Option<UserInfo>,
}

/// A signed-in person as they see themselves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub grants: Grants,
    /// Whether they have set up two-step verification.
    #[serde(default)]
    pub two_step: bool,
}

impl UserInfo {
    pub fn principal(&self) -> Principal {
        Principal::User {
            id: self.id,
            grants: self.grants.clone(),
        }
    }
}

impl UserInfo {
    /// Whether they should set up two-step verification and have not yet. They can still
    /// sign in without it (demo data and a fresh install must work), and are told to.
    pub fn should_set_up_two_step(&self) -> bool {
        needs_two_step(&self.grants) && !self.two_step
    }
}

/// `POST /api/session/password`: a signed-in person changes their own password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// `POST /api/session/totp`: the secret key of a two-step setup not yet confirmed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepSetup {
    /// The key in base32, to type into an authenticator app.
    pub secret: String,
    /// The same as an `otpauth://` link, for apps that open one.
    pub uri: String,
}

/// `POST /api/session/totp/confirm`: the first code, proving the app holds the key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepCode {
    pub code: String,
}

/// A person as the people page lists them: their roles only in the partnerships the reader
/// manages (all of them for an administrator).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub admin: bool,
    #[serde(default)]
    pub roles: BTreeMap<PartnershipId, Role>,
    #[serde(default)]
    pub disabled: bool,
    #[serde(default)]
    pub two_step: bool,
    /// When they last signed in, ms since the Unix epoch.
    #[serde(default)]
    pub last_sign_in_ms: Option<i64>,
}

/// `GET /api/users`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct People {
    pub people: Vec<Person>,
}

/// `POST /api/users`: a new person, with a first password they can change, and their role in
/// one partnership (a manager must give one of theirs; an administrator may give none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPerson {
    pub name: String,
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub partnership: Option<PartnershipId>,
    #[serde(default)]
    pub role: Option<Role>,
    /// An administrator (only an administrator may make one).
    #[serde(default)]
    pub admin: bool,
}

/// `PUT /api/users/{id}/roles/{partnership}`: a person's role there; `None` removes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChange {
    pub role: Option<Role>,
}

/// The longest password accepted (Argon2 takes any length; this bounds the work a request
/// can ask for).
pub const MAX_PASSWORD_CHARS: usize = 1_000;
/// The shortest password a new account may have (NCSC: length over complexity).
pub const MIN_PASSWORD_CHARS: usize = 12;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultation::Response;
    use crate::ids::{ConsultationId, DeviceId, QuestionnaireId};

    fn pid(n: u8) -> PartnershipId {
        PartnershipId(crate::seeds::fixture_id(u16::from(n)))
    }

    fn user(admin: bool, roles: &[(PartnershipId, Role)]) -> Principal {
        Principal::User {
            id: Uuid::nil(),
            grants: Grants {
                admin,
                roles: roles.iter().copied().collect(),
            },
        }
    }

    fn answer(channel: Channel) -> Entity {
        Entity::Response(Response {
            partnership_id: pid(1),
            consultation_id: ConsultationId(Uuid::nil()),
            questionnaire_id: QuestionnaireId(Uuid::nil()),
            event_id: None,
            device_id: DeviceId(Uuid::nil()),
            channel,
            captured_at: 0,
            answers: BTreeMap::new(),
            hidden: false,
            review: Vec::new(),
            accepted: false,
            received_at: None,
        })
    }

    #[test]
    fn the_public_reads_only_published_public_records() {
        let public = Principal::Public;
        assert!(public.can_read(EntityKind::Body, pid(1), true));
        assert!(!public.can_read(EntityKind::Body, pid(1), false));
        assert!(!public.can_read(EntityKind::Response, pid(1), true));
        assert!(!public.can_read(EntityKind::ConsultationEvent, pid(1), true));
        assert!(public.can_read(EntityKind::Questionnaire, pid(1), true));
    }

    #[test]
    fn raw_answers_are_for_managers_alone() {
        for role in Role::ALL {
            let p = user(false, &[(pid(1), *role)]);
            assert_eq!(
                p.can_read(EntityKind::Response, pid(1), true),
                *role == Role::Manager,
                "{role:?}"
            );
            // Members see an unpublished partnership's records; another's stay hidden.
            assert!(p.can_read(EntityKind::Body, pid(1), false), "{role:?}");
            assert!(!p.can_read(EntityKind::Body, pid(2), false), "{role:?}");
        }
        let tablet = Principal::Tablet {
            id: Uuid::nil(),
            partnership: pid(1),
        };
        assert!(!tablet.can_read(EntityKind::Response, pid(1), true));
        assert!(tablet.can_read(EntityKind::ConsultationEvent, pid(1), false));
        assert!(user(true, &[]).can_read(EntityKind::Response, pid(9), false));
    }

    #[test]
    fn only_managers_change_a_partnership_and_only_administrators_add_one() {
        let manager = user(false, &[(pid(1), Role::Manager)]);
        let councillor = user(false, &[(pid(1), Role::Councillor)]);
        let admin = user(true, &[]);
        for op in [WriteOp::Create, WriteOp::Update, WriteOp::Delete] {
            assert!(
                manager
                    .may_write(op, EntityKind::Body, pid(1), true, None)
                    .is_ok()
            );
            assert!(
                manager
                    .may_write(op, EntityKind::Body, pid(2), true, None)
                    .is_err()
            );
            assert!(
                councillor
                    .may_write(op, EntityKind::Body, pid(1), true, None)
                    .is_err()
            );
            assert!(
                admin
                    .may_write(op, EntityKind::Partnership, pid(3), false, None)
                    .is_ok()
            );
        }
        assert!(
            manager
                .may_write(WriteOp::Update, EntityKind::Partnership, pid(1), true, None)
                .is_ok()
        );
        let refused = manager.may_write(
            WriteOp::Create,
            EntityKind::Partnership,
            pid(4),
            false,
            None,
        );
        assert_eq!(
            refused.err().map(|d| d.0),
            Some("Only an administrator can add or delete a partnership.".to_owned())
        );
    }

    #[test]
    fn the_public_may_only_answer_online_and_staff_may_answer_at_events() {
        let online = answer(Channel::Online);
        let at_event = answer(Channel::StaffAssisted);
        let create = |p: &Principal, e: &Entity, published| {
            p.may_write(
                WriteOp::Create,
                EntityKind::Response,
                pid(1),
                published,
                Some(e),
            )
        };
        assert!(create(&Principal::Public, &online, true).is_ok());
        assert!(create(&Principal::Public, &online, false).is_err());
        assert!(create(&Principal::Public, &at_event, true).is_err());
        let staff = user(false, &[(pid(1), Role::ConsultationStaff)]);
        assert!(create(&staff, &at_event, false).is_ok());
        let tablet = Principal::Tablet {
            id: Uuid::nil(),
            partnership: pid(1),
        };
        assert!(create(&tablet, &at_event, false).is_ok());
        // Staff add answers; hiding or accepting one is a manager's.
        assert!(
            staff
                .may_write(
                    WriteOp::Update,
                    EntityKind::Response,
                    pid(1),
                    true,
                    Some(&at_event)
                )
                .is_err()
        );
        let councillor = user(false, &[(pid(1), Role::Councillor)]);
        assert!(create(&councillor, &at_event, true).is_err());
        // A councillor answering online, as a resident, may.
        assert!(create(&councillor, &online, true).is_ok());
    }
}
