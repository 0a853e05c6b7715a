//! The addresses of meetings, agenda items, minutes, committees and the forward plan, their
//! link builders, and how the delete page describes them.

use atlas_shared::scrutiny::meetings::meeting_title;
use atlas_shared::scrutiny::{
    AgendaItemId, CouncillorInductionId, MeetingId, MinutesId, TrainingSessionId,
};
use atlas_shared::{EntityKind, IsoDate, OrganisationId, PartnershipId, Snapshot};
use leptos::prelude::*;
use uuid::Uuid;

use super::forward_plan::ForwardPlanPage;
use super::inductions::{EditInductionPage, NewInductionPage, inductions_href};
use super::meeting_forms::{
    EditAgendaItemPage, EditMeetingPage, EditMinutesPage, NewAgendaItemPage, NewMeetingPage,
    NewMinutesPage,
};
use super::meetings::{CommitteePage, MeetingPage, MeetingsPage};
use super::training_sessions::{
    EditTrainingSessionPage, NewTrainingSessionPage, TrainingSessionsPage, training_sessions_href,
    training_trail,
};
use crate::components::{Crumb, gate};
use crate::data::use_store;
use crate::pages::accounts::use_manages;
use crate::pages::delete::{Described, delete_page};
use crate::pages::partnership_crumbs;
use crate::pages::use_partnership_id;

/// A partnership's meetings, upcoming and past.
pub fn meetings_href(p: PartnershipId) -> String {
    format!("/partnerships/{p}/meetings")
}

/// One meeting: its agenda and minutes.
pub fn meeting_href(m: MeetingId) -> String {
    format!("/meetings/{m}")
}

/// An agenda item's place on its meeting's page.
pub fn agenda_item_anchor(item: AgendaItemId) -> String {
    format!("item-{item}")
}

/// An agenda item's pages (edit, delete) are under this.
pub fn agenda_item_href(item: AgendaItemId) -> String {
    format!("/agenda-items/{item}")
}

/// Minutes' pages (edit, delete) are under this.
pub fn minutes_href(m: MinutesId) -> String {
    format!("/minutes/{m}")
}

/// What one council committee received about partnership `p`.
pub fn committee_href(p: PartnershipId, council: OrganisationId, committee: &str) -> String {
    let name = String::from(js_sys::encode_uri_component(committee.trim()));
    format!("/partnerships/{p}/committees/{council}?name={name}")
}

/// The forward plan: coming meetings and their items, as at `from` (today when `None`).
pub fn forward_plan_href(p: PartnershipId, from: Option<IsoDate>) -> String {
    match from {
        Some(day) => format!("/partnerships/{p}/forward-plan?from={day}"),
        None => format!("/partnerships/{p}/forward-plan"),
    }
}

/// Today, by this device's clock.
pub fn today() -> IsoDate {
    IsoDate::from_unix_ms(crate::data::now_ms() as i64).unwrap_or(IsoDate::known(2010, 1, 1))
}

/// A page of the route's partnership: `page` draws it from the snapshot, the partnership and
/// whether the reader manages it (to offer Add, Edit and Delete).
pub fn partnership_page<V: IntoView + 'static>(
    page: impl Fn(Signal<Snapshot>, PartnershipId, Signal<bool>) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    gate(store.ready(), pid, "partnership", move |pid| {
        let manages = use_manages(Signal::derive(move || Some(pid)));
        page(snapshot, pid, manages)
    })
}

/// "Partnerships › Redditch Partnership › Meetings", a link each.
pub fn meetings_trail(s: &Snapshot, p: PartnershipId) -> Vec<Crumb> {
    let mut c = partnership_crumbs(s, p);
    c.push(Crumb::link("Meetings", meetings_href(p)));
    c
}

/// The meetings trail, then the meeting `m` as a link.
pub fn meeting_trail(s: &Snapshot, m: MeetingId) -> Vec<Crumb> {
    let Some(meeting) = s.meetings.get(&m) else {
        return Vec::new();
    };
    let mut c = meetings_trail(s, meeting.partnership_id);
    c.push(Crumb::link(meeting_title(s, meeting), meeting_href(m)));
    c
}
// This area's pages, a part of the app fetched when one is first opened (`crate::parts`).
crate::parts::part!(meetings {
    staff {
        MeetingsPage,
        NewMeetingPage,
        CommitteePage,
        ForwardPlanPage,
        TrainingSessionsPage,
        NewTrainingSessionPage,
        NewInductionPage,
        EditInductionPage,
        DeleteInductionPage,
        EditTrainingSessionPage,
        DeleteTrainingSessionPage,
        MeetingPage,
        EditMeetingPage,
        DeleteMeetingPage,
        NewAgendaItemPage,
        NewMinutesPage,
        EditAgendaItemPage,
        DeleteAgendaItemPage,
        EditMinutesPage,
        DeleteMinutesPage,
    },
});

/// The meetings area's addresses: each page's path pattern (`atlas_shared::paths`).
pub const ROUTES: &[(&str, Page)] = &[
    ("/partnerships/:id/meetings", Page::MeetingsPage),
    ("/partnerships/:id/meetings/new", Page::NewMeetingPage),
    ("/partnerships/:id/committees/:council", Page::CommitteePage),
    ("/partnerships/:id/forward-plan", Page::ForwardPlanPage),
    (
        "/partnerships/:id/training-sessions",
        Page::TrainingSessionsPage,
    ),
    (
        "/partnerships/:id/training-sessions/new",
        Page::NewTrainingSessionPage,
    ),
    ("/partnerships/:id/inductions/new", Page::NewInductionPage),
    ("/inductions/:id/edit", Page::EditInductionPage),
    ("/inductions/:id/delete", Page::DeleteInductionPage),
    ("/training-sessions/:id/edit", Page::EditTrainingSessionPage),
    (
        "/training-sessions/:id/delete",
        Page::DeleteTrainingSessionPage,
    ),
    ("/meetings/:id", Page::MeetingPage),
    ("/meetings/:id/edit", Page::EditMeetingPage),
    ("/meetings/:id/delete", Page::DeleteMeetingPage),
    ("/meetings/:id/items/new", Page::NewAgendaItemPage),
    ("/meetings/:id/minutes/new", Page::NewMinutesPage),
    ("/agenda-items/:id/edit", Page::EditAgendaItemPage),
    ("/agenda-items/:id/delete", Page::DeleteAgendaItemPage),
    ("/minutes/:id/edit", Page::EditMinutesPage),
    ("/minutes/:id/delete", Page::DeleteMinutesPage),
];

/// How the delete page describes a meeting (back to the meetings), an agenda item or minutes
/// (back to their meeting); `None` for other kinds.
pub fn delete_target(s: &Snapshot, kind: EntityKind, id: Uuid) -> Option<Described> {
    Some(match kind {
        EntityKind::Meeting => {
            let mid = MeetingId(id);
            let m = s.meetings.get(&mid)?;
            (
                format!("the meeting “{}”", meeting_title(s, m)),
                meeting_href(mid),
                meetings_href(m.partnership_id),
                meeting_trail(s, mid),
            )
        }
        EntityKind::AgendaItem => {
            let item = s.agenda_items.get(&AgendaItemId(id))?;
            (
                format!("the agenda item “{}”", item.title),
                meeting_href(item.meeting_id),
                meeting_href(item.meeting_id),
                meeting_trail(s, item.meeting_id),
            )
        }
        EntityKind::Minutes => {
            let minutes = s.minutes.get(&MinutesId(id))?;
            let what = match s.meetings.get(&minutes.meeting_id) {
                Some(m) => format!("the minutes of “{}”", meeting_title(s, m)),
                None => "these minutes".to_owned(),
            };
            (
                what,
                meeting_href(minutes.meeting_id),
                meeting_href(minutes.meeting_id),
                meeting_trail(s, minutes.meeting_id),
            )
        }
        EntityKind::TrainingSession => {
            let t = s.training_sessions.get(&TrainingSessionId(id))?;
            let p = t.partnership_id;
            (
                format!("the training session of {}", t.date.long()),
                training_sessions_href(p),
                training_sessions_href(p),
                training_trail(s, p),
            )
        }
        EntityKind::CouncillorInduction => {
            let c = s.councillor_inductions.get(&CouncillorInductionId(id))?;
            let p = c.partnership_id;
            (
                format!("the record of {}’s induction", c.councillor.trim()),
                inductions_href(p),
                inductions_href(p),
                training_trail(s, p),
            )
        }
        _ => return None,
    })
}

/// `/meetings/:id/delete`
#[component]
pub fn DeleteMeetingPage() -> impl IntoView {
    delete_page(EntityKind::Meeting)
}

/// `/agenda-items/:id/delete`
#[component]
pub fn DeleteAgendaItemPage() -> impl IntoView {
    delete_page(EntityKind::AgendaItem)
}

/// `/minutes/:id/delete`
#[component]
pub fn DeleteMinutesPage() -> impl IntoView {
    delete_page(EntityKind::Minutes)
}

/// `/inductions/:id/delete`
#[component]
pub fn DeleteInductionPage() -> impl IntoView {
    delete_page(EntityKind::CouncillorInduction)
}

/// `/training-sessions/:id/delete`
#[component]
pub fn DeleteTrainingSessionPage() -> impl IntoView {
    delete_page(EntityKind::TrainingSession)
}
