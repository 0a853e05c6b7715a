//! `/consultations/:id/results`: a consultation's results for staff, computed in the browser
//! from the responses on this device, so the page works offline and updates as answers sync.
//!
//! Totals (by channel and by event), each question's counts and percentages with a bar chart
//! and the data table behind it, the priority ranking with its scoring method in words,
//! breakdowns with small-number suppression, free-text answers with search and moderation,
//! exports (raw answers as CSV and JSON, the summary as CSV), the import of a partner's CSV,
//! and the "you said, we did" findings ([`super::you_said`]).
//!
//! [`ResultsView`] takes plain props (a snapshot signal, the consultation, and `on_save`, which
//! stores records through the outbox), so tests mount it with a hand-built `Snapshot`.

use crate::pages::device::RescueImport;
use atlas_shared::consultation::{Channel, Question, QuestionKind};
use atlas_shared::export::{
    ImportPreview, ImportTarget, channel_key, import_csv, parse_iso_utc, question_columns, raw_csv,
    raw_json, summary_csv,
};
use atlas_shared::results::{Breakdown, Cell, Dimension, Report, report};
use atlas_shared::{
    ConsultationEventId, ConsultationId, Entity, PartnershipId, ResponseId, Snapshot,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::refused::RefusedOnServer;
use super::you_said::FindingsEditor;
use super::{consultation_href, consultations_href, you_said_href};
use crate::components::download::download;
use crate::components::{Breadcrumbs, Crumb, ErrorSummary, FormErrors, gate, set_title};
use crate::data::use_store;
use crate::pages::device::chosen_file_text;
use crate::pages::{count, found, partnership_crumbs, save_all, use_id};

/// Stores records through the outbox, one after another (the page passes the store; tests
/// pass a recorder).
pub type SaveRecords = Callback<Vec<(Uuid, Entity)>>;

/// One free-text answer, as the moderation list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct FreeTextAnswer {
    pub id: ResponseId,
    pub text: String,
    pub hidden: bool,
}

/// Everything the page shows, computed once per change to the snapshot.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultsModel {
    pub title: String,
    pub partnership: PartnershipId,
    pub threshold: u32,
    /// The questions of every version (the current version's first).
    pub questions: Vec<Question>,
    pub report: Report,
    pub events: Vec<(ConsultationEventId, String)>,
    /// Per free-text question (key, text), its answers in capture order.
    pub free_text: Vec<(String, String, Vec<FreeTextAnswer>)>,
    /// Answers the server stored for review (they did not match their questionnaire version,
    /// or their event was deleted), left out of the figures until a manager counts them.
    pub for_review: Vec<ReviewItem>,
}

/// An answer waiting for a manager: which version it answered and what did not match.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewItem {
    pub id: ResponseId,
    pub version: u32,
    pub channel: Channel,
    pub notes: Vec<String>,
}

/// The page's figures from the snapshot: [`report`] over the consultation's responses, with
/// the consultation's suppression threshold.
pub fn results_model(s: &Snapshot, c: ConsultationId) -> Option<ResultsModel> {
    let consultation = s.consultations.get(&c)?;
    let versions = s.questionnaire_versions_of(c);
    let questions: Vec<Question> = question_columns(&versions).into_iter().cloned().collect();
    let all = s.responses_of(c);
    let for_review = all
        .iter()
        .filter(|(_, r)| !r.is_counted())
        .map(|(id, r)| ReviewItem {
            id: *id,
            version: s
                .questionnaires
                .get(&r.questionnaire_id)
                .map_or(0, |q| q.version),
            channel: r.channel,
            notes: r.review.iter().map(|n| n.message.clone()).collect(),
        })
        .collect();
    let responses: Vec<_> = all.into_iter().filter(|(_, r)| r.is_counted()).collect();
    let report = report(
        &questions,
        responses.iter().map(|(_, r)| *r),
        consultation.suppression_threshold,
    );
    let free_text = questions
        .iter()
        .filter(|q| matches!(q.kind, QuestionKind::FreeText { .. }))
        .map(|q| {
            let answers = responses
                .iter()
                .filter_map(|(id, r)| match r.answers.get(&q.key) {
                    Some(atlas_shared::consultation::AnswerValue::Text(t))
                        if !t.trim().is_empty() =>
                    {
                        Some(FreeTextAnswer {
                            id: *id,
                            text: t.clone(),
                            hidden: r.hidden,
                        })
                    }
                    _ => None,
                })
                .collect();
            (q.key.clone(), q.text.clone(), answers)
        })
        .collect();
    Some(ResultsModel {
        title: consultation.title.clone(),
        partnership: consultation.partnership_id,
        threshold: consultation.suppression_threshold,
        questions,
        report,
        events: s
            .events_of(c)
            .into_iter()
            .map(|(id, e)| (id, e.name.clone()))
            .collect(),
        free_text,
        for_review,
    })
}

/// "We Are Redditch" → "we-are-redditch", for file names.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "consultation".to_owned()
    } else {
        out
    }
}

/// The scoring method in plain words, for a ranking of the top `top_n`.
pub fn borda_explanation(top_n: u8) -> String {
    let ordinals = [
        "1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th",
    ];
    let n = usize::from(top_n);
    let parts: Vec<String> = (0..n)
        .map(|i| {
            let points = n - i;
            let ordinal = ordinals
                .get(i)
                .map(|s| (*s).to_owned())
                .unwrap_or_else(|| format!("{}th", i + 1));
            format!(
                "a {ordinal} choice earns {points} {}",
                if points == 1 { "point" } else { "points" }
            )
        })
        .collect();
    format!(
        "Each person chose up to {n} priorities in order. Points are added up for each priority: {}. \
         Priorities a person did not choose earn nothing from them. Someone who chose fewer than {n} \
         gives their choices the same points as everyone else, so a first choice is always worth {n}. \
         Priorities with equal points are ordered by how many people put them first, then alphabetically.",
        parts.join(", ")
    )
}

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
fn breakdown_table(model: &ResultsModel, dim: &Dimension, b: &Breakdown) -> impl IntoView {
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

fn percent_text(p: f64) -> String {
    format!("{p:.1}%")
}

/// The results view: everything on the page below the breadcrumbs.
#[component]
pub fn ResultsView(
    #[prop(into)] snapshot: Signal<Snapshot>,
    consultation: ConsultationId,
    /// Stores records through the outbox (moderation, imports, findings).
    on_save: SaveRecords,
) -> impl IntoView {
    let model = Memo::new(move |_| snapshot.with(|s| results_model(s, consultation)));
    let export_error = RwSignal::new(None::<String>);

    let toggle_hidden = move |id: ResponseId| {
        let Some(mut r) = snapshot.with_untracked(|s| s.responses.get(&id).cloned()) else {
            return;
        };
        r.hidden = !r.hidden;
        on_save.run(vec![(id.0, Entity::Response(r))]);
    };

    let export = move |what: &'static str| {
        let (name, mime, contents) = snapshot.with_untracked(|s| {
            let title = s
                .consultations
                .get(&consultation)
                .map(|c| slug(&c.title))
                .unwrap_or_default();
            let versions = s.questionnaire_versions_of(consultation);
            let responses = s.responses_of(consultation);
            match what {
                "json" => (
                    format!("{title}-answers.json"),
                    "application/json",
                    raw_json(&versions, &responses),
                ),
                "summary" => {
                    let m = model.get_untracked();
                    let questions = m.map(|m| (m.questions, m.report.summary));
                    let text = questions
                        .map(|(q, summary)| summary_csv(&q, &summary))
                        .unwrap_or_default();
                    (format!("{title}-summary.csv"), "text/csv", text)
                }
                _ => (
                    format!("{title}-answers.csv"),
                    "text/csv",
                    raw_csv(&versions, &responses),
                ),
            }
        });
        export_error.set(
            download(&name, mime, &contents)
                .err()
                .map(|e| format!("The file could not be saved: {e}.")),
        );
    };

    let count_answer = move |id: ResponseId| {
        let Some(mut r) = snapshot.with_untracked(|s| s.responses.get(&id).cloned()) else {
            return;
        };
        r.accepted = true;
        on_save.run(vec![(id.0, Entity::Response(r))]);
    };
    let review = move || {
        let items = model.with(|m| m.as_ref().map(|m| m.for_review.clone()).unwrap_or_default());
        (!items.is_empty()).then(|| {
            let n = items.len();
            let rows = items
                .into_iter()
                .map(|item| {
                    let id = item.id;
                    view! {
                        <li class="review-answer" data-response=id.0.to_string()>
                            <p class="body">
                                {format!("An answer to version {} ({}):", item.version, item.channel.label())}
                            </p>
                            <ul class="list list--bullet">
                                {item.notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                            </ul>
                            <button type="button" class="button button--secondary button--small review-answer__count" on:click=move |_| count_answer(id)>
                                "Count this answer"
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="section" aria-labelledby="review-heading" id="answers-to-check">
                    <h2 class="heading-m" id="review-heading">{format!("Answers to check ({n})")}</h2>
                    <p class="body">
                        "These answers arrived after their questionnaire changed, or after their event was deleted. Nothing was thrown away: each is kept, tied to the version the resident answered, and left out of the figures above until you count it."
                    </p>
                    <ul class="list review-answers">{rows}</ul>
                </section>
            }
        })
    };

    let main = move || {
        let Some(m) = model.get() else {
            return view! { <p class="body">"This consultation is not on this device."</p> }
                .into_any();
        };
        let summary = &m.report.summary;
        let total = summary.responses;
        let threshold = m.threshold;

        let channel_rows = Channel::ALL
            .iter()
            .map(|c| {
                let n = summary.by_channel.get(c).copied().unwrap_or(0);
                view! {
                    <tr data-channel=channel_key(*c) data-count=n.to_string()>
                        <th scope="row">{c.label()}</th>
                        <td class="table__numeric">{n}</td>
                    </tr>
                }
            })
            .collect_view();
        let mut event_list: Vec<(Option<ConsultationEventId>, String)> = m
            .events
            .iter()
            .map(|(id, name)| (Some(*id), name.clone()))
            .collect();
        event_list.push((
            None,
            "Not at an event (online, or paper from elsewhere)".to_owned(),
        ));
        let event_rows = event_list
            .into_iter()
            .map(|(id, name)| {
                let n = summary.by_event.get(&id).copied().unwrap_or(0);
                view! {
                    <tr data-event=id.map(|e| e.to_string()).unwrap_or_default() data-count=n.to_string()>
                        <th scope="row">{name}</th>
                        <td class="table__numeric">{n}</td>
                    </tr>
                }
            })
            .collect_view();

        // The ranking (the first ranking question).
        let ranking = m.questions.iter().find_map(|q| match q.kind {
            QuestionKind::RankPriorities { top_n, .. } => summary
                .questions
                .iter()
                .find(|t| t.key == q.key)
                .map(|t| (q.clone(), top_n, t.clone())),
            _ => None,
        });
        let ranking_view = ranking.map(|(q, top_n, t)| {
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
        });

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

        let breakdowns = m
            .report
            .breakdowns
            .iter()
            .map(|(dim, tables)| {
                let tables = tables
                    .iter()
                    .map(|b| breakdown_table(&m, dim, b))
                    .collect_view();
                view! {
                    <details class="details" data-dimension=dimension_key(dim)>
                        <summary class="details__summary">{dimension_title(&m, dim)}</summary>
                        <div class="details__text">{tables}</div>
                    </details>
                }
            })
            .collect_view();

        view! {
            <h1 class="heading-l">{format!("Results: {}", m.title)}</h1>
            <p class="lead">
                "Worked out on this device from the answers it holds; the figures update as answers from other tablets arrive."
            </p>
            <section class="section" aria-labelledby="totals-heading">
                <h2 class="heading-m" id="totals-heading">"Answers received"</h2>
                <p class="body results-total" id="results-total" data-count=total.to_string()>
                    <strong class="results-total__number">{total}</strong>
                    {if total == 1 { " response in total." } else { " responses in total." }}
                </p>
                <div class="results-subtotals">
                    <table class="table" id="results-by-channel">
                        <caption class="table__caption">"By how the answers were given"</caption>
                        <thead><tr><th scope="col">"Channel"</th><th scope="col" class="table__numeric">"Responses"</th></tr></thead>
                        <tbody>{channel_rows}</tbody>
                    </table>
                    <table class="table" id="results-by-event">
                        <caption class="table__caption">"By event"</caption>
                        <thead><tr><th scope="col">"Event"</th><th scope="col" class="table__numeric">"Responses"</th></tr></thead>
                        <tbody>{event_rows}</tbody>
                    </table>
                </div>
            </section>
            {ranking_view}
            <section class="section" aria-labelledby="questions-heading">
                <h2 class="heading-m" id="questions-heading">"Answers to each question"</h2>
                <p class="body">"Percentages are of the people who answered that question."</p>
                {question_views}
            </section>
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
        .into_any()
    };
    let free_text = Memo::new(move |_| {
        model.with(|m| m.as_ref().map(|m| m.free_text.clone()).unwrap_or_default())
    });
    let found = Memo::new(move |_| model.with(Option::is_some));
    let on_toggle = Callback::new(toggle_hidden);
    // `main` is drawn afresh whenever an answer arrives; the free-text list (its search box,
    // its buttons) and the forms stay outside it, so what is typed and where the keyboard is
    // survive answers arriving and a moderator's hiding.
    view! {
        {main}
        {review}
        <Show when=move || found.get()>
            <FreeTextAnswers free_text=free_text on_toggle=on_toggle />
            <section class="section" aria-labelledby="export-heading">
                <h2 class="heading-m" id="export-heading">"Download the results"</h2>
                <p class="body">"Free text hidden by a moderator is left out of every download."</p>
                {move || export_error.get().map(|e| view! { <p class="error-message" role="alert">{e}</p> })}
                <div class="button-group">
                    <button type="button" class="button button--secondary" id="export-raw-csv" on:click=move |_| export("csv")>
                        "Download every answer (CSV)"
                    </button>
                    <button type="button" class="button button--secondary" id="export-raw-json" on:click=move |_| export("json")>
                        "Download every answer (JSON)"
                    </button>
                    <button type="button" class="button button--secondary" id="export-summary-csv" on:click=move |_| export("summary")>
                        "Download the summary (CSV)"
                    </button>
                </div>
            </section>
        </Show>
        <ImportForm snapshot=snapshot consultation=consultation on_save=on_save />
        <FindingsEditor snapshot=snapshot consultation=consultation on_save=on_save />
    }
}

/// "What people wrote": each free-text question's answers, a search across them, and a
/// moderator's hide/show button on each. Items are keyed by response, so an answer arriving or
/// one being hidden changes only its own row: the search box keeps its text and focus, and the
/// button just pressed keeps the keyboard.
#[component]
fn FreeTextAnswers(
    free_text: Memo<Vec<(String, String, Vec<FreeTextAnswer>)>>,
    /// Hides a shown answer, shows a hidden one.
    on_toggle: Callback<ResponseId>,
) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let any = Memo::new(move |_| free_text.with(|f| !f.is_empty()));
    let hidden = Memo::new(move |_| {
        free_text.with(|f| {
            f.iter()
                .flat_map(|(_, _, answers)| answers.iter().map(|a| (a.id, a.hidden)))
                .collect::<std::collections::HashMap<_, _>>()
        })
    });
    let questions = move || {
        free_text.with(|f| {
            f.iter()
                .map(|(key, text, _)| (key.clone(), text.clone()))
                .collect::<Vec<_>>()
        })
    };
    let question = move |(key, text): (String, String)| {
        let matching = {
            let key = key.clone();
            move || {
                let needle = search.get().trim().to_lowercase();
                free_text.with(|f| {
                    f.iter()
                        .filter(|(k, _, _)| *k == key)
                        .flat_map(|(_, _, answers)| answers.iter())
                        .filter(|a| {
                            needle.is_empty()
                                || (!a.hidden && a.text.to_lowercase().contains(&needle))
                        })
                        .map(|a| (a.id, a.text.clone()))
                        .collect::<Vec<_>>()
                })
            }
        };
        let none = {
            let matching = matching.clone();
            move || matching().is_empty()
        };
        let item = move |(id, words): (ResponseId, String)| {
            let is_hidden = move || hidden.with(|h| h.get(&id).copied().unwrap_or_default());
            view! {
                <li class="free-text__item" data-response-id=id.to_string()
                    data-hidden=move || is_hidden().to_string()>
                    {move || if is_hidden() {
                        view! { <p class="free-text__hidden">"Hidden by a moderator: it contains personal data. It is still counted, and never shown on public pages."</p> }.into_any()
                    } else {
                        view! { <p class="free-text__text">{words.clone()}</p> }.into_any()
                    }}
                    <button type="button" class="button button--secondary free-text__toggle"
                        on:click=move |_| on_toggle.run(id)>
                        {move || if is_hidden() { "Show" } else { "Hide (contains personal data)" }}
                    </button>
                </li>
            }
        };
        view! {
            <div class="free-text" data-question=key>
                <h3 class="heading-s">{text}</h3>
                <ul class="free-text__list">
                    <For each=matching key=|(id, _)| *id children=item />
                    <Show when=none>
                        <li class="free-text__none">"No answers match."</li>
                    </Show>
                </ul>
            </div>
        }
    };
    view! {
        <Show when=move || any.get()>
            <section class="section" aria-labelledby="free-text-heading">
                <h2 class="heading-m" id="free-text-heading">"What people wrote"</h2>
                <p class="body">
                    "Hide an answer that contains personal data (a name, a phone number, an address). A hidden answer is still counted but its words are never shown on public pages or in exports."
                </p>
                <div class="form-group">
                    <label class="label" for="free-text-search">"Search the answers"</label>
                    <input class="input" id="free-text-search" type="search"
                        prop:value=move || search.get()
                        on:input=move |ev| search.set(event_target_value(&ev)) />
                </div>
                <For each=questions key=|q| q.clone() children=question />
            </section>
        </Show>
    }
}

/// What a chosen file would add, with the rows already on this device set apart.
#[derive(Clone, Debug, Default, PartialEq)]
struct Checked {
    preview: ImportPreview,
    /// The file's answers that could be imported (its good rows), here already or not.
    answers: usize,
    /// Of those, the ones whose response is already on this device: not added again.
    already: usize,
}

/// How many of a file's answers this device already holds: "12 of these 40 answers are
/// already here; importing again adds nothing for them."
fn already_here(already: usize, answers: usize) -> String {
    match (already, answers) {
        (1, 1) => "This answer is already here; importing again adds nothing for it.".to_owned(),
        (n, total) if n == total => format!(
            "All {total} of these answers are already here; importing again adds nothing for them."
        ),
        (1, total) => format!(
            "1 of these {total} answers is already here; importing again adds nothing for it."
        ),
        (n, total) => format!(
            "{n} of these {total} answers are already here; importing again adds nothing for them."
        ),
    }
}

fn check_file(s: &Snapshot, c: ConsultationId, text: &str) -> Result<Checked, String> {
    let consultation = s
        .consultations
        .get(&c)
        .ok_or("The consultation is not on this device")?;
    let versions = s.questionnaire_versions_of(c);
    let (default_version, _) = versions
        .last()
        .copied()
        .ok_or("This consultation has no questionnaire yet: make one before importing answers")?;
    // Rows without a time are dated the consultation's closing (or opening) date, so the same
    // file always makes the same responses.
    let default_captured_at = consultation
        .closes_on
        .as_deref()
        .or(consultation.opens_on.as_deref())
        .and_then(parse_iso_utc)
        .unwrap_or(0);
    let target = ImportTarget {
        partnership_id: consultation.partnership_id,
        consultation_id: c,
        versions: versions.clone(),
        default_version,
        events: s.events_of(c),
        default_captured_at,
    };
    let mut preview = import_csv(text, &target)?;
    let answers = preview.rows.len();
    preview.rows.retain(|r| !s.responses.contains_key(&r.id));
    Ok(Checked {
        answers,
        already: answers - preview.rows.len(),
        preview,
    })
}

/// The import of a partner organisation's results: choose a file, check the preview, import.
#[component]
pub fn ImportForm(
    #[prop(into)] snapshot: Signal<Snapshot>,
    consultation: ConsultationId,
    on_save: SaveRecords,
) -> impl IntoView {
    let checked = RwSignal::new(None::<Checked>);
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        spawn_local(async move {
            let outcome = match chosen_file_text("import-file", "Choose a CSV file to import").await
            {
                Ok(text) => snapshot.with_untracked(|s| check_file(s, consultation, &text)),
                Err(e) => Err(e),
            };
            match outcome {
                Ok(c) => {
                    problem.set(None);
                    checked.set(Some(c));
                }
                Err(e) => {
                    checked.set(None);
                    problem.set(Some(e));
                }
            }
        });
    };
    let confirm = move |_| {
        let Some(c) = checked.get_untracked() else {
            return;
        };
        let records: Vec<(Uuid, Entity)> = c
            .preview
            .rows
            .into_iter()
            .map(|r| (r.id.0, Entity::Response(r.response)))
            .collect();
        let n = records.len();
        on_save.run(records);
        checked.set(None);
        done.set(Some(format!(
            "Added {} to this device. They are sent with its other changes.",
            count(n, "answer", "answers")
        )));
    };
    view! {
        <section class="section" aria-labelledby="import-heading">
            <h2 class="heading-m" id="import-heading">"Import a partner's results"</h2>
            <p class="body">
                "A CSV file with a row of column names, then one row per person. Name the columns as a download of every answer does: one per question, headed by the question's key. Optional columns: response_id, captured_at, channel (paper if not given), event, questionnaire_version and device_id. Importing the same file again adds nothing new."
            </p>
            <form novalidate on:submit=check>
                <div class="form-group" class:form-group--error=move || problem.with(Option::is_some)>
                    <label class="label" for="import-file">"CSV file"</label>
                    {move || problem.get().map(|m| view! {
                        <p class="error-message" id="import-file-error">
                            <span class="visually-hidden">"Error: "</span>{m}
                        </p>
                    })}
                    <input class="file-upload" id="import-file" name="import-file" type="file" accept=".csv,text/csv" />
                </div>
                <button type="submit" class="button button--secondary" id="import-check">"Check the file"</button>
            </form>
            {move || done.get().map(|m| view! { <p class="body import-result" role="status">{m}</p> })}
            {move || checked.get().map(|c| {
                let n = c.preview.rows.len();
                let errors = c.preview.errors.clone();
                let rows = c.preview.rows.iter().map(|r| {
                    let answers = r.response.answers.iter()
                        .map(|(k, a)| format!("{k}: {}", atlas_shared::export::answer_cell(a, r.response.hidden)))
                        .collect::<Vec<_>>()
                        .join("; ");
                    view! {
                        <tr data-row=r.row.to_string()>
                            <td class="table__numeric">{r.row}</td>
                            <td>{r.response.channel.label()}</td>
                            <td>{answers}</td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <div class="import-preview" id="import-preview" data-valid=n.to_string() data-errors=errors.len().to_string()>
                        <h3 class="heading-s">"What the file would add"</h3>
                        {(c.already > 0).then(|| view! {
                            <p class="body" id="import-already">
                                {already_here(c.already, c.answers)}
                            </p>
                        })}
                        {(!errors.is_empty()).then(|| view! {
                            <div class="import-errors" role="alert">
                                <h4 class="heading-s">{format!("{} will not be imported", count(errors.len(), "problem means a row", "problems mean rows"))}</h4>
                                <ul class="list" id="import-errors">
                                    {errors.iter().map(|e| view! { <li data-row=e.row.to_string()>{e.message.clone()}</li> }).collect_view()}
                                </ul>
                            </div>
                        })}
                        {(n > 0).then(|| view! {
                            <div class="table-scroll">
                                <table class="table" id="import-rows">
                                    <caption class="table__caption">"Rows to add"</caption>
                                    <thead><tr><th scope="col" class="table__numeric">"Row"</th><th scope="col">"Channel"</th><th scope="col">"Answers"</th></tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            </div>
                        })}
                        {if n > 0 {
                            view! {
                                <button type="button" class="button" id="import-confirm" on:click=confirm>
                                    {format!("Import {}", count(n, "answer", "answers"))}
                                </button>
                            }.into_any()
                        } else {
                            view! { <p class="body">"There is nothing new to import."</p> }.into_any()
                        }}
                    </div>
                }
            })}
        </section>
    }
}

/// `/consultations/:id/results`
#[component]
pub fn ResultsPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<ConsultationId>("id"), snapshot, |s, id| {
        s.consultations.contains_key(id)
    });
    let errors = RwSignal::new(FormErrors::default());
    let on_save: SaveRecords = Callback::new(move |records: Vec<(Uuid, Entity)>| {
        save_all(store, records, errors, |_| {});
    });
    set_title(move || {
        let title = id
            .get()
            .and_then(|c| snapshot.with(|s| s.consultations.get(&c).map(|x| x.title.clone())))
            .unwrap_or_default();
        vec!["Results".to_owned(), title]
    });
    gate(store.ready(), id, "consultation", move |c| {
        let crumbs = Signal::derive(move || {
            snapshot.with(|s| {
                let Some(consultation) = s.consultations.get(&c) else {
                    return Vec::new();
                };
                let p = consultation.partnership_id;
                let mut crumbs = partnership_crumbs(s, p);
                crumbs.push(Crumb::link("Consultations", consultations_href(p)));
                crumbs.push(Crumb::link(
                    consultation.title.clone(),
                    consultation_href(c),
                ));
                crumbs.push(Crumb::here("Results"));
                crumbs
            })
        });
        view! {
            <Breadcrumbs crumbs=crumbs />
            <ErrorSummary errors=errors />
            <ResultsView snapshot=snapshot consultation=c on_save=on_save />
            // Read from the server, so it sits beside the props-only view too.
            <RefusedOnServer consultation=c />
            // Reads and writes the store itself, so it sits beside the props-only view.
            <RescueImport />
            <p class="body">
                <a class="link" href=you_said_href(c)>"See the public “you said, we did” page"</a>
            </p>
        }
    })
}
