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

/// Talc instead of the standard library's dlmalloc: the app's core is 0.7 KB smaller, and
/// allocation is no slower (`cargo xtask bench`: saving one answer, opening the map
/// offline). In the library, so the browser tests and benchmarks allocate as the app does.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Starts the app: installs the panic hook ([`crash`]: the page says the answers are safe and
/// offers a reload) and mounts [`app::App`] on `<body>`.
pub fn main_entry() {
    crash::install();
    leptos::mount::mount_to_body(app::App);
}
