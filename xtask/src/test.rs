//! `cargo xtask test`: every check CI runs, in order, stopping at the first failure.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Result;
use crate::frontend::{build_frontend, start_release_compile};
use crate::postgres::{Cluster, Durability};
use crate::project::{Project, run, run_tests, test_counts};
use crate::stages::Stages;
use crate::tools::{self, Browser, Needs, WASM_TARGET};

/// The stages `--skip` accepts, in the order they run.
const SKIPPABLE: [&str; 9] = [
    "fmt",
    "clippy",
    "clippy-wasm",
    "unit",
    "postgres",
    "wasm",
    "bundle",
    "server",
    "e2e",
];

/// The start of the names of the backend tests that stop and start a PostgreSQL cluster of
/// their own (`backend/tests/integration/database_restart.rs`): they need PostgreSQL
/// installed, so they run in the `postgres` stage (with every backend test) and the `unit`
/// stage leaves them out.
const OWN_CLUSTER_TESTS: &str = "postgresql_stopped_and_started";

#[derive(clap::Args)]
pub struct TestArgs {
    /// Leave out a stage while working (CI skips nothing): fmt, clippy, clippy-wasm, unit,
    /// postgres, wasm, bundle, server, e2e. Repeat for several.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(SKIPPABLE))]
    skip: Vec<String>,
    /// Only run end-to-end tests whose name contains this (passed to the test binary).
    #[arg(long)]
    e2e_filter: Option<String>,
}

pub fn test(args: TestArgs) -> Result<()> {
    let p = Project::locate()?;
    let mut stages = Stages::new("xtask test", 11)
        .skipping(&args.skip)
        .watching_disk(&p.target);

    // The long compiles run in the background while the checks that need neither go on:
    // wasm-bindgen-cli (on a new machine) until the browser tests, the app's release
    // build until the end-to-end tests. Each is waited for in a stage of its own.
    let mut installing = None;
    let mut release_compile = None;
    stages.stage("tools (the long compiles start in the background)", || {
        installing = Some(tools::start(
            &p,
            Needs {
                lint: true,
                browser: true,
            },
        )?);
        if !args.skip.iter().any(|s| s == "bundle") {
            release_compile = start_release_compile(&p)?;
        }
        Ok(())
    })?;
    let installing = installing.ok_or("the tools stage started nothing")?;

    stages.keyed_stage("fmt", "fmt (and the stylesheets' braces)", || {
        run(p.cargo().args(["fmt", "--all", "--", "--check"]))?;
        for path in stylesheets(&p.root)? {
            let css = fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            if let Some((line, what)) = css_brace_problem(&css) {
                return Err(format!("{}:{line}: {what}", path.display()));
            }
        }
        Ok(())
    })?;
    stages.keyed_stage("clippy", "clippy (native)", || {
        run(p.cargo().args([
            "clippy",
            "--workspace",
            "--exclude",
            "atlas-frontend",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    stages.keyed_stage("clippy-wasm", "clippy (frontend, wasm32)", || {
        let clippy = |targets: &[&str]| {
            let mut cmd = p.cargo();
            cmd.args(["clippy", "-p", "atlas-frontend", "--target", WASM_TARGET])
                .args(targets)
                .args(["--", "-D", "warnings"]);
            run(&mut cmd)
        };
        clippy(&["--all-targets"])?;
        // The browser benchmarks (`test = false`, which `--all-targets` leaves out), so one
        // that no longer compiles fails here rather than in `cargo xtask bench`. A run of
        // their own: beside `--all-targets` (or `--tests`), cargo ignores `--test` for them.
        clippy(&[
            "--test",
            "layout_bench",
            "--test",
            "store_bench",
            "--test",
            "results_bench",
            "--test",
            "pan_bench",
        ])
    })?;
    stages.keyed_stage("unit", "unit and integration tests (native)", || {
        // The end-to-end crate needs the built app; it runs last. The tests that run a
        // PostgreSQL cluster of their own run once, in the next stage, which installs it.
        run_tests(p.cargo().args([
            "test",
            "--workspace",
            "--exclude",
            "atlas-frontend",
            "--exclude",
            "atlas-e2e",
            "--",
            "--skip",
            OWN_CLUSTER_TESTS,
        ]))
    })?;
    stages.keyed_stage(
        "postgres",
        "backend tests on PostgreSQL (a throwaway cluster)",
        || {
            // Stopped and removed when this closure ends, passed or failed.
            let cluster = Cluster::start(&p, Durability::Throwaway)?;
            run_tests(
                p.cargo()
                    .args(["test", "-p", "atlas-backend"])
                    .env("ATLAS_TEST_DATABASE_URL", cluster.url_template()),
            )
        },
    )?;
    let mut browser = None;
    stages.stage("tools (waiting for wasm-bindgen-cli)", || {
        browser = installing.finish(&p)?;
        Ok(())
    })?;
    let browser = browser.ok_or("no browser after installing tools")?;
    stages.keyed_stage("wasm", "frontend tests (wasm32, headless Chromium)", || {
        run_tests(&mut frontend_wasm_tests(&p, &browser, 60)?)
    })?;
    stages.keyed_stage("bundle", "frontend release build (split by area)", || {
        if let Some(job) = release_compile.take() {
            let took = job.wait()?;
            println!("the release compile finished after {}s", took.as_secs());
        }
        build_frontend(&p)?;
        crate::budget::check(&p.dist).map(|_| ())
    })?;
    stages.keyed_stage("server", "server build", || {
        run(p.cargo().args(["build", "-p", "atlas-backend"]))
    })?;
    stages.keyed_stage("e2e", "end-to-end tests (atlas-e2e)", || {
        let shots = p.target.join("e2e-screenshots");
        let mut cmd = p.cargo();
        // Two scenarios at a time (one per core): each waits on its page much of the time,
        // and each has a server and browsers of its own (`tests/tests/e2e/main.rs`).
        cmd.args(["test", "-p", "atlas-e2e", "--", "--test-threads=2"]);
        e2e_env(
            &mut cmd,
            &p,
            &browser,
            &p.target.join("debug").join("atlas-backend"),
        )
        .env("ATLAS_SCREENSHOTS", &shots);
        if let Some(filter) = &args.e2e_filter {
            cmd.arg(filter);
        }
        run_tests(&mut cmd)?;
        println!("screenshots: {}", shots.display());
        Ok(())
    })?;
    stages.summary();
    let (passed, failed) = test_counts();
    println!("\nall checks passed");
    // The plain closing line CI reads: every test of every runner, added up.
    println!("{passed} passed, {failed} failed");
    Ok(())
}

/// `cmd` with the environment the end-to-end harness reads (`tests/src/lib.rs`): the built
/// app, the server binary `backend`, ChromeDriver, Chromium and axe-core.
pub fn e2e_env<'c>(
    cmd: &'c mut Command,
    p: &Project,
    browser: &Browser,
    backend: &std::path::Path,
) -> &'c mut Command {
    cmd.env("ATLAS_DIST", &p.dist)
        .env("ATLAS_BACKEND_BIN", backend)
        .env("CHROMEDRIVER", &browser.chromedriver)
        .env("CHROMIUM", &browser.chromium)
        .env("ATLAS_AXE_JS", &browser.axe_js)
}

/// `cargo test -p atlas-frontend --target wasm32-unknown-unknown`, ready to run in headless
/// Chromium: the runner (`wasm-bindgen-test-runner`, set in `.cargo/config.toml`) is told where
/// ChromeDriver and our browser are, and allows each test file `timeout_secs`. Add `--test`,
/// `--profile` or runner arguments (after `--`) as needed.
pub fn frontend_wasm_tests(p: &Project, browser: &Browser, timeout_secs: u32) -> Result<Command> {
    let caps = p.tools.join("webdriver.json");
    fs::write(&caps, webdriver_json(&browser.chromium))
        .map_err(|e| format!("cannot write {}: {e}", caps.display()))?;
    let mut cmd = p.cargo();
    cmd.args(["test", "-p", "atlas-frontend", "--target", WASM_TARGET])
        .env("CHROMEDRIVER", &browser.chromedriver)
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &caps)
        .env("WASM_BINDGEN_TEST_TIMEOUT", timeout_secs.to_string());
    Ok(cmd)
}

/// Capabilities for wasm-bindgen-test-runner (it adds headless and no-sandbox itself): our
/// Chromium, and no calls to Google's servers, which this machine's network refuses.
fn webdriver_json(chromium: &std::path::Path) -> String {
    let binary = chromium
        .display()
        .to_string()
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    format!(
        r#"{{
  "goog:chromeOptions": {{
    "binary": "{binary}",
    "args": [
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic"
    ]
  }}
}}
"#
    )
}

/// The app's stylesheets: `style.css`, the areas' sheets the parts insert
/// (`frontend/src/styles/`) and the map's own.
fn stylesheets(root: &Path) -> Result<Vec<PathBuf>> {
    let frontend = root.join("frontend");
    let mut files = vec![
        frontend.join("style.css"),
        frontend.join("src/pages/structure/map.css"),
    ];
    let sheets = frontend.join("src/styles");
    let mut more: Vec<PathBuf> = fs::read_dir(&sheets)
        .map_err(|e| format!("cannot read {}: {e}", sheets.display()))?
        .flatten()
        .map(|f| f.path())
        .filter(|p| p.extension().is_some_and(|e| e == "css"))
        .collect();
    more.sort();
    files.extend(more);
    Ok(files)
}

/// Where the stylesheet's braces stop matching: the line of a `}` with nothing open, or of the
/// block still open at the end. `None` when every block is closed. Comments and strings are
/// skipped. (A block left open swallows every rule after it, and browsers say nothing.)
fn css_brace_problem(css: &str) -> Option<(usize, &'static str)> {
    let mut open: Vec<usize> = Vec::new();
    let mut line = 1;
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                    }
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '"' | '\'' => {
                for d in chars.by_ref() {
                    if d == c || d == '\n' {
                        if d == '\n' {
                            line += 1;
                        }
                        break;
                    }
                }
            }
            '{' => open.push(line),
            '}' if open.pop().is_none() => return Some((line, "a `}` closes nothing")),
            _ => {}
        }
    }
    open.last().map(|&l| (l, "a `{` is never closed"))
}

#[cfg(test)]
mod tests {
    use super::{css_brace_problem, stylesheets};

    #[test]
    fn every_stylesheet_closes_every_block() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let files = stylesheets(&root).expect("the stylesheets");
        assert!(files.len() >= 6, "{files:?}");
        for path in files {
            let css = std::fs::read_to_string(&path).expect("a stylesheet");
            assert_eq!(css_brace_problem(&css), None, "in {}", path.display());
        }
    }

    #[test]
    fn an_unclosed_or_stray_brace_is_found_with_its_line() {
        assert_eq!(
            css_brace_problem("a { b: c; }\n/* } */ d { content: \"}\"; }"),
            None
        );
        assert_eq!(
            css_brace_problem("@media print {\n  a { b: c; }\n"),
            Some((1, "a `{` is never closed"))
        );
        assert_eq!(
            css_brace_problem("a { }\n}\n"),
            Some((2, "a `}` closes nothing"))
        );
    }
}
