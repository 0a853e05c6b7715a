//! `/people`: a partnership manager manages the people of their partnerships (an administrator
//! those of every partnership): the list with each person's role there, adding a person with a
//! first password they change on their Account page, changing or removing a role, disabling
//! and enabling an account. The server decides who may do what (`backend/src/http/users.rs`);
//! the page is offered only to those who manage a partnership. These are online-only calls:
//! with no connection the page says so, and what was typed stays.

use atlas_shared::PartnershipId;
use atlas_shared::accounts::{NewPerson, Person, Role};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::account::{SubmitButton, api_problem};
use super::sign_in_href;
use crate::components::{
    AtlasForm, EnumSelect, ErrorSummary, FormErrors, RecordSelect, TextField, set_title,
};
use crate::data::api;
use crate::data::use_store;

/// The value of the role select that removes the role.
const REMOVE: &str = "remove";

/// "Councillor", or "No role here" for someone whose role was just removed.
fn role_here(person: &Person, p: PartnershipId) -> String {
    person
        .roles
        .get(&p)
        .map_or("No role here".to_owned(), |r| r.label().to_owned())
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    set_title(|| vec!["People".to_owned()]);
    let store = use_store();
    let snapshot = store.snapshot();
    let principal = store.principal();
    let session = store.session();
    // The partnerships the person manages, by name.
    let managed = Memo::new(move |_| {
        snapshot.with(|s| {
            s.partnerships_by_name()
                .into_iter()
                .filter(|(id, _)| principal.with(|pr| pr.manages(*id)))
                .map(|(id, p)| (id, p.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let chosen = RwSignal::new(String::new());
    Effect::new(move |_| {
        let first = managed.with(|m| m.first().map(|(id, _)| id.0.to_string()));
        let known =
            managed.with(|m| chosen.with(|c| m.iter().any(|(id, _)| id.0.to_string() == *c)));
        if !known && let Some(first) = first {
            chosen.set(first);
        }
    });
    let partnership =
        Signal::derive(move || chosen.with(|c| Uuid::parse_str(c).ok()).map(PartnershipId));
    let errors = RwSignal::new(FormErrors::default());
    let people = RwSignal::new(None::<Vec<Person>>);
    let done = RwSignal::new(None::<String>);
    let reload = move || {
        let Some(p) = partnership.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match api::people(p).await {
                Ok(list) => people.set(Some(list.people)),
                Err(e) => errors.set(api_problem(&e, "see and manage people")),
            }
        });
    };
    Effect::new(move |_| {
        if partnership.get().is_some() {
            people.set(None);
            reload();
        }
    });
    view! {
        <ErrorSummary errors=errors />
        <h1 class="heading-l">"People"</h1>
        {move || {
            if session.with(|s| s.user.is_none()) {
                return view! {
                    <p class="body">
                        <a href=sign_in_href("/people")>"Sign in"</a>
                        " as a partnership manager or an administrator to manage people."
                    </p>
                }
                    .into_any();
            }
            if managed.with(Vec::is_empty) {
                return view! {
                    <p class="body" id="people-not-yours">
                        "Only partnership managers and administrators manage people. Ask your partnership manager to change your role."
                    </p>
                }
                    .into_any();
            }
            view! {
                <p class="body">
                    "You need a connection to manage people: changes here go straight to the server."
                </p>
                {move || {
                    (managed.with(Vec::len) > 1)
                        .then(|| {
                            view! {
                                <RecordSelect
                                    id="partnership"
                                    label="Partnership"
                                    options=managed
                                        .get()
                                        .into_iter()
                                        .map(|(id, name)| (id.0.to_string(), name))
                                        .collect()
                                    value=chosen
                                    errors=errors
                                />
                            }
                        })
                }}
                {move || {
                    done.get()
                        .map(|d| {
                            view! {
                                <p class="inset-text" id="people-done" role="status">
                                    {d}
                                </p>
                            }
                        })
                }}
                <PeopleTable
                    people=people
                    partnership=partnership
                    errors=errors
                    done=done
                    reload=reload
                />
                <AddPerson partnership=partnership errors=errors done=done reload=reload />
            }
                .into_any()
        }}
    }
}

#[component]
fn PeopleTable(
    people: RwSignal<Option<Vec<Person>>>,
    #[prop(into)] partnership: Signal<Option<PartnershipId>>,
    errors: RwSignal<FormErrors>,
    done: RwSignal<Option<String>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let me = use_store().session();
    let act = move |name: String, what: String, call: PersonCall| {
        spawn_local(async move {
            match call.send().await {
                Ok(_) => {
                    errors.set(FormErrors::default());
                    done.set(Some(format!("{name}: {what}.")));
                    reload();
                }
                Err(e) => errors.set(api_problem(&e, "manage people")),
            }
        });
    };
    move || {
        let Some(p) = partnership.get() else {
            return ().into_any();
        };
        let Some(list) = people.get() else {
            return view! { <p class="body">"Loading the people of this partnership…"</p> }
                .into_any();
        };
        if list.is_empty() {
            return view! { <p class="body" id="people-none">"Nobody has a role in this partnership yet."</p> }
                .into_any();
        }
        let my_id = me.with_untracked(|s| s.user.as_ref().map(|u| u.id));
        let admin = me.with_untracked(|s| s.user.as_ref().is_some_and(|u| u.grants.admin));
        let rows = list
            .into_iter()
            .map(|person| {
                let id = person.id;
                let name = person.name.clone();
                let current = person
                    .roles
                    .get(&p)
                    .map_or(REMOVE.to_owned(), |r| r.as_key());
                let choice = RwSignal::new(current);
                let select_id = format!("role-{id}");
                let status = match (person.disabled, person.two_step) {
                    (true, _) => "Disabled",
                    (false, true) => "Active, with two-step verification",
                    (false, false) => "Active",
                };
                let (n1, n2, n3) = (name.clone(), name.clone(), name.clone());
                let reset = (admin && person.two_step).then(|| {
                    let on_click = move |_| {
                        act(
                            n3.clone(),
                            "two-step verification reset".to_owned(),
                            PersonCall::ResetTwoStep(id),
                        );
                    };
                    view! {
                        " "
                        <button
                            type="button"
                            class="button button--secondary button--small"
                            on:click=on_click
                        >
                            "Reset two-step"
                        </button>
                    }
                });
                let change_role = move |_| {
                    let role = Role::from_key(&choice.get_untracked());
                    let what = role.map_or("role removed".to_owned(), |r| {
                        format!("role changed to {}", r.label())
                    });
                    act(n1.clone(), what, PersonCall::Role(id, p, role));
                };
                let disabled = person.disabled;
                let switch = move |_| {
                    let what = if disabled {
                        "account enabled"
                    } else {
                        "account disabled"
                    };
                    act(
                        n2.clone(),
                        what.to_owned(),
                        PersonCall::Disabled(id, !disabled),
                    );
                };
                let options = Role::ALL
                    .iter()
                    .map(|r| (r.as_key(), r.label().to_owned()))
                    .chain([(REMOVE.to_owned(), "No role (remove)".to_owned())])
                    .map(|(key, label)| {
                        let selected = key.clone();
                        view! {
                            <option value=key prop:selected=move || choice.with(|c| *c == selected)>
                                {label}
                            </option>
                        }
                    })
                    .collect_view();
                let mine = my_id == Some(id);
                view! {
                    <tr id=format!("person-{id}")>
                        <td>{person.name.clone()}</td>
                        <td>{person.email.clone()}</td>
                        <td>{role_here(&person, p)}</td>
                        <td>{status}</td>
                        <td class="table__actions">
                            <label class="visually-hidden" for=select_id.clone()>
                                {format!("New role for {name}")}
                            </label>
                            <select
                                class="select"
                                id=select_id
                                on:change=move |ev| choice.set(event_target_value(&ev))
                            >
                                {options}
                            </select>
                            " "
                            <button
                                type="button"
                                class="button button--secondary button--small"
                                on:click=change_role
                            >
                                "Change role"
                            </button>
                            " "
                            {(!mine)
                                .then(|| {
                                    view! {
                                        <button
                                            type="button"
                                            class="button button--secondary button--small"
                                            on:click=switch
                                        >
                                            {if disabled { "Enable" } else { "Disable" }}
                                        </button>
                                    }
                                })}
                            {reset}
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="table" id="people">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Email address"</th>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Account"</th>
                        <th scope="col">"Change"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    }
}

/// A change to one person, sent to the server.
enum PersonCall {
    Role(Uuid, PartnershipId, Option<Role>),
    Disabled(Uuid, bool),
    ResetTwoStep(Uuid),
}

impl PersonCall {
    async fn send(self) -> Result<Person, api::ApiError> {
        match self {
            PersonCall::Role(id, p, role) => api::set_role(id, p, role).await,
            PersonCall::Disabled(id, disabled) => api::set_disabled(id, disabled).await,
            PersonCall::ResetTwoStep(id) => api::reset_two_step(id).await,
        }
    }
}

#[component]
fn AddPerson(
    #[prop(into)] partnership: Signal<Option<PartnershipId>>,
    errors: RwSignal<FormErrors>,
    done: RwSignal<Option<String>>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Councillor);
    let busy = RwSignal::new(false);
    let on_submit = move |_| {
        if busy.get_untracked() {
            return;
        }
        let new = NewPerson {
            name: name.get_untracked(),
            email: email.get_untracked(),
            password: password.get_untracked(),
            partnership: partnership.get_untracked(),
            role: Some(role.get_untracked()),
            admin: false,
        };
        busy.set(true);
        spawn_local(async move {
            let result = api::add_person(&new).await;
            busy.set(false);
            match result {
                Ok(added) => {
                    errors.set(FormErrors::default());
                    done.set(Some(format!(
                        "{} has been added. Tell them their first password in person or by phone; they can change it on their Account page.",
                        added.name
                    )));
                    name.set(String::new());
                    email.set(String::new());
                    password.set(String::new());
                    reload();
                }
                Err(e) => errors.set(api_problem(&e, "add a person")),
            }
        });
    };
    view! {
        <h2 class="heading-m">"Add a person"</h2>
        <AtlasForm on_submit=on_submit>
            <TextField id="name" label="Name" value=name errors=errors autocomplete="off" />
            <TextField
                id="email"
                label="Email address"
                value=email
                errors=errors
                input_type="email"
                autocomplete="off"
            />
            <TextField
                id="password"
                label="First password"
                hint="At least 12 characters. They sign in with it, then change it on their Account page."
                value=password
                errors=errors
                autocomplete="new-password"
            />
            <EnumSelect id="role" label="Role" value=role errors=errors />
            <SubmitButton id="add-person" label="Add person" busy=busy />
        </AtlasForm>
    }
}
