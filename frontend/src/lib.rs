//! Partnership Atlas in the browser.
//!
//! `data` is the only module that touches IndexedDB or the network; `pages` (one per route) and
//! `components` (reusable pieces) only read the [`data::Store`]'s signals and call its writes.
//! Presentational components take plain props (a `Signal<Snapshot>`, ids, callbacks) so that
//! they can be mounted and tested without a store; page wrappers call `use_store()`.

pub mod app;
pub mod components;
pub mod crash;
pub mod data;
pub mod pages;
pub mod parts;
pub mod styles;

/// Starts the app: installs the panic hook ([`crash`]: the page says the answers are safe and
/// offers a reload) and mounts [`app::App`] on `<body>`.
pub fn main_entry() {
    crash::install();
    leptos::mount::mount_to_body(app::App);
}
