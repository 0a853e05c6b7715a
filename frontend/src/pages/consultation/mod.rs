//! Consultations: their administration, the questionnaire builder, taking answers, results,
//! refused answers and "you said, we did".

use atlas_shared::{ConsultationEventId, EntityKind, Snapshot};
use uuid::Uuid;

use crate::pages::delete::{Described, delete_page};
use consultations::consultation_trail;
use leptos::prelude::*;

use atlas_shared::{ConsultationId, PartnershipId};

use capture::{CapturePage, KioskPage, PublicQuestionnairePage};
use consultations::{
    ConsultationPage, ConsultationsPage, EditConsultationPage, EditEventPage, NewConsultationPage,
    NewEventPage,
};
use questionnaire::QuestionnairePage;
use results::ResultsPage;
use you_said::YouSaidPage;

pub mod capture;
pub mod consultations;
pub mod questionnaire;
pub mod questionnaire_form;
pub mod refused;
pub mod results;
pub mod you_said;

/// A partnership's consultations.
pub fn consultations_href(p: PartnershipId) -> String {
    format!("/partnerships/{p}/consultations")
}

/// A consultation: its events, questionnaire, capture and results.
pub fn consultation_href(c: ConsultationId) -> String {
    format!("/consultations/{c}")
}

/// The questionnaire builder (the current version, and making a new one).
pub fn questionnaire_href(c: ConsultationId) -> String {
    format!("/consultations/{c}/questionnaire")
}

/// Staff capture on a tablet (staff-assisted or paper forms keyed in).
pub fn capture_href(c: ConsultationId) -> String {
    format!("/consultations/{c}/capture")
}

/// Kiosk mode: residents answer on the tablet themselves.
pub fn kiosk_href(c: ConsultationId) -> String {
    format!("/consultations/{c}/kiosk")
}

/// The results page (and exports, imports, moderation).
pub fn results_href(c: ConsultationId) -> String {
    format!("/consultations/{c}/results")
}

/// The public questionnaire residents open at home (channel: online).
pub fn public_questionnaire_href(c: ConsultationId) -> String {
    format!("/consult/{c}")
}

/// The public "you said, we did" page.
pub fn you_said_href(c: ConsultationId) -> String {
    format!("/consult/{c}/you-said-we-did")
}
// This area's pages, a part of the app fetched when one is first opened (`crate::parts`).
// "You said, we did" is in `more`, the part of pages seldom opened first: reading the
// published results is a third of what the public questionnaire's part fetched (132.8 KB
// brotli with it, 96.7 without), and a part of its own made every page's code into more,
// smaller files (the map and a partnership's page 5 and 7 KB more).
crate::parts::part!(consultation {
    questionnaire {
        PublicQuestionnairePage,
    },
    more {
        YouSaidPage,
    },
    staff {
        ConsultationsPage,
        NewConsultationPage,
        ConsultationPage,
        EditConsultationPage,
        DeleteConsultationPage,
        QuestionnairePage,
        NewEventPage,
        CapturePage,
        KioskPage,
        ResultsPage,
        EditEventPage,
        DeleteConsultationEventPage,
    },
});

/// The consultation area's addresses: each page's path pattern (`atlas_shared::paths`).
pub const ROUTES: &[(&str, Page)] = &[
    ("/partnerships/:id/consultations", Page::ConsultationsPage),
    (
        "/partnerships/:id/consultations/new",
        Page::NewConsultationPage,
    ),
    ("/consultations/:id", Page::ConsultationPage),
    ("/consultations/:id/edit", Page::EditConsultationPage),
    ("/consultations/:id/delete", Page::DeleteConsultationPage),
    ("/consultations/:id/questionnaire", Page::QuestionnairePage),
    ("/consultations/:id/events/new", Page::NewEventPage),
    ("/consultations/:id/capture", Page::CapturePage),
    ("/consultations/:id/kiosk", Page::KioskPage),
    ("/consultations/:id/results", Page::ResultsPage),
    ("/events/:id/edit", Page::EditEventPage),
    ("/events/:id/delete", Page::DeleteConsultationEventPage),
    ("/consult/:id", Page::PublicQuestionnairePage),
    ("/consult/:id/you-said-we-did", Page::YouSaidPage),
];

// --- deleting --------------------------------------------------------------------------

/// How the delete page describes a consultation's administration: a consultation goes back to
/// the list, an event to its consultation; `None` for other kinds (its versions, responses and
/// findings have no pages of their own and go back to the partnership).
pub fn delete_target(s: &Snapshot, kind: EntityKind, id: Uuid) -> Option<Described> {
    Some(match kind {
        EntityKind::Consultation => {
            let cid = ConsultationId(id);
            let c = s.consultations.get(&cid)?;
            (
                format!("the consultation “{}”", c.title),
                consultation_href(cid),
                consultations_href(c.partnership_id),
                consultation_trail(s, cid),
            )
        }
        EntityKind::ConsultationEvent => {
            let e = s.consultation_events.get(&ConsultationEventId(id))?;
            (
                format!("the event “{}”", e.name),
                consultation_href(e.consultation_id),
                consultation_href(e.consultation_id),
                consultation_trail(s, e.consultation_id),
            )
        }
        _ => return None,
    })
}

/// `/consultations/:id/delete`
#[component]
pub fn DeleteConsultationPage() -> impl IntoView {
    delete_page(EntityKind::Consultation)
}

/// `/events/:id/delete`
#[component]
pub fn DeleteConsultationEventPage() -> impl IntoView {
    delete_page(EntityKind::ConsultationEvent)
}
