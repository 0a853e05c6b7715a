//! The frame around every page (skip link, header with who is signed in, footer), breadcrumbs, tags, the page title,
//! and the states a page shows before it has a record to show: loading and not found.

use leptos::prelude::*;

use atlas_shared::accounts::SessionInfo;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use super::form::focus_element;
use super::sync_status::{Notices, SyncStatusBar, current_path};
use crate::data::{Store, use_store};
use crate::pages::accounts::{
    account_href, people_href, role_summary, sign_in_href, sign_out_href,
};

pub const SERVICE_NAME: &str = "Partnership Atlas";

/// Keeps `document.title` in step with the page: the parts, most specific first, then the
/// service name, e.g. "Management Group – Basingstoke and Deane LSP – Partnership Atlas".
pub fn set_title(parts: impl Fn() -> Vec<String> + 'static) {
    Effect::new(move |_| {
        let mut parts: Vec<String> = parts().into_iter().filter(|p| !p.is_empty()).collect();
        parts.push(SERVICE_NAME.to_owned());
        document().set_title(&parts.join(" – "));
    });
}

/// The first thing a keyboard reaches: a link past the header to the page's content.
#[component]
pub fn SkipLink() -> impl IntoView {
    view! {
        <a
            href="#main-content"
            class="skip-link"
            on:click=|ev| {
                ev.prevent_default();
                focus_element("main-content");
            }
        >
            "Skip to main content"
        </a>
    }
}

/// The page header: the service name (a link home), who is signed in, and the sync status.
#[component]
pub fn Header() -> impl IntoView {
    let store = use_store();
    let navigate = use_navigate();
    view! {
        <header class="header">
            <div class="width-container header__container">
                <a href="/" class="header__service">
                    {SERVICE_NAME}
                </a>
                <AccountView
                    session=store.session()
                    on_sign_out=move |_| navigate(&sign_out_href(), NavigateOptions::default())
                />
                <SyncStatusBar />
            </div>
        </header>
    }
}

/// "Signed in as Morgan Manager (Partnership manager)" and a "Sign out" button, or a
/// "Sign in" link back to this page.
#[component]
pub fn AccountView(
    #[prop(into)] session: Signal<SessionInfo>,
    #[prop(into)] on_sign_out: Callback<()>,
) -> impl IntoView {
    move || {
        session.with(|s| match &s.user {
            Some(user) => {
                let role = role_summary(user);
                let people = user.grants.manages_people().then(|| {
                    view! {
                        <a class="account__link" id="people-link" href=people_href()>
                            "People"
                        </a>
                    }
                });
                // Managers and administrators may sign in without two-step verification (demo
                // data and a fresh install must work), and are told here to set it up.
                let two_step = user.should_set_up_two_step().then(|| {
                    view! {
                        <a class="account__link account__warning" id="two-step-nudge" href=account_href()>
                            "Set up two-step verification"
                        </a>
                    }
                });
                view! {
                    <div class="account" id="account">
                        <p class="account__who" id="account-who">
                            "Signed in as "
                            <strong>{user.name.clone()}</strong>
                            {format!(" ({role})")}
                        </p>
                        {two_step}
                        <a class="account__link" id="account-link" href=account_href()>
                            "Your account"
                        </a>
                        {people}
                        <button
                            type="button"
                            class="button button--secondary button--small account__button"
                            id="sign-out"
                            on:click=move |_| on_sign_out.run(())
                        >
                            "Sign out"
                        </button>
                    </div>
                }
                .into_any()
            }
            None => view! {
                <div class="account" id="account">
                    <a
                        class="account__link"
                        id="sign-in-link"
                        href=move || sign_in_href(&current_path())
                    >
                        "Sign in"
                    </a>
                </div>
            }
            .into_any(),
        })
    }
}

/// Skip link, header, notices, the page in `<main id="main-content">`, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <SkipLink />
        <Header />
        <div class="width-container">
            <Notices />
            <main class="main" id="main-content" tabindex="-1">
                {children()}
            </main>
        </div>
        <footer class="footer">
            <div class="width-container">
                <p class="footer__text">
                    "Partnership Atlas keeps a copy of your partnership on this device, so you can work without a connection. Changes are sent when you are back online."
                </p>
                <p class="footer__text">
                    <a class="footer__link" href="/device">"This device: storage and unsent changes"</a>
                </p>
            </div>
        </footer>
    }
}

/// One step of a breadcrumb trail: its text and, unless it is the current page, its link.
#[derive(Clone, Debug, PartialEq)]
pub struct Crumb {
    pub text: String,
    pub href: Option<String>,
}

impl Crumb {
    pub fn link(text: impl Into<String>, href: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            href: Some(href.into()),
        }
    }

    pub fn here(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            href: None,
        }
    }
}

/// "Partnerships › Basingstoke and Deane LSP › Management Group".
#[component]
pub fn Breadcrumbs(#[prop(into)] crumbs: Signal<Vec<Crumb>>) -> impl IntoView {
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <ol class="breadcrumbs__list">
                {move || {
                    crumbs
                        .get()
                        .into_iter()
                        .map(|c| match c.href {
                            Some(href) => {
                                view! {
                                    <li class="breadcrumbs__item">
                                        <a class="breadcrumbs__link" href=href>
                                            {c.text}
                                        </a>
                                    </li>
                                }
                                    .into_any()
                            }
                            None => {
                                view! {
                                    <li class="breadcrumbs__item" aria-current="page">
                                        {c.text}
                                    </li>
                                }
                                    .into_any()
                            }
                        })
                        .collect_view()
                }}
            </ol>
        </nav>
    }
}

/// A label such as a body's kind or an organisation's sector. The text says it all; the colour
/// only repeats it.
#[component]
pub fn Tag(
    #[prop(into)] text: String,
    #[prop(optional)] tone: Option<&'static str>,
) -> impl IntoView {
    let class = match tone {
        Some(t) => format!("tag tag--{t}"),
        None => "tag".to_owned(),
    };
    view! { <strong class=class>{text}</strong> }
}

/// Shown when a record has changes this device has not yet sent.
#[component]
pub fn PendingTag(#[prop(into)] pending: Signal<bool>) -> impl IntoView {
    move || {
        pending
            .get()
            .then(|| view! { <Tag text="Not yet synced" tone="grey" /> })
    }
}

/// Shown while the local copy is read from IndexedDB: never "not found" before it has loaded.
#[component]
pub fn LoadingState() -> impl IntoView {
    set_title(|| vec!["Loading".to_owned()]);
    view! {
        <div class="loading">
            <h1 class="heading-l">"Loading your local copy…"</h1>
            <p class="body">"This takes a moment the first time."</p>
        </div>
    }
}

/// On a device that has never finished a sync (its copy is still to come), whether it is
/// online; `None` once it has synced, or where there is no store (component tests).
pub fn first_visit() -> Memo<Option<bool>> {
    let status = use_context::<Store>().map(|s| s.status());
    Memo::new(move |_| status.and_then(|s| s.with(|s| s.last_synced.is_none().then_some(s.online))))
}

/// A record that is not on this device. On a device that has never finished a sync (a
/// resident opening a public link for the first time) that only means its copy has not arrived
/// yet: the page says it is fetching it, or that it needs a connection once, rather than "not
/// found"; the record's page replaces this as soon as it arrives.
#[component]
pub fn RecordNotFound(noun: &'static str) -> impl IntoView {
    let first_visit = first_visit();
    let mut capital = noun.to_owned();
    if let Some(first) = capital.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    let heading = Memo::new(move |_| match first_visit.get() {
        Some(true) => format!("Fetching this {noun}…"),
        Some(false) => format!("This {noun} needs a connection the first time"),
        None => format!("{capital} not found"),
    });
    set_title(move || vec![heading.get()]);
    let explanation = move || match first_visit.get() {
        Some(true) => format!(
            "This device is getting its copy of the partnership from the server. The {noun} appears here when it arrives; after that it opens without a connection too."
        ),
        Some(false) => format!(
            "This device has no copy of the partnership yet, and it is offline. Connect to the internet once and the {noun} appears here; after that it opens without a connection too."
        ),
        None => format!(
            "This {noun} is not on this device. It may have been deleted, or it may not have reached this device yet."
        ),
    };
    view! {
        <div class="record-missing" data-first-visit=move || first_visit.get().is_some().to_string()>
            <h1 class="heading-l">{heading}</h1>
            <p class="body">{explanation}</p>
            <p class="body">
                <a class="link" href="/">
                    "Go to the list of partnerships"
                </a>
            </p>
        </div>
    }
}

/// The page for an address that is not one of the app's pages.
#[component]
pub fn PageNotFound() -> impl IntoView {
    set_title(|| vec!["Page not found".to_owned()]);
    view! {
        <h1 class="heading-l">"Page not found"</h1>
        <p class="body">"If you typed the web address, check it is correct."</p>
        <p class="body">"If you pasted the web address, check you copied the entire address."</p>
        <p class="body">
            <a class="link" href="/">
                "Go to the list of partnerships"
            </a>
        </p>
    }
}

/// Renders `render(id)` once the local copy has loaded and the record `found` exists; the
/// loading or not-found state otherwise. `found` is a memo so the page is rebuilt only when
/// the record appears or goes, not on every change to the data.
pub fn gate<I, V>(
    ready: Signal<bool>,
    found: Memo<Option<I>>,
    noun: &'static str,
    render: impl Fn(I) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    I: Clone + PartialEq + Send + Sync + 'static,
    V: IntoView + 'static,
{
    move || {
        if !ready.get() {
            return view! { <LoadingState /> }.into_any();
        }
        match found.get() {
            Some(id) => render(id).into_any(),
            None => view! { <RecordNotFound noun=noun /> }.into_any(),
        }
    }
}
