//! Deterministic generated partnership graphs for timing the partnership-map layout
//! ([`crate::layout::layout`]) and for its tests: one copy used by the native benchmark
//! (`examples/layout_bench.rs`), the browser benchmark (`frontend/tests/layout_bench.rs`, run by
//! `cargo xtask bench`) and the tests in `layout.rs`; and the timing loop both benchmarks run,
//! with the clock passed in.
//!
//! Not part of the crate's API (hidden from its docs); nothing in the app calls it, so it adds
//! nothing to the app's bundle.

use uuid::Uuid;

use crate::layout::{Layout, LayoutEdge, LayoutNode, LayoutOptions, layout};
use crate::order::sort_by;
use crate::{BodyId, BodyKind, LineKind, ReportingLineId};

/// splitmix64: a deterministic stand-in for a random source.
pub struct Sequence(pub u64);

impl Sequence {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

/// A county partnership (at least 30 bodies): bodies in tiers by kind (Board and Conference;
/// management groups; thematic partnerships; priority action and cross-cutting groups;
/// networks and task groups; other fora). Most lines go to a body one tier up, some skip
/// tiers, and one in ten goes to any body (sideways or down: cycles). The Board reports
/// annually to the Conference.
pub fn county(bodies: usize, lines: usize) -> (Vec<LayoutNode>, Vec<LayoutEdge>) {
    use BodyKind::*;
    let kinds: [&[BodyKind]; 6] = [
        &[Board, Conference],
        &[ManagementGroup],
        &[ThematicPartnership],
        &[PriorityActionGroup, CrossCuttingGroup],
        &[Network, TaskGroup, TaskAndFinishGroup],
        &[OtherForum],
    ];
    // The first body of each tier; for 300 bodies 2, 3, 15, 60, 120 and 100 bodies per tier.
    let starts = [
        0,
        2,
        5,
        5 + bodies / 20,
        bodies * 4 / 15,
        bodies * 2 / 3,
        bodies,
    ];
    let tier_of = |i: usize| starts.iter().rposition(|&s| s <= i).unwrap_or(0).min(5);
    let mut seq = Sequence(2009);
    let nodes: Vec<LayoutNode> = (0..bodies)
        .map(|i| {
            let choices = kinds[tier_of(i)];
            let kind = if i < 2 {
                choices[i]
            } else {
                choices[seq.below(choices.len())]
            };
            LayoutNode {
                id: BodyId(Uuid::from_u64_pair(seq.next_u64(), seq.next_u64())),
                kind,
                label: format!("{} {i}", kind.label()),
            }
        })
        .collect();
    let mut pairs = vec![(0, 1, LineKind::ReportsAnnuallyTo)];
    while pairs.len() < lines {
        let from = 2 + seq.below(bodies - 2);
        let above = tier_of(from) - 1;
        let to = match seq.below(20) {
            0 | 1 => seq.below(bodies),
            2..=4 => seq.below(starts[above].max(1)),
            _ => starts[above] + seq.below(starts[above + 1] - starts[above]),
        };
        if to != from {
            pairs.push((from, to, LineKind::ALL[seq.below(LineKind::ALL.len())]));
        }
    }
    let edges = pairs
        .into_iter()
        .map(|(from, to, kind)| LayoutEdge {
            id: ReportingLineId(Uuid::from_u64_pair(seq.next_u64(), seq.next_u64())),
            from: nodes[from].id,
            to: nodes[to].id,
            kind,
        })
        .collect();
    (nodes, edges)
}

/// A deep stress case, not a realistic partnership: most lines report to any body listed
/// earlier, one in ten to any body at all (cycles). About 90 layers and 22,000 dummy vertices.
pub fn deep(bodies: usize, lines: usize) -> (Vec<LayoutNode>, Vec<LayoutEdge>) {
    let mut seq = Sequence(2009);
    let nodes: Vec<LayoutNode> = (0..bodies)
        .map(|i| {
            let kind = match i {
                0 => BodyKind::Board,
                1 => BodyKind::Conference,
                2..=4 => BodyKind::ManagementGroup,
                _ => BodyKind::ALL[3 + seq.below(BodyKind::ALL.len() - 3)],
            };
            LayoutNode {
                id: BodyId(Uuid::from_u64_pair(seq.next_u64(), seq.next_u64())),
                kind,
                label: format!("{} {i}", kind.label()),
            }
        })
        .collect();
    let edges = (0..lines)
        .map(|_| {
            let from = 1 + seq.below(bodies - 1);
            let mut to = if seq.below(10) == 0 {
                seq.below(bodies)
            } else {
                seq.below(from)
            };
            if to == from {
                to = (to + 1) % bodies;
            }
            LayoutEdge {
                id: ReportingLineId(Uuid::from_u64_pair(seq.next_u64(), seq.next_u64())),
                from: nodes[from].id,
                to: nodes[to].id,
                kind: LineKind::ALL[seq.below(LineKind::ALL.len())],
            }
        })
        .collect();
    (nodes, edges)
}

/// A digest of a generated graph. The test `generated_graphs_match_the_benchmark` in
/// `layout.rs` pins the county graph's digest, so figures from different commits are only
/// compared when they timed the same graph: change the generator and that test says so.
pub fn fingerprint(nodes: &[LayoutNode], edges: &[LayoutEdge]) -> u128 {
    let ids = nodes.iter().map(|n| n.id.0.as_u128());
    let lines = edges.iter().map(|e| {
        e.id.0.as_u128() ^ e.from.0.as_u128().rotate_left(1) ^ e.to.0.as_u128().rotate_left(2)
    });
    ids.chain(lines).fold(0, |acc, v| acc.rotate_left(5) ^ v)
}

/// Times the layout of the benchmark graphs, `runs` times each with the caller's clock
/// `now_ms` (this crate has none), and passes `emit` the lines to print: a `# ` line with the
/// county graph's fingerprint, then per graph a `# ` line with its details and
/// `BENCH <name><suffix> <median> ms` (the county partnership of 300 bodies and 1,000 lines,
/// then the deep stress graph of the same size). The native benchmark passes `_native`, the
/// browser one `_browser`; `cargo xtask bench` reads the `BENCH` lines.
pub fn report_layout_timings(
    suffix: &str,
    runs: usize,
    now_ms: impl Fn() -> f64,
    mut emit: impl FnMut(String),
) {
    for (i, (name, (nodes, edges))) in timed_graphs().into_iter().enumerate() {
        if i == 0 {
            emit(format!(
                "# county graph fingerprint {:032x}",
                fingerprint(&nodes, &edges)
            ));
        }
        let timing = time_layout(&nodes, &edges, runs, &now_ms);
        emit(format!("# {name}{suffix}: {}", timing.describe()));
        emit(format!("BENCH {name}{suffix} {:.2} ms", timing.median_ms));
    }
}

/// A generated graph: its bodies and its reporting lines.
type Graph = (Vec<LayoutNode>, Vec<LayoutEdge>);

/// The graphs the layout benchmarks time, each with the start of its figure's name.
fn timed_graphs() -> [(&'static str, Graph); 2] {
    [
        ("layout_300_bodies_1000_lines", county(300, 1000)),
        ("layout_300_bodies_1000_lines_deep_stress", deep(300, 1000)),
    ]
}

/// What [`time_layout`] measured, in milliseconds.
struct Timing {
    median_ms: f64,
    min_ms: f64,
    max_ms: f64,
    runs: usize,
    /// The layout every run produced.
    layout: Layout,
}

impl Timing {
    /// One line about the graph and the spread of the runs, for a `# ` comment line.
    fn describe(&self) -> String {
        let out = &self.layout;
        let layers = out.nodes.iter().map(|n| n.layer + 1).max().unwrap_or(0);
        let points: usize = out.edges.iter().map(|e| e.points.len()).sum();
        let reversed = out.edges.iter().filter(|e| e.reversed).count();
        format!(
            "{} bodies, {} lines, {layers} layers, {points} route points, {reversed} reversed, \
             {:.0} x {:.0}; min {:.2} ms, max {:.2} ms over {} runs",
            out.nodes.len(),
            out.edges.len(),
            out.width,
            out.height,
            self.min_ms,
            self.max_ms,
            self.runs,
        )
    }
}

/// Lays out the graph once untimed, then `runs` (at least 2) times timed by the caller's clock
/// `now_ms` (this crate has none), checking every run gives the same layout as the first and
/// that it placed every body and routed every line.
fn time_layout(
    nodes: &[LayoutNode],
    edges: &[LayoutEdge],
    runs: usize,
    now_ms: impl Fn() -> f64,
) -> Timing {
    assert!(runs >= 2, "a median needs runs");
    // As the partnership map lays it out (with its row limit).
    let options = LayoutOptions {
        max_layer_width: crate::layout::readable_width(nodes.len()),
        ..LayoutOptions::default()
    };
    let first = layout(nodes, edges, &options);
    assert_eq!(first.nodes.len(), nodes.len(), "every body is placed");
    assert_eq!(first.edges.len(), edges.len(), "every line is routed");
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = now_ms();
            let out = layout(nodes, edges, &options);
            let ms = now_ms() - start;
            assert_eq!(out, first, "layout must be deterministic");
            ms
        })
        .collect();
    sort_by(&mut times, f64::total_cmp);
    let middle = runs / 2;
    let median_ms = if runs.is_multiple_of(2) {
        (times[middle - 1] + times[middle]) / 2.0
    } else {
        times[middle]
    };
    Timing {
        median_ms,
        min_ms: times[0],
        max_ms: times[runs - 1],
        runs,
        layout: first,
    }
}
