//! The app's addresses (`atlas_frontend::app::routes`): every page has one, none is hidden by
//! another, and the lookup never depends on the order the areas list them in.

use std::collections::BTreeMap;

use atlas_frontend::app::{AppPage, routes};
use atlas_frontend::pages::scrutiny::{meeting_routes as meetings, reviews};
use atlas_frontend::pages::strategy::funds;
use atlas_frontend::pages::{accounts, consultation, device, home, strategy, structure, training};
use atlas_shared::paths::match_path;
use wasm_bindgen_test::*;

/// A value no text segment of any address equals.
const VALUE: &str = "0199c0de-0000-7000-8000-000000000001";

fn filled(pattern: &str) -> String {
    pattern
        .split('/')
        .map(|segment| {
            if segment.starts_with(':') {
                VALUE
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[wasm_bindgen_test]
fn every_page_of_every_area_has_an_address() {
    let table = routes();
    let routed = |page: AppPage| table.iter().any(|(_, p)| *p == page);
    let mut pages: Vec<AppPage> = home::Page::ALL.iter().map(|p| AppPage::Home(*p)).collect();
    pages.extend(device::Page::ALL.iter().map(|p| AppPage::Device(*p)));
    pages.extend(accounts::Page::ALL.iter().map(|p| AppPage::Accounts(*p)));
    pages.extend(structure::Page::ALL.iter().map(|p| AppPage::Structure(*p)));
    pages.extend(training::Page::ALL.iter().map(|p| AppPage::Training(*p)));
    pages.extend(
        consultation::Page::ALL
            .iter()
            .map(|p| AppPage::Consultation(*p)),
    );
    pages.extend(strategy::Page::ALL.iter().map(|p| AppPage::Strategy(*p)));
    pages.extend(funds::Page::ALL.iter().map(|p| AppPage::Funds(*p)));
    pages.extend(reviews::Page::ALL.iter().map(|p| AppPage::Reviews(*p)));
    pages.extend(meetings::Page::ALL.iter().map(|p| AppPage::Meetings(*p)));
    let missing: Vec<&AppPage> = pages.iter().filter(|p| !routed(**p)).collect();
    assert!(missing.is_empty(), "pages with no address: {missing:?}");
}

#[wasm_bindgen_test]
fn every_address_shows_its_own_page_and_no_two_have_the_same_shape() {
    let table = routes();
    let mut shapes: BTreeMap<String, &str> = BTreeMap::new();
    for (pattern, page) in &table {
        let shape: String = pattern
            .split('/')
            .map(|s| if s.starts_with(':') { ":" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        if let Some(other) = shapes.insert(shape, pattern) {
            panic!("{pattern} and {other} match the same addresses");
        }
        let path = filled(pattern);
        let found = match_path(&table, &path).map(|m| m.page);
        assert_eq!(
            found,
            Some(*page),
            "{path} (from {pattern}) shows {found:?}"
        );
    }
    assert_eq!(
        match_path(&table, "/no/such/page").map(|m| m.page),
        None,
        "an address that is no page"
    );
}

/// `frontend/parts-by-address.txt`: which part each address's page is in, which the release
/// build reads so that a first visit fetches the app's core and its page's part together
/// (`xtask/src/packs.rs`). It must be the app's own table, in its order.
#[wasm_bindgen_test]
fn the_release_builds_list_of_each_addresses_part_is_the_apps() {
    let expected: String = routes()
        .iter()
        .map(|(pattern, page)| format!("{pattern} {}\n", page.part()))
        .collect();
    let listed: String = include_str!("../../parts-by-address.txt")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect();
    assert!(
        listed == expected,
        "frontend/parts-by-address.txt, below its comments, must be:\n{expected}"
    );
}
