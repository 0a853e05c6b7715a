//! `/organisations/:id` and its form (`/partnerships/:id/organisations/new`,
//! `/organisations/:id/edit`).

use atlas_shared::{
    BodyId, Draft, EntityKind, MembershipRole, Organisation, OrganisationId, PartnershipId, Sector,
    Snapshot,
};
use leptos::prelude::*;

use crate::pages::accounts::{record_history_href, use_manages};

use super::{body_href, map_organisation_href, organisation_href, partnership_href};
use crate::components::{
    AtlasForm, Breadcrumbs, Checkbox, Crumb, EnumSelect, FormActions, FormErrors, GlossedText,
    PendingTag, Tag, TextArea, TextField, gate, set_title,
};
use crate::components::{FormPage, record_form_page};
use crate::data::{new_id, use_store};
use crate::pages::partnership_name;
use crate::pages::{found, home_href, use_id};

/// A seat the organisation holds, as its page lists it.
#[derive(Clone, Debug, PartialEq)]
struct SeatRow {
    body: BodyId,
    body_name: String,
    person: String,
    role: MembershipRole,
    independent: bool,
    interim: bool,
    represents: String,
}

fn seats(s: &Snapshot, id: OrganisationId) -> Vec<SeatRow> {
    s.seats_of(id)
        .into_iter()
        .map(|(_, m)| SeatRow {
            body: m.body_id,
            body_name: s.body_name(m.body_id),
            person: m.person.clone(),
            role: m.role,
            independent: m.independent,
            interim: m.interim,
            represents: m.represents.clone(),
        })
        .collect()
}

/// An organisation: its sector, whether it is a named partner, and every seat it holds.
#[component]
pub fn OrganisationDetail(
    #[prop(into)] snapshot: Signal<Snapshot>,
    id: OrganisationId,
) -> impl IntoView {
    let organisation = Memo::new(move |_| snapshot.with(|s| s.organisations.get(&id).cloned()));
    let partnership = Memo::new(move |_| {
        snapshot.with(|s| {
            s.organisations.get(&id).and_then(|o| {
                s.partnerships
                    .get(&o.partnership_id)
                    .map(|p| (o.partnership_id, p.name.clone()))
            })
        })
    });
    let pending =
        Memo::new(move |_| snapshot.with(|s| s.is_pending((EntityKind::Organisation, id.0))));
    let seats = Memo::new(move |_| snapshot.with(|s| seats(s, id)));
    let name =
        move || organisation.with(|o| o.as_ref().map(|o| o.name.clone()).unwrap_or_default());
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
    let manages = use_manages(Signal::derive(move || partnership.get().map(|(p, _)| p)));

    let seats_view = move || {
        let rows = seats.get();
        if rows.is_empty() {
            return view! { <p class="body">"It holds no seats on any body yet."</p> }.into_any();
        }
        view! {
            <table class="table">
                <caption class="visually-hidden">"Seats held by this organisation"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Body"</th>
                        <th scope="col">"Person"</th>
                        <th scope="col">"Role"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            let person = if r.person.trim().is_empty() {
                                "Not named".to_owned()
                            } else {
                                r.person
                            };
                            view! {
                                <tr>
                                    <td>
                                        <a class="link" href=body_href(r.body)>
                                            {r.body_name}
                                        </a>
                                    </td>
                                    <td>{person}</td>
                                    <td>
                                        {r.role.label()}
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
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
            .into_any()
    };

    view! {
        <Breadcrumbs crumbs=crumbs />
        <h1 class="heading-xl">{name}</h1>
        {move || {
            organisation
                .get()
                .map(|o| {
                    view! {
                        <p class="record-summary__tags">
                            <Tag text=o.sector.label() tone="blue" />
                            {o.named_partner.then(|| view! { " " <Tag text="Named partner" tone="purple" /> })}
                            " "
                            <PendingTag pending=pending />
                        </p>
                        <p class="hint">{o.sector.explanation()}</p>
                        {o
                            .named_partner
                            .then(|| {
                                view! {
                                    <p class="body">
                                        "A named partner has a statutory duty to co-operate on Local Area Agreement targets."
                                    </p>
                                }
                            })}
                        {(!o.description.is_empty())
                            .then(|| {
                                view! {
                                    <p class="body preserve-breaks organisation-description">
                                        <GlossedText
                                            snapshot=snapshot
                                            partnership=o.partnership_id
                                            text=o.description.clone()
                                        />
                                    </p>
                                }
                            })}
                    }
                })
        }}
        // Offered to those who manage the partnership (the server refuses anyone else).
        <Show when=move || manages.get()>
            <div class="button-group">
                <a class="button button--secondary" href=format!("{}/edit", organisation_href(id))>
                    "Edit organisation"
                </a>
                <a class="button button--warning" href=format!("{}/delete", organisation_href(id))>
                    "Delete organisation"
                </a>
                <a class="button button--secondary" href=record_history_href(EntityKind::Organisation, id.0)>
                    "History of changes"
                </a>
            </div>
        </Show>
        <section class="section" aria-labelledby="seats-heading">
            <h2 class="heading-m" id="seats-heading">
                "Seats on bodies"
            </h2>
            {seats_view}
            {move || {
                organisation
                    .with(|o| o.as_ref().map(|o| o.partnership_id))
                    .map(|p| {
                        view! {
                            <p class="body">
                                <a class="link" id="organisation-on-map" href=map_organisation_href(p, id)>
                                    "See its seats on the partnership map"
                                </a>
                            </p>
                        }
                    })
            }}
        </section>
    }
}

/// `/organisations/:id`
#[component]
pub fn OrganisationPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<OrganisationId>("id"), snapshot, |s, id| {
        s.organisations.contains_key(id)
    });
    gate(store.ready(), id, "organisation", move |id| {
        view! { <OrganisationDetail snapshot=snapshot id=id /> }
    })
}

/// The fields of an organisation. Calls `on_submit` with what was entered.
#[component]
pub fn OrganisationForm(
    initial: Organisation,
    #[prop(into)] errors: Signal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<Organisation>,
) -> impl IntoView {
    let partnership_id = initial.partnership_id;
    let name = RwSignal::new(initial.name);
    let sector = RwSignal::new(initial.sector);
    let named_partner = RwSignal::new(initial.named_partner);
    let description = RwSignal::new(initial.description);
    let submit = move |()| {
        on_submit.run(Organisation {
            partnership_id,
            name: name.get_untracked(),
            sector: sector.get_untracked(),
            named_partner: named_partner.get_untracked(),
            description: description.get_untracked(),
        })
    };
    view! {
        <AtlasForm on_submit=submit>
            <TextField id="name" label="Name" hint="For example, Avon and Somerset Constabulary" value=name errors=errors />
            <EnumSelect id="sector" label="Sector" value=sector errors=errors />
            <Checkbox
                id="named_partner"
                label="Named partner"
                hint="Has a statutory duty to co-operate on Local Area Agreement targets, like councils, police, NHS bodies and fire and rescue"
                value=named_partner
            />
            <TextArea
                id="description"
                label="Description (optional)"
                value=description
                errors=errors
            />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// `/partnerships/:id/organisations/new`
#[component]
pub fn NewOrganisationPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let pid = found(use_id::<PartnershipId>("id"), snapshot, |s, id| {
        s.partnerships.contains_key(id)
    });
    gate(store.ready(), pid, "partnership", move |pid| {
        let id = OrganisationId(new_id());
        let pname = snapshot.with_untracked(|s| partnership_name(s, pid));
        let crumbs = vec![
            Crumb::link("Partnerships", home_href()),
            Crumb::link(pname.clone(), partnership_href(pid)),
            Crumb::here("Add an organisation"),
        ];
        let page = FormPage {
            crumbs,
            heading: "Add an organisation".to_owned(),
            title: vec!["Add an organisation".to_owned(), pname],
        };
        let to_save = move |o: Organisation| (Draft::of(o), organisation_href(id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <OrganisationForm
                    initial=Organisation {
                        partnership_id: pid,
                        name: String::new(),
                        sector: Sector::Public,
                        named_partner: false,
                        description: String::new(),
                    }
                    errors=errors
                    submit_label="Add organisation"
                    cancel_href=partnership_href(pid)
                    on_submit=on_submit
                />
            }
        })
    })
}

/// `/organisations/:id/edit`
#[component]
pub fn EditOrganisationPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<OrganisationId>("id"), snapshot, |s, id| {
        s.organisations.contains_key(id)
    });
    gate(store.ready(), id, "organisation", move |id| {
        let Some(initial) = snapshot.with_untracked(|s| s.organisations.get(&id).cloned()) else {
            return ().into_any();
        };
        let pname = snapshot.with_untracked(|s| partnership_name(s, initial.partnership_id));
        let name = initial.name.clone();
        let crumbs = vec![
            Crumb::link("Partnerships", home_href()),
            Crumb::link(pname, partnership_href(initial.partnership_id)),
            Crumb::link(name.clone(), organisation_href(id)),
            Crumb::here("Edit"),
        ];
        let page = FormPage::titled(crumbs, format!("Edit {name}"));
        let to_save = move |o: Organisation| (Draft::of(o), organisation_href(id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <OrganisationForm
                    initial=initial
                    errors=errors
                    submit_label="Save changes"
                    cancel_href=organisation_href(id)
                    on_submit=on_submit
                />
            }
        })
        .into_any()
    })
}
