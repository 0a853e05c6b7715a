//! Consultation administration in a real browser: the list of a partnership's consultations,
//! one consultation's page, and the questionnaire builder with its versions. Each test mounts
//! one presentational component with a hand-built `Snapshot` of "We Are Redditch" (seed 004:
//! the Redditch Partnership's public consultation event of January 2010). No store, no
//! IndexedDB: the builder's save comes back through its callback.

use atlas_shared::seeds;
use std::collections::BTreeMap;

use atlas_frontend::components::FormErrors;
use atlas_frontend::pages::consultation::consultations::{
    ConsultationDetail, ConsultationForm, ConsultationList, date_range,
};
use atlas_frontend::pages::consultation::questionnaire::QuestionnaireBuilder;
use atlas_frontend::pages::delete::{consequences, delete_target};
use atlas_shared::consultation::{
    AnswerValue, Channel, Choice, Consultation, ConsultationEvent, Question, QuestionKind,
    Questionnaire, Response,
};
use atlas_shared::{
    Body, BodyId, BodyKind, ConsultationEventId, ConsultationId, DeviceId, EntityKind, IsoDate,
    Partnership, PartnershipId, QuestionnaireId, ResponseId, Snapshot, seeds::fixture_id as id,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};

use crate::common::*;

// ---------- Fixture: Redditch Partnership and "We Are Redditch" (seeds 000 and 004) ----------

const REDDITCH: u16 = 1;
const BATH: u16 = 2;
const WE_ARE_REDDITCH: u16 = 10;
const SECOND_EVENT: u16 = 11;
const PUBLIC_EVENT: u16 = 12;
const VERSION_1: u16 = 20;

fn partnership(n: u16) -> PartnershipId {
    PartnershipId(id(n))
}

fn consultation(n: u16) -> ConsultationId {
    ConsultationId(id(n))
}

fn version_1() -> QuestionnaireId {
    QuestionnaireId(id(VERSION_1))
}

fn question(key: &str, text: &str, required: bool, kind: QuestionKind) -> Question {
    Question {
        key: key.into(),
        text: text.into(),
        hint: String::new(),
        required,
        kind,
    }
}

/// The first version of the We Are Redditch questionnaire: rank three themes, then a
/// postcode district.
fn first_version() -> Questionnaire {
    Questionnaire {
        partnership_id: partnership(REDDITCH),
        consultation_id: consultation(WE_ARE_REDDITCH),
        version: 1,
        questions: vec![
            question(
                "priorities",
                "Which three of these matter most to you for Redditch? Put the most important first.",
                true,
                QuestionKind::RankPriorities {
                    options: Choice::list(&[
                        ("community_safety", "Community Safety"),
                        ("health_and_wellbeing", "Health and Wellbeing"),
                        ("housing", "Housing"),
                        ("older_people", "Older People"),
                    ]),
                    top_n: 3,
                },
            ),
            question(
                "postcode",
                "What is the first part of your postcode (for example B97)?",
                false,
                QuestionKind::PostcodeDistrict,
            ),
        ],
        opened_for_answers: false,
    }
}

/// Redditch (its Partnership Management Board, two themed groups named after general LSP
/// themes, since the papers do not name Redditch's, and the LSP Task and Finish Group), the We
/// Are Redditch consultation of January 2010 with its event and first questionnaire version,
/// and the second consultation of 2010, not yet dated. Bath & North East Somerset has none.
fn fixture() -> Snapshot {
    let mut s = Snapshot::default();
    for (n, name) in [
        (REDDITCH, seeds::REDDITCH),
        (BATH, "Bath & North East Somerset LSP"),
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
    let p = partnership(REDDITCH);
    for (n, name, kind) in [
        (30, "Partnership Management Board", BodyKind::Board),
        (31, "Health and Wellbeing", BodyKind::PriorityActionGroup),
        (32, "Community Safety", BodyKind::PriorityActionGroup),
        (
            33,
            "LSP Task and Finish Group",
            BodyKind::TaskAndFinishGroup,
        ),
    ] {
        s.bodies.insert(
            BodyId(id(n)),
            Body {
                partnership_id: p,
                name: name.into(),
                kind,
                terms_of_reference: String::new(),
            },
        );
    }
    s.consultations.insert(
        consultation(WE_ARE_REDDITCH),
        Consultation {
            partnership_id: p,
            title: "We Are Redditch".into(),
            purpose: "Partners tell residents about their work and ask them what their priorities are for the borough's new Sustainable Community Strategy.".into(),
            opens_on: Some(atlas_shared::IsoDate::known(2010, 1, 1)),
            closes_on: Some(atlas_shared::IsoDate::known(2010, 1, 31)),
            suppression_threshold: 5,
            archived: false,
        },
    );
    s.consultations.insert(
        consultation(SECOND_EVENT),
        Consultation {
            partnership_id: p,
            title: "Second consultation event of 2010".into(),
            purpose: String::new(),
            opens_on: None,
            closes_on: None,
            suppression_threshold: 5,
            archived: false,
        },
    );
    s.consultation_events.insert(
        ConsultationEventId(id(PUBLIC_EVENT)),
        ConsultationEvent {
            partnership_id: p,
            consultation_id: consultation(WE_ARE_REDDITCH),
            name: "We Are Redditch public event".into(),
            date: atlas_shared::IsoDate::known(2010, 1, 1),
            venue: "Redditch".into(),
        },
    );
    s.questionnaires.insert(version_1(), first_version());
    s
}

/// A resident's answers to version 1, captured by `channel` (`n` makes its id).
fn answer(s: &mut Snapshot, n: u16, channel: Channel) {
    let mut answers = BTreeMap::new();
    answers.insert(
        "priorities".to_owned(),
        AnswerValue::Ranked(vec!["housing".into(), "community_safety".into()]),
    );
    s.responses.insert(
        ResponseId(id(n)),
        Response {
            partnership_id: partnership(REDDITCH),
            consultation_id: consultation(WE_ARE_REDDITCH),
            questionnaire_id: version_1(),
            event_id: Some(ConsultationEventId(id(PUBLIC_EVENT))),
            device_id: DeviceId(id(90)),
            channel,
            // 16 January 2010.
            captured_at: 1_263_640_000_000 + i64::from(n),
            answers,
            hidden: false,
            accepted: false,
            received_at: None,
            review: Vec::new(),
        },
    );
}

fn texts(root: &Element, css: &str) -> Vec<String> {
    all(root, css).iter().map(text).collect()
}

fn value_of(root: &Element, css: &str) -> String {
    let el = one(root, css);
    if let Some(area) = el.dyn_ref::<HtmlTextAreaElement>() {
        return area.value();
    }
    el.unchecked_into::<HtmlInputElement>().value()
}

/// The button whose text starts with `label`, inside `within`.
fn button(within: &Element, label: &str) -> web_sys::HtmlElement {
    all(within, "button")
        .into_iter()
        .find(|b| text(b).starts_with(label))
        .unwrap_or_else(|| panic!("no button {label}"))
        .unchecked_into()
}

type Saved = RwSignal<Option<(QuestionnaireId, Questionnaire)>>;

/// The builder for We Are Redditch over `snapshot`, and what it last asked to save.
async fn mount_builder(snapshot: RwSignal<Snapshot>) -> (web_sys::HtmlElement, impl Drop, Saved) {
    let saved: Saved = RwSignal::new(None);
    let errors = RwSignal::new(FormErrors::default());
    let (root, unmount) = mount(move || {
        view! {
            <QuestionnaireBuilder
                snapshot=snapshot
                consultation=consultation(WE_ARE_REDDITCH)
                errors=errors
                on_save=move |record| saved.set(Some(record))
            />
        }
    });
    settle().await;
    (root, unmount, saved)
}

/// "Add a question", choose the kind `key`, continue: the editor opens.
async fn start_question(root: &Element, key: &str) {
    click(root, ".add-question");
    settle().await;
    click(root, &format!("#kind-{key}"));
    click(root, ".kind-chooser button[type=submit]");
    settle().await;
}

// ---------- The list ----------

#[wasm_bindgen_test]
async fn the_list_shows_each_consultation_with_its_dates_and_answer_count() {
    setup();
    let mut s = fixture();
    answer(&mut s, 50, Channel::Kiosk);
    answer(&mut s, 51, Channel::StaffAssisted);
    let snapshot = RwSignal::new(s);
    let (root, _unmount) = mount(move || {
        view! { <ConsultationList snapshot=snapshot partnership=partnership(REDDITCH) /> }
    });
    settle().await;

    assert_eq!(text(&one(&root, "h1")), "Consultations");
    // Latest opening first; the undated one last.
    assert_eq!(
        texts(&root, ".consultation-list__title"),
        ["We Are Redditch", "Second consultation event of 2010"]
    );
    assert_eq!(
        texts(&root, ".consultation-list__dates"),
        ["1 January 2010 to 31 January 2010", "No dates set"]
    );
    assert_eq!(
        texts(&root, ".consultation-list__answers"),
        ["2 answers", "0 answers"]
    );
    one(
        &root,
        &format!("a[href='/consultations/{}']", consultation(WE_ARE_REDDITCH)),
    );
    let add = one(
        &root,
        &format!(
            "a[href='/partnerships/{}/consultations/new']",
            partnership(REDDITCH)
        ),
    );
    assert_eq!(text(&add), "Add a consultation");

    // A new answer arriving by sync is counted at once.
    snapshot.update(|s| answer(s, 52, Channel::Online));
    settle().await;
    assert_eq!(
        texts(&root, ".consultation-list__answers"),
        ["3 answers", "0 answers"]
    );
}

#[wasm_bindgen_test]
async fn with_no_consultations_the_list_says_what_a_consultation_is() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _unmount) = mount(move || {
        view! { <ConsultationList snapshot=snapshot partnership=partnership(BATH) /> }
    });
    settle().await;
    assert!(all(&root, ".consultation-list__item").is_empty());
    let empty = text(&one(&root, ".consultations-empty"));
    assert!(empty.contains("There are no consultations yet."), "{empty}");
    assert!(empty.contains("We Are Redditch"), "{empty}");
    assert!(empty.contains("on tablets"), "{empty}");
}

#[wasm_bindgen_test]
fn dates_read_as_people_write_them() {
    assert_eq!(
        date_range(
            Some(IsoDate::known(2010, 1, 1)),
            Some(IsoDate::known(2010, 1, 31))
        ),
        "1 January 2010 to 31 January 2010"
    );
    assert_eq!(
        date_range(Some(IsoDate::known(2010, 1, 16)), None),
        "From 16 January 2010"
    );
    assert_eq!(date_range(None, None), "No dates set");
}

// ---------- One consultation ----------

#[wasm_bindgen_test]
async fn the_consultation_page_links_to_capture_kiosk_results_and_the_public_link() {
    setup();
    let mut s = fixture();
    answer(&mut s, 50, Channel::Kiosk);
    answer(&mut s, 51, Channel::Kiosk);
    answer(&mut s, 52, Channel::Paper);
    let snapshot = RwSignal::new(s);
    let c = consultation(WE_ARE_REDDITCH);
    let (root, _unmount) = mount(move || {
        view! { <ConsultationDetail snapshot=snapshot id=c origin="https://atlas.example" /> }
    });
    settle().await;

    assert_eq!(text(&one(&root, "h1")), "We Are Redditch");
    assert_eq!(
        text(&one(&root, ".consultation-summary__dates")),
        "1 January 2010 to 31 January 2010"
    );
    for (href, label) in [
        (
            format!("/consultations/{c}/capture"),
            "Capture answers at an event (staff)",
        ),
        (
            format!("/consultations/{c}/kiosk"),
            "Kiosk mode for residents",
        ),
        (format!("/consultations/{c}/results"), "Results"),
        (format!("/consult/{c}/you-said-we-did"), "You said, we did"),
        (
            format!("/consultations/{c}/questionnaire"),
            "Edit the questionnaire",
        ),
        (format!("/consultations/{c}/events/new"), "Add an event"),
    ] {
        assert_eq!(text(&one(&root, &format!("a[href='{href}']"))), label);
    }
    assert_eq!(
        value_of(&root, "#public-link"),
        format!("https://atlas.example/consult/{c}")
    );
    button(&root, "Copy link");

    // The event, with its edit and delete links.
    assert_eq!(
        texts(&root, ".event-table__row td"),
        [
            "We Are Redditch public event",
            "1 January 2010",
            "Redditch",
            "Edit We Are Redditch public event Delete We Are Redditch public event"
        ]
    );
    let e = ConsultationEventId(id(PUBLIC_EVENT));
    one(&root, &format!("a[href='/events/{e}/edit']"));
    one(&root, &format!("a[href='/events/{e}/delete']"));

    assert_eq!(
        text(&one(&root, ".questionnaire-summary")),
        "Version 1: 2 questions. 3 residents have answered this version."
    );
    // Answers by channel: staff-assisted, kiosk, paper, online, then the total.
    let counts: Vec<String> = all(&root, ".channel-table tbody tr")
        .iter()
        .map(|row| texts(row, "td, th").join(": "))
        .collect();
    assert_eq!(
        counts,
        [
            "Staff-assisted: 0",
            "Kiosk: 2",
            "Paper form: 1",
            "Online: 0",
            "Total: 3"
        ]
    );
}

#[wasm_bindgen_test]
async fn the_consultation_form_refuses_a_threshold_that_is_not_a_number() {
    setup();
    let errors = RwSignal::new(FormErrors::default());
    let submitted = RwSignal::new(None::<Consultation>);
    let (root, _unmount) = mount(move || {
        view! {
            <ConsultationForm
                initial=Consultation {
                    partnership_id: partnership(REDDITCH),
                    title: String::new(),
                    purpose: String::new(),
                    opens_on: None,
                    closes_on: None,
                    suppression_threshold: 5,
                    archived: false,
                }
                errors=errors
                submit_label="Add consultation"
                cancel_href="/"
                on_submit=move |c| submitted.set(Some(c))
            />
        }
    });
    settle().await;
    assert_eq!(value_of(&root, "#suppression_threshold"), "5");
    assert_eq!(
        one(&root, "#opens_on").get_attribute("type").as_deref(),
        Some("date")
    );
    type_into(&root, "#title", "We Are Redditch");
    type_into(&root, "#opens_on", "2010-01-01");
    type_into(&root, "#suppression_threshold", "five");
    click(&root, "button[type=submit]");
    settle().await;
    assert_eq!(submitted.get_untracked(), None);
    assert!(text(&one(&root, "#suppression_threshold-error")).contains("whole number"));

    type_into(&root, "#suppression_threshold", "10");
    click(&root, "button[type=submit]");
    settle().await;
    assert_eq!(
        submitted.get_untracked(),
        Some(Consultation {
            partnership_id: partnership(REDDITCH),
            title: "We Are Redditch".into(),
            purpose: String::new(),
            opens_on: Some(atlas_shared::IsoDate::known(2010, 1, 1)),
            closes_on: None,
            suppression_threshold: 10,
            archived: false,
        })
    );
}

#[wasm_bindgen_test]
fn deleting_an_event_goes_back_to_its_consultation_and_is_refused_while_answers_belong_to_it() {
    let mut s = fixture();
    answer(&mut s, 50, Channel::Kiosk);
    let c = consultation(WE_ARE_REDDITCH);
    let event = id(PUBLIC_EVENT);
    let target = delete_target(&s, EntityKind::ConsultationEvent, event).expect("the event");
    assert_eq!(target.what, "the event “We Are Redditch public event”");
    assert_eq!(target.done_href, format!("/consultations/{c}"));
    let trail: Vec<&str> = target.crumbs.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        trail,
        [
            "Partnerships",
            seeds::REDDITCH,
            "Consultations",
            "We Are Redditch",
            "Delete"
        ]
    );
    assert_eq!(
        consequences(&s, (EntityKind::ConsultationEvent, event)).as_deref(),
        Some("This also removes 1 response.")
    );
    // Answers are never lost with an event, a questionnaire version or the consultation
    // itself: the delete is refused (the consultation can be archived instead).
    assert_eq!(s.answers_held_by((EntityKind::ConsultationEvent, event)), 1);
    assert_eq!(s.answers_held_by((EntityKind::Consultation, c.0)), 1);
    let whole = delete_target(&s, EntityKind::Consultation, c.0).expect("the consultation");
    assert_eq!(
        whole.done_href,
        format!("/partnerships/{}/consultations", partnership(REDDITCH))
    );
}

// ---------- The questionnaire builder ----------

#[wasm_bindgen_test]
async fn the_builder_prefills_ranking_options_from_the_priority_action_groups() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _unmount, saved) = mount_builder(snapshot).await;

    assert_eq!(
        texts(&root, ".question-list__number"),
        ["Question 1", "Question 2"]
    );
    start_question(&root, "rank_priorities").await;
    // Redditch's two themed groups, in name order; not its Board nor its Task and Finish Group.
    assert_eq!(
        value_of(&root, "#options"),
        "Community Safety\nHealth and Wellbeing"
    );
    assert_eq!(value_of(&root, "#top_n"), "2");
    type_into(
        &root,
        "#options",
        "Community Safety\nHealth and Wellbeing\nHousing",
    );
    type_into(&root, "#top_n", "3");
    click(&root, ".question-editor button[type=submit]");
    settle().await;

    assert_eq!(
        texts(&root, ".question-list__number"),
        ["Question 1", "Question 2", "Question 3"]
    );
    assert!(text(&one(&root, ".builder__unsaved")).contains("not saved"));
    // Nothing is written until "Save questionnaire".
    assert_eq!(saved.get_untracked(), None);
    click(&root, ".save-questionnaire");
    settle().await;
    let (_, record) = saved.get_untracked().expect("saved");
    let added = &record.questions[2];
    assert_eq!(
        added.kind,
        QuestionKind::RankPriorities {
            options: Choice::list(&[
                ("community_safety", "Community Safety"),
                ("health_and_wellbeing", "Health and Wellbeing"),
                ("housing", "Housing"),
            ]),
            top_n: 3,
        }
    );
    // Its key comes from its text and differs from the first ranking question's.
    assert_eq!(added.key, "which_of_these_matter_most_to_you_put");
}

#[wasm_bindgen_test]
async fn saving_with_no_answers_updates_the_version_in_place() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _unmount, saved) = mount_builder(snapshot).await;
    assert!(
        text(&one(&root, ".version-note")).contains("Nobody has answered it yet"),
        "{}",
        text(&one(&root, ".version-note"))
    );

    // Postcode first, and the ranking question's options edited: a label kept keeps its key.
    button(&root, "Move up").click();
    settle().await;
    assert_eq!(
        texts(&root, ".question-list__text")[0],
        "What is the first part of your postcode (for example B97)?"
    );
    assert_eq!(text(&one(&root, ".builder__said")), "Moved question 2 up.");
    button(&root, "Edit question 2").click();
    settle().await;
    type_into(
        &root,
        "#options",
        "Housing\nCommunity Safety\nSkills and Employability",
    );
    click(&root, ".question-editor button[type=submit]");
    settle().await;
    click(&root, ".save-questionnaire");
    settle().await;

    let (qid, record) = saved.get_untracked().expect("saved");
    assert_eq!(qid, version_1(), "the same record");
    assert_eq!(record.version, 1);
    let keys: Vec<&str> = record.questions.iter().map(|q| q.key.as_str()).collect();
    assert_eq!(keys, ["postcode", "priorities"]);
    assert_eq!(
        record.questions[1].options(),
        Choice::list(&[
            ("housing", "Housing"),
            ("community_safety", "Community Safety"),
            ("skills_and_employability", "Skills and Employability"),
        ])
    );
}

#[wasm_bindgen_test]
async fn saving_after_answers_makes_the_next_version_and_leaves_the_answered_one() {
    setup();
    let mut s = fixture();
    answer(&mut s, 50, Channel::Kiosk);
    answer(&mut s, 51, Channel::StaffAssisted);
    let snapshot = RwSignal::new(s);
    let (root, _unmount, saved) = mount_builder(snapshot).await;
    assert_eq!(
        text(&one(&root, ".version-note .warning-text__text")),
        "Warning: 2 residents have answered version 1; your changes will make version 2, and their answers stay with version 1."
    );

    button(&root, "Make required").click();
    settle().await;
    click(&root, ".save-questionnaire");
    settle().await;
    let (qid, record) = saved.get_untracked().expect("saved");
    assert_ne!(qid, version_1(), "a new record");
    assert_eq!(record.version, 2);
    assert!(record.questions[1].required);
    assert_eq!(record.consultation_id, consultation(WE_ARE_REDDITCH));

    // Once stored (as the store would), version 2 is current and version 1 is as it was.
    snapshot.update(|s| {
        s.questionnaires.insert(qid, record.clone());
    });
    settle().await;
    assert_eq!(
        snapshot.with_untracked(|s| s.questionnaires.get(&version_1()).cloned()),
        Some(first_version())
    );
    assert_eq!(
        text(&one(&root, ".version-note")),
        "This is version 2. Nobody has answered it yet, so saving changes it."
    );
    assert!(all(&root, ".builder__unsaved").is_empty());
}

#[wasm_bindgen_test]
async fn a_choice_question_with_one_option_shows_the_error_summary() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _unmount, saved) = mount_builder(snapshot).await;
    start_question(&root, "choose_one").await;
    assert_eq!(value_of(&root, "#options"), "");
    type_into(&root, "#text", "Did you come to We Are Redditch?");
    type_into(&root, "#options", "Yes");
    click(&root, ".question-editor button[type=submit]");
    settle().await;

    let summary = one(&root, ".error-summary");
    assert_eq!(
        texts(&summary, "li a"),
        ["Give at least two options to choose from"]
    );
    assert_eq!(
        one(&summary, "li a").get_attribute("href").as_deref(),
        Some("#options")
    );
    assert!(text(&one(&root, "#options-error")).contains("Give at least two options"));
    // Still editing, with what was typed; nothing added, nothing saved.
    assert_eq!(value_of(&root, "#options"), "Yes");
    assert_eq!(saved.get_untracked(), None);

    type_into(&root, "#options", "Yes\nNo");
    click(&root, ".question-editor button[type=submit]");
    settle().await;
    assert!(all(&root, ".error-summary").is_empty());
    assert_eq!(
        texts(&root, ".question-list__text")[2],
        "Did you come to We Are Redditch?"
    );
}

#[wasm_bindgen_test]
async fn saving_a_questionnaire_with_no_questions_shows_the_shared_rule() {
    setup();
    let mut s = fixture();
    s.questionnaires.clear();
    let snapshot = RwSignal::new(s);
    let (root, _unmount, saved) = mount_builder(snapshot).await;
    assert!(text(&one(&root, ".version-note")).contains("Saving makes version 1"));
    click(&root, ".save-questionnaire");
    settle().await;
    assert_eq!(
        texts(&one(&root, ".error-summary"), "li a"),
        ["Add at least one question"]
    );
    assert_eq!(saved.get_untracked(), None);

    start_question(&root, "agree_scale").await;
    type_into(
        &root,
        "#text",
        "I know what the Redditch Partnership does for the borough.",
    );
    click(&root, ".question-editor button[type=submit]");
    settle().await;
    click(&root, ".save-questionnaire");
    settle().await;
    let (_, record) = saved.get_untracked().expect("saved");
    assert_eq!(record.version, 1);
    assert_eq!(
        record.questions[0].key,
        "i_know_what_the_redditch_partnership"
    );
}
