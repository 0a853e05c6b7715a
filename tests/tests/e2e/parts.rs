//! The app in parts (`frontend/src/parts.rs`, built by `xtask/src/bundle.rs`): each area's
//! pages are a part of their own, fetched the first time one of them is opened. After one
//! visit with a connection every part opens with none, and a part that cannot be fetched
//! says so and offers to try again, leaving the rest of the app working.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use atlas_e2e::{Browser, Harness, Role, Setup, id_of, partnership_href};
use atlas_shared::seeds::{BASINGSTOKE, BASINGSTOKE_MANAGEMENT_GROUP};
use fantoccini::key::Key;
use serde_json::json;

/// Time the sync loop gets to notice the server and finish a round.
const SYNC_TIMEOUT: Duration = Duration::from_secs(40);

/// A page of each area, and the part it is in; `{p}` is a partnership's address and `{c}` a
/// consultation's id. Every part of the build must be here at least once.
const PAGE_OF_EACH_AREA: &[(&str, &str)] = &[
    ("home", "/"),
    ("map", "{p}/map"),
    ("outline", "{p}/outline"),
    ("structure", "{p}"),
    ("staff", "{p}/edit"),
    ("questionnaire", "/consult/{c}"),
    ("staff", "{p}/consultations"),
    ("staff", "{p}/strategies"),
    ("staff", "{p}/funds"),
    ("staff", "{p}/reviews"),
    ("staff", "{p}/meetings"),
    ("staff", "{p}/glossary"),
    ("staff", "{p}/history"),
    ("more", "/device"),
    ("more", "/consult/{c}/you-said-we-did"),
];

/// The parts that are not pages: `send`, the sending of changes, fetched the first time the
/// outbox holds one (`frontend/src/data/mod.rs`).
const PARTS_NOT_PAGES: &[&str] = &["send"];

/// The map with the Basingstoke Management Group selected, so its panel shows what it says of
/// the body, with its priorities and meetings (in the `more` part, fetched when a body is
/// selected: `frontend/src/pages/structure/map_panel.rs`); `partnership` is the partnership's
/// address.
async fn map_with_a_body_selected(h: &Harness, partnership: &str) -> String {
    let body = h
        .server
        .pull_all()
        .await
        .iter()
        .find(|c| c["kind"] == "body" && c["fields"]["name"] == BASINGSTOKE_MANAGEMENT_GROUP)
        .and_then(|c| c["id"].as_str().map(str::to_owned))
        .expect("the demo data has the Basingstoke Management Group");
    format!("{partnership}/map?body={body}")
}

/// The build's folder of app files: `dist/app-<hash>/`.
fn app_folder(dist: &Path) -> PathBuf {
    let folders: Vec<PathBuf> = fs::read_dir(dist)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dist.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("app-"))
        })
        .collect();
    assert_eq!(
        folders.len(),
        1,
        "{} should hold one app-<hash> folder (the split bundle `cargo xtask` builds): {folders:?}",
        dist.display()
    );
    folders.into_iter().next().unwrap_or_default()
}

/// The names of the build's parts: its `split_<name>.wasm` files.
fn parts_of_build(dist: &Path) -> BTreeSet<String> {
    let folder = app_folder(dist);
    fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", folder.display()))
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_owned();
            Some(
                name.strip_prefix("split_")?
                    .strip_suffix(".wasm")?
                    .to_owned(),
            )
        })
        .collect()
}

/// Waits until the page shows a page of the app: a heading, and no part still loading or
/// failed; answers the heading.
async fn wait_for_page(b: &Browser, what: &str) -> String {
    b.wait_js(
        &format!("{what} to show (an h1, no part loading or failed)"),
        SYNC_TIMEOUT,
        "const h1 = document.querySelector('main h1, h1');
         return !!h1 && !document.querySelector('[data-part]')
             && !h1.textContent.startsWith('Loading');",
        vec![],
    )
    .await;
    let heading = b.texts("h1").await.join(" / ");
    assert!(
        !heading.contains("could not be loaded") && !heading.contains("Page not found"),
        "{what}: the page says {heading:?}"
    );
    heading
}

/// The paths of every file the page has fetched since it was loaded.
async fn fetched_by(b: &Browser) -> BTreeSet<String> {
    let paths = b
        .eval(
            "return performance.getEntriesByType('resource')
                 .map(e => new URL(e.name).pathname);",
        )
        .await;
    paths
        .as_array()
        .unwrap_or_else(|| panic!("the page's resources could not be read: {paths}"))
        .iter()
        .filter_map(|p| p.as_str().map(str::to_owned))
        .collect()
}

/// Every class the app's styles style: `style.css`, the areas' sheets the parts insert
/// (`frontend/src/styles/`) and the map's own.
fn styled_classes() -> BTreeSet<String> {
    let frontend = Path::new(env!("CARGO_MANIFEST_DIR")).join("../frontend");
    let mut files = vec![
        frontend.join("style.css"),
        frontend.join("src/pages/structure/map.css"),
    ];
    let sheets = frontend.join("src/styles");
    files.extend(
        fs::read_dir(&sheets)
            .unwrap_or_else(|e| panic!("{}: {e}", sheets.display()))
            .flatten()
            .map(|f| f.path())
            .filter(|p| p.extension().is_some_and(|e| e == "css")),
    );
    let mut classes = BTreeSet::new();
    for file in files {
        let css = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        classes.extend(classes_in(&css));
    }
    assert!(classes.len() > 100, "the app's styles name {classes:?}");
    classes
}

/// The class selectors of a stylesheet (`.name`, not a number's decimal point), comments left
/// out (`atlas_shared::css::compact`, as the build does).
fn classes_in(css: &str) -> BTreeSet<String> {
    let text = atlas_shared::css::compact(css).unwrap_or_else(|e| panic!("{e}"));
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut classes = BTreeSet::new();
    let mut previous = ' ';
    for (at, c) in text.char_indices() {
        if c == '.' && !previous.is_ascii_digit() {
            let name: String = text[at + 1..].chars().take_while(|&c| is_name(c)).collect();
            if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                classes.insert(name);
            }
        }
        previous = c;
    }
    classes
}

/// Fails unless every class on the page that the app's styles style is styled by what the
/// page has loaded: an area's sheet not inserted by a part whose page uses it would leave
/// the page unstyled on a first visit.
async fn assert_styled(b: &Browser, what: &str, classes: &BTreeSet<String>) {
    let unstyled = b
        .eval_async(
            r#"const [styled, done] = arguments;
             const known = new Set(styled);
             const used = new Set();
             for (const e of document.querySelectorAll('[class]'))
                 for (const c of e.classList) if (known.has(c)) used.add(c);
             const loaded = new Set();
             const walk = rules => {
                 for (const r of rules) {
                     if (r.selectorText)
                         for (const m of r.selectorText.matchAll(/\.([A-Za-z][\w-]*)/g))
                             loaded.add(m[1]);
                     if (r.cssRules) walk(r.cssRules);
                 }
             };
             for (const sheet of document.styleSheets) walk(sheet.cssRules);
             done([...used].filter(c => !loaded.has(c)).sort());"#,
            vec![json!(classes)],
        )
        .await;
    assert_eq!(
        unstyled,
        json!([]),
        "{what}: classes the app styles, but not in the styles this page loaded"
    );
}

#[test]
fn class_selectors_are_read_and_decimals_and_comments_are_not() {
    let css = "/* .commented */ .a-b, p.c_d:hover { margin: 0.5em .5em; }\n@media print { .e { x: 1.2px } }";
    let found: Vec<String> = classes_in(css).into_iter().collect();
    assert_eq!(found, ["a-b", "c_d", "e"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_one_visit_every_part_of_the_app_opens_with_no_network() {
    let mut h = Harness::start().await;
    let parts = parts_of_build(&h.setup.dist);
    let covered: BTreeSet<String> = PAGE_OF_EACH_AREA
        .iter()
        .map(|(part, _)| *part)
        .chain(PARTS_NOT_PAGES.iter().copied())
        .map(str::to_owned)
        .collect();
    assert_eq!(
        covered, parts,
        "this test opens a page of every part of the build; a part was added or renamed"
    );

    // One visit with a connection: signed in (the history page is for managers), synced,
    // and the service worker in control, having kept every file of the build.
    let b = h.browser("parts-offline").await;
    h.sign_in(&b, Some(Role::Manager)).await;
    b.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    b.wait_for_service_worker().await;
    let partnership = partnership_href(&b, "Basingstoke").await;
    let consultation = h
        .server
        .pull_all()
        .await
        .iter()
        .find(|c| c["kind"] == "consultation" && c["fields"]["title"] == "We Are Redditch")
        .and_then(|c| c["id"].as_str().map(str::to_owned))
        .expect("the demo data has the We Are Redditch consultation");
    let kept = b
        .eval_async(
            "const done = arguments[0];
             caches.keys()
                 .then(keys => Promise.all(keys.map(k => caches.open(k).then(c => c.keys()))))
                 .then(lists => done(lists.flat().map(r => new URL(r.url).pathname)))
                 .catch(e => done(String(e)));",
            vec![],
        )
        .await;
    let kept: BTreeSet<String> = kept
        .as_array()
        .unwrap_or_else(|| panic!("the caches could not be read: {kept}"))
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let folder = app_folder(&h.setup.dist);
    let folder_name = folder
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    for file in fs::read_dir(&folder).expect("the app folder").flatten() {
        let name = file.file_name().to_string_lossy().into_owned();
        // Packs are put together from the modules they hold, which are kept.
        if name.ends_with(".br") || name.ends_with(".gz") || name.ends_with(".pack") {
            continue;
        }
        let path = format!("/{folder_name}/{name}");
        assert!(
            kept.contains(&path),
            "the service worker has not kept {path} after the first visit"
        );
    }

    let map_with_panel = map_with_a_body_selected(&h, &partnership).await;

    // No network: every area's page opens, each a fresh load from what was kept, styled.
    let styled = styled_classes();
    h.server.stop().await;
    for (part, page) in PAGE_OF_EACH_AREA {
        let address = if page.starts_with('/') {
            h.server.url(&page.replace("{c}", &consultation))
        } else {
            page.replace("{p}", &partnership)
        };
        b.goto(&address).await;
        b.wait_ready().await;
        let what = format!("the {part} part's page {address}");
        let heading = wait_for_page(&b, &what).await;
        assert_styled(&b, &what, &styled).await;
        // Served by the service worker, the page takes each module from what it kept, under
        // the module's own address (where the browser keeps its compiled code between
        // visits), not from a pack.
        let fetched = fetched_by(&b).await;
        assert!(
            fetched.contains(&format!("/{folder_name}/split_{part}.wasm"))
                && fetched.contains(&format!("/{folder_name}/atlas-frontend_bg.wasm"))
                && !fetched.iter().any(|f| f.ends_with(".pack")),
            "{what}: its modules did not come one by one from the cache: {fetched:?}"
        );
        println!("offline, {part}: {address} shows {heading:?}");
    }
    // The page in the app's core, styled by `style.css` alone.
    b.goto(&h.server.url("/no-such-page")).await;
    b.wait_ready().await;
    b.wait_for("main h1").await;
    assert_styled(&b, "a page not found", &styled).await;
    // What the map's panel says of the selected body, with its priorities and meetings, from
    // the `more` part: on a fresh load of the map, it is fetched only now.
    b.goto(&map_with_panel).await;
    b.wait_ready().await;
    b.wait_for_text("#map-panel-heading", BASINGSTOKE_MANAGEMENT_GROUP)
        .await;
    b.wait_for("#brief-meetings-coming").await;
    assert_styled(&b, "the map's panel", &styled).await;
    println!("offline, the map's panel: {map_with_panel} shows the body's meetings");
    // The map's search matches and its key, from `more` too.
    b.fill("#map-search", "hous").await;
    b.wait_for_text(".map-search__name", "Housing").await;
    b.click(".map-legend summary").await;
    b.wait_for_text(".map-legend__list dt", "Priority Action Group")
        .await;
    assert_styled(&b, "the map's search and key", &styled).await;
    b.screenshot("parts-offline-last").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_section_whose_part_cannot_be_fetched_says_so_and_loads_when_tried_again() {
    // A copy of the build without the part that holds what the map's panel says of a body
    // (with the bodies' pages).
    let (h, _copy, moved) = without_part("more").await;

    let b = h.browser("section-missing").await;
    h.open(&b, "/").await;
    let partnership = partnership_href(&b, "Basingstoke").await;
    b.goto(&map_with_a_body_selected(&h, &partnership).await)
        .await;
    b.wait_ready().await;
    // The panel names the body and links to its page; the section says what is missing, and
    // why; the map is all there.
    b.wait_for_text("#map-panel-heading", BASINGSTOKE_MANAGEMENT_GROUP)
        .await;
    b.wait_for(".map-panel [data-part=failed]").await;
    let text = b.page_text().await;
    assert!(
        text.contains("could not download this body’s details"),
        "{text}"
    );
    assert!(
        text.contains(&format!("Open the page for {BASINGSTOKE_MANAGEMENT_GROUP}")),
        "{text}"
    );
    let drawn = b
        .eval("return document.querySelectorAll('svg.map g.map-node').length;")
        .await;
    assert!(
        drawn.as_u64().is_some_and(|n| n > 0),
        "the map is drawn: {drawn}"
    );
    b.screenshot("section-failed").await;
    b.assert_accessible("a map panel whose section could not be fetched")
        .await;

    // The file is back: trying again shows the section, with no reload.
    put_back(&moved);
    b.eval("window.__same_page = true; return true;").await;
    b.click(".map-panel [data-part=failed] button").await;
    b.wait_for(".map-panel .map-panel__chair").await;
    b.wait_for("#brief-meetings-coming").await;
    assert_eq!(
        b.eval("return window.__same_page === true;").await,
        json!(true),
        "trying again reloaded the page"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_part_that_cannot_be_fetched_says_so_and_loads_when_tried_again() {
    // A copy of the build whose map part is missing.
    let (h, _copy, moved) = without_part("map").await;

    let b = h.browser("part-missing").await;
    h.open(&b, "/").await;
    let partnership = partnership_href(&b, "Basingstoke").await;
    b.goto(&format!("{partnership}/map")).await;
    b.wait_ready().await;
    b.wait_for("[data-part=failed]").await;
    b.wait_for_heading("This page could not be loaded").await;
    let text = b.page_text().await;
    assert!(text.contains("Try again"), "{text}");
    assert!(text.contains("Nothing you entered has been lost"), "{text}");
    b.screenshot("part-failed").await;
    b.assert_accessible("a page whose part could not be fetched")
        .await;

    // The file is back: trying again shows the map, with no reload.
    put_back(&moved);
    b.eval("window.__same_page = true; return true;").await;
    b.click("[data-part=failed] button").await;
    let heading = wait_for_page(&b, "the map after trying again").await;
    b.wait_for(".map svg, svg").await;
    assert_eq!(
        b.eval("return window.__same_page === true;").await,
        json!(true),
        "trying again reloaded the page"
    );
    println!("after trying again: {heading:?}");
    b.close().await;
}

/// Keeps each file the page saves: every blob given to `URL.createObjectURL`, in
/// `window.__saved`.
const KEEP_SAVED_FILES: &str = "window.__saved = [];
    const make = URL.createObjectURL.bind(URL);
    URL.createObjectURL = blob => { window.__saved.push(blob); return make(blob); };
    return true;";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_open_data_file_is_made_by_a_part_fetched_on_the_click_and_says_so_when_it_cannot_be() {
    // A copy of the build without the part that makes the file.
    let (h, _copy, moved) = without_part("more").await;

    let b = h.browser("popolo-part-missing").await;
    h.open(&b, "/").await;
    let partnership = partnership_href(&b, "Basingstoke").await;
    b.goto(&partnership).await;
    b.wait_ready().await;
    wait_for_page(&b, "a partnership's page").await;
    b.eval(KEEP_SAVED_FILES).await;
    b.click("#download-popolo").await;
    b.wait_for_page_text("could not download the part of Partnership Atlas that makes the file")
        .await;
    assert_eq!(
        b.eval("return window.__saved.length;").await,
        json!(0),
        "no file is saved when the part that makes it is missing"
    );
    b.assert_accessible("a partnership's page whose file could not be made")
        .await;

    // The file is back: the same button makes the file, and the message goes.
    put_back(&moved);
    b.click("#download-popolo").await;
    b.wait_js(
        "the Popolo file to be saved",
        SYNC_TIMEOUT,
        "return window.__saved.length === 1;",
        vec![],
    )
    .await;
    let text = b
        .eval_async(
            "const done = arguments[0];
             window.__saved[0].text().then(done, e => done('unreadable: ' + e));",
            vec![],
        )
        .await;
    let popolo: serde_json::Value = serde_json::from_str(text.as_str().unwrap_or_default())
        .unwrap_or_else(|e| panic!("the file is not JSON ({e}): {text}"));
    let names: Vec<&str> = popolo["organizations"]
        .as_array()
        .unwrap_or_else(|| panic!("the file has no organizations: {popolo}"))
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert!(
        names.contains(&BASINGSTOKE_MANAGEMENT_GROUP),
        "the file names the partnership's bodies: {names:?}"
    );
    assert_eq!(
        b.eval("return document.querySelectorAll('.error-message').length;")
            .await,
        json!(0),
        "the message went once the file was made"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_map_is_saved_by_a_part_fetched_on_the_click_and_says_so_when_it_cannot_be() {
    // A copy of the build without the part that saves the map.
    let (h, _copy, moved) = without_part("more").await;
    let b = h.browser("map-export-part-missing").await;
    h.open(&b, "/").await;
    let partnership = partnership_href(&b, "Basingstoke").await;
    b.goto(&format!("{partnership}/map")).await;
    b.wait_ready().await;
    b.wait_for("svg.map g.map-node").await;
    b.eval(KEEP_SAVED_FILES).await;
    b.click("#map-download-svg").await;
    b.wait_for_page_text(
        "The map could not be saved: this device could not download what saves it",
    )
    .await;
    assert_eq!(
        b.eval("return window.__saved.length;").await,
        json!(0),
        "no file is saved when the part that saves it is missing"
    );
    b.assert_accessible("a map that could not be saved").await;

    // The part is back: the same button saves the whole map as SVG, and the message goes.
    put_back(&moved);
    b.click("#map-download-svg").await;
    b.wait_js(
        "the SVG file to be saved",
        SYNC_TIMEOUT,
        "return window.__saved.length === 1;",
        vec![],
    )
    .await;
    let svg = b
        .eval_async(
            "const done = arguments[0];
             window.__saved[0].text().then(done, e => done('unreadable: ' + e));",
            vec![],
        )
        .await;
    let svg = svg.as_str().unwrap_or_default();
    assert!(svg.starts_with("<?xml"), "an SVG document: {svg:.200}");
    assert!(
        svg.contains(BASINGSTOKE_MANAGEMENT_GROUP) && svg.contains("map-node"),
        "the file draws the partnership's bodies: {svg:.400}"
    );
    assert!(
        !svg.contains("will-change"),
        "the file leaves out the screen's own styles: {svg:.400}"
    );
    assert_eq!(
        b.eval("return document.querySelectorAll('.map-export .error-message').length;")
            .await,
        json!(0),
        "the message went once the map was saved"
    );

    // PNG: the SVG drawn on a canvas, saved as a picture.
    b.click("#map-download-png").await;
    b.wait_js(
        "the PNG file to be saved",
        SYNC_TIMEOUT,
        "const last = window.__saved[window.__saved.length - 1];
         return last !== undefined && last.type === 'image/png' && last.size > 1000;",
        vec![],
    )
    .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_maps_search_and_key_are_fetched_when_first_used_and_say_so_when_they_cannot_be() {
    // A copy of the build without the part that finds matches and explains the key.
    let (h, _copy, moved) = without_part("more").await;
    let b = h.browser("map-tools-part-missing").await;
    h.open(&b, "/").await;
    let partnership = partnership_href(&b, "Basingstoke").await;
    b.goto(&format!("{partnership}/map")).await;
    b.wait_ready().await;
    b.wait_for("svg.map g.map-node").await;

    // Neither can be fetched: each says so where it would show, with a way to try again.
    b.fill("#map-search", "hous").await;
    b.wait_for(".map-search__results [data-part=failed]").await;
    b.wait_for_page_text("This device could not download the search.")
        .await;
    b.click(".map-legend summary").await;
    b.wait_for(".map-legend [data-part=failed]").await;
    b.wait_for_page_text("This device could not download the key.")
        .await;
    assert!(
        b.texts(".map-search__name").await.is_empty(),
        "no matches without the part"
    );
    b.assert_accessible("a map whose search and key could not be fetched")
        .await;

    // The part is back: trying again shows the matches, and Enter in the box chooses the
    // first, as it would have at once.
    put_back(&moved);
    b.click(".map-search__results [data-part=failed] button")
        .await;
    b.wait_for_text(".map-search__name", "Housing").await;
    b.click("#map-search").await;
    b.press(&Key::Enter.to_string()).await;
    b.wait_for_text("#map-panel-heading", "Housing").await;
    b.wait_js(
        "the address to select the body found",
        SYNC_TIMEOUT,
        "return location.search.includes('body=');",
        vec![],
    )
    .await;
    assert!(
        b.texts(".map-search__result").await.is_empty(),
        "the matches close once one is chosen"
    );

    // And the key lists the kinds of body drawn, with what each is.
    b.click(".map-legend [data-part=failed] button").await;
    b.wait_for_text(".map-legend__list dt", "Priority Action Group")
        .await;
    b.wait_for_page_text("Co-ordinates action on one priority theme")
        .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_whose_part_cannot_be_fetched_says_so_and_changes_nothing() {
    // A copy of the build without the part that restores an archived record.
    let (h, _copy, moved) = without_part("more").await;
    let b = h.browser("restore-part-missing").await;
    h.sign_in(&b, Some(Role::Manager)).await;
    let partnership = partnership_href(&b, "Redditch").await;
    let id = atlas_e2e::last_segment(&partnership);
    let archived = async || {
        h.server
            .pull_all()
            .await
            .into_iter()
            .find(|c| c["kind"] == "partnership" && c["id"] == id.as_str())
            .map(|c| c["fields"]["archived"].clone())
            .expect("the partnership is on the server")
    };

    // Its residents' answers keep it from being deleted: it is archived instead.
    b.goto(&format!("{partnership}/delete")).await;
    b.click("#archive-instead").await;
    b.wait_for("#restore-archived").await;
    b.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    assert_eq!(archived().await, json!(true));

    b.click("#restore-archived").await;
    b.wait_for_page_text("could not download what restores it")
        .await;
    b.assert_accessible("an archived partnership that could not be restored")
        .await;
    b.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    assert_eq!(
        archived().await,
        json!(true),
        "nothing changed when the part could not be fetched"
    );
    b.wait_for("#archived-notice").await;

    // The part is back: the same button restores it, and the notice goes.
    put_back(&moved);
    b.click("#restore-archived").await;
    b.wait_js(
        "the archived notice to go",
        SYNC_TIMEOUT,
        "return document.getElementById('archived-notice') === null;",
        vec![],
    )
    .await;
    let deadline = std::time::Instant::now() + SYNC_TIMEOUT;
    loop {
        b.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
        let now = archived().await;
        if now == json!(false) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the server still has the partnership archived: {now}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    b.close().await;
}

/// Puts the files [`without_part`] moved aside back where the server finds them.
fn put_back(moved: &[(PathBuf, PathBuf)]) {
    for (aside, back) in moved {
        fs::rename(aside, back).expect("part put back");
    }
}

/// The app served from a copy of the build with the files of part `part` moved aside, as
/// when a connection drops or a new version has replaced the files the page was loaded
/// with: the harness, the copy's folder (dropped at the end), and each file moved, with
/// where to put it back.
async fn without_part(part: &str) -> (Harness, tempfile::TempDir, Vec<(PathBuf, PathBuf)>) {
    let (setup, copy) = copy_of_build();
    let folder = app_folder(&setup.dist);
    let aside = copy.path().join("aside");
    fs::create_dir_all(&aside).expect("a folder for the part");
    let mut moved = Vec::new();
    for file in fs::read_dir(&folder).expect("the app folder").flatten() {
        let name = file.file_name().to_string_lossy().into_owned();
        // Its module, and its packs (the module with the chunks it needs, and with the core
        // too), compressed or not.
        if [
            format!("split_{part}.wasm"),
            format!("split_{part}.pack"),
            format!("first_{part}.pack"),
        ]
        .iter()
        .any(|file| name.starts_with(file))
        {
            let to = aside.join(&name);
            fs::rename(file.path(), &to).expect("part moved aside");
            moved.push((to, file.path()));
        }
    }
    assert!(!moved.is_empty(), "the build has no split_{part}.wasm");
    let h = Harness::start_with(setup).await;
    (h, copy, moved)
}

/// A copy of the build to change, and the setup that serves it (the copy's folder is dropped
/// at the end).
fn copy_of_build() -> (Setup, tempfile::TempDir) {
    let setup = Setup::from_env();
    let copy = tempfile::Builder::new()
        .prefix("atlas-e2e-dist-")
        .tempdir()
        .expect("a temporary folder");
    let dist = copy.path().join("dist");
    copy_dir(&setup.dist, &dist);
    (Setup { dist, ..setup }, copy)
}

/// The `.wasm` files a page fetched, by name.
fn modules_in(fetched: &BTreeSet<String>) -> BTreeSet<&str> {
    fetched
        .iter()
        .filter(|p| p.ends_with(".wasm"))
        .filter_map(|p| p.rsplit('/').next())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_visit_fetches_the_core_and_its_part_in_one_pack_and_a_broken_pack_falls_back() {
    // A first visit to the map: the app's core, the map's part and the chunks it needs, in
    // one pack.
    let h = Harness::start().await;
    let changes = h.server.pull_all().await;
    let map = format!(
        "/partnerships/{}/map",
        id_of(&changes, "partnership", "name", BASINGSTOKE)
    );
    let b = h.browser("pack-first-visit").await;
    h.open(&b, &map).await;
    wait_for_page(&b, "the map, on a first visit").await;
    b.wait_for("svg.map g.map-node").await;
    let fetched = fetched_by(&b).await;
    assert!(
        fetched.iter().any(|p| p.ends_with("/first_map.pack")),
        "{fetched:?}"
    );
    assert_eq!(
        modules_in(&fetched),
        BTreeSet::new(),
        "modules came one by one, not in the map's pack: {fetched:?}"
    );
    b.close().await;
    drop(h);

    // The packs cut short (a connection that dropped, a proxy that truncates): the map opens
    // all the same, the core and the map's modules fetched one by one.
    let (setup, _copy) = copy_of_build();
    let folder = app_folder(&setup.dist);
    for file in fs::read_dir(&folder).expect("the app folder").flatten() {
        let name = file.file_name().to_string_lossy().into_owned();
        if name.starts_with("split_map.pack.") || name.starts_with("first_map.pack.") {
            fs::remove_file(file.path()).expect("compressed pack removed");
        }
    }
    for pack in ["split_map.pack", "first_map.pack"] {
        let pack = folder.join(pack);
        let bytes = fs::read(&pack).expect("the map's pack");
        fs::write(&pack, &bytes[..bytes.len() / 2]).expect("pack cut short");
    }
    let h = Harness::start_with(setup).await;
    let b = h.browser("pack-cut-short").await;
    h.open(&b, &map).await;
    wait_for_page(&b, "the map, with its packs cut short").await;
    b.wait_for("svg.map g.map-node").await;
    let fetched = fetched_by(&b).await;
    let modules = modules_in(&fetched);
    assert!(
        modules.contains("atlas-frontend_bg.wasm")
            && modules.contains("split_map.wasm")
            && modules.iter().any(|m| m.starts_with("chunk_")),
        "the core and the map's modules were not fetched one by one: {fetched:?}"
    );
    b.screenshot("pack-cut-short").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_wait_on_the_device_while_the_part_that_sends_them_cannot_be_fetched() {
    let (h, _copy, moved) = without_part("send").await;
    let (consultation, before) = crate::accounts::answers_to(&h, "We Are Redditch").await;
    let b = h.browser("send-part-missing").await;
    h.sign_in(&b, Some(Role::ConsultationStaff)).await;
    b.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;

    // An answer is captured; the part that sends it is not there. It stays on the device,
    // the status says why, and what others change still arrives.
    crate::accounts::capture_an_answer(&h, &b, &consultation).await;
    b.wait_sync(&["error"], 1, SYNC_TIMEOUT).await;
    let text = b.page_text().await;
    assert!(
        text.contains("could not download the part of Partnership Atlas that sends changes"),
        "{text}"
    );
    assert_eq!(
        crate::accounts::answers_to(&h, "We Are Redditch").await.1,
        before
    );
    b.screenshot("send-part-missing").await;

    // The file is back: the next try sends the answer, once, with no reload.
    put_back(&moved);
    b.eval("window.__same_page = true; return true;").await;
    b.wait_sync(&["synced"], 0, Duration::from_secs(90)).await;
    assert_eq!(
        crate::accounts::answers_to(&h, "We Are Redditch").await.1,
        before + 1
    );
    assert_eq!(
        b.eval("return window.__same_page === true;").await,
        json!(true),
        "sending reloaded the page"
    );
    b.close().await;
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("cannot create {}: {e}", to.display()));
    for entry in
        fs::read_dir(from).unwrap_or_else(|e| panic!("cannot list {}: {e}", from.display()))
    {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("cannot copy {}: {e}", entry.path().display()));
        }
    }
}
