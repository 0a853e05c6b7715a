//! Action plans: `/partnerships/:id/action-plans` (every group's plans, with seed 003's checks
//! at a glance), `/action-plans/:id` (one plan: its checks and key actions, each with a status
//! worked out from its dates), and the forms for plans and key actions. Group leads and
//! managers may add and change them; everyone who may read the partnership sees them.

use atlas_shared::date::{date_input, optional_date_input};
use atlas_shared::strategy::actions::{
    ActionStatus, CheckOutcome, action_status, default_due_on, plan_checks,
};
use atlas_shared::strategy::{ActionPlan, ActionPlanId, KeyAction, KeyActionId};
use atlas_shared::{
    BodyId, BodyKind, Draft, EntityKind, FieldError, IsoDate, OrganisationId, PartnershipId,
    Snapshot,
};
use leptos::prelude::*;

use super::{action_plan_href, action_plans_href, key_action_href};
use crate::components::{
    AtlasForm, Breadcrumbs, Crumb, FormActions, FormErrors, Inputs, RecordSelect, Tag, TextArea,
    TextField, gate, set_title,
};
use crate::components::{FormPage, record_form_page};
use crate::data::{new_id, now_ms, use_store};
use crate::pages::accounts::use_may_write;
use crate::pages::strategy::serves::ServesFields;
use crate::pages::structure::body_href;
use crate::pages::{found, partnership_crumbs, partnership_name, use_id, use_partnership_id};
use atlas_shared::order::{sort_by, sort_by_key};

/// Today on this device, for the statuses (shared code never reads the clock).
pub fn today() -> IsoDate {
    IsoDate::from_unix_ms(now_ms() as i64).unwrap_or(IsoDate::known(2000, 1, 1))
}

/// "Partnerships › Basingstoke and Deane LSP › Action plans", then `here` when given.
pub fn plans_crumbs(s: &Snapshot, p: PartnershipId, here: Option<String>) -> Vec<Crumb> {
    let mut c = partnership_crumbs(s, p);
    match here {
        Some(here) => {
            c.push(Crumb::link("Action plans", action_plans_href(p)));
            c.push(Crumb::here(here));
        }
        None => c.push(Crumb::link("Action plans", action_plans_href(p))),
    }
    c
}

/// "Community Safety: action plan 2009/10" (the group's name as this device knows it).
pub fn plan_title(s: &Snapshot, plan: &ActionPlan) -> String {
    let group = s.bodies.get(&plan.body_id).map_or_else(
        || "A group no longer in the structure".to_owned(),
        |b| b.name.clone(),
    );
    format!("{group}: action plan {}", plan.year_label())
}

/// The key actions of plan `id`, by due date (undated last), then title.
pub fn actions_of(s: &Snapshot, id: ActionPlanId) -> Vec<(KeyActionId, KeyAction)> {
    let mut actions: Vec<(KeyActionId, KeyAction)> = s
        .key_actions
        .iter()
        .filter(|(_, a)| a.action_plan_id == id)
        .map(|(k, a)| (*k, a.clone()))
        .collect();
    sort_by(&mut actions, |(_, a), (_, b)| {
        (a.due_on.is_none(), a.due_on, &a.title).cmp(&(b.due_on.is_none(), b.due_on, &b.title))
    });
    actions
}

fn outcome_tone(o: CheckOutcome) -> &'static str {
    match o {
        CheckOutcome::Met => "green",
        CheckOutcome::NotMet => "red",
        CheckOutcome::NotYet | CheckOutcome::DoesNotApply => "grey",
    }
}

fn status_tone(s: ActionStatus) -> &'static str {
    match s {
        ActionStatus::Done => "green",
        ActionStatus::Overdue => "red",
        ActionStatus::DueSoon => "yellow",
        ActionStatus::OnSchedule => "blue",
        ActionStatus::NoDueDate => "grey",
    }
}

/// Every group's action plans in partnership `p`, newest year first, with how many of the
/// expectations each meets.
#[component]
pub fn ActionPlansList(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    today: IsoDate,
    #[prop(into)] may_write: Signal<bool>,
) -> impl IntoView {
    let p = partnership;
    let pname = Memo::new(move |_| snapshot.with(|s| partnership_name(s, p)));
    set_title(move || vec!["Action plans".to_owned(), pname.get()]);
    let crumbs = Signal::derive(move || {
        snapshot.with(|s| {
            let mut c = partnership_crumbs(s, p);
            c.push(Crumb::here("Action plans"));
            c
        })
    });
    let rows = Memo::new(move |_| {
        snapshot.with(|s| {
            let mut rows: Vec<(u32, String, ActionPlanId, String, usize, usize)> = s
                .action_plans
                .iter()
                .filter(|(_, plan)| plan.partnership_id == p)
                .map(|(id, plan)| {
                    let actions = actions_of(s, *id);
                    let refs: Vec<&KeyAction> = actions.iter().map(|(_, a)| a).collect();
                    let laa = s.laa_targets_of_plan(plan, &refs);
                    let checks = plan_checks(plan, &refs, &laa, today);
                    let met = checks
                        .iter()
                        .filter(|c| c.outcome == CheckOutcome::Met)
                        .count();
                    let provided = plan
                        .provided_on
                        .map_or_else(|| "Not yet".to_owned(), |d| d.long());
                    (
                        plan.year,
                        plan_title(s, plan),
                        *id,
                        provided,
                        met,
                        checks
                            .iter()
                            .filter(|c| c.outcome != CheckOutcome::DoesNotApply)
                            .count(),
                    )
                })
                .collect();
            sort_by(&mut rows, |a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            rows
        })
    });
    let table = move || {
        let rows = rows.get();
        if rows.is_empty() {
            return view! {
                <p class="body">
                    "No group has an action plan here yet. Each Priority Action Group sets the key actions it will deliver in the year, with a lead and a due date for each."
                </p>
            }
            .into_any();
        }
        view! {
            <table class="table" id="action-plans">
                <caption class="table__caption">"Action plans, newest year first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Plan"</th>
                        <th scope="col">"Provided"</th>
                        <th scope="col">"Expectations met"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|(_, title, id, provided, met, of)| {
                            view! {
                                <tr>
                                    <td>
                                        <a class="link" href=action_plan_href(id)>{title}</a>
                                    </td>
                                    <td>{provided}</td>
                                    <td>{format!("{met} of {of}")}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">"Action plans"</h1>
        <p class="body lead">
            "Each Priority Action Group's key actions for the year. The partnership expects at least three key actions, the plan by June, and a lead and a due date for each action."
        </p>
        {table}
        <Show when=move || may_write.get()>
            <a class="button" href=format!("{}/new", action_plans_href(p))>
                "Add an action plan"
            </a>
        </Show>
    }
}

/// `/partnerships/:id/action-plans`
#[component]
pub fn ActionPlansPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    let may_write = use_may_write(EntityKind::ActionPlan, pid.into());
    gate(store.ready(), pid, "partnership", move |pid| {
        view! { <ActionPlansList snapshot=snapshot partnership=pid today=today() may_write=may_write /> }
    })
}

/// One plan: what is expected of it and whether it meets it, and its key actions with where
/// each stands.
#[component]
pub fn ActionPlanDetail(
    #[prop(into)] snapshot: Signal<Snapshot>,
    id: ActionPlanId,
    today: IsoDate,
    #[prop(into)] may_write: Signal<bool>,
) -> impl IntoView {
    let plan = Memo::new(move |_| snapshot.with(|s| s.action_plans.get(&id).cloned()));
    let title = Memo::new(move |_| {
        plan.with(|p| {
            p.as_ref()
                .map(|p| snapshot.with(|s| plan_title(s, p)))
                .unwrap_or_default()
        })
    });
    set_title(move || vec![title.get()]);
    let crumbs = Signal::derive(move || {
        plan.with(|p| match p {
            Some(p) => snapshot.with(|s| plans_crumbs(s, p.partnership_id, Some(title.get()))),
            None => Vec::new(),
        })
    });
    let actions = Memo::new(move |_| snapshot.with(|s| actions_of(s, id)));
    let checks = move || {
        let plan = plan.get()?;
        let actions = actions.get();
        let refs: Vec<&KeyAction> = actions.iter().map(|(_, a)| a).collect();
        let checks = snapshot.with(|s| {
            let laa = s.laa_targets_of_plan(&plan, &refs);
            plan_checks(&plan, &refs, &laa, today)
        });
        Some(view! {
            <section class="section" aria-labelledby="checks-heading">
                <h2 class="heading-m" id="checks-heading">"What the partnership expects"</h2>
                <ul class="plan-checks" id="plan-checks">
                    {checks
                        .into_iter()
                        .map(|c| {
                            view! {
                                <li class="plan-checks__item" data-outcome=c.outcome.as_key()>
                                    <Tag text=c.outcome.label() tone=outcome_tone(c.outcome) />
                                    " "
                                    <span class="plan-checks__expectation">{c.expectation}</span>
                                    <span class="hint">{c.finding}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        })
    };
    let table = move || {
        let actions = actions.get();
        if actions.is_empty() {
            return view! { <p class="body">"This plan has no key actions yet."</p> }.into_any();
        }
        let rows = snapshot.with(|s| {
            actions
                .into_iter()
                .map(|(aid, a)| {
                    let lead = a
                        .lead_organisation_id
                        .and_then(|o| s.organisations.get(&o))
                        .map_or_else(|| "No lead yet".to_owned(), |o| o.name.clone());
                    let (status, sentence) = action_status(&a, today);
                    (aid, a, lead, status, sentence)
                })
                .collect::<Vec<_>>()
        });
        view! {
            <table class="table" id="key-actions">
                <caption class="table__caption">"Key actions, soonest due first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Key action"</th>
                        <th scope="col">"Lead"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Progress"</th>
                        <Show when=move || may_write.get()>
                            <th scope="col"><span class="visually-hidden">"Change"</span></th>
                        </Show>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|(aid, a, lead, status, sentence)| {
                            let href = key_action_href(aid);
                            let name = a.title.clone();
                            view! {
                                <tr id=format!("action-{aid}")>
                                    <td>
                                        <span class="key-action__title">{a.title}</span>
                                        {(!a.description.is_empty())
                                            .then(|| view! { <span class="hint">{a.description}</span> })}
                                    </td>
                                    <td>{lead}</td>
                                    <td>
                                        <Tag text=status.label() tone=status_tone(status) />
                                        <span class="hint">{sentence}</span>
                                    </td>
                                    <td class="preserve-breaks">{a.progress}</td>
                                    <Show when=move || may_write.get()>
                                        <td class="table__actions">
                                            <a class="link" href=format!("{href}/edit")>
                                                "Edit"
                                                <span class="visually-hidden">{format!(" {name}")}</span>
                                            </a>
                                        </td>
                                    </Show>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    let href = action_plan_href(id);
    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">{move || title.get()}</h1>
        {move || {
            plan.get()
                .map(|p| {
                    view! {
                        <p class="body">
                            {format!("Due by {}. ", p.due_on.long())}
                            <a class="link" href=body_href(p.body_id)>"About the group"</a>
                        </p>
                        {(!p.summary.is_empty())
                            .then(|| view! { <p class="body preserve-breaks">{p.summary}</p> })}
                    }
                })
        }}
        {checks}
        <section class="section" aria-labelledby="actions-heading">
            <h2 class="heading-m" id="actions-heading">"Key actions"</h2>
            {table}
        </section>
        <Show when=move || may_write.get()>
            <div class="button-group">
                <a class="button" href=format!("{href}/actions/new")>"Add a key action"</a>
                <a class="button button--secondary" href=format!("{href}/edit")>"Edit plan"</a>
                <a class="button button--warning" href=format!("{href}/delete")>"Delete plan"</a>
            </div>
        </Show>
    }
}

fn use_plan_id(snapshot: Signal<Snapshot>) -> Memo<Option<ActionPlanId>> {
    found(use_id("id"), snapshot, |s, id| {
        s.action_plans.contains_key(id)
    })
}

/// The partnership of the plan the route names, for who may write.
fn plan_partnership(
    snapshot: Signal<Snapshot>,
    id: Memo<Option<ActionPlanId>>,
) -> Signal<Option<PartnershipId>> {
    Signal::derive(move || {
        let id = id.get()?;
        snapshot.with(|s| s.action_plans.get(&id).map(|p| p.partnership_id))
    })
}

/// `/action-plans/:id`
#[component]
pub fn ActionPlanPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_plan_id(snapshot);
    let may_write = use_may_write(EntityKind::ActionPlan, plan_partnership(snapshot, id));
    gate(store.ready(), id, "action plan", move |id| {
        view! { <ActionPlanDetail snapshot=snapshot id=id today=today() may_write=may_write /> }
    })
}

/// The order of a plan's fields, for the error summary.
const PLAN_FIELDS: &[&str] = &["body_id", "year", "due_on", "provided_on", "summary"];

/// The fields of an action plan.
#[component]
pub fn ActionPlanForm(
    #[prop(into)] snapshot: Signal<Snapshot>,
    initial: ActionPlan,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<ActionPlan>,
) -> impl IntoView {
    let p = initial.partnership_id;
    let groups: Vec<(String, String)> = snapshot.with_untracked(|s| {
        let mut groups: Vec<(BodyKind, String, String)> = s
            .bodies_of(p)
            .into_iter()
            .map(|(id, b)| (b.kind, b.name.clone(), id.to_string()))
            .collect();
        // Priority Action Groups first: the plans are theirs.
        sort_by_key(&mut groups, |(kind, name, _)| {
            (*kind != BodyKind::PriorityActionGroup, name.clone())
        });
        groups.into_iter().map(|(_, name, id)| (id, name)).collect()
    });
    let body = RwSignal::new(initial.body_id.to_string());
    let year = RwSignal::new(initial.year.to_string());
    let due_on = RwSignal::new(initial.due_on.to_string());
    let provided_on = RwSignal::new(
        initial
            .provided_on
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let summary = RwSignal::new(initial.summary);
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let body_id = inputs.take(
            body.get_untracked()
                .parse::<BodyId>()
                .map_err(|_| FieldError::new("body_id", "Choose the group whose plan it is")),
        );
        let year = inputs.take(year.get_untracked().trim().parse::<u32>().map_err(|_| {
            FieldError::new(
                "year",
                "Enter the year the plan starts as a whole number, for example 2009 for 2009/10",
            )
        }));
        let due = inputs.take(date_input(
            "due_on",
            &due_on.get_untracked(),
            "the date the plan is due",
        ));
        let provided = inputs.take(optional_date_input(
            "provided_on",
            &provided_on.get_untracked(),
            "the date the group provided it",
        ));
        let plan = ActionPlan {
            partnership_id: p,
            body_id: body_id.unwrap_or(initial.body_id),
            year: year.unwrap_or(initial.year),
            due_on: due.unwrap_or(initial.due_on),
            provided_on: provided.flatten(),
            summary: summary.get_untracked(),
        };
        if let Some(found) = inputs.refused(&plan, PLAN_FIELDS) {
            errors.set(found);
            return;
        }
        on_submit.run(plan)
    };
    view! {
        <AtlasForm on_submit=submit>
            <RecordSelect id="body_id" label="Group" hint="The group whose plan it is" options=groups value=body errors=errors />
            <TextField id="year" label="Year it starts" hint="For example 2009 for 2009/10" value=year errors=errors inputmode="numeric" width="input--width-4" />
            <TextField id="due_on" label="Due by" hint="When the plan is due. The partnership asks for it by June." value=due_on errors=errors input_type="date" width="input--date" />
            <TextField id="provided_on" label="Provided on (optional)" hint="When the group provided it; leave empty until it has" value=provided_on errors=errors input_type="date" width="input--date" />
            <TextArea id="summary" label="Summary (optional)" hint="What the plan sets out to do this year" value=summary errors=errors rows=4 />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// `/partnerships/:id/action-plans/new`
#[component]
pub fn NewActionPlanPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    gate(store.ready(), pid, "partnership", move |p| {
        let year = today().year();
        let first_group = snapshot.with_untracked(|s| {
            s.bodies_of(p)
                .into_iter()
                .find(|(_, b)| b.kind == BodyKind::PriorityActionGroup)
                .or_else(|| s.bodies_of(p).into_iter().next())
                .map(|(id, _)| id)
        });
        let Some(body_id) = first_group else {
            return view! {
                <p class="body">"Add the partnership's groups first: an action plan belongs to a group."</p>
            }
            .into_any();
        };
        let initial = ActionPlan {
            partnership_id: p,
            body_id,
            year,
            due_on: default_due_on(year).unwrap_or(today()),
            provided_on: None,
            summary: String::new(),
        };
        let id = ActionPlanId(new_id());
        let crumbs =
            snapshot.with_untracked(|s| plans_crumbs(s, p, Some("Add an action plan".to_owned())));
        let page = FormPage::in_section(crumbs, "Add an action plan".to_owned(), "Action plans");
        let to_save = move |plan: ActionPlan| (Draft::of(plan), action_plan_href(id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <ActionPlanForm
                    snapshot=snapshot
                    initial=initial
                    errors=errors
                    submit_label="Add action plan"
                    cancel_href=action_plans_href(p)
                    on_submit=on_submit
                />
            }
        })
        .into_any()
    })
}

/// `/action-plans/:id/edit`
#[component]
pub fn EditActionPlanPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_plan_id(snapshot);
    gate(store.ready(), id, "action plan", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.action_plans.get(&id).cloned()) else {
            return ().into_any();
        };
        let title = snapshot.with_untracked(|s| plan_title(s, &initial));
        let heading = format!("Edit “{title}”");
        let crumbs = snapshot
            .with_untracked(|s| plans_crumbs(s, initial.partnership_id, Some(heading.clone())));
        let page = FormPage::in_section(crumbs, heading, "Action plans");
        let to_save = move |plan: ActionPlan| (Draft::of(plan), action_plan_href(id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <ActionPlanForm
                    snapshot=snapshot
                    initial=initial
                    errors=errors
                    submit_label="Save changes"
                    cancel_href=action_plan_href(id)
                    on_submit=on_submit
                />
            }
        })
        .into_any()
    })
}

/// The order of a key action's fields, for the error summary.
const ACTION_FIELDS: &[&str] = &[
    "title",
    "description",
    "lead_organisation_id",
    "due_on",
    "completed_on",
    "progress",
];

/// The fields of a key action.
#[component]
pub fn KeyActionForm(
    #[prop(into)] snapshot: Signal<Snapshot>,
    initial: KeyAction,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<KeyAction>,
) -> impl IntoView {
    let p = initial.partnership_id;
    let mut leads: Vec<(String, String)> = vec![(String::new(), "No lead yet".to_owned())];
    leads.extend(snapshot.with_untracked(|s| {
        s.organisations_of(p)
            .into_iter()
            .map(|(id, o)| (id.to_string(), o.name.clone()))
            .collect::<Vec<_>>()
    }));
    let date_text = |d: Option<IsoDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let title = RwSignal::new(initial.title.clone());
    let description = RwSignal::new(initial.description.clone());
    let lead = RwSignal::new(
        initial
            .lead_organisation_id
            .map(|o| o.to_string())
            .unwrap_or_default(),
    );
    let due_on = RwSignal::new(date_text(initial.due_on));
    let completed_on = RwSignal::new(date_text(initial.completed_on));
    let progress = RwSignal::new(initial.progress.clone());
    let priorities = RwSignal::new(initial.priority_ids.clone());
    let targets = RwSignal::new(initial.target_ids.clone());
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let due = inputs.take(optional_date_input(
            "due_on",
            &due_on.get_untracked(),
            "the due date",
        ));
        let done = inputs.take(optional_date_input(
            "completed_on",
            &completed_on.get_untracked(),
            "the date it was done",
        ));
        let action = KeyAction {
            title: title.get_untracked().trim().to_owned(),
            description: description.get_untracked(),
            lead_organisation_id: lead.get_untracked().parse::<OrganisationId>().ok(),
            due_on: due.flatten(),
            completed_on: done.flatten(),
            progress: progress.get_untracked(),
            priority_ids: priorities.get_untracked(),
            target_ids: targets.get_untracked(),
            ..initial.clone()
        };
        if let Some(found) = inputs.refused(&action, ACTION_FIELDS) {
            errors.set(found);
            return;
        }
        on_submit.run(action)
    };
    view! {
        <AtlasForm on_submit=submit>
            <TextField id="title" label="Key action" hint="What will be done, in a line" value=title errors=errors />
            <TextArea id="description" label="Description (optional)" value=description errors=errors rows=3 />
            <RecordSelect id="lead_organisation_id" label="Lead organisation" hint="The partner that leads it" options=leads value=lead errors=errors />
            <TextField id="due_on" label="Due on" hint="Its status is worked out from this date" value=due_on errors=errors input_type="date" width="input--date" />
            <TextField id="completed_on" label="Done on (optional)" hint="Leave empty until it is done" value=completed_on errors=errors input_type="date" width="input--date" />
            <TextArea id="progress" label="Progress (optional)" hint="The latest word on how it is going" value=progress errors=errors rows=3 />
            <ServesFields
                snapshot=snapshot
                partnership=p
                priority_hint="It is listed under each on the strategy's page. One action may serve several."
                target_hint="The targets it should move. A Local Area Agreement target named here counts in the plan's check that LAA targets are reported."
                priorities=priorities
                targets=targets
            />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// `/action-plans/:id/actions/new`
#[component]
pub fn NewKeyActionPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let plan_id = use_plan_id(snapshot);
    gate(store.ready(), plan_id, "action plan", move |plan_id| {
        let Some(plan) = snapshot.with_untracked(|s| s.action_plans.get(&plan_id).cloned()) else {
            return ().into_any();
        };
        let initial = KeyAction {
            partnership_id: plan.partnership_id,
            action_plan_id: plan_id,
            title: String::new(),
            description: String::new(),
            lead_organisation_id: None,
            due_on: None,
            completed_on: None,
            progress: String::new(),
            priority_ids: Vec::new(),
            target_ids: Vec::new(),
        };
        let title = snapshot.with_untracked(|s| plan_title(s, &plan));
        let mut crumbs = snapshot.with_untracked(|s| plans_crumbs(s, plan.partnership_id, None));
        crumbs.push(Crumb::link(title, action_plan_href(plan_id)));
        crumbs.push(Crumb::here("Add a key action"));
        let page = FormPage::in_section(crumbs, "Add a key action".to_owned(), "Action plans");
        let to_save = move |a: KeyAction| (Draft::of(a), action_plan_href(plan_id));
        record_form_page(page, new_id(), to_save, move |errors, on_submit| {
            view! {
                <KeyActionForm
                    snapshot=snapshot
                    initial=initial
                    errors=errors
                    submit_label="Add key action"
                    cancel_href=action_plan_href(plan_id)
                    on_submit=on_submit
                />
            }
        })
        .into_any()
    })
}

/// `/key-actions/:id/edit`
#[component]
pub fn EditKeyActionPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<KeyActionId>("id"), snapshot, |s, id| {
        s.key_actions.contains_key(id)
    });
    gate(store.ready(), id, "key action", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.key_actions.get(&id).cloned()) else {
            return ().into_any();
        };
        let plan_id = initial.action_plan_id;
        let heading = format!("Edit “{}”", initial.title);
        let mut crumbs = snapshot.with_untracked(|s| plans_crumbs(s, initial.partnership_id, None));
        if let Some(plan) =
            snapshot.with_untracked(|s| s.action_plans.get(&plan_id).map(|p| plan_title(s, p)))
        {
            crumbs.push(Crumb::link(plan, action_plan_href(plan_id)));
        }
        crumbs.push(Crumb::here(heading.clone()));
        let page = FormPage::in_section(crumbs, heading, "Action plans");
        let to_save = move |a: KeyAction| (Draft::of(a), action_plan_href(plan_id));
        let delete_href = format!("{}/delete", key_action_href(id));
        view! {
            {record_form_page(page, id.0, to_save, move |errors, on_submit| {
                view! {
                    <KeyActionForm
                        snapshot=snapshot
                        initial=initial
                        errors=errors
                        submit_label="Save changes"
                        cancel_href=action_plan_href(plan_id)
                        on_submit=on_submit
                    />
                }
            })}
            <p class="body">
                <a class="link" href=delete_href>"Delete this key action"</a>
            </p>
        }
        .into_any()
    })
}
