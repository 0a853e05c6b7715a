//! Who may see and change what, over real HTTP: signing in and out, the throttle, every role
//! against every kind of record for create, update and delete through the push, and what each
//! reader's pull carries. The expected answers are written out by hand here, from the table in
//! the "Accounts" issue, not computed by the rules under test.

use std::collections::BTreeMap;

use crate::common::*;
use atlas_shared::accounts::audit::{Action, Actor, HistoryPage};
use atlas_shared::accounts::{Role, SessionInfo};
use atlas_shared::seeds::{DEMO_PASSWORD, DEMO_USERS, REDDITCH};
use atlas_shared::{
    Change, EntityKind, ErrorBody, MutationId, Outcome, PushResponse, Rejection, Seq,
};
use serde_json::{Value, json};
use uuid::Uuid;

/// Who is asking, in the matrix.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Public,
    Councillor,
    Staff,
    GroupLead,
    Manager,
    /// A manager of another partnership.
    OtherManager,
    Admin,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// Not refused for who is asking (applied, or refused for another reason, such as
    /// answers that protect a record).
    Allowed,
    /// A rejected outcome, `NotAllowed`, kept with its mutation id.
    Rejected,
    /// The whole push refused with 401 before anything is stored.
    SignIn,
}

/// The table of the issue, by hand: may `who` `op` a record of `kind`?
fn expected(who: Who, kind: EntityKind, op: &str) -> Expect {
    use Expect::*;
    let partnership_itself = kind == EntityKind::Partnership;
    let answer_create = kind == EntityKind::Response && op == "create";
    match who {
        // Published results are the server's own: nobody may write them, whoever they are.
        Who::Public if kind == EntityKind::PublishedResults => SignIn,
        _ if kind == EntityKind::PublishedResults => Rejected,
        Who::Admin => Allowed,
        Who::Manager if partnership_itself && op != "update" => Rejected,
        Who::Manager => Allowed,
        Who::Staff if answer_create => Allowed,
        // Group leads write what groups report: their action plans and highlight reports (and
        // a bid until it is scored; the demo's are scored, so the managers': see funds.rs).
        Who::GroupLead
            if matches!(
                kind,
                EntityKind::ActionPlan | EntityKind::KeyAction | EntityKind::HighlightReport
            ) =>
        {
            Allowed
        }
        Who::Public if answer_create => Allowed,
        // Shaped as an online answer, it reaches the push, which refuses the change.
        Who::Public if kind == EntityKind::Response && op == "update" => Rejected,
        Who::Public => SignIn,
        Who::Councillor | Who::Staff | Who::GroupLead | Who::OtherManager => Rejected,
    }
}

fn live(changes: &[Change]) -> Vec<&Change> {
    changes.iter().filter(|c| !c.deleted).collect()
}

/// Redditch's id, every demo partnership's, and one live record of each kind (Redditch's
/// where it has one), as the administrator pulls them from the demo.
async fn one_of_each(server: &TestServer) -> (Uuid, Vec<Uuid>, BTreeMap<EntityKind, Change>) {
    let all = server.pull_all(Seq(0)).await;
    let redditch = partnership_named(&all.changes, REDDITCH).expect("the demo has Redditch");
    let partnerships: Vec<Uuid> = live(&all.changes)
        .into_iter()
        .filter(|c| c.kind == EntityKind::Partnership)
        .map(|c| c.id)
        .collect();
    let mut each = BTreeMap::new();
    for c in live(&all.changes) {
        let mine = c.id == redditch
            || c.fields.as_ref().and_then(|f| f.get("partnership_id"))
                == Some(&json!(redditch.to_string()));
        if mine {
            each.insert(c.kind, c.clone());
        } else {
            each.entry(c.kind).or_insert_with(|| c.clone());
        }
    }
    assert_eq!(
        each.len(),
        EntityKind::ALL.len(),
        "the demo has a record of every kind: {:?}",
        each.keys().collect::<Vec<_>>()
    );
    (redditch, partnerships, each)
}

/// A client for `who` on `server`, with its role in each demo partnership.
async fn client_for(server: &TestServer, who: Who, demo: &[Uuid]) -> reqwest::Client {
    let role = match who {
        Who::Public => return server.anonymous.clone(),
        Who::Admin => return server.client.clone(),
        Who::Councillor => Role::Councillor,
        Who::Staff => Role::ConsultationStaff,
        Who::GroupLead => Role::GroupLead,
        Who::Manager => Role::Manager,
        Who::OtherManager => {
            let (p, make) = partnership("Another Partnership");
            server.push(vec![make]).await;
            return server.person(Some(Role::Manager), p).await.1;
        }
    };
    server.person_in(Some(role), demo).await.1
}

/// The mutation `op` on a record like `sample`.
fn mutation(op: &str, sample: &Change, online: bool) -> atlas_shared::Mutation {
    let mut fields = sample.fields.clone().unwrap_or_default();
    if online {
        fields.insert("channel".into(), json!("online"));
        fields.insert("event_id".into(), Value::Null);
    }
    if op == "update" && sample.kind == EntityKind::Response {
        // A moderator's change: hiding (or showing) it.
        let hidden = fields.get("hidden") == Some(&json!(true));
        fields.insert("hidden".into(), json!(!hidden));
    } else if !online && sample.kind == EntityKind::Response {
        // Keyed in from a paper form: staff work, not the public link's.
        fields.insert("channel".into(), json!("paper"));
    }
    match op {
        "create" => upsert(sample.kind, new_id(), None, fields),
        "update" => upsert(sample.kind, sample.id, Some(sample.version), fields),
        _ => delete(sample.kind, sample.id, Some(sample.version)),
    }
}

async fn check_matrix(who: Who) {
    let server = TestServer::demo().await;
    let (_, demo, each) = one_of_each(&server).await;
    let client = client_for(&server, who, &demo).await;
    let mut wrong = Vec::new();
    // Deletes last: an allowed delete cascades.
    for op in ["create", "update", "delete"] {
        for (kind, sample) in &each {
            let online = who == Who::Public && *kind == EntityKind::Response;
            let m = mutation(op, sample, online);
            let (status, text) = server.push_as(&client, vec![m.clone()]).await;
            let got = match status {
                401 => Expect::SignIn,
                200 => {
                    let reply: PushResponse = serde_json::from_str(&text).expect("a push reply");
                    match &reply.results[0].outcome {
                        Outcome::Rejected {
                            reason: Rejection::NotAllowed,
                            message,
                        } => {
                            assert!(!message.is_empty());
                            Expect::Rejected
                        }
                        _ => Expect::Allowed,
                    }
                }
                // Refused for its content (say, a copied questionnaire version): the rules of
                // who may act ran first and let it through.
                422 => Expect::Allowed,
                other => panic!("{who:?} {op} {kind:?}: {other} {text}"),
            };
            let want = expected(who, *kind, op);
            if got != want {
                wrong.push(format!("{op} {kind:?}: expected {want:?}, got {got:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{who:?}:\n{}", wrong.join("\n"));
}

#[tokio::test]
async fn the_public_may_only_answer_through_the_public_link() {
    check_matrix(Who::Public).await;
}

#[tokio::test]
async fn a_councillor_may_change_nothing() {
    check_matrix(Who::Councillor).await;
}

#[tokio::test]
async fn a_group_lead_may_change_nothing_yet() {
    check_matrix(Who::GroupLead).await;
}

#[tokio::test]
async fn consultation_staff_may_only_add_answers() {
    check_matrix(Who::Staff).await;
}

#[tokio::test]
async fn a_manager_may_change_everything_of_their_partnership_but_add_or_delete_it() {
    check_matrix(Who::Manager).await;
}

#[tokio::test]
async fn a_manager_of_another_partnership_may_change_nothing_here() {
    check_matrix(Who::OtherManager).await;
}

#[tokio::test]
async fn an_administrator_may_change_everything() {
    check_matrix(Who::Admin).await;
}

#[tokio::test]
async fn a_refused_change_is_kept_with_its_mutation_id_and_a_retry_gets_the_same_answer() {
    let server = TestServer::demo().await;
    let (redditch, _, each) = one_of_each(&server).await;
    let (_, councillor) = server.person(Some(Role::Councillor), redditch).await;
    let m = mutation("update", &each[&EntityKind::Body], false);
    let (_, first) = server.push_as(&councillor, vec![m.clone()]).await;
    let (_, again) = server.push_as(&councillor, vec![m.clone()]).await;
    assert_eq!(first, again);
    let history: (String, Option<String>) =
        sqlx::query_as("SELECT action, actor FROM record_history WHERE mutation_id = $1")
            .bind(m.id.0.to_string())
            .fetch_one(&server.inspect().await)
            .await
            .expect("the refusal is in the history");
    assert_eq!(history.0, "rejected");
    assert!(history.1.is_some_and(|a| a.starts_with("user:")));
}

#[tokio::test]
async fn every_change_records_who_made_it() {
    let server = TestServer::start().await;
    let (_, make) = partnership(REDDITCH);
    let id: MutationId = make.id;
    server.push(vec![make]).await;
    let (actor, address): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT actor, address FROM record_history WHERE mutation_id = $1")
            .bind(id.0.to_string())
            .fetch_one(&server.inspect().await)
            .await
            .expect("a history row");
    let info: SessionInfo = server
        .client
        .get(server.url("/api/session"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("a session");
    let me = info.user.expect("signed in").id;
    assert_eq!(actor.as_deref(), Some(format!("user:{me}").as_str()));
    assert_eq!(address.as_deref(), Some("127.0.0.1"));
}

/// Every record `pulled` of `kind`.
fn of_kind(pulled: &[Change], kind: EntityKind) -> usize {
    live(pulled).iter().filter(|c| c.kind == kind).count()
}

#[tokio::test]
async fn each_reader_pulls_only_what_they_may_see() {
    let server = TestServer::demo().await;
    let (redditch, _, _) = one_of_each(&server).await;
    let everything = server.pull_all(Seq(0)).await;
    assert!(of_kind(&everything.changes, EntityKind::Response) >= 300);

    let public = server.pull_as(&server.anonymous, Seq(0), None).await;
    assert_eq!(
        of_kind(&public.changes, EntityKind::Response),
        0,
        "no raw answer"
    );
    assert_eq!(of_kind(&public.changes, EntityKind::ConsultationEvent), 0);
    assert!(of_kind(&public.changes, EntityKind::Body) > 0);
    // Scrutiny is public: seed 004's review, its fifteen recommendations and their logs.
    assert_eq!(of_kind(&public.changes, EntityKind::Review), 1);
    assert_eq!(of_kind(&public.changes, EntityKind::Recommendation), 15);
    assert_eq!(
        of_kind(&public.changes, EntityKind::RecommendationStep),
        of_kind(&everything.changes, EntityKind::RecommendationStep)
    );
    assert_eq!(of_kind(&public.changes, EntityKind::MonitoringSession), 1);
    assert_eq!(
        public.cursor, everything.cursor,
        "the cursor passes what is left out"
    );

    let (_, councillor) = server.person(Some(Role::Councillor), redditch).await;
    let theirs = server.pull_as(&councillor, Seq(0), None).await;
    assert_eq!(of_kind(&theirs.changes, EntityKind::Response), 0);
    assert!(of_kind(&theirs.changes, EntityKind::ConsultationEvent) > 0);

    let (_, staff) = server.person(Some(Role::ConsultationStaff), redditch).await;
    let tablet = server.pull_as(&staff, Seq(0), None).await;
    assert_eq!(
        of_kind(&tablet.changes, EntityKind::Response),
        0,
        "a tablet pulls no answers"
    );

    let (_, manager) = server.person(Some(Role::Manager), redditch).await;
    let managed = server.pull_as(&manager, Seq(0), None).await;
    let redditch_answers = live(&everything.changes)
        .iter()
        .filter(|c| {
            c.kind == EntityKind::Response
                && c.fields.as_ref().and_then(|f| f.get("partnership_id"))
                    == Some(&json!(redditch.to_string()))
        })
        .count();
    assert_eq!(
        of_kind(&managed.changes, EntityKind::Response),
        redditch_answers
    );
}

#[tokio::test]
async fn unpublishing_a_partnership_resets_the_public_and_its_records_leave_their_copy() {
    let server = TestServer::demo().await;
    let (redditch, _, each) = one_of_each(&server).await;
    let before = server.pull_as(&server.anonymous, Seq(0), None).await;
    let has_redditch = |pulled: &[Change]| {
        live(pulled).iter().any(|c| {
            c.id == redditch
                || c.fields.as_ref().and_then(|f| f.get("partnership_id"))
                    == Some(&json!(redditch.to_string()))
        })
    };
    assert!(has_redditch(&before.changes));

    let p = &each[&EntityKind::Partnership];
    let mut fields = p.fields.clone().unwrap_or_default();
    fields.insert("published".into(), json!(false));
    server
        .push(vec![upsert(
            EntityKind::Partnership,
            p.id,
            Some(p.version),
            fields,
        )])
        .await;

    // The device's next pull, from where it was: a reset, then a copy without Redditch.
    let next = server
        .pull_as(&server.anonymous, before.cursor, Some(&before.scope))
        .await;
    assert!(
        next.reset,
        "a change of what the public may see resets their copy"
    );
    assert!(next.changes.is_empty());
    assert_ne!(next.scope, before.scope);
    let again = server
        .pull_as(&server.anonymous, Seq(0), Some(&next.scope))
        .await;
    assert!(!again.reset);
    assert!(
        !has_redditch(&again.changes),
        "nothing of an unpublished partnership"
    );

    // Its members still read it.
    let (_, councillor) = server.person(Some(Role::Councillor), redditch).await;
    assert!(has_redditch(
        &server.pull_as(&councillor, Seq(0), None).await.changes
    ));
}

#[tokio::test]
async fn an_old_device_with_a_cursor_and_no_scope_is_reset() {
    let server = TestServer::start().await;
    let page = server.pull_as(&server.anonymous, Seq(3), None).await;
    assert!(page.reset);
    assert_eq!(page.cursor, Seq(0));
}

async fn session(server: &TestServer, client: &reqwest::Client) -> SessionInfo {
    client
        .get(server.url("/api/session"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("a session")
}

#[tokio::test]
async fn signing_in_and_out() {
    let server = TestServer::demo().await;
    let manager = DEMO_USERS
        .iter()
        .find(|u| u.role == Some(Role::Manager))
        .expect("a demo manager");
    // The email is matched however it is typed.
    let typed = format!("  {}  ", manager.email.to_uppercase());
    let client = server.signed_in(&typed, DEMO_PASSWORD).await;
    let me = session(&server, &client).await.user.expect("signed in");
    assert_eq!(me.email, manager.email);
    assert_eq!(
        me.grants.roles.len(),
        4,
        "manager of the four demo partnerships"
    );
    assert!(session(&server, &server.anonymous).await.user.is_none());

    let (status, _) = client
        .delete(server.url("/api/session"))
        .send()
        .await
        .map(|r| (r.status().as_u16(), ()))
        .expect("sent");
    assert_eq!(status, 204);
    assert!(session(&server, &client).await.user.is_none());
    // The browser's old cookie, if kept, is worth nothing now.
    let (_, make) = partnership("After sign-out");
    let (status, text) = server.push_as(&client, vec![make]).await;
    assert_eq!(status, 401, "{text}");
    let e: ErrorBody = serde_json::from_str(&text).expect("an ErrorBody");
    assert!(e.error.contains("sign in"), "{}", e.error);
}

#[tokio::test]
async fn a_wrong_password_or_unknown_email_says_the_same_and_nothing_more() {
    let server = TestServer::start().await;
    let client = reqwest::Client::new();
    let (a, wrong_password) = server
        .sign_in_with(&client, ADMIN_EMAIL, "not it at all")
        .await;
    let (b, unknown) = server
        .sign_in_with(&client, "nobody@test.example", "not it at all")
        .await;
    assert_eq!((a, b), (401, 401));
    assert_eq!(wrong_password, unknown);
}

#[tokio::test]
async fn sign_in_is_throttled_per_account_and_address_with_a_retry_after() {
    let server = TestServer::start().await;
    let client = reqwest::Client::new();
    for _ in 0..5 {
        let (status, _) = server
            .sign_in_with(&client, ADMIN_EMAIL, "guess guess guess")
            .await;
        assert_eq!(status, 401);
    }
    let response = client
        .post(server.url("/api/session"))
        .json(&json!({"email": ADMIN_EMAIL, "password": PASSWORD}))
        .send()
        .await
        .expect("sent");
    assert_eq!(
        response.status().as_u16(),
        429,
        "even the right password waits"
    );
    let wait = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    assert!(wait.is_some_and(|w| w > 0));
    let e: ErrorBody = response.json().await.expect("an ErrorBody");
    assert!(
        e.error.starts_with("Too many sign-in attempts"),
        "{}",
        e.error
    );
}

#[tokio::test]
async fn disabling_a_person_ends_their_sessions() {
    let server = TestServer::start().await;
    let (p, make) = partnership(REDDITCH);
    server.push(vec![make]).await;
    let (id, client) = server.person(Some(Role::Manager), p).await;
    assert!(session(&server, &client).await.user.is_some());
    let db = atlas_backend::db::connect(&server.storage.database_url)
        .await
        .expect("opens");
    db.set_disabled(id, true).await.expect("disabled");
    db.close().await;
    assert!(session(&server, &client).await.user.is_none());
}

#[tokio::test]
async fn the_refused_answers_are_for_managers_only() {
    let server = TestServer::start().await;
    let (status, _) = server.get_as(&server.anonymous, "/api/refused").await;
    assert_eq!(status, 401);
    let (p, make) = partnership(REDDITCH);
    server.push(vec![make]).await;
    let (_, councillor) = server.person(Some(Role::Councillor), p).await;
    let (status, text) = server.get_as(&councillor, "/api/refused").await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        serde_json::from_str::<Value>(&text).expect("JSON")["answers"],
        json!([])
    );
}

/// `path` as `client`: status and the history page, when there is one.
async fn history_as(
    server: &TestServer,
    client: &reqwest::Client,
    path: &str,
) -> (u16, Option<HistoryPage>) {
    let (status, text) = server.get_as(client, path).await;
    (status, serde_json::from_str(&text).ok())
}

#[tokio::test]
async fn managers_see_who_changed_what_from_where_and_nobody_else_does() {
    let server = TestServer::demo().await;
    let (redditch, _, each) = one_of_each(&server).await;
    let body = &each[&EntityKind::Body];
    let (_, manager) = server.person(Some(Role::Manager), redditch).await;
    let (_, councillor) = server.person(Some(Role::Councillor), redditch).await;
    let other = client_for(&server, Who::OtherManager, &[]).await;

    let mut renamed = body.fields.clone().unwrap_or_default();
    renamed.insert("name".into(), json!("Redditch Partnership Board"));
    let edit = upsert(
        EntityKind::Body,
        body.id,
        Some(body.version),
        renamed.clone(),
    );
    let (status, _) = server.push_as(&manager, vec![edit]).await;
    assert_eq!(status, 200);
    renamed.insert("name".into(), json!("A councillor's name for it"));
    let refused = upsert(EntityKind::Body, body.id, Some(body.version), renamed);
    server.push_as(&councillor, vec![refused]).await;

    let list = format!("/api/history?partnership={redditch}");
    let (status, page) = history_as(&server, &manager, &list).await;
    assert_eq!(status, 200);
    let page = page.expect("a history page");
    let latest = &page.entries[0];
    assert_eq!(
        (latest.kind, latest.record_id, latest.action),
        (EntityKind::Body, body.id, Action::Rejected)
    );
    assert_eq!(latest.by.describe(), "Test Person");
    let edited = &page.entries[1];
    assert_eq!(edited.action, Action::Update);
    assert_eq!(edited.address.as_deref(), Some("127.0.0.1"));
    let names: Vec<&str> = edited.changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(names, ["name"]);
    assert_eq!(
        edited.changes[0].after, None,
        "a list names the fields only"
    );

    // Older pages follow on with no overlap, down to the demo's loading by the server.
    let older = page
        .older
        .expect("the demo made more than a page of changes");
    let (_, next) = history_as(&server, &manager, &format!("{list}&before={older}")).await;
    let next = next.expect("the next page");
    assert!(next.entries[0].id < page.entries[page.entries.len() - 1].id);
    assert_eq!(next.entries[0].by, Actor::Server);

    // A record's history carries the values.
    let one = format!("/api/history/body/{}", body.id);
    let (status, record) = history_as(&server, &manager, &one).await;
    assert_eq!(status, 200);
    let record = record.expect("the body's history");
    let update = &record.entries[1];
    let was = body.fields.as_ref().and_then(|f| f.get("name")).cloned();
    assert_eq!(update.changes[0].before, was);
    assert_eq!(
        update.changes[0].after,
        Some(json!("Redditch Partnership Board"))
    );
    assert_eq!(
        record.entries.last().map(|e| e.action),
        Some(Action::Create)
    );

    for (who, client, want) in [
        ("a councillor", &councillor, 403),
        ("another partnership's manager", &other, 403),
        ("nobody signed in", &server.anonymous, 401),
    ] {
        for path in [&list, &one] {
            let (status, _) = history_as(&server, client, path).await;
            assert_eq!(status, want, "{who}: {path}");
        }
    }
}
