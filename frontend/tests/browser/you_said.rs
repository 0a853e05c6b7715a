//! "You said, we did" linked to the strategy, and comparing partnerships, in a real browser
//! (seed 004, #14: the strategy's priorities "should reflect residents' priorities … and
//! also dovetail with those of the Worcestershire Partnership"). Each test mounts one view
//! with a hand-built `Snapshot`: Redditch's strategy, six answers to We Are Redditch's ranking
//! question (a manager's device), a finding linked to a priority and a key action, and the
//! Worcestershire Partnership's illustrative strategy. No store, no IndexedDB.

use atlas_frontend::pages::consultation::you_said::{FindingsEditor, YouSaidView};
use atlas_frontend::pages::strategy::compare::CompareView;
use atlas_frontend::pages::strategy::scs::{
    PriorityForm, StrategyDetail, dovetail_choices, theme_choices,
};
use atlas_shared::consultation::{
    AnswerValue, Channel, Choice, Consultation, Finding, Question, QuestionKind, Questionnaire,
    Response,
};
use atlas_shared::seeds::fixture_id as id;
use atlas_shared::strategy::{
    ActionPlan, ActionPlanId, KeyAction, KeyActionId, Priority, PriorityId, ResidentTheme,
    Strategy, StrategyId, StrategyStatus,
};
use atlas_shared::{
    BodyId, ConsultationId, DeviceId, Entity, FindingId, IsoDate, Partnership, PartnershipId,
    QuestionnaireId, ResponseId, Snapshot,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::common::*;

const REDDITCH: u16 = 1;
const COUNTY: u16 = 2;
const CONSULTATION: u16 = 3;
const QUESTIONNAIRE: u16 = 4;
const STRATEGY: u16 = 10;
const COUNTY_STRATEGY: u16 = 11;
const EDUCATION: u16 = 20;
const HEALTH: u16 = 21;
const SAFETY: u16 = 22;
const ECONOMY: u16 = 23;
const COUNTY_HEALTH: u16 = 30;
const COUNTY_EDUCATION: u16 = 31;
const PLAN: u16 = 40;
const YOUTH: u16 = 41;
const FINDING: u16 = 50;
/// A priority this reader may not see (a draft strategy's): never on the device.
const HIDDEN: u16 = 99;

fn day(y: u16, m: u8, d: u8) -> IsoDate {
    IsoDate::known(y, m, d)
}

fn today() -> IsoDate {
    day(2013, 1, 15)
}

fn p(n: u16) -> PartnershipId {
    PartnershipId(id(n))
}

fn theme(key: &str, label: &str) -> ResidentTheme {
    ResidentTheme {
        consultation_id: ConsultationId(id(CONSULTATION)),
        question_key: "priorities".into(),
        option_key: key.into(),
        option_label: label.into(),
    }
}

fn partnership(s: &mut Snapshot, n: u16, name: &str) {
    s.partnerships.insert(
        p(n),
        Partnership {
            name: name.into(),
            area: String::new(),
            description: String::new(),
            published: true,
            archived: false,
        },
    );
}

fn strategy(s: &mut Snapshot, n: u16, partnership: u16, title: &str, years: (u16, u16)) {
    s.strategies.insert(
        StrategyId(id(n)),
        Strategy {
            partnership_id: p(partnership),
            title: title.into(),
            first_year: years.0,
            last_year: years.1,
            vision: String::new(),
            status: StrategyStatus::Adopted,
            drafted_on: None,
            pre_scrutiny_on: None,
            adopted_on: None,
            superseded_on: None,
        },
    );
}

fn priority(
    s: &mut Snapshot,
    (n, strategy, partnership): (u16, u16, u16),
    title: &str,
    position: u32,
    resident_theme: Option<ResidentTheme>,
    dovetails_with: &[u16],
) {
    s.priorities.insert(
        PriorityId(id(n)),
        Priority {
            partnership_id: p(partnership),
            strategy_id: StrategyId(id(strategy)),
            title: title.into(),
            description: String::new(),
            body_id: None,
            lead_organisation_ids: Vec::new(),
            position,
            resident_theme,
            dovetails_with: dovetails_with.iter().map(|d| PriorityId(id(*d))).collect(),
        },
    );
}

fn fixture() -> Snapshot {
    let mut s = Snapshot::default();
    partnership(&mut s, REDDITCH, "Redditch Partnership");
    partnership(&mut s, COUNTY, "Worcestershire Partnership");
    let c = ConsultationId(id(CONSULTATION));
    s.consultations.insert(
        c,
        Consultation {
            partnership_id: p(REDDITCH),
            title: "We Are Redditch".into(),
            purpose: String::new(),
            opens_on: None,
            closes_on: None,
            suppression_threshold: 5,
            archived: false,
        },
    );
    let q = QuestionnaireId(id(QUESTIONNAIRE));
    s.questionnaires.insert(
        q,
        Questionnaire {
            partnership_id: p(REDDITCH),
            consultation_id: c,
            version: 1,
            questions: vec![Question {
                key: "priorities".into(),
                text: "Which two matter most to you?".into(),
                hint: String::new(),
                required: true,
                kind: QuestionKind::RankPriorities {
                    options: Choice::list(&[
                        ("education", "Educational standards"),
                        ("health", "Health"),
                        ("safety", "Community Safety"),
                        ("housing", "Housing"),
                    ]),
                    top_n: 2,
                },
            }],
            opened_for_answers: true,
        },
    );
    // Six illustrative answers, each ranking health first and education second.
    for n in 0..6u16 {
        s.responses.insert(
            ResponseId(id(200 + n)),
            Response {
                partnership_id: p(REDDITCH),
                consultation_id: c,
                questionnaire_id: q,
                event_id: None,
                device_id: DeviceId(id(300)),
                channel: Channel::Online,
                captured_at: 1_263_000_000_000,
                answers: [(
                    "priorities".to_owned(),
                    AnswerValue::Ranked(vec!["health".into(), "education".into()]),
                )]
                .into_iter()
                .collect(),
                hidden: false,
                review: Vec::new(),
                accepted: false,
                received_at: None,
            },
        );
    }
    strategy(
        &mut s,
        STRATEGY,
        REDDITCH,
        "Redditch Sustainable Community Strategy",
        (2011, 2014),
    );
    let r = |n| (n, STRATEGY, REDDITCH);
    priority(
        &mut s,
        r(EDUCATION),
        "Raising educational standards",
        1,
        Some(theme("education", "Educational standards")),
        &[],
    );
    priority(
        &mut s,
        r(HEALTH),
        "Tackling health inequalities",
        2,
        Some(theme("health", "Health")),
        &[],
    );
    priority(
        &mut s,
        r(SAFETY),
        "A safer Redditch",
        3,
        Some(theme("safety", "Community Safety")),
        &[],
    );
    priority(&mut s, r(ECONOMY), "A thriving economy", 4, None, &[]);
    strategy(
        &mut s,
        COUNTY_STRATEGY,
        COUNTY,
        "Worcestershire Sustainable Community Strategy",
        (2011, 2021),
    );
    let w = |n| (n, COUNTY_STRATEGY, COUNTY);
    priority(
        &mut s,
        w(COUNTY_HEALTH),
        "Illustrative priority: well-being for all",
        1,
        None,
        &[HEALTH],
    );
    priority(
        &mut s,
        w(COUNTY_EDUCATION),
        "Illustrative priority: better education in the county",
        2,
        None,
        &[],
    );
    s.action_plans.insert(
        ActionPlanId(id(PLAN)),
        ActionPlan {
            partnership_id: p(REDDITCH),
            body_id: BodyId(id(60)),
            year: 2012,
            due_on: day(2012, 6, 30),
            provided_on: Some(day(2012, 6, 1)),
            summary: String::new(),
        },
    );
    s.key_actions.insert(
        KeyActionId(id(YOUTH)),
        KeyAction {
            partnership_id: p(REDDITCH),
            action_plan_id: ActionPlanId(id(PLAN)),
            title: "Youth sessions at the library".into(),
            description: String::new(),
            lead_organisation_id: None,
            due_on: Some(day(2012, 9, 30)),
            completed_on: None,
            progress: String::new(),
            priority_ids: Vec::new(),
            target_ids: Vec::new(),
        },
    );
    s.findings.insert(
        FindingId(id(FINDING)),
        Finding {
            partnership_id: p(REDDITCH),
            consultation_id: c,
            text: "Residents said health mattered most.".into(),
            action: "Health inequalities became a priority.".into(),
            body_ids: Vec::new(),
            priority_ids: vec![PriorityId(id(HEALTH)), PriorityId(id(HIDDEN))],
            key_action_ids: vec![KeyActionId(id(YOUTH))],
        },
    );
    s
}

fn card(root: &web_sys::Element, n: u16) -> web_sys::Element {
    one(root, &format!("[id='priority-{}']", id(n)))
}

#[wasm_bindgen_test]
async fn the_strategy_page_shows_where_residents_ranked_each_priority_and_what_they_said() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _unmount) = mount(move || {
        view! { <StrategyDetail snapshot=snapshot id=StrategyId(id(STRATEGY)) today=today() manages=false /> }
    });
    settle().await;

    let summary = one(&root, "#residents-summary");
    assert_eq!(summary.get_attribute("data-top-half").as_deref(), Some("2"));
    assert!(
        text(&summary).contains(
            "2 of the 3 priorities that residents' rankings can speak for are in the top half of what residents ranked. 1 priority is not linked to a theme residents ranked."
        ),
        "{}",
        text(&summary)
    );
    let health = card(&root, HEALTH);
    assert_eq!(
        text(&one(&health, ".priority-card__ranking")),
        "Residents ranked ‘Health’ 1st of 4 in We Are Redditch (Borda count, 6 answers, 12 points)."
    );
    assert!(text(&health).contains("In residents' top half"));
    // Nobody ranked safety or housing: joint third, and too few to give its points.
    let safety = text(&one(&card(&root, SAFETY), ".priority-card__ranking"));
    assert!(safety.contains("joint 3rd of 4"), "{safety}");
    assert!(safety.contains("points withheld: fewer than 5"), "{safety}");
    assert!(text(&card(&root, SAFETY)).contains("Not in residents' top half"));
    assert!(all(&card(&root, ECONOMY), ".priority-card__ranking").is_empty());

    // What residents said, linked to the consultation's "you said, we did" page.
    let said = one(&health, ".priority-card__said");
    assert!(text(&said).contains("“Residents said health mattered most.”"));
    assert_eq!(
        one(&said, "a").get_attribute("href"),
        Some(format!("/consult/{}/you-said-we-did", id(CONSULTATION)))
    );
    assert!(all(&card(&root, EDUCATION), ".priority-card__said").is_empty());
    // The county's priority that names this one.
    assert_eq!(
        text(&one(&health, ".priority-card__dovetails")),
        "Illustrative priority: well-being for all (Worcestershire Partnership)"
    );

    // An option renamed since the link was made is said, not hidden.
    snapshot.update(|s| {
        if let Some(mut q) = s
            .questionnaires
            .get_mut(&QuestionnaireId(id(QUESTIONNAIRE)))
            && let QuestionKind::RankPriorities { options, .. } = &mut q.questions[0].kind
        {
            options[1].label = "Health and wellbeing".into();
        }
    });
    settle().await;
    let renamed = text(&one(&card(&root, HEALTH), ".priority-card__ranking"));
    assert!(
        renamed.contains("‘Health and wellbeing’ 1st of 4")
            && renamed.contains("was called ‘Health’ when this priority was linked"),
        "{renamed}"
    );
}

#[wasm_bindgen_test]
async fn you_said_we_did_names_the_priorities_and_key_actions_the_reader_can_see() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _unmount) = mount(move || {
        view! { <YouSaidView snapshot=snapshot consultation=ConsultationId(id(CONSULTATION)) today=today() /> }
    });
    settle().await;
    let item = one(&root, ".you-said__item");
    assert!(text(&item).contains("We made it a priority:"));
    // The hidden priority is not there; the one the reader sees links to its strategy.
    let priorities = all(&item, ".you-said__priorities li");
    assert_eq!(priorities.len(), 1);
    assert_eq!(
        text(&priorities[0]),
        "Tackling health inequalities, in Redditch Sustainable Community Strategy (2011 to 2014)"
    );
    assert_eq!(
        one(&priorities[0], "a").get_attribute("href"),
        Some(format!(
            "/strategies/{}#priority-{}",
            id(STRATEGY),
            id(HEALTH)
        ))
    );
    // Due on 30 September 2012, not done by 15 January 2013.
    assert_eq!(
        text(&one(&item, ".you-said__actions li")),
        "Youth sessions at the library (Overdue)"
    );
}

#[wasm_bindgen_test]
async fn a_finding_is_linked_to_priorities_and_key_actions_and_keeps_links_the_form_cannot_show() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (on_save, saved) = recorder();
    let (root, _unmount) = mount(move || {
        view! { <FindingsEditor snapshot=snapshot consultation=ConsultationId(id(CONSULTATION)) on_save=on_save /> }
    });
    settle().await;
    // Grouped by strategy: only Redditch's priorities, never the county's.
    let groups: Vec<String> = all(&root, "#finding-priority .checkbox-groups__group legend")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        groups,
        ["Redditch Sustainable Community Strategy (2011 to 2014)"]
    );
    assert_eq!(
        all(&root, "#finding-priority input[type=checkbox]").len(),
        4
    );
    type_into(
        &root,
        "#finding-text",
        "Residents asked for better schools.",
    );
    click(&root, &format!("[id='finding-priority-{}']", id(EDUCATION)));
    click(&root, &format!("[id='finding-key-action-{}']", id(YOUTH)));
    click(&root, "#finding-save");
    settle().await;
    let added = saved.get_untracked();
    let Some((_, Entity::Finding(f))) = added.first() else {
        panic!("saved {added:?}");
    };
    assert_eq!(f.priority_ids, vec![PriorityId(id(EDUCATION))]);
    assert_eq!(f.key_action_ids, vec![KeyActionId(id(YOUTH))]);

    // Editing the finding that also names a priority this device does not hold keeps it.
    saved.set(Vec::new());
    click(&root, ".finding-list__edit");
    settle().await;
    let health = one(&root, &format!("[id='finding-priority-{}']", id(HEALTH)));
    assert!(
        health
            .dyn_ref::<web_sys::HtmlInputElement>()
            .is_some_and(|i| i.checked())
    );
    click(&root, "#finding-save");
    settle().await;
    let edited = saved.get_untracked();
    let Some((_, Entity::Finding(f))) = edited.first() else {
        panic!("saved {edited:?}");
    };
    assert_eq!(
        f.priority_ids,
        vec![PriorityId(id(HEALTH)), PriorityId(id(HIDDEN))]
    );
}

#[wasm_bindgen_test]
async fn the_priority_form_links_a_ranked_theme_and_county_priorities() {
    setup();
    let s = fixture();
    let themes = theme_choices(&s, p(REDDITCH));
    let dovetails = dovetail_choices(&s, p(REDDITCH));
    assert_eq!(themes.len(), 4);
    assert_eq!(
        themes[1].1,
        "We Are Redditch: Health (ranked in “Which two matter most to you?”)"
    );
    assert_eq!(dovetails.len(), 2, "the county's current priorities");
    let Some(mut initial) = s.priorities.get(&PriorityId(id(ECONOMY))).cloned() else {
        panic!("the fixture has the priority");
    };
    // Linked once to an option the question no longer offers.
    initial.resident_theme = Some(theme("jobs", "Jobs"));
    let submitted = RwSignal::new(None::<Priority>);
    let errors = RwSignal::new(Default::default());
    let (root, _unmount) = mount(move || {
        view! {
            <PriorityForm
                initial=initial.clone()
                bodies=Vec::new()
                organisations=Vec::new()
                errors=errors
                submit_label="Save changes"
                cancel_href="/"
                on_submit=move |p| submitted.set(Some(p))
                themes=themes.clone()
                dovetail_options=dovetails.clone()
            />
        }
    });
    settle().await;
    let select = one(&root, "#resident_theme");
    assert_eq!(
        select
            .dyn_ref::<web_sys::HtmlSelectElement>()
            .map(|s| s.value()),
        Some("current".to_owned())
    );
    assert!(text(&select).contains("Keep the current link (“Jobs”, no longer offered)"));
    click(&root, "button[type=submit]");
    settle().await;
    assert_eq!(
        submitted.get_untracked().and_then(|p| p.resident_theme),
        Some(theme("jobs", "Jobs")),
        "a link the list no longer offers is kept unless changed"
    );

    type_into(&root, "#resident_theme", "2");
    click(
        &root,
        &format!("[id='dovetails_with-{}']", id(COUNTY_HEALTH)),
    );
    click(&root, "button[type=submit]");
    settle().await;
    let Some(saved) = submitted.get_untracked() else {
        panic!("submitted");
    };
    assert_eq!(
        saved.resident_theme,
        Some(theme("safety", "Community Safety"))
    );
    assert_eq!(saved.dovetails_with, vec![PriorityId(id(COUNTY_HEALTH))]);
}

#[wasm_bindgen_test]
async fn partnerships_compare_side_by_side_with_links_apart_from_hints() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _unmount) = mount(move || {
        view! { <CompareView snapshot=snapshot partnership=p(REDDITCH) today=today() /> }
    });
    settle().await;
    // The county is chosen already: a priority of its names one of Redditch's.
    let heads: Vec<String> = all(&root, "#compare-table thead th")
        .iter()
        .map(text)
        .collect();
    assert_eq!(heads.len(), 2);
    assert!(heads[0].starts_with("Redditch Partnership"), "{heads:?}");
    assert!(
        heads[1].starts_with("Worcestershire Partnership"),
        "{heads:?}"
    );
    assert_eq!(all(&root, "#compare-table tbody tr").len(), 4);
    let rows = all(&root, "#dovetails-table tbody tr");
    let kinds: Vec<String> = rows
        .iter()
        .map(|r| r.get_attribute("data-match").unwrap_or_default())
        .collect();
    assert_eq!(kinds, ["linked", "hint"]);
    assert!(text(&rows[0]).contains("Tackling health inequalities (Redditch Partnership)"));
    assert!(text(&rows[0]).contains("Linked: the partnership says they dovetail"));
    assert!(text(&rows[1]).contains("Raising educational standards"));
    assert!(text(&rows[1]).contains("Hint only: the titles share words beginning “educa”"));

    click(&root, &format!("[id='compare-{}']", id(COUNTY)));
    settle().await;
    assert_eq!(
        text(&one(&root, "#compare-choose-more")),
        "Choose at least two partnerships to compare."
    );
    assert!(all(&root, "#dovetails-table").is_empty());
}
