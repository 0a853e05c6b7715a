//! `/bodies/:id` and its form (`/partnerships/:id/bodies/new`, `/bodies/:id/edit`).

use atlas_shared::{
    Body, BodyId, BodyKind, Draft, EntityKind, LineKind, MembershipId, MembershipRole,
    OrganisationId, PartnershipId, ReportingLineId, Snapshot,
};
use leptos::prelude::*;

use crate::pages::accounts::{record_history_href, use_manages, use_may_read, use_may_write};

use super::{body_href, line_href, map_href, membership_href, organisation_href, partnership_href};
use crate::components::{
    AtlasForm, Breadcrumbs, Crumb, EnumSelect, FormActions, FormErrors, GlossedText, PendingTag,
    Tag, TextArea, TextField, gate, set_title,
};
use crate::components::{FormPage, record_form_page};
use crate::data::{new_id, use_store};
use crate::pages::partnership_name;
use crate::pages::strategy::owned::OwnedPriorities;
use crate::pages::{found, home_href, use_id};

/// A seat on the body, as the members table shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberRow {
    pub id: MembershipId,
    pub name: String,
    pub organisation: Option<(OrganisationId, String)>,
    pub role: MembershipRole,
    pub independent: bool,
    pub interim: bool,
    pub represents: String,
}

/// The body's seats, chair first (the order `Snapshot::members_of` gives).
pub fn member_rows(s: &Snapshot, body: BodyId) -> Vec<MemberRow> {
    s.members_of(body)
        .into_iter()
        .map(|(id, m)| MemberRow {
            id,
            name: s.seat_name(m),
            organisation: m
                .organisation_id
                .and_then(|o| s.organisations.get(&o).map(|org| (o, org.name.clone()))),
            role: m.role,
            independent: m.independent,
            interim: m.interim,
            represents: m.represents.clone(),
        })
        .collect()
}

/// A reporting line as seen from one body: the body at the other end.
#[derive(Clone, Debug, PartialEq)]
struct LineRow {
    id: ReportingLineId,
    other: BodyId,
    other_name: String,
    kind: LineKind,
    note: String,
}

fn line_rows(s: &Snapshot, body: BodyId, outgoing: bool) -> Vec<LineRow> {
    let lines = if outgoing {
        s.lines_from(body)
    } else {
        s.lines_to(body)
    };
    lines
        .into_iter()
        .map(|(id, l)| {
            let other = if outgoing {
                l.to_body_id
            } else {
                l.from_body_id
            };
            LineRow {
                id,
                other,
                other_name: s.body_name(other),
                kind: l.kind,
                note: l.note.clone(),
            }
        })
        .collect()
}

/// The members table: name, organisation, role and tags, chair first, with edit and remove
/// links for each seat.
#[component]
pub fn MembersTable(#[prop(into)] rows: Signal<Vec<MemberRow>>) -> impl IntoView {
    move || {
        let rows = rows.get();
        if rows.is_empty() {
            return view! { <p class="body">"No members yet."</p> }.into_any();
        }
        view! {
            <table class="table members-table">
                <caption class="visually-hidden">"Members of this body, chair first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Organisation"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">
                            <span class="visually-hidden">"Actions"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            let edit = format!("{}/edit", membership_href(r.id));
                            let remove = format!("{}/delete", membership_href(r.id));
                            let who = r.name.clone();
                            let who_too = r.name.clone();
                            view! {
                                <tr class="members-table__row" data-role=r.role.as_key()>
                                    <td class="members-table__name">{r.name}</td>
                                    <td>
                                        {match r.organisation {
                                            Some((oid, oname)) => {
                                                view! {
                                                    <a class="link" href=organisation_href(oid)>
                                                        {oname}
                                                    </a>
                                                }
                                                    .into_any()
                                            }
                                            None => view! { "None" }.into_any(),
                                        }}
                                    </td>
                                    <td>
                                        <span class="members-table__role">{r.role.label()}</span>
                                        {r.independent.then(|| view! { " " <Tag text="Independent" /> })}
                                        {r.interim.then(|| view! { " " <Tag text="Interim" tone="grey" /> })}
                                        {(!r.represents.is_empty())
                                            .then(|| {
                                                view! {
                                                    " "
                                                    <Tag text=format!("Represents {}", r.represents) tone="grey" />
                                                }
                                            })}
                                    </td>
                                    <td class="table__actions">
                                        <a class="link" href=edit>
                                            "Edit"
                                            <span class="visually-hidden">{format!(" {who}")}</span>
                                        </a>
                                        " "
                                        <a class="link" href=remove>
                                            "Remove"
                                            <span class="visually-hidden">{format!(" {who_too}")}</span>
                                        </a>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
            .into_any()
    }
}

/// One direction of a body's reporting lines.
#[component]
fn LineList(rows: Memo<Vec<LineRow>>, empty: &'static str) -> impl IntoView {
    move || {
        let rows = rows.get();
        if rows.is_empty() {
            return view! { <p class="body">{empty}</p> }.into_any();
        }
        view! {
            <ul class="record-list">
                {rows
                    .into_iter()
                    .map(|l| {
                        let who = l.other_name.clone();
                        let who_too = l.other_name.clone();
                        view! {
                            <li class="record-list__item">
                                <a class="link" href=body_href(l.other)>
                                    {l.other_name}
                                </a>
                                " "
                                <Tag text=l.kind.label() tone="grey" />
                                {(!l.note.is_empty())
                                    .then(|| view! { <span class="record-list__meta">{l.note}</span> })}
                                <span class="record-list__actions">
                                    <a class="link" href=format!("{}/edit", line_href(l.id))>
                                        "Edit"
                                        <span class="visually-hidden">{format!(" line with {who}")}</span>
                                    </a>
                                    " "
                                    <a class="link" href=format!("{}/delete", line_href(l.id))>
                                        "Remove"
                                        <span class="visually-hidden">{format!(" line with {who_too}")}</span>
                                    </a>
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
            .into_any()
    }
}

/// A body: its kind, terms of reference, members (chair first) and reporting lines both ways.
#[component]
pub fn BodyDetail(#[prop(into)] snapshot: Signal<Snapshot>, id: BodyId) -> impl IntoView {
    let body = Memo::new(move |_| snapshot.with(|s| s.bodies.get(&id).cloned()));
    let partnership = Memo::new(move |_| {
        snapshot.with(|s| {
            s.bodies.get(&id).and_then(|b| {
                s.partnerships
                    .get(&b.partnership_id)
                    .map(|p| (b.partnership_id, p.name.clone()))
            })
        })
    });
    let pending = Memo::new(move |_| snapshot.with(|s| s.is_pending((EntityKind::Body, id.0))));
    let members = Memo::new(move |_| snapshot.with(|s| member_rows(s, id)));
    let reports_to = Memo::new(move |_| snapshot.with(|s| line_rows(s, id, true)));
    let reports_from = Memo::new(move |_| snapshot.with(|s| line_rows(s, id, false)));
    let name = move || body.with(|b| b.as_ref().map(|b| b.name.clone()).unwrap_or_default());
    let partnership_name =
        move || partnership.with(|p| p.as_ref().map(|p| p.1.clone()).unwrap_or_default());
    set_title(move || vec![name(), partnership_name()]);
    let crumbs = Signal::derive(move || {
        let mut c = vec![Crumb::link("Partnerships", home_href())];
        if let Some((pid, pname)) = partnership.get() {
            c.push(Crumb::link(pname, partnership_href(pid)));
        }
        c.push(Crumb::here(name()));
        c
    });
    let href = body_href(id);
    let manages = use_manages(Signal::derive(move || partnership.get().map(|(p, _)| p)));
    let partnership_id = Signal::derive(move || partnership.get().map(|(p, _)| p));
    let may_read_reports = use_may_read(EntityKind::HighlightReport, partnership_id);
    let may_write_reports = use_may_write(EntityKind::HighlightReport, partnership_id);

    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">{name}</h1>
        {move || {
            body.get()
                .map(|b| {
                    view! {
                        <p class="record-summary__tags">
                            <Tag text=b.kind.label() tone="blue" />
                            " "
                            <PendingTag pending=pending />
                        </p>
                        <p class="hint body-kind">{b.kind.explanation()}</p>
                        <p class="body">
                            <a class="link" id="body-on-map" href=map_href(b.partnership_id, Some(id))>
                                "See it on the partnership map"
                            </a>
                        </p>
                        <section class="section" aria-labelledby="terms-heading">
                            <h2 class="heading-m" id="terms-heading">
                                "Terms of reference"
                            </h2>
                            {if b.terms_of_reference.trim().is_empty() {
                                view! { <p class="body">"No terms of reference recorded yet."</p> }
                                    .into_any()
                            } else {
                                view! {
                                    <div class="body preserve-breaks terms-of-reference">
                                        <GlossedText
                                            snapshot=snapshot
                                            partnership=b.partnership_id
                                            text=b.terms_of_reference.clone()
                                        />
                                    </div>
                                }
                                    .into_any()
                            }}
                        </section>
                    }
                })
        }}
        // Offered to those who manage the partnership (the server refuses anyone else).
        <Show when=move || manages.get()>
            <div class="button-group">
                <a class="button button--secondary" href=format!("{}/edit", body_href(id))>
                    "Edit body"
                </a>
                <a class="button button--warning" href=format!("{}/delete", body_href(id))>
                    "Delete body"
                </a>
                <a class="button button--secondary" href=record_history_href(EntityKind::Body, id.0)>
                    "History of changes"
                </a>
            </div>
        </Show>
        <section class="section" aria-labelledby="members-heading">
            <h2 class="heading-m" id="members-heading">
                "Members"
            </h2>
            <MembersTable rows=members />
            <a class="button button--secondary" href=format!("{href}/members/new")>
                "Add a member"
            </a>
        </section>
        <section class="section" aria-labelledby="reports-to-heading">
            <h2 class="heading-m" id="reports-to-heading">
                "Reports to"
            </h2>
            <LineList rows=reports_to empty="It does not report to another body." />
            <a class="button button--secondary" href=format!("{href}/lines/new")>
                "Add a reporting line"
            </a>
        </section>
        <section class="section" aria-labelledby="reports-from-heading">
            <h2 class="heading-m" id="reports-from-heading">
                "Receives reports from"
            </h2>
            <LineList rows=reports_from empty="No body reports to it." />
            <p class="body">
                <a class="link" id="body-dashboard-link" href=crate::pages::strategy::dashboard::body_dashboard_href(id)>
                    "Performance dashboard of what it oversees"
                </a>
            </p>
        </section>
        <OwnedPriorities snapshot=snapshot body=id today=crate::pages::strategy::today() />
        <crate::pages::strategy::highlights::BodyHighlights
            snapshot=snapshot
            body=id
            today=crate::pages::strategy::today()
            may_read=may_read_reports
            may_write=may_write_reports
        />
        <crate::pages::scrutiny::meetings::BodyMeetings snapshot=snapshot body=id />
    }
}

/// `/bodies/:id`
#[component]
pub fn BodyPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<BodyId>("id"), snapshot, |s, id| {
        s.bodies.contains_key(id)
    });
    gate(store.ready(), id, "body", move |id| {
        view! { <BodyDetail snapshot=snapshot id=id /> }
    })
}

/// The fields of a body. Calls `on_submit` with what was entered.
#[component]
pub fn BodyForm(
    initial: Body,
    #[prop(into)] errors: Signal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<Body>,
) -> impl IntoView {
    let partnership_id = initial.partnership_id;
    let name = RwSignal::new(initial.name);
    let kind = RwSignal::new(initial.kind);
    let terms = RwSignal::new(initial.terms_of_reference);
    let submit = move |()| {
        on_submit.run(Body {
            partnership_id,
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            terms_of_reference: terms.get_untracked(),
        })
    };
    view! {
        <AtlasForm on_submit=submit>
            <TextField id="name" label="Name" hint="For example, Management Group" value=name errors=errors />
            <EnumSelect id="kind" label="Kind of body" value=kind errors=errors />
            <TextArea
                id="terms_of_reference"
                label="Terms of reference (optional)"
                hint="What the body is for: its remit, roles and responsibilities"
                value=terms
                errors=errors
                rows=8
            />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// `/partnerships/:id/bodies/new`
#[component]
pub fn NewBodyPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = found(use_id::<PartnershipId>("id"), snapshot, |s, id| {
        s.partnerships.contains_key(id)
    });
    gate(store.ready(), pid, "partnership", move |pid| {
        let id = BodyId(new_id());
        let pname = snapshot.with_untracked(|s| partnership_name(s, pid));
        let crumbs = vec![
            Crumb::link("Partnerships", home_href()),
            Crumb::link(pname.clone(), partnership_href(pid)),
            Crumb::here("Add a body"),
        ];
        let page = FormPage {
            crumbs,
            heading: "Add a body".to_owned(),
            title: vec!["Add a body".to_owned(), pname],
        };
        let to_save = move |b: Body| (Draft::of(b), body_href(id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <BodyForm
                    initial=Body {
                        partnership_id: pid,
                        name: String::new(),
                        kind: BodyKind::Board,
                        terms_of_reference: String::new(),
                    }
                    errors=errors
                    submit_label="Add body"
                    cancel_href=partnership_href(pid)
                    on_submit=on_submit
                />
            }
        })
    })
}

/// `/bodies/:id/edit`
#[component]
pub fn EditBodyPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<BodyId>("id"), snapshot, |s, id| {
        s.bodies.contains_key(id)
    });
    gate(store.ready(), id, "body", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.bodies.get(&id).cloned()) else {
            return ().into_any();
        };
        let pname = snapshot.with_untracked(|s| partnership_name(s, initial.partnership_id));
        let name = initial.name.clone();
        let crumbs = vec![
            Crumb::link("Partnerships", home_href()),
            Crumb::link(pname, partnership_href(initial.partnership_id)),
            Crumb::link(name.clone(), body_href(id)),
            Crumb::here("Edit"),
        ];
        let page = FormPage::titled(crumbs, format!("Edit {name}"));
        let to_save = move |b: Body| (Draft::of(b), body_href(id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <BodyForm
                    initial=initial
                    errors=errors
                    submit_label="Save changes"
                    cancel_href=body_href(id)
                    on_submit=on_submit
                />
            }
        })
        .into_any()
    })
}
