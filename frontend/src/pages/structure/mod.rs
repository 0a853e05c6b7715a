//! The partnership's structure: partnerships, organisations, bodies, memberships, reporting
//! lines, the map and its outline.

use atlas_shared::{EntityKind, Snapshot};
use uuid::Uuid;

use crate::components::Crumb;
use crate::pages::delete::{Described, delete_page};
use crate::pages::{home_href, partnership_crumbs};
use leptos::prelude::*;

use atlas_shared::{BodyId, MembershipId, OrganisationId, PartnershipId, ReportingLineId};

use body::{BodyPage, EditBodyPage, NewBodyPage};
use line::{EditLinePage, NewLinePage};
use map::PartnershipMapPage;
use membership::{EditMembershipPage, NewMembershipPage};
use organisation::{EditOrganisationPage, NewOrganisationPage, OrganisationPage};
use outline::OutlinePage;
use partnership::{EditPartnershipPage, NewPartnershipPage, PartnershipPage};

pub mod body;
pub mod line;
pub mod map;
pub mod map_canvas;
pub mod map_export;
pub mod map_panel;
pub mod map_tools;
pub mod membership;
pub mod organisation;
pub mod outline;
pub mod partnership;

pub fn partnership_href(id: PartnershipId) -> String {
    format!("/partnerships/{id}")
}

pub fn organisation_href(id: OrganisationId) -> String {
    format!("/organisations/{id}")
}

pub fn body_href(id: BodyId) -> String {
    format!("/bodies/{id}")
}

pub fn membership_href(id: MembershipId) -> String {
    format!("/memberships/{id}")
}

pub fn line_href(id: ReportingLineId) -> String {
    format!("/lines/{id}")
}

/// The partnership map; `body` selects a body (a deep link that survives reload).
pub fn map_href(p: PartnershipId, body: Option<BodyId>) -> String {
    match body {
        Some(b) => format!("/partnerships/{p}/map?body={b}"),
        None => format!("/partnerships/{p}/map"),
    }
}

/// The map with every body organisation `o` sits on picked out and framed.
pub fn map_organisation_href(p: PartnershipId, o: OrganisationId) -> String {
    format!("/partnerships/{p}/map?organisation={o}")
}

/// The structure as a navigable outline (the map's accessible alternative).
pub fn outline_href(p: PartnershipId) -> String {
    format!("/partnerships/{p}/outline")
}
// This area's pages, a part of the app fetched when one is first opened (`crate::parts`).
// A body's and an organisation's pages are in `more`, the part of pages seldom opened
// first: with them, a partnership's page fetched 148.4 KB brotli of page code; without, 90.2.
// The outline is a part of its own, not the map's: a first visit to the map does not show it.
crate::parts::part!(structure {
    map {
        PartnershipMapPage,
    },
    outline {
        OutlinePage,
    },
    structure {
        PartnershipPage,
    },
    more {
        OrganisationPage,
        BodyPage,
    },
    staff {
        NewPartnershipPage,
        EditPartnershipPage,
        DeletePartnershipPage,
        NewBodyPage,
        NewOrganisationPage,
        EditOrganisationPage,
        DeleteOrganisationPage,
        EditBodyPage,
        DeleteBodyPage,
        NewMembershipPage,
        NewLinePage,
        EditMembershipPage,
        DeleteMembershipPage,
        EditLinePage,
        DeleteLinePage,
    },
});

/// The structure's addresses: each page's path pattern (`atlas_shared::paths`). Where a text
/// segment and a `:name` could both match, the text wins.
pub const ROUTES: &[(&str, Page)] = &[
    ("/partnerships/new", Page::NewPartnershipPage),
    ("/partnerships/:id", Page::PartnershipPage),
    ("/partnerships/:id/edit", Page::EditPartnershipPage),
    ("/partnerships/:id/map", Page::PartnershipMapPage),
    ("/partnerships/:id/outline", Page::OutlinePage),
    ("/partnerships/:id/delete", Page::DeletePartnershipPage),
    ("/partnerships/:id/bodies/new", Page::NewBodyPage),
    (
        "/partnerships/:id/organisations/new",
        Page::NewOrganisationPage,
    ),
    ("/organisations/:id", Page::OrganisationPage),
    ("/organisations/:id/edit", Page::EditOrganisationPage),
    ("/organisations/:id/delete", Page::DeleteOrganisationPage),
    ("/bodies/:id", Page::BodyPage),
    ("/bodies/:id/edit", Page::EditBodyPage),
    ("/bodies/:id/delete", Page::DeleteBodyPage),
    ("/bodies/:id/members/new", Page::NewMembershipPage),
    ("/bodies/:id/lines/new", Page::NewLinePage),
    ("/memberships/:id/edit", Page::EditMembershipPage),
    ("/memberships/:id/delete", Page::DeleteMembershipPage),
    ("/lines/:id/edit", Page::EditLinePage),
    ("/lines/:id/delete", Page::DeleteLinePage),
];

// --- deleting --------------------------------------------------------------------------

fn body_crumbs(s: &Snapshot, b: BodyId) -> Vec<Crumb> {
    let Some(body) = s.bodies.get(&b) else {
        return vec![Crumb::link("Partnerships", home_href())];
    };
    let mut c = partnership_crumbs(s, body.partnership_id);
    c.push(Crumb::link(body.name.clone(), body_href(b)));
    c
}

/// How the delete page describes a structure record; `None` for other kinds.
pub fn delete_target(s: &Snapshot, kind: EntityKind, id: Uuid) -> Option<Described> {
    Some(match kind {
        EntityKind::Partnership => {
            let pid = PartnershipId(id);
            let p = s.partnerships.get(&pid)?;
            let crumbs = partnership_crumbs(s, pid);
            (p.name.clone(), partnership_href(pid), home_href(), crumbs)
        }
        EntityKind::Organisation => {
            let oid = OrganisationId(id);
            let o = s.organisations.get(&oid)?;
            let mut crumbs = partnership_crumbs(s, o.partnership_id);
            crumbs.push(Crumb::link(o.name.clone(), organisation_href(oid)));
            (
                o.name.clone(),
                organisation_href(oid),
                partnership_href(o.partnership_id),
                crumbs,
            )
        }
        EntityKind::Body => {
            let bid = BodyId(id);
            let b = s.bodies.get(&bid)?;
            (
                b.name.clone(),
                body_href(bid),
                partnership_href(b.partnership_id),
                body_crumbs(s, bid),
            )
        }
        EntityKind::Membership => {
            let m = s.memberships.get(&MembershipId(id))?;
            (
                format!("{}’s seat on {}", s.seat_name(m), s.body_name(m.body_id)),
                body_href(m.body_id),
                body_href(m.body_id),
                body_crumbs(s, m.body_id),
            )
        }
        EntityKind::ReportingLine => {
            let l = s.lines.get(&ReportingLineId(id))?;
            (
                format!(
                    "the reporting line from {} to {}",
                    s.body_name(l.from_body_id),
                    s.body_name(l.to_body_id)
                ),
                body_href(l.from_body_id),
                body_href(l.from_body_id),
                body_crumbs(s, l.from_body_id),
            )
        }
        _ => return None,
    })
}

/// `/partnerships/:id/delete`
#[component]
pub fn DeletePartnershipPage() -> impl IntoView {
    delete_page(EntityKind::Partnership)
}

/// `/organisations/:id/delete`
#[component]
pub fn DeleteOrganisationPage() -> impl IntoView {
    delete_page(EntityKind::Organisation)
}

/// `/bodies/:id/delete`
#[component]
pub fn DeleteBodyPage() -> impl IntoView {
    delete_page(EntityKind::Body)
}

/// `/memberships/:id/delete`
#[component]
pub fn DeleteMembershipPage() -> impl IntoView {
    delete_page(EntityKind::Membership)
}

/// `/lines/:id/delete`
#[component]
pub fn DeleteLinePage() -> impl IntoView {
    delete_page(EntityKind::ReportingLine)
}
