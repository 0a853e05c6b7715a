//! "What people wrote": free-text answers with a search and a moderator's hide/show.

use atlas_shared::text::fold_case;
use atlas_shared::{Draft, ResponseId, Snapshot};
use leptos::prelude::*;

use super::{FreeTextAnswer, SaveRecords};

/// Hides a shown answer or shows a hidden one (a moderator's decision, synced like any change).
pub fn toggle_hidden(snapshot: Signal<Snapshot>, on_save: SaveRecords) -> Callback<ResponseId> {
    Callback::new(move |id: ResponseId| {
        let Some(mut r) = snapshot.with_untracked(|s| s.responses.get(&id).cloned()) else {
            return;
        };
        r.hidden = !r.hidden;
        on_save.run(vec![(id.0, Draft::of(r))]);
    })
}

/// "What people wrote": each free-text question's answers, a search across them, and a
/// moderator's hide/show button on each. Items are keyed by response, so an answer arriving or
/// one being hidden changes only its own row: the search box keeps its text and focus, and the
/// button just pressed keeps the keyboard.
#[component]
pub fn FreeTextAnswers(
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
                let needle = fold_case(search.get().trim());
                free_text.with(|f| {
                    f.iter()
                        .filter(|(k, _, _)| *k == key)
                        .flat_map(|(_, _, answers)| answers.iter())
                        .filter(|a| {
                            needle.is_empty() || (!a.hidden && fold_case(&a.text).contains(&needle))
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
