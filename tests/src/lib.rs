//! The end-to-end harness: the real server (a child process on a free port, with its own
//! SQLite file), ChromeDriver, and headless Chromium sessions with helpers that wait for the
//! page instead of sleeping.
//!
//! The tests use what `cargo xtask test` built and installed; it passes the paths in these
//! environment variables (each has a default for a run by hand after a build):
//!
//! | variable | what | default |
//! | --- | --- | --- |
//! | `ATLAS_DIST` | the built frontend (trunk's output) | `<repo>/dist` |
//! | `ATLAS_BACKEND_BIN` | the server binary | the newer of `target/{debug,release}/atlas-backend` |
//! | `CHROMEDRIVER` | ChromeDriver | `/usr/bin/chromedriver` |
//! | `CHROMIUM` | Chromium | `/usr/bin/chromium` |
//! | `ATLAS_AXE_JS` | axe-core's `axe.min.js` | `target/tools/node_modules/axe-core/axe.min.js` |
//! | `ATLAS_SCREENSHOTS` | where screenshots go | `target/e2e-screenshots` |
//!
//! Anything missing is a failure with a message saying how to get it, never a skipped test.
//! Every child process is killed when its handle is dropped, also when a test panics; then the
//! tail of its log is printed.

use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value as Json, json};
use tempfile::TempDir;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The demo accounts' roles, for [`Harness::sign_in`].
pub use atlas_shared::accounts::Role;
/// Every body of Basingstoke and Deane's LSP after its 2008 review (seed 003).
pub use atlas_shared::seeds::BASINGSTOKE_BODIES;
use atlas_shared::seeds::{DEMO_PASSWORD, demo_user};

/// How long a wait lasts unless a test says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(100);

/// Where the built app and the tools are.
#[derive(Clone, Debug)]
pub struct Setup {
    pub dist: PathBuf,
    pub backend: PathBuf,
    pub chromedriver: PathBuf,
    pub chromium: PathBuf,
    pub axe_js: PathBuf,
    pub screenshots: PathBuf,
}

impl Setup {
    /// Reads the paths from the environment (see the crate docs) and checks every one exists.
    pub fn from_env() -> Self {
        let root = repo_root();
        let target = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => root.join(dir),
            _ => root.join("target"),
        };
        let setup = Self {
            dist: path_from_env("ATLAS_DIST", || root.join("dist")),
            backend: path_from_env("ATLAS_BACKEND_BIN", || newest_backend(&target)),
            chromedriver: path_from_env("CHROMEDRIVER", || "/usr/bin/chromedriver".into()),
            chromium: path_from_env("CHROMIUM", || "/usr/bin/chromium".into()),
            axe_js: path_from_env("ATLAS_AXE_JS", || {
                target.join("tools/node_modules/axe-core/axe.min.js")
            }),
            screenshots: path_from_env("ATLAS_SCREENSHOTS", || target.join("e2e-screenshots")),
        };
        let index = setup.dist.join("index.html");
        let checks = [
            (
                &index,
                "the built frontend (ATLAS_DIST)",
                "trunk build --release",
            ),
            (
                &setup.backend,
                "the server binary (ATLAS_BACKEND_BIN)",
                "cargo build -p atlas-backend",
            ),
            (
                &setup.chromedriver,
                "ChromeDriver (CHROMEDRIVER)",
                "apt-get install chromium-driver",
            ),
            (
                &setup.chromium,
                "Chromium (CHROMIUM)",
                "apt-get install chromium",
            ),
            (
                &setup.axe_js,
                "axe-core (ATLAS_AXE_JS)",
                "npm install axe-core",
            ),
        ];
        let missing: Vec<String> = checks
            .iter()
            .filter(|(path, _, _)| !path.is_file())
            .map(|(path, what, how)| format!("  - {what}: {} is missing ({how})", path.display()))
            .collect();
        assert!(
            missing.is_empty(),
            "the end-to-end tests cannot run: run them with `cargo xtask test`, which installs \
             and builds everything they need.\n{}",
            missing.join("\n")
        );
        fs::create_dir_all(&setup.screenshots)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", setup.screenshots.display()));
        setup
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the e2e crate is inside the repository")
        .to_path_buf()
}

fn path_from_env(var: &str, default: impl FnOnce() -> PathBuf) -> PathBuf {
    match std::env::var_os(var) {
        Some(value) if !value.is_empty() => PathBuf::from(value),
        _ => default(),
    }
}

/// `target/debug/atlas-backend` or `target/release/atlas-backend`, whichever was built last.
fn newest_backend(target: &Path) -> PathBuf {
    let candidates = ["debug", "release"].map(|profile| target.join(profile).join("atlas-backend"));
    candidates
        .iter()
        .filter_map(|p| Some((p.metadata().ok()?.modified().ok()?, p)))
        .max()
        .map(|(_, p)| p.clone())
        .unwrap_or_else(|| candidates[0].clone())
}

/// A free TCP port on 127.0.0.1 (free when asked; nothing holds it after).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

/// The last `lines` lines of a log file, for a failure message.
fn tail(path: &Path, lines: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

fn log_file(path: &Path) -> (File, File) {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    let err = file.try_clone().expect("a second handle on the log file");
    (file, err)
}

// ---------------------------------------------------------------------------------------------
// The server

/// The real server on 127.0.0.1, with a database of its own in a temporary folder.
pub struct Server {
    binary: PathBuf,
    dist: PathBuf,
    port: u16,
    dir: TempDir,
    child: Option<Child>,
    /// The demo administrator's session cookie, once asked for: what [`Server::push`] and
    /// [`Server::pull_all`] send, so they see and change what the server holds.
    admin: tokio::sync::OnceCell<String>,
}

impl Server {
    /// Starts the server on a free port with a new database and the demo data
    /// (`--demo-data`), and waits until `/api/health` answers 200.
    pub async fn start(setup: &Setup) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("atlas-e2e-server-")
            .tempdir()
            .expect("a temporary folder for the database");
        let mut server = Self {
            binary: setup.backend.clone(),
            dist: setup.dist.clone(),
            port: free_port(),
            dir,
            child: None,
            admin: tokio::sync::OnceCell::new(),
        };
        server.spawn().await;
        server
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:<port><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn database_url(&self) -> String {
        format!("sqlite://{}", self.dir.path().join("atlas.db").display())
    }

    pub fn log_path(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    /// The end of the server's log (both runs, if it was restarted).
    pub fn log_tail(&self) -> String {
        tail(&self.log_path(), 40)
    }

    async fn spawn(&mut self) {
        assert!(self.child.is_none(), "the server is already running");
        let (out, err) = log_file(&self.log_path());
        let child = Command::new(&self.binary)
            .arg("--addr")
            .arg(format!("127.0.0.1:{}", self.port))
            .arg("--database-url")
            .arg(self.database_url())
            .arg("--dist")
            .arg(&self.dist)
            .arg("--demo-data")
            .env_remove("ATLAS_ADDR")
            .env_remove("DATABASE_URL")
            .env_remove("ATLAS_DIST")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.binary.display()));
        self.child = Some(child);
        self.wait_healthy().await;
    }

    async fn wait_healthy(&mut self) {
        let started = Instant::now();
        let timeout = Duration::from_secs(30);
        loop {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                panic!(
                    "the server exited ({status}) while starting; its log:\n{}",
                    self.log_tail()
                );
            }
            if let Ok(response) = http_get(self.port, "/api/health").await
                && response.status == 200
            {
                return;
            }
            assert!(
                started.elapsed() < timeout,
                "the server did not answer 200 on /api/health within {timeout:?}; its log:\n{}",
                self.log_tail()
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Kills the server (as if the machine went away) and waits until its port refuses
    /// connections.
    pub async fn stop(&mut self) {
        let mut child = self.child.take().expect("the server is running");
        let _ = child.kill();
        let _ = child.wait();
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).await.is_ok() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "port {} still accepts connections after the server was killed",
                self.port
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Starts the server again on the same port with the same database.
    pub async fn restart(&mut self) {
        self.spawn().await;
    }

    /// `GET <path>` on this server; panics unless it answers 200.
    pub async fn get(&self, path: &str) -> String {
        let response = http_get(self.port, path)
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}\nserver log:\n{}", self.log_tail()));
        assert_eq!(
            response.status, 200,
            "GET {path} answered {}: {}",
            response.status, response.body
        );
        response.body
    }

    /// Signs in as the demo account of `role` (`None`: the administrator) over HTTP and
    /// returns its session cookie (`name=value`); panics unless the server answers 200.
    pub async fn session_cookie(&self, role: Option<Role>) -> String {
        let user = demo_user(role);
        let body = json!({ "email": user.email, "password": DEMO_PASSWORD }).to_string();
        let origin = self.url("");
        let response = http_request(
            self.port,
            "POST",
            "/api/session",
            Some(&body),
            &[("Origin", origin.as_str())],
        )
        .await
        .unwrap_or_else(|e| panic!("sign in as {}: {e}", user.email));
        assert_eq!(
            response.status, 200,
            "signing in as {} answered {}: {}",
            user.email, response.status, response.body
        );
        let cookie = response
            .header("set-cookie")
            .and_then(|c| c.split(';').next())
            .map(str::to_owned);
        cookie.unwrap_or_else(|| {
            panic!(
                "signing in as {} set no cookie; headers:\n{}",
                user.email, response.head
            )
        })
    }

    /// The demo administrator's session cookie (signed in once per server).
    async fn admin_cookie(&self) -> &str {
        self.admin
            .get_or_init(|| self.session_cookie(None))
            .await
            .as_str()
    }

    /// `GET <path>` as the demo administrator, who sees everything the server holds.
    pub async fn get_as_admin(&self, path: &str) -> String {
        let cookie = self.admin_cookie().await.to_owned();
        let response = http_request(self.port, "GET", path, None, &[("Cookie", &cookie)])
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}\nserver log:\n{}", self.log_tail()));
        assert_eq!(
            response.status, 200,
            "GET {path} (as the administrator) answered {}: {}",
            response.status, response.body
        );
        response.body
    }

    /// `POST /api/sync/push` of `mutations` from `device` (what another device's app sends,
    /// signed in as the demo administrator); panics unless the server answers 200, and
    /// returns its answer.
    pub async fn push(&self, device: &str, mutations: Json) -> Json {
        let body =
            serde_json::json!({ "protocol": 1, "device_id": device, "mutations": mutations })
                .to_string();
        let cookie = self.admin_cookie().await.to_owned();
        let origin = self.url("");
        let response = http_request(
            self.port,
            "POST",
            "/api/sync/push",
            Some(&body),
            &[("Cookie", &cookie), ("Origin", &origin)],
        )
        .await
        .unwrap_or_else(|e| panic!("push: {e}\nserver log:\n{}", self.log_tail()));
        assert_eq!(
            response.status, 200,
            "push answered {}: {}",
            response.status, response.body
        );
        serde_json::from_str(&response.body)
            .unwrap_or_else(|e| panic!("the push answer is not JSON ({e}): {}", response.body))
    }

    /// `GET <path>` as JSON.
    pub async fn get_json(&self, path: &str) -> Json {
        let body = self.get(path).await;
        serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("GET {path} is not JSON ({e}): {body}"))
    }

    /// Every change the server holds, as the demo administrator pulls them, following the
    /// pull cursor across pages: `GET /api/sync/pull?since=0`, then `?since=<cursor>&scope=…`
    /// while `more` is true.
    pub async fn pull_all(&self) -> Vec<Json> {
        self.pull_all_as(true).await
    }

    /// Every change an anonymous reader pulls (what the public may see).
    pub async fn pull_all_anonymous(&self) -> Vec<Json> {
        self.pull_all_as(false).await
    }

    async fn pull_all_as(&self, admin: bool) -> Vec<Json> {
        let mut changes = Vec::new();
        let mut since = 0;
        let mut scope = String::new();
        for _ in 0..1000 {
            let mut path = format!("/api/sync/pull?since={since}");
            if !scope.is_empty() {
                let _ = write!(path, "&scope={}", percent_encode(&scope));
            }
            let body = if admin {
                self.get_as_admin(&path).await
            } else {
                self.get(&path).await
            };
            let page: Json = serde_json::from_str(&body)
                .unwrap_or_else(|e| panic!("GET {path} is not JSON ({e}): {body}"));
            assert_ne!(
                page["reset"].as_bool(),
                Some(true),
                "a pull asked to start again: {page}"
            );
            if let Some(s) = page["scope"].as_str() {
                s.clone_into(&mut scope);
            }
            let batch = page["changes"]
                .as_array()
                .unwrap_or_else(|| panic!("a pull answer without `changes`: {page}"));
            changes.extend(batch.iter().cloned());
            if page["more"].as_bool() != Some(true) {
                return changes;
            }
            since = page["cursor"]
                .as_u64()
                .unwrap_or_else(|| panic!("a pull answer without a numeric `cursor`: {page}"));
        }
        panic!("the pull never ended (1000 pages)");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        if std::thread::panicking() {
            eprintln!("---- server log (end) ----\n{}\n----", self.log_tail());
        }
    }
}

/// A plain HTTP answer.
#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    /// The status line and headers, as sent.
    pub head: String,
    pub body: String,
}

impl HttpResponse {
    /// The first header called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.head, name)
    }
}

/// `text` safe inside a query string (everything but unreserved characters escaped).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `GET` on 127.0.0.1 without a client library: HTTP/1.1, no compression, one request per
/// connection. The body ends by `Content-Length`, by the last chunk, or when the peer closes.
pub async fn http_get(port: u16, path: &str) -> std::io::Result<HttpResponse> {
    http_request(port, "GET", path, None, &[]).await
}

/// `POST` of a JSON body on 127.0.0.1, as [`http_get`] reads its answer.
pub async fn http_post_json(port: u16, path: &str, body: &str) -> std::io::Result<HttpResponse> {
    http_request(port, "POST", path, Some(body), &[]).await
}

/// `method path` on 127.0.0.1 like [`http_get`], with a JSON `body` if one is given and
/// the extra `headers` (a cookie, an origin).
pub async fn http_request(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> std::io::Result<HttpResponse> {
    let io_err = |msg: String| std::io::Error::new(std::io::ErrorKind::InvalidData, msg);
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    let content = match body {
        Some(body) => format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
        None => "\r\n".to_owned(),
    };
    let extra: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: */*\r\n\
         Accept-Encoding: identity\r\nConnection: close\r\n{extra}{content}"
    );
    stream.write_all(request.as_bytes()).await?;
    let read = async {
        let mut raw = Vec::new();
        let mut chunk = [0u8; 16 * 1024];
        loop {
            let n = stream.read(&mut chunk).await?;
            raw.extend_from_slice(&chunk[..n]);
            if n == 0 || is_complete(&raw) {
                return Ok::<_, std::io::Error>(raw);
            }
        }
    };
    let raw = tokio::time::timeout(Duration::from_secs(30), read)
        .await
        .map_err(|_| io_err(format!("{method} {path}: no complete answer in 30 s")))??;
    let split =
        header_end(&raw).ok_or_else(|| io_err(format!("{method} {path}: no end of headers")))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io_err(format!("{method} {path}: bad status line in {head:?}")))?;
    if is_chunked(&head) {
        body =
            dechunk(&body).ok_or_else(|| io_err(format!("{method} {path}: bad chunked body")))?;
    } else if let Some(len) = content_length(&head) {
        body.truncate(len);
    }
    Ok(HttpResponse {
        status,
        head,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn header_end(raw: &[u8]) -> Option<usize> {
    raw.windows(4).position(|w| w == b"\r\n\r\n")
}

fn header_value<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

fn content_length(head: &str) -> Option<usize> {
    header_value(head, "content-length")?.parse().ok()
}

fn is_chunked(head: &str) -> bool {
    header_value(head, "transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
}

/// Whether `raw` holds a whole answer (so a peer that keeps the connection open is fine).
fn is_complete(raw: &[u8]) -> bool {
    let Some(split) = header_end(raw) else {
        return false;
    };
    let head = String::from_utf8_lossy(&raw[..split]);
    let body = &raw[split + 4..];
    if is_chunked(&head) {
        dechunk(body).is_some()
    } else if let Some(len) = content_length(&head) {
        body.len() >= len
    } else {
        false
    }
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

// ---------------------------------------------------------------------------------------------
// ChromeDriver and browsers

/// ChromeDriver on a free port. It runs in its own process group, and dropping this kills
/// the whole group: ChromeDriver and every Chromium it started.
pub struct Chromedriver {
    child: Option<Child>,
    port: u16,
    dir: TempDir,
    setup: Setup,
}

impl Chromedriver {
    pub async fn start(setup: &Setup) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("atlas-e2e-chromedriver-")
            .tempdir()
            .expect("a temporary folder for ChromeDriver");
        let port = free_port();
        let (out, err) = log_file(&dir.path().join("chromedriver.log"));
        let child = Command::new(&setup.chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", setup.chromedriver.display()));
        let driver = Self {
            child: Some(child),
            port,
            dir,
            setup: setup.clone(),
        };
        let started = Instant::now();
        loop {
            if let Ok(r) = http_get(port, "/status").await
                && r.status == 200
                && r.body.contains("\"ready\":true")
            {
                return driver;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "ChromeDriver did not become ready on port {port}; its log:\n{}",
                driver.log_tail()
            );
            tokio::time::sleep(POLL).await;
        }
    }

    fn log_tail(&self) -> String {
        tail(&self.dir.path().join("chromedriver.log"), 40)
    }

    /// A new headless Chromium session with a fresh, empty profile (its own IndexedDB, cache
    /// and service workers), as a separate device would have.
    pub async fn browser(&self, name: &str) -> Browser {
        let profile = tempfile::Builder::new()
            .prefix(&format!("atlas-e2e-profile-{name}-"))
            .tempdir()
            .expect("a temporary folder for the browser profile");
        self.session(name, profile).await
    }

    /// Quits `browser`'s Chromium and starts it again on the same profile, as closing the
    /// browser on a tablet (or the tablet restarting) and opening it again does.
    pub async fn restart(&self, browser: Browser) -> Browser {
        let Browser {
            client,
            name,
            _profile: profile,
            ..
        } = browser;
        client
            .close()
            .await
            .unwrap_or_else(|e| panic!("[{name}] cannot quit Chromium: {e}"));
        self.session(&name, profile).await
    }

    async fn session(&self, name: &str, profile: TempDir) -> Browser {
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--no-first-run".to_owned(),
            "--no-default-browser-check".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-quic".to_owned(),
            "--window-size=1280,1024".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut caps = Capabilities::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            json!({ "binary": self.setup.chromium, "args": args }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "cannot open a Chromium session: {e}\nChromeDriver log:\n{}",
                    self.log_tail()
                )
            });
        Browser {
            client,
            name: name.to_owned(),
            _profile: profile,
            screenshots: self.setup.screenshots.clone(),
            axe_js: self.setup.axe_js.clone(),
            driver_port: self.port,
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // The group's id is ChromeDriver's pid (process_group(0)).
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .stderr(Stdio::null())
                .status();
            let _ = child.kill();
            let _ = child.wait();
        }
        if std::thread::panicking() {
            eprintln!(
                "---- chromedriver log (end) ----\n{}\n----",
                self.log_tail()
            );
        }
    }
}

/// One browser session (one profile). Its waits poll the page and, when they time out, fail
/// with what the page showed.
pub struct Browser {
    pub client: Client,
    name: String,
    _profile: TempDir,
    screenshots: PathBuf,
    axe_js: PathBuf,
    /// ChromeDriver's port, for the commands fantoccini has no method for ([`Browser::cdp`]).
    driver_port: u16,
}

/// A JavaScript snippet's answer; `None` when the page is between documents.
type JsAnswer = Option<Json>;

impl Browser {
    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("[{}] cannot open {url}: {e}", self.name));
    }

    pub async fn reload(&self) {
        self.client
            .refresh()
            .await
            .unwrap_or_else(|e| panic!("[{}] cannot reload: {e}", self.name));
    }

    pub async fn current_url(&self) -> String {
        self.client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default()
    }

    /// Runs `script` (a function body; arguments in `arguments`) in the page.
    async fn js(&self, script: &str, args: Vec<Json>) -> JsAnswer {
        self.client.execute(script, args).await.ok()
    }

    /// What the page shows, whitespace squeezed (for failure messages and text checks).
    pub async fn page_text(&self) -> String {
        self.js(
            "return document.body ? document.body.innerText : '';",
            vec![],
        )
        .await
        .and_then(|v| v.as_str().map(squeeze))
        .unwrap_or_default()
    }

    /// A description of where the page is, for a failure message.
    pub async fn describe(&self) -> String {
        let url = self.current_url().await;
        let status = self.sync_status().await;
        let mut text = self.page_text().await;
        if text.len() > 3000 {
            let mut cut = 3000;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            text.push_str(" ...");
        }
        format!("url: {url}\nsync status: {status:?}\npage text: {text}")
    }

    /// Polls `script` until it answers something other than null/false/empty, and returns
    /// that; on timeout, fails naming `what` and showing the page.
    pub async fn wait_js(
        &self,
        what: &str,
        timeout: Duration,
        script: &str,
        args: Vec<Json>,
    ) -> Json {
        let started = Instant::now();
        loop {
            if let Some(answer) = self.js(script, args.clone()).await
                && !matches!(&answer, Json::Null | Json::Bool(false))
                && answer != json!("")
            {
                return answer;
            }
            if started.elapsed() >= timeout {
                let shot = self.screenshot(&format!("timeout-{}", slug(what))).await;
                panic!(
                    "[{}] timed out after {timeout:?} waiting for {what}\n{}\nscreenshot: {}",
                    self.name,
                    self.describe().await,
                    shot.display()
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits for an element matching `css`.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.wait_for_within(css, DEFAULT_TIMEOUT).await
    }

    pub async fn wait_for_within(&self, css: &str, timeout: Duration) -> Element {
        self.wait_js(
            &format!("an element matching `{css}`"),
            timeout,
            "return document.querySelector(arguments[0]) !== null;",
            vec![json!(css)],
        )
        .await;
        self.find(css).await
    }

    /// The first element matching `css` now.
    pub async fn find(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(el) => el,
            Err(e) => panic!(
                "[{}] no element `{css}` ({e})\n{}",
                self.name,
                self.describe().await
            ),
        }
    }

    /// Waits for an element matching `css` whose text (whitespace squeezed) is exactly `text`,
    /// and returns it.
    pub async fn wait_for_text(&self, css: &str, text: &str) -> Element {
        self.wait_for_text_within(css, text, DEFAULT_TIMEOUT).await
    }

    pub async fn wait_for_text_within(&self, css: &str, text: &str, timeout: Duration) -> Element {
        // Marks the element so WebDriver can find exactly that one.
        self.wait_js(
            &format!("`{css}` with the text {text:?}"),
            timeout,
            r#"
            const [css, text] = arguments;
            for (const old of document.querySelectorAll('[data-e2e-match]')) {
              old.removeAttribute('data-e2e-match');
            }
            for (const el of document.querySelectorAll(css)) {
              if (el.textContent.replace(/\s+/g, ' ').trim() === text) {
                el.setAttribute('data-e2e-match', '');
                return true;
              }
            }
            return false;
            "#,
            vec![json!(css), json!(text)],
        )
        .await;
        self.find("[data-e2e-match]").await
    }

    /// Waits until the page's text contains `text` (case and spacing as shown).
    pub async fn wait_for_page_text(&self, text: &str) {
        self.wait_js(
            &format!("the page to show {text:?}"),
            DEFAULT_TIMEOUT,
            "return document.body && document.body.innerText.replace(/\\s+/g, ' ').includes(arguments[0]);",
            vec![json!(text)],
        )
        .await;
    }

    /// The `h1`'s text once there is one whose text is `text`.
    pub async fn wait_for_heading(&self, text: &str) {
        self.wait_for_text("h1", text).await;
    }

    /// The absolute address of the link (`a` matching `css`) whose text is exactly `text`.
    pub async fn link_href(&self, css: &str, text: &str) -> String {
        let link = self.wait_for_text(css, text).await;
        link.prop("href")
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("[{}] the link {text:?} has no href", self.name))
    }

    /// The texts of every element matching `css`, whitespace squeezed.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let answer = self
            .js(
                "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent);",
                vec![json!(css)],
            )
            .await
            .unwrap_or(Json::Null);
        answer
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str().map(squeeze)).collect())
            .unwrap_or_default()
    }

    /// Waits for the app to have loaded its local copy: `html[data-atlas-ready="true"]`.
    pub async fn wait_ready(&self) {
        self.wait_js(
            "the app to load its local copy (html[data-atlas-ready=\"true\"])",
            DEFAULT_TIMEOUT,
            "return document.documentElement.dataset.atlasReady === 'true';",
            vec![],
        )
        .await;
    }

    /// `#sync-status`'s `data-state` and `data-pending`, if it is on the page.
    pub async fn sync_status(&self) -> Option<(String, String)> {
        let answer = self
            .js(
                "const s = document.getElementById('sync-status');
                 return s ? [s.dataset.state || '', s.dataset.pending || ''] : null;",
                vec![],
            )
            .await?;
        let pair = answer.as_array()?;
        Some((
            pair.first()?.as_str()?.to_owned(),
            pair.get(1)?.as_str()?.to_owned(),
        ))
    }

    /// Waits until the device's copy is the one `email` may see (`""`: the public's): a sync
    /// made for them has finished (`html[data-atlas-synced-as]`) and nothing is waiting.
    pub async fn wait_synced_as(&self, email: &str) {
        self.wait_js(
            &format!("a sync as {email:?} to finish with nothing waiting"),
            Duration::from_secs(60),
            "const [email] = arguments;
             const s = document.getElementById('sync-status');
             return document.documentElement.dataset.atlasSyncedAs === email
                 && !!s && s.dataset.state === 'synced' && s.dataset.pending === '0';",
            vec![json!(email)],
        )
        .await;
    }

    /// Waits until `#sync-status` is in one of `states` with `data-pending="<pending>"`.
    pub async fn wait_sync(&self, states: &[&str], pending: u32, timeout: Duration) {
        self.wait_js(
            &format!(
                "#sync-status to be {} with {pending} pending",
                states.join(" or ")
            ),
            timeout,
            "const [states, pending] = arguments;
             const s = document.getElementById('sync-status');
             return !!s && states.includes(s.dataset.state) && s.dataset.pending === pending;",
            vec![json!(states), json!(pending.to_string())],
        )
        .await;
    }

    /// Waits until a service worker controls the page, reloading once if it has not taken
    /// control after a while (a worker installed by this page load controls it only after
    /// it claims it).
    pub async fn wait_for_service_worker(&self) {
        let script = "return !!(navigator.serviceWorker && navigator.serviceWorker.controller);";
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if self.js(script, vec![]).await == Some(json!(true)) {
                return;
            }
            tokio::time::sleep(POLL).await;
        }
        self.reload().await;
        self.wait_ready().await;
        self.wait_js(
            "a service worker to control the page (navigator.serviceWorker.controller)",
            DEFAULT_TIMEOUT,
            script,
            vec![],
        )
        .await;
    }

    /// Follows the link whose text is `text` by clicking it.
    pub async fn click_link(&self, text: &str) {
        let link = self.wait_for_text("a", text).await;
        link.click()
            .await
            .unwrap_or_else(|e| panic!("[{}] cannot click the link {text:?}: {e}", self.name));
    }

    /// Replaces the value of the field `css` by typing, so the page sees real input events.
    pub async fn fill(&self, css: &str, value: &str) {
        let field = self.wait_for(css).await;
        field
            .clear()
            .await
            .unwrap_or_else(|e| panic!("[{}] cannot clear `{css}`: {e}", self.name));
        // Typing then deleting a character makes sure input events fire even for "".
        let keys = format!("x{}{value}", fantoccini::key::Key::Backspace);
        field
            .send_keys(&keys)
            .await
            .unwrap_or_else(|e| panic!("[{}] cannot type into `{css}`: {e}", self.name));
        let now = field.prop("value").await.ok().flatten().unwrap_or_default();
        assert_eq!(
            now, value,
            "[{}] `{css}` holds {now:?} after typing {value:?}",
            self.name
        );
    }

    /// Sets the field `css` to `value` as a date picker or select does (input and change
    /// fire): typing into a date input depends on the browser's locale.
    pub async fn set_value(&self, css: &str, value: &str) {
        self.wait_for(css).await;
        let now = self
            .eval_async(
                "const [css, value, done] = arguments;
                 const field = document.querySelector(css);
                 field.value = value;
                 field.dispatchEvent(new Event('input', { bubbles: true }));
                 field.dispatchEvent(new Event('change', { bubbles: true }));
                 done(field.value);",
                vec![json!(css), json!(value)],
            )
            .await;
        assert_eq!(
            now,
            json!(value),
            "[{}] `{css}` does not take {value:?}",
            self.name
        );
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) {
        let el = self.wait_for(css).await;
        el.click()
            .await
            .unwrap_or_else(|e| panic!("[{}] cannot click `{css}`: {e}", self.name));
    }

    /// Sends `keys` to the element that has focus (special keys as `fantoccini::key::Key`
    /// turned into text, e.g. `&Key::Down.to_string()`).
    pub async fn press(&self, keys: &str) {
        let el = self
            .client
            .active_element()
            .await
            .unwrap_or_else(|e| panic!("[{}] no focused element: {e}", self.name));
        el.send_keys(keys)
            .await
            .unwrap_or_else(|e| panic!("[{}] cannot type {keys:?}: {e}", self.name));
    }

    /// Moves the mouse to the top-left corner of the page, so nothing is left hovered by an
    /// earlier click (a tooltip, say) when the page under it changes.
    pub async fn move_mouse_away(&self) {
        use fantoccini::actions::{InputSource, MouseActions, PointerAction};
        let mouse = MouseActions::new("mouse".to_owned()).then(PointerAction::MoveTo {
            duration: None,
            x: 0.0,
            y: 0.0,
        });
        self.client
            .perform_actions(mouse)
            .await
            .unwrap_or_else(|e| panic!("[{}] cannot move the mouse: {e}", self.name));
    }

    /// From now on, every page this browser opens notes, once, when the map's first body is
    /// on screen, as `performance.now()` (milliseconds since its navigation began), by a
    /// script it runs before the app: no polling in between. Read with
    /// [`Browser::map_drawn_at`].
    pub async fn note_when_the_map_is_drawn(&self) {
        const OBSERVER: &str = "(() => {
            const drawn = () => {
                if (window.__atlasStructureAt === undefined
                    && document.querySelector('svg.map g.map-node') !== null) {
                    window.__atlasStructureAt = performance.now();
                }
            };
            new MutationObserver(drawn).observe(document, { subtree: true, childList: true });
        })();";
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": OBSERVER }),
        )
        .await;
    }

    /// Waits (up to `timeout`) for the map of the page opened to be drawn and answers when, in
    /// milliseconds after its navigation began (see [`Browser::note_when_the_map_is_drawn`]).
    pub async fn map_drawn_at(&self, what: &str, timeout: Duration) -> f64 {
        self.wait_js(
            what,
            timeout,
            "return typeof window.__atlasStructureAt === 'number';",
            vec![],
        )
        .await;
        self.eval("return window.__atlasStructureAt;")
            .await
            .as_f64()
            .unwrap_or_else(|| panic!("[{}] no time for the map drawn", self.name))
    }

    /// Runs `script` (a function body) in the page now and returns its answer; `null` when it
    /// throws or the page is between documents.
    pub async fn eval(&self, script: &str) -> Json {
        self.js(script, vec![]).await.unwrap_or(Json::Null)
    }

    /// From now until the next full page load, notes whether an element matching `css` is
    /// ever added to the page, however briefly (a `MutationObserver` sees every insertion,
    /// where a poll sees only the moments it looks). Read with [`Browser::ever_added`].
    pub async fn watch_for(&self, css: &str) {
        let script = "const [css] = arguments;
             window.__atlasSeen = window.__atlasSeen || {};
             window.__atlasSeen[css] = document.querySelector(css) !== null;
             new MutationObserver((records) => {
               for (const r of records) for (const n of r.addedNodes) {
                 if (n.nodeType === 1 && (n.matches(css) || n.querySelector(css))) {
                   window.__atlasSeen[css] = true;
                 }
               }
             }).observe(document.documentElement, { childList: true, subtree: true });
             return true;";
        let watching = self.js(script, vec![json!(css)]).await;
        assert!(
            matches!(watching, Some(Json::Bool(true))),
            "[{}] cannot watch for `{css}`: {watching:?}",
            self.name
        );
    }

    /// Whether an element matching `css` was added to the page since [`Browser::watch_for`]
    /// (or was there when it began); panics if nothing watched for it on this page.
    pub async fn ever_added(&self, css: &str) -> bool {
        let seen = self
            .js(
                "const [css] = arguments;
                 return window.__atlasSeen ? window.__atlasSeen[css] ?? null : null;",
                vec![json!(css)],
            )
            .await;
        match seen {
            Some(Json::Bool(seen)) => seen,
            other => panic!(
                "[{}] nothing watched for `{css}` on this page (a full page load since \
                 watch_for?): {other:?}",
                self.name
            ),
        }
    }

    /// Runs `script` (a function body whose last argument is the callback that answers) in
    /// the page and returns what it passes to the callback; panics if it cannot run.
    pub async fn eval_async(&self, script: &str, args: Vec<Json>) -> Json {
        self.client
            .execute_async(script, args)
            .await
            .unwrap_or_else(|e| panic!("[{}] the script did not run: {e}\n{script}", self.name))
    }

    /// Sends a Chrome DevTools Protocol command to this session's Chromium through
    /// ChromeDriver (`POST /session/<id>/goog/cdp/execute`, ChromeDriver's own endpoint,
    /// which fantoccini has no method for) and returns its result; panics on an error.
    pub async fn cdp(&self, cmd: &str, params: Json) -> Json {
        let id = self
            .client
            .session_id()
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("[{}] the session has no id", self.name));
        let body = json!({ "cmd": cmd, "params": params }).to_string();
        let path = format!("/session/{id}/goog/cdp/execute");
        let response = http_request(self.driver_port, "POST", &path, Some(&body), &[])
            .await
            .unwrap_or_else(|e| panic!("[{}] {cmd} through ChromeDriver: {e}", self.name));
        let answer: Json = serde_json::from_str(&response.body).unwrap_or_else(|e| {
            panic!(
                "[{}] {cmd}: ChromeDriver answered {} with no JSON ({e}): {}",
                self.name, response.status, response.body
            )
        });
        assert_eq!(
            response.status, 200,
            "[{}] {cmd}: ChromeDriver answered {}: {answer}",
            self.name, response.status
        );
        answer["value"].clone()
    }

    /// Waits until the address's path is `path`.
    pub async fn wait_for_path(&self, path: &str) {
        self.wait_js(
            &format!("the address to be {path}"),
            DEFAULT_TIMEOUT,
            "return window.location.pathname === arguments[0];",
            vec![json!(path)],
        )
        .await;
    }

    /// Saves a PNG of the page as `<screenshots>/<session>-<name>.png` and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let path = self
            .screenshots
            .join(format!("{}-{}.png", self.name, slug(name)));
        match self.client.screenshot().await {
            Ok(png) => {
                if let Err(e) = fs::write(&path, png) {
                    eprintln!("cannot write {}: {e}", path.display());
                }
            }
            Err(e) => eprintln!("[{}] no screenshot: {e}", self.name),
        }
        path
    }

    /// Prints the page to a PDF on A4 paper as the browser's print dialogue would (the print
    /// stylesheet applies), writes it beside the screenshots as `<browser>-<name>.pdf` and
    /// answers its number of pages.
    pub async fn print_pdf(&self, name: &str, landscape: bool) -> (PathBuf, usize) {
        use fantoccini::wd::{PrintConfiguration, PrintOrientation, PrintSize};
        let config = PrintConfiguration::builder()
            .size(PrintSize::A4)
            .orientation(if landscape {
                PrintOrientation::Landscape
            } else {
                PrintOrientation::Portrait
            })
            .background(true)
            .build()
            .expect("a print configuration");
        let pdf = self
            .client
            .print(config)
            .await
            .unwrap_or_else(|e| panic!("[{}] cannot print {name}: {e}", self.name));
        let path = self
            .screenshots
            .join(format!("{}-{}.pdf", self.name, slug(name)));
        fs::write(&path, &pdf).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        let pages = pdf_page_count(&pdf)
            .unwrap_or_else(|| panic!("{} has no page tree I can read", path.display()));
        (path, pages)
    }

    /// Runs axe-core on the page and fails on any serious or critical violation (all
    /// violations are printed).
    pub async fn assert_accessible(&self, page: &str) {
        let axe = fs::read_to_string(&self.axe_js)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", self.axe_js.display()));
        let loaded = self
            .client
            .execute(&format!("{axe}\n;return typeof window.axe;"), vec![])
            .await
            .unwrap_or_else(|e| panic!("[{}] cannot load axe-core into {page}: {e}", self.name));
        assert_eq!(loaded, json!("object"), "axe-core did not load into {page}");
        let answer = self
            .client
            .execute_async(
                r#"
                const done = arguments[arguments.length - 1];
                window.axe.run(document, { resultTypes: ['violations'] })
                  .then(r => done(r.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n =>
                      n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\s+/g, ' ')),
                  }))))
                  .catch(e => done({ error: String(e) }));
                "#,
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("[{}] axe-core did not run on {page}: {e}", self.name));
        let violations = answer
            .as_array()
            .unwrap_or_else(|| panic!("axe-core failed on {page}: {answer}"));
        let mut report = String::new();
        let mut serious = 0;
        for v in violations {
            let impact = v["impact"].as_str().unwrap_or("unknown");
            if matches!(impact, "serious" | "critical") {
                serious += 1;
            }
            let _ = writeln!(
                report,
                "  [{impact}] {}: {}",
                v["id"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or("")
            );
            for node in v["nodes"].as_array().into_iter().flatten() {
                let _ = writeln!(report, "      {}", node.as_str().unwrap_or(""));
            }
        }
        if !violations.is_empty() {
            println!(
                "axe-core on {page}: {} violation(s)\n{report}",
                violations.len()
            );
        }
        assert_eq!(
            serious, 0,
            "axe-core found {serious} serious or critical violation(s) on {page}:\n{report}"
        );
        self.assert_no_code_in_text(page).await;
    }

    /// Fails if the page shows what looks like Rust rather than words: a bare `>` or `>=` in
    /// an attribute's closure ends the tag in `view!`, and the rest of the code shows as text
    /// (a "Next" button once read "= count.get() >Next").
    pub async fn assert_no_code_in_text(&self, page: &str) {
        let text = self.page_text().await;
        for code in [".get()", ".with(", "move ||", "=>", "::"] {
            assert!(
                !text.contains(code),
                "[{}] {page} shows code as text ({code:?}):\n{text}",
                self.name
            );
        }
    }

    /// Ends the session (and its Chromium).
    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// Whitespace squeezed to single spaces, trimmed.
pub fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn slug(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    out.truncate(60);
    out.trim_matches('-').to_owned()
}

/// From the home page, the partnership whose link text contains `fragment`: its address. A
/// fresh profile's local copy is empty until the first sync pulls the demo data, so this waits
/// (up to 40 s) for the link rather than reading the list once.
pub async fn partnership_href(browser: &Browser, fragment: &str) -> String {
    browser.wait_for_heading("Partnerships").await;
    browser
        .wait_js(
            &format!("a partnership link containing {fragment:?} on the home page"),
            Duration::from_secs(40),
            "return Array.from(document.querySelectorAll(\"a[href*='/partnerships/']\"))
                 .some(a => a.textContent.includes(arguments[0]));",
            vec![json!(fragment)],
        )
        .await;
    let links = browser.texts("a[href*='/partnerships/']").await;
    let name = links
        .iter()
        .find(|t| t.contains(fragment))
        .unwrap_or_else(|| {
            panic!("no partnership link containing {fragment:?} on the home page; links: {links:?}")
        });
    browser.link_href("a[href*='/partnerships/']", name).await
}

/// The id of the record of `kind` whose `field` is `value`, among `changes` (as
/// [`Server::pull_all`] answers them).
pub fn id_of(changes: &[Json], kind: &str, field: &str, value: &str) -> String {
    changes
        .iter()
        .find(|c| c["kind"] == kind && c["fields"][field] == value)
        .and_then(|c| c["id"].as_str().map(str::to_owned))
        .unwrap_or_else(|| panic!("the demo data has the {kind} {value:?}"))
}

/// The last path segment of an address: the record id in `/bodies/<id>`.
pub fn last_segment(url: &str) -> String {
    url.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Everything one test needs: a server, ChromeDriver, and where things are.
pub struct Harness {
    pub setup: Setup,
    pub server: Server,
    pub driver: Chromedriver,
}

impl Harness {
    pub async fn start() -> Self {
        Self::start_with(Setup::from_env()).await
    }

    /// As [`Harness::start`], with `setup` (e.g. another copy of the built app).
    pub async fn start_with(setup: Setup) -> Self {
        let server = Server::start(&setup).await;
        let driver = Chromedriver::start(&setup).await;
        Self {
            setup,
            server,
            driver,
        }
    }

    /// A new browser session (fresh profile) named `name` in screenshots and messages.
    pub async fn browser(&self, name: &str) -> Browser {
        self.driver.browser(name).await
    }

    /// The same profile in a new Chromium: see [`Chromedriver::restart`].
    pub async fn restart_browser(&self, browser: Browser) -> Browser {
        self.driver.restart(browser).await
    }

    /// Opens `path` and waits for the app's local copy to load.
    pub async fn open(&self, browser: &Browser, path: &str) {
        browser.goto(&self.server.url(path)).await;
        browser.wait_ready().await;
    }

    /// Signs `browser` in as the demo account of `role` (`None`: the administrator) the
    /// quick way: a same-origin `fetch` of `POST /api/session` from the app's page (the
    /// browser keeps the cookie), then a reload; waits until the header names the person and
    /// the device has pulled what they may see. Call it before making changes on the device
    /// (it waits for nothing to be pending). Leaves the browser on the home page.
    pub async fn sign_in(&self, browser: &Browser, role: Option<Role>) {
        let user = demo_user(role);
        self.open(browser, "/").await;
        let answer = browser
            .eval_async(
                "const [email, password, done] = arguments;
                 fetch('/api/session', {
                     method: 'POST',
                     credentials: 'same-origin',
                     cache: 'no-store',
                     headers: { 'content-type': 'application/json' },
                     body: JSON.stringify({ email, password }),
                 }).then(r => done(r.status), e => done(String(e)));",
                vec![json!(user.email), json!(DEMO_PASSWORD)],
            )
            .await;
        assert_eq!(
            answer,
            json!(200),
            "[{}] signing in as {} answered {answer}; server log:\n{}",
            browser.name,
            user.email,
            self.server.log_tail()
        );
        browser.reload().await;
        browser.wait_ready().await;
        self.wait_signed_in(browser, role).await;
    }

    /// Signs `browser` in as the demo account of `role` through the sign-in page, as a
    /// person does; waits as [`Harness::sign_in`] does. Ends on the page `next` named (home
    /// when `None`).
    pub async fn sign_in_with_page(&self, browser: &Browser, role: Option<Role>) {
        let user = demo_user(role);
        if !browser.current_url().await.contains("/sign-in") {
            self.open(browser, "/sign-in").await;
        }
        browser.fill("#email", user.email).await;
        browser.fill("#password", DEMO_PASSWORD).await;
        browser.click("#sign-in-submit").await;
        self.wait_signed_in(browser, role).await;
    }

    /// Waits until the header names the demo account of `role` and a sync under that
    /// session has finished with nothing waiting.
    pub async fn wait_signed_in(&self, browser: &Browser, role: Option<Role>) {
        let user = demo_user(role);
        browser
            .wait_for_text("#account-who strong", user.name)
            .await;
        browser.wait_synced_as(user.email).await;
    }
}

/// A PDF's number of pages: the largest `/Count` of its page tree (the root's), which
/// Chromium writes uncompressed.
pub fn pdf_page_count(pdf: &[u8]) -> Option<usize> {
    let key = b"/Count ";
    pdf.windows(key.len())
        .enumerate()
        .filter(|(_, w)| *w == key)
        .filter_map(|(at, _)| {
            let digits: String = pdf[at + key.len()..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .map(|b| char::from(*b))
                .collect();
            digits.parse().ok()
        })
        .max()
}
