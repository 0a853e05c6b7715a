//! A seat on a body: `/bodies/:id/members/new` and `/memberships/:id/edit`.

use atlas_shared::{
    BodyId, Draft, Membership, MembershipId, MembershipRole, OrganisationId, PartnershipId,
    Snapshot,
};
use leptos::prelude::*;

use super::{body_href, partnership_href};
use crate::components::{
    AtlasForm, Checkbox, Crumb, EnumSelect, FormActions, FormErrors, RecordSelect, TextField, gate,
};
use crate::components::{FormPage, record_form_page};
use crate::data::{new_id, use_store};
use crate::pages::{found, home_href, use_id};

/// The partnership's organisations as select options, "none" first.
pub fn organisation_options(s: &Snapshot, p: PartnershipId) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), "None – sits in their own right".to_owned())];
    options.extend(
        s.organisations_of(p)
            .into_iter()
            .map(|(id, o)| (id.to_string(), o.name.clone())),
    );
    options
}

/// The fields of a seat. Calls `on_submit` with what was entered.
#[component]
pub fn MembershipForm(
    initial: Membership,
    /// (id, name) of the partnership's organisations, with `""` for none.
    organisations: Vec<(String, String)>,
    #[prop(into)] errors: Signal<FormErrors>,
    #[prop(into)] submit_label: String,
    #[prop(into)] cancel_href: String,
    #[prop(into)] on_submit: Callback<Membership>,
) -> impl IntoView {
    let partnership_id = initial.partnership_id;
    let body_id = initial.body_id;
    let person = RwSignal::new(initial.person);
    let organisation = RwSignal::new(
        initial
            .organisation_id
            .map(|o| o.to_string())
            .unwrap_or_default(),
    );
    let role = RwSignal::new(initial.role);
    let independent = RwSignal::new(initial.independent);
    let interim = RwSignal::new(initial.interim);
    let represents = RwSignal::new(initial.represents);
    let submit = move |()| {
        on_submit.run(Membership {
            partnership_id,
            body_id,
            // The select only offers real ids; anything else means "none".
            organisation_id: organisation.with_untracked(|o| o.parse::<OrganisationId>().ok()),
            person: person.get_untracked(),
            role: role.get_untracked(),
            independent: independent.get_untracked(),
            interim: interim.get_untracked(),
            represents: represents.get_untracked(),
        })
    };
    view! {
        <AtlasForm on_submit=submit>
            <TextField
                id="person"
                label="Person"
                hint="Their name, for example Councillor Robin Nicoll. Leave blank if only the organisation is recorded."
                value=person
                errors=errors
            />
            <RecordSelect
                id="organisation_id"
                label="Organisation they represent"
                options=organisations
                value=organisation
                errors=errors
            />
            <EnumSelect id="role" label="Role" value=role errors=errors />
            <Checkbox
                id="independent"
                label="Sits as an independent person"
                hint="Not on behalf of their organisation, like an independent chair"
                value=independent
            />
            <Checkbox id="interim" label="Holds the seat on an interim basis" value=interim />
            <TextField
                id="represents"
                label="Interest they represent (optional)"
                hint="For example, Transport interests"
                value=represents
                errors=errors
            />
            <FormActions submit_label=submit_label cancel_href=cancel_href />
        </AtlasForm>
    }
}

/// The crumbs down to a body, then `here`.
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

/// `/bodies/:id/members/new`
#[component]
pub fn NewMembershipPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let body = found(use_id::<BodyId>("id"), snapshot, |s, id| {
        s.bodies.contains_key(id)
    });
    gate(store.ready(), body, "body", move |body_id| {
        let id = MembershipId(new_id());
        let Some((pid, body_name, organisations, crumbs)) = snapshot.with_untracked(|s| {
            s.bodies.get(&body_id).map(|b| {
                (
                    b.partnership_id,
                    b.name.clone(),
                    organisation_options(s, b.partnership_id),
                    crumbs_to_body(s, body_id, "Add a member"),
                )
            })
        }) else {
            return ().into_any();
        };
        let page = FormPage::titled(crumbs, format!("Add a member to {body_name}"));
        let to_save = move |m: Membership| (Draft::of(m), body_href(body_id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <MembershipForm
                    initial=Membership {
                        partnership_id: pid,
                        body_id,
                        organisation_id: None,
                        person: String::new(),
                        role: MembershipRole::Member,
                        independent: false,
                        interim: false,
                        represents: String::new(),
                    }
                    organisations=organisations
                    errors=errors
                    submit_label="Add member"
                    cancel_href=body_href(body_id)
                    on_submit=on_submit
                />
            }
        })
        .into_any()
    })
}

/// `/memberships/:id/edit`
#[component]
pub fn EditMembershipPage() -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let id = found(use_id::<MembershipId>("id"), snapshot, |s, id| {
        s.memberships.contains_key(id)
    });
    gate(store.ready(), id, "membership", move |id| {
        let Some((initial, heading, organisations, crumbs)) = snapshot.with_untracked(|s| {
            s.memberships.get(&id).map(|m| {
                let heading = format!(
                    "Edit {}’s seat on {}",
                    s.seat_name(m),
                    s.body_name(m.body_id)
                );
                (
                    m.clone(),
                    heading,
                    organisation_options(s, m.partnership_id),
                    crumbs_to_body(s, m.body_id, "Edit member"),
                )
            })
        }) else {
            return ().into_any();
        };
        let body_id = initial.body_id;
        let page = FormPage::titled(crumbs, heading);
        let to_save = move |m: Membership| (Draft::of(m), body_href(body_id));
        record_form_page(page, id.0, to_save, move |errors, on_submit| {
            view! {
                <MembershipForm
                    initial=initial
                    organisations=organisations
                    errors=errors
                    submit_label="Save changes"
                    cancel_href=body_href(body_id)
                    on_submit=on_submit
                />
                <p class="body">
                    <a class="link" href=format!("{}/delete", super::membership_href(id))>
                        "Remove this member"
                    </a>
                </p>
            }
        })
        .into_any()
    })
}
