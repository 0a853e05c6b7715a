//! Commands that run on their own while other stages go on, each writing to a log file.
//!
//! `cargo xtask test` compiles the tools (wasm-bindgen-cli) and the app's release build
//! this way: much of a compile runs on one core (a large crate, the final link with LTO), and
//! the checks in the foreground fill the other. A job not waited for (a foreground stage
//! failed first) is stopped, with everything it started, when it is dropped.

use std::fs;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::Result;
use crate::project::show;
use crate::tools::tail;

pub struct Job {
    name: String,
    /// `None` once waited for.
    child: Option<Child>,
    log: PathBuf,
    started: Instant,
}

impl Job {
    /// Starts `cmd` in a process group of its own, its output (both streams) to `log`.
    pub fn start(name: &str, cmd: &mut Command, log: &Path) -> Result<Self> {
        if let Some(dir) = log.parent() {
            fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let file =
            fs::File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let err = file.try_clone().map_err(|e| e.to_string())?;
        cmd.stdin(Stdio::null())
            .stdout(Stdio::from(file))
            .stderr(Stdio::from(err))
            .process_group(0);
        println!(
            "$ {}   (in the background; log: {})",
            show(cmd),
            log.display()
        );
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        Ok(Self {
            name: name.to_owned(),
            child: Some(child),
            log: log.to_owned(),
            started: Instant::now(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// `None` while it runs; once it has ended, `Ok` with how long it took, or its failure
    /// with the end of its log.
    pub fn poll(&mut self) -> Option<Result<Duration>> {
        let child = self.child.as_mut()?;
        let status = match child.try_wait() {
            Ok(None) => return None,
            Ok(Some(status)) => Ok(status),
            Err(e) => Err(format!("{}: {e}", self.name)),
        };
        self.child = None;
        Some(status.and_then(|status| {
            if status.success() {
                Ok(self.started.elapsed())
            } else {
                Err(format!(
                    "{} failed ({status}); the end of {}:\n{}",
                    self.name,
                    self.log.display(),
                    tail(&self.log, 30)
                ))
            }
        }))
    }

    /// Waits for it to end, saying every minute that it still runs.
    pub fn wait(mut self) -> Result<Duration> {
        let mut last_note = Instant::now();
        loop {
            if let Some(result) = self.poll() {
                return result;
            }
            if last_note.elapsed() >= Duration::from_secs(60) {
                println!(
                    "  waiting for {} ({}s so far)",
                    self.name,
                    self.started.elapsed().as_secs()
                );
                last_note = Instant::now();
            }
            thread::sleep(Duration::from_millis(250));
        }
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // The whole group: cargo's rustc processes would otherwise run on.
            let _ = Command::new("kill")
                .args(["-TERM", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.wait();
            println!("stopped {} (not needed after the failure above)", self.name);
        }
    }
}
