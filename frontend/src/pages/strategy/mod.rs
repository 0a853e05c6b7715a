//! Strategy and performance: a partnership's strategies (`/partnerships/:id/strategies`), a
//! strategy with its priorities and their targets' statuses (`/strategies/:id`), a target with
//! its figures and SMART check (`/targets/:id`), and the New, Edit and Delete pages of each
//! kind. The status rule itself is in `atlas_shared::strategy`. `scs.rs` is one strategy's
//! page (a Sustainable Community Strategy) and the priority form. `action_plans.rs`: each
//! group's action plans (`/partnerships/:id/action-plans`, `/action-plans/:id`) and their key
//! actions. `highlights.rs`: each body's highlight reports (`/bodies/:id/highlight-reports`,
//! `/highlight-reports/:id`), the reports a body receives, and the escalations on a meeting.
//! `annual.rs`: the annual report for a financial year (`/partnerships/:id/annual-report`).
//! `funds.rs`: the project funds (`/partnerships/:id/funds`, `/funds/:id`), their partners'
//! contributions and the groups' bids, scored and decided (its own `ROUTES`). `serves.rs`:
//! choosing the priorities and targets a key action or a bid serves.

use atlas_shared::strategy::{
    ActionPlanId, HighlightReportId, KeyActionId, MeasurementId, PriorityId, StrategyId, TargetId,
};
use atlas_shared::{EntityKind, IsoDate, PartnershipId, Snapshot};
use dashboard::BodyDashboardPage;
use leptos::prelude::*;
use uuid::Uuid;

use crate::components::Crumb;
use crate::pages::delete::{Described, delete_page};
use crate::pages::partnership_crumbs;

pub mod action_plans;
pub mod annual;
pub mod chart;
pub mod compare;
pub mod dashboard;
pub mod figures;
pub mod funds;
pub mod highlights;
pub mod owned;
pub mod scs;
pub mod serves;
pub mod status;
pub mod strategies;
pub mod target;

use action_plans::{
    ActionPlanPage, ActionPlansPage, EditActionPlanPage, EditKeyActionPage, NewActionPlanPage,
    NewKeyActionPage,
};
use annual::AnnualReportPage;
pub use annual::annual_report_href;
use compare::ComparePage;
pub use compare::compare_href;
use dashboard::DashboardPage;
pub use dashboard::dashboard_href;
use highlights::{
    EditHighlightReportPage, HighlightReportPage, HighlightReportsPage, NewHighlightReportPage,
    highlight_report_href, highlight_reports_href,
};
use scs::{EditPriorityPage, NewPriorityPage, StrategyPage};
use strategies::{EditStrategyPage, NewStrategyPage, StrategiesPage};
use target::{EditMeasurementPage, EditTargetPage, NewMeasurementPage, NewTargetPage, TargetPage};

/// A partnership's strategies.
pub fn strategies_href(p: PartnershipId) -> String {
    format!("/partnerships/{p}/strategies")
}

/// A strategy: its vision, priorities and targets.
pub fn strategy_href(s: StrategyId) -> String {
    format!("/strategies/{s}")
}

/// A priority's place on its strategy's page.
pub fn priority_href(s: StrategyId, p: PriorityId) -> String {
    format!("/strategies/{s}#priority-{p}")
}

pub fn priority_edit_href(p: PriorityId) -> String {
    format!("/priorities/{p}/edit")
}

/// A target: its figures, chart and SMART check.
pub fn target_href(t: TargetId) -> String {
    format!("/targets/{t}")
}

pub fn measurement_edit_href(m: MeasurementId) -> String {
    format!("/measurements/{m}/edit")
}

/// Every group's action plans in partnership `p`.
pub fn action_plans_href(p: PartnershipId) -> String {
    format!("/partnerships/{p}/action-plans")
}

pub fn action_plan_href(id: ActionPlanId) -> String {
    format!("/action-plans/{id}")
}

pub fn key_action_href(id: KeyActionId) -> String {
    format!("/key-actions/{id}")
}

/// Today, from the browser's clock (the rules in `shared` take it as an argument).
pub fn today() -> IsoDate {
    IsoDate::from_unix_ms(crate::data::now_ms() as i64).unwrap_or(IsoDate::known(2011, 1, 1))
}
// This area's pages, a part of the app fetched when one is first opened (`crate::parts`).
crate::parts::part!(strategy {
    staff {
        StrategiesPage,
        NewStrategyPage,
        StrategyPage,
        EditStrategyPage,
        DeleteStrategyPage,
        NewPriorityPage,
        EditPriorityPage,
        DeletePriorityPage,
        NewTargetPage,
        TargetPage,
        EditTargetPage,
        DeleteTargetPage,
        NewMeasurementPage,
        EditMeasurementPage,
        DeleteMeasurementPage,
        DashboardPage,
        AnnualReportPage,
        ComparePage,
        ActionPlansPage,
        NewActionPlanPage,
        ActionPlanPage,
        EditActionPlanPage,
        DeleteActionPlanPage,
        NewKeyActionPage,
        EditKeyActionPage,
        DeleteKeyActionPage,
        HighlightReportsPage,
        BodyDashboardPage,
        NewHighlightReportPage,
        HighlightReportPage,
        EditHighlightReportPage,
        DeleteHighlightReportPage,
    },
});

/// The strategy area's addresses: each page's path pattern (`atlas_shared::paths`).
pub const ROUTES: &[(&str, Page)] = &[
    ("/partnerships/:id/strategies", Page::StrategiesPage),
    ("/partnerships/:id/strategies/new", Page::NewStrategyPage),
    ("/strategies/:id", Page::StrategyPage),
    ("/strategies/:id/edit", Page::EditStrategyPage),
    ("/strategies/:id/delete", Page::DeleteStrategyPage),
    ("/strategies/:id/priorities/new", Page::NewPriorityPage),
    ("/priorities/:id/edit", Page::EditPriorityPage),
    ("/priorities/:id/delete", Page::DeletePriorityPage),
    ("/priorities/:id/targets/new", Page::NewTargetPage),
    ("/targets/:id", Page::TargetPage),
    ("/targets/:id/edit", Page::EditTargetPage),
    ("/targets/:id/delete", Page::DeleteTargetPage),
    ("/targets/:id/measurements/new", Page::NewMeasurementPage),
    ("/measurements/:id/edit", Page::EditMeasurementPage),
    ("/measurements/:id/delete", Page::DeleteMeasurementPage),
    ("/partnerships/:id/dashboard", Page::DashboardPage),
    ("/partnerships/:id/annual-report", Page::AnnualReportPage),
    (
        "/partnerships/:id/annual-report/:year",
        Page::AnnualReportPage,
    ),
    ("/partnerships/:id/compare", Page::ComparePage),
    ("/partnerships/:id/action-plans", Page::ActionPlansPage),
    (
        "/partnerships/:id/action-plans/new",
        Page::NewActionPlanPage,
    ),
    ("/action-plans/:id", Page::ActionPlanPage),
    ("/action-plans/:id/edit", Page::EditActionPlanPage),
    ("/action-plans/:id/delete", Page::DeleteActionPlanPage),
    ("/action-plans/:id/actions/new", Page::NewKeyActionPage),
    ("/key-actions/:id/edit", Page::EditKeyActionPage),
    ("/key-actions/:id/delete", Page::DeleteKeyActionPage),
    ("/bodies/:id/highlight-reports", Page::HighlightReportsPage),
    ("/bodies/:id/dashboard", Page::BodyDashboardPage),
    (
        "/bodies/:id/highlight-reports/new",
        Page::NewHighlightReportPage,
    ),
    ("/highlight-reports/:id", Page::HighlightReportPage),
    ("/highlight-reports/:id/edit", Page::EditHighlightReportPage),
    (
        "/highlight-reports/:id/delete",
        Page::DeleteHighlightReportPage,
    ),
];

/// "Partnerships › Redditch Partnership › Strategies › Redditch SCS", every one a link.
pub fn strategy_trail(s: &Snapshot, id: StrategyId) -> Vec<Crumb> {
    let Some(strategy) = s.strategies.get(&id) else {
        return Vec::new();
    };
    let p = strategy.partnership_id;
    let mut crumbs = partnership_crumbs(s, p);
    crumbs.push(Crumb::link("Strategies", strategies_href(p)));
    crumbs.push(Crumb::link(strategy.title.clone(), strategy_href(id)));
    crumbs
}

/// The trail of a target: its strategy's, then the target.
pub fn target_trail(s: &Snapshot, id: TargetId) -> Vec<Crumb> {
    let Some(target) = s.targets.get(&id) else {
        return Vec::new();
    };
    let Some(priority) = s.priorities.get(&target.priority_id) else {
        return Vec::new();
    };
    let mut crumbs = strategy_trail(s, priority.strategy_id);
    crumbs.push(Crumb::link(target.name.clone(), target_href(id)));
    crumbs
}

/// Ends a trail at `here`, or (without it) turns its last link into where the person is.
pub fn ending(mut crumbs: Vec<Crumb>, here: Option<String>) -> Vec<Crumb> {
    match here {
        Some(here) => crumbs.push(Crumb::here(here)),
        None => {
            if let Some(last) = crumbs.pop() {
                crumbs.push(Crumb::here(last.text));
            }
        }
    }
    crumbs
}

// --- deleting --------------------------------------------------------------------------

/// How the delete page describes a strategy record; `None` for other kinds.
pub fn delete_target(s: &Snapshot, kind: EntityKind, id: Uuid) -> Option<Described> {
    Some(match kind {
        EntityKind::Strategy => {
            let sid = StrategyId(id);
            let strategy = s.strategies.get(&sid)?;
            (
                format!("the strategy “{}”", strategy.title),
                strategy_href(sid),
                strategies_href(strategy.partnership_id),
                strategy_trail(s, sid),
            )
        }
        EntityKind::Priority => {
            let p = s.priorities.get(&PriorityId(id))?;
            (
                format!("the priority “{}”", p.title),
                strategy_href(p.strategy_id),
                strategy_href(p.strategy_id),
                strategy_trail(s, p.strategy_id),
            )
        }
        EntityKind::Target => {
            let tid = TargetId(id);
            let t = s.targets.get(&tid)?;
            let strategy = s.priorities.get(&t.priority_id)?.strategy_id;
            (
                format!("the target “{}”", t.name),
                target_href(tid),
                strategy_href(strategy),
                target_trail(s, tid),
            )
        }
        EntityKind::Measurement => {
            let m = s.measurements.get(&MeasurementId(id))?;
            (
                format!("the figure for {}", m.on.long()),
                target_href(m.target_id),
                target_href(m.target_id),
                target_trail(s, m.target_id),
            )
        }
        EntityKind::ActionPlan => {
            let plan = s.action_plans.get(&ActionPlanId(id))?;
            let p = plan.partnership_id;
            (
                action_plans::plan_title(s, plan),
                action_plan_href(ActionPlanId(id)),
                action_plans_href(p),
                action_plans::plans_crumbs(s, p, None),
            )
        }
        EntityKind::KeyAction => {
            let action = s.key_actions.get(&KeyActionId(id))?;
            let plan = s.action_plans.get(&action.action_plan_id)?;
            let mut crumbs = action_plans::plans_crumbs(s, plan.partnership_id, None);
            crumbs.push(Crumb::link(
                action_plans::plan_title(s, plan),
                action_plan_href(action.action_plan_id),
            ));
            (
                format!("the key action “{}”", action.title),
                action_plan_href(action.action_plan_id),
                action_plan_href(action.action_plan_id),
                crumbs,
            )
        }
        EntityKind::HighlightReport => {
            let id = HighlightReportId(id);
            let r = s.highlight_reports.get(&id)?;
            let mut crumbs = partnership_crumbs(s, r.partnership_id);
            if let Some(b) = s.bodies.get(&r.body_id) {
                crumbs.push(Crumb::link(
                    b.name.clone(),
                    crate::pages::structure::body_href(r.body_id),
                ));
            }
            crumbs.push(Crumb::link(
                "Highlight reports",
                highlight_reports_href(r.body_id),
            ));
            (
                format!("the {}", highlights::report_title(s, r)),
                highlight_report_href(id),
                highlight_reports_href(r.body_id),
                crumbs,
            )
        }
        _ => return funds::delete_target(s, kind, id),
    })
}

/// `/strategies/:id/delete`
#[component]
pub fn DeleteStrategyPage() -> impl IntoView {
    delete_page(EntityKind::Strategy)
}

/// `/priorities/:id/delete`
#[component]
pub fn DeletePriorityPage() -> impl IntoView {
    delete_page(EntityKind::Priority)
}

/// `/targets/:id/delete`
#[component]
pub fn DeleteTargetPage() -> impl IntoView {
    delete_page(EntityKind::Target)
}

/// `/measurements/:id/delete`
#[component]
pub fn DeleteMeasurementPage() -> impl IntoView {
    delete_page(EntityKind::Measurement)
}

/// `/action-plans/:id/delete`
#[component]
pub fn DeleteActionPlanPage() -> impl IntoView {
    delete_page(EntityKind::ActionPlan)
}

/// `/key-actions/:id/delete`
#[component]
pub fn DeleteKeyActionPage() -> impl IntoView {
    delete_page(EntityKind::KeyAction)
}

/// `/highlight-reports/:id/delete`
#[component]
pub fn DeleteHighlightReportPage() -> impl IntoView {
    delete_page(EntityKind::HighlightReport)
}
