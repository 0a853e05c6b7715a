//! Signing out. A shared browser must not keep one person's copy for the next, but changes
//! that never reached the server must not vanish either: the page first sends everything; if
//! anything is still unsent or held, it says how many and offers a rescue file (then signs
//! out) or staying signed in. Only the changes sent or saved in the file are forgotten.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::components::{ErrorSummary, FormErrors, set_title};
use crate::data::{Rescued, use_store};
use crate::pages::device::download_rescue;
use crate::pages::{count, home_href};

/// Where signing out has got to.
#[derive(Clone, Debug, PartialEq)]
pub enum SignOutPhase {
    /// Sending what is unsent before signing out.
    Sending,
    /// This many changes are still unsent or held: the person chooses.
    Unsent(usize),
    /// Ending the session and clearing the device.
    SigningOut,
}

/// The sign-out page's content, with plain props.
#[component]
pub fn SignOutView(
    #[prop(into)] phase: Signal<SignOutPhase>,
    #[prop(into)] errors: Signal<FormErrors>,
    #[prop(into)] on_rescue: Callback<()>,
) -> impl IntoView {
    set_title(|| vec!["Sign out".to_owned()]);
    move || match phase.get() {
        SignOutPhase::Sending => view! {
            <h1 class="heading-l">"Signing out"</h1>
            <p class="body" role="status">"Sending your changes first…"</p>
        }
        .into_any(),
        SignOutPhase::SigningOut => view! {
            <ErrorSummary errors=errors />
            <h1 class="heading-l">"Signing out"</h1>
            <p class="body" role="status">"Clearing this device's copy…"</p>
        }
        .into_any(),
        SignOutPhase::Unsent(n) => {
            let what = count(n, "change", "changes");
            let verb = if n == 1 { "has" } else { "have" };
            view! {
                <ErrorSummary errors=errors />
                <h1 class="heading-l" id="sign-out-unsent">
                    {format!("{what} on this device {verb} not reached the server")}
                </h1>
                <p class="body">
                    "Signing out clears this device's copy, so the next person to use this browser does not see your partnership. Your unsent changes would go with it."
                </p>
                <p class="body">
                    "Download a rescue file of them first: import it on this or any other device after signing in, and they are sent from there. Or stay signed in and send them when you have a connection."
                </p>
                <div class="button-group">
                    <button
                        type="button"
                        class="button button--warning"
                        id="sign-out-rescue"
                        on:click=move |_| on_rescue.run(())
                    >
                        "Download a rescue file and sign out"
                    </button>
                    <a class="button button--secondary" id="sign-out-stay" href=home_href()>
                        "Stay signed in"
                    </a>
                </div>
            }
            .into_any()
        }
    }
}

/// `/sign-out`: sends what is unsent, then signs out and goes home; or offers the choice.
#[component]
pub fn SignOutPage() -> impl IntoView {
    let store = use_store();
    let navigate = use_navigate();
    let phase = RwSignal::new(SignOutPhase::Sending);
    let errors = RwSignal::new(FormErrors::default());
    let finish = {
        let navigate = navigate.clone();
        move |rescued: Rescued, unsent: usize| {
            let navigate = navigate.clone();
            phase.set(SignOutPhase::SigningOut);
            spawn_local(async move {
                match store.sign_out(rescued).await {
                    Ok(()) => navigate(&home_href(), NavigateOptions::default()),
                    Err(e) => {
                        errors.set(FormErrors {
                            message: Some(e.message),
                            fields: Vec::new(),
                        });
                        phase.set(if unsent == 0 {
                            SignOutPhase::SigningOut
                        } else {
                            SignOutPhase::Unsent(unsent)
                        });
                    }
                }
            });
        }
    };
    {
        let finish = finish.clone();
        spawn_local(async move {
            let unsent = store.send_everything().await;
            if unsent == 0 {
                finish(Rescued::default(), 0);
            } else {
                phase.set(SignOutPhase::Unsent(unsent));
            }
        });
    }
    let on_rescue = move |_| {
        let (file, rescued) = store.rescue_for_sign_out();
        let unsent = file.mutations.len();
        match download_rescue(&file) {
            Ok(()) => finish(rescued, unsent),
            Err(e) => errors.set(FormErrors {
                message: Some(format!(
                    "The rescue file could not be saved: {e}. You are still signed in, and your changes are kept on this device."
                )),
                fields: Vec::new(),
            }),
        }
    };
    view! { <SignOutView phase=phase errors=errors on_rescue=on_rescue /> }
}
