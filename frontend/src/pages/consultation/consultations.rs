//! Consultation administration: `/partnerships/:id/consultations` (the list),
//! `/consultations/:id` (one consultation: its events, questionnaire and the ways answers come
//! in), the consultation form (`/partnerships/:id/consultations/new`, `/consultations/:id/edit`)
//! and the event form (`/consultations/:id/events/new`, `/events/:id/edit`).

use atlas_shared::consultation::{
    Channel, Consultation, ConsultationEvent, DEFAULT_SUPPRESSION_THRESHOLD,
};
use atlas_shared::date::{date_input, optional_date_input};
use atlas_shared::{
    ConsultationEventId, ConsultationId, Draft, EntityKind, FieldError, IsoDate, PartnershipId,
    Snapshot,
};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::{
    capture_href, consultation_href, consultations_href, kiosk_href, public_questionnaire_href,
    questionnaire_href, results_href, you_said_href,
};
use crate::components::{
    AtlasForm, Breadcrumbs, Crumb, FormActions, FormErrors, Inputs, PendingTag, TextArea,
    TextField, gate, set_title,
};
use crate::components::{FormPage, record_form_page};
use crate::data::{new_id, use_store};
use crate::pages::accounts::use_manages;
use crate::pages::{
    count, found, partnership_crumbs, partnership_name, use_id, use_partnership_id,
};

/// An event's edit page.
pub fn event_edit_href(e: ConsultationEventId) -> String {
    format!("/events/{e}/edit")
}

/// An event's delete page.
pub fn event_delete_href(e: ConsultationEventId) -> String {
    format!("/events/{e}/delete")
}

/// When a consultation is open: "1 January 2010 to 31 January 2010", "From …", "Until …", or
/// "No dates set".
pub fn date_range(opens: Option<IsoDate>, closes: Option<IsoDate>) -> String {
    match (opens, closes) {
        (Some(o), Some(c)) => format!("{} to {}", o.long(), c.long()),
        (Some(o), None) => format!("From {}", o.long()),
        (None, Some(c)) => format!("Until {}", c.long()),
        (None, None) => "No dates set".to_owned(),
    }
}

/// "Partnerships › Redditch Partnership › Consultations › We Are Redditch", every one a link:
/// where the trail of a page inside a consultation starts.
pub fn consultation_trail(s: &Snapshot, c: ConsultationId) -> Vec<Crumb> {
    let Some(consultation) = s.consultations.get(&c) else {
        return Vec::new();
    };
    let p = consultation.partnership_id;
    let mut crumbs = partnership_crumbs(s, p);
    crumbs.push(Crumb::link("Consultations", consultations_href(p)));
    crumbs.push(Crumb::link(
        consultation.title.clone(),
        consultation_href(c),
    ));
    crumbs
}

/// The consultation's trail, then `here`; without `here`, the consultation itself is where
/// the person is.
pub fn consultation_crumbs(s: &Snapshot, c: ConsultationId, here: Option<String>) -> Vec<Crumb> {
    let mut crumbs = consultation_trail(s, c);
    match here {
        Some(here) => crumbs.push(Crumb::here(here)),
        None => {
            if let Some(last) = crumbs.pop() {
                crumbs.push(Crumb::here(last.text));
            }
        }
    }
    crumbs
}

/// A consultation as the list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsultationRow {
    pub id: ConsultationId,
    pub title: String,
    pub dates: String,
    pub events: usize,
    pub answers: usize,
}

pub fn consultation_rows(s: &Snapshot, p: PartnershipId) -> Vec<ConsultationRow> {
    s.consultations_of(p)
        .into_iter()
        .filter(|(_, c)| !c.archived)
        .map(|(id, c)| ConsultationRow {
            id,
            title: c.title.clone(),
            dates: date_range(c.opens_on, c.closes_on),
            events: s.events_of(id).len(),
            answers: s.responses_of(id).len(),
        })
        .collect()
}

/// A partnership's consultations, latest first, each with its dates and how many answers it
/// has; or, with none, what a consultation is for.
#[component]
pub fn ConsultationList(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
) -> impl IntoView {
    let p = partnership;
    let rows = Memo::new(move |_| snapshot.with(|s| consultation_rows(s, p)));
    let manages = use_manages(Signal::derive(move || Some(p)));
    let pname = Memo::new(move |_| snapshot.with(|s| partnership_name(s, p)));
    set_title(move || vec!["Consultations".to_owned(), pname.get()]);
    let crumbs = Signal::derive(move || {
        snapshot.with(|s| {
            let mut c = partnership_crumbs(s, p);
            c.push(Crumb::here("Consultations"));
            c
        })
    });
    let list = move || {
        let rows = rows.get();
        if rows.is_empty() {
            return view! {
                <div class="consultations-empty">
                    <p class="body">"There are no consultations yet."</p>
                    <p class="body">
                        "A consultation asks residents what matters to them, so the partnership’s priorities reflect theirs. Residents answer a short questionnaire at public events such as “We Are Redditch”, on tablets at a stall, online through a link, or on paper. The results show which priorities residents chose, and what the partnership did about them."
                    </p>
                </div>
            }
            .into_any();
        }
        view! {
            <ul class="record-list consultation-list">
                {rows
                    .into_iter()
                    .map(|r| {
                        view! {
                            <li class="record-list__item consultation-list__item">
                                <h2 class="heading-s consultation-list__title">
                                    <a class="link" href=consultation_href(r.id)>
                                        {r.title}
                                    </a>
                                </h2>
                                <p class="record-list__meta consultation-list__dates">{r.dates}</p>
                                <p class="record-list__meta consultation-list__counts">
                                    <span class="consultation-list__answers">
                                        {count(r.answers, "answer", "answers")}
                                    </span>
                                    ", "
                                    {count(r.events, "event", "events")}
                                </p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">"Consultations"</h1>
        {list}
        <Show when=move || manages.get()>
            <a class="button" href=format!("{}/new", consultations_href(p))>
                "Add a consultation"
            </a>
        </Show>
    }
}

/// `/partnerships/:id/consultations`
#[component]
pub fn ConsultationsPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    gate(store.ready(), pid, "partnership", move |pid| {
        view! { <ConsultationList snapshot=snapshot partnership=pid /> }
    })
}

/// How many of a consultation's answers came by each channel, in the channels' order.
pub fn answers_by_channel(s: &Snapshot, c: ConsultationId) -> Vec<(Channel, usize)> {
    let responses = s.responses_of(c);
    Channel::ALL
        .iter()
        .map(|ch| {
            (
                *ch,
                responses.iter().filter(|(_, r)| r.channel == *ch).count(),
            )
        })
        .collect()
}

/// Copies `text` with the browser's clipboard; `false` when the browser offers none (then the
/// person copies it from the box by hand).
fn copy_to_clipboard(text: &str) -> bool {
    let navigator: JsValue = window().navigator().into();
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")) else {
        return false;
    };
    let Ok(write) = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText")) else {
        return false;
    };
    let Some(write) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&write) else {
        return false;
    };
    write.call1(&clipboard, &JsValue::from_str(text)).is_ok()
}

/// One link of a list of ways in, with a line on what it is for.
fn way_in(href: String, label: &'static str, hint: &'static str) -> impl IntoView {
    view! {
        <li>
            <a class="explore__link" href=href>
                {label}
            </a>
            <span class="hint">{hint}</span>
        </li>
    }
}

/// The public link with a button that copies it.
#[component]
fn PublicLink(url: String) -> impl IntoView {
    let said = RwSignal::new(String::new());
    let copied = url.clone();
    view! {
        <div class="form-group public-link">
            <label class="label" for="public-link">
                "Link to share with residents"
            </label>
            <div class="hint" id="public-link-hint">
                "Residents open it on their own phone or computer and answer online. Put it in the council magazine, on the website and on social media."
            </div>
            <input
                class="input public-link__url"
                type="text"
                id="public-link"
                readonly
                aria-describedby="public-link-hint"
                prop:value=url
                on:focus=move |ev| {
                    if let Some(input) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlInputElement>(&event_target::<web_sys::EventTarget>(&ev)) {
                        input.select();
                    }
                }
            />
            <button
                type="button"
                class="button button--secondary public-link__copy"
                on:click=move |_| {
                    if copy_to_clipboard(&copied) {
                        said.set("Link copied.".to_owned());
                    } else {
                        said.set(
                            "Your browser could not copy the link: select it in the box and copy it."
                                .to_owned(),
                        );
                    }
                }
            >
                "Copy link"
            </button>
            <p class="public-link__status" role="status">
                {move || said.get()}
            </p>
        </div>
    }
}

/// A consultation: its purpose and dates, its events, its questionnaire, the ways answers come
/// in (capture, kiosk, the public link) and how many came by each, and the results.
/// `origin` ("https://atlas.example") makes the public link a full address.
#[component]
pub fn ConsultationDetail(
    #[prop(into)] snapshot: Signal<Snapshot>,
    id: ConsultationId,
    #[prop(into)] origin: String,
) -> impl IntoView {
    let consultation = Memo::new(move |_| snapshot.with(|s| s.consultations.get(&id).cloned()));
    let pending =
        Memo::new(move |_| snapshot.with(|s| s.is_pending((EntityKind::Consultation, id.0))));
    // Add, Edit and Delete are offered to those who manage the partnership.
    let manages = use_manages(Signal::derive(move || {
        consultation.with(|c| c.as_ref().map(|c| c.partnership_id))
    }));
    let title =
        move || consultation.with(|c| c.as_ref().map(|c| c.title.clone()).unwrap_or_default());
    set_title(move || vec![title(), "Consultations".to_owned()]);
    let crumbs = Signal::derive(move || snapshot.with(|s| consultation_crumbs(s, id, None)));
    let events = Memo::new(move |_| {
        snapshot.with(|s| {
            s.events_of(id)
                .into_iter()
                .map(|(eid, e)| (eid, e.clone()))
                .collect::<Vec<_>>()
        })
    });
    let questionnaire = Memo::new(move |_| {
        snapshot.with(|s| {
            s.current_questionnaire(id).map(|(qid, q)| {
                let answered = s
                    .responses_of(id)
                    .iter()
                    .filter(|(_, r)| r.questionnaire_id == qid)
                    .count();
                (q.version, q.questions.len(), answered)
            })
        })
    });
    let channels = Memo::new(move |_| snapshot.with(|s| answers_by_channel(s, id)));
    let href = consultation_href(id);
    let edit_href = format!("{href}/edit");
    let delete_href = format!("{href}/delete");
    let new_event_href = format!("{href}/events/new");
    let public_url = format!("{origin}{}", public_questionnaire_href(id));

    let summary = move || {
        consultation.get().map(|c| {
            let threshold = c.suppression_threshold;
            view! {
                <p class="record-summary__tags">
                    <PendingTag pending=pending />
                </p>
                <dl class="summary-list consultation-summary">
                    <div class="summary-list__row">
                        <dt class="summary-list__key">"Open"</dt>
                        <dd class="summary-list__value consultation-summary__dates">
                            {date_range(c.opens_on, c.closes_on)}
                        </dd>
                    </div>
                    <div class="summary-list__row">
                        <dt class="summary-list__key">"Purpose"</dt>
                        <dd class="summary-list__value preserve-breaks">
                            {if c.purpose.trim().is_empty() {
                                "Not written yet.".to_owned()
                            } else {
                                c.purpose.clone()
                            }}
                        </dd>
                    </div>
                    <div class="summary-list__row">
                        <dt class="summary-list__key">"Small numbers"</dt>
                        <dd class="summary-list__value">
                            {format!(
                                "Public breakdowns hide any group of fewer than {threshold} answers."
                            )}
                        </dd>
                    </div>
                </dl>
            }
        })
    };

    let event_list = move || {
        let events = events.get();
        if events.is_empty() {
            return view! {
                <p class="body">
                    "No events yet. Add the public events where staff will ask residents, such as a stall at a fun day."
                </p>
            }
            .into_any();
        }
        view! {
            <table class="table event-table">
                <caption class="visually-hidden">"Events of this consultation, in date order"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Event"</th>
                        <th scope="col">"Date"</th>
                        <th scope="col">"Venue"</th>
                        <th scope="col">
                            <span class="visually-hidden">"Actions"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {events
                        .into_iter()
                        .map(|(eid, e)| {
                            let name = e.name.clone();
                            view! {
                                <tr class="event-table__row">
                                    <td class="event-table__name">{e.name}</td>
                                    <td>{e.date.long()}</td>
                                    <td>{e.venue}</td>
                                    <td class="table__actions">
                                        <Show when=move || manages.get()>
                                            <a class="link" href=event_edit_href(eid)>
                                                "Edit"
                                                <span class="visually-hidden">{format!(" {name}")}</span>
                                            </a>
                                            " "
                                            <a class="link" href=event_delete_href(eid)>
                                                "Delete"
                                                <span class="visually-hidden">{format!(" {name}")}</span>
                                            </a>
                                        </Show>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };

    let questionnaire_summary = move || match questionnaire.get() {
        None => view! {
            <p class="body questionnaire-summary">
                "There is no questionnaire yet: write the questions before collecting answers."
            </p>
            <a class="button" href=questionnaire_href(id)>
                "Write the questionnaire"
            </a>
        }
        .into_any(),
        Some((version, questions, answered)) => view! {
            <p class="body questionnaire-summary">
                {format!(
                    "Version {version}: {}. {} answered this version.",
                    count(questions, "question", "questions"),
                    count(answered, "resident has", "residents have"),
                )}
            </p>
            <a class="button button--secondary" href=questionnaire_href(id)>
                "Edit the questionnaire"
            </a>
        }
        .into_any(),
    };

    let channel_rows = move || {
        let rows = channels.get();
        let total: usize = rows.iter().map(|(_, n)| n).sum();
        view! {
            <table class="table channel-table">
                <caption class="visually-hidden">"Answers by how they came in"</caption>
                <thead>
                    <tr>
                        <th scope="col">"How answers came in"</th>
                        <th scope="col" class="table__numeric">"Answers"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|(ch, n)| {
                            view! {
                                <tr data-channel=format!("{ch:?}")>
                                    <td>{ch.label()}</td>
                                    <td class="table__numeric">{n}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                    <tr class="channel-table__total">
                        <th scope="row">"Total"</th>
                        <td class="table__numeric">{total}</td>
                    </tr>
                </tbody>
            </table>
        }
    };

    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">{title}</h1>
        {summary}
        <Show when=move || manages.get()>
            <div class="button-group">
                <a class="button button--secondary" href=edit_href.clone()>
                    "Edit consultation"
                </a>
                <a class="button button--warning" href=delete_href.clone()>
                    "Delete consultation"
                </a>
            </div>
        </Show>
        <section class="section" aria-labelledby="events-heading">
            <h2 class="heading-m" id="events-heading">
                "Events"
            </h2>
            {event_list}
            <Show when=move || manages.get()>
                <a class="button button--secondary" href=new_event_href.clone()>
                    "Add an event"
                </a>
            </Show>
        </section>
        <section class="section" aria-labelledby="questionnaire-heading">
            <h2 class="heading-m" id="questionnaire-heading">
                "Questionnaire"
            </h2>
            {questionnaire_summary}
        </section>
        <section class="section" aria-labelledby="collect-heading">
            <h2 class="heading-m" id="collect-heading">
                "Collecting answers"
            </h2>
            <ul class="explore__list collect-list">
                {way_in(
                    capture_href(id),
                    "Capture answers at an event (staff)",
                    "A member of staff asks the questions and taps the answers, or keys in paper forms. Works on a tablet with no network.",
                )}
                {way_in(
                    kiosk_href(id),
                    "Kiosk mode for residents",
                    "Residents answer on the tablet themselves; it starts again for the next person.",
                )}
            </ul>
            <PublicLink url=public_url />
            {channel_rows}
        </section>
        <section class="section" aria-labelledby="results-heading">
            <h2 class="heading-m" id="results-heading">
                "Results"
            </h2>
            <ul class="explore__list">
                {way_in(
                    results_href(id),
                    "Results",
                    "What residents chose, with breakdowns, exports and moderation.",
                )}
                {way_in(
                    you_said_href(id),
                    "You said, we did",
                    "The public page of what residents said and what the partnership did about it.",
                )}
            </ul>
        </section>
    }
}

/// The route's `:id` as a consultation on this device.
fn use_consultation_id(snapshot: Signal<Snapshot>) -> Memo<Option<ConsultationId>> {
    found(use_id("id"), snapshot, |s, id| {
        s.consultations.contains_key(id)
    })
}

/// The address the app is served from, for full links ("https://atlas.example").
fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// `/consultations/:id`
#[component]
pub fn ConsultationPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_consultation_id(snapshot);
    gate(store.ready(), id, "consultation", move |id| {
        view! {
            <crate::pages::delete::ArchivedNotice key=(atlas_shared::EntityKind::Consultation, id.0) />
            <ConsultationDetail snapshot=snapshot id=id origin=origin() />
        }
    })
}

/// The consultation form's fields, in the order its errors are listed.
const FIELD_ORDER: &[&str] = &[
    "title",
    "purpose",
    "opens_on",
    "closes_on",
    "suppression_threshold",
];

/// The fields of a consultation. Calls `on_submit` with what was entered; a date that is not a
/// real day or a threshold that is not a whole number is refused here, with every other
/// problem of the form, in `errors`.
#[component]
pub fn ConsultationForm(
    initial: Consultation,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<Consultation>,
) -> impl IntoView {
    let partnership_id = initial.partnership_id;
    let title = RwSignal::new(initial.title);
    let purpose = RwSignal::new(initial.purpose);
    let date_text = |d: Option<IsoDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let opens_on = RwSignal::new(date_text(initial.opens_on));
    let closes_on = RwSignal::new(date_text(initial.closes_on));
    let threshold = RwSignal::new(initial.suppression_threshold.to_string());
    let submit = move |()| {
        // What must be read before there is a record to check: the dates and the threshold.
        let mut inputs = Inputs::default();
        let opens = inputs.take(optional_date_input(
            "opens_on",
            &opens_on.get_untracked(),
            "the opening date",
        ));
        let closes = inputs.take(optional_date_input(
            "closes_on",
            &closes_on.get_untracked(),
            "the closing date",
        ));
        let threshold = inputs.take(threshold.get_untracked().trim().parse::<u32>().map_err(
            |_| {
                FieldError::new(
                    "suppression_threshold",
                    "Enter the smallest number of answers to show as a whole number, like 5",
                )
            },
        ));
        let consultation = Consultation {
            partnership_id,
            title: title.get_untracked().trim().to_owned(),
            purpose: purpose.get_untracked(),
            opens_on: opens.flatten(),
            closes_on: closes.flatten(),
            suppression_threshold: threshold.unwrap_or(DEFAULT_SUPPRESSION_THRESHOLD),
            archived: false,
        };
        if let Some(found) = inputs.refused(&consultation, FIELD_ORDER) {
            errors.set(found);
            return;
        }
        on_submit.run(consultation)
    };
    view! {
        <AtlasForm on_submit=submit>
            <TextField
                id="title"
                label="Title"
                hint="For example, We Are Redditch 2010"
                value=title
                errors=errors
            />
            <TextArea
                id="purpose"
                label="Purpose (optional)"
                hint="What you are asking residents about and what the answers will shape, such as the priorities of the next Sustainable Community Strategy"
                value=purpose
                errors=errors
                rows=4
            />
            <TextField
                id="opens_on"
                label="Opens on (optional)"
                hint="The first day residents can answer, for example 1 January 2010"
                value=opens_on
                errors=errors
                input_type="date"
                width="input--date"
            />
            <TextField
                id="closes_on"
                label="Closes on (optional)"
                hint="The last day residents can answer"
                value=closes_on
                errors=errors
                input_type="date"
                width="input--date"
            />
            <TextField
                id="suppression_threshold"
                label="Smallest group to show in public results"
                hint="Public breakdowns (by age band or postcode district, say) hide any group with fewer answers than this, so nobody can be picked out. 5 is usual."
                value=threshold
                errors=errors
                inputmode="numeric"
                width="input--width-3"
            />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// `/partnerships/:id/consultations/new`
#[component]
pub fn NewConsultationPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    gate(store.ready(), pid, "partnership", move |pid| {
        let id = ConsultationId(new_id());
        let crumbs = snapshot.with_untracked(|s| {
            let mut c = partnership_crumbs(s, pid);
            c.push(Crumb::link("Consultations", consultations_href(pid)));
            c.push(Crumb::here("Add a consultation"));
            c
        });
        let page = FormPage::in_section(crumbs, "Add a consultation".to_owned(), "Consultations");
        let to_save = move |c: Consultation| (Draft::of(c), consultation_href(id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <ConsultationForm
                    initial=Consultation {
                        partnership_id: pid,
                        title: String::new(),
                        purpose: String::new(),
                        opens_on: None,
                        closes_on: None,
                        suppression_threshold: DEFAULT_SUPPRESSION_THRESHOLD,
                        archived: false,
                    }
                    errors=errors
                    submit_label="Add consultation"
                    cancel_href=consultations_href(pid)
                    on_submit=on_submit
                />
            }
        })
    })
}

/// `/consultations/:id/edit`
#[component]
pub fn EditConsultationPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_consultation_id(snapshot);
    gate(store.ready(), id, "consultation", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.consultations.get(&id).cloned()) else {
            return ().into_any();
        };
        let crumbs =
            snapshot.with_untracked(|s| consultation_crumbs(s, id, Some("Edit".to_owned())));
        let heading = format!("Edit “{}”", initial.title);
        let page = FormPage::in_section(crumbs, heading, "Consultations");
        let to_save = move |c: Consultation| (Draft::of(c), consultation_href(id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <ConsultationForm
                    initial=initial
                    errors=errors
                    submit_label="Save changes"
                    cancel_href=consultation_href(id)
                    on_submit=on_submit
                />
            }
        })
        .into_any()
    })
}

/// The fields of a consultation event: `initial` when editing one, else empty. Calls
/// `on_submit` with what was entered; a date that is not a real day is refused here, with
/// every other problem of the form, in `errors`.
#[component]
pub fn EventForm(
    partnership_id: PartnershipId,
    consultation_id: ConsultationId,
    initial: Option<ConsultationEvent>,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<ConsultationEvent>,
) -> impl IntoView {
    let (name, date, venue) = match initial {
        Some(e) => (e.name, e.date.to_string(), e.venue),
        None => Default::default(),
    };
    let (name, date, venue) = (
        RwSignal::new(name),
        RwSignal::new(date),
        RwSignal::new(venue),
    );
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let day = inputs.take(date_input(
            "date",
            &date.get_untracked(),
            "the event's date",
        ));
        let event = ConsultationEvent {
            partnership_id,
            consultation_id,
            name: name.get_untracked().trim().to_owned(),
            // Checked against the name's rules while the date is put right.
            date: day.unwrap_or(IsoDate::known(2010, 1, 1)),
            venue: venue.get_untracked().trim().to_owned(),
        };
        if let Some(found) = inputs.refused(&event, &["name", "date", "venue"]) {
            errors.set(found);
            return;
        }
        on_submit.run(event)
    };
    view! {
        <AtlasForm on_submit=submit>
            <TextField
                id="name"
                label="Name of the event"
                hint="For example, We Are Redditch public event"
                value=name
                errors=errors
            />
            <TextField
                id="date"
                label="Date"
                hint="For example, 16 January 2010"
                value=date
                errors=errors
                input_type="date"
                width="input--date"
            />
            <TextField
                id="venue"
                label="Venue (optional)"
                hint="Where it is held, for example Kingfisher Shopping Centre"
                value=venue
                errors=errors
            />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// The page around the event form, for an event of the consultation `c` of the partnership
/// `p`: `initial` when editing one.
fn event_form_page(
    snapshot: Signal<Snapshot>,
    id: ConsultationEventId,
    (p, c): (PartnershipId, ConsultationId),
    initial: Option<ConsultationEvent>,
    heading: String,
    submit_label: &'static str,
) -> impl IntoView {
    let crumbs = snapshot.with_untracked(|s| consultation_crumbs(s, c, Some(heading.clone())));
    let page = FormPage::in_section(crumbs, heading, "Consultations");
    let to_save = move |e: ConsultationEvent| (Draft::of(e), consultation_href(c));
    record_form_page(page, id.0, to_save, move |errors, on_submit| {
        view! {
            <EventForm
                partnership_id=p
                consultation_id=c
                initial=initial
                errors=errors
                submit_label=submit_label
                cancel_href=consultation_href(c)
                on_submit=on_submit
            />
        }
    })
}

/// `/consultations/:id/events/new`
#[component]
pub fn NewEventPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let cid = use_consultation_id(snapshot);
    gate(store.ready(), cid, "consultation", move |cid| {
        let Some(p) =
            snapshot.with_untracked(|s| s.consultations.get(&cid).map(|c| c.partnership_id))
        else {
            return ().into_any();
        };
        event_form_page(
            snapshot,
            ConsultationEventId(new_id()),
            (p, cid),
            None,
            "Add an event".to_owned(),
            "Add event",
        )
        .into_any()
    })
}

/// `/events/:id/edit`
#[component]
pub fn EditEventPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<ConsultationEventId>("id"), snapshot, |s, id| {
        s.consultation_events.contains_key(id)
    });
    gate(store.ready(), id, "consultation event", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.consultation_events.get(&id).cloned())
        else {
            return ().into_any();
        };
        let heading = format!("Edit “{}”", initial.name);
        let owner = (initial.partnership_id, initial.consultation_id);
        event_form_page(snapshot, id, owner, Some(initial), heading, "Save changes").into_any()
    })
}
