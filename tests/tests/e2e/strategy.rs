//! Strategy end to end: a partnership manager enters a strategy for Bath & North East
//! Somerset (seed 001's partnership, which the demo gives none) with a priority, a target
//! picked from the National Indicators and a figure; the strategy page shows the target's
//! status and the rule's sentence; a file of figures imported on the strategy page moves the
//! status, the performance dashboard rolls it up, and the server holds all four kinds of
//! record. Figures are illustrative. And a councillor reads all of the area and is offered no
//! change; a change typed in anyway is refused by the server and kept for them to see.

use std::time::Duration;

use atlas_e2e::{Harness, Role};
use atlas_shared::seeds::{BASINGSTOKE, BATH, REDDITCH};
use serde_json::json;

const SYNC_TIMEOUT: Duration = Duration::from_secs(40);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_enters_a_strategy_with_a_priority_a_target_and_figures_and_sees_its_status() {
    let h = Harness::start().await;
    let b = h.browser("strategy").await;
    h.sign_in(&b, Some(Role::Manager)).await;
    b.wait_for_text("a[href*='/partnerships/']", BATH).await;
    let partnership = b.link_href("a[href*='/partnerships/']", BATH).await;
    b.goto(&partnership).await;
    b.wait_ready().await;
    b.click_link("Strategies").await;
    b.wait_for_heading("Strategies").await;
    b.click_link("Add a strategy").await;
    b.fill("#title", "Bath and North East Somerset Community Strategy")
        .await;
    b.fill("#first_year", "2011").await;
    b.fill("#last_year", "2014").await;
    b.click("button[type=submit]").await;
    b.wait_for_heading("Bath and North East Somerset Community Strategy")
        .await;
    // A new strategy is a draft, and says who can see it.
    b.wait_for_text(
        "#draft-note",
        "Draft: only members of the partnership can see this.",
    )
    .await;

    b.click_link("Add a priority").await;
    b.fill("#title", "Raising educational standards").await;
    b.click("button[type=submit]").await;
    b.wait_for_text(".priority-card__title", "Raising educational standards")
        .await;

    b.click("a[href$='/targets/new']").await;
    b.wait_for_heading("Add a target").await;
    // Picking NI 75 fills in its code, name and direction.
    b.set_value("#national_indicator", "NI 75").await;
    b.wait_js(
        "the indicator's name to be filled in",
        Duration::from_secs(5),
        "return document.querySelector('#name').value.startsWith('Achievement of 5 or more');",
        vec![],
    )
    .await;
    b.fill("#unit", "%").await;
    b.fill("#baseline", "45").await;
    b.set_value("#baseline_on", "2010-08-31").await;
    b.fill("#target_value", "53").await;
    b.set_value("#deadline", "2014-08-31").await;
    b.fill("#source", "Illustrative figure").await;
    b.click("button[type=submit]").await;
    b.wait_for_text(
        ".target-status__sentence",
        "Not yet measured: no figure has been entered yet.",
    )
    .await;

    b.click_link("Add a figure").await;
    b.set_value("#on", "2012-08-31").await;
    b.fill("#value", "47").await;
    b.fill("#note", "Illustrative figure").await;
    b.click("button[type=submit]").await;
    // 47 where the line from 45 to 53 expects about 49: 4% short, within the 5% tolerance.
    b.wait_for_text(
        ".target-status__sentence",
        "At risk: 4% short of the trajectory to the target.",
    )
    .await;
    b.wait_for(".measurement-table__row").await;

    // The strategy page shows the same status and sentence, with the chart and its table.
    b.click_link("Bath and North East Somerset Community Strategy")
        .await;
    b.wait_for_text(
        ".target-card .target-status__sentence",
        "At risk: 4% short of the trajectory to the target.",
    )
    .await;
    b.wait_for("svg.trajectory__chart[role=img]").await;
    b.screenshot("strategy").await;
    b.assert_accessible("a strategy").await;

    // Figures in bulk: a partner's file with next year's figure (a UK spreadsheet's date) is
    // previewed, then saved only when chosen; the status moves with it.
    let file = "code,date,value,note\r\nNI 75,31/08/2013,51.5,Illustrative figure\r\n";
    check_figures_file(&b, file, "It adds 1 figure.").await;
    b.click("#figures-confirm").await;
    b.wait_for_text(
        "#figures-done",
        "Saved 1 figure on this device. They are sent with its other changes, and the statuses \
         above use them now.",
    )
    .await;
    // 51.5 where the line from 45 to 53 expects 51 at the end of August 2013.
    b.wait_js(
        "the target to be on track",
        Duration::from_secs(10),
        "return document.querySelector('.target-card .target-status__sentence')
             .textContent.startsWith('On track');",
        vec![],
    )
    .await;

    // The dashboard rolls it up.
    b.goto(&partnership).await;
    b.click_link("Performance dashboard").await;
    b.wait_for_heading("Performance dashboard").await;
    b.wait_js(
        "the dashboard to count the target on track",
        Duration::from_secs(10),
        "const counts = document.querySelector('#dashboard-counts');
         return counts !== null && counts.textContent.includes('1 target on track');",
        vec![],
    )
    .await;
    b.assert_accessible("the performance dashboard").await;

    b.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    let changes = h.server.pull_all().await;
    for kind in ["strategy", "priority", "target", "measurement"] {
        assert!(
            changes.iter().any(|c| c["kind"] == kind
                && c["fields"]["partnership_id"] == partnership.rsplit('/').next().unwrap_or("")),
            "the server holds the {kind}"
        );
    }
    b.close().await;
}

/// Chooses a figures file with `text` in the strategy page's import, checks it, and waits for
/// the preview to say `preview`.
async fn check_figures_file(b: &atlas_e2e::Browser, text: &str, preview: &str) {
    b.eval_async(
        "const [file, done] = arguments;
         const transfer = new DataTransfer();
         transfer.items.add(new File([file], 'figures.csv', { type: 'text/csv' }));
         document.querySelector('#figures-file').files = transfer.files;
         done(true);",
        vec![json!(text)],
    )
    .await;
    b.click("#figures-check").await;
    b.wait_for_text("#figures-preview-sentence", preview).await;
}

/// The id of the first record of `kind` on the server whose `field` is `value`.
fn record_where(changes: &[serde_json::Value], kind: &str, field: &str, value: &str) -> String {
    changes
        .iter()
        .find(|c| c["kind"] == kind && c["fields"][field] == value)
        .and_then(|c| c["id"].as_str())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("the demo has a {kind} whose {field} is {value}"))
}

/// What a reader who may change nothing must not be offered: the words every Add, Edit,
/// Delete, Enter, Import, Record and Write link or button of the strategy area starts with.
const CHANGING_WORDS: [&str; 8] = [
    "Add", "Edit", "Delete", "Enter", "Import", "Record", "Write", "Save",
];

/// Fails when the page offers `b`'s reader a way to change something.
async fn assert_offers_no_change(b: &atlas_e2e::Browser, page: &str) {
    let offered: Vec<String> = b
        .texts("main a, main button")
        .await
        .into_iter()
        .filter(|t| CHANGING_WORDS.iter().any(|w| t.trim().starts_with(w)))
        .collect();
    assert!(
        offered.is_empty(),
        "{page} offers a councillor changes: {offered:?}"
    );
}

/// Issue 11: "a councillor reads all of it and can change none of it". A councillor reads
/// Redditch's strategy, a target, the dashboards of the partnership and of its Board, the
/// Community Safety Partnership's highlight reports, and Basingstoke and Deane's action plans
/// with seed 003's checks (the LAA check among them), and is offered no change on any. A
/// change made anyway, by typing an edit page's address, is refused by the server, kept on
/// the device as needing attention, and the server's record stays as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_councillor_reads_the_whole_strategy_area_and_can_change_none_of_it() {
    let h = Harness::start().await;
    let b = h.browser("strategy-councillor").await;
    h.sign_in(&b, Some(Role::Councillor)).await;
    let all = h.server.pull_all().await;
    let redditch = record_where(&all, "partnership", "name", REDDITCH);
    let basingstoke = record_where(&all, "partnership", "name", BASINGSTOKE);
    let strategy = record_where(&all, "strategy", "partnership_id", &redditch);
    let target = record_where(&all, "target", "code", "NI 75");
    let board = record_where(&all, "body", "name", "Partnership Management Board");
    let safety = record_where(
        &all,
        "body",
        "name",
        "Redditch Community Safety Partnership",
    );
    let housing = record_where(&all, "body", "name", "Housing");
    let housing_plan = record_where(&all, "action_plan", "body_id", &housing);

    h.open(&b, &format!("/strategies/{strategy}")).await;
    b.wait_for_heading("Redditch Sustainable Community Strategy")
        .await;
    b.wait_for_page_text("Raising educational standards").await;
    assert_offers_no_change(&b, "the strategy page").await;
    b.assert_accessible("the strategy page, read by a councillor")
        .await;

    h.open(&b, &format!("/targets/{target}")).await;
    b.wait_for("#status-heading").await;
    assert_offers_no_change(&b, "a target's page").await;

    h.open(&b, &format!("/partnerships/{redditch}/dashboard"))
        .await;
    b.wait_for("#dashboard-counts").await;
    assert_offers_no_change(&b, "the partnership's dashboard").await;

    h.open(&b, &format!("/bodies/{board}/dashboard")).await;
    b.wait_for("#dashboard-scope").await;
    b.wait_for("#dashboard-counts").await;
    assert_offers_no_change(&b, "the Board's dashboard").await;
    b.assert_accessible("the Board's dashboard").await;

    h.open(&b, &format!("/bodies/{safety}/highlight-reports"))
        .await;
    b.wait_for("#highlight-reports").await;
    assert_offers_no_change(&b, "the highlight reports").await;

    h.open(&b, &format!("/partnerships/{basingstoke}/action-plans"))
        .await;
    b.wait_for_page_text("Housing").await;
    assert_offers_no_change(&b, "the action plans").await;
    h.open(&b, &format!("/action-plans/{housing_plan}")).await;
    b.wait_for("#plan-checks").await;
    b.wait_js(
        "the LAA check to say what was not reported",
        SYNC_TIMEOUT,
        "const li = [...document.querySelectorAll('#plan-checks li')];
         return li.some(l => l.textContent.includes('Local Area Agreement targets reported')
             && l.textContent.includes('Not met')
             && l.textContent.includes('NI 155'));",
        vec![],
    )
    .await;
    assert_offers_no_change(&b, "an action plan").await;

    // Typing an edit page's address anyway: the form opens (the device cannot know every
    // rule), the server refuses the change, and the device keeps it as needing attention.
    h.open(&b, &format!("/targets/{target}/edit")).await;
    b.wait_for("#name").await;
    b.fill("#name", "Renamed by a councillor").await;
    b.click("button[type=submit]").await;
    b.wait_for("#sync-attention").await;
    let after = h.server.pull_all().await;
    let name = after
        .iter()
        .find(|c| c["id"] == target.as_str())
        .map(|c| c["fields"]["name"].clone());
    assert_eq!(
        name,
        Some(serde_json::json!(
            "Achievement of 5 or more A*-C grades at GCSE or equivalent including English and Maths"
        )),
        "the server's target is unchanged"
    );
    b.close().await;
}

/// Seed 004 #14: the strategy's priorities "should reflect residents' priorities … and also
/// dovetail with those of the Worcestershire Partnership". A member of the public, signed out,
/// reads on Redditch's strategy page where residents ranked each priority's theme in We Are
/// Redditch (from the published results: the demo's answers are illustrative), what residents
/// said that led to it, and the county's priorities it dovetails with; then compares the two
/// partnerships side by side.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_sees_how_residents_ranked_redditchs_priorities_and_where_they_dovetail() {
    let h = Harness::start().await;
    let b = h.browser("strategy-residents").await;
    h.open(&b, "/").await;
    b.wait_for_text("a[href*='/partnerships/']", REDDITCH).await;
    let partnership = b.link_href("a[href*='/partnerships/']", REDDITCH).await;
    b.goto(&partnership).await;
    b.wait_ready().await;
    b.click_link("Strategies").await;
    b.wait_for_heading("Strategies").await;
    b.click_link("Redditch Sustainable Community Strategy")
        .await;
    b.wait_for_heading("Redditch Sustainable Community Strategy")
        .await;
    // The summary, then each priority's place from the published results.
    b.wait_for_page_text("in the top half of what residents ranked")
        .await;
    b.wait_for_page_text("in We Are Redditch (Borda count, ")
        .await;
    b.wait_for_page_text(
        "Illustrative finding: young people at the youth session asked for better schools and more to do.",
    )
    .await;
    b.wait_for_text(
        ".priority-card__dovetails",
        "Illustrative priority: improving health and well-being (Worcestershire Partnership)",
    )
    .await;
    b.screenshot("strategy-residents").await;
    b.assert_accessible("the strategy page with residents' rankings")
        .await;

    b.click("#compare-link").await;
    b.wait_for_heading("Compare partnerships' priorities").await;
    // The county is chosen already: its priorities name Redditch's.
    b.wait_for_page_text("Worcestershire Sustainable Community Strategy")
        .await;
    b.wait_for_page_text("Linked: the partnership says they dovetail")
        .await;
    b.screenshot("compare-partnerships").await;
    b.assert_accessible("the compare page").await;
    b.close().await;
}

/// The id of the record of `kind` in partnership `p` whose `field` is `value`.
fn record_in(
    changes: &[serde_json::Value],
    kind: &str,
    p: &str,
    field: &str,
    value: &str,
) -> String {
    changes
        .iter()
        .find(|c| {
            c["kind"] == kind
                && !c["deleted"].as_bool().unwrap_or(false)
                && c["fields"]["partnership_id"] == p
                && c["fields"][field] == value
        })
        .and_then(|c| c["id"].as_str())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("the demo has a {kind} in {p} whose {field} is {value}"))
}

/// Waits until the plan check whose expectation starts with `expectation` has `outcome`.
async fn wait_for_check(b: &atlas_e2e::Browser, expectation: &str, outcome: &str) {
    b.wait_js(
        &format!("the check “{expectation}” to be {outcome}"),
        Duration::from_secs(15),
        "const [expectation, outcome] = arguments;
         const item = [...document.querySelectorAll('#plan-checks .plan-checks__item')]
             .find(i => i.querySelector('.plan-checks__expectation').textContent.startsWith(expectation));
         return item !== undefined && item.getAttribute('data-outcome') === outcome;",
        vec![json!(expectation), json!(outcome)],
    )
    .await;
}

const KEY_ACTION: &str = "Illustrative: a register of empty homes to bring back into use";
const BID: &str = "Illustrative: a deposit guarantee scheme for young tenants";

/// Issue 11: "all of it works offline and syncs". With the server away, on two devices:
/// Basingstoke and Deane's Housing group lead adds a third key action to the group's 2009/10
/// plan, serving the Housing priority and the Hampshire LAA target NI 155, and the plan's
/// "at least three key actions" check is met at once; then bids to the project fund for the
/// group, serving the same (no scores: the managers give those). A manager imports the three
/// quarters of NI 155 the demo lacks. When the server is back, everything reaches it, and the
/// lead's device, with the manager's figures, finds the LAA targets reported.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lead_and_a_manager_work_on_the_strategy_offline_and_it_all_arrives() {
    let mut h = Harness::start().await;
    let changes = h.server.pull_all().await;
    let p = record_where(&changes, "partnership", "name", BASINGSTOKE);
    let housing = record_in(&changes, "body", &p, "name", "Housing");
    let plan = record_in(&changes, "action_plan", &p, "body_id", &housing);
    let priority = record_in(&changes, "priority", &p, "title", "Housing");
    let ni155 = record_in(&changes, "target", &p, "code", "NI 155");
    let strategy = record_in(
        &changes,
        "strategy",
        &p,
        "title",
        "Basingstoke and Deane Sustainable Community Strategy",
    );
    let pot = changes
        .iter()
        .find(|c| c["kind"] == "fund_pot" && c["fields"]["partnership_id"] == p.as_str())
        .and_then(|c| c["id"].as_str().map(str::to_owned))
        .expect("the demo's Basingstoke and Deane fund");

    let lead = h.browser("strategy-offline-lead").await;
    h.sign_in(&lead, Some(Role::GroupLead)).await;
    h.open(&lead, &format!("/action-plans/{plan}")).await;
    wait_for_check(&lead, "At least three key actions", "not_met").await;
    wait_for_check(&lead, "Local Area Agreement targets", "not_met").await;
    lead.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    lead.wait_for_service_worker().await;
    let manager = h.browser("strategy-offline-manager").await;
    h.sign_in(&manager, Some(Role::Manager)).await;
    h.open(&manager, &format!("/strategies/{strategy}")).await;
    manager.wait_for("#figures-file").await;
    manager.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    manager.wait_for_service_worker().await;

    h.server.stop().await;

    // The lead's third key action, serving the priority and the LAA target.
    lead.click_link("Add a key action").await;
    lead.wait_for_heading("Add a key action").await;
    lead.fill("#title", KEY_ACTION).await;
    lead.set_value("#due_on", "2010-03-31").await;
    lead.click(&format!("[id='serves-priority-{priority}']"))
        .await;
    lead.click(&format!("[id='serves-target-{ni155}']")).await;
    lead.assert_accessible("the key action form").await;
    lead.click("button[type=submit]").await;
    lead.wait_for_text("#key-actions td", KEY_ACTION).await;
    wait_for_check(&lead, "At least three key actions", "met").await;

    // The group's bid, offline too: the form has no scores for a lead.
    h.open(&lead, &format!("/funds/{pot}")).await;
    lead.wait_for("#bid-rule").await;
    lead.click_link("Add a bid").await;
    lead.wait_for_heading("Add a bid").await;
    lead.wait_for("#scores-by-managers").await;
    lead.set_value("#body_id", &housing).await;
    lead.fill("#amount_asked_pence", "£3,000").await;
    lead.fill("#purpose", BID).await;
    lead.click(&format!("[id='serves-priority-{priority}']"))
        .await;
    lead.click(&format!("[id='serves-target-{ni155}']")).await;
    lead.click("button[type=submit]").await;
    lead.wait_js(
        "the bid to be listed, pending, with an Edit link for the lead",
        Duration::from_secs(10),
        "const [purpose] = arguments;
         const row = [...document.querySelectorAll('.fund-bid[data-decision=pending]')]
             .find(r => r.textContent.includes(purpose));
         return row !== undefined && row.querySelector(\"a[href$='/edit']\") !== null
             && row.querySelector(\"a[href$='/decision']\") === null;",
        vec![json!(BID)],
    )
    .await;
    lead.wait_sync(&["offline", "error"], 2, SYNC_TIMEOUT).await;

    // The manager's figures for the quarters the demo lacks, from a file.
    let file = "code,date,value,note\r\nNI 155,30/09/2009,70,Illustrative figure\r\n\
                NI 155,31/12/2009,74,Illustrative figure\r\nNI 155,31/03/2010,81,Illustrative figure\r\n";
    check_figures_file(&manager, file, "It adds 3 figures.").await;
    manager.click("#figures-confirm").await;
    manager.wait_for("#figures-done").await;
    manager
        .wait_sync(&["offline", "error"], 3, SYNC_TIMEOUT)
        .await;

    h.server.restart().await;
    manager.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    lead.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    let held = h.server.pull_all().await;
    assert!(
        held.iter().any(|c| c["kind"] == "key_action"
            && c["fields"]["title"] == KEY_ACTION
            && c["fields"]["action_plan_id"] == plan.as_str()
            && c["fields"]["priority_ids"] == json!([priority])
            && c["fields"]["target_ids"] == json!([ni155])),
        "the server holds the key action with what it serves"
    );
    assert!(
        held.iter().any(|c| c["kind"] == "fund_bid"
            && c["fields"]["purpose"] == BID
            && c["fields"]["body_id"] == housing.as_str()
            && c["fields"]["decision"] == "pending"
            && c["fields"]["amount_asked_pence"] == 300_000
            && c["fields"]["target_ids"] == json!([ni155])),
        "the server holds the bid"
    );
    let figures = held
        .iter()
        .filter(|c| c["kind"] == "measurement" && c["fields"]["target_id"] == ni155.as_str())
        .count();
    assert_eq!(figures, 4, "the demo's quarter and the three imported");

    // The lead's device now has the manager's figures: the LAA target is reported.
    h.open(&lead, &format!("/action-plans/{plan}")).await;
    wait_for_check(&lead, "Local Area Agreement targets", "met").await;
    wait_for_check(&lead, "At least three key actions", "met").await;
    lead.close().await;
    manager.close().await;
}
