//! A partnership's performance dashboard (`/partnerships/:id/dashboard`): its current
//! strategy's priorities with every target's computed status, how many targets are in each
//! status, the key actions overdue and the figures overdue (`atlas_shared::strategy::dashboard`).
//! Members, the Management Group and the Board see what their devices hold; the public sees the
//! same page with only what is published. A body's dashboard (`/bodies/:id/dashboard`) is the
//! same page cut to what the body oversees: the Management Group sees its groups', the Board
//! everything beneath it.

use atlas_shared::strategy::TargetStatus;
use atlas_shared::strategy::dashboard::{Dashboard, body_dashboard, dashboard, overseen_by};
use atlas_shared::text::fold_case;
use atlas_shared::{BodyId, BodyKind, IsoDate, PartnershipId, Snapshot};
use leptos::prelude::*;

use super::highlights::{highlight_report_href, report_title};
use super::status::tone;
use super::{action_plan_href, strategies_href, strategy_href, target_href, today};
use crate::components::{Breadcrumbs, Crumb, Tag, gate, set_title};
use crate::data::use_store;
use crate::pages::scrutiny::meeting_href;
use crate::pages::structure::body_href;
use crate::pages::{found, partnership_crumbs, use_id, use_partnership_id};
use atlas_shared::order::sort_by_key;

/// A partnership's dashboard.
pub fn dashboard_href(p: PartnershipId) -> String {
    format!("/partnerships/{p}/dashboard")
}

/// A body's dashboard: what it oversees.
pub fn body_dashboard_href(b: BodyId) -> String {
    format!("/bodies/{b}/dashboard")
}

/// What a body's dashboard covers, in a sentence: "It covers the LSP Management Group and the
/// 5 bodies that report to it: …".
fn coverage(s: &Snapshot, body: BodyId) -> String {
    let name = s.body_name(body);
    let mut others: Vec<String> = overseen_by(s, body)
        .into_iter()
        .filter(|b| *b != body)
        .map(|b| s.body_name(b))
        .collect();
    sort_by_key(&mut others, |n| fold_case(n));
    let board = s
        .bodies
        .get(&body)
        .is_some_and(|b| b.kind == BodyKind::Board);
    let unowned = if board {
        " As the Board sets the priorities, it also sees those no group owns."
    } else {
        ""
    };
    match others.len() {
        0 => format!("It covers {name} alone: no body reports to it.{unowned}"),
        1 => format!(
            "It covers {name} and the body that reports to it: {}.{unowned}",
            others[0]
        ),
        n => format!(
            "It covers {name} and the {n} bodies that report to it, directly or through others: {}.{unowned}",
            others.join(", ")
        ),
    }
}

/// "1 target at risk", "3 targets not yet measured".
fn count_words(status: TargetStatus, n: usize) -> String {
    let targets = if n == 1 { "target" } else { "targets" };
    format!("{n} {targets} {}", fold_case(status.label()))
}

/// The dashboard of partnership `partnership` on `today`; with `body`, that body's (one of the
/// partnership's), cut to what it oversees.
#[component]
pub fn DashboardView(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    today: IsoDate,
    #[prop(optional)] body: Option<BodyId>,
) -> impl IntoView {
    let p = partnership;
    let board = Memo::new(move |_| {
        snapshot.with(|s| match body {
            Some(b) => body_dashboard(s, b, today).unwrap_or_default(),
            None => dashboard(s, p, today),
        })
    });
    let name = Memo::new(move |_| {
        snapshot.with(|s| match body {
            Some(b) => s.body_name(b),
            None => s
                .partnerships
                .get(&p)
                .map(|x| x.name.clone())
                .unwrap_or_default(),
        })
    });
    set_title(move || vec!["Performance dashboard".to_owned(), name.get()]);
    let crumbs = Signal::derive(move || {
        snapshot.with(|s| {
            let mut c = partnership_crumbs(s, p);
            if let Some(b) = body {
                c.push(Crumb::link(s.body_name(b), body_href(b)));
            }
            c.push(Crumb::here("Performance dashboard"));
            c
        })
    });
    let scope = move || {
        body.map(|b| {
            let words = snapshot.with(|s| coverage(s, b));
            view! {
                <p class="body" id="dashboard-scope">
                    {words}
                    " "
                    <a class="link" href=dashboard_href(p)>"The whole partnership's dashboard"</a>
                </p>
            }
        })
    };
    let intro = move || {
        let d = board.get();
        let strategy = d.strategy.and_then(|id| {
            snapshot.with(|s| {
                s.strategies
                    .get(&id)
                    .map(|st| (id, st.title.clone(), st.period()))
            })
        });
        match strategy {
            Some((id, title, period)) => view! {
                <p class="body" id="dashboard-intro">
                    "How "
                    <a class="link" href=strategy_href(id)>{title}</a>
                    {format!(" ({period}) stands on {}: every status is worked out from the targets' figures and the groups' action plans, not typed by hand.", today.long())}
                </p>
            }
            .into_any(),
            None => view! {
                <p class="body" id="dashboard-intro">
                    "There is no strategy to report on yet. "
                    <a class="link" href=strategies_href(p)>"The partnership's strategies"</a>
                    " list any that are being written."
                </p>
            }
            .into_any(),
        }
    };
    let counts = move || {
        let d = board.get();
        (!d.counts.is_empty()).then(|| {
            view! {
                <ul class="dashboard-counts" id="dashboard-counts">
                    {d.counts
                        .into_iter()
                        .map(|(status, n)| view! {
                            <li class="dashboard-counts__item" data-status=status.as_key()>
                                <Tag text=status.label() tone=tone(status) />
                                " "
                                {count_words(status, n)}
                            </li>
                        })
                        .collect_view()}
                </ul>
            }
        })
    };
    let priorities = move || {
        let Dashboard { priorities, .. } = board.get();
        priorities
            .into_iter()
            .map(|line| {
                let owner = line.owner.map(|b| {
                    let body = snapshot.with(|s| s.body_name(b));
                    view! { <p class="record-list__meta">"Owned by " <a class="link" href=body_href(b)>{body}</a></p> }
                });
                let rows = line
                    .targets
                    .into_iter()
                    .map(|t| {
                        let status = t.assessment.status;
                        view! {
                            <tr data-status=status.as_key()>
                                <th scope="row"><a class="link" href=target_href(t.id)>{t.name}</a></th>
                                <td><Tag text=status.label() tone=tone(status) /></td>
                                <td>{t.assessment.sentence}</td>
                            </tr>
                        }
                    })
                    .collect::<Vec<_>>();
                let table = if rows.is_empty() {
                    view! { <p class="body">"No targets yet."</p> }.into_any()
                } else {
                    view! {
                        <table class="table dashboard-table">
                            <caption class="visually-hidden">{format!("Targets of {}", line.title)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Target"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col">"In words"</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }
                    .into_any()
                };
                view! {
                    <section class="dashboard-priority">
                        <h3 class="heading-s">{line.title}</h3>
                        {owner}
                        {table}
                    </section>
                }
            })
            .collect_view()
    };
    let overdue_actions = move || {
        let actions = board.get().overdue_actions;
        if actions.is_empty() {
            return view! { <p class="body" id="no-overdue-actions">"No key action is overdue."</p> }
                .into_any();
        }
        view! {
            <ul class="list" id="overdue-actions">
                {actions
                    .into_iter()
                    .map(|a| {
                        let group = snapshot.with(|s| s.body_name(a.body));
                        view! {
                            <li>
                                <a class="link" href=action_plan_href(a.plan)>{a.title}</a>
                                {format!(" ({group}): {}", a.sentence)}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let overdue_figures = move || {
        let figures = board.get().overdue_figures;
        if figures.is_empty() {
            return view! { <p class="body" id="no-overdue-figures">"No figure is overdue."</p> }
                .into_any();
        }
        view! {
            <ul class="list" id="overdue-figures">
                {figures
                    .into_iter()
                    .map(|(id, name, due)| view! {
                        <li>
                            <a class="link" href=target_href(id)>{name}</a>
                            {format!(": the next figure was due by {}", due.long())}
                        </li>
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    // Only members read highlight reports: the public's dashboard has none, so no section.
    // (A body's dashboard shows the section whenever the partnership has reports.)
    let reports = move || {
        let d = board.get();
        let any_reports =
            snapshot.with(|s| s.highlight_reports.values().any(|r| r.partnership_id == p));
        any_reports.then(|| {
            let late = if d.late_reports.is_empty() {
                view! { <p class="body" id="no-late-reports">"No highlight report is late."</p> }.into_any()
            } else {
                view! {
                    <ul class="list" id="late-reports">
                        {d.late_reports.into_iter().map(|(id, _, to, due)| {
                            let (title, to) = snapshot.with(|s| (
                                s.highlight_reports.get(&id).map(|r| report_title(s, r)).unwrap_or_default(),
                                s.body_name(to),
                            ));
                            view! {
                                <li>
                                    <a class="link" href=highlight_report_href(id)>{title}</a>
                                    {format!(" to {to}: due on {}, not submitted", due.long())}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            };
            let escalations = if d.escalations.is_empty() {
                view! { <p class="body" id="no-escalations">"No escalation is waiting to be heard."</p> }.into_any()
            } else {
                view! {
                    <ul class="list" id="escalations">
                        {d.escalations.into_iter().map(|(id, meeting)| {
                            let (title, text, heard) = snapshot.with(|s| {
                                let r = s.highlight_reports.get(&id);
                                let heard = meeting.and_then(|m| s.meetings.get(&m).map(|x| (m, x.date)));
                                (
                                    r.map(|r| report_title(s, r)).unwrap_or_default(),
                                    r.map(|r| r.escalation.clone()).unwrap_or_default(),
                                    heard,
                                )
                            });
                            view! {
                                <li>
                                    <a class="link" href=highlight_report_href(id)>{title}</a>
                                    {format!(": {text} ")}
                                    {match heard {
                                        Some((m, date)) => view! {
                                            <a class="link" href=meeting_href(m)>{format!("On the agenda of {}", date.long())}</a>
                                        }.into_any(),
                                        None => view! { "No meeting planned yet to hear it." }.into_any(),
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            };
            view! {
                <section class="section" aria-labelledby="dashboard-reports">
                    <h2 class="heading-m" id="dashboard-reports">"Highlight reports late"</h2>
                    {late}
                    <h2 class="heading-m" id="dashboard-escalations">"Escalations to be heard"</h2>
                    {escalations}
                </section>
            }
        })
    };
    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">
            {move || body.map(|_| view! { <span class="caption-l">{name.get()}</span> })}
            "Performance dashboard"
        </h1>
        {intro}
        {scope}
        {counts}
        <section class="section" aria-labelledby="dashboard-priorities">
            <h2 class="heading-m" id="dashboard-priorities">"Priorities and their targets"</h2>
            {priorities}
        </section>
        <section class="section" aria-labelledby="dashboard-actions">
            <h2 class="heading-m" id="dashboard-actions">"Key actions overdue"</h2>
            {overdue_actions}
        </section>
        <section class="section" aria-labelledby="dashboard-figures">
            <h2 class="heading-m" id="dashboard-figures">"Figures overdue"</h2>
            {overdue_figures}
        </section>
        {reports}
        <p class="body" id="dashboard-annual">
            "For a whole financial year, printable for the Conference and the funding partners: "
            <a class="link" href=super::annual_report_href(p, None)>"the annual report"</a>
            "."
        </p>
    }
}

/// `/bodies/:id/dashboard`
#[component]
pub fn BodyDashboardPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<BodyId>("id"), snapshot, |s, id| {
        s.bodies.contains_key(id)
    });
    gate(store.ready(), id, "body", move |body| {
        let p = snapshot.with_untracked(|s| s.bodies.get(&body).map(|b| b.partnership_id));
        p.map(
            |p| view! { <DashboardView snapshot=snapshot partnership=p today=today() body=body /> },
        )
    })
}

/// `/partnerships/:id/dashboard`
#[component]
pub fn DashboardPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    gate(store.ready(), pid, "partnership", move |pid| {
        view! { <DashboardView snapshot=snapshot partnership=pid today=today() /> }
    })
}
