//! The backend's integration tests: the real server over real HTTP (or the real binary as a
//! child process) on a real database, SQLite or the PostgreSQL that `ATLAS_TEST_DATABASE_URL`
//! names. One module per part of the app.
//!
//! They are one test binary, not one per file: each binary links the whole server and its
//! dependencies again, which cost more than most files' tests take to run. So every test
//! here keeps to a server, database and folder of its own (`common`), and tests that need
//! something of the process's own (a cluster of their own, a child server) say so.

#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod backup;
mod cli;
mod concurrency;
mod consultation;
mod database_restart;
mod demo;
mod errors;
mod faults;
mod funds;
mod highlights;
mod inbox;
mod instances;
mod meetings;
mod open_data;
mod published_counts;
mod records;
mod security;
mod static_files;
mod strategy;
mod sync;
mod tablets;
mod unavailable;
mod users;
