//! Partnership Atlas's shared crate: the domain types, their validation, the sync protocol and
//! its merge rules, and the pure logic behind a device's view of the data.
//!
//! Both the server (`atlas-backend`) and the browser (`atlas-frontend`) depend on this crate,
//! so a rule written here is enforced identically on both sides. It must stay free of I/O:
//! no web-sys, no sqlx, no clocks and no random sources (callers pass those in).
//!
//! The code is grouped by area: [`structure`] (partnerships, bodies and the lines between
//! them), [`training`] (glossary and guided presentation), [`consultation`] (questionnaires,
//! answers and results), [`strategy`] (the Sustainable Community Strategy, its priorities,
//! targets and their figures, and the status rule) and [`scrutiny`] (reviews and their
//! recommendations), with the cross-cutting modules (ids, records, sync, the device's view,
//! validation, text) at the top. Each area's modules are also re-exported at the top under
//! their earlier paths (`atlas_shared::results`, `atlas_shared::domain`, ...).

pub mod accounts;
#[doc(hidden)]
pub mod attention;
pub mod consultation;
pub mod css;
pub mod date;
pub mod entity;
pub mod ids;
pub mod open_data;
pub mod order;
pub mod paths;
pub mod replica;
pub mod rescue;
pub mod retry;
pub mod rows;
pub mod scrutiny;
pub mod seeds;
pub mod strategy;
pub mod structure;
pub mod svg;
pub mod sync;
pub mod table;
#[cfg(test)]
mod test_text;
pub mod text;
pub mod training;
pub mod validate;

pub use consultation::{builder, export, results, sample_consultation};
pub use structure::{bench_graphs, domain, layout, outline};

pub use date::IsoDate;
pub use domain::*;
pub use entity::{Entity, EntityError, EntityKind, Record, RecordRef, RefField, Reference};
pub use ids::*;
pub use replica::{Replica, ServerRecord, Snapshot};
pub use sync::*;
pub use table::{Draft, Table, Tabled};
pub use training::{GlossaryTerm, PresentationStep};
pub use validate::{FieldError, Validate};
