//! A throwaway PostgreSQL cluster for `cargo xtask test`'s `postgres` stage, which runs every
//! backend test against PostgreSQL as well as SQLite, and for `cargo xtask bench`, which runs
//! the backend's benchmarks on it as well as on SQLite. Both start it with [`Cluster::start`];
//! they differ only in [`Durability`].
//!
//! PostgreSQL comes from Debian (`postgresql`, installed with apt-get when its binaries are
//! missing, as [`tools`](crate::tools) installs Chromium). The cluster lives in a new folder
//! under the system's temporary folder, listens on 127.0.0.1 only, on a port free when it
//! starts, with `trust` authentication for the one role `atlas` (nothing but this machine can
//! reach it, and it lives for one run). `initdb` refuses to run as root, so as root the folder
//! belongs to the `postgres` user the package creates and the cluster runs as that user
//! (`runuser`). [`Cluster`]'s `Drop` stops the cluster and removes the folder however the stage
//! or the bench ends. A cluster that does not start fails the stage (or the bench) with the
//! tail of its log: the tests and the PostgreSQL figures are never skipped.

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Result;
use crate::project::{Project, run, show};
use crate::tools::{apt_install, tail};

/// The role the tests connect as.
const ROLE: &str = "atlas";
/// The user a root run hands the cluster to (created by Debian's package).
const SERVICE_USER: &str = "postgres";

/// Whether the cluster waits for its writes to reach the disk.
#[derive(Clone, Copy)]
pub enum Durability {
    /// `fsync=off`: the tests' data lives for one run, and waiting on the disk would only
    /// slow them down.
    Throwaway,
    /// PostgreSQL's defaults (each commit's WAL flushed to disk before the commit returns), as
    /// a production server runs and as the server's SQLite does (`synchronous=FULL`): what the
    /// benchmarks measure.
    Production,
}

/// A running throwaway cluster; stopped and removed on drop.
pub struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    /// The user to run PostgreSQL's programs as, when this process is root.
    run_as: Option<&'static str>,
    started: bool,
    port: u16,
}

impl Cluster {
    /// Installs PostgreSQL if needed, then creates and starts a cluster.
    pub fn start(p: &Project, durability: Durability) -> Result<Self> {
        let bin = match binaries() {
            Some(bin) => bin,
            None => {
                println!("PostgreSQL is not installed: installing the Debian package postgresql");
                apt_install(p, &["postgresql"], None)?;
                binaries().ok_or(
                    "apt-get installed postgresql, but no /usr/lib/postgresql/<n>/bin holds \
                     initdb and pg_ctl",
                )?
            }
        };
        let root = p
            .version_of(Path::new("id"), &["-u"])
            .is_some_and(|uid| uid == "0");
        let run_as = root.then_some(SERVICE_USER);
        let dir = std::env::temp_dir().join(format!("atlas-pg-{}", std::process::id()));
        let port = free_port()?;
        // The guard exists before anything is created, so whatever follows is cleaned up.
        let mut cluster = Self {
            bin,
            dir,
            run_as,
            started: false,
            port,
        };
        fs::create_dir(&cluster.dir)
            .map_err(|e| format!("cannot create {}: {e}", cluster.dir.display()))?;
        if let Some(user) = run_as {
            run(p
                .cmd("chown")
                .arg(format!("{user}:{user}"))
                .arg(&cluster.dir))
            .map_err(|e| {
                format!(
                    "{e}: the cluster's folder must belong to the {user} user (initdb refuses root)"
                )
            })?;
        }
        let data = cluster.dir.join("data");
        let mut initdb = cluster.program("initdb");
        initdb
            .arg("-D")
            .arg(&data)
            .args(["-A", "trust", "-U", ROLE, "--no-sync", "-E", "UTF8"]);
        run(&mut initdb)?;
        let mut options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=300",
            cluster.dir.display()
        );
        if let Durability::Throwaway = durability {
            options.push_str(" -c fsync=off");
        }
        let log = cluster.log();
        let mut start = cluster.program("pg_ctl");
        start
            .arg("-D")
            .arg(&data)
            .arg("-o")
            .arg(options)
            .arg("-l")
            .arg(&log)
            .args(["-w", "-t", "60", "start"]);
        cluster.started = true;
        if let Err(e) = run(&mut start) {
            return Err(format!(
                "the throwaway PostgreSQL cluster did not start ({e}); the end of {}:\n{}",
                log.display(),
                tail(&log, 30)
            ));
        }
        println!(
            "PostgreSQL is running on 127.0.0.1:{port} in {}",
            cluster.dir.display()
        );
        Ok(cluster)
    }

    /// The cluster's URL with `{db}` for the database's name, as `ATLAS_TEST_DATABASE_URL`
    /// and the benchmarks' `--database-url` take it (each test server or benchmark run puts a
    /// name of its own there).
    pub fn url_template(&self) -> String {
        format!("postgres://{ROLE}@127.0.0.1:{}/{{db}}", self.port)
    }

    fn log(&self) -> PathBuf {
        self.dir.join("postgres.log")
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
        if self.started {
            let mut stop = self.program("pg_ctl");
            stop.arg("-D")
                .arg(self.dir.join("data"))
                .args(["-m", "fast", "-w", "stop"]);
            println!("$ {}", show(&stop));
            match stop.status() {
                Ok(status) if status.success() => {}
                Ok(status) => eprintln!("stopping the throwaway PostgreSQL cluster: {status}"),
                Err(e) => eprintln!("could not stop the throwaway PostgreSQL cluster: {e}"),
            }
        }
        if let Err(e) = fs::remove_dir_all(&self.dir) {
            eprintln!("could not remove {}: {e}", self.dir.display());
        }
    }
}

/// The newest `/usr/lib/postgresql/<n>/bin` that holds `initdb` and `pg_ctl`.
fn binaries() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            (bin.join("initdb").is_file() && bin.join("pg_ctl").is_file()).then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

/// A TCP port on 127.0.0.1 that is free now (the operating system's choice).
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("cannot find a free port on 127.0.0.1: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port on 127.0.0.1: {e}"))
}
