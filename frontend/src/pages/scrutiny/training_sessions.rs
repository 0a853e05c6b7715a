//! Councillor training sessions about the partnership (`/partnerships/:id/training-sessions`):
//! the yearly check seed 004 asks for ("was this year's session held?", recommendation 9),
//! the sessions, new councillors and whether each got the induction pack (recommendation 8,
//! [`super::inductions`]), and each person's record; and the session form
//! (`/partnerships/:id/training-sessions/new`, `/training-sessions/:id/edit`).

use atlas_shared::date::date_input;
use atlas_shared::scrutiny::training::{AnnualCheck, annual_checks, attendance, parse_names};
use atlas_shared::scrutiny::{TrainingSession, TrainingSessionId};
use atlas_shared::{Draft, IsoDate, PartnershipId, Snapshot};
use leptos::prelude::*;

use super::inductions::InductionsSection;
use super::meeting_routes::{partnership_page, today};
use crate::components::{
    AtlasForm, Breadcrumbs, Crumb, FormActions, FormErrors, FormPage, Inputs, Tag, TextArea,
    TextField, gate, record_form_page, set_title,
};
use crate::data::{new_id, use_store};
use crate::pages::training::induction_href;
use crate::pages::{found, partnership_crumbs, partnership_name, use_id, use_partnership_id};
use atlas_shared::order::sort_by_key;

/// A partnership's training sessions.
pub fn training_sessions_href(p: PartnershipId) -> String {
    format!("/partnerships/{p}/training-sessions")
}

/// One session's pages (edit, delete) are under this.
pub fn training_session_href(id: TrainingSessionId) -> String {
    format!("/training-sessions/{id}")
}

/// "Partnerships › Redditch Partnership › Councillor training", a link each.
pub fn training_trail(s: &Snapshot, p: PartnershipId) -> Vec<Crumb> {
    let mut c = partnership_crumbs(s, p);
    c.push(Crumb::link(
        "Councillor training",
        training_sessions_href(p),
    ));
    c
}

/// The sessions of partnership `p`, latest first.
fn sessions_of(s: &Snapshot, p: PartnershipId) -> Vec<(TrainingSessionId, TrainingSession)> {
    let mut v: Vec<_> = s
        .training_sessions
        .iter()
        .filter(|(_, t)| t.partnership_id == p)
        .map(|(id, t)| (*id, t.clone()))
        .collect();
    sort_by_key(&mut v, |(id, t)| std::cmp::Reverse((t.date, *id)));
    v
}

fn check_tag(check: &AnnualCheck) -> (&'static str, &'static str) {
    match check {
        AnnualCheck::Held(_) => ("Held", "blue"),
        AnnualCheck::NotYet => ("Not yet", "grey"),
        AnnualCheck::Missed => ("Missed", "purple"),
    }
}

/// The training page of partnership `partnership`: the check of each year, the sessions and
/// each person's record.
#[component]
pub fn TrainingSessionsView(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    today: IsoDate,
    #[prop(into)] manages: Signal<bool>,
) -> impl IntoView {
    let p = partnership;
    let pname = Memo::new(move |_| snapshot.with(|s| partnership_name(s, p)));
    set_title(move || vec!["Councillor training".to_owned(), pname.get()]);
    let crumbs = Signal::derive(move || {
        snapshot.with(|s| {
            let mut c = partnership_crumbs(s, p);
            c.push(Crumb::here("Councillor training"));
            c
        })
    });
    let sessions = Memo::new(move |_| snapshot.with(|s| sessions_of(s, p)));
    let checks = Memo::new(move |_| {
        sessions.with(|v| {
            let mut checks = annual_checks(v.iter().map(|(_, t)| t), today);
            checks.reverse();
            checks
        })
    });
    let people = Memo::new(move |_| sessions.with(|v| attendance(v.iter().map(|(_, t)| t))));
    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">"Councillor training"</h1>
        <p class="body lead">
            "Sessions for councillors on the partnership, held every year as part of the councillor training programme, and who attended them."
        </p>
        <p class="body">
            <a class="link" href=induction_href(p)>"The induction pack for new councillors"</a>
        </p>
        <Show when=move || manages.get()>
            <a class="button" href=format!("{}/new", training_sessions_href(p))>
                "Add a training session"
            </a>
        </Show>
        <section class="section" aria-labelledby="annual-heading">
            <h2 class="heading-m" id="annual-heading">
                "Was this year’s session held?"
            </h2>
            {move || {
                let checks = checks.get();
                if checks.is_empty() {
                    return view! {
                        <p class="body" id="annual-checks">"No training session is recorded yet."</p>
                    }
                    .into_any();
                }
                view! {
                    <ul class="record-list" id="annual-checks">
                        {checks
                            .into_iter()
                            .map(|(year, check)| {
                                let (tag, tone) = check_tag(&check);
                                view! {
                                    <li class="record-list__item annual-check">
                                        <strong>{year.to_string()}</strong>
                                        " "
                                        <Tag text=tag tone=tone />
                                        " "
                                        <span class="annual-check__sentence">{check.sentence()}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
        <section class="section" aria-labelledby="sessions-heading">
            <h2 class="heading-m" id="sessions-heading">
                "Sessions"
            </h2>
            {move || {
                let sessions = sessions.get();
                if sessions.is_empty() {
                    return view! { <p class="body">"No sessions yet."</p> }.into_any();
                }
                view! {
                    <table class="table" id="training-sessions">
                        <caption class="table__caption">"Training sessions, latest first"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Date"</th>
                                <th scope="col">"Topic"</th>
                                <th scope="col">"Trainer"</th>
                                <th scope="col">"Material"</th>
                                <th scope="col" class="table__numeric">"Attended"</th>
                                <th scope="col">
                                    <span class="visually-hidden">"Actions"</span>
                                </th>
                            </tr>
                        </thead>
                        <tbody>
                            {sessions
                                .into_iter()
                                .map(|(id, t)| {
                                    let href = training_session_href(id);
                                    let day = t.date.long();
                                    let day_too = day.clone();
                                    view! {
                                        <tr>
                                            <td>
                                                {t.date.long()}
                                                {(!t.note.trim().is_empty())
                                                    .then(|| view! { <div class="hint">{t.note.clone()}</div> })}
                                            </td>
                                            <td>{t.topic.clone()}</td>
                                            <td>{t.trainer.clone()}</td>
                                            <td>{t.material.clone()}</td>
                                            <td class="table__numeric">
                                                {if t.attendees.is_empty() {
                                                    "Not recorded".to_owned()
                                                } else {
                                                    t.attendees.len().to_string()
                                                }}
                                            </td>
                                            <td>
                                                <Show when=move || manages.get()>
                                                    <a class="link" href=format!("{href}/edit")>
                                                        "Edit"
                                                        <span class="visually-hidden">{format!(" the session of {day}")}</span>
                                                    </a>
                                                    " "
                                                    <a class="link" href=format!("{href}/delete")>
                                                        "Delete"
                                                        <span class="visually-hidden">{format!(" the session of {day_too}")}</span>
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
            }}
        </section>
        <InductionsSection snapshot=snapshot partnership=p today=today manages=manages />
        <section class="section" aria-labelledby="people-heading">
            <h2 class="heading-m" id="people-heading">
                "Each person’s training"
            </h2>
            {move || {
                let people = people.get();
                if people.is_empty() {
                    return view! { <p class="body" id="training-people">"No attendance is recorded yet."</p> }
                        .into_any();
                }
                view! {
                    <table class="table" id="training-people">
                        <caption class="table__caption">"Who attended, and when"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Name"</th>
                                <th scope="col">"Sessions attended"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {people
                                .into_iter()
                                .map(|(name, days)| {
                                    let days: Vec<String> = days.into_iter().map(IsoDate::long).collect();
                                    view! {
                                        <tr>
                                            <td>{name}</td>
                                            <td>{days.join(", ")}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
        </section>
    }
}

/// `/partnerships/:id/training-sessions`
#[component]
pub fn TrainingSessionsPage() -> impl IntoView {
    partnership_page(|snapshot, pid, manages| {
        view! { <TrainingSessionsView snapshot=snapshot partnership=pid today=today() manages=manages /> }
    })
}

/// The fields of a training session.
#[component]
pub fn TrainingSessionForm(
    initial: TrainingSession,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<TrainingSession>,
) -> impl IntoView {
    let partnership_id = initial.partnership_id;
    let date = RwSignal::new(initial.date.to_string());
    let topic = RwSignal::new(initial.topic);
    let trainer = RwSignal::new(initial.trainer);
    let material = RwSignal::new(initial.material);
    let attendees = RwSignal::new(initial.attendees.join("\n"));
    let note = RwSignal::new(initial.note);
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let day = inputs.take(date_input(
            "date",
            &date.get_untracked(),
            "the date of the session",
        ));
        let session = TrainingSession {
            partnership_id,
            // Checked against the other rules while the date is put right.
            date: day.unwrap_or(IsoDate::known(2010, 1, 1)),
            topic: topic.get_untracked().trim().to_owned(),
            trainer: trainer.get_untracked().trim().to_owned(),
            material: material.get_untracked().trim().to_owned(),
            attendees: parse_names(&attendees.get_untracked()),
            note: note.get_untracked(),
        };
        if let Some(found) = inputs.refused(
            &session,
            &["date", "topic", "trainer", "material", "attendees", "note"],
        ) {
            errors.set(found);
            return;
        }
        on_submit.run(session)
    };
    view! {
        <AtlasForm on_submit=submit>
            <TextField
                id="date"
                label="Date"
                hint="For example, 1 October 2011"
                value=date
                errors=errors
                input_type="date"
                width="input--date"
            />
            <TextField id="topic" label="Topic" hint="What the session covered, for example The Redditch Partnership" value=topic errors=errors />
            <TextField id="trainer" label="Trainer (optional)" hint="Who gave it, for example the Partnership Manager" value=trainer errors=errors />
            <TextField id="material" label="Material (optional)" hint="What was handed out or shown, for example the induction pack" value=material errors=errors />
            <TextArea
                id="attendees"
                label="Who attended (optional)"
                hint="One name a line"
                value=attendees
                errors=errors
                rows=6
            />
            <TextArea
                id="note"
                label="Note (optional)"
                hint="Anything a reader should know about this record"
                value=note
                errors=errors
                rows=3
            />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

fn session_form_page(
    snapshot: Signal<Snapshot>,
    id: TrainingSessionId,
    initial: TrainingSession,
    heading: String,
    submit_label: &'static str,
) -> impl IntoView {
    let p = initial.partnership_id;
    let crumbs = snapshot.with_untracked(|s| {
        let mut c = training_trail(s, p);
        c.push(Crumb::here(heading.clone()));
        c
    });
    let page = FormPage::in_section(crumbs, heading, "Councillor training");
    let to_save = move |t: TrainingSession| (Draft::of(t), training_sessions_href(p));
    record_form_page(page, id.0, to_save, move |errors, on_submit| {
        view! {
            <TrainingSessionForm
                initial=initial
                errors=errors
                submit_label=submit_label
                cancel_href=training_sessions_href(p)
                on_submit=on_submit
            />
        }
    })
}

/// `/partnerships/:id/training-sessions/new`
#[component]
pub fn NewTrainingSessionPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    gate(store.ready(), pid, "partnership", move |pid| {
        let initial = TrainingSession {
            partnership_id: pid,
            date: today(),
            topic: String::new(),
            trainer: String::new(),
            material: String::new(),
            attendees: Vec::new(),
            note: String::new(),
        };
        session_form_page(
            snapshot,
            TrainingSessionId(new_id()),
            initial,
            "Add a training session".to_owned(),
            "Add session",
        )
    })
}

/// `/training-sessions/:id/edit`
#[component]
pub fn EditTrainingSessionPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<TrainingSessionId>("id"), snapshot, |s, id| {
        s.training_sessions.contains_key(id)
    });
    gate(store.ready(), id, "training session", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.training_sessions.get(&id).cloned())
        else {
            return ().into_any();
        };
        let heading = format!("Edit the session of {}", initial.date.long());
        session_form_page(snapshot, id, initial, heading, "Save changes").into_any()
    })
}
