//! Taking residents' answers to a consultation's questionnaire:
//!
//! * `/consultations/:id/capture`: staff at an event tap in answers one resident after another
//!   (staff-assisted), or key in paper forms later;
//! * `/consultations/:id/kiosk`: kiosk mode, where residents answer on the tablet themselves and
//!   only the staff PIN set on that tablet leads out;
//! * `/consult/:id`: the public questionnaire residents open at home (online).
//!
//! Everything works with no network: an answer is written to the device's outbox before the
//! screen says thank you, and is sent when the tablet next has a connection. Each answer records
//! its event, the questionnaire version, the device, the channel and when it was captured.

use std::collections::BTreeMap;
use std::time::Duration;

use atlas_shared::consultation::{
    AnswerValue, Channel, Questionnaire, Response, validate_response,
};
use atlas_shared::{ConsultationEventId, ConsultationId, Entity, FieldError, QuestionnaireId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::{JsCast, JsValue};

use super::questionnaire_form::QuestionnaireForm;
use super::{capture_href, consultation_href, kiosk_href};
use crate::components::{Breadcrumbs, Crumb, ErrorSummary, FormErrors, gate, set_title};
use crate::data::{Store, new_id, now_ms, use_store};
use crate::pages::{found, use_id};

// ---------- Pure rules: PIN and inactivity ----------

/// The shortest and longest staff PIN, in digits.
pub const PIN_DIGITS: std::ops::RangeInclusive<usize> = 4..=8;

/// Checks a new kiosk PIN typed twice: 4 to 8 digits, the same both times. Errors name the
/// field to fix (`kiosk-new-pin` or `kiosk-new-pin-again`).
pub fn check_new_pin(first: &str, again: &str) -> Result<String, FieldError> {
    let first = first.trim();
    if !PIN_DIGITS.contains(&first.chars().count()) || !first.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::new(
            "kiosk-new-pin",
            "Enter a PIN of 4 to 8 digits, using only the numbers 0 to 9",
        ));
    }
    if again.trim() != first {
        return Err(FieldError::new(
            "kiosk-new-pin-again",
            "The two PINs do not match: enter the same PIN twice",
        ));
    }
    Ok(first.to_owned())
}

/// Whether `entered` is the PIN stored on this tablet. With no PIN stored (its storage was
/// cleared), nothing matches: the way out is then reloading after clearing site data.
pub fn pin_matches(stored: Option<&str>, entered: &str) -> bool {
    stored.is_some_and(|s| !s.is_empty() && s == entered.trim())
}

/// How long a kiosk waits with nobody touching it before it discards a half-finished answer.
pub const KIOSK_IDLE_LIMIT: Duration = Duration::from_secs(90);
/// How long before that it asks "Are you still there?".
pub const KIOSK_IDLE_WARNING: Duration = Duration::from_secs(15);

/// What a kiosk does after a spell with nobody touching it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Idle {
    /// Someone is using it, or nothing has been started.
    Active,
    /// Ask whether anyone is still there; the answer is discarded in this many seconds.
    Warn { seconds_left: u64 },
    /// Discard the half-finished answer and start again.
    Reset,
}

/// The kiosk's clock: how long it waits, when it warns, how often it looks. Kiosk mode takes
/// it from context when one is provided (tests use seconds), else the default: 90 s, a warning
/// 15 s before, a look every second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KioskTiming {
    pub idle_limit: Duration,
    pub warning: Duration,
    pub tick: Duration,
}

impl Default for KioskTiming {
    fn default() -> Self {
        Self {
            idle_limit: KIOSK_IDLE_LIMIT,
            warning: KIOSK_IDLE_WARNING,
            tick: Duration::from_secs(1),
        }
    }
}

impl KioskTiming {
    /// The kiosk's decision `now_ms` after the last touch at `last_touch_ms`, when an answer
    /// has (`started`) or has not been begun. An untouched form is never "reset": there is
    /// nothing to discard.
    pub fn state(&self, last_touch_ms: f64, now_ms: f64, started: bool) -> Idle {
        if !started {
            return Idle::Active;
        }
        let idle = (now_ms - last_touch_ms).max(0.0);
        let limit = self.idle_limit.as_millis() as f64;
        let warn_from = limit - self.warning.as_millis() as f64;
        if idle >= limit {
            Idle::Reset
        } else if idle >= warn_from {
            Idle::Warn {
                seconds_left: ((limit - idle) / 1000.0).ceil() as u64,
            }
        } else {
            Idle::Active
        }
    }
}

/// [`KioskTiming::state`] with the default timing.
pub fn idle_state(last_touch_ms: f64, now_ms: f64, started: bool) -> Idle {
    KioskTiming::default().state(last_touch_ms, now_ms, started)
}

// ---------- The tablet's own memory (never synced) ----------

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn local_get(key: &str) -> Option<String> {
    local_storage().and_then(|s| s.get_item(key).ok().flatten())
}

fn local_set(key: &str, value: &str) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(key, value);
    }
}

fn local_remove(key: &str) {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(key);
    }
}

/// The staff PIN of this tablet's kiosk mode: kept only in this browser.
pub const PIN_KEY: &str = "atlas.kiosk.pin";

fn event_key(c: ConsultationId) -> String {
    format!("atlas.capture.{c}.event")
}

fn kiosk_active_key(c: ConsultationId) -> String {
    format!("atlas.kiosk.{c}.active")
}

// ---------- Saving an answer ----------

/// Who, where and how an answer was taken (everything but the answers themselves).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Capture {
    pub consultation: ConsultationId,
    pub event: Option<ConsultationEventId>,
    pub channel: Channel,
}

/// The response to store: the answers, the version answered, and who, where and when.
pub fn new_response(
    store_device: atlas_shared::DeviceId,
    q: (QuestionnaireId, &Questionnaire),
    capture: Capture,
    captured_at: i64,
    answers: BTreeMap<String, AnswerValue>,
) -> Response {
    Response {
        partnership_id: q.1.partnership_id,
        consultation_id: capture.consultation,
        questionnaire_id: q.0,
        event_id: capture.event,
        device_id: store_device,
        channel: capture.channel,
        captured_at,
        answers,
        hidden: false,
        accepted: false,
        review: Vec::new(),
    }
}

/// One resident's answer on its way to the device. Its id is made once per form, so a double
/// tap on Save stores one response; `saving` disables Save while the write runs.
#[derive(Clone, Copy)]
pub struct AnswerSlot {
    id: RwSignal<uuid::Uuid>,
    saving: RwSignal<bool>,
}

impl Default for AnswerSlot {
    fn default() -> Self {
        Self {
            id: RwSignal::new(new_id()),
            saving: RwSignal::new(false),
        }
    }
}

impl AnswerSlot {
    /// A fresh id, for the next resident's form.
    pub fn renew(&self) {
        self.id.set(new_id());
        self.saving.set(false);
    }

    pub fn saving(&self) -> Signal<bool> {
        self.saving.into()
    }
}

/// Checks the answers as a whole response with the shared rule and writes it to the outbox
/// under the slot's id; `saved` runs only once it is on the device. A second submit of the
/// same form while the first is being written does nothing, and one after it is stored only
/// says it is saved.
fn save_answers(
    store: Store,
    slot: AnswerSlot,
    q: (QuestionnaireId, Questionnaire),
    capture: Capture,
    answers: BTreeMap<String, AnswerValue>,
    errors: RwSignal<FormErrors>,
    saved: impl FnOnce() + 'static,
) {
    if slot.saving.get_untracked() {
        return;
    }
    let id = slot.id.get_untracked();
    let already = store
        .snapshot()
        .with_untracked(|s| s.responses.contains_key(&atlas_shared::ResponseId(id)));
    if already {
        saved();
        return;
    }
    let response = new_response(
        store.device_id(),
        (q.0, &q.1),
        capture,
        now_ms() as i64,
        answers,
    );
    if let Err(fields) = validate_response(&q.1, &response) {
        errors.set(FormErrors {
            message: None,
            fields,
        });
        return;
    }
    slot.saving.set(true);
    spawn_local(async move {
        let result = store.save(id, Entity::Response(response)).await;
        slot.saving.set(false);
        match result {
            Ok(()) => {
                errors.set(FormErrors::default());
                saved();
            }
            Err(e) => errors.set(e.into()),
        }
    });
}

/// A page for the consultation of the route's `:id`: `render` once it is on this device; the
/// loading or not-found state until then.
fn consultation_page<V: IntoView + 'static>(
    render: impl Fn(Store, ConsultationId) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let store = use_store();
    let cid = found(use_id::<ConsultationId>("id"), store.snapshot(), |s, id| {
        s.consultations.contains_key(id)
    });
    gate(store.ready(), cid, "consultation", move |c| {
        let archived = store
            .snapshot()
            .with_untracked(|s| s.consultations.get(&c).is_some_and(|x| x.archived));
        if archived {
            return view! {
                <div class="panel capture-closed" id="consultation-closed">
                    <h1 class="panel__title">"This consultation is closed"</h1>
                    <p class="panel__body">"It has been archived and takes no new answers. Thank you for your interest."</p>
                </div>
            }
            .into_any();
        }
        render(store, c).into_any()
    })
}

/// The current questionnaire version of `c`, as the form needs it. Showing a version to
/// residents marks it opened for answers (a change synced like any other), so the server
/// freezes it: from then on an edit becomes the next version, and answers taken offline always
/// fit the version they name.
fn use_current(store: Store, c: ConsultationId) -> Memo<Option<(QuestionnaireId, Questionnaire)>> {
    let snapshot = store.snapshot();
    // The form's copy leaves the mark out, so marking the version opened never redraws a form
    // a resident has started.
    let current = Memo::new(move |_| {
        snapshot.with(|s| {
            s.current_questionnaire(c).map(|(id, q)| {
                let form = Questionnaire {
                    opened_for_answers: false,
                    ..q.clone()
                };
                (id, form)
            })
        })
    });
    let unopened = Memo::new(move |_| {
        snapshot.with(|s| {
            s.current_questionnaire(c)
                .filter(|(_, q)| !q.opened_for_answers)
                .map(|(id, q)| (id, q.clone()))
        })
    });
    Effect::new(move |_| {
        let Some((id, q)) = unopened.get() else {
            return;
        };
        let opened = Questionnaire {
            opened_for_answers: true,
            ..q
        };
        spawn_local(async move {
            if let Err(e) = store.save(id.0, Entity::Questionnaire(opened)).await {
                web_sys::console::warn_1(&JsValue::from_str(&format!(
                    "Partnership Atlas: could not mark the questionnaire opened: {}",
                    e.message
                )));
            }
        });
    });
    current
}

fn consultation_title(store: Store, c: ConsultationId) -> Memo<String> {
    let snapshot = store.snapshot();
    Memo::new(move |_| {
        snapshot.with(|s| {
            s.consultations
                .get(&c)
                .map(|x| x.title.clone())
                .unwrap_or_default()
        })
    })
}

// ---------- Pieces the three pages share ----------

/// How many answers this tablet holds that the server does not have yet, and whether the
/// browser promised to keep them. `rescue_link` adds the way to `/device` (not in kiosk mode).
#[component]
pub fn TabletStatus(
    #[prop(into)] unsent: Signal<usize>,
    #[prop(into)] persistent: Signal<Option<bool>>,
    /// Answers the server refused, kept on this tablet (see `/device`).
    #[prop(optional, into)]
    held: Signal<usize>,
    #[prop(optional)] rescue_link: bool,
) -> impl IntoView {
    view! {
        <div class="tablet-status">
            <p class="tablet-status__count" id="unsent-answers" data-count=move || unsent.get().to_string()>
                {move || match (unsent.get(), held.get()) {
                    (0, 0) => "Every answer taken on this tablet has reached the partnership.".to_owned(),
                    (0, _) => "Every other answer taken on this tablet has reached the partnership.".to_owned(),
                    (1, _) => "1 answer is kept on this tablet until it has a connection.".to_owned(),
                    (n, _) => format!("{n} answers are kept on this tablet until it has a connection."),
                }}
            </p>
            {move || (held.get() > 0).then(|| view! {
                <p class="tablet-status__held" id="held-answers" data-count=move || held.get().to_string()>
                    <strong>{move || match held.get() {
                        1 => "1 answer needs attention: the server did not accept it. It is kept on this tablet.".to_owned(),
                        n => format!("{n} answers need attention: the server did not accept them. They are kept on this tablet."),
                    }}</strong>
                    " "
                    <a class="link" href="/device">"See what to do"</a>
                </p>
            })}
            <p class="tablet-status__storage" data-persistent=move || match persistent.get() {
                Some(true) => "true",
                Some(false) => "false",
                None => "unknown",
            }>
                {move || match persistent.get() {
                    Some(true) => "This browser has agreed to keep them, even if space runs low.",
                    Some(false) => "This browser may delete them if space runs low: ask it to keep them, or download a rescue file.",
                    None => "This browser has not said whether it will keep them if space runs low.",
                }}
            </p>
            {rescue_link.then(|| view! {
                <p class="tablet-status__link">
                    <a class="link" href="/device">"Storage and rescue file for this tablet"</a>
                </p>
            })}
        </div>
    }
}

/// "Thank you": the answer is on the device. The next person starts with `#next-resident`, or
/// by themselves after `auto_after`.
#[component]
pub fn ThankYou(
    #[prop(into)] message: String,
    #[prop(into)] on_next: Callback<()>,
    auto_after: Option<Duration>,
    #[prop(into)] next_label: String,
) -> impl IntoView {
    if let Some(after) = auto_after
        && let Ok(handle) = set_timeout_with_handle(move || on_next.run(()), after)
    {
        on_cleanup(move || handle.clear());
    }
    let button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(b) = button.get() {
            let _ = b.focus();
        }
    });
    view! {
        <div class="panel capture-thanks" role="status">
            <h2 class="panel__title">"Thank you"</h2>
            <p class="panel__body">{message}</p>
            <button
                type="button"
                class="button button--large"
                id="next-resident"
                node_ref=button
                on:click=move |_| on_next.run(())
            >
                {next_label}
            </button>
        </div>
    }
}

/// The event picker (`<select id=…>`): events in date order; "" for no event.
#[component]
fn EventPicker(
    id: &'static str,
    events: Vec<(ConsultationEventId, String)>,
    value: RwSignal<String>,
    #[prop(into)] errors: Signal<FormErrors>,
    #[prop(into)] none_label: String,
) -> impl IntoView {
    let error = Memo::new(move |_| errors.with(|e| e.for_field(id)));
    let options = events
        .into_iter()
        .map(|(eid, name)| {
            let key = eid.to_string();
            let k = key.clone();
            view! { <option value=key prop:selected=move || value.with(|v| *v == k)>{name}</option> }
        })
        .collect_view();
    view! {
        <div class="form-group" class:form-group--error=move || error.with(Option::is_some)>
            <label class="label" for=id>"Event"</label>
            <div class="hint" id=format!("{id}-hint")>
                "This tablet remembers the event, even after it is switched off."
            </div>
            {move || error.get().map(|m| view! {
                <p class="error-message" id=format!("{id}-error")>
                    <span class="visually-hidden">"Error: "</span>{m}
                </p>
            })}
            <select
                class="select select--large"
                id=id
                name=id
                aria-describedby=format!("{id}-hint")
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                <option value="" prop:selected=move || value.with(String::is_empty)>{none_label}</option>
                {options}
            </select>
        </div>
    }
}

/// The consultation's events as (id, "name, date at venue"), and the one this tablet last used
/// (when it still exists).
fn events_and_remembered(
    store: Store,
    c: ConsultationId,
) -> (Vec<(ConsultationEventId, String)>, String) {
    let events: Vec<(ConsultationEventId, String)> = store.snapshot().with_untracked(|s| {
        s.events_of(c)
            .into_iter()
            .map(|(id, e)| {
                let venue = if e.venue.is_empty() {
                    String::new()
                } else {
                    format!(", {}", e.venue)
                };
                (id, format!("{} ({}{venue})", e.name, e.date))
            })
            .collect()
    });
    let remembered = local_get(&event_key(c))
        .filter(|k| events.iter().any(|(id, _)| id.to_string() == *k))
        .or_else(|| (events.len() == 1).then(|| events[0].0.to_string()))
        .unwrap_or_default();
    (events, remembered)
}

/// What a page shows when the consultation has no questionnaire yet.
#[component]
fn NoQuestionnaire(c: ConsultationId, #[prop(optional)] public: bool) -> impl IntoView {
    view! {
        <div class="inset-text no-questionnaire">
            <p class="body">
                "This consultation has no questionnaire yet, so there is nothing to answer."
            </p>
            {if public {
                view! { <p class="body">"Please come back later."</p> }.into_any()
            } else {
                view! {
                    <p class="body">
                        "Write the questions first, then come back to this screen. "
                        <a class="link" href=consultation_href(c)>"Go to the consultation"</a>
                    </p>
                }
                    .into_any()
            }}
        </div>
    }
}

/// The form for the current version, rebuilt afresh each time `round` changes (the next
/// resident starts with nothing filled in) or a new version arrives.
fn fresh_form(
    current: Memo<Option<(QuestionnaireId, Questionnaire)>>,
    round: RwSignal<u32>,
    errors: RwSignal<FormErrors>,
    busy: Signal<bool>,
    submit_label: &'static str,
    on_submit: Callback<BTreeMap<String, AnswerValue>>,
) -> impl Fn() -> Option<AnyView> + Send + Sync + 'static {
    move || {
        round.track();
        current.get().map(|(_, q)| {
            view! {
                <QuestionnaireForm
                    questionnaire=q
                    on_submit=on_submit
                    errors=errors
                    busy=busy
                    submit_label=submit_label
                />
            }
            .into_any()
        })
    }
}

/// A tablet's turn-by-turn screen: the form for one person; once their answer is on the
/// device, "thank you" until `next` starts the form afresh for the next person.
struct Turns {
    current: Memo<Option<(QuestionnaireId, Questionnaire)>>,
    slot: AnswerSlot,
    round: RwSignal<u32>,
    errors: RwSignal<FormErrors>,
    thanks: RwSignal<bool>,
    next: Callback<()>,
    on_submit: Callback<BTreeMap<String, AnswerValue>>,
    submit_label: &'static str,
    thanks_message: &'static str,
    next_label: &'static str,
    auto_after: Duration,
}

impl Turns {
    /// The screen; `nothing` when there is no questionnaire to answer.
    fn view(self, nothing: impl Fn() -> AnyView + Send + Sync + 'static) -> impl IntoView {
        let form = fresh_form(
            self.current,
            self.round,
            self.errors,
            self.slot.saving(),
            self.submit_label,
            self.on_submit,
        );
        move || {
            if self.current.with(Option::is_none) {
                return nothing();
            }
            if self.thanks.get() {
                return view! {
                    <ThankYou
                        message=self.thanks_message
                        on_next=self.next
                        auto_after=Some(self.auto_after)
                        next_label=self.next_label
                    />
                }
                .into_any();
            }
            form().into_any()
        }
    }
}

// ---------- Staff capture ----------

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
    Effect::new(move |_| local_set(&event_key(c), &event.get()));
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

// ---------- Kiosk mode ----------

/// `/consultations/:id/kiosk`
#[component]
pub fn KioskPage() -> impl IntoView {
    consultation_page(|store, c| view! { <Kiosk store=store consultation=c /> })
}

#[component]
fn Kiosk(store: Store, consultation: ConsultationId) -> impl IntoView {
    let c = consultation;
    // On this tablet, in kiosk mode (survives a reload): the event it was started for.
    let active =
        RwSignal::new(local_get(&kiosk_active_key(c)).filter(|_| local_get(PIN_KEY).is_some()));
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
        local_set(&kiosk_active_key(c), &event);
        active.set(Some(event));
    });
    let navigate = use_navigate();
    let exit = Callback::new(move |()| {
        local_remove(&kiosk_active_key(c));
        local_remove(PIN_KEY);
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
                local_set(PIN_KEY, &p);
                local_set(&event_key(c), &event.get_untracked());
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
    let stored = Signal::derive(|| local_get(PIN_KEY));
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

// ---------- The public questionnaire ----------

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
