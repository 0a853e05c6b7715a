//! `/partnerships/:id/history` and `/history/:kind/:id`: the audit log, for the partnership's
//! managers and administrators. Who changed what, when and from which address; a record's
//! changes with each field's value before and after. Read from the server (it is not part
//! of the offline copy), so offline the page says so.

use atlas_shared::accounts::audit::{FieldChange, HistoryEntry, HistoryPage};
use atlas_shared::{EntityKind, IsoDate, PartnershipId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use uuid::Uuid;

use crate::components::{Breadcrumbs, Crumb, set_title};
use crate::data::api::{self, ApiError};
use crate::data::use_store;
use crate::pages::delete::delete_target;
use crate::pages::{partnership_crumbs, use_id, use_route_param};

/// Where a partnership's history is.
pub fn history_href(p: PartnershipId) -> String {
    format!("/partnerships/{p}/history")
}

/// Where one record's history is.
pub fn record_history_href(kind: EntityKind, id: Uuid) -> String {
    format!("/history/{}/{id}", kind.as_str())
}

/// "2026-12-02T15:04:05.123Z" → "2 December 2026, 15:04 UTC"; anything else as it is.
pub fn when(at: &str) -> String {
    let Some((date, time)) = at.split_once('T') else {
        return at.to_owned();
    };
    let Ok(day) = date.parse::<IsoDate>() else {
        return at.to_owned();
    };
    let hm: String = time.chars().take(5).collect();
    format!("{}, {hm} UTC", day.long())
}

/// A field's value in a line of text: strings as they are, anything else as JSON.
fn value_text(v: &Option<Value>) -> String {
    match v {
        None | Some(Value::Null) => "(empty)".to_owned(),
        Some(Value::String(s)) if s.is_empty() => "(empty)".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The state of a page read from the server.
#[derive(Clone, Debug, PartialEq)]
enum Loaded {
    Loading,
    Offline,
    Failed(String),
    Ready,
}

fn failure(e: ApiError) -> Loaded {
    match e {
        ApiError::Unreachable => Loaded::Offline,
        ApiError::Refused { body, .. } => Loaded::Failed(body.error),
        other => Loaded::Failed(other.describe()),
    }
}

fn status_view(state: Loaded) -> impl IntoView {
    match state {
        Loaded::Loading => view! { <p class="body" role="status">"Loading the history…"</p> }.into_any(),
        Loaded::Offline => view! {
            <p class="body" id="history-offline" role="status">
                "The history is kept on the server, and this device can't reach it now. Try again when it is online."
            </p>
        }
        .into_any(),
        Loaded::Failed(why) => view! { <p class="body error-message" id="history-error">{why}</p> }.into_any(),
        Loaded::Ready => ().into_any(),
    }
}

/// `/partnerships/:id/history`
#[component]
pub fn PartnershipHistoryPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_id::<PartnershipId>("id");
    let entries = RwSignal::new(Vec::<HistoryEntry>::new());
    let older = RwSignal::new(None::<i64>);
    let state = RwSignal::new(Loaded::Loading);
    let load = move |p: PartnershipId, before: Option<i64>| {
        state.set(Loaded::Loading);
        spawn_local(async move {
            match api::history(p, before).await {
                Ok(HistoryPage {
                    entries: page,
                    older: next,
                }) => {
                    entries.update(|e| e.extend(page));
                    older.set(next);
                    state.set(Loaded::Ready);
                }
                Err(e) => state.set(failure(e)),
            }
        });
    };
    Effect::new(move |_| {
        if let Some(p) = id.get() {
            entries.set(Vec::new());
            load(p, None);
        }
    });
    set_title(move || vec!["History of changes".to_owned()]);
    let crumbs = Signal::derive(move || {
        let mut c = id
            .get()
            .map(|p| snapshot.with(|s| partnership_crumbs(s, p)))
            .unwrap_or_default();
        c.push(Crumb::here("History of changes"));
        c
    });
    let rows = move || {
        entries
            .get()
            .into_iter()
            .map(|e| {
                let (what, href) = snapshot.with(|s| {
                    delete_target(s, e.kind, e.record_id).map_or_else(
                        || (format!("A {} no longer here", e.kind.noun()), None),
                        |t| (format!("{} ({})", t.what, e.kind.noun()), Some(t.cancel_href)),
                    )
                });
                let fields: Vec<String> = e.changes.iter().map(|c| c.field.clone()).collect();
                view! {
                    <tr data-history=e.id.to_string() data-kind=e.kind.as_str() data-action=format!("{:?}", e.action)>
                        <td>{when(&e.at)}</td>
                        <td>{e.by.describe()}</td>
                        <td>
                            {match href {
                                Some(h) => view! { <a class="link" href=h>{what}</a> }.into_any(),
                                None => view! { <span>{what}</span> }.into_any(),
                            }}
                            " · "
                            <a class="link" href=record_history_href(e.kind, e.record_id)>"its history"</a>
                        </td>
                        <td>{e.action.label()}</td>
                        <td>{fields.join(", ")}</td>
                        <td>{e.address.clone().unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-l">"History of changes"</h1>
        <p class="lead">
            "Every change to this partnership's records, newest first: who made it, when, from which internet address, and which fields it set. Changes the server refused are listed too. Only managers and administrators see this page."
        </p>
        <table class="table" id="history">
            <caption class="visually-hidden">"Changes, newest first"</caption>
            <thead>
                <tr>
                    <th scope="col">"When"</th>
                    <th scope="col">"Who"</th>
                    <th scope="col">"What"</th>
                    <th scope="col">"Change"</th>
                    <th scope="col">"Fields"</th>
                    <th scope="col">"Address"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        {move || status_view(state.get())}
        <Show when=move || older.get().is_some() && state.get() == Loaded::Ready>
            <button type="button" class="button button--secondary" id="history-older"
                on:click=move |_| {
                    if let (Some(p), Some(before)) = (id.get_untracked(), older.get_untracked()) {
                        load(p, Some(before));
                    }
                }>
                "Show older changes"
            </button>
        </Show>
    }
}

fn change_rows(changes: &[FieldChange]) -> impl IntoView + use<> {
    changes
        .iter()
        .map(|c| {
            view! {
                <tr>
                    <th scope="row">{c.field.clone()}</th>
                    <td>{value_text(&c.before)}</td>
                    <td>{value_text(&c.after)}</td>
                </tr>
            }
        })
        .collect_view()
}

/// `/history/:kind/:id`
#[component]
pub fn RecordHistoryPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let kind = use_route_param("kind");
    let id = use_id::<Uuid>("id");
    let key = Memo::new(move |_| {
        let kind = kind.with(|k| k.as_deref().and_then(EntityKind::parse))?;
        Some((kind, id.get()?))
    });
    let entries = RwSignal::new(Vec::<HistoryEntry>::new());
    let state = RwSignal::new(Loaded::Loading);
    Effect::new(move |_| {
        let Some((kind, id)) = key.get() else {
            state.set(Loaded::Failed("This address names no record.".to_owned()));
            return;
        };
        state.set(Loaded::Loading);
        spawn_local(async move {
            match api::record_history(kind, id).await {
                Ok(page) => {
                    entries.set(page.entries);
                    state.set(Loaded::Ready);
                }
                Err(e) => state.set(failure(e)),
            }
        });
    });
    let title = Memo::new(move |_| {
        key.get().map_or_else(String::new, |(kind, id)| {
            snapshot.with(|s| {
                delete_target(s, kind, id).map_or_else(|| format!("A {}", kind.noun()), |t| t.what)
            })
        })
    });
    set_title(move || vec!["History".to_owned(), title.get()]);
    let crumbs = Signal::derive(move || {
        let Some((kind, id)) = key.get() else {
            return Vec::new();
        };
        snapshot.with(|s| {
            let mut c = s
                .entity((kind, id))
                .and_then(|e| {
                    e.partnership_id()
                        .or((kind == EntityKind::Partnership).then_some(PartnershipId(id)))
                })
                .map(|p| partnership_crumbs(s, p))
                .unwrap_or_default();
            c.push(Crumb::here("History"));
            c
        })
    });
    let items = move || {
        entries
            .get()
            .into_iter()
            .map(|e| {
                let heading = format!("{}: {}, {}", e.action.label(), when(&e.at), e.by.describe());
                let address = e.address.clone().map(|a| format!("From {a}."));
                let changes = change_rows(&e.changes);
                view! {
                    <li class="history-entry" data-history=e.id.to_string() data-action=format!("{:?}", e.action)>
                        <h2 class="heading-s">{heading}</h2>
                        <p class="body hint">{address}</p>
                        <table class="table">
                            <caption class="visually-hidden">"Fields before and after"</caption>
                            <thead><tr><th scope="col">"Field"</th><th scope="col">"Before"</th><th scope="col">"After"</th></tr></thead>
                            <tbody>{changes}</tbody>
                        </table>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-l">{move || format!("History: {}", title.get())}</h1>
        <p class="lead">"Each change to this record, newest first, with every field it set before and after."</p>
        {move || status_view(state.get())}
        <ol class="list history" id="record-history">{items}</ol>
    }
}
