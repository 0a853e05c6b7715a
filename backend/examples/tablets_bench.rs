//! Many tablets, and the server's memory: 50 devices each pushing 200 answers at once to the
//! real release server binary over HTTP, as at a busy event when the signal comes back.
//!
//! The server (`target/release/atlas-backend`, or `--server <path>`) is started as a child
//! process with the demo data on a fresh database (`--database-url <url>`, where `{db}`
//! becomes a name for this run and the database is dropped when it ends, else a SQLite file
//! in a temporary folder). Its resident memory (`VmRSS` in `/proc/<pid>/status`) is read once
//! it is up and has been left alone for [`SETTLE`]: memory freed at start-up (the demo
//! accounts' Argon2 hashes, 19 MiB each) goes back to the system only after a delay (the
//! allocator purges freed pages a second after the next activity; tokio's blocking threads,
//! where the hashes ran, end after ten idle seconds), and a server at rest is past that. The
//! reading two seconds after start is printed too, as a line of text. Then 50 devices sign in as the demo's
//! consultation staff (the memory is read again: each sign-in hashes a password with Argon2id,
//! and the allocator may keep what that took), the peak is reset (`/proc/<pid>/clear_refs`)
//! and the devices push their 200 answers in pushes of `--batch` (default 200: the whole
//! outbox at once), all starting together. Each push's time, from sending to the parsed
//! answer, is one latency sample. Afterwards: the server's peak memory under the pushes
//! (`VmHWM`), and a count check: the demo administrator pulls everything and exactly 10,000
//! answers from these 50 devices must be there (else the run fails). Last, with the server
//! stopped, the least time the database itself takes to store those answers: the rows the
//! server stored for them, inserted into a new database with its schema
//! (`support::stored_rows`), in transactions of a push's worth, of a writer's group and of all
//! 10,000; the fastest is printed. No push can be answered before its rows are stored, so
//! this bounds the slowest pushes' latency from below, whatever the server's code.
//!
//! Then the same crowd hands its answers off instead (`POST /api/sync/inbox`: stored in the
//! server's inbox and answered at once, applied in turn): 50 more devices, 200 answers each,
//! all at once. Each hand-off's time to its receipt is a latency sample; then the time until
//! every answer is applied, and the same count check.
//!
//! Prints `BENCH tablets_answers_per_s`, `BENCH tablets_push_p50`, `_p95`, `_p99` (ms),
//! `BENCH tablets_answers_stored` (count), `BENCH server_rss_idle`, `server_rss_signed_in`
//! and `server_rss_peak` (MB), `BENCH tablets_handoff_p50`, `_p95`, `_p99` and
//! `tablets_handoff_all_applied` (ms), `tablets_handoff_answers_per_s` and
//! `tablets_handoff_answers_stored`, and `BENCH tablets_stored_rows_least` (ms). Build the server first, then run it in release:
//! `cargo build --release -p atlas-backend &&
//!  cargo run --release -p atlas-backend --example tablets_bench [-- --database-url <url>]`.

#[path = "support/mod.rs"]
mod support;

use std::collections::HashSet;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use atlas_shared::accounts::Role;
use atlas_shared::{EntityKind, Mutation, Seq};
use support::stored_rows::StoredRows;

const TABLETS: u32 = 50;
const ANSWERS_EACH: usize = 200;
/// How long the server is left alone before its idle memory is read: longer than tokio's
/// blocking threads live idle (10 s), so what start-up freed has had its chance to go back.
const SETTLE: Duration = Duration::from_secs(12);
/// When the hand-off round's answers are captured: a week after the first round's, at the
/// next event. Answer ids sort by time of capture (UUIDv7), so the second round's follow the
/// first's in every index, as a later event's would; with the same times they would fall
/// between them and every insert would land mid-index.
const NEXT_EVENT_MS: u64 = support::START_MS + 7 * 24 * 3_600_000;
/// When the early reading is taken, for comparison.
const EARLY: Duration = Duration::from_secs(2);

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir().context("a temporary folder")?;
    let database = support::BenchDatabase::new(dir.path(), "tablets_bench")?;
    let measured = run(&database, dir.path()).await;
    database.drop_after(measured).await
}

/// Starts the server on `database`, measures, stops it, and prints the figures.
async fn run(database: &support::BenchDatabase, dir: &Path) -> anyhow::Result<()> {
    let batch = arg_value("--batch")
        .map(|b| {
            b.parse::<usize>()
                .context("--batch takes a number of answers")
        })
        .transpose()?
        .unwrap_or(ANSWERS_EACH)
        .clamp(1, atlas_shared::MAX_MUTATIONS_PER_PUSH);
    let binary = match arg_value("--server") {
        Some(path) => PathBuf::from(path),
        None => default_server()?,
    };
    let mut server = Running::start(&binary, &database.url, dir)?;
    let measured = measure(&server, batch).await;
    server.stop();
    let mut figures = measured?;
    let least = least_time(database).await?;
    figures.push(("tablets_stored_rows_least", least, "ms"));
    for (name, value, unit) in figures {
        let decimals = if unit == "ms" || unit == "MB" { 2 } else { 0 };
        println!("BENCH {name} {value:.decimals$} {unit}");
    }
    Ok(())
}

async fn measure(
    server: &Running,
    batch: usize,
) -> anyhow::Result<Vec<(&'static str, f64, &'static str)>> {
    let base = server.base.clone();
    tokio::time::sleep(EARLY).await;
    let early = memory_kib(server.pid(), "VmRSS")?;
    tokio::time::sleep(SETTLE.saturating_sub(EARLY)).await;
    let idle = memory_kib(server.pid(), "VmRSS")?;
    println!(
        "server memory at rest: {:.2} MB {} s after start, {:.2} MB after {} s",
        early as f64 / 1024.0,
        EARLY.as_secs(),
        idle as f64 / 1024.0,
        SETTLE.as_secs()
    );

    let mut clients = Vec::new();
    let mut devices = Vec::new();
    for tablet in 1..=TABLETS {
        let client = support::signed_in(&base, Some(Role::ConsultationStaff)).await?;
        clients.push(client.clone());
        devices.push((tablet, client, support::answers(tablet, ANSWERS_EACH)?));
    }
    // Signing in hashes passwords (Argon2id, tens of MB each, which the allocator may keep):
    // the peak is counted from here, under the pushes alone.
    let signed_in = memory_kib(server.pid(), "VmRSS")?;
    std::fs::write(format!("/proc/{}/clear_refs", server.pid()), "5")
        .context("resetting the server's peak memory (/proc/<pid>/clear_refs)")?;
    let start = Arc::new(tokio::sync::Barrier::new(devices.len() + 1));
    let mut tasks = Vec::new();
    for (tablet, client, answers) in devices {
        let start = Arc::clone(&start);
        let base = base.clone();
        let bodies = encoded(tablet, &answers, batch)?;
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            let mut times = Vec::new();
            for body in bodies {
                let sent = Instant::now();
                support::push(&client, &base, body).await?;
                times.push(sent.elapsed().as_secs_f64() * 1000.0);
            }
            Ok::<Vec<f64>, anyhow::Error>(times)
        }));
    }
    start.wait().await;
    let started = Instant::now();
    let mut times = Vec::new();
    for task in tasks {
        times.extend(task.await??);
    }
    let elapsed = started.elapsed();
    let peak = memory_kib(server.pid(), "VmHWM")?;
    times.sort_by(f64::total_cmp);

    let stored = stored_answers(&base, 1..=TABLETS).await?;
    let expected = u64::from(TABLETS) * ANSWERS_EACH as u64;
    println!(
        "{TABLETS} tablets pushed {expected} answers in pushes of {batch} in {:.0} ms; \
         {stored} of them are stored; {} pushes timed",
        elapsed.as_secs_f64() * 1000.0,
        times.len()
    );
    if stored != expected {
        bail!("the server holds {stored} answers from the {TABLETS} tablets, not {expected}");
    }
    let mb = |kib: u64| kib as f64 / 1024.0;
    let mut figures = vec![
        (
            "tablets_answers_per_s",
            expected as f64 / elapsed.as_secs_f64(),
            "answers/s",
        ),
        ("tablets_push_p50", support::quantile(&times, 0.50), "ms"),
        ("tablets_push_p95", support::quantile(&times, 0.95), "ms"),
        ("tablets_push_p99", support::quantile(&times, 0.99), "ms"),
        ("tablets_answers_stored", stored as f64, "count"),
        ("server_rss_idle", mb(idle), "MB"),
        ("server_rss_signed_in", mb(signed_in), "MB"),
        ("server_rss_peak", mb(peak), "MB"),
    ];
    figures.extend(hand_off_round(&base, &clients, batch).await?);
    Ok(figures)
}

/// The same again, handed off (`POST /api/sync/inbox`): 50 more devices (the same signed-in
/// staff) hand off 200 answers each at once. Each hand-off's time, from sending to the
/// receipt (202, the push stored in the inbox), is one latency sample; then the time until
/// every answer is applied (each device's last answer settled, asked of
/// `POST /api/sync/outcomes`), and the count check.
/// `tablet`'s pushes of `answers`, `batch` at a time, encoded before the clock starts (each
/// tablet encodes on its own processor; here all fifty would share the server's two).
fn encoded(
    tablet: u32,
    answers: &[Mutation],
    batch: usize,
) -> anyhow::Result<Vec<support::PushBody>> {
    answers
        .chunks(batch)
        .map(|chunk| support::PushBody::new(support::tablet_id(tablet), chunk))
        .collect()
}

async fn hand_off_round(
    base: &str,
    clients: &[reqwest::Client],
    batch: usize,
) -> anyhow::Result<Vec<(&'static str, f64, &'static str)>> {
    let tablets: Vec<u32> = (TABLETS + 1..=2 * TABLETS).collect();
    let start = Arc::new(tokio::sync::Barrier::new(tablets.len() + 1));
    let mut tasks = Vec::new();
    for (tablet, client) in tablets.iter().copied().zip(clients.iter().cloned()) {
        let answers = support::answers_from(tablet, ANSWERS_EACH, NEXT_EVENT_MS)?;
        let bodies = encoded(tablet, &answers, batch)?;
        let start = Arc::clone(&start);
        let base = base.to_owned();
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            let mut times = Vec::new();
            for body in bodies {
                let sent = Instant::now();
                support::hand_off(&client, &base, body).await?;
                times.push(sent.elapsed().as_secs_f64() * 1000.0);
            }
            let last = answers.last().map(|m| m.id).context("no answers")?;
            Ok::<_, anyhow::Error>((times, (client, tablet, last)))
        }));
    }
    start.wait().await;
    let started = Instant::now();
    let mut times = Vec::new();
    let mut lasts = Vec::new();
    for task in tasks {
        let (t, last) = task.await??;
        times.extend(t);
        lasts.push(last);
    }
    let received = started.elapsed();
    // Each device's pushes are applied in the order received: its last answer settled means
    // all of them are.
    for (client, tablet, last) in &lasts {
        loop {
            match support::fate(client, base, support::tablet_id(*tablet), *last).await? {
                atlas_shared::Fate::Pending => tokio::time::sleep(Duration::from_millis(50)).await,
                atlas_shared::Fate::Settled {
                    outcome: atlas_shared::Outcome::Applied { .. },
                } => break,
                other => bail!("tablet {tablet}'s last answer: {other:?}"),
            }
        }
    }
    let applied = started.elapsed();
    times.sort_by(f64::total_cmp);
    let stored = stored_answers(base, TABLETS + 1..=2 * TABLETS).await?;
    let expected = u64::from(TABLETS) * ANSWERS_EACH as u64;
    println!(
        "{TABLETS} tablets handed off {expected} answers in pushes of {batch}: all received in \
         {:.0} ms, all applied in {:.0} ms; {stored} of them are stored",
        received.as_secs_f64() * 1000.0,
        applied.as_secs_f64() * 1000.0,
    );
    if stored != expected {
        bail!(
            "the server holds {stored} answers handed off by the {TABLETS} tablets, not {expected}"
        );
    }
    Ok(vec![
        ("tablets_handoff_p50", support::quantile(&times, 0.50), "ms"),
        ("tablets_handoff_p95", support::quantile(&times, 0.95), "ms"),
        ("tablets_handoff_p99", support::quantile(&times, 0.99), "ms"),
        (
            "tablets_handoff_all_applied",
            applied.as_secs_f64() * 1000.0,
            "ms",
        ),
        (
            "tablets_handoff_answers_per_s",
            expected as f64 / applied.as_secs_f64(),
            "answers/s",
        ),
        ("tablets_handoff_answers_stored", stored as f64, "count"),
    ])
}

/// How many answers to a transaction [`least_time`] tries: one push's worth, the most the
/// server's writer puts in one group (`db::group`), and all at once.
const TRANSACTION_SIZES: [usize; 3] = [atlas_shared::MAX_MUTATIONS_PER_PUSH, 2_000, 10_000];

/// The least time any server could take to store the tablets' answers (ms): the rows the
/// server stored for them (`support::stored_rows`), read back once it has stopped, inserted
/// into a new database with the server's schema, once in transactions of each of
/// [`TRANSACTION_SIZES`], the fastest kept. No push is answered "stored" before its rows are,
/// so the last pushes cannot be answered sooner than this after they were all sent.
async fn least_time(database: &support::BenchDatabase) -> anyhow::Result<f64> {
    let one_each: Vec<_> = (1..=TABLETS)
        .map(|tablet| Ok(support::answers(tablet, 1)?[0].id))
        .collect::<anyhow::Result<_>>()?;
    let expected = TABLETS as usize * ANSWERS_EACH;
    let rows = StoredRows::read(&database.url, &one_each, expected).await?;
    let mut least = f64::INFINITY;
    for size in TRANSACTION_SIZES {
        let target = database.sibling(&format!("stored_rows_{size}"))?;
        let took = target.drop_after(rows.insert(&target, size).await).await?;
        let ms = took.as_secs_f64() * 1000.0;
        println!(
            "the rows stored for the {expected} answers ({}) went into a new database with the \
             server's schema, in transactions of {size} answers, in {ms:.0} ms",
            rows.describe()
        );
        least = least.min(ms);
    }
    Ok(least)
}

/// How many answers from the bench's `tablets` the server holds, as the demo administrator
/// pulls them (every page, from the start).
async fn stored_answers(base: &str, tablets: std::ops::RangeInclusive<u32>) -> anyhow::Result<u64> {
    let client = support::signed_in(base, None).await?;
    let devices: HashSet<String> = tablets
        .map(|t| support::tablet_id(t).0.to_string())
        .collect();
    let (mut since, mut scope, mut count) = (Seq(0), None::<String>, 0u64);
    loop {
        let page = support::pull(&client, base, since, scope.as_deref()).await?;
        if page.reset {
            bail!("the administrator's pull was reset while counting");
        }
        count += page
            .changes
            .iter()
            .filter(|c| c.kind == EntityKind::Response && !c.deleted)
            .filter(|c| {
                c.fields
                    .as_ref()
                    .and_then(|f| f.get("device_id"))
                    .and_then(|d| d.as_str())
                    .is_some_and(|d| devices.contains(d))
            })
            .count() as u64;
        if !page.more {
            return Ok(count);
        }
        since = page.cursor;
        scope = Some(page.scope);
    }
}

/// The value after `name` on the command line.
fn arg_value(name: &str) -> Option<String> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == name {
            return args.next();
        }
    }
    None
}

/// `atlas-backend` beside this example's folder (`target/release/`).
fn default_server() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().context("this example's own path")?;
    let release = exe
        .parent()
        .and_then(Path::parent)
        .context("this example is not in target/<profile>/examples")?;
    let server = release.join("atlas-backend");
    if !server.is_file() {
        bail!(
            "the release server {} is missing: build it with \
             `cargo build --release -p atlas-backend`, or name it with --server <path>",
            server.display()
        );
    }
    Ok(server)
}

/// The server as a child process.
struct Running {
    child: Child,
    base: String,
}

impl Running {
    fn start(binary: &Path, url: &str, dir: &Path) -> anyhow::Result<Self> {
        let mut child = Command::new(binary)
            .args([
                "--addr",
                "127.0.0.1:0",
                "--database-url",
                url,
                "--demo-data",
            ])
            .arg("--dist")
            .arg(dir.join("no-dist"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        // The server's first line on stdout: "Partnership Atlas is running at http://<addr>/",
        // printed once the demo data is loaded.
        let mut line = String::new();
        let stdout = child.stdout.take().context("the server has no stdout")?;
        let mut reader = BufReader::new(stdout);
        reader
            .read_line(&mut line)
            .context("reading the server's address")?;
        // The rest (the demo sign-ins) is read and dropped so the server never blocks on it.
        std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
        let Some(addr) = line
            .trim()
            .rsplit("http://")
            .next()
            .map(|a| a.trim_end_matches('/').to_owned())
            .filter(|a| a.contains(':'))
        else {
            let _ = child.kill();
            let _ = child.wait();
            bail!("the server said {line:?}, not its address");
        };
        Ok(Self {
            child,
            base: format!("http://{addr}"),
        })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `/proc/<pid>/status` memory line in KiB (`VmRSS`: resident now; `VmHWM`: the peak).
fn memory_kib(pid: u32, field: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("reading /proc/{pid}/status (Linux only)"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .with_context(|| format!("no {field} in /proc/{pid}/status"))
}
