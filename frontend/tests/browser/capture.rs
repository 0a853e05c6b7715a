//! Taking answers, in a real browser: the questionnaire form (each kind of question, ranking by
//! taps, the shared rule's errors, postcodes), the kiosk's PIN exit, the tablet's unsent count,
//! and the pure rules behind kiosk mode (PINs, inactivity). The fixture is "We Are Redditch"
//! (seed 004): its consultation, its January 2010 event and its questionnaire.

use atlas_shared::seeds::REDDITCH;
use std::collections::BTreeMap;
use std::time::Duration;

use atlas_frontend::app::Pages;
use atlas_frontend::components::FormErrors;
use atlas_frontend::data::Store;
use atlas_frontend::data::tablet::PIN_KEY;
use atlas_frontend::pages::consultation::capture::KioskTiming;
use atlas_frontend::pages::consultation::capture::{
    Capture, Idle, KIOSK_IDLE_LIMIT, KIOSK_IDLE_WARNING, KioskExit, TabletStatus, check_new_pin,
    idle_state, new_response, pin_matches,
};
use atlas_frontend::pages::consultation::questionnaire_form::QuestionnaireForm;
use atlas_frontend::pages::consultation::questionnaire_form::{
    Draft, PREFER_NOT_TO_SAY, check_answers, draft_answer, rank_move_up, rank_tap,
};
use atlas_shared::consultation::{
    AnswerValue, Channel, Choice, Consultation, ConsultationEvent, Question, QuestionKind,
    Questionnaire, validate_response,
};
use atlas_shared::sample_consultation::we_are_redditch_questions;
use atlas_shared::{
    ConsultationEventId, ConsultationId, DeviceId, Partnership, PartnershipId, QuestionnaireId,
    Snapshot, seeds::fixture_id as id,
};
use leptos::prelude::*;
use leptos_router::components::Router;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::common::*;

// ---------- Fixture: "We Are Redditch" (seed 004) ----------

fn question(key: &str, text: &str, required: bool, kind: QuestionKind) -> Question {
    Question {
        key: key.into(),
        text: text.into(),
        hint: String::new(),
        required,
        kind,
    }
}

/// The consultation, its event, and two questionnaire versions: the demo's first, and a second
/// that adds a choose-one and a choose-several question (so every kind is on the form).
fn fixture() -> (Snapshot, ConsultationId) {
    let p = PartnershipId(id(1));
    let c = ConsultationId(id(2));
    let mut s = Snapshot::default();
    s.partnerships.insert(
        p,
        Partnership {
            name: REDDITCH.into(),
            area: "Borough of Redditch".into(),
            description: String::new(),
            published: true,
            archived: false,
        },
    );
    s.consultations.insert(
        c,
        Consultation {
            partnership_id: p,
            title: "We Are Redditch".into(),
            purpose: "Partners ask residents what their priorities are for the borough.".into(),
            opens_on: Some(atlas_shared::IsoDate::known(2010, 1, 1)),
            closes_on: Some(atlas_shared::IsoDate::known(2010, 1, 31)),
            suppression_threshold: 5,
            archived: false,
        },
    );
    s.consultation_events.insert(
        ConsultationEventId(id(3)),
        ConsultationEvent {
            partnership_id: p,
            consultation_id: c,
            name: "We Are Redditch public event".into(),
            date: atlas_shared::IsoDate::known(2010, 1, 1),
            venue: "Redditch".into(),
        },
    );
    // The demo's first version (seed 004), shared with the results tests.
    let mut questions = we_are_redditch_questions();
    s.questionnaires.insert(
        QuestionnaireId(id(4)),
        Questionnaire {
            partnership_id: p,
            consultation_id: c,
            version: 1,
            questions: questions.clone(),
            opened_for_answers: false,
        },
    );
    questions.push(question(
        "heard_from",
        "How did you hear about We Are Redditch?",
        false,
        QuestionKind::ChooseSeveral {
            options: Choice::list(&[
                ("council_magazine", "The council magazine"),
                ("partner", "A partner organisation"),
                ("passing", "I was passing"),
            ]),
        },
    ));
    questions.push(question(
        "next_event",
        "Would you come to another event like this?",
        false,
        QuestionKind::ChooseOne {
            options: Choice::list(&[("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")]),
        },
    ));
    s.questionnaires.insert(
        QuestionnaireId(id(5)),
        Questionnaire {
            partnership_id: p,
            consultation_id: c,
            version: 2,
            questions,
            opened_for_answers: false,
        },
    );
    (s, c)
}

fn current() -> (QuestionnaireId, Questionnaire) {
    let (s, c) = fixture();
    let (qid, q) = s.current_questionnaire(c).expect("a questionnaire");
    (qid, q.clone())
}

type Submitted = RwSignal<Vec<BTreeMap<String, AnswerValue>>>;

/// Mounts the current version's form; every call of `on_submit` is recorded.
fn mount_form() -> (
    web_sys::HtmlElement,
    impl Drop,
    Submitted,
    RwSignal<FormErrors>,
) {
    setup();
    let submitted: Submitted = RwSignal::new(Vec::new());
    let errors = RwSignal::new(FormErrors::default());
    let (_, q) = current();
    let (root, handle) = mount(move || {
        view! {
            <QuestionnaireForm
                questionnaire=q
                on_submit=move |a| submitted.update(|s| s.push(a))
                errors=errors
                submit_label="Save this answer"
            />
        }
    });
    (root, handle, submitted, errors)
}

fn option(question: &str, option: &str) -> String {
    format!("[data-question-key=\"{question}\"] [data-option-key=\"{option}\"]")
}

fn ranked(keys: &[&str]) -> AnswerValue {
    AnswerValue::Ranked(keys.iter().map(|k| (*k).to_owned()).collect())
}

// ---------- The form ----------

#[wasm_bindgen_test]
async fn the_form_renders_every_kind_of_question_with_its_test_hooks() {
    let (root, _h, _, _) = mount_form();
    settle().await;
    let keys: Vec<String> = all(&root, "[data-question-key]")
        .iter()
        .filter_map(|e| e.get_attribute("data-question-key"))
        .collect();
    assert_eq!(
        keys,
        [
            "priorities",
            "know_the_partnership",
            "anything_else",
            "postcode",
            "age_band",
            "heard_from",
            "next_event"
        ]
    );
    // Ranking: a big button per priority.
    assert_eq!(
        all(
            &root,
            "[data-question-key=priorities] button[data-option-key]"
        )
        .len(),
        6
    );
    // The agree scale: five radios, strongly agree (2) to strongly disagree (-2).
    let scale: Vec<String> = all(
        &root,
        "[data-question-key=know_the_partnership] input[type=radio]",
    )
    .iter()
    .filter_map(|e| e.get_attribute("data-option-key"))
    .collect();
    assert_eq!(scale, ["2", "1", "0", "-1", "-2"]);
    // Free text with a character count; the postcode as a short text input.
    one(
        &root,
        "[data-question-key=anything_else] textarea#anything_else",
    );
    assert_eq!(
        text(&one(&root, "#anything_else-count")),
        "You have 1000 characters remaining"
    );
    one(
        &root,
        "[data-question-key=postcode] input#postcode[type=text]",
    );
    // About you: radios, with "Prefer not to say"; optional questions say so.
    one(&root, &option("age_band", PREFER_NOT_TO_SAY));
    assert_eq!(
        all(&root, "[data-question-key=age_band] input[type=radio]").len(),
        6
    );
    assert!(text(&one(&root, "[data-question-key=age_band] legend")).ends_with("(optional)"));
    // Choose several: checkboxes; choose one: radios.
    assert_eq!(
        all(
            &root,
            "[data-question-key=heard_from] input[type=checkbox][data-option-key]"
        )
        .len(),
        3
    );
    assert_eq!(
        all(
            &root,
            "[data-question-key=next_event] input[type=radio][data-option-key]"
        )
        .len(),
        3
    );
    assert_eq!(text(&one(&root, "#submit-answer")), "Save this answer");
}

#[wasm_bindgen_test]
async fn ranking_taps_give_the_priorities_in_the_order_tapped() {
    let (root, _h, submitted, _) = mount_form();
    settle().await;
    for key in ["housing", "community_safety", "health_and_wellbeing"] {
        click(&root, &option("priorities", key));
        settle().await;
    }
    // A fourth tap is ignored: three is the most.
    click(&root, &option("priorities", "older_people"));
    settle().await;
    let order: Vec<String> = all(&root, ".ranking__label").iter().map(text).collect();
    assert_eq!(
        order,
        ["Housing", "Community Safety", "Health and Wellbeing"]
    );
    assert_eq!(
        text(&one(&root, &option("priorities", "community_safety")))
            .chars()
            .next(),
        Some('2')
    );
    click(&root, "#submit-answer");
    settle().await;
    let got = submitted.get_untracked();
    assert_eq!(got.len(), 1, "on_submit is called once");
    assert_eq!(
        got[0].get("priorities"),
        Some(&ranked(&[
            "housing",
            "community_safety",
            "health_and_wellbeing"
        ]))
    );
    // Unanswered optional questions are left out.
    assert_eq!(got[0].len(), 1);
}

#[wasm_bindgen_test]
async fn move_up_and_remove_change_the_ranking_without_dragging() {
    let (root, _h, submitted, _) = mount_form();
    settle().await;
    for key in ["housing", "community_safety", "older_people"] {
        click(&root, &option("priorities", key));
        settle().await;
    }
    click(&root, "[data-move-up=community_safety]");
    settle().await;
    click(&root, "[data-remove=housing]");
    settle().await;
    click(&root, "#submit-answer");
    settle().await;
    assert_eq!(
        submitted.get_untracked()[0].get("priorities"),
        Some(&ranked(&["community_safety", "older_people"]))
    );
}

#[wasm_bindgen_test]
async fn a_missing_required_answer_shows_the_error_summary_and_is_not_submitted() {
    let (root, _h, submitted, errors) = mount_form();
    settle().await;
    click(&root, &option("know_the_partnership", "1"));
    click(&root, "#submit-answer");
    settle().await;
    assert!(submitted.get_untracked().is_empty());
    let link = one(&root, ".error-summary a");
    assert_eq!(link.get_attribute("href").as_deref(), Some("#priorities"));
    assert!(text(&link).starts_with("Answer the question: Which three"));
    assert_eq!(
        errors.get_untracked().fields[0].field,
        "priorities",
        "the error names the question"
    );
    // The question itself shows the error, and its field has the id the summary links to.
    one(&root, "[data-question-key=priorities].form-group--error");
    one(&root, "fieldset#priorities");
}

#[wasm_bindgen_test]
async fn a_postcode_is_kept_as_its_district() {
    let (root, _h, submitted, _) = mount_form();
    settle().await;
    click(&root, &option("priorities", "housing"));
    type_into(&root, "#postcode", "b97 4aa");
    click(&root, &option("age_band", PREFER_NOT_TO_SAY));
    click(&root, &option("heard_from", "passing"));
    click(&root, &option("heard_from", "council_magazine"));
    click(&root, &option("next_event", "yes"));
    type_into(&root, "#anything_else", "  More for young people  ");
    settle().await;
    assert_eq!(text(&one(&root, ".postcode-kept")), "We will keep: B97");
    click(&root, "#submit-answer");
    settle().await;
    let got = submitted.get_untracked();
    assert_eq!(got.len(), 1);
    let a = &got[0];
    assert_eq!(
        a.get("postcode"),
        Some(&AnswerValue::Postcode("B97".into()))
    );
    assert_eq!(
        a.get("age_band"),
        None,
        "prefer not to say leaves it unanswered"
    );
    assert_eq!(
        a.get("heard_from"),
        Some(&AnswerValue::Several(vec![
            "passing".into(),
            "council_magazine".into()
        ]))
    );
    assert_eq!(a.get("next_event"), Some(&AnswerValue::One("yes".into())));
    assert_eq!(
        a.get("anything_else"),
        Some(&AnswerValue::Text("More for young people".into()))
    );
}

#[wasm_bindgen_test]
async fn something_that_is_not_a_postcode_is_refused_with_the_shared_rule() {
    let (root, _h, submitted, _) = mount_form();
    settle().await;
    click(&root, &option("priorities", "housing"));
    type_into(&root, "#postcode", "Redditch");
    settle().await;
    click(&root, "#submit-answer");
    settle().await;
    assert!(submitted.get_untracked().is_empty());
    let link = one(&root, ".error-summary a");
    assert_eq!(link.get_attribute("href").as_deref(), Some("#postcode"));
    assert_eq!(text(&link), "Enter the first part of a postcode, like B97");
}

// ---------- Kiosk exit and the tablet's status ----------

#[wasm_bindgen_test]
async fn kiosk_exit_refuses_a_wrong_pin_and_accepts_the_right_one() {
    setup();
    let exits = RwSignal::new(0u32);
    let (root, _h) = mount(move || {
        view! {
            <KioskExit
                stored=Signal::derive(|| Some("2468".to_owned()))
                on_exit=move |()| exits.update(|n| *n += 1)
            />
        }
    });
    settle().await;
    click(&root, "#kiosk-exit");
    settle().await;
    type_into(&root, "#kiosk-pin", "1357");
    click(&root, "#kiosk-pin-submit");
    settle().await;
    assert_eq!(exits.get_untracked(), 0, "a wrong PIN does not leave");
    assert!(text(&one(&root, "#kiosk-pin-error")).contains("That PIN is not right"));
    // Still asking: the PIN can be tried again.
    type_into(&root, "#kiosk-pin", "2468");
    click(&root, "#kiosk-pin-submit");
    settle().await;
    assert_eq!(exits.get_untracked(), 1, "the right PIN leaves");
}

#[wasm_bindgen_test]
async fn the_tablet_shows_how_many_answers_it_holds_unsent() {
    setup();
    let unsent = RwSignal::new(0usize);
    let (root, _h) = mount(move || {
        view! {
            <TabletStatus
                unsent=unsent
                persistent=Signal::derive(|| Some(false))
                rescue_link=true
            />
        }
    });
    settle().await;
    assert_eq!(
        one(&root, "#unsent-answers")
            .get_attribute("data-count")
            .as_deref(),
        Some("0")
    );
    unsent.set(3);
    settle().await;
    let count = one(&root, "#unsent-answers");
    assert_eq!(count.get_attribute("data-count").as_deref(), Some("3"));
    assert!(text(&count).starts_with("3 answers are kept on this tablet"));
    assert_eq!(
        one(&root, ".tablet-status a")
            .get_attribute("href")
            .as_deref(),
        Some("/device")
    );
}

// ---------- Pure rules ----------

#[wasm_bindgen_test]
fn a_new_pin_is_four_to_eight_digits_typed_the_same_twice() {
    assert_eq!(check_new_pin("2468", "2468"), Ok("2468".to_owned()));
    assert_eq!(
        check_new_pin("12345678", " 12345678 "),
        Ok("12345678".to_owned())
    );
    for bad in ["123", "123456789", "12a4", "", "12 34"] {
        assert_eq!(
            check_new_pin(bad, bad).map_err(|e| e.field),
            Err("kiosk-new-pin".to_owned()),
            "{bad:?}"
        );
    }
    assert_eq!(
        check_new_pin("2468", "2469").map_err(|e| e.field),
        Err("kiosk-new-pin-again".to_owned())
    );
}

#[wasm_bindgen_test]
fn only_the_stored_pin_leaves_kiosk_mode() {
    assert!(pin_matches(Some("2468"), "2468"));
    assert!(pin_matches(Some("2468"), " 2468 "));
    assert!(!pin_matches(Some("2468"), "2469"));
    assert!(!pin_matches(Some("2468"), ""));
    assert!(!pin_matches(None, ""));
    assert!(!pin_matches(Some(""), ""));
}

#[wasm_bindgen_test]
fn an_idle_kiosk_warns_fifteen_seconds_before_it_starts_again() {
    let limit = KIOSK_IDLE_LIMIT.as_millis() as f64;
    let warning = KIOSK_IDLE_WARNING.as_millis() as f64;
    assert_eq!(limit, 90_000.0);
    let t0 = 1_263_000_000_000.0;
    assert_eq!(idle_state(t0, t0 + 10_000.0, true), Idle::Active);
    assert_eq!(
        idle_state(t0, t0 + limit - warning, true),
        Idle::Warn { seconds_left: 15 }
    );
    assert_eq!(
        idle_state(t0, t0 + limit - 1_500.0, true),
        Idle::Warn { seconds_left: 2 }
    );
    assert_eq!(idle_state(t0, t0 + limit, true), Idle::Reset);
    // Nothing begun, nothing to discard.
    assert_eq!(idle_state(t0, t0 + limit * 3.0, false), Idle::Active);
    // A clock that went backwards is not "idle".
    assert_eq!(idle_state(t0, t0 - 5_000.0, true), Idle::Active);
}

#[wasm_bindgen_test]
fn ranking_taps_stop_at_the_top_n_and_move_up_swaps() {
    let mut chosen = Vec::new();
    for k in ["a", "b", "c", "d"] {
        rank_tap(&mut chosen, k, 3);
    }
    assert_eq!(chosen, ["a", "b", "c"]);
    rank_tap(&mut chosen, "b", 3);
    assert_eq!(chosen, ["a", "c"]);
    rank_move_up(&mut chosen, "c");
    assert_eq!(chosen, ["c", "a"]);
    rank_move_up(&mut chosen, "c");
    assert_eq!(chosen, ["c", "a"], "the first stays first");
}

#[wasm_bindgen_test]
fn a_captured_response_records_event_version_device_channel_and_time() {
    let (s, c) = fixture();
    let (qid, q) = s.current_questionnaire(c).expect("a questionnaire");
    let event = s.events_of(c)[0].0;
    let device = DeviceId(id(9));
    let question = &q.questions[0];
    let answer = draft_answer(
        question,
        &Draft {
            chosen: vec!["housing".into()],
            ..Draft::default()
        },
    )
    .expect("an answer");
    let answers: BTreeMap<String, AnswerValue> = [("priorities".to_owned(), answer)].into();
    assert_eq!(check_answers(q, &answers), Ok(()));
    let r = new_response(
        device,
        (qid, q),
        Capture {
            consultation: c,
            event: Some(event),
            channel: Channel::StaffAssisted,
        },
        1_262_340_000_000,
        answers,
    );
    assert_eq!(
        r.questionnaire_id,
        QuestionnaireId(id(5)),
        "the current version"
    );
    assert_eq!(r.event_id, Some(event));
    assert_eq!(r.device_id, device);
    assert_eq!(r.channel, Channel::StaffAssisted);
    assert_eq!(r.captured_at, 1_262_340_000_000);
    assert_eq!(r.partnership_id, q.partnership_id);
    assert_eq!(validate_response(q, &r), Ok(()));
}

// ---------- The pages, with a real store (IndexedDB) and router ----------

/// Goes to `url` in this tab (as a link would) so the router shows its page.
fn go_to(url: &str) {
    let history = js_sys::Reflect::get(&window(), &"history".into()).expect("a history");
    let push: js_sys::Function = js_sys::Reflect::get(&history, &"pushState".into())
        .expect("pushState")
        .into();
    push.call3(
        &history,
        &wasm_bindgen::JsValue::NULL,
        &"".into(),
        &url.into(),
    )
    .expect("pushed");
}

/// A fresh store holding the fixture, and the capture and kiosk pages mounted at `url`.
async fn mount_pages(url: String) -> (web_sys::HtmlElement, impl Drop, Store) {
    setup();
    let name: &'static str =
        Box::leak(format!("atlas-test-capture-{}", js_sys::Date::now()).into_boxed_str());
    let store = Store::start_with(name);
    until("the local copy to load", Duration::from_secs(10), || {
        store.ready().get_untracked()
    })
    .await;
    for ((_, record_id), entity) in fixture().0.entities() {
        store
            .save(record_id, entity.into())
            .await
            .expect("the fixture is stored");
    }
    go_to(&url);
    let (root, handle) = mount(move || {
        provide_context(store);
        // Kiosk mode's clock in seconds rather than minutes.
        provide_context(KioskTiming {
            idle_limit: Duration::from_millis(2500),
            warning: Duration::from_millis(1500),
            tick: Duration::from_millis(200),
        });
        view! {
            // The app's own pages, found by their address as in the app.
            <Router>
                <Pages />
            </Router>
        }
    });
    (root, handle, store)
}

/// Waits (up to 5 s) until `css` matches inside `root`.
async fn appears(root: &web_sys::Element, what: &str, css: &str) {
    until(what, Duration::from_secs(5), || {
        root.query_selector(css).ok().flatten().is_some()
    })
    .await;
}

/// Submits the form and waits for "thank you", which comes only once the answer is stored.
async fn submit_and_wait_for_thanks(root: &web_sys::Element) {
    click(root, "#submit-answer");
    appears(root, "thank you", ".capture-thanks").await;
}

#[wasm_bindgen_test]
async fn staff_capture_saves_each_answer_on_the_device_before_saying_thank_you() {
    let (_, c) = fixture();
    let (root, _h, store) = mount_pages(format!("/consultations/{c}/capture")).await;
    appears(&root, "the capture page", "#submit-answer").await;
    // The only event is chosen already; staff-assisted is the default.
    let event = fixture().0.events_of(c)[0].0;
    assert_eq!(
        one(&root, "#capture-event")
            .unchecked_into::<web_sys::HtmlSelectElement>()
            .value(),
        event.to_string()
    );
    assert_eq!(
        one(&root, "#unsent-answers")
            .get_attribute("data-count")
            .as_deref(),
        Some("0")
    );
    for key in ["older_people", "housing"] {
        click(&root, &option("priorities", key));
        settle().await;
    }
    submit_and_wait_for_thanks(&root).await;
    let snap = store.snapshot().get_untracked();
    let responses = snap.responses_of(c);
    assert_eq!(responses.len(), 1, "the answer is in the local copy");
    let r = responses[0].1;
    assert_eq!(r.channel, Channel::StaffAssisted);
    assert_eq!(r.event_id, Some(event));
    assert_eq!(r.device_id, store.device_id());
    assert_eq!(r.questionnaire_id, QuestionnaireId(id(5)));
    assert_eq!(
        r.answers.get("priorities"),
        Some(&ranked(&["older_people", "housing"]))
    );
    assert!(
        store
            .rescue_file()
            .mutations
            .iter()
            .any(|m| m.kind == atlas_shared::EntityKind::Response)
    );
    settle().await;
    assert_eq!(
        one(&root, "#unsent-answers")
            .get_attribute("data-count")
            .as_deref(),
        Some("1")
    );
    // The next resident starts with nothing chosen.
    click(&root, "#next-resident");
    settle().await;
    assert!(all(&root, ".option-card--chosen").is_empty());
    assert!(all(&root, ".capture-thanks").is_empty());
    // A paper form needs no event.
    click(&root, "#channel-paper");
    type_into(&root, "#capture-event", "");
    click(&root, &option("priorities", "housing"));
    settle().await;
    submit_and_wait_for_thanks(&root).await;
    let snap = store.snapshot().get_untracked();
    let paper = snap
        .responses_of(c)
        .into_iter()
        .find(|(_, r)| r.channel == Channel::Paper)
        .expect("the paper form");
    assert_eq!(paper.1.event_id, None);
}

/// The kiosk page of `c` on a tablet with no PIN set, at its set-up screen.
async fn kiosk_set_up(c: ConsultationId) -> (web_sys::HtmlElement, impl Drop, Store) {
    if let Some(storage) = window().local_storage().ok().flatten() {
        let _ = storage.remove_item(PIN_KEY);
    }
    let (root, handle, store) = mount_pages(format!("/consultations/{c}/kiosk")).await;
    appears(&root, "the kiosk set-up", "#kiosk-start").await;
    (root, handle, store)
}

#[wasm_bindgen_test]
async fn kiosk_mode_needs_its_pin_to_leave_and_hides_the_sites_frame() {
    let (_, c) = fixture();
    let (root, _h, store) = kiosk_set_up(c).await;
    type_into(&root, "#kiosk-new-pin", "2468");
    type_into(&root, "#kiosk-new-pin-again", "2486");
    click(&root, "#kiosk-start");
    settle().await;
    assert!(text(&one(&root, ".error-summary")).contains("do not match"));
    type_into(&root, "#kiosk-new-pin-again", "2468");
    click(&root, "#kiosk-start");
    appears(&root, "kiosk mode", "#kiosk-exit").await;
    let html = document().document_element().expect("html");
    assert!(html.class_list().contains("kiosk"));
    assert!(all(&root, "a").is_empty(), "kiosk mode offers no links");
    click(&root, &option("priorities", "community_safety"));
    settle().await;
    submit_and_wait_for_thanks(&root).await;
    let snap = store.snapshot().get_untracked();
    assert_eq!(snap.responses_of(c)[0].1.channel, Channel::Kiosk);
    click(&root, "#next-resident");
    settle().await;
    // A wrong PIN stays; the right one leaves for the capture screen.
    click(&root, "#kiosk-exit");
    settle().await;
    type_into(&root, "#kiosk-pin", "0000");
    click(&root, "#kiosk-pin-submit");
    settle().await;
    one(&root, "#kiosk-pin-error");
    assert!(html.class_list().contains("kiosk"));
    type_into(&root, "#kiosk-pin", "2468");
    click(&root, "#kiosk-pin-submit");
    until("the capture screen", Duration::from_secs(5), || {
        root.query_selector("#capture-event")
            .ok()
            .flatten()
            .is_some()
            && root.query_selector("#kiosk-exit").ok().flatten().is_none()
    })
    .await;
    assert!(!html.class_list().contains("kiosk"));
    assert!(
        window()
            .location()
            .pathname()
            .unwrap_or_default()
            .ends_with("/capture")
    );
}

#[wasm_bindgen_test]
async fn the_public_questionnaire_takes_an_online_answer_with_no_event() {
    let (_, c) = fixture();
    let (root, _h, store) = mount_pages(format!("/consult/{c}")).await;
    appears(&root, "the public questionnaire", "#submit-answer").await;
    assert_eq!(text(&one(&root, "h1")), "We Are Redditch");
    click(&root, "#submit-answer");
    appears(&root, "the error summary", ".error-summary").await;
    click(&root, &option("priorities", "health_and_wellbeing"));
    click(&root, &option("know_the_partnership", "-1"));
    settle().await;
    submit_and_wait_for_thanks(&root).await;
    one(&root, "#consult-confirmation");
    let snap = store.snapshot().get_untracked();
    let r = snap.responses_of(c)[0].1;
    assert_eq!(r.channel, Channel::Online);
    assert_eq!(r.event_id, None);
    assert_eq!(
        r.answers.get("know_the_partnership"),
        Some(&AnswerValue::Scale(-1))
    );
}

#[wasm_bindgen_test]
async fn an_idle_kiosk_asks_whether_anyone_is_there_then_discards_the_half_finished_answer() {
    let (_, c) = fixture();
    let (root, _h, store) = kiosk_set_up(c).await;
    type_into(&root, "#kiosk-new-pin", "97531");
    type_into(&root, "#kiosk-new-pin-again", "97531");
    click(&root, "#kiosk-start");
    appears(&root, "kiosk mode", "#kiosk-exit").await;
    // Untouched, it waits for ever: nothing to discard.
    sleep(1500).await;
    assert!(all(&root, "#kiosk-still-here").is_empty());
    click(&root, &option("priorities", "housing"));
    settle().await;
    assert_eq!(all(&root, ".option-card--chosen").len(), 1);
    appears(&root, "are you still there?", "#kiosk-still-here").await;
    assert!(text(&one(&root, ".kiosk-warning")).contains("Are you still there?"));
    until(
        "the half-finished answer to go",
        Duration::from_secs(5),
        || all(&root, ".option-card--chosen").is_empty(),
    )
    .await;
    assert!(all(&root, "#kiosk-still-here").is_empty());
    assert!(
        store.snapshot().get_untracked().responses_of(c).is_empty(),
        "nothing was saved"
    );
    one(&root, "#kiosk-exit");
    // Leave kiosk mode so the page is as it was.
    click(&root, "#kiosk-exit");
    settle().await;
    type_into(&root, "#kiosk-pin", "97531");
    click(&root, "#kiosk-pin-submit");
    settle().await;
}
