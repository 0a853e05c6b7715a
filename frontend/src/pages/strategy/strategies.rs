//! A partnership's strategies (`/partnerships/:id/strategies`), latest first, and the strategy
//! form (`/partnerships/:id/strategies/new`, `/strategies/:id/edit`).

use atlas_shared::date::optional_date_input;
use atlas_shared::strategy::{Strategy, StrategyId, StrategyStatus};
use atlas_shared::{Draft, FieldError, IsoDate, PartnershipId, Snapshot};
use leptos::prelude::*;

use super::{ending, strategies_href, strategy_href, strategy_trail};
use crate::components::{
    AtlasForm, Breadcrumbs, Crumb, EnumSelect, FormActions, FormErrors, FormPage, Inputs, Tag,
    TextArea, TextField, gate, record_form_page, set_title,
};
use crate::data::{new_id, use_store};
use crate::pages::accounts::use_manages;
use crate::pages::{
    count, found, partnership_crumbs, partnership_name, use_id, use_partnership_id,
};

/// A strategy as the list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct StrategyRow {
    pub id: StrategyId,
    pub title: String,
    pub period: String,
    pub status: StrategyStatus,
    pub priorities: usize,
}

pub fn strategy_rows(s: &Snapshot, p: PartnershipId) -> Vec<StrategyRow> {
    s.strategies_of(p)
        .into_iter()
        .map(|(id, st)| StrategyRow {
            id,
            title: st.title.clone(),
            period: st.period(),
            status: st.status,
            priorities: s.priorities_of(id).len(),
        })
        .collect()
}

/// The tag of a strategy's status: its name in words, grey for a draft or a superseded one.
pub fn status_tag(status: StrategyStatus) -> impl IntoView {
    let tone = match status {
        StrategyStatus::Adopted => "green",
        StrategyStatus::PreScrutiny => "blue",
        StrategyStatus::Draft | StrategyStatus::Superseded => "grey",
    };
    view! { <Tag text=status.label() tone=tone /> }
}

/// A partnership's strategies, latest first; or, with none, what a strategy is.
#[component]
pub fn StrategyList(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    /// Whether to offer Add (to those who manage the partnership).
    #[prop(into)]
    manages: Signal<bool>,
) -> impl IntoView {
    let p = partnership;
    let rows = Memo::new(move |_| snapshot.with(|s| strategy_rows(s, p)));
    let pname = Memo::new(move |_| snapshot.with(|s| partnership_name(s, p)));
    set_title(move || vec!["Strategies".to_owned(), pname.get()]);
    let crumbs = Signal::derive(move || {
        snapshot.with(|s| {
            let mut c = partnership_crumbs(s, p);
            c.push(Crumb::here("Strategies"));
            c
        })
    });
    let list = move || {
        let rows = rows.get();
        if rows.is_empty() {
            return view! {
                <p class="body strategies-empty">
                    "There is no strategy yet. A Sustainable Community Strategy sets out the partnership's vision for the area and a few priorities, each with targets that show whether it is working."
                </p>
            }
            .into_any();
        }
        view! {
            <ul class="record-list strategy-list">
                {rows
                    .into_iter()
                    .map(|r| {
                        view! {
                            <li class="record-list__item strategy-list__item">
                                <h2 class="heading-s">
                                    <a class="link" href=strategy_href(r.id)>
                                        {r.title}
                                    </a>
                                </h2>
                                <p class="record-list__meta">
                                    {r.period}
                                    " "
                                    {status_tag(r.status)}
                                    " "
                                    {count(r.priorities, "priority", "priorities")}
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
        <h1 class="heading-xl">"Strategies"</h1>
        <p class="body">
            "The partnership's Sustainable Community Strategies, latest first. Older ones are kept for the record. A draft is seen only by members of the partnership."
        </p>
        {list}
        <Show when=move || manages.get()>
            <a class="button" href=format!("{}/new", strategies_href(p))>
                "Add a strategy"
            </a>
        </Show>
        <p class="body" id="funds-link">
            "Partners pool money for projects that serve the strategy's priorities: see the "
            <a class="link" href=super::funds::funds_href(p)>"project funds"</a>
            "."
        </p>
    }
}

/// `/partnerships/:id/strategies`
#[component]
pub fn StrategiesPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    let manages = use_manages(pid.into());
    gate(store.ready(), pid, "partnership", move |pid| {
        view! { <StrategyList snapshot=snapshot partnership=pid manages=manages /> }
    })
}

/// The strategy form's fields, in the order its errors are listed.
const FIELD_ORDER: &[&str] = &[
    "title",
    "first_year",
    "last_year",
    "vision",
    "status",
    "drafted_on",
    "pre_scrutiny_on",
    "adopted_on",
    "superseded_on",
];

fn year_input(field: &str, input: &str, what: &str) -> Result<u16, FieldError> {
    input
        .trim()
        .parse::<u16>()
        .map_err(|_| FieldError::new(field, format!("Enter {what} as a year, like 2011")))
}

/// The fields of a strategy. Calls `on_submit` with what was entered; a year or date that
/// cannot be read is refused here, with every other problem of the form, in `errors`.
#[component]
pub fn StrategyForm(
    initial: Strategy,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<Strategy>,
) -> impl IntoView {
    let partnership_id = initial.partnership_id;
    let date_text = |d: Option<IsoDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let title = RwSignal::new(initial.title);
    let first_year = RwSignal::new(initial.first_year.to_string());
    let last_year = RwSignal::new(initial.last_year.to_string());
    let vision = RwSignal::new(initial.vision);
    let status = RwSignal::new(initial.status);
    let drafted_on = RwSignal::new(date_text(initial.drafted_on));
    let pre_scrutiny_on = RwSignal::new(date_text(initial.pre_scrutiny_on));
    let adopted_on = RwSignal::new(date_text(initial.adopted_on));
    let superseded_on = RwSignal::new(date_text(initial.superseded_on));
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let first = inputs.take(year_input(
            "first_year",
            &first_year.get_untracked(),
            "the first year",
        ));
        let last = inputs.take(year_input(
            "last_year",
            &last_year.get_untracked(),
            "the last year",
        ));
        let mut date = |field: &str, value: RwSignal<String>, what: &str| {
            inputs
                .take(optional_date_input(field, &value.get_untracked(), what))
                .flatten()
        };
        let drafted = date("drafted_on", drafted_on, "the date drafted");
        let pre = date(
            "pre_scrutiny_on",
            pre_scrutiny_on,
            "the date of pre-scrutiny",
        );
        let adopted = date("adopted_on", adopted_on, "the date adopted");
        let superseded = date("superseded_on", superseded_on, "the date superseded");
        let strategy = Strategy {
            partnership_id,
            title: title.get_untracked().trim().to_owned(),
            // Stand-ins while a year is put right; its own error is shown instead.
            first_year: first.unwrap_or(2011),
            last_year: last.or(first).unwrap_or(2011),
            vision: vision.get_untracked(),
            status: status.get_untracked(),
            drafted_on: drafted,
            pre_scrutiny_on: pre,
            adopted_on: adopted,
            superseded_on: superseded,
        };
        if let Some(found) = inputs.refused(&strategy, FIELD_ORDER) {
            errors.set(found);
            return;
        }
        on_submit.run(strategy)
    };
    let date_field = move |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <TextField
                id=id
                label=label
                hint="Leave empty if not reached or not known. For example, 2011-03-02"
                value=value
                errors=errors
                input_type="date"
                width="input--date"
            />
        }
    };
    view! {
        <AtlasForm on_submit=submit>
            <TextField
                id="title"
                label="Title"
                hint="For example, Redditch Sustainable Community Strategy"
                value=title
                errors=errors
            />
            <TextField
                id="first_year"
                label="First year of the period"
                hint="For example, 2011"
                value=first_year
                errors=errors
                inputmode="numeric"
                width="input--width-5"
            />
            <TextField
                id="last_year"
                label="Last year of the period"
                hint="For example, 2014"
                value=last_year
                errors=errors
                inputmode="numeric"
                width="input--width-5"
            />
            <TextArea
                id="vision"
                label="Vision (optional)"
                hint="The partnership's vision for the area, in a few sentences"
                value=vision
                errors=errors
                rows=4
            />
            <EnumSelect id="status" label="Status" value=status errors=errors />
            {date_field("drafted_on", "Date drafted (optional)", drafted_on)}
            {date_field("pre_scrutiny_on", "Date of pre-scrutiny (optional)", pre_scrutiny_on)}
            {date_field("adopted_on", "Date adopted (optional)", adopted_on)}
            {date_field("superseded_on", "Date superseded (optional)", superseded_on)}
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// `/partnerships/:id/strategies/new`
#[component]
pub fn NewStrategyPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    gate(store.ready(), pid, "partnership", move |pid| {
        let id = StrategyId(new_id());
        let crumbs = snapshot.with_untracked(|s| {
            let mut c = partnership_crumbs(s, pid);
            c.push(Crumb::link("Strategies", strategies_href(pid)));
            c.push(Crumb::here("Add a strategy"));
            c
        });
        let page = FormPage::in_section(crumbs, "Add a strategy".to_owned(), "Strategies");
        let to_save = move |s: Strategy| (Draft::of(s), strategy_href(id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <StrategyForm
                    initial=Strategy {
                        partnership_id: pid,
                        title: String::new(),
                        first_year: 2011,
                        last_year: 2014,
                        vision: String::new(),
                        status: StrategyStatus::Draft,
                        drafted_on: None,
                        pre_scrutiny_on: None,
                        adopted_on: None,
                        superseded_on: None,
                    }
                    errors=errors
                    submit_label="Add strategy"
                    cancel_href=strategies_href(pid)
                    on_submit=on_submit
                />
            }
        })
    })
}

/// The route's `:id` as a strategy on this device.
pub fn use_strategy_id(snapshot: Signal<Snapshot>) -> Memo<Option<StrategyId>> {
    found(use_id("id"), snapshot, |s, id| {
        s.strategies.contains_key(id)
    })
}

/// `/strategies/:id/edit`
#[component]
pub fn EditStrategyPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_strategy_id(snapshot);
    gate(store.ready(), id, "strategy", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.strategies.get(&id).cloned()) else {
            return ().into_any();
        };
        let crumbs =
            snapshot.with_untracked(|s| ending(strategy_trail(s, id), Some("Edit".to_owned())));
        let heading = format!("Edit “{}”", initial.title);
        let page = FormPage::in_section(crumbs, heading, "Strategies");
        let to_save = move |s: Strategy| (Draft::of(s), strategy_href(id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <StrategyForm
                    initial=initial
                    errors=errors
                    submit_label="Save changes"
                    cancel_href=strategy_href(id)
                    on_submit=on_submit
                />
            }
        })
        .into_any()
    })
}
