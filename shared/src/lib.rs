//! Partnership Atlas's shared crate: the domain types, their validation, the sync protocol and
//! its merge rules, and the pure logic behind a device's view of the data.
//!
//! Both the server (`atlas-backend`) and the browser (`atlas-frontend`) depend on this crate,
//! so a rule written here is enforced identically on both sides. It must stay free of I/O:
//! no web-sys, no sqlx, no clocks and no random sources (callers pass those in).

#[doc(hidden)]
pub mod attention;
pub mod bench_graphs;
pub mod builder;
pub mod consultation;
pub mod domain;
pub mod entity;
pub mod export;
pub mod ids;
pub mod layout;
pub mod outline;
pub mod replica;
pub mod rescue;
pub mod results;
pub mod sample_consultation;
pub mod seeds;
pub mod sync;
#[cfg(test)]
mod test_text;
pub mod text;
pub mod training;
pub mod validate;

pub use domain::*;
pub use entity::{Entity, EntityError, EntityKind, RecordRef};
pub use ids::*;
pub use replica::{Replica, ServerRecord, Snapshot};
pub use sync::*;
pub use training::{GlossaryTerm, PresentationStep};
pub use validate::{FieldError, Validate};
