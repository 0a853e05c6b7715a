//! Times the partnership-map layout (`atlas_shared::layout::layout`) in the browser, on the
//! same generated graphs as the native benchmark (`shared/examples/layout_bench.rs`): a county
//! partnership of 300 bodies and 1,000 reporting lines, and a deliberately deep stress graph.
//!
//! A benchmark, not a timed test: it prints figures and asserts only that the layout is sound
//! and deterministic. It is not part of `cargo test` (`test = false` in Cargo.toml);
//! `cargo xtask bench` runs it optimised as the app is (the `wasm-release` profile), with
//! `--nocapture` so the runner shows the lines it prints:
//!
//! ```text
//! cargo test -p atlas-frontend --target wasm32-unknown-unknown --profile wasm-release \
//!     --test layout_bench -- --nocapture
//! ```
//!
//! Prints `BENCH layout_300_bodies_1000_lines_browser <median ms> ms` and the same for
//! `..._deep_stress_browser`, each after a `#` line with the run's details.

use atlas_shared::bench_graphs::report_layout_timings;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Timed runs per graph, after one untimed run (which also warms up the engine's tiers).
const RUNS: usize = 20;

/// Milliseconds from `performance.now()`. Chromium coarsens it (to 0.1 ms without cross-origin
/// isolation), which is fine for a median of layouts taking several milliseconds.
fn now_ms() -> f64 {
    web_sys::window()
        .expect("a window")
        .performance()
        .expect("window.performance")
        .now()
}

#[wasm_bindgen_test]
fn layout_of_a_large_county_partnership() {
    report_layout_timings("_browser", RUNS, now_ms, |line| console_log!("{line}"));
}
