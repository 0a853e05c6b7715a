//! The review pages in a real browser, each view mounted with a hand-built `Snapshot` holding
//! seed 004 (the LSP Task and Finish Group's review of the Redditch Partnership, its fifteen
//! recommendations and the response to each). No store, no IndexedDB.

use atlas_frontend::components::FormErrors;
use atlas_frontend::pages::scrutiny::meeting_forms::AgendaItemForm;
use atlas_frontend::pages::scrutiny::meetings::MeetingDetail;
use atlas_frontend::pages::scrutiny::reviews::recommendation::{NewStep, RecommendationDetail};
use atlas_frontend::pages::scrutiny::reviews::report::MonitoringReport;
use atlas_frontend::pages::scrutiny::reviews::review::ReviewDetail;
use atlas_shared::scrutiny::meetings::{monitoring_session_choices, recommendation_choices};
use atlas_shared::scrutiny::reviews::{
    DEFAULT_MONITORING_MONTHS, SEED_004, SEED_004_COMMITTEE, SEED_004_FIRST_MONITORING,
    SEED_004_REVIEW,
};
use atlas_shared::scrutiny::{
    AgendaItem, AgendaItemId, Concern, Meeting, MeetingId, MeetingStatus, MonitoringSession,
    MonitoringSessionId, Recommendation, RecommendationId, RecommendationStep,
    RecommendationStepId, ReportType, Review, ReviewId, StepKind,
};
use atlas_shared::seeds::{REDDITCH, REDDITCH_BOROUGH_COUNCIL, fixture_id as id};
use atlas_shared::{
    EntityKind, IsoDate, Organisation, OrganisationId, Partnership, PartnershipId, Sector, Snapshot,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

use crate::common::*;

const P: u16 = 1;
const REVIEW: u16 = 2;
/// Recommendation n is `id(100 + n)`; its response `id(200 + n)`.
fn rec(n: u32) -> RecommendationId {
    RecommendationId(id(100 + n as u16))
}

fn pid() -> PartnershipId {
    PartnershipId(id(P))
}

fn review() -> ReviewId {
    ReviewId(id(REVIEW))
}

fn step(n: u32, date: IsoDate, what: StepKind, text: &str) -> RecommendationStep {
    RecommendationStep {
        partnership_id: pid(),
        recommendation_id: rec(n),
        date,
        what,
        answer: None,
        due_on: None,
        link: String::new(),
        text: text.into(),
        date_note: String::new(),
    }
}

/// Seed 004: the review, its fifteen recommendations, each response dated 8 November 2011,
/// and the monitoring session that day.
fn fixture() -> Snapshot {
    let mut s = Snapshot::default();
    s.partnerships.insert(
        pid(),
        Partnership {
            name: REDDITCH.into(),
            area: "Borough of Redditch".into(),
            description: String::new(),
            published: true,
            archived: false,
        },
    );
    s.reviews.insert(
        review(),
        Review {
            partnership_id: pid(),
            title: SEED_004_REVIEW.into(),
            body_id: None,
            committee: SEED_004_COMMITTEE.into(),
            started_on: None,
            reported_on: None,
            members: Vec::new(),
            summary: String::new(),
            monitoring_months: DEFAULT_MONITORING_MONTHS,
        },
    );
    for seed in &SEED_004 {
        s.recommendations.insert(
            rec(seed.number),
            Recommendation {
                partnership_id: pid(),
                review_id: review(),
                number: seed.number,
                text: seed.text.into(),
                addressed_to: seed.addressed_to.into(),
                on_laa_target: false,
            },
        );
        s.recommendation_steps.insert(
            RecommendationStepId(id(200 + seed.number as u16)),
            step(
                seed.number,
                SEED_004_FIRST_MONITORING,
                StepKind::Response,
                seed.response,
            ),
        );
    }
    s.monitoring_sessions.insert(
        MonitoringSessionId(id(3)),
        MonitoringSession {
            partnership_id: pid(),
            review_id: review(),
            date: SEED_004_FIRST_MONITORING,
            held_at: SEED_004_COMMITTEE.into(),
            note: String::new(),
        },
    );
    s
}

const TODAY: IsoDate = IsoDate::known(2011, 11, 23);

fn texts(root: &web_sys::Element, css: &str) -> Vec<String> {
    all(root, css).iter().map(text).collect()
}

#[wasm_bindgen_test]
async fn the_review_table_shows_all_fifteen_with_their_responses_and_the_count_completed() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _h) = mount(move || {
        view! { <ReviewDetail snapshot=snapshot id=review() today=TODAY manages=true /> }
    });
    settle().await;
    let rows = all(&root, "#recommendations-table .recommendation-row");
    assert_eq!(rows.len(), 15);
    for (seed, row) in SEED_004.iter().zip(&rows) {
        assert_eq!(text(&one(row, "th")), seed.number.to_string());
        assert_eq!(text(&one(row, "td")), seed.text);
        assert_eq!(
            text(&one(row, ".recommendation-row__response")),
            seed.response
        );
        assert_eq!(
            row.get_attribute("data-status").as_deref(),
            Some("responded")
        );
        assert_eq!(
            text(&one(row, ".recommendation-row__date")),
            "8 November 2011"
        );
    }
    assert!(text(&one(&root, "#review-completed")).starts_with("0 of 15 completed"));
    assert_eq!(
        text(&one(&root, "#monitoring-due")),
        "The next monitoring session is due in 167 days (by 8 May 2012)."
    );
    // Every open recommendation is unchanged since the session of 8 November 2011.
    assert!(text(&one(&root, "#unchanged")).starts_with("15 recommendations:"));
}

#[wasm_bindgen_test]
async fn adding_a_step_moves_the_status_and_the_counts() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let added = RwSignal::new(Vec::<RecommendationStepId>::new());
    let on_add_step = move |new: NewStep| {
        snapshot.update(|s| {
            s.recommendation_steps.insert(new.id, new.step.clone());
        });
        added.update(|a| a.push(new.id));
        new.saved.update(|n| *n += 1);
    };
    let (review_root, _r) = mount(move || {
        view! { <ReviewDetail snapshot=snapshot id=review() today=TODAY manages=true /> }
    });
    let (root, _h) = mount(move || {
        view! { <RecommendationDetail snapshot=snapshot id=rec(1) today=TODAY manages=true on_add_step=on_add_step /> }
    });
    settle().await;
    assert_eq!(
        one(&root, "#recommendation-status")
            .get_attribute("data-status")
            .as_deref(),
        Some("responded")
    );
    assert_eq!(texts(&root, "#timeline .timeline__what"), ["Response"]);

    // The committee signs it off.
    type_into(&root, "#date", "2011-11-23");
    type_into(&root, "#what", "signed_off");
    type_into(
        &root,
        "#text",
        "Agreed at the Overview and Scrutiny Committee.",
    );
    click(&root, "#add-step-submit");
    settle().await;
    assert_eq!(added.get_untracked().len(), 1);
    assert_eq!(
        one(&root, "#recommendation-status")
            .get_attribute("data-status")
            .as_deref(),
        Some("signed_off")
    );
    assert_eq!(
        texts(&root, "#timeline .timeline__what"),
        ["Response", "Signed off by the committee"]
    );
    // The form is fresh for the next step.
    assert_eq!(
        one(&root, "#text")
            .dyn_into::<web_sys::HtmlTextAreaElement>()
            .map(|t| t.value())
            .unwrap_or_default(),
        ""
    );
    assert!(text(&one(&review_root, "#review-completed")).starts_with("1 of 15 completed"));
    let first = one(&review_root, "#recommendations-table .recommendation-row");
    assert_eq!(
        first.get_attribute("data-status").as_deref(),
        Some("signed_off")
    );
    // The filter shows only the signed-off one.
    type_into(&review_root, "#status-filter", "signed_off");
    settle().await;
    assert_eq!(
        texts(
            &review_root,
            "#recommendations-table .recommendation-row th"
        ),
        ["1"]
    );

    // An action planned without a due date is refused next to the field, keeping the text.
    type_into(&root, "#what", "action_planned");
    settle().await;
    type_into(&root, "#text", "Report to the committee again");
    click(&root, "#add-step-submit");
    settle().await;
    assert_eq!(added.get_untracked().len(), 1, "nothing saved");
    assert!(text(&root).contains("Enter the date the action is due"));
    assert_eq!(
        one(&root, "#text")
            .dyn_into::<web_sys::HtmlTextAreaElement>()
            .map(|t| t.value())
            .unwrap_or_default(),
        "Report to the committee again"
    );
}

#[wasm_bindgen_test]
async fn an_overdue_response_shows_as_overdue() {
    setup();
    let mut s = fixture();
    s.recommendations.insert(
        rec(16),
        Recommendation {
            partnership_id: pid(),
            review_id: review(),
            number: 16,
            text: "Board minutes should reach councillors within a month.".into(),
            addressed_to: "LSP Board".into(),
            on_laa_target: true,
        },
    );
    s.recommendation_steps.insert(
        RecommendationStepId(id(216)),
        step(16, IsoDate::known(2011, 8, 31), StepKind::Received, ""),
    );
    let snapshot = RwSignal::new(s);
    let (root, _h) = mount(move || {
        view! { <ReviewDetail snapshot=snapshot id=review() today=TODAY manages=false /> }
    });
    settle().await;
    let rows = all(&root, "#recommendations-table .recommendation-row");
    assert_eq!(rows.len(), 16);
    let last = &rows[15];
    assert_eq!(
        last.get_attribute("data-status").as_deref(),
        Some("response_overdue")
    );
    assert_eq!(
        text(&one(last, ".recommendation-row__words")),
        "Response 23 days overdue (was due 31 October 2011)"
    );
    assert_eq!(text(&one(last, ".tag")), "Response overdue");
    assert_eq!(
        text(&one(last, ".recommendation-row__response")),
        "No response yet"
    );
}

#[wasm_bindgen_test]
async fn a_councillor_sees_no_manager_controls() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _h) = mount(move || {
        view! {
            <ReviewDetail snapshot=snapshot id=review() today=TODAY manages=false />
            <RecommendationDetail snapshot=snapshot id=rec(1) today=TODAY manages=false on_add_step=|_| {} />
        }
    });
    settle().await;
    for managers_only in [
        "#add-recommendation",
        "#add-session",
        "#edit-review",
        "#delete-review",
        "#edit-recommendation",
        "#delete-recommendation",
        "#add-step",
        ".timeline__delete",
    ] {
        assert!(
            root.query_selector(managers_only).ok().flatten().is_none(),
            "{managers_only} is a manager's"
        );
    }
    // What everyone may read is there.
    assert_eq!(all(&root, ".recommendation-row").len(), 15);
    assert_eq!(all(&root, "#timeline .timeline__item").len(), 1);
}

#[wasm_bindgen_test]
async fn the_monitoring_report_lists_each_recommendation_with_its_latest_response_on_the_day() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _h) = mount(move || {
        view! { <MonitoringReport snapshot=snapshot review=review() on=IsoDate::known(2011, 11, 30) /> }
    });
    settle().await;
    assert_eq!(
        text(&one(&root, "#report-heading")),
        "Monitoring Report on Recommendations – November 2011"
    );
    let rows = all(&root, "#report-table .recommendation-row");
    assert_eq!(rows.len(), 15);
    for (seed, row) in SEED_004.iter().zip(&rows) {
        assert_eq!(
            text(&one(row, ".recommendation-row__response")),
            seed.response
        );
    }
    // The same report for a day before the responses has none yet.
    type_into(&root, "#report-date", "2011-11-01");
    click(&root, "#report-show");
    settle().await;
    assert_eq!(
        texts(&root, "#report-table .recommendation-row__response"),
        vec!["No response yet"; 15]
    );
    assert_eq!(
        text(&one(&root, "#report-monitoring-due")),
        "No monitoring session is due yet."
    );
    // No date is refused, and the report stays as it was.
    type_into(&root, "#report-date", "");
    click(&root, "#report-show");
    settle().await;
    assert!(text(&one(&root, ".error-summary")).contains("Enter the date of the report"));
    assert_eq!(all(&root, "#report-table .recommendation-row").len(), 15);
}

#[wasm_bindgen_test]
async fn the_partnership_page_links_to_its_reviews() {
    setup();
    let snapshot = RwSignal::new(fixture());
    let (root, _h) = mount(move || {
        view! { <atlas_frontend::pages::structure::partnership::PartnershipDetail snapshot=snapshot id=pid() /> }
    });
    settle().await;
    let link = one(&root, "#reviews-link");
    assert_eq!(
        link.get_attribute("href"),
        Some(format!("/partnerships/{}/reviews", pid()))
    );
    assert_eq!(text(&link), "Reviews and recommendations");
}

/// Seed 004's first monitoring session (8 November 2011) as a meeting of the committee, with
/// an item that concerns recommendation 8 (induction material for new councillors).
fn with_monitoring_meeting() -> Snapshot {
    let mut s = fixture();
    let council = OrganisationId(id(4));
    s.organisations.insert(
        council,
        Organisation {
            partnership_id: pid(),
            name: REDDITCH_BOROUGH_COUNCIL.into(),
            sector: Sector::Public,
            named_partner: true,
            description: String::new(),
        },
    );
    s.meetings.insert(
        MeetingId(id(5)),
        Meeting {
            partnership_id: pid(),
            body_id: None,
            council_id: Some(council),
            committee: SEED_004_COMMITTEE.into(),
            date: SEED_004_FIRST_MONITORING,
            time: String::new(),
            venue: String::new(),
            status: MeetingStatus::Held,
            note: String::new(),
        },
    );
    s.agenda_items.insert(
        AgendaItemId(id(6)),
        AgendaItem {
            partnership_id: pid(),
            meeting_id: MeetingId(id(5)),
            number: "7".into(),
            title: "Monitoring the LSP review's recommendations".into(),
            report_type: ReportType::Written,
            summary: String::new(),
            outcome: "Illustrative outcome: the responses were noted.".into(),
            documents: Vec::new(),
            concerns: vec![
                Concern {
                    kind: EntityKind::Recommendation,
                    id: rec(8).0,
                },
                Concern {
                    kind: EntityKind::MonitoringSession,
                    id: id(3),
                },
            ],
        },
    );
    s
}

#[wasm_bindgen_test]
async fn a_recommendations_page_lists_the_agenda_items_that_concerned_it_and_the_item_links_back() {
    setup();
    let snapshot = RwSignal::new(with_monitoring_meeting());
    let (root, _h) = mount(move || {
        view! { <RecommendationDetail snapshot=snapshot id=rec(8) today=TODAY manages=false on_add_step=|_| {} /> }
    });
    settle().await;
    let link = one(&root, "#considered-at a");
    assert_eq!(
        text(&link),
        format!("{SEED_004_COMMITTEE}, {REDDITCH_BOROUGH_COUNCIL}: 8 November 2011")
    );
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some(format!("/meetings/{}#item-{}", id(5), id(6)).as_str())
    );
    assert_eq!(
        texts(&root, "#considered-at .record-list__meta"),
        ["Item 7: Monitoring the LSP review's recommendations"]
    );
    // A recommendation no item names says how one comes to be named.
    let (other, _h2) = mount(move || {
        view! { <RecommendationDetail snapshot=snapshot id=rec(1) today=TODAY manages=false on_add_step=|_| {} /> }
    });
    settle().await;
    assert!(text(&one(&other, "#considered-empty")).contains("No meeting’s agenda names"));
    // The meeting's page names what the item concerns, each a link to its page.
    let (meeting_page, _h3) = mount(move || {
        view! { <MeetingDetail snapshot=snapshot id=MeetingId(id(5)) today=TODAY manages=false /> }
    });
    settle().await;
    let links: Vec<(String, Option<String>)> = all(&meeting_page, ".agenda__concerns a")
        .iter()
        .map(|a| (text(a), a.get_attribute("href")))
        .collect();
    assert_eq!(
        links,
        [
            (
                format!("Recommendation 8 of “{SEED_004_REVIEW}”"),
                Some(format!("/recommendations/{}", rec(8)))
            ),
            (
                format!("Monitoring session of 8 November 2011 on “{SEED_004_REVIEW}”"),
                Some(format!("/reviews/{}", review()))
            ),
        ]
    );
}

#[wasm_bindgen_test]
async fn the_agenda_item_form_offers_recommendations_and_sessions_and_saves_the_one_ticked() {
    setup();
    let s = with_monitoring_meeting();
    let recommendations = recommendation_choices(&s, pid());
    let sessions = monitoring_session_choices(&s, pid());
    let saved = RwSignal::new(None::<AgendaItem>);
    let errors = RwSignal::new(FormErrors::default());
    let initial = AgendaItem {
        concerns: vec![Concern {
            kind: EntityKind::MonitoringSession,
            id: id(3),
        }],
        ..s.agenda_items[&AgendaItemId(id(6))].clone()
    };
    let (root, _h) = mount(move || {
        view! {
            <AgendaItemForm
                bodies=Vec::new()
                recommendations=recommendations
                sessions=sessions
                initial=initial
                errors=errors
                submit_label="Save changes"
                cancel_href="/"
                on_submit=move |a| saved.set(Some(a))
            />
        }
    });
    settle().await;
    assert_eq!(all(&root, "[name='concerns-recommendations']").len(), 15);
    let eighth = one(
        &root,
        &format!("[id='concerns-recommendations-{}']", rec(8)),
    );
    let label = one(
        &root,
        &format!("label[for='concerns-recommendations-{}']", rec(8)),
    );
    assert!(
        text(&label).starts_with(&format!("{SEED_004_REVIEW}: recommendation 8, ")),
        "{}",
        text(&label)
    );
    let session_box = one(&root, &format!("[id='concerns-sessions-{}']", id(3)));
    assert!(
        session_box
            .unchecked_ref::<web_sys::HtmlInputElement>()
            .checked(),
        "what the item concerned is ticked"
    );
    eighth
        .unchecked_ref::<web_sys::HtmlInputElement>()
        .set_checked(true);
    fire(&eighth, "change");
    click(&root, "button[type=submit]");
    settle().await;
    let item = saved.get_untracked().expect("saved");
    assert_eq!(
        item.concerns,
        [
            Concern {
                kind: EntityKind::Recommendation,
                id: rec(8).0
            },
            Concern {
                kind: EntityKind::MonitoringSession,
                id: id(3)
            },
        ]
    );
}
