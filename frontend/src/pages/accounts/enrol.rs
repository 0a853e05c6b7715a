//! `/tablet/enrol#<token>`: a tablet opens the link a manager registered it with. The token is
//! in the fragment, which the browser never sends to the server; the page keeps it in this
//! browser's `localStorage` (`data/tablet.rs`), takes it out of the address bar at once
//! (`history.replaceState`, so it is not left in the history or a bookmark), asks the server
//! what the tablet is registered for, and says so.

use atlas_shared::accounts::tablets::TabletInfo;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::set_title;
use crate::data::api::ApiError;
use crate::data::use_store;
use crate::pages::consultation::consultations_href;
use crate::pages::partnership_name;

#[derive(Clone, Debug, PartialEq)]
enum Enrolment {
    Checking,
    /// No token in the link and none kept: not a registered tablet.
    NoLink,
    Enrolled(TabletInfo),
    /// The token is kept; the server could not be asked yet.
    Offline,
    Failed(String),
}

/// The token in the address's fragment, and the address without it.
fn take_fragment() -> Option<String> {
    let window = web_sys::window()?;
    let location = window.location();
    let hash = location.hash().ok()?;
    let token = hash.trim_start_matches('#').trim().to_owned();
    if token.is_empty() {
        return None;
    }
    let path = location.pathname().unwrap_or_default();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
    Some(token)
}

/// `/tablet/enrol`
#[component]
pub fn EnrolPage() -> impl IntoView {
    set_title(|| vec!["Enrol this tablet".to_owned()]);
    let store = use_store();
    let snapshot = store.snapshot();
    let state = RwSignal::new(Enrolment::Checking);
    let token = take_fragment().or_else(crate::data::tablet::token);
    match token {
        None => state.set(Enrolment::NoLink),
        Some(token) => spawn_local(async move {
            state.set(match store.enrol_tablet(&token).await {
                Ok(registration) => match registration.info() {
                    Ok(info) => Enrolment::Enrolled(info),
                    Err(e) => Enrolment::Failed(format!(
                        "The tablet is enrolled, but the server's answer could not be read: {e}"
                    )),
                },
                Err(ApiError::Unreachable) => Enrolment::Offline,
                Err(ApiError::Refused { body, .. }) => Enrolment::Failed(body.error),
                Err(e) => Enrolment::Failed(e.describe()),
            });
        }),
    }
    let body = move || {
        match state.get() {
        Enrolment::Checking => view! { <p class="body hint">"Checking the link with the server…"</p> }.into_any(),
        Enrolment::NoLink => view! {
            <p class="body" id="enrol-result">
                "This page needs the enrol link a partnership manager gives when registering a tablet. Ask them for it, or scan the code on their screen."
            </p>
        }
        .into_any(),
        Enrolment::Offline => view! {
            <p class="body" id="enrol-result">
                "The link is kept on this tablet, but the server can't be reached to check it. It is checked when the tablet is online."
            </p>
        }
        .into_any(),
        Enrolment::Failed(why) => view! { <p class="body" id="enrol-result">{why}</p> }.into_any(),
        Enrolment::Enrolled(info) => {
            let p = info.partnership_id;
            let partnership = move || {
                let name = snapshot.with(|s| partnership_name(s, p));
                if name.is_empty() { "its partnership".to_owned() } else { name }
            };
            let withdrawn = info.withdrawn_message();
            view! {
                <div class="inset-text" id="enrol-result" data-partnership=p.0.to_string()>
                    <p class="body">
                        <strong>{info.name.clone()}</strong>
                        {move || format!(" now takes answers for {}.", partnership())}
                    </p>
                    <p class="body">
                        "Nobody needs to sign in on it. Answers are kept on the tablet while it has no signal and sent when it has."
                    </p>
                    {withdrawn.map(|w| view! { <p class="body"><strong>{w}</strong></p> })}
                </div>
                <p class="body">
                    <a class="link" href=consultations_href(p)>"Go to the consultations"</a>
                </p>
            }
            .into_any()
        }
    }
    };
    view! {
        <h1 class="heading-l">"Enrol this tablet"</h1>
        {body}
    }
}
