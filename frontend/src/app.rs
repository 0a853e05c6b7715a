//! The app: starts the store, provides it, and maps each address to its page.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::{Layout, PageNotFound};
use crate::data::Store;
use crate::pages::accounts::AccountsRoutes;
use crate::pages::consultation::ConsultationRoutes;
use crate::pages::device::DevicePage;
use crate::pages::home::HomePage;
use crate::pages::scrutiny::MeetingRoutes;
use crate::pages::scrutiny::ReviewRoutes;
use crate::pages::strategy::StrategyRoutes;
use crate::pages::strategy::funds::FundRoutes;
use crate::pages::structure::StructureRoutes;
use crate::pages::training::TrainingRoutes;

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
                    // Each area lists its own addresses (`pages/<area>/mod.rs`).
                    <AccountsRoutes />
                    <StructureRoutes />
                    <TrainingRoutes />
                    <ConsultationRoutes />
                    <StrategyRoutes />
                    <FundRoutes />
                    <ReviewRoutes />
                    <MeetingRoutes />
                </Routes>
            </Layout>
        </Router>
    }
}
