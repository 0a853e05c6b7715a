//! The partnership's structure: partnerships, organisations, bodies, memberships, reporting
//! lines, the map and its outline.

use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Route};
use leptos_router::{MatchNestedRoutes, path};

use atlas_shared::{BodyId, MembershipId, OrganisationId, PartnershipId, ReportingLineId};

use crate::pages::delete::{
    DeleteBodyPage, DeleteLinePage, DeleteMembershipPage, DeleteOrganisationPage,
    DeletePartnershipPage,
};
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

/// The structure's addresses. A static segment is listed before the parameter it would also
/// match.
#[component(transparent)]
pub fn StructureRoutes() -> impl MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=path!("/partnerships") view=Outlet>
            <Route path=path!("/new") view=NewPartnershipPage />
            <Route path=path!("/:id") view=PartnershipPage />
            <Route path=path!("/:id/edit") view=EditPartnershipPage />
            <Route path=path!("/:id/map") view=PartnershipMapPage />
            <Route path=path!("/:id/outline") view=OutlinePage />
            <Route path=path!("/:id/delete") view=DeletePartnershipPage />
            <Route path=path!("/:id/bodies/new") view=NewBodyPage />
            <Route path=path!("/:id/organisations/new") view=NewOrganisationPage />
        </ParentRoute>
        <ParentRoute path=path!("/organisations/:id") view=Outlet>
            <Route path=path!("") view=OrganisationPage />
            <Route path=path!("/edit") view=EditOrganisationPage />
            <Route path=path!("/delete") view=DeleteOrganisationPage />
        </ParentRoute>
        <ParentRoute path=path!("/bodies/:id") view=Outlet>
            <Route path=path!("") view=BodyPage />
            <Route path=path!("/edit") view=EditBodyPage />
            <Route path=path!("/delete") view=DeleteBodyPage />
            <Route path=path!("/members/new") view=NewMembershipPage />
            <Route path=path!("/lines/new") view=NewLinePage />
        </ParentRoute>
        <ParentRoute path=path!("/memberships/:id") view=Outlet>
            <Route path=path!("/edit") view=EditMembershipPage />
            <Route path=path!("/delete") view=DeleteMembershipPage />
        </ParentRoute>
        <ParentRoute path=path!("/lines/:id") view=Outlet>
            <Route path=path!("/edit") view=EditLinePage />
            <Route path=path!("/delete") view=DeleteLinePage />
        </ParentRoute>
    }
    .into_inner()
}
