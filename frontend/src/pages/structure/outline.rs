//! `/partnerships/:id/outline`: the structure as a tree, the map's accessible alternative. It
//! follows the WAI-ARIA tree view pattern: one tab stop; Up and Down move between visible
//! entries, Right opens an entry or moves to its first child, Left closes it or moves to its
//! parent, Home and End go to the first and last entry, Enter opens the body on the map (on a
//! cross-link, Enter moves to where that body is listed in full).

use std::collections::BTreeSet;

use atlas_shared::outline::{OutlineEntry, outline};
use atlas_shared::{BodyId, BodyKind, LineKind, PartnershipId, Snapshot};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use super::{map_href, partnership_href};
use crate::components::{Breadcrumbs, Crumb, gate, set_title};
use crate::data::use_store;
use crate::pages::{found, home_href, use_id};

/// One entry of the outline, flattened in reading order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OutlineRow {
    pub body: BodyId,
    pub name: String,
    pub kind: BodyKind,
    pub line: Option<LineKind>,
    pub cross_link: bool,
    /// 1 at the top.
    pub level: usize,
    pub parent: Option<usize>,
    pub has_children: bool,
    /// Position among its siblings (1-based) and how many siblings there are.
    pub position: usize,
    pub siblings: usize,
}

/// The outline in reading order (depth first).
pub fn rows(entries: &[OutlineEntry]) -> Vec<OutlineRow> {
    fn walk(
        entries: &[OutlineEntry],
        level: usize,
        parent: Option<usize>,
        out: &mut Vec<OutlineRow>,
    ) {
        for (i, e) in entries.iter().enumerate() {
            let index = out.len();
            out.push(OutlineRow {
                body: e.body,
                name: e.name.clone(),
                kind: e.kind,
                line: e.line,
                cross_link: e.cross_link,
                level,
                parent,
                has_children: !e.children.is_empty(),
                position: i + 1,
                siblings: entries.len(),
            });
            walk(&e.children, level + 1, Some(index), out);
        }
    }
    let mut out = Vec::new();
    walk(entries, 1, None, &mut out);
    out
}

/// The rows a person can see: those whose every ancestor is open.
pub fn visible(rows: &[OutlineRow], closed: &BTreeSet<usize>) -> Vec<usize> {
    let mut shown = Vec::new();
    let mut hidden = vec![false; rows.len()];
    for (i, row) in rows.iter().enumerate() {
        let parent_hidden = row.parent.is_some_and(|p| hidden[p] || closed.contains(&p));
        hidden[i] = parent_hidden;
        if !parent_hidden {
            shown.push(i);
        }
    }
    shown
}

fn focus_row(i: usize) {
    if let Some(el) = document().get_element_by_id(&format!("outline-row-{i}")) {
        use wasm_bindgen::JsCast;
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// `/partnerships/:id/outline`
#[component]
pub fn OutlinePage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = found(use_id::<PartnershipId>("id"), snapshot, |s, id| {
        s.partnerships.contains_key(id)
    });
    gate(store.ready(), pid, "partnership", move |p| {
        view! { <StructureOutline snapshot=snapshot partnership=p /> }
    })
}

/// The outline of partnership `partnership` as an ARIA tree.
#[component]
pub fn StructureOutline(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
) -> impl IntoView {
    let p = partnership;
    let navigate = use_navigate();
    let name = Memo::new(move |_| {
        snapshot.with(|s| {
            s.partnerships
                .get(&p)
                .map(|x| x.name.clone())
                .unwrap_or_default()
        })
    });
    set_title(move || vec!["Outline".to_owned(), name.get()]);
    let all = Memo::new(move |_| snapshot.with(|s| rows(&outline(s, p))));
    let closed = RwSignal::new(BTreeSet::<usize>::new());
    let current = RwSignal::new(0usize);
    let shown = Memo::new(move |_| all.with(|r| closed.with(|c| visible(r, c))));

    let move_to = move |i: usize| {
        current.set(i);
        focus_row(i);
        // Opening or closing an entry draws the rows again, and a row drawn anew has no
        // focus: focus the current row once more when they have been drawn (the current
        // one then: keys pressed in between may have moved on).
        request_animation_frame(move || focus_row(current.get_untracked()));
    };
    let activate = Callback::new(move |i: usize| {
        let Some(row) = all.with_untracked(|r| r.get(i).cloned()) else {
            return;
        };
        if row.cross_link {
            // Go to where the body is listed in full, opening its ancestors.
            let full =
                all.with_untracked(|r| r.iter().position(|x| x.body == row.body && !x.cross_link));
            if let Some(full) = full {
                let mut ancestors = Vec::new();
                let mut at = all.with_untracked(|r| r[full].parent);
                while let Some(a) = at {
                    ancestors.push(a);
                    at = all.with_untracked(|r| r[a].parent);
                }
                closed.update(|c| {
                    for a in ancestors {
                        c.remove(&a);
                    }
                });
                move_to(full);
            }
            return;
        }
        navigate(&map_href(p, Some(row.body)), NavigateOptions::default());
    });
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let shown = shown.get_untracked();
        let rows = all.get_untracked();
        let i = current.get_untracked();
        let Some(pos) = shown.iter().position(|&x| x == i) else {
            if let Some(&first) = shown.first() {
                move_to(first);
            }
            return;
        };
        let row = &rows[i];
        let is_open = row.has_children && !closed.with_untracked(|c| c.contains(&i));
        match ev.key().as_str() {
            "ArrowDown" => {
                if let Some(&next) = shown.get(pos + 1) {
                    move_to(next);
                }
            }
            "ArrowUp" => {
                if pos > 0 {
                    move_to(shown[pos - 1]);
                }
            }
            "ArrowRight" => {
                if row.has_children && !is_open {
                    closed.update(|c| {
                        c.remove(&i);
                    });
                    move_to(i);
                } else if is_open {
                    move_to(i + 1);
                }
            }
            "ArrowLeft" => {
                if is_open {
                    closed.update(|c| {
                        c.insert(i);
                    });
                    move_to(i);
                } else if let Some(parent) = row.parent {
                    move_to(parent);
                }
            }
            "Home" => {
                if let Some(&first) = shown.first() {
                    move_to(first);
                }
            }
            "End" => {
                if let Some(&last) = shown.last() {
                    move_to(last);
                }
            }
            "Enter" | " " => activate.run(i),
            _ => return,
        }
        ev.prevent_default();
    };

    let crumbs = Signal::derive(move || {
        vec![
            Crumb::link("Partnerships", home_href()),
            Crumb::link(name.get(), partnership_href(p)),
            Crumb::here("Outline"),
        ]
    });
    let full_name = move |body: BodyId| {
        all.with(|r| {
            r.iter()
                .find(|x| x.body == body && !x.cross_link)
                .and_then(|x| x.parent)
                .map(|parent| r[parent].name.clone())
        })
    };

    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-l">{move || format!("Structure of {}", name.get())}</h1>
        <p class="body">
            "Every body of the partnership, listed under the body it reports to. A body that reports to several is listed in full once and linked from the others. Use the arrow keys to move through the list; Enter opens a body on the map."
        </p>
        <p class="body">
            <a class="link" href=map_href(p, None)>
                "See the structure as a map"
            </a>
        </p>
        {move || {
            if all.with(Vec::is_empty) {
                return view! { <p class="body">"This partnership has no bodies yet."</p> }.into_any();
            }
            view! {
                <ul
                    class="outline"
                    role="tree"
                    aria-label=move || format!("Structure of {}", name.get())
                    on:keydown=on_keydown
                >
                    // Keyed by the row and what it shows: a row that stays when an entry
                    // opens or closes keeps its element, and with it the focus.
                    <For
                        each=move || {
                            all.with(|rows| {
                                shown
                                    .get()
                                    .into_iter()
                                    .filter_map(|i| Some((i, rows.get(i)?.clone())))
                                    .collect::<Vec<_>>()
                            })
                        }
                        key=|entry| entry.clone()
                        children=move |(i, row)| {
                                let expanded = row
                                    .has_children
                                    .then_some(move || (!closed.with(|c| c.contains(&i))).to_string());
                                let relation = row
                                    .line
                                    .map(|l| format!("{} the body above", l.label()));
                                let listed_under = row
                                    .cross_link
                                    .then(|| full_name(row.body))
                                    .flatten()
                                    .map(|under| format!("listed in full under {under}"));
                                view! {
                                    <li
                                        class="outline__row"
                                        class:outline__row--cross-link=row.cross_link
                                        id=format!("outline-row-{i}")
                                        role="treeitem"
                                        aria-expanded=expanded
                                        aria-selected=move || (current.get() == i).to_string()
                                        tabindex=move || if current.get() == i { "0" } else { "-1" }
                                        style=format!("--level: {}", row.level - 1)
                                        data-body-id=row.body.to_string()
                                        on:click=move |_| {
                                            current.set(i);
                                            activate.run(i);
                                        }
                                        on:focus=move |_| current.set(i)
                                    >
                                        <span class="outline__toggle" aria-hidden="true">
                                            {move || {
                                                if !row.has_children {
                                                    ""
                                                } else if closed.with(|c| c.contains(&i)) {
                                                    "▸"
                                                } else {
                                                    "▾"
                                                }
                                            }}
                                        </span>
                                        <span class="outline__name">{row.name.clone()}</span>
                                        <span class="outline__kind">{row.kind.label()}</span>
                                        {relation.map(|r| view! { <span class="outline__relation">{r}</span> })}
                                        {listed_under.map(|r| view! { <span class="outline__relation">{r}</span> })}
                                    </li>
                                }
                                    // tachys has no typed `aria-level` and the like; `attr:`
                                    // inside `view!` is written under its literal name when
                                    // built with `--cfg erase_components`.
                                    .attr("aria-level", row.level.to_string())
                                    .attr("aria-posinset", row.position.to_string())
                                    .attr("aria-setsize", row.siblings.to_string())
                        }
                    />
                </ul>
            }
                .into_any()
        }}
    }
}
