//! An area's own styles, inserted by the parts whose pages use them.
//!
//! `style.css`, loaded with every page, holds what all pages use. The styles of the map, of
//! the outline, of the training pages, of consultations, of their results, and of strategy and scrutiny are
//! each a sheet in `src/styles/` (answering a questionnaire apart from the rest of
//! consultations), compiled into the code of the parts that show them: each
//! part's `render` (`crate::parts::part!`) calls its function here before its page is
//! drawn, so a page is never drawn without its styles, offline too (the sheet is in the part,
//! which the service worker keeps). A first visit to the home page, a partnership's page, the
//! map or a public questionnaire then downloads only the styles it uses.
//!
//! Each sheet is compiled in without its comments and indentation
//! (`atlas_shared::css::compact`). The server's content security policy allows these
//! `<style>` elements by their hashes (`backend/src/http/security.rs` compacts the same files
//! the same way). The end-to-end test of the parts opens a page of every part afresh and
//! checks that every class on it that the app styles is styled (`tests/tests/e2e/parts.rs`).

/// A sheet of `src/styles/`.
pub struct Sheet {
    /// Where it is in the cascade: its name's index in [`NAMES`].
    place: usize,
    css: &'static str,
}

/// Every sheet's name (its file's stem and its `<style>` element's `data-sheet`) in the
/// order they were in one file: a sheet inserted later still goes in this place among the
/// others, so the cascade is the same whichever page came first.
///
/// Names, not the sheets: what places a sheet must not refer to the others' text, or the
/// bundle's splitter would put every sheet in the code of every part that inserts one (it
/// did: the map's first load carried all seven, 5 KB more than its own).
pub const NAMES: [&str; 7] = [
    "structure",
    "outline",
    "training",
    "consultation",
    "capture",
    "results",
    "plans",
];

/// The partnership map (its page, and in presentation mode).
pub const STRUCTURE: Sheet = Sheet {
    place: 0,
    css: atlas_shared::compact_css!(include_str!("styles/structure.css")),
};
/// The structure as an outline.
pub const OUTLINE: Sheet = Sheet {
    place: 1,
    css: atlas_shared::compact_css!(include_str!("styles/outline.css")),
};
/// Presentation mode and the induction pack.
pub const TRAINING: Sheet = Sheet {
    place: 2,
    css: atlas_shared::compact_css!(include_str!("styles/training.css")),
};
/// Consultation administration and the questionnaire builder.
pub const CONSULTATION: Sheet = Sheet {
    place: 3,
    css: atlas_shared::compact_css!(include_str!("styles/consultation.css")),
};
/// Answering a questionnaire: capture, kiosk mode, the public questionnaire.
pub const CAPTURE: Sheet = Sheet {
    place: 4,
    css: atlas_shared::compact_css!(include_str!("styles/capture.css")),
};
/// Consultation results, exports and "you said, we did".
pub const RESULTS: Sheet = Sheet {
    place: 5,
    css: atlas_shared::compact_css!(include_str!("styles/results.css")),
};
/// Strategy and scrutiny.
pub const PLANS: Sheet = Sheet {
    place: 6,
    css: atlas_shared::compact_css!(include_str!("styles/plans.css")),
};

/// Every sheet, in [`NAMES`]' order: what `more` and `staff` insert.
const ALL: [&Sheet; 7] = [
    &STRUCTURE,
    &OUTLINE,
    &TRAINING,
    &CONSULTATION,
    &CAPTURE,
    &RESULTS,
    &PLANS,
];

/// The part `map`'s sheets.
pub fn map() {
    insert(&[&STRUCTURE]);
}

/// The part `outline`'s sheets.
pub fn outline() {
    insert(&[&OUTLINE]);
}

/// The part `structure` (a partnership's page) uses only `style.css`.
pub fn structure() {}

/// The part `home` (the list of partnerships) uses only `style.css`.
pub fn home() {}

/// The part `questionnaire`'s sheets.
pub fn questionnaire() {
    insert(&[&CAPTURE]);
}

/// The part `more`'s sheets: all of them (its pages are of every area).
pub fn more() {
    insert(&ALL);
}

/// The part `staff`'s sheets: all of them.
pub fn staff() {
    insert(&ALL);
}

/// Each of `sheets` not yet in the document's head, as a `<style data-sheet>` in its place.
/// Without a document (never, in a browser) the page is drawn unstyled rather than not at
/// all.
fn insert(sheets: &[&Sheet]) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(head) = document.head() else {
        return;
    };
    for sheet in sheets {
        let Some(name) = NAMES.get(sheet.place) else {
            continue;
        };
        let selector = format!("style[data-sheet=\"{name}\"]");
        if matches!(head.query_selector(&selector), Ok(Some(_))) {
            continue;
        }
        let Ok(style) = document.create_element("style") else {
            continue;
        };
        let _ = style.set_attribute("data-sheet", name);
        style.set_text_content(Some(sheet.css));
        let _ = head.insert_before(&style, following(&head, sheet.place).as_ref());
    }
}

/// The first sheet already in `head` that comes after the one at `place` in [`NAMES`]: where
/// that one goes (`None`: at the end).
fn following(head: &web_sys::HtmlHeadElement, place: usize) -> Option<web_sys::Node> {
    NAMES.get(place + 1..)?.iter().find_map(|later| {
        head.query_selector(&format!("style[data-sheet=\"{later}\"]"))
            .ok()
            .flatten()
            .map(web_sys::Node::from)
    })
}
