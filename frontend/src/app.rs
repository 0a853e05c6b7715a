//! The app: starts the store, provides it, and maps each address to its page.

use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::components::{Layout, PageNotFound};
use crate::data::Store;
use crate::pages::body::{BodyPage, EditBodyPage, NewBodyPage};
use crate::pages::capture::{CapturePage, KioskPage, PublicQuestionnairePage};
use crate::pages::delete::{
    DeleteBodyPage, DeleteGlossaryTermPage, DeleteLinePage, DeleteMembershipPage,
    DeleteOrganisationPage, DeletePartnershipPage, DeleteStepPage,
};
use crate::pages::device::DevicePage;
use crate::pages::glossary::{
    EditGlossaryTermPage, GlossaryPage, GlossaryTermPage, NewGlossaryTermPage,
};
use crate::pages::home::HomePage;
use crate::pages::induction::InductionPage;
use crate::pages::line::{EditLinePage, NewLinePage};
use crate::pages::map::PartnershipMapPage;
use crate::pages::membership::{EditMembershipPage, NewMembershipPage};
use crate::pages::organisation::{EditOrganisationPage, NewOrganisationPage, OrganisationPage};
use crate::pages::outline::OutlinePage;
use crate::pages::partnership::{EditPartnershipPage, NewPartnershipPage, PartnershipPage};
use crate::pages::present::PresentPage;
use crate::pages::steps::{EditStepPage, NewStepPage, StepPage, StepsPage};
// Consultation administration and the questionnaire builder.
use crate::pages::consultation::{
    ConsultationPage, ConsultationsPage, EditConsultationPage, EditEventPage, NewConsultationPage,
    NewEventPage,
};
use crate::pages::delete::{DeleteConsultationEventPage, DeleteConsultationPage};
use crate::pages::questionnaire::QuestionnairePage;
// Consultation results, exports and "you said, we did".
use crate::pages::results::ResultsPage;
use crate::pages::you_said::YouSaidPage;

#[component]
pub fn App() -> impl IntoView {
    let store = Store::start();
    provide_context(store);
    view! {
        <Router>
            <Layout>
                <Routes fallback=|| view! { <PageNotFound /> }>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/device") view=DevicePage />
                    // A static segment is listed before the parameter it would also match.
                    <ParentRoute path=path!("/partnerships") view=Outlet>
                        <Route path=path!("/new") view=NewPartnershipPage />
                        <Route path=path!("/:id") view=PartnershipPage />
                        <Route path=path!("/:id/edit") view=EditPartnershipPage />
                        <Route path=path!("/:id/map") view=PartnershipMapPage />
                        <Route path=path!("/:id/outline") view=OutlinePage />
                        <Route path=path!("/:id/present") view=PresentPage />
                        <Route path=path!("/:id/induction") view=InductionPage />
                        <Route path=path!("/:id/delete") view=DeletePartnershipPage />
                        <Route path=path!("/:id/bodies/new") view=NewBodyPage />
                        <Route path=path!("/:id/organisations/new") view=NewOrganisationPage />
                        <Route path=path!("/:id/glossary") view=GlossaryPage />
                        <Route path=path!("/:id/glossary/new") view=NewGlossaryTermPage />
                        <Route path=path!("/:id/steps") view=StepsPage />
                        <Route path=path!("/:id/steps/new") view=NewStepPage />
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
                    <ParentRoute path=path!("/glossary/:id") view=Outlet>
                        <Route path=path!("") view=GlossaryTermPage />
                        <Route path=path!("/edit") view=EditGlossaryTermPage />
                        <Route path=path!("/delete") view=DeleteGlossaryTermPage />
                    </ParentRoute>
                    // Consultation capture: staff, kiosk and the public questionnaire.
                    <Route path=path!("/consultations/:id/capture") view=CapturePage />
                    <Route path=path!("/consultations/:id/kiosk") view=KioskPage />
                    <Route path=path!("/consult/:id") view=PublicQuestionnairePage />
                    // Consultation results, exports and "you said, we did".
                    <Route path=path!("/consultations/:id/results") view=ResultsPage />
                    <Route path=path!("/consult/:id/you-said-we-did") view=YouSaidPage />
                    <ParentRoute path=path!("/steps/:id") view=Outlet>
                        <Route path=path!("") view=StepPage />
                        <Route path=path!("/edit") view=EditStepPage />
                        <Route path=path!("/delete") view=DeleteStepPage />
                    </ParentRoute>
                    // Consultation administration and the questionnaire builder.
                    <Route path=path!("/partnerships/:id/consultations") view=ConsultationsPage />
                    <Route
                        path=path!("/partnerships/:id/consultations/new")
                        view=NewConsultationPage
                    />
                    <Route path=path!("/consultations/:id") view=ConsultationPage />
                    <Route path=path!("/consultations/:id/edit") view=EditConsultationPage />
                    <Route path=path!("/consultations/:id/delete") view=DeleteConsultationPage />
                    <Route path=path!("/consultations/:id/questionnaire") view=QuestionnairePage />
                    <Route path=path!("/consultations/:id/events/new") view=NewEventPage />
                    <Route path=path!("/events/:id/edit") view=EditEventPage />
                    <Route path=path!("/events/:id/delete") view=DeleteConsultationEventPage />
                </Routes>
            </Layout>
        </Router>
    }
}
