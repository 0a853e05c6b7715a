//! Meetings: a partnership's meetings (`/partnerships/:id/meetings`, upcoming and past), one
//! meeting with its agenda and minutes (`/meetings/:id`), what a council committee received
//! about the partnership (`/partnerships/:id/committees/:council?name=…`), and a body's
//! meetings on the body's page ([`BodyMeetings`]).
//!
//! Each view takes plain props (the snapshot, today's date, whether the reader manages the
//! partnership) so tests mount it; the `*Page` wrappers read the route, the store and the
//! clock.

use atlas_shared::scrutiny::meetings::{
    agenda_of, body_meetings_around, committees_of, concern_label, concerned_records,
    is_web_address, items_concerning, meeting_title, meetings_of_body, meetings_of_committee,
    minutes_of, organisation_name, upcoming_and_past, who_met,
};
use atlas_shared::scrutiny::{
    AgendaItem, AgendaItemId, Concern, Meeting, MeetingId, MeetingStatus, Minutes,
    MonitoringSessionId, RecommendationId,
};
use atlas_shared::{BodyId, EntityKind, IsoDate, OrganisationId, PartnershipId, Snapshot};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::meeting_routes::{
    agenda_item_anchor, agenda_item_href, committee_href, forward_plan_href, meeting_href,
    meeting_trail, meetings_href, meetings_trail, minutes_href, partnership_page, today,
};
use super::reviews::{recommendation_href, review_href};
use crate::components::{Breadcrumbs, Crumb, PendingTag, Tag, gate, set_title};
use crate::data::use_store;
use crate::pages::accounts::use_manages;
use crate::pages::structure::body_href;
use crate::pages::{
    count, found, partnership_crumbs, partnership_name, use_id, use_partnership_id,
};

/// The note every draft carries, so nobody mistakes who can read it.
pub const DRAFT_NOTE: &str =
    "Draft: only members of the partnership can see these minutes until they are published.";

/// A meeting as a list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct MeetingRow {
    pub id: MeetingId,
    pub date: String,
    pub who: String,
    pub status: MeetingStatus,
    pub items: usize,
    /// Where its minutes stand: "Draft", "Published", or "None".
    pub minutes: &'static str,
}

fn row(s: &Snapshot, id: MeetingId, m: &Meeting) -> MeetingRow {
    let date = match m.time_label() {
        Some(t) => format!("{}, {t}", m.date.long()),
        None => m.date.long(),
    };
    MeetingRow {
        id,
        date,
        who: who_met(s, m),
        status: m.status,
        items: agenda_of(s, id).len(),
        minutes: minutes_of(s, id).map_or("None", |(_, x)| x.status().label()),
    }
}

/// A table of meetings with a caption.
#[component]
fn MeetingTable(
    caption: &'static str,
    rows: Vec<MeetingRow>,
    empty: &'static str,
    /// The table's id, for tests and links.
    id: &'static str,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="body" id=id>{empty}</p> }.into_any();
    }
    view! {
        <table class="table meetings-table" id=id>
            <caption class="table__caption">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"Date"</th>
                    <th scope="col">"Who met"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col" class="table__numeric">"Agenda items"</th>
                    <th scope="col">"Minutes"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|r| {
                        view! {
                            <tr class="meetings-table__row">
                                <td>
                                    <a class="link" href=meeting_href(r.id)>
                                        {r.date}
                                    </a>
                                </td>
                                <td>{r.who}</td>
                                <td>
                                    <Tag text=r.status.label() tone=status_tone(r.status) />
                                </td>
                                <td class="table__numeric">{r.items}</td>
                                <td>{r.minutes}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn status_tone(status: MeetingStatus) -> &'static str {
    match status {
        MeetingStatus::Scheduled => "blue",
        MeetingStatus::Held => "grey",
        MeetingStatus::Cancelled => "purple",
    }
}

/// A partnership's meetings: those to come, then those past (latest first), the council
/// committees that met about it, and the forward plan.
#[component]
pub fn MeetingsList(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    today: IsoDate,
    #[prop(into)] manages: Signal<bool>,
) -> impl IntoView {
    let p = partnership;
    let pname = Memo::new(move |_| snapshot.with(|s| partnership_name(s, p)));
    set_title(move || vec!["Meetings".to_owned(), pname.get()]);
    let crumbs = Signal::derive(move || {
        snapshot.with(|s| {
            let mut c = partnership_crumbs(s, p);
            c.push(Crumb::here("Meetings"));
            c
        })
    });
    let rows = Memo::new(move |_| {
        snapshot.with(|s| {
            let (upcoming, past) = upcoming_and_past(s, p, today);
            let rows = |v: Vec<(MeetingId, &Meeting)>| {
                v.into_iter()
                    .map(|(id, m)| row(s, id, m))
                    .collect::<Vec<_>>()
            };
            (rows(upcoming), rows(past))
        })
    });
    let committees = Memo::new(move |_| {
        snapshot.with(|s| {
            committees_of(s, p)
                .into_iter()
                .map(|(council, name)| {
                    let label = format!("{name}, {}", organisation_name(s, council));
                    (committee_href(p, council, &name), label)
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">"Meetings"</h1>
        <p class="body lead">
            "Meetings of the partnership’s bodies, and of the council committees that receive reports about the partnership, with their agendas and minutes."
        </p>
        <Show when=move || manages.get()>
            <a class="button" href=format!("{}/new", meetings_href(p))>
                "Add a meeting"
            </a>
        </Show>
        <p class="body">
            <a class="link" href=forward_plan_href(p, None)>
                "Forward plan: coming meetings and what is due at each"
            </a>
        </p>
        <section class="section" aria-labelledby="upcoming-heading">
            <h2 class="heading-m" id="upcoming-heading">
                "Upcoming"
            </h2>
            {move || {
                view! {
                    <MeetingTable
                        caption="Meetings to come, earliest first"
                        rows=rows.get().0
                        empty="No meetings are planned."
                        id="upcoming-meetings"
                    />
                }
            }}
        </section>
        <section class="section" aria-labelledby="past-heading">
            <h2 class="heading-m" id="past-heading">
                "Past"
            </h2>
            {move || {
                view! {
                    <MeetingTable
                        caption="Meetings held or cancelled, latest first"
                        rows=rows.get().1
                        empty="No past meetings are recorded."
                        id="past-meetings"
                    />
                }
            }}
        </section>
        <section class="section" aria-labelledby="committees-heading">
            <h2 class="heading-m" id="committees-heading">
                "Council committees"
            </h2>
            {move || {
                let committees = committees.get();
                if committees.is_empty() {
                    return view! {
                        <p class="body">"No council committee meetings are recorded yet."</p>
                    }
                    .into_any();
                }
                view! {
                    <ul class="record-list" id="committee-list">
                        {committees
                            .into_iter()
                            .map(|(href, label)| {
                                view! {
                                    <li class="record-list__item">
                                        <a class="link" href=href>
                                            {label}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

/// `/partnerships/:id/meetings`
#[component]
pub fn MeetingsPage() -> impl IntoView {
    partnership_page(|snapshot, pid, manages| {
        view! { <MeetingsList snapshot=snapshot partnership=pid today=today() manages=manages /> }
    })
}

/// Where a record an agenda item concerns is on this device: its page (a monitoring
/// session's is its review's); `None` for one it does not hold or a kind with no page here.
pub fn concern_href(s: &Snapshot, c: Concern) -> Option<String> {
    match c.kind {
        EntityKind::Body => s
            .bodies
            .contains_key(&BodyId(c.id))
            .then(|| body_href(BodyId(c.id))),
        EntityKind::Meeting => s
            .meetings
            .contains_key(&MeetingId(c.id))
            .then(|| meeting_href(MeetingId(c.id))),
        EntityKind::Recommendation => {
            let id = RecommendationId(c.id);
            s.recommendations
                .contains_key(&id)
                .then(|| recommendation_href(id))
        }
        EntityKind::MonitoringSession => s
            .monitoring_sessions
            .get(&MonitoringSessionId(c.id))
            .map(|m| review_href(m.review_id)),
        EntityKind::FundBid => s
            .fund_bids
            .get(&atlas_shared::strategy::FundBidId(c.id))
            .map(|b| {
                format!(
                    "{}#bid-{}",
                    crate::pages::strategy::funds::fund_href(b.pot_id),
                    c.id
                )
            }),
        EntityKind::HighlightReport => {
            let id = atlas_shared::strategy::HighlightReportId(c.id);
            s.highlight_reports
                .contains_key(&id)
                .then(|| crate::pages::strategy::highlights::highlight_report_href(id))
        }
        _ => None,
    }
}

/// One agenda item: number and title, how it was reported, the summary, the outcome, its
/// documents and the records it concerns.
#[component]
fn AgendaItemView(
    #[prop(into)] snapshot: Signal<Snapshot>,
    id: AgendaItemId,
    item: AgendaItem,
    #[prop(into)] manages: Signal<bool>,
) -> impl IntoView {
    let heading = if item.number.trim().is_empty() {
        item.title.clone()
    } else {
        format!("{}. {}", item.number.trim(), item.title)
    };
    let concerns = snapshot.with_untracked(|s| {
        concerned_records(s, &item)
            .into_iter()
            .filter_map(|c| Some((concern_href(s, c)?, concern_label(s, c)?)))
            .collect::<Vec<_>>()
    });
    // Only web addresses are links, whatever a record says (the rules refuse others too).
    let documents: Vec<_> = item
        .documents
        .iter()
        .map(|d| {
            (
                d.title.clone(),
                is_web_address(d.url.trim()).then(|| d.url.trim().to_owned()),
            )
        })
        .collect();
    let title = item.title.clone();
    let title_too = item.title.clone();
    let href = agenda_item_href(id);
    view! {
        <li class="agenda__item" id=agenda_item_anchor(id)>
            <h3 class="heading-s agenda__title">{heading}</h3>
            <p class="agenda__type">
                <Tag text=item.report_type.label() tone="blue" />
            </p>
            {(!item.summary.trim().is_empty())
                .then(|| view! { <p class="body preserve-breaks agenda__summary">{item.summary.clone()}</p> })}
            <p class="body agenda__outcome">
                <strong>"Outcome: "</strong>
                {if item.outcome.trim().is_empty() {
                    "Not yet recorded.".to_owned()
                } else {
                    item.outcome.clone()
                }}
            </p>
            {(!documents.is_empty())
                .then(|| {
                    view! {
                        <h4 class="heading-xs">"Documents"</h4>
                        <ul class="record-list agenda__documents">
                            {documents
                                .into_iter()
                                .map(|(title, url)| match url {
                                    Some(url) => view! {
                                        <li class="record-list__item">
                                            <a class="link" href=url rel="noopener noreferrer">{title}</a>
                                        </li>
                                    }
                                    .into_any(),
                                    None => view! {
                                        <li class="record-list__item">{title}" (no web address)"</li>
                                    }
                                    .into_any(),
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            {(!concerns.is_empty())
                .then(|| {
                    view! {
                        <p class="body agenda__concerns">
                            "Concerns: "
                            {concerns
                                .into_iter()
                                .enumerate()
                                .map(|(i, (href, name))| {
                                    view! {
                                        {(i > 0).then_some(", ")}
                                        <a class="link" href=href>{name}</a>
                                    }
                                })
                                .collect_view()}
                        </p>
                    }
                })}
            <Show when=move || manages.get()>
                <p class="agenda__actions">
                    <a class="link" href=format!("{href}/edit")>
                        "Edit"
                        <span class="visually-hidden">{format!(" item {title}")}</span>
                    </a>
                    " "
                    <a class="link" href=format!("{href}/delete")>
                        "Delete"
                        <span class="visually-hidden">{format!(" item {title_too}")}</span>
                    </a>
                </p>
            </Show>
        </li>
    }
}

/// A meeting's minutes: their status, the draft note, each step with its date, how long they
/// took to reach councillors, and the text.
#[component]
fn MinutesView(minutes: Minutes, meeting_date: IsoDate, today: IsoDate) -> impl IntoView {
    let status = minutes.status();
    let circulation = minutes.circulation_summary(meeting_date, today);
    let steps = minutes.steps();
    let tone = if minutes.is_published() {
        "blue"
    } else {
        "grey"
    };
    view! {
        <p class="record-summary__tags">
            <Tag text=status.label() tone=tone />
        </p>
        {(!minutes.is_published())
            .then(|| {
                view! {
                    <div class="inset-text minutes__draft-note" id="minutes-draft-note">
                        {DRAFT_NOTE}
                    </div>
                }
            })}
        <p class="body minutes__circulation" id="minutes-circulation">
            {circulation}
        </p>
        <dl class="summary-list minutes__steps">
            {steps
                .into_iter()
                .map(|step| {
                    view! {
                        <div class="summary-list__row">
                            <dt class="summary-list__key">{step.label}</dt>
                            <dd class="summary-list__value">
                                {step.on.map_or_else(|| "Not yet".to_owned(), IsoDate::long)}
                            </dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
        {(!minutes.note.trim().is_empty())
            .then(|| view! { <p class="hint minutes__note">{minutes.note.clone()}</p> })}
        <div class="body preserve-breaks minutes__text">{minutes.text.clone()}</div>
    }
}

/// A meeting: who met, when and where, its status, its agenda, and its minutes.
#[component]
pub fn MeetingDetail(
    #[prop(into)] snapshot: Signal<Snapshot>,
    id: MeetingId,
    today: IsoDate,
    #[prop(into)] manages: Signal<bool>,
) -> impl IntoView {
    let meeting = Memo::new(move |_| snapshot.with(|s| s.meetings.get(&id).cloned()));
    let heading = Memo::new(move |_| {
        snapshot.with(|s| {
            s.meetings
                .get(&id)
                .map(|m| who_met(s, m))
                .unwrap_or_default()
        })
    });
    let pending = Memo::new(move |_| snapshot.with(|s| s.is_pending((EntityKind::Meeting, id.0))));
    set_title(move || {
        let date = meeting.with(|m| m.as_ref().map(|m| m.date.long()).unwrap_or_default());
        vec![heading.get(), date, "Meetings".to_owned()]
    });
    let crumbs = Signal::derive(move || {
        snapshot.with(|s| {
            let mut c = meeting_trail(s, id);
            if let Some(last) = c.pop() {
                c.push(Crumb::here(last.text));
            }
            c
        })
    });
    let agenda = Memo::new(move |_| {
        snapshot.with(|s| {
            agenda_of(s, id)
                .into_iter()
                .map(|(i, a)| (i, a.clone()))
                .collect::<Vec<_>>()
        })
    });
    let minutes =
        Memo::new(move |_| snapshot.with(|s| minutes_of(s, id).map(|(mid, m)| (mid, m.clone()))));
    let committee_link = Memo::new(move |_| {
        snapshot.with(|s| {
            let m = s.meetings.get(&id)?;
            let council = m.council_id?;
            Some((
                committee_href(m.partnership_id, council, &m.committee),
                format!(
                    "Everything the {} received about the partnership",
                    m.committee.trim()
                ),
            ))
        })
    });
    let body_link = Memo::new(move |_| {
        snapshot.with(|s| {
            let b = s.meetings.get(&id)?.body_id?;
            s.bodies.get(&b).map(|x| (body_href(b), x.name.clone()))
        })
    });
    let href = meeting_href(id);

    let facts = move || {
        meeting.get().map(|m| {
            let when = match m.time_label() {
                Some(t) => format!("{}, {t}", m.date.long()),
                None => m.date.long(),
            };
            view! {
                <p class="lead meeting__when">{when}</p>
                <p class="record-summary__tags">
                    <Tag text=m.status.label() tone=status_tone(m.status) />
                    " "
                    <PendingTag pending=pending />
                </p>
                {(!m.venue.trim().is_empty())
                    .then(|| view! { <p class="body meeting__venue">{format!("Venue: {}", m.venue.trim())}</p> })}
                {(!m.note.trim().is_empty())
                    .then(|| view! { <p class="hint meeting__note">{m.note.clone()}</p> })}
            }
        })
    };

    let agenda_view = move || {
        let items = agenda.get();
        if items.is_empty() {
            return view! { <p class="body" id="agenda-empty">"No agenda items are recorded yet."</p> }
                .into_any();
        }
        view! {
            <ol class="agenda" id="agenda">
                {items
                    .into_iter()
                    .map(|(item_id, item)| {
                        view! { <AgendaItemView snapshot=snapshot id=item_id item=item manages=manages /> }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };

    let minutes_view = move || {
        let date = meeting.with(|m| m.as_ref().map(|m| m.date))?;
        Some(match minutes.get() {
            Some((mid, m)) => {
                let edit = format!("{}/edit", minutes_href(mid));
                let delete = format!("{}/delete", minutes_href(mid));
                view! {
                    <MinutesView minutes=m meeting_date=date today=today />
                    <Show when=move || manages.get()>
                        <div class="button-group">
                            <a class="button button--secondary" href=edit.clone()>
                                "Edit minutes"
                            </a>
                            <a class="button button--warning" href=delete.clone()>
                                "Delete minutes"
                            </a>
                        </div>
                    </Show>
                }
                .into_any()
            }
            None => view! {
                <p class="body" id="minutes-none">
                    "There are no minutes here yet. Draft minutes are shown only to members of the partnership until they are published."
                </p>
                <Show when=move || manages.get()>
                    <a class="button button--secondary" href=format!("{}/minutes/new", meeting_href(id))>
                        "Add minutes"
                    </a>
                </Show>
            }
            .into_any(),
        })
    };

    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">{move || heading.get()}</h1>
        {facts}
        {move || {
            body_link
                .get()
                .map(|(href, name)| {
                    view! {
                        <p class="body">
                            <a class="link" href=href>{format!("About the {name}")}</a>
                        </p>
                    }
                })
        }}
        {move || {
            committee_link
                .get()
                .map(|(href, label)| {
                    view! {
                        <p class="body">
                            <a class="link" id="meeting-committee" href=href>{label}</a>
                        </p>
                    }
                })
        }}
        <Show when=move || manages.get()>
            <div class="button-group" id="meeting-actions">
                <a class="button button--secondary" href=format!("{href}/edit")>
                    "Edit meeting"
                </a>
                <a class="button button--warning" href=format!("{href}/delete")>
                    "Delete meeting"
                </a>
            </div>
        </Show>
        <crate::pages::strategy::highlights::MeetingEscalations snapshot=snapshot meeting=id />
        <section class="section" aria-labelledby="agenda-heading">
            <h2 class="heading-m" id="agenda-heading">
                "Agenda"
            </h2>
            {agenda_view}
            <Show when=move || manages.get()>
                <a class="button button--secondary" id="add-agenda-item" href=format!("{}/items/new", meeting_href(id))>
                    "Add an agenda item"
                </a>
            </Show>
        </section>
        <section class="section minutes" aria-labelledby="minutes-heading">
            <h2 class="heading-m" id="minutes-heading">
                "Minutes"
            </h2>
            {minutes_view}
        </section>
    }
}

/// The route's `:id` as a meeting on this device.
pub fn use_meeting_id(snapshot: Signal<Snapshot>) -> Memo<Option<MeetingId>> {
    found(use_id("id"), snapshot, |s, id| s.meetings.contains_key(id))
}

/// `/meetings/:id`
#[component]
pub fn MeetingPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_meeting_id(snapshot);
    gate(store.ready(), id, "meeting", move |id| {
        let partnership = Signal::derive(move || {
            snapshot.with(|s| s.meetings.get(&id).map(|m| m.partnership_id))
        });
        let manages = use_manages(partnership);
        view! { <MeetingDetail snapshot=snapshot id=id today=today() manages=manages /> }
    })
}

/// What one council committee received about the partnership: each of its meetings, latest
/// first, with the items and their outcomes (seed 000's item 126, seed 001's reports).
#[component]
pub fn CommitteeDetail(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    council: OrganisationId,
    #[prop(into)] committee: String,
) -> impl IntoView {
    let p = partnership;
    let name = committee.trim().to_owned();
    let heading = {
        let name = name.clone();
        Memo::new(move |_| snapshot.with(|s| format!("{name}, {}", organisation_name(s, council))))
    };
    set_title(move || vec![heading.get()]);
    let crumbs = Signal::derive(move || {
        snapshot.with(|s| {
            let mut c = meetings_trail(s, p);
            c.push(Crumb::here(heading.get()));
            c
        })
    });
    let received = {
        let name = name.clone();
        Memo::new(move |_| {
            snapshot.with(|s| {
                meetings_of_committee(s, p, council, &name)
                    .into_iter()
                    .map(|(id, m)| {
                        let items: Vec<(String, String)> = agenda_of(s, id)
                            .into_iter()
                            .map(|(_, a)| (a.label(), a.outcome.clone()))
                            .collect();
                        (id, m.date.long(), m.status, items)
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    view! {
        <Breadcrumbs crumbs=crumbs />
        <span class="caption-l">"Council committee"</span>
        <h1 class="heading-xl">{move || heading.get()}</h1>
        <p class="body lead">
            {format!("What the {name} received about the partnership, latest first.")}
        </p>
        {move || {
            let received = received.get();
            if received.is_empty() {
                return view! {
                    <p class="body">"No meetings of this committee are recorded for this partnership."</p>
                }
                .into_any();
            }
            view! {
                <ul class="record-list committee-received" id="committee-received">
                    {received
                        .into_iter()
                        .map(|(id, date, status, items)| {
                            view! {
                                <li class="record-list__item">
                                    <h2 class="heading-s">
                                        <a class="link" href=meeting_href(id)>{date}</a>
                                        " "
                                        <Tag text=status.label() tone=status_tone(status) />
                                    </h2>
                                    {if items.is_empty() {
                                        view! { <p class="body">"No items recorded."</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="committee-received__items">
                                                {items
                                                    .into_iter()
                                                    .map(|(title, outcome)| {
                                                        view! {
                                                            <li>
                                                                <strong>{title}</strong>
                                                                {(!outcome.trim().is_empty())
                                                                    .then(|| format!(". Outcome: {outcome}"))}
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        }
                                        .into_any()
                                    }}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }}
    }
}

/// `/partnerships/:id/committees/:council?name=…`
#[component]
pub fn CommitteePage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    let council = use_id::<OrganisationId>("council");
    let query = use_query_map();
    gate(store.ready(), pid, "partnership", move |pid| {
        let name =
            query.with_untracked(|q| q.get_str("name").map(str::to_owned).unwrap_or_default());
        match council.get_untracked() {
            Some(council) => view! {
                <CommitteeDetail snapshot=snapshot partnership=pid council=council committee=name />
            }
            .into_any(),
            None => view! { <crate::components::RecordNotFound noun="committee" /> }.into_any(),
        }
    })
}

/// A body's meetings, latest first, for the body's page.
#[component]
pub fn BodyMeetings(#[prop(into)] snapshot: Signal<Snapshot>, body: BodyId) -> impl IntoView {
    let rows = Memo::new(move |_| {
        snapshot.with(|s| {
            meetings_of_body(s, body)
                .into_iter()
                .map(|(id, m)| row(s, id, m))
                .collect::<Vec<_>>()
        })
    });
    let p = Memo::new(move |_| snapshot.with(|s| s.bodies.get(&body).map(|b| b.partnership_id)));
    view! {
        <section class="section" aria-labelledby="body-meetings-heading">
            <h2 class="heading-m" id="body-meetings-heading">
                "Meetings"
            </h2>
            {move || {
                let rows = rows.get();
                let n = rows.len();
                view! {
                    <MeetingTable
                        caption="This body’s meetings, latest first"
                        rows=rows
                        empty="No meetings of this body are recorded."
                        id="body-meetings"
                    />
                    <p class="hint">{count(n, "meeting", "meetings")}</p>
                }
            }}
            {move || {
                p.get()
                    .map(|p| {
                        view! {
                            <p class="body">
                                <a class="link" href=meetings_href(p)>"All the partnership’s meetings"</a>
                            </p>
                        }
                    })
            }}
        </section>
    }
}

/// How many meetings of each kind (to come, past) [`BodyMeetingsBrief`] lists.
pub const BRIEF_MEETINGS: usize = 3;

/// A body's next meetings and its latest past ones, briefly (date and status, each linking to
/// its meeting), for the map's panel beside the body; the body's page has them all
/// ([`BodyMeetings`]).
#[component]
pub fn BodyMeetingsBrief(
    #[prop(into)] snapshot: Signal<Snapshot>,
    body: BodyId,
    today: IsoDate,
) -> impl IntoView {
    let rows = Memo::new(move |_| {
        snapshot.with(|s| {
            let (coming, recent) = body_meetings_around(s, body, today, BRIEF_MEETINGS);
            let rows = |v: Vec<(MeetingId, &Meeting)>| {
                v.into_iter()
                    .map(|(id, m)| row(s, id, m))
                    .collect::<Vec<_>>()
            };
            (rows(coming), rows(recent))
        })
    });
    let list = |rows: Vec<MeetingRow>, id: &'static str, empty: &'static str| {
        if rows.is_empty() {
            return view! { <p class="body" id=id>{empty}</p> }.into_any();
        }
        view! {
            <ul class="record-list body-meetings-brief" id=id>
                {rows
                    .into_iter()
                    .map(|r| {
                        view! {
                            <li class="record-list__item">
                                <a class="link" href=meeting_href(r.id)>{r.date}</a>
                                " "
                                <Tag text=r.status.label() tone=status_tone(r.status) />
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <h3 class="heading-s">"Meetings"</h3>
        <h4 class="heading-xs">"Coming"</h4>
        {move || list(rows.get().0, "brief-meetings-coming", "No meetings are planned.")}
        <h4 class="heading-xs">"Recent"</h4>
        {move || list(rows.get().1, "brief-meetings-recent", "No past meetings are recorded.")}
        <p class="body">
            <a class="link" id="brief-meetings-all" href=format!("{}#body-meetings-heading", body_href(body))>
                "All this body’s meetings, with their agendas and minutes"
            </a>
        </p>
    }
}

/// "Meetings that considered it": the agenda items on this device that name `record`, each
/// with its meeting and any outcome; `empty` says what to do when there are none.
#[component]
pub fn ConsideredAt(
    #[prop(into)] snapshot: Signal<Snapshot>,
    record: Concern,
    empty: &'static str,
) -> impl IntoView {
    let considered = Memo::new(move |_| {
        snapshot.with(|s| {
            items_concerning(s, record)
                .into_iter()
                .map(|(meeting, m, item, a)| {
                    (
                        format!("{}#{}", meeting_href(meeting), agenda_item_anchor(item)),
                        meeting_title(s, m),
                        a.label(),
                        a.outcome.trim().to_owned(),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    let meetings = move || {
        let rows = considered.get();
        if rows.is_empty() {
            return view! { <p class="body" id="considered-empty">{empty}</p> }.into_any();
        }
        view! {
            <ul class="record-list" id="considered-at">
                {rows
                    .into_iter()
                    .map(|(href, meeting, title, outcome)| {
                        view! {
                            <li class="record-list__item">
                                <a class="link" href=href>{meeting}</a>
                                <span class="record-list__meta">{title}</span>
                                {(!outcome.is_empty())
                                    .then(|| view! { <p class="body considered__outcome">{format!("Outcome: {outcome}")}</p> })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="section" aria-labelledby="considered-heading">
            <h2 class="heading-m" id="considered-heading">"Meetings that considered it"</h2>
            {meetings}
        </section>
    }
}
