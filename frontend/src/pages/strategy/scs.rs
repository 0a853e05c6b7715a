//! A strategy (`/strategies/:id`): its period, status and the dates of each step, its vision,
//! its priorities in order (with a warning above six) and, under each, its targets with their
//! status, the rule's sentence and a trajectory chart. And the priority form
//! (`/strategies/:id/priorities/new`, `/priorities/:id/edit`).

use atlas_shared::strategy::dashboard::current_strategy;
use atlas_shared::strategy::residents::{RankingQuestion, ReflectsResidents, ranking_questions};
use atlas_shared::strategy::{
    Assessment, Priority, PriorityId, ResidentRanking, ResidentTheme, Strategy, StrategyId,
    StrategyStatus, Target, TargetId, assess, figures_of, resident_ranking,
    strategy_reflects_residents, too_many_priorities,
};
use atlas_shared::{
    Draft, EntityKind, FieldError, IsoDate, OrganisationId, PartnershipId, Snapshot,
};
use leptos::prelude::*;
use uuid::Uuid;

use super::chart::TrajectoryChart;
use super::figures::FiguresInBulk;
use super::status::StatusSummary;
use super::strategies::{status_tag, use_strategy_id};
use super::{
    compare_href, ending, priority_edit_href, priority_href, strategy_href, strategy_trail,
    target_href, today,
};
use crate::components::{
    AtlasForm, Breadcrumbs, CheckboxGroup, ErrorSummary, FormActions, FormErrors, FormPage, Inputs,
    PendingTag, RecordSelect, TextArea, TextField, gate, record_form_page, set_title,
};
use crate::data::{new_id, use_store};
use crate::pages::accounts::{use_manages, use_may_write};
use crate::pages::consultation::results::SaveRecords;
use crate::pages::consultation::you_said::LinkList;
use crate::pages::consultation::you_said_href;
use crate::pages::structure::body_href;
use crate::pages::{found, save_all, use_id};
use atlas_shared::order::{sort, sort_by_key};

/// One target as the strategy page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetItem {
    pub id: TargetId,
    pub target: Target,
    pub figures: Vec<(IsoDate, f64)>,
    pub assessment: Assessment,
}

/// One priority as the strategy page shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct PriorityItem {
    pub id: PriorityId,
    pub priority: Priority,
    pub owner: Option<(atlas_shared::BodyId, String)>,
    pub leads: Vec<String>,
    pub targets: Vec<TargetItem>,
    /// Where residents ranked its theme, if it names one.
    pub ranking: Option<ResidentRanking>,
    /// "What residents said": the findings that led to it, (link to the consultation's "you
    /// said, we did" page, the consultation's title, what residents said).
    pub residents_said: Vec<(String, String, String)>,
    /// The priorities of other partnerships it dovetails with that this reader sees:
    /// (link, title, partnership's name).
    pub dovetails: Vec<(String, String, String)>,
}

/// The findings that name priority `p`, in consultation then finding order.
pub fn residents_said(s: &Snapshot, p: PriorityId) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = s
        .findings
        .iter()
        .filter(|(_, f)| f.priority_ids.contains(&p))
        .filter_map(|(id, f)| {
            let c = s.consultations.get(&f.consultation_id)?;
            Some((
                (f.consultation_id, *id),
                (
                    you_said_href(f.consultation_id),
                    c.title.clone(),
                    f.text.clone(),
                ),
            ))
        })
        .collect();
    sort_by_key(&mut out, |(k, _)| *k);
    out.into_iter().map(|(_, row)| row).collect()
}

/// The priorities `priority` dovetails with (either way round) that this reader sees.
pub fn dovetails_of(
    s: &Snapshot,
    id: PriorityId,
    priority: &Priority,
) -> Vec<(String, String, String)> {
    let mut ids: Vec<PriorityId> = priority.dovetails_with.clone();
    ids.extend(
        s.priorities
            .iter()
            .filter(|(_, other)| other.dovetails_with.contains(&id))
            .map(|(o, _)| *o),
    );
    sort(&mut ids);
    ids.dedup();
    ids.into_iter()
        .filter(|o| *o != id)
        .filter_map(|o| {
            let other = s.priorities.get(&o)?;
            let name = s
                .partnerships
                .get(&other.partnership_id)
                .map(|p| p.name.clone())
                .unwrap_or_default();
            Some((
                priority_href(other.strategy_id, o),
                other.title.clone(),
                name,
            ))
        })
        .collect()
}

pub fn target_items(s: &Snapshot, p: PriorityId, today: IsoDate) -> Vec<TargetItem> {
    s.targets_of(p)
        .into_iter()
        .map(|(id, t)| {
            let figures = figures_of(s, id);
            TargetItem {
                id,
                target: t.clone(),
                assessment: assess(t, &figures, today),
                figures,
            }
        })
        .collect()
}

pub fn priority_items(s: &Snapshot, id: StrategyId, today: IsoDate) -> Vec<PriorityItem> {
    s.priorities_of(id)
        .into_iter()
        .map(|(pid, p)| PriorityItem {
            id: pid,
            priority: p.clone(),
            owner: p
                .body_id
                .filter(|b| s.bodies.contains_key(b))
                .map(|b| (b, s.body_name(b))),
            leads: p
                .lead_organisation_ids
                .iter()
                .filter_map(|o| s.organisations.get(o).map(|o| o.name.clone()))
                .collect(),
            targets: target_items(s, pid, today),
            ranking: p.resident_theme.as_ref().map(|t| resident_ranking(s, t)),
            residents_said: residents_said(s, pid),
            dovetails: dovetails_of(s, pid, p),
        })
        .collect()
}

/// The dates of the steps a strategy has reached: "Pre-scrutiny: 2 March 2011".
fn step_dates(st: &Strategy) -> Vec<String> {
    st.steps()
        .into_iter()
        .filter_map(|(step, _, date)| date.map(|d| format!("{}: {}", step.label(), d.long())))
        .collect()
}

/// A strategy: period, status, vision, and each priority with its targets' statuses.
/// `today` decides which figures are overdue; `manages` whether to offer Add, Edit and Delete.
#[component]
pub fn StrategyDetail(
    #[prop(into)] snapshot: Signal<Snapshot>,
    id: StrategyId,
    today: IsoDate,
    #[prop(into)] manages: Signal<bool>,
) -> impl IntoView {
    let strategy = Memo::new(move |_| snapshot.with(|s| s.strategies.get(&id).cloned()));
    let priorities = Memo::new(move |_| snapshot.with(|s| priority_items(s, id, today)));
    let reflects = Memo::new(move |_| snapshot.with(|s| strategy_reflects_residents(s, id).1));
    let partnership =
        Memo::new(move |_| snapshot.with(|s| s.strategies.get(&id).map(|st| st.partnership_id)));
    let pending = Memo::new(move |_| {
        snapshot.with(|s| s.is_pending((atlas_shared::EntityKind::Strategy, id.0)))
    });
    let title = move || strategy.with(|s| s.as_ref().map(|s| s.title.clone()).unwrap_or_default());
    set_title(move || vec![title(), "Strategies".to_owned()]);
    let crumbs = Signal::derive(move || snapshot.with(|s| ending(strategy_trail(s, id), None)));
    let href = strategy_href(id);

    let summary = move || {
        strategy.get().map(|st| {
            let draft = st.status == StrategyStatus::Draft;
            let steps = step_dates(&st);
            view! {
                <p class="record-summary__tags">
                    {status_tag(st.status)}
                    " "
                    <PendingTag pending=pending />
                </p>
                {draft
                    .then(|| {
                        view! {
                            <div class="inset-text strategy-draft-note" id="draft-note">
                                "Draft: only members of the partnership can see this."
                            </div>
                        }
                    })}
                <dl class="summary-list strategy-summary">
                    <div class="summary-list__row">
                        <dt class="summary-list__key">"Period"</dt>
                        <dd class="summary-list__value strategy-summary__period">{st.period()}</dd>
                    </div>
                    <div class="summary-list__row">
                        <dt class="summary-list__key">"Status"</dt>
                        <dd class="summary-list__value">
                            {st.status.label()}
                            ". "
                            {st.status.explanation()}
                            {(!steps.is_empty()).then(|| view! { <br /> {steps.join("; ")} })}
                        </dd>
                    </div>
                </dl>
                <section class="section" aria-labelledby="vision-heading">
                    <h2 class="heading-m" id="vision-heading">"Vision"</h2>
                    <p class="body preserve-breaks strategy-vision">
                        {if st.vision.trim().is_empty() {
                            "Not written yet.".to_owned()
                        } else {
                            st.vision.clone()
                        }}
                    </p>
                </section>
            }
        })
    };

    let priority_list = move || {
        let items = priorities.get();
        let warning = too_many_priorities(items.len());
        let list = if items.is_empty() {
            view! {
                <p class="body">
                    "No priorities yet. A strategy has a few priorities, each owned by a group and measured by targets."
                </p>
            }
            .into_any()
        } else {
            view! {
                <ol class="priority-list">
                    {items
                        .into_iter()
                        .map(|item| view! { <PriorityCard item=item manages=manages /> })
                        .collect_view()}
                </ol>
            }
            .into_any()
        };
        view! {
            {warning
                .map(|w| {
                    view! {
                        <div class="warning-text priorities-warning" id="priorities-warning">
                            <span class="warning-text__icon" aria-hidden="true">"!"</span>
                            <strong class="warning-text__text">
                                <span class="visually-hidden">"Warning: "</span>
                                {w}
                            </strong>
                        </div>
                    }
                })}
            {list}
        }
    };

    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">{title}</h1>
        {summary}
        <Show when=move || manages.get()>
            <div class="button-group">
                <a class="button button--secondary" href=format!("{href}/edit")>
                    "Edit strategy"
                </a>
                <a class="button button--warning" href=format!("{href}/delete")>
                    "Delete strategy"
                </a>
            </div>
        </Show>
        <section class="section" aria-labelledby="priorities-heading">
            <h2 class="heading-m" id="priorities-heading">"Priorities"</h2>
            <ResidentsSummary summary=reflects />
            {move || partnership.get().map(|p| view! {
                <p class="body">
                    <a class="link" href=compare_href(p) id="compare-link">
                        "Compare these priorities with other partnerships'"
                    </a>
                </p>
            })}
            {priority_list}
            <Show when=move || manages.get()>
                <a class="button" href=format!("{}/priorities/new", strategy_href(id))>
                    "Add a priority"
                </a>
            </Show>
        </section>
    }
}

/// "Does the strategy reflect what residents said?": how many priorities residents put in
/// their top half (seed 004 #14).
#[component]
fn ResidentsSummary(#[prop(into)] summary: Signal<ReflectsResidents>) -> impl IntoView {
    move || {
        let s = summary.get();
        (s.priorities > 0).then(|| {
            view! {
                <div class="inset-text strategy-residents" id="residents-summary"
                    data-top-half=s.in_top_half.to_string() data-placed=s.placed.to_string()>
                    <h3 class="heading-s">"Does it reflect what residents said?"</h3>
                    <p class="body">{s.sentence()}</p>
                    <p class="hint">
                        "Each priority may name the theme residents ranked in one of the partnership's consultations. Places come from the published results, scored by a Borda count; where too few residents answered, no place is given."
                    </p>
                </div>
            }
        })
    }
}

/// One priority: its owner and leads, its description and each target's status and chart.
#[component]
fn PriorityCard(item: PriorityItem, #[prop(into)] manages: Signal<bool>) -> impl IntoView {
    let PriorityItem {
        id,
        priority,
        owner,
        leads,
        targets,
        ranking,
        residents_said,
        dovetails,
    } = item;
    let heading_id = format!("priority-{id}");
    let title = priority.title.clone();
    let of_it = format!(" the priority {title}");
    let to_it = format!(" to {title}");
    let description = priority.description.clone();
    let targets_view = if targets.is_empty() {
        view! { <p class="body">"No targets yet."</p> }.into_any()
    } else {
        targets
            .into_iter()
            .map(|t| {
                let chart_id = format!("chart-{}", t.id);
                view! {
                    <div class="target-card">
                        <h4 class="heading-s target-card__name">
                            <a class="link" href=target_href(t.id)>
                                {(!t.target.code.is_empty()).then(|| format!("{}: ", t.target.code))}
                                {t.target.name.clone()}
                            </a>
                        </h4>
                        <StatusSummary assessment=t.assessment.clone() />
                        <TrajectoryChart id=chart_id target=t.target figures=t.figures />
                    </div>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <li class="priority-card" id=heading_id.clone()>
            <h3 class="heading-m priority-card__title">{title}</h3>
            <p class="record-list__meta priority-card__owner">
                "Owned by "
                {match owner {
                    Some((body, name)) => view! { <a class="link" href=body_href(body)>{name}</a> }.into_any(),
                    None => view! { "no group yet" }.into_any(),
                }}
                {(!leads.is_empty()).then(|| format!(". Lead partners: {}", leads.join(", ")))}
            </p>
            {(!description.trim().is_empty())
                .then(|| view! { <p class="body preserve-breaks">{description.clone()}</p> })}
            {ranking.map(|r| {
                let top = match r.in_top_half() {
                    Some(true) => "In residents' top half",
                    Some(false) => "Not in residents' top half",
                    None => "No place from residents",
                };
                view! {
                    <div class="inset-text priority-card__residents">
                        <strong class="tag tag--grey">{top}</strong>
                        " "
                        <span class="priority-card__ranking">{r.sentence()}</span>
                    </div>
                }
            })}
            {(!residents_said.is_empty()).then(|| view! {
                <h4 class="heading-s">"What residents said"</h4>
                <ul class="list priority-card__said">
                    {residents_said
                        .into_iter()
                        .map(|(href, consultation, text)| view! {
                            <li>{format!("“{text}” ")}<a class="link" href=href>{format!("({consultation}: you said, we did)")}</a></li>
                        })
                        .collect_view()}
                </ul>
            })}
            {(!dovetails.is_empty()).then(|| view! {
                <h4 class="heading-s">"Dovetails with"</h4>
                <LinkList class="priority-card__dovetails" items=dovetails
                    .into_iter()
                    .map(|(href, title, partnership)| (href, title, format!(" ({partnership})")))
                    .collect() />
            })}
            <Show when=move || manages.get()>
                <div class="button-group priority-card__actions">
                    <a class="link" href=priority_edit_href(id)>
                        "Edit"
                        <span class="visually-hidden">{of_it.clone()}</span>
                    </a>
                    <a class="link" href=format!("/priorities/{id}/delete")>
                        "Delete"
                        <span class="visually-hidden">{of_it.clone()}</span>
                    </a>
                    <a class="link" href=format!("/priorities/{id}/targets/new")>
                        "Add a target"
                        <span class="visually-hidden">{to_it.clone()}</span>
                    </a>
                </div>
            </Show>
            {targets_view}
        </li>
    }
}

/// `/strategies/:id`
#[component]
pub fn StrategyPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_strategy_id(snapshot);
    let partnership = Signal::derive(move || {
        id.get()
            .and_then(|id| snapshot.with(|s| s.strategies.get(&id).map(|s| s.partnership_id)))
    });
    let manages = use_manages(partnership);
    let may_import = use_may_write(EntityKind::Measurement, partnership);
    let errors = RwSignal::new(FormErrors::default());
    let on_save: SaveRecords = Callback::new(move |records: Vec<(Uuid, Draft)>| {
        save_all(store, records, errors, |_| {});
    });
    gate(store.ready(), id, "strategy", move |id| {
        view! {
            <StrategyDetail snapshot=snapshot id=id today=today() manages=manages />
            <ErrorSummary errors=errors />
            <FiguresInBulk snapshot=snapshot strategy=id may_import=may_import on_save=on_save />
        }
    })
}

const PRIORITY_FIELDS: &[&str] = &[
    "title",
    "description",
    "position",
    "body_id",
    "lead_organisation_ids",
    "resident_theme",
    "dovetails_with",
];

/// The themes residents ranked that a priority of partnership `p` can name: each option of
/// each ranking question of the partnership's consultations, with its text for the select.
pub fn theme_choices(s: &Snapshot, p: PartnershipId) -> Vec<(ResidentTheme, String)> {
    let mut out = Vec::new();
    for (c, consultation) in s.consultations_of(p) {
        for RankingQuestion { key, text, options } in ranking_questions(s, c) {
            for (option_key, label) in options {
                out.push((
                    ResidentTheme {
                        consultation_id: c,
                        question_key: key.clone(),
                        option_key,
                        option_label: label.clone(),
                    },
                    format!("{}: {label} (ranked in “{text}”)", consultation.title),
                ));
            }
        }
    }
    out
}

/// The priorities of other partnerships' current strategies that a priority of `p` can
/// dovetail with, as (id, "title (partnership)").
pub fn dovetail_choices(s: &Snapshot, p: PartnershipId) -> Vec<(PriorityId, String)> {
    let mut out = Vec::new();
    for (other, partnership) in &s.partnerships {
        if *other == p || partnership.archived {
            continue;
        }
        let Some(current) = current_strategy(s, *other, today()) else {
            continue;
        };
        for (id, pr) in s.priorities_of(current) {
            out.push((id, format!("{} ({})", pr.title, partnership.name)));
        }
    }
    out
}

/// Whether two links name the same option (the label is only a record of its name then).
fn same_theme(a: &ResidentTheme, b: &ResidentTheme) -> bool {
    a.consultation_id == b.consultation_id
        && a.question_key == b.question_key
        && a.option_key == b.option_key
}

/// The fields of a priority. `bodies` and `organisations` are (id, name) of the partnership's.
#[component]
pub fn PriorityForm(
    initial: Priority,
    bodies: Vec<(String, String)>,
    organisations: Vec<(String, String)>,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<Priority>,
    /// The themes residents ranked, from [`theme_choices`].
    #[prop(optional)]
    themes: Vec<(ResidentTheme, String)>,
    /// Other partnerships' priorities, from [`dovetail_choices`].
    #[prop(optional)]
    dovetail_options: Vec<(PriorityId, String)>,
) -> impl IntoView {
    let (partnership_id, strategy_id) = (initial.partnership_id, initial.strategy_id);
    // The theme: an index into `themes`, or "current" for a link the list no longer offers
    // (kept as it is unless someone chooses otherwise: nothing typed is dropped).
    let current_theme = initial.resident_theme.clone();
    let offered = current_theme
        .as_ref()
        .map(|t| themes.iter().position(|(x, _)| same_theme(x, t)));
    let theme = RwSignal::new(match offered {
        None => String::new(),
        Some(Some(i)) => i.to_string(),
        Some(None) => "current".to_owned(),
    });
    let mut theme_options = vec![(
        String::new(),
        "Not linked to a theme residents ranked".to_owned(),
    )];
    if let (Some(t), Some(None)) = (&current_theme, offered) {
        let name = if t.option_label.is_empty() {
            t.option_key.clone()
        } else {
            t.option_label.clone()
        };
        theme_options.push((
            "current".to_owned(),
            format!("Keep the current link (“{name}”, no longer offered)"),
        ));
    }
    theme_options.extend(
        themes
            .iter()
            .enumerate()
            .map(|(i, (_, text))| (i.to_string(), text.clone())),
    );
    let offered_ids: Vec<PriorityId> = dovetail_options.iter().map(|(id, _)| *id).collect();
    // Links to priorities not offered here (not current, or not visible) are kept.
    let kept: Vec<PriorityId> = initial
        .dovetails_with
        .iter()
        .filter(|id| !offered_ids.contains(id))
        .copied()
        .collect();
    let dovetails = RwSignal::new(
        initial
            .dovetails_with
            .iter()
            .filter(|id| offered_ids.contains(id))
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
    );
    let dovetail_checkboxes: Vec<(String, String)> = dovetail_options
        .into_iter()
        .map(|(id, text)| (id.to_string(), text))
        .collect();
    let has_dovetails = !dovetail_checkboxes.is_empty();
    let title = RwSignal::new(initial.title);
    let description = RwSignal::new(initial.description);
    let position = RwSignal::new(initial.position.to_string());
    let body = RwSignal::new(initial.body_id.map(|b| b.to_string()).unwrap_or_default());
    let leads = RwSignal::new(
        initial
            .lead_organisation_ids
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
    );
    let mut body_options = vec![(String::new(), "No group yet".to_owned())];
    body_options.extend(bodies);
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let place = inputs.take(position.get_untracked().trim().parse::<u32>().map_err(|_| {
            FieldError::new(
                "position",
                "Enter the order number as a whole number, like 1",
            )
        }));
        let priority = Priority {
            partnership_id,
            strategy_id,
            title: title.get_untracked().trim().to_owned(),
            description: description.get_untracked(),
            body_id: body.get_untracked().parse().ok(),
            lead_organisation_ids: leads
                .get_untracked()
                .iter()
                .filter_map(|o| o.parse::<OrganisationId>().ok())
                .collect(),
            position: place.unwrap_or(1),
            resident_theme: match theme.get_untracked().as_str() {
                "" => None,
                "current" => current_theme.clone(),
                i => i
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| themes.get(i))
                    .map(|(t, _)| t.clone()),
            },
            dovetails_with: kept
                .iter()
                .copied()
                .chain(
                    dovetails
                        .get_untracked()
                        .iter()
                        .filter_map(|o| o.parse::<PriorityId>().ok()),
                )
                .collect(),
        };
        if let Some(found) = inputs.refused(&priority, PRIORITY_FIELDS) {
            errors.set(found);
            return;
        }
        on_submit.run(priority)
    };
    view! {
        <AtlasForm on_submit=submit>
            <TextField
                id="title"
                label="Title"
                hint="For example, Raising educational standards"
                value=title
                errors=errors
            />
            <TextArea
                id="description"
                label="Description (optional)"
                hint="What the partnership means to achieve under this priority"
                value=description
                errors=errors
                rows=4
            />
            <TextField
                id="position"
                label="Order number"
                hint="Where it comes in the strategy's list: 1 first"
                value=position
                errors=errors
                inputmode="numeric"
                width="input--width-3"
            />
            <RecordSelect
                id="body_id"
                label="Owning group"
                hint="The body answerable for it, usually a Priority Action Group"
                options=body_options
                value=body
                errors=errors
            />
            <CheckboxGroup
                id="lead_organisation_ids"
                legend="Lead partners (optional)"
                hint="The organisations that lead the work"
                options=organisations
                value=leads
                errors=errors
            />
            <RecordSelect
                id="resident_theme"
                label="The theme residents ranked (optional)"
                hint="Choose the option of a consultation's ranking question that this priority answers. The strategy page then shows where residents ranked it, so a reader sees whether the strategy reflects what residents said."
                options=theme_options
                value=theme
                errors=errors
            />
            {has_dovetails.then(|| view! {
                <CheckboxGroup
                    id="dovetails_with"
                    legend="Dovetails with (optional)"
                    hint="Priorities of other partnerships' current strategies that this one dovetails with, such as the county partnership's"
                    options=dovetail_checkboxes
                    value=dovetails
                    errors=errors
                />
            })}
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// (value, text) pairs for a select or checkboxes.
type Options = Vec<(String, String)>;

/// (id, name) of a partnership's bodies and organisations, for the priority form.
fn choices(s: &Snapshot, p: PartnershipId) -> (Options, Options) {
    (
        s.bodies_of(p)
            .into_iter()
            .map(|(id, b)| (id.to_string(), b.name.clone()))
            .collect(),
        s.organisations_of(p)
            .into_iter()
            .map(|(id, o)| (id.to_string(), o.name.clone()))
            .collect(),
    )
}

fn priority_form_page(
    snapshot: Signal<Snapshot>,
    id: PriorityId,
    initial: Priority,
    heading: String,
    submit_label: &'static str,
) -> impl IntoView {
    let s_id = initial.strategy_id;
    let (crumbs, (bodies, organisations), themes, dovetail_options) =
        snapshot.with_untracked(|s| {
            (
                ending(strategy_trail(s, s_id), Some(heading.clone())),
                choices(s, initial.partnership_id),
                theme_choices(s, initial.partnership_id),
                dovetail_choices(s, initial.partnership_id),
            )
        });
    let page = FormPage::in_section(crumbs, heading, "Strategies");
    let to_save = move |p: Priority| {
        (
            Draft::of(p),
            format!("{}#priority-{id}", strategy_href(s_id)),
        )
    };
    record_form_page(page, id.0, to_save, move |errors, on_submit| {
        view! {
            <PriorityForm
                initial=initial
                bodies=bodies
                organisations=organisations
                errors=errors
                submit_label=submit_label
                cancel_href=strategy_href(s_id)
                on_submit=on_submit
                themes=themes
                dovetail_options=dovetail_options
            />
        }
    })
}

/// `/strategies/:id/priorities/new`
#[component]
pub fn NewPriorityPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let sid = use_strategy_id(snapshot);
    gate(store.ready(), sid, "strategy", move |sid| {
        let Some((p, next)) = snapshot.with_untracked(|s| {
            s.strategies.get(&sid).map(|st| {
                let next = s
                    .priorities_of(sid)
                    .iter()
                    .map(|(_, p)| p.position)
                    .max()
                    .unwrap_or(0)
                    .saturating_add(1);
                (st.partnership_id, next)
            })
        }) else {
            return ().into_any();
        };
        let initial = Priority {
            partnership_id: p,
            strategy_id: sid,
            title: String::new(),
            description: String::new(),
            body_id: None,
            lead_organisation_ids: Vec::new(),
            position: next,
            resident_theme: None,
            dovetails_with: Vec::new(),
        };
        priority_form_page(
            snapshot,
            PriorityId(new_id()),
            initial,
            "Add a priority".to_owned(),
            "Add priority",
        )
        .into_any()
    })
}

/// `/priorities/:id/edit`
#[component]
pub fn EditPriorityPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<PriorityId>("id"), snapshot, |s, id| {
        s.priorities.contains_key(id)
    });
    gate(store.ready(), id, "priority", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.priorities.get(&id).cloned()) else {
            return ().into_any();
        };
        let heading = format!("Edit “{}”", initial.title);
        priority_form_page(snapshot, id, initial, heading, "Save changes").into_any()
    })
}
