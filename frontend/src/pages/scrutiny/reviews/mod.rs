//! Reviews and their recommendations: the list of a partnership's reviews, a review's page
//! (seed 004's table: number, recommendation, latest response, status, date), each
//! recommendation's page with its log, the monitoring report for a date (printable, CSV), and
//! the forms. The rules (status, deadlines, monitoring) are `atlas_shared::scrutiny::reviews`.

use atlas_shared::scrutiny::{
    MonitoringSessionId, RecommendationId, RecommendationStepId, ReviewId,
};
use atlas_shared::{EntityKind, IsoDate, PartnershipId, Snapshot};
use leptos::prelude::*;
use uuid::Uuid;

use crate::components::Crumb;
use crate::pages::delete::{Described, delete_page};
use crate::pages::partnership_crumbs;

pub mod recommendation;
pub mod report;
pub mod review;
pub mod session;

use recommendation::{EditRecommendationPage, NewRecommendationPage, RecommendationPage};
use report::MonitoringReportPage;
use review::{EditReviewPage, NewReviewPage, ReviewPage, ReviewsPage};
use session::NewMonitoringSessionPage;

/// A partnership's reviews.
pub fn reviews_href(p: PartnershipId) -> String {
    format!("/partnerships/{p}/reviews")
}

/// A review: its recommendations as a table, monitoring.
pub fn review_href(id: ReviewId) -> String {
    format!("/reviews/{id}")
}

/// The monitoring report of a review, for the day `on` (today when `None`).
pub fn report_href(id: ReviewId, on: Option<IsoDate>) -> String {
    match on {
        Some(on) => format!("/reviews/{id}/report?on={on}"),
        None => format!("/reviews/{id}/report"),
    }
}

/// A recommendation: its log and the "Add a step" form.
pub fn recommendation_href(id: RecommendationId) -> String {
    format!("/recommendations/{id}")
}

/// Today, by the device's clock (UTC day, as the dates are stored).
pub fn today() -> IsoDate {
    IsoDate::from_unix_ms(crate::data::now_ms() as i64).unwrap_or(IsoDate::known(2011, 11, 8))
}
// This area's pages, a part of the app fetched when one is first opened (`crate::parts`).
crate::parts::part!(reviews {
    staff {
        ReviewsPage,
        NewReviewPage,
        ReviewPage,
        EditReviewPage,
        DeleteReviewPage,
        MonitoringReportPage,
        NewRecommendationPage,
        NewMonitoringSessionPage,
        RecommendationPage,
        EditRecommendationPage,
        DeleteRecommendationPage,
        DeleteStepPage,
        DeleteSessionPage,
    },
});

/// The reviews' addresses: each page's path pattern (`atlas_shared::paths`).
pub const ROUTES: &[(&str, Page)] = &[
    ("/partnerships/:id/reviews", Page::ReviewsPage),
    ("/partnerships/:id/reviews/new", Page::NewReviewPage),
    ("/reviews/:id", Page::ReviewPage),
    ("/reviews/:id/edit", Page::EditReviewPage),
    ("/reviews/:id/delete", Page::DeleteReviewPage),
    ("/reviews/:id/report", Page::MonitoringReportPage),
    (
        "/reviews/:id/recommendations/new",
        Page::NewRecommendationPage,
    ),
    ("/reviews/:id/sessions/new", Page::NewMonitoringSessionPage),
    ("/recommendations/:id", Page::RecommendationPage),
    ("/recommendations/:id/edit", Page::EditRecommendationPage),
    (
        "/recommendations/:id/delete",
        Page::DeleteRecommendationPage,
    ),
    ("/recommendation-steps/:id/delete", Page::DeleteStepPage),
    ("/monitoring-sessions/:id/delete", Page::DeleteSessionPage),
];

/// "Partnerships › Redditch Partnership › Reviews", then the review when given.
pub fn review_crumbs(s: &Snapshot, p: PartnershipId, review: Option<ReviewId>) -> Vec<Crumb> {
    let mut c = partnership_crumbs(s, p);
    c.push(Crumb::link("Reviews", reviews_href(p)));
    if let Some(r) = review.and_then(|r| s.reviews.get(&r).map(|x| (r, x))) {
        c.push(Crumb::link(r.1.title.clone(), review_href(r.0)));
    }
    c
}

/// How the delete page describes a review's records; `None` for other kinds.
pub fn delete_target(s: &Snapshot, kind: EntityKind, id: Uuid) -> Option<Described> {
    Some(match kind {
        EntityKind::Review => {
            let r = s.reviews.get(&ReviewId(id))?;
            let p = r.partnership_id;
            (
                format!("the review “{}”", r.title),
                review_href(ReviewId(id)),
                reviews_href(p),
                review_crumbs(s, p, Some(ReviewId(id))),
            )
        }
        EntityKind::Recommendation => {
            let r = s.recommendations.get(&RecommendationId(id))?;
            (
                format!("recommendation {}", r.number),
                recommendation_href(RecommendationId(id)),
                review_href(r.review_id),
                review_crumbs(s, r.partnership_id, Some(r.review_id)),
            )
        }
        EntityKind::RecommendationStep => {
            let step = s.recommendation_steps.get(&RecommendationStepId(id))?;
            let r = s.recommendations.get(&step.recommendation_id)?;
            let mut crumbs = review_crumbs(s, r.partnership_id, Some(r.review_id));
            crumbs.push(Crumb::link(
                format!("Recommendation {}", r.number),
                recommendation_href(step.recommendation_id),
            ));
            (
                format!(
                    "the entry “{}” of {} from recommendation {}",
                    step.what.label(),
                    step.date.long(),
                    r.number
                ),
                recommendation_href(step.recommendation_id),
                recommendation_href(step.recommendation_id),
                crumbs,
            )
        }
        EntityKind::MonitoringSession => {
            let m = s.monitoring_sessions.get(&MonitoringSessionId(id))?;
            (
                format!("the monitoring session of {}", m.date.long()),
                review_href(m.review_id),
                review_href(m.review_id),
                review_crumbs(s, m.partnership_id, Some(m.review_id)),
            )
        }
        _ => return None,
    })
}

/// `/reviews/:id/delete`
#[component]
pub fn DeleteReviewPage() -> impl IntoView {
    delete_page(EntityKind::Review)
}

/// `/recommendations/:id/delete`
#[component]
pub fn DeleteRecommendationPage() -> impl IntoView {
    delete_page(EntityKind::Recommendation)
}

/// `/recommendation-steps/:id/delete`
#[component]
pub fn DeleteStepPage() -> impl IntoView {
    delete_page(EntityKind::RecommendationStep)
}

/// `/monitoring-sessions/:id/delete`
#[component]
pub fn DeleteSessionPage() -> impl IntoView {
    delete_page(EntityKind::MonitoringSession)
}
