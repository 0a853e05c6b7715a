//! `/account`: the signed-in person's own account. Everyone changes their password here (the
//! current one is needed); administrators and partnership managers set up two-step
//! verification: the server makes a key, the page shows it to type into an authenticator app,
//! and the app's first code confirms it. These are online-only calls, not the offline sync:
//! with no connection the page says so and keeps what was typed.

use atlas_shared::accounts::{PasswordChange, TwoStepSetup, UserInfo, needs_two_step};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{role_summary, sign_in_href};
use crate::components::{AtlasForm, ErrorSummary, FormErrors, TextField, set_title};
use crate::data::api::{self, ApiError};
use crate::data::use_store;

/// What a page says when an online-only account call did not work: the server's words (by
/// field when it named fields), or that a connection is needed to `doing`.
pub fn api_problem(error: &ApiError, doing: &str) -> FormErrors {
    match error {
        ApiError::Unreachable => FormErrors {
            message: Some(format!(
                "You need a connection to {doing}. This device is offline or cannot reach the \
                 server. Nothing was changed, and what you typed is still here."
            )),
            fields: Vec::new(),
        },
        ApiError::Refused { body, .. } if !body.fields.is_empty() => FormErrors {
            message: None,
            fields: body.fields.clone(),
        },
        ApiError::Refused { body, .. } => FormErrors {
            message: Some(body.error.clone()),
            fields: Vec::new(),
        },
        ApiError::Unreadable(_) => FormErrors {
            message: Some(error.describe()),
            fields: Vec::new(),
        },
    }
}

/// The key in groups of four, as apps show and people type it.
pub fn grouped_key(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The two-step code's field, on the sign-in page and when setting it up here.
#[component]
pub fn CodeField(
    value: RwSignal<String>,
    #[prop(into)] errors: Signal<FormErrors>,
) -> impl IntoView {
    view! {
        <TextField
            id="code"
            label="Code from your authenticator app"
            hint="Open the app on your phone and enter the 6 digits it shows for Partnership Atlas."
            value=value
            errors=errors
            width="input--width-5"
            inputmode="numeric"
            autocomplete="one-time-code"
        />
    }
}

/// A form's submit button, not pressed twice while its request is under way.
#[component]
pub fn SubmitButton(
    id: &'static str,
    label: &'static str,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    view! {
        <div class="button-group">
            <button
                type="submit"
                class="button"
                id=id
                disabled=move || busy.get()
                aria-disabled=move || busy.get().then_some("true")
            >
                {label}
            </button>
        </div>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    set_title(|| vec!["Your account".to_owned()]);
    let store = use_store();
    let session = store.session();
    let errors = RwSignal::new(FormErrors::default());
    view! {
        <ErrorSummary errors=errors />
        <h1 class="heading-l">"Your account"</h1>
        {move || match session.with(|s| s.user.clone()) {
            None => {
                view! {
                    <p class="body" id="account-signed-out">
                        "Nobody is signed in on this browser. "
                        <a href=sign_in_href("/account")>"Sign in"</a>
                        " to change your password."
                    </p>
                }
                    .into_any()
            }
            Some(user) => view! { <AccountDetails user=user errors=errors /> }.into_any(),
        }}
    }
}

#[component]
fn AccountDetails(user: UserInfo, errors: RwSignal<FormErrors>) -> impl IntoView {
    let two_step = needs_two_step(&user.grants).then(|| {
        view! { <TwoStepSection set_up=user.two_step errors=errors /> }
    });
    view! {
        <dl class="summary-list">
            <div class="summary-list__row">
                <dt class="summary-list__key">"Name"</dt>
                <dd class="summary-list__value">{user.name.clone()}</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">"Email address"</dt>
                <dd class="summary-list__value">{user.email.clone()}</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">"Role"</dt>
                <dd class="summary-list__value">{role_summary(&user)}</dd>
            </div>
        </dl>
        <PasswordForm errors=errors />
        {two_step}
    }
}

#[component]
fn PasswordForm(errors: RwSignal<FormErrors>) -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let changed = RwSignal::new(false);
    let on_submit = move |_| {
        if busy.get_untracked() {
            return;
        }
        let change = PasswordChange {
            current: current.get_untracked(),
            new: new.get_untracked(),
        };
        let mut missing = FormErrors::default();
        if change.current.is_empty() {
            missing.fields.push(atlas_shared::FieldError::new(
                "current",
                "Enter your current password",
            ));
        }
        if change.new.is_empty() {
            missing
                .fields
                .push(atlas_shared::FieldError::new("new", "Enter a new password"));
        }
        if !missing.is_empty() {
            errors.set(missing);
            return;
        }
        busy.set(true);
        changed.set(false);
        spawn_local(async move {
            let result = api::change_password(&change).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    errors.set(FormErrors::default());
                    current.set(String::new());
                    new.set(String::new());
                    changed.set(true);
                }
                Err(e) => errors.set(api_problem(&e, "change your password")),
            }
        });
    };
    view! {
        <h2 class="heading-m">"Change your password"</h2>
        {move || {
            changed
                .get()
                .then(|| {
                    view! {
                        <p class="inset-text" id="password-changed" role="status">
                            "Your password has been changed. Anywhere else you were signed in, you have been signed out."
                        </p>
                    }
                })
        }}
        <AtlasForm on_submit=on_submit>
            <TextField
                id="current"
                label="Current password"
                value=current
                errors=errors
                input_type="password"
                autocomplete="current-password"
            />
            <TextField
                id="new"
                label="New password"
                hint="At least 12 characters. Three random words make a good one."
                value=new
                errors=errors
                input_type="password"
                autocomplete="new-password"
            />
            <SubmitButton id="change-password" label="Change password" busy=busy />
        </AtlasForm>
    }
}

#[component]
fn TwoStepSection(set_up: bool, errors: RwSignal<FormErrors>) -> impl IntoView {
    let store = use_store();
    let setup = RwSignal::new(None::<TwoStepSetup>);
    let code = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let begin = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = api::begin_two_step().await;
            busy.set(false);
            match result {
                Ok(s) => {
                    errors.set(FormErrors::default());
                    setup.set(Some(s));
                }
                Err(e) => {
                    errors.set(api_problem(&e, "set up two-step verification"));
                    // Set up elsewhere meanwhile: show it as it is.
                    store.refresh_session().await;
                }
            }
        });
    };
    let confirm = move |_| {
        if busy.get_untracked() {
            return;
        }
        let typed = code.get_untracked();
        if typed.trim().is_empty() {
            errors.set(FormErrors::field(
                "code",
                "Enter the 6-digit code your app shows",
            ));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = api::confirm_two_step(&typed).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    errors.set(FormErrors::default());
                    store.refresh_session().await;
                }
                Err(e) => errors.set(api_problem(&e, "set up two-step verification")),
            }
        });
    };
    let body = move || {
        if set_up {
            return view! {
                <p class="body" id="two-step-on">
                    "Two-step verification is set up. When you sign in, you enter a code from your authenticator app as well as your password."
                </p>
                <p class="body">
                    "If you lose the phone with the app, ask an administrator to reset it."
                </p>
            }
                .into_any();
        }
        match setup.get() {
            None => view! {
                <p class="body" id="two-step-off">
                    "As a manager, you should set up two-step verification: then signing in needs a code from an app on your phone as well as your password, so a password someone else learns is not enough."
                </p>
                <div class="button-group">
                    <button
                        type="button"
                        class="button"
                        id="two-step-begin"
                        disabled=move || busy.get()
                        on:click=begin
                    >
                        "Set up two-step verification"
                    </button>
                </div>
            }
                .into_any(),
            Some(s) => view! {
                <ol class="list">
                    <li>
                        "Open an authenticator app on your phone (such as Microsoft Authenticator or Google Authenticator) and add an account."
                    </li>
                    <li>
                        "Choose to enter a key, and type this key: "
                        <strong class="two-step-key" id="two-step-key">
                            {grouped_key(&s.secret)}
                        </strong> " (on this phone, you can "
                        <a href=s.uri.clone()>"open the key in your app"</a> " instead)."
                    </li>
                    <li>"Enter the code the app shows for Partnership Atlas."</li>
                </ol>
                <AtlasForm on_submit=confirm>
                    <CodeField value=code errors=errors />
                    <SubmitButton id="two-step-confirm" label="Confirm" busy=busy />
                </AtlasForm>
            }
                .into_any(),
        }
    };
    view! {
        <h2 class="heading-m">"Two-step verification"</h2>
        {body}
    }
}
