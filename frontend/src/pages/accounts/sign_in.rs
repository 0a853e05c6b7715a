//! The sign-in page, in the GOV.UK pattern: one question per field, labels above the inputs,
//! an error summary that links to each field, and plain words for what went wrong (a wrong
//! password, too many attempts, no connection). When the server answers that the person's
//! two-step code is needed, the page asks for it, keeping the email and password typed.

use atlas_shared::accounts::{CODE_FIELD, SignIn};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::account::CodeField;
use super::{role_summary, safe_next};
use crate::components::{AtlasForm, ErrorSummary, FormErrors, TextField, set_title};
use crate::data::api::SignInError;
use crate::data::use_store;

/// The form's problems when a field is empty, before asking the server.
pub fn missing_fields(email: &str, password: &str) -> FormErrors {
    let mut errors = FormErrors::default();
    if email.trim().is_empty() {
        errors.fields.push(atlas_shared::FieldError::new(
            "email",
            "Enter your email address",
        ));
    }
    if password.is_empty() {
        errors.fields.push(atlas_shared::FieldError::new(
            "password",
            "Enter your password",
        ));
    }
    errors
}

/// What the page says when signing in did not work.
pub fn sign_in_problem(error: &SignInError) -> FormErrors {
    let message = match error {
        SignInError::Unreachable => {
            "You need a connection to sign in. Anything you changed is kept on this device."
                .to_owned()
        }
        SignInError::Wrong(said) if !said.trim().is_empty() => said.clone(),
        SignInError::Wrong(_) => "The email address or password is not right.".to_owned(),
        SignInError::CodeNeeded(said) => said.clone(),
        SignInError::Throttled { retry_after, .. } => match retry_after {
            Some(s) if *s <= 60 => {
                format!("Too many attempts to sign in. Wait {s} seconds, then try again.")
            }
            Some(s) => format!(
                "Too many attempts to sign in. Wait {} minutes, then try again.",
                s.div_ceil(60)
            ),
            None => "Too many attempts to sign in. Wait a few minutes, then try again.".to_owned(),
        },
        SignInError::Other(why) => format!("You could not be signed in: {why}"),
    };
    match error {
        // A wrong email or password points at the first field, so the summary links there.
        SignInError::Wrong(_) => FormErrors {
            message: None,
            fields: vec![atlas_shared::FieldError::new("email", message)],
        },
        SignInError::CodeNeeded(_) => FormErrors {
            message: None,
            fields: vec![atlas_shared::FieldError::new(CODE_FIELD, message)],
        },
        _ => FormErrors {
            message: Some(message),
            fields: Vec::new(),
        },
    }
}

/// The sign-in form, with plain props: what was typed, the problems, whether the device is
/// online and whether a sign-in is under way.
#[component]
pub fn SignInForm(
    email: RwSignal<String>,
    password: RwSignal<String>,
    /// The two-step code, asked for once the server said it is needed.
    #[prop(optional)]
    code: Option<RwSignal<String>>,
    #[prop(optional, into)] ask_code: Signal<bool>,
    #[prop(into)] errors: Signal<FormErrors>,
    #[prop(into)] online: Signal<bool>,
    #[prop(into)] busy: Signal<bool>,
    /// Who is signed in on this browser now, in words, if anyone.
    #[prop(optional, into)]
    signed_in_as: Option<Signal<Option<String>>>,
    #[prop(into)] on_submit: Callback<()>,
) -> impl IntoView {
    set_title(|| vec!["Sign in".to_owned()]);
    view! {
        <ErrorSummary errors=errors />
        <h1 class="heading-l">"Sign in"</h1>
        {move || {
            signed_in_as
                .and_then(|s| s.get())
                .map(|who| {
                    view! {
                        <p class="inset-text" id="sign-in-current">
                            {format!("You are signed in as {who}. Sign in again to change who you are signed in as.")}
                        </p>
                    }
                })
        }}
        {move || {
            (!online.get())
                .then(|| {
                    view! {
                        <div class="inset-text" id="sign-in-offline">
                            <p class="body">
                                <strong>"You need a connection to sign in."</strong>
                            </p>
                            <p class="body">
                                "This device is offline. You can still read what is on it, and anything you change is kept here until you sign in."
                            </p>
                        </div>
                    }
                })
        }}
        <p class="body">
            "Sign in to change your partnership's records or to take residents' answers. You can read a published partnership without signing in."
        </p>
        <AtlasForm on_submit=on_submit>
            <TextField
                id="email"
                label="Email address"
                value=email
                errors=errors
                input_type="email"
                autocomplete="username"
            />
            <TextField
                id="password"
                label="Password"
                value=password
                errors=errors
                input_type="password"
                autocomplete="current-password"
            />
            {move || {
                code.filter(|_| ask_code.get())
                    .map(|code| view! { <CodeField value=code errors=errors /> })
            }}
            <div class="button-group">
                <button
                    type="submit"
                    class="button"
                    id="sign-in-submit"
                    disabled=move || busy.get()
                    aria-disabled=move || busy.get().then_some("true")
                >
                    {move || if busy.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </div>
        </AtlasForm>
    }
}

/// `/sign-in?next=/path`: signs in, then goes to `next` (a path of this site) or home.
#[component]
pub fn SignInPage() -> impl IntoView {
    let store = use_store();
    let navigate = use_navigate();
    let query = use_query_map();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let ask_code = RwSignal::new(false);
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let status = store.status();
    let online = Signal::derive(move || status.with(|s| s.online));
    let session = store.session();
    let signed_in_as = Signal::derive(move || {
        session.with(|s| {
            s.user
                .as_ref()
                .map(|u| format!("{} ({})", u.name, role_summary(u)))
        })
    });
    let on_submit = move |_| {
        if busy.get_untracked() {
            return;
        }
        let details = SignIn {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            code: Some(code.get_untracked().trim().to_owned()).filter(|c| !c.is_empty()),
        };
        let missing = missing_fields(&details.email, &details.password);
        if !missing.is_empty() {
            errors.set(missing);
            return;
        }
        let next = safe_next(
            query
                .with_untracked(|q| q.get_str("next").map(str::to_owned))
                .as_deref(),
        );
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            let result = store.sign_in(&details).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    errors.set(FormErrors::default());
                    password.set(String::new());
                    navigate(&next, NavigateOptions::default());
                }
                Err(e) => {
                    // Asked for the code: the password stays, to go with it.
                    if matches!(e, SignInError::CodeNeeded(_)) {
                        ask_code.set(true);
                    } else {
                        password.set(String::new());
                    }
                    code.set(String::new());
                    errors.set(sign_in_problem(&e));
                }
            }
        });
    };
    view! {
        <SignInForm
            email=email
            password=password
            code=code
            ask_code=ask_code
            errors=errors
            online=online
            busy=busy
            signed_in_as=signed_in_as
            on_submit=on_submit
        />
    }
}
