//! Managing people and two-step verification, over real HTTP: who may manage whom (an
//! administrator, a manager of the partnership, a manager of another, a councillor, the
//! public), a withdrawn role taking effect on the next request and resetting the next pull,
//! disabling, changing one's own password, and TOTP from setup to sign-in, with codes
//! computed here as an authenticator app computes them.

use crate::common::*;
use atlas_backend::accounts::now_ms;
use atlas_backend::totp::{code_at, step_at};
use atlas_shared::accounts::two_step::base32_decode;
use atlas_shared::accounts::{
    CODE_FIELD, NewPerson, People, Person, Role, SessionInfo, TwoStepSetup,
};
use atlas_shared::seeds::REDDITCH;
use atlas_shared::{EntityKind, ErrorBody, PartnershipId, Seq};
use serde_json::{Value, json};
use uuid::Uuid;

/// Sends `method path` with a JSON `body` as `client`: status and body text.
async fn send(
    server: &TestServer,
    client: &reqwest::Client,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, String) {
    let mut request = client.request(method, server.url(path));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("the request is sent");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a response body"))
}

async fn post(
    server: &TestServer,
    client: &reqwest::Client,
    path: &str,
    body: Value,
) -> (u16, String) {
    send(server, client, reqwest::Method::POST, path, Some(body)).await
}

fn error(text: &str) -> ErrorBody {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not an ErrorBody ({e}): {text}"))
}

fn fields_named(text: &str) -> Vec<String> {
    error(text).fields.into_iter().map(|f| f.field).collect()
}

async fn session(server: &TestServer, client: &reqwest::Client) -> SessionInfo {
    let (status, text) = server.get_as(client, "/api/session").await;
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).expect("a SessionInfo")
}

async fn people(server: &TestServer, client: &reqwest::Client, path: &str) -> (u16, Vec<Person>) {
    let (status, text) = server.get_as(client, path).await;
    let people = serde_json::from_str::<People>(&text)
        .map(|p| p.people)
        .unwrap_or_default();
    (status, people)
}

/// Two partnerships, Redditch and another, each with a manager, and a councillor of Redditch.
struct Cast {
    redditch: Uuid,
    other: Uuid,
    manager: reqwest::Client,
    manager_id: Uuid,
    other_manager: reqwest::Client,
    councillor: reqwest::Client,
    councillor_id: Uuid,
}

async fn cast(server: &TestServer) -> Cast {
    let (redditch, make) = partnership(REDDITCH);
    let (other, make_other) = partnership("Another Partnership");
    server.push(vec![make, make_other]).await;
    let (manager_id, manager) = server.person(Some(Role::Manager), redditch).await;
    let (_, other_manager) = server.person(Some(Role::Manager), other).await;
    let (councillor_id, councillor) = server.person(Some(Role::Councillor), redditch).await;
    Cast {
        redditch,
        other,
        manager,
        manager_id,
        other_manager,
        councillor,
        councillor_id,
    }
}

fn new_person(email: &str, partnership: Option<Uuid>, role: Option<Role>) -> Value {
    serde_json::to_value(NewPerson {
        name: "Sam Patel".into(),
        email: email.into(),
        password: PASSWORD.into(),
        partnership: partnership.map(PartnershipId),
        role,
        admin: false,
    })
    .expect("JSON")
}

#[tokio::test]
async fn each_caller_lists_only_the_people_they_manage() {
    let server = TestServer::start().await;
    let c = cast(&server).await;
    let redditch = format!("/api/users?partnership={}", c.redditch);

    let (status, all) = people(&server, &server.client, "/api/users").await;
    assert_eq!(status, 200);
    assert_eq!(all.len(), 4, "the administrator sees everyone: {all:?}");

    let (status, theirs) = people(&server, &c.manager, &redditch).await;
    assert_eq!(status, 200);
    let ids: Vec<Uuid> = theirs.iter().map(|p| p.id).collect();
    assert!(ids.contains(&c.manager_id) && ids.contains(&c.councillor_id));
    assert_eq!(ids.len(), 2, "not the other partnership's manager");
    let councillor = theirs
        .iter()
        .find(|p| p.id == c.councillor_id)
        .expect("listed");
    assert_eq!(
        councillor.roles.get(&PartnershipId(c.redditch)),
        Some(&Role::Councillor)
    );

    let (status, _) = people(&server, &c.other_manager, &redditch).await;
    assert_eq!(status, 403, "another partnership's manager");
    let (_, others) = people(&server, &c.other_manager, "/api/users").await;
    assert!(others.iter().all(|p| p.id != c.councillor_id));

    let (status, _) = people(&server, &c.councillor, "/api/users").await;
    assert_eq!(status, 403, "a councillor manages nobody");
    let (status, text) = server.get_as(&server.anonymous, "/api/users").await;
    assert_eq!(status, 401, "{text}");
}

#[tokio::test]
async fn a_manager_adds_people_to_their_own_partnership_only() {
    let server = TestServer::start().await;
    let c = cast(&server).await;
    let (status, text) = post(
        &server,
        &c.manager,
        "/api/users",
        new_person("sam@test.example", Some(c.redditch), Some(Role::Councillor)),
    )
    .await;
    assert_eq!(status, 201, "{text}");
    let added: Person = serde_json::from_str(&text).expect("a Person");
    assert_eq!(added.email, "sam@test.example");
    // They sign in with the first password they were given.
    server.signed_in("sam@test.example", PASSWORD).await;

    let (status, text) = post(
        &server,
        &c.manager,
        "/api/users",
        new_person(
            "SAM@test.example ",
            Some(c.redditch),
            Some(Role::Councillor),
        ),
    )
    .await;
    assert_eq!(status, 409, "{text}");
    assert_eq!(fields_named(&text), ["email"]);

    let elsewhere = new_person("kim@test.example", Some(c.other), Some(Role::Councillor));
    let (status, _) = post(&server, &c.manager, "/api/users", elsewhere.clone()).await;
    assert_eq!(status, 403, "not in another partnership");
    let (status, _) = post(&server, &c.councillor, "/api/users", elsewhere).await;
    assert_eq!(status, 403, "a councillor adds nobody");

    let mut admin = new_person("kim@test.example", Some(c.redditch), Some(Role::Manager));
    admin["admin"] = json!(true);
    let (status, _) = post(&server, &c.manager, "/api/users", admin.clone()).await;
    assert_eq!(status, 403, "a manager never makes an administrator");
    let (status, text) = post(&server, &server.client, "/api/users", admin).await;
    assert_eq!(status, 201, "an administrator may: {text}");

    // Every problem at once, each naming its field; nothing stored.
    let bad = json!({"name": " ", "email": "no-at-sign", "password": "short",
                     "partnership": c.redditch, "role": null});
    let (status, text) = post(&server, &c.manager, "/api/users", bad).await;
    assert_eq!(status, 422, "{text}");
    assert_eq!(fields_named(&text), ["name", "email", "password", "role"]);
}

#[tokio::test]
async fn a_manager_changes_and_removes_roles_only_in_their_partnership() {
    let server = TestServer::start().await;
    let c = cast(&server).await;
    let role_path = |p: Uuid| format!("/api/users/{}/roles/{p}", c.councillor_id);
    let put = |client: &reqwest::Client, path: String, role: Value| {
        let client = client.clone();
        let server = &server;
        async move {
            send(
                server,
                &client,
                reqwest::Method::PUT,
                &path,
                Some(json!({ "role": role })),
            )
            .await
        }
    };
    let (status, text) = put(&c.manager, role_path(c.redditch), json!("group_lead")).await;
    assert_eq!(status, 200, "{text}");
    let changed: Person = serde_json::from_str(&text).expect("a Person");
    assert_eq!(
        changed.roles.get(&PartnershipId(c.redditch)),
        Some(&Role::GroupLead)
    );
    let (status, _) = put(&c.manager, role_path(c.other), json!("councillor")).await;
    assert_eq!(status, 403, "not in a partnership they do not manage");
    let (status, _) = put(&c.other_manager, role_path(c.redditch), json!(null)).await;
    assert_eq!(status, 403, "another partnership's manager");
    let (status, _) = put(&c.other_manager, role_path(c.other), json!("manager")).await;
    assert_eq!(
        status, 404,
        "a person they do not manage is not theirs to find"
    );
    let (status, _) = put(&c.councillor, role_path(c.redditch), json!("manager")).await;
    assert_eq!(status, 403, "nobody raises their own role");

    let (status, text) = put(&c.manager, role_path(c.redditch), json!(null)).await;
    assert_eq!(status, 200, "{text}");
    let me = session(&server, &c.councillor)
        .await
        .user
        .expect("still signed in");
    assert!(
        me.grants.roles.is_empty(),
        "withdrawn on their next request"
    );
}

#[tokio::test]
async fn a_councillor_whose_role_is_removed_is_reset_and_no_longer_pulls_members_records() {
    let server = TestServer::demo().await;
    let all = server.pull_all(Seq(0)).await;
    let redditch = partnership_named(&all.changes, REDDITCH).expect("the demo has Redditch");
    let (manager_id, manager) = server.person(Some(Role::Manager), redditch).await;
    let (councillor_id, councillor) = server.person(Some(Role::Councillor), redditch).await;
    let events = |changes: &[atlas_shared::Change]| {
        changes
            .iter()
            .filter(|c| c.kind == EntityKind::ConsultationEvent && !c.deleted)
            .count()
    };
    let before = server.pull_as(&councillor, Seq(0), None).await;
    assert!(events(&before.changes) > 0, "members see the events");

    let (status, text) = send(
        &server,
        &manager,
        reqwest::Method::PUT,
        &format!("/api/users/{councillor_id}/roles/{redditch}"),
        Some(json!({"role": null})),
    )
    .await;
    assert_eq!(status, 200, "{text}");

    let next = server
        .pull_as(&councillor, before.cursor, Some(&before.scope))
        .await;
    assert!(next.reset, "their device starts again");
    assert_ne!(next.scope, before.scope);
    let again = server.pull_as(&councillor, Seq(0), Some(&next.scope)).await;
    assert!(!again.reset);
    assert_eq!(events(&again.changes), 0, "members-only records are gone");
    assert!(
        again.changes.iter().any(|c| c.kind == EntityKind::Body),
        "what the public reads stays"
    );
    // The manager's own copy is untouched.
    let theirs = server.pull_as(&manager, Seq(0), None).await;
    assert!(events(&theirs.changes) > 0, "{manager_id}");
}

#[tokio::test]
async fn disabling_ends_sessions_and_a_manager_disables_only_whom_they_wholly_manage() {
    let server = TestServer::start().await;
    let c = cast(&server).await;
    let disable = |id: Uuid| format!("/api/users/{id}/disable");
    let (status, _) = post(&server, &c.councillor, &disable(c.manager_id), json!({})).await;
    assert_eq!(status, 403, "a councillor disables nobody");

    let (status, text) = post(&server, &c.manager, &disable(c.councillor_id), json!({})).await;
    assert_eq!(status, 200, "{text}");
    assert!(
        serde_json::from_str::<Person>(&text)
            .expect("a Person")
            .disabled
    );
    assert!(
        session(&server, &c.councillor).await.user.is_none(),
        "their sessions ended"
    );
    let (status, text) = server
        .sign_in_with(
            &reqwest::Client::new(),
            &councillor_email(&server, &c).await,
            PASSWORD,
        )
        .await;
    assert_eq!(status, 403, "{text}");

    let (status, _) = post(
        &server,
        &c.manager,
        &format!("/api/users/{}/enable", c.councillor_id),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    server
        .signed_in(&councillor_email(&server, &c).await, PASSWORD)
        .await;

    // Someone with a role elsewhere too: only their role here is the manager's.
    let (both, _) = server
        .person_in(Some(Role::Councillor), &[c.redditch, c.other])
        .await;
    let (status, text) = post(&server, &c.manager, &disable(both), json!({})).await;
    assert_eq!(status, 403, "{text}");
    assert!(error(&text).error.contains("remove their role"), "{text}");
    // An administrator with a role here.
    let (admin, _) = server.person(None, c.redditch).await;
    let (status, _) = send(
        &server,
        &server.client,
        reqwest::Method::PUT,
        &format!("/api/users/{admin}/roles/{}", c.redditch),
        Some(json!({"role": "councillor"})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = post(&server, &c.manager, &disable(admin), json!({})).await;
    assert_eq!(status, 403, "a manager never disables an administrator");
    let (status, _) = post(&server, &c.manager, &disable(c.manager_id), json!({})).await;
    assert_eq!(status, 422, "nor themselves");
    let (status, _) = post(&server, &server.client, &disable(both), json!({})).await;
    assert_eq!(status, 200, "an administrator may");
}

async fn councillor_email(server: &TestServer, c: &Cast) -> String {
    let (_, all) = people(server, &server.client, "/api/users").await;
    all.into_iter()
        .find(|p| p.id == c.councillor_id)
        .map(|p| p.email)
        .expect("the councillor is listed")
}

#[tokio::test]
async fn changing_a_password_needs_the_current_one_and_ends_other_sessions() {
    let server = TestServer::start().await;
    let c = cast(&server).await;
    let email = councillor_email(&server, &c).await;
    let elsewhere = server.signed_in(&email, PASSWORD).await;
    let change = |current: &str, new: &str| json!({"current": current, "new": new});

    let (status, text) = post(
        &server,
        &c.councillor,
        "/api/session/password",
        change("not my password", "a brand new passphrase"),
    )
    .await;
    assert_eq!(status, 422, "{text}");
    assert_eq!(fields_named(&text), ["current"]);
    let (status, text) = post(
        &server,
        &c.councillor,
        "/api/session/password",
        change(PASSWORD, "short"),
    )
    .await;
    assert_eq!(status, 422, "{text}");
    assert_eq!(fields_named(&text), ["new"]);
    let (status, _) = post(
        &server,
        &server.anonymous,
        "/api/session/password",
        change(PASSWORD, "a brand new passphrase"),
    )
    .await;
    assert_eq!(status, 401);

    let (status, text) = post(
        &server,
        &c.councillor,
        "/api/session/password",
        change(PASSWORD, "a brand new passphrase"),
    )
    .await;
    assert_eq!(status, 204, "{text}");
    assert!(
        session(&server, &c.councillor).await.user.is_some(),
        "this one stays"
    );
    assert!(
        session(&server, &elsewhere).await.user.is_none(),
        "others end"
    );
    let (status, _) = server
        .sign_in_with(&reqwest::Client::new(), &email, PASSWORD)
        .await;
    assert_eq!(status, 401, "the old password is no more");
    server.signed_in(&email, "a brand new passphrase").await;
}

/// The code an authenticator app shows for `secret` (base32), `steps` steps from now.
fn code(secret: &str, steps: i64) -> String {
    let key = base32_decode(secret).expect("the server's key is base32");
    format!("{:06}", code_at(&key, step_at(now_ms()) + steps))
}

/// A Redditch manager's email and client, with two-step verification set up; its key.
async fn manager_with_two_step(server: &TestServer, c: &Cast) -> (String, String) {
    let (_, all) = people(server, &server.client, "/api/users").await;
    let email = all
        .into_iter()
        .find(|p| p.id == c.manager_id)
        .map(|p| p.email)
        .expect("listed");
    let (status, text) = post(server, &c.manager, "/api/session/totp", json!({})).await;
    assert_eq!(status, 200, "{text}");
    let setup: TwoStepSetup = serde_json::from_str(&text).expect("a TwoStepSetup");
    assert!(
        setup.uri.starts_with("otpauth://totp/Partnership%20Atlas"),
        "{}",
        setup.uri
    );
    assert!(setup.uri.contains(&format!("secret={}", setup.secret)));
    assert!(
        !session(server, &c.manager).await.user.expect("in").two_step,
        "not until confirmed"
    );
    let (status, text) = post(
        server,
        &c.manager,
        "/api/session/totp/confirm",
        json!({"code": "000000x"}),
    )
    .await;
    assert_eq!(
        (status, fields_named(&text)),
        (422, vec!["code".to_owned()])
    );
    let (status, text) = post(
        server,
        &c.manager,
        "/api/session/totp/confirm",
        json!({ "code": code(&setup.secret, 0) }),
    )
    .await;
    assert_eq!(status, 204, "{text}");
    assert!(session(server, &c.manager).await.user.expect("in").two_step);
    (email, setup.secret)
}

#[tokio::test]
async fn with_two_step_set_up_signing_in_needs_a_fresh_code() {
    let server = TestServer::start().await;
    let c = cast(&server).await;
    let (status, _) = post(&server, &c.councillor, "/api/session/totp", json!({})).await;
    assert_eq!(status, 403, "for administrators and managers");
    let (email, secret) = manager_with_two_step(&server, &c).await;
    let (status, _) = post(&server, &c.manager, "/api/session/totp", json!({})).await;
    assert_eq!(status, 409, "set up already: no second key over the first");

    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("a client");
    let (status, text) = server.sign_in_with(&browser, &email, PASSWORD).await;
    assert_eq!(status, 401, "the password alone is not enough");
    assert_eq!(fields_named(&text), [CODE_FIELD]);
    assert!(session(&server, &browser).await.user.is_none());
    let (status, text) = server
        .sign_in_with_code(&browser, &email, "wrong password!", Some(&code(&secret, 1)))
        .await;
    assert_eq!(status, 401);
    assert!(
        fields_named(&text).is_empty(),
        "a wrong password never asks for a code"
    );

    let used = code(&secret, 0);
    let (status, text) = server
        .sign_in_with_code(&browser, &email, PASSWORD, Some(&used))
        .await;
    assert_eq!(status, 401, "the confirming code was used already: {text}");
    assert_eq!(fields_named(&text), [CODE_FIELD]);
    let next = code(&secret, 1);
    let (status, text) = server
        .sign_in_with_code(&browser, &email, PASSWORD, Some(&next))
        .await;
    assert_eq!(status, 200, "{text}");
    assert!(session(&server, &browser).await.user.is_some());
    let (status, _) = server
        .sign_in_with_code(&reqwest::Client::new(), &email, PASSWORD, Some(&next))
        .await;
    assert_eq!(status, 401, "a code is accepted once");

    // A lost phone: only an administrator resets it, and then the password signs in again.
    let reset = format!("/api/users/{}/totp", c.manager_id);
    let (status, _) = send(&server, &c.manager, reqwest::Method::DELETE, &reset, None).await;
    assert_eq!(status, 403);
    let (status, text) = send(
        &server,
        &server.client,
        reqwest::Method::DELETE,
        &reset,
        None,
    )
    .await;
    assert_eq!(status, 200, "{text}");
    assert!(
        !serde_json::from_str::<Person>(&text)
            .expect("a Person")
            .two_step
    );
    server.signed_in(&email, PASSWORD).await;
}

#[tokio::test]
async fn wrong_codes_are_throttled_like_wrong_passwords() {
    let server = TestServer::start().await;
    let c = cast(&server).await;
    let (email, secret) = manager_with_two_step(&server, &c).await;
    let client = reqwest::Client::new();
    let right = code(&secret, 1);
    let wrong = if right == "123456" {
        "654321"
    } else {
        "123456"
    };
    for _ in 0..5 {
        let (status, _) = server
            .sign_in_with_code(&client, &email, PASSWORD, Some(wrong))
            .await;
        assert_eq!(status, 401);
    }
    let (status, text) = server
        .sign_in_with_code(&client, &email, PASSWORD, Some(&right))
        .await;
    assert_eq!(status, 429, "even the right code waits: {text}");
}
