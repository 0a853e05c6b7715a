//! Consultations of residents: the record kinds (consultation, event, questionnaire version,
//! response, finding) and the rules for answers, in [`records`] and re-exported here; the
//! questionnaire builder, the results, the spreadsheet export and the sample questionnaire.

pub mod builder;
pub mod export;
pub mod published;
mod records;
pub mod results;
pub mod sample_consultation;

pub use published::PublishedResults;
pub use records::*;
