//! The public questionnaire (`/consult/:id`) residents open at home (channel: online).

use std::collections::BTreeMap;

use atlas_shared::ConsultationId;
use atlas_shared::consultation::{AnswerValue, Channel};
use leptos::prelude::*;

use super::{
    AnswerSlot, Capture, NoQuestionnaire, consultation_page, consultation_title, fresh_form,
    save_answers, use_current,
};
use crate::components::{FormErrors, set_title};
use crate::data::Store;

/// `/consult/:id`
#[component]
pub fn PublicQuestionnairePage() -> impl IntoView {
    consultation_page(|store, c| view! { <PublicQuestionnaire store=store consultation=c /> })
}

#[component]
fn PublicQuestionnaire(store: Store, consultation: ConsultationId) -> impl IntoView {
    let c = consultation;
    let snapshot = store.snapshot();
    let title = consultation_title(store, c);
    let purpose = Memo::new(move |_| {
        snapshot.with(|s| {
            s.consultations
                .get(&c)
                .map(|x| x.purpose.clone())
                .unwrap_or_default()
        })
    });
    set_title(move || vec![title.get()]);
    let current = use_current(store, c);
    let errors = RwSignal::new(FormErrors::default());
    let done = RwSignal::new(false);
    let round = RwSignal::new(0u32);
    let slot = AnswerSlot::default();
    let on_submit = Callback::new(move |answers: BTreeMap<String, AnswerValue>| {
        let Some(q) = current.get_untracked() else {
            return;
        };
        let capture = Capture {
            consultation: c,
            event: None,
            channel: Channel::Online,
        };
        save_answers(store, slot, q, capture, answers, errors, move || {
            done.set(true);
            window().scroll_to_with_x_and_y(0.0, 0.0);
        });
    });
    move || {
        if done.get() {
            return view! {
                <div class="panel capture-thanks" id="consult-confirmation">
                    <h1 class="panel__title">"Thank you for your answers"</h1>
                    <p class="panel__body">"They have been saved."</p>
                </div>
                <p class="body">
                    "If this device is offline, your answers are kept on it and sent as soon as it is back online. You do not need to do anything else."
                </p>
                <p class="body">"The partnership will publish what residents said and what it did about it."</p>
            }
            .into_any();
        }
        view! {
            <span class="caption-l">"Consultation"</span>
            <h1 class="heading-l">{move || title.get()}</h1>
            {move || { let p = purpose.get(); (!p.is_empty()).then(|| view! { <p class="lead">{p}</p> }) }}
            <p class="body">"It takes a few minutes. You do not need to sign in or give your name."</p>
            {move || {
                if current.with(Option::is_none) {
                    return view! { <NoQuestionnaire c=c public=true /> }.into_any();
                }
                fresh_form(current, round, errors, slot.saving(), "Send my answers", on_submit)().into_any()
            }}
        }
        .into_any()
    }
}
