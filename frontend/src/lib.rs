//! Partnership Atlas in the browser.

pub mod data;
