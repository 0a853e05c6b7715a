//! The map's search matches and its key: code in the part `more`, fetched the first time a
//! name is typed in the search box or the key is opened. A first visit to the map does
//! neither, and moving them here took 5.7 KB (brotli) off its first load: the search's
//! matching (with the Unicode case folding it compares names by) and the key's explanation of
//! every kind of body and of line. The search box and the key's heading are the map's own, so
//! they show at once; `parts::part_section` says so when this cannot be fetched, with a button
//! that tries again. The search box's Enter chooses the first match once the matches are here
//! ([`SearchBox::first`]).

use std::collections::BTreeSet;

use atlas_shared::order::{set_of, sort_by_key};
use atlas_shared::text::fold_case;
use atlas_shared::{BodyId, BodyKind, LineKind, OrganisationId, PartnershipId, Sector, Snapshot};
use leptos::prelude::*;

use super::map_canvas::MapLabels;
use crate::parts::PartNotLoaded;

/// A search match: a body, or an organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    Body(BodyId, String, BodyKind),
    Organisation(OrganisationId, String, Sector),
}

/// Bodies then organisations of `p` whose names contain `query` (ignoring case), names that
/// start with it first; at most `limit`.
pub fn search(s: &Snapshot, p: PartnershipId, query: &str, limit: usize) -> Vec<Found> {
    let q = fold_case(query.trim());
    if q.is_empty() {
        return Vec::new();
    }
    let rank = |name: &str| {
        let n = fold_case(name);
        if n.starts_with(&q) {
            Some(0)
        } else if n.contains(&q) {
            Some(1)
        } else {
            None
        }
    };
    let mut hits: Vec<(u8, u8, Found)> = Vec::new();
    for (id, b) in s.bodies_of(p) {
        if let Some(r) = rank(&b.name) {
            hits.push((r, 0, Found::Body(id, b.name.clone(), b.kind)));
        }
    }
    for (id, o) in s.organisations_of(p) {
        if let Some(r) = rank(&o.name) {
            hits.push((r, 1, Found::Organisation(id, o.name.clone(), o.sector)));
        }
    }
    // Stable: within a rank, bodies before organisations, each in their listing order.
    sort_by_key(&mut hits, |(r, kind, _)| (*r, *kind));
    hits.into_iter().take(limit).map(|(_, _, f)| f).collect()
}

/// The map's search box, as its matches need it.
#[derive(Clone, Copy)]
pub struct SearchBox {
    pub snapshot: Signal<Snapshot>,
    pub partnership: PartnershipId,
    /// What is typed in it.
    pub text: RwSignal<String>,
    /// Whether its matches are shown.
    pub open: RwSignal<bool>,
    /// Chooses the first match (what Enter in the box does), while there are matches.
    pub first: RwSignal<Option<Callback<()>>>,
    pub on_body: Callback<BodyId>,
    pub on_organisation: Callback<OrganisationId>,
}

/// The matches for what is typed in `search_box`, each a button that chooses it: items of the
/// search box's list.
#[cfg(feature = "split")]
#[allow(unsafe_code)]
#[::leptos::wasm_split::wasm_split(more, fallible, wasm_split_path = ::leptos::wasm_split)]
pub fn matches(search_box: SearchBox) -> Result<AnyView, PartNotLoaded> {
    Ok(view! { <Matches search_box /> }.into_any())
}

#[cfg(not(feature = "split"))]
pub async fn matches(search_box: SearchBox) -> Result<AnyView, PartNotLoaded> {
    Ok(view! { <Matches search_box /> }.into_any())
}

#[component]
fn Matches(search_box: SearchBox) -> impl IntoView {
    let SearchBox { text, first, .. } = search_box;
    let found = Memo::new(move |_| {
        let q = text.get();
        search_box
            .snapshot
            .with(|s| search(s, search_box.partnership, &q, 8))
    });
    let choose = move |f: &Found| {
        match f {
            Found::Body(id, name, _) => {
                text.set(name.clone());
                search_box.on_body.run(*id);
            }
            Found::Organisation(id, name, _) => {
                text.set(name.clone());
                search_box.on_organisation.run(*id);
            }
        }
        search_box.open.set(false);
    };
    Effect::new(move |_| {
        let top = found.with(|f| f.first().cloned());
        first.set(top.map(|f| Callback::new(move |()| choose(&f))));
    });
    on_cleanup(move || first.set(None));
    move || {
        let found = found.get();
        if found.is_empty() {
            return view! { <li class="map-search__none">"No body or organisation has that in its name."</li> }
                .into_any();
        }
        found
            .into_iter()
            .map(|f| {
                let (label, what) = match &f {
                    Found::Body(_, name, kind) => (name.clone(), kind.label().to_owned()),
                    Found::Organisation(_, name, sector) => {
                        (name.clone(), format!("Organisation, {}", sector.label()))
                    }
                };
                view! {
                    <li>
                        <button type="button" class="map-search__result" on:click=move |_| choose(&f)>
                            <span class="map-search__name">{label}</span>
                            <span class="map-search__what">{what}</span>
                        </button>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    }
}

/// The key's entries: the kinds of body drawn on the map and the kinds of line.
#[cfg(feature = "split")]
#[allow(unsafe_code)]
#[::leptos::wasm_split::wasm_split(more, fallible, wasm_split_path = ::leptos::wasm_split)]
pub fn key(labels: Signal<MapLabels>) -> Result<AnyView, PartNotLoaded> {
    Ok(view! { <Key labels /> }.into_any())
}

#[cfg(not(feature = "split"))]
pub async fn key(labels: Signal<MapLabels>) -> Result<AnyView, PartNotLoaded> {
    Ok(view! { <Key labels /> }.into_any())
}

#[component]
fn Key(labels: Signal<MapLabels>) -> impl IntoView {
    let kinds = Memo::new(move |_| {
        labels.with(|l| {
            let set: BTreeSet<BodyKind> = set_of(l.bodies.values().map(|(_, k)| *k));
            set.into_iter().collect::<Vec<_>>()
        })
    });
    let lines = Memo::new(move |_| {
        labels.with(|l| {
            let set: BTreeSet<LineKind> = set_of(l.lines.values().copied());
            set.into_iter().collect::<Vec<_>>()
        })
    });
    view! {
        <h3 class="heading-s">"Kinds of body"</h3>
        {move || key_list("map-legend__swatch", kinds.get())}
        <h3 class="heading-s">"Kinds of line"</h3>
        {move || key_list("map-legend__line", lines.get())}
    }
}

/// A key entry per kind: a sample (`<class>` plus `<class>--<kind>`), its name and meaning.
fn key_list<K: KeyKind>(class: &'static str, kinds: Vec<K>) -> impl IntoView {
    view! {
        <dl class="map-legend__list">
            {kinds
                .into_iter()
                .map(|k| {
                    view! {
                        <dt>
                            <span class=format!("{class} {class}--{}", k.css_key())></span>
                            {k.label()}
                        </dt>
                        <dd>{k.explanation()}</dd>
                    }
                })
                .collect_view()}
        </dl>
    }
}

/// What the key needs of a kind of body or of line.
trait KeyKind {
    fn css_key(&self) -> String;
    fn label(&self) -> &'static str;
    fn explanation(&self) -> &'static str;
}

macro_rules! key_kind {
    ($($t:ty),*) => {$(
        impl KeyKind for $t {
            fn css_key(&self) -> String {
                self.as_key().replace('_', "-")
            }
            fn label(&self) -> &'static str {
                <$t>::label(*self)
            }
            fn explanation(&self) -> &'static str {
                <$t>::explanation(*self)
            }
        }
    )*};
}

key_kind!(BodyKind, LineKind);
