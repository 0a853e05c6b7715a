//! `cargo xtask bench`: figures worth watching, as a table and as `BENCH <name> <value> <unit>`
//! lines that a script can pick up.
//!
//! Each group of figures is a function returning [`Figure`]s; add a group to [`GROUPS`].
//! `--only <words>` runs the groups whose title contains them; the tools, Chromium and the
//! release bundle are prepared only when a chosen group needs them (the backend's do not), and
//! a throwaway PostgreSQL cluster ([`Cluster`], as the test stage's, but syncing its commits to
//! disk as a production server does) only when a chosen group runs on PostgreSQL. The cluster
//! is stopped and removed however the bench ends; one that does not start fails the bench.
//!
//! The groups: the release bundle's sizes (as built, and as the real server sends them with
//! `Accept-Encoding: br` and `gzip`: its precompressed copies), and how long the partnership-map layout takes for
//! a large county partnership (300 bodies, 1,000 reporting lines) natively
//! (`shared/examples/layout_bench.rs`) and in the browser, as the app runs it: wasm built with
//! the app's `wasm-release` profile, in headless Chromium (`frontend/tests/layout_bench.rs`);
//! the server's sync (`backend/examples/`: the push path against a raw insert of the same
//! rows, pulling one change from a small and a large database, 50 tablets at once against the
//! release binary with its memory), each on SQLite and on PostgreSQL, the PostgreSQL figures
//! named with `_postgres` at the end (the SQLite ones keep the names they had); saving and aggregating consultation answers in the
//! browser; how smoothly the partnership map pans and zooms for that county partnership
//! (`frontend/tests/pan_bench.rs`: frame intervals in milliseconds and frames per second,
//! beside an idle baseline); and how long the map takes to open with no network and the CPU
//! slowed four times (`tests/examples/offline_open.rs`). Timings are printed to two decimals
//! (`ms`), frame rates to one (`fps`), ratios of two figures of one run to three (`ratio`),
//! rates and counts whole, memory in MB to one; nothing is asserted about them (a benchmark may
//! fail a run only when what it measured is wrong, as a count of stored answers).

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use crate::Result;
use crate::frontend::{all_files, brotli_bytes, build_frontend, gzip_bytes};
use crate::postgres::{Cluster, Durability};
use crate::project::{Project, run, run_capturing};
use crate::stages::Stages;
use crate::test::{e2e_env, frontend_wasm_tests};
use crate::tools::{self, Browser, Needs};

pub struct Figure {
    /// snake_case, stable across runs: scripts compare by name.
    pub name: String,
    pub value: f64,
    /// Digits shown after the decimal point: 0 for counts such as bytes.
    pub decimals: usize,
    pub unit: &'static str,
}

/// A group of figures: its title (with the command that produces it), what it needs prepared
/// (the release bundle and the browser tools, a PostgreSQL cluster, or nothing), and how it is
/// measured (given what was prepared).
type Group = (
    &'static str,
    Prep,
    fn(&Project, &Prepared) -> Result<Vec<Figure>>,
);

/// What a group needs prepared before it runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prep {
    /// The tools, Chromium and the release bundle (`dist/`, split by area).
    Bundle,
    /// A throwaway PostgreSQL cluster.
    Postgres,
    /// Nothing: it builds what it runs itself.
    Nothing,
}

/// What was prepared for the chosen groups, once, before the first of them.
struct Prepared {
    browser: Option<Browser>,
    /// Stopped and removed when dropped.
    postgres: Option<Cluster>,
}

/// The figures reported, in order.
const GROUPS: &[Group] = &[
    ("release bundle sizes", Prep::Bundle, bundle_sizes),
    (
        "bytes on the wire (the release server, Accept-Encoding br and gzip)",
        Prep::Bundle,
        wire_sizes,
    ),
    (
        "layout timing, native (cargo run --release --example layout_bench)",
        Prep::Nothing,
        layout_native,
    ),
    (
        "layout timing, browser (wasm-release in headless Chromium)",
        Prep::Bundle,
        layout_browser,
    ),
    (
        "sync ingest ratio, SQLite (cargo run --release -p atlas-backend --example push_bench)",
        Prep::Nothing,
        push_responses::<Sqlite>,
    ),
    (
        "sync ingest ratio, PostgreSQL (cargo run --release -p atlas-backend --example \
         push_bench -- --database-url postgres://atlas@127.0.0.1:<port>/{db})",
        Prep::Postgres,
        push_responses::<Postgres>,
    ),
    (
        "pull cost, SQLite (cargo run --release -p atlas-backend --example pull_bench)",
        Prep::Nothing,
        pull_cost::<Sqlite>,
    ),
    (
        "pull cost, PostgreSQL (cargo run --release -p atlas-backend --example pull_bench \
         -- --database-url postgres://atlas@127.0.0.1:<port>/{db})",
        Prep::Postgres,
        pull_cost::<Postgres>,
    ),
    (
        "many tablets and server memory, SQLite (cargo build --release -p atlas-backend; \
         cargo run --release -p atlas-backend --example tablets_bench)",
        Prep::Nothing,
        many_tablets::<Sqlite>,
    ),
    (
        "many tablets and server memory, PostgreSQL (cargo build --release -p atlas-backend; \
         cargo run --release -p atlas-backend --example tablets_bench \
         -- --database-url postgres://atlas@127.0.0.1:<port>/{db})",
        Prep::Postgres,
        many_tablets::<Postgres>,
    ),
    (
        "save one answer on a tablet holding 3,000, and its memory (wasm-release in headless Chromium)",
        Prep::Bundle,
        save_answer_browser,
    ),
    (
        "results of 10,000 responses, browser (wasm-release in headless Chromium)",
        Prep::Bundle,
        results_browser,
    ),
    (
        "map pan and zoom frames, browser (wasm-release in headless Chromium)",
        Prep::Bundle,
        pan_browser,
    ),
    (
        "offline open of the map, 4x CPU slowdown (cargo run --release -p atlas-e2e --example offline_open)",
        Prep::Bundle,
        offline_open,
    ),
    (
        "first load on an empty browser, and the map on slow 3G with 4x CPU slowdown \
         (cargo run --release -p atlas-e2e --example first_load)",
        Prep::Bundle,
        first_load,
    ),
];

/// The graph both layout benchmarks time first; its figure is the one with a target.
const LAYOUT_COUNTY: &str = "layout_300_bodies_1000_lines";
/// The deep stress graph they time second.
const LAYOUT_DEEP: &str = "layout_300_bodies_1000_lines_deep_stress";

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Only the groups of figures whose title contains this (e.g. `wire`, `layout`); the
    /// tools and the release bundle are still prepared first.
    #[arg(long)]
    only: Option<String>,
}

pub fn bench(args: BenchArgs) -> Result<()> {
    let p = Project::locate()?;
    let groups = chosen(args.only.as_deref());
    if groups.is_empty() {
        let names: Vec<&str> = GROUPS.iter().map(|(name, ..)| *name).collect();
        return Err(format!(
            "no group of figures has {:?} in its title; the groups:\n  {}",
            args.only.unwrap_or_default(),
            names.join("\n  ")
        ));
    }
    let needs = |wanted: Prep| groups.iter().any(|(_, prep, _)| *prep == wanted);
    let (bundle, postgres) = (needs(Prep::Bundle), needs(Prep::Postgres));
    let preparing = if bundle { 2 } else { 0 } + usize::from(postgres);
    let mut stages = Stages::new("xtask bench", preparing + groups.len());
    // Dropped when this function returns, however it returns: the cluster goes with it.
    let mut prepared = Prepared {
        browser: None,
        postgres: None,
    };
    if bundle {
        stages.stage("tools", || {
            prepared.browser = tools::ensure(
                &p,
                Needs {
                    lint: false,
                    browser: true,
                },
            )?;
            prepared
                .browser
                .as_ref()
                .map(|_| ())
                .ok_or_else(|| "no browser after installing tools".to_owned())
        })?;
        stages.stage("frontend: the release bundle, split by area", || {
            build_frontend(&p)
        })?;
    }
    if postgres {
        stages.stage("postgres: a throwaway cluster", || {
            prepared.postgres = Some(Cluster::start(&p, Durability::Production)?);
            Ok(())
        })?;
    }
    let mut figures = Vec::new();
    for (name, _, measure) in groups {
        stages.stage(name, || {
            figures.extend(measure(&p, &prepared)?);
            Ok(())
        })?;
    }
    stages.summary();
    // Stopped before the table, so that nothing is printed after the `BENCH` lines.
    drop(prepared);

    println!();
    let width = figures.iter().map(|f| f.name.len()).max().unwrap_or(0);
    println!("{:<width$}  {:>12}  unit", "figure", "value");
    for f in &figures {
        println!(
            "{:<width$}  {:>12}  {}",
            f.name,
            group_digits(f.value, f.decimals),
            f.unit
        );
    }
    println!();
    for f in &figures {
        println!("BENCH {} {:.*} {}", f.name, f.decimals, f.value, f.unit);
    }
    Ok(())
}

/// The groups whose title contains `only` (all of them without it), in order.
fn chosen(only: Option<&str>) -> Vec<&'static Group> {
    GROUPS
        .iter()
        .filter(|(name, ..)| only.is_none_or(|only| name.contains(only)))
        .collect()
}

/// What a visitor downloads: the app's wasm, JavaScript and CSS in `dist/`, raw and as the
/// server would send them compressed (gzip level 9, brotli quality 11), per file then summed.
/// The service worker is counted on its own: it is fetched by the browser, not the page.
fn bundle_sizes(p: &Project, _: &Prepared) -> Result<Vec<Figure>> {
    let mut figures = Vec::new();
    for (kind, matches) in [
        ("wasm", (|n: &str| n.ends_with(".wasm")) as fn(&str) -> bool),
        ("js", |n: &str| n.ends_with(".js") && n != "sw.js"),
        ("css", |n: &str| n.ends_with(".css")),
        ("sw", |n: &str| n == "sw.js"),
    ] {
        let files = files_in(&p.dist, matches)?;
        if files.is_empty() && kind != "sw" {
            return Err(format!("no .{kind} file in {}", p.dist.display()));
        }
        let (raw, gzip, brotli) = sizes(&files)?;
        for (how, value) in [("raw", raw), ("gzip", gzip), ("brotli", brotli)] {
            figures.push(bytes_figure(format!("bundle_{kind}_{how}"), value));
        }
    }
    // The split bundle's modules: the core every page needs, each area's part, and the
    // chunks parts share (fetched with the first part that needs them).
    let modules = crate::bundle::modules(&p.dist)?;
    let (mut chunks, mut chunk_count) = (Vec::new(), 0);
    for (name, path) in &modules {
        if name.starts_with("chunk_") {
            chunks.push(path.clone());
            chunk_count += 1;
            continue;
        }
        let (raw, _, brotli) = sizes(std::slice::from_ref(path))?;
        let label = name.strip_prefix("split_").unwrap_or(name);
        figures.push(bytes_figure(format!("module_{label}_raw"), raw));
        figures.push(bytes_figure(format!("module_{label}_brotli"), brotli));
    }
    let (raw, _, brotli) = sizes(&chunks)?;
    figures.push(Figure {
        name: "shared_chunks".to_owned(),
        value: chunk_count as f64,
        decimals: 0,
        unit: "modules",
    });
    figures.push(bytes_figure("shared_chunks_raw".to_owned(), raw));
    figures.push(bytes_figure("shared_chunks_brotli".to_owned(), brotli));
    // Each pack (a part's modules in one file, with the core in a first visit's: what a first
    // visit fetches) beside the same modules compressed one by one.
    for (pack, modules) in packs(&p.dist)? {
        let label = pack
            .rsplit('/')
            .next()
            .and_then(|n| n.strip_suffix(".pack"))
            .ok_or_else(|| format!("sw.js names a pack {pack} not named <name>.pack"))?
            .to_owned();
        let at = |path: &str| p.dist.join(path.trim_start_matches('/'));
        let (_, _, packed) = sizes(&[at(&pack)])?;
        let (_, _, alone) = sizes(&modules.iter().map(|m| at(m)).collect::<Vec<_>>())?;
        figures.push(bytes_figure(format!("pack_{label}_brotli"), packed));
        figures.push(bytes_figure(
            format!("pack_{label}_modules_one_by_one_brotli"),
            alone,
        ));
    }
    Ok(figures)
}

/// The packs the build's service worker lists (`BUILD.packs` in `sw.js`, written by
/// `bundle::with_precache`): each pack's address and its modules'.
fn packs(dist: &Path) -> Result<Vec<(String, Vec<String>)>> {
    let sw = dist.join("sw.js");
    let text = fs::read_to_string(&sw).map_err(|e| format!("cannot read {}: {e}", sw.display()))?;
    let quoted =
        |s: &str| -> Vec<String> { s.split('"').skip(1).step_by(2).map(str::to_owned).collect() };
    let found: Vec<_> = text
        .lines()
        .filter_map(|line| line.split_once(".pack\": ["))
        .filter_map(|(pack, modules)| {
            let pack = format!("{}.pack", quoted(&format!("{pack}\"")).first()?);
            Some((pack, quoted(modules)))
        })
        .collect();
    if found.is_empty() {
        return Err(format!("{} lists no packs", sw.display()));
    }
    Ok(found)
}

/// The raw, gzip 9 and brotli 11 sizes of `files`, added up.
fn sizes(files: &[std::path::PathBuf]) -> Result<(u64, u64, u64)> {
    let (mut raw, mut gzip, mut brotli) = (0, 0, 0);
    for file in files {
        let bytes = fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        raw += bytes.len() as u64;
        gzip += gzip_bytes(&bytes)?.len() as u64;
        brotli += brotli_bytes(&bytes)?.len() as u64;
    }
    Ok((raw, gzip, brotli))
}

fn bytes_figure(name: String, value: u64) -> Figure {
    Figure {
        name,
        value: value as f64,
        decimals: 0,
        unit: "bytes",
    }
}

/// The layout's median time natively: the example prints its own `BENCH` lines.
fn layout_native(p: &Project, _: &Prepared) -> Result<Vec<Figure>> {
    let what = "the native layout benchmark (shared/examples/layout_bench.rs)";
    let out = run_capturing(p.cargo().args([
        "run",
        "--release",
        "-p",
        "atlas-shared",
        "--example",
        "layout_bench",
    ]))
    .map_err(|e| format!("{what} failed: {e}"))?;
    bench_figures(
        &out,
        what,
        &[
            format!("{LAYOUT_COUNTY}_native"),
            format!("{LAYOUT_DEEP}_native"),
        ],
    )
}

/// The layout's median time in the browser: a wasm-bindgen test, built with the profile the
/// app ships with, run in headless Chromium; `--nocapture` makes the runner show what it logs.
fn layout_browser(p: &Project, prepared: &Prepared) -> Result<Vec<Figure>> {
    wasm_bench(
        p,
        prepared.browser.as_ref(),
        "layout_bench",
        &[
            format!("{LAYOUT_COUNTY}_browser"),
            format!("{LAYOUT_DEEP}_browser"),
        ],
    )
}

/// Saving one consultation answer on a tablet already holding thousands, in headless Chromium
/// with real IndexedDB, and the memory the module then holds (`frontend/tests/store_bench.rs`).
fn save_answer_browser(p: &Project, prepared: &Prepared) -> Result<Vec<Figure>> {
    wasm_bench(
        p,
        prepared.browser.as_ref(),
        "store_bench",
        &[
            "save_one_answer_locally_browser".to_owned(),
            "tablet_memory_browser".to_owned(),
        ],
    )
}

/// How long the results page takes to aggregate 10,000 responses (summary, ranking and
/// breakdowns) in the browser: `frontend/tests/results_bench.rs`.
fn results_browser(p: &Project, prepared: &Prepared) -> Result<Vec<Figure>> {
    wasm_bench(
        p,
        prepared.browser.as_ref(),
        "results_bench",
        &["aggregate_10000_answers_browser".to_owned()],
    )
}

/// How smoothly the partnership map pans and zooms with 300 bodies and 1,000 lines in view:
/// real pointer and wheel events on the real `MapCanvas`, one per animation frame, and the
/// intervals between frames, beside an idle baseline (`frontend/tests/pan_bench.rs`).
fn pan_browser(p: &Project, prepared: &Prepared) -> Result<Vec<Figure>> {
    let mut expected = Vec::new();
    for phase in ["idle", "pan", "zoom"] {
        for figure in ["frame_median", "frame_p95", "fps"] {
            expected.push(format!("map_{phase}_{figure}_browser"));
        }
        if phase != "idle" {
            expected.push(format!("map_{phase}_work_p95_browser"));
        }
    }
    wasm_bench(p, prepared.browser.as_ref(), "pan_bench", &expected)
}

/// Runs the wasm-bindgen benchmark `frontend/tests/<test>.rs`, built with the profile the app
/// ships with, in headless Chromium (`--nocapture` makes the runner show what it logs), and
/// reads its `BENCH` lines, which must be exactly `expected`.
fn wasm_bench(
    p: &Project,
    browser: Option<&Browser>,
    test: &str,
    expected: &[String],
) -> Result<Vec<Figure>> {
    let what = format!("the browser benchmark frontend/tests/{test}.rs");
    let browser =
        browser.ok_or_else(|| format!("{what} needs Chromium, which was not prepared"))?;
    let mut cmd = frontend_wasm_tests(p, browser, 300)?;
    cmd.args([
        "--profile",
        "wasm-release",
        "--test",
        test,
        "--",
        "--nocapture",
    ]);
    let out = run_capturing(&mut cmd).map_err(|e| {
        format!(
            "{what} failed: {e}; it needs Chromium and ChromeDriver ({} and {}) and \
             wasm-bindgen-test-runner on PATH, see its output above",
            browser.chromium.display(),
            browser.chromedriver.display()
        )
    })?;
    bench_figures(&out, &what, expected)
}

/// The units a benchmark may print, with the digits shown after the decimal point.
const UNITS: &[(&str, usize)] = &[
    ("ms", 2),
    ("fps", 1),
    ("ratio", 3),
    ("answers/s", 0),
    ("rows/s", 0),
    ("count", 0),
    ("MB", 1),
    ("bytes", 0),
];

/// The `BENCH <name> <value> <unit>` lines in a benchmark's output (anywhere on a line: a
/// runner may prefix what it relays), `<unit>` one of [`UNITS`], which must be exactly the
/// `expected` names.
fn bench_figures(output: &str, what: &str, expected: &[String]) -> Result<Vec<Figure>> {
    let mut figures = Vec::new();
    for line in output.lines() {
        let Some(at) = line.find("BENCH ") else {
            continue;
        };
        let fields: Vec<&str> = line[at..].split_whitespace().collect();
        let units = UNITS
            .iter()
            .map(|(u, _)| *u)
            .collect::<Vec<_>>()
            .join(" or ");
        let (name, value, (unit, decimals)) = match fields[..] {
            [_, name, value, unit] => match UNITS.iter().find(|(u, _)| *u == unit) {
                Some(&found) => (name, value, found),
                None => {
                    return Err(format!(
                        "{what} printed `{line}`: the unit `{unit}` is not {units}"
                    ));
                }
            },
            _ => {
                return Err(format!(
                    "{what} printed `{line}`, not `BENCH <name> <value> <unit>`"
                ));
            }
        };
        let value: f64 = value
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| format!("{what} printed `{line}`: `{value}` is not a figure"))?;
        figures.push(Figure {
            name: name.to_owned(),
            value,
            decimals,
            unit,
        });
    }
    let found: Vec<&str> = figures.iter().map(|f| f.name.as_str()).collect();
    if found != expected {
        return Err(format!(
            "{what} should print BENCH lines for {} but printed {}",
            expected.join(", "),
            if found.is_empty() {
                "none".to_owned()
            } else {
                found.join(", ")
            }
        ));
    }
    Ok(figures)
}

/// The database a backend benchmark runs on, named in its figures.
trait OnDatabase {
    /// The end of each figure's name: nothing for SQLite (the names its figures had before
    /// PostgreSQL was measured, which scripts compare across runs), `_postgres` for PostgreSQL.
    const SUFFIX: &'static str;
    /// The example's `--database-url`, if it is given one.
    fn url(prepared: &Prepared) -> Result<Option<String>>;
}

/// A fresh SQLite file, which the example makes in a temporary folder of its own.
struct Sqlite;

impl OnDatabase for Sqlite {
    const SUFFIX: &'static str = "";
    fn url(_: &Prepared) -> Result<Option<String>> {
        Ok(None)
    }
}

/// The throwaway cluster, where the example makes a database of its own and drops it after.
struct Postgres;

impl OnDatabase for Postgres {
    const SUFFIX: &'static str = "_postgres";
    fn url(prepared: &Prepared) -> Result<Option<String>> {
        let cluster = prepared
            .postgres
            .as_ref()
            .ok_or("a PostgreSQL group runs on the throwaway cluster, which was not started")?;
        Ok(Some(cluster.url_template()))
    }
}

/// The sync ingest ratio: one device pushing 10,000 answers to a real server over HTTP, its
/// answers per second over the rows per second of the physical limit measured in the same run
/// (one row per answer inserted straight into the same kind of database in as many
/// transactions), and over the answers per second at which the rows the push stored for them
/// go into a new database with the server's schema:
/// `backend/examples/push_bench.rs`, built in release, prints its own `BENCH` lines.
/// It runs [`PUSH_RUNS`] times, each on new databases, and each figure is the median of the
/// runs' (each run's ratio is of its own push and baseline, measured one after the other).
fn push_responses<D: OnDatabase>(p: &Project, prepared: &Prepared) -> Result<Vec<Figure>> {
    let mut runs = Vec::with_capacity(PUSH_RUNS);
    for _ in 0..PUSH_RUNS {
        runs.push(backend_example::<D>(
            p,
            prepared,
            "push_bench",
            &[],
            &[
                "push_answers_per_s",
                "raw_insert_rows_per_s",
                "sync_ingest_ratio",
                "stored_rows_answers_per_s",
                "sync_ingest_ratio_stored_rows",
            ],
        )?);
    }
    medians(runs)
}

/// How many times the push benchmark runs. One run pushes for about a second and a half, and
/// on these machines one run's ratio varies by a quarter either way from the next (measured:
/// 0.37 to 0.57 in eight runs of one build), mostly with the disk's syncs.
const PUSH_RUNS: usize = 5;

/// Each figure's median over `runs` (the same figures, in the same order, in each run); every
/// run's value is printed too, so the spread is on record.
fn medians(runs: Vec<Vec<Figure>>) -> Result<Vec<Figure>> {
    let Some(first) = runs.first() else {
        return Err("no runs to take the median of".to_owned());
    };
    let mut figures = Vec::with_capacity(first.len());
    for (i, figure) in first.iter().enumerate() {
        let mut values = runs
            .iter()
            .map(|run| match run.get(i) {
                Some(f) if f.name == figure.name => Ok(f.value),
                _ => Err(format!("a run did not print {} in its place", figure.name)),
            })
            .collect::<Result<Vec<f64>>>()?;
        let shown: Vec<String> = values
            .iter()
            .map(|v| format!("{v:.*}", figure.decimals))
            .collect();
        println!(
            "{} in {} runs: {}",
            figure.name,
            runs.len(),
            shown.join(", ")
        );
        values.sort_by(f64::total_cmp);
        figures.push(Figure {
            name: figure.name.clone(),
            value: values[values.len() / 2],
            decimals: figure.decimals,
            unit: figure.unit,
        });
    }
    Ok(figures)
}

/// Pulling one new change from a database holding 1,000 records and 100,000, and the ratio:
/// `backend/examples/pull_bench.rs`.
fn pull_cost<D: OnDatabase>(p: &Project, prepared: &Prepared) -> Result<Vec<Figure>> {
    backend_example::<D>(
        p,
        prepared,
        "pull_bench",
        &[],
        &[
            "pull_one_change_1000_records",
            "pull_one_change_100000_records",
            "pull_cost_ratio",
        ],
    )
}

/// 50 tablets × 200 answers at once against the release server binary over HTTP
/// (throughput, push latency, the count stored), pushed and then handed off (the receipt's
/// latency, the time until all are applied), the server's resident memory idle and at its
/// peak, and the least time the database takes to store the rows of those answers:
/// `backend/examples/tablets_bench.rs`. A count other than 10,000 fails it.
fn many_tablets<D: OnDatabase>(p: &Project, prepared: &Prepared) -> Result<Vec<Figure>> {
    run(p
        .cargo()
        .args(["build", "--release", "-p", "atlas-backend"]))?;
    let server = p.target.join("release").join("atlas-backend");
    let server = server.display().to_string();
    backend_example::<D>(
        p,
        prepared,
        "tablets_bench",
        &["--server", &server],
        &[
            "tablets_answers_per_s",
            "tablets_push_p50",
            "tablets_push_p95",
            "tablets_push_p99",
            "tablets_answers_stored",
            "server_rss_idle",
            "server_rss_signed_in",
            "server_rss_peak",
            "tablets_handoff_p50",
            "tablets_handoff_p95",
            "tablets_handoff_p99",
            "tablets_handoff_all_applied",
            "tablets_handoff_answers_per_s",
            "tablets_handoff_answers_stored",
            "tablets_stored_rows_least",
        ],
    )
}

/// Runs `backend/examples/<example>.rs` in release with `args` on the database `D` and reads
/// its `BENCH` lines, which must be exactly `expected`; the figures are named with `D`'s
/// suffix.
fn backend_example<D: OnDatabase>(
    p: &Project,
    prepared: &Prepared,
    example: &str,
    args: &[&str],
    expected: &[&str],
) -> Result<Vec<Figure>> {
    let what = format!("the benchmark backend/examples/{example}.rs");
    let mut cmd = p.cargo();
    cmd.args([
        "run",
        "--release",
        "-p",
        "atlas-backend",
        "--example",
        example,
        "--",
    ])
    .args(args);
    if let Some(url) = D::url(prepared)? {
        cmd.args(["--database-url", &url]);
    }
    let out = run_capturing(&mut cmd).map_err(|e| format!("{what} failed: {e}"))?;
    let expected: Vec<String> = expected.iter().map(|e| (*e).to_owned()).collect();
    let mut figures = bench_figures(&out, &what, &expected)?;
    for figure in &mut figures {
        figure.name.push_str(D::SUFFIX);
    }
    Ok(figures)
}

/// The time from navigation to the map on screen with no network and the CPU slowed four
/// times, on the release app and server in headless Chromium (`tests/examples/offline_open.rs`).
fn offline_open(p: &Project, prepared: &Prepared) -> Result<Vec<Figure>> {
    e2e_example(
        p,
        prepared,
        "offline_open",
        &[
            "offline_open_map_median",
            "offline_open_map_fastest",
            "offline_open_map_slowest",
        ],
    )
}

/// The app's bytes a first visit fetches for the home page, a map and a public questionnaire,
/// and the time to the map on a slow connection: `tests/examples/first_load.rs`.
fn first_load(p: &Project, prepared: &Prepared) -> Result<Vec<Figure>> {
    e2e_example(
        p,
        prepared,
        "first_load",
        &[
            "first_load_home_bytes",
            "first_load_partnership_bytes",
            "first_load_map_bytes",
            "first_load_questionnaire_bytes",
            "first_load_map_slow_3g_ms",
        ],
    )
}

/// Runs the benchmark `tests/examples/<example>.rs` on the release server and app in headless
/// Chromium, and reads the figures it must print.
fn e2e_example(
    p: &Project,
    prepared: &Prepared,
    example: &str,
    expected: &[&str],
) -> Result<Vec<Figure>> {
    let what = format!("the benchmark tests/examples/{example}.rs");
    let browser = prepared
        .browser
        .as_ref()
        .ok_or_else(|| format!("{what} needs Chromium, which was not prepared"))?;
    run(p
        .cargo()
        .args(["build", "--release", "-p", "atlas-backend"]))?;
    let mut cmd = p.cargo();
    cmd.args(["run", "--release", "-p", "atlas-e2e", "--example", example]);
    let server = p.target.join("release").join("atlas-backend");
    let out = run_capturing(e2e_env(&mut cmd, p, browser, &server))
        .map_err(|e| format!("{what} failed: {e}"))?;
    let expected: Vec<String> = expected.iter().map(|name| (*name).to_owned()).collect();
    bench_figures(&out, &what, &expected)
}

/// What a visitor's browser actually receives: the real server (release build) serving
/// `dist/`, asked for the wasm, the JavaScript and the CSS with `Accept-Encoding: br` and
/// then `gzip`; the bytes of each body as sent, which must carry that `Content-Encoding`.
fn wire_sizes(p: &Project, _: &Prepared) -> Result<Vec<Figure>> {
    run(p
        .cargo()
        .args(["build", "--release", "-p", "atlas-backend"]))?;
    let data = p.target.join("xtask").join("bench-server");
    let _ = fs::remove_dir_all(&data);
    fs::create_dir_all(&data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
    let server = p.target.join("release").join("atlas-backend");
    let mut child = p
        .cmd(&server)
        .arg("--addr")
        .arg("127.0.0.1:0")
        .arg("--database-url")
        .arg(format!("sqlite://{}", data.join("atlas.db").display()))
        .arg("--dist")
        .arg(&p.dist)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", server.display()))?;
    let measured = (|| {
        // The server's one line on stdout: "Partnership Atlas is running at http://<addr>/".
        let mut line = String::new();
        let stdout = child.stdout.take().ok_or("the server has no stdout")?;
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the server's address: {e}"))?;
        let addr = line
            .trim()
            .rsplit("http://")
            .next()
            .map(|a| a.trim_end_matches('/').to_owned())
            .filter(|a| a.contains(':'))
            .ok_or_else(|| format!("the server said {line:?}, not its address"))?;
        let mut figures = Vec::new();
        for (kind, matches) in [
            ("wasm", (|n: &str| n.ends_with(".wasm")) as fn(&str) -> bool),
            ("js", |n: &str| n.ends_with(".js") && n != "sw.js"),
            ("css", |n: &str| n.ends_with(".css")),
        ] {
            let files = files_in(&p.dist, matches)?;
            for encoding in ["br", "gzip"] {
                let mut total = 0;
                for file in &files {
                    let path = file.strip_prefix(&p.dist).unwrap_or(file).display();
                    total += wire_bytes(&addr, &format!("/{path}"), encoding)?;
                }
                figures.push(Figure {
                    name: format!("wire_{kind}_{encoding}"),
                    value: total as f64,
                    decimals: 0,
                    unit: "bytes",
                });
            }
        }
        Ok(figures)
    })();
    let _ = child.kill();
    let _ = child.wait();
    let _ = fs::remove_dir_all(&data);
    measured
}

/// `GET path` from the server at `addr` with `Accept-Encoding: encoding`: the length of the
/// body as sent, which must be `200` with that `Content-Encoding` and not chunked (the server
/// sends files with their length).
fn wire_bytes(addr: &str, path: &str, encoding: &str) -> Result<u64> {
    let what = format!("GET {path} (Accept-Encoding: {encoding})");
    let mut stream =
        TcpStream::connect(addr).map_err(|e| format!("{what}: cannot connect to {addr}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept-Encoding: {encoding}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("{what}: {e}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| format!("{what}: {e}"))?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("{what}: no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let body = raw.len() - (split + 4);
    let header = |name: &str| {
        head.lines()
            .skip(1)
            .find_map(|l| l.strip_prefix(&format!("{name}:")).map(str::trim))
    };
    if !head.starts_with("http/1.1 200") {
        return Err(format!("{what}: {}", head.lines().next().unwrap_or("")));
    }
    if header("content-encoding") != Some(encoding) {
        return Err(format!(
            "{what}: sent with Content-Encoding {:?}; is dist/ built by cargo xtask (with its .br and .gz copies)?",
            header("content-encoding")
        ));
    }
    if header("content-length").and_then(|l| l.parse().ok()) != Some(body) {
        return Err(format!(
            "{what}: {body} bytes arrived, not the Content-Length {:?}",
            header("content-length")
        ));
    }
    Ok(body as u64)
}

fn files_in(dir: &Path, matches: fn(&str) -> bool) -> Result<Vec<std::path::PathBuf>> {
    Ok(all_files(dir)?
        .into_iter()
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(matches)
        })
        .collect())
}

/// `value` with `decimals` digits after the point and commas between thousands.
fn group_digits(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text.as_str(), None),
    };
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Prep, bench_figures, chosen, group_digits};

    #[test]
    fn every_backend_benchmark_runs_on_both_databases() {
        let titles = |only| -> Vec<(&str, bool)> {
            chosen(Some(only))
                .into_iter()
                .map(|(title, prep, _)| (*title, *prep == Prep::Postgres))
                .collect()
        };
        let backend = titles("atlas-backend --example");
        assert_eq!(backend.len(), 6, "{backend:?}");
        for example in ["push_bench", "pull_bench", "tablets_bench"] {
            let runs = titles(example);
            assert_eq!(runs.len(), 2, "{example}: {runs:?}");
            assert!(runs[0].0.contains(", SQLite (") && !runs[0].1, "{runs:?}");
            assert!(
                runs[1].0.contains(", PostgreSQL (") && runs[1].1,
                "{runs:?}"
            );
            assert!(runs[1].0.contains("--database-url postgres://"), "{runs:?}");
        }
        assert_eq!(titles("PostgreSQL").len(), 3);
        assert!(titles("SQLite").iter().all(|(_, on_postgres)| !on_postgres));
    }

    #[test]
    fn groups_digits_and_keeps_decimals() {
        assert_eq!(group_digits(1_234_567.0, 0), "1,234,567");
        assert_eq!(group_digits(123.0, 0), "123");
        assert_eq!(group_digits(1234.5678, 2), "1,234.57");
        assert_eq!(group_digits(7.0, 2), "7.00");
    }

    #[test]
    fn reads_bench_lines_and_insists_on_the_expected_ones() {
        let expected = ["a_native".to_owned(), "b_native".to_owned()];
        let out = "# details\nBENCH a_native 12.34 ms\nnoise\n  log: BENCH b_native 0.50 ms\n";
        let figures = bench_figures(out, "it", &expected).expect("both lines");
        let read: Vec<(&str, f64)> = figures.iter().map(|f| (f.name.as_str(), f.value)).collect();
        assert_eq!(read, [("a_native", 12.34), ("b_native", 0.5)]);
        for bad in [
            "test result: ok.",
            "BENCH a_native 12.34 ms",
            "BENCH a_native 12.34 ms\nBENCH b_native soon ms",
            "BENCH a_native 12.34 s\nBENCH b_native 1 ms",
        ] {
            assert!(bench_figures(bad, "it", &expected).is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_rates_counts_sizes_and_ratios() {
        let expected = [
            "push_answers_per_s".to_owned(),
            "raw_insert_rows_per_s".to_owned(),
            "sync_ingest_ratio".to_owned(),
            "tablets_answers_stored".to_owned(),
            "server_rss_peak".to_owned(),
            "first_load_map_bytes".to_owned(),
        ];
        let out = "BENCH push_answers_per_s 2744 answers/s\n\
                   BENCH raw_insert_rows_per_s 205000 rows/s\n\
                   BENCH sync_ingest_ratio 0.013 ratio\n\
                   BENCH tablets_answers_stored 10000 count\n\
                   BENCH server_rss_peak 41.25 MB\n\
                   BENCH first_load_map_bytes 510648 bytes\n";
        let figures = bench_figures(out, "it", &expected).expect("six lines");
        let shown: Vec<(&str, f64, usize, &str)> = figures
            .iter()
            .map(|f| (f.name.as_str(), f.value, f.decimals, f.unit))
            .collect();
        assert_eq!(
            shown,
            [
                ("push_answers_per_s", 2744.0, 0, "answers/s"),
                ("raw_insert_rows_per_s", 205000.0, 0, "rows/s"),
                ("sync_ingest_ratio", 0.013, 3, "ratio"),
                ("tablets_answers_stored", 10000.0, 0, "count"),
                ("server_rss_peak", 41.25, 1, "MB"),
                ("first_load_map_bytes", 510648.0, 0, "bytes"),
            ]
        );
    }

    #[test]
    fn reads_frames_per_second_with_their_own_decimals() {
        let expected = ["pan_p95".to_owned(), "pan_fps".to_owned()];
        let out = "BENCH pan_p95 16.70 ms\nBENCH pan_fps 59.9 fps\n";
        let figures = bench_figures(out, "it", &expected).expect("both lines");
        let read: Vec<(&str, f64, usize, &str)> = figures
            .iter()
            .map(|f| (f.name.as_str(), f.value, f.decimals, f.unit))
            .collect();
        assert_eq!(
            read,
            [("pan_p95", 16.7, 2, "ms"), ("pan_fps", 59.9, 1, "fps")]
        );
        let wrong_unit = "BENCH pan_p95 16.70 ms\nBENCH pan_fps 59.9 hz\n";
        let Err(err) = bench_figures(wrong_unit, "it", &expected) else {
            panic!("hz is not a unit");
        };
        assert!(err.contains("`hz` is not ms or fps or ratio"), "{err}");
    }
}
