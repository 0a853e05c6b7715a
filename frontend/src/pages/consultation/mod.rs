//! Consultations: their administration, the questionnaire builder, taking answers, results,
//! refused answers and "you said, we did".

use super::*;
use crate::components::form;

pub mod capture;
pub mod consultations;
pub mod questionnaire;
pub mod questionnaire_form;
pub mod refused;
pub mod results;
pub mod you_said;

pub use consultations::*;
