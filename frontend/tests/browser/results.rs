//! The results page, "you said, we did" and the partner import in a real browser, on a
//! hand-built snapshot of "We Are Redditch" (seed 004, as the demo holds it): its event in
//! January 2010, its first questionnaire, and twelve responses made up for the test (the
//! papers report none). No store: `on_save` records what would be saved.

use atlas_frontend::pages::consultation::results::{ImportForm, ResultsView};
use atlas_frontend::pages::consultation::you_said::YouSaidView;
use atlas_shared::consultation::published::publish;
use atlas_shared::consultation::{
    AnswerValue, Channel, Consultation, ConsultationEvent, Finding, Questionnaire, Response,
};
use atlas_shared::sample_consultation::we_are_redditch_questions;
use atlas_shared::seeds::REDDITCH;
use atlas_shared::{
    Body, BodyId, BodyKind, ConsultationEventId, ConsultationId, DeviceId, Entity, FindingId,
    Partnership, PartnershipId, QuestionnaireId, ResponseId, Snapshot, seeds::fixture_id as id,
};
use leptos::prelude::*;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::common::*;

const PARTNERSHIP: u16 = 1;
const CONSULTATION: u16 = 2;
const VERSION: u16 = 3;
const EVENT: u16 = 4;
const COMMUNITY_SAFETY_PAG: u16 = 5;
const FINDING: u16 = 6;
/// The response whose free text holds a phone number.
const PERSONAL: u16 = 111;

fn consultation() -> ConsultationId {
    ConsultationId(id(CONSULTATION))
}

fn ranked(keys: &[&str]) -> AnswerValue {
    AnswerValue::Ranked(keys.iter().map(|k| (*k).to_owned()).collect())
}

/// We Are Redditch with twelve responses: seven on the kiosk and three staff-assisted at the
/// event, two online.
fn fixture() -> Snapshot {
    let p = PartnershipId(id(PARTNERSHIP));
    let c = consultation();
    let event = ConsultationEventId(id(EVENT));
    let mut s = Snapshot::default();
    s.partnerships.insert(
        p,
        Partnership {
            name: REDDITCH.into(),
            area: "Redditch".into(),
            description: String::new(),
            published: true,
            archived: false,
        },
    );
    s.bodies.insert(
        BodyId(id(COMMUNITY_SAFETY_PAG)),
        Body {
            partnership_id: p,
            name: "Community Safety".into(),
            kind: BodyKind::PriorityActionGroup,
            terms_of_reference: String::new(),
        },
    );
    s.consultations.insert(
        c,
        Consultation {
            partnership_id: p,
            title: "We Are Redditch".into(),
            purpose: "Partners ask residents what their priorities are for the borough's new Sustainable Community Strategy.".into(),
            opens_on: Some(atlas_shared::IsoDate::known(2010, 1, 1)),
            closes_on: Some(atlas_shared::IsoDate::known(2010, 1, 31)),
            suppression_threshold: 5,
            archived: false,
        },
    );
    s.consultation_events.insert(
        event,
        ConsultationEvent {
            partnership_id: p,
            consultation_id: c,
            name: "We Are Redditch public event".into(),
            date: atlas_shared::IsoDate::known(2010, 1, 1),
            venue: "Redditch".into(),
        },
    );
    s.questionnaires.insert(
        QuestionnaireId(id(VERSION)),
        Questionnaire {
            partnership_id: p,
            consultation_id: c,
            version: 1,
            questions: we_are_redditch_questions(),
            opened_for_answers: false,
        },
    );
    let mut add = |n: u16, channel: Channel, answers: Vec<(&str, AnswerValue)>| {
        s.responses.insert(
            ResponseId(id(n)),
            Response {
                partnership_id: p,
                consultation_id: c,
                questionnaire_id: QuestionnaireId(id(VERSION)),
                event_id: (channel != Channel::Online).then_some(event),
                device_id: DeviceId(id(9)),
                channel,
                captured_at: 1_262_340_000_000 + i64::from(n) * 60_000,
                answers: answers
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
                hidden: false,
                accepted: false,
                received_at: None,
                review: Vec::new(),
            },
        );
    };
    for n in 100..107 {
        add(
            n,
            Channel::Kiosk,
            vec![
                (
                    "priorities",
                    ranked(&["community_safety", "housing", "older_people"]),
                ),
                ("postcode", AnswerValue::Postcode("B97".into())),
                ("age_band", AnswerValue::One("45_64".into())),
            ],
        );
    }
    for n in 107..110 {
        add(
            n,
            Channel::StaffAssisted,
            vec![
                (
                    "priorities",
                    ranked(&["health_and_wellbeing", "community_safety"]),
                ),
                ("know_the_partnership", AnswerValue::Scale(1)),
                (
                    "anything_else",
                    AnswerValue::Text("More for young people to do in the town centre".into()),
                ),
            ],
        );
    }
    add(
        110,
        Channel::Online,
        vec![("priorities", ranked(&["housing"]))],
    );
    add(
        PERSONAL,
        Channel::Online,
        vec![
            ("priorities", ranked(&["housing"])),
            (
                "anything_else",
                AnswerValue::Text("Call me on 07700 900123 about the buses".into()),
            ),
        ],
    );
    s.findings.insert(
        FindingId(id(FINDING)),
        Finding {
            partnership_id: p,
            consultation_id: c,
            text: "Residents put community safety first.".into(),
            action: "The Community Safety group made it a priority of the new Sustainable Community Strategy.".into(),
            body_ids: vec![BodyId(id(COMMUNITY_SAFETY_PAG))],
            priority_ids: Vec::new(),
            key_action_ids: Vec::new(),
        },
    );
    s
}

/// A save callback that records what it was given.
fn mount_results(
    s: Snapshot,
) -> (
    web_sys::HtmlElement,
    impl Drop,
    RwSignal<Vec<(Uuid, Entity)>>,
) {
    let snapshot = RwSignal::new(s);
    let (on_save, saved) = recorder();
    let (root, handle) = mount(move || {
        view! { <ResultsView snapshot=snapshot consultation=consultation() from_answers=true on_save=on_save /> }
    });
    (root, handle, saved)
}

fn attr(el: &web_sys::Element, name: &str) -> String {
    el.get_attribute(name).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn totals_and_channel_subtotals_are_shown() {
    setup();
    let (root, _h, _) = mount_results(fixture());
    settle().await;
    assert_eq!(attr(&one(&root, "#results-total"), "data-count"), "12");
    assert!(text(&one(&root, "#results-total")).contains("12 responses"));
    for (channel, n) in [
        ("kiosk", "7"),
        ("staff_assisted", "3"),
        ("online", "2"),
        ("paper", "0"),
    ] {
        let row = one(&root, &format!("[data-channel=\"{channel}\"]"));
        assert_eq!(attr(&row, "data-count"), n, "{channel}");
    }
    let event = one(&root, &format!("[data-event=\"{}\"]", id(EVENT)));
    assert_eq!(attr(&event, "data-count"), "10");
}

#[wasm_bindgen_test]
async fn the_ranking_is_in_borda_order_and_says_how_it_was_scored() {
    setup();
    let (root, _h, _) = mount_results(fixture());
    settle().await;
    // community safety 7×3 + 3×2 = 27; housing 7×2 + 2×3 = 20; health 3×3 = 9; older 7×1 = 7;
    // the two nobody chose tie at 0 and go alphabetically.
    let order: Vec<String> = all(&root, "#results-ranking li")
        .iter()
        .map(|li| attr(li, "data-option-key"))
        .collect();
    assert_eq!(
        order,
        vec![
            "community_safety",
            "housing",
            "health_and_wellbeing",
            "older_people",
            "children_and_young_people",
            "skills_and_employability"
        ]
    );
    assert_eq!(
        attr(&all(&root, "#results-ranking li")[0], "data-points"),
        "27"
    );
    let method = text(&one(&root, "#ranking-method"));
    assert!(
        method.contains(
            "a 1st choice earns 3 points, a 2nd choice earns 2 points, a 3rd choice earns 1 point"
        ),
        "{method}"
    );
    assert!(method.contains("fewer than 3"), "{method}");
}

#[wasm_bindgen_test]
async fn small_cells_in_a_breakdown_are_not_revealed() {
    setup();
    let (root, _h, _) = mount_results(fixture());
    settle().await;
    assert!(text(&one(&root, "#suppression-note")).contains("fewer than 5"));
    let table = one(
        &root,
        "details[data-dimension=\"event\"] table[data-question=\"priorities\"]",
    );
    // At the event: 10 answered; health and wellbeing chosen by 3, withheld.
    let at_event = one(&table, &format!("tr[data-group=\"{}\"]", id(EVENT)));
    let cells: Vec<String> = all(&at_event, "td").iter().map(text).collect();
    // Answered, then the options as listed: children, safety, health, housing, skills, older.
    assert_eq!(
        cells,
        vec![
            "10",
            "fewer than 5",
            "10",
            "fewer than 5",
            "7",
            "fewer than 5",
            "7"
        ]
    );
    // Online: only 2 answered, so the whole group is withheld, its size too.
    let online = one(&table, "tr[data-group=\"\"]");
    let cells: Vec<String> = all(&online, "td").iter().map(text).collect();
    assert!(cells.iter().all(|c| c == "fewer than 5"), "{cells:?}");
    assert_eq!(all(&online, "td[data-suppressed=\"true\"]").len(), 7);
}

#[wasm_bindgen_test]
async fn every_chart_is_an_image_with_a_text_alternative_and_a_data_table() {
    setup();
    let (root, _h, _) = mount_results(fixture());
    settle().await;
    let charts = all(&root, "svg.bar-chart");
    // The ranking, then each question with options: priorities, the scale, the age band.
    assert_eq!(charts.len(), 4);
    for chart in &charts {
        assert_eq!(attr(chart, "role"), "img");
        assert!(attr(chart, "aria-label").starts_with("Bar chart"));
        let table = chart
            .next_element_sibling()
            .expect("something after the chart");
        assert_eq!(table.tag_name().to_ascii_lowercase(), "table");
        assert!(table.class_list().contains("chart-data"));
    }
    let ranking = one(&root, "table[data-chart=\"ranking\"]");
    let first: Vec<String> = all(&ranking, "tbody tr:first-child > *")
        .iter()
        .map(text)
        .collect();
    assert_eq!(first, vec!["1", "Community Safety", "27", "7", "10"]);
    assert!(attr(&charts[0], "aria-label").contains("Community Safety 27 points"));
}

#[wasm_bindgen_test]
async fn hiding_an_answer_saves_the_response_hidden() {
    setup();
    let (root, _h, saved) = mount_results(fixture());
    settle().await;
    let personal = format!("li[data-response-id=\"{}\"]", id(PERSONAL));
    let item = one(&root, &personal);
    assert!(text(&item).contains("07700 900123"));
    click(&item, ".free-text__toggle");
    settle().await;
    let saved = saved.get_untracked();
    assert_eq!(saved.len(), 1);
    let (sid, entity) = &saved[0];
    assert_eq!(*sid, id(PERSONAL));
    match entity {
        Entity::Response(r) => {
            assert!(r.hidden);
            // Nothing else changed: only `hidden` may.
            let mut original = fixture().responses[&ResponseId(id(PERSONAL))].clone();
            original.hidden = true;
            assert_eq!(*r, original);
        }
        other => panic!("saved {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_hidden_answer_shows_no_text_and_offers_show() {
    setup();
    let mut s = fixture();
    if let Some(mut r) = s.responses.get_mut(&ResponseId(id(PERSONAL))) {
        r.hidden = true;
    }
    let (root, _h, saved) = mount_results(s);
    settle().await;
    assert!(!text(&root).contains("07700 900123"));
    let item = one(&root, &format!("li[data-response-id=\"{}\"]", id(PERSONAL)));
    assert_eq!(attr(&item, "data-hidden"), "true");
    assert_eq!(text(&one(&item, ".free-text__toggle")), "Show");
    click(&item, ".free-text__toggle");
    settle().await;
    assert!(matches!(&saved.get_untracked()[0].1, Entity::Response(r) if !r.hidden));
}

/// What the view asked to save.
type Saved = RwSignal<Vec<(Uuid, Entity)>>;

/// The results view on a snapshot the test can change, as syncing would.
fn mount_live(s: Snapshot) -> (web_sys::HtmlElement, impl Drop, RwSignal<Snapshot>, Saved) {
    let snapshot = RwSignal::new(s);
    let (on_save, saved) = recorder();
    let (root, handle) = mount(move || {
        view! { <ResultsView snapshot=snapshot consultation=consultation() from_answers=true on_save=on_save /> }
    });
    (root, handle, snapshot, saved)
}

/// A copy of the response `from` with a new id and this free text, as if from another tablet.
fn another_answer(s: &mut Snapshot, from: u16, n: u16, words: &str) {
    let mut r = s.responses[&ResponseId(id(from))].clone();
    r.answers
        .insert("anything_else".into(), AnswerValue::Text(words.into()));
    s.responses.insert(ResponseId(id(n)), r);
}

fn focused() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.active_element()
}

#[wasm_bindgen_test]
async fn the_search_keeps_its_text_and_focus_while_answers_arrive() {
    setup();
    let (root, _h, snapshot, _) = mount_live(fixture());
    settle().await;
    let search: web_sys::HtmlInputElement = one(&root, "#free-text-search").unchecked_into();
    search.focus().expect("focus the search");
    type_into(&root, "#free-text-search", "young");
    settle().await;
    assert_eq!(
        all(&root, ".free-text__item").len(),
        3,
        "three mention young people"
    );

    snapshot.update(|s| another_answer(s, 107, 200, "Somewhere for young people to meet"));
    settle().await;
    assert_eq!(
        attr(&one(&root, "#results-total"), "data-count"),
        "13",
        "the new answer is counted"
    );
    let now: web_sys::HtmlInputElement = one(&root, "#free-text-search").unchecked_into();
    assert!(
        now.is_same_node(Some(&search)),
        "the search box was drawn afresh"
    );
    assert_eq!(now.value(), "young");
    assert!(
        focused().is_some_and(|f| f.is_same_node(Some(&search))),
        "the search box lost the keyboard"
    );
    assert_eq!(
        all(&root, ".free-text__item").len(),
        4,
        "the new answer matches and shows"
    );
    assert!(text(&root).contains("Somewhere for young people to meet"));
}

#[wasm_bindgen_test]
async fn hiding_an_answer_keeps_the_keyboard_on_its_button() {
    setup();
    let (root, _h, snapshot, saved) = mount_live(fixture());
    settle().await;
    let item = one(&root, &format!("li[data-response-id=\"{}\"]", id(PERSONAL)));
    let button: web_sys::HtmlElement = one(&item, ".free-text__toggle").unchecked_into();
    button.focus().expect("focus the button");
    button.click();
    settle().await;
    // The store would save it and the snapshot change: do what it would.
    let records = saved.get_untracked();
    snapshot.update(|s| {
        for (rid, entity) in records {
            if let Entity::Response(r) = entity {
                s.responses.insert(ResponseId(rid), r);
            }
        }
    });
    settle().await;
    assert_eq!(
        attr(&item, "data-hidden"),
        "true",
        "the same row shows it hidden"
    );
    assert!(!text(&root).contains("07700 900123"));
    assert_eq!(text(&button), "Show");
    assert!(
        focused().is_some_and(|f| f.is_same_node(Some(&button))),
        "the keyboard left the button just pressed"
    );
}

/// The import form on the fixture: its root, its handle, the snapshot and what it saves.
async fn mount_import() -> (
    web_sys::HtmlElement,
    impl Drop,
    RwSignal<Snapshot>,
    RwSignal<Vec<(Uuid, Entity)>>,
) {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (on_save, saved) = recorder();
    let (root, handle) = mount(move || {
        view! { <ImportForm snapshot=snapshot consultation=consultation() on_save=on_save /> }
    });
    settle().await;
    (root, handle, snapshot, saved)
}

#[wasm_bindgen_test]
async fn the_import_preview_lists_row_errors_and_imports_the_good_rows_once() {
    let (root, _h, snapshot, saved) = mount_import().await;
    let file = "priorities,postcode,channel\n\
                housing > community_safety,B98 0AA,\n\
                parking,,\n\
                housing,,fax\n";
    choose_file(&root, "#import-file", "#import-check", file).await;
    let errors: Vec<String> = all(&root, "#import-errors li").iter().map(text).collect();
    assert_eq!(
        errors,
        vec![
            "Row 3: the answer to 'priorities' names an option that is not in the questionnaire: 'parking'",
            "Row 4: the channel 'fax' is not one of staff_assisted, kiosk, paper or online",
        ]
    );
    assert_eq!(all(&root, "#import-rows tbody tr").len(), 1);
    assert_eq!(text(&one(&root, "#import-confirm")), "Import 1 answer");
    click(&root, "#import-confirm");
    settle().await;
    let added = saved.get_untracked();
    assert_eq!(added.len(), 1);
    let Entity::Response(r) = &added[0].1 else {
        panic!("saved {:?}", added[0].1);
    };
    assert_eq!(r.channel, Channel::Paper);
    assert_eq!(r.answers["postcode"], AnswerValue::Postcode("B98".into()));

    // Once it is on the device, the same file adds nothing.
    snapshot.update(|s| {
        s.responses.insert(ResponseId(added[0].0), r.clone());
    });
    choose_file(&root, "#import-file", "#import-check", file).await;
    assert_eq!(
        text(&one(&root, "#import-already")),
        "This answer is already here; importing again adds nothing for it."
    );
    assert!(
        root.query_selector("#import-confirm")
            .ok()
            .flatten()
            .is_none()
    );
}

#[wasm_bindgen_test]
async fn the_import_preview_says_how_many_of_the_files_answers_are_already_here() {
    let (root, _h, snapshot, saved) = mount_import().await;
    // Three residents' paper forms (two gave the same answers), and a row with a problem.
    let file = "priorities,postcode\n\
                housing,B97\n\
                housing,B97\n\
                parking,\n\
                community_safety,B98\n";
    choose_file(&root, "#import-file", "#import-check", file).await;
    assert!(
        root.query_selector("#import-already")
            .ok()
            .flatten()
            .is_none(),
        "nothing is here yet"
    );
    click(&root, "#import-confirm");
    settle().await;
    let added = saved.get_untracked();
    assert_eq!(added.len(), 3);
    // Two of the three reach this device (say the third is still being saved elsewhere).
    snapshot.update(|s| {
        for (id, entity) in &added[..2] {
            if let Entity::Response(r) = entity {
                s.responses.insert(ResponseId(*id), r.clone());
            }
        }
    });
    choose_file(&root, "#import-file", "#import-check", file).await;
    assert_eq!(
        text(&one(&root, "#import-already")),
        "2 of these 3 answers are already here; importing again adds nothing for them."
    );
    assert_eq!(text(&one(&root, "#import-confirm")), "Import 1 answer");
    // The row with a problem is still reported, and not counted as an answer.
    assert_eq!(all(&root, "#import-errors li").len(), 1);
}

#[wasm_bindgen_test]
async fn a_finding_is_saved_with_the_groups_it_shaped() {
    setup();
    let (root, _h, saved) = mount_results(fixture());
    settle().await;
    type_into(
        &root,
        "#finding-text",
        "Residents want more for young people to do.",
    );
    type_into(
        &root,
        "#finding-action",
        "Youth sessions at the town centre library.",
    );
    let group = format!("#finding-group-{}", id(COMMUNITY_SAFETY_PAG));
    click(&root, &group);
    click(&root, "#finding-save");
    settle().await;
    let saved = saved.get_untracked();
    let Some((_, Entity::Finding(f))) = saved.first() else {
        panic!("saved {saved:?}");
    };
    assert_eq!(f.text, "Residents want more for young people to do.");
    assert_eq!(f.body_ids, vec![BodyId(id(COMMUNITY_SAFETY_PAG))]);
}

#[wasm_bindgen_test]
async fn the_public_page_shows_findings_and_links_but_no_answers() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _h) = mount(move || {
        view! { <YouSaidView snapshot=snapshot consultation=consultation() /> }
    });
    settle().await;
    let page = text(&root);
    assert!(page.contains("Residents put community safety first."));
    assert!(!page.contains("07700 900123"));
    assert!(!page.contains("young people to do in the town centre"));
    let link = one(&root, "#you-said-findings a");
    assert_eq!(
        attr(&link, "href"),
        format!(
            "/partnerships/{}/map?body={}",
            id(PARTNERSHIP),
            id(COMMUNITY_SAFETY_PAG)
        )
    );
    // Health and wellbeing: chosen by 3, fewer than the threshold of 5: no figure.
    let health = one(
        &root,
        "#public-ranking [data-option-key=\"health_and_wellbeing\"]",
    );
    assert!(text(&health).contains("fewer than 5"), "{}", text(&health));
    let safety = one(
        &root,
        "#public-ranking [data-option-key=\"community_safety\"]",
    );
    assert!(text(&safety).contains("27 points"));
}

/// The fixture as a councillor's or a resident's device holds it: the server's published
/// results, and no raw answer.
fn published_fixture() -> Snapshot {
    let mut s = fixture();
    let c = consultation();
    let consultation_record = s.consultations[&c].clone();
    let versions = s.questionnaire_versions_of(c);
    let versions: Vec<_> = versions
        .into_iter()
        .map(|(id, q)| (id, q.clone()))
        .collect();
    let versions: Vec<_> = versions.iter().map(|(id, q)| (*id, q)).collect();
    let events = s.events_of(c);
    let responses = s.responses_of(c);
    let published = publish(
        c,
        &consultation_record,
        &versions,
        events,
        responses.into_iter().map(|(_, r)| r),
    );
    s.published_results.insert(c, published);
    s.responses.clear();
    s
}

#[wasm_bindgen_test]
async fn without_raw_answers_the_page_shows_the_published_results_and_no_residents_words() {
    setup();
    let snapshot = RwSignal::new(published_fixture());
    let (on_save, _) = recorder();
    let (root, _h) = mount(move || {
        view! { <ResultsView snapshot=snapshot consultation=consultation() from_answers=false on_save=on_save /> }
    });
    settle().await;
    assert_eq!(attr(&one(&root, "#results-total"), "data-count"), "12");
    assert!(text(&one(&root, "#results-source")).contains("fewer than 5 people"));
    let page = text(&root);
    assert!(!page.contains("07700 900123"), "no free text is published");
    assert!(one(&root, "#free-text-published").child_element_count() > 0);
    for managers_only in [
        "#finding-save",
        "#import-file",
        "#free-text-search",
        "#export-raw-csv",
    ] {
        assert!(
            root.query_selector(managers_only).ok().flatten().is_none(),
            "{managers_only} is a manager's"
        );
    }
}

#[wasm_bindgen_test]
async fn the_public_page_ranks_from_the_published_results() {
    setup();
    let snapshot = RwSignal::new(published_fixture());
    let (root, _h) = mount(move || {
        view! { <YouSaidView snapshot=snapshot consultation=consultation() /> }
    });
    settle().await;
    let safety = one(
        &root,
        "#public-ranking [data-option-key=\"community_safety\"]",
    );
    assert!(text(&safety).contains("27 points"), "{}", text(&safety));
}

#[wasm_bindgen_test]
async fn a_title_with_markup_in_it_is_shown_as_text_and_never_run() {
    setup();
    let mut s = published_fixture();
    let hostile = "<img src=x onerror=\"document.title='run'\"><b>We Are Redditch</b>";
    if let Some(mut c) = s.consultations.get_mut(&consultation()) {
        c.title = hostile.to_owned();
    }
    let snapshot = RwSignal::new(s);
    let (on_save, _) = recorder();
    let (root, _h) = mount(move || {
        view! { <ResultsView snapshot=snapshot consultation=consultation() from_answers=false on_save=on_save /> }
    });
    settle().await;
    assert_eq!(
        text(&one(&root, "h1")),
        format!("Results: {hostile}"),
        "the markup is the heading's text"
    );
    assert!(root.query_selector("img, b").ok().flatten().is_none());
}
