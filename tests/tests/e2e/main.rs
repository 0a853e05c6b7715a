//! The end-to-end scenarios: the real server, the built app and headless Chromium
//! (`atlas_e2e`, the harness in `src/lib.rs`). One module per part of the app.
//!
//! They are one test binary, not one per file, so `cargo xtask test` runs two scenarios at a
//! time across all of them (`--test-threads=2`): each has a server, a database, a ChromeDriver
//! and browsers of its own, and much of a scenario is spent waiting on the page. So no
//! scenario may depend on another's state, or on having the machine to itself: nothing here
//! measures time.

mod accounts;
mod annual;
mod app;
mod consultation;
mod funds;
mod highlights;
mod map;
mod meetings;
mod parts;
mod reviews;
mod strategy;
