//! Kiosk mode (`/consultations/:id/kiosk`): residents answer on the tablet themselves and only
//! the staff PIN set on that tablet leads out; a half-finished answer is discarded after a
//! spell with nobody touching it.

use std::collections::BTreeMap;
use std::time::Duration;

use atlas_shared::consultation::{AnswerValue, Channel};
use atlas_shared::{ConsultationEventId, ConsultationId};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::{JsCast, JsValue};

use super::rules::{Idle, KioskTiming, check_new_pin, pin_matches};
use super::{
    AnswerSlot, Capture, EventPicker, NoQuestionnaire, TabletStatus, Turns, consultation_page,
    consultation_title, events_and_remembered, save_answers, use_current,
};
use crate::components::{Breadcrumbs, Crumb, ErrorSummary, FormErrors, set_title};
use crate::data::{Store, now_ms, tablet};
use crate::pages::consultation::{capture_href, consultation_href, kiosk_href};

/// `/consultations/:id/kiosk`
#[component]
pub fn KioskPage() -> impl IntoView {
    consultation_page(|store, c| view! { <Kiosk store=store consultation=c /> })
}

#[component]
fn Kiosk(store: Store, consultation: ConsultationId) -> impl IntoView {
    let c = consultation;
    // On this tablet, in kiosk mode (survives a reload): the event it was started for.
    let active = RwSignal::new(tablet::active_kiosk(c));
    let title = consultation_title(store, c);
    set_title(move || {
        vec![
            if active.with(Option::is_some) {
                "Have your say"
            } else {
                "Kiosk mode"
            }
            .to_owned(),
            title.get(),
        ]
    });
    let start = Callback::new(move |event: String| {
        tablet::start_kiosk(c, &event);
        active.set(Some(event));
    });
    let navigate = use_navigate();
    let exit = Callback::new(move |()| {
        tablet::end_kiosk(c);
        active.set(None);
        navigate(&capture_href(c), NavigateOptions::default());
    });
    move || match active.get() {
        None => view! { <KioskSetup store=store consultation=c on_start=start /> }.into_any(),
        Some(event) => {
            let event = event.parse::<ConsultationEventId>().ok();
            view! { <KioskMode store=store consultation=c event=event on_exit=exit /> }.into_any()
        }
    }
}

/// Before kiosk mode: the event and the staff PIN, typed twice.
#[component]
fn KioskSetup(
    store: Store,
    consultation: ConsultationId,
    on_start: Callback<String>,
) -> impl IntoView {
    let c = consultation;
    let title = consultation_title(store, c);
    let (events, remembered) = events_and_remembered(store, c);
    let event = RwSignal::new(remembered);
    let pin = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let has_questionnaire = use_current(store, c);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match check_new_pin(&pin.get_untracked(), &again.get_untracked()) {
            Ok(p) => {
                tablet::set_pin(&p);
                tablet::remember_event(c, &event.get_untracked());
                errors.set(FormErrors::default());
                on_start.run(event.get_untracked());
            }
            Err(e) => errors.set(FormErrors {
                message: None,
                fields: vec![e],
            }),
        }
    };
    view! {
        <Breadcrumbs crumbs=Signal::derive(move || vec![
            Crumb::link(title.get(), consultation_href(c)),
            Crumb::here("Kiosk mode"),
        ]) />
        <ErrorSummary errors=errors />
        <h1 class="heading-l">"Start kiosk mode"</h1>
        <p class="lead">
            "In kiosk mode residents answer the questionnaire on this tablet by themselves. The screen starts afresh after each person, and after 90 seconds with nobody using it. Nobody can see earlier answers or leave kiosk mode without the staff PIN you set here."
        </p>
        <p class="body">
            "The PIN is kept only on this tablet. Answers are kept on the tablet until it has a connection."
        </p>
        {move || has_questionnaire.with(Option::is_none).then(|| view! { <NoQuestionnaire c=c /> })}
        <form class="form" novalidate on:submit=submit>
            <EventPicker id="capture-event" events=events value=event errors=errors none_label="No event" />
            <PinField id="kiosk-new-pin" label="Choose a staff PIN (4 to 8 digits)" value=pin errors=errors />
            <PinField id="kiosk-new-pin-again" label="Enter the PIN again" value=again errors=errors />
            <button type="submit" class="button button--large" id="kiosk-start">"Start kiosk mode"</button>
        </form>
    }
}

/// A PIN input: digits, hidden as typed, with its inline error.
#[component]
fn PinField(
    id: &'static str,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    #[prop(into)] errors: Signal<FormErrors>,
) -> impl IntoView {
    let error = Memo::new(move |_| errors.with(|e| e.for_field(id)));
    view! {
        <div class="form-group" class:form-group--error=move || error.with(Option::is_some)>
            <label class="label" for=id>{label}</label>
            {move || error.get().map(|m| view! {
                <p class="error-message" id=format!("{id}-error")>
                    <span class="visually-hidden">"Error: "</span>{m}
                </p>
            })}
            <input
                class="input input--width-5 pin-input"
                class:input--error=move || error.with(Option::is_some)
                type="password"
                inputmode="numeric"
                autocomplete="off"
                id=id
                name=id
                aria-describedby=move || error.with(Option::is_some).then(|| format!("{id}-error"))
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}

/// The "Exit" control of kiosk mode: asks for the staff PIN; a wrong one is refused and the
/// kiosk stays. `stored` is the PIN set on this tablet.
#[component]
pub fn KioskExit(
    #[prop(into)] stored: Signal<Option<String>>,
    #[prop(into)] on_exit: Callback<()>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let pin = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pin_matches(stored.get_untracked().as_deref(), &pin.get_untracked()) {
            errors.set(FormErrors::default());
            asking.set(false);
            on_exit.run(());
        } else {
            errors.set(FormErrors::field(
                "kiosk-pin",
                "That PIN is not right. Kiosk mode stays on.",
            ));
        }
        pin.set(String::new());
    };
    view! {
        <div class="kiosk-exit">
            {move || if asking.get() {
                view! {
                    <form class="kiosk-exit__form" novalidate on:submit=submit>
                        <PinField id="kiosk-pin" label="Staff PIN to leave kiosk mode" value=pin errors=errors />
                        <div class="button-group">
                            <button type="submit" class="button" id="kiosk-pin-submit">"Leave kiosk mode"</button>
                            <button type="button" class="button button--secondary" id="kiosk-pin-cancel" on:click=move |_| {
                                errors.set(FormErrors::default());
                                asking.set(false);
                            }>"Cancel"</button>
                        </div>
                    </form>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="button button--secondary kiosk-exit__button" id="kiosk-exit" on:click=move |_| asking.set(true)>
                        "Exit"<span class="visually-hidden">" kiosk mode (staff only)"</span>
                    </button>
                }.into_any()
            }}
        </div>
    }
}

/// Calls `history.pushState(null, "", url)`: the back button then lands on the same address.
fn push_history(url: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(history) = js_sys::Reflect::get(&window, &JsValue::from_str("history")) else {
        return;
    };
    if let Ok(push) = js_sys::Reflect::get(&history, &JsValue::from_str("pushState"))
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = push.call3(
            &history,
            &JsValue::NULL,
            &JsValue::from_str(""),
            &JsValue::from_str(url),
        );
    }
}

/// Kiosk mode itself: the form for one resident after another, nothing else to tap.
#[component]
fn KioskMode(
    store: Store,
    consultation: ConsultationId,
    event: Option<ConsultationEventId>,
    on_exit: Callback<()>,
) -> impl IntoView {
    let c = consultation;
    let title = consultation_title(store, c);
    let current = use_current(store, c);
    let errors = RwSignal::new(FormErrors::default());
    let thanks = RwSignal::new(false);
    let round = RwSignal::new(0u32);
    let last_touch = RwSignal::new(now_ms());
    let started = RwSignal::new(false);
    let idle = RwSignal::new(Idle::Active);
    let timing = use_context::<KioskTiming>().unwrap_or_default();
    let status = store.status();

    // The site's frame steps aside, and the back button stays here.
    if let Some(root) = document().document_element() {
        let _ = root.class_list().add_1("kiosk");
    }
    let here = kiosk_href(c);
    push_history(&here);
    let back = window_event_listener(leptos::ev::popstate, move |_| push_history(&here));
    let touch = move || {
        last_touch.set(now_ms());
        idle.set(Idle::Active);
    };
    let pointer = window_event_listener(leptos::ev::pointerdown, move |_| touch());
    let keys = window_event_listener(leptos::ev::keydown, move |_| touch());
    let input = window_event_listener(leptos::ev::input, move |_| {
        started.set(true);
        touch();
    });
    let change = window_event_listener(leptos::ev::change, move |_| {
        started.set(true);
        touch();
    });
    let click = window_event_listener(leptos::ev::click, move |_| started.set(true));
    let slot = AnswerSlot::default();
    let next = Callback::new(move |()| {
        slot.renew();
        thanks.set(false);
        started.set(false);
        errors.set(FormErrors::default());
        idle.set(Idle::Active);
        round.update(|r| *r += 1);
        window().scroll_to_with_x_and_y(0.0, 0.0);
    });
    let timer = set_interval_with_handle(
        move || {
            if thanks.get_untracked() {
                return;
            }
            let state = timing.state(
                last_touch.get_untracked(),
                now_ms(),
                started.get_untracked(),
            );
            if state == Idle::Reset {
                next.run(());
            } else if idle.get_untracked() != state {
                idle.set(state);
            }
        },
        timing.tick,
    )
    .ok();
    on_cleanup(move || {
        back.remove();
        pointer.remove();
        keys.remove();
        input.remove();
        change.remove();
        click.remove();
        if let Some(t) = timer {
            t.clear();
        }
        if let Some(root) = document().document_element() {
            let _ = root.class_list().remove_1("kiosk");
        }
    });

    let on_submit = Callback::new(move |answers: BTreeMap<String, AnswerValue>| {
        let Some(q) = current.get_untracked() else {
            return;
        };
        let capture = Capture {
            consultation: c,
            event,
            channel: Channel::Kiosk,
        };
        save_answers(store, slot, q, capture, answers, errors, move || {
            thanks.set(true)
        });
    });
    let stored = Signal::derive(tablet::stored_pin);
    view! {
        <div class="kiosk">
            <div class="kiosk__bar">
                <p class="kiosk__title">{move || title.get()}</p>
                <KioskExit stored=stored on_exit=on_exit />
            </div>
            <h1 class="heading-l">"Have your say"</h1>
            <p class="lead">
                "Answer the questions below, then tap the button at the end. Your answers are anonymous, and nobody using this tablet after you can see them."
            </p>
            {move || match idle.get() {
                Idle::Warn { seconds_left } => Some(view! {
                    <div class="kiosk-warning" role="alertdialog" aria-labelledby="kiosk-warning-title">
                        <h2 class="heading-m" id="kiosk-warning-title">"Are you still there?"</h2>
                        <p class="body">{format!("Your answers will be cleared in {seconds_left} seconds so the next person can start.")}</p>
                        <button type="button" class="button button--large" id="kiosk-still-here">"I'm still here"</button>
                    </div>
                }),
                _ => None,
            }}
            {Turns {
                current,
                slot,
                round,
                errors,
                thanks,
                next,
                on_submit,
                submit_label: "Send my answers",
                thanks_message: "Your answers are saved. The screen starts again for the next person in a few seconds.",
                next_label: "Start again for the next person",
                auto_after: Duration::from_secs(6),
            }
                .view(|| {
                    view! { <p class="body">"There is nothing to answer yet. Please ask a member of staff."</p> }
                        .into_any()
                })}
            <TabletStatus unsent=store.unsent_responses() held=store.held_responses() persistent=Signal::derive(move || status.with(|s| s.persistent)) />
        </div>
    }
}
