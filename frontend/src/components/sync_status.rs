//! Whether this device's changes have reached the server, in the header of every page, and the
//! notices the sync loop raises (a change overwritten or refused).

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::data::{SyncState, SyncStatus, use_store};

/// "1 change" / "3 changes".
fn changes(n: usize) -> String {
    if n == 1 {
        "1 change".to_owned()
    } else {
        format!("{n} changes")
    }
}

/// A time of day as "14:03", in the device's time zone.
pub fn clock_time(ms_since_epoch: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms_since_epoch));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

fn all_saved(status: &SyncStatus) -> String {
    let saved = if status.held == 0 {
        "All changes saved"
    } else {
        "All other changes saved"
    };
    match status.last_synced {
        Some(ms) => format!("{saved} · synced {}", clock_time(ms)),
        None => saved.to_owned(),
    }
}

/// The status in words, e.g. "Offline · 2 changes waiting", with the changes the server
/// refused last ("· 3 changes need attention"), so no status claims everything arrived while
/// anything is held aside.
pub fn describe_status(status: &SyncStatus) -> String {
    let words = describe_sync(status);
    match status.held {
        0 => words,
        1 => format!("{words} · 1 change needs attention"),
        n => format!("{words} · {n} changes need attention"),
    }
}

fn describe_sync(status: &SyncStatus) -> String {
    let pending = status.pending;
    match status.state {
        SyncState::Loading => "Loading your local copy…".to_owned(),
        // A routine check with nothing to send keeps the last words, so screen readers are
        // not told "syncing" every few seconds.
        SyncState::Syncing if pending == 0 => all_saved(status),
        SyncState::Syncing => "Saving…".to_owned(),
        SyncState::Synced if pending == 0 => all_saved(status),
        // Stored on the server, which applies them in turn.
        SyncState::Synced | SyncState::Pending if status.received == pending => {
            format!("Sent · the server is filing {}", changes(pending))
        }
        SyncState::Synced | SyncState::Pending => format!("Saving… · {} waiting", changes(pending)),
        SyncState::Offline if !status.online => {
            if pending == 0 {
                "Offline · no changes waiting".to_owned()
            } else {
                format!("Offline · {} waiting", changes(pending))
            }
        }
        SyncState::Offline => {
            if pending == 0 {
                "Can't reach the server · will retry".to_owned()
            } else {
                format!(
                    "Can't reach the server · {} waiting, will retry",
                    changes(pending)
                )
            }
        }
        SyncState::SignIn if pending == 1 => "Sign in to send your change".to_owned(),
        SyncState::SignIn => format!("Sign in to send your {pending} changes"),
        SyncState::Error => {
            if pending == 0 {
                "Sync problem · will retry".to_owned()
            } else {
                format!("Sync problem · {} waiting, will retry", changes(pending))
            }
        }
    }
}

/// The address of the page being shown (path and query), for a "come back here" link.
pub fn current_path() -> String {
    let location = leptos::prelude::window().location();
    let path = location.pathname().unwrap_or_else(|_| "/".to_owned());
    let query = location.search().unwrap_or_default();
    format!("{path}{query}")
}

/// Whether to offer "Sync now": when changes wait or the last attempt failed.
fn offers_sync_now(status: &SyncStatus) -> bool {
    match status.state {
        SyncState::Loading | SyncState::Syncing | SyncState::SignIn => false,
        SyncState::Offline | SyncState::Error => true,
        SyncState::Synced | SyncState::Pending => status.pending > 0,
    }
}

/// The sync status as the header shows it. `#sync-status` carries `data-state` and
/// `data-pending` for tests and styling; its text is what people read.
#[component]
pub fn SyncStatusView(
    #[prop(into)] status: Signal<SyncStatus>,
    #[prop(into)] on_sync_now: Callback<()>,
) -> impl IntoView {
    let state = move || status.with(|s| s.state.as_str());
    // Back to this page after signing in.
    let sign_in_here = move || crate::pages::accounts::sign_in_href(&current_path());
    let pending = move || status.with(|s| s.pending.to_string());
    let text = move || status.with(describe_status);
    let detail = move || {
        status.with(|s| {
            (s.state == SyncState::Error)
                .then(|| s.message.clone())
                .flatten()
        })
    };
    view! {
        <div class="sync">
            <p
                id="sync-status"
                class="sync-status"
                data-state=state
                data-pending=pending
                role="status"
                aria-live="polite"
            >
                <span class="sync-status__dot" aria-hidden="true"></span>
                <span class="sync-status__text">{text}</span>
                {move || {
                    detail().map(|m| view! { <span class="sync-status__detail">{m}</span> })
                }}
            </p>
            {move || {
                (status.with(|s| s.state) == SyncState::SignIn)
                    .then(|| {
                        view! {
                            <a class="link sync__sign-in" id="sync-sign-in" href=sign_in_here>
                                "Sign in"
                            </a>
                        }
                    })
            }}
            {move || {
                (status.with(|s| s.held) > 0).then(|| {
                    view! {
                        <a class="link sync__attention" id="sync-attention" href="/device">
                            "What needs attention"
                        </a>
                    }
                })
            }}
            {move || {
                status
                    .with(offers_sync_now)
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button button--secondary button--small sync__button"
                                on:click=move |_| on_sync_now.run(())
                            >
                                "Sync now"
                            </button>
                        }
                    })
            }}
        </div>
    }
}

/// Things the person should know about their changes, until they dismiss them.
#[component]
pub fn NoticesView(
    #[prop(into)] notices: Signal<Vec<String>>,
    #[prop(into)] on_dismiss: Callback<()>,
) -> impl IntoView {
    move || {
        let notices = notices.get();
        (!notices.is_empty()).then(|| {
            view! {
                <div
                    class="notification-banner"
                    role="region"
                    aria-labelledby="notification-banner-title"
                >
                    <div class="notification-banner__header">
                        <h2 class="notification-banner__title" id="notification-banner-title">
                            "Important"
                        </h2>
                    </div>
                    <div class="notification-banner__content">
                        <ul class="list">
                            {notices
                                .into_iter()
                                .map(|n| view! { <li class="notification-banner__notice">{n}</li> })
                                .collect_view()}
                        </ul>
                        <button
                            type="button"
                            class="button button--secondary button--small"
                            on:click=move |_| on_dismiss.run(())
                        >
                            "Dismiss"
                        </button>
                    </div>
                </div>
            }
        })
    }
}

/// [`SyncStatusView`] wired to the store.
#[component]
pub fn SyncStatusBar() -> impl IntoView {
    let store = use_store();
    view! { <SyncStatusView status=store.status() on_sync_now=move |_| store.sync_now() /> }
}

/// [`NoticesView`] wired to the store.
#[component]
pub fn Notices() -> impl IntoView {
    let store = use_store();
    let status = store.status();
    // A memo, so the banner is only rebuilt when the notices change, not on every sync.
    let notices = Memo::new(move |_| status.with(|s| s.notices.clone()));
    view! {
        <div class="notices" aria-live="polite">
            <NoticesView notices=notices on_dismiss=move |_| store.dismiss_notices() />
        </div>
    }
}
