//! What a key action or a bid serves: the strategy's priorities and targets it names, chosen
//! from checkboxes grouped by strategy and by priority ([`ServesFields`]).

use atlas_shared::strategy::{PriorityId, TargetId};
use atlas_shared::{PartnershipId, Snapshot};
use leptos::prelude::*;

use crate::components::form::{GroupedCheckboxes, GroupedChoices};

/// The partnership's priorities, under each strategy's title and period (newest first), as
/// this device sees them.
pub fn priority_choices(s: &Snapshot, p: PartnershipId) -> GroupedChoices<PriorityId> {
    s.strategies_of(p)
        .into_iter()
        .map(|(sid, st)| {
            let priorities = s
                .priorities_of(sid)
                .into_iter()
                .map(|(id, pr)| (id, pr.title.clone()))
                .collect();
            (format!("{} ({})", st.title, st.period()), priorities)
        })
        .filter(|(_, list): &(String, Vec<_>)| !list.is_empty())
        .collect()
}

/// The partnership's targets, under their priority (and, when the partnership has several
/// strategies, the strategy's period), each with its indicator code when it has one.
pub fn target_choices(s: &Snapshot, p: PartnershipId) -> GroupedChoices<TargetId> {
    let strategies = s.strategies_of(p);
    let several = strategies.len() > 1;
    strategies
        .into_iter()
        .flat_map(|(sid, st)| {
            s.priorities_of(sid).into_iter().map(move |(pid, pr)| {
                let heading = if several {
                    format!("{} ({})", pr.title, st.period())
                } else {
                    pr.title.clone()
                };
                let targets = s
                    .targets_of(pid)
                    .into_iter()
                    .map(|(id, t)| {
                        let label = if t.code.is_empty() {
                            t.name.clone()
                        } else {
                            format!("{}: {}", t.code, t.name)
                        };
                        (id, label)
                    })
                    .collect();
                (heading, targets)
            })
        })
        .filter(|(_, list): &(String, Vec<_>)| !list.is_empty())
        .collect()
}

/// Which priorities and targets a record serves, as two groups of checkboxes. An id this
/// device does not show (a priority deleted meanwhile) stays chosen until the record is saved
/// without it by someone who sees it: nothing is dropped silently.
#[component]
pub fn ServesFields(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    priority_hint: &'static str,
    target_hint: &'static str,
    priorities: RwSignal<Vec<PriorityId>>,
    targets: RwSignal<Vec<TargetId>>,
) -> impl IntoView {
    let priority_groups =
        Signal::derive(move || snapshot.with(|s| priority_choices(s, partnership)));
    let target_groups = Signal::derive(move || snapshot.with(|s| target_choices(s, partnership)));
    view! {
        <GroupedCheckboxes
            prefix="serves-priority"
            legend="Priorities it serves (optional)"
            hint=priority_hint
            none="This partnership has no strategy priorities on this device yet."
            groups=priority_groups
            chosen=priorities
        />
        <GroupedCheckboxes
            prefix="serves-target"
            legend="Targets it serves (optional)"
            hint=target_hint
            none="This partnership's priorities have no targets on this device yet."
            groups=target_groups
            chosen=targets
        />
    }
}
