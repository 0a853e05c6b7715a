//! The accounts views in a real browser: the sign-in form (labels, autocomplete, the error
//! summary, the offline message), what a failed sign-in says, where signing in may go back
//! to, the header's two states, the sign-out page's choice and the status line's request to
//! sign in. Mounted with plain props: no store, no server.

use std::collections::BTreeMap;

use atlas_frontend::components::{AccountView, FormErrors, SyncStatusView, describe_status};
use atlas_frontend::data::api::SignInError;
use atlas_frontend::data::{SyncState, SyncStatus};
use atlas_frontend::pages::accounts::sign_in::{SignInForm, missing_fields, sign_in_problem};
use atlas_frontend::pages::accounts::sign_out::{SignOutPhase, SignOutView};
use atlas_frontend::pages::accounts::{role_summary, safe_next, sign_in_href};
use atlas_shared::accounts::{Grants, Role, SessionInfo, UserInfo};
use atlas_shared::seeds::{demo_user, fixture_id as id};
use atlas_shared::{FieldError, PartnershipId};
use leptos::prelude::*;
use wasm_bindgen_test::*;

use crate::common::*;

fn manager() -> UserInfo {
    let demo = demo_user(Some(Role::Manager));
    UserInfo {
        id: id(900),
        name: demo.name.to_owned(),
        email: demo.email.to_owned(),
        grants: Grants {
            admin: false,
            roles: (1..=3)
                .map(|n| (PartnershipId(id(n)), Role::Manager))
                .collect::<BTreeMap<_, _>>(),
        },
        two_step: false,
    }
}

fn attr(root: &web_sys::Element, css: &str, name: &str) -> Option<String> {
    one(root, css).get_attribute(name)
}

#[wasm_bindgen_test]
async fn the_sign_in_form_has_labels_above_its_inputs_and_lets_the_browser_fill_them() {
    setup();
    let (root, _keep) = mount(|| {
        view! {
            <SignInForm
                email=RwSignal::new(String::new())
                password=RwSignal::new(String::new())
                errors=Signal::derive(FormErrors::default)
                online=Signal::derive(|| true)
                busy=Signal::derive(|| false)
                on_submit=|_| {}
            />
        }
    });
    settle().await;
    assert_eq!(text(&one(&root, "h1")), "Sign in");
    assert_eq!(text(&one(&root, "label[for='email']")), "Email address");
    assert_eq!(text(&one(&root, "label[for='password']")), "Password");
    assert_eq!(attr(&root, "#email", "type").as_deref(), Some("email"));
    assert_eq!(
        attr(&root, "#email", "autocomplete").as_deref(),
        Some("username")
    );
    assert_eq!(
        attr(&root, "#password", "type").as_deref(),
        Some("password")
    );
    assert_eq!(
        attr(&root, "#password", "autocomplete").as_deref(),
        Some("current-password")
    );
    assert!(all(&root, "#sign-in-offline").is_empty());
    assert!(all(&root, ".error-summary").is_empty());
}

#[wasm_bindgen_test]
async fn offline_the_sign_in_page_says_a_connection_is_needed() {
    setup();
    let (root, _keep) = mount(|| {
        view! {
            <SignInForm
                email=RwSignal::new(String::new())
                password=RwSignal::new(String::new())
                errors=Signal::derive(FormErrors::default)
                online=Signal::derive(|| false)
                busy=Signal::derive(|| false)
                on_submit=|_| {}
            />
        }
    });
    settle().await;
    assert!(text(&one(&root, "#sign-in-offline")).contains("You need a connection to sign in"));
}

#[wasm_bindgen_test]
async fn empty_fields_are_named_in_the_error_summary_and_beside_each_field() {
    setup();
    let errors = RwSignal::new(FormErrors::default());
    let (root, _keep) = mount(move || {
        view! {
            <SignInForm
                email=RwSignal::new(String::new())
                password=RwSignal::new(String::new())
                errors=errors
                online=Signal::derive(|| true)
                busy=Signal::derive(|| false)
                on_submit=move |_| errors.set(missing_fields("", ""))
            />
        }
    });
    settle().await;
    click(&root, "#sign-in-submit");
    settle().await;
    let links: Vec<(String, String)> = all(&root, ".error-summary a")
        .iter()
        .map(|a| (a.get_attribute("href").unwrap_or_default(), text(a)))
        .collect();
    assert_eq!(
        links,
        vec![
            ("#email".to_owned(), "Enter your email address".to_owned()),
            ("#password".to_owned(), "Enter your password".to_owned()),
        ]
    );
    assert!(text(&one(&root, "#email-error")).contains("Enter your email address"));
    assert_eq!(
        attr(&root, "#password", "aria-invalid").as_deref(),
        Some("true")
    );
    assert!(missing_fields(" a@b.example ", "x").is_empty());
}

#[wasm_bindgen_test]
fn a_failed_sign_in_says_what_happened_in_plain_words() {
    let wrong = sign_in_problem(&SignInError::Wrong(
        "The email address or password is not right.".into(),
    ));
    assert_eq!(
        wrong.fields,
        vec![FieldError::new(
            "email",
            "The email address or password is not right."
        )]
    );
    let throttled = sign_in_problem(&SignInError::Throttled {
        message: "Too many attempts".into(),
        retry_after: Some(120),
    });
    assert_eq!(
        throttled.message.as_deref(),
        Some("Too many attempts to sign in. Wait 2 minutes, then try again.")
    );
    let soon = sign_in_problem(&SignInError::Throttled {
        message: String::new(),
        retry_after: Some(30),
    });
    assert!(soon.message.unwrap_or_default().contains("Wait 30 seconds"));
    let offline = sign_in_problem(&SignInError::Unreachable);
    assert!(
        offline
            .message
            .unwrap_or_default()
            .starts_with("You need a connection to sign in.")
    );
}

#[wasm_bindgen_test]
fn signing_in_goes_back_only_to_a_path_of_this_site() {
    assert_eq!(safe_next(Some("/device")), "/device");
    assert_eq!(
        safe_next(Some("/partnerships/1?body=2")),
        "/partnerships/1?body=2"
    );
    for elsewhere in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "device",
        "/sign-in?next=/device",
        "/a\nb",
        "",
    ] {
        assert_eq!(safe_next(Some(elsewhere)), "/", "{elsewhere:?}");
    }
    assert_eq!(safe_next(None), "/");
    assert_eq!(sign_in_href("/device"), "/sign-in?next=%2Fdevice");
    assert_eq!(sign_in_href("//evil.example"), "/sign-in");
}

#[wasm_bindgen_test]
async fn the_header_names_the_person_signed_in_and_offers_sign_out() {
    setup();
    let session = RwSignal::new(SessionInfo {
        user: Some(manager()),
    });
    let asked = RwSignal::new(0);
    let (root, _keep) = mount(move || {
        view! { <AccountView session=session on_sign_out=move |_| asked.update(|n| *n += 1) /> }
    });
    settle().await;
    assert_eq!(
        text(&one(&root, "#account-who")),
        "Signed in as Morgan Manager (illustrative) (Partnership manager)"
    );
    assert!(all(&root, "#sign-in-link").is_empty());
    // A manager without two-step verification is told to set it up, and offered People.
    assert_eq!(
        text(&one(&root, "#two-step-nudge")),
        "Set up two-step verification"
    );
    assert_eq!(
        attr(&root, "#people-link", "href").as_deref(),
        Some("/people")
    );
    assert_eq!(
        attr(&root, "#account-link", "href").as_deref(),
        Some("/account")
    );
    session.update(|s| {
        if let Some(u) = s.user.as_mut() {
            u.two_step = true;
        }
    });
    settle().await;
    assert!(
        all(&root, "#two-step-nudge").is_empty(),
        "set up: no reminder"
    );
    click(&root, "#sign-out");
    settle().await;
    assert_eq!(asked.get_untracked(), 1);

    // Signed out: a link to the sign-in page, coming back to this page.
    session.set(SessionInfo::default());
    settle().await;
    assert!(all(&root, "#account-who").is_empty());
    let link = one(&root, "#sign-in-link");
    assert_eq!(text(&link), "Sign in");
    assert!(
        link.get_attribute("href")
            .unwrap_or_default()
            .starts_with("/sign-in"),
        "{:?}",
        link.get_attribute("href")
    );
}

#[wasm_bindgen_test]
fn a_role_is_named_once_however_many_partnerships_hold_it() {
    assert_eq!(role_summary(&manager()), "Partnership manager");
    let mut admin = manager();
    admin.grants.admin = true;
    assert_eq!(role_summary(&admin), "Administrator");
    let mut mixed = manager();
    mixed
        .grants
        .roles
        .insert(PartnershipId(id(4)), Role::Councillor);
    assert_eq!(role_summary(&mixed), "Councillor, Partnership manager");
    mixed.grants.roles.clear();
    assert_eq!(role_summary(&mixed), "no role yet");
}

#[wasm_bindgen_test]
async fn signing_out_with_unsent_changes_offers_a_rescue_file_or_staying_signed_in() {
    setup();
    let rescued = RwSignal::new(false);
    let (root, _keep) = mount(move || {
        view! {
            <SignOutView
                phase=Signal::derive(|| SignOutPhase::Unsent(3))
                errors=Signal::derive(FormErrors::default)
                on_rescue=move |_| rescued.set(true)
            />
        }
    });
    settle().await;
    assert_eq!(
        text(&one(&root, "#sign-out-unsent")),
        "3 changes on this device have not reached the server"
    );
    assert_eq!(
        text(&one(&root, "#sign-out-rescue")),
        "Download a rescue file and sign out"
    );
    assert_eq!(text(&one(&root, "#sign-out-stay")), "Stay signed in");
    click(&root, "#sign-out-rescue");
    settle().await;
    assert!(rescued.get_untracked());
}

#[wasm_bindgen_test]
async fn changes_refused_for_want_of_a_session_ask_the_person_to_sign_in() {
    setup();
    let status = SyncStatus {
        state: SyncState::SignIn,
        pending: 3,
        ..SyncStatus::default()
    };
    assert_eq!(describe_status(&status), "Sign in to send your 3 changes");
    let (root, _keep) = mount(move || {
        view! { <SyncStatusView status=Signal::derive(move || status.clone()) on_sync_now=|_| {} /> }
    });
    settle().await;
    assert_eq!(
        attr(&root, "#sync-status", "data-state").as_deref(),
        Some("sign-in")
    );
    assert_eq!(text(&one(&root, "#sync-sign-in")), "Sign in");
    assert!(
        attr(&root, "#sync-sign-in", "href")
            .unwrap_or_default()
            .starts_with("/sign-in")
    );
}

fn tablet(n: u16, revoked: bool) -> atlas_shared::accounts::tablets::TabletInfo {
    atlas_shared::accounts::tablets::TabletInfo {
        id: id(700 + n),
        partnership_id: PartnershipId(id(1)),
        name: format!("Hall tablet {n}"),
        consultation_ids: Vec::new(),
        created_at: 1_764_633_600_000,
        created_by: id(900),
        last_seen_at: None,
        revoked_at: revoked.then_some(1_764_720_000_000),
        revoked_by: revoked.then(|| id(900)),
    }
}

#[wasm_bindgen_test]
async fn a_qr_code_is_one_path_of_its_dark_modules_with_an_accessible_name() {
    use atlas_frontend::pages::accounts::tablets::QrCode;
    use atlas_shared::accounts::tablets::QrMatrix;
    setup();
    let matrix = QrMatrix {
        size: 2,
        rows: vec!["10".into(), "01".into()],
    };
    let (root, _keep) = mount(move || {
        view! { <QrCode matrix=matrix.clone() label="QR code of the enrol link for Hall tablet 3" /> }
    });
    settle().await;
    let svg = one(&root, "svg#tablet-qr");
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(
        svg.get_attribute("aria-label").as_deref(),
        Some("QR code of the enrol link for Hall tablet 3")
    );
    assert_eq!(svg.get_attribute("viewBox").as_deref(), Some("0 0 10 10"));
    assert_eq!(
        attr(&root, "svg path", "d").as_deref(),
        Some("M4 4h1v1h-1zM5 5h1v1h-1z")
    );
}

#[wasm_bindgen_test]
async fn withdrawing_a_tablet_asks_first_and_says_what_happens_to_its_unsent_answers() {
    use atlas_frontend::pages::accounts::tablets::TabletList;
    setup();
    let withdrawn = RwSignal::new(None::<uuid::Uuid>);
    let confirming = RwSignal::new(None::<uuid::Uuid>);
    let (root, _keep) = mount(move || {
        view! {
            <TabletList
                tablets=vec![tablet(3, false), tablet(4, true)]
                titles=Vec::new()
                confirming=confirming
                on_withdraw=move |t| withdrawn.set(Some(t))
            />
        }
    });
    settle().await;
    // Only the tablet in use offers "Withdraw"; the other says when it was withdrawn.
    assert_eq!(all(&root, ".tablet-withdraw").len(), 1);
    assert!(
        text(&root).contains("Withdrawn 3 December 2025"),
        "{}",
        text(&root)
    );
    click(&root, ".tablet-withdraw");
    settle().await;
    assert_eq!(
        withdrawn.get_untracked(),
        None,
        "nothing withdrawn before confirming"
    );
    let warning = text(&one(&root, ".tablet-confirm"));
    assert!(
        warning.contains("Answers it has taken but not sent stay on the tablet"),
        "{warning}"
    );
    click(&root, ".tablet-withdraw-confirm");
    settle().await;
    assert_eq!(withdrawn.get_untracked(), Some(id(703)));
}

#[wasm_bindgen_test]
async fn when_the_server_asks_for_the_code_the_form_asks_for_it_and_the_summary_links_there() {
    setup();
    let problem = sign_in_problem(&SignInError::CodeNeeded(
        "Enter the 6-digit code from your authenticator app".to_owned(),
    ));
    assert_eq!(
        problem.for_field("code").as_deref(),
        Some("Enter the 6-digit code from your authenticator app")
    );
    let ask = RwSignal::new(false);
    let code = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let (root, _keep) = mount(move || {
        view! {
            <SignInForm
                email=RwSignal::new("manager@example.org".to_owned())
                password=RwSignal::new("kept for the code".to_owned())
                code=code
                ask_code=ask
                errors=errors
                online=Signal::derive(|| true)
                busy=Signal::derive(|| false)
                on_submit=|_| {}
            />
        }
    });
    settle().await;
    assert!(all(&root, "#code").is_empty(), "not before the server asks");
    ask.set(true);
    errors.set(problem);
    settle().await;
    assert_eq!(
        attr(&root, "#code", "autocomplete").as_deref(),
        Some("one-time-code")
    );
    assert_eq!(
        attr(&root, "#code", "inputmode").as_deref(),
        Some("numeric")
    );
    assert_eq!(
        attr(&root, ".error-summary a", "href").as_deref(),
        Some("#code")
    );
}
