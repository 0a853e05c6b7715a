//! Installs the tools the build needs when they are missing or at the wrong version.
//!
//! Nothing is downloaded by the build itself: it runs cargo offline and finds `wasm-bindgen`
//! and `wasm-opt` on the `PATH` this module prepares (`bundle.rs`).
//!
//! | tool | from | where |
//! | --- | --- | --- |
//! | wasm32 target, rustfmt, clippy | rustup | the toolchain |
//! | wasm-bindgen-cli (with `wasm-bindgen-test-runner`), the version in Cargo.lock | crates.io | `target/tools/bin` |
//! | wasm-opt (binaryen), terser, axe-core | npm | `target/tools/node_modules` |
//! | Chromium, ChromeDriver (tests only) | Debian (apt) | `/usr/bin` |
//! | PostgreSQL (tests only: [`postgres`](crate::postgres)) | Debian (apt) | `/usr/lib/postgresql` |
//!
//! A tool already on the `PATH` at the right version (say in `~/.cargo/bin`) is used as is.
//! Trunk is not needed: `cargo xtask` builds the release itself, split by area. It is only
//! for `trunk serve` while working on the interface (see `Trunk.toml`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::thread;

use crate::Result;
use crate::background::Job;
use crate::project::{Project, locked_version, run};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// binaryen's `wasm-opt`, from npm (Debian's is too old for today's Rust wasm).
pub const BINARYEN_VERSION: &str = "132.0.0";
/// terser minifies the bundle's JavaScript (`bundle.rs`).
pub const TERSER_VERSION: &str = "5.51.4";
/// Matches `[tools] wasm_opt` in Trunk.toml (for `trunk serve`).
pub const WASM_OPT_TRUNK_VERSION: &str = "version_132";
/// axe-core judges the app's accessibility in the end-to-end tests, so it is kept at the
/// current release (newer releases find more). To move to a newer one: `npm view axe-core
/// version`, put that exact version here (an exact pin: the same checks on every machine),
/// run the end-to-end tests (`cargo xtask test`; the next run installs it into
/// `target/tools`) and fix what the new release reports, or say in the commit why not.
pub const AXE_CORE_VERSION: &str = "4.14.1";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

#[derive(Clone, Copy)]
pub struct Needs {
    /// rustfmt and clippy.
    pub lint: bool,
    /// Chromium, ChromeDriver and axe-core.
    pub browser: bool,
}

/// Where the browser pieces are, once installed.
pub struct Browser {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
    pub axe_js: PathBuf,
}

/// Installs what is missing and waits for it all.
pub fn ensure(p: &Project, needs: Needs) -> Result<Option<Browser>> {
    start(p, needs)?.finish(p)
}

/// Installs what is missing, leaving the long part running: the `cargo install` of
/// wasm-bindgen-cli (minutes on a new machine). Everything else (Debian's packages, the
/// Rust toolchain's pieces, the npm packages) is in place when this returns;
/// [`Installing::finish`] waits for the rest.
pub fn start(p: &Project, needs: Needs) -> Result<Installing> {
    fs::create_dir_all(&p.tools)
        .map_err(|e| format!("cannot create {}: {e}", p.tools.display()))?;
    let wasm_bindgen = locked_version(&p.root, "wasm-bindgen")?;
    check_trunk_toml(p, &wasm_bindgen)?;

    // Debian packages go first: npm needs node, and Chromium can download while cargo builds.
    let mut apt_now = Vec::new();
    if p.which("npm").is_none() || p.which("node").is_none() {
        apt_now.extend(["nodejs", "npm"]);
    }
    let browser_missing = needs.browser
        && (browser_path("CHROMIUM", CHROMIUM).is_none()
            || browser_path("CHROMEDRIVER", CHROMEDRIVER).is_none());
    let mut apt_background = None;
    if browser_missing {
        if apt_now.is_empty() {
            apt_background = Some(apt_in_background(p, &["chromium", "chromium-driver"]));
        } else {
            apt_now.extend(["chromium", "chromium-driver"]);
        }
    }
    if !apt_now.is_empty() {
        apt_install(p, &apt_now, None)?;
    }

    rust_toolchain(p, needs.lint)?;
    npm_packages(p, needs.browser)?;
    let cargo = start_cargo_tools(p, &wasm_bindgen)?;
    // Waited for here, not left running: a later stage may install from Debian too
    // (PostgreSQL), and apt takes one install at a time.
    if let Some(job) = apt_background {
        println!("waiting for Chromium and ChromeDriver (apt)...");
        job.join()
            .map_err(|_| "the apt install thread panicked".to_owned())??;
    }
    Ok(Installing { cargo, needs })
}

/// What [`start`] left running.
pub struct Installing {
    cargo: CargoTools,
    needs: Needs,
}

impl Installing {
    /// Waits for the installs still running; then every tool is in place.
    pub fn finish(self, p: &Project) -> Result<Option<Browser>> {
        self.cargo.finish(p)?;
        if !self.needs.browser {
            return Ok(None);
        }
        let chromium = browser_path("CHROMIUM", CHROMIUM)
            .ok_or_else(|| format!("Chromium is not at {CHROMIUM} after installing it"))?;
        let chromedriver = browser_path("CHROMEDRIVER", CHROMEDRIVER)
            .ok_or_else(|| format!("ChromeDriver is not at {CHROMEDRIVER} after installing it"))?;
        let axe_js = p.tools.join("node_modules/axe-core/axe.min.js");
        println!(
            "browser: {} and {}",
            chromium.display(),
            chromedriver.display()
        );
        Ok(Some(Browser {
            chromium,
            chromedriver,
            axe_js,
        }))
    }
}

/// Trunk reads the versions it wants from Trunk.toml; they must be the ones installed here.
fn check_trunk_toml(p: &Project, wasm_bindgen: &str) -> Result<()> {
    let text = fs::read_to_string(p.root.join("Trunk.toml"))
        .map_err(|e| format!("cannot read Trunk.toml: {e}"))?;
    for (key, want) in [
        ("wasm_bindgen", wasm_bindgen),
        ("wasm_opt", WASM_OPT_TRUNK_VERSION),
    ] {
        let line = format!("{key} = \"{want}\"");
        if !text.lines().any(|l| l.trim() == line) {
            return Err(format!(
                "Trunk.toml must say `{line}` under [tools] (Cargo.lock has wasm-bindgen {wasm_bindgen}; \
                 xtask installs binaryen {BINARYEN_VERSION})"
            ));
        }
    }
    Ok(())
}

fn rust_toolchain(p: &Project, lint: bool) -> Result<()> {
    let Some(rustup) = p.which("rustup") else {
        // No rustup: the toolchain must already have what we need; cargo will say if not.
        println!("rustup not found; assuming the toolchain has the {WASM_TARGET} target");
        return Ok(());
    };
    let installed = |what: &str| -> Result<String> {
        let out = p
            .cmd(&rustup)
            .args([what, "list", "--installed"])
            .output()
            .map_err(|e| format!("cannot run rustup: {e}"))?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    if !installed("target")?
        .lines()
        .any(|l| l.trim() == WASM_TARGET)
    {
        run(p.cmd(&rustup).args(["target", "add", WASM_TARGET]))?;
    }
    if lint {
        let components = installed("component")?;
        for component in ["rustfmt", "clippy"] {
            if !components.lines().any(|l| l.starts_with(component)) {
                run(p.cmd(&rustup).args(["component", "add", component]))?;
            }
        }
    }
    println!("rust: {WASM_TARGET} target present");
    Ok(())
}

/// `cargo install` of wasm-bindgen-cli when it is missing, in the background: wait with
/// [`CargoTools::finish`].
fn start_cargo_tools(p: &Project, wasm_bindgen: &str) -> Result<CargoTools> {
    let mut installs = Vec::new();
    let want_bindgen = format!("wasm-bindgen {wasm_bindgen}");
    let want_runner = format!("wasm-bindgen-test-runner {wasm_bindgen}");
    if !(has_version(p, "wasm-bindgen", &want_bindgen)
        && has_version(p, "wasm-bindgen-test-runner", &want_runner))
    {
        let mut cmd = p.cargo();
        // Not --locked: the CLI's own lock file pins crates that no longer build together.
        // Optimised, but not fully: it rewrites each test binary and the app once per build.
        cmd.args(["install", "wasm-bindgen-cli", "--version", wasm_bindgen])
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1");
        installs.push(("wasm-bindgen-cli", cmd));
    }
    let mut jobs = Vec::new();
    for (name, mut cmd) in installs {
        cmd.arg("--root")
            .arg(&p.tools)
            // Tools, not shipped code: a plain optimised build, in a third of the time of the
            // crates' own fat-LTO release profiles.
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
            .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
            .env_remove("CARGO_TARGET_DIR");
        let log = p.tools.join("logs").join(format!("install-{name}.log"));
        jobs.push(Job::start(
            &format!("cargo install {name}"),
            &mut cmd,
            &log,
        )?);
    }
    if !jobs.is_empty() {
        println!("compiling from crates.io; this takes several minutes, once");
    }
    Ok(CargoTools {
        jobs,
        want: [
            ("wasm-bindgen", want_bindgen),
            ("wasm-bindgen-test-runner", want_runner),
        ],
    })
}

/// The `cargo install`s [`start_cargo_tools`] started, and the versions they must give.
struct CargoTools {
    jobs: Vec<Job>,
    want: [(&'static str, String); 2],
}

impl CargoTools {
    fn finish(self, p: &Project) -> Result<()> {
        let mut failed = Vec::new();
        for job in self.jobs {
            let name = job.name().to_owned();
            match job.wait() {
                Ok(took) => println!("{name}: done in {}s", took.as_secs()),
                Err(e) => failed.push(e),
            }
        }
        if !failed.is_empty() {
            return Err(failed.join("\n"));
        }
        for (program, want) in &self.want {
            expect_version(p, program, want)?;
        }
        Ok(())
    }
}

/// The last `lines` lines of the file at `path` (empty when it cannot be read).
pub(crate) fn tail(path: &Path, lines: usize) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

fn has_version(p: &Project, program: &str, want: &str) -> bool {
    let found = p
        .which(program)
        .and_then(|path| Some((p.version_of(&path, &["--version"])?, path)));
    match found {
        Some((version, path)) if version == want => {
            println!("{program}: {version} ({})", path.display());
            true
        }
        Some((version, path)) => {
            println!(
                "{program}: found {version} at {}, want {want}",
                path.display()
            );
            false
        }
        None => {
            println!("{program}: not found");
            false
        }
    }
}

fn expect_version(p: &Project, program: &str, want: &str) -> Result<()> {
    if has_version(p, program, want) {
        Ok(())
    } else {
        Err(format!("{program} is still not {want} after installing it"))
    }
}

/// binaryen (wasm-opt) and terser, for the bundle, and, for tests, axe-core: npm packages in
/// `target/tools`.
fn npm_packages(p: &Project, browser: bool) -> Result<()> {
    let wanted = [
        ("binaryen", BINARYEN_VERSION),
        ("terser", TERSER_VERSION),
        ("axe-core", AXE_CORE_VERSION),
    ];
    let missing: Vec<_> = wanted
        .iter()
        .filter(|(name, version)| npm_installed(&p.tools, name).as_deref() != Some(*version))
        .collect();
    let wasm_opt = p.tools.join("node_modules/.bin/wasm-opt");
    if missing.is_empty() && p.version_of(&wasm_opt, &["--version"]).is_some() {
        for (name, version) in wanted {
            println!(
                "{name}: {version} (npm, {})",
                p.tools.join("node_modules").display()
            );
        }
        return Ok(());
    }
    // One package.json for them all: `npm install` removes whatever package.json does not list.
    let deps: Vec<String> = wanted
        .iter()
        .map(|(name, version)| format!("    \"{name}\": \"{version}\""))
        .collect();
    let manifest = format!(
        "{{\n  \"name\": \"atlas-build-tools\",\n  \"private\": true,\n  \"description\": \"Written by cargo xtask\",\n  \"dependencies\": {{\n{}\n  }}\n}}\n",
        deps.join(",\n")
    );
    fs::write(p.tools.join("package.json"), manifest).map_err(|e| {
        format!(
            "cannot write {}: {e}",
            p.tools.join("package.json").display()
        )
    })?;
    println!(
        "installing from npm into {}: {}",
        p.tools.display(),
        describe(&wanted)
    );
    run(p
        .cmd("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--prefix",
        ])
        .arg(&p.tools))?;
    let version = p.version_of(&wasm_opt, &["--version"]).ok_or_else(|| {
        format!(
            "{} does not run after installing binaryen",
            wasm_opt.display()
        )
    })?;
    println!("wasm-opt: {version}");
    let terser = p.tools.join("node_modules/.bin/terser");
    let version = p
        .version_of(&terser, &["--version"])
        .ok_or_else(|| format!("{} does not run after installing terser", terser.display()))?;
    println!("terser: {version}");
    if browser && npm_installed(&p.tools, "axe-core").is_none() {
        return Err("axe-core is missing after npm install".into());
    }
    Ok(())
}

fn describe(packages: &[(&str, &str)]) -> String {
    packages
        .iter()
        .map(|(n, v)| format!("{n}@{v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The version of an npm package installed in `<prefix>/node_modules`.
fn npm_installed(prefix: &Path, name: &str) -> Option<String> {
    let text =
        fs::read_to_string(prefix.join("node_modules").join(name).join("package.json")).ok()?;
    // Good enough for npm's own formatting: the first top-level "version" key.
    let at = text.find("\"version\"")?;
    let rest = &text[at + "\"version\"".len()..];
    let start = rest.find('"')? + 1;
    let end = start + rest[start..].find('"')?;
    Some(rest[start..end].to_owned())
}

fn browser_path(env_var: &str, default: &str) -> Option<PathBuf> {
    let path = std::env::var_os(env_var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default));
    path.is_file().then_some(path)
}

/// `apt-get update && apt-get install -y ...`, as root or through sudo.
pub(crate) fn apt_install(p: &Project, packages: &[&str], log: Option<&Path>) -> Result<()> {
    let root = p
        .version_of(Path::new("id"), &["-u"])
        .is_some_and(|uid| uid == "0");
    let sudo = if root { None } else { p.which("sudo") };
    if !root && sudo.is_none() {
        return Err(format!(
            "need the Debian packages {} and am not root (install them, then run again)",
            packages.join(" ")
        ));
    }
    for args in [
        vec!["update"],
        [vec!["install", "-y"], packages.to_vec()].concat(),
    ] {
        let mut cmd = match &sudo {
            Some(sudo) => {
                let mut c = p.cmd(sudo);
                c.arg("apt-get");
                c
            }
            None => p.cmd("apt-get"),
        };
        cmd.args(&args).env("DEBIAN_FRONTEND", "noninteractive");
        if let Some(log) = log {
            let file = fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .map_err(|e| format!("cannot open {}: {e}", log.display()))?;
            let err = file.try_clone().map_err(|e| e.to_string())?;
            cmd.stdout(Stdio::from(file)).stderr(Stdio::from(err));
        }
        run(&mut cmd).map_err(|e| match log {
            Some(log) => format!("{e}; see {}", log.display()),
            None => e,
        })?;
    }
    Ok(())
}

fn apt_in_background(
    p: &Project,
    packages: &'static [&'static str],
) -> thread::JoinHandle<Result<()>> {
    let log = p.tools.join("apt.log");
    println!(
        "installing {} from Debian in the background (log: {})",
        packages.join(" "),
        log.display()
    );
    let p = p.clone();
    thread::spawn(move || apt_install(&p, packages, Some(&log)))
}
