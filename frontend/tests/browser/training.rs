//! The training pages in a real browser: glossary terms that explain themselves, the glossary
//! and its form, and the presentation steps and their form. Each test mounts one
//! presentational component with a hand-built `Snapshot` (facts from seeds 000 and 004,
//! Redditch Partnership, and seed 003, Basingstoke and Deane LSP). No store, no IndexedDB.

use atlas_frontend::components::{ErrorSummary, FormErrors, GlossedText};
use atlas_frontend::pages::structure::body::BodyDetail;
use atlas_frontend::pages::training::glossary::{GlossaryList, GlossaryTermForm};
use atlas_frontend::pages::training::steps::{PresentationStepForm, StepAction, StepList, moved};
use atlas_shared::seeds;
use atlas_shared::seeds::{BASINGSTOKE_BOARD, BASINGSTOKE_MANAGEMENT_GROUP};
use atlas_shared::{
    Body, BodyId, BodyKind, GlossaryTerm, GlossaryTermId, Partnership, PartnershipId,
    PresentationStep, PresentationStepId, Snapshot, seeds::fixture_id as id,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

use crate::common::*;

// ---------- Fixture ----------

const REDDITCH: u16 = 1;
const BASINGSTOKE: u16 = 2;
const BOARD: u16 = 10;
const MANAGEMENT: u16 = 11;
const HOUSING: u16 = 12;

const LSP: &str = "Local Strategic Partnership: the council, public services, business and the voluntary and community sector working together for the area.";
const SCS: &str =
    "Sustainable Community Strategy: the partnership's long-term vision for the area.";
const OS: &str = "Overview and Scrutiny: the council committee that examines the partnership's work and makes recommendations.";
const BARN: &str = "Bromsgrove and Redditch Network: a member of the Partnership Management Board for the voluntary and community sector.";

fn partnership(n: u16) -> PartnershipId {
    PartnershipId(id(n))
}

fn term(s: &mut Snapshot, n: u16, p: PartnershipId, term: &str, meaning: &str) -> GlossaryTermId {
    let gid = GlossaryTermId(id(n));
    s.glossary.insert(
        gid,
        GlossaryTerm {
            partnership_id: p,
            term: term.into(),
            meaning: meaning.into(),
        },
    );
    gid
}

fn step(
    s: &mut Snapshot,
    n: u16,
    position: u32,
    title: &str,
    bodies: &[u16],
) -> PresentationStepId {
    let sid = PresentationStepId(id(n));
    s.steps.insert(
        sid,
        PresentationStep {
            partnership_id: partnership(BASINGSTOKE),
            position,
            title: title.into(),
            text: format!("{title}: what the group does."),
            body_ids: bodies.iter().map(|b| BodyId(id(*b))).collect(),
        },
    );
    sid
}

/// Redditch (no glossary of its own here except BARN) and Basingstoke and Deane with three
/// bodies and the glossary inserted out of order (SCS, O&S, LSP), so sorting is tested.
fn fixture() -> Snapshot {
    let mut s = Snapshot::default();
    for (n, name) in [
        (REDDITCH, seeds::REDDITCH),
        (BASINGSTOKE, seeds::BASINGSTOKE),
    ] {
        s.partnerships.insert(
            partnership(n),
            Partnership {
                name: name.into(),
                area: String::new(),
                description: String::new(),
                published: true,
                archived: false,
            },
        );
    }
    let b = partnership(BASINGSTOKE);
    for (n, name, kind, terms) in [
        (
            BOARD,
            BASINGSTOKE_BOARD,
            BodyKind::Board,
            "Owns the SCS on behalf of the LSP. The LSP Board reports to O&S once a year.",
        ),
        (
            MANAGEMENT,
            BASINGSTOKE_MANAGEMENT_GROUP,
            BodyKind::ManagementGroup,
            "",
        ),
        (HOUSING, "Housing", BodyKind::PriorityActionGroup, ""),
    ] {
        s.bodies.insert(
            BodyId(id(n)),
            Body {
                partnership_id: b,
                name: name.into(),
                kind,
                terms_of_reference: terms.into(),
            },
        );
    }
    term(&mut s, 20, b, "SCS", SCS);
    term(&mut s, 21, b, "O&S", OS);
    term(&mut s, 22, b, "LSP", LSP);
    term(&mut s, 23, partnership(REDDITCH), "BARN", BARN);
    s
}

fn texts(root: &Element, css: &str) -> Vec<String> {
    all(root, css).iter().map(text).collect()
}

/// The text of the element an element's `aria-describedby` points at.
fn description(root: &Element, el: &Element) -> String {
    let target = el
        .get_attribute("aria-describedby")
        .expect("aria-describedby");
    let described = root
        .query_selector(&format!("[id='{target}']"))
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("nothing has the id {target}"));
    text(&described)
}

fn press_escape() {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    init.set_bubbles(true);
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
        .expect("a keyboard event");
    window().dispatch_event(&ev).expect("dispatched");
}

fn checkbox(root: &Element, label: &str) -> HtmlInputElement {
    let label = all(root, "label.checkbox__label")
        .into_iter()
        .find(|l| text(l) == label)
        .unwrap_or_else(|| panic!("no checkbox labelled {label}"));
    let input_id = label.get_attribute("for").expect("a for attribute");
    one(root, &format!("[id='{input_id}']")).unchecked_into()
}

/// Basingstoke and Deane's glossary page.
async fn mount_glossary(s: Snapshot) -> (web_sys::HtmlElement, impl Drop) {
    let snapshot = RwSignal::new(s);
    let mounted = mount(move || {
        view! { <GlossaryList snapshot=snapshot partnership=partnership(BASINGSTOKE) /> }
    });
    settle().await;
    mounted
}

/// Basingstoke and Deane's step list, and the last request it made.
async fn mount_step_list(
    s: Snapshot,
) -> (
    web_sys::HtmlElement,
    impl Drop,
    RwSignal<Option<StepAction>>,
) {
    let snapshot = RwSignal::new(s);
    let action = RwSignal::new(None::<StepAction>);
    let (root, unmount) = mount(move || {
        view! {
            <StepList
                snapshot=snapshot
                partnership=partnership(BASINGSTOKE)
                on_action=move |a| action.set(Some(a))
            />
        }
    });
    settle().await;
    (root, unmount, action)
}

// ---------- Glossary terms in running text ----------

#[wasm_bindgen_test]
async fn glossed_text_marks_each_term_and_describes_it_for_screen_readers() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _unmount) = mount(move || {
        view! {
            <p>
                <GlossedText
                    snapshot=snapshot
                    partnership=partnership(BASINGSTOKE)
                    text="The LSP prepares the SCS with BARN. The LSP reports to O&S."
                />
            </p>
        }
    });
    settle().await;

    // The first occurrence of each term can be focused (and so tapped) and is described by
    // a tooltip that holds the meaning.
    let terms = all(&root, ".glossary-term__text");
    assert_eq!(
        terms.iter().map(text).collect::<Vec<_>>(),
        ["LSP", "SCS", "O&S"]
    );
    for (el, meaning) in terms.iter().zip([LSP, SCS, OS]) {
        assert_eq!(el.get_attribute("tabindex").as_deref(), Some("0"));
        assert!(description(&root, el).contains(meaning), "{}", text(el));
    }
    let tip = one(&root, "[role=tooltip]");
    assert_eq!(text(&tip), format!("LSP: {LSP}"));
    // The second LSP is marked too, and points at the same meaning.
    let repeat = one(&root, ".glossary-term--repeat");
    assert_eq!(text(&repeat), "LSP");
    assert_eq!(
        repeat.get_attribute("aria-describedby"),
        terms[0].get_attribute("aria-describedby")
    );
    // BARN is in Redditch's glossary, not this partnership's: it stays plain text.
    assert_eq!(all(&root, ".glossary-term").len(), 4);
    assert!(text(&root).contains("with BARN."));
    // Escape hides the tooltips (WCAG 1.4.13) until a term is pointed at or focused again.
    let first = terms[0].parent_element().expect("the term's wrapper");
    assert!(!first.class_list().contains("glossary-term--dismissed"));
    press_escape();
    settle().await;
    assert!(first.class_list().contains("glossary-term--dismissed"));
    fire(&terms[0], "focusin");
    settle().await;
    assert!(!first.class_list().contains("glossary-term--dismissed"));
}

#[wasm_bindgen_test]
async fn a_term_added_to_the_glossary_starts_explaining_itself_at_once() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _unmount) = mount(move || {
        view! {
            <GlossedText
                snapshot=snapshot
                partnership=partnership(REDDITCH)
                text="BARN sits on the Partnership Management Board; the PAG does not."
            />
        }
    });
    settle().await;
    assert_eq!(texts(&root, ".glossary-term__text"), ["BARN"]);
    snapshot.update(|s| {
        term(
            s,
            24,
            partnership(REDDITCH),
            "PAG",
            "Priority Action Group: a group that delivers one of the strategy's priorities.",
        );
    });
    settle().await;
    assert_eq!(texts(&root, ".glossary-term__text"), ["BARN", "PAG"]);
}

#[wasm_bindgen_test]
async fn the_body_page_explains_the_acronyms_in_its_terms_of_reference() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let board = BodyId(id(BOARD));
    let (root, _unmount) = mount(move || view! { <BodyDetail snapshot=snapshot id=board /> });
    settle().await;
    let terms = one(&root, ".terms-of-reference");
    // "LSP Board" is not a term, but the LSP in it is.
    assert_eq!(texts(&terms, ".glossary-term__text"), ["SCS", "LSP", "O&S"]);
    assert_eq!(texts(&terms, ".glossary-term--repeat"), ["LSP"]);
    let scs = one(&terms, ".glossary-term__text");
    assert!(description(&root, &scs).contains(SCS));
}

// ---------- The glossary ----------

#[wasm_bindgen_test]
async fn the_glossary_lists_its_terms_sorted_with_edit_and_delete_links() {
    setup();
    let (root, _unmount) = mount_glossary(fixture()).await;

    assert_eq!(texts(&root, "dl dt"), ["LSP", "O&S", "SCS"]);
    assert_eq!(texts(&root, "dl .glossary-list__meaning"), [LSP, OS, SCS]);
    let lsp = GlossaryTermId(id(22));
    let links: Vec<(String, Option<String>)> = all(&root, ".glossary-list__actions a")
        .iter()
        .take(2)
        .map(|a| (text(a), a.get_attribute("href")))
        .collect();
    assert_eq!(
        links,
        [
            ("Edit LSP".to_owned(), Some(format!("/glossary/{lsp}/edit"))),
            (
                "Delete LSP".to_owned(),
                Some(format!("/glossary/{lsp}/delete"))
            ),
        ]
    );
    // Redditch's BARN is not in Basingstoke and Deane's glossary.
    assert!(!text(&root).contains("BARN"));
    let add = all(&root, "a.button")
        .into_iter()
        .find(|a| text(a) == "Add a term")
        .expect("an Add a term button");
    assert_eq!(
        add.get_attribute("href"),
        Some(format!(
            "/partnerships/{}/glossary/new",
            partnership(BASINGSTOKE)
        ))
    );
    assert_eq!(
        texts(&root, ".breadcrumbs__item"),
        ["Partnerships", seeds::BASINGSTOKE, "Glossary"]
    );
}

#[wasm_bindgen_test]
async fn an_empty_glossary_says_what_the_glossary_is_for() {
    setup();
    let mut s = fixture();
    s.glossary.clear();
    let (root, _unmount) = mount_glossary(s).await;
    assert!(all(&root, "dl").is_empty());
    let empty = text(&one(&root, ".glossary-empty"));
    assert!(empty.contains("There are no terms in the glossary yet."));
    assert!(empty.contains("explains itself"));
}

#[wasm_bindgen_test]
async fn the_glossary_form_refuses_a_term_already_in_the_glossary_in_any_case() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let errors = RwSignal::new(FormErrors::default());
    let submitted = RwSignal::new(None::<GlossaryTerm>);
    let (root, _unmount) = mount(move || {
        view! {
            <ErrorSummary errors=errors />
            <GlossaryTermForm
                snapshot=snapshot
                id=GlossaryTermId(id(99))
                initial=GlossaryTerm {
                    partnership_id: partnership(BASINGSTOKE),
                    term: String::new(),
                    meaning: String::new(),
                }
                errors=errors
                submit_label="Add term"
                cancel_href="/"
                on_submit=move |g| submitted.set(Some(g))
            />
        }
    });
    settle().await;

    type_into(&root, "#term", " lsp ");
    type_into(&root, "#meaning", LSP);
    click(&root, "button[type=submit]");
    settle().await;
    assert_eq!(submitted.get_untracked(), None);
    assert_eq!(
        text(&one(&root, "#term-error")),
        "Error: “lsp” is already in the glossary"
    );
    assert_eq!(
        texts(&root, ".error-summary__list a"),
        ["“lsp” is already in the glossary"]
    );
    assert_eq!(
        one(&root, "#term").get_attribute("aria-invalid").as_deref(),
        Some("true")
    );

    // BARN is only in Redditch's glossary, so Basingstoke and Deane may have its own.
    type_into(&root, "#term", "BARN");
    click(&root, "button[type=submit]");
    settle().await;
    assert_eq!(
        submitted.get_untracked(),
        Some(GlossaryTerm {
            partnership_id: partnership(BASINGSTOKE),
            term: "BARN".into(),
            meaning: LSP.into(),
        })
    );
}

#[wasm_bindgen_test]
async fn editing_a_term_without_renaming_it_is_not_a_duplicate() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let errors = RwSignal::new(FormErrors::default());
    let submitted = RwSignal::new(None::<GlossaryTerm>);
    let lsp = GlossaryTermId(id(22));
    let initial = snapshot.with_untracked(|s| s.glossary[&lsp].clone());
    let (root, _unmount) = mount(move || {
        view! {
            <GlossaryTermForm
                snapshot=snapshot
                id=lsp
                initial=initial
                errors=errors
                submit_label="Save changes"
                cancel_href="/"
                on_submit=move |g| submitted.set(Some(g))
            />
        }
    });
    settle().await;
    type_into(&root, "#meaning", "Local Strategic Partnership.");
    click(&root, "button[type=submit]");
    settle().await;
    assert!(errors.get_untracked().is_empty());
    assert_eq!(
        submitted.get_untracked().map(|g| (g.term, g.meaning)),
        Some(("LSP".to_owned(), "Local Strategic Partnership.".to_owned()))
    );
}

// ---------- Presentation steps ----------

#[wasm_bindgen_test]
async fn the_step_list_shows_the_steps_in_position_order_with_what_each_highlights() {
    setup();
    let mut s = fixture();
    // Inserted out of order: the list must follow `position`, not ids or titles.
    let housing = step(&mut s, 30, 30, "Housing", &[HOUSING]);
    let board = step(&mut s, 31, 10, "The LSP Board", &[BOARD]);
    let management = step(
        &mut s,
        32,
        20,
        BASINGSTOKE_MANAGEMENT_GROUP,
        &[MANAGEMENT, BOARD],
    );
    let (root, _unmount, action) = mount_step_list(s).await;

    assert_eq!(
        texts(&root, ".step-list__title a"),
        ["The LSP Board", BASINGSTOKE_MANAGEMENT_GROUP, "Housing"]
    );
    assert_eq!(
        texts(&root, ".step-list__number"),
        ["Step 1", "Step 2", "Step 3"]
    );
    let items = all(&root, ".step-list__item");
    assert_eq!(
        text(&one(&items[1], ".step-list__bodies")),
        "Highlights: Management Group and Basingstoke and Deane LSP Board"
    );
    assert_eq!(
        text(&one(&items[0], ".step-list__text")),
        "The LSP Board: what the group does."
    );
    // The first step cannot move up, the last cannot move down.
    let buttons = |item: &Element| -> Vec<String> {
        all(item, "button")
            .iter()
            .map(|b| text(b).split(" step").next().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(buttons(&items[0]), ["Move down"]);
    assert_eq!(buttons(&items[1]), ["Move up", "Move down"]);
    assert_eq!(buttons(&items[2]), ["Move up"]);
    click(&items[1], "button");
    assert_eq!(action.get_untracked(), Some(StepAction::MoveUp(management)));
    let hrefs: Vec<Option<String>> = items
        .iter()
        .map(|item| one(item, ".step-list__title a").get_attribute("href"))
        .collect();
    assert_eq!(
        hrefs,
        [board, management, housing].map(|id| Some(format!("/steps/{id}")))
    );
}

#[wasm_bindgen_test]
fn moving_a_step_swaps_positions_and_renumbers_ties_in_tens_first() {
    let mut s = fixture();
    let a = step(&mut s, 30, 10, "A", &[]);
    let b = step(&mut s, 31, 20, "B", &[]);
    let c = step(&mut s, 32, 30, "C", &[]);
    let steps: Vec<(PresentationStepId, PresentationStep)> = s
        .steps_of(partnership(BASINGSTOKE))
        .into_iter()
        .map(|(id, st)| (id, st.clone()))
        .collect();
    let positions =
        |changed: Vec<(PresentationStepId, PresentationStep)>| -> Vec<(PresentationStepId, u32)> {
            changed
                .into_iter()
                .map(|(id, st)| (id, st.position))
                .collect()
        };
    assert_eq!(positions(moved(&steps, c, true)), [(b, 30), (c, 20)]);
    assert_eq!(positions(moved(&steps, a, false)), [(a, 20), (b, 10)]);
    // Nothing to do at either end.
    assert!(moved(&steps, a, true).is_empty());
    assert!(moved(&steps, c, false).is_empty());

    // All at position 0 (shown by title): renumbered 10, 20, 30, then B and C swap.
    let tied: Vec<_> = steps
        .iter()
        .map(|(id, st)| {
            (
                *id,
                PresentationStep {
                    position: 0,
                    ..st.clone()
                },
            )
        })
        .collect();
    assert_eq!(
        positions(moved(&tied, b, false)),
        [(a, 10), (b, 30), (c, 20)]
    );
}

#[wasm_bindgen_test]
async fn with_no_steps_the_list_explains_presentation_mode_and_offers_the_standard_tour() {
    setup();
    let (root, _unmount, action) = mount_step_list(fixture()).await;
    let empty = one(&root, ".steps-empty");
    assert!(text(&empty).contains("guided walk through the partnership map"));
    let start = one(&empty, "button");
    assert_eq!(text(&start), "Start from the standard tour");
    start.unchecked_ref::<web_sys::HtmlElement>().click();
    assert_eq!(action.get_untracked(), Some(StepAction::StartStandardTour));
}

#[wasm_bindgen_test]
async fn the_step_form_offers_the_partnerships_bodies_and_submits_the_checked_ones() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let submitted = RwSignal::new(None::<PresentationStep>);
    let (root, _unmount) = mount(move || {
        view! {
            <PresentationStepForm
                snapshot=snapshot
                initial=PresentationStep {
                    partnership_id: partnership(BASINGSTOKE),
                    position: 40,
                    title: String::new(),
                    text: String::new(),
                    body_ids: vec![BodyId(id(HOUSING))],
                }
                errors=FormErrors::default()
                submit_label="Add step"
                cancel_href="/"
                on_submit=move |s| submitted.set(Some(s))
            />
        }
    });
    settle().await;

    let fieldset = one(&root, "fieldset");
    assert_eq!(
        text(&one(&fieldset, "legend")),
        "Bodies to highlight on the map"
    );
    // Every body of Basingstoke and Deane, in the order of the structure, none of Redditch's.
    assert_eq!(
        texts(&fieldset, "label.checkbox__label"),
        [BASINGSTOKE_BOARD, BASINGSTOKE_MANAGEMENT_GROUP, "Housing"]
    );
    assert_eq!(all(&fieldset, "input[type=checkbox]").len(), 3);
    assert!(checkbox(&root, "Housing").checked());
    assert!(!checkbox(&root, BASINGSTOKE_MANAGEMENT_GROUP).checked());

    type_into(&root, "#title", "The Board and the Management Group");
    type_into(&root, "#text", "The Board owns the SCS.");
    checkbox(&root, BASINGSTOKE_MANAGEMENT_GROUP).click();
    checkbox(&root, BASINGSTOKE_BOARD).click();
    checkbox(&root, "Housing").click();
    click(&root, "button[type=submit]");
    settle().await;
    assert_eq!(
        submitted.get_untracked(),
        Some(PresentationStep {
            partnership_id: partnership(BASINGSTOKE),
            position: 40,
            title: "The Board and the Management Group".into(),
            text: "The Board owns the SCS.".into(),
            body_ids: vec![BodyId(id(BOARD)), BodyId(id(MANAGEMENT))],
        })
    );
}
