//! `cargo xtask`: the project's build chores, in Rust rather than shell.
//!
//! - `cargo xtask run`: install what is missing, build the app, start the server.
//! - `cargo xtask test`: install what is missing, then every check CI runs, in order.
//! - `cargo xtask bench`: build the release bundle and report its sizes and the map layout's
//!   timings, native and in the browser.
//!
//! Tools this needs and does not find at the right version are installed into
//! `target/tools` (git-ignored), never fetched at build time: see [`tools`].

mod background;
mod bench;
mod budget;
mod bundle;
mod frontend;
mod imports;
mod packs;
mod postgres;
mod project;
mod run;
mod stages;
mod test;
#[cfg(test)]
mod testdir;
mod tools;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Build, test and run Partnership Atlas")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Install missing tools, build the frontend (release) and the server, and start it.
    Run(run::RunArgs),
    /// Install missing tools, then format, lint, unit, browser and end-to-end tests.
    Test(test::TestArgs),
    /// Build the release bundle and print its sizes and the map layout's timings.
    Bench(bench::BenchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Test(args) => test::test(args),
        Command::Bench(args) => bench::bench(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("\nxtask: error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// What went wrong, in a sentence for a person.
pub type Result<T, E = String> = std::result::Result<T, E>;
