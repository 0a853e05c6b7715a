//! Scrutiny and governance: how councillors hold the partnership to account (seeds 000, 001
//! and 004). [`meetings`]: meetings of the partnership's bodies and of council committees,
//! their agenda items and their minutes.

pub mod meetings;

pub use meetings::{
    AgendaItem, AgendaItemId, Concern, DocumentLink, Meeting, MeetingId, MeetingStatus, Minutes,
    MinutesId, ReportType,
};
