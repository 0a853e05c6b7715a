//! The presentation's steps: `/partnerships/:id/steps` (the list, in the order they are shown,
//! with moving up and down), `/steps/:id` (one step), and the form
//! (`/partnerships/:id/steps/new`, `/steps/:id/edit`).

use atlas_shared::training::standard_tour;
use atlas_shared::{BodyId, Draft, PartnershipId, PresentationStep, PresentationStepId, Snapshot};
use leptos::prelude::*;

use super::{step_href, steps_href};
use crate::components::form::focus_element;
use crate::components::{
    AtlasForm, Breadcrumbs, CheckboxGroup, Crumb, ErrorSummary, FormActions, FormErrors,
    GlossedText, TextArea, TextField, gate, set_title,
};
use crate::components::{FormPage, record_form_page};
use crate::data::{Store, new_id, use_store};
use crate::pages::structure::body_href;
use crate::pages::{
    found, partnership_crumbs, partnership_name, save_all, use_id, use_partnership_id,
};

/// How much of a step's text the list shows.
const PREVIEW_CHARS: usize = 120;

/// "Partnerships › Basingstoke and Deane LSP › Presentation steps", then `here` when given.
fn steps_crumbs(s: &Snapshot, p: PartnershipId, here: Option<String>) -> Vec<Crumb> {
    let mut c = partnership_crumbs(s, p);
    match here {
        Some(here) => {
            c.push(Crumb::link("Presentation steps", steps_href(p)));
            c.push(Crumb::here(here));
        }
        None => c.push(Crumb::here("Presentation steps")),
    }
    c
}

/// The start of `text`, cut at a word where it is long: "The Board sets the vision…".
pub fn preview(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= PREVIEW_CHARS {
        return text.to_owned();
    }
    let cut: String = text.chars().take(PREVIEW_CHARS).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(at) if at > PREVIEW_CHARS / 2 => &cut[..at],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end())
}

/// A step as the list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct StepRow {
    pub id: PresentationStepId,
    pub title: String,
    pub preview: String,
    /// The bodies it highlights that still exist, by name.
    pub bodies: Vec<(BodyId, String)>,
}

pub fn step_rows(s: &Snapshot, p: PartnershipId) -> Vec<StepRow> {
    s.steps_of(p)
        .into_iter()
        .map(|(id, step)| StepRow {
            id,
            title: step.title.clone(),
            preview: preview(&step.text),
            bodies: step
                .body_ids
                .iter()
                .filter(|b| s.bodies.contains_key(b))
                .map(|b| (*b, s.body_name(*b)))
                .collect(),
        })
        .collect()
}

/// The steps to save to move step `id` one place up (`up`) or down: the two swap positions.
/// Where positions are not all different, every step is first renumbered in tens (in the
/// order shown), so the swap means something. Only steps whose position changes come back.
pub fn moved(
    steps: &[(PresentationStepId, PresentationStep)],
    id: PresentationStepId,
    up: bool,
) -> Vec<(PresentationStepId, PresentationStep)> {
    let Some(at) = steps.iter().position(|(s, _)| *s == id) else {
        return Vec::new();
    };
    let other = if up { at.checked_sub(1) } else { Some(at + 1) };
    let Some(other) = other.filter(|o| *o < steps.len()) else {
        return Vec::new();
    };
    let mut positions: Vec<u32> = steps.iter().map(|(_, s)| s.position).collect();
    if positions.windows(2).any(|w| w[0] >= w[1]) {
        positions = (1..=steps.len() as u32).map(|n| n * 10).collect();
    }
    positions.swap(at, other);
    steps
        .iter()
        .zip(positions)
        .filter(|((_, s), p)| s.position != *p)
        .map(|((id, s), position)| {
            (
                *id,
                PresentationStep {
                    position,
                    ..s.clone()
                },
            )
        })
        .collect()
}

/// The position a new step takes: ten after the last.
pub fn next_position(s: &Snapshot, p: PartnershipId) -> u32 {
    s.steps_of(p)
        .last()
        .map_or(10, |(_, step)| step.position.saturating_add(10))
}

/// A request from the step list.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StepAction {
    MoveUp(PresentationStepId),
    MoveDown(PresentationStepId),
    StartStandardTour,
}

/// The steps in the order they are shown, each with its number, title, the start of what to
/// say and the bodies it highlights; or, with none, what presentation mode is for.
#[component]
pub fn StepList(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    #[prop(into)] on_action: Callback<StepAction>,
) -> impl IntoView {
    let p = partnership;
    let rows = Memo::new(move |_| snapshot.with(|s| step_rows(s, p)));
    let has_bodies = Memo::new(move |_| snapshot.with(|s| !s.bodies_of(p).is_empty()));
    let pname = Memo::new(move |_| snapshot.with(|s| partnership_name(s, p)));
    set_title(move || vec!["Presentation steps".to_owned(), pname.get()]);
    let crumbs = Signal::derive(move || snapshot.with(|s| steps_crumbs(s, p, None)));
    let list = move || {
        let rows = rows.get();
        if rows.is_empty() {
            return view! {
                <div class="steps-empty">
                    <p class="body">"There are no presentation steps yet."</p>
                    <p class="body">
                        "Presentation mode is a guided walk through the partnership map, for training councillors and new members on a projector. Each step has a title, what to say, and the bodies to highlight on the map while it is shown."
                    </p>
                    {move || {
                        if has_bodies.get() {
                            view! {
                                <p class="body">
                                    "You can start from the standard tour, which goes from the Board down through each group, and then change it."
                                </p>
                                <button
                                    type="button"
                                    class="button button--secondary"
                                    on:click=move |_| on_action.run(StepAction::StartStandardTour)
                                >
                                    "Start from the standard tour"
                                </button>
                            }
                                .into_any()
                        } else {
                            view! {
                                <p class="body">
                                    "Add the partnership’s bodies first: the standard tour is made from them."
                                </p>
                            }
                                .into_any()
                        }
                    }}
                </div>
            }
                .into_any();
        }
        let last = rows.len() - 1;
        view! {
            <ol class="step-list">
                {rows
                    .into_iter()
                    .enumerate()
                    .map(|(n, r)| step_item(n, last, r, on_action))
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">"Presentation steps"</h1>
        {list}
        <a class="button" href=format!("{}/new", steps_href(p))>
            "Add a step"
        </a>
    }
}

/// One step of the list (`n` counts from 0; `last` is the last `n`).
fn step_item(n: usize, last: usize, r: StepRow, on_action: Callback<StepAction>) -> impl IntoView {
    let id = r.id;
    let href = step_href(id);
    // Each action names its step for screen readers: "Move up step 2 “LSP Board”".
    let hidden = format!(" step {} “{}”", n + 1, r.title);
    let which = move |verb: &'static str| {
        let hidden = hidden.clone();
        view! {
            {verb}
            <span class="visually-hidden">{hidden}</span>
        }
    };
    let highlights = if r.bodies.is_empty() {
        view! { <p class="step-list__bodies">"Highlights no bodies."</p> }.into_any()
    } else {
        let count = r.bodies.len();
        view! {
            <p class="step-list__bodies">
                "Highlights: "
                {r
                    .bodies
                    .into_iter()
                    .enumerate()
                    .map(|(i, (b, name))| {
                        view! {
                            {(i > 0).then_some(if i + 1 == count { " and " } else { ", " })}
                            <a class="link" href=body_href(b)>
                                {name}
                            </a>
                        }
                    })
                    .collect_view()}
            </p>
        }
        .into_any()
    };
    let label = which.clone();
    let move_button = move |action: StepAction| {
        let verb = match action {
            StepAction::MoveUp(_) => "Move up",
            _ => "Move down",
        };
        view! {
            <button type="button" class="link-button" on:click=move |_| on_action.run(action)>
                {label(verb)}
            </button>
        }
    };
    view! {
        <li class="step-list__item" id=format!("step-{id}") tabindex="-1">
            <h2 class="heading-s step-list__title">
                <span class="step-list__number">{format!("Step {}", n + 1)}</span>
                <a class="link" href=href.clone()>
                    {r.title}
                </a>
            </h2>
            {(!r.preview.is_empty()).then(|| view! { <p class="body step-list__text">{r.preview}</p> })}
            {highlights}
            <div class="step-list__actions">
                <a class="link" href=format!("{href}/edit")>
                    {which("Edit")}
                </a>
                <a class="link" href=format!("{href}/delete")>
                    {which("Delete")}
                </a>
                {(n > 0).then(|| move_button(StepAction::MoveUp(id)))}
                {(n < last).then(|| move_button(StepAction::MoveDown(id)))}
            </div>
        </li>
    }
}

/// Carries out a request from the step list through the store; `said` is announced when done.
/// While `busy`, further requests are ignored (a double click must not add the tour twice).
fn act(
    store: Store,
    p: PartnershipId,
    action: StepAction,
    errors: RwSignal<FormErrors>,
    said: RwSignal<String>,
    busy: RwSignal<bool>,
) {
    if busy.get_untracked() {
        return;
    }
    busy.set(true);
    // Read in place: a copy of the snapshot would copy every record on the device.
    let (records, moving, message) = store.snapshot().with_untracked(|snap| {
        let steps: Vec<(PresentationStepId, PresentationStep)> = snap
            .steps_of(p)
            .into_iter()
            .map(|(id, s)| (id, s.clone()))
            .collect();
        match action {
            StepAction::MoveUp(id) | StepAction::MoveDown(id) => {
                let up = matches!(action, StepAction::MoveUp(_));
                let at = steps.iter().position(|(s, _)| *s == id).unwrap_or(0);
                let to = if up { at.saturating_sub(1) } else { at + 1 };
                let title = snap
                    .steps
                    .get(&id)
                    .map(|s| s.title.clone())
                    .unwrap_or_default();
                let records: Vec<_> = moved(&steps, id, up)
                    .into_iter()
                    .map(|(id, s)| (id.0, Draft::of(s)))
                    .collect();
                (
                    records,
                    Some(id),
                    format!("Moved “{title}” to step {}.", to + 1),
                )
            }
            StepAction::StartStandardTour => {
                let tour = standard_tour(snap, p);
                let message = format!("Added {} steps from the standard tour.", tour.len());
                let records = tour.into_iter().map(|s| (new_id(), Draft::of(s))).collect();
                (records, None, message)
            }
        }
    });
    save_all(store, records, errors, move |saved| {
        busy.set(false);
        if !saved {
            return;
        }
        said.set(message);
        if let Some(id) = moving {
            // Next frame: by then the list has been redrawn with the step in its new place.
            request_animation_frame(move || focus_element(&format!("step-{id}")));
        }
    });
}

/// `/partnerships/:id/steps`
#[component]
pub fn StepsPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    gate(store.ready(), pid, "partnership", move |pid| {
        let errors = RwSignal::new(FormErrors::default());
        let said = RwSignal::new(String::new());
        let busy = RwSignal::new(false);
        let on_action = move |action| act(store, pid, action, errors, said, busy);
        view! {
            <ErrorSummary errors=errors />
            <p class="visually-hidden" role="status">
                {move || said.get()}
            </p>
            <StepList snapshot=snapshot partnership=pid on_action=on_action />
        }
    })
}

/// One step: what to say (its glossary terms explained) and the bodies it highlights.
#[component]
pub fn StepDetail(
    #[prop(into)] snapshot: Signal<Snapshot>,
    id: PresentationStepId,
) -> impl IntoView {
    let step = Memo::new(move |_| snapshot.with(|s| s.steps.get(&id).cloned()));
    let title = move || step.with(|s| s.as_ref().map(|s| s.title.clone()).unwrap_or_default());
    set_title(move || vec![title(), "Presentation steps".to_owned()]);
    let href = step_href(id);
    move || {
        let Some(step) = step.get() else {
            return ().into_any();
        };
        let p = step.partnership_id;
        let crumbs = snapshot.with(|s| steps_crumbs(s, p, Some(step.title.clone())));
        let bodies: Vec<(BodyId, String)> = snapshot.with(|s| {
            step.body_ids
                .iter()
                .filter(|b| s.bodies.contains_key(b))
                .map(|b| (*b, s.body_name(*b)))
                .collect()
        });
        view! {
            <Breadcrumbs crumbs=crumbs />
            <h1 class="heading-xl">{step.title.clone()}</h1>
            <div class="body preserve-breaks step-text">
                <GlossedText snapshot=snapshot partnership=p text=step.text.clone() />
            </div>
            <h2 class="heading-m">"Bodies highlighted on the map"</h2>
            {if bodies.is_empty() {
                view! { <p class="body">"None."</p> }.into_any()
            } else {
                view! {
                    <ul class="list">
                        {bodies
                            .into_iter()
                            .map(|(b, name)| {
                                view! {
                                    <li>
                                        <a class="link" href=body_href(b)>
                                            {name}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <div class="button-group">
                <a class="button button--secondary" href=format!("{href}/edit")>
                    "Edit step"
                </a>
                <a class="button button--warning" href=format!("{href}/delete")>
                    "Delete step"
                </a>
                <a class="link" href=steps_href(p)>
                    "All steps"
                </a>
            </div>
        }
        .into_any()
    }
}

/// The route's `:id` as a step on this device.
fn use_step_id(snapshot: Signal<Snapshot>) -> Memo<Option<PresentationStepId>> {
    found(use_id("id"), snapshot, |s, id| s.steps.contains_key(id))
}

/// `/steps/:id`
#[component]
pub fn StepPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_step_id(snapshot);
    gate(store.ready(), id, "presentation step", move |id| {
        view! { <StepDetail snapshot=snapshot id=id /> }
    })
}

/// The fields of a step: its title, what to say, and the partnership's bodies as checkboxes
/// (those to highlight on the map). Calls `on_submit` with what was entered; the position is
/// kept from `initial`.
#[component]
pub fn PresentationStepForm(
    /// Where the partnership's bodies come from.
    #[prop(into)]
    snapshot: Signal<Snapshot>,
    initial: PresentationStep,
    #[prop(into)] errors: Signal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<PresentationStep>,
) -> impl IntoView {
    let partnership_id = initial.partnership_id;
    let position = initial.position;
    let title = RwSignal::new(initial.title);
    let text = RwSignal::new(initial.text);
    let checked = RwSignal::new(
        initial
            .body_ids
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
    );
    let bodies = Memo::new(move |_| {
        snapshot.with(|s| {
            s.bodies_of(partnership_id)
                .into_iter()
                .map(|(id, b)| (id.to_string(), b.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let submit = move |()| {
        // In the order the form lists them, and only bodies that still exist.
        let body_ids = checked.with_untracked(|c| {
            bodies.with_untracked(|all| {
                all.iter()
                    .filter(|(key, _)| c.contains(key))
                    .filter_map(|(key, _)| key.parse().ok())
                    .collect()
            })
        });
        on_submit.run(PresentationStep {
            partnership_id,
            position,
            title: title.get_untracked(),
            text: text.get_untracked(),
            body_ids,
        })
    };
    view! {
        <AtlasForm on_submit=submit>
            <TextField
                id="title"
                label="Title"
                hint="For example, The LSP Board"
                value=title
                errors=errors
            />
            <TextArea
                id="text"
                label="What to say (optional)"
                hint="The points to make while this step is on the screen. Acronyms in the glossary explain themselves."
                value=text
                errors=errors
                rows=6
            />
            {move || {
                if bodies.with(Vec::is_empty) {
                    view! {
                        <p class="body">
                            "This partnership has no bodies yet, so there is nothing to highlight on the map."
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <CheckboxGroup
                            id="body_ids"
                            legend="Bodies to highlight on the map"
                            hint="Select all that apply"
                            options=bodies
                            value=checked
                            errors=errors
                        />
                    }
                        .into_any()
                }
            }}
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// The page around the form: breadcrumbs, error summary, heading.
fn step_form_page(
    snapshot: Signal<Snapshot>,
    id: PresentationStepId,
    initial: PresentationStep,
    heading: String,
    submit_label: &'static str,
) -> impl IntoView {
    let p = initial.partnership_id;
    let crumbs = snapshot.with_untracked(|s| steps_crumbs(s, p, Some(heading.clone())));
    let page = FormPage::in_section(crumbs, heading, "Presentation steps");
    let to_save = move |step: PresentationStep| (Draft::of(step), steps_href(p));
    record_form_page(page, id.0, to_save, move |errors, on_submit| {
        view! {
            <PresentationStepForm
                snapshot=snapshot
                initial=initial
                errors=errors
                submit_label=submit_label
                cancel_href=steps_href(p)
                on_submit=on_submit
            />
        }
    })
}

/// `/partnerships/:id/steps/new`
#[component]
pub fn NewStepPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    gate(store.ready(), pid, "partnership", move |pid| {
        let initial = PresentationStep {
            partnership_id: pid,
            position: snapshot.with_untracked(|s| next_position(s, pid)),
            title: String::new(),
            text: String::new(),
            body_ids: Vec::new(),
        };
        step_form_page(
            snapshot,
            PresentationStepId(new_id()),
            initial,
            "Add a step".to_owned(),
            "Add step",
        )
    })
}

/// `/steps/:id/edit`
#[component]
pub fn EditStepPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_step_id(snapshot);
    gate(store.ready(), id, "presentation step", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.steps.get(&id).cloned()) else {
            return ().into_any();
        };
        let heading = format!("Edit “{}”", initial.title);
        step_form_page(snapshot, id, initial, heading, "Save changes").into_any()
    })
}
