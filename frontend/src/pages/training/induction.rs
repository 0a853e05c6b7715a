//! `/partnerships/:id/induction`: the induction pack for new councillors and board members,
//! one printable page made from the live data: what the partnership is, who's who on each
//! body, what each body does and how it reports, the member organisations, and the glossary.

use atlas_shared::text::fold_case;
use atlas_shared::{BodyKind, PartnershipId, Sector, Snapshot};
use leptos::prelude::*;

use crate::components::{Breadcrumbs, Crumb, GlossedText, gate, set_title};
use crate::data::use_store;
use crate::pages::structure::body::member_rows;
use crate::pages::structure::partnership_href;
use crate::pages::{found, home_href, use_id};

/// One body as the pack describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct PackBody {
    pub name: String,
    pub kind: BodyKind,
    pub terms: String,
    /// "Name (role), for Organisation".
    pub members: Vec<String>,
    /// "reports to Management Group".
    pub lines: Vec<String>,
}

/// Everything the pack shows, from the snapshot.
#[derive(Clone, Debug, PartialEq)]
pub struct Pack {
    pub name: String,
    pub area: String,
    pub description: String,
    pub bodies: Vec<PackBody>,
    pub organisations: Vec<(Sector, Vec<(String, bool)>)>,
    pub glossary: Vec<(String, String)>,
}

pub fn pack(s: &Snapshot, p: PartnershipId) -> Option<Pack> {
    let partnership = s.partnerships.get(&p)?;
    let bodies =
        s.bodies_of(p)
            .into_iter()
            .map(|(id, b)| PackBody {
                name: b.name.clone(),
                kind: b.kind,
                terms: b.terms_of_reference.clone(),
                members: member_rows(s, id)
                    .into_iter()
                    .map(|r| {
                        let mut line = format!("{} ({})", r.name, fold_case(r.role.label()));
                        if let Some((_, org)) = r.organisation.filter(|(_, o)| *o != r.name) {
                            line.push_str(&format!(", for {org}"));
                        }
                        if r.independent {
                            line.push_str(", independent");
                        }
                        if r.interim {
                            line.push_str(", interim");
                        }
                        line
                    })
                    .collect(),
                lines: s
                    .lines_from(id)
                    .into_iter()
                    .map(|(_, l)| format!("{} {}", l.kind.label(), s.body_name(l.to_body_id)))
                    .chain(s.lines_to(id).into_iter().map(|(_, l)| {
                        format!("{} {} it", s.body_name(l.from_body_id), l.kind.label())
                    }))
                    .collect(),
            })
            .collect();
    let mut organisations: Vec<(Sector, Vec<(String, bool)>)> = Vec::new();
    for sector in Sector::ALL {
        let orgs: Vec<(String, bool)> = s
            .organisations_of(p)
            .into_iter()
            .filter(|(_, o)| o.sector == *sector)
            .map(|(_, o)| (o.name.clone(), o.named_partner))
            .collect();
        if !orgs.is_empty() {
            organisations.push((*sector, orgs));
        }
    }
    Some(Pack {
        name: partnership.name.clone(),
        area: partnership.area.clone(),
        description: partnership.description.clone(),
        bodies,
        organisations,
        glossary: s
            .glossary_of(p)
            .into_iter()
            .map(|(_, g)| (g.term.clone(), g.meaning.clone()))
            .collect(),
    })
}

/// `/partnerships/:id/induction`
#[component]
pub fn InductionPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = found(use_id::<PartnershipId>("id"), snapshot, |s, id| {
        s.partnerships.contains_key(id)
    });
    gate(store.ready(), pid, "partnership", move |p| {
        view! { <InductionPack snapshot=snapshot partnership=p /> }
    })
}

/// The pack for partnership `partnership`.
#[component]
pub fn InductionPack(
    #[prop(into)] snapshot: Signal<Snapshot>,
    partnership: PartnershipId,
) -> impl IntoView {
    let p = partnership;
    let data = Memo::new(move |_| snapshot.with(|s| pack(s, p)));
    let name = move || data.with(|d| d.as_ref().map(|d| d.name.clone()).unwrap_or_default());
    set_title(move || vec!["Induction pack".to_owned(), name()]);
    let crumbs = Signal::derive(move || {
        vec![
            Crumb::link("Partnerships", home_href()),
            Crumb::link(name(), partnership_href(p)),
            Crumb::here("Induction pack"),
        ]
    });
    view! {
        <div class="no-print">
            <Breadcrumbs crumbs=crumbs />
        </div>
        {move || {
            data.get()
                .map(|d| {
                    view! {
                        <article class="induction">
                            <p class="caption-l">"Induction pack"</p>
                            <h1 class="heading-xl">{d.name.clone()}</h1>
                            {(!d.area.is_empty()).then(|| view! { <p class="lead">{d.area.clone()}</p> })}
                            <p class="body no-print">
                                "Made from the partnership's current records. Print it, or save it as a PDF from the print dialogue."
                            </p>
                            <button
                                type="button"
                                class="button no-print"
                                on:click=|_| {
                                    if let Some(w) = web_sys::window() {
                                        let _ = w.print();
                                    }
                                }
                            >
                                "Print the induction pack"
                            </button>
                            {(!d.description.is_empty())
                                .then(|| {
                                    view! {
                                        <section class="section">
                                            <h2 class="heading-m">"About the partnership"</h2>
                                            <p class="body preserve-breaks">{d.description.clone()}</p>
                                        </section>
                                    }
                                })}
                            <section class="section" aria-labelledby="induction-bodies">
                                <h2 class="heading-m" id="induction-bodies">
                                    "Who's who: the bodies and how they report"
                                </h2>
                                {d
                                    .bodies
                                    .into_iter()
                                    .map(|b| {
                                        view! {
                                            <section class="induction__body">
                                                <h3 class="heading-s">{b.name}</h3>
                                                <p class="hint">
                                                    <strong>{b.kind.label()}</strong>
                                                    ": "
                                                    {b.kind.explanation()}
                                                </p>
                                                {(!b.terms.trim().is_empty())
                                                    .then(|| {
                                                        view! {
                                                            <p class="body preserve-breaks">
                                                                <GlossedText snapshot=snapshot partnership=p text=b.terms.clone() />
                                                            </p>
                                                        }
                                                    })}
                                                {(!b.lines.is_empty())
                                                    .then(|| {
                                                        view! {
                                                            <p class="body induction__lines">
                                                                <strong>"Reporting: "</strong>
                                                                {b.lines.join("; ")}
                                                            </p>
                                                        }
                                                    })}
                                                {if b.members.is_empty() {
                                                    view! { <p class="body">"No members recorded."</p> }.into_any()
                                                } else {
                                                    view! {
                                                        <ul class="list induction__members">
                                                            {b.members.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                                                        </ul>
                                                    }
                                                        .into_any()
                                                }}
                                            </section>
                                        }
                                    })
                                    .collect_view()}
                            </section>
                            <section class="section" aria-labelledby="induction-organisations">
                                <h2 class="heading-m" id="induction-organisations">
                                    "Member organisations"
                                </h2>
                                {d
                                    .organisations
                                    .into_iter()
                                    .map(|(sector, orgs)| {
                                        view! {
                                            <h3 class="heading-s">{sector.label()}</h3>
                                            <ul class="list">
                                                {orgs
                                                    .into_iter()
                                                    .map(|(o, named)| {
                                                        view! {
                                                            <li>
                                                                {o}
                                                                {named.then_some(" (named partner)")}
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        }
                                    })
                                    .collect_view()}
                            </section>
                            <section class="section" aria-labelledby="induction-glossary">
                                <h2 class="heading-m" id="induction-glossary">
                                    "Glossary"
                                </h2>
                                {if d.glossary.is_empty() {
                                    view! { <p class="body">"No terms in the glossary yet."</p> }.into_any()
                                } else {
                                    view! {
                                        <dl class="induction__glossary">
                                            {d
                                                .glossary
                                                .into_iter()
                                                .map(|(t, m)| view! { <dt>{t}</dt><dd>{m}</dd> })
                                                .collect_view()}
                                        </dl>
                                    }
                                        .into_any()
                                }}
                            </section>
                        </article>
                    }
                })
        }}
    }
}
