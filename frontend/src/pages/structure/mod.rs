//! The partnership's structure: partnerships, organisations, bodies, memberships, reporting
//! lines, the map and its outline.

use super::*;

pub mod body;
pub mod line;
pub mod map;
pub mod map_canvas;
pub mod membership;
pub mod organisation;
pub mod outline;
pub mod partnership;
