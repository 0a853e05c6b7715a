//! `cargo xtask run`: build the release app and start the server in this process's place.

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;

use crate::Result;
use crate::frontend::build_frontend;
use crate::project::{Project, run as run_cmd};
use crate::stages::Stages;
use crate::tools::{self, Needs};

#[derive(clap::Args)]
pub struct RunArgs {
    /// The address the server listens on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// Where the data lives. A relative SQLite path is relative to the repository root.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/atlas.db")]
    database_url: String,
}

pub fn run(args: RunArgs) -> Result<()> {
    let p = Project::locate()?;
    let mut stages = Stages::new("xtask run", 3);
    stages.stage("tools", || {
        tools::ensure(
            &p,
            Needs {
                lint: false,
                browser: false,
            },
        )
        .map(drop)
    })?;
    stages.stage("frontend: the release bundle, split by area", || {
        build_frontend(&p)
    })?;
    stages.stage("server: cargo build --release", || {
        run_cmd(
            p.cargo()
                .args(["build", "--release", "-p", "atlas-backend"]),
        )
    })?;
    stages.summary();

    if let Some(path) = args.database_url.strip_prefix("sqlite://")
        && let Some(dir) = PathBuf::from(path.split('?').next().unwrap_or(path)).parent()
        && !dir.as_os_str().is_empty()
    {
        let dir = p.root.join(dir);
        fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let server = p.target.join("release").join("atlas-backend");
    let mut cmd = p.cmd(&server);
    cmd.arg("--addr")
        .arg(&args.addr)
        .arg("--database-url")
        .arg(&args.database_url)
        .arg("--dist")
        .arg(&p.dist)
        // The demo partnerships and a sign-in per role, into a new database (the server
        // prints the sign-ins).
        .arg("--demo-data")
        .stdin(std::process::Stdio::inherit());
    println!("\n$ {}", crate::project::show(&cmd));
    // Replace this process: Ctrl-C and signals go straight to the server.
    let err = cmd.exec();
    Err(format!("could not start {}: {err}", server.display()))
}
