//! Scrutiny in headless Chromium against the real server with the demo data (seed 004: the
//! LSP Task and Finish Group's review of the Redditch Partnership): the review page and the
//! monitoring report, printed to PDF. Screenshots and the PDF land in
//! `target/e2e-screenshots/`.

use atlas_shared::scrutiny::reviews::SEED_004;
use atlas_shared::seeds::REDDITCH;

use std::time::Duration;

use atlas_e2e::{Harness, Role, squeeze};

const SYNC_TIMEOUT: Duration = Duration::from_secs(40);

/// The id of the demo's one review (seed 004), from the server.
async fn seed_004_review(h: &Harness) -> String {
    let changes = h.server.pull_all().await;
    let redditch = changes
        .iter()
        .find(|c| c["kind"] == "partnership" && c["fields"]["name"] == REDDITCH)
        .and_then(|c| c["id"].as_str())
        .map(str::to_owned)
        .expect("the demo data has the Redditch Partnership");
    changes
        .iter()
        .find(|c| c["kind"] == "review" && c["fields"]["partnership_id"] == redditch.as_str())
        .and_then(|c| c["id"].as_str())
        .map(str::to_owned)
        .expect("the demo data has seed 004's review")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_004_review_shows_all_fifteen_recommendations_and_the_monitoring_report_prints() {
    let h = Harness::start().await;
    let b = h.browser("reviews").await;
    let review = seed_004_review(&h).await;

    // The review page, read like seed 004's table, for anyone (the public reads scrutiny).
    h.open(&b, &format!("/reviews/{review}")).await;
    b.wait_for("#recommendations-table .recommendation-row")
        .await;
    let numbers = b
        .texts("#recommendations-table .recommendation-row th")
        .await;
    let expected: Vec<String> = (1..=15).map(|n| n.to_string()).collect();
    assert_eq!(numbers, expected, "all fifteen, in order");
    let responses = b
        .texts("#recommendations-table .recommendation-row__response")
        .await;
    for (seed, shown) in SEED_004.iter().zip(&responses) {
        assert!(
            squeeze(shown).contains(&squeeze(seed.response)),
            "recommendation {} shows its response: {shown}",
            seed.number
        );
    }
    let completed = b.find("#review-completed").await;
    assert!(
        completed
            .text()
            .await
            .unwrap_or_default()
            .starts_with("0 of 15 completed"),
        "the count completed of all"
    );
    // The first six-monthly session was on 8 November 2011, so the next is long overdue.
    b.wait_for_page_text("overdue (it was due 8 May 2012).")
        .await;
    // No manager's controls for someone who is not signed in.
    assert!(
        b.eval("return document.querySelector('#add-recommendation') === null;")
            .await
            .as_bool()
            .unwrap_or(false),
        "no Add for the public"
    );
    b.screenshot("review-seed-004").await;
    b.assert_accessible("the review page").await;

    // The monitoring report for 30 November 2011: every recommendation and its latest response.
    h.open(&b, &format!("/reviews/{review}/report?on=2011-11-30"))
        .await;
    b.wait_for_text(
        "#report-heading",
        "LSP Task and Finish Group – Monitoring Report on Recommendations – November 2011",
    )
    .await;
    let rows = b.texts("#report-table .recommendation-row").await;
    assert_eq!(rows.len(), 15, "every recommendation: {rows:?}");
    for (seed, row) in SEED_004.iter().zip(&rows) {
        let row = squeeze(row);
        assert!(row.contains(&squeeze(seed.text)), "{row}");
        assert!(row.contains(&squeeze(seed.response)), "{row}");
        assert!(row.contains("8 November 2011"), "its date: {row}");
    }
    // Before the responses (on 1 November 2011) the report has none of them yet.
    h.open(&b, &format!("/reviews/{review}/report?on=2011-11-01"))
        .await;
    b.wait_for_page_text("No response yet").await;
    h.open(&b, &format!("/reviews/{review}/report?on=2011-11-30"))
        .await;
    b.wait_for_page_text(SEED_004[14].response).await;
    b.screenshot("monitoring-report").await;
    b.assert_accessible("the monitoring report").await;

    // Printed for the committee on A4 portrait: a few pages, no navigation.
    let (pdf, pages) = b.print_pdf("monitoring-report-a4", false).await;
    assert!(
        (1..=8).contains(&pages),
        "the monitoring report prints on {pages} pages: {}",
        pdf.display()
    );
    let hidden = b
        .eval(
            "const media = [...document.styleSheets].flatMap(s => { try { return [...s.cssRules]; } catch (e) { return []; } })
                .filter(r => r.media && r.media.mediaText === 'print');
             return media.some(r => [...r.cssRules].some(c => c.selectorText && c.selectorText.includes('.report-controls')));",
        )
        .await;
    assert_eq!(
        hidden.as_bool(),
        Some(true),
        "the print stylesheet hides the report's controls"
    );
    b.close().await;
}

/// The id of recommendation `number` of the demo's review, from the server.
async fn recommendation(h: &Harness, review: &str, number: u64) -> String {
    h.server
        .pull_all()
        .await
        .iter()
        .find(|c| {
            c["kind"] == "recommendation"
                && c["fields"]["review_id"] == review
                && c["fields"]["number"] == number
        })
        .and_then(|c| c["id"].as_str())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("the demo's review has recommendation {number}"))
}

/// With the server away, a manager records that recommendation 3 was carried out and adds a
/// new recommendation received long ago with no response: the statuses and the count move at
/// once, on the device; when the server comes back both reach it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn steps_added_offline_move_the_status_and_counts_and_an_unanswered_recommendation_is_overdue()
 {
    let mut h = Harness::start().await;
    let b = h.browser("reviews-offline").await;
    h.sign_in(&b, Some(Role::Manager)).await;
    let review = seed_004_review(&h).await;
    let third = recommendation(&h, &review, 3).await;
    h.open(&b, &format!("/recommendations/{third}")).await;
    b.wait_for("#add-step").await;
    b.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    b.wait_for_service_worker().await;

    h.server.stop().await;
    b.set_value("#date", "2012-01-10").await;
    b.set_value("#what", "completed").await;
    b.fill("#text", "Illustrative: carried out").await;
    b.click("#add-step-submit").await;
    b.wait_js(
        "recommendation 3 to be completed",
        Duration::from_secs(10),
        "const s = document.querySelector('#recommendation-status');
         return s !== null && s.getAttribute('data-status') === 'completed';",
        vec![],
    )
    .await;
    b.wait_sync(&["offline", "error"], 1, SYNC_TIMEOUT).await;

    // A new recommendation, received on 1 November 2011 and never answered.
    h.open(&b, &format!("/reviews/{review}/recommendations/new"))
        .await;
    b.fill("#number", "16").await;
    b.fill(
        "#text",
        "Illustrative recommendation: publish the partnership's forward plan",
    )
    .await;
    b.click("button[type=submit]").await;
    b.wait_for("#add-step").await;
    b.set_value("#date", "2011-11-01").await;
    b.set_value("#what", "received").await;
    b.click("#add-step-submit").await;
    b.wait_js(
        "the new recommendation's response to be overdue",
        Duration::from_secs(10),
        "const s = document.querySelector('#recommendation-status');
         return s !== null && s.getAttribute('data-status') === 'response_overdue';",
        vec![],
    )
    .await;
    b.wait_for_page_text("Response overdue").await;

    h.open(&b, &format!("/reviews/{review}")).await;
    b.wait_js(
        "the count to move",
        Duration::from_secs(10),
        "const c = document.querySelector('#review-completed');
         return c !== null && c.textContent.startsWith('1 of 16 completed');",
        vec![],
    )
    .await;

    h.server.restart().await;
    b.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    let changes = h.server.pull_all().await;
    assert!(
        changes.iter().any(|c| c["kind"] == "recommendation_step"
            && c["fields"]["recommendation_id"] == third.as_str()
            && c["fields"]["what"] == "completed"),
        "the server holds the completion"
    );
    assert!(
        changes
            .iter()
            .any(|c| c["kind"] == "recommendation" && c["fields"]["number"] == 16),
        "the server holds the new recommendation"
    );
    b.close().await;
}
