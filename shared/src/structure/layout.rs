//! The geometry of a partnership map: one partnership's bodies as boxes in layers, from the
//! Board and Conference at the top down to the groups and fora that feed into them, with each
//! reporting line as a polyline from the reporting body up to the body that receives the report.
//!
//! Pure and deterministic: the same bodies and lines give the identical [`Layout`] whatever
//! order they arrive in, because every step works on the inputs sorted by a stable key (body:
//! kind order, then label, then id; line: reporting body, receiving body, kind, id). Rendering
//! (SVG) is the caller's business; this module only says where things go.
//!
//! # The method (Sugiyama-style layered drawing)
//! 1. **Break cycles.** Users can create cycles (A reports to B reports to A). A depth-first
//!    search runs *down* the hierarchy (from a receiving body to the bodies reporting to it),
//!    starting from bodies in key order, so the Board is explored first; a line that leads
//!    back to a body still on the search stack closes a cycle and is *reversed* for layout
//!    only. It is still drawn, pointing from its reporting body to its receiving body, and
//!    flagged [`RoutedEdge::reversed`]. An acyclic input has no lines reversed.
//! 2. **Assign layers** by longest path from the top: a body that reports to nobody is in
//!    layer 0, every other body one layer below the lowest body it reports to. So the Board
//!    sits at 0, the Management Group at 1, Priority Action Groups at 2, and a forum feeding
//!    into several groups below them all. Two exceptions keep seed 003's picture: a line
//!    between two *apex* bodies (Board, Conference: the Board's annual report to the
//!    Conference) does not push either down, so they sit side by side and the line is drawn
//!    flat between them; and a body with no reporting lines sits in its natural layer by kind
//!    (Board and Conference 0, Management Group 1, groups and networks 2, task groups and
//!    other fora 3). With [`LayoutOptions::max_layer_width`] set, an over-wide layer then hands
//!    its bodies that nothing reports to down a layer, a kind at a time (`limit_width`), so a
//!    dozen groups under one Management Group make two readable rows. Empty layers are then
//!    removed.
//! 3. **Insert dummy vertices** on every line spanning more than one layer, one per layer
//!    crossed, so each segment joins adjacent layers; they become the line's bend points.
//! 4. **Order each layer** to reduce crossings: start in key order, then sweep down and up
//!    [`ORDER_SWEEPS`] times, sorting each layer by the barycenter (mean position) of its
//!    neighbours in the layer just fixed, ties broken by key; vertices with no such
//!    neighbours keep their slots. Crossings are counted after every down-and-up round; the
//!    sweeps stop early at zero crossings or when a round does not improve on the best, and
//!    the best ordering seen is kept, so the result never has more crossings than the initial
//!    order.
//! 5. **Assign x.** Pack each layer left to right with the gaps, centred on 0; then
//!    [`POSITION_ROUNDS`] rounds of a down and an up pass move every vertex as near as possible
//!    to the median x of its neighbours in the layer just placed, solved exactly per layer as
//!    a weighted least-squares problem under the no-overlap constraints (pool-adjacent-
//!    violators), which keeps the order and the gaps; dummies weigh double, so long lines run
//!    straight. A body with no lines between layers (the Conference) packs against its
//!    nearest neighbour instead. The rounds stop early once nothing moves. y comes from the
//!    layer index.
//! 6. **Route lines**: from a port on the reporting body's top edge (ports spread along the
//!    edge in the order of the lines' other ends, so lines leaving one body do not cross each
//!    other), up through the dummies' columns, into a port on the receiving body's bottom edge.
//!    Finally the picture is shifted so its top-left corner is (0, 0).
//!
//! # Complexity
//! With `V` bodies, `E` lines, `L` layers and `D ≤ E·(L−1)` dummy vertices (`D` is the sum over
//! lines of the layers they span, less one): cycle breaking and layering are `O(V + E)`;
//! ordering is `O(S·(V + D + E)·log(V + D))` for `S = 2·ORDER_SWEEPS` sweeps (sorting each layer
//! and counting crossings with a Fenwick tree); x assignment is `O(R·(V + D + E)·log Δ)` for
//! `R = 2·POSITION_ROUNDS` passes (a median over each vertex's `Δ` neighbours plus a linear
//! pool-adjacent-violators solve per layer); routing is `O(V + D + E log E)`. Overall
//! `O((V + E·L)·log(V + E·L))` time and `O(V + E·L)` memory: the dummies dominate, so deep
//! pictures cost most. `examples/layout_bench.rs` times a generated county partnership of 300
//! bodies and 1,000 lines (31 layers, ~6,300 dummies) and a deep stress graph (89 layers,
//! ~22,000 dummies).

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::domain::{BodyKind, LineKind};
use crate::ids::{BodyId, PartnershipId, ReportingLineId};
use crate::order::{sort, sort_by, sort_by_key};
use crate::replica::Snapshot;

/// How many down-and-up barycenter sweeps order the layers.
pub const ORDER_SWEEPS: usize = 4;
/// How many down-and-up passes nudge vertices towards their neighbours' median x.
pub const POSITION_ROUNDS: usize = 4;

/// A body to place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayoutNode {
    pub id: BodyId,
    pub kind: BodyKind,
    pub label: String,
}

/// A reporting line to route, from the reporting body to the body that receives the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayoutEdge {
    pub id: ReportingLineId,
    pub from: BodyId,
    pub to: BodyId,
    pub kind: LineKind,
}

/// Sizes of the picture, in the renderer's units (SVG user units).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayoutOptions {
    /// Width of every body's box.
    pub node_width: f64,
    /// Height of every body's box.
    pub node_height: f64,
    /// Vertical space between one layer's boxes and the next.
    pub layer_gap: f64,
    /// Horizontal space between neighbouring boxes in a layer.
    pub node_gap: f64,
    /// The most bodies a layer should hold; 0 for no limit. A wider layer hands its bodies
    /// that nothing reports to (they may sit any distance below what they report to) down to
    /// the next layer, a kind at a time, so a structure with a dozen groups under one
    /// Management Group draws as two readable rows rather than one very long one.
    #[serde(default)]
    pub max_layer_width: usize,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        Self {
            node_width: 200.0,
            node_height: 64.0,
            layer_gap: 96.0,
            node_gap: 32.0,
            max_layer_width: 0,
        }
    }
}

/// The row limit the partnership map uses for `bodies` bodies: at least 8, else twice the
/// square root, so the picture stays nearer a screen's shape than a ribbon.
pub fn readable_width(bodies: usize) -> usize {
    ((bodies as f64).sqrt() * 2.0).ceil().max(8.0) as usize
}

impl LayoutOptions {
    /// The options with any negative or non-finite size replaced by its default.
    fn sanitised(&self) -> Self {
        let defaults = Self::default();
        let ok = |v: f64, fallback: f64| {
            if v.is_finite() && v >= 0.0 {
                v
            } else {
                fallback
            }
        };
        Self {
            node_width: ok(self.node_width, defaults.node_width),
            node_height: ok(self.node_height, defaults.node_height),
            layer_gap: ok(self.layer_gap, defaults.layer_gap),
            node_gap: ok(self.node_gap, defaults.node_gap),
            max_layer_width: self.max_layer_width,
        }
    }
}

/// The computed picture: every body placed, every line routed, and the picture's size. The
/// top-left corner of everything drawn (boxes and lines) is at (0, 0).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    /// Sorted by layer, then left to right.
    pub nodes: Vec<PlacedNode>,
    /// Sorted by reporting body, receiving body (both in body key order), kind, then id.
    pub edges: Vec<RoutedEdge>,
    pub width: f64,
    pub height: f64,
}

/// A body's box.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlacedNode {
    pub id: BodyId,
    /// 0 is the top layer.
    pub layer: usize,
    /// Position among the bodies of its layer, 0 the leftmost.
    pub order: usize,
    /// Top-left corner.
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// A reporting line's route, as a polyline from the reporting body to the receiving body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoutedEdge {
    pub id: ReportingLineId,
    pub from: BodyId,
    pub to: BodyId,
    /// Starts on the reporting body's boundary and ends on the receiving body's, so the
    /// arrowhead goes at the last point. Usually from the reporting body's top edge up to the
    /// receiving body's bottom edge, with two bend points per layer crossed (where the line
    /// enters and leaves the layer). A reversed line runs from the reporting body's bottom edge
    /// down to the receiving body's top edge. A line between two bodies side by side in one
    /// layer (the Board's annual report to the Conference) runs from side to side, or over the
    /// top of the layer when other bodies stand between them. A line from a body to itself
    /// loops out of its top edge, round its right side and into its bottom edge.
    pub points: Vec<(f64, f64)>,
    /// The line points downwards, against the usual flow: it was reversed to break a cycle, or
    /// it joins two apex bodies that other lines put in different layers.
    pub reversed: bool,
}

/// Lays out one partnership's bodies and reporting lines. Lines whose ends are not both among
/// `nodes` are left out; a repeated body or line id is used once.
pub fn layout(nodes: &[LayoutNode], edges: &[LayoutEdge], options: &LayoutOptions) -> Layout {
    let options = options.sanitised();
    let input = Input::new(nodes, edges);
    let plan = plan_layers(&input, options.max_layer_width);
    let graph = LayeredGraph::build(&input, &plan);
    let order = order_layers(&graph);
    let centres = assign_x(&graph, &order, &options);
    assemble(&input, &plan, &graph, &order, &centres, &options)
}

/// Lays out the bodies of partnership `p` in `snapshot` and the reporting lines between them.
/// A line whose ends are not both bodies of `p` is skipped.
pub fn layout_snapshot(snapshot: &Snapshot, p: PartnershipId, options: &LayoutOptions) -> Layout {
    let bodies = snapshot.bodies_of(p);
    let ids: HashSet<BodyId> = bodies.iter().map(|(id, _)| *id).collect();
    let nodes: Vec<LayoutNode> = bodies
        .iter()
        .map(|(id, b)| LayoutNode {
            id: *id,
            kind: b.kind,
            label: b.name.clone(),
        })
        .collect();
    let edges: Vec<LayoutEdge> = snapshot
        .lines_of(p)
        .into_iter()
        .filter(|(_, l)| ids.contains(&l.from_body_id) && ids.contains(&l.to_body_id))
        .map(|(id, l)| LayoutEdge {
            id,
            from: l.from_body_id,
            to: l.to_body_id,
            kind: l.kind,
        })
        .collect();
    layout(&nodes, &edges, options)
}

// ---------------------------------------------------------------------------------------------
// Input: sorted by stable keys, so nothing below depends on the caller's order.

/// A line between bodies given by their index in [`Input::nodes`].
#[derive(Clone, Copy, Debug)]
struct Line {
    id: ReportingLineId,
    from: usize,
    to: usize,
    kind: LineKind,
}

struct Input<'a> {
    /// Sorted by kind, lower-cased label, label, id; ids unique. A body's index here is its key.
    nodes: Vec<&'a LayoutNode>,
    /// Sorted by (from, to, kind, id); ids unique; both ends among `nodes`.
    lines: Vec<Line>,
}

impl<'a> Input<'a> {
    fn new(nodes: &'a [LayoutNode], edges: &[LayoutEdge]) -> Self {
        let mut keyed: Vec<(String, &LayoutNode)> = nodes
            .iter()
            .map(|n| (crate::text::fold_case(&n.label), n))
            .collect();
        sort_by(&mut keyed, |(al, a), (bl, b)| {
            (a.kind, al, &a.label, a.id).cmp(&(b.kind, bl, &b.label, b.id))
        });
        // The map is only looked up, never iterated, so its order cannot leak into the output.
        let mut index: HashMap<BodyId, usize> = HashMap::with_capacity(keyed.len());
        let mut sorted = Vec::with_capacity(keyed.len());
        for (_, node) in keyed {
            if let Entry::Vacant(slot) = index.entry(node.id) {
                slot.insert(sorted.len());
                sorted.push(node);
            }
        }
        let mut lines: Vec<Line> = edges
            .iter()
            .filter_map(|e| {
                Some(Line {
                    id: e.id,
                    from: *index.get(&e.from)?,
                    to: *index.get(&e.to)?,
                    kind: e.kind,
                })
            })
            .collect();
        sort_by_key(&mut lines, |l| (l.from, l.to, l.kind, l.id));
        let mut seen = HashSet::with_capacity(lines.len());
        lines.retain(|l| seen.insert(l.id));
        Self {
            nodes: sorted,
            lines,
        }
    }
}

fn is_apex(kind: BodyKind) -> bool {
    kind.is_apex()
}

/// The layer a body with no reporting lines takes, by its kind.
fn natural_layer(kind: BodyKind) -> usize {
    match kind {
        BodyKind::Board | BodyKind::Conference => 0,
        BodyKind::ManagementGroup => 1,
        BodyKind::PriorityActionGroup
        | BodyKind::CrossCuttingGroup
        | BodyKind::ThematicPartnership
        | BodyKind::Network => 2,
        BodyKind::TaskGroup | BodyKind::TaskAndFinishGroup | BodyKind::OtherForum => 3,
    }
}

// ---------------------------------------------------------------------------------------------
// Steps 1 and 2: cycle breaking and layering.

/// Step 2b (when [`LayoutOptions::max_layer_width`] is set): top to bottom, a layer holding
/// more than `max` bodies moves its *movable* bodies (not an apex body, and nothing must sit
/// below them) one layer down, a whole kind at a time from the last kind in kind order (other
/// fora, then networks, task groups, ...), until it fits or nothing movable is left. Moving a
/// body down never breaks the layering (only the bodies it reports to constrain it, and they
/// are above). What moves is checked again in its new layer, so a cascade is possible.
/// `O(L·V + V log V)` for `L` layers.
fn limit_width(input: &Input, lowers: &[Vec<usize>], layer_of: &mut [usize], max: usize) {
    if max == 0 {
        return;
    }
    let n = input.nodes.len();
    let movable = |v: usize| lowers[v].is_empty() && !is_apex(input.nodes[v].kind);
    let mut l = 0;
    while l <= layer_of.iter().copied().max().unwrap_or(0) {
        let members: Vec<usize> = (0..n).filter(|&v| layer_of[v] == l).collect();
        let mut count = members.len();
        if count > max {
            let mut kinds: Vec<BodyKind> = members
                .iter()
                .filter(|&&v| movable(v))
                .map(|&v| input.nodes[v].kind)
                .collect();
            sort(&mut kinds);
            kinds.dedup();
            for kind in kinds.into_iter().rev() {
                if count <= max {
                    break;
                }
                for &v in &members {
                    if input.nodes[v].kind == kind && movable(v) {
                        layer_of[v] = l + 1;
                        count -= 1;
                    }
                }
            }
        }
        l += 1;
    }
}

/// How a line is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route {
    /// Between layers: from body `lower` (the larger layer index) up to body `upper`.
    /// `reversed` when `lower` is the receiving body.
    Span {
        lower: usize,
        upper: usize,
        reversed: bool,
    },
    /// Between two bodies in the same layer.
    Flat,
    /// From a body to itself.
    SelfLoop,
}

struct LayerPlan {
    /// Per body (index in `Input::nodes`).
    layer_of: Vec<usize>,
    layer_count: usize,
    /// Per line (index in `Input::lines`).
    routes: Vec<Route>,
}

/// Whether a line constrains the layering: not a self-loop, not between two apex bodies.
fn constrains(input: &Input, line: &Line) -> bool {
    line.from != line.to
        && !(is_apex(input.nodes[line.from].kind) && is_apex(input.nodes[line.to].kind))
}

/// Step 1: which layering lines to reverse so the rest form a DAG. An iterative DFS down the
/// hierarchy (receiving body → its reporting bodies) from every body in key order; a line to a
/// body still on the stack closes a cycle and is reversed.
fn break_cycles(input: &Input) -> Vec<bool> {
    let n = input.nodes.len();
    // Reporting bodies of each receiving body, in (reporting body, line) key order because
    // `lines` is sorted by `from` first.
    let mut reporters: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (li, line) in input.lines.iter().enumerate() {
        if constrains(input, line) {
            reporters[line.to].push((line.from, li));
        }
    }
    const NEW: u8 = 0;
    const ON_STACK: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; n];
    let mut reversed = vec![false; input.lines.len()];
    let mut stack: Vec<(usize, usize)> = Vec::new(); // (body, next reporter to look at)
    for root in 0..n {
        if state[root] != NEW {
            continue;
        }
        state[root] = ON_STACK;
        stack.push((root, 0));
        while let Some(top) = stack.last_mut() {
            let (body, next) = *top;
            match reporters[body].get(next) {
                Some(&(reporter, li)) => {
                    top.1 += 1;
                    match state[reporter] {
                        NEW => {
                            state[reporter] = ON_STACK;
                            stack.push((reporter, 0));
                        }
                        ON_STACK => reversed[li] = true,
                        _ => {}
                    }
                }
                None => {
                    state[body] = DONE;
                    stack.pop();
                }
            }
        }
    }
    reversed
}

/// Steps 1 and 2: breaks cycles, assigns layers (longest path from the top), places bodies
/// without lines by kind, removes empty layers, and decides how each line is drawn.
fn plan_layers(input: &Input, max_width: usize) -> LayerPlan {
    let n = input.nodes.len();
    let reversed = break_cycles(input);

    // The DAG, oriented upwards: `lowers[u]` are the bodies that must sit below `u`.
    let mut lowers: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut uppers_left = vec![0usize; n];
    let mut connected = vec![false; n];
    for (li, line) in input.lines.iter().enumerate() {
        if !constrains(input, line) {
            continue;
        }
        let (lower, upper) = if reversed[li] {
            (line.to, line.from)
        } else {
            (line.from, line.to)
        };
        lowers[upper].push(lower);
        uppers_left[lower] += 1;
        connected[lower] = true;
        connected[upper] = true;
    }

    // Longest path from the sinks (bodies reporting to nobody), in topological order (Kahn).
    let mut layer_of = vec![0usize; n];
    let mut queue: Vec<usize> = (0..n).filter(|&v| uppers_left[v] == 0).collect();
    let mut head = 0;
    while let Some(&upper) = queue.get(head) {
        head += 1;
        for &lower in &lowers[upper] {
            layer_of[lower] = layer_of[lower].max(layer_of[upper] + 1);
            uppers_left[lower] -= 1;
            if uppers_left[lower] == 0 {
                queue.push(lower);
            }
        }
    }
    for v in 0..n {
        if !connected[v] {
            layer_of[v] = natural_layer(input.nodes[v].kind);
        }
    }
    limit_width(input, &lowers, &mut layer_of, max_width);

    // Remove empty layers, keeping the order of the others.
    let max_layer = layer_of.iter().copied().max().unwrap_or(0);
    let mut used = vec![false; max_layer + 1];
    for &l in &layer_of {
        used[l] = true;
    }
    let mut renumber = vec![0usize; max_layer + 1];
    let mut layer_count = 0;
    for (l, &u) in used.iter().enumerate() {
        if u {
            renumber[l] = layer_count;
            layer_count += 1;
        }
    }
    for l in &mut layer_of {
        *l = renumber[*l];
    }

    let routes = input
        .lines
        .iter()
        .enumerate()
        .map(|(li, line)| {
            let (lf, lt) = (layer_of[line.from], layer_of[line.to]);
            if line.from == line.to {
                Route::SelfLoop
            } else if lf > lt {
                Route::Span {
                    lower: line.from,
                    upper: line.to,
                    reversed: reversed[li],
                }
            } else if lf < lt {
                Route::Span {
                    lower: line.to,
                    upper: line.from,
                    reversed: true,
                }
            } else {
                Route::Flat
            }
        })
        .collect();
    LayerPlan {
        layer_of,
        layer_count,
        routes,
    }
}

// ---------------------------------------------------------------------------------------------
// Step 3: the layered graph with dummy vertices.

/// Neighbour lists of every vertex, stored flat (compressed rows) for cache locality.
struct Adjacency {
    start: Vec<usize>,
    items: Vec<usize>,
}

impl Adjacency {
    /// Lists `to` under `from` for every pair, keeping the pairs' order within each list (a
    /// counting sort: no allocation per vertex).
    fn from_pairs(vertices: usize, pairs: impl Iterator<Item = (usize, usize)> + Clone) -> Self {
        let mut start = vec![0usize; vertices + 1];
        for (from, _) in pairs.clone() {
            start[from + 1] += 1;
        }
        for v in 0..vertices {
            start[v + 1] += start[v];
        }
        let mut next = start.clone();
        let mut items = vec![0usize; start[vertices]];
        for (from, to) in pairs {
            items[next[from]] = to;
            next[from] += 1;
        }
        Self { start, items }
    }

    fn of(&self, v: usize) -> &[usize] {
        match (self.start.get(v), self.start.get(v + 1)) {
            (Some(&a), Some(&b)) => &self.items[a..b],
            _ => &[],
        }
    }
}

/// Bodies and dummies ("vertices"), with segments only between adjacent layers. Vertex `v <
/// nodes.len()` is body `v`; dummies follow in line key order, so a vertex's index is its key.
struct LayeredGraph {
    body_count: usize,
    layer_count: usize,
    layer: Vec<usize>,
    /// Neighbours one layer up / one layer down, one entry per segment.
    up: Adjacency,
    down: Adjacency,
    /// Per line: its vertices from the lower end up to the upper end (empty if not a span).
    chains: Vec<Vec<usize>>,
}

impl LayeredGraph {
    fn build(input: &Input, plan: &LayerPlan) -> Self {
        let body_count = input.nodes.len();
        let mut layer = plan.layer_of.clone();
        let mut chains = Vec::with_capacity(plan.routes.len());
        // Every segment as (vertex below, vertex above), in line order.
        let mut segments: Vec<(usize, usize)> = Vec::new();
        for route in &plan.routes {
            let Route::Span { lower, upper, .. } = *route else {
                chains.push(Vec::new());
                continue;
            };
            let (bottom, top) = (layer[lower], layer[upper]);
            let mut chain = Vec::with_capacity(bottom - top + 1);
            chain.push(lower);
            for l in (top + 1..bottom).rev() {
                chain.push(layer.len());
                layer.push(l);
            }
            chain.push(upper);
            segments.extend(chain.windows(2).filter_map(|pair| match *pair {
                [below, above] => Some((below, above)),
                _ => None,
            }));
            chains.push(chain);
        }
        let vertices = layer.len();
        Self {
            body_count,
            layer_count: plan.layer_count,
            layer,
            up: Adjacency::from_pairs(vertices, segments.iter().copied()),
            down: Adjacency::from_pairs(vertices, segments.iter().map(|&(b, a)| (a, b))),
            chains,
        }
    }

    fn is_body(&self, v: usize) -> bool {
        v < self.body_count
    }

    /// Every layer's vertices in key order.
    fn initial_order(&self) -> Vec<Vec<usize>> {
        let mut layers = vec![Vec::new(); self.layer_count];
        for (v, &l) in self.layer.iter().enumerate() {
            layers[l].push(v);
        }
        layers
    }
}

// ---------------------------------------------------------------------------------------------
// Step 4: crossing reduction.

/// Orders every layer by barycenter sweeps, keeping the ordering with the fewest crossings.
fn order_layers(graph: &LayeredGraph) -> Vec<Vec<usize>> {
    let mut layers = graph.initial_order();
    let mut pos = positions(graph, &layers);
    let mut best = layers.clone();
    let mut best_crossings = count_crossings(graph, &layers, &pos);
    let (mut scratch, mut slots) = (Vec::new(), Vec::new());
    for _ in 0..ORDER_SWEEPS {
        if best_crossings == 0 {
            break;
        }
        // Down: each layer by its neighbours above; then up: by its neighbours below.
        for layer in layers.iter_mut().skip(1) {
            reorder_by_barycenter(layer, &graph.up, &mut pos, &mut scratch, &mut slots);
        }
        for layer in layers.iter_mut().rev().skip(1) {
            reorder_by_barycenter(layer, &graph.down, &mut pos, &mut scratch, &mut slots);
        }
        let crossings = count_crossings(graph, &layers, &pos);
        if crossings >= best_crossings {
            // A round that does not help means the sweeps have settled (or begun to cycle).
            break;
        }
        best_crossings = crossings;
        best.clone_from(&layers);
    }
    best
}

/// Each vertex's index within its layer.
fn positions(graph: &LayeredGraph, layers: &[Vec<usize>]) -> Vec<usize> {
    let mut pos = vec![0; graph.layer.len()];
    for layer in layers {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
        }
    }
    pos
}

/// Sorts one layer by the mean position of each vertex's neighbours in the fixed layer (ties
/// by key); vertices without such neighbours keep their slots.
fn reorder_by_barycenter(
    layer: &mut [usize],
    neighbours: &Adjacency,
    pos: &mut [usize],
    scratch: &mut Vec<(f64, usize, usize)>,
    slots: &mut Vec<usize>,
) {
    scratch.clear();
    for (slot, &v) in layer.iter().enumerate() {
        let ns = neighbours.of(v);
        if !ns.is_empty() {
            let sum: usize = ns.iter().map(|&u| pos[u]).sum();
            scratch.push((sum as f64 / ns.len() as f64, v, slot));
        }
    }
    // Slots come in increasing order already: the layer was scanned left to right.
    slots.clear();
    slots.extend(scratch.iter().map(|&(_, _, slot)| slot));
    sort_keyed(scratch);
    for (&slot, &(_, v, _)) in slots.iter().zip(scratch.iter()) {
        layer[slot] = v;
    }
    for (i, &v) in layer.iter().enumerate() {
        pos[v] = i;
    }
}

/// Total crossings between every pair of adjacent layers. Two segments cross when their upper
/// ends and lower ends are in opposite orders; segments sharing an end never cross. Counted as
/// inversions with a Fenwick tree, taking segments by upper end left to right and, within one
/// upper end, by lower end: `O(e log n)` per pair of layers.
fn count_crossings(graph: &LayeredGraph, layers: &[Vec<usize>], pos: &[usize]) -> u64 {
    let mut total = 0u64;
    let mut lows: Vec<usize> = Vec::new();
    let mut tree: Vec<u64> = Vec::new();
    for pair in layers.windows(2) {
        let [upper, lower] = pair else { continue };
        tree.clear();
        tree.resize(lower.len() + 1, 0);
        let mut seen = 0u64;
        for &v in upper {
            lows.clear();
            lows.extend(graph.down.of(v).iter().map(|&d| pos[d]));
            sort(&mut lows);
            for &p in &lows {
                // Earlier segments whose lower end is right of this one's cross it.
                let mut at_or_left = 0u64;
                let mut i = p + 1;
                while i > 0 {
                    at_or_left += tree[i];
                    i &= i - 1;
                }
                total += seen - at_or_left;
                let mut i = p + 1;
                while i < tree.len() {
                    tree[i] += 1;
                    i += i & i.wrapping_neg();
                }
                seen += 1;
            }
        }
    }
    total
}

// ---------------------------------------------------------------------------------------------
// Step 5: x coordinates.

/// The centre x of every vertex.
fn assign_x(graph: &LayeredGraph, layers: &[Vec<usize>], options: &LayoutOptions) -> Vec<f64> {
    let width = |v: usize| {
        if graph.is_body(v) {
            options.node_width
        } else {
            0.0
        }
    };
    // Least distance between the centres of neighbours in a layer: full gap between bodies,
    // half a gap where a line passes.
    let separation = |a: usize, b: usize| {
        let gap = if graph.is_body(a) && graph.is_body(b) {
            options.node_gap
        } else {
            options.node_gap / 2.0
        };
        (width(a) + width(b)) / 2.0 + gap
    };
    // Dummies weigh more, so long lines run straight and the bodies move round them.
    let weight = |v: usize| if graph.is_body(v) { 1.0 } else { 2.0 };

    let mut x = vec![0.0; graph.layer.len()];
    let mut gaps_of: Vec<Vec<f64>> = Vec::with_capacity(layers.len());
    let mut weights_of: Vec<Vec<f64>> = Vec::with_capacity(layers.len());
    // Packed left to right, each layer centred on 0.
    for layer in layers {
        let gaps: Vec<f64> = std::iter::once(0.0)
            .chain(layer.windows(2).map(|w| separation(w[0], w[1])))
            .collect();
        let span: f64 = gaps.iter().sum();
        let mut at = -span / 2.0;
        for (&v, &g) in layer.iter().zip(&gaps) {
            at += g;
            x[v] = at;
        }
        weights_of.push(layer.iter().map(|&v| weight(v)).collect());
        gaps_of.push(gaps);
    }

    let mut desired = Vec::new();
    let mut placed = Vec::new();
    let mut values = Vec::new();
    let mut blocks = Vec::new();
    let mut anchored = Vec::new();
    for _ in 0..POSITION_ROUNDS {
        let mut moved = 0.0f64;
        for downwards in [true, false] {
            let count = layers.len();
            let sequence: Vec<usize> = if downwards {
                (1..count).collect()
            } else {
                (0..count.saturating_sub(1)).rev().collect()
            };
            let fixed = if downwards { &graph.up } else { &graph.down };
            for l in sequence {
                let layer = &layers[l];
                desired.clear();
                anchored.clear();
                for &v in layer {
                    values.clear();
                    values.extend(fixed.of(v).iter().map(|&u| (x[u], 0, 0)));
                    desired.push(median(&mut values).unwrap_or(x[v]));
                    anchored.push(!(graph.up.of(v).is_empty() && graph.down.of(v).is_empty()));
                }
                attach_free_vertices(&mut desired, &mut anchored, &gaps_of[l]);
                placed.clear();
                placed.resize(layer.len(), 0.0);
                place_layer(
                    &desired,
                    &weights_of[l],
                    &gaps_of[l],
                    &mut blocks,
                    &mut placed,
                );
                for (&v, &px) in layer.iter().zip(&placed) {
                    moved = moved.max((x[v] - px).abs());
                    x[v] = px;
                }
            }
        }
        if moved < 0.01 {
            break;
        }
    }
    x
}

/// A body with no lines between layers (only a flat line, a self-loop, or none) has nothing
/// to pull it, so it asks to sit packed against its nearest neighbour in the layer that has:
/// the Conference stays beside the Board. With no such neighbour it stays where it is.
fn attach_free_vertices(desired: &mut [f64], anchored: &mut [bool], gaps: &[f64]) {
    for i in 1..desired.len() {
        if !anchored[i] && anchored[i - 1] {
            desired[i] = desired[i - 1] + gaps[i];
            anchored[i] = true;
        }
    }
    for i in (0..desired.len().saturating_sub(1)).rev() {
        if !anchored[i] && anchored[i + 1] {
            desired[i] = desired[i + 1] - gaps[i + 1];
            anchored[i] = true;
        }
    }
}

/// The median of the numbers (the first of each), or `None` when there are none.
fn median(values: &mut [Keyed]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    sort_keyed(values);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        Some(values[mid].0)
    } else {
        Some((values[mid - 1].0 + values[mid].0) / 2.0)
    }
}

/// What the layout's inner loop sorts: a number, then two indices that break ties.
type Keyed = (f64, usize, usize);

/// Sorts by the number, then the indices. One sort, for the one type, serves all of the
/// inner loop's: each standard sort is compiled afresh for each type and comparison, 3 to 4
/// KB of the map's wasm each. The keys are unique where the order matters (a vertex, a
/// line), so an unstable sort is still deterministic; the standard sort on the slice itself
/// is about twice as fast here as `crate::order`'s (300 bodies: 3.0 ms against 5.4), and
/// `total_cmp` is a total order, so it cannot panic.
fn sort_keyed(items: &mut [Keyed]) {
    #[allow(clippy::disallowed_methods)]
    items.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
}

/// Places one layer's vertices (kept in order) as close as possible to `desired`, minimising
/// the weighted sum of squared distances, while keeping the centres of vertex `i − 1` and `i`
/// at least `gaps[i]` apart (`gaps[0]` is unused). Substituting `y_i = x_i − offset_i`, where
/// `offset_i` is the sum of the gaps up to `i`, turns this into isotonic regression (the `y`
/// must not decrease), solved exactly in linear time by pooling adjacent violators.
fn place_layer(
    desired: &[f64],
    weights: &[f64],
    gaps: &[f64],
    blocks: &mut Vec<(usize, f64, f64)>,
    out: &mut [f64],
) {
    // Blocks of consecutive vertices that share one y: (first vertex, weight, weighted sum).
    blocks.clear();
    let mut offset = 0.0;
    for (i, (&d, &w)) in desired.iter().zip(weights).enumerate() {
        offset += gaps[i];
        blocks.push((i, w, w * (d - offset)));
        while let [.., (_, w1, s1), (_, w2, s2)] = blocks[..] {
            // Weights are positive: s1 / w1 <= s2 / w2 without dividing.
            if s1 * w2 <= s2 * w1 {
                break;
            }
            blocks.pop();
            if let Some(last) = blocks.last_mut() {
                last.1 = w1 + w2;
                last.2 = s1 + s2;
            }
        }
    }
    let mut offset = 0.0;
    for (b, &(start, w, s)) in blocks.iter().enumerate() {
        let end = blocks.get(b + 1).map_or(out.len(), |blk| blk.0);
        let y = s / w;
        for (i, slot) in out.iter_mut().enumerate().take(end).skip(start) {
            offset += gaps[i];
            *slot = y + offset;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Step 6: routing and the final picture.

fn assemble(
    input: &Input,
    plan: &LayerPlan,
    graph: &LayeredGraph,
    order: &[Vec<usize>],
    centres: &[f64],
    options: &LayoutOptions,
) -> Layout {
    let (w, h) = (options.node_width, options.node_height);
    let top_of = |layer: usize| layer as f64 * (h + options.layer_gap);
    let left_of = |v: usize| centres[v] - w / 2.0;

    // Ports: spread the lines leaving a body's top edge (and entering its bottom edge) along
    // it, in the order of the x of the next vertex along each line, so they do not cross there.
    let mut top_ports: Vec<Vec<Keyed>> = vec![Vec::new(); graph.body_count];
    let mut bottom_ports: Vec<Vec<Keyed>> = vec![Vec::new(); graph.body_count];
    for (li, chain) in graph.chains.iter().enumerate() {
        if let ([lower, next_up, ..], [.., next_down, upper]) = (&chain[..], &chain[..]) {
            top_ports[*lower].push((centres[*next_up], li, 0));
            bottom_ports[*upper].push((centres[*next_down], li, 0));
        }
    }
    let mut top_port_x = vec![0.0; input.lines.len()];
    let mut bottom_port_x = vec![0.0; input.lines.len()];
    for (ports, out) in [
        (&mut top_ports, &mut top_port_x),
        (&mut bottom_ports, &mut bottom_port_x),
    ] {
        for (v, list) in ports.iter_mut().enumerate() {
            // Each line is once in a list, so its index makes each key unique.
            sort_keyed(list);
            let m = list.len() as f64;
            for (k, &(_, li, _)) in list.iter().enumerate() {
                out[li] = left_of(v) + w * (k as f64 + 1.0) / (m + 1.0);
            }
        }
    }

    // Position of each body among the bodies of its layer, and which bodies are neighbours.
    let mut body_order = vec![0usize; graph.body_count];
    for layer in order {
        for (k, &v) in layer.iter().filter(|&&v| graph.is_body(v)).enumerate() {
            body_order[v] = k;
        }
    }

    let mut edges = Vec::with_capacity(input.lines.len());
    for (li, line) in input.lines.iter().enumerate() {
        let mut points = Vec::new();
        let reversed = match plan.routes[li] {
            Route::Span { reversed, .. } => {
                let chain = &graph.chains[li];
                if let [lower, inner @ .., upper] = &chain[..] {
                    points.push((top_port_x[li], top_of(graph.layer[*lower])));
                    for &d in inner {
                        let top = top_of(graph.layer[d]);
                        points.push((centres[d], top + h));
                        points.push((centres[d], top));
                    }
                    points.push((bottom_port_x[li], top_of(graph.layer[*upper]) + h));
                }
                if reversed {
                    points.reverse();
                }
                reversed
            }
            Route::Flat => {
                let (f, t) = (line.from, line.to);
                let top = top_of(plan.layer_of[f]);
                if body_order[f].abs_diff(body_order[t]) == 1 {
                    let mid = top + h / 2.0;
                    if centres[f] < centres[t] {
                        points.push((centres[f] + w / 2.0, mid));
                        points.push((centres[t] - w / 2.0, mid));
                    } else {
                        points.push((centres[f] - w / 2.0, mid));
                        points.push((centres[t] + w / 2.0, mid));
                    }
                } else {
                    let above = top - options.layer_gap / 3.0;
                    points.extend([
                        (centres[f], top),
                        (centres[f], above),
                        (centres[t], above),
                        (centres[t], top),
                    ]);
                }
                false
            }
            Route::SelfLoop => {
                let v = line.from;
                let top = top_of(plan.layer_of[v]);
                let port = left_of(v) + w * 0.75;
                let out = centres[v] + w / 2.0 + options.node_gap / 4.0;
                let (above, below) = (
                    top - options.layer_gap / 4.0,
                    top + h + options.layer_gap / 4.0,
                );
                points.extend([
                    (port, top),
                    (port, above),
                    (out, above),
                    (out, below),
                    (port, below),
                    (port, top + h),
                ]);
                false
            }
        };
        edges.push(RoutedEdge {
            id: line.id,
            from: input.nodes[line.from].id,
            to: input.nodes[line.to].id,
            points,
            reversed,
        });
    }

    let mut nodes: Vec<PlacedNode> = (0..graph.body_count)
        .map(|v| PlacedNode {
            id: input.nodes[v].id,
            layer: plan.layer_of[v],
            order: body_order[v],
            x: left_of(v),
            y: top_of(plan.layer_of[v]),
            width: w,
            height: h,
        })
        .collect();
    sort_by_key(&mut nodes, |n| (n.layer, n.order));

    // Shift everything so the picture's top-left corner is (0, 0).
    let corners = nodes
        .iter()
        .flat_map(|n| [(n.x, n.y), (n.x + n.width, n.y + n.height)])
        .chain(edges.iter().flat_map(|e| e.points.iter().copied()));
    let mut bounds: Option<(f64, f64, f64, f64)> = None;
    for (px, py) in corners {
        bounds = Some(match bounds {
            None => (px, py, px, py),
            Some((x0, y0, x1, y1)) => (x0.min(px), y0.min(py), x1.max(px), y1.max(py)),
        });
    }
    let Some((x0, y0, x1, y1)) = bounds else {
        return Layout::default();
    };
    for n in &mut nodes {
        n.x -= x0;
        n.y -= y0;
    }
    for e in &mut edges {
        for p in &mut e.points {
            p.0 -= x0;
            p.1 -= y0;
        }
    }
    Layout {
        nodes,
        edges,
        width: x1 - x0,
        height: y1 - y0,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use uuid::Uuid;

    use super::*;
    use crate::bench_graphs::{Sequence, county, deep, fingerprint};
    use crate::domain::{Body, ReportingLine};

    fn body(n: u128, kind: BodyKind, label: &str) -> LayoutNode {
        LayoutNode {
            id: BodyId(Uuid::from_u128(n)),
            kind,
            label: label.to_owned(),
        }
    }

    fn line(n: u128, from: &LayoutNode, to: &LayoutNode, kind: LineKind) -> LayoutEdge {
        LayoutEdge {
            id: ReportingLineId(Uuid::from_u128(1_000 + n)),
            from: from.id,
            to: to.id,
            kind,
        }
    }

    /// Seed 003: Basingstoke and Deane LSP's structure after the 2008 review.
    fn basingstoke() -> (Vec<LayoutNode>, Vec<LayoutEdge>) {
        use BodyKind::*;
        let board = body(1, Board, "Basingstoke and Deane LSP Board");
        let conference = body(2, Conference, "LSP Conference");
        let management = body(3, ManagementGroup, "Management Group");
        let network = body(4, Network, "Community Network");
        let others = body(5, OtherForum, "Other partnerships and fora");
        let pags: Vec<LayoutNode> = [
            "Children and Young People",
            "Community Safety",
            "Health and Wellbeing",
            "Housing",
            "Skills and Employability",
        ]
        .iter()
        .zip(10..)
        .map(|(name, n)| body(n, PriorityActionGroup, name))
        .collect();
        let cross_cutting: Vec<LayoutNode> = [
            "Communications and Community Involvement",
            "Multi Agency Diversity Forum",
            "Neighbourhood Renewal SG",
            "Sustainable Communities Footprint Group",
        ]
        .iter()
        .zip(20..)
        .map(|(name, n)| body(n, CrossCuttingGroup, name))
        .collect();

        let mut edges = vec![
            line(1, &board, &conference, LineKind::ReportsAnnuallyTo),
            line(2, &management, &board, LineKind::ReportsTo),
            line(3, &network, &board, LineKind::FeedsInto),
        ];
        for (pag, n) in pags.iter().zip(10..) {
            edges.push(line(n, pag, &management, LineKind::ReportsTo));
            edges.push(line(n + 10, &others, pag, LineKind::FeedsInto));
        }
        for (group, n) in cross_cutting.iter().zip(30..) {
            edges.push(line(n, group, &management, LineKind::ReportsTo));
        }
        let mut nodes = vec![board, conference, management, network, others];
        nodes.extend(pags);
        nodes.extend(cross_cutting);
        (nodes, edges)
    }

    fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
        let mut seq = Sequence(seed);
        let mut out = items.to_vec();
        for i in (1..out.len()).rev() {
            out.swap(i, seq.below(i + 1));
        }
        out
    }

    fn by_label<'a>(nodes: &[LayoutNode], layout: &'a Layout, label: &str) -> &'a PlacedNode {
        let id = nodes
            .iter()
            .find(|n| n.label == label)
            .map(|n| n.id)
            .expect("fixture has the body");
        layout
            .nodes
            .iter()
            .find(|n| n.id == id)
            .expect("body is placed")
    }

    fn assert_no_overlaps(layout: &Layout) {
        for (i, a) in layout.nodes.iter().enumerate() {
            for b in &layout.nodes[i + 1..] {
                let apart = a.x + a.width <= b.x + 1e-9
                    || b.x + b.width <= a.x + 1e-9
                    || a.y + a.height <= b.y + 1e-9
                    || b.y + b.height <= a.y + 1e-9;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
    }

    fn on_boundary(n: &PlacedNode, (x, y): (f64, f64)) -> bool {
        let near = |a: f64, b: f64| (a - b).abs() < 1e-6;
        let within = |v: f64, lo: f64, hi: f64| v >= lo - 1e-6 && v <= hi + 1e-6;
        let (x1, y1) = (n.x + n.width, n.y + n.height);
        ((near(y, n.y) || near(y, y1)) && within(x, n.x, x1))
            || ((near(x, n.x) || near(x, x1)) && within(y, n.y, y1))
    }

    /// Every line starts on its reporting body and ends on its receiving body; a line between
    /// layers leaves the top (bottom if reversed) edge and enters the bottom (top) edge.
    fn assert_edges_join_their_bodies(layout: &Layout) {
        let placed: BTreeMap<BodyId, &PlacedNode> =
            layout.nodes.iter().map(|n| (n.id, n)).collect();
        for e in &layout.edges {
            let from = placed[&e.from];
            let to = placed[&e.to];
            let (first, last) = (
                *e.points.first().expect("route has points"),
                *e.points.last().expect("route has points"),
            );
            assert!(on_boundary(from, first), "{e:?} does not start on {from:?}");
            assert!(on_boundary(to, last), "{e:?} does not end on {to:?}");
            if from.layer != to.layer {
                let (start_y, end_y) = if e.reversed {
                    (from.y + from.height, to.y)
                } else {
                    (from.y, to.y + to.height)
                };
                assert!((first.1 - start_y).abs() < 1e-6, "{e:?} start edge");
                assert!((last.1 - end_y).abs() < 1e-6, "{e:?} end edge");
            }
            for &(x, y) in &e.points {
                assert!(x.is_finite() && y.is_finite());
                assert!((-1e-6..=layout.width + 1e-6).contains(&x));
                assert!((-1e-6..=layout.height + 1e-6).contains(&y));
            }
        }
    }

    fn crossings_of(nodes: &[LayoutNode], edges: &[LayoutEdge]) -> (u64, u64) {
        let input = Input::new(nodes, edges);
        let plan = plan_layers(&input, 0);
        let graph = LayeredGraph::build(&input, &plan);
        let initial = graph.initial_order();
        let before = count_crossings(&graph, &initial, &positions(&graph, &initial));
        let ordered = order_layers(&graph);
        let after = count_crossings(&graph, &ordered, &positions(&graph, &ordered));
        (before, after)
    }

    #[test]
    fn basingstoke_layers_run_from_board_and_conference_down_to_other_fora() {
        let (nodes, edges) = basingstoke();
        let out = layout(&nodes, &edges, &LayoutOptions::default());
        let layer = |label: &str| by_label(&nodes, &out, label).layer;
        assert_eq!(layer("Basingstoke and Deane LSP Board"), 0);
        assert_eq!(layer("LSP Conference"), 0);
        assert_eq!(layer("Management Group"), 1);
        assert_eq!(layer("Community Network"), 1);
        for n in &nodes {
            if matches!(
                n.kind,
                BodyKind::PriorityActionGroup | BodyKind::CrossCuttingGroup
            ) {
                assert_eq!(layer(&n.label), 2, "{}", n.label);
            }
        }
        assert_eq!(layer("Other partnerships and fora"), 3);
        assert_eq!(out.nodes.len(), nodes.len());
        assert_eq!(out.edges.len(), edges.len());
        assert!(out.edges.iter().all(|e| !e.reversed));
        // Layers stack downwards by layer_gap.
        let board = by_label(&nodes, &out, "Basingstoke and Deane LSP Board");
        let management = by_label(&nodes, &out, "Management Group");
        assert_eq!(management.y - board.y, 64.0 + 96.0);
    }

    #[test]
    fn board_annual_report_to_conference_is_drawn_flat_between_them() {
        let (nodes, edges) = basingstoke();
        let out = layout(&nodes, &edges, &LayoutOptions::default());
        let board = by_label(&nodes, &out, "Basingstoke and Deane LSP Board");
        let conference = by_label(&nodes, &out, "LSP Conference");
        let annual = out
            .edges
            .iter()
            .find(|e| e.from == board.id && e.to == conference.id)
            .expect("the annual report is routed");
        assert!(!annual.reversed);
        assert!(on_boundary(board, annual.points[0]));
        assert!(on_boundary(
            conference,
            annual.points[annual.points.len() - 1]
        ));
        assert_eq!(board.order.abs_diff(conference.order), 1);
        assert!(
            annual
                .points
                .iter()
                .all(|p| p.1 == board.y + board.height / 2.0)
        );
    }

    #[test]
    fn conference_stays_beside_the_board_when_other_lines_pull_the_board_aside() {
        let (nodes, mut edges) = basingstoke();
        let (board, others, health) = (&nodes[0], &nodes[4], &nodes[7]);
        edges.push(line(98, board, health, LineKind::Advises));
        edges.push(line(99, others, board, LineKind::Advises));
        let out = layout(&nodes, &edges, &LayoutOptions::default());
        let board = by_label(&nodes, &out, "Basingstoke and Deane LSP Board");
        let conference = by_label(&nodes, &out, "LSP Conference");
        assert_eq!((board.layer, conference.layer), (0, 0));
        let gap = (conference.x - board.x).abs() - board.width;
        assert!((gap - 32.0).abs() < 1e-6, "gap {gap}");
        // The Board's advice to a group below it closes a cycle: drawn downwards, reversed.
        let advice = out
            .edges
            .iter()
            .find(|e| e.from == board.id && e.to == health.id)
            .expect("routed");
        assert!(advice.reversed);
        assert_eq!(out.edges.iter().filter(|e| e.reversed).count(), 1);
        assert_edges_join_their_bodies(&out);
        assert_no_overlaps(&out);
    }

    #[test]
    fn other_fora_feeding_five_groups_cross_no_other_line() {
        let (nodes, edges) = basingstoke();
        assert_eq!(crossings_of(&nodes, &edges).1, 0);
        // The five Priority Action Groups stand together, under the forum that feeds them.
        let out = layout(&nodes, &edges, &LayoutOptions::default());
        let mut orders: Vec<usize> = nodes
            .iter()
            .filter(|n| n.kind == BodyKind::PriorityActionGroup)
            .map(|n| by_label(&nodes, &out, &n.label).order)
            .collect();
        sort(&mut orders);
        assert_eq!(orders[4] - orders[0], 4);
    }

    #[test]
    fn a_layer_limit_moves_whole_kinds_of_unreported_bodies_down_a_layer() {
        let (nodes, edges) = basingstoke();
        let options = LayoutOptions {
            max_layer_width: 8,
            ..LayoutOptions::default()
        };
        let out = layout(&nodes, &edges, &options);
        let layer = |label: &str| by_label(&nodes, &out, label).layer;
        // Eleven bodies report to the Management Group; the five Priority Action Groups keep
        // their row, and the groups nothing reports to go down beside the other fora.
        for n in &nodes {
            let expected = match n.kind {
                BodyKind::Board | BodyKind::Conference => 0,
                BodyKind::ManagementGroup | BodyKind::Network => 1,
                BodyKind::PriorityActionGroup => 2,
                _ => 3,
            };
            assert_eq!(layer(&n.label), expected, "{}", n.label);
        }
        for l in 0..4 {
            let width = out.nodes.iter().filter(|p| p.layer == l).count();
            assert!(width <= 8, "layer {l} holds {width}");
        }
        assert_no_overlaps(&out);
        assert_eq!(out.edges.len(), edges.len());
        assert!(out.edges.iter().all(|e| !e.reversed));
        // A limit the structure already meets changes nothing.
        let roomy = LayoutOptions {
            max_layer_width: 20,
            ..LayoutOptions::default()
        };
        assert_eq!(
            layout(&nodes, &edges, &roomy),
            layout(&nodes, &edges, &LayoutOptions::default())
        );
    }

    #[test]
    fn no_two_bodies_overlap() {
        let (nodes, edges) = basingstoke();
        assert_no_overlaps(&layout(&nodes, &edges, &LayoutOptions::default()));
        let tight = LayoutOptions {
            node_gap: 0.0,
            layer_gap: 0.0,
            ..LayoutOptions::default()
        };
        assert_no_overlaps(&layout(&nodes, &edges, &tight));
    }

    #[test]
    fn every_line_starts_at_its_reporting_body_and_ends_at_its_receiving_body() {
        let (nodes, edges) = basingstoke();
        assert_edges_join_their_bodies(&layout(&nodes, &edges, &LayoutOptions::default()));
        for (nodes, edges) in [county(60, 150), deep(60, 150)] {
            assert_edges_join_their_bodies(&layout(&nodes, &edges, &LayoutOptions::default()));
        }
    }

    #[test]
    fn long_lines_bend_through_each_layer_they_cross() {
        let (mut nodes, mut edges) = basingstoke();
        // A forum reporting straight to the Board crosses layers 1 and 2.
        let board = nodes[0].clone();
        let others = nodes[4].clone();
        edges.push(line(99, &others, &board, LineKind::Advises));
        nodes.reverse();
        let out = layout(&nodes, &edges, &LayoutOptions::default());
        let long = out
            .edges
            .iter()
            .find(|e| e.from == others.id && e.to == board.id)
            .expect("routed");
        // Start, two bend points in each of layers 2 and 1, end.
        assert_eq!(long.points.len(), 6);
        assert_eq!(long.points[1].0, long.points[2].0);
        assert_edges_join_their_bodies(&out);
        assert_no_overlaps(&out);
    }

    #[test]
    fn shuffled_input_gives_identical_layout() {
        for (nodes, edges) in [basingstoke(), county(120, 400), deep(60, 150)] {
            let options = LayoutOptions::default();
            let first = layout(&nodes, &edges, &options);
            for seed in 1..4 {
                let again = layout(
                    &shuffled(&nodes, seed),
                    &shuffled(&edges, seed + 100),
                    &options,
                );
                let a: BTreeMap<BodyId, &PlacedNode> =
                    first.nodes.iter().map(|n| (n.id, n)).collect();
                let b: BTreeMap<BodyId, &PlacedNode> =
                    again.nodes.iter().map(|n| (n.id, n)).collect();
                assert_eq!(a, b);
                assert_eq!(first, again);
            }
        }
    }

    #[test]
    fn cycle_terminates_and_reverses_exactly_one_line() {
        let a = body(1, BodyKind::TaskGroup, "A");
        let b = body(2, BodyKind::TaskGroup, "B");
        let c = body(3, BodyKind::TaskGroup, "C");
        let edges = [
            line(1, &a, &b, LineKind::ReportsTo),
            line(2, &b, &c, LineKind::ReportsTo),
            line(3, &c, &a, LineKind::ReportsTo),
        ];
        let nodes = [a, b, c];
        let out = layout(&nodes, &edges, &LayoutOptions::default());
        assert_eq!(out.edges.iter().filter(|e| e.reversed).count(), 1);
        let mut layers: Vec<usize> = out.nodes.iter().map(|n| n.layer).collect();
        sort(&mut layers);
        assert_eq!(layers, [0, 1, 2]);
        assert_edges_join_their_bodies(&out);
    }

    #[test]
    fn acyclic_lines_are_never_reversed() {
        let (nodes, edges) = basingstoke();
        let out = layout(&nodes, &edges, &LayoutOptions::default());
        assert!(out.edges.iter().all(|e| !e.reversed));
    }

    #[test]
    fn self_loops_and_two_way_lines_are_drawn() {
        let a = body(1, BodyKind::PriorityActionGroup, "A");
        let b = body(2, BodyKind::PriorityActionGroup, "B");
        let edges = [
            line(1, &a, &b, LineKind::ReportsTo),
            line(2, &b, &a, LineKind::Advises),
            line(3, &a, &a, LineKind::FeedsInto),
        ];
        let nodes = [a, b];
        let out = layout(&nodes, &edges, &LayoutOptions::default());
        assert_eq!(out.edges.len(), 3);
        assert_eq!(out.edges.iter().filter(|e| e.reversed).count(), 1);
        assert_edges_join_their_bodies(&out);
        assert_no_overlaps(&out);
    }

    #[test]
    fn isolated_body_is_still_placed() {
        let (mut nodes, edges) = basingstoke();
        nodes.push(body(90, BodyKind::TaskGroup, "Older People"));
        nodes.push(body(
            91,
            BodyKind::ManagementGroup,
            "Shadow Management Group",
        ));
        let out = layout(&nodes, &edges, &LayoutOptions::default());
        assert_eq!(out.nodes.len(), nodes.len());
        assert_eq!(by_label(&nodes, &out, "Older People").layer, 3);
        assert_eq!(by_label(&nodes, &out, "Shadow Management Group").layer, 1);
        assert_no_overlaps(&out);

        // Bodies without any lines at all: empty layers are removed.
        let lonely = [body(1, BodyKind::Network, "Community Network")];
        let out = layout(&lonely, &[], &LayoutOptions::default());
        assert_eq!(out.nodes.len(), 1);
        assert_eq!(
            (out.nodes[0].layer, out.nodes[0].x, out.nodes[0].y),
            (0, 0.0, 0.0)
        );
        assert_eq!((out.width, out.height), (200.0, 64.0));
    }

    #[test]
    fn barycenter_ordering_removes_an_avoidable_crossing() {
        let able = body(1, BodyKind::ThematicPartnership, "Able partnership");
        let zeta = body(2, BodyKind::ThematicPartnership, "Zeta partnership");
        let apple = body(3, BodyKind::TaskGroup, "Apple task group");
        let zoo = body(4, BodyKind::TaskGroup, "Zoo task group");
        // In key order Apple sits under Able and Zoo under Zeta, so these two lines cross.
        let edges = [
            line(1, &apple, &zeta, LineKind::ReportsTo),
            line(2, &zoo, &able, LineKind::ReportsTo),
        ];
        let nodes = [able, zeta, apple, zoo];
        assert_eq!(crossings_of(&nodes, &edges), (1, 0));
    }

    #[test]
    fn ordering_never_adds_crossings() {
        for (nodes, edges) in [county(30, 60), county(300, 1000), deep(120, 400)] {
            let (before, after) = crossings_of(&nodes, &edges);
            assert!(after <= before, "{after} > {before}");
        }
    }

    /// The benchmarks' figures (`cargo xtask bench`) compare across commits only while they
    /// time the same graph: a change to `bench_graphs` must change this digest on purpose.
    #[test]
    fn generated_graphs_match_the_benchmark() {
        let (nodes, edges) = county(300, 1000);
        assert_eq!(
            format!("{:032x}", fingerprint(&nodes, &edges)),
            "856637d3e832ca250caa9c1e62d8431d",
            "the benchmark graph changed: figures from before this change time a different graph"
        );
    }

    #[test]
    fn large_county_partnership_places_every_body() {
        for (nodes, edges) in [county(300, 1000), deep(300, 1000)] {
            assert_large_layout_is_sound(&nodes, &edges);
        }
    }

    fn assert_large_layout_is_sound(nodes: &[LayoutNode], edges: &[LayoutEdge]) {
        let out = layout(nodes, edges, &LayoutOptions::default());
        assert_eq!(out.nodes.len(), 300);
        assert_eq!(out.edges.len(), 1000);
        let ids: HashSet<BodyId> = out.nodes.iter().map(|n| n.id).collect();
        assert_eq!(ids.len(), 300);
        assert!(out.width.is_finite() && out.height.is_finite());
        assert_no_overlaps(&out);
        assert_edges_join_their_bodies(&out);
        // Orders within each layer run 0, 1, 2, ... left to right.
        for pair in out.nodes.windows(2) {
            if pair[0].layer == pair[1].layer {
                assert_eq!(pair[1].order, pair[0].order + 1);
                assert!(pair[0].x < pair[1].x);
            } else {
                assert_eq!(pair[1].order, 0);
            }
        }
    }

    #[test]
    fn bad_input_is_tolerated() {
        let a = body(1, BodyKind::Board, "Board");
        let ghost = body(2, BodyKind::Board, "Not in this partnership");
        let edges = [
            line(1, &ghost, &a, LineKind::ReportsTo),
            line(1, &a, &a, LineKind::ReportsTo),
        ];
        let nodes = [a.clone(), a];
        let silly = LayoutOptions {
            node_width: f64::NAN,
            node_height: -1.0,
            layer_gap: f64::INFINITY,
            node_gap: 8.0,
            max_layer_width: 1,
        };
        let out = layout(&nodes, &edges, &silly);
        assert_eq!(out.nodes.len(), 1);
        assert_eq!(out.edges.len(), 1);
        assert_eq!((out.nodes[0].width, out.nodes[0].height), (200.0, 64.0));
        assert_eq!(layout(&[], &[], &silly), Layout::default());
    }

    #[test]
    fn snapshot_layout_skips_lines_leaving_the_partnership() {
        let p = PartnershipId(Uuid::from_u128(1));
        let elsewhere = PartnershipId(Uuid::from_u128(2));
        let mut snapshot = Snapshot::default();
        let mut add_body = |n: u128, partnership, kind, name: &str| {
            let id = BodyId(Uuid::from_u128(n));
            snapshot.bodies.insert(
                id,
                Body {
                    partnership_id: partnership,
                    name: name.into(),
                    kind,
                    terms_of_reference: String::new(),
                },
            );
            id
        };
        let board = add_body(10, p, BodyKind::Board, "LSP Board");
        let group = add_body(11, p, BodyKind::ManagementGroup, "Management Group");
        let county_board = add_body(12, elsewhere, BodyKind::Board, "County Board");
        for (n, from, to) in [(20, group, board), (21, board, county_board)] {
            snapshot.lines.insert(
                ReportingLineId(Uuid::from_u128(n)),
                ReportingLine {
                    partnership_id: p,
                    from_body_id: from,
                    to_body_id: to,
                    kind: LineKind::ReportsTo,
                    note: String::new(),
                },
            );
        }
        let out = layout_snapshot(&snapshot, p, &LayoutOptions::default());
        assert_eq!(out.nodes.len(), 2);
        assert_eq!(out.edges.len(), 1);
        assert_eq!((out.edges[0].from, out.edges[0].to), (group, board));
        assert_eq!(out.nodes[0].id, board);
    }

    #[test]
    fn layout_round_trips_through_json() {
        let (nodes, edges) = basingstoke();
        let out = layout(&nodes, &edges, &LayoutOptions::default());
        let json = serde_json::to_string(&out).expect("serialises");
        let back: Layout = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, out);
    }

    #[test]
    fn place_layer_keeps_gaps_and_order() {
        let mut out = [0.0; 3];
        let mut blocks = Vec::new();
        place_layer(
            &[5.0, 5.0, 5.0],
            &[1.0; 3],
            &[0.0, 2.0, 2.0],
            &mut blocks,
            &mut out,
        );
        assert_eq!(out, [3.0, 5.0, 7.0]);
        place_layer(
            &[10.0, 0.0, 20.0],
            &[1.0; 3],
            &[0.0, 1.0, 1.0],
            &mut blocks,
            &mut out,
        );
        assert_eq!(out, [4.5, 5.5, 20.0]);
    }
}
