//! Open data: a partnership's structure as [Popolo](https://www.popoloproject.com/) JSON, the
//! open standard that civic-tech tools read (people, organizations, posts, memberships).
//!
//! How our records map onto Popolo:
//! - the partnership, each member organisation and each body is an `Organization`; a body's
//!   `parent_id` is the partnership, its `classification` its kind ("Board"), an
//!   organisation's its sector;
//! - each seat on a body is a `Post` of that body ("Chair of the Partnership Management
//!   Board");
//! - each named person is a `Person`, once per partnership however many seats they hold;
//! - each seat held is a `Membership` of the body, with the person (when named), the post,
//!   and `on_behalf_of_id` naming the organisation they represent (left out for a person who
//!   sits as an independent, like seed 001's chair);
//! - reporting lines have no Popolo equivalent and are left out.
//!
//! Ids are the records' own UUIDs as `urn:uuid:…`, so a tool that reads the export twice
//! sees the same organisations. A person has no record of their own: their id is made from
//! the partnership and their name, folded to lower case, so the same name is the same person
//! within a partnership.
//!
//! The export holds only what the snapshot holds, which is what its reader may see.

use serde::Serialize;
use uuid::Uuid;

use crate::ids::PartnershipId;
use crate::replica::Snapshot;
use crate::text::fold_case;

/// A Popolo export: the arrays Popolo's JSON serialisation names.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Popolo {
    pub persons: Vec<PopoloPerson>,
    pub organizations: Vec<PopoloOrganization>,
    pub posts: Vec<PopoloPost>,
    pub memberships: Vec<PopoloMembership>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PopoloPerson {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PopoloOrganization {
    pub id: String,
    pub name: String,
    pub classification: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PopoloPost {
    pub id: String,
    pub label: String,
    pub role: String,
    pub organization_id: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PopoloMembership {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    pub organization_id: String,
    pub post_id: String,
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_behalf_of_id: Option<String>,
    /// What the seat stands for when it is not an organisation ("Transport interests"), and
    /// whether it is held on an interim basis.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

fn urn(id: impl Into<Uuid>) -> String {
    format!("urn:uuid:{}", id.into())
}

/// A person's id within a partnership: the same (case-folded, space-trimmed) name gives the
/// same id. Every character of the name is kept, percent-encoded outside ASCII letters and
/// digits, so two different names never share an id.
fn person_id(p: PartnershipId, name: &str) -> String {
    let mut id = format!("{}:person:", urn(p.0));
    for c in fold_case(name.trim()).chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                id.push_str(&format!("%{b:02X}"));
            }
        }
    }
    id
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// The structure of partnership `p` as the snapshot holds it, in Popolo's shape; `None`
/// when the snapshot does not hold the partnership.
pub fn popolo(snapshot: &Snapshot, p: PartnershipId) -> Option<Popolo> {
    let partnership = snapshot.partnerships.get(&p)?;
    let mut out = Popolo::default();
    out.organizations.push(PopoloOrganization {
        id: urn(p.0),
        name: partnership.name.clone(),
        classification: "Local Strategic Partnership".to_owned(),
        parent_id: None,
        description: non_empty(&partnership.description),
    });
    for (id, org) in snapshot.organisations_of(p) {
        out.organizations.push(PopoloOrganization {
            id: urn(id.0),
            name: org.name.clone(),
            classification: org.sector.label().to_owned(),
            parent_id: None,
            description: non_empty(&org.description),
        });
    }
    for (body_id, body) in snapshot.bodies_of(p) {
        out.organizations.push(PopoloOrganization {
            id: urn(body_id.0),
            name: body.name.clone(),
            classification: body.kind.label().to_owned(),
            parent_id: Some(urn(p.0)),
            description: non_empty(&body.terms_of_reference),
        });
        for (seat_id, seat) in snapshot.members_of(body_id) {
            let post_id = format!("{}:post", urn(seat_id.0));
            out.posts.push(PopoloPost {
                id: post_id.clone(),
                label: format!("{} of {}", seat.role.label(), body.name),
                role: seat.role.label().to_owned(),
                organization_id: urn(body_id.0),
            });
            let person = non_empty(&seat.person);
            if let Some(name) = &person {
                let id = person_id(p, name);
                if !out.persons.iter().any(|known| known.id == id) {
                    out.persons.push(PopoloPerson {
                        id,
                        name: name.clone(),
                    });
                }
            }
            let mut label = non_empty(&seat.represents);
            if seat.interim {
                label = Some(match label {
                    Some(l) => format!("{l} (interim)"),
                    None => "Interim".to_owned(),
                });
            }
            out.memberships.push(PopoloMembership {
                id: urn(seat_id.0),
                person_id: person.map(|name| person_id(p, &name)),
                organization_id: urn(body_id.0),
                post_id,
                role: seat.role.label().to_owned(),
                on_behalf_of_id: seat
                    .organisation_id
                    .filter(|_| !seat.independent)
                    .map(|o| urn(o.0)),
                label,
            });
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        Body, BodyKind, Membership, MembershipRole, Organisation, Partnership, Sector,
    };
    use crate::ids::{BodyId, MembershipId, OrganisationId, uuid_v7};
    use crate::test_text::{config, text};
    use proptest::prelude::*;

    /// Seed 001's Board: a councillor chairs as an independent person, and a member sits for
    /// the council; the same person also sits on a second body.
    #[test]
    fn seats_become_posts_and_memberships_on_behalf_of_their_organisation() {
        let p = PartnershipId(uuid_v7(1, [1; 10]));
        let council = OrganisationId(uuid_v7(2, [2; 10]));
        let board = BodyId(uuid_v7(3, [3; 10]));
        let group = BodyId(uuid_v7(3, [4; 10]));
        let mut snap = Snapshot::default();
        snap.partnerships.insert(
            p,
            Partnership {
                name: "Bath & North East Somerset LSP".into(),
                area: String::new(),
                description: String::new(),
                published: true,
                archived: false,
            },
        );
        snap.organisations.insert(
            council,
            Organisation {
                partnership_id: p,
                name: "Bath & North East Somerset Council".into(),
                sector: Sector::Public,
                named_partner: true,
                description: String::new(),
            },
        );
        for (id, name, kind) in [
            (board, "Partnership Board", BodyKind::Board),
            (
                group,
                "Community Safety Group",
                BodyKind::PriorityActionGroup,
            ),
        ] {
            snap.bodies.insert(
                id,
                Body {
                    partnership_id: p,
                    name: name.into(),
                    kind,
                    terms_of_reference: String::new(),
                },
            );
        }
        let seat = |n: u8, body, person: &str, role, independent| {
            (
                MembershipId(uuid_v7(4, [n; 10])),
                Membership {
                    partnership_id: p,
                    body_id: body,
                    organisation_id: Some(council),
                    person: person.into(),
                    role,
                    independent,
                    interim: false,
                    represents: String::new(),
                },
            )
        };
        for (id, m) in [
            seat(5, board, "A Councillor", MembershipRole::Chair, true),
            seat(6, board, "An Officer", MembershipRole::Member, false),
            seat(7, group, "an officer", MembershipRole::Member, false),
        ] {
            snap.memberships.insert(id, m);
        }

        let out = popolo(&snap, p).expect("the partnership is in the snapshot");
        assert_eq!(out.organizations.len(), 4, "{out:#?}");
        let board_org = out
            .organizations
            .iter()
            .find(|o| o.name == "Partnership Board")
            .expect("the board");
        assert_eq!(board_org.classification, "Board");
        assert_eq!(board_org.parent_id, Some(urn(p.0)));
        assert_eq!(out.posts.len(), 3);
        assert_eq!(
            out.persons.len(),
            2,
            "the officer is one person on two bodies"
        );
        let chair = out
            .memberships
            .iter()
            .find(|m| m.role == "Chair")
            .expect("the chair");
        assert_eq!(
            chair.on_behalf_of_id, None,
            "an independent chair sits for nobody"
        );
        let member = out
            .memberships
            .iter()
            .find(|m| m.role == "Member")
            .expect("a member");
        assert_eq!(member.on_behalf_of_id, Some(urn(council.0)));
        let json = serde_json::to_value(&out).expect("JSON");
        assert!(json["memberships"][0]["post_id"].is_string());
        assert!(popolo(&snap, PartnershipId(uuid_v7(9, [9; 10]))).is_none());
    }

    #[test]
    fn the_same_name_is_the_same_person_and_different_names_are_not() {
        let p = PartnershipId(Uuid::nil());
        assert_eq!(person_id(p, "Carole Gandy"), person_id(p, " carole gandy "));
        assert_ne!(person_id(p, "Carole Gandy"), person_id(p, "Carole-Gandy"));
        assert_ne!(person_id(p, "Zoë"), person_id(p, "Zoe"));
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn a_person_id_is_ascii_for_any_name(name in text(40)) {
            let id = person_id(PartnershipId(Uuid::nil()), &name);
            prop_assert!(id.is_ascii());
        }
    }
}
