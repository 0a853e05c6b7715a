//! `/`: every partnership on this device.
//!
//! A part of the app of its own (`crate::parts`), not in the core: with it, the core read
//! the records a card counts (organisations, bodies), and every other page's first load
//! carried that reading and the list, 2 to 6.5 KB (brotli; 4.9 KB of the map's).

use atlas_shared::{EntityKind, PartnershipId, Snapshot};
use leptos::prelude::*;

use super::count;
use crate::components::{LoadingState, Tag, first_visit, set_title};
use crate::data::use_store;
use crate::pages::structure::partnership_href;

/// One partnership as its card shows it.
#[derive(Clone, Debug, PartialEq)]
struct PartnershipCard {
    id: PartnershipId,
    name: String,
    area: String,
    organisations: usize,
    bodies: usize,
    published: bool,
    pending: bool,
}

fn cards(s: &Snapshot) -> Vec<PartnershipCard> {
    s.partnerships_by_name()
        .into_iter()
        .filter(|(_, p)| !p.archived)
        .map(|(id, p)| PartnershipCard {
            id,
            name: p.name.clone(),
            area: p.area.clone(),
            organisations: s.organisations_of(id).len(),
            bodies: s.bodies_of(id).len(),
            published: p.published,
            pending: s.is_pending((EntityKind::Partnership, id.0)),
        })
        .collect()
}

/// The list of partnerships, each a card whose heading links to it.
#[component]
pub fn PartnershipList(#[prop(into)] snapshot: Signal<Snapshot>) -> impl IntoView {
    let cards = Memo::new(move |_| snapshot.with(cards));
    let first_visit = first_visit();
    // Only an administrator adds a partnership (the server refuses anyone else).
    let administers = match use_context::<crate::data::Store>() {
        Some(store) => {
            let principal = store.principal();
            Signal::derive(move || principal.with(|p| p.is_admin()))
        }
        None => Signal::derive(|| true),
    };
    set_title(|| vec!["Partnerships".to_owned()]);
    view! {
        <h1 class="heading-xl">"Partnerships"</h1>
        <p class="lead">
            "The Local Strategic Partnerships on this device: their member organisations, bodies and how they report to each other."
        </p>
        <Show when=move || administers.get()>
            <a class="button" href="/partnerships/new">
                "Add a partnership"
            </a>
        </Show>
        {move || {
            let cards = cards.get();
            if cards.is_empty() {
                let empty = match first_visit.get() {
                    Some(true) => "Fetching the partnerships from the server…",
                    Some(false) => {
                        "This device has no copy of the partnerships yet, and it is offline. Connect to the internet once; after that they open without a connection too."
                    }
                    None => "There are no partnerships on this device yet.",
                };
                return view! { <p class="body" id="partnerships-empty">{empty}</p> }.into_any();
            }
            view! {
                <ul class="card-list">
                    {cards
                        .into_iter()
                        .map(|c| {
                            view! {
                                <li class="card">
                                    <h2 class="card__title">
                                        <a class="link card__link" href=partnership_href(c.id)>
                                            {c.name}
                                        </a>
                                    </h2>
                                    {(!c.area.is_empty())
                                        .then(|| view! { <p class="card__area">{c.area}</p> })}
                                    <p class="card__meta">
                                        {format!(
                                            "{} · {}",
                                            count(c.organisations, "member organisation", "member organisations"),
                                            count(c.bodies, "body", "bodies"),
                                        )}
                                    </p>
                                    <p class="card__tags">
                                        {(!c.published).then(|| view! { <Tag text="Not published" tone="grey" /> })}
                                        {c.pending.then(|| view! { <Tag text="Not yet synced" tone="grey" /> })}
                                    </p>
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

crate::parts::part!(home {
    home {
        HomePage,
    },
});

/// The home page's address.
pub const ROUTES: &[(&str, Page)] = &[("/", Page::HomePage)];

/// `/`
#[component]
pub fn HomePage() -> impl IntoView {
    let store = use_store();
    let ready = store.ready();
    let snapshot = store.snapshot();
    move || {
        if ready.get() {
            view! { <PartnershipList snapshot=snapshot /> }.into_any()
        } else {
            view! { <LoadingState /> }.into_any()
        }
    }
}
