//! Breakdowns of the answers by a question's groups, with small-number suppression: a figure
//! from fewer people than the consultation's threshold is never shown.

use atlas_shared::results::{Breakdown, Cell, Dimension};
use leptos::prelude::*;

use super::ResultsModel;

fn cell_text(c: Cell, threshold: u32) -> String {
    match c {
        Cell::Shown(n) => n.to_string(),
        Cell::Suppressed => format!("fewer than {threshold}"),
    }
}

fn group_label(model: &ResultsModel, dim: &Dimension, key: &str) -> String {
    if key.is_empty() {
        return match dim {
            Dimension::Event => "Not at an event".to_owned(),
            _ => "Not given".to_owned(),
        };
    }
    match dim {
        Dimension::Event => model
            .events
            .iter()
            .find(|(id, _)| id.to_string() == key)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| "An event not on this device".to_owned()),
        Dimension::AboutYou(q) => model
            .questions
            .iter()
            .find(|x| &x.key == q)
            .and_then(|x| x.options().iter().find(|o| o.key == key))
            .map(|o| o.label.clone())
            .unwrap_or_else(|| key.to_owned()),
        _ => key.to_owned(),
    }
}

fn dimension_title(model: &ResultsModel, dim: &Dimension) -> String {
    match dim {
        Dimension::Event => "By event".to_owned(),
        Dimension::Channel => "By channel".to_owned(),
        Dimension::Postcode => "By postcode district".to_owned(),
        Dimension::AboutYou(q) => format!(
            "By answer to “{}”",
            model
                .questions
                .iter()
                .find(|x| &x.key == q)
                .map(|x| x.text.clone())
                .unwrap_or_else(|| q.clone())
        ),
    }
}

fn dimension_key(dim: &Dimension) -> String {
    match dim {
        Dimension::Event => "event".to_owned(),
        Dimension::Channel => "channel".to_owned(),
        Dimension::Postcode => "postcode".to_owned(),
        Dimension::AboutYou(q) => format!("about-{q}"),
    }
}

/// One breakdown as a table: a row per group, a column per option.
fn breakdown_table(model: &ResultsModel, dim: &Dimension, b: &Breakdown) -> impl IntoView + use<> {
    let question = model
        .questions
        .iter()
        .find(|q| q.key == b.question)
        .map(|q| q.text.clone())
        .unwrap_or_default();
    let threshold = model.threshold;
    let rows: Vec<_> = b
        .groups
        .iter()
        .map(|g| {
            let label = group_label(model, dim, &g.key);
            let cells = g
                .cells
                .iter()
                .map(|c| {
                    view! {
                        <td class="table__numeric" data-suppressed=(*c == Cell::Suppressed).then_some("true")>
                            {cell_text(*c, threshold)}
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr data-group=g.key.clone()>
                    <th scope="row">{label}</th>
                    <td class="table__numeric" data-suppressed=(g.size == Cell::Suppressed).then_some("true")>
                        {cell_text(g.size, threshold)}
                    </td>
                    {cells}
                </tr>
            }
        })
        .collect();
    let headers = b
        .options
        .iter()
        .map(|(_, label)| view! { <th scope="col" class="table__numeric">{label.clone()}</th> })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="table breakdown-table" data-question=b.question.clone() data-dimension=dimension_key(dim)>
                <caption class="table__caption">{question}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Group"</th>
                        <th scope="col" class="table__numeric">"Answered"</th>
                        {headers}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The breakdowns section.
pub fn breakdowns(m: &ResultsModel) -> impl IntoView + use<> {
    let threshold = m.threshold;
    let breakdowns = m
        .report
        .breakdowns
        .iter()
        .map(|(dim, tables)| {
            let tables = tables
                .iter()
                .map(|b| breakdown_table(m, dim, b))
                .collect_view();
            view! {
                <details class="details" data-dimension=dimension_key(dim)>
                    <summary class="details__summary">{dimension_title(m, dim)}</summary>
                    <div class="details__text">{tables}</div>
                </details>
            }
        })
        .collect_view();

    view! {
        <section class="section" aria-labelledby="breakdowns-heading">
                <h2 class="heading-m" id="breakdowns-heading">"Breakdowns"</h2>
                <p class="body" id="suppression-note">
                    {format!(
                        "To protect residents' privacy, any figure from fewer than {threshold} people shows as “fewer than {threshold}” and is not revealed, here or on public pages. A group with fewer than {threshold} people who answered is withheld as a whole."
                    )}
                </p>
                {breakdowns}
            </section>
    }
}
