//! `cargo xtask bench`'s offline open (issue 13: "time from navigation to the structure on
//! screen with no network, in headless Chromium with 4× CPU throttling"; goal ≤ 1 s).
//!
//! One online visit to Basingstoke and Deane's map installs the service worker and fills the
//! local copy, as a tablet's first visit does. Then the server is stopped (no network: every
//! request fails, so the service worker and IndexedDB serve everything), the CPU is slowed
//! four times (`Emulation.setCPUThrottlingRate`), and the map is opened again and again. A
//! script the page runs before the app (`Page.addScriptToEvaluateOnNewDocument`) notes when
//! the first body of the map is drawn, as `performance.now()`: milliseconds since the
//! navigation began, measured in the page, with no polling in between. One open warms the
//! browser's compiled-code cache as a second visit would; the next ones are reported (the
//! median, the fastest and the slowest), and each must draw the map: no figure is printed for
//! an open that did not.
//!
//! Run by `cargo xtask bench`, which builds the release app and server and passes their paths
//! (see the crate docs for the environment it reads).

use std::time::Duration;

use atlas_e2e::Harness;
use atlas_shared::seeds::BASINGSTOKE;
use serde_json::json;

/// Opens measured after the warm-up one.
const OPENS: usize = 7;
/// Chromium's CPU slow-down factor, as the issue asks.
const CPU_SLOWDOWN: u32 = 4;

#[tokio::main]
async fn main() {
    let mut h = Harness::start().await;
    let changes = h.server.pull_all().await;
    let p = changes
        .iter()
        .find(|c| c["kind"] == "partnership" && c["fields"]["name"] == BASINGSTOKE)
        .and_then(|c| c["id"].as_str().map(str::to_owned))
        .expect("the demo has Basingstoke and Deane");
    let map = format!("/partnerships/{p}/map");

    let b = h.browser("offline-open").await;
    h.open(&b, &map).await;
    b.wait_for("svg.map g.map-node").await;
    b.wait_sync(&["synced"], 0, Duration::from_secs(60)).await;
    b.wait_for_service_worker().await;
    b.note_when_the_map_is_drawn().await;
    let url = h.server.url(&map);
    h.server.stop().await;

    let mut times = Vec::with_capacity(OPENS);
    for open in 0..=OPENS {
        b.cdp(
            "Emulation.setCPUThrottlingRate",
            json!({ "rate": CPU_SLOWDOWN }),
        )
        .await;
        b.goto(&url).await;
        let at = b
            .map_drawn_at(
                "the map to be drawn with no network",
                Duration::from_secs(30),
            )
            .await;
        println!("open {open}: the map drawn {at:.0} ms after navigation began");
        if open > 0 {
            times.push(at);
        }
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!("BENCH offline_open_map_median {median:.2} ms");
    println!("BENCH offline_open_map_fastest {:.2} ms", times[0]);
    println!(
        "BENCH offline_open_map_slowest {:.2} ms",
        times[times.len() - 1]
    );
    b.close().await;
}
