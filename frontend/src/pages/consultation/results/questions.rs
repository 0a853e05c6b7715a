//! Each question's answers: the priority ranking (with its scoring method in words) and every
//! question's counts and percentages, each as a bar chart with the data table behind it.

use atlas_shared::consultation::QuestionKind;
use leptos::prelude::*;

use super::{ResultsModel, borda_explanation};
use crate::pages::count;

/// A horizontal bar chart. Accessible: `role="img"` with the figures in its label; the data
/// table follows it on the page.
#[component]
pub fn BarChart(
    /// What the chart shows, for its text alternative ("Priorities by points").
    #[prop(into)]
    title: String,
    /// Label, value, and the value as text ("12 points").
    bars: Vec<(String, f64, String)>,
) -> impl IntoView {
    let row = 32.0;
    let height = (bars.len() as f64 * row).max(row);
    let max = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max);
    let alt = format!(
        "Bar chart, {title}: {}",
        bars.iter()
            .map(|(l, _, t)| format!("{l} {t}"))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let alt_title = alt.clone();
    let label_width = 230.0;
    let bar_width = 260.0;
    view! {
        <svg
            class="bar-chart"
            role="img"
            aria-label=alt
            viewBox=format!("0 0 600 {height}")
            preserveAspectRatio="xMinYMin meet"
        >
            <title>{alt_title}</title>
            {bars
                .into_iter()
                .enumerate()
                .map(|(i, (label, value, text))| {
                    let y = i as f64 * row;
                    let w = if max > 0.0 { value / max * bar_width } else { 0.0 };
                    view! {
                        <g aria-hidden="true">
                            <text class="bar-chart__label" x="0" y=y + 21.0>{label}</text>
                            <rect class="bar-chart__bar" x=label_width y=y + 6.0 width=w height="20"></rect>
                            <text class="bar-chart__value" x=label_width + w + 8.0 y=y + 21.0>{text}</text>
                        </g>
                    }
                })
                .collect_view()}
        </svg>
    }
}

fn percent_text(p: f64) -> String {
    format!("{p:.1}%")
}

/// The priority ranking (the first ranking question), when there is one.
pub fn ranking(m: &ResultsModel) -> Option<impl IntoView + use<>> {
    let summary = &m.report.summary;
    let ranking = m.questions.iter().find_map(|q| match q.kind {
        QuestionKind::RankPriorities { top_n, .. } => summary
            .questions
            .iter()
            .find(|t| t.key == q.key)
            .map(|t| (q.clone(), top_n, t.clone())),
        _ => None,
    });
    ranking.map(|(q, top_n, t)| {
        let bars = t
            .options
            .iter()
            .map(|o| (o.label.clone(), f64::from(o.points), format!("{} points", o.points)))
            .collect();
        let items = t
            .options
            .iter()
            .map(|o| {
                view! {
                    <li class="ranked-list__item" data-option-key=o.key.clone() data-points=o.points.to_string()>
                        <strong>{o.label.clone()}</strong>
                        {format!(
                            ": {} points; chosen by {} ({}), first choice of {}",
                            o.points,
                            count(o.count as usize, "person", "people"),
                            percent_text(o.percent),
                            o.first
                        )}
                    </li>
                }
            })
            .collect_view();
        let rows = t
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                view! {
                    <tr>
                        <td class="table__numeric">{i + 1}</td>
                        <th scope="row">{o.label.clone()}</th>
                        <td class="table__numeric">{o.points}</td>
                        <td class="table__numeric">{o.first}</td>
                        <td class="table__numeric">{o.count}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section class="section" aria-labelledby="ranking-heading">
                <h2 class="heading-m" id="ranking-heading">"Priorities, ranked"</h2>
                <p class="body">{q.text.clone()} " " {format!("({} answered.)", count(t.answered as usize, "person", "people"))}</p>
                <p class="body ranking__method" id="ranking-method">{borda_explanation(top_n)}</p>
                <ol class="ranked-list" id="results-ranking">{items}</ol>
                <BarChart title="priorities by points" bars=bars />
                <table class="table chart-data" data-chart="ranking">
                    <caption class="table__caption">"The ranking as a table"</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="table__numeric">"Place"</th>
                            <th scope="col">"Priority"</th>
                            <th scope="col" class="table__numeric">"Points"</th>
                            <th scope="col" class="table__numeric">"First choices"</th>
                            <th scope="col" class="table__numeric">"Chosen by"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        }
    })
}

/// Every question's answers.
pub fn questions(m: &ResultsModel) -> impl IntoView + use<> {
    let summary = &m.report.summary;
    let question_views = m
        .questions
        .iter()
        .zip(summary.questions.iter())
        .map(|(q, t)| {
            let answered = format!("{} answered.", count(t.answered as usize, "person", "people"));
            let body = if t.options.is_empty() {
                None
            } else {
                let bars = t
                    .options
                    .iter()
                    .map(|o| (o.label.clone(), f64::from(o.count), format!("{} ({})", o.count, percent_text(o.percent))))
                    .collect();
                let rows = t
                    .options
                    .iter()
                    .map(|o| view! {
                        <tr data-option-key=o.key.clone() data-count=o.count.to_string()>
                            <th scope="row">{o.label.clone()}</th>
                            <td class="table__numeric">{o.count}</td>
                            <td class="table__numeric">{percent_text(o.percent)}</td>
                        </tr>
                    })
                    .collect_view();
                Some(view! {
                    <BarChart title=q.text.clone() bars=bars />
                    <table class="table chart-data" data-chart=q.key.clone()>
                        <caption class="table__caption">{format!("The answers to “{}” as a table", q.text)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Answer"</th>
                                <th scope="col" class="table__numeric">"People"</th>
                                <th scope="col" class="table__numeric">"Percentage of those who answered"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                })
            };
            view! {
                <div class="question-result" data-question=q.key.clone()>
                    <h3 class="heading-s">{q.text.clone()}</h3>
                    <p class="body">{answered}</p>
                    {body}
                </div>
            }
        })
        .collect_view();

    view! {
        <section class="section" aria-labelledby="questions-heading">
                <h2 class="heading-m" id="questions-heading">"Answers to each question"</h2>
                <p class="body">"Percentages are of the people who answered that question."</p>
                {question_views}
            </section>
    }
}
