//! Training: the glossary, presentation steps, presentation mode and the induction pack.

use atlas_shared::{EntityKind, Snapshot};
use uuid::Uuid;

use crate::components::Crumb;
use crate::pages::delete::{Described, delete_page};
use crate::pages::partnership_crumbs;
use leptos::prelude::*;

use atlas_shared::{GlossaryTermId, PartnershipId, PresentationStepId};

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
// This area's pages, a part of the app fetched when one is first opened (`crate::parts`).
crate::parts::part!(training {
    staff {
        PresentPage,
        InductionPage,
        GlossaryPage,
        NewGlossaryTermPage,
        StepsPage,
        NewStepPage,
        GlossaryTermPage,
        EditGlossaryTermPage,
        DeleteGlossaryTermPage,
        StepPage,
        EditStepPage,
        DeleteStepPage,
    },
});

/// Training's addresses: each page's path pattern (`atlas_shared::paths`).
pub const ROUTES: &[(&str, Page)] = &[
    ("/partnerships/:id/present", Page::PresentPage),
    ("/partnerships/:id/induction", Page::InductionPage),
    ("/partnerships/:id/glossary", Page::GlossaryPage),
    ("/partnerships/:id/glossary/new", Page::NewGlossaryTermPage),
    ("/partnerships/:id/steps", Page::StepsPage),
    ("/partnerships/:id/steps/new", Page::NewStepPage),
    ("/glossary/:id", Page::GlossaryTermPage),
    ("/glossary/:id/edit", Page::EditGlossaryTermPage),
    ("/glossary/:id/delete", Page::DeleteGlossaryTermPage),
    ("/steps/:id", Page::StepPage),
    ("/steps/:id/edit", Page::EditStepPage),
    ("/steps/:id/delete", Page::DeleteStepPage),
];

// --- deleting --------------------------------------------------------------------------

/// How the delete page describes a training record; `None` for other kinds.
pub fn delete_target(s: &Snapshot, kind: EntityKind, id: Uuid) -> Option<Described> {
    Some(match kind {
        EntityKind::GlossaryTerm => {
            let g = s.glossary.get(&GlossaryTermId(id))?;
            let mut crumbs = partnership_crumbs(s, g.partnership_id);
            crumbs.push(Crumb::link("Glossary", glossary_href(g.partnership_id)));
            (
                format!("“{}” from the glossary", g.term),
                glossary_href(g.partnership_id),
                glossary_href(g.partnership_id),
                crumbs,
            )
        }
        EntityKind::PresentationStep => {
            let step = s.steps.get(&PresentationStepId(id))?;
            let mut crumbs = partnership_crumbs(s, step.partnership_id);
            crumbs.push(Crumb::link(
                "Presentation steps",
                steps_href(step.partnership_id),
            ));
            (
                format!("the step “{}”", step.title),
                steps_href(step.partnership_id),
                steps_href(step.partnership_id),
                crumbs,
            )
        }
        _ => return None,
    })
}

/// `/glossary/:id/delete`
#[component]
pub fn DeleteGlossaryTermPage() -> impl IntoView {
    delete_page(EntityKind::GlossaryTerm)
}

/// `/steps/:id/delete`
#[component]
pub fn DeleteStepPage() -> impl IntoView {
    delete_page(EntityKind::PresentationStep)
}
