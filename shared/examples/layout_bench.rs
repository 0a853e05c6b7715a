//! Times the partnership-map layout on a large generated county partnership: 300 bodies and
//! 1,000 reporting lines, the deterministic graphs of `atlas_shared::bench_graphs` (also used by
//! the tests in `src/structure/layout.rs` and by the browser benchmark in `frontend/tests/layout_bench.rs`).
//! `cargo xtask bench` runs this and reports its figures.
//!
//! ```text
//! cargo run --release -p atlas-shared --example layout_bench
//! ```
//!
//! Prints `BENCH layout_300_bodies_1000_lines_native <median ms> ms` for a county-shaped graph,
//! then the same for a deliberately deep stress graph (`..._deep_stress_native`).

use std::time::Instant;

use atlas_shared::bench_graphs::report_layout_timings;

const RUNS: usize = 20;

fn main() {
    let clock = Instant::now();
    let now_ms = || clock.elapsed().as_secs_f64() * 1000.0;
    report_layout_timings("_native", RUNS, now_ms, |line| println!("{line}"));
}
