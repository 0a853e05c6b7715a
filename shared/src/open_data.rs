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
//! - reporting lines have no Popolo equivalent and are left out;
//! - each meeting is an `Event` (Popolo's event, as Open Civic Data uses it): named by who met
//!   and the day, its `start_date` the ISO date (with the time when known), its `location`
//!   the venue, its `status` Open Civic Data's word for where it stands (scheduled is
//!   "confirmed", held "passed", cancelled "cancelled"), its `organization_id` the body that
//!   met or, for a council committee, the council's organisation, and its agenda items in
//!   order (number, title, outcome). Minutes are not in the export.
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
use crate::scrutiny::meetings::{agenda_of, meetings_of, who_met};
use crate::scrutiny::{Meeting, MeetingStatus};
use crate::text::fold_case;

/// A Popolo export: the arrays Popolo's JSON serialisation names.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Popolo {
    pub persons: Vec<PopoloPerson>,
    pub organizations: Vec<PopoloOrganization>,
    pub posts: Vec<PopoloPost>,
    pub memberships: Vec<PopoloMembership>,
    pub events: Vec<PopoloEvent>,
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

/// A meeting, as Popolo's (and Open Civic Data's) `Event`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PopoloEvent {
    pub id: String,
    /// Who met and the day: "Overview and Scrutiny Committee, Redditch Borough Council, 25
    /// November 2009".
    pub name: String,
    /// `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM` when the start time is known (local time, as
    /// the meeting's papers give it).
    pub start_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// "confirmed", "passed" or "cancelled".
    pub status: String,
    /// The body that met, or the council whose committee met; left out when that record is
    /// not in the export (deleted, or not the reader's to see).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    pub agenda: Vec<PopoloAgendaItem>,
}

/// One item of an event's agenda.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PopoloAgendaItem {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
}

/// Open Civic Data's status of an event.
pub fn event_status(status: MeetingStatus) -> &'static str {
    match status {
        MeetingStatus::Scheduled => "confirmed",
        MeetingStatus::Held => "passed",
        MeetingStatus::Cancelled => "cancelled",
    }
}

/// A meeting's start as Popolo writes dates: the day, with `THH:MM` when the time is known.
fn start_date(m: &Meeting) -> String {
    match crate::scrutiny::meetings::parse_time(&m.time) {
        Some((h, min)) => format!("{}T{h:02}:{min:02}", m.date),
        None => m.date.to_string(),
    }
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
    for (id, m) in meetings_of(snapshot, p) {
        let organization_id = match (m.body_id, m.council_id) {
            (Some(b), _) => snapshot
                .bodies
                .get(&b)
                .is_some_and(|x| x.partnership_id == p)
                .then(|| urn(b.0)),
            (None, Some(c)) => snapshot
                .organisations
                .get(&c)
                .is_some_and(|x| x.partnership_id == p)
                .then(|| urn(c.0)),
            (None, None) => None,
        };
        out.events.push(PopoloEvent {
            id: urn(id.0),
            name: format!("{}, {}", who_met(snapshot, m), m.date.long()),
            start_date: start_date(m),
            location: non_empty(&m.venue),
            status: event_status(m.status).to_owned(),
            organization_id,
            agenda: agenda_of(snapshot, id)
                .into_iter()
                .map(|(_, a)| PopoloAgendaItem {
                    number: non_empty(&a.number),
                    title: a.title.trim().to_owned(),
                    outcome: non_empty(&a.outcome),
                })
                .collect(),
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::IsoDate;
    use crate::domain::{
        Body, BodyKind, Membership, MembershipRole, Organisation, Partnership, Sector,
    };
    use crate::ids::{BodyId, MembershipId, OrganisationId, uuid_v7};
    use crate::test_text::{config, text};
    use proptest::prelude::*;

    /// A snapshot holding partnership `p` and its council.
    fn with_council(
        p: PartnershipId,
        name: &str,
        council: OrganisationId,
        council_name: &str,
    ) -> Snapshot {
        let mut snap = Snapshot::default();
        snap.partnerships.insert(
            p,
            Partnership {
                name: name.into(),
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
                name: council_name.into(),
                sector: Sector::Public,
                named_partner: true,
                description: String::new(),
            },
        );
        snap
    }

    /// Seed 001's Board: a councillor chairs as an independent person, and a member sits for
    /// the council; the same person also sits on a second body.
    #[test]
    fn seats_become_posts_and_memberships_on_behalf_of_their_organisation() {
        let p = PartnershipId(uuid_v7(1, [1; 10]));
        let council = OrganisationId(uuid_v7(2, [2; 10]));
        let board = BodyId(uuid_v7(3, [3; 10]));
        let group = BodyId(uuid_v7(3, [4; 10]));
        let mut snap = with_council(
            p,
            "Bath & North East Somerset LSP",
            council,
            "Bath & North East Somerset Council",
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

    /// Seed 000: item 126 of Redditch's Overview and Scrutiny Committee on 25 November 2009
    /// ("the report noted"), beside a Board meeting to come and a cancelled one.
    #[test]
    fn meetings_become_events_with_open_civic_data_statuses_and_their_agendas() {
        use crate::scrutiny::{AgendaItem, AgendaItemId, Meeting, MeetingId, ReportType};
        let p = PartnershipId(uuid_v7(1, [1; 10]));
        let council = OrganisationId(uuid_v7(2, [2; 10]));
        let board = BodyId(uuid_v7(3, [3; 10]));
        let gone = BodyId(uuid_v7(3, [9; 10]));
        let mut snap = with_council(
            p,
            "Redditch Partnership",
            council,
            "Redditch Borough Council",
        );
        snap.bodies.insert(
            board,
            Body {
                partnership_id: p,
                name: "Partnership Management Board".into(),
                kind: BodyKind::Board,
                terms_of_reference: String::new(),
            },
        );
        let meeting = |body_id, council_id, committee: &str, date, time: &str, status| Meeting {
            partnership_id: p,
            body_id,
            council_id,
            committee: committee.into(),
            date,
            time: time.into(),
            venue: String::new(),
            status,
            note: String::new(),
        };
        let scrutiny = MeetingId(uuid_v7(5, [5; 10]));
        let coming = MeetingId(uuid_v7(6, [6; 10]));
        let called_off = MeetingId(uuid_v7(7, [7; 10]));
        snap.meetings.insert(
            scrutiny,
            Meeting {
                venue: " Town Hall, Redditch ".into(),
                ..meeting(
                    None,
                    Some(council),
                    crate::seeds::OVERVIEW_AND_SCRUTINY,
                    IsoDate::known(2009, 11, 25),
                    "19:00",
                    MeetingStatus::Held,
                )
            },
        );
        snap.meetings.insert(
            coming,
            meeting(
                Some(board),
                None,
                "",
                IsoDate::known(2011, 9, 12),
                "",
                MeetingStatus::Scheduled,
            ),
        );
        snap.meetings.insert(
            called_off,
            meeting(
                Some(gone),
                None,
                "",
                IsoDate::known(2011, 3, 1),
                "",
                MeetingStatus::Cancelled,
            ),
        );
        let item = |number: &str, title: &str, outcome: &str| AgendaItem {
            partnership_id: p,
            meeting_id: scrutiny,
            number: number.into(),
            title: title.into(),
            report_type: ReportType::Presentation,
            summary: "Not exported".into(),
            outcome: outcome.into(),
            documents: Vec::new(),
            concerns: Vec::new(),
        };
        snap.agenda_items.insert(
            AgendaItemId(uuid_v7(8, [8; 10])),
            item("127", "Work programme", ""),
        );
        snap.agenda_items.insert(
            AgendaItemId(uuid_v7(8, [9; 10])),
            item(
                "126",
                "Local Strategic Partnership (LSP)",
                "The report was noted.",
            ),
        );

        let out = popolo(&snap, p).expect("the partnership");
        let events: Vec<(&str, &str, &str)> = out
            .events
            .iter()
            .map(|e| (e.name.as_str(), e.start_date.as_str(), e.status.as_str()))
            .collect();
        assert_eq!(
            events,
            [
                (
                    "Overview and Scrutiny Committee, Redditch Borough Council, 25 November 2009",
                    "2009-11-25T19:00",
                    "passed"
                ),
                (
                    "A body no longer in the partnership, 1 March 2011",
                    "2011-03-01",
                    "cancelled"
                ),
                (
                    "Partnership Management Board, 12 September 2011",
                    "2011-09-12",
                    "confirmed"
                ),
            ]
        );
        let held = &out.events[0];
        assert_eq!(held.id, urn(scrutiny.0));
        assert_eq!(held.location.as_deref(), Some("Town Hall, Redditch"));
        assert_eq!(
            held.organization_id,
            Some(urn(council.0)),
            "a committee's meeting belongs to its council"
        );
        let agenda: Vec<(Option<&str>, &str, Option<&str>)> = held
            .agenda
            .iter()
            .map(|a| (a.number.as_deref(), a.title.as_str(), a.outcome.as_deref()))
            .collect();
        assert_eq!(
            agenda,
            [
                (
                    Some("126"),
                    "Local Strategic Partnership (LSP)",
                    Some("The report was noted.")
                ),
                (Some("127"), "Work programme", None),
            ]
        );
        assert_eq!(out.events[2].organization_id, Some(urn(board.0)));
        assert_eq!(out.events[2].location, None);
        assert_eq!(
            out.events[1].organization_id, None,
            "no id of an organization the export does not hold"
        );
        let json = serde_json::to_value(&out).expect("JSON");
        assert_eq!(
            json["events"][0]["agenda"][0]["title"],
            "Local Strategic Partnership (LSP)"
        );
        assert!(json["events"][1].get("location").is_none());
        assert!(!json.to_string().contains("Not exported"));
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
