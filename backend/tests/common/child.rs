//! The real server binary as a child process, for what an in-process server cannot show: a
//! process killed with SIGKILL mid-push and started again on the same database, or two
//! processes serving one database. It starts on `127.0.0.1:0` and its address is read from the
//! one line it prints on stdout ("Partnership Atlas is running at http://…/"); its log goes to
//! a file whose end is shown when it fails to start.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long the binary may take to migrate and print its address.
const START_TIMEOUT: Duration = Duration::from_secs(60);

pub struct ChildServer {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    child: Child,
    log: PathBuf,
}

impl ChildServer {
    /// Starts the server binary on `database_url`, logging to a file in `dir` (kept across
    /// restarts: each start appends). Panics, saying why and showing the log, when it exits or
    /// prints no address in time.
    pub fn start(database_url: &str, dir: &Path) -> Self {
        let binary = env!("CARGO_BIN_EXE_atlas-backend");
        let log = dir.join("server.log");
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap_or_else(|e| panic!("cannot open the log {}: {e}", log.display()));
        let mut child = Command::new(binary)
            .arg("--addr")
            .arg("127.0.0.1:0")
            .arg("--database-url")
            .arg(database_url)
            .arg("--dist")
            .arg(dir.join("no-dist-here"))
            .env_remove("ATLAS_ADDR")
            .env_remove("DATABASE_URL")
            .env_remove("ATLAS_DIST")
            .env_remove("ATLAS_DEMO_DATA")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {binary}: {e}"));
        let stdout = child.stdout.take().expect("the child's stdout is piped");
        let (tx, rx) = mpsc::channel();
        // Reads the address line, then drains stdout so the child never blocks on it.
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            for line in lines.by_ref() {
                let Ok(line) = line else { break };
                if let Some(rest) = line.split_once("running at ").map(|(_, r)| r) {
                    let _ = tx.send(rest.trim_end_matches('/').to_owned());
                    break;
                }
            }
            for _ in lines {}
        });
        let base = match rx.recv_timeout(START_TIMEOUT) {
            Ok(base) => base,
            Err(_) => {
                let status = child.try_wait().ok().flatten();
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "the server binary printed no address within {START_TIMEOUT:?} (exit: \
                     {status:?}); its log:\n{}",
                    tail(&log)
                );
            }
        };
        Self { base, child, log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Kills the process with SIGKILL (no shutdown, no flush: as if the machine died) and
    /// waits until it is gone.
    pub fn kill(mut self) {
        self.child.kill().expect("the server process is killed");
        self.child.wait().expect("the killed process is reaped");
    }

    /// Whether the process is still running (it has not exited or crashed).
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The end of the server's log.
    pub fn log_tail(&self) -> String {
        tail(&self.log)
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}
