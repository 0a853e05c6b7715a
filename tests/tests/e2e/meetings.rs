//! Meetings end to end, on the demo data: the Board's draft minutes of September 2011 (their
//! dates illustrative) are read by a councillor, with the draft note and no Edit or Delete,
//! and not by the public; once a manager enters the day they were published, the public's
//! browser shows them at its next sync. Seed 000's meeting shows item 126 to everyone.

use std::time::Duration;

use atlas_e2e::{Harness, Role};
use atlas_shared::seeds::{ITEM_126_OUTCOME, ITEM_126_TITLE};
use serde_json::json;

const SYNC_TIMEOUT: Duration = Duration::from_secs(40);
const DRAFT_NOTE: &str =
    "Draft: only members of the partnership can see these minutes until they are published.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draft_minutes_reach_councillors_and_reach_the_public_only_once_published() {
    let h = Harness::start().await;
    let changes = h.server.pull_all().await;
    let field = |c: &serde_json::Value, f: &str| c["fields"][f].as_str().map(str::to_owned);
    let draft = changes
        .iter()
        .find(|c| c["kind"] == "minutes" && c["fields"]["published_on"].is_null())
        .expect("the demo has draft minutes");
    let draft_text = field(draft, "text").expect("minutes text");
    let meeting = field(draft, "meeting_id").expect("a meeting");
    let item_126_meeting = changes
        .iter()
        .find(|c| c["kind"] == "agenda_item" && c["fields"]["number"] == "126")
        .and_then(|c| field(c, "meeting_id"))
        .expect("the demo has item 126");

    // Nobody signed in: seed 000's item 126, and the Board meeting without its draft minutes.
    let public = h.browser("public-minutes").await;
    h.open(&public, &format!("/meetings/{item_126_meeting}"))
        .await;
    public
        .wait_for_text(".agenda__title", &format!("126. {ITEM_126_TITLE}"))
        .await;
    public
        .wait_for_text(".agenda__outcome", &format!("Outcome: {ITEM_126_OUTCOME}"))
        .await;
    public.assert_accessible("a committee meeting").await;
    h.open(&public, &format!("/meetings/{meeting}")).await;
    public.wait_for("#minutes-none").await;
    let page = public.page_text().await;
    assert!(
        !page.contains(&draft_text),
        "the public reads draft minutes"
    );
    assert!(!page.contains("Edit minutes"));

    // A councillor reads them, as a draft, and may not change them.
    let councillor = h.browser("councillor-minutes").await;
    h.sign_in(&councillor, Some(Role::Councillor)).await;
    h.open(&councillor, &format!("/meetings/{meeting}")).await;
    councillor
        .wait_for_text("#minutes-draft-note", DRAFT_NOTE)
        .await;
    councillor.wait_for_page_text(&draft_text).await;
    let page = councillor.page_text().await;
    for control in [
        "Edit minutes",
        "Delete minutes",
        "Edit meeting",
        "Add an agenda item",
    ] {
        assert!(!page.contains(control), "{control} offered to a councillor");
    }
    councillor.screenshot("draft-minutes-councillor").await;
    councillor
        .assert_accessible("a meeting with draft minutes")
        .await;

    // The manager enters the day they were published.
    let manager = h.browser("manager-minutes").await;
    h.sign_in(&manager, Some(Role::Manager)).await;
    h.open(&manager, &format!("/meetings/{meeting}")).await;
    manager.click_link("Edit minutes").await;
    manager.wait_for("#published_on").await;
    let set = manager
        .eval(
            "const el = document.querySelector('#published_on');
             el.value = '2011-12-01';
             el.dispatchEvent(new Event('input', { bubbles: true }));
             el.dispatchEvent(new Event('change', { bubbles: true }));
             return el.value;",
        )
        .await;
    assert_eq!(set, json!("2011-12-01"));
    manager.assert_accessible("the minutes form").await;
    manager.click("button[type=submit]").await;
    manager.wait_for_path(&format!("/meetings/{meeting}")).await;
    manager.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;

    // The public's next sync (a reload starts one) brings them, published.
    public.reload().await;
    public.wait_ready().await;
    public
        .wait_for_text_within(".minutes__text", &draft_text, SYNC_TIMEOUT)
        .await;
    assert!(!public.page_text().await.contains(DRAFT_NOTE));
    public.close().await;
    councillor.close().await;
    manager.close().await;
}
