//! The frontend's tests in a real browser (headless Chromium, through
//! `wasm-bindgen-test-runner`), one module per part of the app.
//!
//! They are one test binary, not one per file: each binary is linked, processed by
//! wasm-bindgen and given a browser of its own, about six seconds apiece before a test runs,
//! while the tests themselves take a fraction of that. So every test here must leave the page
//! as it found it: a view is mounted in a container of its own and unmounted when its handle
//! drops (`common::mount`), and stored data goes under names no other test uses.

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod annual;
mod capture;
mod consultation;
mod crash;
mod funds;
mod highlights;
mod local_copy;
mod map;
mod meetings;
mod results;
mod reviews;
mod routes;
mod strategy;
mod styles;
mod training;
mod views;
mod you_said;
