//! Strategy and performance: the partnership's Sustainable Community Strategy, and how its
//! groups deliver it.
//!
//! - [`actions`]: action plans and their key actions, with seed 003's expectations checked.

pub mod actions;

pub use actions::{ActionPlan, ActionPlanId, KeyAction, KeyActionId};
