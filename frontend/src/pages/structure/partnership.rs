//! `/partnerships/:id` and its form (`/partnerships/new`, `/partnerships/:id/edit`).

use atlas_shared::{
    BodyId, BodyKind, Draft, EntityKind, LineKind, OrganisationId, Partnership, PartnershipId,
    ReportingLineId, Sector, Snapshot,
};
use leptos::prelude::*;

use super::{body_href, map_href, organisation_href, outline_href, partnership_href};
use crate::components::download::download;
use crate::components::{
    AtlasForm, Breadcrumbs, Checkbox, Crumb, FormActions, FormErrors, GlossedText, PendingTag, Tag,
    TextArea, TextField, gate, set_title,
};
use crate::components::{FormPage, record_form_page};
use crate::data::{new_id, use_store};
use crate::pages::accounts::{history_href, tablets_href, use_manages};
use crate::pages::consultation::consultations_href;
use crate::pages::scrutiny::reviews::reviews_href;
use crate::pages::strategy::{
    action_plans_href, annual_report_href, dashboard_href, strategies_href,
};
use crate::pages::training::{glossary_href, induction_href, present_href, steps_href};
use crate::pages::{count, found, home_href, use_id};
use crate::parts::PartNotLoaded;
use atlas_shared::order::sort_by_key;

#[derive(Clone, Debug, PartialEq)]
struct BodyItem {
    id: BodyId,
    name: String,
    kind: BodyKind,
    members: usize,
}

#[derive(Clone, Debug, PartialEq)]
struct OrganisationItem {
    id: OrganisationId,
    name: String,
    named_partner: bool,
    seats: usize,
}

#[derive(Clone, Debug, PartialEq)]
struct LineItem {
    id: ReportingLineId,
    from: BodyId,
    from_name: String,
    to: BodyId,
    to_name: String,
    kind: LineKind,
}

/// Consecutive items grouped by a key, keeping their order.
fn group_by<K: PartialEq + Copy, T>(items: Vec<T>, key: impl Fn(&T) -> K) -> Vec<(K, Vec<T>)> {
    let mut groups: Vec<(K, Vec<T>)> = Vec::new();
    for item in items {
        let k = key(&item);
        match groups.last_mut() {
            Some((last, members)) if *last == k => members.push(item),
            _ => groups.push((k, vec![item])),
        }
    }
    groups
}

fn bodies(s: &Snapshot, p: PartnershipId) -> Vec<(BodyKind, Vec<BodyItem>)> {
    let items = s
        .bodies_of(p)
        .into_iter()
        .map(|(id, b)| BodyItem {
            id,
            name: b.name.clone(),
            kind: b.kind,
            members: s.members_of(id).len(),
        })
        .collect();
    group_by(items, |b: &BodyItem| b.kind)
}

fn organisations(s: &Snapshot, p: PartnershipId) -> Vec<(Sector, Vec<OrganisationItem>)> {
    let mut orgs: Vec<(Sector, OrganisationItem)> = s
        .organisations_of(p)
        .into_iter()
        .map(|(id, o)| {
            (
                o.sector,
                OrganisationItem {
                    id,
                    name: o.name.clone(),
                    named_partner: o.named_partner,
                    seats: s.seats_of(id).len(),
                },
            )
        })
        .collect();
    // Stable: names stay in order within each sector.
    sort_by_key(&mut orgs, |(sector, _)| *sector);
    let grouped = group_by(orgs, |(sector, _)| *sector);
    grouped
        .into_iter()
        .map(|(sector, items)| (sector, items.into_iter().map(|(_, o)| o).collect()))
        .collect()
}

fn lines(s: &Snapshot, p: PartnershipId) -> Vec<LineItem> {
    s.lines_of(p)
        .into_iter()
        .map(|(id, l)| LineItem {
            id,
            from: l.from_body_id,
            from_name: s.body_name(l.from_body_id),
            to: l.to_body_id,
            to_name: s.body_name(l.to_body_id),
            kind: l.kind,
        })
        .collect()
}

/// A partnership: its bodies by kind, its member organisations by sector, its reporting lines.
#[component]
pub fn PartnershipDetail(
    #[prop(into)] snapshot: Signal<Snapshot>,
    id: PartnershipId,
) -> impl IntoView {
    let partnership = Memo::new(move |_| snapshot.with(|s| s.partnerships.get(&id).cloned()));
    let manages = use_manages(Signal::derive(move || Some(id)));
    let name = move || partnership.with(|p| p.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    let pending =
        Memo::new(move |_| snapshot.with(|s| s.is_pending((EntityKind::Partnership, id.0))));
    let bodies = Memo::new(move |_| snapshot.with(|s| bodies(s, id)));
    let organisations = Memo::new(move |_| snapshot.with(|s| organisations(s, id)));
    let lines = Memo::new(move |_| snapshot.with(|s| lines(s, id)));
    set_title(move || vec![name()]);
    let crumbs = Signal::derive(move || {
        vec![
            Crumb::link("Partnerships", home_href()),
            Crumb::here(name()),
        ]
    });
    let href = partnership_href(id);

    let bodies_view = move || {
        let groups = bodies.get();
        if groups.is_empty() {
            return view! { <p class="body">"No bodies yet."</p> }.into_any();
        }
        groups
            .into_iter()
            .map(|(kind, items)| {
                view! {
                    <h3 class="heading-s">{kind.label()}</h3>
                    <ul class="record-list">
                        {items
                            .into_iter()
                            .map(|b| {
                                view! {
                                    <li class="record-list__item">
                                        <a class="link" href=body_href(b.id)>
                                            {b.name}
                                        </a>
                                        " "
                                        <Tag text=b.kind.label() tone="blue" />
                                        <span class="record-list__meta">
                                            {count(b.members, "member", "members")}
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })
            .collect_view()
            .into_any()
    };

    let organisations_view = move || {
        let groups = organisations.get();
        if groups.is_empty() {
            return view! { <p class="body">"No member organisations yet."</p> }.into_any();
        }
        groups
            .into_iter()
            .map(|(sector, items)| {
                view! {
                    <h3 class="heading-s">{sector.label()}</h3>
                    <ul class="record-list">
                        {items
                            .into_iter()
                            .map(|o| {
                                view! {
                                    <li class="record-list__item">
                                        <a class="link" href=organisation_href(o.id)>
                                            {o.name}
                                        </a>
                                        " "
                                        {o
                                            .named_partner
                                            .then(|| view! { <Tag text="Named partner" tone="purple" /> })}
                                        <span class="record-list__meta">
                                            {count(o.seats, "seat", "seats")}
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })
            .collect_view()
            .into_any()
    };

    let lines_view = move || {
        let lines = lines.get();
        if lines.is_empty() {
            return view! { <p class="body">"No reporting lines yet. Add them from a body's page."</p> }
                .into_any();
        }
        view! {
            <ul class="record-list">
                {lines
                    .into_iter()
                    .map(|l| {
                        view! {
                            <li class="record-list__item reporting-line" data-line-id=l.id.to_string()>
                                <a class="link" href=body_href(l.from)>
                                    {l.from_name}
                                </a>
                                <span class="reporting-line__kind">
                                    {format!(" → {} → ", l.kind.label())}
                                </span>
                                <a class="link" href=body_href(l.to)>
                                    {l.to_name}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
            .into_any()
    };

    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">{name}</h1>
        <div class="record-summary">
            {move || {
                partnership
                    .get()
                    .map(|p| {
                        view! {
                            {(!p.area.is_empty())
                                .then(|| view! { <p class="lead">{p.area.clone()}</p> })}
                            <p class="record-summary__tags">
                                {(!p.published).then(|| view! { <Tag text="Not published" tone="grey" /> })}
                                <PendingTag pending=pending />
                            </p>
                            {(!p.description.is_empty())
                                .then(|| {
                                    view! {
                                        <p class="body preserve-breaks">
                                            <GlossedText snapshot=snapshot partnership=id text=p.description.clone() />
                                        </p>
                                    }
                                })}
                        }
                    })
            }}
        </div>
        <nav class="explore" aria-labelledby="explore-heading">
            <h2 class="heading-m" id="explore-heading">
                "Explore the structure"
            </h2>
            <ul class="explore__list">
                <li>
                    <a class="explore__link" href=map_href(id, None)>
                        "Partnership map"
                    </a>
                    <span class="hint">"Every body and who reports to whom, as a diagram."</span>
                </li>
                <li>
                    <a class="explore__link" href=outline_href(id)>
                        "Outline"
                    </a>
                    <span class="hint">"The same structure as a list, for keyboard and screen reader users."</span>
                </li>
                <li>
                    <a class="explore__link" href=present_href(id, 0)>
                        "Presentation mode"
                    </a>
                    <span class="hint">"A guided walk through the map for training sessions on a projector."</span>
                </li>
                <li>
                    <a class="explore__link" href=induction_href(id)>
                        "Induction pack"
                    </a>
                    <span class="hint">"One printable page: who's who, what each body does, the glossary."</span>
                </li>
                <li>
                    <a class="explore__link" href=glossary_href(id)>
                        "Glossary"
                    </a>
                    <span class="hint">"The partnership's acronyms and terms."</span>
                </li>
                <li>
                    <a class="explore__link" href=steps_href(id)>
                        "Presentation steps"
                    </a>
                    <span class="hint">"Edit what presentation mode shows, step by step."</span>
                </li>
                <li>
                    <a class="explore__link" href=strategies_href(id)>
                        "Strategies"
                    </a>
                    <span class="hint">"The Sustainable Community Strategy: the vision, its priorities and whether their targets are on track."</span>
                </li>
                <li>
                    <a class="explore__link" id="dashboard-link" href=dashboard_href(id)>
                        "Performance dashboard"
                    </a>
                    <span class="hint">"Every priority's targets with their status, and what is overdue."</span>
                </li>
                <li>
                    <a class="explore__link" id="annual-report-link" href=annual_report_href(id, None)>
                        "Annual report"
                    </a>
                    <span class="hint">"The Board's report on a financial year to the Conference and funding partners: printable, with its figures as a spreadsheet."</span>
                </li>
                <li>
                    <a class="explore__link" href=action_plans_href(id)>
                        "Action plans"
                    </a>
                    <span class="hint">"Each group's key actions for the year, and whether they are on time."</span>
                </li>
                <li>
                    <a class="explore__link" id="funds-link" href=crate::pages::strategy::funds::funds_href(id)>
                        "Project funds"
                    </a>
                    <span class="hint">"What partners paid in, the groups' bids ranked by score, and the balance."</span>
                </li>
                <li>
                    <a class="explore__link" href=consultations_href(id)>
                        "Consultations"
                    </a>
                    <span class="hint">"Ask residents about the partnership's priorities, at events, on tablets, online and on paper."</span>
                </li>
                <li>
                    <a class="explore__link" id="reviews-link" href=reviews_href(id)>
                        "Reviews and recommendations"
                    </a>
                    <span class="hint">"Task and Finish groups' recommendations, the response to each, and the monitoring report."</span>
                </li>
                <li>
                    <a class="explore__link" href=crate::pages::scrutiny::meetings_href(id)>
                        "Meetings"
                    </a>
                    <span class="hint">"Meetings of its bodies and the council committees that scrutinise it: agendas and minutes."</span>
                </li>
                <li>
                    <a class="explore__link" href=crate::pages::scrutiny::forward_plan_href(id, None)>
                        "Forward plan"
                    </a>
                    <span class="hint">"Coming meetings and the items due at each."</span>
                </li>
                <li>
                    <a class="explore__link" href=crate::pages::scrutiny::training_sessions_href(id)>
                        "Councillor training"
                    </a>
                    <span class="hint">"Training sessions on the partnership, and whether this year's was held."</span>
                </li>
            </ul>
        </nav>
        // Offered to those who manage the partnership (the server refuses anyone else).
        <Show when=move || manages.get()>
            <div class="button-group">
                <a class="button" href=format!("{href}/bodies/new")>
                    "Add a body"
                </a>
                <a class="button" href=format!("{href}/organisations/new")>
                    "Add an organisation"
                </a>
                <a class="button button--secondary" href=format!("{href}/edit")>
                    "Edit partnership"
                </a>
                <a class="button button--secondary" href=tablets_href(id)>
                    "Registered tablets"
                </a>
                <a class="button button--secondary" href=history_href(id) id="partnership-history">
                    "History of changes"
                </a>
                <a class="button button--warning" href=format!("{href}/delete")>
                    "Delete partnership"
                </a>
            </div>
        </Show>
        <section class="section" aria-labelledby="bodies-heading">
            <h2 class="heading-m" id="bodies-heading">
                "Bodies"
            </h2>
            {bodies_view}
        </section>
        <section class="section" aria-labelledby="organisations-heading">
            <h2 class="heading-m" id="organisations-heading">
                "Member organisations"
            </h2>
            {organisations_view}
        </section>
        <section class="section" aria-labelledby="lines-heading">
            <h2 class="heading-m" id="lines-heading">
                "Reporting lines"
            </h2>
            {lines_view}
        </section>
        <OpenData snapshot=snapshot id=id />
    }
}

/// The structure and meetings as Popolo JSON ([`atlas_shared::open_data`]), made on the device from what
/// it holds, so it works offline and holds only what the reader may see. The code that makes
/// the file is fetched on the first click ([`popolo`]).
#[component]
fn OpenData(snapshot: Signal<Snapshot>, id: PartnershipId) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let save = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            let outcome = match popolo::make(snapshot, id).await {
                Ok(Some(text)) => download("partnership-popolo.json", "application/json", &text)
                    .err()
                    .map(|e| format!("The file could not be saved: {e}.")),
                Ok(None) => Some("This partnership is not on this device yet.".to_owned()),
                Err(PartNotLoaded) => Some(part_not_fetched()),
            };
            problem.set(outcome);
            busy.set(false);
        });
    };
    view! {
        <section class="section" aria-labelledby="open-data-heading">
            <h2 class="heading-m" id="open-data-heading">
                "Open data"
            </h2>
            <p class="body">
                "The bodies, member organisations, seats and the people in them, and the meetings with their agenda items and outcomes (not their minutes), in Popolo JSON: the open standard that civic-tech tools read. It holds what you can see on these pages."
            </p>
            {move || problem.get().map(|e| view! { <p class="error-message" role="alert">{e}</p> })}
            <button type="button" class="button button--secondary" id="download-popolo" on:click=save aria-disabled=move || busy.get().then_some("true")>
                "Download the structure and meetings (Popolo JSON)"
            </button>
        </section>
    }
}

/// Why the file could not be made when the code that makes it could not be fetched.
fn part_not_fetched() -> String {
    let online = crate::data::navigator_online();
    if online {
        "This device could not download the part of Partnership Atlas that makes the file. The connection may have dropped, or Partnership Atlas may have just been updated: try again.".to_owned()
    } else {
        "This device is offline and has not kept the part of Partnership Atlas that makes the file yet. It is kept for offline use after the first visit with a connection.".to_owned()
    }
}

/// The Popolo file, made by code in the `more` part (fetched on the first click): reading
/// the meetings and their agenda items for it was 11 KB (brotli) of a partnership's page's
/// first load.
mod popolo {
    use atlas_shared::{PartnershipId, Snapshot};
    use leptos::prelude::*;

    use crate::parts::PartNotLoaded;

    /// The partnership's structure and meetings as Popolo JSON; `None` when the partnership
    /// is not on this device.
    fn json(snapshot: Signal<Snapshot>, id: PartnershipId) -> Option<String> {
        snapshot.with_untracked(|s| {
            atlas_shared::open_data::popolo(s, id)
                .and_then(|p| serde_json::to_string_pretty(&p).ok())
        })
    }

    #[cfg(feature = "split")]
    #[allow(unsafe_code)]
    #[::leptos::wasm_split::wasm_split(more, fallible, wasm_split_path = ::leptos::wasm_split)]
    pub fn make(
        snapshot: Signal<Snapshot>,
        id: PartnershipId,
    ) -> Result<Option<String>, PartNotLoaded> {
        Ok(json(snapshot, id))
    }

    #[cfg(not(feature = "split"))]
    pub async fn make(
        snapshot: Signal<Snapshot>,
        id: PartnershipId,
    ) -> Result<Option<String>, PartNotLoaded> {
        Ok(json(snapshot, id))
    }
}

/// `/partnerships/:id`
#[component]
pub fn PartnershipPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<PartnershipId>("id"), snapshot, |s, id| {
        s.partnerships.contains_key(id)
    });
    gate(store.ready(), id, "partnership", move |id| {
        view! {
            <crate::pages::delete::ArchivedNotice key=(atlas_shared::EntityKind::Partnership, id.0) />
            <PartnershipDetail snapshot=snapshot id=id />
        }
    })
}

/// The fields of a partnership. Calls `on_submit` with what was entered.
#[component]
pub fn PartnershipForm(
    initial: Partnership,
    #[prop(into)] errors: Signal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<Partnership>,
) -> impl IntoView {
    let name = RwSignal::new(initial.name);
    let area = RwSignal::new(initial.area);
    let description = RwSignal::new(initial.description);
    let published = RwSignal::new(initial.published);
    let submit = move |()| {
        on_submit.run(Partnership {
            name: name.get_untracked(),
            area: area.get_untracked(),
            description: description.get_untracked(),
            published: published.get_untracked(),
            archived: false,
        })
    };
    view! {
        <AtlasForm on_submit=submit>
            <TextField id="name" label="Name" hint="For example, Basingstoke and Deane LSP" value=name errors=errors />
            <TextField
                id="area"
                label="Area"
                hint="The local authority area it serves, for example Borough of Redditch"
                value=area
                errors=errors
            />
            <TextArea
                id="description"
                label="Description (optional)"
                hint="What the partnership is for, in a sentence or two"
                value=description
                errors=errors
            />
            <Checkbox
                id="published"
                label="Published"
                hint="The public may browse it without signing in"
                value=published
            />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// `/partnerships/new`
#[component]
pub fn NewPartnershipPage() -> impl IntoView {
    let ready = use_store().ready();
    let id = PartnershipId(new_id());
    let crumbs = vec![
        Crumb::link("Partnerships", home_href()),
        Crumb::here("Add a partnership"),
    ];
    let page = FormPage::titled(crumbs, "Add a partnership".to_owned());
    let to_save = move |p: Partnership| (Draft::of(p), partnership_href(id));
    record_form_page(page, id.0, to_save, move |errors, on_submit| {
        move || {
            ready.get().then(|| {
                view! {
                    <PartnershipForm
                        initial=Partnership {
                            name: String::new(),
                            area: String::new(),
                            description: String::new(),
                            published: true,
                            archived: false,
                        }
                        errors=errors
                        submit_label="Add partnership"
                        cancel_href=home_href()
                        on_submit=on_submit
                    />
                }
            })
        }
    })
}

/// `/partnerships/:id/edit`
#[component]
pub fn EditPartnershipPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<PartnershipId>("id"), snapshot, |s, id| {
        s.partnerships.contains_key(id)
    });
    gate(store.ready(), id, "partnership", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.partnerships.get(&id).cloned()) else {
            return ().into_any();
        };
        let crumbs = vec![
            Crumb::link("Partnerships", home_href()),
            Crumb::link(initial.name.clone(), partnership_href(id)),
            Crumb::here("Edit"),
        ];
        let page = FormPage::titled(crumbs, format!("Edit {}", initial.name));
        let to_save = move |p: Partnership| (Draft::of(p), partnership_href(id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <PartnershipForm
                    initial=initial
                    errors=errors
                    submit_label="Save changes"
                    cancel_href=partnership_href(id)
                    on_submit=on_submit
                />
            }
        })
        .into_any()
    })
}
