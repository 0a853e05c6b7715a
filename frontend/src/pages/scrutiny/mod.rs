//! Scrutiny and governance: how councillors hold the partnership to account. `reviews/`: Task
//! and Finish groups' reviews, their recommendations with the log of each, monitoring sessions
//! and the monitoring report. Meetings of the partnership's bodies and of council committees,
//! their agendas and minutes, the forward plan, councillor training sessions and new
//! councillors' inductions
//! (`meeting_routes.rs` lists their addresses).

pub mod forward_plan;
pub mod inductions;
pub mod meeting_forms;
pub mod meeting_routes;
pub mod meetings;
pub mod reviews;
pub mod training_sessions;

pub use meeting_routes::{forward_plan_href, meeting_href, meetings_href};
pub use training_sessions::training_sessions_href;
