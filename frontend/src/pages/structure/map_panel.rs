//! What the map's panel says of the selected body (terms of reference, chair, members, reporting
//! lines, its priorities and meetings) or organisation (the seats it holds). It is in the part
//! `more`, with the bodies' and organisations' pages whose code it shares, and is fetched the
//! first time a body or organisation is selected: a first visit to the map selects none, and
//! this was 15 KB (brotli) of the map's first load. The panel's heading, Close and the link to
//! the record's page are the map's own, so they show at once; `parts::part_section` says when
//! this cannot be fetched and tries again.
//!
//! A part of its own instead made every page's code into more, smaller files (measured for
//! the priorities and meetings: a partnership's page fetched 29 files instead of 17, and 9 KB
//! more).

use atlas_shared::{
    BodyId, BodyKind, LineKind, MembershipRole, OrganisationId, PartnershipId, Snapshot,
};
use leptos::prelude::*;

use super::body::{MemberRow, member_rows};
use super::{map_href, organisation_href};
use crate::components::{GlossedText, Tag};
use crate::pages::scrutiny::meeting_routes::today;
use crate::pages::scrutiny::meetings::BodyMeetingsBrief;
use crate::pages::strategy::owned::OwnedPrioritiesBrief;
use crate::parts::PartNotLoaded;

/// The selected body's details.
#[cfg(feature = "split")]
#[allow(unsafe_code)]
#[::leptos::wasm_split::wasm_split(more, fallible, wasm_split_path = ::leptos::wasm_split)]
pub fn body(
    snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    body: BodyId,
) -> Result<AnyView, PartNotLoaded> {
    Ok(view! { <BodyDetails snapshot partnership body /> }.into_any())
}

#[cfg(not(feature = "split"))]
pub async fn body(
    snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    body: BodyId,
) -> Result<AnyView, PartNotLoaded> {
    Ok(view! { <BodyDetails snapshot partnership body /> }.into_any())
}

/// The seats of the organisation found by search.
#[cfg(feature = "split")]
#[allow(unsafe_code)]
#[::leptos::wasm_split::wasm_split(more, fallible, wasm_split_path = ::leptos::wasm_split)]
pub fn organisation(
    snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    organisation: OrganisationId,
) -> Result<AnyView, PartNotLoaded> {
    Ok(view! { <OrganisationSeats snapshot partnership organisation /> }.into_any())
}

#[cfg(not(feature = "split"))]
pub async fn organisation(
    snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    organisation: OrganisationId,
) -> Result<AnyView, PartNotLoaded> {
    Ok(view! { <OrganisationSeats snapshot partnership organisation /> }.into_any())
}

/// What the panel shows about the selected body.
#[derive(Clone, Debug, PartialEq)]
struct PanelBody {
    kind: BodyKind,
    terms: String,
    chairs: Vec<String>,
    members: Vec<MemberRow>,
    reports_to: Vec<(BodyId, String, LineKind)>,
    reports_from: Vec<(BodyId, String, LineKind)>,
}

fn panel_body(s: &Snapshot, b: BodyId) -> Option<PanelBody> {
    let body = s.bodies.get(&b)?;
    let rows = member_rows(s, b);
    Some(PanelBody {
        kind: body.kind,
        terms: body.terms_of_reference.clone(),
        chairs: rows
            .iter()
            .filter(|r| r.role == MembershipRole::Chair)
            .map(|r| r.name.clone())
            .collect(),
        members: rows,
        reports_to: s
            .lines_from(b)
            .into_iter()
            .map(|(_, l)| (l.to_body_id, s.body_name(l.to_body_id), l.kind))
            .collect(),
        reports_from: s
            .lines_to(b)
            .into_iter()
            .map(|(_, l)| (l.from_body_id, s.body_name(l.from_body_id), l.kind))
            .collect(),
    })
}

/// Reporting lines, each a link to the body at its other end on the map.
fn line_list(
    p: PartnershipId,
    rows: Vec<(BodyId, String, LineKind)>,
    empty: &'static str,
) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="body">{empty}</p> }.into_any();
    }
    view! {
        <ul class="record-list">
            {rows
                .into_iter()
                .map(|(id, name, kind)| {
                    view! {
                        <li class="record-list__item">
                            <span class="reporting-line__kind">{kind.label()}" "</span>
                            <a class="link" href=map_href(p, Some(id))>
                                {name}
                            </a>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn BodyDetails(
    snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    body: BodyId,
) -> impl IntoView {
    // In the part `more`: its styles, as its pages have (priorities' status tags).
    crate::styles::more();
    let p = partnership;
    let details = Memo::new(move |_| snapshot.with(|s| panel_body(s, body)));
    move || {
        details.get().map(|b| {
            let chair = if b.chairs.is_empty() {
                "No chair recorded".to_owned()
            } else {
                b.chairs.join(", ")
            };
            view! {
                <p><Tag text=b.kind.label() tone="blue" /></p>
                <p class="hint">{b.kind.explanation()}</p>
                <h3 class="heading-s">"Terms of reference"</h3>
                <p class="body preserve-breaks">
                    {if b.terms.trim().is_empty() {
                        "No terms of reference recorded yet.".into_any()
                    } else {
                        view! { <GlossedText snapshot=snapshot partnership=p text=b.terms.clone() /> }
                            .into_any()
                    }}
                </p>
                <h3 class="heading-s">"Chair"</h3>
                <p class="body map-panel__chair">{chair}</p>
                <h3 class="heading-s">"Members"</h3>
                {if b.members.is_empty() {
                    view! { <p class="body">"No members recorded yet."</p> }.into_any()
                } else {
                    view! {
                        <ul class="record-list map-panel__members">
                            {b.members
                                .into_iter()
                                .map(|MemberRow { name, organisation, role, .. }| {
                                    view! {
                                        <li class="record-list__item">
                                            {name}
                                            {organisation
                                                .filter(|(_, oname)| !oname.is_empty())
                                                .map(|(oid, oname)| {
                                                    view! {
                                                        ", for "
                                                        <a class="link" href=organisation_href(oid)>
                                                            {oname}
                                                        </a>
                                                    }
                                                })}
                                            <span class="record-list__meta">{role.label()}</span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
                <h3 class="heading-s">"Reports to"</h3>
                {line_list(p, b.reports_to, "It does not report to another body.")}
                <h3 class="heading-s">"Receives reports from"</h3>
                {line_list(p, b.reports_from, "No body reports to it.")}
                <OwnedPrioritiesBrief snapshot=snapshot body=body today=crate::pages::strategy::today() />
                <BodyMeetingsBrief snapshot=snapshot body=body today=today() />
            }
        })
    }
}

#[component]
fn OrganisationSeats(
    snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
    organisation: OrganisationId,
) -> impl IntoView {
    // In the part `more`: its styles, as its pages have (priorities' status tags).
    crate::styles::more();
    let p = partnership;
    let seats = Memo::new(move |_| {
        snapshot.with(|s| {
            s.organisations.get(&organisation).map(|org| {
                let seats: Vec<(BodyId, String, String)> = s
                    .seats_of(organisation)
                    .into_iter()
                    .map(|(_, m)| {
                        (
                            m.body_id,
                            s.body_name(m.body_id),
                            if m.person.trim().is_empty() {
                                m.role.label().to_owned()
                            } else {
                                format!("{} ({})", m.person, m.role.label())
                            },
                        )
                    })
                    .collect();
                (org.sector, seats)
            })
        })
    });
    move || {
        seats.get().map(|(sector, seats)| {
            view! {
                <p><Tag text=sector.label() tone="purple" /></p>
                <h3 class="heading-s">"Sits on"</h3>
                {if seats.is_empty() {
                    view! { <p class="body">"It holds no seats on any body."</p> }.into_any()
                } else {
                    view! {
                        <ul class="record-list">
                            {seats
                                .into_iter()
                                .map(|(b, bname, who)| {
                                    view! {
                                        <li class="record-list__item">
                                            <a class="link" href=map_href(p, Some(b))>
                                                {bname}
                                            </a>
                                            <span class="record-list__meta">{who}</span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            }
        })
    }
}
