//! `/partnerships/:id/tablets`: a manager registers the tablets that take answers at events,
//! sees when each last reached the server, and withdraws one that is lost or no longer used.
//! Read from the server (tablets are not records every device holds), so the page needs the
//! network and says so offline.
//!
//! Registering shows the enrol link once, as a QR code drawn from the server's module matrix
//! (no QR encoder in the app's download) and as text to copy. Withdrawing asks first and says
//! what happens to the answers the tablet has not sent yet: they stay on it, and if it sends
//! them the server keeps them for a manager to count on the results page.

use atlas_shared::accounts::tablets::{NewTablet, QrMatrix, RegisteredTablet, TabletInfo};
use atlas_shared::{ConsultationId, IsoDate, PartnershipId};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::components::sync_status::clock_time;
use crate::components::{
    AtlasForm, Breadcrumbs, CheckboxGroup, Crumb, ErrorSummary, FormErrors, TextField, gate,
    set_title,
};
use crate::data::api::{self, ApiError};
use crate::data::use_store;
use crate::pages::{partnership_crumbs, partnership_name, use_partnership_id};

/// "2 December 2026, 14:05", in the device's time zone for the clock.
fn when(ms: i64) -> String {
    let day = IsoDate::from_unix_ms(ms)
        .map(IsoDate::long)
        .unwrap_or_default();
    format!("{day}, {}", clock_time(ms as f64))
}

#[derive(Clone, Debug, PartialEq)]
enum Listing {
    Loading,
    Failed(String),
    Loaded(Vec<TabletInfo>),
}

fn problem(e: ApiError) -> String {
    match e {
        ApiError::Unreachable => {
            "Can't reach the server. Registered tablets are managed online: try again when this device is online.".to_owned()
        }
        ApiError::Refused { body, .. } => body.error,
        e => e.describe(),
    }
}

/// A QR code drawn from its module matrix, with a quiet zone of 4 modules, as one path.
#[component]
pub fn QrCode(matrix: QrMatrix, #[prop(into)] label: String) -> impl IntoView {
    let side = matrix.size + 8;
    let path: String = matrix
        .dark()
        .map(|(x, y)| format!("M{} {}h1v1h-1z", x + 4, y + 4))
        .collect();
    view! {
        <svg
            class="tablet-qr"
            id="tablet-qr"
            viewBox=format!("0 0 {side} {side}")
            role="img"
            aria-label=label
            shape-rendering="crispEdges"
        >
            <rect width=side.to_string() height=side.to_string() fill="#ffffff" />
            <path d=path fill="#0b0c0c" />
        </svg>
    }
}

/// What a manager sees once a tablet is registered: the code and the link, shown this once.
#[component]
pub fn RegisteredPanel(registered: RegisteredTablet) -> impl IntoView {
    let name = registered.tablet.name.clone();
    let label = format!("QR code of the enrol link for {name}");
    view! {
        <section class="section inset-text" aria-labelledby="registered-heading" id="registered-tablet">
            <h2 class="heading-m" id="registered-heading">
                {format!("{name} is registered")}
            </h2>
            <p class="body">
                "On the tablet, scan this code with the camera, or open the link below in its browser. The tablet then takes answers without anyone signing in on it."
            </p>
            <QrCode matrix=registered.qr label=label />
            <div class="form-group">
                <label class="label" for="enrol-link">
                    "Enrol link"
                </label>
                <input
                    class="input"
                    id="enrol-link"
                    readonly
                    spellcheck="false"
                    prop:value=registered.enrol_link
                />
            </div>
            <p class="body">
                <strong>
                    "This code and link are shown only once. Anyone with the link can send answers as this tablet, so give it only to the tablet. If it is lost, withdraw the tablet and register it again."
                </strong>
            </p>
        </section>
    }
}

/// The partnership's tablets, with "Withdraw this tablet" and its confirmation.
#[component]
pub fn TabletList(
    tablets: Vec<TabletInfo>,
    /// Each consultation's title, by id.
    titles: Vec<(ConsultationId, String)>,
    #[prop(into)] confirming: RwSignal<Option<Uuid>>,
    #[prop(into)] on_withdraw: Callback<Uuid>,
) -> impl IntoView {
    if tablets.is_empty() {
        return view! { <p class="body" id="tablets-none">"No tablets are registered yet."</p> }
            .into_any();
    }
    let rows = tablets
        .into_iter()
        .map(|t| {
            let id = t.id;
            let consultations = if t.consultation_ids.is_empty() {
                "All of the partnership's".to_owned()
            } else {
                t.consultation_ids
                    .iter()
                    .map(|c| {
                        titles
                            .iter()
                            .find(|(id, _)| id == c)
                            .map_or_else(|| "A consultation not on this device".to_owned(), |(_, t)| t.clone())
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let status = match t.revoked_at {
                Some(ms) => format!("Withdrawn {}", when(ms)),
                None => "In use".to_owned(),
            };
            let name = t.name.clone();
            let withdraw = t.revoked_at.is_none().then(|| {
                let name = name.clone();
                view! {
                    <Show
                        when=move || confirming.get() == Some(id)
                        fallback=move || view! {
                            <button
                                type="button"
                                class="button button--warning button--small tablet-withdraw"
                                on:click=move |_| confirming.set(Some(id))
                            >
                                "Withdraw this tablet"
                            </button>
                        }
                    >
                        <div class="warning-text tablet-confirm">
                            <span class="warning-text__icon" aria-hidden="true">"!"</span>
                            <strong class="warning-text__text">
                                <span class="visually-hidden">"Warning: "</span>
                                {format!("Withdraw {name}? It can no longer send or receive anything. Answers it has taken but not sent stay on the tablet; if it sends them, the server keeps them for a manager to count on the consultation's results page.")}
                            </strong>
                        </div>
                        <div class="button-group">
                            <button
                                type="button"
                                class="button button--warning tablet-withdraw-confirm"
                                on:click=move |_| on_withdraw.run(id)
                            >
                                "Yes, withdraw this tablet"
                            </button>
                            <button
                                type="button"
                                class="button button--secondary"
                                on:click=move |_| confirming.set(None)
                            >
                                "No, keep it"
                            </button>
                        </div>
                    </Show>
                }
            });
            view! {
                <tr data-tablet=id.to_string()>
                    <th scope="row">{name}</th>
                    <td>{consultations}</td>
                    <td>{when(t.created_at)}</td>
                    <td>{t.last_seen_at.map_or_else(|| "Never".to_owned(), when)}</td>
                    <td class="tablet-state">{status}</td>
                    <td>{withdraw}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table tablets-table" id="tablets">
            <caption class="visually-hidden">"Registered tablets"</caption>
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Consultations"</th>
                    <th scope="col">"Registered"</th>
                    <th scope="col">"Last seen"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// `/partnerships/:id/tablets`
#[component]
pub fn TabletsPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_partnership_id(snapshot);
    gate(store.ready(), id, "partnership", move |p| {
        view! { <TabletsOf p=p /> }
    })
}

#[component]
fn TabletsOf(p: PartnershipId) -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    set_title(move || {
        vec![
            "Registered tablets".to_owned(),
            snapshot.with(|s| partnership_name(s, p)),
        ]
    });
    let crumbs = Signal::derive(move || {
        let mut c = snapshot.with(|s| partnership_crumbs(s, p));
        c.push(Crumb::here("Registered tablets"));
        c
    });
    let titles = Memo::new(move |_| {
        snapshot.with(|s| {
            s.consultations_of(p)
                .into_iter()
                .map(|(id, c)| (id, c.title.clone()))
                .collect::<Vec<_>>()
        })
    });
    let options = Signal::derive(move || {
        titles.with(|t| {
            t.iter()
                .map(|(id, title)| (id.0.to_string(), title.clone()))
                .collect::<Vec<_>>()
        })
    });

    let listing = RwSignal::new(Listing::Loading);
    let load = move || {
        spawn_local(async move {
            listing.set(match api::tablets(p).await {
                Ok(t) => Listing::Loaded(t.tablets),
                Err(e) => Listing::Failed(problem(e)),
            });
        });
    };
    load();

    let name = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let registered = RwSignal::new(None::<RegisteredTablet>);
    let confirming = RwSignal::new(None::<Uuid>);

    let register = move |()| {
        if busy.get_untracked() {
            return;
        }
        let request = NewTablet {
            partnership_id: p,
            name: name.get_untracked(),
            consultation_ids: chosen
                .get_untracked()
                .iter()
                .filter_map(|c| c.parse().ok())
                .collect(),
        };
        if let Err(e) = request.checked_name() {
            errors.set(FormErrors {
                message: None,
                fields: vec![e],
            });
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::register_tablet(&request).await {
                Ok(done) => {
                    errors.set(FormErrors::default());
                    name.set(String::new());
                    chosen.set(Vec::new());
                    registered.set(Some(done));
                    load();
                }
                Err(ApiError::Refused { body, .. }) if !body.fields.is_empty() => {
                    errors.set(FormErrors {
                        message: None,
                        fields: body.fields,
                    });
                }
                Err(e) => errors.set(FormErrors {
                    message: Some(problem(e)),
                    fields: Vec::new(),
                }),
            }
            busy.set(false);
        });
    };

    let withdraw = move |id: Uuid| {
        spawn_local(async move {
            match api::revoke_tablet(id).await {
                Ok(_) => {
                    confirming.set(None);
                    load();
                }
                Err(e) => errors.set(FormErrors {
                    message: Some(problem(e)),
                    fields: Vec::new(),
                }),
            }
        });
    };

    let list = move || match listing.get() {
        Listing::Loading => view! { <p class="body hint">"Asking the server…"</p> }.into_any(),
        Listing::Failed(why) => view! { <p class="body" id="tablets-problem">{why}</p> }.into_any(),
        Listing::Loaded(tablets) => view! {
            <TabletList
                tablets=tablets
                titles=titles.get()
                confirming=confirming
                on_withdraw=withdraw
            />
        }
        .into_any(),
    };

    view! {
        <Breadcrumbs crumbs=crumbs />
        <ErrorSummary errors=errors />
        <h1 class="heading-l">"Registered tablets"</h1>
        <p class="body">
            "A registered tablet takes residents' answers at events without anyone signing in on it, and keeps them while it has no signal, for days if need be. It sends answers but never receives anyone's answers, so a lost tablet holds only its own unsent ones."
        </p>
        {move || registered.get().map(|r| view! { <RegisteredPanel registered=r /> })}
        <section class="section" aria-labelledby="tablets-heading">
            <h2 class="heading-m" id="tablets-heading">"Tablets"</h2>
            {list}
        </section>
        <section class="section" aria-labelledby="register-heading">
            <h2 class="heading-m" id="register-heading">"Register a tablet"</h2>
            <AtlasForm on_submit=register>
                <TextField
                    id="name"
                    label="Name"
                    hint="What you call it, written on its case: for example, Hall tablet 3"
                    value=name
                    errors=errors
                />
                <CheckboxGroup
                    id="consultation_ids"
                    legend="Which consultations does it take answers for?"
                    hint="Leave them all unticked for every consultation of the partnership."
                    options=options
                    value=chosen
                    errors=errors
                />
                <div class="button-group">
                    <button
                        type="submit"
                        class="button"
                        id="register-tablet"
                        disabled=move || busy.get()
                    >
                        "Register tablet"
                    </button>
                </div>
            </AtlasForm>
        </section>
    }
}
