//! Scrutiny: how councillors hold the partnership to account (seeds 000, 001, 004).
//!
//! [`reviews`]: a Task and Finish group's review, its numbered recommendations, the dated log
//! of what happened to each (received, the response and its answer, actions, evidence,
//! completion, the committee's sign-off), the committee's monitoring sessions, and the rules
//! that derive each recommendation's status and the next monitoring date from that log.

pub mod reviews;

pub use reviews::{
    MonitoringSession, MonitoringSessionId, Recommendation, RecommendationId, RecommendationStep,
    RecommendationStepId, ResponseAnswer, Review, ReviewId, StepKind,
};
