//! `atlas-backend`: the Partnership Atlas server. See `atlas-backend --help`.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Context as _;
use atlas_backend::accounts::create_user;
use atlas_backend::config::Command;
use atlas_backend::{Config, Server};
use atlas_shared::accounts::Grants;
use atlas_shared::seeds;
use clap::Parser;
use tracing_subscriber::EnvFilter;

/// mimalloc, not glibc's malloc. Measured (`tablets_bench`, demo data): glibc kept about 100 MB
/// resident at rest, 75 MB of it freed memory. Its mmap threshold rises to the largest block
/// freed, so after the first Argon2 hash (19 MiB) every later one is carved from a heap arena,
/// and an arena keeps its freed pages for good. mimalloc gives freed pages back to the system
/// (about a second after they are freed): about 30 MB at rest, and about half the peak under
/// 50 tablets' pushes, at the same throughput. Built with its arena committed on demand
/// (`MI_DEFAULT_ARENA_EAGER_COMMIT=0`, in `.cargo/config.toml`), it gives them back with
/// `MADV_DONTNEED`, which the resident count sees at once: about 22 MB at rest.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    // Logs go to stderr: stdout carries only the one "running at" line, for scripts to read.
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> anyhow::Result<()> {
    if let Some(Command::CreateAdmin { email, name }) = &config.command {
        return create_admin(&config, email, name).await;
    }
    let server = Server::start(&config).await?;
    // Listening for SIGTERM before the "running" line: a service manager may stop the server
    // as soon as it reads that line.
    let shutdown = shutdown_signal();
    println!(
        "Partnership Atlas is running at http://{}/",
        server.local_addr()
    );
    if config.demo_data {
        println!(
            "Demo sign-ins (demo data only), each with the password {}:",
            seeds::DEMO_PASSWORD
        );
        for user in seeds::DEMO_USERS {
            let role = match user.role {
                Some(role) => format!("{} of the three demo partnerships", role.label()),
                None => "administrator".to_owned(),
            };
            println!("  {:<40} {role}", user.email);
        }
    }
    server.run(shutdown).await?;
    tracing::info!("stopped");
    Ok(())
}

/// `atlas-backend create-admin`: the first administrator of a real deployment.
async fn create_admin(config: &Config, email: &str, name: &str) -> anyhow::Result<()> {
    let password = match std::env::var("ATLAS_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!("Type the administrator's password and press Enter:");
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("could not read the password from standard input")?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let db = atlas_backend::db::connect(&config.database_url)
        .await
        .context("could not open the database")?;
    let grants = Grants {
        admin: true,
        ..Grants::default()
    };
    let created = create_user(db.as_ref(), email, name, &password, grants).await;
    db.close().await;
    created.context("could not create the administrator")?;
    println!("Created the administrator {email}. Sign in at /sign-in.");
    Ok(())
}

/// Completes on Ctrl-C, or on SIGTERM (how service managers and containers stop a process).
/// SIGTERM is listened for from the call, not from the first poll.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
    async move {
        let ctrl_c = async {
            if let Err(e) = tokio::signal::ctrl_c().await {
                tracing::warn!("cannot listen for Ctrl-C: {e}");
                std::future::pending::<()>().await;
            }
        };
        #[cfg(unix)]
        let terminate = async {
            match sigterm {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(e) => {
                    tracing::warn!("cannot listen for SIGTERM: {e}");
                    std::future::pending::<()>().await;
                }
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            () = ctrl_c => {},
            () = terminate => {},
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}
