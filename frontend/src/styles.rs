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
    /// Its file's stem; the `<style>` element's `data-sheet`.
    name: &'static str,
    css: &'static str,
}

/// The partnership map (its page, and in presentation mode).
pub const STRUCTURE: Sheet = Sheet {
    name: "structure",
    css: atlas_shared::compact_css!(include_str!("styles/structure.css")),
};
/// The structure as an outline.
pub const OUTLINE: Sheet = Sheet {
    name: "outline",
    css: atlas_shared::compact_css!(include_str!("styles/outline.css")),
};
/// Presentation mode and the induction pack.
pub const TRAINING: Sheet = Sheet {
    name: "training",
    css: atlas_shared::compact_css!(include_str!("styles/training.css")),
};
/// Consultation administration and the questionnaire builder.
pub const CONSULTATION: Sheet = Sheet {
    name: "consultation",
    css: atlas_shared::compact_css!(include_str!("styles/consultation.css")),
};
/// Answering a questionnaire: capture, kiosk mode, the public questionnaire.
pub const CAPTURE: Sheet = Sheet {
    name: "capture",
    css: atlas_shared::compact_css!(include_str!("styles/capture.css")),
};
/// Consultation results, exports and "you said, we did".
pub const RESULTS: Sheet = Sheet {
    name: "results",
    css: atlas_shared::compact_css!(include_str!("styles/results.css")),
};
/// Strategy and scrutiny.
pub const PLANS: Sheet = Sheet {
    name: "plans",
    css: atlas_shared::compact_css!(include_str!("styles/plans.css")),
};

/// Every sheet, in the order they were in one file: a sheet inserted later still goes in
/// this place among the others, so the cascade is the same whichever page came first.
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
        let selector = format!("style[data-sheet=\"{}\"]", sheet.name);
        if matches!(head.query_selector(&selector), Ok(Some(_))) {
            continue;
        }
        let Ok(style) = document.create_element("style") else {
            continue;
        };
        let _ = style.set_attribute("data-sheet", sheet.name);
        style.set_text_content(Some(sheet.css));
        let _ = head.insert_before(&style, following(&head, sheet.name).as_ref());
    }
}

/// The first sheet already in `head` that comes after `name` in [`ALL`]: where `name` goes
/// (`None`: at the end).
fn following(head: &web_sys::HtmlHeadElement, name: &str) -> Option<web_sys::Node> {
    let at = ALL.iter().position(|sheet| sheet.name == name)?;
    ALL[at + 1..].iter().find_map(|later| {
        head.query_selector(&format!("style[data-sheet=\"{}\"]", later.name))
            .ok()
            .flatten()
            .map(web_sys::Node::from)
    })
}
