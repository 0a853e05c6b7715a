//! A reporting line between two bodies: `/bodies/:id/lines/new` and `/lines/:id/edit`.

use atlas_shared::{
    BodyId, Draft, LineKind, PartnershipId, ReportingLine, ReportingLineId, Snapshot,
};
use leptos::prelude::*;

use super::{body_href, line_href, partnership_href};
use crate::components::{
    AtlasForm, Crumb, EnumSelect, FormActions, FormErrors, RecordSelect, TextArea, gate,
};
use crate::components::{FormPage, record_form_page};
use crate::data::{new_id, use_store};
use crate::pages::{found, home_href, use_id};

/// The partnership's bodies as select options, leaving out `except`, after a "choose" option.
pub fn body_options(
    s: &Snapshot,
    p: PartnershipId,
    except: Option<BodyId>,
) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), "Choose a body".to_owned())];
    options.extend(
        s.bodies_of(p)
            .into_iter()
            .filter(|(id, _)| Some(*id) != except)
            .map(|(id, b)| (id.to_string(), format!("{} ({})", b.name, b.kind.label()))),
    );
    options
}

/// Where the line starts: fixed (a new line from a body's page) or chosen.
#[derive(Clone, Debug, PartialEq)]
pub enum FromBody {
    Fixed { name: String },
    Choose { options: Vec<(String, String)> },
}

/// The fields of a reporting line. Calls `on_submit` with what was entered, or shows an error
/// when no receiving body was chosen.
#[component]
pub fn LineForm(
    initial: ReportingLine,
    from: FromBody,
    to_options: Vec<(String, String)>,
    errors: RwSignal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<ReportingLine>,
) -> impl IntoView {
    let partnership_id = initial.partnership_id;
    let from_body = RwSignal::new(initial.from_body_id.to_string());
    let to_body = RwSignal::new(if initial.to_body_id == initial.from_body_id {
        String::new()
    } else {
        initial.to_body_id.to_string()
    });
    let kind = RwSignal::new(initial.kind);
    let note = RwSignal::new(initial.note);
    let submit = move |()| {
        let Ok(from_body_id) = from_body.with_untracked(|v| v.parse::<BodyId>()) else {
            errors.set(FormErrors::field(
                "from_body_id",
                "Choose the body the report comes from",
            ));
            return;
        };
        let Ok(to_body_id) = to_body.with_untracked(|v| v.parse::<BodyId>()) else {
            errors.set(FormErrors::field(
                "to_body_id",
                "Choose the body that receives the report",
            ));
            return;
        };
        on_submit.run(ReportingLine {
            partnership_id,
            from_body_id,
            to_body_id,
            kind: kind.get_untracked(),
            note: note.get_untracked(),
        })
    };
    let from_view = match from {
        FromBody::Fixed { name } => view! {
            <div class="form-group">
                <p class="label">"From"</p>
                <p class="body summary-value">{name}</p>
            </div>
        }
        .into_any(),
        FromBody::Choose { options } => view! {
            <RecordSelect
                id="from_body_id"
                label="From"
                hint="The body that gives the report"
                options=options
                value=from_body
                errors=errors
            />
        }
        .into_any(),
    };
    view! {
        <AtlasForm on_submit=submit>
            {from_view}
            <EnumSelect id="kind" label="How it relates" value=kind errors=errors />
            <RecordSelect
                id="to_body_id"
                label="To"
                hint="The body that receives the report"
                options=to_options
                value=to_body
                errors=errors
            />
            <TextArea
                id="note"
                label="Note (optional)"
                hint="For example, how often, or what it reports on"
                value=note
                errors=errors
                rows=3
            />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

fn crumbs_to_body(s: &Snapshot, body: BodyId, here: &str) -> Vec<Crumb> {
    let mut c = vec![Crumb::link("Partnerships", home_href())];
    if let Some(b) = s.bodies.get(&body) {
        if let Some(p) = s.partnerships.get(&b.partnership_id) {
            c.push(Crumb::link(
                p.name.clone(),
                partnership_href(b.partnership_id),
            ));
        }
        c.push(Crumb::link(b.name.clone(), body_href(body)));
    }
    c.push(Crumb::here(here));
    c
}

/// `/bodies/:id/lines/new`
#[component]
pub fn NewLinePage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let body = found(use_id::<BodyId>("id"), snapshot, |s, id| {
        s.bodies.contains_key(id)
    });
    gate(store.ready(), body, "body", move |from_id| {
        let id = ReportingLineId(new_id());
        let Some((pid, from_name, to_options, crumbs)) = snapshot.with_untracked(|s| {
            s.bodies.get(&from_id).map(|b| {
                (
                    b.partnership_id,
                    b.name.clone(),
                    body_options(s, b.partnership_id, Some(from_id)),
                    crumbs_to_body(s, from_id, "Add a reporting line"),
                )
            })
        }) else {
            return ().into_any();
        };
        let page = FormPage::titled(crumbs, format!("Add a reporting line from {from_name}"));
        let to_save = move |l: ReportingLine| (Draft::of(l), body_href(from_id));
        let no_other_bodies = to_options.len() <= 1;
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            if no_other_bodies {
                view! {
                    <p class="body">
                        "There is no other body in this partnership for it to report to yet. "
                        <a class="link" href=format!("{}/bodies/new", partnership_href(pid))>
                            "Add a body"
                        </a>
                        " first."
                    </p>
                }
                .into_any()
            } else {
                view! {
                    <LineForm
                        initial=ReportingLine {
                            partnership_id: pid,
                            from_body_id: from_id,
                            to_body_id: from_id,
                            kind: LineKind::ReportsTo,
                            note: String::new(),
                        }
                        from=FromBody::Fixed { name: from_name }
                        to_options=to_options
                        errors=errors
                        submit_label="Add reporting line"
                        cancel_href=body_href(from_id)
                        on_submit=on_submit
                    />
                }
                .into_any()
            }
        })
        .into_any()
    })
}

/// `/lines/:id/edit`
#[component]
pub fn EditLinePage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<ReportingLineId>("id"), snapshot, |s, id| {
        s.lines.contains_key(id)
    });
    gate(store.ready(), id, "reporting line", move |id| {
        let Some((initial, heading, options, crumbs)) = snapshot.with_untracked(|s| {
            s.lines.get(&id).map(|l| {
                let heading = format!(
                    "Edit the line from {} to {}",
                    s.body_name(l.from_body_id),
                    s.body_name(l.to_body_id)
                );
                (
                    l.clone(),
                    heading,
                    body_options(s, l.partnership_id, None),
                    crumbs_to_body(s, l.from_body_id, "Edit reporting line"),
                )
            })
        }) else {
            return ().into_any();
        };
        let from_id = initial.from_body_id;
        let page = FormPage::titled(crumbs, heading);
        // A line moved to another body is shown from the body it now starts at.
        let to_save = |l: ReportingLine| {
            let back = body_href(l.from_body_id);
            (Draft::of(l), back)
        };
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <LineForm
                    initial=initial
                    from=FromBody::Choose {
                        options: options.clone(),
                    }
                    to_options=options
                    errors=errors
                    submit_label="Save changes"
                    cancel_href=body_href(from_id)
                    on_submit=on_submit
                />
                <p class="body">
                    <a class="link" href=format!("{}/delete", line_href(id))>
                        "Remove this reporting line"
                    </a>
                </p>
            }
        })
        .into_any()
    })
}
