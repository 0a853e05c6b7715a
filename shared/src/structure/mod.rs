//! The partnership's structure: partnerships, member organisations, bodies, memberships and
//! reporting lines (the record kinds, in [`domain`]), and what is drawn from them: the map's
//! layout, the text outline, and the generated graphs the layout is measured on.

pub mod bench_graphs;
pub mod domain;
pub mod layout;
pub mod outline;

pub use domain::{Body, Membership, Organisation, Partnership, ReportingLine};
