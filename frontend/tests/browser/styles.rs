//! The areas' sheets (`atlas_frontend::styles`): inserted once each, and always in the
//! cascade's order whichever part came first.

use atlas_frontend::styles::{self, NAMES};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

fn head() -> web_sys::HtmlHeadElement {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.head())
        .expect("a document with a head")
}

/// The `data-sheet` of each `<style>` in the head, in document order.
fn inserted() -> Vec<String> {
    let found = head()
        .query_selector_all("style[data-sheet]")
        .expect("a valid selector");
    (0..found.length())
        .filter_map(|i| found.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .filter_map(|e| e.get_attribute("data-sheet"))
        .collect()
}

fn remove(name: &str) {
    if let Ok(Some(style)) = head().query_selector(&format!("style[data-sheet=\"{name}\"]")) {
        style.remove();
    }
}

#[wasm_bindgen_test]
fn a_sheet_inserted_later_goes_in_its_place_in_the_cascade_and_only_once() {
    // Whatever earlier tests inserted, the questionnaire's sheet goes in first and then the
    // map's, which comes before it in the cascade; the page is left with both, as a visit to
    // both parts would leave it.
    remove("structure");
    remove("capture");
    styles::questionnaire();
    styles::map();
    styles::map();
    let names = inserted();
    assert_eq!(
        names.iter().filter(|n| *n == "structure").count(),
        1,
        "{names:?}"
    );
    let places: Vec<usize> = names
        .iter()
        .map(|n| {
            NAMES
                .iter()
                .position(|known| known == n)
                .unwrap_or_else(|| panic!("a sheet no part inserts: {n}"))
        })
        .collect();
    assert!(
        places.windows(2).all(|w| w[0] < w[1]),
        "the sheets are not in the cascade's order {NAMES:?}: {names:?}"
    );
    assert!(names.contains(&"capture".to_owned()), "{names:?}");
}

#[wasm_bindgen_test]
fn more_and_staff_insert_every_sheet_in_order() {
    styles::staff();
    styles::more();
    assert_eq!(inserted(), NAMES.to_vec());
}
