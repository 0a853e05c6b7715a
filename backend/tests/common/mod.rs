//! Starts the real server in-process on 127.0.0.1:0 and talks to it over real HTTP. Its
//! database is a real SQLite file in a temporary folder, or, when `ATLAS_TEST_DATABASE_URL` is
//! set, the database that URL names (see [`TEST_DATABASE_URL`]), so PostgreSQL runs the same
//! tests unchanged. A test that checks what was stored reads it through [`TestServer::inspect`]
//! (`sqlx::AnyPool`, SQL with `$1` marks, which both databases read), whichever database it
//! is. Fixtures are named after the seed papers.
#![allow(dead_code)]

pub mod child;
pub mod cluster;
pub mod proxy;
pub mod redditch;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use atlas_backend::accounts::create_user;
use atlas_backend::{Config, Server};
use atlas_shared::accounts::{Grants, Role, SignIn};
use atlas_shared::{
    Body, BodyKind, DeviceId, Entity, EntityKind, ErrorBody, LineKind, Membership, MembershipRole,
    Mutation, MutationId, Op, Organisation, PROTOCOL_VERSION, Partnership, PartnershipId,
    PullResponse, PushRequest, PushResponse, ReportingLine, Sector, Seq, uuid_v7,
};
use serde_json::{Map, Value};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

/// The variable naming the database the test servers run on instead of a temporary SQLite
/// file. Every test expects a database of its own, so the URL must hold `{db}`, which each test
/// server replaces with a fresh name (`postgres://atlas@localhost/atlas_test_{db}`, say: the
/// backend creates a database that does not exist yet, as SQLite creates its file).
pub const TEST_DATABASE_URL: &str = "ATLAS_TEST_DATABASE_URL";

/// The administrator every test server has, and the password of every test account.
pub const ADMIN_EMAIL: &str = "admin@test.example";
pub const PASSWORD: &str = "correct horse battery staple";

/// Where a test server's data lives: kept across [`TestServer::stop`] so a server can start
/// again on the same database. A PostgreSQL database is dropped with it.
pub struct Storage {
    /// The database URL the server was given.
    pub database_url: String,
    // Kept last so the folder outlives the server.
    pub dir: tempfile::TempDir,
}

impl Storage {
    /// A new, empty database: a SQLite file in a new temporary folder, or a fresh database of
    /// the server named by [`TEST_DATABASE_URL`].
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let database_url = match std::env::var(TEST_DATABASE_URL) {
            Ok(template) => {
                assert!(
                    template.contains("{db}"),
                    "{TEST_DATABASE_URL}={template:?} must contain {{db}}: every test needs a \
                     database of its own, and each test server puts a fresh name there"
                );
                // The process id too: test binaries (and two runs) share the server.
                template.replace(
                    "{db}",
                    &format!("t{}_{}", std::process::id(), new_id().simple()),
                )
            }
            Err(_) => format!(
                "sqlite://{}",
                dir.path().join("data").join("atlas.db").display()
            ),
        };
        Self { database_url, dir }
    }

    /// A connection pool to the server's database, whichever it is, to check or (for a test
    /// that plays an older server) change what is stored directly. Write its SQL with `$1`
    /// marks: SQLite reads them too. Fails loudly when the database cannot be reached.
    pub async fn connect(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(&self.database_url)
            .await
            .unwrap_or_else(|e| panic!("cannot open the test database {}: {e}", self.redacted()))
    }

    /// The URL without a password, for messages.
    fn redacted(&self) -> String {
        match url::Url::parse(&self.database_url) {
            Ok(mut url) if url.password().is_some() => {
                let _ = url.set_password(Some("***"));
                url.to_string()
            }
            _ => self.database_url.clone(),
        }
    }

    fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres://")
            || self.database_url.starts_with("postgresql://")
    }

    /// The name `/api/health` gives the database the server runs on.
    pub fn backend(&self) -> &'static str {
        if self.is_postgres() {
            "postgresql"
        } else {
            "sqlite"
        }
    }
}

impl Default for Storage {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Storage {
    /// Drops the test's PostgreSQL database (its folder, for SQLite, goes with `dir`). On a
    /// thread of its own with a runtime of its own: `Drop` cannot wait on the test's runtime.
    /// Connections a server left open are ended (`WITH (FORCE)`). A failure is reported, not
    /// raised: the test has already passed or failed on its own account, and the cluster is
    /// thrown away after the run.
    fn drop(&mut self) {
        if !self.is_postgres() {
            return;
        }
        let Ok(mut url) = url::Url::parse(&self.database_url) else {
            return;
        };
        let name = url.path().trim_start_matches('/').to_owned();
        if name.is_empty() || name.contains('"') {
            return;
        }
        url.set_path("/postgres");
        let maintenance = url.to_string();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            runtime.block_on(async {
                use sqlx::Connection as _;
                let mut connection = sqlx::PgConnection::connect(&maintenance)
                    .await
                    .map_err(|e| e.to_string())?;
                let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut connection)
                    .await
                    .map_err(|e| e.to_string())?;
                connection.close().await.map_err(|e| e.to_string())
            })
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("could not drop the test database {}: {e}", self.redacted());
        }
    }
}

pub struct TestServer {
    pub base: String,
    /// Signed in as an administrator ([`ADMIN_EMAIL`]), so a test that is not about who may
    /// do what can change anything.
    pub client: reqwest::Client,
    /// Signed in as nobody: the public.
    pub anonymous: reqwest::Client,
    admin_scope: std::sync::Mutex<Option<String>>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
    // Kept last so the database outlives the server.
    pub storage: Storage,
}

pub struct Options {
    pub demo: bool,
    pub dist: Option<PathBuf>,
}

impl TestServer {
    /// A server on an empty database (no demo data), with no frontend built.
    pub async fn start() -> Self {
        Self::start_with(Options {
            demo: false,
            dist: None,
        })
        .await
    }

    /// A server with the demo data (and the demo accounts), with no frontend built.
    pub async fn demo() -> Self {
        Self::start_with(Options {
            demo: true,
            dist: None,
        })
        .await
    }

    pub async fn start_with(options: Options) -> Self {
        Self::start_on(Storage::new(), options).await
    }

    /// Starts a server on `storage` (to restart on the same database).
    pub async fn start_on(storage: Storage, options: Options) -> Self {
        Self::start_configured(storage, options, |_| {}).await
    }

    /// Starts a server on `storage` with settings `configure` changes (short timeouts, say).
    pub async fn start_configured(
        storage: Storage,
        options: Options,
        configure: impl FnOnce(&mut Config),
    ) -> Self {
        let dist = options
            .dist
            .unwrap_or_else(|| storage.dir.path().join("no-dist-here"));
        let mut config = Config::new(
            "127.0.0.1:0".parse().expect("an address"),
            storage.database_url.clone(),
            dist,
        );
        config.demo_data = options.demo;
        configure(&mut config);
        let server = Server::start(&config).await.expect("the server starts");
        let base = format!("http://{}", server.local_addr());
        let db = server.database();
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run(async {
            let _ = rx.await;
        }));
        let anonymous = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("an HTTP client");
        ensure_admin(db.as_ref()).await;
        let mut server = Self {
            base,
            client: anonymous.clone(),
            anonymous,
            admin_scope: std::sync::Mutex::new(None),
            shutdown: Some(tx),
            task: Some(task),
            storage,
        };
        server.client = server.signed_in(ADMIN_EMAIL, PASSWORD).await;
        server
    }

    /// A new client signed in as `email` with `password` (expects the sign-in to succeed).
    pub async fn signed_in(&self, email: &str, password: &str) -> reqwest::Client {
        signed_in_at(&self.base, email, password).await
    }

    /// Signs `client` in, returning status and body text.
    pub async fn sign_in_with(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> (u16, String) {
        self.sign_in_with_code(client, email, password, None).await
    }

    /// Signs `client` in with a two-step `code`, returning status and body text.
    pub async fn sign_in_with_code(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
        code: Option<&str>,
    ) -> (u16, String) {
        sign_in_at(&self.base, client, email, password, code).await
    }

    /// A new account with `role` in `partnership` (an administrator when `role` is `None`),
    /// and a client signed in as it.
    pub async fn person(&self, role: Option<Role>, partnership: Uuid) -> (Uuid, reqwest::Client) {
        self.person_in(role, &[partnership]).await
    }

    /// As [`Self::person`], with `role` in each of `partnerships`.
    pub async fn person_in(
        &self,
        role: Option<Role>,
        partnerships: &[Uuid],
    ) -> (Uuid, reqwest::Client) {
        let n = new_id();
        let email = format!("person-{}@test.example", n.simple());
        let grants = Grants {
            admin: role.is_none(),
            roles: role
                .map(|r| {
                    partnerships
                        .iter()
                        .map(|p| (PartnershipId(*p), r))
                        .collect()
                })
                .unwrap_or_default(),
        };
        let db = atlas_backend::db::connect(&self.storage.database_url)
            .await
            .expect("the database opens");
        let id = create_user(db.as_ref(), &email, "Test Person", PASSWORD, grants)
            .await
            .expect("the account is created");
        db.close().await;
        (id, self.signed_in(&email, PASSWORD).await)
    }

    /// Pushes `mutations` as `client` from a new device, returning status and body text.
    pub async fn push_as(
        &self,
        client: &reqwest::Client,
        mutations: Vec<Mutation>,
    ) -> (u16, String) {
        let (status, _, text) = self.push_waiting_as(client, mutations).await;
        (status, text)
    }

    /// Pushes `mutations` as `client` from a new device, returning status, the
    /// `Retry-After` header in seconds (when given) and body text.
    pub async fn push_waiting_as(
        &self,
        client: &reqwest::Client,
        mutations: Vec<Mutation>,
    ) -> (u16, Option<u64>, String) {
        let response = client
            .post(self.url("/api/sync/push"))
            .json(&PushRequest {
                protocol: PROTOCOL_VERSION,
                device_id: device(),
                mutations,
            })
            .send()
            .await
            .expect("the push is sent");
        let status = response.status().as_u16();
        let retry_after = retry_after(&response);
        (
            status,
            retry_after,
            response.text().await.expect("a response body"),
        )
    }

    /// One pull page for `client` from `since`, sending `scope`.
    pub async fn pull_page(
        &self,
        client: &reqwest::Client,
        since: Seq,
        scope: Option<&str>,
    ) -> PullResponse {
        let mut url = format!("/api/sync/pull?since={}", since.0);
        if let Some(scope) = scope {
            url.push_str(&format!("&scope={scope}"));
        }
        let (status, text) = self.get_as(client, &url).await;
        assert_eq!(status, 200, "pull failed: {text}");
        serde_json::from_str(&text).expect("a PullResponse")
    }

    /// Pulls everything `client` may see from `since` (following pages), with `scope`.
    pub async fn pull_as(
        &self,
        client: &reqwest::Client,
        since: Seq,
        scope: Option<&str>,
    ) -> PullResponse {
        let mut page = self.pull_page(client, since, scope).await;
        if page.more && !page.reset {
            let next = Box::pin(self.pull_as(client, page.cursor, Some(&page.scope))).await;
            page.changes.extend(next.changes);
            page.cursor = next.cursor;
            page.more = next.more;
        }
        page
    }

    /// Stops the server (waiting for it to close the database) and gives back its storage.
    pub async fn stop(mut self) -> Storage {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await
                .expect("the server task does not panic")
                .expect("the server stops cleanly");
        }
        std::mem::take(&mut self.storage)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Pushes `mutations` from `device` and expects 200.
    pub async fn push_from(&self, device: DeviceId, mutations: Vec<Mutation>) -> PushResponse {
        let response = self
            .client
            .post(self.url("/api/sync/push"))
            .json(&PushRequest {
                protocol: PROTOCOL_VERSION,
                device_id: device,
                mutations,
            })
            .send()
            .await
            .expect("the push is sent");
        let status = response.status();
        let text = response.text().await.expect("a response body");
        assert_eq!(status, 200, "push failed: {text}");
        serde_json::from_str(&text).expect("a PushResponse")
    }

    pub async fn push(&self, mutations: Vec<Mutation>) -> PushResponse {
        self.push_from(device(), mutations).await
    }

    /// GETs `path` as the administrator, returning status and body text.
    pub async fn get(&self, path: &str) -> (u16, String) {
        self.get_as(&self.client, path).await
    }

    /// GETs `path` as `client`, returning status and body text.
    pub async fn get_as(&self, client: &reqwest::Client, path: &str) -> (u16, String) {
        let response = client
            .get(self.url(path))
            .send()
            .await
            .expect("the request is sent");
        let status = response.status().as_u16();
        (status, response.text().await.expect("a response body"))
    }

    /// POSTs to `path` with no body, returning status and body text.
    pub async fn post_empty(&self, path: &str) -> (u16, String) {
        let response = self
            .client
            .post(self.url(path))
            .send()
            .await
            .expect("the request is sent");
        let status = response.status().as_u16();
        (status, response.text().await.expect("a response body"))
    }

    /// Posts `body` as JSON to the push route, returning status and body text.
    pub async fn push_raw(&self, body: impl Into<reqwest::Body>) -> (u16, String) {
        let response = self
            .client
            .post(self.url("/api/sync/push"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("the push is sent");
        let status = response.status().as_u16();
        (status, response.text().await.expect("a response body"))
    }

    /// Pulls one page from `since` as the administrator, under the administrator's scope
    /// (learnt from the first answer: it never changes).
    pub async fn pull(&self, since: Seq) -> PullResponse {
        loop {
            let scope = self
                .admin_scope
                .lock()
                .map(|s| s.clone())
                .unwrap_or_default();
            let page = self.pull_page(&self.client, since, scope.as_deref()).await;
            if let Ok(mut known) = self.admin_scope.lock() {
                *known = Some(page.scope.clone());
            }
            if !(page.reset && scope.is_none()) {
                assert!(!page.reset, "the administrator's scope changed");
                return page;
            }
        }
    }

    /// Pulls every page from `since` until `more` is false.
    pub async fn pull_all(&self, since: Seq) -> PullResponse {
        let mut all = self.pull(since).await;
        while all.more {
            let next = self.pull(all.cursor).await;
            all.changes.extend(next.changes);
            all.cursor = next.cursor;
            all.more = next.more;
        }
        all
    }

    /// A connection to the server's database, to check what it stored (see
    /// [`Storage::connect`]: SQL with `$1` marks).
    pub async fn inspect(&self) -> sqlx::AnyPool {
        self.storage.connect().await
    }
}

/// The test administrator ([`ADMIN_EMAIL`], [`PASSWORD`]) in `db`, created if missing (the same
/// administrator across restarts on the same storage).
pub async fn ensure_admin(db: &dyn atlas_backend::db::Database) {
    if db
        .user_for_sign_in(ADMIN_EMAIL)
        .await
        .expect("the users table answers")
        .is_none()
    {
        let admin = Grants {
            admin: true,
            ..Grants::default()
        };
        create_user(db, ADMIN_EMAIL, "Test Administrator", PASSWORD, admin)
            .await
            .expect("the test administrator is created");
    }
}

/// A new client signed in as `email` with `password` at the server at `base` (expects the
/// sign-in to succeed).
pub async fn signed_in_at(base: &str, email: &str, password: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .no_proxy()
        .cookie_store(true)
        .build()
        .expect("an HTTP client");
    let (status, text) = sign_in_at(base, &client, email, password, None).await;
    assert_eq!(status, 200, "signing in as {email} failed: {text}");
    client
}

/// The seconds a response's `Retry-After` header says to wait, when it says.
pub fn retry_after<T: std::str::FromStr>(response: &reqwest::Response) -> Option<T> {
    response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

/// Every answer (response record) `client` pulls from the server at `base`, by id, with its
/// version.
pub async fn answers_at(client: &reqwest::Client, base: &str) -> Vec<(uuid::Uuid, Seq)> {
    let mut since = Seq(0);
    let mut scope: Option<String> = None;
    let mut answers = Vec::new();
    loop {
        let mut url = format!("{base}/api/sync/pull?since={}", since.0);
        if let Some(scope) = &scope {
            url.push_str(&format!("&scope={scope}"));
        }
        let response = client.get(url).send().await.expect("the pull is sent");
        assert_eq!(response.status(), 200, "the pull is answered");
        let page: PullResponse = response.json().await.expect("a PullResponse");
        assert!(!page.reset || scope.is_none(), "the reader's scope changed");
        answers.extend(
            page.changes
                .iter()
                .filter(|c| c.kind == EntityKind::Response && !c.deleted)
                .map(|c| (c.id, c.version)),
        );
        since = page.cursor;
        scope = Some(page.scope);
        if !page.more && !page.reset {
            return answers;
        }
    }
}

/// Signs `client` in at the server at `base`, returning status and body text.
pub async fn sign_in_at(
    base: &str,
    client: &reqwest::Client,
    email: &str,
    password: &str,
    code: Option<&str>,
) -> (u16, String) {
    let response = client
        .post(format!("{base}/api/session"))
        .json(&SignIn {
            email: email.to_owned(),
            password: password.to_owned(),
            code: code.map(str::to_owned),
        })
        .send()
        .await
        .expect("the sign-in is sent");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a response body"))
}

/// Pushes `mutations` expecting a 422, and returns the error body.
pub async fn push_refused(server: &TestServer, mutations: Vec<Mutation>) -> ErrorBody {
    let body = serde_json::to_string(&PushRequest {
        protocol: PROTOCOL_VERSION,
        device_id: device(),
        mutations,
    })
    .expect("a push body");
    let (status, text) = server.push_raw(body).await;
    assert_eq!(status, 422, "{text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not an ErrorBody ({e}): {text}"))
}

static COUNTER: AtomicU32 = AtomicU32::new(1);

/// A fresh UUID v7, distinct within the test process.
pub fn new_id() -> Uuid {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default();
    let mut random = [0u8; 10];
    random[1] = 0x7e;
    random[6..].copy_from_slice(&n.to_be_bytes());
    uuid_v7(ms, random)
}

pub fn device() -> DeviceId {
    DeviceId(new_id())
}

pub fn fields(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("expected an object, got {other}"),
    }
}

/// An upsert of `patch` to the record `(kind, id)` made against `base`.
pub fn upsert(
    kind: EntityKind,
    id: Uuid,
    base: Option<Seq>,
    patch: Map<String, Value>,
) -> Mutation {
    Mutation {
        id: MutationId(new_id()),
        kind,
        record_id: id,
        op: Op::Upsert {
            base_version: base,
            fields: patch,
        },
    }
}

pub fn delete(kind: EntityKind, id: Uuid, base: Option<Seq>) -> Mutation {
    Mutation {
        id: MutationId(new_id()),
        kind,
        record_id: id,
        op: Op::Delete { base_version: base },
    }
}

/// The creation of `entity` under a new id.
pub fn create(entity: Entity) -> (Uuid, Mutation) {
    let id = new_id();
    (id, upsert(entity.kind(), id, None, entity.to_fields()))
}

pub fn partnership(name: &str) -> (Uuid, Mutation) {
    create(Entity::Partnership(Partnership {
        name: name.into(),
        area: "Basingstoke and Deane".into(),
        description: String::new(),
        published: true,
        archived: false,
    }))
}

pub fn organisation(p: Uuid, name: &str) -> (Uuid, Mutation) {
    create(Entity::Organisation(Organisation {
        partnership_id: atlas_shared::PartnershipId(p),
        name: name.into(),
        sector: Sector::Public,
        named_partner: true,
        description: String::new(),
    }))
}

pub fn body(p: Uuid, name: &str, kind: BodyKind) -> (Uuid, Mutation) {
    create(Entity::Body(Body {
        partnership_id: atlas_shared::PartnershipId(p),
        name: name.into(),
        kind,
        terms_of_reference: String::new(),
    }))
}

pub fn membership(p: Uuid, body: Uuid, org: Option<Uuid>, person: &str) -> (Uuid, Mutation) {
    create(Entity::Membership(Membership {
        partnership_id: atlas_shared::PartnershipId(p),
        body_id: atlas_shared::BodyId(body),
        organisation_id: org.map(atlas_shared::OrganisationId),
        person: person.into(),
        role: MembershipRole::Member,
        independent: false,
        interim: false,
        represents: String::new(),
    }))
}

pub fn line(p: Uuid, from: Uuid, to: Uuid, kind: LineKind) -> (Uuid, Mutation) {
    create(Entity::ReportingLine(ReportingLine {
        partnership_id: atlas_shared::PartnershipId(p),
        from_body_id: atlas_shared::BodyId(from),
        to_body_id: atlas_shared::BodyId(to),
        kind,
        note: String::new(),
    }))
}

/// `n` new organisations of partnership `p`, named after writer `w`'s push `i` (for tests with
/// many writers): their ids, and the mutations that create them.
pub fn organisations_batch(p: Uuid, w: usize, i: usize, n: usize) -> (Vec<Uuid>, Vec<Mutation>) {
    (0..n)
        .map(|j| organisation(p, &format!("Partner {w}-{i}-{j}")))
        .unzip()
}

/// The id of the live partnership called `name` among `changes`.
pub fn partnership_named(changes: &[atlas_shared::Change], name: &str) -> Option<Uuid> {
    changes
        .iter()
        .find(|c| {
            !c.deleted
                && c.kind == EntityKind::Partnership
                && c.fields.as_ref().and_then(|f| f.get("name")) == Some(&Value::from(name))
        })
        .map(|c| c.id)
}

/// The question of what became of the changes in the push `body` (`POST /api/sync/outcomes`).
pub fn outcomes_of(body: &[u8]) -> atlas_shared::OutcomesRequest {
    let request: atlas_shared::PushRequest = serde_json::from_slice(body).expect("a push");
    atlas_shared::OutcomesRequest {
        protocol: atlas_shared::PROTOCOL_VERSION,
        device_id: request.device_id,
        mutation_ids: request.mutations.iter().map(|m| m.id).collect(),
    }
}

/// The version an outcome says the record is at, panicking on a rejection.
pub fn applied_version(outcome: &atlas_shared::Outcome) -> Seq {
    match outcome {
        atlas_shared::Outcome::Applied { version, .. } => *version,
        other => panic!("expected applied, got {other:?}"),
    }
}

/// The outcome of a push `client` made creating `entity` under a new id, as "applied",
/// "not allowed" or the status.
pub async fn pushed_as(
    server: &TestServer,
    client: &reqwest::Client,
    entity: &atlas_shared::Entity,
) -> String {
    let m = upsert(entity.kind(), new_id(), None, entity.to_fields());
    let (status, text) = server.push_as(client, vec![m]).await;
    if status != 200 {
        return format!("status {status}");
    }
    let reply: atlas_shared::PushResponse = serde_json::from_str(&text).expect("a push reply");
    match &reply.results[0].outcome {
        atlas_shared::Outcome::Applied { .. } => "applied".to_owned(),
        atlas_shared::Outcome::Rejected {
            reason: atlas_shared::Rejection::NotAllowed,
            ..
        } => "not allowed".to_owned(),
        other => format!("{other:?}"),
    }
}
