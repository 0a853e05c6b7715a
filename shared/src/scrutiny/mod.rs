//! Scrutiny and governance: how councillors hold the partnership to account (seeds 000, 001
//! and 004).
//!
//! [`reviews`]: a Task and Finish group's review, its numbered recommendations, the dated log
//! of what happened to each (received, the response and its answer, actions, evidence,
//! completion, the committee's sign-off), the committee's monitoring sessions, and the rules
//! that derive each recommendation's status and the next monitoring date from that log.
//! [`meetings`]: meetings of the partnership's bodies and of council committees, their agenda
//! items and their minutes; [`training`]: councillor training sessions about the partnership
//! and the yearly check on them, and new councillors' inductions (the pack check).

pub mod forward;
pub mod meetings;
pub mod reviews;
pub mod training;

pub use meetings::{
    AgendaItem, AgendaItemId, Concern, DocumentLink, Meeting, MeetingId, MeetingStatus, Minutes,
    MinutesId, ReportType,
};
pub use reviews::{
    MonitoringSession, MonitoringSessionId, Recommendation, RecommendationId, RecommendationStep,
    RecommendationStepId, ResponseAnswer, Review, ReviewId, StepKind,
};
pub use training::{
    CouncillorInduction, CouncillorInductionId, TrainingSession, TrainingSessionId,
};
