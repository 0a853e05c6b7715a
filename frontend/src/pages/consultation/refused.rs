//! On the results page: the answers to this consultation that reached the server but that it
//! could not store as they came (an app newer than the server, a record of the consultation
//! deleted meanwhile). The server keeps each (as the tablet that took it does); a manager
//! reads the answers and the reason, and counts one with a tap. Read from the server, so the
//! list needs the network; offline the section says so instead of claiming there are none.

use atlas_shared::attention::RefusedAnswer;
use atlas_shared::consultation::Questionnaire;
use atlas_shared::{ConsultationId, MutationId, QuestionnaireId};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::sync_status::clock_time;
use crate::data::api::{self, ApiError};
use crate::data::use_store;
use atlas_shared::date::MONTHS;

#[derive(Clone, Debug, PartialEq)]
enum Listing {
    Loading,
    Unreachable,
    Failed(String),
    Loaded(Vec<RefusedAnswer>),
}

/// "14 March 2010, 10:05", in the device's time zone.
fn when(ms: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let month = MONTHS
        .get(date.get_month() as usize)
        .copied()
        .unwrap_or_default();
    format!(
        "{} {month} {}, {}",
        date.get_date(),
        date.get_full_year(),
        clock_time(ms as f64)
    )
}

/// A question's text and its answer's parts in words, from any of the consultation's
/// `versions` this device holds (an option's label for its key); else the key and the parts as
/// sent.
fn in_words(
    versions: &[(QuestionnaireId, &Questionnaire)],
    key: &str,
    parts: Vec<String>,
) -> (String, String) {
    let Some(q) = versions
        .iter()
        .flat_map(|v| v.1.questions.iter())
        .find(|q| q.key == key)
    else {
        return (key.to_owned(), parts.join(", "));
    };
    let words: Vec<String> = parts
        .into_iter()
        .map(|part| {
            q.options()
                .iter()
                .find(|o| o.key == part)
                .map_or(part, |o| o.label.clone())
        })
        .collect();
    (q.text.clone(), words.join(", "))
}

#[component]
pub fn RefusedOnServer(consultation: ConsultationId) -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let listing = RwSignal::new(Listing::Loading);
    // Per answer (by mutation id): why counting it failed, or what was left out when it was.
    let outcome = RwSignal::new(Vec::<(MutationId, String)>::new());
    let counting = RwSignal::new(None::<MutationId>);

    let load = move || {
        spawn_local(async move {
            let next = match api::refused().await {
                Ok(list) => Listing::Loaded(
                    list.answers
                        .into_iter()
                        .filter(|a| a.consultation_id() == Some(consultation.0))
                        .collect(),
                ),
                Err(ApiError::Unreachable) => Listing::Unreachable,
                Err(e) => Listing::Failed(e.describe()),
            };
            listing.set(next);
        });
    };
    load();

    let count = move |id: MutationId| {
        counting.set(Some(id));
        spawn_local(async move {
            let said = match api::count_refused(id).await {
                Ok(counted) => {
                    listing.update(|l| {
                        if let Listing::Loaded(list) = l {
                            list.retain(|a| a.change.mutation.id != id);
                        }
                    });
                    // The stored answer reaches this device (and the figures) with the pull.
                    store.sync_now();
                    if counted.left_out.is_empty() {
                        None
                    } else {
                        Some(format!(
                            "Counted. It carried {} that this server does not keep ({}), and those were left out.",
                            if counted.left_out.len() == 1 { "a field" } else { "fields" },
                            counted.left_out.join(", ")
                        ))
                    }
                }
                Err(ApiError::Unreachable) => Some(
                    "Can't reach the server, so the answer was not counted. Try again when this device is online."
                        .to_owned(),
                ),
                Err(ApiError::Refused { body, .. }) => Some(body.error),
                Err(e) => Some(e.describe()),
            };
            counting.set(None);
            outcome.update(|o| {
                o.retain(|(m, _)| *m != id);
                if let Some(text) = said {
                    o.push((id, text));
                }
            });
        });
    };

    let item = move |answer: RefusedAnswer| {
        let id = answer.change.mutation.id;
        let answers = snapshot.with_untracked(|s| {
            let versions = s.questionnaire_versions_of(consultation);
            answer
                .answers()
                .into_iter()
                .map(|(key, parts)| in_words(&versions, &key, parts))
                .collect::<Vec<_>>()
        });
        let captured = answer.captured_at().filter(|ms| *ms > 0).map_or_else(
            || "An answer".to_owned(),
            |ms| format!("An answer taken {}", when(ms)),
        );
        let said = move || {
            outcome.with(|o| {
                o.iter()
                    .find(|(m, _)| *m == id)
                    .map(|(_, text)| view! { <p class="body refused-answer__said" role="status">{text.clone()}</p> })
            })
        };
        view! {
            <li class="review-answer refused-answer" data-mutation=id.0.to_string()>
                <p class="body">
                    {format!("{captured}: {}.", answer.change.reason())}
                </p>
                <dl class="summary-list">
                    {answers
                        .into_iter()
                        .map(|(q, a)| view! {
                            <div class="summary-list__row">
                                <dt class="summary-list__key">{q}</dt>
                                <dd class="summary-list__value">{a}</dd>
                            </div>
                        })
                        .collect_view()}
                </dl>
                {said}
                <button
                    type="button"
                    class="button button--secondary button--small refused-answer__count"
                    disabled=move || counting.get().is_some()
                    on:click=move |_| count(id)
                >
                    "Count this answer"
                </button>
            </li>
        }
    };

    move || match listing.get() {
        Listing::Loading => ().into_any(),
        Listing::Loaded(list) if list.is_empty() => ().into_any(),
        Listing::Unreachable => view! {
            <p class="body hint" id="refused-answers-offline">
                "Answers the server could not store are listed here when this device is online."
            </p>
        }
        .into_any(),
        Listing::Failed(why) => view! {
            <p class="body hint" id="refused-answers-offline">
                {format!("The answers the server could not store cannot be listed just now: {why}")}
            </p>
        }
        .into_any(),
        Listing::Loaded(list) => {
            let n = list.len();
            view! {
                <section class="section" aria-labelledby="refused-heading" id="refused-answers" data-count=n.to_string()>
                    <h2 class="heading-m" id="refused-heading">
                        {format!("Answers the server could not store ({n})")}
                    </h2>
                    <p class="body">
                        "These answers reached the server, but it could not store them as they came: sent by an app newer than the server, say, or after something they belong to was deleted. Each is kept, on the server and on the tablet that took it. Read it, and count it if it belongs in the results; it is then marked as counted by a manager."
                    </p>
                    <ul class="list review-answers">
                        {list.into_iter().map(item).collect_view()}
                    </ul>
                </section>
            }
            .into_any()
        }
    }
}
