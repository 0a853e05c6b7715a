//! Staff capture (`/consultations/:id/capture`): staff at an event tap in answers one resident
//! after another (staff-assisted), or key in paper forms later.

use std::collections::BTreeMap;
use std::time::Duration;

use atlas_shared::consultation::{AnswerValue, Channel};
use atlas_shared::{ConsultationEventId, ConsultationId};
use leptos::prelude::*;

use super::{
    AnswerSlot, Capture, EventPicker, NoQuestionnaire, TabletStatus, Turns, consultation_page,
    consultation_title, events_and_remembered, save_answers, use_current,
};
use crate::components::{Breadcrumbs, Crumb, FormErrors, set_title};
use crate::data::{Store, tablet};
use crate::pages::consultation::{consultation_href, kiosk_href};

/// `/consultations/:id/capture`
#[component]
pub fn CapturePage() -> impl IntoView {
    consultation_page(|store, c| view! { <StaffCapture store=store consultation=c /> })
}

#[component]
fn StaffCapture(store: Store, consultation: ConsultationId) -> impl IntoView {
    let c = consultation;
    let title = consultation_title(store, c);
    set_title(move || vec!["Take answers".to_owned(), title.get()]);
    let current = use_current(store, c);
    let (events, remembered) = events_and_remembered(store, c);
    let has_events = !events.is_empty();
    let event = RwSignal::new(remembered);
    let channel = RwSignal::new(if has_events {
        Channel::StaffAssisted
    } else {
        Channel::Paper
    });
    Effect::new(move |_| tablet::remember_event(c, &event.get()));
    let errors = RwSignal::new(FormErrors::default());
    let thanks = RwSignal::new(false);
    let round = RwSignal::new(0u32);
    let status = store.status();
    let slot = AnswerSlot::default();
    let next = Callback::new(move |()| {
        slot.renew();
        thanks.set(false);
        round.update(|r| *r += 1);
    });
    let on_submit = Callback::new(move |answers: BTreeMap<String, AnswerValue>| {
        let ch = channel.get_untracked();
        let event_id = event.with_untracked(|e| e.parse::<ConsultationEventId>().ok());
        if ch == Channel::StaffAssisted && event_id.is_none() {
            errors.set(FormErrors::field(
                "capture-event",
                "Choose the event where you are taking answers, or choose “Paper form”",
            ));
            return;
        }
        let Some(q) = current.get_untracked() else {
            return;
        };
        let capture = Capture {
            consultation: c,
            event: event_id,
            channel: ch,
        };
        save_answers(store, slot, q, capture, answers, errors, move || {
            thanks.set(true)
        });
    });
    let channel_radio = move |ch: Channel, id: &'static str, hint: &'static str| {
        view! {
            <label class="option-card option-card--radio" for=id>
                <input
                    type="radio"
                    class="option-card__input"
                    id=id
                    name="capture-channel"
                    value=id
                    prop:checked=move || channel.get() == ch
                    on:change=move |_| channel.set(ch)
                />
                <span class="option-card__label">{ch.label()}<span class="option-card__hint">{hint}</span></span>
            </label>
        }
    };
    view! {
        <Breadcrumbs crumbs=Signal::derive(move || vec![
            Crumb::link(title.get(), consultation_href(c)),
            Crumb::here("Take answers"),
        ]) />
        <h1 class="heading-l">"Take answers"</h1>
        <p class="lead">
            "Use this screen to take residents' answers at an event, one resident after another, or to key in paper forms afterwards. Answers are kept on this tablet and sent to the partnership when it has a connection, so it works in a hall with no signal."
        </p>
        <TabletStatus
            unsent=store.unsent_responses()
            held=store.held_responses()
            persistent=Signal::derive(move || status.with(|s| s.persistent))
            rescue_link=true
        />
        <p class="body">
            "To let residents answer by themselves, use "
            <a class="link" href=kiosk_href(c)>"kiosk mode"</a>
            "."
        </p>
        <div class="capture-setup">
            <fieldset class="fieldset" id="capture-channel">
                <legend class="fieldset__legend">"How are you taking answers?"</legend>
                <div class="option-cards option-cards--two">
                    {channel_radio(Channel::StaffAssisted, "channel-staff-assisted", "I am asking a resident the questions")}
                    {channel_radio(Channel::Paper, "channel-paper", "I am keying in a paper form")}
                </div>
            </fieldset>
            {(!has_events).then(|| view! {
                <p class="body no-events">
                    "This consultation has no events yet. You can still key in paper forms; to take answers at an event, add it on the "
                    <a class="link" href=consultation_href(c)>"consultation page"</a>
                    "."
                </p>
            })}
            <EventPicker
                id="capture-event"
                events=events
                value=event
                errors=errors
                none_label="No event (a paper form from elsewhere)"
            />
        </div>
        {Turns {
            current,
            slot,
            round,
            errors,
            thanks,
            next,
            on_submit,
            submit_label: "Save this answer",
            thanks_message: "The answer is saved on this tablet.",
            next_label: "Next resident",
            auto_after: Duration::from_secs(3),
        }
            .view(move || view! { <NoQuestionnaire c=c /> }.into_any())}
    }
}
