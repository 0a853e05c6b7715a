//! Accounts end to end: signing in through the page (a wrong password first), the header
//! naming the person; a partnership unpublished while a public reader's browser holds it
//! leaves that browser at its next sync, while its councillor keeps it; and signing out with
//! a change the server has not got offers a rescue file and clears nothing until it can; a
//! tablet a manager registers captures with nobody signed in, until it is withdrawn; a
//! manager removes a councillor's role on the People page and the councillor's browser, at
//! its next sync, no longer holds the partnership's members-only records.

use std::time::Duration;

use atlas_e2e::{Browser, Harness, Role};
use atlas_shared::seeds::{BASINGSTOKE_MANAGEMENT_GROUP, DEMO_PASSWORD, REDDITCH, demo_user};
use serde_json::json;

const SYNC_TIMEOUT: Duration = Duration::from_secs(40);

/// Waits until the home page does (`listed`) or does not list a partnership whose link
/// contains `fragment`.
async fn wait_listed(b: &Browser, fragment: &str, listed: bool) {
    let what = if listed { "list" } else { "no longer list" };
    b.wait_js(
        &format!("the home page to {what} {fragment:?}"),
        SYNC_TIMEOUT,
        "const [fragment, listed] = arguments;
         return Array.from(document.querySelectorAll(\"a[href*='/partnerships/']\"))
             .some(a => a.textContent.includes(fragment)) === listed;",
        vec![json!(fragment), json!(listed)],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_through_the_page_names_the_person_in_the_header_and_goes_back_where_they_were()
{
    let h = Harness::start().await;
    let b = h.browser("sign-in").await;
    h.open(&b, "/device").await;
    b.wait_for("#sign-in-link").await;
    b.click("#sign-in-link").await;
    b.wait_for_heading("Sign in").await;
    assert!(
        b.current_url().await.contains("/sign-in?next=%2Fdevice"),
        "the sign-in link comes back here: {}",
        b.current_url().await
    );
    let autocomplete = b
        .eval("return ['#email', '#password'].map(c => document.querySelector(c)?.getAttribute('autocomplete'));")
        .await;
    assert_eq!(autocomplete, json!(["username", "current-password"]));
    b.assert_accessible("the sign-in page").await;

    // Nothing typed: both fields say what is missing.
    b.click("#sign-in-submit").await;
    b.wait_for_text(".error-summary a", "Enter your email address")
        .await;
    b.wait_for_text(".error-summary a", "Enter your password")
        .await;

    // A wrong password: the server's 401, in words, and the person is still signed out.
    let manager = demo_user(Some(Role::Manager));
    b.fill("#email", manager.email).await;
    b.fill("#password", "not-the-password").await;
    b.click("#sign-in-submit").await;
    b.wait_for(".error-summary").await;
    b.screenshot("sign-in-wrong-password").await;
    b.assert_accessible("the sign-in page with an error").await;
    assert!(
        b.find("#sign-in-link")
            .await
            .is_displayed()
            .await
            .unwrap_or(false)
    );

    // The right one: the header names the manager and their role, and the page is /device.
    b.fill("#email", manager.email).await;
    b.fill("#password", DEMO_PASSWORD).await;
    b.click("#sign-in-submit").await;
    h.wait_signed_in(&b, Some(Role::Manager)).await;
    b.wait_for_path("/device").await;
    b.wait_for_text(
        "#account-who",
        "Signed in as Morgan Manager (illustrative) (Partnership manager)",
    )
    .await;
    b.wait_for("#sign-out").await;
    b.screenshot("signed-in-header").await;

    // A reload keeps the session (the cookie) and the header.
    b.reload().await;
    b.wait_ready().await;
    b.wait_for_text("#account-who strong", manager.name).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partnership_unpublished_while_a_public_reader_holds_it_leaves_their_browser_at_the_next_sync()
 {
    let h = Harness::start().await;
    let changes = h.server.pull_all().await;
    let basingstoke = changes
        .iter()
        .find(|c| {
            c["kind"] == "partnership"
                && c["fields"]["name"]
                    .as_str()
                    .is_some_and(|n| n.contains("Basingstoke"))
        })
        .and_then(|c| c["id"].as_str())
        .expect("the demo data has Basingstoke's partnership")
        .to_owned();

    // A resident's browser (nobody signed in) and a councillor's both hold it.
    let public = h.browser("public-reader").await;
    h.open(&public, "/").await;
    wait_listed(&public, "Basingstoke", true).await;
    let councillor = h.browser("councillor").await;
    h.sign_in(&councillor, Some(Role::Councillor)).await;
    wait_listed(&councillor, "Basingstoke", true).await;
    let anonymous_bodies = |changes: &[serde_json::Value]| {
        changes
            .iter()
            .filter(|c| {
                c["kind"] == "body" && c["fields"]["partnership_id"] == basingstoke.as_str()
            })
            .count()
    };
    assert!(anonymous_bodies(&h.server.pull_all_anonymous().await) > 0);

    // The manager unpublishes it.
    let answer = h
        .server
        .push(
            "0188f000-0000-7000-8000-00000000a11a",
            json!([{
                "id": "0188f000-0000-7000-8000-0000000a11a1",
                "kind": "partnership",
                "record_id": basingstoke,
                "op": { "type": "upsert", "base_version": null, "fields": { "published": false } },
            }]),
        )
        .await;
    assert_eq!(
        answer["results"][0]["outcome"]["status"], "applied",
        "the unpublishing is applied: {answer}"
    );
    assert_eq!(
        anonymous_bodies(&h.server.pull_all_anonymous().await),
        0,
        "an anonymous pull carries nothing of an unpublished partnership"
    );

    // The public reader's next sync (a reload starts one) drops it, bodies and all.
    public.reload().await;
    public.wait_ready().await;
    wait_listed(&public, "Basingstoke", false).await;
    public.wait_synced_as("").await;
    let management_group = public
        .eval("return document.body.innerText;")
        .await
        .as_str()
        .unwrap_or_default()
        .contains(BASINGSTOKE_MANAGEMENT_GROUP);
    assert!(!management_group);
    wait_listed(&public, "Redditch", true).await;

    // Its councillor, a member, still reads it.
    councillor.reload().await;
    councillor.wait_ready().await;
    h.wait_signed_in(&councillor, Some(Role::Councillor)).await;
    wait_listed(&councillor, "Basingstoke", true).await;
    public.close().await;
    councillor.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_with_an_unsent_change_offers_a_rescue_file_and_clears_nothing_until_it_can() {
    let mut h = Harness::start().await;
    let b = h.browser("sign-out").await;
    h.sign_in(&b, Some(Role::Manager)).await;
    let manager = demo_user(Some(Role::Manager));

    // A body of Basingstoke, then no server, and an edit that cannot be sent.
    wait_listed(&b, "Basingstoke", true).await;
    let link = b
        .link_href("a[href*='/partnerships/']", "Basingstoke and Deane LSP")
        .await;
    b.goto(&link).await;
    b.wait_ready().await;
    let body = b
        .link_href("a[href*='/bodies/']", BASINGSTOKE_MANAGEMENT_GROUP)
        .await;
    b.goto(&body).await;
    b.wait_ready().await;
    b.wait_for_service_worker().await;
    b.wait_for_heading(BASINGSTOKE_MANAGEMENT_GROUP).await;
    h.server.stop().await;
    b.click_link("Edit body").await;
    b.fill("#name", "Management Group (unsent)").await;
    b.click("button[type=submit]").await;
    b.wait_for_heading("Management Group (unsent)").await;
    b.wait_sync(&["offline", "error"], 1, SYNC_TIMEOUT).await;

    // Sign out: the change cannot be sent, so the page asks.
    b.click("#sign-out").await;
    b.wait_for_text(
        "#sign-out-unsent",
        "1 change on this device has not reached the server",
    )
    .await;
    b.wait_for_text("#sign-out-rescue", "Download a rescue file and sign out")
        .await;
    b.screenshot("sign-out-unsent").await;
    b.assert_accessible("the sign-out page with an unsent change")
        .await;

    // Staying signed in keeps everything.
    b.click("#sign-out-stay").await;
    b.wait_for_path("/").await;
    b.wait_for_text("#account-who strong", manager.name).await;
    b.wait_sync(&["offline", "error", "pending"], 1, SYNC_TIMEOUT)
        .await;

    // The rescue file, with no connection: the session cannot be ended, so nothing is
    // cleared and the person is told.
    b.click("#sign-out").await;
    b.wait_for("#sign-out-rescue").await;
    b.click("#sign-out-rescue").await;
    b.wait_for_text(
        ".error-summary__message",
        "You need a connection to sign out. Nothing was removed from this device.",
    )
    .await;
    b.wait_for_text("#account-who strong", manager.name).await;

    // Back online the change goes up; signing out then clears the device and goes home.
    h.server.restart().await;
    b.goto(&h.server.url("/")).await;
    b.wait_ready().await;
    b.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    b.click("#sign-out").await;
    b.wait_for("#sign-in-link").await;
    b.wait_for_path("/").await;
    b.wait_synced_as("").await;
    let renamed = h
        .server
        .pull_all()
        .await
        .iter()
        .any(|c| c["fields"]["name"] == "Management Group (unsent)");
    assert!(renamed, "the change reached the server before signing out");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_reads_who_changed_a_body_and_what_it_was_before() {
    let h = Harness::start().await;
    let b = h.browser("history").await;
    h.sign_in(&b, Some(Role::Manager)).await;
    wait_listed(&b, "Basingstoke", true).await;
    let partnership = b
        .link_href("a[href*='/partnerships/']", "Basingstoke and Deane LSP")
        .await;
    b.goto(&partnership).await;
    b.wait_ready().await;
    let body = b
        .link_href("a[href*='/bodies/']", BASINGSTOKE_MANAGEMENT_GROUP)
        .await;
    b.goto(&body).await;
    b.wait_ready().await;
    b.wait_for_heading(BASINGSTOKE_MANAGEMENT_GROUP).await;
    b.click_link("Edit body").await;
    b.fill("#name", "Management Group (renamed)").await;
    b.click("button[type=submit]").await;
    b.wait_for_heading("Management Group (renamed)").await;
    b.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;

    // The body's own history: the rename, by the demo manager, before and after.
    b.click_link("History of changes").await;
    b.wait_for("#record-history [data-action='Update']").await;
    let page = b.page_text().await;
    let manager = demo_user(Some(Role::Manager));
    assert!(page.contains(manager.name), "{page}");
    assert!(page.contains(BASINGSTOKE_MANAGEMENT_GROUP), "{page}");
    assert!(page.contains("Management Group (renamed)"), "{page}");
    b.screenshot("record-history").await;
    b.assert_accessible("a record's history").await;

    // The partnership's history lists it first.
    b.goto(&format!("{partnership}/history")).await;
    b.wait_ready().await;
    b.wait_for("#history [data-kind='body'][data-action='Update']")
        .await;
    b.screenshot("partnership-history").await;
    b.assert_accessible("a partnership's history").await;
}

/// The live answers the server holds for the consultation titled `title`, and its id.
pub(crate) async fn answers_to(h: &Harness, title: &str) -> (String, usize) {
    let changes = h.server.pull_all().await;
    let live = |c: &&serde_json::Value| !c["deleted"].as_bool().unwrap_or(false);
    let id = changes
        .iter()
        .find(|c| c["kind"] == "consultation" && c["fields"]["title"] == title)
        .and_then(|c| c["id"].as_str())
        .expect("the demo has the consultation")
        .to_owned();
    let n = changes
        .iter()
        .filter(live)
        .filter(|c| c["kind"] == "response" && c["fields"]["consultation_id"] == id.as_str())
        .count();
    (id, n)
}

/// On the capture screen: the demo event, three priorities, submit.
pub(crate) async fn capture_an_answer(h: &Harness, b: &Browser, consultation: &str) {
    h.open(b, &format!("/consultations/{consultation}/capture"))
        .await;
    b.wait_for("#capture-event").await;
    b.eval(
        "const s = document.querySelector('#capture-event');
         s.value = [...s.options].find(o => o.text.includes('We Are Redditch public event')).value;
         s.dispatchEvent(new Event('change', { bubbles: true })); return true;",
    )
    .await;
    for key in ["housing", "community_safety", "older_people"] {
        b.click(&format!(
            "[data-question-key='priorities'] [data-option-key='{key}']"
        ))
        .await;
    }
    b.click("#submit-answer").await;
    b.wait_for(".capture-thanks").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registered_tablet_captures_without_a_sign_in_until_a_manager_withdraws_it() {
    let h = Harness::start().await;
    let (consultation, before) = answers_to(&h, "We Are Redditch").await;

    // The manager registers a tablet on the partnership's tablets page.
    let m = h.browser("tablet-manager").await;
    h.sign_in(&m, Some(Role::Manager)).await;
    let redditch = m.link_href("a[href*='/partnerships/']", REDDITCH).await;
    m.goto(&redditch).await;
    m.wait_ready().await;
    m.click_link("Registered tablets").await;
    m.wait_for_heading("Registered tablets").await;
    m.fill("#name", "Hall tablet 3").await;
    m.click("#register-tablet").await;
    m.wait_for_text("#registered-heading", "Hall tablet 3 is registered")
        .await;
    let qr = m
        .eval("return document.querySelector('#tablet-qr').getAttribute('aria-label');")
        .await;
    assert_eq!(qr, json!("QR code of the enrol link for Hall tablet 3"));
    let link = m
        .eval("return document.querySelector('#enrol-link').value;")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(link.contains("/tablet/enrol#"), "{link}");
    m.assert_accessible("the tablets page with a new tablet")
        .await;
    m.screenshot("tablet-registered").await;

    // A second browser opens the link: it is enrolled, the token leaves the address bar, and
    // an answer it takes arrives with nobody signed in.
    let t = h.browser("registered-tablet").await;
    t.goto(&link).await;
    t.wait_ready().await;
    t.wait_for_text("#enrol-result strong", "Hall tablet 3")
        .await;
    assert!(
        !t.current_url().await.contains('#'),
        "the token left the address bar"
    );
    t.assert_accessible("the enrol page").await;
    capture_an_answer(&h, &t, &consultation).await;
    t.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    assert_eq!(answers_to(&h, "We Are Redditch").await.1, before + 1);

    // The manager withdraws it.
    m.reload().await;
    m.wait_ready().await;
    m.click(".tablet-withdraw").await;
    m.wait_for(".tablet-withdraw-confirm").await;
    m.click(".tablet-withdraw-confirm").await;
    m.wait_js(
        "the tablet to be listed as withdrawn",
        SYNC_TIMEOUT,
        "return document.querySelector('.tablet-state')?.textContent.startsWith('Withdrawn');",
        vec![],
    )
    .await;

    // Its next answer is refused, kept on it as needing attention, and not stored.
    capture_an_answer(&h, &t, &consultation).await;
    t.wait_for("#held-answers[data-count='1']").await;
    t.wait_for_page_text("This tablet was withdrawn").await;
    assert_eq!(answers_to(&h, "We Are Redditch").await.1, before + 1);

    // The manager finds it among the answers the server could not store.
    h.open(&m, &format!("/consultations/{consultation}/results"))
        .await;
    m.wait_for("#refused-answers[data-count='1']").await;
    m.close().await;
    t.close().await;
}

/// Chooses `value` in the select `css`, as a person does (the change event fires).
async fn choose(b: &Browser, css: &str, value: &str) {
    b.wait_for(css).await;
    let chosen = b
        .eval_async(
            "const [css, value, done] = arguments;
             const select = document.querySelector(css);
             select.value = value;
             select.dispatchEvent(new Event('change', { bubbles: true }));
             done(select.value);",
            vec![json!(css), json!(value)],
        )
        .await;
    assert_eq!(chosen, json!(value), "`{css}` has no option {value:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_councillor_whose_role_a_manager_removes_on_the_people_page_loses_the_members_records_at_the_next_sync()
 {
    let h = Harness::start().await;
    let changes = h.server.pull_all().await;
    let id_of = |kind: &str, field: &str, value: &str| {
        changes
            .iter()
            .find(|c| c["kind"] == kind && c["fields"][field] == value)
            .and_then(|c| c["id"].as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("the demo data has the {kind} {value:?}"))
    };
    let redditch = id_of("partnership", "name", atlas_shared::seeds::REDDITCH);
    let consultation = id_of("consultation", "title", "We Are Redditch");
    const EVENT: &str = "We Are Redditch public event";
    let councillor_user = demo_user(Some(Role::Councillor));
    let people: serde_json::Value =
        serde_json::from_str(&h.server.get_as_admin("/api/users").await).expect("JSON");
    let councillor_id = people["people"]
        .as_array()
        .and_then(|all| all.iter().find(|p| p["email"] == councillor_user.email))
        .and_then(|p| p["id"].as_str())
        .expect("the demo councillor is listed")
        .to_owned();

    // The councillor's browser holds Redditch's events (members see them; the public does not).
    let councillor = h.browser("councillor").await;
    h.sign_in(&councillor, Some(Role::Councillor)).await;
    h.open(&councillor, &format!("/consultations/{consultation}"))
        .await;
    councillor.wait_for_page_text(EVENT).await;

    // The manager removes the councillor's role in Redditch.
    let manager = h.browser("manager").await;
    h.sign_in(&manager, Some(Role::Manager)).await;
    manager.click("#people-link").await;
    manager.wait_for_heading("People").await;
    choose(&manager, "#partnership", &redditch).await;
    let row = format!("#person-{councillor_id}");
    manager.wait_for(&row).await;
    manager.assert_accessible("the people page").await;
    choose(&manager, &format!("#role-{councillor_id}"), "remove").await;
    manager
        .click(&format!("{row} td.table__actions button:nth-of-type(1)"))
        .await;
    manager
        .wait_for_text(
            "#people-done",
            &format!("{}: role removed.", councillor_user.name),
        )
        .await;
    manager.screenshot("people-role-removed").await;

    // The councillor's next sync (a reload starts one) resets their copy without the events.
    councillor.reload().await;
    councillor.wait_ready().await;
    councillor.wait_synced_as(councillor_user.email).await;
    councillor
        .wait_js(
            "the councillor's browser to no longer hold Redditch's events",
            SYNC_TIMEOUT,
            "const [event] = arguments;
             return !document.body.innerText.includes(event);",
            vec![json!(EVENT)],
        )
        .await;
    councillor.close().await;
    manager.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_page_offers_a_manager_two_step_verification_with_a_key_to_type() {
    let h = Harness::start().await;
    let b = h.browser("manager-account").await;
    h.sign_in(&b, Some(Role::Manager)).await;
    b.wait_for_text("#two-step-nudge", "Set up two-step verification")
        .await;
    b.click("#two-step-nudge").await;
    b.wait_for_heading("Your account").await;
    b.assert_accessible("the account page").await;
    b.click("#two-step-begin").await;
    let key = b.wait_for("#two-step-key").await;
    let text = key.text().await.unwrap_or_default();
    assert_eq!(
        text.replace(' ', "").len(),
        32,
        "a 160-bit key in base32: {text:?}"
    );
    // A wrong code: said by the field, and the key stays on the page to try again.
    b.fill("#code", "000000").await;
    b.click("#two-step-confirm").await;
    b.wait_for(".error-summary").await;
    b.wait_for("#two-step-key").await;
    b.assert_accessible("the account page with a wrong code")
        .await;
    b.close().await;
}
