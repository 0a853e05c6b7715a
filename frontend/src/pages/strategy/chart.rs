//! A target's trajectory as a small chart: the line it should follow (baseline, milestones,
//! target, dashed) and the figures measured (solid, with dots), with a title and description
//! for screen readers and the same points as a table beside it, so nothing is in the picture
//! alone.

use atlas_shared::IsoDate;
use atlas_shared::order::sort_by_key;
use atlas_shared::strategy::{Target, format_figure};
use leptos::prelude::*;

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 32.0;

/// One point of the chart's table: when, what, and which line it is on.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartRow {
    pub on: IsoDate,
    pub what: &'static str,
    pub value: f64,
}

/// The trajectory's points (baseline, milestones, target) and the figures, in date order.
pub fn chart_rows(t: &Target, figures: &[(IsoDate, f64)]) -> Vec<ChartRow> {
    let mut rows = Vec::new();
    if let (Some(v), Some(on)) = (t.baseline, t.baseline_on) {
        rows.push(ChartRow {
            on,
            what: "Baseline",
            value: v.get(),
        });
    }
    for m in &t.milestones {
        rows.push(ChartRow {
            on: m.on,
            what: "Milestone",
            value: m.value.get(),
        });
    }
    if let (Some(v), Some(on)) = (t.target_value, t.deadline) {
        rows.push(ChartRow {
            on,
            what: "Target",
            value: v.get(),
        });
    }
    for (on, value) in figures {
        rows.push(ChartRow {
            on: *on,
            what: "Figure",
            value: *value,
        });
    }
    sort_by_key(&mut rows, |r| r.on);
    rows
}

/// Where each row goes on the chart: (x, y) in the SVG's units.
fn place(rows: &[ChartRow]) -> Vec<(f64, f64)> {
    let days: Vec<f64> = rows
        .iter()
        .map(|r| r.on.days_since_epoch() as f64)
        .collect();
    let (d0, d1) = days
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), d| (lo.min(*d), hi.max(*d)));
    let (v0, v1) = rows.iter().fold((f64::MAX, f64::MIN), |(lo, hi), r| {
        (lo.min(r.value), hi.max(r.value))
    });
    // The value axis starts at zero when every value is positive, as readers expect.
    let v0 = if v0 > 0.0 { 0.0 } else { v0 };
    let span = |a: f64, b: f64| {
        if b - a > 0.0 && (b - a).is_finite() {
            b - a
        } else {
            1.0
        }
    };
    let (dspan, vspan) = (span(d0, d1), span(v0, v1));
    let inner_w = WIDTH - LEFT - RIGHT;
    let inner_h = HEIGHT - TOP - BOTTOM;
    rows.iter()
        .zip(days)
        .map(|(r, d)| {
            let x = LEFT + (d - d0) / dspan * inner_w;
            let y = TOP + inner_h - (r.value - v0) / vspan * inner_h;
            let clamp = |v: f64, lo: f64, hi: f64| if v.is_finite() { v.clamp(lo, hi) } else { lo };
            (clamp(x, 0.0, WIDTH), clamp(y, 0.0, HEIGHT))
        })
        .collect()
}

fn polyline(points: &[(f64, f64)]) -> String {
    points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The chart and its table. `id` names the chart on its page (`data-chart`).
#[component]
pub fn TrajectoryChart(id: String, target: Target, figures: Vec<(IsoDate, f64)>) -> impl IntoView {
    let rows = chart_rows(&target, &figures);
    let unit = target.unit.clone();
    if rows.is_empty() {
        return view! {
            <p class="body trajectory-empty">
                "No baseline, milestones, target or figures yet, so there is no chart."
            </p>
        }
        .into_any();
    }
    let placed = place(&rows);
    let plan: Vec<(f64, f64)> = rows
        .iter()
        .zip(&placed)
        .filter(|(r, _)| r.what != "Figure")
        .map(|(_, p)| *p)
        .collect();
    let actual: Vec<(f64, f64)> = rows
        .iter()
        .zip(&placed)
        .filter(|(r, _)| r.what == "Figure")
        .map(|(_, p)| *p)
        .collect();
    let first = rows.first().map(|r| r.on.long()).unwrap_or_default();
    let last = rows.last().map(|r| r.on.long()).unwrap_or_default();
    let description = format!(
        "The dashed line is the trajectory from the baseline through the milestones to the target; the solid line and dots are the {} figures measured; from {first} to {last}. The table below gives every point.",
        figures.len()
    );
    let dots = actual
        .iter()
        .map(|(x, y)| view! { <circle class="trajectory__dot" cx=format!("{x:.1}") cy=format!("{y:.1}") r="4" /> })
        .collect_view();
    let marks = plan
        .iter()
        .map(|(x, y)| {
            view! {
                <rect
                    class="trajectory__mark"
                    x=format!("{:.1}", x - 3.0)
                    y=format!("{:.1}", y - 3.0)
                    width="6"
                    height="6"
                />
            }
        })
        .collect_view();
    let table_rows = rows
        .iter()
        .map(|r| {
            view! {
                <tr>
                    <td>{r.on.long()}</td>
                    <td>{r.what}</td>
                    <td class="table__numeric">{format_figure(r.value, &unit)}</td>
                </tr>
            }
        })
        .collect_view();
    let name = target.name.clone();
    view! {
        <figure class="trajectory" data-chart=id>
            <svg
                class="trajectory__chart"
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-label=format!("Trajectory of {name}. {description}")
                focusable="false"
            >
                <line class="trajectory__axis" x1=LEFT.to_string() y1=(HEIGHT - BOTTOM).to_string() x2=(WIDTH - RIGHT).to_string() y2=(HEIGHT - BOTTOM).to_string() />
                <line class="trajectory__axis" x1=LEFT.to_string() y1=TOP.to_string() x2=LEFT.to_string() y2=(HEIGHT - BOTTOM).to_string() />
                <polyline class="trajectory__plan" points=polyline(&plan) />
                <polyline class="trajectory__actual" points=polyline(&actual) />
                {marks}
                {dots}
            </svg>
            <figcaption class="trajectory__key">
                "Dashed line and squares: the trajectory. Solid line and dots: the figures measured."
            </figcaption>
            <details class="details trajectory__table">
                <summary class="details__summary">"Show the chart's figures as a table"</summary>
                <table class="table">
                    <caption class="table__caption">{format!("Trajectory and figures of {}", target.name)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Date"</th>
                            <th scope="col">"Point"</th>
                            <th scope="col" class="table__numeric">"Value"</th>
                        </tr>
                    </thead>
                    <tbody>{table_rows}</tbody>
                </table>
            </details>
        </figure>
    }
    .into_any()
}
