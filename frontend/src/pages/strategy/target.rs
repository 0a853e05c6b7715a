//! A target (`/targets/:id`): what it measures, its trajectory, status and chart, the SMART
//! check, and its figures; the target form (`/priorities/:id/targets/new`,
//! `/targets/:id/edit`, with the National Indicators to pick from) and the figure form
//! (`/targets/:id/measurements/new`, `/measurements/:id/edit`).

use atlas_shared::date::{date_input, optional_date_input};
use atlas_shared::strategy::{
    Figure, Frequency, Measurement, MeasurementId, NATIONAL_INDICATORS, Polarity, PriorityId,
    Target, TargetId, TargetStatus, assess, figure_input, figures_of, format_figure,
    milestones_input, milestones_text, national_indicator, optional_figure_input, smart_check,
};
use atlas_shared::{Draft, EntityKind, IsoDate, OrganisationId, Snapshot};
use leptos::prelude::*;

use super::chart::TrajectoryChart;
use super::status::StatusSummary;
use super::{
    ending, measurement_edit_href, priority_href, strategy_href, target_href, target_trail, today,
};
use crate::components::{
    AtlasForm, Breadcrumbs, Checkbox, EnumSelect, FormActions, FormErrors, FormPage, Inputs,
    PendingTag, RecordSelect, TextArea, TextField, gate, record_form_page, set_title,
};
use crate::data::{new_id, use_store};
use crate::pages::accounts::{record_history_href, use_manages};
use crate::pages::{found, use_id};

fn or_not_set(value: Option<String>) -> String {
    value.unwrap_or_else(|| "Not set".to_owned())
}

/// A target: its facts, status, chart, SMART check and figures. `today` decides whether a
/// figure is overdue; `manages` whether to offer Add, Edit and Delete.
#[component]
pub fn TargetDetail(
    #[prop(into)] snapshot: Signal<Snapshot>,
    id: TargetId,
    today: IsoDate,
    #[prop(into)] manages: Signal<bool>,
) -> impl IntoView {
    let target = Memo::new(move |_| snapshot.with(|s| s.targets.get(&id).cloned()));
    let figures = Memo::new(move |_| snapshot.with(|s| figures_of(s, id)));
    let measurements = Memo::new(move |_| {
        snapshot.with(|s| {
            s.measurements_of(id)
                .into_iter()
                .map(|(mid, m)| (mid, m.clone()))
                .collect::<Vec<_>>()
        })
    });
    let owner = Memo::new(move |_| {
        snapshot.with(|s| {
            s.targets
                .get(&id)
                .and_then(|t| t.owner_id)
                .and_then(|o| s.organisations.get(&o).map(|o| o.name.clone()))
        })
    });
    let back = Memo::new(move |_| {
        snapshot.with(|s| {
            let t = s.targets.get(&id)?;
            let p = s.priorities.get(&t.priority_id)?;
            Some((p.strategy_id, t.priority_id, p.title.clone()))
        })
    });
    let pending = Memo::new(move |_| snapshot.with(|s| s.is_pending((EntityKind::Target, id.0))));
    let name = move || target.with(|t| t.as_ref().map(|t| t.name.clone()).unwrap_or_default());
    set_title(move || vec![name(), "Targets".to_owned()]);
    let crumbs = Signal::derive(move || snapshot.with(|s| ending(target_trail(s, id), None)));
    let href = target_href(id);

    let facts = move || {
        target.get().map(|t| {
            let unit = t.unit.clone();
            let figure = |v: Option<Figure>, on: Option<IsoDate>, word: &str| match (v, on) {
                (Some(v), Some(on)) => {
                    Some(format!("{} {word} {}", format_figure(v.get(), &unit), on.long()))
                }
                (Some(v), None) => Some(format_figure(v.get(), &unit)),
                (None, Some(on)) => Some(format!("No value yet; {word} {}", on.long())),
                (None, None) => None,
            };
            let baseline = or_not_set(figure(t.baseline, t.baseline_on, "on"));
            let goal = or_not_set(figure(t.target_value, t.deadline, "by"));
            let milestones = if t.milestones.is_empty() {
                "None".to_owned()
            } else {
                t.milestones
                    .iter()
                    .map(|m| format!("{} by {}", format_figure(m.value.get(), &unit), m.on.long()))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let assessment = assess(&t, &figures.get(), today);
            let row = |key: &'static str, value: String| {
                view! {
                    <div class="summary-list__row">
                        <dt class="summary-list__key">{key}</dt>
                        <dd class="summary-list__value">{value}</dd>
                    </div>
                }
            };
            view! {
                <p class="record-summary__tags">
                    <PendingTag pending=pending />
                </p>
                <section class="section" aria-labelledby="status-heading">
                    <h2 class="heading-m" id="status-heading">"Status"</h2>
                    <StatusSummary assessment=assessment.clone() />
                    {assessment
                        .set_by_hand
                        .is_some()
                        .then(|| {
                            view! {
                                <p class="body">
                                    <a class="link" href=record_history_href(EntityKind::Target, id.0)>
                                        "See who set the status by hand, and when, in the history of changes"
                                    </a>
                                </p>
                            }
                        })}
                </section>
                <dl class="summary-list target-summary">
                    {row("Indicator code", if t.code.is_empty() { "None".to_owned() } else { t.code.clone() })}
                    {row("Local Area Agreement", if t.laa { "An LAA target: reported to government" } else { "Not an LAA target" }.to_owned())}
                    {row("Measure", if t.unit.is_empty() { "Not set".to_owned() } else { t.unit.clone() })}
                    {row("Direction", t.polarity.label().to_owned())}
                    {row("Baseline", baseline)}
                    {row("Milestones", milestones)}
                    {row("Target", goal)}
                    {row("Tolerance", format!("{} behind the trajectory is at risk; more is off track", format_figure(t.tolerance_percent.get(), "%")))}
                    {row("How often", t.frequency.label().to_owned())}
                    {row("Data source", if t.source.trim().is_empty() { "Not set".to_owned() } else { t.source.clone() })}
                    {row("Owner", or_not_set(owner.get()))}
                </dl>
                <section class="section" aria-labelledby="chart-heading">
                    <h2 class="heading-m" id="chart-heading">"Trajectory"</h2>
                    <TrajectoryChart id=format!("chart-{id}") target=t.clone() figures=figures.get() />
                </section>
                <section class="section" aria-labelledby="smart-heading">
                    <h2 class="heading-m" id="smart-heading">"SMART check"</h2>
                    {
                        let gaps = smart_check(&t);
                        if gaps.is_empty() {
                            view! {
                                <p class="body smart-check smart-check--complete">
                                    "This target is specific, measurable and timebound: it has a measure, a baseline, a target value, a deadline, an owner and a data source."
                                </p>
                            }
                            .into_any()
                        } else {
                            view! {
                                <p class="body">"To make this target SMART:"</p>
                                <ul class="list list--bullet smart-check">
                                    {gaps
                                        .into_iter()
                                        .map(|g| view! { <li><strong>{g.label()}</strong>": "{g.explanation()}</li> })
                                        .collect_view()}
                                </ul>
                            }
                            .into_any()
                        }
                    }
                </section>
            }
        })
    };

    let figures_table = move || {
        let unit = target.with(|t| t.as_ref().map(|t| t.unit.clone()).unwrap_or_default());
        let rows = measurements.get();
        if rows.is_empty() {
            return view! { <p class="body">"No figures yet."</p> }.into_any();
        }
        view! {
            <table class="table measurement-table">
                <caption class="table__caption">"Figures measured, oldest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Date"</th>
                        <th scope="col" class="table__numeric">"Figure"</th>
                        <th scope="col">"Note"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|(mid, m)| {
                            let day = m.on.long();
                            let of_it = format!(" the figure for {day}");
                            view! {
                                <tr class="measurement-table__row">
                                    <td>{day.clone()}</td>
                                    <td class="table__numeric">{format_figure(m.value.get(), &unit)}</td>
                                    <td>{m.note.clone()}</td>
                                    <td class="table__actions">
                                        <Show when=move || manages.get()>
                                            <a class="link" href=measurement_edit_href(mid)>
                                                "Edit"
                                                <span class="visually-hidden">{of_it.clone()}</span>
                                            </a>
                                            " "
                                            <a class="link" href=format!("/measurements/{mid}/delete")>
                                                "Delete"
                                                <span class="visually-hidden">{of_it.clone()}</span>
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

    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">{name}</h1>
        {move || {
            back.get()
                .map(|(s, p, title)| {
                    view! {
                        <p class="lead">
                            "A target of the priority "
                            <a class="link" href=priority_href(s, p)>{title}</a>
                        </p>
                    }
                })
        }}
        {facts}
        <Show when=move || manages.get()>
            <div class="button-group">
                <a class="button button--secondary" href=format!("{href}/edit")>
                    "Edit target"
                </a>
                <a class="button button--warning" href=format!("{href}/delete")>
                    "Delete target"
                </a>
            </div>
        </Show>
        <section class="section" aria-labelledby="figures-heading">
            <h2 class="heading-m" id="figures-heading">"Figures"</h2>
            {figures_table}
            <Show when=move || manages.get()>
                <a class="button" href=format!("{}/measurements/new", target_href(id))>
                    "Add a figure"
                </a>
            </Show>
        </section>
    }
}

/// `/targets/:id`
#[component]
pub fn TargetPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_target_id(snapshot);
    let partnership = Signal::derive(move || {
        id.get()
            .and_then(|id| snapshot.with(|s| s.targets.get(&id).map(|t| t.partnership_id)))
    });
    let manages = use_manages(partnership);
    gate(store.ready(), id, "target", move |id| {
        view! { <TargetDetail snapshot=snapshot id=id today=today() manages=manages /> }
    })
}

fn use_target_id(snapshot: Signal<Snapshot>) -> Memo<Option<TargetId>> {
    found(use_id("id"), snapshot, |s, id| s.targets.contains_key(id))
}

const TARGET_FIELDS: &[&str] = &[
    "national_indicator",
    "name",
    "code",
    "laa",
    "unit",
    "polarity",
    "baseline",
    "baseline_on",
    "target_value",
    "deadline",
    "milestones",
    "tolerance_percent",
    "frequency",
    "source",
    "owner_id",
    "status_override",
    "override_reason",
];

/// The fields of a target. `organisations` are (id, name) of the partnership's. Choosing a
/// National Indicator fills in its code, name and direction.
#[component]
pub fn TargetForm(
    initial: Target,
    organisations: Vec<(String, String)>,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<Target>,
) -> impl IntoView {
    let (partnership_id, priority_id) = (initial.partnership_id, initial.priority_id);
    let text = |v: Option<Figure>| v.map(|v| v.get().to_string()).unwrap_or_default();
    let day = |d: Option<IsoDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let indicator = RwSignal::new(String::new());
    let name = RwSignal::new(initial.name);
    let code = RwSignal::new(initial.code);
    let laa = RwSignal::new(initial.laa);
    let unit = RwSignal::new(initial.unit);
    let polarity = RwSignal::new(initial.polarity);
    let baseline = RwSignal::new(text(initial.baseline));
    let baseline_on = RwSignal::new(day(initial.baseline_on));
    let target_value = RwSignal::new(text(initial.target_value));
    let deadline = RwSignal::new(day(initial.deadline));
    let milestones = RwSignal::new(milestones_text(&initial.milestones));
    let tolerance = RwSignal::new(initial.tolerance_percent.get().to_string());
    let frequency = RwSignal::new(initial.frequency);
    let source = RwSignal::new(initial.source);
    let owner = RwSignal::new(initial.owner_id.map(|o| o.to_string()).unwrap_or_default());
    let status_override = RwSignal::new(
        initial
            .status_override
            .map(|s| s.as_key())
            .unwrap_or_default(),
    );
    let override_reason = RwSignal::new(initial.override_reason);
    // Choosing an indicator (not the first run: editing keeps what was saved) fills it in.
    Effect::new(move |previous: Option<()>| {
        let chosen = indicator.get();
        if previous.is_some()
            && let Some(ni) = national_indicator(&chosen)
        {
            code.set(ni.code.to_owned());
            name.set(ni.name.to_owned());
            polarity.set(ni.polarity);
        }
    });
    let mut indicators = vec![(String::new(), "Not from the list".to_owned())];
    indicators.extend(
        NATIONAL_INDICATORS
            .iter()
            .map(|n| (n.code.to_owned(), format!("{}: {}", n.code, n.name))),
    );
    let mut owners = vec![(String::new(), "No owner yet".to_owned())];
    owners.extend(organisations);
    let mut statuses = vec![(
        String::new(),
        "No: show the computed status only".to_owned(),
    )];
    statuses.extend(
        TargetStatus::ALL
            .iter()
            .map(|s| (s.as_key(), s.label().to_owned())),
    );
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let base = inputs
            .take(optional_figure_input(
                "baseline",
                &baseline.get_untracked(),
                "the baseline",
            ))
            .flatten();
        let base_on = inputs
            .take(optional_date_input(
                "baseline_on",
                &baseline_on.get_untracked(),
                "the baseline date",
            ))
            .flatten();
        let goal = inputs
            .take(optional_figure_input(
                "target_value",
                &target_value.get_untracked(),
                "the target",
            ))
            .flatten();
        let by = inputs
            .take(optional_date_input(
                "deadline",
                &deadline.get_untracked(),
                "the deadline",
            ))
            .flatten();
        let steps = inputs
            .take(milestones_input(&milestones.get_untracked()))
            .unwrap_or_default();
        let band = inputs.take(figure_input(
            "tolerance_percent",
            &tolerance.get_untracked(),
            "the tolerance",
        ));
        let target = Target {
            partnership_id,
            priority_id,
            name: name.get_untracked().trim().to_owned(),
            code: code.get_untracked().trim().to_owned(),
            unit: unit.get_untracked().trim().to_owned(),
            polarity: polarity.get_untracked(),
            baseline: base,
            baseline_on: base_on,
            target_value: goal,
            deadline: by,
            milestones: steps,
            tolerance_percent: band.unwrap_or(Figure::known(5.0)),
            source: source.get_untracked().trim().to_owned(),
            frequency: frequency.get_untracked(),
            owner_id: owner.get_untracked().parse::<OrganisationId>().ok(),
            laa: laa.get_untracked(),
            status_override: TargetStatus::from_key(&status_override.get_untracked()),
            override_reason: override_reason.get_untracked().trim().to_owned(),
        };
        if let Some(found) = inputs.refused(&target, TARGET_FIELDS) {
            errors.set(found);
            return;
        }
        on_submit.run(target)
    };
    view! {
        <AtlasForm on_submit=submit>
            <RecordSelect
                id="national_indicator"
                label="National Indicator (optional)"
                hint="Choose one of the 2008 National Indicator Set to fill in its code, name and direction"
                options=indicators
                value=indicator
                errors=errors
            />
            <TextField id="name" label="Name" hint="What is measured, for example Under 18 conception rate" value=name errors=errors />
            <TextField
                id="code"
                label="Indicator code (optional)"
                hint="A National Indicator code such as NI 112, or a Local Area Agreement code"
                value=code
                errors=errors
                width="input--width-10"
            />
            <Checkbox
                id="laa"
                label="A Local Area Agreement target"
                hint="One the partnership agreed with government and must report: the groups' action plans are checked for its figures"
                value=laa
            />
            <TextField
                id="unit"
                label="Measure"
                hint="What a figure counts: % or a rate, such as per 1,000 women aged 15 to 17"
                value=unit
                errors=errors
            />
            <EnumSelect id="polarity" label="Which way is better" value=polarity errors=errors />
            <TextField id="baseline" label="Baseline (optional)" hint="Where things stood when the target was set, for example 48.5" value=baseline errors=errors width="input--width-10" />
            <TextField id="baseline_on" label="Date of the baseline (optional)" value=baseline_on errors=errors input_type="date" width="input--date" />
            <TextField id="target_value" label="Target (optional)" hint="The value to reach" value=target_value errors=errors width="input--width-10" />
            <TextField id="deadline" label="Deadline (optional)" hint="The date by which to reach it" value=deadline errors=errors input_type="date" width="input--date" />
            <TextArea
                id="milestones"
                label="Milestones (optional)"
                hint="The values expected on the way: one a line, the date then the value, for example 2012-08-31 52. For a running total, give running totals."
                value=milestones
                errors=errors
                rows=4
            />
            <TextField
                id="tolerance_percent"
                label="Tolerance, in percent"
                hint="How far behind the trajectory still counts as at risk rather than off track, for example 5"
                value=tolerance
                errors=errors
                inputmode="decimal"
                width="input--width-3"
            />
            <EnumSelect id="frequency" label="How often a figure comes" value=frequency errors=errors />
            <TextField id="source" label="Data source (optional)" hint="Where the figures come from, for example the Department for Education" value=source errors=errors />
            <RecordSelect id="owner_id" label="Owner" hint="The organisation answerable for the target" options=owners value=owner errors=errors />
            <RecordSelect
                id="status_override"
                label="Set the status by hand?"
                hint="Only when the figures cannot tell, such as a late correction. It is shown beside the computed status, never instead of it."
                options=statuses
                value=status_override
                errors=errors
            />
            <TextArea id="override_reason" label="Reason for setting the status by hand" hint="Required when the status is set by hand" value=override_reason errors=errors rows=3 />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

fn target_form_page(
    snapshot: Signal<Snapshot>,
    id: TargetId,
    initial: Target,
    heading: String,
    submit_label: &'static str,
) -> impl IntoView {
    let Some((crumbs, organisations, strategy)) = snapshot.with_untracked(|s| {
        let strategy = s.priorities.get(&initial.priority_id)?.strategy_id;
        let crumbs = if s.targets.contains_key(&id) {
            ending(target_trail(s, id), Some(heading.clone()))
        } else {
            ending(super::strategy_trail(s, strategy), Some(heading.clone()))
        };
        let organisations = s
            .organisations_of(initial.partnership_id)
            .into_iter()
            .map(|(o, org)| (o.to_string(), org.name.clone()))
            .collect::<Vec<_>>();
        Some((crumbs, organisations, strategy))
    }) else {
        return ().into_any();
    };
    let cancel = if snapshot.with_untracked(|s| s.targets.contains_key(&id)) {
        target_href(id)
    } else {
        strategy_href(strategy)
    };
    let page = FormPage::in_section(crumbs, heading, "Strategies");
    let to_save = move |t: Target| (Draft::of(t), target_href(id));
    record_form_page(page, id.0, to_save, move |errors, on_submit| {
        view! {
            <TargetForm
                initial=initial
                organisations=organisations
                errors=errors
                submit_label=submit_label
                cancel_href=cancel
                on_submit=on_submit
            />
        }
    })
    .into_any()
}

/// `/priorities/:id/targets/new`
#[component]
pub fn NewTargetPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = found(use_id::<PriorityId>("id"), snapshot, |s, id| {
        s.priorities.contains_key(id)
    });
    gate(store.ready(), pid, "priority", move |pid| {
        let Some(p) = snapshot.with_untracked(|s| s.priorities.get(&pid).map(|p| p.partnership_id))
        else {
            return ().into_any();
        };
        let initial = Target {
            partnership_id: p,
            priority_id: pid,
            name: String::new(),
            code: String::new(),
            unit: String::new(),
            polarity: Polarity::HigherIsBetter,
            baseline: None,
            baseline_on: None,
            target_value: None,
            deadline: None,
            milestones: Vec::new(),
            tolerance_percent: Figure::known(5.0),
            source: String::new(),
            frequency: Frequency::Yearly,
            owner_id: None,
            laa: false,
            status_override: None,
            override_reason: String::new(),
        };
        target_form_page(
            snapshot,
            TargetId(new_id()),
            initial,
            "Add a target".to_owned(),
            "Add target",
        )
        .into_any()
    })
}

/// `/targets/:id/edit`
#[component]
pub fn EditTargetPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_target_id(snapshot);
    gate(store.ready(), id, "target", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.targets.get(&id).cloned()) else {
            return ().into_any();
        };
        let heading = format!("Edit “{}”", initial.name);
        target_form_page(snapshot, id, initial, heading, "Save changes").into_any()
    })
}

/// The fields of one figure.
#[component]
pub fn MeasurementForm(
    initial: Measurement,
    unit: String,
    /// A new figure: its value starts empty rather than 0.
    #[prop(optional)]
    blank: bool,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<Measurement>,
) -> impl IntoView {
    let (partnership_id, target_id) = (initial.partnership_id, initial.target_id);
    let on = RwSignal::new(initial.on.to_string());
    let value = RwSignal::new(if blank {
        String::new()
    } else {
        initial.value.get().to_string()
    });
    let note = RwSignal::new(initial.note);
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let day = inputs.take(date_input(
            "on",
            &on.get_untracked(),
            "the date of the figure",
        ));
        let figure = inputs.take(figure_input("value", &value.get_untracked(), "the figure"));
        let measurement = Measurement {
            partnership_id,
            target_id,
            on: day.unwrap_or(IsoDate::known(2011, 1, 1)),
            value: figure.unwrap_or(Figure::known(0.0)),
            note: note.get_untracked().trim().to_owned(),
        };
        if let Some(found) = inputs.refused(&measurement, &["on", "value", "note"]) {
            errors.set(found);
            return;
        }
        on_submit.run(measurement)
    };
    let value_hint = if unit.trim().is_empty() {
        "For example, 48.5".to_owned()
    } else {
        format!("In {unit}; for example, 48.5")
    };
    view! {
        <AtlasForm on_submit=submit>
            <TextField
                id="on"
                label="Date of the figure"
                hint="The last day of the period it measures, for example 2012-03-31"
                value=on
                errors=errors
                input_type="date"
                width="input--date"
            />
            <TextField id="value" label="Figure" hint=value_hint value=value errors=errors inputmode="decimal" width="input--width-10" />
            <TextArea id="note" label="Note (optional)" hint="Anything a reader should know, such as a provisional figure" value=note errors=errors rows=3 />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

fn measurement_form_page(
    snapshot: Signal<Snapshot>,
    id: MeasurementId,
    initial: Measurement,
    heading: String,
    submit_label: &'static str,
) -> impl IntoView {
    let t = initial.target_id;
    let (crumbs, unit, blank) = snapshot.with_untracked(|s| {
        (
            ending(target_trail(s, t), Some(heading.clone())),
            s.targets
                .get(&t)
                .map(|t| t.unit.clone())
                .unwrap_or_default(),
            !s.measurements.contains_key(&id),
        )
    });
    let page = FormPage::in_section(crumbs, heading, "Strategies");
    let to_save = move |m: Measurement| (Draft::of(m), target_href(t));
    record_form_page(page, id.0, to_save, move |errors, on_submit| {
        view! {
            <MeasurementForm
                initial=initial
                unit=unit
                blank=blank
                errors=errors
                submit_label=submit_label
                cancel_href=target_href(t)
                on_submit=on_submit
            />
        }
    })
}

/// `/targets/:id/measurements/new`
#[component]
pub fn NewMeasurementPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let tid = use_target_id(snapshot);
    gate(store.ready(), tid, "target", move |tid| {
        let Some(p) = snapshot.with_untracked(|s| s.targets.get(&tid).map(|t| t.partnership_id))
        else {
            return ().into_any();
        };
        let initial = Measurement {
            partnership_id: p,
            target_id: tid,
            on: today(),
            value: Figure::known(0.0),
            note: String::new(),
        };
        measurement_form_page(
            snapshot,
            MeasurementId(new_id()),
            initial,
            "Add a figure".to_owned(),
            "Add figure",
        )
        .into_any()
    })
}

/// `/measurements/:id/edit`
#[component]
pub fn EditMeasurementPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<MeasurementId>("id"), snapshot, |s, id| {
        s.measurements.contains_key(id)
    });
    gate(store.ready(), id, "measurement", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.measurements.get(&id).cloned()) else {
            return ().into_any();
        };
        let heading = format!("Edit the figure for {}", initial.on.long());
        measurement_form_page(snapshot, id, initial, heading, "Save changes").into_any()
    })
}
