//! A run of named stages: a header before each, its time after, a summary at the end.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::Result;

pub struct Stages {
    title: &'static str,
    total: usize,
    started: Instant,
    done: Vec<(String, Duration, Outcome)>,
    skip: Vec<String>,
    disk: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq)]
enum Outcome {
    Ok,
    Failed,
    Skipped,
}

impl Stages {
    pub fn new(title: &'static str, total: usize) -> Self {
        Self {
            title,
            total,
            started: Instant::now(),
            done: Vec::new(),
            skip: Vec::new(),
            disk: None,
        }
    }

    /// After each stage, print how much disk `dir` (the build folder) takes and how much is
    /// left: a run that dies of a full disk then shows which stage filled it.
    pub fn watching_disk(mut self, dir: &Path) -> Self {
        self.disk = Some(dir.to_owned());
        self
    }

    /// Stages whose key is in `keys` are reported as skipped instead of run.
    pub fn skipping(mut self, keys: &[String]) -> Self {
        self.skip = keys.to_vec();
        self
    }

    /// Runs one stage; on failure the summary is printed and the error passed on.
    pub fn stage(&mut self, name: &str, body: impl FnOnce() -> Result<()>) -> Result<()> {
        self.keyed_stage("", name, body)
    }

    /// A stage that `--skip <key>` can leave out.
    pub fn keyed_stage(
        &mut self,
        key: &str,
        name: &str,
        body: impl FnOnce() -> Result<()>,
    ) -> Result<()> {
        let n = self.done.len() + 1;
        if !key.is_empty() && self.skip.iter().any(|k| k == key) {
            println!(
                "\n==== [{n}/{}] {name} ==== skipped (--skip {key})",
                self.total
            );
            self.done
                .push((name.to_owned(), Duration::ZERO, Outcome::Skipped));
            return Ok(());
        }
        println!("\n==== [{n}/{}] {name} ====", self.total);
        let started = Instant::now();
        let result = body();
        let took = started.elapsed();
        let outcome = if result.is_ok() {
            Outcome::Ok
        } else {
            Outcome::Failed
        };
        self.done.push((name.to_owned(), took, outcome));
        match &result {
            Ok(()) => println!("---- {name}: ok in {}{}", secs(took), self.disk_line()),
            Err(_) => {
                println!(
                    "---- {name}: FAILED after {}{}",
                    secs(took),
                    self.disk_line()
                );
                self.summary();
            }
        }
        result.map_err(|e| format!("stage `{name}` failed: {e}"))
    }

    pub fn summary(&self) {
        println!("\n==== {}: stage timings ====", self.title);
        let width = self
            .done
            .iter()
            .map(|(n, _, _)| n.len())
            .max()
            .unwrap_or(0)
            .max(5);
        for (name, took, outcome) in &self.done {
            let mark = match outcome {
                Outcome::Ok => "ok",
                Outcome::Failed => "FAILED",
                Outcome::Skipped => "skipped",
            };
            println!("  {name:<width$} {:>9}  {mark}", secs(*took));
        }
        let skipped = self.total.saturating_sub(self.done.len());
        if skipped > 0 {
            println!("  ({skipped} later stage(s) not run)");
        }
        println!("  {:<width$} {:>9}", "total", secs(self.started.elapsed()));
    }
}

impl Stages {
    /// ` (target/ 3.1 GB, 74.2 GB free)`, or nothing when `du`/`df` cannot tell.
    fn disk_line(&self) -> String {
        let Some(dir) = &self.disk else {
            return String::new();
        };
        let kib = |program: &str, args: &[&str], column: usize| -> Option<f64> {
            let out = Command::new(program).args(args).arg(dir).output().ok()?;
            let text = String::from_utf8_lossy(&out.stdout);
            let line = text.lines().last()?;
            line.split_whitespace().nth(column)?.parse::<f64>().ok()
        };
        let gb = |k: f64| k / 1024.0 / 1024.0;
        match (kib("du", &["-sk"], 0), kib("df", &["-Pk"], 3)) {
            (Some(used), Some(free)) => format!(
                " ({} {:.1} GB, {:.1} GB free)",
                dir.display(),
                gb(used),
                gb(free)
            ),
            _ => String::new(),
        }
    }
}

fn secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}
