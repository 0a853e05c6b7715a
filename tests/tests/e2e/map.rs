//! The partnership map, its outline, presentation mode and the induction pack, in headless
//! Chromium against the real server with the demo data (seed 003: Basingstoke and Deane).
//! Screenshots of the map and of presentation mode land in `target/e2e-screenshots/`.

use atlas_shared::seeds::{
    BASINGSTOKE, BASINGSTOKE_BOARD, BASINGSTOKE_CONFERENCE, BASINGSTOKE_MANAGEMENT_GROUP,
    BASINGSTOKE_OTHER_PARTNERSHIPS,
};
use std::time::Duration;

use atlas_e2e::{BASINGSTOKE_BODIES, Browser, Harness, squeeze};
use fantoccini::key::Key;
use serde_json::Value as Json;

const SYNC_TIMEOUT: Duration = Duration::from_secs(40);
const STEP: Duration = Duration::from_secs(10);

/// Basingstoke and Deane's partnership id, from the server.
async fn basingstoke(h: &Harness) -> String {
    let changes = h.server.pull_all().await;
    changes
        .iter()
        .find(|c| c["kind"] == "partnership" && c["fields"]["name"] == BASINGSTOKE)
        .and_then(|c| c["id"].as_str())
        .map(str::to_owned)
        .expect("the demo data has Basingstoke and Deane LSP")
}

/// The reporting lines the server holds for partnership `p`: (from, to) body ids.
async fn lines_of(h: &Harness, p: &str) -> Vec<(String, String)> {
    let changes = h.server.pull_all().await;
    changes
        .iter()
        .filter(|c| c["kind"] == "reporting_line" && !c["deleted"].as_bool().unwrap_or(false))
        .filter(|c| c["fields"]["partnership_id"] == p)
        .map(|c| {
            (
                c["fields"]["from_body_id"]
                    .as_str()
                    .unwrap_or("")
                    .to_owned(),
                c["fields"]["to_body_id"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// The map's boxes as (body id, accessible label).
async fn map_nodes(b: &Browser) -> Vec<(String, String)> {
    let answer = b
        .eval(
            "return [...document.querySelectorAll('svg.map g.map-node')]
                .map(g => [g.dataset.bodyId, g.getAttribute('aria-label')]);",
        )
        .await;
    answer
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    (
                        r[0].as_str().unwrap_or("").to_owned(),
                        r[1].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// How far the middle of the map's view is from the middle of body `id`'s box, in layout
/// units, and the view's width.
async fn distance_from_centre(b: &Browser, id: &str) -> (f64, f64) {
    let script = format!(
        "const svg = document.querySelector('svg.map');
         const g = svg.querySelector('g.map-node[data-body-id=\"{id}\"]');
         if (!g) return null;
         const [x, y, w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
         const m = /translate\\(([-0-9.]+),([-0-9.]+)\\)/.exec(g.getAttribute('transform'));
         const r = g.querySelector('rect:not(.map-node__focus)');
         const cx = Number(m[1]) + Number(r.getAttribute('width')) / 2;
         const cy = Number(m[2]) + Number(r.getAttribute('height')) / 2;
         return [Math.hypot(x + w / 2 - cx, y + h / 2 - cy), w];"
    );
    let v = b.eval(&script).await;
    (
        v[0].as_f64().unwrap_or(f64::INFINITY),
        v[1].as_f64().unwrap_or(0.0),
    )
}

fn check_every_body_is_drawn(nodes: &[(String, String)]) {
    let labels: Vec<&str> = nodes.iter().map(|(_, l)| l.as_str()).collect();
    let missing: Vec<&str> = BASINGSTOKE_BODIES
        .iter()
        .copied()
        .filter(|name| !labels.iter().any(|l| l.starts_with(&format!("{name},"))))
        .collect();
    assert!(
        missing.is_empty(),
        "the map lacks {missing:?}; its boxes: {labels:?}"
    );
    assert_eq!(nodes.len(), BASINGSTOKE_BODIES.len(), "{labels:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_basingstoke_map_shows_every_body_and_line_search_centres_a_body_and_it_works_offline()
{
    let mut h = Harness::start().await;
    let b = h.browser("map").await;
    let p = basingstoke(&h).await;
    let lines = lines_of(&h, &p).await;
    assert!(
        lines.len() >= 15,
        "the demo has its reporting lines: {lines:?}"
    );

    // From the partnership page to its map.
    h.open(&b, &format!("/partnerships/{p}")).await;
    b.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    b.wait_for_service_worker().await;
    b.click_link("Partnership map").await;
    b.wait_for_path(&format!("/partnerships/{p}/map")).await;
    b.wait_for("svg.map g.map-node").await;
    let nodes = map_nodes(&b).await;
    check_every_body_is_drawn(&nodes);

    // Every reporting line is an arrow between the right two boxes; the forum that feeds
    // into five groups has five.
    let edges = b
        .eval(
            "return [...document.querySelectorAll('svg.map g.map-edge')]
                .map(g => [g.dataset.from, g.dataset.to, g.querySelector('polyline').getAttribute('points').split(' ').length]);",
        )
        .await;
    let mut drawn: Vec<(String, String)> = edges
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    assert!(r[2].as_u64().unwrap_or(0) >= 2, "a line with no route: {r}");
                    (
                        r[0].as_str().unwrap_or("").to_owned(),
                        r[1].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut expected = lines.clone();
    drawn.sort();
    expected.sort();
    assert_eq!(drawn, expected, "the map's arrows are the server's lines");
    let other = nodes
        .iter()
        .find(|(_, l)| l.starts_with("Other partnerships and fora,"))
        .map(|(id, _)| id.clone())
        .expect("the forum is drawn");
    assert_eq!(
        drawn.iter().filter(|(from, _)| *from == other).count(),
        5,
        "other partnerships and fora feed into the five Priority Action Groups"
    );
    let labels = b
        .eval("return [...document.querySelectorAll('svg.map g.map-edge text')].map(t => t.textContent);")
        .await;
    assert!(
        labels
            .as_array()
            .is_some_and(|l| l.iter().filter(|t| *t == "feeds into").count() >= 5),
        "feeds-into lines are labelled: {labels}"
    );
    b.screenshot("map-basingstoke").await;
    b.assert_accessible("the Basingstoke and Deane map").await;
    // Printed, the map is alone on one sheet of A4 landscape.
    let (pdf, pages) = b.print_pdf("map-a4-landscape", true).await;
    assert_eq!(
        pages,
        1,
        "the map prints on one A4 landscape page: {}",
        pdf.display()
    );

    // Search: type part of a name, choose the body, the map centres on it and its panel opens.
    let housing = nodes
        .iter()
        .find(|(_, l)| l.starts_with("Housing,"))
        .map(|(id, _)| id.clone())
        .expect("Housing is drawn");
    let (before, _) = distance_from_centre(&b, &housing).await;
    b.fill("#map-search", "hous").await;
    b.wait_for_text(".map-search__name", "Housing").await;
    b.click(".map-search__result").await;
    b.wait_js(
        "the address to select Housing",
        STEP,
        "return location.search.includes(arguments[0]);",
        vec![Json::from(housing.clone())],
    )
    .await;
    b.wait_for_text("#map-panel-heading", "Housing").await;
    let (after, width) = distance_from_centre(&b, &housing).await;
    assert!(
        after < 1.0 && after < before,
        "the view centres on Housing: {before:.1} units from it before, {after:.1} after (view {width:.0} wide)"
    );
    // What the panel says of the body comes with the part `more`, fetched on this first
    // selection.
    b.wait_for(".map-panel .map-panel__chair").await;
    let panel = squeeze(&b.find(".map-panel").await.text().await.unwrap_or_default());
    assert!(
        panel.contains("Reports to") && panel.contains(BASINGSTOKE_MANAGEMENT_GROUP),
        "the panel says whom Housing reports to: {panel}"
    );
    assert!(
        panel.contains(BASINGSTOKE_OTHER_PARTNERSHIPS),
        "the panel lists who feeds into Housing: {panel}"
    );
    b.screenshot("map-housing-selected").await;

    // A drag slides the painted map with the pointer, boxes from outside the view included,
    // and moves the view by as much when the pointer lifts.
    let drag = |phase: &'static str| {
        let b = &b;
        async move {
            b.eval(&format!(
                "const svg = document.querySelector('svg.map');
                 const r = svg.getBoundingClientRect();
                 const x = r.left + r.width / 2, y = r.top + r.height / 2;
                 const at = {{ down: [x, y], move: [x + 300, y + 40], up: [x + 300, y + 40] }}['{phase}'];
                 svg.dispatchEvent(new PointerEvent('pointer{phase}', {{
                   bubbles: true, pointerId: 7, pointerType: 'mouse', isPrimary: true,
                   button: 0, buttons: '{phase}' === 'up' ? 0 : 1, clientX: at[0], clientY: at[1],
                 }}));
                 return svg.getAttribute('viewBox');"
            ))
            .await
        }
    };
    let before = drag("down").await;
    drag("move").await;
    b.screenshot("map-mid-drag").await;
    let during = b
        .eval("return [document.querySelector('svg.map').getAttribute('viewBox'), getComputedStyle(document.querySelector('svg.map')).overflow];")
        .await;
    assert_eq!(
        during,
        serde_json::json!([before, "visible"]),
        "while dragging, the view waits and the whole map is painted"
    );
    drag("up").await;
    b.wait_js(
        "the view to move when the pointer lifts",
        STEP,
        "return document.querySelector('svg.map').getAttribute('viewBox') !== arguments[0];",
        vec![before],
    )
    .await;

    // Selecting a box with the keyboard: focus the Management Group and press Enter.
    let management = nodes
        .iter()
        .find(|(_, l)| l.starts_with("Management Group,"))
        .map(|(id, _)| id.clone())
        .expect("the Management Group is drawn");
    b.eval(&format!(
        "document.querySelector('g.map-node[data-body-id=\"{management}\"]').focus(); return true;"
    ))
    .await;
    b.press(&Key::Enter.to_string()).await;
    b.wait_for_text("#map-panel-heading", BASINGSTOKE_MANAGEMENT_GROUP)
        .await;

    // The selection is in the address, so it survives a reload; and with the server gone the
    // map still opens, from the service worker and the local copy.
    b.wait_sync(&["synced"], 0, SYNC_TIMEOUT).await;
    h.server.stop().await;
    b.reload().await;
    b.wait_ready().await;
    b.wait_for_text("#map-panel-heading", BASINGSTOKE_MANAGEMENT_GROUP)
        .await;
    let offline_nodes = map_nodes(&b).await;
    check_every_body_is_drawn(&offline_nodes);
    let (off_centre, _) = distance_from_centre(&b, &management).await;
    assert!(
        off_centre < 1.0,
        "a deep link centres its body ({off_centre:.1} units off)"
    );
    b.screenshot("map-offline").await;
    h.server.restart().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outline_is_keyboard_navigable_presentation_steps_and_the_induction_pack_lists_every_body()
 {
    let h = Harness::start().await;
    let b = h.browser("training").await;
    let p = basingstoke(&h).await;

    // The outline: one tab stop, arrow keys move, Enter opens the body on the map.
    h.open(&b, &format!("/partnerships/{p}/outline")).await;
    b.wait_for("[role=tree] [role=treeitem]").await;
    let items = b.texts("[role=treeitem] .outline__name").await;
    for name in BASINGSTOKE_BODIES {
        assert!(
            items.iter().any(|i| i == name),
            "the outline lists {name}: {items:?}"
        );
    }
    let tab_stops = b
        .eval("return document.querySelectorAll('[role=treeitem][tabindex=\"0\"]').length;")
        .await;
    assert_eq!(tab_stops, Json::from(1), "the tree is one tab stop");
    // Each row says where it is in the tree, under the attributes' own names.
    let first = b
        .eval(
            "const row = document.querySelector('[role=treeitem]');
             return row.getAttributeNames().filter(n => n.includes('aria-'))
                 .map(n => n + '=' + row.getAttribute(n)).sort().join(' ');",
        )
        .await;
    let first = first.as_str().unwrap_or_default();
    for attribute in ["aria-level=1", "aria-posinset=1", "aria-setsize="] {
        assert!(
            first.contains(attribute),
            "the first row has {attribute}: {first}"
        );
    }
    assert!(
        !first.contains(':'),
        "no attribute under a prefixed name: {first}"
    );
    b.assert_accessible("the outline").await;
    let focused = || async {
        squeeze(
            b.eval(
                "return document.activeElement.querySelector('.outline__name')?.textContent ?? '';",
            )
            .await
            .as_str()
            .unwrap_or_default(),
        )
    };
    b.eval("document.querySelector('[role=treeitem][tabindex=\"0\"]').focus(); return true;")
        .await;
    assert_eq!(focused().await, BASINGSTOKE_BOARD);
    b.press(&Key::Down.to_string()).await;
    assert_eq!(focused().await, BASINGSTOKE_MANAGEMENT_GROUP);
    // Left closes an open entry, and on a closed one goes to its parent.
    b.press(&Key::Left.to_string()).await;
    assert_eq!(focused().await, BASINGSTOKE_MANAGEMENT_GROUP);
    let expanded = b
        .eval("return document.activeElement.getAttribute('aria-expanded');")
        .await;
    assert_eq!(
        expanded,
        Json::from("false"),
        "Left closes the Management Group"
    );
    b.press(&Key::Left.to_string()).await;
    assert_eq!(
        focused().await,
        BASINGSTOKE_BOARD,
        "Left goes to the parent"
    );
    // Left again closes the Board: its children are no longer shown.
    b.press(&Key::Left.to_string()).await;
    let expanded = b
        .eval("return document.activeElement.getAttribute('aria-expanded');")
        .await;
    assert_eq!(expanded, Json::from("false"));
    b.press(&Key::Down.to_string()).await;
    assert_eq!(
        focused().await,
        BASINGSTOKE_CONFERENCE,
        "Down skips the closed Board's children"
    );
    b.press(&Key::Up.to_string()).await;
    b.press(&Key::Right.to_string()).await;
    b.press(&Key::Right.to_string()).await;
    assert_eq!(
        focused().await,
        BASINGSTOKE_MANAGEMENT_GROUP,
        "Right opens, then goes to the first child"
    );
    b.screenshot("outline").await;
    b.press(&Key::Enter.to_string()).await;
    b.wait_for_text("#map-panel-heading", BASINGSTOKE_MANAGEMENT_GROUP)
        .await;

    // Presentation mode: large steps, forward and back by the keys a clicker sends.
    h.open(&b, &format!("/partnerships/{p}")).await;
    b.click_link("Presentation mode").await;
    b.wait_for(".presentation__counter").await;
    let counter = || async {
        squeeze(
            b.eval("return document.querySelector('.presentation__counter')?.textContent ?? '';")
                .await
                .as_str()
                .unwrap_or_default(),
        )
    };
    let first = counter().await;
    assert!(first.starts_with("Step 1 of "), "{first}");
    let total: usize = first
        .trim_start_matches("Step 1 of ")
        .parse()
        .unwrap_or_else(|_| panic!("a step count in {first:?}"));
    assert!(
        total >= 8,
        "the demo tour walks the structure: {total} steps"
    );
    b.screenshot("presentation-step-1").await;
    let buttons = || async {
        b.eval(
            "return ['#present-previous', '#present-next'].map(css => {
               const el = document.querySelector(css);
               return el ? [el.textContent.trim(), el.disabled] : null;
             });",
        )
        .await
    };
    assert_eq!(
        buttons().await,
        serde_json::json!([["Previous", true], ["Next", false]]),
        "on the first step only Next works"
    );
    let wait_step = |n: usize| {
        let b = &b;
        async move {
            b.wait_js(
                &format!("presentation step {n}"),
                STEP,
                "const c = document.querySelector('.presentation__counter'); return c && c.textContent.startsWith(arguments[0]);",
                vec![Json::from(format!("Step {n} of"))],
            )
            .await;
        }
    };
    b.press(&Key::Right.to_string()).await;
    wait_step(2).await;
    b.wait_for_text(".presentation__title", BASINGSTOKE_BOARD)
        .await;
    // The step's bodies stand out; the rest are dimmed.
    let dimmed = b
        .eval("return document.querySelectorAll('svg.map g.map-node.map-node--dim').length;")
        .await;
    assert_eq!(
        dimmed,
        Json::from(BASINGSTOKE_BODIES.len() - 1),
        "all but the Board are dimmed"
    );
    // A glossary term in the step's text explains itself only on hover, focus or tap (the
    // click that opened presentation mode left the mouse over the page: move it off).
    b.move_mouse_away().await;
    let tip = b
        .eval(
            "const t = document.querySelector('.presentation__text .glossary-term__tip');
             if (!t) return 'no glossary term in the step';
             const r = t.getBoundingClientRect(); return [r.width, r.height];",
        )
        .await;
    assert!(
        tip[0].as_f64().is_some_and(|w| w <= 1.0),
        "the glossary tooltip is hidden until asked for: {tip}"
    );
    b.screenshot("presentation-step-2").await;
    // On a 1280×720 projector the step's words, the map and the buttons all fit the screen.
    b.client
        .set_window_size(1280, 720)
        .await
        .expect("resize the window");
    let fits = b
        .wait_js(
            "the controls to fit a 720-pixel-high screen",
            STEP,
            "const n = document.querySelector('#present-next').getBoundingClientRect();
             const w = document.querySelector('.presentation__words').getBoundingClientRect();
             return window.innerHeight < 800 && [n.bottom <= window.innerHeight, w.bottom <= window.innerHeight];",
            vec![],
        )
        .await;
    assert_eq!(
        fits,
        Json::from(vec![true, true]),
        "step 2 fits on a projector"
    );
    b.screenshot("presentation-720p").await;
    b.client
        .set_window_size(1280, 1024)
        .await
        .expect("resize the window back");
    b.press(&Key::PageDown.to_string()).await;
    wait_step(3).await;
    b.press(&Key::PageUp.to_string()).await;
    wait_step(2).await;
    b.press(&Key::Left.to_string()).await;
    wait_step(1).await;
    b.press(&Key::End.to_string()).await;
    wait_step(total).await;
    // The step survives a reload.
    b.reload().await;
    b.wait_ready().await;
    wait_step(total).await;
    assert_eq!(
        buttons().await,
        serde_json::json!([["Previous", false], ["Next", true]]),
        "on the last step only Previous works"
    );
    b.click("#present-previous").await;
    wait_step(total - 1).await;
    b.click("#present-next").await;
    wait_step(total).await;
    b.assert_accessible("presentation mode").await;
    b.press(&Key::Escape.to_string()).await;
    b.wait_for_path(&format!("/partnerships/{p}")).await;

    // The induction pack: every body, what it does, and the glossary.
    h.open(&b, &format!("/partnerships/{p}/induction")).await;
    b.wait_for(".induction__body h3").await;
    let bodies = b.texts(".induction__body h3").await;
    for name in BASINGSTOKE_BODIES {
        assert!(
            bodies.iter().any(|x| x == name),
            "the induction pack lists {name}: {bodies:?}"
        );
    }
    let glossary = b.texts(".induction__glossary dt").await;
    for term in ["LSP", "SCS", "O&S", "PAG"] {
        assert!(
            glossary.iter().any(|t| t == term),
            "the pack's glossary has {term}: {glossary:?}"
        );
    }
    b.screenshot("induction-pack").await;
    // Printed for a councillor: a handful of A4 pages (written beside the screenshots).
    let (pdf, pages) = b.print_pdf("induction-pack-a4", false).await;
    assert!(
        (1..=12).contains(&pages),
        "the induction pack prints on {pages} pages: {}",
        pdf.display()
    );
    b.assert_accessible("the induction pack").await;
    b.close().await;
}

/// On body `name`'s box: how tall its name's first line is on the screen, in CSS pixels, and
/// whether the box's middle is inside the map as drawn.
async fn name_on_screen(b: &Browser, name: &str) -> (f64, bool) {
    let v = b
        .eval_async(
            "const [name, done] = [arguments[0], arguments[arguments.length - 1]];
             const svg = document.querySelector('svg.map');
             const g = [...svg.querySelectorAll('g.map-node')]
                 .find(g => (g.getAttribute('aria-label') || '').startsWith(name + ','));
             if (!g) { done(null); return; }
             const line = g.querySelector('.map-node__name tspan').getBoundingClientRect();
             const box = g.querySelector('rect:not(.map-node__focus)').getBoundingClientRect();
             const map = svg.getBoundingClientRect();
             const [cx, cy] = [box.left + box.width / 2, box.top + box.height / 2];
             done([line.height, cx > map.left && cx < map.right && cy > map.top && cy < map.bottom]);",
            vec![Json::from(name)],
        )
        .await;
    (
        v[0].as_f64().unwrap_or(0.0),
        v[1].as_bool().unwrap_or(false),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_opens_the_map_readable_on_the_board_with_the_outline_one_tap_away() {
    let h = Harness::start().await;
    let b = h.browser("map-phone").await;
    let p = basingstoke(&h).await;
    // A 390 × 844 phone (an iPhone 12 to 15), as Chromium's device emulation draws it.
    b.cdp(
        "Emulation.setDeviceMetricsOverride",
        serde_json::json!({ "width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": true }),
    )
    .await;
    h.open(&b, &format!("/partnerships/{p}/map")).await;
    b.wait_for("svg.map g.map-node").await;
    let board = BASINGSTOKE_BOARD;
    // The view is chosen once the map is drawn: give it a moment.
    let started = std::time::Instant::now();
    let (height, in_view) = loop {
        let seen = name_on_screen(&b, board).await;
        if (seen.1 && seen.0 >= 10.0) || started.elapsed() > STEP {
            break seen;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    b.screenshot("map-phone-390").await;
    assert!(in_view, "the phone's map opens with the Board in view");
    assert!(
        height >= 10.0,
        "a box's name is readable on a phone: its line is {height:.1} px tall"
    );
    // The whole structure fitted would have made that line a few pixels tall.
    b.click("#map-fit").await;
    let (fitted, _) = name_on_screen(&b, board).await;
    assert!(
        fitted < height,
        "fitted, the names shrink ({fitted:.1} px against {height:.1} px)"
    );

    // A searched body opens readable too.
    b.fill("#map-search", "hous").await;
    b.wait_for_text(".map-search__name", "Housing").await;
    b.click(".map-search__result").await;
    b.wait_for_text("#map-panel-heading", "Housing").await;
    let (housing, in_view) = name_on_screen(&b, "Housing").await;
    assert!(
        in_view && housing >= 10.0,
        "the searched body is in view and readable: {housing:.1} px"
    );

    // The outline is one tap away, on the first screen.
    let link_top = b
        .eval(
            "const a = [...document.querySelectorAll('a')].find(a => a.textContent.includes('Read the structure as an outline'));
             window.scrollTo(0, 0);
             return a ? a.getBoundingClientRect().top : null;",
        )
        .await;
    assert!(
        link_top
            .as_f64()
            .is_some_and(|top| top > 0.0 && top < 844.0),
        "the outline link is on the phone's first screen (top at {link_top})"
    );
    b.click_link("Read the structure as an outline").await;
    b.wait_for_path(&format!("/partnerships/{p}/outline")).await;
    b.close().await;
}
