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

//!
//! The pages are `staff`, `kiosk` and `public`; `rules` holds the pure rules of kiosk mode (PIN
//! and inactivity); what the tablet remembers (PIN, event) is in `crate::data::kiosk`; the
//! pieces the three pages share are here.

mod kiosk;
mod public;
pub mod rules;
mod staff;

pub use kiosk::{KioskExit, KioskPage};
pub use public::PublicQuestionnairePage;
pub use rules::*;
pub use staff::CapturePage;

use std::collections::BTreeMap;
use std::time::Duration;

use atlas_shared::consultation::{
    AnswerValue, Channel, Questionnaire, Response, validate_response,
};
use atlas_shared::{ConsultationEventId, ConsultationId, Draft, QuestionnaireId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use crate::components::{FormErrors, gate};
use crate::data::{Store, new_id, now_ms, tablet, use_store};
use crate::pages::consultation::consultation_href;
use crate::pages::consultation::questionnaire_form::QuestionnaireForm;
use crate::pages::{found, use_id};

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
        received_at: None,
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
    // By its fields: reading the responses as typed records would compile their parsing
    // into the public questionnaire, which never shows one.
    let already = store
        .snapshot()
        .with_untracked(|s| s.responses.fields(id).is_some());
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
        let result = store.save(id, Draft::of(response)).await;
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
/// residents on a manager's device marks it opened for answers (a change synced like any
/// other), so the server freezes it: from then on an edit becomes the next version, and answers taken offline always
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
    let principal = store.principal();
    Effect::new(move |_| {
        let Some((id, q)) = unopened.get() else {
            return;
        };
        // Only those who may change the questionnaire mark it (a manager); for anyone else
        // (staff, a resident on the public link) the change would be refused, and without a
        // session it would hold up their answers. The server freezes a version when an answer
        // to it arrives anyway.
        if !principal.with(|p| p.manages(q.partnership_id)) {
            return;
        }
        spawn_local(async move {
            let marked = match mark::start(store, id, q).await {
                Ok(marking) => marking.await.map_err(|e| e.message),
                Err(_) => Err("the part of the app that saves it could not be downloaded".into()),
            };
            if let Err(e) = marked {
                web_sys::console::warn_1(&JsValue::from_str(&format!(
                    "Partnership Atlas: could not mark the questionnaire opened: {e}"
                )));
            }
        });
    });
    current
}

/// Marking a version opened, in the `staff` part: only a manager's device does it, and the
/// kiosk and capture pages are staff pages already, so a resident's public questionnaire
/// does not download the writing of a questionnaire. A part that cannot be fetched leaves
/// the version unmarked, as a refused save does: the server freezes it when its first
/// answer arrives anyway.
mod mark {
    use std::future::Future;
    use std::pin::Pin;

    use atlas_shared::consultation::Questionnaire;
    use atlas_shared::{Draft, QuestionnaireId};

    use crate::data::{SaveError, Store};
    use crate::parts::PartNotLoaded;

    /// The mark under way.
    pub type Marking = Pin<Box<dyn Future<Output = Result<(), SaveError>>>>;

    fn marking(store: Store, id: QuestionnaireId, q: Questionnaire) -> Marking {
        let opened = Questionnaire {
            opened_for_answers: true,
            ..q
        };
        Box::pin(async move { store.save(id.0, Draft::of(opened)).await })
    }

    #[cfg(feature = "split")]
    #[allow(unsafe_code)]
    #[::leptos::wasm_split::wasm_split(staff, fallible, wasm_split_path = ::leptos::wasm_split)]
    pub fn start(
        store: Store,
        id: QuestionnaireId,
        q: Questionnaire,
    ) -> Result<Marking, PartNotLoaded> {
        Ok(marking(store, id, q))
    }

    #[cfg(not(feature = "split"))]
    pub async fn start(
        store: Store,
        id: QuestionnaireId,
        q: Questionnaire,
    ) -> Result<Marking, PartNotLoaded> {
        Ok(marking(store, id, q))
    }
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
    let remembered = tablet::remembered_event(c)
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
