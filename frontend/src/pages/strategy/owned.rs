//! On a body's page: the priorities it owns, each with its strategy and its targets' status;
//! and in brief, with the count of targets in each status, in the map's panel.

use atlas_shared::strategy::dashboard::status_counts;
use atlas_shared::strategy::{TargetStatus, assess, figures_of};
use atlas_shared::text::fold_case;
use atlas_shared::{BodyId, IsoDate, Snapshot};
use leptos::prelude::*;

use super::status::tone;
use super::{priority_href, target_href};
use crate::components::Tag;

/// One priority a body owns, as its page lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct OwnedPriority {
    pub href: String,
    pub title: String,
    pub strategy: String,
    /// Each target: (link, name, computed status, the rule's sentence).
    pub targets: Vec<(String, String, TargetStatus, String)>,
}

pub fn owned_priorities(s: &Snapshot, body: BodyId, today: IsoDate) -> Vec<OwnedPriority> {
    s.priorities_owned_by(body)
        .into_iter()
        .map(|(id, p)| OwnedPriority {
            href: priority_href(p.strategy_id, id),
            title: p.title.clone(),
            strategy: s
                .strategies
                .get(&p.strategy_id)
                .map(|st| format!("{} ({})", st.title, st.period()))
                .unwrap_or_default(),
            targets: s
                .targets_of(id)
                .into_iter()
                .map(|(tid, t)| {
                    let a = assess(t, &figures_of(s, tid), today);
                    (target_href(tid), t.name.clone(), a.status, a.sentence)
                })
                .collect(),
        })
        .collect()
}

/// The priorities `body` owns, with their targets' status; nothing when it owns none.
#[component]
pub fn OwnedPriorities(
    #[prop(into)] snapshot: Signal<Snapshot>,
    body: BodyId,
    today: IsoDate,
) -> impl IntoView {
    let owned = Memo::new(move |_| snapshot.with(|s| owned_priorities(s, body, today)));
    move || {
        let owned = owned.get();
        (!owned.is_empty()).then(|| {
            view! {
                <section class="section owned-priorities" aria-labelledby="owned-heading">
                    <h2 class="heading-m" id="owned-heading">"Priorities it owns"</h2>
                    <ul class="record-list">
                        {owned
                            .into_iter()
                            .map(|p| {
                                view! {
                                    <li class="record-list__item owned-priority">
                                        <a class="link" href=p.href>{p.title}</a>
                                        <span class="record-list__meta">{format!(" in {}", p.strategy)}</span>
                                        <ul class="owned-priority__targets">
                                            {p
                                                .targets
                                                .into_iter()
                                                .map(|(href, name, status, sentence)| {
                                                    view! {
                                                        <li>
                                                            <a class="link" href=href>{name}</a>
                                                            " "
                                                            <Tag text=status.label() tone=tone(status) />
                                                            " "
                                                            <span class="owned-priority__sentence">{sentence}</span>
                                                        </li>
                                                    }
                                                })
                                                .collect_view()}
                                        </ul>
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

/// In the map's panel: the priorities `body` owns, each with how many of its targets are in
/// each status ("1 on track, 1 at risk"), colour never the only signal; nothing when it owns
/// none.
#[component]
pub fn OwnedPrioritiesBrief(
    #[prop(into)] snapshot: Signal<Snapshot>,
    body: BodyId,
    today: IsoDate,
) -> impl IntoView {
    let owned = Memo::new(move |_| snapshot.with(|s| owned_priorities(s, body, today)));
    move || {
        let owned = owned.get();
        (!owned.is_empty()).then(|| {
            view! {
                <h3 class="heading-s">"Priorities it owns"</h3>
                <ul class="record-list map-panel__priorities">
                    {owned
                        .into_iter()
                        .map(|p| {
                            let counts =
                                status_counts(p.targets.iter().map(|(_, _, status, _)| *status));
                            view! {
                                <li class="record-list__item">
                                    <a class="link" href=p.href>{p.title}</a>
                                    {if counts.is_empty() {
                                        view! { <span class="hint">"No targets yet"</span> }.into_any()
                                    } else {
                                        view! {
                                            <span class="owned-priority__counts">
                                                {counts
                                                    .into_iter()
                                                    .map(|(status, n)| view! {
                                                        <Tag text=format!("{n} {}", fold_case(status.label())) tone=tone(status) />
                                                        " "
                                                    })
                                                    .collect_view()}
                                            </span>
                                        }
                                        .into_any()
                                    }}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })
    }
}
