//! Project funds end to end, on the demo data: Basingstoke and Deane (seed 003: "a mechanism
//! for allocating LSP project funds"). A manager records a fund, a partner's contribution and
//! a group's bid, then approves the bid: the fund's balance falls and the server holds the
//! award. The award makes the device fetch its copy afresh, and the connection fails just
//! then: the fund never leaves the screen and still opens from the device's copy. A
//! councillor reads the fund with the award and is offered no change. Every figure is
//! illustrative.

use std::time::Duration;

use atlas_e2e::{Harness, Role};

const SYNC_TIMEOUT: Duration = Duration::from_secs(40);
const FUND: &str = "Illustrative small grants fund";
const PURPOSE: &str = "Illustrative: a summer programme for young people";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_records_a_fund_and_approves_a_bid_and_the_balance_falls() {
    let h = Harness::start().await;
    let changes = h.server.pull_all().await;
    let basingstoke = changes
        .iter()
        .find(|c| c["kind"] == "partnership" && c["fields"]["name"] == "Basingstoke and Deane LSP")
        .and_then(|c| c["id"].as_str().map(str::to_owned))
        .expect("the demo has Basingstoke and Deane");

    let manager = h.browser("funds-manager").await;
    h.sign_in(&manager, Some(Role::Manager)).await;
    h.open(&manager, &format!("/partnerships/{basingstoke}"))
        .await;
    manager.click_link("Project funds").await;
    manager.wait_for_heading("Project funds").await;
    // The demo's fund for 2010/11.
    manager.wait_for(".fund-row").await;
    manager
        .assert_accessible("a partnership's project funds")
        .await;

    manager.click_link("Add a project fund").await;
    manager.wait_for_heading("Add a project fund").await;
    manager.fill("#name", FUND).await;
    manager.fill("#year", "2011").await;
    manager.fill("#criteria", "Value for money: 5").await;
    manager.click("button[type=submit]").await;
    manager.wait_for_heading(&format!("{FUND} 2011/12")).await;

    manager.click_link("Add a contribution").await;
    manager.wait_for_heading("Add a contribution").await;
    manager.fill("#amount_pence", "£5,000").await;
    manager.click("button[type=submit]").await;
    manager.wait_for_text("#fund-balance", "£5,000").await;

    manager.click_link("Add a bid").await;
    manager.wait_for_heading("Add a bid").await;
    manager.fill("#amount_asked_pence", "2,000").await;
    manager.fill("#purpose", PURPOSE).await;
    manager.set_value("#submitted_on", "2011-06-01").await;
    manager.fill("#score_1", "4").await;
    manager.assert_accessible("the bid form").await;
    manager.click("button[type=submit]").await;
    manager.wait_for(".fund-bid[data-decision=pending]").await;

    // Sent first, so the table is not redrawn under the click by the sync's answer.
    manager.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    let decide = manager
        .eval(
            "return document.querySelector(\".fund-bid[data-decision=pending] a[href$='/decision']\").getAttribute('href');",
        )
        .await;
    let decide = decide.as_str().expect("the Decide link").to_owned();
    h.open(&manager, &decide).await;
    manager.wait_for("#decision-context").await;
    manager.set_value("#decision", "approved").await;
    manager.fill("#amount_approved_pence", "2000").await;
    manager.set_value("#decided_on", "2011-07-01").await;
    // An award changes who may read the bid, so every device of the partnership, this one
    // too, pulls its copy afresh. Here the connection fails just then: the pull that says so
    // arrives, and every pull of the fresh copy (from position 0) fails.
    manager.cdp("Network.enable", serde_json::json!({})).await;
    manager
        .cdp(
            "Network.setBlockedURLs",
            serde_json::json!({ "urls": ["*/api/sync/pull?since=0&*"] }),
        )
        .await;
    manager.watch_for(".record-missing").await;
    manager.click("button[type=submit]").await;
    manager.wait_for(".fund-bid[data-decision=approved]").await;
    manager.wait_for_text("#fund-committed", "£2,000").await;
    manager.wait_for_text("#fund-balance", "£3,000").await;
    manager.assert_accessible("a project fund").await;
    // The award was sent; the fresh copy could not be fetched.
    manager
        .wait_sync(&["offline", "error"], 0, SYNC_TIMEOUT)
        .await;
    // The fund stayed on screen throughout, and the copy on the device is whole: opened
    // again with no way to fetch a fresh one, the fund and its award are there.
    assert!(
        !manager.ever_added(".record-missing").await,
        "the fund's page emptied (\"not on this device\") while its copy was pulled afresh"
    );
    manager.reload().await;
    manager.wait_ready().await;
    manager.wait_for(".fund-bid[data-decision=approved]").await;
    manager.wait_for_text("#fund-balance", "£3,000").await;
    manager
        .wait_sync(&["offline", "error"], 0, SYNC_TIMEOUT)
        .await;
    // The connection back, the fresh copy arrives (at the next retry, or sooner when the
    // person asks).
    manager
        .cdp("Network.setBlockedURLs", serde_json::json!({ "urls": [] }))
        .await;
    manager.watch_for(".record-missing").await;
    manager
        .eval("document.querySelector('.sync__button')?.click(); return true;")
        .await;
    manager.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    manager.wait_for_text("#fund-balance", "£3,000").await;
    assert!(
        !manager.ever_added(".record-missing").await,
        "the fund's page emptied while the fresh copy arrived"
    );
    let fund_path = manager.current_url().await;
    let fund_path = fund_path
        .find("/funds/")
        .map(|at| fund_path[at..].to_owned())
        .expect("on the fund's page");

    let held = h.server.pull_all().await;
    assert!(
        held.iter().any(|c| c["kind"] == "fund_bid"
            && c["fields"]["purpose"] == PURPOSE
            && c["fields"]["decision"] == "approved"
            && c["fields"]["amount_approved_pence"] == 200_000),
        "the server holds the award"
    );

    // A councillor reads the fund and its award, and is offered no change.
    let councillor = h.browser("funds-councillor").await;
    h.sign_in(&councillor, Some(Role::Councillor)).await;
    h.open(&councillor, &fund_path).await;
    councillor
        .wait_for(".fund-bid[data-decision=approved]")
        .await;
    councillor.wait_for_text("#fund-balance", "£3,000").await;
    let page = councillor.page_text().await;
    for control in ["Edit fund", "Add a bid", "Decide", "Delete fund"] {
        assert!(!page.contains(control), "{control} offered to a councillor");
    }
    manager.close().await;
    councillor.close().await;
}
