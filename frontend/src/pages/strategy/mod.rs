//! Strategy and performance: action plans and their key actions.

use atlas_shared::strategy::{ActionPlanId, KeyActionId};
use atlas_shared::{EntityKind, PartnershipId, Snapshot};
use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Route};
use leptos_router::{MatchNestedRoutes, path};
use uuid::Uuid;

use crate::pages::delete::{Described, delete_page};

use action_plans::{
    ActionPlanPage, ActionPlansPage, EditActionPlanPage, EditKeyActionPage, NewActionPlanPage,
    NewKeyActionPage,
};

pub mod action_plans;

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

/// Strategy's addresses.
#[component(transparent)]
pub fn StrategyRoutes() -> impl MatchNestedRoutes + Clone {
    view! {
        <ParentRoute path=path!("/partnerships/:id") view=Outlet>
            <Route path=path!("/action-plans") view=ActionPlansPage />
            <Route path=path!("/action-plans/new") view=NewActionPlanPage />
        </ParentRoute>
        <ParentRoute path=path!("/action-plans/:id") view=Outlet>
            <Route path=path!("") view=ActionPlanPage />
            <Route path=path!("/edit") view=EditActionPlanPage />
            <Route path=path!("/delete") view=DeleteActionPlanPage />
            <Route path=path!("/actions/new") view=NewKeyActionPage />
        </ParentRoute>
        <ParentRoute path=path!("/key-actions/:id") view=Outlet>
            <Route path=path!("/edit") view=EditKeyActionPage />
            <Route path=path!("/delete") view=DeleteKeyActionPage />
        </ParentRoute>
    }
    .into_inner()
}

/// How the delete page describes a strategy record; `None` for other kinds.
pub fn delete_target(s: &Snapshot, kind: EntityKind, id: Uuid) -> Option<Described> {
    Some(match kind {
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
            crumbs.push(crate::components::Crumb::link(
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
        _ => return None,
    })
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
