//! Highlight reports: a body's reports (`/bodies/:id/highlight-reports`), one report with its
//! narrative and the figures pulled from the data (`/highlight-reports/:id`, printable), the
//! New and Edit forms (pre-filled: the period after the last report, the body the reporting
//! line leads to, the overall status the targets suggest), the section "Highlight reports
//! received" on the receiving body's page, and "Escalated to this meeting" on its meetings.
//!
//! The rules (period, receiving body, suggestion, due and late, escalations) are in
//! `atlas_shared::strategy::highlights`. Group leads and managers may write reports; members
//! of the partnership read them; the public never sees them (the server leaves them out).

use atlas_shared::date::{date_input, optional_date_input};
use atlas_shared::scrutiny::MeetingId;
use atlas_shared::strategy::highlights::{
    ActionFigure, ReportFigures, default_due, default_period, escalations_to, receiving_body,
    report_figures, reports_of, reports_to, suggested_overall,
};
use atlas_shared::strategy::{HighlightReport, HighlightReportId, OverallStatus};
use atlas_shared::{
    BodyId, Draft, EntityKind, FieldError, IsoDate, LineKind, PartnershipId, Snapshot,
};
use leptos::prelude::*;

use super::status::tone;
use super::{action_plan_href, target_href, today};
use crate::components::{
    AtlasForm, Breadcrumbs, Checkbox, Crumb, EnumSelect, FormActions, FormErrors, Inputs,
    RecordSelect, Tag, TextArea, TextField, gate, set_title,
};
use crate::components::{FormPage, record_form_page};
use crate::data::{new_id, use_store};
use crate::pages::accounts::use_may_write;
use crate::pages::structure::body_href;
use crate::pages::{count, found, partnership_crumbs, use_id};

/// A body's highlight reports.
pub fn highlight_reports_href(body: BodyId) -> String {
    format!("/bodies/{body}/highlight-reports")
}

pub fn highlight_report_href(id: HighlightReportId) -> String {
    format!("/highlight-reports/{id}")
}

/// The tag's colour for an overall status; the tag's text always names it.
pub fn overall_tone(status: OverallStatus) -> &'static str {
    match status {
        OverallStatus::OnTrack => "green",
        OverallStatus::AtRisk => "yellow",
        OverallStatus::OffTrack => "red",
    }
}

/// A body's name, or words for one no longer in the structure.
fn body_name(s: &Snapshot, body: BodyId) -> String {
    s.bodies.get(&body).map_or_else(
        || "A body no longer in the structure".to_owned(),
        |b| b.name.clone(),
    )
}

/// "Children and Young People: highlight report, 1 April 2011 to 30 June 2011".
pub fn report_title(s: &Snapshot, r: &HighlightReport) -> String {
    atlas_shared::scrutiny::meetings::highlight_report_label(s, r)
}

/// "Draft", "Submitted on 12 July 2011", "Submitted on 20 July 2011, 6 days late".
pub fn submission_words(r: &HighlightReport) -> String {
    match r.submitted_on {
        None => format!("Draft: due by {}", r.due_on.long()),
        Some(on) if r.submitted_late() => format!(
            "Submitted on {}, {} late",
            on.long(),
            count(
                r.due_on.days_until(on).unsigned_abs() as usize,
                "day",
                "days"
            )
        ),
        Some(on) => format!("Submitted on {}", on.long()),
    }
}

/// The trail to a body's reports: the partnership, the body, "Highlight reports".
fn reports_crumbs(s: &Snapshot, body: BodyId) -> Vec<Crumb> {
    let mut c = s
        .bodies
        .get(&body)
        .map(|b| partnership_crumbs(s, b.partnership_id))
        .unwrap_or_default();
    c.push(Crumb::link(body_name(s, body), body_href(body)));
    c.push(Crumb::link(
        "Highlight reports",
        highlight_reports_href(body),
    ));
    c
}

/// A body's highlight reports, the latest period first, with Add for those who may write.
#[component]
pub fn HighlightReportsList(
    #[prop(into)] snapshot: Signal<Snapshot>,
    body: BodyId,
    #[prop(into)] may_write: Signal<bool>,
) -> impl IntoView {
    let name = Memo::new(move |_| snapshot.with(|s| body_name(s, body)));
    set_title(move || vec!["Highlight reports".to_owned(), name.get()]);
    let crumbs = Signal::derive(move || {
        snapshot.with(|s| {
            let mut c = reports_crumbs(s, body);
            if let Some(last) = c.pop() {
                c.push(Crumb::here(last.text));
            }
            c
        })
    });
    let rows = Memo::new(move |_| {
        snapshot.with(|s| {
            reports_of(s, body)
                .into_iter()
                .map(|(id, r)| {
                    (
                        id,
                        r.period_label(),
                        body_name(s, r.to_body_id),
                        submission_words(r),
                        r.overall,
                        r.escalation_stands(),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let table = move || {
        let rows = rows.get();
        if rows.is_empty() {
            return view! {
                <p class="body" id="highlight-reports-empty">
                    "This body has no highlight reports yet. A highlight report tells the body it reports to how its work is going, once a period."
                </p>
            }
            .into_any();
        }
        view! {
            <table class="table" id="highlight-reports">
                <caption class="table__caption">"Highlight reports, the latest period first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Period"</th>
                        <th scope="col">"Sent to"</th>
                        <th scope="col">"Overall"</th>
                        <th scope="col">"Submitted"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|(id, period, to, submitted, overall, escalates)| {
                            view! {
                                <tr class="highlight-row">
                                    <td>
                                        <a class="link" href=highlight_report_href(id)>{period}</a>
                                    </td>
                                    <td>{to}</td>
                                    <td>
                                        <Tag text=overall.label() tone=overall_tone(overall) />
                                        {escalates.then(|| view! { " " <Tag text="Escalated" tone="purple" /> })}
                                    </td>
                                    <td>{submitted}</td>
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
        <h1 class="heading-xl">{move || format!("{}: highlight reports", name.get())}</h1>
        <p class="body lead">
            "Each report tells the body this one reports to how its work went in a period. Its targets and key actions are pulled in from the figures, so the lead writes only the narrative."
        </p>
        {table}
        <Show when=move || may_write.get()>
            <a class="button" href=format!("{}/new", highlight_reports_href(body))>
                "Write a highlight report"
            </a>
        </Show>
    }
}

/// `/bodies/:id/highlight-reports`
#[component]
pub fn HighlightReportsPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<BodyId>("id"), snapshot, |s, id| {
        s.bodies.contains_key(id)
    });
    let partnership = Signal::derive(move || {
        let id = id.get()?;
        snapshot.with(|s| s.bodies.get(&id).map(|b| b.partnership_id))
    });
    let may_write = use_may_write(EntityKind::HighlightReport, partnership);
    gate(store.ready(), id, "body", move |body| {
        view! { <HighlightReportsList snapshot=snapshot body=body may_write=may_write /> }
    })
}

/// A list of key actions for the report, or a sentence when there are none.
fn action_list(id: &'static str, actions: Vec<ActionFigure>, none: &'static str) -> AnyView {
    if actions.is_empty() {
        return view! { <p class="body hint" id=id>{none}</p> }.into_any();
    }
    view! {
        <ul class="list highlight-actions" id=id>
            {actions
                .into_iter()
                .map(|a| {
                    let when = match (a.completed_on, a.due_on) {
                        (Some(done), _) => format!("done on {}", done.long()),
                        (None, Some(due)) => format!("due {}", due.long()),
                        (None, None) => "no due date".to_owned(),
                    };
                    view! {
                        <li>
                            <a class="link" href=format!("{}#action-{}", action_plan_href(a.action_plan_id), a.id)>{a.title}</a>
                            <span class="hint">{format!(" ({when})")}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// The figures pulled from the data for a report: its targets as they stood at the period's
/// end, and its key actions done, overdue and due next.
#[component]
pub fn ReportFiguresView(figures: ReportFigures) -> impl IntoView {
    let ReportFigures {
        targets,
        done,
        overdue,
        due_next,
        next_period,
    } = figures;
    let targets_view = if targets.is_empty() {
        view! {
            <p class="body hint" id="highlight-targets-none">
                "This body owns no priority with targets in a strategy for this period."
            </p>
        }
        .into_any()
    } else {
        view! {
            <table class="table highlight-targets" id="highlight-targets">
                <caption class="table__caption">"Targets of the priorities it owns, at the end of the period"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Priority"</th>
                        <th scope="col">"Target"</th>
                        <th scope="col">"Latest figure"</th>
                        <th scope="col">"Status"</th>
                    </tr>
                </thead>
                <tbody>
                    {targets
                        .into_iter()
                        .map(|t| {
                            let name = if t.code.trim().is_empty() {
                                t.name.clone()
                            } else {
                                format!("{} ({})", t.name, t.code.trim())
                            };
                            let latest = t
                                .latest
                                .map_or_else(
                                    || "No figure yet".to_owned(),
                                    |(v, on)| format!("{v} on {}", on.long()),
                                );
                            view! {
                                <tr class="highlight-target" data-status=t.status.as_key()>
                                    <td>{t.priority}</td>
                                    <td>
                                        <a class="link" href=target_href(t.target_id)>{name}</a>
                                    </td>
                                    <td>{latest}</td>
                                    <td>
                                        <Tag text=t.status.label() tone=tone(t.status) />
                                        <span class="hint highlight-target__sentence">{t.sentence}</span>
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
    let next_words = next_period.map_or_else(
        || "Due in the next period".to_owned(),
        |(a, b)| format!("Due in the next period ({} to {})", a.long(), b.long()),
    );
    view! {
        <section class="section highlight-figures" aria-labelledby="figures-heading">
            <h2 class="heading-m" id="figures-heading">"Figures from the data"</h2>
            <p class="body hint">
                "Pulled from the targets and the action plans, not typed: they change when the figures do."
            </p>
            {targets_view}
            <h3 class="heading-s">"Key actions done in the period"</h3>
            {action_list("highlight-done", done, "None was completed in the period.")}
            <h3 class="heading-s">"Key actions overdue at the end of the period"</h3>
            {action_list("highlight-overdue", overdue, "None was overdue.")}
            <h3 class="heading-s">{next_words}</h3>
            {action_list("highlight-due-next", due_next, "None falls due in the next period.")}
        </section>
    }
}

/// A report: who reports to whom for which period, its overall status, the narrative, the
/// escalation, and the figures pulled from the data. Printable.
#[component]
pub fn HighlightReportDetail(
    #[prop(into)] snapshot: Signal<Snapshot>,
    id: HighlightReportId,
    #[prop(into)] may_write: Signal<bool>,
) -> impl IntoView {
    let report = Memo::new(move |_| snapshot.with(|s| s.highlight_reports.get(&id).cloned()));
    let title = Memo::new(move |_| {
        report.with(|r| {
            r.as_ref()
                .map(|r| snapshot.with(|s| report_title(s, r)))
                .unwrap_or_default()
        })
    });
    set_title(move || vec![title.get()]);
    let crumbs = Signal::derive(move || {
        report.with(|r| match r {
            Some(r) => snapshot.with(|s| {
                let mut c = reports_crumbs(s, r.body_id);
                c.push(Crumb::here(r.period_label()));
                c
            }),
            None => Vec::new(),
        })
    });
    let figures = Memo::new(move |_| {
        report.with(|r| {
            r.as_ref().map(|r| {
                snapshot.with(|s| report_figures(s, r.body_id, r.period_start, r.period_end))
            })
        })
    });
    let body = move || {
        let r = report.get()?;
        let (from, to) = snapshot.with(|s| (body_name(s, r.body_id), body_name(s, r.to_body_id)));
        let narrative = [
            (
                "Progress since the last report",
                r.progress.clone(),
                "highlight-progress",
            ),
            ("Next period", r.next_period.clone(), "highlight-next"),
            (
                "Risks and issues",
                r.risks_and_issues.clone(),
                "highlight-risks",
            ),
            (
                "Decisions needed",
                r.decisions_needed.clone(),
                "highlight-decisions",
            ),
        ];
        Some(view! {
            <p class="lead highlight__route">
                <a class="link" href=body_href(r.body_id)>{from}</a>
                " to "
                <a class="link" href=body_href(r.to_body_id)>{to}</a>
            </p>
            <dl class="summary-list highlight__facts">
                <div class="summary-list__row">
                    <dt class="summary-list__key">"Period"</dt>
                    <dd class="summary-list__value">{r.period_label()}</dd>
                </div>
                <div class="summary-list__row">
                    <dt class="summary-list__key">"Due by"</dt>
                    <dd class="summary-list__value">{r.due_on.long()}</dd>
                </div>
                <div class="summary-list__row">
                    <dt class="summary-list__key">"Submitted"</dt>
                    <dd class="summary-list__value" id="highlight-submitted">{submission_words(&r)}</dd>
                </div>
                <div class="summary-list__row">
                    <dt class="summary-list__key">"Overall status"</dt>
                    <dd class="summary-list__value" id="highlight-overall" data-status=r.overall.as_key()>
                        <Tag text=r.overall.label() tone=overall_tone(r.overall) />
                        <span class="hint">{format!(" {}", r.overall.explanation())}</span>
                    </dd>
                </div>
            </dl>
            {r.escalate
                .then(|| {
                    let words = if r.is_submitted() {
                        "This goes on the agenda of the receiving body's next meeting."
                    } else {
                        "Once the report is submitted, this goes on the agenda of the receiving body's next meeting."
                    };
                    view! {
                        <div class="highlight-escalation" id="highlight-escalation">
                            <h2 class="heading-m">"Escalated"</h2>
                            <p class="body hint">{words}</p>
                            <p class="body preserve-breaks">{r.escalation.clone()}</p>
                        </div>
                    }
                })}
            {narrative
                .into_iter()
                .map(|(heading, text, id)| {
                    let empty = text.trim().is_empty();
                    view! {
                        <section class="section highlight-narrative" id=id>
                            <h2 class="heading-m">{heading}</h2>
                            {if empty {
                                view! { <p class="body hint">"Nothing written yet."</p> }.into_any()
                            } else {
                                view! { <p class="body preserve-breaks">{text}</p> }.into_any()
                            }}
                        </section>
                    }
                })
                .collect_view()}
        })
    };
    let href = highlight_report_href(id);
    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">{move || title.get()}</h1>
        {body}
        {move || figures.get().map(|f| view! { <ReportFiguresView figures=f /> })}
        <div class="button-group">
            <button
                type="button"
                class="button button--secondary"
                id="highlight-print"
                on:click=|_| {
                    if let Some(w) = web_sys::window() {
                        let _ = w.print();
                    }
                }
            >
                "Print the report"
            </button>
        </div>
        <crate::pages::scrutiny::meetings::ConsideredAt
            snapshot=snapshot
            record=atlas_shared::scrutiny::Concern { kind: atlas_shared::EntityKind::HighlightReport, id: id.0 }
            empty="No meeting’s agenda names this report yet. A manager can name it on an agenda item, under the highlight reports it concerns."
        />
        <Show when=move || may_write.get()>
            <div class="button-group">
                <a class="button" href=format!("{href}/edit")>"Edit report"</a>
                <a class="button button--warning" href=format!("{href}/delete")>"Delete report"</a>
            </div>
        </Show>
    }
}

fn use_report_id(snapshot: Signal<Snapshot>) -> Memo<Option<HighlightReportId>> {
    found(use_id("id"), snapshot, |s, id| {
        s.highlight_reports.contains_key(id)
    })
}

/// `/highlight-reports/:id`
#[component]
pub fn HighlightReportPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_report_id(snapshot);
    let partnership = Signal::derive(move || {
        let id = id.get()?;
        snapshot.with(|s| s.highlight_reports.get(&id).map(|r| r.partnership_id))
    });
    let may_write = use_may_write(EntityKind::HighlightReport, partnership);
    gate(store.ready(), id, "highlight report", move |id| {
        view! { <HighlightReportDetail snapshot=snapshot id=id may_write=may_write /> }
    })
}

/// The order of a report's fields, for the error summary.
const REPORT_FIELDS: &[&str] = &[
    "to_body_id",
    "period_start",
    "period_end",
    "due_on",
    "submitted_on",
    "overall",
    "progress",
    "next_period",
    "risks_and_issues",
    "decisions_needed",
    "escalation",
];

/// The fields of a highlight report. Beside the overall status, the suggestion the targets
/// make for the period typed (it follows the dates as they change).
#[component]
pub fn HighlightReportForm(
    #[prop(into)] snapshot: Signal<Snapshot>,
    initial: HighlightReport,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<HighlightReport>,
) -> impl IntoView {
    let p: PartnershipId = initial.partnership_id;
    let from = initial.body_id;
    let bodies: Vec<(String, String)> = snapshot.with_untracked(|s| {
        s.bodies_of(p)
            .into_iter()
            .filter(|(id, _)| *id != from)
            .map(|(id, b)| (id.to_string(), b.name.clone()))
            .collect()
    });
    let date_text = |d: Option<IsoDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let to_body = RwSignal::new(initial.to_body_id.to_string());
    let period_start = RwSignal::new(initial.period_start.to_string());
    let period_end = RwSignal::new(initial.period_end.to_string());
    let due_on = RwSignal::new(initial.due_on.to_string());
    let submitted_on = RwSignal::new(date_text(initial.submitted_on));
    let overall = RwSignal::new(initial.overall);
    let progress = RwSignal::new(initial.progress.clone());
    let next_period = RwSignal::new(initial.next_period.clone());
    let risks = RwSignal::new(initial.risks_and_issues.clone());
    let decisions = RwSignal::new(initial.decisions_needed.clone());
    let escalate = RwSignal::new(initial.escalate);
    let escalation = RwSignal::new(initial.escalation.clone());
    let suggestion = Memo::new(move |_| {
        let start = IsoDate::parse(period_start.get().trim()).ok()?;
        let end = IsoDate::parse(period_end.get().trim()).ok()?;
        (end > start)
            .then(|| snapshot.with(|s| suggested_overall(&report_figures(s, from, start, end))))
    });
    let submit =
        move |()| {
            let mut inputs = Inputs::default();
            let to =
                inputs.take(to_body.get_untracked().parse::<BodyId>().map_err(|_| {
                    FieldError::new("to_body_id", "Choose the body the report goes to")
                }));
            let start = inputs.take(date_input(
                "period_start",
                &period_start.get_untracked(),
                "the first day of the period",
            ));
            let end = inputs.take(date_input(
                "period_end",
                &period_end.get_untracked(),
                "the last day of the period",
            ));
            let due = inputs.take(date_input(
                "due_on",
                &due_on.get_untracked(),
                "the date the report is due",
            ));
            let submitted = inputs.take(optional_date_input(
                "submitted_on",
                &submitted_on.get_untracked(),
                "the date it was submitted",
            ));
            let report = HighlightReport {
                to_body_id: to.unwrap_or(initial.to_body_id),
                period_start: start.unwrap_or(initial.period_start),
                period_end: end.unwrap_or(initial.period_end),
                due_on: due.unwrap_or(initial.due_on),
                submitted_on: submitted.flatten(),
                overall: overall.get_untracked(),
                progress: progress.get_untracked(),
                next_period: next_period.get_untracked(),
                risks_and_issues: risks.get_untracked(),
                decisions_needed: decisions.get_untracked(),
                escalate: escalate.get_untracked(),
                escalation: escalation.get_untracked(),
                ..initial.clone()
            };
            if let Some(found) = inputs.refused(&report, REPORT_FIELDS) {
                errors.set(found);
                return;
            }
            on_submit.run(report)
        };
    let suggestion_view = move || {
        suggestion.get().map(|(status, why)| {
            view! {
                <div class="inset-text highlight-suggestion" id="highlight-suggestion" data-status=status.as_key()>
                    <p class="body">
                        "Suggested from the targets at the end of the period: "
                        <Tag text=status.label() tone=overall_tone(status) />
                    </p>
                    <p class="body hint">{why}</p>
                </div>
            }
        })
    };
    view! {
        <AtlasForm on_submit=submit>
            <RecordSelect id="to_body_id" label="Sent to" hint="The body this report goes to. It starts as the body the reporting line leads to." options=bodies value=to_body errors=errors />
            <TextField id="period_start" label="First day of the period" value=period_start errors=errors input_type="date" width="input--date" />
            <TextField id="period_end" label="Last day of the period" value=period_end errors=errors input_type="date" width="input--date" />
            <TextField id="due_on" label="Due by" hint="When the receiving body expects it" value=due_on errors=errors input_type="date" width="input--date" />
            <TextField id="submitted_on" label="Submitted on (optional)" hint="Leave empty while it is a draft. Once it has a date, the receiving body counts it as received." value=submitted_on errors=errors input_type="date" width="input--date" />
            {suggestion_view}
            <EnumSelect id="overall" label="Overall status" value=overall errors=errors />
            <TextArea id="progress" label="Progress since the last report" hint="Needed once the report is submitted" value=progress errors=errors rows=5 />
            <TextArea id="next_period" label="Next period (optional)" hint="What the group will do before the next report" value=next_period errors=errors rows=4 />
            <TextArea id="risks_and_issues" label="Risks and issues (optional)" value=risks errors=errors rows=4 />
            <TextArea id="decisions_needed" label="Decisions needed (optional)" hint="What the receiving body is asked to decide" value=decisions errors=errors rows=3 />
            <Checkbox id="escalate" label="Escalate to the next meeting" hint="Puts an item on the agenda of the receiving body's next meeting once the report is submitted" value=escalate />
            <TextArea id="escalation" label="What is escalated (needed when escalating)" hint="What the matter is and what you need the receiving body to do" value=escalation errors=errors rows=3 />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// A new report by `body`, pre-filled: the period after its last report (or today's
/// quarter), due two weeks after it, sent where its reporting line leads, with the overall
/// status its targets suggest. `None` when the body is not on this device.
pub fn new_report(s: &Snapshot, body: BodyId, today: IsoDate) -> Option<HighlightReport> {
    let b = s.bodies.get(&body)?;
    let (start, end) = default_period(s, body, today)?;
    let to = receiving_body(s, body)
        .or_else(|| {
            s.bodies_of(b.partnership_id)
                .into_iter()
                .map(|(id, _)| id)
                .find(|id| *id != body)
        })
        // With no other body to send it to, the form asks for one (and refuses itself).
        .unwrap_or(body);
    let (overall, _) = suggested_overall(&report_figures(s, body, start, end));
    Some(HighlightReport {
        partnership_id: b.partnership_id,
        body_id: body,
        to_body_id: to,
        period_start: start,
        period_end: end,
        due_on: default_due(end).unwrap_or(end),
        submitted_on: None,
        overall,
        progress: String::new(),
        next_period: String::new(),
        risks_and_issues: String::new(),
        decisions_needed: String::new(),
        escalate: false,
        escalation: String::new(),
    })
}

/// `/bodies/:id/highlight-reports/new`
#[component]
pub fn NewHighlightReportPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let body = found(use_id::<BodyId>("id"), snapshot, |s, id| {
        s.bodies.contains_key(id)
    });
    gate(store.ready(), body, "body", move |body| {
        let Some(initial) = snapshot.with_untracked(|s| new_report(s, body, today())) else {
            return ().into_any();
        };
        let id = HighlightReportId(new_id());
        let heading = "Write a highlight report".to_owned();
        let crumbs = snapshot.with_untracked(|s| {
            let mut c = reports_crumbs(s, body);
            c.push(Crumb::here(heading.clone()));
            c
        });
        let page = FormPage::in_section(crumbs, heading, "Highlight reports");
        let to_save = move |r: HighlightReport| (Draft::of(r), highlight_report_href(id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <HighlightReportForm
                    snapshot=snapshot
                    initial=initial
                    errors=errors
                    submit_label="Save report"
                    cancel_href=highlight_reports_href(body)
                    on_submit=on_submit
                />
            }
        })
        .into_any()
    })
}

/// `/highlight-reports/:id/edit`
#[component]
pub fn EditHighlightReportPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_report_id(snapshot);
    gate(store.ready(), id, "highlight report", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.highlight_reports.get(&id).cloned())
        else {
            return ().into_any();
        };
        let heading = format!("Edit the report for {}", initial.period_label());
        let crumbs = snapshot.with_untracked(|s| {
            let mut c = reports_crumbs(s, initial.body_id);
            c.push(Crumb::here(heading.clone()));
            c
        });
        let page = FormPage::in_section(crumbs, heading, "Highlight reports");
        let to_save = move |r: HighlightReport| (Draft::of(r), highlight_report_href(id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <HighlightReportForm
                    snapshot=snapshot
                    initial=initial
                    errors=errors
                    submit_label="Save changes"
                    cancel_href=highlight_report_href(id)
                    on_submit=on_submit
                />
            }
        })
        .into_any()
    })
}

/// One report in the receiving body's lists: a link and what stands out.
fn received_item(s: &Snapshot, id: HighlightReportId, r: &HighlightReport) -> AnyView {
    let title = format!("{}, {}", body_name(s, r.body_id), r.period_label());
    let words = submission_words(r);
    let overall = r.overall;
    let escalates = r.escalation_stands();
    let submitted = r.is_submitted();
    view! {
        <li class="record-list__item received-report">
            <a class="link" href=highlight_report_href(id)>{title}</a>
            <span class="record-list__meta">{format!(" {words}")}</span>
            {submitted
                .then(|| {
                    view! {
                        " "
                        <Tag text=overall.label() tone=overall_tone(overall) />
                        {escalates.then(|| view! { " " <Tag text="Escalated" tone="purple" /> })}
                    }
                })}
        </li>
    }
    .into_any()
}

/// On a body's page: its own reports (a link, and Write for those who may), and the reports
/// sent to it: due, late and received. Nothing when it neither reports nor receives, and
/// nothing to a reader who may not read reports (the public).
#[component]
pub fn BodyHighlights(
    #[prop(into)] snapshot: Signal<Snapshot>,
    body: BodyId,
    today: IsoDate,
    #[prop(into)] may_read: Signal<bool>,
    #[prop(into)] may_write: Signal<bool>,
) -> impl IntoView {
    let own = Memo::new(move |_| snapshot.with(|s| reports_of(s, body).len()));
    let reports_up = Memo::new(move |_| snapshot.with(|s| receiving_body(s, body).is_some()));
    let receives = Memo::new(move |_| {
        snapshot.with(|s| {
            s.lines_to(body)
                .iter()
                .any(|(_, l)| l.kind != LineKind::Advises)
                || s.highlight_reports.values().any(|r| r.to_body_id == body)
        })
    });
    let own_section = move || {
        let offered = own.get() > 0 || (reports_up.get() && may_write.get());
        (may_read.get() && offered).then(|| {
            view! {
                <section class="section" aria-labelledby="own-highlights-heading">
                    <h2 class="heading-m" id="own-highlights-heading">"Its highlight reports"</h2>
                    <p class="body">
                        <a class="link" id="own-highlights" href=highlight_reports_href(body)>
                            {move || format!("Highlight reports it has written ({})", own.get())}
                        </a>
                    </p>
                    <Show when=move || may_write.get()>
                        <a class="button button--secondary" href=format!("{}/new", highlight_reports_href(body))>
                            "Write a highlight report"
                        </a>
                    </Show>
                </section>
            }
        })
    };
    let received = move || {
        (may_read.get() && receives.get()).then(|| {
            let (due, late, received) = snapshot.with(|s| {
                let r = reports_to(s, body, today);
                let items = |v: Vec<(HighlightReportId, &HighlightReport)>| {
                    v.into_iter()
                        .map(|(id, x)| received_item(s, id, x))
                        .collect::<Vec<_>>()
                };
                (items(r.due), items(r.late), items(r.received))
            });
            let part = |id: &'static str, heading: String, items: Vec<AnyView>, none: &'static str| {
                view! {
                    <h3 class="heading-s">{heading}</h3>
                    {if items.is_empty() {
                        view! { <p class="body hint" id=id>{none}</p> }.into_any()
                    } else {
                        view! { <ul class="record-list" id=id>{items}</ul> }.into_any()
                    }}
                }
            };
            let late_heading = format!("Late ({})", late.len());
            let due_heading = format!("Due ({})", due.len());
            let received_heading = format!("Received ({})", received.len());
            view! {
                <section class="section highlights-received" aria-labelledby="received-heading">
                    <h2 class="heading-m" id="received-heading">"Highlight reports received"</h2>
                    <p class="body hint">
                        "Reports from the bodies that report to this one. A report is late once its due date has passed and it has not been submitted."
                    </p>
                    {part("received-late", late_heading, late, "No report is late.")}
                    {part("received-due", due_heading, due, "No report is waiting to be submitted.")}
                    {part("received-received", received_heading, received, "No report has been received yet.")}
                </section>
            }
        })
    };
    view! {
        {own_section}
        {received}
    }
}

/// On a meeting's page: the escalations that reach it (see
/// `atlas_shared::strategy::highlights::escalations_to`); nothing when there are none.
#[component]
pub fn MeetingEscalations(
    #[prop(into)] snapshot: Signal<Snapshot>,
    meeting: MeetingId,
) -> impl IntoView {
    let items = Memo::new(move |_| {
        snapshot.with(|s| {
            escalations_to(s, meeting)
                .into_iter()
                .map(|(id, r)| {
                    (
                        id,
                        body_name(s, r.body_id),
                        r.period_label(),
                        r.submitted_on,
                        r.escalation.clone(),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    move || {
        let items = items.get();
        (!items.is_empty()).then(|| {
            view! {
                <section class="section meeting-escalations" aria-labelledby="escalations-heading">
                    <h2 class="heading-m" id="escalations-heading">"Escalated to this meeting"</h2>
                    <p class="body hint">
                        "Matters the bodies that report here escalated in their highlight reports, submitted since the last meeting."
                    </p>
                    <ul class="record-list" id="meeting-escalations">
                        {items
                            .into_iter()
                            .map(|(id, from, period, submitted, text)| {
                                let when = submitted.map(|d| format!(", submitted on {}", d.long())).unwrap_or_default();
                                view! {
                                    <li class="record-list__item meeting-escalation">
                                        <a class="link" href=highlight_report_href(id)>
                                            {format!("{from}: highlight report, {period}")}
                                        </a>
                                        <span class="record-list__meta">{when}</span>
                                        <p class="body preserve-breaks meeting-escalation__text">{text}</p>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
    }
}
