//! Highlight reports end to end, on the demo data: Redditch's Community Safety Partnership
//! reports to the Partnership Management Board (seed 000's structure; every word of the
//! reports illustrative). A group lead writes and submits the next report, escalating a
//! matter; it arrives on the Board's page among the reports received, and the server holds
//! it. The Board's July 2011 meeting shows the demo's escalation. A councillor reads the
//! report and is offered no change; the public never sees it.

use std::time::Duration;

use atlas_e2e::{Harness, Role};

const SYNC_TIMEOUT: Duration = Duration::from_secs(40);
const ESCALATION: &str = "Illustrative: the Board to fund the street lighting repairs.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_lead_submits_a_highlight_report_and_it_arrives_at_the_body_it_reports_to() {
    let h = Harness::start().await;
    let changes = h.server.pull_all().await;
    let id_of = |name: &str| {
        changes
            .iter()
            .find(|c| c["kind"] == "body" && c["fields"]["name"] == name)
            .and_then(|c| c["id"].as_str().map(str::to_owned))
            .unwrap_or_else(|| panic!("the demo has {name}"))
    };
    let safety = id_of("Redditch Community Safety Partnership");
    let board = id_of("Partnership Management Board");
    let july = changes
        .iter()
        .find(|c| {
            c["kind"] == "meeting"
                && c["fields"]["body_id"] == board.as_str()
                && c["fields"]["date"] == "2011-07-19"
        })
        .and_then(|c| c["id"].as_str().map(str::to_owned))
        .expect("the Board's July 2011 meeting");

    let lead = h.browser("highlights-lead").await;
    h.sign_in(&lead, Some(Role::GroupLead)).await;
    h.open(&lead, &format!("/bodies/{safety}")).await;
    lead.wait_for("#own-highlights").await;
    lead.click_link("Write a highlight report").await;
    lead.wait_for_heading("Write a highlight report").await;
    // Pre-filled: the quarter after the demo's last report, to the Board.
    lead.wait_js(
        "the period after the last report",
        Duration::from_secs(5),
        "return document.querySelector('#period_start').value === '2011-10-01';",
        vec![],
    )
    .await;
    lead.wait_for("#highlight-suggestion").await;
    lead.fill(
        "#progress",
        "Illustrative: the street lighting audit began.",
    )
    .await;
    lead.set_value("#submitted_on", "2011-12-20").await;
    lead.click("#escalate").await;
    lead.click("button[type=submit]").await;
    // Escalating with no words is refused, and what was typed stays.
    lead.wait_for(".error-summary").await;
    lead.fill("#escalation", ESCALATION).await;
    lead.click("button[type=submit]").await;
    lead.wait_for_text(
        "h1",
        "Redditch Community Safety Partnership: highlight report, 1 October 2011 to 31 December 2011",
    )
    .await;
    lead.wait_for_text("#highlight-escalation .preserve-breaks", ESCALATION)
        .await;
    lead.wait_for(".highlight-figures").await;
    lead.assert_accessible("a highlight report").await;
    lead.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;

    // The Board's page counts it among the reports received.
    h.open(&lead, &format!("/bodies/{board}")).await;
    lead.wait_for_text(
        "#received-received li a",
        "Redditch Community Safety Partnership, 1 October 2011 to 31 December 2011",
    )
    .await;
    lead.assert_accessible("a body's reports received").await;
    let held = h.server.pull_all().await;
    assert!(
        held.iter().any(|c| c["kind"] == "highlight_report"
            && c["fields"]["escalation"] == ESCALATION
            && c["fields"]["to_body_id"] == board.as_str()),
        "the server holds the report"
    );

    // A councillor reads the demo's escalation on the July meeting, and may change nothing.
    let councillor = h.browser("highlights-councillor").await;
    h.sign_in(&councillor, Some(Role::Councillor)).await;
    h.open(&councillor, &format!("/meetings/{july}")).await;
    councillor
        .wait_for_text("#escalations-heading", "Escalated to this meeting")
        .await;
    councillor.click(".meeting-escalation a").await;
    councillor.wait_for("#highlight-overall").await;
    let page = councillor.page_text().await;
    for control in ["Edit report", "Delete report"] {
        assert!(!page.contains(control), "{control} offered to a councillor");
    }

    // The public's copy holds no highlight report at all.
    let public = h.server.pull_all_anonymous().await;
    assert!(!public.iter().any(|c| c["kind"] == "highlight_report"));
    lead.close().await;
    councillor.close().await;
}
