//! Scrutiny and governance: meetings of the partnership's bodies and of council committees,
//! their agendas and minutes, the forward plan, and councillor training sessions
//! (`meeting_routes.rs` lists the addresses).

pub mod forward_plan;
pub mod meeting_forms;
pub mod meeting_routes;
pub mod meetings;
pub mod training_sessions;

pub use meeting_routes::{MeetingRoutes, forward_plan_href, meeting_href, meetings_href};
pub use training_sessions::training_sessions_href;
