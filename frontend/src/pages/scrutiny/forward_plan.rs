//! The forward plan (`/partnerships/:id/forward-plan`): the meetings to come and the items due
//! at each, so councillors and officers see what is coming: what each agenda holds, and what
//! is due there worked out from the records (reports, monitoring sessions, the annual report:
//! `atlas_shared::scrutiny::forward`). "To come" is counted from today, or from the day in `?from=`, so the plan
//! can be read as it stood on a past day (the demo's meetings are from 2002 to 2011).

use atlas_shared::date::date_input;
use atlas_shared::scrutiny::forward::{Due, due_at_coming_meetings};
use atlas_shared::scrutiny::meetings::{forward_plan, highlight_report_label, who_met};
use atlas_shared::{IsoDate, PartnershipId, Snapshot};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::meeting_routes::{forward_plan_href, meeting_href, meetings_trail, today};
use crate::components::{
    AtlasForm, Breadcrumbs, Crumb, ErrorSummary, FormErrors, Tag, TextField, gate, set_title,
};
use crate::data::use_store;
use crate::pages::{partnership_name, use_partnership_id};

/// One coming meeting as the plan shows it: its page, when, who meets, and its items.
#[derive(Clone, Debug, PartialEq)]
struct PlannedMeeting {
    href: String,
    when: String,
    who: String,
    status: &'static str,
    items: Vec<(String, &'static str)>,
    /// What is due there, worked out: (words, link, late).
    due: Vec<(String, Option<String>, bool)>,
}

/// How the plan words one thing due, with where it links.
fn due_line(s: &Snapshot, p: PartnershipId, due: &Due) -> (String, Option<String>, bool) {
    use crate::pages::scrutiny::reviews::review_href;
    use crate::pages::strategy::annual::annual_report_href;
    use crate::pages::strategy::highlights::highlight_report_href;
    match due {
        Due::HighlightReport { id, due_on } => {
            let title = s
                .highlight_reports
                .get(id)
                .map(|r| highlight_report_label(s, r))
                .unwrap_or_default();
            (
                format!("{title}: due on {}, not yet submitted", due_on.long()),
                Some(highlight_report_href(*id)),
                false,
            )
        }
        Due::Monitoring {
            review,
            due_on,
            late,
        } => {
            let title = s
                .reviews
                .get(review)
                .map(|r| r.title.trim().to_owned())
                .unwrap_or_default();
            let when = if *late {
                format!("it was due by {}, so this is late", due_on.long())
            } else {
                format!("due by {}", due_on.long())
            };
            (
                format!("Monitoring of the recommendations of “{title}”: {when}"),
                Some(review_href(*review)),
                *late,
            )
        }
        Due::AnnualReport { year } => (
            format!(
                "The Board's annual report for {}, to the Conference and funding partners",
                year.label()
            ),
            Some(annual_report_href(p, Some(*year))),
            false,
        ),
    }
}

fn plan(s: &Snapshot, p: PartnershipId, from: IsoDate) -> Vec<PlannedMeeting> {
    let mut due = due_at_coming_meetings(s, p, from);
    forward_plan(s, p, from)
        .into_iter()
        .map(|(id, m, items)| PlannedMeeting {
            due: due
                .remove(&id)
                .unwrap_or_default()
                .iter()
                .map(|d| due_line(s, p, d))
                .collect(),
            href: meeting_href(id),
            when: match m.time_label() {
                Some(t) => format!("{}, {t}", m.date.long()),
                None => m.date.long(),
            },
            who: who_met(s, m),
            status: m.status.label(),
            items: items
                .into_iter()
                .map(|(_, a)| {
                    let title = if a.number.trim().is_empty() {
                        a.title.clone()
                    } else {
                        format!("{}. {}", a.number.trim(), a.title)
                    };
                    (title, a.report_type.label())
                })
                .collect(),
        })
        .collect()
}

/// The forward plan of partnership `partnership` as at `from`; `on_from` is called with
/// another day the person asks for.
#[component]
pub fn ForwardPlanView(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    #[prop(into)] from: Signal<IsoDate>,
    #[prop(into)] on_from: Callback<IsoDate>,
) -> impl IntoView {
    let p = partnership;
    let pname = Memo::new(move |_| snapshot.with(|s| partnership_name(s, p)));
    set_title(move || vec!["Forward plan".to_owned(), pname.get()]);
    let crumbs = Signal::derive(move || {
        snapshot.with(|s| {
            let mut c = meetings_trail(s, p);
            c.push(Crumb::here("Forward plan"));
            c
        })
    });
    let meetings = Memo::new(move |_| snapshot.with(|s| plan(s, p, from.get())));
    let typed = RwSignal::new(from.get_untracked().to_string());
    let errors = RwSignal::new(FormErrors::default());
    let submit = move |()| match date_input("from", &typed.get_untracked(), "the day to plan from")
    {
        Ok(day) => {
            errors.set(FormErrors::default());
            on_from.run(day);
        }
        Err(e) => errors.set(FormErrors {
            message: None,
            fields: vec![e],
        }),
    };
    view! {
        <Breadcrumbs crumbs=crumbs />
        <ErrorSummary errors=errors />
        <h1 class="heading-xl">"Forward plan"</h1>
        <p class="body lead" id="forward-plan-from">
            {move || format!("Meetings from {} on, and the items due at each.", from.get().long())}
        </p>
        <AtlasForm on_submit=submit>
            <TextField
                id="from"
                label="Show the plan as at"
                hint="Today unless you choose another day, for example 1 November 2011"
                value=typed
                errors=errors
                input_type="date"
                width="input--date"
            />
            <button type="submit" class="button button--secondary">
                "Show the plan"
            </button>
        </AtlasForm>
        {move || {
            let meetings = meetings.get();
            if meetings.is_empty() {
                return view! {
                    <p class="body" id="forward-plan-empty">
                        "No meetings are planned from this day on. Add the next meetings from the meetings page."
                    </p>
                }
                .into_any();
            }
            view! {
                <ol class="record-list forward-plan" id="forward-plan">
                    {meetings
                        .into_iter()
                        .map(|m| {
                            view! {
                                <li class="record-list__item forward-plan__meeting">
                                    <h2 class="heading-s">
                                        <a class="link" href=m.href>{m.when}</a>
                                    </h2>
                                    <p class="body">
                                        {m.who}" "<Tag text=m.status tone="blue" />
                                    </p>
                                    {if m.items.is_empty() {
                                        view! { <p class="hint">"No items on its agenda yet."</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="forward-plan__items">
                                                {m.items
                                                    .into_iter()
                                                    .map(|(title, kind)| view! { <li>{title}" ("{kind}")"</li> })
                                                    .collect_view()}
                                            </ul>
                                        }
                                        .into_any()
                                    }}
                                    {(!m.due.is_empty()).then(|| view! {
                                        <p class="body forward-plan__due-heading">"Due here, from the records:"</p>
                                        <ul class="forward-plan__due">
                                            {m.due
                                                .into_iter()
                                                .map(|(words, href, late)| view! {
                                                    <li class="forward-plan__due-item" data-late=late.to_string()>
                                                        {late.then(|| view! { <Tag text="Late" tone="red" />" " })}
                                                        {match href {
                                                            Some(h) => view! { <a class="link" href=h>{words}</a> }.into_any(),
                                                            None => view! { <span>{words}</span> }.into_any(),
                                                        }}
                                                    </li>
                                                })
                                                .collect_view()}
                                        </ul>
                                    })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            }
            .into_any()
        }}
    }
}

/// `/partnerships/:id/forward-plan?from=YYYY-MM-DD`
#[component]
pub fn ForwardPlanPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    let query = use_query_map();
    let from = Memo::new(move |_| {
        query
            .with(|q| q.get_str("from").and_then(|d| IsoDate::parse(d).ok()))
            .unwrap_or_else(today)
    });
    let navigate = use_navigate();
    gate(store.ready(), pid, "partnership", move |pid| {
        let navigate = navigate.clone();
        let on_from = Callback::new(move |day: IsoDate| {
            navigate(
                &forward_plan_href(pid, Some(day)),
                NavigateOptions::default(),
            );
        });
        view! { <ForwardPlanView snapshot=snapshot partnership=pid from=from on_from=on_from /> }
    })
}
