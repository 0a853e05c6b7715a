//! The pages, in folders by area: `structure/` (partnerships, organisations, bodies,
//! memberships, lines, the map and its outline), `training/` (glossary, presentation steps,
//! presentation mode, the induction pack), `consultation/` (consultations, the questionnaire
//! builder, taking answers, results, refused answers, "you said, we did"), `accounts/`
//! (signing in and out), `strategy/` (strategies, priorities, targets and their figures) and
//! `scrutiny/` (reviews, recommendations and monitoring). Each area's `mod.rs` lists its
//! pages (`part!`), their addresses (`ROUTES`, which `app.rs` looks paths up in) and its link
//! builders (`*_href`). The pages every area uses (home, device, delete) and the helpers below
//! stay here.
//!
//! Each kind of record has its pages (detail, form, delete). A page wrapper (`*Page`) reads the
//! route's id and the store; the view it renders (`*Detail`, `*Form`) takes plain props, so
//! tests mount it with a hand-built `Snapshot`.

pub mod accounts;
pub mod consultation;
pub mod delete;
pub mod device;
pub mod home;
pub mod scrutiny;
pub mod strategy;
pub mod structure;
pub mod training;

use std::str::FromStr;

use atlas_shared::{Draft, PartnershipId, Snapshot};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::components::{Crumb, FormErrors};
use crate::data::Store;
use structure::partnership_href;

pub fn home_href() -> String {
    "/".to_owned()
}

/// The values of the current address's `:name` segments (`crate::app`'s page provides them).
#[derive(Clone, Copy)]
pub struct RouteParams(pub Memo<atlas_shared::paths::Params>);

/// The current address's `:name` segment, as written (percent-decoded); `None` when the page
/// has no such segment, or is shown outside the app's pages (a component test).
pub fn use_route_param(name: &'static str) -> Memo<Option<String>> {
    let params = use_context::<RouteParams>();
    Memo::new(move |_| {
        params.and_then(|RouteParams(p)| {
            p.with(|p| atlas_shared::paths::param(p, name).map(str::to_owned))
        })
    })
}

/// The route parameter `name` parsed as an id; `None` when it is not one (a "not found").
pub fn use_id<T>(name: &'static str) -> Memo<Option<T>>
where
    T: FromStr + Clone + PartialEq + Send + Sync + 'static,
{
    let param = use_route_param(name);
    Memo::new(move |_| param.with(|p| p.as_deref().and_then(|s| s.parse().ok())))
}

/// The id, when the record exists in the snapshot. A memo: it changes only when the record
/// appears or goes, so pages are not rebuilt on every change to the data.
pub fn found<I>(
    id: Memo<Option<I>>,
    snapshot: Signal<Snapshot>,
    exists: impl Fn(&Snapshot, &I) -> bool + Send + Sync + 'static,
) -> Memo<Option<I>>
where
    I: Clone + PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| id.get().filter(|id| snapshot.with(|s| exists(s, id))))
}

/// "1 member" / "3 members".
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// "Partnerships › Basingstoke and Deane LSP": where every trail inside a partnership starts.
pub fn partnership_crumbs(s: &Snapshot, p: PartnershipId) -> Vec<Crumb> {
    let mut c = vec![Crumb::link("Partnerships", home_href())];
    if let Some(partnership) = s.partnerships.get(&p) {
        c.push(Crumb::link(partnership.name.clone(), partnership_href(p)));
    }
    c
}

/// The partnership's name, or nothing when it is not on this device.
pub fn partnership_name(s: &Snapshot, p: PartnershipId) -> String {
    s.partnerships
        .get(&p)
        .map(|x| x.name.clone())
        .unwrap_or_default()
}

/// The route's `:id` as a partnership on this device (for pages inside a partnership).
pub fn use_partnership_id(snapshot: Signal<Snapshot>) -> Memo<Option<PartnershipId>> {
    found(use_id::<PartnershipId>("id"), snapshot, |s, id| {
        s.partnerships.contains_key(id)
    })
}

/// Saves several records one after another through the outbox (reordering steps, starting
/// from the standard tour). Stops at the first refusal and shows it; then calls `done` with
/// whether all were saved.
pub fn save_all(
    store: Store,
    records: Vec<(Uuid, Draft)>,
    errors: RwSignal<FormErrors>,
    done: impl FnOnce(bool) + 'static,
) {
    spawn_local(async move {
        for (id, draft) in records {
            if let Err(e) = store.save(id, draft).await {
                errors.set(e.into());
                done(false);
                return;
            }
        }
        errors.set(FormErrors::default());
        done(true);
    });
}
