//! Comparing partnerships (`/partnerships/:id/compare`): the priorities of two or more
//! partnerships' current strategies side by side, and where they dovetail (seed 004, #14:
//! Redditch's priorities should "dovetail with those of the Worcestershire Partnership"). The
//! rule is `atlas_shared::strategy::compare`: links the partnerships made are shown apart from
//! hints found in the titles' words, and each hint says it is one.

use atlas_shared::strategy::compare::{Match, compare, dovetailing_partnerships};
use atlas_shared::strategy::{PriorityId, StrategyStatus};
use atlas_shared::{IsoDate, PartnershipId, Snapshot};
use leptos::prelude::*;

use super::{priority_href, strategy_href, today};
use crate::components::form::IdCheckbox;
use crate::components::{Breadcrumbs, Crumb, gate, set_title};
use crate::data::use_store;
use crate::pages::{partnership_crumbs, partnership_name, use_partnership_id};
use atlas_shared::order::sort_by;

/// Partnership `p`'s priorities beside others'.
pub fn compare_href(p: PartnershipId) -> String {
    format!("/partnerships/{p}/compare")
}

/// The partnerships the reader can choose (not archived), by name.
fn choosable(s: &Snapshot) -> Vec<(PartnershipId, String)> {
    let mut v: Vec<_> = s
        .partnerships
        .iter()
        .filter(|(_, p)| !p.archived)
        .map(|(id, p)| (*id, p.name.clone()))
        .collect();
    sort_by(&mut v, |a, b| a.1.cmp(&b.1));
    v
}

/// The comparison, starting from `partnership` and the partnerships its priorities dovetail
/// with; the reader ticks others.
#[component]
pub fn CompareView(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    today: IsoDate,
) -> impl IntoView {
    let p = partnership;
    let first = snapshot.with_untracked(|s| {
        let mut v = vec![p];
        v.extend(dovetailing_partnerships(s, p));
        v
    });
    let chosen = RwSignal::new(first);
    let name = Memo::new(move |_| snapshot.with(|s| partnership_name(s, p)));
    set_title(move || vec!["Compare partnerships".to_owned(), name.get()]);
    let crumbs = Signal::derive(move || {
        snapshot.with(|s| {
            let mut c = partnership_crumbs(s, p);
            c.push(Crumb::here("Compare partnerships"));
            c
        })
    });
    let options = Memo::new(move |_| snapshot.with(choosable));
    let comparison = Memo::new(move |_| {
        let ids = chosen.get();
        snapshot.with(|s| compare(s, &ids, today))
    });
    let title_of = move |id: PriorityId| {
        comparison.with(|c| {
            c.columns.iter().find_map(|col| {
                col.priorities
                    .iter()
                    .find(|(x, _)| *x == id)
                    .map(|(_, t)| (col.name.clone(), t.clone()))
            })
        })
    };
    let href_of = move |id: PriorityId| {
        snapshot.with(|s| {
            s.priorities
                .get(&id)
                .map(|pr| priority_href(pr.strategy_id, id))
                .unwrap_or_default()
        })
    };

    let side_by_side = move || {
        let c = comparison.get();
        if c.columns.len() < 2 {
            return view! {
                <p class="body" id="compare-choose-more">"Choose at least two partnerships to compare."</p>
            }
            .into_any();
        }
        let rows = c
            .columns
            .iter()
            .map(|col| col.priorities.len())
            .max()
            .unwrap_or(0);
        let head = c
            .columns
            .iter()
            .map(|col| {
                let strategy = match &col.strategy {
                    Some((id, title, period, status)) => {
                        let draft = (*status == StrategyStatus::Draft).then_some(" (draft)");
                        view! {
                            <br />
                            <a class="link" href=strategy_href(*id)>{title.clone()}</a>
                            <br />
                            {format!("{period}{}", draft.unwrap_or(""))}
                        }
                        .into_any()
                    }
                    None => view! { <br /> "No strategy you can see" }.into_any(),
                };
                view! { <th scope="col" class="table__header">{col.name.clone()}{strategy}</th> }
            })
            .collect_view();
        let body = (0..rows)
            .map(|i| {
                let cells = c
                    .columns
                    .iter()
                    .map(|col| {
                        let cell = col.priorities.get(i).map(|(id, title)| {
                            view! { <a class="link" href=href_of(*id) data-priority-id=id.to_string()>{title.clone()}</a> }
                        });
                        view! { <td class="table__cell">{cell}</td> }
                    })
                    .collect_view();
                view! {
                    <tr class="table__row">
                        <th scope="row" class="table__header">{format!("Priority {}", i + 1)}</th>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="table compare-table" id="compare-table">
                    <caption class="table__caption">"The priorities of each partnership's current strategy, in their order"</caption>
                    <thead>
                        <tr class="table__row">
                            <td class="table__header"></td>
                            {head}
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        }
        .into_any()
    };

    let dovetails = move || {
        let c = comparison.get();
        if c.columns.len() < 2 {
            return ().into_any();
        }
        if c.dovetails.is_empty() {
            return view! {
                <p class="body" id="dovetails-none">
                    "No priority of one is linked to a priority of another, and no titles share a significant word."
                </p>
            }
            .into_any();
        }
        let rows = c
            .dovetails
            .into_iter()
            .map(|d| {
                let cell = |id: PriorityId| {
                    let (partnership, title) = title_of(id).unwrap_or_default();
                    view! {
                        <td class="table__cell">
                            <a class="link" href=href_of(id)>{title}</a>
                            {format!(" ({partnership})")}
                        </td>
                    }
                };
                let (kind, why) = match d.why {
                    Match::Linked => (
                        "linked",
                        "Linked: the partnership says they dovetail".to_owned(),
                    ),
                    Match::SharedWords(words) => (
                        "hint",
                        format!(
                            "Hint only: the titles share words beginning “{}”",
                            words.join("”, “")
                        ),
                    ),
                };
                view! {
                    <tr class="table__row" data-match=kind>
                        {cell(d.a)}
                        {cell(d.b)}
                        <td class="table__cell">{why}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="table" id="dovetails-table">
                <caption class="table__caption">"Priorities that dovetail, linked ones first"</caption>
                <thead>
                    <tr class="table__row">
                        <th scope="col" class="table__header">"Priority"</th>
                        <th scope="col" class="table__header">"Dovetails with"</th>
                        <th scope="col" class="table__header">"Why"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };

    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">"Compare partnerships' priorities"</h1>
        <p class="lead">
            "A district's priorities should dovetail with its county's, and both should reflect what residents said. Choose the partnerships to set side by side."
        </p>
        <fieldset class="fieldset" id="compare-choose">
            <legend class="fieldset__legend">"Partnerships to compare"</legend>
            <div class="checkboxes">
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(id, name)| view! {
                            <IdCheckbox input_id=format!("compare-{id}") value=id label=name chosen=chosen />
                        })
                        .collect_view()
                }}
            </div>
        </fieldset>
        <section class="section" aria-labelledby="side-by-side-heading">
            <h2 class="heading-m" id="side-by-side-heading">"Side by side"</h2>
            {side_by_side}
        </section>
        <section class="section" aria-labelledby="dovetails-heading">
            <h2 class="heading-m" id="dovetails-heading">"Where they dovetail"</h2>
            <p class="body">
                "A link is one the partnership made on a priority (“Dovetails with”). A hint only means the titles share a significant word: check it before relying on it."
            </p>
            {dovetails}
        </section>
    }
}

/// `/partnerships/:id/compare`
#[component]
pub fn ComparePage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    gate(store.ready(), pid, "partnership", move |pid| {
        view! { <CompareView snapshot=snapshot partnership=pid today=today() /> }
    })
}
