//! The monitoring report (`/reviews/:id/report?on=2011-11-08`): seed 004's table generated
//! from the data for a chosen date (each recommendation, its latest response and its status
//! then; entries after the date are not counted), with the count completed, when the next
//! session is due and what has not changed since the last. Printable on A4 (the print
//! stylesheet drops the navigation and fits the table to the page) and downloadable as CSV.

use atlas_shared::date::date_input;
use atlas_shared::scrutiny::ReviewId;
use atlas_shared::scrutiny::reviews::{
    completed_count, monitoring_due, report_csv, report_file_name, review_table, sessions_of,
    unchanged_since_last_session,
};
use atlas_shared::{IsoDate, Snapshot};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::review::{RecommendationsTable, use_review_id};
use super::{review_crumbs, review_href, today};
use crate::components::download::download;
use crate::components::{
    AtlasForm, Breadcrumbs, Crumb, ErrorSummary, FormErrors, TextField, gate, set_title,
};
use crate::data::use_store;

/// The report's heading, as seed 004's: "LSP Task and Finish Group – Monitoring Report on
/// Recommendations – November 2011".
pub fn report_heading(group: &str, on: IsoDate) -> String {
    let what = "Monitoring Report on Recommendations";
    let when = format!("{} {}", on.month_name(), on.year());
    if group.is_empty() {
        format!("{what} – {when}")
    } else {
        format!("{group} – {what} – {when}")
    }
}

/// The monitoring report of `review` for the day `on`, with a form to choose another day.
#[component]
pub fn MonitoringReport(
    #[prop(into)] snapshot: Signal<Snapshot>,
    review: ReviewId,
    on: IsoDate,
) -> impl IntoView {
    let day = RwSignal::new(on);
    let typed = RwSignal::new(on.to_string());
    let errors = RwSignal::new(FormErrors::default());
    let rows = Memo::new(move |_| snapshot.with(|s| review_table(s, review, day.get())));
    let info = Memo::new(move |_| {
        snapshot.with(|s| {
            let r = s.reviews.get(&review);
            let group = r
                .and_then(|r| r.body_id)
                .and_then(|b| s.bodies.get(&b))
                .map(|b| b.name.clone())
                .unwrap_or_default();
            let title = r.map(|r| r.title.clone()).unwrap_or_default();
            let committee = r.map(|r| r.committee.clone()).unwrap_or_default();
            let sessions = sessions_of(s, review);
            let refs: Vec<_> = sessions.iter().map(|(_, m)| *m).collect();
            let due = r.and_then(|r| monitoring_due(r, &refs, day.get()));
            let unchanged: Vec<u32> = rows.with(|rows| {
                unchanged_since_last_session(rows, &refs, day.get())
                    .into_iter()
                    .map(|r| r.recommendation.number)
                    .collect()
            });
            (group, title, committee, due, unchanged)
        })
    });
    let heading = Memo::new(move |_| info.with(|i| report_heading(&i.0, day.get())));
    set_title(move || vec![heading.get()]);
    let crumbs = Signal::derive(move || {
        snapshot.with(|s| {
            let Some(r) = s.reviews.get(&review) else {
                return Vec::new();
            };
            let mut c = review_crumbs(s, r.partnership_id, Some(review));
            c.push(Crumb::here("Monitoring report"));
            c
        })
    });
    let choose = move |()| match date_input(
        "report-date",
        &typed.get_untracked(),
        "the date of the report",
    ) {
        Ok(d) => {
            errors.set(FormErrors::default());
            day.set(d);
        }
        Err(e) => errors.set(FormErrors {
            message: None,
            fields: vec![e],
        }),
    };
    let download_error = RwSignal::new(None::<String>);
    let export = move |_| {
        let csv = rows.with(|rows| report_csv(rows));
        let name = report_file_name(day.get_untracked());
        download_error.set(download(&name, "text/csv;charset=utf-8", &csv).err());
    };
    view! {
        <div class="no-print">
            <Breadcrumbs crumbs=crumbs />
        </div>
        <article class="monitoring-report" id="monitoring-report">
            <p class="caption-l">{move || info.with(|i| i.1.clone())}</p>
            <h1 class="heading-l" id="report-heading">{move || heading.get()}</h1>
            <p class="body" id="report-date-said">
                {move || {
                    let committee = info.with(|i| i.2.clone());
                    let d = day.get().long();
                    if committee.is_empty() {
                        format!("The state of each recommendation on {d}, from its dated log.")
                    } else {
                        format!("For the {committee}: the state of each recommendation on {d}, from its dated log.")
                    }
                }}
            </p>
            <div class="no-print report-controls">
                <ErrorSummary errors=errors />
                <AtlasForm on_submit=choose>
                    <TextField
                        id="report-date"
                        label="Report on the day"
                        hint="Entries after this day are left out, so an earlier day shows the state then"
                        value=typed
                        errors=errors
                        input_type="date"
                        width="input--date"
                    />
                    <div class="button-group">
                        <button type="submit" class="button button--secondary" id="report-show">"Show report"</button>
                    </div>
                </AtlasForm>
                <div class="button-group">
                    <button
                        type="button"
                        class="button"
                        id="report-print"
                        on:click=|_| {
                            if let Some(w) = web_sys::window() {
                                let _ = w.print();
                            }
                        }
                    >
                        "Print the report"
                    </button>
                    <button type="button" class="button button--secondary" id="report-csv" on:click=export>
                        "Download as a spreadsheet (CSV)"
                    </button>
                </div>
                {move || download_error.get().map(|e| view! { <p class="error-message">{e}</p> })}
            </div>
            <p class="body" id="report-completed">
                {move || {
                    let (done, all) = completed_count(&rows.get());
                    format!("{done} of {all} recommendations completed.")
                }}
            </p>
            <RecommendationsTable
                rows=rows
                caption=Signal::derive(move || heading.get())
                id="report-table"
            />
            <section class="section" aria-labelledby="report-monitoring-heading">
                <h2 class="heading-m" id="report-monitoring-heading">"Monitoring"</h2>
                <p class="body" id="report-monitoring-due">
                    {move || {
                        info.with(|i| match &i.3 {
                            Some(due) => due.words(),
                            None => "No monitoring session is due yet.".to_owned(),
                        })
                    }}
                </p>
                <p class="body" id="report-unchanged">
                    {move || {
                        info.with(|i| {
                            if i.4.is_empty() {
                                "No open recommendation is unchanged since the last session.".to_owned()
                            } else {
                                let list: Vec<String> = i.4.iter().map(u32::to_string).collect();
                                format!("Open and unchanged since the last session: {}.", list.join(", "))
                            }
                        })
                    }}
                </p>
            </section>
            <p class="body no-print">
                <a class="link" href=review_href(review)>"Back to the review"</a>
            </p>
        </article>
    }
}

/// `/reviews/:id/report?on=2011-11-08` (today without `on`).
#[component]
pub fn MonitoringReportPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_review_id(snapshot);
    let query = use_query_map();
    gate(store.ready(), id, "review", move |id| {
        let on = query
            .with_untracked(|q| q.get_str("on").and_then(|d| IsoDate::parse(d).ok()))
            .unwrap_or_else(today);
        view! { <MonitoringReport snapshot=snapshot review=id on=on /> }
    })
}
