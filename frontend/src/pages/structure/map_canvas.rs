//! The partnership map as SVG: bodies as boxes styled by kind, reporting lines as arrows, laid
//! out by `atlas_shared::layout` (deterministic, so the same data always gives the same
//! picture). [`MapCanvas`] draws a [`Layout`] and handles pan and zoom (mouse drag and wheel,
//! touch drag and pinch, keyboard); pages decide what is selected and highlighted.
//!
//! Zoom moves the SVG `viewBox` only, so no box or line is drawn again by the app. A drag does
//! not even do that while it lasts: it slides the picture already painted with a CSS
//! `transform` on the `<svg>` (its own compositing layer, `will-change: transform`), and sets
//! the `viewBox` once, when the pointer lifts ([`DragPreview`]). Changing the `viewBox` makes
//! the browser lay out every label again and repaint the whole picture, which for a county
//! partnership (300 bodies, 1,000 lines) takes several frames each time; sliding a painted
//! layer takes none (`frontend/tests/pan_bench.rs` measures both, `cargo xtask bench`). The
//! `<svg>` paints the whole map, not just the part in view (`overflow: visible`), so a drag
//! slides in boxes that were outside the view; the frame round the map clips them.
//!
//! The boxes and lines are SVG elements made by hand (`draw`), not views: a view per box
//! and per line, each with reactive classes and its own handlers, was most of the canvas's
//! code, which every first visit to the map downloads (2.5 KB brotli). They are drawn again
//! only when the layout or the names change; a selection or a highlight changes their
//! classes alone (`restyle`), so the box that has the keyboard keeps it, and one click and
//! one key handler on the `<svg>` hear every box.
//!
//! The map's styles live in a `<style>` inside the `<svg>`, so an exported SVG or PNG looks
//! the same as the map on screen.

use std::collections::{BTreeSet, HashMap};

use atlas_shared::layout::{Layout, LayoutOptions, layout_snapshot, readable_width};
use atlas_shared::svg::{tenths, whole};
use atlas_shared::{BodyId, BodyKind, LineKind, PartnershipId, ReportingLineId, Snapshot};
use gloo_events::{EventListener, EventListenerOptions};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Sizes of the map's boxes (wide enough for two lines of a long group name) and the widest a
/// row may be for `bodies` bodies ([`readable_width`]).
pub fn map_options(bodies: usize) -> LayoutOptions {
    LayoutOptions {
        node_width: 210.0,
        node_height: 70.0,
        layer_gap: 90.0,
        node_gap: 28.0,
        max_layer_width: readable_width(bodies),
    }
}

/// The partnership's map layout; recomputed only when its bodies or lines change.
pub fn use_layout(snapshot: Signal<Snapshot>, p: PartnershipId) -> Memo<Layout> {
    Memo::new(move |_| snapshot.with(|s| layout_snapshot(s, p, &map_options(s.bodies_of(p).len()))))
}

/// What the map writes on its boxes and lines (the layout keeps only ids and geometry).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MapLabels {
    pub bodies: HashMap<BodyId, (String, BodyKind)>,
    pub lines: HashMap<ReportingLineId, LineKind>,
}

pub fn use_labels(snapshot: Signal<Snapshot>, p: PartnershipId) -> Memo<MapLabels> {
    Memo::new(move |_| {
        snapshot.with(|s| MapLabels {
            bodies: s
                .bodies_of(p)
                .into_iter()
                .map(|(id, b)| (id, (b.name.clone(), b.kind)))
                .collect(),
            lines: s
                .lines_of(p)
                .into_iter()
                .map(|(id, l)| (id, l.kind))
                .collect(),
        })
    })
}

/// The part of the map in view, in layout units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewBox {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// Space left round the map when it is fitted to the screen.
const MARGIN: f64 = 24.0;
/// The closest zoom: this many layout units across at the least.
const MIN_WIDTH: f64 = 160.0;
/// Screen pixels per layout unit at which a box's name (14 units) is about 12 pixels tall:
/// the least a map opened at a "readable" zoom shows.
pub const READABLE_PIXELS_PER_UNIT: f64 = 0.85;

impl ViewBox {
    /// The whole picture with a margin.
    pub fn fit(layout: &Layout) -> Self {
        Self::around(0.0, 0.0, layout.width.max(1.0), layout.height.max(1.0))
    }

    /// A box round the given rectangle with a margin.
    pub fn around(x: f64, y: f64, w: f64, h: f64) -> Self {
        Self {
            x: x - MARGIN,
            y: y - MARGIN,
            w: w + 2.0 * MARGIN,
            h: h + 2.0 * MARGIN,
        }
    }

    /// The smallest box round the given bodies of `layout`, or the whole map when none of them
    /// is on it.
    pub fn around_bodies(layout: &Layout, bodies: &BTreeSet<BodyId>) -> Self {
        let placed: Vec<_> = layout
            .nodes
            .iter()
            .filter(|n| bodies.contains(&n.id))
            .collect();
        if placed.is_empty() {
            return Self::fit(layout);
        }
        let x0 = placed.iter().map(|n| n.x).fold(f64::INFINITY, f64::min);
        let y0 = placed.iter().map(|n| n.y).fold(f64::INFINITY, f64::min);
        let x1 = placed
            .iter()
            .map(|n| n.x + n.width)
            .fold(f64::NEG_INFINITY, f64::max);
        let y1 = placed
            .iter()
            .map(|n| n.y + n.height)
            .fold(f64::NEG_INFINITY, f64::max);
        // Never closer than about three boxes across, so the context stays in view.
        let size = map_options(0);
        let w = (x1 - x0).max(3.0 * size.node_width);
        let h = (y1 - y0).max(2.0 * size.node_height);
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        Self::around(cx - w / 2.0, cy - h / 2.0, w, h)
    }

    /// A view centred on `(cx, cy)` for an element `(rw, rh)` pixels big: at most `max_w`
    /// units across, and never so far out that a box's name is smaller than
    /// [`READABLE_PIXELS_PER_UNIT`] allows; its shape is the element's, so the width decides
    /// the scale. An element of no size gets `max_w` across.
    pub fn readable_on(cx: f64, cy: f64, rw: f64, rh: f64, max_w: f64) -> Self {
        let (w, aspect) = if rw > 0.0 && rh > 0.0 {
            ((rw / READABLE_PIXELS_PER_UNIT).min(max_w), rh / rw)
        } else {
            (max_w, 9.0 / 16.0)
        };
        let w = w.max(MIN_WIDTH);
        Self {
            x: cx - w / 2.0,
            y: cy - w * aspect / 2.0,
            w,
            h: w * aspect,
        }
    }

    /// The same zoom, moved so that `(cx, cy)` is in the middle.
    pub fn centred_on(self, cx: f64, cy: f64) -> Self {
        Self {
            x: cx - self.w / 2.0,
            y: cy - self.h / 2.0,
            ..self
        }
    }

    /// Zoomed in by `factor` (below 1 zooms out), keeping the point `(ux, uy)` where it is
    /// on the screen. The zoom stops at [`MIN_WIDTH`] in and at `max_w` out.
    pub fn zoomed(self, factor: f64, ux: f64, uy: f64, max_w: f64) -> Self {
        // Not `clamp`: its check of the bounds carries the formatting of floats for its
        // message (9 KB of the map's first load); and here a width that is not a number
        // comes out as the least width rather than NaN.
        let w = (self.w / factor).max(MIN_WIDTH).min(max_w.max(MIN_WIDTH));
        let f = self.w / w;
        Self {
            x: ux - (ux - self.x) / f,
            y: uy - (uy - self.y) / f,
            w,
            h: self.h / f,
        }
    }

    pub fn panned(self, dx: f64, dy: f64) -> Self {
        Self {
            x: self.x + dx,
            y: self.y + dy,
            ..self
        }
    }

    pub fn centre(self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// Layout units per screen pixel for an element `(rw, rh)` pixels big showing this box
    /// with `preserveAspectRatio="xMidYMid meet"`.
    pub fn units_per_pixel(self, rw: f64, rh: f64) -> f64 {
        if rw <= 0.0 || rh <= 0.0 {
            return 1.0;
        }
        (self.w / rw).max(self.h / rh)
    }

    /// The layout point under the pixel `(px, py)` of such an element (from its top-left).
    pub fn point_at(self, rw: f64, rh: f64, px: f64, py: f64) -> (f64, f64) {
        let s = self.units_per_pixel(rw, rh);
        let off_x = (rw - self.w / s) / 2.0;
        let off_y = (rh - self.h / s) / 2.0;
        (self.x + (px - off_x) * s, self.y + (py - off_y) * s)
    }

    /// Where this view ends up after a drag of `(dx, dy)` pixels on an element `(rw, rh)`
    /// pixels big: the picture follows the pointer.
    pub fn dragged(self, rw: f64, rh: f64, dx: f64, dy: f64) -> Self {
        let s = self.units_per_pixel(rw, rh);
        self.panned(-dx * s, -dy * s)
    }

    pub fn attribute(self) -> String {
        format!(
            "{} {} {} {}",
            tenths(self.x),
            tenths(self.y),
            tenths(self.w),
            tenths(self.h)
        )
    }
}

/// A body's name in at most two lines of about `per_line` characters, broken at spaces; a
/// longer name ends with an ellipsis (the full name is in the box's accessible label and
/// tooltip).
pub fn wrap_label(name: &str, per_line: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in name.split_whitespace() {
        let fits =
            current.is_empty() || current.chars().count() + 1 + word.chars().count() <= per_line;
        if !fits {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > 2 {
        let rest = lines[1..].join(" ");
        lines.truncate(1);
        lines.push(rest);
    }
    for line in &mut lines {
        if line.chars().count() > per_line {
            let cut: String = line.chars().take(per_line.saturating_sub(1)).collect();
            *line = format!("{}…", cut.trim_end());
        }
    }
    lines
}

/// The CSS class suffix for a body kind: `map-node--board`, ...
fn kind_class(kind: BodyKind) -> String {
    kind.as_key().replace('_', "-")
}

fn line_class(kind: LineKind) -> String {
    kind.as_key().replace('_', "-")
}

/// Where a line's label goes, and whether it is centred there (else it starts there).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LabelAt {
    pub x: f64,
    pub y: f64,
    pub centred: bool,
}

/// Where a line's label goes: beside the middle of its last segment (next to the receiving
/// body, so the five lines from one forum label themselves at five different places). A line
/// between two bodies side by side (the Board's annual report to the Conference) has no room
/// between the boxes, so its label is centred over the gap, just above the receiving body's
/// top (`receiver_top`).
pub fn label_position(points: &[(f64, f64)], receiver_top: Option<f64>) -> Option<LabelAt> {
    let n = points.len();
    if n < 2 {
        return None;
    }
    let (a, b) = (points[n - 2], points[n - 1]);
    let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    match receiver_top {
        Some(top) if a.1 == b.1 && n == 2 => Some(LabelAt {
            x: mid.0,
            y: top - 6.0,
            centred: true,
        }),
        _ => Some(LabelAt {
            x: mid.0 + 6.0,
            y: mid.1 + 4.0,
            centred: false,
        }),
    }
}

/// The map's own styles, inside the SVG so exports look the same. Colours are not the only
/// signal: each box also names its kind, and line kinds differ in dash pattern. In a file of
/// their own because the server reads it too: its content security policy allows this one
/// inline `<style>` by its hash (`backend/src/http/security.rs`).
const MAP_STYLE: &str = include_str!("map.css");

/// A drag in progress: how far the painted picture has slid, in screen pixels, since the
/// `viewBox` was last set. Shown as a CSS `transform` (no layout, no repaint) and turned into
/// a new `viewBox` by [`ViewBox::dragged`] when the drag ends.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DragPreview {
    pub dx: f64,
    pub dy: f64,
}

impl DragPreview {
    pub fn is_still(self) -> bool {
        self.dx == 0.0 && self.dy == 0.0
    }

    pub fn moved(self, dx: f64, dy: f64) -> Self {
        Self {
            dx: self.dx + dx,
            dy: self.dy + dy,
        }
    }

    /// The CSS `transform` that shows it; empty when still.
    pub fn css(self) -> String {
        if self.is_still() {
            String::new()
        } else {
            format!(
                "transform: translate({}px, {}px);",
                tenths(self.dx),
                tenths(self.dy)
            )
        }
    }
}

/// What a page wants from the map.
#[derive(Clone, Copy)]
pub struct MapState {
    pub view_box: RwSignal<ViewBox>,
    /// The body whose panel is open.
    pub selected: Signal<Option<BodyId>>,
    /// Bodies to pick out (a search, a filter, a presentation step); `None`: nothing picked.
    pub highlight: Signal<Option<BTreeSet<BodyId>>>,
}

/// Pans and zooms the map by keyboard: arrows move, `+`/`-` zoom, `0` fits. Returns whether
/// the key was one of those.
pub fn keyboard_pan_zoom(key: &str, view_box: RwSignal<ViewBox>, layout: &Layout) -> bool {
    let vb = view_box.get_untracked();
    let step = vb.w / 8.0;
    let (cx, cy) = vb.centre();
    let max_w = max_width(layout);
    let next = match key {
        "ArrowLeft" => vb.panned(-step, 0.0),
        "ArrowRight" => vb.panned(step, 0.0),
        "ArrowUp" => vb.panned(0.0, -step),
        "ArrowDown" => vb.panned(0.0, step),
        "+" | "=" => vb.zoomed(1.25, cx, cy, max_w),
        "-" | "_" => vb.zoomed(0.8, cx, cy, max_w),
        "0" => ViewBox::fit(layout),
        _ => return false,
    };
    view_box.set(next);
    true
}

/// How far out the map may zoom: the whole map twice over.
pub fn max_width(layout: &Layout) -> f64 {
    (layout.width.max(layout.height) + 2.0 * MARGIN) * 2.0
}

/// The drawn map. `on_select` is called with a body when it is clicked, tapped, or chosen by
/// Enter or Space; a drag or pinch is not a click.
#[component]
pub fn MapCanvas(
    #[prop(into)] layout: Signal<Layout>,
    #[prop(into)] labels: Signal<MapLabels>,
    state: MapState,
    #[prop(into)] on_select: Callback<BodyId>,
    /// Accessible name of the map, e.g. "Map of Basingstoke and Deane LSP".
    #[prop(into)]
    label: String,
    #[prop(optional)] node_ref: Option<NodeRef<leptos::svg::Svg>>,
) -> impl IntoView {
    let svg_ref = node_ref.unwrap_or_default();
    let view_box = state.view_box;
    // Pointers down on the map (id -> last position), and whether the gesture moved.
    let pointers: StoredValue<Vec<(i32, f64, f64)>, LocalStorage> =
        StoredValue::new_local(Vec::new());
    let dragged = StoredValue::new(false);
    // How far a drag has slid the painted map since the viewBox was last set.
    let preview = RwSignal::new(DragPreview::default());

    // The element's size and place as laid out, without the drag's slide.
    let size = move || {
        let p = preview.get_untracked();
        svg_ref
            .get_untracked()
            .map(|el| {
                let r = el.get_bounding_client_rect();
                (r.width(), r.height(), r.left() - p.dx, r.top() - p.dy)
            })
            .unwrap_or((1.0, 1.0, 0.0, 0.0))
    };
    // Ends a drag's slide: the view moves to where the picture was slid, in one viewBox change.
    let commit = move || {
        let p = preview.get_untracked();
        if p.is_still() {
            return;
        }
        let (rw, rh, _, _) = size();
        view_box.update(|vb| *vb = vb.dragged(rw, rh, p.dx, p.dy));
        preview.set(DragPreview::default());
    };

    let on_pointerdown = move |ev: web_sys::PointerEvent| {
        if ev.pointer_type() == "mouse" && ev.button() != 0 {
            return;
        }
        // A second finger turns a drag into a pinch, which works on the viewBox.
        commit();
        pointers.update_value(|p| {
            p.retain(|(id, _, _)| *id != ev.pointer_id());
            p.push((
                ev.pointer_id(),
                f64::from(ev.client_x()),
                f64::from(ev.client_y()),
            ));
        });
        dragged.set_value(false);
    };
    let on_pointermove = move |ev: web_sys::PointerEvent| {
        let id = ev.pointer_id();
        let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        let before = pointers.with_value(|p| p.clone());
        let Some(index) = before.iter().position(|(pid, _, _)| *pid == id) else {
            return;
        };
        match before.len() {
            1 => {
                let (_, px, py) = before[0];
                let (dx, dy) = (x - px, y - py);
                if dx.abs() + dy.abs() > 3.0 || dragged.get_value() {
                    if !dragged.get_value() {
                        // Capture only once it is a drag, so a tap still reaches the box.
                        if let Some(el) = svg_ref.get_untracked() {
                            let _ = el.set_pointer_capture(id);
                        }
                    }
                    dragged.set_value(true);
                    preview.update(|p| *p = p.moved(dx, dy));
                    pointers.update_value(|p| p[index] = (id, x, y));
                }
            }
            2 => {
                // Pinch: zoom by the change in distance about the midpoint, and pan with it.
                let other = before[1 - index];
                let (_, ox, oy) = other;
                let (_, px, py) = before[index];
                let d_before = ((px - ox).powi(2) + (py - oy).powi(2)).sqrt();
                let d_after = ((x - ox).powi(2) + (y - oy).powi(2)).sqrt();
                if d_before > 1.0 && d_after > 1.0 {
                    let (rw, rh, left, top) = size();
                    let vb = view_box.get_untracked();
                    let (mx, my) = ((x + ox) / 2.0 - left, (y + oy) / 2.0 - top);
                    let (ux, uy) = vb.point_at(rw, rh, mx, my);
                    let max_w = layout.with_untracked(max_width);
                    view_box.set(vb.zoomed(d_after / d_before, ux, uy, max_w));
                    dragged.set_value(true);
                }
                pointers.update_value(|p| p[index] = (id, x, y));
            }
            _ => {}
        }
    };
    let on_pointerup = move |ev: web_sys::PointerEvent| {
        pointers.update_value(|p| p.retain(|(id, _, _)| *id != ev.pointer_id()));
        commit();
    };

    // The wheel zooms about the pointer. Attached by hand so it can be non-passive and stop
    // the page from scrolling while the pointer is over the map.
    Effect::new(move |_| {
        let Some(el) = svg_ref.get() else {
            return;
        };
        let options = EventListenerOptions::enable_prevent_default();
        let on_wheel = EventListener::new_with_options(&el, "wheel", options, move |ev| {
            let Some(ev) = ev.dyn_ref::<web_sys::WheelEvent>() else {
                return;
            };
            ev.prevent_default();
            commit();
            let (rw, rh, left, top) = size();
            let vb = view_box.get_untracked();
            let (ux, uy) = vb.point_at(
                rw,
                rh,
                f64::from(ev.client_x()) - left,
                f64::from(ev.client_y()) - top,
            );
            // Lines (Firefox) scroll in bigger steps than pixels.
            let dy = if ev.delta_mode() == 1 {
                ev.delta_y() * 16.0
            } else {
                ev.delta_y()
            };
            let factor = (-dy * 0.0015).exp();
            let max_w = layout.with_untracked(max_width);
            view_box.set(vb.zoomed(factor, ux, uy, max_w));
        });
        // The listener lives as long as the element.
        on_wheel.forget();
    });

    // The boxes and lines, drawn by hand (see the module's docs): again when the layout or
    // the names change, restyled when the selection or the highlight does.
    let edges_ref = NodeRef::<leptos::svg::G>::new();
    let nodes_ref = NodeRef::<leptos::svg::G>::new();
    let drawn = RwSignal::new_local(Drawn::default());
    Effect::new(move |_| {
        let (Some(edges), Some(nodes)) = (edges_ref.get(), nodes_ref.get()) else {
            return;
        };
        drawn.set(layout.with(|l| labels.with(|names| draw(&edges, &nodes, l, names))));
    });
    Effect::new(move |_| {
        let selected = state.selected.get();
        state
            .highlight
            .with(|h| drawn.with(|d| restyle(d, selected, h.as_ref())));
    });

    // A box is chosen by a click or a tap (not the end of a drag) or by Enter or Space; the
    // map's own handlers hear them from every box.
    let on_click = move |ev: web_sys::MouseEvent| {
        if dragged.get_value() {
            return;
        }
        if let Some(id) = body_at(ev.target()) {
            on_select.run(id);
        }
    };
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let key = ev.key();
        if (key == "Enter" || key == " ")
            && let Some(id) = body_at(ev.target())
        {
            ev.prevent_default();
            ev.stop_propagation();
            on_select.run(id);
            return;
        }
        commit();
        let handled = layout.with_untracked(|l| keyboard_pan_zoom(&key, view_box, l));
        if handled {
            ev.prevent_default();
        }
    };

    view! {
        // The window the map is seen through: it clips the picture a drag slides (the
        // `<svg>` paints the whole map, not just the part in view).
        <div class="map-viewport" style="overflow: hidden">
            <svg
                node_ref=svg_ref
                class="map"
                // Its own layer, so a drag's slide is the compositor's work alone.
                style=move || {
                    let full = layout.with(ViewBox::fit);
                    // `overflow: visible` paints the boxes outside the view too (the frame round
                    // the map clips them), so a drag slides them in rather than blank space.
                    format!(
                        "--map-aspect: {} / {}; will-change: transform; overflow: visible; {}",
                        whole(full.w),
                        whole(full.h),
                        preview.get().css()
                    )
                }
                xmlns="http://www.w3.org/2000/svg"
                viewBox=move || view_box.get().attribute()
                preserveAspectRatio="xMidYMid meet"
                role="group"
                aria-label=label
                aria-roledescription="partnership map"
                tabindex="0"
                on:pointerdown=on_pointerdown
                on:pointermove=on_pointermove
                on:pointerup=on_pointerup
                on:pointercancel=on_pointerup
                on:keydown=on_keydown
                on:click=on_click
            >
                <style>{MAP_STYLE}</style>
                <defs>
                    <marker
                        id="map-arrow"
                        viewBox="0 0 10 10"
                        refX="9"
                        refY="5"
                        markerWidth="7"
                        markerHeight="7"
                        orient="auto-start-reverse"
                    >
                        <path d="M 0 0 L 10 5 L 0 10 z" fill="#0b0c0c"></path>
                    </marker>
                </defs>
                <g class="map-edges" node_ref=edges_ref></g>
                <g class="map-nodes" node_ref=nodes_ref></g>
            </svg>
        </div>
    }
}

/// What [`draw`] drew: each box's element with its body and kind's class, and each line's
/// with the bodies it joins and its kind's class.
#[derive(Default)]
struct Drawn {
    nodes: Vec<(BodyId, web_sys::Element, String)>,
    edges: Vec<(BodyId, BodyId, web_sys::Element, String)>,
}

const SVG: &str = "http://www.w3.org/2000/svg";

/// A new SVG element `tag` with `attributes`, appended to `parent`.
fn add(
    parent: &web_sys::Element,
    tag: &str,
    attributes: &[(&str, &str)],
) -> Option<web_sys::Element> {
    let element = document().create_element_ns(Some(SVG), tag).ok()?;
    for (name, value) in attributes {
        let _ = element.set_attribute(name, value);
    }
    parent.append_child(&element).ok()?;
    Some(element)
}

/// Draws `layout`'s lines into `edges` and its boxes into `nodes`, in place of what was there:
/// a box is a focusable button named by its name and kind, its name wrapped on two lines
/// ([`wrap_label`]); a line is an arrow to the body it reports to, labelled with its kind
/// unless it is the usual "reports to" ([`label_position`]).
fn draw(
    edges: &web_sys::Element,
    nodes: &web_sys::Element,
    layout: &Layout,
    names: &MapLabels,
) -> Drawn {
    edges.set_text_content(None);
    nodes.set_text_content(None);
    let mut drawn = Drawn::default();
    for e in &layout.edges {
        let kind = names
            .lines
            .get(&e.id)
            .copied()
            .unwrap_or(LineKind::ReportsTo);
        let class = format!("map-edge map-edge--{}", line_class(kind));
        let points = e
            .points
            .iter()
            .map(|(x, y)| format!("{},{}", tenths(*x), tenths(*y)))
            .collect::<Vec<_>>()
            .join(" ");
        let Some(g) = add(
            edges,
            "g",
            &[
                ("class", &class),
                ("data-line-id", &e.id.to_string()),
                ("data-from", &e.from.to_string()),
                ("data-to", &e.to.to_string()),
            ],
        ) else {
            continue;
        };
        add(
            &g,
            "polyline",
            &[("points", &points), ("marker-end", "url(#map-arrow)")],
        );
        let receiver_top = layout.nodes.iter().find(|n| n.id == e.to).map(|n| n.y);
        if kind != LineKind::ReportsTo
            && let Some(at) = label_position(&e.points, receiver_top)
        {
            let (x, y) = (tenths(at.x), tenths(at.y));
            let mut attributes = vec![("x", x.as_str()), ("y", y.as_str())];
            if at.centred {
                attributes.push(("text-anchor", "middle"));
            }
            if let Some(text) = add(&g, "text", &attributes) {
                text.set_text_content(Some(kind.label()));
            }
        }
        drawn.edges.push((e.from, e.to, g, class));
    }
    for n in &layout.nodes {
        let (name, kind) = names
            .bodies
            .get(&n.id)
            .cloned()
            .unwrap_or_else(|| (String::new(), BodyKind::OtherForum));
        let class = format!("map-node map-node--{}", kind_class(kind));
        // Label in Name (WCAG 2.5.3): the accessible name is the box's visible words, the name
        // first (what a speech-input user says to pick it) then the kind. The text below is in
        // that order too (the kind is drawn above the name by its coordinates), with a space
        // between the pieces, so an accessibility checker reading the visible text finds
        // exactly those words in the name.
        let Some(g) = add(
            nodes,
            "g",
            &[
                ("class", &class),
                (
                    "transform",
                    &format!("translate({},{})", tenths(n.x), tenths(n.y)),
                ),
                ("data-body-id", &n.id.to_string()),
                ("tabindex", "0"),
                ("role", "button"),
                ("aria-label", &format!("{name}, {}", kind.label())),
                ("aria-pressed", "false"),
            ],
        ) else {
            continue;
        };
        if let Some(title) = add(&g, "title", &[]) {
            title.set_text_content(Some(&name));
        }
        add(
            &g,
            "rect",
            &[
                ("class", "map-node__focus"),
                ("x", "-6"),
                ("y", "-6"),
                ("width", &tenths(n.width + 12.0)),
                ("height", &tenths(n.height + 12.0)),
                ("rx", "10"),
            ],
        );
        add(
            &g,
            "rect",
            &[
                ("width", &tenths(n.width)),
                ("height", &tenths(n.height)),
                ("rx", "6"),
            ],
        );
        let lines = wrap_label(&name, 25);
        let first_y = if lines.len() > 1 { "40" } else { "47" };
        if let Some(text) = add(
            &g,
            "text",
            &[("class", "map-node__name"), ("x", "10"), ("y", first_y)],
        ) {
            let last = lines.len().saturating_sub(1);
            for (i, line) in lines.into_iter().enumerate() {
                let dy = if i == 0 { "0" } else { "17" };
                if let Some(tspan) = add(&text, "tspan", &[("x", "10"), ("dy", dy)]) {
                    // A wrapped line ends in a space (not drawn: the next line starts at its
                    // own x), so its words stay apart.
                    let line = if i < last { format!("{line} ") } else { line };
                    tspan.set_text_content(Some(&line));
                }
            }
        }
        let _ = g.append_with_str_1(" ");
        if let Some(text) = add(
            &g,
            "text",
            &[("class", "map-node__kind"), ("x", "10"), ("y", "20")],
        ) {
            text.set_text_content(Some(kind.label()));
        }
        drawn.nodes.push((n.id, g, class));
    }
    drawn
}

/// Marks the selected box and the lines that touch it, and picks out what `highlight` holds
/// (dimming the rest), or dims the lines away from the selection when a box is selected.
fn restyle(drawn: &Drawn, selected: Option<BodyId>, highlight: Option<&BTreeSet<BodyId>>) {
    let dim = |id: &BodyId| highlight.is_some_and(|set| !set.contains(id));
    for (id, g, base) in &drawn.nodes {
        let mut class = base.clone();
        let chosen = selected == Some(*id);
        if chosen {
            class.push_str(" map-node--selected");
        }
        match highlight.map(|set| set.contains(id)) {
            Some(true) => class.push_str(" map-node--highlight"),
            Some(false) => class.push_str(" map-node--dim"),
            None => {}
        }
        let _ = g.set_attribute("class", &class);
        let _ = g.set_attribute("aria-pressed", if chosen { "true" } else { "false" });
    }
    for (from, to, g, base) in &drawn.edges {
        let touches = selected.is_some_and(|b| b == *from || b == *to);
        let mut class = base.clone();
        if touches {
            class.push_str(" map-edge--active");
        }
        let dimmed = if selected.is_some() {
            !touches
        } else {
            dim(from) || dim(to)
        };
        if dimmed {
            class.push_str(" map-edge--dim");
        }
        let _ = g.set_attribute("class", &class);
    }
}

/// The body whose box `target` is in, if it is in one.
fn body_at(target: Option<web_sys::EventTarget>) -> Option<BodyId> {
    let element: web_sys::Element = target?.dyn_into().ok()?;
    element
        .closest("g.map-node")
        .ok()??
        .get_attribute("data-body-id")?
        .parse()
        .ok()
}
