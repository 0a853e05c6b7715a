//! The forms of meetings, agenda items and minutes, and their New and Edit pages
//! (`/partnerships/:id/meetings/new`, `/meetings/:id/edit`, `/meetings/:id/items/new`,
//! `/agenda-items/:id/edit`, `/meetings/:id/minutes/new`, `/minutes/:id/edit`). Each form
//! reads its dates before there is a record to check, then the shared rules speak; what was
//! typed stays on the page when anything is refused.

use atlas_shared::date::{date_input, optional_date_input};
use atlas_shared::scrutiny::meetings::{
    bid_choices, document_lines, highlight_report_choices, meeting_title, meetings_of,
    monitoring_session_choices, parse_document_lines, recommendation_choices,
};
use atlas_shared::scrutiny::{
    AgendaItem, AgendaItemId, Concern, Meeting, MeetingId, MeetingStatus, Minutes, MinutesId,
    ReportType,
};
use atlas_shared::{
    BodyId, Draft, EntityKind, FieldError, IsoDate, OrganisationId, PartnershipId, Snapshot,
};
use leptos::prelude::*;
use uuid::Uuid;

use super::meeting_routes::{meeting_href, meeting_trail, meetings_href, meetings_trail};
use super::meetings::use_meeting_id;
use crate::components::{
    AtlasForm, CheckboxGroup, Crumb, EnumSelect, FormActions, FormErrors, FormPage, Inputs,
    RecordSelect, TextArea, TextField, gate, record_form_page,
};
use crate::data::{new_id, use_store};
use crate::pages::{found, use_id, use_partnership_id};

/// An optional id chosen in a select ("" for none); an id that does not parse is none too.
fn chosen<T: std::str::FromStr>(value: &str) -> Option<T> {
    value.trim().parse().ok()
}

fn date_text(d: Option<IsoDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

const MEETING_FIELDS: &[&str] = &[
    "body_id",
    "council_id",
    "committee",
    "date",
    "time",
    "venue",
    "status",
    "note",
];

/// The fields of a meeting: who met (a body, or a council and committee), when, where, and
/// its status.
#[component]
pub fn MeetingForm(
    /// The partnership's bodies and organisations, as (id, name).
    bodies: Vec<(BodyId, String)>,
    organisations: Vec<(OrganisationId, String)>,
    initial: Meeting,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<Meeting>,
) -> impl IntoView {
    let partnership_id = initial.partnership_id;
    let body = RwSignal::new(initial.body_id.map(|b| b.to_string()).unwrap_or_default());
    let council = RwSignal::new(
        initial
            .council_id
            .map(|c| c.to_string())
            .unwrap_or_default(),
    );
    let committee = RwSignal::new(initial.committee);
    let date = RwSignal::new(initial.date.to_string());
    let time = RwSignal::new(initial.time);
    let venue = RwSignal::new(initial.venue);
    let status = RwSignal::new(initial.status);
    let note = RwSignal::new(initial.note);
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let day = inputs.take(date_input(
            "date",
            &date.get_untracked(),
            "the date of the meeting",
        ));
        let meeting = Meeting {
            partnership_id,
            body_id: chosen(&body.get_untracked()),
            council_id: chosen(&council.get_untracked()),
            committee: committee.get_untracked().trim().to_owned(),
            // Checked against the other rules while the date is put right.
            date: day.unwrap_or(IsoDate::known(2010, 1, 1)),
            time: time.get_untracked().trim().to_owned(),
            venue: venue.get_untracked().trim().to_owned(),
            status: status.get_untracked(),
            note: note.get_untracked(),
        };
        if let Some(found) = inputs.refused(&meeting, MEETING_FIELDS) {
            errors.set(found);
            return;
        }
        on_submit.run(meeting)
    };
    let mut body_options = vec![(
        String::new(),
        "None: it is a council committee’s meeting".to_owned(),
    )];
    body_options.extend(bodies.into_iter().map(|(id, name)| (id.to_string(), name)));
    let mut council_options = vec![(
        String::new(),
        "None: it is a partnership body’s meeting".to_owned(),
    )];
    council_options.extend(
        organisations
            .into_iter()
            .map(|(id, name)| (id.to_string(), name)),
    );
    view! {
        <AtlasForm on_submit=submit>
            <RecordSelect
                id="body_id"
                label="Partnership body that met"
                hint="For example, the Partnership Management Board. Leave this as None for a council committee’s meeting."
                options=body_options
                value=body
                errors=errors
            />
            <RecordSelect
                id="council_id"
                label="Or the council whose committee met"
                hint="For a council committee that receives reports about the partnership, such as Overview and Scrutiny"
                options=council_options
                value=council
                errors=errors
            />
            <TextField
                id="committee"
                label="Committee (for a council committee)"
                hint="For example, Overview and Scrutiny Committee, Full Council, Cabinet or Corporate Issues Panel"
                value=committee
                errors=errors
            />
            <TextField
                id="date"
                label="Date"
                hint="For example, 25 November 2009"
                value=date
                errors=errors
                input_type="date"
                width="input--date"
            />
            <TextField
                id="time"
                label="Start time (optional)"
                hint="On the 24-hour clock, for example 19:00"
                value=time
                errors=errors
                input_type="time"
                width="input--width-5"
            />
            <TextField id="venue" label="Venue (optional)" hint="For example, Town Hall, Redditch" value=venue errors=errors />
            <EnumSelect id="status" label="Status" value=status errors=errors />
            <TextArea
                id="note"
                label="Note (optional)"
                hint="Anything a reader should know about this record, such as where its facts come from"
                value=note
                errors=errors
                rows=3
            />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// The page around the meeting form.
fn meeting_form_page(
    snapshot: Signal<Snapshot>,
    id: MeetingId,
    initial: Meeting,
    heading: String,
    submit_label: &'static str,
    cancel_href: String,
) -> impl IntoView {
    let p = initial.partnership_id;
    let (crumbs, bodies, organisations) = snapshot.with_untracked(|s| {
        let mut crumbs = meetings_trail(s, p);
        crumbs.push(Crumb::here(heading.clone()));
        let bodies = s
            .bodies_of(p)
            .into_iter()
            .map(|(id, b)| (id, b.name.clone()))
            .collect::<Vec<_>>();
        let organisations = s
            .organisations_of(p)
            .into_iter()
            .map(|(id, o)| (id, o.name.clone()))
            .collect::<Vec<_>>();
        (crumbs, bodies, organisations)
    });
    let page = FormPage::in_section(crumbs, heading, "Meetings");
    let to_save = move |m: Meeting| (Draft::of(m), meeting_href(id));
    record_form_page(page, id.0, to_save, move |errors, on_submit| {
        view! {
            <MeetingForm
                bodies=bodies
                organisations=organisations
                initial=initial
                errors=errors
                submit_label=submit_label
                cancel_href=cancel_href
                on_submit=on_submit
            />
        }
    })
}

/// `/partnerships/:id/meetings/new`
#[component]
pub fn NewMeetingPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = use_partnership_id(snapshot);
    gate(store.ready(), pid, "partnership", move |pid| {
        let initial = Meeting {
            partnership_id: pid,
            body_id: None,
            council_id: None,
            committee: String::new(),
            date: super::meeting_routes::today(),
            time: String::new(),
            venue: String::new(),
            status: MeetingStatus::Scheduled,
            note: String::new(),
        };
        meeting_form_page(
            snapshot,
            MeetingId(new_id()),
            initial,
            "Add a meeting".to_owned(),
            "Add meeting",
            meetings_href(pid),
        )
    })
}

/// `/meetings/:id/edit`
#[component]
pub fn EditMeetingPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = use_meeting_id(snapshot);
    gate(store.ready(), id, "meeting", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.meetings.get(&id).cloned()) else {
            return ().into_any();
        };
        meeting_form_page(
            snapshot,
            id,
            initial,
            "Edit meeting".to_owned(),
            "Save changes",
            meeting_href(id),
        )
        .into_any()
    })
}

const ITEM_FIELDS: &[&str] = &[
    "number",
    "title",
    "report_type",
    "summary",
    "outcome",
    "documents",
    "concerns",
];

/// One kind of record an agenda item may concern, as the form offers it: a group of
/// checkboxes.
struct ConcernGroup {
    kind: EntityKind,
    /// The group's field id (the first is `concerns`, where the rules' errors land).
    id: &'static str,
    legend: &'static str,
    options: Vec<(String, String)>,
    chosen: RwSignal<Vec<String>>,
}

/// The fields of an agenda item. The records it concerns are offered from the partnership's
/// bodies, its reviews' recommendations and their monitoring sessions, its highlight reports
/// and the bids to its project funds; what it concerns of other kinds is kept as it was.
#[component]
pub fn AgendaItemForm(
    /// The bodies it may concern, as (id, name).
    bodies: Vec<(BodyId, String)>,
    /// The recommendations it may concern, as (id, label).
    #[prop(optional)]
    recommendations: Vec<(Uuid, String)>,
    /// The monitoring sessions it may concern, as (id, label).
    #[prop(optional)]
    sessions: Vec<(Uuid, String)>,
    /// The highlight reports it may concern, as (id, label).
    #[prop(optional)]
    highlights: Vec<(Uuid, String)>,
    /// The bids to the project funds it may concern, as (id, label).
    #[prop(optional)]
    bids: Vec<(Uuid, String)>,
    initial: AgendaItem,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<AgendaItem>,
) -> impl IntoView {
    let (partnership_id, meeting_id) = (initial.partnership_id, initial.meeting_id);
    let group = |kind, id, legend, options: Vec<(String, String)>| ConcernGroup {
        kind,
        id,
        legend,
        options,
        chosen: RwSignal::new(
            initial
                .concerns
                .iter()
                .filter(|c| c.kind == kind)
                .map(|c| c.id.to_string())
                .collect(),
        ),
    };
    let groups = vec![
        group(
            EntityKind::Body,
            "concerns",
            "Which of the partnership’s bodies does it concern? (optional)",
            bodies
                .into_iter()
                .map(|(id, name)| (id.to_string(), name))
                .collect(),
        ),
        group(
            EntityKind::Recommendation,
            "concerns-recommendations",
            "Which recommendations of a review does it concern? (optional)",
            recommendations
                .into_iter()
                .map(|(id, label)| (id.to_string(), label))
                .collect(),
        ),
        group(
            EntityKind::MonitoringSession,
            "concerns-sessions",
            "Which monitoring sessions of a review does it concern? (optional)",
            sessions
                .into_iter()
                .map(|(id, label)| (id.to_string(), label))
                .collect(),
        ),
        group(
            EntityKind::HighlightReport,
            "concerns-highlights",
            "Which highlight reports does it concern? (optional)",
            highlights
                .into_iter()
                .map(|(id, label)| (id.to_string(), label))
                .collect(),
        ),
        group(
            EntityKind::FundBid,
            "concerns-bids",
            "Which bids to the project funds does it concern? (optional)",
            bids.into_iter()
                .map(|(id, label)| (id.to_string(), label))
                .collect(),
        ),
    ];
    let offered: Vec<(EntityKind, RwSignal<Vec<String>>)> =
        groups.iter().map(|g| (g.kind, g.chosen)).collect();
    let kept: Vec<Concern> = initial
        .concerns
        .iter()
        .filter(|c| !offered.iter().any(|(kind, _)| *kind == c.kind))
        .copied()
        .collect();
    let number = RwSignal::new(initial.number);
    let title = RwSignal::new(initial.title);
    let report_type = RwSignal::new(initial.report_type);
    let summary = RwSignal::new(initial.summary);
    let outcome = RwSignal::new(initial.outcome);
    let documents = RwSignal::new(document_lines(&initial.documents));
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let docs = inputs.take(
            parse_document_lines(&documents.get_untracked())
                .map_err(|m| FieldError::new("documents", m)),
        );
        let mut all = kept.clone();
        for (kind, chosen) in &offered {
            all.extend(chosen.get_untracked().iter().filter_map(|key| {
                Uuid::parse_str(key)
                    .ok()
                    .map(|id| Concern { kind: *kind, id })
            }));
        }
        let item = AgendaItem {
            partnership_id,
            meeting_id,
            number: number.get_untracked().trim().to_owned(),
            title: title.get_untracked().trim().to_owned(),
            report_type: report_type.get_untracked(),
            summary: summary.get_untracked(),
            outcome: outcome.get_untracked(),
            documents: docs.unwrap_or_default(),
            concerns: all,
        };
        if let Some(found) = inputs.refused(&item, ITEM_FIELDS) {
            errors.set(found);
            return;
        }
        on_submit.run(item)
    };
    // A group with nothing to offer and nothing chosen is left out.
    let concern_groups = groups
        .into_iter()
        .filter(|g| !g.options.is_empty() || g.chosen.with_untracked(|c| !c.is_empty()))
        .map(|g| {
            view! {
                <CheckboxGroup
                    id=g.id
                    legend=g.legend
                    options=g.options
                    value=g.chosen
                    errors=errors
                />
            }
        })
        .collect_view();
    view! {
        <AtlasForm on_submit=submit>
            <TextField
                id="number"
                label="Item number (optional)"
                hint="As the agenda prints it, for example 126"
                value=number
                errors=errors
                width="input--width-5"
            />
            <TextField
                id="title"
                label="Title"
                hint="For example, Local Strategic Partnership (LSP)"
                value=title
                errors=errors
            />
            <EnumSelect id="report_type" label="How it was reported" value=report_type errors=errors />
            <TextArea
                id="summary"
                label="Summary (optional)"
                hint="What was reported, in brief"
                value=summary
                errors=errors
                rows=5
            />
            <TextArea
                id="outcome"
                label="Outcome (optional)"
                hint="The resolution or outcome as the minutes record it, for example: The report was noted."
                value=outcome
                errors=errors
                rows=2
            />
            <TextArea
                id="documents"
                label="Documents (optional)"
                hint="One a line: the title, then a space and its web address starting with https://, for example: Slides on the LSP https://www.example.gov.uk/lsp-slides.pdf"
                value=documents
                errors=errors
                rows=3
            />
            {concern_groups}
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// The page around the agenda item form.
fn item_form_page(
    snapshot: Signal<Snapshot>,
    id: AgendaItemId,
    initial: AgendaItem,
    heading: String,
    submit_label: &'static str,
) -> impl IntoView {
    let m = initial.meeting_id;
    let p = initial.partnership_id;
    let (crumbs, bodies, recommendations, sessions, highlights, bids) =
        snapshot.with_untracked(|s| {
            let mut crumbs = meeting_trail(s, m);
            crumbs.push(Crumb::here(heading.clone()));
            let bodies = s
                .bodies_of(p)
                .into_iter()
                .map(|(id, b)| (id, b.name.clone()))
                .collect::<Vec<_>>();
            (
                crumbs,
                bodies,
                recommendation_choices(s, p),
                monitoring_session_choices(s, p),
                highlight_report_choices(s, p),
                bid_choices(s, p),
            )
        });
    let page = FormPage::in_section(crumbs, heading, "Meetings");
    let to_save = move |a: AgendaItem| (Draft::of(a), meeting_href(m));
    record_form_page(page, id.0, to_save, move |errors, on_submit| {
        view! {
            <AgendaItemForm
                bodies=bodies
                recommendations=recommendations
                sessions=sessions
                highlights=highlights
                bids=bids
                initial=initial
                errors=errors
                submit_label=submit_label
                cancel_href=meeting_href(m)
                on_submit=on_submit
            />
        }
    })
}

/// A New page of a record that belongs to the route's meeting: `page` draws it for the
/// meeting's partnership and the meeting.
fn new_in_meeting<V: IntoView + 'static>(
    page: impl Fn(Signal<Snapshot>, PartnershipId, MeetingId) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let mid = use_meeting_id(snapshot);
    gate(store.ready(), mid, "meeting", move |mid| {
        snapshot
            .with_untracked(|s| s.meetings.get(&mid).map(|m| m.partnership_id))
            .map(|p| page(snapshot, p, mid))
    })
}

/// `/meetings/:id/items/new`
#[component]
pub fn NewAgendaItemPage() -> impl IntoView {
    new_in_meeting(|snapshot, p, mid| {
        let initial = AgendaItem {
            partnership_id: p,
            meeting_id: mid,
            number: String::new(),
            title: String::new(),
            report_type: ReportType::Written,
            summary: String::new(),
            outcome: String::new(),
            documents: Vec::new(),
            concerns: Vec::new(),
        };
        item_form_page(
            snapshot,
            AgendaItemId(new_id()),
            initial,
            "Add an agenda item".to_owned(),
            "Add item",
        )
    })
}

/// `/agenda-items/:id/edit`
#[component]
pub fn EditAgendaItemPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<AgendaItemId>("id"), snapshot, |s, id| {
        s.agenda_items.contains_key(id)
    });
    gate(store.ready(), id, "agenda item", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.agenda_items.get(&id).cloned()) else {
            return ().into_any();
        };
        let heading = format!("Edit “{}”", initial.title);
        item_form_page(snapshot, id, initial, heading, "Save changes").into_any()
    })
}

const MINUTES_FIELDS: &[&str] = &[
    "text",
    "drafted_on",
    "approved_on",
    "approved_at",
    "circulated_on",
    "published_on",
    "note",
];

/// The fields of a meeting's minutes: the text and the date of each step.
#[component]
pub fn MinutesForm(
    /// The meetings that may have approved them, as (id, title).
    meetings: Vec<(MeetingId, String)>,
    initial: Minutes,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<Minutes>,
) -> impl IntoView {
    let (partnership_id, meeting_id) = (initial.partnership_id, initial.meeting_id);
    let text = RwSignal::new(initial.text);
    let drafted = RwSignal::new(date_text(initial.drafted_on));
    let approved = RwSignal::new(date_text(initial.approved_on));
    let approved_at = RwSignal::new(
        initial
            .approved_at
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    let circulated = RwSignal::new(date_text(initial.circulated_on));
    let published = RwSignal::new(date_text(initial.published_on));
    let note = RwSignal::new(initial.note);
    let submit = move |()| {
        let mut inputs = Inputs::default();
        let mut day = |field: &str, value: RwSignal<String>, what: &str| {
            inputs
                .take(optional_date_input(field, &value.get_untracked(), what))
                .flatten()
        };
        let minutes = Minutes {
            partnership_id,
            meeting_id,
            text: text.get_untracked(),
            drafted_on: day("drafted_on", drafted, "the date they were drafted"),
            approved_on: day("approved_on", approved, "the date they were approved"),
            approved_at: chosen(&approved_at.get_untracked()),
            circulated_on: day("circulated_on", circulated, "the date they were circulated"),
            published_on: day("published_on", published, "the date they were published"),
            note: note.get_untracked(),
        };
        if let Some(found) = inputs.refused(&minutes, MINUTES_FIELDS) {
            errors.set(found);
            return;
        }
        on_submit.run(minutes)
    };
    let mut meeting_options = vec![(String::new(), "Not yet approved".to_owned())];
    meeting_options.extend(meetings.into_iter().map(|(id, t)| (id.to_string(), t)));
    view! {
        <AtlasForm on_submit=submit>
            <TextArea id="text" label="Minutes" hint="The minutes as drafted or approved" value=text errors=errors rows=10 />
            <TextField
                id="drafted_on"
                label="Drafted on (optional)"
                value=drafted
                errors=errors
                input_type="date"
                width="input--date"
            />
            <TextField
                id="approved_on"
                label="Approved as a correct record on (optional)"
                hint="Usually at the body’s next meeting"
                value=approved
                errors=errors
                input_type="date"
                width="input--date"
            />
            <RecordSelect
                id="approved_at"
                label="Approved at the meeting (optional)"
                options=meeting_options
                value=approved_at
                errors=errors
            />
            <TextField
                id="circulated_on"
                label="Circulated to councillors on (optional)"
                hint="The page shows how many days after the meeting this was"
                value=circulated
                errors=errors
                input_type="date"
                width="input--date"
            />
            <TextField
                id="published_on"
                label="Published on (optional)"
                hint="Until you enter this date, only members of the partnership can see these minutes. Once it is entered, everyone can."
                value=published
                errors=errors
                input_type="date"
                width="input--date"
            />
            <TextArea
                id="note"
                label="Note (optional)"
                hint="Anything a reader should know about these minutes, such as where the dates come from"
                value=note
                errors=errors
                rows=3
            />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// The page around the minutes form.
fn minutes_form_page(
    snapshot: Signal<Snapshot>,
    id: MinutesId,
    initial: Minutes,
    heading: String,
    submit_label: &'static str,
) -> impl IntoView {
    let m = initial.meeting_id;
    let (crumbs, meetings) = snapshot.with_untracked(|s| {
        let mut crumbs = meeting_trail(s, m);
        crumbs.push(Crumb::here(heading.clone()));
        let meetings = meetings_of(s, initial.partnership_id)
            .into_iter()
            .filter(|(other, _)| *other != m)
            .map(|(other, x)| (other, meeting_title(s, x)))
            .collect::<Vec<_>>();
        (crumbs, meetings)
    });
    let page = FormPage::in_section(crumbs, heading, "Meetings");
    let to_save = move |x: Minutes| (Draft::of(x), meeting_href(m));
    record_form_page(page, id.0, to_save, move |errors, on_submit| {
        view! {
            <MinutesForm
                meetings=meetings
                initial=initial
                errors=errors
                submit_label=submit_label
                cancel_href=meeting_href(m)
                on_submit=on_submit
            />
        }
    })
}

/// `/meetings/:id/minutes/new`
#[component]
pub fn NewMinutesPage() -> impl IntoView {
    new_in_meeting(|snapshot, p, mid| {
        let initial = Minutes {
            partnership_id: p,
            meeting_id: mid,
            text: String::new(),
            drafted_on: None,
            approved_on: None,
            approved_at: None,
            circulated_on: None,
            published_on: None,
            note: String::new(),
        };
        minutes_form_page(
            snapshot,
            MinutesId(new_id()),
            initial,
            "Add minutes".to_owned(),
            "Add minutes",
        )
    })
}

/// `/minutes/:id/edit`
#[component]
pub fn EditMinutesPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<MinutesId>("id"), snapshot, |s, id| {
        s.minutes.contains_key(id)
    });
    gate(store.ready(), id, "minutes", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.minutes.get(&id).cloned()) else {
            return ().into_any();
        };
        minutes_form_page(
            snapshot,
            id,
            initial,
            "Edit minutes".to_owned(),
            "Save changes",
        )
        .into_any()
    })
}
