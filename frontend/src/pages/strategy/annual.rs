//! The annual report (`/partnerships/:id/annual-report/2011` for 2011/12, or
//! `?year=2011`; without a year, the last complete one): what the Board reports to the
//! Conference and the funding partners for a financial year, from the data
//! (`atlas_shared::strategy::annual`). The strategy in force, each priority's targets with
//! their status at the year's end, direction of travel, figures in the year and trajectory
//! chart, the key actions done and overdue, the highlight reports per body, the Board's
//! meetings and (once project funds are recorded) the funds spent. Printable on A4 (the
//! print stylesheet drops the navigation, the year chooser and the buttons, keeps the charts
//! and never splits a table row) and its figures downloadable as CSV in the figures file's
//! format.

use atlas_shared::strategy::annual::{
    AnnualReport, FinancialYear, FundsSpent, YearAction, annual_figures_csv,
    annual_figures_file_name, annual_report, last_complete_year, report_years,
};
use atlas_shared::strategy::funds::format_money;
use atlas_shared::strategy::{Direction, format_figure};
use atlas_shared::text::fold_case;
use atlas_shared::{IsoDate, PartnershipId, Snapshot};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::chart::TrajectoryChart;
use super::highlights::{highlight_reports_href, overall_tone};
use super::status::tone;
use super::{action_plan_href, strategy_href, today};
use crate::components::download::download;
use crate::components::{Breadcrumbs, Crumb, Tag, gate, set_title};
use crate::data::use_store;
use crate::pages::scrutiny::meeting_href;
use crate::pages::structure::body_href;
use crate::pages::{partnership_crumbs, partnership_name, use_partnership_id, use_route_param};

/// A partnership's annual report: for `year`, or the last complete year without one.
pub fn annual_report_href(p: PartnershipId, year: Option<FinancialYear>) -> String {
    match year {
        Some(y) => format!("/partnerships/{p}/annual-report/{}", y.0),
        None => format!("/partnerships/{p}/annual-report"),
    }
}

/// "Annual report 2011/12".
pub fn annual_heading(year: FinancialYear) -> String {
    format!("Annual report {}", year.label())
}

/// "Done on 31 March 2012", "Due on 31 March 2012; done on 1 April 2012".
fn action_words(a: &YearAction, as_at: IsoDate) -> String {
    match (a.due_on, a.completed_on) {
        (_, Some(done)) if done <= as_at => format!("Done on {}", done.long()),
        (Some(due), Some(done)) => {
            format!("Due on {}; done later, on {}", due.long(), done.long())
        }
        (Some(due), None) => format!("Due on {}; not done", due.long()),
        (None, _) => "No due date".to_owned(),
    }
}

/// The funds spent in the year, as a table with its total; nothing at all when there is no
/// line (nothing is invented while project funds are not recorded).
#[component]
pub fn FundsSpentSection(lines: Vec<FundsSpent>) -> impl IntoView {
    (!lines.is_empty()).then(|| {
        let total: u64 = lines.iter().map(|l| l.pence).fold(0, u64::saturating_add);
        let rows = lines
            .into_iter()
            .map(|l| {
                view! {
                    <tr>
                        <th scope="row">{l.what}</th>
                        <td class="table__numeric">{format_money(l.pence)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section class="section annual-section" aria-labelledby="annual-funds-heading">
                <h2 class="heading-m" id="annual-funds-heading">"Funds spent"</h2>
                <table class="table" id="annual-funds">
                    <caption class="visually-hidden">"Funds spent in the year"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"On"</th>
                            <th scope="col" class="table__numeric">"Spent"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                    <tfoot>
                        <tr>
                            <th scope="row">"Total"</th>
                            <td class="table__numeric" id="annual-funds-total">{format_money(total)}</td>
                        </tr>
                    </tfoot>
                </table>
            </section>
        }
    })
}

/// A list of key actions, or `empty` when there is none.
fn actions_list(
    snapshot: Signal<Snapshot>,
    actions: Vec<YearAction>,
    as_at: IsoDate,
    id: &'static str,
    empty: &'static str,
) -> AnyView {
    if actions.is_empty() {
        return view! { <p class="body" id=format!("{id}-none")>{empty}</p> }.into_any();
    }
    view! {
        <ul class="list" id=id>
            {actions
                .into_iter()
                .map(|a| {
                    let group = snapshot.with(|s| s.body_name(a.body));
                    let words = action_words(&a, as_at);
                    view! {
                        <li>
                            <a class="link" href=action_plan_href(a.plan)>{a.title}</a>
                            {format!(" ({group}): {words}")}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// The annual report of `partnership` for `year` (a signal: the page follows the address),
/// on `today`.
#[component]
pub fn AnnualReportView(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    #[prop(into)] year: Signal<FinancialYear>,
    today: IsoDate,
) -> impl IntoView {
    let p = partnership;
    let report: Memo<Option<AnnualReport>> =
        Memo::new(move |_| snapshot.with(|s| annual_report(s, p, year.get(), today)));
    let name = Memo::new(move |_| snapshot.with(|s| partnership_name(s, p)));
    set_title(move || vec![annual_heading(year.get()), name.get()]);
    let crumbs = Signal::derive(move || {
        snapshot.with(|s| {
            let mut c = partnership_crumbs(s, p);
            c.push(Crumb::here("Annual report"));
            c
        })
    });
    let years = move || {
        let chosen = year.get();
        snapshot
            .with(|s| report_years(s, p, today))
            .into_iter()
            .map(|y| {
                let current = (y == chosen).then_some("page");
                let words = if FinancialYear::of(today) == y {
                    format!("{} (so far)", y.label())
                } else {
                    y.label()
                };
                view! {
                    <li>
                        <a class="link" href=annual_report_href(p, Some(y)) aria-current=current>
                            {words}
                        </a>
                    </li>
                }
            })
            .collect_view()
    };
    let intro = move || {
        let y = year.get();
        let Some(r) = report.get() else {
            return view! {
                <p class="body" id="annual-intro">"This year is beyond the dates the app holds: choose another year."</p>
            }
            .into_any();
        };
        let as_at = r.as_at.long();
        let not_over = (!r.complete).then(|| {
            view! {
                <p class="inset-text" id="annual-not-over">
                    {format!("{} is not over yet: this report is as it stands on {as_at}, and will change as figures come in.", y.label())}
                </p>
            }
        });
        view! {
            <p class="body" id="annual-intro">
                {format!(
                    "The Board's report to the Conference and the funding partners for the financial year {} (partnerships report by the financial year, April to March). Every status is worked out from the figures dated up to {as_at}, not typed by hand; a figure dated later is not counted.",
                    y.span()
                )}
            </p>
            {not_over}
        }
        .into_any()
    };
    let strategy = move || {
        let r = report.get()?;
        let y = r.year;
        Some(match r.strategy.and_then(|id| {
            snapshot.with(|s| {
                s.strategies
                    .get(&id)
                    .map(|st| (id, st.title.clone(), st.period(), st.vision.clone()))
            })
        }) {
            Some((id, title, period, vision)) => view! {
                <p class="body" id="annual-strategy">
                    "The strategy in force: "
                    <a class="link" href=strategy_href(id)>{title}</a>
                    {format!(" ({period}).")}
                </p>
                {(!vision.trim().is_empty()).then(|| view! { <p class="body annual-vision">{vision}</p> })}
            }
            .into_any(),
            None => view! {
                <p class="body" id="annual-strategy">
                    {format!("No strategy was in force in {}: none adopted covers that year.", y.label())}
                </p>
            }
            .into_any(),
        })
    };
    let counts = move || {
        let r = report.get()?;
        (!r.counts.is_empty()).then(|| {
            view! {
                <ul class="dashboard-counts" id="annual-counts">
                    {r.counts
                        .into_iter()
                        .map(|(status, n)| {
                            let targets = if n == 1 { "target" } else { "targets" };
                            view! {
                                <li class="dashboard-counts__item" data-status=status.as_key()>
                                    <Tag text=status.label() tone=tone(status) />
                                    {format!(" {n} {targets} {} at the year's end", fold_case(status.label()))}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })
    };
    let priorities = move || {
        let r = report.get()?;
        if r.priorities.is_empty() {
            return Some(
                view! { <p class="body" id="annual-no-priorities">"No priorities to report."</p> }
                    .into_any(),
            );
        }
        let as_at = r.as_at;
        Some(
            r.priorities
                .into_iter()
                .map(|line| {
                    let owner = line.owner.map(|b| {
                        let body = snapshot.with(|s| s.body_name(b));
                        view! { <p class="record-list__meta">"Owned by " <a class="link" href=body_href(b)>{body}</a></p> }
                    });
                    let rows = line
                        .targets
                        .iter()
                        .map(|t| {
                            let status = t.assessment.status;
                            let direction = match t.assessment.direction {
                                Direction::First if t.assessment.latest.is_none() => "No figure yet".to_owned(),
                                d => d.label().to_owned(),
                            };
                            let figures = if t.in_year.is_empty() {
                                "None in the year".to_owned()
                            } else {
                                t.in_year
                                    .iter()
                                    .map(|(on, v)| format!("{}: {}", on.long(), format_figure(*v, &t.unit)))
                                    .collect::<Vec<_>>()
                                    .join("; ")
                            };
                            view! {
                                <tr class="annual-target" data-status=status.as_key()>
                                    <th scope="row">{t.name.clone()}</th>
                                    <td><Tag text=status.label() tone=tone(status) /></td>
                                    <td class="annual-target__direction">{direction}</td>
                                    <td class="annual-target__figures">{figures}</td>
                                </tr>
                            }
                        })
                        .collect::<Vec<_>>();
                    let table = if rows.is_empty() {
                        view! { <p class="body">"No targets."</p> }.into_any()
                    } else {
                        view! {
                            <table class="table annual-table">
                                <caption class="table__caption">{format!("Targets of {} on {}", line.title, as_at.long())}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Target"</th>
                                        <th scope="col">"Status at the year's end"</th>
                                        <th scope="col">"Direction of travel"</th>
                                        <th scope="col">"Figures in the year"</th>
                                    </tr>
                                </thead>
                                <tbody>{rows}</tbody>
                            </table>
                        }
                        .into_any()
                    };
                    let charts = line
                        .targets
                        .into_iter()
                        .map(|t| {
                            let target = snapshot.with(|s| s.targets.get(&t.id).cloned());
                            target.map(|target| {
                                view! {
                                    <div class="annual-chart">
                                        <h4 class="heading-s">{t.name.clone()}</h4>
                                        <p class="body annual-chart__sentence">{t.assessment.sentence.clone()}</p>
                                        <TrajectoryChart id=format!("annual-{}", t.id) target=target figures=t.to_year_end />
                                    </div>
                                }
                            })
                        })
                        .collect_view();
                    view! {
                        <section class="annual-priority">
                            <h3 class="heading-m">{line.title}</h3>
                            {owner}
                            {table}
                            {charts}
                        </section>
                    }
                })
                .collect_view()
                .into_any(),
        )
    };
    let actions = move || {
        let r = report.get()?;
        let as_at = r.as_at;
        Some(view! {
            <section class="section annual-section" aria-labelledby="annual-done-heading">
                <h2 class="heading-l" id="annual-done-heading">"Key actions completed in the year"</h2>
                {actions_list(snapshot, r.actions_done, as_at, "annual-done", "No key action was completed in the year.")}
            </section>
            <section class="section annual-section" aria-labelledby="annual-overdue-heading">
                <h2 class="heading-l" id="annual-overdue-heading">"Key actions overdue at the year's end"</h2>
                {actions_list(snapshot, r.actions_overdue, as_at, "annual-overdue", "No key action was overdue at the year's end.")}
            </section>
        })
    };
    // Only members read highlight reports: the public's report has no such section.
    let highlights = move || {
        let r = report.get()?;
        let any = snapshot.with(|s| s.highlight_reports.values().any(|h| h.partnership_id == p));
        if !any {
            return None;
        }
        let body = if r.highlights.is_empty() {
            view! { <p class="body" id="annual-highlights-none">"No highlight report covers a period ending in the year."</p> }.into_any()
        } else {
            let rows = r
                .highlights
                .into_iter()
                .map(|h| {
                    let name = snapshot.with(|s| s.body_name(h.body));
                    let latest = match h.latest {
                        Some((status, end)) => view! {
                            <Tag text=status.label() tone=overall_tone(status) />
                            {format!(" (to {})", end.long())}
                        }
                        .into_any(),
                        None => view! { "None submitted" }.into_any(),
                    };
                    view! {
                        <tr>
                            <th scope="row"><a class="link" href=highlight_reports_href(h.body)>{name}</a></th>
                            <td class="table__numeric">{h.submitted}</td>
                            <td>{latest}</td>
                            <td class="table__numeric">{h.escalations}</td>
                            <td class="table__numeric">{h.not_submitted}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="table annual-table" id="annual-highlights">
                    <caption class="visually-hidden">"Highlight reports of the year, by the body reporting"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Body"</th>
                            <th scope="col" class="table__numeric">"Reports submitted"</th>
                            <th scope="col">"Latest overall status"</th>
                            <th scope="col" class="table__numeric">"Escalations"</th>
                            <th scope="col" class="table__numeric">"Not submitted"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        };
        Some(view! {
            <section class="section annual-section" aria-labelledby="annual-highlights-heading">
                <h2 class="heading-l" id="annual-highlights-heading">"Highlight reports"</h2>
                <p class="body">"Each body's reports for periods ending in the year, as its members read them."</p>
                {body}
            </section>
        })
    };
    let meetings = move || {
        let r = report.get()?;
        let list = if r.board_meetings.is_empty() {
            view! { <p class="body" id="annual-meetings-none">"No meeting of the Board was held in the year."</p> }.into_any()
        } else {
            view! {
                <ul class="list" id="annual-meetings">
                    {r.board_meetings
                        .into_iter()
                        .map(|(id, body, date)| {
                            let name = snapshot.with(|s| s.body_name(body));
                            view! { <li><a class="link" href=meeting_href(id)>{format!("{name}, {}", date.long())}</a></li> }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        };
        Some(view! {
            <section class="section annual-section" aria-labelledby="annual-meetings-heading">
                <h2 class="heading-l" id="annual-meetings-heading">"Meetings of the Board"</h2>
                {list}
            </section>
        })
    };
    let funds = move || {
        report
            .get()
            .map(|r| view! { <FundsSpentSection lines=r.funds_spent /> })
    };
    let download_error = RwSignal::new(None::<String>);
    let export = move |_| {
        let Some(r) = report.get_untracked() else {
            return;
        };
        let csv = snapshot.with_untracked(|s| annual_figures_csv(s, &r));
        download_error.set(
            download(
                &annual_figures_file_name(r.year),
                "text/csv;charset=utf-8",
                &csv,
            )
            .err(),
        );
    };
    view! {
        <div class="no-print">
            <Breadcrumbs crumbs=crumbs />
        </div>
        <article class="annual-report" id="annual-report">
            <p class="caption-l">{move || name.get()}</p>
            <h1 class="heading-xl" id="annual-heading">{move || annual_heading(year.get())}</h1>
            {intro}
            <div class="no-print annual-controls">
                <nav class="annual-years" aria-labelledby="annual-years-heading">
                    <h2 class="heading-s" id="annual-years-heading">"Choose the year"</h2>
                    <ul class="annual-years__list">{years}</ul>
                </nav>
                <div class="button-group">
                    <button
                        type="button"
                        class="button"
                        id="annual-print"
                        on:click=|_| {
                            if let Some(w) = web_sys::window() {
                                let _ = w.print();
                            }
                        }
                    >
                        "Print or save as PDF"
                    </button>
                    <button type="button" class="button button--secondary" id="annual-csv" on:click=export>
                        "Download the figures (CSV)"
                    </button>
                </div>
                {move || download_error.get().map(|e| view! { <p class="error-message">{e}</p> })}
            </div>
            <section class="section annual-section" aria-labelledby="annual-strategy-heading">
                <h2 class="heading-l" id="annual-strategy-heading">"Priorities and targets"</h2>
                {strategy}
                {counts}
                {priorities}
            </section>
            {actions}
            {highlights}
            {meetings}
            {funds}
        </article>
    }
}

/// `/partnerships/:id/annual-report` and `/partnerships/:id/annual-report/:year` (also
/// `?year=2011`); the last complete year when none is given or it cannot be read.
#[component]
pub fn AnnualReportPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    let typed_year = use_route_param("year");
    let query = use_query_map();
    let today = today();
    let year = Signal::derive(move || {
        let typed = typed_year
            .get()
            .or_else(|| query.with(|q| q.get_str("year").map(str::to_owned)));
        typed
            .and_then(|t| FinancialYear::parse(&t))
            .unwrap_or_else(|| last_complete_year(today))
    });
    gate(store.ready(), pid, "partnership", move |pid| {
        view! { <AnnualReportView snapshot=snapshot partnership=pid year=year today=today /> }
    })
}
