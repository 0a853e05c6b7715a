//! Scrutiny: how councillors hold the partnership to account. `reviews/`: Task and Finish
//! groups' reviews, their recommendations with the log of each, monitoring sessions and the
//! monitoring report.

pub mod reviews;

pub use reviews::ReviewRoutes;
