//! Scrutiny and governance: how councillors hold the partnership to account (seeds 000, 001
//! and 004). [`meetings`]: meetings of the partnership's bodies and of council committees,
//! their agenda items and their minutes; [`training`]: councillor training sessions about the
//! partnership and the yearly check on them.

pub mod meetings;
pub mod training;

pub use meetings::{
    AgendaItem, AgendaItemId, Concern, DocumentLink, Meeting, MeetingId, MeetingStatus, Minutes,
    MinutesId, ReportType,
};
pub use training::{TrainingSession, TrainingSessionId};
