//! A PostgreSQL cluster of the test's own, which the test may stop and start again: the shared
//! cluster `ATLAS_TEST_DATABASE_URL` names serves every other test at the same time, so it must
//! stay up. Like `cargo xtask test`'s (`xtask/src/postgres.rs`, which a test crate cannot use)
//! it runs Debian's `postgresql` programs from `/usr/lib/postgresql/<n>/bin`, in a temporary
//! folder, on 127.0.0.1 and a port free when it starts, with `trust` for the one role `atlas`,
//! and as the `postgres` user when the test runs as root (`initdb` refuses root). Missing
//! programs fail the test, saying what to install: it never skips. Dropped, the cluster is
//! stopped and its folder removed.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The role the server connects as.
const ROLE: &str = "atlas";
/// The user a root run hands the cluster to (created by Debian's package).
const SERVICE_USER: &str = "postgres";

/// How `pg_ctl stop` ends the server's connections.
#[derive(Clone, Copy, Debug)]
pub enum Stop {
    /// Every session is ended at once with `admin_shutdown` (57P01), open transactions are
    /// rolled back, and the server shuts down cleanly.
    Fast,
    /// Every process quits at once with no clean shutdown, as in a crash; the next start
    /// recovers from the write-ahead log.
    Immediate,
}

impl Stop {
    fn mode(self) -> &'static str {
        match self {
            Self::Fast => "fast",
            Self::Immediate => "immediate",
        }
    }
}

pub struct Cluster {
    bin: PathBuf,
    /// The user to run PostgreSQL's programs as, when this process is root.
    run_as: Option<&'static str>,
    port: u16,
    running: bool,
    // Last: removed after the cluster is stopped.
    dir: tempfile::TempDir,
}

impl Cluster {
    /// Creates a cluster in a new temporary folder and starts it. Panics, saying why, when
    /// PostgreSQL is not installed or the cluster does not start.
    pub fn start() -> Self {
        let bin = binaries().unwrap_or_else(|| {
            panic!(
                "this test runs a PostgreSQL cluster of its own, and PostgreSQL's programs are \
                 not installed (no /usr/lib/postgresql/<n>/bin holds initdb and pg_ctl): \
                 install the Debian package postgresql (apt-get install postgresql; \
                 `cargo xtask test` installs it itself)"
            )
        });
        let dir = tempfile::tempdir().expect("a temporary folder");
        let run_as = is_root().then_some(SERVICE_USER);
        if let Some(user) = run_as {
            run(Command::new("chown")
                .arg(format!("{user}:{user}"))
                .arg(dir.path()));
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port on 127.0.0.1")
            .port();
        let mut cluster = Self {
            bin,
            run_as,
            port,
            running: false,
            dir,
        };
        let mut initdb = cluster.program("initdb");
        initdb.arg("-D").arg(cluster.data()).args([
            "-A",
            "trust",
            "-U",
            ROLE,
            "--no-sync",
            "-E",
            "UTF8",
        ]);
        run(&mut initdb);
        cluster.start_again();
        cluster
    }

    /// The URL of the database `name` in this cluster (the server creates it).
    pub fn url(&self, name: &str) -> String {
        format!("postgres://{ROLE}@127.0.0.1:{}/{name}", self.port)
    }

    /// Stops the cluster (`pg_ctl stop -m <mode>`), waiting until it is down.
    pub fn stop(&mut self, how: Stop) {
        self.running = false;
        run(&mut self.pg_ctl(&["-m", how.mode(), "-w", "stop"]));
    }

    /// Starts the cluster, waiting until it takes connections (after a crash, once it has
    /// recovered). Panics with the end of its log when it does not start.
    pub fn start_again(&mut self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("postgres.log");
        let log_arg = log.display().to_string();
        self.running = true;
        let output = self
            .pg_ctl(&["-o", &options, "-l", &log_arg, "-w", "-t", "60", "start"])
            .output()
            .expect("pg_ctl runs");
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            output.status.success(),
            "the test's PostgreSQL cluster did not start ({}: {}); the end of its log:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim(),
            lines[lines.len().saturating_sub(30)..].join("\n")
        );
    }

    /// `pg_ctl -D <data> <args>`.
    fn pg_ctl(&self, args: &[&str]) -> Command {
        let mut cmd = self.program("pg_ctl");
        cmd.arg("-D").arg(self.data()).args(args);
        cmd
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// One of PostgreSQL's programs, as the user the cluster belongs to.
    fn program(&self, name: &str) -> Command {
        let path = self.bin.join(name);
        match self.run_as {
            Some(user) => {
                let mut cmd = Command::new("runuser");
                cmd.args(["-u", user, "--"]).arg(path);
                cmd
            }
            None => Command::new(path),
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.running
            && let Err(e) = self.pg_ctl(&["-m", "immediate", "-w", "stop"]).output()
        {
            eprintln!("could not stop the test's PostgreSQL cluster: {e}");
        }
    }
}

/// The newest `/usr/lib/postgresql/<n>/bin` that holds `initdb` and `pg_ctl`.
fn binaries() -> Option<PathBuf> {
    std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            let has = |p: &str| bin.join(p).is_file();
            (has("initdb") && has("pg_ctl")).then_some((version, bin))
        })
        .max()
        .map(|(_, bin)| bin)
}

/// Whether this process runs as root (`/proc/self` belongs to the process's user).
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::metadata(Path::new("/proc/self")).is_ok_and(|m| m.uid() == 0)
}

/// Runs `cmd`, panicking with its output when it fails.
fn run(cmd: &mut Command) {
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        output.status.success(),
        "{cmd:?} failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
