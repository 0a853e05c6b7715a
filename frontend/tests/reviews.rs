//! The review pages in a real browser, each view mounted with a hand-built `Snapshot` holding
//! seed 004 (the LSP Task and Finish Group's review of the Redditch Partnership, its fifteen
//! recommendations and the response to each). No store, no IndexedDB.

use atlas_frontend::pages::scrutiny::reviews::recommendation::{NewStep, RecommendationDetail};
use atlas_frontend::pages::scrutiny::reviews::report::MonitoringReport;
use atlas_frontend::pages::scrutiny::reviews::review::ReviewDetail;
use atlas_shared::scrutiny::reviews::{
    DEFAULT_MONITORING_MONTHS, SEED_004, SEED_004_COMMITTEE, SEED_004_FIRST_MONITORING,
    SEED_004_REVIEW,
};
use atlas_shared::scrutiny::{
    MonitoringSession, MonitoringSessionId, Recommendation, RecommendationId, RecommendationStep,
    RecommendationStepId, Review, ReviewId, StepKind,
};
use atlas_shared::seeds::{REDDITCH, fixture_id as id};
use atlas_shared::{IsoDate, Partnership, PartnershipId, Snapshot};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

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
