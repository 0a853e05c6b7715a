//! Times the partnership-map layout on a large generated county partnership: 300 bodies and
//! 1,000 reporting lines, the same deterministic graphs as the tests in `src/layout.rs` use
//! (the generators are copied there; a fingerprint test keeps the copies in step).
//!
//! ```text
//! cargo run --release -p atlas-shared --example layout_bench
//! ```
//!
//! Prints `BENCH layout_300_bodies_1000_lines_native <median ms> ms` for a county-shaped graph,
//! then the same for a deliberately deep stress graph (`..._deep_stress_native`).

use std::time::Instant;

use atlas_shared::layout::{LayoutEdge, LayoutNode, LayoutOptions, layout};
use atlas_shared::{BodyId, BodyKind, LineKind, ReportingLineId};
use uuid::Uuid;

const RUNS: usize = 20;

/// splitmix64: a deterministic stand-in for a random source (kept identical to the test's).
struct Sequence(u64);

impl Sequence {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A county partnership (at least 30 bodies): bodies in tiers by kind (Board and Conference;
/// management groups; thematic partnerships; priority action and cross-cutting groups;
/// networks and task groups; other fora). Most lines go to a body one tier up, some skip
/// tiers, and one in ten goes to any body (sideways or down: cycles). The Board reports
/// annually to the Conference.
fn county(bodies: usize, lines: usize) -> (Vec<LayoutNode>, Vec<LayoutEdge>) {
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
                id: BodyId(Uuid::from_u64_pair(seq.next(), seq.next())),
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
            id: ReportingLineId(Uuid::from_u64_pair(seq.next(), seq.next())),
            from: nodes[from].id,
            to: nodes[to].id,
            kind,
        })
        .collect();
    (nodes, edges)
}

/// A deep stress case, not a realistic partnership: most lines report to any body listed
/// earlier, one in ten to any body at all (cycles). About 90 layers and 22,000 dummy vertices.
fn deep(bodies: usize, lines: usize) -> (Vec<LayoutNode>, Vec<LayoutEdge>) {
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
                id: BodyId(Uuid::from_u64_pair(seq.next(), seq.next())),
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
                id: ReportingLineId(Uuid::from_u64_pair(seq.next(), seq.next())),
                from: nodes[from].id,
                to: nodes[to].id,
                kind: LineKind::ALL[seq.below(LineKind::ALL.len())],
            }
        })
        .collect();
    (nodes, edges)
}

/// A digest of the generated graph; the test `generated_graph_matches_the_benchmark` in
/// `src/layout.rs` checks the test's copy of the generator against the same value.
fn fingerprint(nodes: &[LayoutNode], edges: &[LayoutEdge]) -> u128 {
    let ids = nodes.iter().map(|n| n.id.0.as_u128());
    let lines = edges.iter().map(|e| {
        e.id.0.as_u128() ^ e.from.0.as_u128().rotate_left(1) ^ e.to.0.as_u128().rotate_left(2)
    });
    ids.chain(lines).fold(0, |acc, v| acc.rotate_left(5) ^ v)
}

/// Median milliseconds over `RUNS` runs, after checking every run gives the same layout.
fn time(name: &str, nodes: &[LayoutNode], edges: &[LayoutEdge]) {
    let options = LayoutOptions::default();
    let first = layout(nodes, edges, &options);
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let out = layout(nodes, edges, &options);
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            assert_eq!(out, first, "layout must be deterministic");
            ms
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let median = (times[RUNS / 2 - 1] + times[RUNS / 2]) / 2.0;
    let layers = first.nodes.iter().map(|n| n.layer + 1).max().unwrap_or(0);
    let points: usize = first.edges.iter().map(|e| e.points.len()).sum();
    let reversed = first.edges.iter().filter(|e| e.reversed).count();
    println!(
        "# {name}: {} bodies, {} lines, {layers} layers, {points} route points, {reversed} \
         reversed, {:.0} x {:.0}; min {:.2} ms, max {:.2} ms over {RUNS} runs",
        first.nodes.len(),
        first.edges.len(),
        first.width,
        first.height,
        times[0],
        times[RUNS - 1],
    );
    println!("BENCH {name} {median:.2} ms");
}

fn main() {
    let (nodes, edges) = county(300, 1000);
    println!(
        "# county graph fingerprint {:032x}",
        fingerprint(&nodes, &edges)
    );
    time("layout_300_bodies_1000_lines_native", &nodes, &edges);
    let (nodes, edges) = deep(300, 1000);
    time(
        "layout_300_bodies_1000_lines_deep_stress_native",
        &nodes,
        &edges,
    );
}
