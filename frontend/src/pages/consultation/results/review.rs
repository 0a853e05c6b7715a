//! "Answers to check": answers that arrived after their questionnaire changed or their event
//! was deleted, kept and left out of the figures until a manager counts them.

use atlas_shared::{Draft, ResponseId, Snapshot};
use leptos::prelude::*;

use super::{ResultsModel, SaveRecords};

/// The answers to check, each with its notes and a button that counts it; nothing when there
/// are none.
#[component]
pub fn AnswersToCheck(
    #[prop(into)] snapshot: Signal<Snapshot>,
    model: Memo<Option<ResultsModel>>,
    on_save: SaveRecords,
) -> impl IntoView {
    let count_answer = move |id: ResponseId| {
        let Some(mut r) = snapshot.with_untracked(|s| s.responses.get(&id).cloned()) else {
            return;
        };
        r.accepted = true;
        on_save.run(vec![(id.0, Draft::of(r))]);
    };
    move || {
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
    }
}
