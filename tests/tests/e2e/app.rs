//! The built app in headless Chromium against the real server, through the pages a person
//! uses. The demo data the server loads comes from the seed papers; the facts checked here are
//! theirs (seed 000: Redditch, 001: Bath and North East Somerset, 003: Basingstoke and Deane).

use atlas_shared::seeds::{
    BASINGSTOKE, BASINGSTOKE_MANAGEMENT_GROUP, HAMPSHIRE_COUNTY_COUNCIL, REDDITCH_ORGANISATIONS,
    WEST_MERCIA_POLICE,
};
use std::time::Duration;

use atlas_e2e::partnership_href;
use atlas_e2e::{BASINGSTOKE_BODIES, Browser, Harness, Role, last_segment, squeeze};
use serde_json::json;

/// Time the sync loop gets to notice the server and finish a round.
const SYNC_TIMEOUT: Duration = Duration::from_secs(40);

/// The address of a body linked from the current partnership page.
async fn body_href(browser: &Browser, name: &str) -> String {
    browser.link_href("a[href*='/bodies/']", name).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seeded_structure_shows_and_its_pages_are_accessible() {
    let h = Harness::start().await;
    let b = h.browser("structure").await;

    // Home: the demo partnerships.
    h.open(&b, "/").await;
    b.wait_for_heading("Partnerships").await;
    b.screenshot("home").await;
    b.assert_accessible("the home page").await;

    // Basingstoke and Deane: every body of seed 003, its organisations, its reporting lines.
    let basingstoke = partnership_href(&b, "Basingstoke").await;
    assert!(basingstoke.contains("/partnerships/"), "{basingstoke}");
    b.goto(&basingstoke).await;
    b.wait_ready().await;
    b.wait_for_text("h1", BASINGSTOKE).await;
    b.wait_for_text("a[href*='/bodies/']", BASINGSTOKE_MANAGEMENT_GROUP)
        .await;
    let bodies: Vec<String> = b
        .texts("a[href*='/bodies/']")
        .await
        .iter()
        .map(|t| t.to_lowercase())
        .collect();
    let missing: Vec<&str> = BASINGSTOKE_BODIES
        .iter()
        .copied()
        .filter(|name| !bodies.contains(&name.to_lowercase()))
        .collect();
    assert!(
        missing.is_empty(),
        "Basingstoke and Deane's page lacks links to {missing:?}; its body links: {bodies:?}"
    );
    let organisations = b.texts("a[href*='/organisations/']").await;
    assert!(
        organisations.iter().any(|o| o == HAMPSHIRE_COUNTY_COUNCIL),
        "no link to Hampshire County Council among the organisations: {organisations:?}"
    );
    b.wait_for_text("h2, h3, h4", "Reporting lines").await;
    b.screenshot("partnership-basingstoke").await;
    b.assert_accessible("Basingstoke and Deane's partnership page")
        .await;

    // A body page.
    let management = body_href(&b, BASINGSTOKE_MANAGEMENT_GROUP).await;
    b.goto(&management).await;
    b.wait_ready().await;
    b.wait_for_heading(BASINGSTOKE_MANAGEMENT_GROUP).await;
    b.wait_for_page_text("See it on the partnership map").await;
    // Nobody is signed in: the page offers no change the server would refuse.
    let offered = b
        .eval(
            "return [...document.querySelectorAll('a')]
                .some(a => ['Edit body', 'Delete body'].includes(a.textContent.trim()));",
        )
        .await;
    assert_eq!(offered, json!(false), "a visitor is offered no edit");
    b.screenshot("body-management-group").await;
    b.assert_accessible("the Management Group's page").await;
    // From a body's page to the same body, selected, on the map.
    b.click_link("See it on the partnership map").await;
    b.wait_for_text("#map-panel-heading", BASINGSTOKE_MANAGEMENT_GROUP)
        .await;
    assert!(
        b.current_url()
            .await
            .contains(&format!("map?body={}", last_segment(&management))),
        "the map's address names the body: {}",
        b.current_url().await
    );

    // Redditch: the Partnership Management Board and its members (seed 000).
    h.open(&b, "/").await;
    let redditch = partnership_href(&b, "Redditch").await;
    b.goto(&redditch).await;
    b.wait_ready().await;
    let board = body_href(&b, "Partnership Management Board").await;
    b.goto(&board).await;
    b.wait_ready().await;
    b.wait_for_heading("Partnership Management Board").await;
    // Every member organisation has a seat on the Board (seed 000).
    for member in REDDITCH_ORGANISATIONS {
        b.wait_for_page_text(member.name).await;
    }
    b.screenshot("body-redditch-board").await;
    b.assert_accessible("Redditch's Partnership Management Board page")
        .await;

    // An organisation's page leads to the map with every body it sits on picked out, at an
    // address that survives a reload.
    let police = b
        .link_href("a[href*='/organisations/']", WEST_MERCIA_POLICE)
        .await;
    b.goto(&police).await;
    b.wait_ready().await;
    b.wait_for_heading(WEST_MERCIA_POLICE).await;
    b.click_link("See its seats on the partnership map").await;
    b.wait_for_text("#map-panel-heading", WEST_MERCIA_POLICE)
        .await;
    let url = b.current_url().await;
    assert!(
        url.contains(&format!("map?organisation={}", last_segment(&police))),
        "the map's address names the organisation: {url}"
    );
    let picked_out = || async {
        b.eval(
            "return [...document.querySelectorAll('svg.map g.map-node.map-node--highlight')]
                .map(g => g.getAttribute('aria-label'));",
        )
        .await
    };
    let before = picked_out().await;
    assert!(
        before.as_array().is_some_and(|a| a.iter().any(|l| l
            .as_str()
            .is_some_and(|l| l.starts_with("Partnership Management Board")))),
        "the police's seat on the Board stands out: {before}"
    );
    b.reload().await;
    b.wait_ready().await;
    b.wait_for_text("#map-panel-heading", WEST_MERCIA_POLICE)
        .await;
    assert_eq!(
        picked_out().await,
        before,
        "the same bodies stand out after a reload"
    );

    // Bath and North East Somerset: Councillor Robin Nicoll chairs the LSP (seed 001), shown on
    // the partnership page or on the page of the body he chairs.
    h.open(&b, "/").await;
    let bath = partnership_href(&b, "Bath").await;
    b.goto(&bath).await;
    b.wait_ready().await;
    b.wait_for("a[href*='/bodies/']").await;
    let mut pages = vec![bath.clone()];
    for name in b.texts("a[href*='/bodies/']").await {
        pages.push(body_href(&b, &name).await);
    }
    let mut found = None;
    for (i, page) in pages.iter().enumerate() {
        if i > 0 {
            b.goto(page).await;
            b.wait_ready().await;
            b.wait_for("h1").await;
        }
        let lines = b.texts("li, tr, dd, p").await;
        if let Some(line) = lines.iter().find(|l| {
            let l = l.to_lowercase();
            l.contains("robin nicoll") && l.contains("chair")
        }) {
            found = Some((page.clone(), line.clone()));
            break;
        }
    }
    let (page, line) = found.unwrap_or_else(|| {
        panic!("no page of Bath and North East Somerset's LSP shows Councillor Robin Nicoll as chair; looked at {pages:?}")
    });
    assert!(line.contains("Councillor Robin Nicoll"), "{line}");
    println!("B&NES chair shown on {page}: {line}");
    b.screenshot("bath-chair").await;

    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_made_offline_survives_reloads_and_reaches_the_server_and_another_device() {
    let mut h = Harness::start().await;
    let a = h.browser("offline-a").await;
    h.sign_in(&a, Some(Role::Manager)).await;

    // Online first: the app, its local copy, the service worker, a finished sync.
    h.open(&a, "/").await;
    a.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    a.wait_for_service_worker().await;
    let basingstoke = partnership_href(&a, "Basingstoke").await;
    a.goto(&basingstoke).await;
    a.wait_ready().await;
    let body_url = body_href(&a, BASINGSTOKE_MANAGEMENT_GROUP).await;
    let body_id = last_segment(&body_url);
    a.goto(&body_url).await;
    a.wait_ready().await;
    a.wait_for_heading(BASINGSTOKE_MANAGEMENT_GROUP).await;
    a.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;

    // The server goes away; the page still opens, from the service worker and IndexedDB.
    h.server.stop().await;
    a.reload().await;
    a.wait_ready().await;
    a.wait_for_heading(BASINGSTOKE_MANAGEMENT_GROUP).await;
    a.screenshot("offline-body").await;

    // Edit the name with no server.
    let new_name = "Management Group (renamed offline)";
    a.click_link("Edit body").await;
    a.wait_for_path(&format!("/bodies/{body_id}/edit")).await;
    a.fill("#name", new_name).await;
    a.click("button[type=submit]").await;
    a.wait_for_path(&format!("/bodies/{body_id}")).await;
    a.wait_for_heading(new_name).await;
    a.wait_sync(&["offline", "error"], 1, SYNC_TIMEOUT).await;
    a.screenshot("offline-edited").await;

    // A reload with the server still down: the edit is still there, still waiting.
    a.reload().await;
    a.wait_ready().await;
    a.wait_for_heading(new_name).await;
    a.wait_sync(&["offline", "error", "pending", "syncing"], 1, SYNC_TIMEOUT)
        .await;

    // The server comes back: the change goes up and the app says so.
    h.server.restart().await;
    a.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    a.wait_for_heading(new_name).await;
    a.screenshot("back-online-synced").await;

    // The server has it.
    let changes = h.server.pull_all().await;
    let latest = changes
        .iter()
        .rev()
        .find(|c| c["id"].as_str() == Some(body_id.as_str()))
        .unwrap_or_else(|| panic!("the server's pull has no change for body {body_id}"));
    assert_eq!(
        latest["fields"]["name"].as_str(),
        Some(new_name),
        "the server's latest version of the body: {latest}"
    );

    // Another device (a fresh profile) sees the new name.
    let b = h.browser("offline-b").await;
    h.open(&b, &format!("/bodies/{body_id}")).await;
    b.wait_for_heading(new_name).await;
    b.screenshot("second-device").await;

    a.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blank_body_name_shows_the_error_summary_and_saves_nothing() {
    let h = Harness::start().await;
    let b = h.browser("validation").await;
    h.sign_in(&b, Some(Role::Manager)).await;
    h.open(&b, "/").await;
    let basingstoke = partnership_href(&b, "Basingstoke").await;
    b.goto(&basingstoke).await;
    b.wait_ready().await;
    let body_url = body_href(&b, "Housing").await;
    let body_id = last_segment(&body_url);
    b.goto(&format!("{body_url}/edit")).await;
    b.wait_ready().await;
    b.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;

    b.fill("#name", "").await;
    b.click("button[type=submit]").await;
    let summary = b.wait_for(".error-summary").await;
    let role = summary.attr("role").await.ok().flatten();
    assert_eq!(role.as_deref(), Some("alert"), "the error summary's role");
    let links = b.texts(".error-summary a[href='#name']").await;
    assert!(
        !links.is_empty(),
        "the error summary has no link to #name; it says: {}",
        squeeze(&summary.text().await.unwrap_or_default())
    );
    b.screenshot("blank-name-error").await;
    b.assert_accessible("the edit form with an error").await;

    // Nothing was saved: still on the form, nothing waiting, the name unchanged everywhere.
    assert!(
        b.current_url()
            .await
            .ends_with(&format!("/bodies/{body_id}/edit")),
        "left the form after an invalid save: {}",
        b.current_url().await
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    b.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    let changes = h.server.pull_all().await;
    let latest = changes
        .iter()
        .rev()
        .find(|c| c["id"].as_str() == Some(body_id.as_str()))
        .unwrap_or_else(|| panic!("the server has no body {body_id}"));
    assert_eq!(
        latest["fields"]["name"].as_str(),
        Some("Housing"),
        "{latest}"
    );
    h.open(&b, &format!("/bodies/{body_id}")).await;
    b.wait_for_heading("Housing").await;

    b.close().await;
}

/// What the page fetches for `url` (relative to `base`) from its own origin, through the
/// service worker once it controls the page: the status, the content type, the body as text
/// and, for an image, its decoded width and height.
async fn fetch_in_page(browser: &Browser, url: &str, base: &str) -> serde_json::Value {
    browser
        .eval_async(
            r#"
            const [url, base, done] = arguments;
            (async () => {
              const response = await fetch(new URL(url, base));
              const type = response.headers.get('content-type') || '';
              const blob = await response.blob();
              let width = null, height = null;
              if (type.startsWith('image/')) {
                const bitmap = await createImageBitmap(blob);
                [width, height] = [bitmap.width, bitmap.height];
              }
              return { status: response.status, type, text: await blob.text(), width, height };
            })().then(done, (e) => done({ error: String(e) }));
            "#,
            vec![serde_json::json!(url), serde_json::json!(base)],
        )
        .await
}

/// The manifest the page links to, fetched and parsed, and its icons, each checked to be a
/// PNG of the size the manifest states.
async fn assert_manifest_and_icons(browser: &Browser, when: &str) -> serde_json::Value {
    let href = browser
        .eval("const l = document.querySelector('link[rel=manifest]'); return l ? l.href : null;")
        .await;
    let href = href
        .as_str()
        .unwrap_or_else(|| panic!("{when}: the page has no <link rel=manifest>"))
        .to_owned();
    let answer = fetch_in_page(browser, &href, &href).await;
    assert_eq!(answer["status"], 200, "{when}: {href}: {answer}");
    assert_eq!(
        answer["type"], "application/manifest+json",
        "{when}: {href}: {answer}"
    );
    let manifest: serde_json::Value = serde_json::from_str(answer["text"].as_str().unwrap_or(""))
        .unwrap_or_else(|e| panic!("{when}: {href} is not JSON ({e}): {answer}"));
    for (field, want) in [
        ("name", "Partnership Atlas"),
        ("short_name", "Atlas"),
        ("start_url", "/"),
        ("scope", "/"),
        ("display", "standalone"),
        // The header's colour and the page's background (frontend/style.css).
        ("theme_color", "#0b0c0c"),
        ("background_color", "#ffffff"),
    ] {
        assert_eq!(manifest[field], want, "{when}: the manifest's {field}");
    }
    let theme = browser
        .eval("const m = document.querySelector('meta[name=theme-color]'); return m ? m.content : null;")
        .await;
    assert_eq!(
        theme, manifest["theme_color"],
        "{when}: <meta name=theme-color>"
    );
    let icons = manifest["icons"]
        .as_array()
        .unwrap_or_else(|| panic!("{when}: the manifest has no icons: {manifest}"));
    let mut seen = Vec::new();
    for icon in icons {
        let src = icon["src"].as_str().expect("an icon's src");
        let sizes = icon["sizes"].as_str().expect("an icon's sizes");
        let purpose = icon["purpose"].as_str().unwrap_or("any");
        let answer = fetch_in_page(browser, src, &href).await;
        assert_eq!(answer["status"], 200, "{when}: {src}: {answer}");
        assert_eq!(answer["type"], "image/png", "{when}: {src}");
        assert_eq!(icon["type"], "image/png", "{when}: {src} in the manifest");
        let decoded = format!("{}x{}", answer["width"], answer["height"]);
        assert_eq!(
            decoded, sizes,
            "{when}: {src} is {decoded}, the manifest says {sizes}"
        );
        seen.push(format!("{sizes} {purpose}"));
    }
    for wanted in ["192x192 any", "512x512 any", "512x512 maskable"] {
        assert!(
            seen.iter().any(|s| s == wanted),
            "{when}: no {wanted} icon in {seen:?}"
        );
    }
    // The home screen's icon on iOS, and the browser tab's (small: every first visit
    // fetches it).
    assert_linked_png(browser, "apple-touch-icon", 180, when).await;
    assert_linked_png(browser, "icon", 32, when).await;
    manifest
}

/// The page's `<link rel={rel}>` names a PNG of `size` by `size` pixels.
async fn assert_linked_png(browser: &Browser, rel: &str, size: u64, when: &str) {
    let href = browser
        .eval(&format!(
            "const l = document.querySelector('link[rel={rel}]'); return l ? l.href : null;"
        ))
        .await;
    let href = href
        .as_str()
        .unwrap_or_else(|| panic!("{when}: no <link rel={rel}>"));
    let answer = fetch_in_page(browser, href, href).await;
    assert_eq!(answer["type"], "image/png", "{when}: {href}: {answer}");
    assert_eq!(
        (answer["width"].as_u64(), answer["height"].as_u64()),
        (Some(size), Some(size)),
        "{when}: {href}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_can_be_installed_to_a_home_screen_and_its_icons_load_offline() {
    let mut h = Harness::start().await;
    let b = h.browser("install").await;
    h.open(&b, "/").await;
    b.wait_for_service_worker().await;
    let online = assert_manifest_and_icons(&b, "online").await;

    // Chromium's own reading of the manifest and its verdict on installing the app.
    let app_manifest = b.cdp("Page.getAppManifest", serde_json::json!({})).await;
    assert!(
        app_manifest["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/manifest.webmanifest")),
        "Chromium found no manifest: {app_manifest}"
    );
    assert_eq!(
        app_manifest["errors"],
        serde_json::json!([]),
        "Chromium's errors in the manifest"
    );
    let mut verdict = serde_json::Value::Null;
    for _ in 0..50 {
        verdict = b
            .cdp("Page.getInstallabilityErrors", serde_json::json!({}))
            .await;
        if verdict["installabilityErrors"] == serde_json::json!([]) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        verdict["installabilityErrors"],
        serde_json::json!([]),
        "Chromium says the app cannot be installed: {verdict}"
    );

    // With the server gone, the service worker still has the manifest and every icon.
    h.server.stop().await;
    let offline = assert_manifest_and_icons(&b, "offline").await;
    assert_eq!(offline, online);
}
