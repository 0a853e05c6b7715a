//! Accounts: signing in and out, registered tablets (a manager's page, and the page a tablet
//! enrols on), and what the pages of other areas ask about the person (whether to offer Add,
//! Edit and Delete). The server decides what anyone may do; the browser
//! only leaves out what a person could not use.

use atlas_shared::accounts::{Access, UserInfo};
use atlas_shared::{EntityKind, PartnershipId};
use leptos::prelude::*;

use crate::data::Store;
use atlas_shared::order::sort;

pub mod account;
pub mod enrol;
pub mod history;
pub mod people;
pub mod sign_in;
pub mod sign_out;
pub mod tablets;

use account::AccountPage;
use enrol::EnrolPage;
use history::{PartnershipHistoryPage, RecordHistoryPage};
pub use history::{history_href, record_history_href};
use people::PeoplePage;
use sign_in::SignInPage;
use sign_out::SignOutPage;
use tablets::TabletsPage;

/// A partnership's registered tablets (for its managers).
pub fn tablets_href(p: PartnershipId) -> String {
    format!("/partnerships/{}/tablets", p.0)
}

/// The sign-in page, coming back to `next` (a path of this site) afterwards.
pub fn sign_in_href(next: &str) -> String {
    let next = safe_next(Some(next));
    if next == "/" {
        "/sign-in".to_owned()
    } else {
        format!("/sign-in?next={}", js_sys::encode_uri_component(&next))
    }
}

/// Signing out (it first sends what is unsent, or offers a rescue file).
pub fn sign_out_href() -> String {
    "/sign-out".to_owned()
}

/// Where to go after signing in: `next` when it is a path of this site, else the home page.
/// Never another site (`//evil.example`, `https://…`, `/\evil.example`), so a link cannot use
/// the sign-in page to send someone elsewhere.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.chars().any(|c| c.is_control())
                && !n.starts_with("/sign-in")
                && !n.starts_with("/sign-out") =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// The person's role in words: "Administrator", "Partnership manager", or each role they hold
/// ("Councillor, Partnership manager"); "no role yet" when they hold none.
pub fn role_summary(user: &UserInfo) -> String {
    if user.grants.admin {
        return "Administrator".to_owned();
    }
    let mut labels: Vec<&str> = user.grants.roles.values().map(|r| r.label()).collect();
    sort(&mut labels);
    labels.dedup();
    if labels.is_empty() {
        "no role yet".to_owned()
    } else {
        labels.join(", ")
    }
}

/// Whether to offer Add, Edit and Delete in partnership `p`: when the person signed in
/// manages it. Views mounted without a store (component tests) show everything.
pub fn use_manages(p: Signal<Option<PartnershipId>>) -> Signal<bool> {
    match use_context::<Store>() {
        Some(store) => {
            let principal = store.principal();
            Signal::derive(move || p.get().is_some_and(|p| principal.with(|pr| pr.manages(p))))
        }
        None => Signal::derive(|| true),
    }
}

/// Whether to offer Add, Edit and Delete of records of `kind` in partnership `p`: when the
/// person's access there is enough to write that kind (a group lead writes action plans, a
/// manager everything). Views mounted without a store (component tests) show everything.
pub fn use_may_write(kind: EntityKind, p: Signal<Option<PartnershipId>>) -> Signal<bool> {
    use_access_at_least(kind.write_access(), p)
}

/// Whether the person may read records of `kind` in partnership `p` by the kind's own rule
/// (highlight reports are the members'), so a page does not offer an empty list to someone
/// the server sends none. Views mounted without a store (component tests) read everything.
pub fn use_may_read(kind: EntityKind, p: Signal<Option<PartnershipId>>) -> Signal<bool> {
    use_access_at_least(kind.read_access(), p)
}

/// Whether the person's access in partnership `p` is at least `needed`; everything without a
/// store (component tests).
fn use_access_at_least(needed: Access, p: Signal<Option<PartnershipId>>) -> Signal<bool> {
    match use_context::<Store>() {
        Some(store) => {
            let principal = store.principal();
            Signal::derive(move || {
                p.get()
                    .is_some_and(|p| principal.with(|pr| pr.access(p).is_some_and(|a| a >= needed)))
            })
        }
        None => Signal::derive(|| true),
    }
}

/// The person's own account page (password, two-step verification).
pub fn account_href() -> String {
    "/account".to_owned()
}

/// The people page, for partnership managers and administrators.
pub fn people_href() -> String {
    "/people".to_owned()
}
// This area's pages, a part of the app fetched when one is first opened (`crate::parts`).
crate::parts::part!(accounts {
    staff {
        SignInPage,
        SignOutPage,
        PartnershipHistoryPage,
        RecordHistoryPage,
        TabletsPage,
        EnrolPage,
        AccountPage,
        PeoplePage,
    },
});

/// The accounts area's addresses: each page's path pattern (`atlas_shared::paths`).
pub const ROUTES: &[(&str, Page)] = &[
    ("/sign-in", Page::SignInPage),
    ("/sign-out", Page::SignOutPage),
    ("/partnerships/:id/history", Page::PartnershipHistoryPage),
    ("/history/:kind/:id", Page::RecordHistoryPage),
    ("/partnerships/:id/tablets", Page::TabletsPage),
    ("/tablet/enrol", Page::EnrolPage),
    ("/account", Page::AccountPage),
    ("/people", Page::PeoplePage),
];
