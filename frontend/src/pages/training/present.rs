//! `/partnerships/:id/present?step=N`: presentation mode for councillor training on a
//! projector. Large type, the site's header and footer out of the way, and the partnership's
//! presentation steps one at a time, each highlighting its bodies on the map. Next and previous
//! by the arrow keys, Page Down and Page Up (what a presentation clicker sends), Space, or the
//! buttons; Home and End go to the first and last step; Escape leaves. The step is in the
//! address, so a reload stays on it.

use std::collections::BTreeSet;

use atlas_shared::{BodyId, PartnershipId, PresentationStep, Snapshot};
use gloo_events::{EventListener, EventListenerOptions};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use wasm_bindgen::JsCast;

use super::{present_href, steps_href};
use crate::components::{GlossedText, gate, set_title};
use crate::data::use_store;
use crate::pages::structure::map_canvas::{MapCanvas, MapState, ViewBox, use_labels, use_layout};
use crate::pages::structure::partnership_href;
use crate::pages::{found, use_id};

/// `/partnerships/:id/present`
#[component]
pub fn PresentPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = found(use_id::<PartnershipId>("id"), snapshot, |s, id| {
        s.partnerships.contains_key(id)
    });
    let query = use_query_map();
    // 1-based in the address, for people; 0-based here.
    let step = Memo::new(move |_| {
        query.with(|q| {
            q.get_str("step")
                .and_then(|n| n.parse::<usize>().ok())
                .map_or(0, |n| n.saturating_sub(1))
        })
    });
    gate(store.ready(), pid, "partnership", move |p| {
        view! { <Presentation snapshot=snapshot partnership=p step=step /> }
    })
}

/// Presentation mode for partnership `partnership` at step `step` (0-based).
#[component]
pub fn Presentation(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    #[prop(into)] step: Signal<usize>,
) -> impl IntoView {
    let p = partnership;
    let navigate = use_navigate();
    let steps: Memo<Vec<PresentationStep>> = Memo::new(move |_| {
        snapshot.with(|s| {
            s.steps_of(p)
                .into_iter()
                .map(|(_, step)| step.clone())
                .collect()
        })
    });
    let name = Memo::new(move |_| {
        snapshot.with(|s| {
            s.partnerships
                .get(&p)
                .map(|x| x.name.clone())
                .unwrap_or_default()
        })
    });
    let count = Memo::new(move |_| steps.with(Vec::len));
    let index = Memo::new(move |_| step.get().min(count.get().saturating_sub(1)));
    let current = Memo::new(move |_| steps.with(|s| s.get(index.get()).cloned()));
    set_title(move || {
        vec![
            current
                .get()
                .map(|s| s.title)
                .unwrap_or_else(|| "Presentation".to_owned()),
            name.get(),
        ]
    });

    let layout = use_layout(snapshot, p);
    let labels = use_labels(snapshot, p);
    let highlight = Signal::derive(move || {
        current.with(|s| {
            s.as_ref()
                .filter(|s| !s.body_ids.is_empty())
                .map(|s| s.body_ids.iter().copied().collect::<BTreeSet<BodyId>>())
        })
    });
    let view_box = RwSignal::new(layout.with_untracked(ViewBox::fit));
    // Each step frames its bodies; a step with none shows the whole map.
    Effect::new(move |_| {
        let bodies = highlight.get();
        let vb = layout.with(|l| match &bodies {
            Some(b) => ViewBox::around_bodies(l, b),
            None => ViewBox::fit(l),
        });
        view_box.set(vb);
    });
    let state = MapState {
        view_box,
        selected: Signal::derive(|| None),
        highlight,
    };

    let go = {
        let navigate = navigate.clone();
        move |n: usize| {
            navigate(
                &present_href(p, n),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..NavigateOptions::default()
                },
            );
        }
    };

    // The page takes over the screen while it is shown.
    let root = document().document_element();
    if let Some(root) = &root {
        let _ = root.class_list().add_1("presenting");
    }
    on_cleanup(move || {
        if let Some(root) = document().document_element() {
            let _ = root.class_list().remove_1("presenting");
        }
    });

    // Keys work wherever focus is on the page (a clicker sends them to the document).
    {
        let go = go.clone();
        let navigate = navigate.clone();
        let options = EventListenerOptions::enable_prevent_default();
        let on_key = EventListener::new_with_options(&document(), "keydown", options, move |ev| {
            let Some(ev) = ev.dyn_ref::<web_sys::KeyboardEvent>() else {
                return;
            };
            if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() {
                return;
            }
            let n = index.get_untracked();
            let last = count.get_untracked().saturating_sub(1);
            match ev.key().as_str() {
                "ArrowRight" | "ArrowDown" | "PageDown" | " " => go((n + 1).min(last)),
                "ArrowLeft" | "ArrowUp" | "PageUp" => go(n.saturating_sub(1)),
                "Home" => go(0),
                "End" => go(last),
                "Escape" => navigate(&partnership_href(p), NavigateOptions::default()),
                _ => return,
            }
            ev.prevent_default();
        });
        // Dropping the listener removes it: leaving presentation mode stops the keys.
        let handler = StoredValue::new_local(Some(on_key));
        on_cleanup(move || drop(handler.try_update_value(Option::take).flatten()));
    }

    let prev = {
        let go = go.clone();
        move |_| go(index.get_untracked().saturating_sub(1))
    };
    let next = {
        let go = go.clone();
        move |_| go((index.get_untracked() + 1).min(count.get_untracked().saturating_sub(1)))
    };

    view! {
        <div class="presentation">
            {move || {
                if count.get() == 0 {
                    return view! {
                        <div class="presentation__empty">
                            <h1 class="presentation__title">{name.get()}</h1>
                            <p class="presentation__text">
                                "There are no presentation steps for this partnership yet."
                            </p>
                            <p class="body">
                                <a class="link" href=steps_href(p)>
                                    "Set up the presentation steps"
                                </a>
                                " · "
                                <a class="link" href=partnership_href(p)>
                                    "Leave presentation mode"
                                </a>
                            </p>
                        </div>
                    }
                        .into_any();
                }
                ().into_any()
            }}
            <div class="presentation__layout" class:presentation__layout--hidden=move || count.get() == 0>
                <section class="presentation__words" aria-live="polite" aria-atomic="true">
                    <p class="presentation__counter">
                        {move || format!("Step {} of {}", index.get() + 1, count.get())}
                    </p>
                    <h1 class="presentation__title">
                        {move || current.get().map(|s| s.title).unwrap_or_default()}
                    </h1>
                    <p class="presentation__text preserve-breaks">
                        {move || {
                            current
                                .get()
                                .map(|s| view! { <GlossedText snapshot=snapshot partnership=p text=s.text /> })
                        }}
                    </p>
                </section>
                <div class="presentation__map">
                    <MapCanvas
                        layout=layout
                        labels=labels
                        state=state
                        on_select=|_| {}
                        label=format!("Map of {}", name.get_untracked())
                    />
                </div>
            </div>
            <nav class="presentation__controls" aria-label="Presentation">
                <button
                    type="button"
                    class="button button--secondary"
                    id="present-previous"
                    on:click=prev
                    disabled=move || index.get() == 0
                >
                    "Previous"
                </button>
                <button
                    type="button"
                    class="button"
                    id="present-next"
                    on:click=next
                    disabled=move || { index.get() + 1 >= count.get() }
                >
                    "Next"
                </button>
                <a class="link presentation__leave" href=partnership_href(p)>
                    "Leave presentation mode (Esc)"
                </a>
                <a class="link presentation__leave" href=steps_href(p)>
                    "Edit the steps"
                </a>
            </nav>
        </div>
    }
}
