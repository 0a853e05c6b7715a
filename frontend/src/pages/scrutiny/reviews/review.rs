//! A partnership's reviews (`/partnerships/:id/reviews`), one review's page (`/reviews/:id`,
//! read like seed 004's table: number, recommendation, latest response, status, date; a filter
//! by status; "N of M completed"; monitoring), and the review form.

use atlas_shared::date::optional_date_input;
use atlas_shared::scrutiny::reviews::{
    self, DEFAULT_MONITORING_MONTHS, RecommendationRow, Status, completed_count, monitoring_due,
    review_table, reviews_of, sessions_of, unchanged_since_last_session,
};
use atlas_shared::scrutiny::{Review, ReviewId};
use atlas_shared::{BodyKind, Draft, FieldError, IsoDate, PartnershipId, Snapshot};
use leptos::prelude::*;

use super::{recommendation_href, report_href, review_crumbs, review_href, reviews_href, today};
use crate::components::{
    AtlasForm, Breadcrumbs, Crumb, FormActions, FormErrors, FormPage, Inputs, RecordSelect, Tag,
    TextArea, TextField, gate, record_form_page, set_title,
};
use crate::data::{new_id, use_store};
use crate::pages::accounts::use_manages;
use crate::pages::structure::body_href;
use crate::pages::{count, found, partnership_name, use_id, use_partnership_id};
use atlas_shared::order::sort_by_key;

/// The tone of a status's tag. The tag's words always say the status, so colour is never the
/// only signal.
pub fn status_tone(status: Status) -> &'static str {
    match status {
        Status::ResponseOverdue | Status::ActionOverdue | Status::NotAccepted => "red",
        Status::Completed | Status::SignedOff => "green",
        Status::InProgress => "blue",
        Status::AwaitingResponse => "yellow",
        _ => "grey",
    }
}

/// The date input's text for a date: `2011-11-08`, or empty.
pub fn date_text(d: Option<IsoDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// A partnership's reviews, with how far each has got.
#[component]
pub fn ReviewsList(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    today: IsoDate,
    #[prop(into)] manages: Signal<bool>,
) -> impl IntoView {
    let p = partnership;
    let rows = Memo::new(move |_| {
        snapshot.with(|s| {
            reviews_of(s, p)
                .into_iter()
                .map(|(id, r)| {
                    let (done, all) = completed_count(&review_table(s, id, today));
                    (id, r.title.clone(), r.committee.clone(), done, all)
                })
                .collect::<Vec<_>>()
        })
    });
    let pname = Memo::new(move |_| snapshot.with(|s| partnership_name(s, p)));
    set_title(move || vec!["Reviews".to_owned(), pname.get()]);
    let crumbs = Signal::derive(move || {
        snapshot.with(|s| {
            let mut c = crate::pages::partnership_crumbs(s, p);
            c.push(Crumb::here("Reviews"));
            c
        })
    });
    let list = move || {
        let rows = rows.get();
        if rows.is_empty() {
            return view! {
                <p class="body" id="no-reviews">
                    "There are no reviews yet. When a Task and Finish group reports, add its review and its recommendations here: the app then tracks each response and tells the committee what is due."
                </p>
            }
            .into_any();
        }
        view! {
            <ul class="record-list" id="review-list">
                {rows
                    .into_iter()
                    .map(|(id, title, committee, done, all)| {
                        view! {
                            <li class="record-list__item">
                                <a class="link" href=review_href(id)>{title}</a>
                                <span class="record-list__meta">
                                    {format!(
                                        "{}{}; {done} of {all} completed",
                                        if committee.is_empty() { "" } else { "Reports to " },
                                        committee,
                                    )}
                                </span>
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
        <h1 class="heading-xl">"Reviews"</h1>
        <p class="body lead">
            "Reviews of the partnership by Task and Finish groups, their recommendations, and what has happened to each."
        </p>
        {list}
        <Show when=move || manages.get()>
            <a class="button" id="add-review" href=format!("{}/new", reviews_href(p))>
                "Add a review"
            </a>
        </Show>
    }
}

/// `/partnerships/:id/reviews`
#[component]
pub fn ReviewsPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    gate(store.ready(), pid, "partnership", move |pid| {
        let manages = use_manages(Signal::derive(move || Some(pid)));
        view! { <ReviewsList snapshot=snapshot partnership=pid today=today() manages=manages /> }
    })
}

/// The recommendations table, like seed 004's: number, recommendation, latest response,
/// status in words, and the date of the latest entry.
#[component]
pub fn RecommendationsTable(
    #[prop(into)] rows: Signal<Vec<RecommendationRow>>,
    #[prop(into)] caption: Signal<String>,
    /// Links each number to the recommendation's page (not in the printed report).
    #[prop(optional)]
    links: bool,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView {
    view! {
        <table class="table recommendations-table" id=id.unwrap_or("recommendations-table")>
            <caption class="table__caption">{move || caption.get()}</caption>
            <thead>
                <tr>
                    <th scope="col" class="recommendations-table__number">"No."</th>
                    <th scope="col" class="recommendations-table__text">"Recommendation"</th>
                    <th scope="col" class="recommendations-table__response">"Latest response"</th>
                    <th scope="col" class="recommendations-table__status">"Status"</th>
                    <th scope="col" class="recommendations-table__date">"Date"</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    rows.get()
                        .into_iter()
                        .map(|r| {
                            let number = r.recommendation.number.to_string();
                            let data_number = number.clone();
                            let response = r.state.latest_response.clone();
                            let status = r.state.status;
                            view! {
                                <tr class="recommendation-row" data-status=status.as_key() data-number=data_number>
                                    <th scope="row">
                                        {if links {
                                            view! { <a class="link" href=recommendation_href(r.id)>{number}</a> }.into_any()
                                        } else {
                                            number.into_any()
                                        }}
                                    </th>
                                    <td class="preserve-breaks">{r.recommendation.text.clone()}</td>
                                    <td class="recommendation-row__response preserve-breaks">
                                        {match response {
                                            Some(step) => view! {
                                                {step.answer.map(|a| view! { <strong class="recommendation-row__answer">{format!("{}: ", a.label())}</strong> })}
                                                {step.text.clone()}
                                            }.into_any(),
                                            None => view! { <span class="hint">"No response yet"</span> }.into_any(),
                                        }}
                                    </td>
                                    <td class="recommendation-row__status">
                                        <Tag text=status.label() tone=status_tone(status) />
                                        <span class="recommendation-row__words">{r.state.words()}</span>
                                    </td>
                                    <td class="recommendation-row__date">
                                        {r.state.last_entry.map(IsoDate::long).unwrap_or_default()}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}

/// The monitoring panel: when the next session is due, the sessions held, and what has not
/// changed since the last one.
#[component]
pub fn MonitoringPanel(
    #[prop(into)] snapshot: Signal<Snapshot>,
    review: ReviewId,
    #[prop(into)] rows: Signal<Vec<RecommendationRow>>,
    today: IsoDate,
    #[prop(into)] manages: Signal<bool>,
) -> impl IntoView {
    let data = Memo::new(move |_| {
        snapshot.with(|s| {
            let sessions = sessions_of(s, review);
            let list: Vec<_> = sessions.iter().map(|(id, m)| (*id, (*m).clone())).collect();
            let refs: Vec<_> = sessions.iter().map(|(_, m)| *m).collect();
            let due = s
                .reviews
                .get(&review)
                .and_then(|r| monitoring_due(r, &refs, today));
            (list, due)
        })
    });
    let unchanged = Memo::new(move |_| {
        snapshot.with(|s| {
            let sessions = sessions_of(s, review);
            let refs: Vec<_> = sessions.iter().map(|(_, m)| *m).collect();
            rows.with(|rows| {
                unchanged_since_last_session(rows, &refs, today)
                    .into_iter()
                    .map(|r| (r.id, r.recommendation.number))
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        <section class="section monitoring" aria-labelledby="monitoring-heading">
            <h2 class="heading-m" id="monitoring-heading">"Monitoring"</h2>
            {move || {
                data.with(|(_, due)| match due {
                    Some(due) => {
                        let class = if due.is_overdue() {
                            "body monitoring__due monitoring__due--overdue"
                        } else {
                            "body monitoring__due"
                        };
                        view! {
                            <p class=class id="monitoring-due" data-overdue=due.is_overdue().to_string()>
                                {due.is_overdue().then(|| view! { <Tag text="Overdue" tone="red" /> " " })}
                                {due.words()}
                            </p>
                        }
                        .into_any()
                    }
                    None => view! {
                        <p class="body" id="monitoring-due">
                            "No monitoring session is due yet: add the date the review reported, or the first monitoring session."
                        </p>
                    }
                    .into_any(),
                })
            }}
            <h3 class="heading-s">"Sessions held"</h3>
            {move || {
                let (list, _) = data.get();
                if list.is_empty() {
                    return view! { <p class="body" id="no-sessions">"None yet."</p> }.into_any();
                }
                view! {
                    <ul class="record-list" id="monitoring-sessions">
                        {list
                            .into_iter()
                            .map(|(id, m)| {
                                view! {
                                    <li class="record-list__item">
                                        <strong>{m.date.long()}</strong>
                                        {(!m.held_at.is_empty()).then(|| format!(", {}", m.held_at))}
                                        {(!m.note.is_empty()).then(|| view! { <span class="record-list__meta">{m.note.clone()}</span> })}
                                        <Show when=move || manages.get()>
                                            <a class="link record-list__actions" href=format!("/monitoring-sessions/{id}/delete")>
                                                "Delete"
                                                <span class="visually-hidden">{format!(" the session of {}", m.date.long())}</span>
                                            </a>
                                        </Show>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
            {move || {
                let (list, _) = data.get();
                let unchanged = unchanged.get();
                list.last().map(|(_, last)| {
                    let heading = format!("Open recommendations unchanged since {}", last.date.long());
                    if unchanged.is_empty() {
                        return view! {
                            <h3 class="heading-s">{heading}</h3>
                            <p class="body" id="unchanged">"None: every open recommendation has a newer entry."</p>
                        }
                        .into_any();
                    }
                    view! {
                        <h3 class="heading-s">{heading}</h3>
                        <p class="body" id="unchanged">
                            {format!("{}: ", count(unchanged.len(), "recommendation", "recommendations"))}
                            {unchanged
                                .into_iter()
                                .enumerate()
                                .map(|(i, (id, n))| {
                                    view! {
                                        {(i > 0).then_some(", ")}
                                        <a class="link" href=recommendation_href(id)>{n.to_string()}</a>
                                    }
                                })
                                .collect_view()}
                        </p>
                    }
                    .into_any()
                })
            }}
        </section>
    }
}

/// One review: what it was, its recommendations as seed 004's table with a filter by status
/// and the count completed, and its monitoring.
#[component]
pub fn ReviewDetail(
    #[prop(into)] snapshot: Signal<Snapshot>,
    id: ReviewId,
    today: IsoDate,
    #[prop(into)] manages: Signal<bool>,
) -> impl IntoView {
    let review = Memo::new(move |_| snapshot.with(|s| s.reviews.get(&id).cloned()));
    let title = move || review.with(|r| r.as_ref().map(|r| r.title.clone()).unwrap_or_default());
    set_title(move || vec![title()]);
    let crumbs = Signal::derive(move || {
        review.with(|r| match r {
            Some(r) => snapshot.with(|s| {
                let mut c = review_crumbs(s, r.partnership_id, None);
                c.push(Crumb::here(r.title.clone()));
                c
            }),
            None => Vec::new(),
        })
    });
    let rows = Memo::new(move |_| snapshot.with(|s| review_table(s, id, today)));
    let filter = RwSignal::new(String::new());
    let shown = Signal::derive(move || {
        let f = filter.get();
        rows.get()
            .into_iter()
            .filter(|r| f.is_empty() || r.state.status.as_key() == f)
            .collect::<Vec<_>>()
    });
    let options = Signal::derive(move || {
        let rows = rows.get();
        let mut o = vec![(String::new(), format!("All ({})", rows.len()))];
        for status in Status::ALL {
            let n = rows.iter().filter(|r| r.state.status == *status).count();
            if n > 0 {
                o.push((status.as_key(), format!("{} ({n})", status.label())));
            }
        }
        o
    });
    let group = Memo::new(move |_| {
        snapshot.with(|s| {
            review.with(|r| {
                r.as_ref()
                    .and_then(|r| r.body_id)
                    .and_then(|b| s.bodies.get(&b).map(|body| (b, body.name.clone())))
            })
        })
    });
    let href = review_href(id);
    view! {
        <Breadcrumbs crumbs=crumbs />
        <p class="caption-l">"Review"</p>
        <h1 class="heading-xl">{title}</h1>
        {move || {
            review.get().map(|r| {
                let dates = match (r.started_on, r.reported_on) {
                    (Some(a), Some(b)) => Some(format!("Started {}; reported {}.", a.long(), b.long())),
                    (None, Some(b)) => Some(format!("Reported {}.", b.long())),
                    (Some(a), None) => Some(format!("Started {}.", a.long())),
                    (None, None) => None,
                };
                view! {
                    <dl class="summary-list" id="review-summary">
                        {group.get().map(|(b, name)| view! {
                            <div class="summary-list__row">
                                <dt class="summary-list__key">"By"</dt>
                                <dd class="summary-list__value"><a class="link" href=body_href(b)>{name}</a></dd>
                            </div>
                        })}
                        {(!r.committee.is_empty()).then(|| view! {
                            <div class="summary-list__row">
                                <dt class="summary-list__key">"Reports to"</dt>
                                <dd class="summary-list__value">{r.committee.clone()}</dd>
                            </div>
                        })}
                        {dates.map(|d| view! {
                            <div class="summary-list__row">
                                <dt class="summary-list__key">"Dates"</dt>
                                <dd class="summary-list__value">{d}</dd>
                            </div>
                        })}
                        {(!r.members.is_empty()).then(|| view! {
                            <div class="summary-list__row">
                                <dt class="summary-list__key">"Members"</dt>
                                <dd class="summary-list__value">{r.members.join(", ")}</dd>
                            </div>
                        })}
                    </dl>
                    {(!r.summary.is_empty()).then(|| view! { <p class="body preserve-breaks">{r.summary.clone()}</p> })}
                }
            })
        }}
        <Show when=move || manages.get()>
            <div class="button-group">
                <a class="button" id="add-recommendation" href=format!("{href}/recommendations/new")>
                    "Add a recommendation"
                </a>
                <a class="button button--secondary" id="add-session" href=format!("{href}/sessions/new")>
                    "Add a monitoring session"
                </a>
                <a class="button button--secondary" id="edit-review" href=format!("{href}/edit")>
                    "Edit review"
                </a>
                <a class="button button--warning" id="delete-review" href=format!("{href}/delete")>
                    "Delete review"
                </a>
            </div>
        </Show>
        <section class="section" aria-labelledby="recommendations-heading">
            <h2 class="heading-m" id="recommendations-heading">"Recommendations"</h2>
            <p class="body review-count" id="review-completed">
                {move || {
                    let (done, all) = completed_count(&rows.get());
                    format!("{done} of {all} completed (carried out or signed off by the committee).")
                }}
            </p>
            <p class="body">
                "Each status comes from the dated log on the recommendation's page: add a step there to change it. A response is due two months after a recommendation is received."
            </p>
            <div class="form-group review-filter">
                <label class="label" for="status-filter">"Show recommendations"</label>
                <select
                    class="select"
                    id="status-filter"
                    name="status-filter"
                    on:change=move |ev| filter.set(event_target_value(&ev))
                >
                    // The counts follow the data, so the options are redrawn with it.
                    {move || {
                        options
                            .get()
                            .into_iter()
                            .map(|(key, text)| {
                                let selected = filter.get_untracked() == key;
                                view! { <option value=key selected=selected>{text}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            <RecommendationsTable
                rows=shown
                caption="Recommendations, their latest response and status".to_owned()
                links=true
            />
            <p class="body">
                <a class="link" id="monitoring-report-link" href=report_href(id, None)>
                    "The monitoring report"
                </a>
                " — seed 004's table for any date, to print or download as a spreadsheet."
            </p>
        </section>
        <MonitoringPanel snapshot=snapshot review=id rows=rows today=today manages=manages />
    }
}

/// `/reviews/:id`
#[component]
pub fn ReviewPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_review_id(snapshot);
    gate(store.ready(), id, "review", move |id| {
        let p = snapshot.with_untracked(|s| s.reviews.get(&id).map(|r| r.partnership_id));
        let manages = use_manages(Signal::derive(move || p));
        view! { <ReviewDetail snapshot=snapshot id=id today=today() manages=manages /> }
    })
}

/// The route's `:id` as a review on this device.
pub fn use_review_id(snapshot: Signal<Snapshot>) -> Memo<Option<ReviewId>> {
    found(use_id("id"), snapshot, |s, id| s.reviews.contains_key(id))
}

const REVIEW_FIELDS: &[&str] = &[
    "title",
    "body_id",
    "committee",
    "started_on",
    "reported_on",
    "members",
    "summary",
    "monitoring_months",
];

/// The review's fields. Members are typed one a line; blank lines are left out.
#[component]
pub fn ReviewForm(
    #[prop(into)] snapshot: Signal<Snapshot>,
    initial: Review,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<Review>,
) -> impl IntoView {
    let p = initial.partnership_id;
    let title = RwSignal::new(initial.title);
    let body = RwSignal::new(initial.body_id.map(|b| b.to_string()).unwrap_or_default());
    let committee = RwSignal::new(initial.committee);
    let started = RwSignal::new(date_text(initial.started_on));
    let reported = RwSignal::new(date_text(initial.reported_on));
    let members = RwSignal::new(initial.members.join("\n"));
    let summary = RwSignal::new(initial.summary);
    let months = RwSignal::new(initial.monitoring_months.to_string());
    let bodies = snapshot.with_untracked(|s| {
        let mut o = vec![(String::new(), "None of the partnership's bodies".to_owned())];
        let mut groups: Vec<_> = s.bodies_of(p);
        // Task and Finish groups first: they make reviews.
        sort_by_key(&mut groups, |(_, b)| b.kind != BodyKind::TaskAndFinishGroup);
        o.extend(
            groups
                .into_iter()
                .map(|(id, b)| (id.to_string(), b.name.clone())),
        );
        o
    });
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let started_on = inputs.take(optional_date_input(
            "started_on",
            &started.get_untracked(),
            "the date it started",
        ));
        let reported_on = inputs.take(optional_date_input(
            "reported_on",
            &reported.get_untracked(),
            "the date it reported",
        ));
        let monitoring_months = inputs
            .take(months.get_untracked().trim().parse::<u32>().map_err(|_| {
            FieldError::new(
                "monitoring_months",
                "Enter how many months apart the committee monitors the recommendations, like 6",
            )
        }));
        let review = Review {
            partnership_id: p,
            title: title.get_untracked().trim().to_owned(),
            body_id: body.get_untracked().parse().ok(),
            committee: committee.get_untracked().trim().to_owned(),
            started_on: started_on.flatten(),
            reported_on: reported_on.flatten(),
            members: members
                .get_untracked()
                .lines()
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(str::to_owned)
                .collect(),
            summary: summary.get_untracked(),
            monitoring_months: monitoring_months.unwrap_or(DEFAULT_MONITORING_MONTHS),
        };
        if let Some(found) = inputs.refused(&review, REVIEW_FIELDS) {
            errors.set(found);
            return;
        }
        on_submit.run(review);
    };
    view! {
        <AtlasForm on_submit=submit>
            <TextField id="title" label="Title" hint="For example, Review of the Redditch Partnership" value=title errors=errors />
            <RecordSelect id="body_id" label="The Task and Finish group (optional)" options=bodies value=body errors=errors />
            <TextField id="committee" label="The committee it reports to (optional)" hint="For example, Overview and Scrutiny Committee" value=committee errors=errors />
            <TextField id="started_on" label="Started on (optional)" value=started errors=errors input_type="date" width="input--date" />
            <TextField id="reported_on" label="Reported on (optional)" hint="Monitoring is due six months after this until the first session" value=reported errors=errors input_type="date" width="input--date" />
            <TextArea id="members" label="Members (optional)" hint="One name a line" value=members errors=errors rows=4 />
            <TextArea id="summary" label="Summary (optional)" value=summary errors=errors rows=4 />
            <TextField id="monitoring_months" label="Months between monitoring sessions" hint="Six by default" value=months errors=errors inputmode="numeric" width="input--width-3" />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

fn review_form_page(
    snapshot: Signal<Snapshot>,
    id: ReviewId,
    initial: Review,
    heading: String,
    submit_label: &'static str,
    cancel: String,
) -> impl IntoView {
    let p = initial.partnership_id;
    let crumbs = snapshot.with_untracked(|s| {
        let mut c = review_crumbs(s, p, s.reviews.contains_key(&id).then_some(id));
        c.push(Crumb::here(heading.clone()));
        c
    });
    let page = FormPage::in_section(crumbs, heading, "Reviews");
    let to_save = move |r: Review| (Draft::of(r), review_href(id));
    record_form_page(page, id.0, to_save, move |errors, on_submit| {
        view! {
            <ReviewForm snapshot=snapshot initial=initial errors=errors submit_label=submit_label cancel_href=cancel on_submit=on_submit />
        }
    })
}

/// `/partnerships/:id/reviews/new`
#[component]
pub fn NewReviewPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    gate(store.ready(), pid, "partnership", move |pid| {
        let initial = Review {
            partnership_id: pid,
            title: String::new(),
            body_id: None,
            committee: reviews::SEED_004_COMMITTEE.to_owned(),
            started_on: None,
            reported_on: None,
            members: Vec::new(),
            summary: String::new(),
            monitoring_months: DEFAULT_MONITORING_MONTHS,
        };
        review_form_page(
            snapshot,
            ReviewId(new_id()),
            initial,
            "Add a review".to_owned(),
            "Add review",
            reviews_href(pid),
        )
    })
}

/// `/reviews/:id/edit`
#[component]
pub fn EditReviewPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_review_id(snapshot);
    gate(store.ready(), id, "review", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.reviews.get(&id).cloned()) else {
            return ().into_any();
        };
        let heading = format!("Edit “{}”", initial.title);
        review_form_page(
            snapshot,
            id,
            initial,
            heading,
            "Save changes",
            review_href(id),
        )
        .into_any()
    })
}
