//! Where things are, and running other programs with a clear record of what ran.

use std::env;
use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::Result;

/// The repository and the folders the chores read and write.
#[derive(Clone)]
pub struct Project {
    /// The repository root (the workspace).
    pub root: PathBuf,
    /// Cargo's target folder: `CARGO_TARGET_DIR` when set, else `<root>/target`.
    pub target: PathBuf,
    /// Tools installed for this repository: `<target>/tools` (git-ignored).
    pub tools: PathBuf,
    /// The built frontend (`cargo xtask`'s release bundle, `bundle.rs`).
    pub dist: PathBuf,
    /// `PATH` for every child: our tools first, then cargo's bin folder, then the caller's.
    pub path: OsString,
}

impl Project {
    pub fn locate() -> Result<Self> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .ok_or("xtask is not inside the workspace")?
            .to_path_buf();
        let target = match env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => root.join(dir),
            _ => root.join("target"),
        };
        let tools = target.join("tools");
        let mut dirs = vec![tools.join("bin"), tools.join("node_modules").join(".bin")];
        dirs.push(cargo_home().join("bin"));
        dirs.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
        let path = env::join_paths(dirs).map_err(|e| format!("cannot build PATH: {e}"))?;
        Ok(Self {
            dist: root.join("dist"),
            root,
            target,
            tools,
            path,
        })
    }

    /// A command that runs in the repository root with our `PATH` and no stdin (CI has none).
    pub fn cmd(&self, program: impl AsRef<OsStr>) -> Command {
        let program = program.as_ref();
        let resolved = match program.to_str() {
            Some(name) if !name.contains('/') => self.which(name),
            _ => None,
        };
        let mut cmd = Command::new(resolved.as_deref().map_or(program, Path::as_os_str));
        cmd.current_dir(&self.root)
            .env("PATH", &self.path)
            .stdin(Stdio::null());
        cmd
    }

    /// `cargo` itself: the one that runs this xtask.
    pub fn cargo(&self) -> Command {
        let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        self.cmd(cargo)
    }

    /// Finds `name` on our `PATH`.
    pub fn which(&self, name: &str) -> Option<PathBuf> {
        env::split_paths(&self.path)
            .map(|dir| dir.join(name))
            .find(|p| is_executable(p))
    }

    /// The first line a program prints for `args` (e.g. `--version`), if it runs and succeeds.
    pub fn version_of(&self, program: &Path, args: &[&str]) -> Option<String> {
        let out = self.cmd(program).args(args).output().ok()?;
        if !out.status.success() {
            return None;
        }
        let text = String::from_utf8_lossy(&out.stdout);
        text.lines().next().map(|l| l.trim().to_owned())
    }
}

pub fn cargo_home() -> PathBuf {
    match env::var_os("CARGO_HOME") {
        Some(home) if !home.is_empty() => PathBuf::from(home),
        _ => PathBuf::from(env::var_os("HOME").unwrap_or_default()).join(".cargo"),
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Runs `cmd` to the end, showing its output; an error names the command when it fails.
pub fn run(cmd: &mut Command) -> Result<()> {
    let shown = show(cmd);
    println!("$ {shown}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Tests run and failed across every test command of this process, read from the runners'
/// own closing lines (`test result: ok. 12 passed; 0 failed; ...`), for the final summary.
static PASSED: AtomicUsize = AtomicUsize::new(0);
static FAILED: AtomicUsize = AtomicUsize::new(0);

/// Runs a test command like [`run`], echoing its output while counting the tests it reports.
pub fn run_tests(cmd: &mut Command) -> Result<()> {
    run_echoing(cmd, |line| {
        if let Some((passed, failed)) = parse_test_result(line) {
            PASSED.fetch_add(passed, Ordering::Relaxed);
            FAILED.fetch_add(failed, Ordering::Relaxed);
        }
    })
}

/// Runs `cmd` like [`run`], echoing its standard output and also returning it.
pub fn run_capturing(cmd: &mut Command) -> Result<String> {
    let mut out = String::new();
    run_echoing(cmd, |line| {
        out.push_str(line);
        out.push('\n');
    })?;
    Ok(out)
}

/// Runs `cmd` like [`run`], echoing each line of its standard output and passing it to `seen`.
fn run_echoing(cmd: &mut Command, mut seen: impl FnMut(&str)) -> Result<()> {
    let shown = show(cmd);
    println!("$ {shown}");
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(|l| l.ok()) {
            println!("{line}");
            seen(&line);
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("`{shown}` did not finish: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// The tests counted so far by [`run_tests`]: (passed, failed).
pub fn test_counts() -> (usize, usize) {
    (
        PASSED.load(Ordering::Relaxed),
        FAILED.load(Ordering::Relaxed),
    )
}

/// Reads `test result: ok. 12 passed; 0 failed; ...` (cargo's and wasm-bindgen-test's form).
fn parse_test_result(line: &str) -> Option<(usize, usize)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let number_before = |word: &str| -> Option<usize> {
        let at = rest.find(word)?;
        rest[..at].split_whitespace().last()?.parse().ok()
    };
    Some((number_before(" passed")?, number_before(" failed")?))
}

/// The command as a person would type it (environment set for it first).
pub fn show(cmd: &Command) -> String {
    let mut parts: Vec<String> = cmd
        .get_envs()
        .filter(|(k, _)| *k != "PATH")
        .filter_map(|(k, v)| Some(format!("{}={}", k.to_string_lossy(), v?.to_string_lossy())))
        .collect();
    let program = Path::new(cmd.get_program());
    let program = if program.components().count() > 1 {
        program.file_name().unwrap_or(program.as_os_str())
    } else {
        program.as_os_str()
    };
    parts.push(program.to_string_lossy().into_owned());
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

/// The version of a package recorded in `Cargo.lock`.
pub fn locked_version(root: &Path, package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let wanted = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted
            && let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
        {
            return Ok(version.trim_matches('"').to_owned());
        }
    }
    Err(format!("Cargo.lock has no package {package}"))
}

#[cfg(test)]
mod tests {
    use super::parse_test_result;

    #[test]
    fn reads_cargo_and_wasm_bindgen_test_closing_lines() {
        assert_eq!(
            parse_test_result(
                "test result: ok. 58 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.52s"
            ),
            Some((58, 0))
        );
        assert_eq!(
            parse_test_result(
                "test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 filtered out; finished in 0.88s"
            ),
            Some((2, 1))
        );
        assert_eq!(parse_test_result("running 3 tests"), None);
    }
}
