//! Recording a monitoring session (`/reviews/:id/sessions/new`): the committee reviewed the
//! recommendations on a day; the next is due six months later by default.

use atlas_shared::date::date_input;
use atlas_shared::scrutiny::{MonitoringSession, MonitoringSessionId, ReviewId};
use atlas_shared::{Draft, IsoDate, Snapshot};
use leptos::prelude::*;

use super::review::use_review_id;
use super::{review_crumbs, review_href, today};
use crate::components::{
    AtlasForm, Crumb, FormActions, FormErrors, FormPage, Inputs, TextArea, TextField, gate,
    record_form_page,
};
use crate::data::{new_id, use_store};

const SESSION_FIELDS: &[&str] = &["date", "held_at", "note"];

/// The session's fields.
#[component]
pub fn MonitoringSessionForm(
    initial: MonitoringSession,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<MonitoringSession>,
) -> impl IntoView {
    let partnership_id = initial.partnership_id;
    let review_id = initial.review_id;
    let fallback: IsoDate = initial.date;
    let date = RwSignal::new(initial.date.to_string());
    let held_at = RwSignal::new(initial.held_at);
    let note = RwSignal::new(initial.note);
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let day = inputs.take(date_input(
            "date",
            &date.get_untracked(),
            "the date of the session",
        ));
        let session = MonitoringSession {
            partnership_id,
            review_id,
            date: day.unwrap_or(fallback),
            held_at: held_at.get_untracked().trim().to_owned(),
            note: note.get_untracked(),
        };
        if let Some(found) = inputs.refused(&session, SESSION_FIELDS) {
            errors.set(found);
            return;
        }
        on_submit.run(session);
    };
    view! {
        <AtlasForm on_submit=submit>
            <TextField id="date" label="Date of the session" value=date errors=errors input_type="date" width="input--date" />
            <TextField id="held_at" label="Meeting or committee (optional)" hint="For example, Overview and Scrutiny Committee" value=held_at errors=errors />
            <TextArea id="note" label="Note (optional)" hint="What the committee concluded" value=note errors=errors rows=4 />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

fn session_form_page(snapshot: Signal<Snapshot>, initial: MonitoringSession) -> impl IntoView {
    let review = initial.review_id;
    let heading = "Add a monitoring session".to_owned();
    let crumbs = snapshot.with_untracked(|s| {
        let mut c = review_crumbs(s, initial.partnership_id, Some(review));
        c.push(Crumb::here(heading.clone()));
        c
    });
    let page = FormPage::in_section(crumbs, heading, "Reviews");
    let id = MonitoringSessionId(new_id());
    let to_save = move |m: MonitoringSession| (Draft::of(m), review_href(review));
    record_form_page(page, id.0, to_save, move |errors, on_submit| {
        view! {
            <MonitoringSessionForm initial=initial errors=errors submit_label="Add session" cancel_href=review_href(review) on_submit=on_submit />
        }
    })
}

/// `/reviews/:id/sessions/new`
#[component]
pub fn NewMonitoringSessionPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let review = use_review_id(snapshot);
    gate(store.ready(), review, "review", move |review: ReviewId| {
        let Some(r) = snapshot.with_untracked(|s| s.reviews.get(&review).cloned()) else {
            return ().into_any();
        };
        let initial = MonitoringSession {
            partnership_id: r.partnership_id,
            review_id: review,
            date: today(),
            held_at: r.committee.clone(),
            note: String::new(),
        };
        session_form_page(snapshot, initial).into_any()
    })
}
