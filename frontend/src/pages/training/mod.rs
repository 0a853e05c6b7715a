//! Training: the glossary, presentation steps, presentation mode and the induction pack.

use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Route};
use leptos_router::{MatchNestedRoutes, path};

use atlas_shared::{GlossaryTermId, PartnershipId, PresentationStepId};

use crate::pages::delete::{DeleteGlossaryTermPage, DeleteStepPage};
use glossary::{EditGlossaryTermPage, GlossaryPage, GlossaryTermPage, NewGlossaryTermPage};
use induction::InductionPage;
use present::PresentPage;
use steps::{EditStepPage, NewStepPage, StepPage, StepsPage};

pub mod glossary;
pub mod induction;
pub mod present;
pub mod steps;

pub fn glossary_href(p: PartnershipId) -> String {
    format!("/partnerships/{p}/glossary")
}

pub fn glossary_term_href(id: GlossaryTermId) -> String {
    format!("/glossary/{id}")
}

/// The list of presentation steps, where the manager edits them.
pub fn steps_href(p: PartnershipId) -> String {
    format!("/partnerships/{p}/steps")
}

pub fn step_href(id: PresentationStepId) -> String {
    format!("/steps/{id}")
}

/// Presentation mode, at step `n` (0-based).
pub fn present_href(p: PartnershipId, n: usize) -> String {
    format!("/partnerships/{p}/present?step={}", n + 1)
}

/// The printable induction pack.
pub fn induction_href(p: PartnershipId) -> String {
    format!("/partnerships/{p}/induction")
}

/// Training's addresses.
#[component(transparent)]
pub fn TrainingRoutes() -> impl MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=path!("/partnerships/:id") view=Outlet>
            <Route path=path!("/present") view=PresentPage />
            <Route path=path!("/induction") view=InductionPage />
            <Route path=path!("/glossary") view=GlossaryPage />
            <Route path=path!("/glossary/new") view=NewGlossaryTermPage />
            <Route path=path!("/steps") view=StepsPage />
            <Route path=path!("/steps/new") view=NewStepPage />
        </ParentRoute>
        <ParentRoute path=path!("/glossary/:id") view=Outlet>
            <Route path=path!("") view=GlossaryTermPage />
            <Route path=path!("/edit") view=EditGlossaryTermPage />
            <Route path=path!("/delete") view=DeleteGlossaryTermPage />
        </ParentRoute>
        <ParentRoute path=path!("/steps/:id") view=Outlet>
            <Route path=path!("") view=StepPage />
            <Route path=path!("/edit") view=EditStepPage />
            <Route path=path!("/delete") view=DeleteStepPage />
        </ParentRoute>
    }
    .into_inner()
}
