//! The app: starts the store, provides it, and shows the page the address names.
//!
//! Addresses are looked up in one table of path patterns (each area's `ROUTES`, matched by
//! `atlas_shared::paths`) rather than declared as one router component per page: the table is
//! data, so the app's core, which every first visit downloads, carries no per-page routing
//! code. leptos_router still keeps the address: links, back and forward, `use_navigate` and
//! the query string.

use atlas_shared::paths::{Matched, Params, match_path};
use leptos::context::Provider;
use leptos::prelude::*;
use leptos_router::components::Router;
use leptos_router::hooks::use_location;
use leptos_router::location::{BrowserUrl, LocationProvider};

use crate::components::{Layout, PageNotFound};
use crate::data::Store;
use crate::pages::scrutiny::{meeting_routes as meetings, reviews};
use crate::pages::strategy::funds;
use crate::pages::{
    RouteParams, accounts, consultation, device, home, strategy, structure, training,
};

#[component]
pub fn App() -> impl IntoView {
    let store = Store::start();
    provide_context(store);
    view! {
        <Router>
            <Layout>
                <Pages />
            </Layout>
        </Router>
    }
}

/// A page of the app: a page of one of the parts (`crate::parts`), by area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppPage {
    Home(home::Page),
    Device(device::Page),
    Accounts(accounts::Page),
    Structure(structure::Page),
    Training(training::Page),
    Consultation(consultation::Page),
    Strategy(strategy::Page),
    Funds(funds::Page),
    Reviews(reviews::Page),
    Meetings(meetings::Page),
}

impl AppPage {
    /// The part the page is in (`crate::parts`).
    pub const fn part(self) -> &'static str {
        match self {
            AppPage::Home(p) => p.part(),
            AppPage::Device(p) => p.part(),
            AppPage::Accounts(p) => p.part(),
            AppPage::Structure(p) => p.part(),
            AppPage::Training(p) => p.part(),
            AppPage::Consultation(p) => p.part(),
            AppPage::Strategy(p) => p.part(),
            AppPage::Funds(p) => p.part(),
            AppPage::Reviews(p) => p.part(),
            AppPage::Meetings(p) => p.part(),
        }
    }
}

/// Every page's path pattern.
pub fn routes() -> Vec<(&'static str, AppPage)> {
    fn each<P: Copy>(
        routes: &'static [(&'static str, P)],
        page: fn(P) -> AppPage,
    ) -> impl Iterator<Item = (&'static str, AppPage)> {
        routes.iter().map(move |(path, p)| (*path, page(*p)))
    }
    let mut all = Vec::new();
    all.extend(each(home::ROUTES, AppPage::Home));
    all.extend(each(device::ROUTES, AppPage::Device));
    all.extend(each(accounts::ROUTES, AppPage::Accounts));
    all.extend(each(structure::ROUTES, AppPage::Structure));
    all.extend(each(training::ROUTES, AppPage::Training));
    all.extend(each(consultation::ROUTES, AppPage::Consultation));
    all.extend(each(strategy::ROUTES, AppPage::Strategy));
    all.extend(each(funds::ROUTES, AppPage::Funds));
    all.extend(each(reviews::ROUTES, AppPage::Reviews));
    all.extend(each(meetings::ROUTES, AppPage::Meetings));
    all
}

/// The page the address names, with its `:name` segments given to it ([`RouteParams`]). The
/// page is built again only when the address names another page: `/partnerships/a/map` to
/// `/partnerships/b/map` keeps the map and changes its parameters.
///
/// A link followed inside the app changes the router's address at once, and the router puts
/// it in the browser's address bar and history only when told the new page is ready (as its
/// own `<Routes>` does): here, as soon as the page has been chosen. A page whose part is
/// still on its way says so itself.
#[component]
pub fn Pages() -> impl IntoView {
    let location = use_location();
    let browser_url = use_context::<BrowserUrl>();
    Effect::new(move |_| {
        location.pathname.track();
        if let Some(url) = &browser_url {
            url.ready_to_complete();
        }
    });
    let table = routes();
    let matched: Memo<Option<Matched<AppPage>>> =
        Memo::new(move |_| location.pathname.with(|path| match_path(&table, path)));
    let page = Memo::new(move |_| matched.with(|m| m.as_ref().map(|m| m.page)));
    move || {
        let current = page.get();
        // This page's values only: when the address moves to another page, the page on its
        // way out keeps its own rather than reading the next page's ids (and saying, for a
        // moment, that its record is not on this device).
        let params = Memo::new(move |kept: Option<&Params>| {
            matched.with(|m| match m {
                Some(m) if Some(m.page) == current => m.params.clone(),
                _ => kept.cloned().unwrap_or_default(),
            })
        });
        view! {
            <Provider value=RouteParams(params)>
                {match current {
                    None => view! { <PageNotFound /> }.into_any(),
                    Some(AppPage::Home(p)) => home::lazy(p),
                    Some(AppPage::Device(p)) => device::lazy(p),
                    Some(AppPage::Accounts(p)) => accounts::lazy(p),
                    Some(AppPage::Structure(p)) => structure::lazy(p),
                    Some(AppPage::Training(p)) => training::lazy(p),
                    Some(AppPage::Consultation(p)) => consultation::lazy(p),
                    Some(AppPage::Strategy(p)) => strategy::lazy(p),
                    Some(AppPage::Funds(p)) => funds::lazy(p),
                    Some(AppPage::Reviews(p)) => reviews::lazy(p),
                    Some(AppPage::Meetings(p)) => meetings::lazy(p),
                }}
            </Provider>
        }
    }
}
