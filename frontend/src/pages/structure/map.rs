//! `/partnerships/:id/map`: the interactive partnership map, with search, highlighting by
//! sector or priority theme, a panel for the selected body or organisation, export and print.
//! `?body=<id>` selects a body and `?organisation=<id>` picks out every body an organisation sits
//! on, so every body and organisation has a stable map address that survives reload.

use std::collections::BTreeSet;

use atlas_shared::layout::Layout;
use atlas_shared::order::set_of;
use atlas_shared::{BodyId, BodyKind, OrganisationId, PartnershipId, Sector, Snapshot};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::map_canvas::{
    MapCanvas, MapLabels, MapState, READABLE_PIXELS_PER_UNIT, ViewBox, max_width, use_labels,
    use_layout,
};
use super::map_tools::{self, SearchBox};
use super::{
    body_href, map_href, map_organisation_href, organisation_href, outline_href, partnership_href,
};
use super::{map_export, map_panel};
use crate::components::{Breadcrumbs, Crumb, Tag, gate, set_title};
use crate::data::use_store;
use crate::pages::training::{induction_href, present_href};
use crate::pages::{found, home_href, use_id};
use crate::parts::{PartNotLoaded, Within, part_section};

/// What the highlight menu can pick out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Highlight {
    None,
    /// Bodies on which an organisation of this sector holds a seat.
    Sector(Sector),
    /// A priority theme: its Priority Action Group and every body that reports to it or that
    /// it reports to.
    Theme(BodyId),
}

impl Highlight {
    fn key(&self) -> String {
        match self {
            Self::None => String::new(),
            Self::Sector(s) => format!("sector:{}", s.as_key()),
            Self::Theme(b) => format!("theme:{b}"),
        }
    }

    fn parse(key: &str) -> Self {
        if let Some(s) = key.strip_prefix("sector:").and_then(Sector::from_key) {
            return Self::Sector(s);
        }
        if let Some(b) = key.strip_prefix("theme:").and_then(|b| b.parse().ok()) {
            return Self::Theme(b);
        }
        Self::None
    }
}

/// The bodies a highlight picks out; `None` for no highlight.
pub fn highlighted(s: &Snapshot, p: PartnershipId, h: &Highlight) -> Option<BTreeSet<BodyId>> {
    match h {
        Highlight::None => None,
        Highlight::Sector(sector) => Some(set_of(
            s.bodies_of(p)
                .into_iter()
                .filter(|(id, _)| {
                    s.members_of(*id).iter().any(|(_, m)| {
                        m.organisation_id
                            .and_then(|o| s.organisations.get(&o))
                            .is_some_and(|o| o.sector == *sector)
                    })
                })
                .map(|(id, _)| id),
        )),
        Highlight::Theme(group) => {
            let mut set: BTreeSet<BodyId> = BTreeSet::from([*group]);
            set.extend(s.lines_to(*group).iter().map(|(_, l)| l.from_body_id));
            set.extend(s.lines_from(*group).iter().map(|(_, l)| l.to_body_id));
            Some(set)
        }
    }
}

/// The bodies an organisation sits on.
pub fn bodies_of_organisation(s: &Snapshot, org: OrganisationId) -> BTreeSet<BodyId> {
    set_of(s.seats_of(org).iter().map(|(_, m)| m.body_id))
}

/// How wide (in layout units) the view is at most once a body is selected: about five boxes.
const READABLE_WIDTH: f64 = 1300.0;
/// A map drawn narrower than this (in pixels) is on a phone: it opens close enough to read
/// rather than fitted, whose labels would be a few pixels tall. Wider screens open on the
/// whole structure, as a first look at a partnership should.
const PHONE_MAP_PIXELS: f64 = 700.0;

/// The partnership's Board (the first by name, should it have two): where a phone opens the map.
fn board_of(s: &Snapshot, p: PartnershipId) -> Option<BodyId> {
    s.bodies
        .iter()
        .filter(|(_, b)| b.partnership_id == p && b.kind == BodyKind::Board)
        .min_by(|a, b| a.1.name.cmp(&b.1.name))
        .map(|(id, _)| *id)
}

fn centre_of(layout: &Layout, body: BodyId) -> Option<(f64, f64)> {
    layout
        .nodes
        .iter()
        .find(|n| n.id == body)
        .map(|n| (n.x + n.width / 2.0, n.y + n.height / 2.0))
}

/// `/partnerships/:id/map`
#[component]
pub fn PartnershipMapPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = found(use_id::<PartnershipId>("id"), snapshot, |s, id| {
        s.partnerships.contains_key(id)
    });
    let query = use_query_map();
    let selected = Memo::new(move |_| {
        query.with(|q| q.get_str("body").and_then(|b| b.parse::<BodyId>().ok()))
    });
    let organisation = Memo::new(move |_| {
        query.with(|q| {
            q.get_str("organisation")
                .and_then(|o| o.parse::<OrganisationId>().ok())
        })
    });
    gate(store.ready(), pid, "partnership", move |p| {
        view! {
            <PartnershipMap snapshot=snapshot partnership=p selected=selected organisation=organisation />
        }
    })
}

/// The map page's content for partnership `partnership`, with the selected body or the
/// organisation whose seats stand out from the address (`?body=` or `?organisation=`).
#[component]
pub fn PartnershipMap(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    #[prop(into)] selected: Signal<Option<BodyId>>,
    #[prop(into)] organisation: Signal<Option<OrganisationId>>,
) -> impl IntoView {
    let p = partnership;
    let navigate = use_navigate();
    let layout = use_layout(snapshot, p);
    let labels = use_labels(snapshot, p);
    let name = Memo::new(move |_| {
        snapshot.with(|s| {
            s.partnerships
                .get(&p)
                .map(|x| x.name.clone())
                .unwrap_or_default()
        })
    });
    let published =
        Memo::new(move |_| snapshot.with(|s| s.partnerships.get(&p).is_some_and(|x| x.published)));
    set_title(move || vec![format!("Map of {}", name.get())]);

    let view_box = RwSignal::new(layout.with_untracked(ViewBox::fit));
    // Whether the first view has been chosen for a map opened with nothing selected.
    let opened = StoredValue::new(false);
    let highlight_choice = RwSignal::new(Highlight::None);
    let highlight = Signal::derive(move || {
        if let Some(org) = organisation.get() {
            return Some(snapshot.with(|s| bodies_of_organisation(s, org)));
        }
        let choice = highlight_choice.get();
        snapshot.with(|s| highlighted(s, p, &choice))
    });
    let state = MapState {
        view_box,
        selected,
        highlight,
    };

    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    // The map's size on the screen, in pixels, once it is drawn.
    let map_pixels = move || {
        svg_ref.get_untracked().map(|el| {
            let r = el.get_bounding_client_rect();
            (r.width(), r.height())
        })
    };

    // Centre the map on the selected body whenever the selection changes (a search, a click,
    // a deep link on first load), close enough to read: about five boxes across at most, and
    // fewer on a phone, so that names stay legible.
    Effect::new(move |_| {
        // The first run after the map is drawn (this runs again when it is) chooses how a
        // map opened with nothing selected starts.
        let first = svg_ref.get().is_some() && !opened.get_value();
        if first {
            opened.set_value(true);
        }
        if let Some(b) = selected.get()
            && let Some((cx, cy)) = layout.with_untracked(|l| centre_of(l, b))
        {
            let (rw, rh) = map_pixels().unwrap_or((0.0, 0.0));
            view_box.update(|vb| {
                let max_w = vb.w.min(READABLE_WIDTH);
                *vb = ViewBox::readable_on(cx, cy, rw, rh, max_w);
            });
        } else if first && organisation.get_untracked().is_none() {
            // Nothing asked for: a screen too small to read the whole map on (a phone) opens
            // on the Board, close enough to read; the outline is one tap away above the map.
            // Only at first: later the view stays where the person moved it.
            let Some((rw, rh)) = map_pixels() else {
                return;
            };
            let full = layout.with_untracked(ViewBox::fit);
            let readable = full.units_per_pixel(rw, rh) * READABLE_PIXELS_PER_UNIT <= 1.0;
            if rw >= PHONE_MAP_PIXELS || readable {
                return;
            }
            let board = snapshot.with_untracked(|s| board_of(s, p));
            let centre = board
                .and_then(|b| layout.with_untracked(|l| centre_of(l, b)))
                .unwrap_or_else(|| full.centre());
            view_box.set(ViewBox::readable_on(
                centre.0,
                centre.1,
                rw,
                rh,
                READABLE_WIDTH,
            ));
        }
    });

    // Frame every body an organisation sits on whenever it is chosen (by search, or by a
    // deep link from its page).
    Effect::new(move |_| {
        if let Some(o) = organisation.get() {
            let bodies = snapshot.with_untracked(|s| bodies_of_organisation(s, o));
            if !bodies.is_empty() {
                view_box.set(layout.with_untracked(|l| ViewBox::around_bodies(l, &bodies)));
            }
        }
    });

    // The address holds what is selected, so it survives a reload and can be shared.
    let go = {
        let navigate = navigate.clone();
        move |href: String| {
            navigate(
                &href,
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..NavigateOptions::default()
                },
            );
        }
    };
    let on_select = {
        let go = go.clone();
        move |b: BodyId| go(map_href(p, Some(b)))
    };

    let export_error = RwSignal::new(None::<String>);
    let file_stem = move || {
        name.get_untracked()
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect::<String>()
    };
    // Saving is code in the part `more` (`map_export`), fetched on the first click.
    let export = move |format: map_export::Format| {
        let Some(svg) = svg_ref.get_untracked() else {
            export_error.set(Some("the map is not shown".to_owned()));
            return;
        };
        let layout = layout.get_untracked();
        let stem = file_stem();
        spawn_local(async move {
            let saved = match map_export::save(format, svg, layout, stem).await {
                Ok(saved) => saved,
                Err(PartNotLoaded) => Err("this device could not download what saves it. Check the connection and try again".to_owned()),
            };
            export_error.set(saved.err());
        });
    };
    let zoom = move |factor: f64| {
        let (cx, cy) = view_box.get_untracked().centre();
        let max_w = layout.with_untracked(max_width);
        view_box.update(|vb| *vb = vb.zoomed(factor, cx, cy, max_w));
    };

    let crumbs = Signal::derive(move || {
        vec![
            Crumb::link("Partnerships", home_href()),
            Crumb::link(name.get(), partnership_href(p)),
            Crumb::here("Map"),
        ]
    });
    let empty = Memo::new(move |_| layout.with(|l| l.nodes.is_empty()));

    view! {
        <div class="map-page">
            <Breadcrumbs crumbs=crumbs />
            <h1 class="heading-l">{move || format!("Map of {}", name.get())}</h1>
            {move || {
                (!published.get())
                    .then(|| {
                        view! {
                            <p class="hint">
                                <Tag text="Not published" tone="grey" />
                                " The public cannot browse this partnership until it is published."
                            </p>
                        }
                    })
            }}
            <p class="body map-intro">
                "Each box is a body; arrows point to the body it reports to. Select a box to see who sits on it. Drag to move the map, scroll or pinch to zoom; with the map focused, arrow keys move it and + and − zoom."
            </p>
            <p class="body map-alternatives">
                <a class="link" href=outline_href(p)>
                    "Read the structure as an outline"
                </a>
                " · "
                <a class="link" href=present_href(p, 0)>
                    "Presentation mode"
                </a>
                " · "
                <a class="link" href=induction_href(p)>
                    "Induction pack"
                </a>
            </p>
            <div class="map-toolbar">
                <MapSearch
                    snapshot=snapshot
                    partnership=p
                    on_body=on_select.clone()
                    on_organisation={
                        let go = go.clone();
                        move |o: OrganisationId| go(map_organisation_href(p, o))
                    }
                />
                <HighlightMenu snapshot=snapshot partnership=p choice=highlight_choice />
                <div class="map-toolbar__buttons" role="group" aria-label="Zoom">
                    <button type="button" class="button button--secondary" on:click=move |_| zoom(1.25)>
                        "Zoom in"
                    </button>
                    <button type="button" class="button button--secondary" on:click=move |_| zoom(0.8)>
                        "Zoom out"
                    </button>
                    <button
                        type="button"
                        class="button button--secondary"
                        id="map-fit"
                        on:click=move |_| view_box.set(layout.with_untracked(ViewBox::fit))
                    >
                        "Fit to screen"
                    </button>
                </div>
            </div>
            {move || {
                if empty.get() {
                    return view! {
                        <p class="body">
                            "This partnership has no bodies yet, so there is nothing to draw. "
                            <a class="link" href=format!("{}/bodies/new", partnership_href(p))>
                                "Add a body"
                            </a>
                        </p>
                    }
                        .into_any();
                }
                ().into_any()
            }}
            <div class="map-layout">
                <div class="map-frame">
                    <MapCanvas
                        layout=layout
                        labels=labels
                        state=state
                        on_select=on_select.clone()
                        label=format!("Map of {}", name.get_untracked())
                        node_ref=svg_ref
                    />
                    <MapLegend labels=labels />
                </div>
                <MapPanel
                    snapshot=snapshot
                    partnership=p
                    selected=selected
                    organisation=organisation
                    on_close=move |()| go(map_href(p, None))
                />
            </div>
            <div class="map-export">
                <h2 class="heading-s">"Save or print the map"</h2>
                <div class="button-group">
                    <button
                        type="button"
                        class="button button--secondary"
                        id="map-download-svg"
                        on:click=move |_| export(map_export::Format::Svg)
                    >
                        "Download SVG"
                    </button>
                    <button
                        type="button"
                        class="button button--secondary"
                        id="map-download-png"
                        on:click=move |_| export(map_export::Format::Png)
                    >
                        "Download PNG"
                    </button>
                    <button
                        type="button"
                        class="button button--secondary"
                        on:click=move |_| {
                            view_box.set(layout.with_untracked(ViewBox::fit));
                            if let Some(w) = web_sys::window() {
                                let _ = w.print();
                            }
                        }
                    >
                        "Print (A4 landscape)"
                    </button>
                </div>
                {move || export_error.get().map(|e| view! { <p class="error-message">{format!("The map could not be saved: {e}.")}</p> })}
            </div>
        </div>
    }
}

/// The search box: type part of a name, pick a body or an organisation from the matches.
/// The matches are code in the part `more` ([`map_tools`]), fetched when a name is first
/// typed; meanwhile the list says so.
#[component]
fn MapSearch(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    #[prop(into)] on_body: Callback<BodyId>,
    #[prop(into)] on_organisation: Callback<OrganisationId>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let first = RwSignal::new(None::<Callback<()>>);
    let search = SearchBox {
        snapshot,
        partnership,
        text,
        open,
        first,
        on_body,
        on_organisation,
    };
    let shown = Memo::new(move |_| open.get() && !text.with(|t| t.trim().is_empty()));
    view! {
        <div class="map-search">
            <label class="label" for="map-search">
                "Find a body or organisation"
            </label>
            <input
                class="input"
                id="map-search"
                type="search"
                autocomplete="off"
                aria-controls="map-search-results"
                prop:value=move || text.get()
                on:input=move |ev| {
                    text.set(event_target_value(&ev));
                    open.set(true);
                }
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                        if let Some(choose) = first.get_untracked() {
                            choose.run(());
                        }
                    } else if ev.key() == "Escape" {
                        open.set(false);
                    }
                }
            />
            <ul class="map-search__results" id="map-search-results" aria-live="polite">
                {move || {
                    shown.get().then(|| {
                        part_section("the search", Within::List, move || map_tools::matches(search))
                    })
                }}
            </ul>
        </div>
    }
}

/// Highlight by sector (which bodies its organisations sit on) or by priority theme.
#[component]
fn HighlightMenu(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    choice: RwSignal<Highlight>,
) -> impl IntoView {
    let themes = Memo::new(move |_| {
        snapshot.with(|s| {
            s.bodies_of(partnership)
                .into_iter()
                .filter(|(_, b)| b.kind == BodyKind::PriorityActionGroup)
                .map(|(id, b)| (id, b.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <div class="map-highlight">
            <label class="label" for="map-highlight">
                "Highlight"
            </label>
            <select
                class="select"
                id="map-highlight"
                on:change=move |ev| choice.set(Highlight::parse(&event_target_value(&ev)))
                prop:value=move || choice.get().key()
            >
                <option value="">"Nothing"</option>
                <optgroup label="Bodies with members from a sector">
                    {Sector::ALL
                        .iter()
                        .map(|s| view! { <option value=Highlight::Sector(*s).key()>{s.label()}</option> })
                        .collect_view()}
                </optgroup>
                <optgroup label="A priority theme and who works with it">
                    {move || {
                        themes
                            .get()
                            .into_iter()
                            .map(|(id, name)| view! { <option value=Highlight::Theme(id).key()>{name}</option> })
                            .collect_view()
                    }}
                </optgroup>
            </select>
        </div>
    }
}

/// The key to the map: the kinds of body shown and the kinds of line. Its entries are code
/// in the part `more` ([`map_tools`]), fetched when the key is first opened.
#[component]
fn MapLegend(#[prop(into)] labels: Signal<MapLabels>) -> impl IntoView {
    let opened = RwSignal::new(false);
    view! {
        <details
            class="map-legend"
            on:toggle=move |_| {
                if !opened.get_untracked() {
                    opened.set(true);
                }
            }
        >
            <summary>"Key to the map"</summary>
            {move || {
                opened.get().then(|| part_section("the key", Within::Page, move || map_tools::key(labels)))
            }}
        </details>
    }
}

/// The panel's close button.
#[component]
fn PanelClose(on_close: Callback<()>) -> impl IntoView {
    view! {
        <button type="button" class="map-panel__close link" on:click=move |_| on_close.run(())>
            "Close"
            <span class="visually-hidden">" the panel"</span>
        </button>
    }
}

/// The panel beside the map: the selected body, or the organisation found by search. The panel
/// itself (its heading, Close and the link to the record's page) is in the map's part; what it
/// says of the body or organisation is fetched from the part `more` the first time one is
/// selected ([`super::map_panel`]).
#[component]
fn MapPanel(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    #[prop(into)] selected: Signal<Option<BodyId>>,
    #[prop(into)] organisation: Signal<Option<OrganisationId>>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let p = partnership;
    let body = Memo::new(move |_| {
        selected
            .get()
            .and_then(|b| snapshot.with(|s| s.bodies.get(&b).map(|body| (b, body.name.clone()))))
    });
    let org = Memo::new(move |_| {
        organisation.get().and_then(|o| {
            snapshot.with(|s| s.organisations.get(&o).map(|org| (o, org.name.clone())))
        })
    });
    move || {
        if let Some((id, name)) = body.get() {
            return view! {
                <aside class="map-panel" aria-labelledby="map-panel-heading">
                    <PanelClose on_close=on_close />
                    <h2 class="heading-m" id="map-panel-heading">{name.clone()}</h2>
                    {part_section("this body’s details", Within::Page, move || {
                        map_panel::body(snapshot, p, id)
                    })}
                    <p class="body">
                        <a class="link" href=body_href(id)>
                            "Open the page for "
                            {name}
                        </a>
                    </p>
                </aside>
            }
            .into_any();
        }
        if let Some((oid, name)) = org.get() {
            return view! {
                <aside class="map-panel" aria-labelledby="map-panel-heading">
                    <PanelClose on_close=on_close />
                    <h2 class="heading-m" id="map-panel-heading">{name.clone()}</h2>
                    {part_section("this organisation’s seats", Within::Page, move || {
                        map_panel::organisation(snapshot, p, oid)
                    })}
                    <p class="body">
                        <a class="link" href=organisation_href(oid)>
                            "Open the page for "
                            {name}
                        </a>
                    </p>
                </aside>
            }
            .into_any();
        }
        view! {
            <aside class="map-panel map-panel--empty">
                <p class="body">"Select a body on the map, or find one by name, to see its terms of reference, chair and members and how it reports."</p>
            </aside>
        }
            .into_any()
    }
}
