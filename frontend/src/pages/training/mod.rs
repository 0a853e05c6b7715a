//! Training: the glossary, presentation steps, presentation mode and the induction pack.

use super::*;

pub mod glossary;
pub mod induction;
pub mod present;
pub mod steps;
