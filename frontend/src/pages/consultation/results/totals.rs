//! The results page's totals: how many answered, by channel and by event.

use atlas_shared::ConsultationEventId;
use atlas_shared::consultation::Channel;
use atlas_shared::export::channel_key;
use leptos::prelude::*;

use super::{ResultsModel, Source};

/// Where the figures come from, in words.
fn lead(m: &ResultsModel) -> String {
    match m.source {
        Source::Answers => "Worked out on this device from the answers it holds; the figures \
                            update as answers from other tablets arrive."
            .to_owned(),
        Source::Published { .. } => format!(
            "Published by the partnership from every answer counted so far, and updated as \
             answers arrive. To protect residents, no group of fewer than {} people is shown \
             in the tables that break answers down.",
            m.threshold
        ),
    }
}

/// What published results leave out, and why: answers waiting for review, and the text of
/// free-text answers. Nothing for a manager's figures, which show both.
pub fn unpublished(m: &ResultsModel) -> Option<impl IntoView + use<>> {
    let Source::Published {
        awaiting_review,
        free_text_answers,
    } = &m.source
    else {
        return None;
    };
    let waiting = (*awaiting_review > 0).then(|| {
        view! {
            <p class="body" id="results-awaiting-review">
                {format!(
                    "{} waiting for the partnership to check them are not counted yet.",
                    crate::pages::count(*awaiting_review as usize, "answer", "answers")
                )}
            </p>
        }
    });
    let items = free_text_answers
        .iter()
        .map(|(text, n)| {
            view! {
                <li data-count=n.to_string()>
                    {format!("{text}: {}", crate::pages::count(*n as usize, "answer", "answers"))}
                </li>
            }
        })
        .collect_view();
    let free_text = (!free_text_answers.is_empty()).then(|| {
        view! {
            <h2 class="heading-m" id="free-text-published-heading">"Answers in residents’ own words"</h2>
            <p class="body">
                "These answers are not published word for word, as they may name people. The \
                 partnership reads every one and reports what residents said on the “you said, \
                 we did” page."
            </p>
            <ul class="list list--bullet" id="free-text-published">{items}</ul>
        }
    });
    Some(view! {
        <div class="section">{waiting}{free_text}</div>
    })
}

/// The heading, and the answers received in total, by channel and by event.
pub fn totals(m: &ResultsModel) -> impl IntoView {
    let summary = &m.report.summary;
    let total = summary.responses;
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

    view! {
        <h1 class="heading-l">{format!("Results: {}", m.title)}</h1>
            <p class="lead" id="results-source">{lead(m)}</p>
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
    }
}
