//! The skeleton every New and Edit page of a record shares: the page title, breadcrumbs, the
//! error summary, the heading, and a form whose submit saves the record through the outbox and
//! then goes to the record (or wherever the page says). Deleting has its own generic page
//! (`pages/delete.rs`, `delete_page`).

use atlas_shared::Draft;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

use super::form::{ErrorSummary, FormErrors};
use super::layout::{Breadcrumbs, Crumb, set_title};
use crate::data::use_store;

/// What a New or Edit page says around its form.
pub struct FormPage {
    pub crumbs: Vec<Crumb>,
    pub heading: String,
    /// The browser tab's title, most specific part first (the service's name is added).
    pub title: Vec<String>,
}

impl FormPage {
    /// A page whose tab title is its heading then `section` ("Add a term – Glossary").
    pub fn in_section(crumbs: Vec<Crumb>, heading: String, section: &'static str) -> Self {
        let title = vec![heading.clone(), section.to_owned()];
        FormPage {
            crumbs,
            heading,
            title,
        }
    }

    /// A page whose tab title is its heading alone.
    pub fn titled(crumbs: Vec<Crumb>, heading: String) -> Self {
        let title = vec![heading.clone()];
        FormPage {
            crumbs,
            heading,
            title,
        }
    }
}

/// A New or Edit page for the record `id`. `form` draws the form from the page's errors and
/// the submit callback; on submit, `to_save` turns what was entered into the record and the
/// address to go to once it is stored. A refusal shows its errors and keeps what was typed.
pub fn record_form_page<R, V>(
    page: FormPage,
    id: Uuid,
    to_save: impl Fn(R) -> (Draft, String) + Send + Sync + 'static,
    form: impl FnOnce(RwSignal<FormErrors>, Callback<R>) -> V,
) -> impl IntoView
where
    R: 'static,
    V: IntoView,
{
    let errors = RwSignal::new(FormErrors::default());
    let save = use_save();
    let on_submit = Callback::new(move |record: R| {
        let (entity, go_to) = to_save(record);
        save(id, entity, errors, go_to);
    });
    let FormPage {
        crumbs,
        heading,
        title,
    } = page;
    set_title(move || title.clone());
    view! {
        <Breadcrumbs crumbs=crumbs />
        <ErrorSummary errors=errors />
        <h1 class="heading-l">{heading}</h1>
        {form(errors, on_submit)}
    }
}

/// The save a form page does on submit: stores the change through the outbox, then goes to
/// `go_to`; on failure shows the errors and stays, keeping what was typed.
pub fn use_save() -> impl Fn(Uuid, Draft, RwSignal<FormErrors>, String) + Clone + 'static {
    let store = use_store();
    let navigate = use_navigate();
    move |id, draft, errors, go_to| {
        let navigate = navigate.clone();
        spawn_local(async move {
            match store.save(id, draft).await {
                Ok(()) => {
                    errors.set(FormErrors::default());
                    navigate(&go_to, NavigateOptions::default());
                }
                Err(e) => errors.set(e.into()),
            }
        });
    }
}
