//! How smoothly the partnership map pans and zooms in the browser: the real [`MapCanvas`]
//! drawing a county partnership of 300 bodies and 1,000 reporting lines (the generated graph
//! the layout benchmarks time, `atlas_shared::bench_graphs::county`), fitted whole in a frame
//! of 960 × 640 pixels (the app's content width) or the window, if that is smaller (the
//! headless runner's is 780 × 437), so every box and line is on screen: the most the browser
//! has to paint.
//!
//! Each phase drives the map as a person would, one input per animation frame: a
//! `requestAnimationFrame` callback dispatches a real `PointerEvent` or `WheelEvent` on the
//! `<svg>` and the browser then renders that frame. The phases:
//!
//! - **idle**: the same rAF loop with the map mounted and nothing dispatched: the baseline.
//!   Headless Chromium runs rAF at the display rate it simulates (60 Hz, 16.7 ms), so a pan
//!   whose frames match the idle ones is as smooth as this browser can show; a frame that
//!   took too long to render shows as an interval of about two (33 ms) or more.
//! - **pan**: `pointerdown`, then a `pointermove` of 8 px per frame (a brisk mouse drag),
//!   then `pointerup`.
//! - **zoom**: a `wheel` notch of 30 px per frame, in for half the frames and back out.
//!
//! Per phase it prints the median and 95th-percentile interval between rAF callbacks (ms),
//! the frames per second they imply (frames over elapsed time), and for pan and zoom the 95th
//! percentile of the work one input costs the page's thread before the boxes are in their new
//! place: the handler, the reactive update, and the style and layout that reading their place
//! (`getBoundingClientRect`) forces. Paint and raster are not in that figure; they are in the
//! intervals. On this machine (2 shared cores, Chromium's software raster) idle frames come
//! every 16.7 ms; a map that changed its `viewBox` on every pan step came at 12 fps (median
//! interval 83 ms), which is why a drag now slides the painted layer instead (see
//! `pages/structure/map_canvas.rs`).
//!
//! It asserts that the boxes moved on the screen on every frame with an input and on none
//! without, that a drag ends with the `viewBox` moved by as much as the pointer moved and the
//! map where the pointer left it, and that zooming as far out as in comes back to the same
//! width; so it cannot pass by timing nothing. It asserts nothing about the figures. A benchmark, not a timed test: it is not part of `cargo test`
//! (`test = false` in Cargo.toml); `cargo xtask bench` runs it optimised as the app is (the
//! `wasm-release` profile), with `--nocapture` so the runner shows the lines it prints:
//!
//! ```text
//! cargo test -p atlas-frontend --target wasm32-unknown-unknown --profile wasm-release \
//!     --test pan_bench -- --nocapture
//! ```
//!
//! Prints, after `#` lines with the run's details, `BENCH map_<phase>_frame_median_browser`,
//! `..._frame_p95_browser` (ms) and `map_<phase>_fps_browser` (fps) for idle, pan and zoom,
//! and `map_pan_work_p95_browser`, `map_zoom_work_p95_browser` (ms).

mod common;

use std::collections::HashMap;

use atlas_frontend::pages::structure::map_canvas::{
    MapCanvas, MapLabels, MapState, ViewBox, map_options,
};
use atlas_shared::bench_graphs::county;
use atlas_shared::layout::layout;
use atlas_shared::order::sort_by;
use common::{mount, pointer, settle, setup, wheel};
use leptos::prelude::*;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

/// Frames timed per phase (two seconds at 60 Hz), after [`WARM_UP`] untimed ones.
const FRAMES: usize = 120;
const WARM_UP: usize = 10;
/// The frame the map is drawn in, in CSS pixels, at most (the window may be smaller).
const FRAME_W: u32 = 960;
const FRAME_H: u32 = 640;
/// How far the pointer moves per frame in a pan, in pixels.
const PAN_STEP: i32 = 8;
/// One wheel notch per frame while zooming, in pixels of `deltaY`.
const WHEEL_STEP: f64 = 30.0;

fn now_ms() -> f64 {
    window().performance().expect("window.performance").now()
}

/// Waits for the next animation frame; returns its timestamp. The code after the `await` runs
/// in the microtasks after that rAF callback, so before the browser renders the frame.
async fn next_frame() -> f64 {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .request_animation_frame(&resolve)
            .expect("requestAnimationFrame");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("a frame")
        .as_f64()
        .expect("a timestamp")
}

/// Lets queued microtasks run (the map's reactive updates are) without leaving the current
/// frame.
async fn microtask() {
    let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(
        &wasm_bindgen::JsValue::UNDEFINED,
    ))
    .await;
}

fn view_box_of(svg: &Element) -> ViewBox {
    let attr = svg.get_attribute("viewBox").expect("the map has a viewBox");
    let v: Vec<f64> = attr
        .split_whitespace()
        .map(|n| n.parse().expect("a number"))
        .collect();
    assert_eq!(v.len(), 4, "viewBox `{attr}`");
    ViewBox {
        x: v[0],
        y: v[1],
        w: v[2],
        h: v[3],
    }
}

/// What one phase measured, in milliseconds.
struct Phase {
    /// Between consecutive rAF callbacks.
    intervals: Vec<f64>,
    /// Input to forced layout, per frame (empty when idle).
    work: Vec<f64>,
}

/// Where the map's boxes are on the screen, in pixels: `(left, top, width, height)` of the
/// group holding them, with every `viewBox` and CSS transform applied. Reading it makes the
/// browser bring style and layout up to date.
fn on_screen(nodes: &Element) -> (f64, f64, f64, f64) {
    let r = nodes.get_bounding_client_rect();
    (r.left(), r.top(), r.width(), r.height())
}

/// Runs [`FRAMES`] frames (after [`WARM_UP`]), calling `input(i)` at the start of each, then
/// waiting until the boxes have moved on the screen ([`on_screen`]). `input` returns false to
/// dispatch nothing (the idle baseline). Asserts that the picture moved on every frame with an
/// input, and stayed put on every frame without.
async fn run_phase(nodes: &Element, input: impl Fn(usize) -> bool) -> Phase {
    let mut intervals = Vec::with_capacity(FRAMES);
    let mut work = Vec::with_capacity(FRAMES);
    let mut last = next_frame().await;
    for i in 0..WARM_UP + FRAMES {
        let t = next_frame().await;
        let before = on_screen(nodes);
        let start = now_ms();
        if input(i) {
            let mut waited = 0;
            while on_screen(nodes) == before {
                assert!(waited < 1000, "the map did not move on frame {i}");
                microtask().await;
                waited += 1;
            }
            if i >= WARM_UP {
                work.push(now_ms() - start);
            }
        } else {
            assert_eq!(
                on_screen(nodes),
                before,
                "the map moved by itself on frame {i}"
            );
        }
        if i >= WARM_UP {
            intervals.push(t - last);
        }
        last = t;
    }
    Phase { intervals, work }
}

/// Nearest-rank percentile `p` (0–100) of `values`.
fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted = values.to_vec();
    sort_by(&mut sorted, f64::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn report(name: &str, phase: &Phase) {
    let i = &phase.intervals;
    let total: f64 = i.iter().sum();
    let fps = i.len() as f64 * 1000.0 / total;
    let over = i.iter().filter(|&&ms| ms > 1000.0 / 60.0 + 2.0).count();
    let mut details = format!(
        "{} frames; interval min {:.2} ms, max {:.2} ms, {over} over 18.7 ms",
        i.len(),
        percentile(i, 0.0),
        percentile(i, 100.0)
    );
    if !phase.work.is_empty() {
        details.push_str(&format!(
            "; input to layout median {:.2} ms, max {:.2} ms",
            percentile(&phase.work, 50.0),
            percentile(&phase.work, 100.0)
        ));
    }
    console_log!("# map_{name}: {details}");
    console_log!(
        "BENCH map_{name}_frame_median_browser {:.2} ms",
        percentile(i, 50.0)
    );
    console_log!(
        "BENCH map_{name}_frame_p95_browser {:.2} ms",
        percentile(i, 95.0)
    );
    console_log!("BENCH map_{name}_fps_browser {fps:.1} fps");
    if !phase.work.is_empty() {
        console_log!(
            "BENCH map_{name}_work_p95_browser {:.2} ms",
            percentile(&phase.work, 95.0)
        );
    }
}

#[wasm_bindgen_test]
async fn panning_and_zooming_a_large_county_partnership() {
    setup();
    let (bodies, lines) = county(300, 1000);
    let drawn = layout(&bodies, &lines, &map_options(bodies.len()));
    let labels = MapLabels {
        bodies: bodies
            .iter()
            .map(|b| (b.id, (b.label.clone(), b.kind)))
            .collect::<HashMap<_, _>>(),
        lines: lines.iter().map(|l| (l.id, l.kind)).collect(),
    };
    let fit = ViewBox::fit(&drawn);
    let view_box = RwSignal::new(fit);
    let state = MapState {
        view_box,
        selected: Signal::stored(None),
        highlight: Signal::stored(None),
    };
    let layout_signal = Signal::stored(drawn.clone());
    let (container, _unmount) = mount(move || {
        view! {
            <style>
                {format!(
                    ".pan-bench {{ position: fixed; left: 0; top: 0; z-index: 10; overflow: hidden; \
                     width: min({FRAME_W}px, 100vw); height: min({FRAME_H}px, 100vh); \
                     background: #fff; }} \
                     .pan-bench .map-viewport {{ height: 100%; }} \
                     .pan-bench .map {{ display: block; width: 100%; height: 100%; \
                     touch-action: none; }}"
                )}
            </style>
            <div class="pan-bench">
                <MapCanvas
                    layout=layout_signal
                    labels=Signal::stored(labels)
                    state=state
                    on_select=|_: atlas_shared::BodyId| {}
                    label="Map of the county partnership"
                />
            </div>
        }
    });
    settle().await;
    let svg = common::one(&container, "svg.map");
    let nodes = common::one(&container, "svg.map .map-nodes");
    assert_eq!(
        common::all(&svg, ".map-node").len(),
        300,
        "every body is drawn"
    );
    assert_eq!(
        common::all(&svg, ".map-edge").len(),
        1000,
        "every line is drawn"
    );
    let window = window();
    let inner = |v: Result<wasm_bindgen::JsValue, _>| {
        v.ok().and_then(|v| v.as_f64()).expect("the window's size")
    };
    let frame_w = f64::from(FRAME_W).min(inner(window.inner_width()));
    let frame_h = f64::from(FRAME_H).min(inner(window.inner_height()));
    let rect = svg.get_bounding_client_rect();
    assert!(
        (rect.left(), rect.top()) == (0.0, 0.0)
            && (rect.width() - frame_w).abs() < 1.0
            && (rect.height() - frame_h).abs() < 1.0,
        "the map fills its {frame_w} x {frame_h} frame in the window, not {} x {} at {}, {}",
        rect.width(),
        rect.height(),
        rect.left(),
        rect.top()
    );
    console_log!(
        "# {} bodies, {} lines, map {:.0} x {:.0} units fitted in {frame_w} x {frame_h} px \
         (device pixel ratio {}); {FRAMES} frames per phase after {WARM_UP} untimed",
        drawn.nodes.len(),
        drawn.edges.len(),
        drawn.width,
        drawn.height,
        window.device_pixel_ratio(),
    );
    let (cx, cy) = (
        (rect.left() + rect.width() / 2.0) as i32,
        (rect.top() + rect.height() / 2.0) as i32,
    );

    let idle = run_phase(&nodes, |_| false).await;
    assert_eq!(
        svg.get_attribute("viewBox"),
        Some(fit.attribute()),
        "idle frames leave the view alone"
    );

    // Drag from the left of the map to the right, one move per frame.
    let start = view_box_of(&svg);
    let x0 = cx - (PAN_STEP * (WARM_UP + FRAMES) as i32) / 2;
    pointer(&svg, "pointerdown", x0, cy);
    let pan = run_phase(&nodes, |i| {
        pointer(&svg, "pointermove", x0 + PAN_STEP * (i as i32 + 1), cy);
        true
    })
    .await;
    let dropped_at = on_screen(&nodes);
    pointer(
        &svg,
        "pointerup",
        x0 + PAN_STEP * (WARM_UP + FRAMES) as i32,
        cy,
    );
    settle().await;
    let end = view_box_of(&svg);
    let after = on_screen(&nodes);
    assert!(
        (after.0 - dropped_at.0).abs() < 1.0 && (after.1 - dropped_at.1).abs() < 1.0,
        "the map stays where the drag left it when the pointer lifts: {dropped_at:?} -> {after:?}"
    );
    let style = svg.get_attribute("style").unwrap_or_default();
    assert!(
        !style.contains("translate"),
        "the slide ends with the drag: `{style}`"
    );
    let units = start.units_per_pixel(rect.width(), rect.height());
    let expected = f64::from(PAN_STEP) * (WARM_UP + FRAMES) as f64 * units;
    assert!(
        ((start.x - end.x) - expected).abs() < expected * 0.01 && start.y == end.y,
        "a drag of {} px to the right moves the view {expected:.1} units left: {start:?} -> {end:?}",
        PAN_STEP * (WARM_UP + FRAMES) as i32
    );

    // Zoom in about the middle, then back out.
    let half = (WARM_UP + FRAMES) / 2;
    let zoom = run_phase(&nodes, |i| {
        let delta = if i < half { -WHEEL_STEP } else { WHEEL_STEP };
        wheel(&svg, delta, cx, cy);
        true
    })
    .await;
    let zoomed = view_box_of(&svg);
    assert!(
        (zoomed.w - end.w).abs() < end.w * 0.01,
        "as many notches out as in: back to the width it started at, {end:?} -> {zoomed:?}"
    );

    report("idle", &idle);
    report("pan", &pan);
    report("zoom", &zoom);
}
