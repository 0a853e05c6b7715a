//! Deleting a record, GOV.UK style: a page that asks "Are you sure?", says what else goes
//! with it, and only then deletes. Routes: `/<kind>/:id/delete`.

use atlas_shared::consultation::Consultation;
use atlas_shared::domain::Partnership;
use atlas_shared::entity::from_fields;
use atlas_shared::{Draft, Entity, EntityKind, RecordRef, Snapshot, Tabled};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use uuid::Uuid;

use super::{
    consultation, found, partnership_crumbs, scrutiny, strategy, structure, training, use_id,
};
use crate::components::{Breadcrumbs, Crumb, ErrorSummary, FormErrors, gate, set_title};
use crate::data::use_store;
use crate::pages::structure::partnership_href;
use crate::parts::PartNotLoaded;

fn singular(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Organisation => "member organisation",
        other => other.noun(),
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// What else a delete removes, e.g. "This also removes 3 memberships and 2 reporting lines.";
/// `None` when nothing refers to the record.
pub fn consequences(s: &Snapshot, target: RecordRef) -> Option<String> {
    let dependents = s.dependents(target);
    let counts: Vec<String> = EntityKind::ALL
        .iter()
        .filter_map(|kind| {
            let n = dependents.iter().filter(|(k, _)| k == kind).count();
            match n {
                0 => None,
                1 => Some(format!("1 {}", singular(*kind))),
                n => Some(format!("{n} {}", kind.plural())),
            }
        })
        .collect();
    (!counts.is_empty()).then(|| format!("This also removes {}.", and_list(&counts)))
}

/// What the delete page needs to know about the record.
#[derive(Clone, Debug, PartialEq)]
pub struct DeleteTarget {
    /// How the question names it: "Management Group", "the reporting line from A to B".
    pub what: String,
    /// Where "Cancel" goes: the record's page.
    pub cancel_href: String,
    /// Where to go once deleted: the record's parent.
    pub done_href: String,
    pub crumbs: Vec<Crumb>,
}

/// The record `(kind, id)` as the delete page describes it, if it exists: as its area
/// describes it, or else (a record with no page of its own) as "this response", going back to
/// its partnership.
pub fn delete_target(s: &Snapshot, kind: EntityKind, id: Uuid) -> Option<DeleteTarget> {
    let (what, cancel_href, done_href, mut crumbs) = structure::delete_target(s, kind, id)
        .or_else(|| training::delete_target(s, kind, id))
        .or_else(|| consultation::delete_target(s, kind, id))
        .or_else(|| strategy::delete_target(s, kind, id))
        .or_else(|| scrutiny::reviews::delete_target(s, kind, id))
        .or_else(|| scrutiny::meeting_routes::delete_target(s, kind, id))
        .or_else(|| {
            let entity = s.entity((kind, id))?;
            let p = entity.partnership_id()?;
            let what = match &entity {
                Entity::Questionnaire(q) => format!("version {} of the questionnaire", q.version),
                _ => format!("this {}", kind.noun()),
            };
            Some((
                what,
                partnership_href(p),
                partnership_href(p),
                partnership_crumbs(s, p),
            ))
        })?;
    crumbs.push(Crumb::here("Delete"));
    Some(DeleteTarget {
        what,
        cancel_href,
        done_href,
        crumbs,
    })
}

/// What an area says of one of its records on its delete page: how the question names it,
/// where "Cancel" goes, where to go once deleted, and the breadcrumbs (without "Delete").
pub type Described = (String, String, String, Vec<Crumb>);

/// The question and the two answers. Calls `on_confirm` when the person confirms.
#[component]
pub fn DeleteConfirmation(
    target: DeleteTarget,
    consequences: Option<String>,
    #[prop(into)] errors: Signal<FormErrors>,
    #[prop(into)] on_confirm: Callback<()>,
) -> impl IntoView {
    let heading = format!("Are you sure you want to delete {}?", target.what);
    let title = heading.clone();
    set_title(move || vec![title.clone()]);
    view! {
        <Breadcrumbs crumbs=target.crumbs />
        <ErrorSummary errors=errors />
        <h1 class="heading-l">{heading}</h1>
        {consequences.map(|c| view! { <p class="body delete-consequences">{c}</p> })}
        <div class="warning-text">
            <span class="warning-text__icon" aria-hidden="true">
                "!"
            </span>
            <strong class="warning-text__text">
                <span class="visually-hidden">"Warning: "</span>
                "This is removed for everyone once this device syncs. You cannot undo it."
            </strong>
        </div>
        <div class="button-group">
            <button
                type="button"
                class="button button--warning"
                on:click=move |_| on_confirm.run(())
            >
                "Yes, delete"
            </button>
            <a class="link" href=target.cancel_href>
                "No, go back"
            </a>
        </div>
    }
}

/// Said instead of the question when a delete would lose residents' answers.
#[component]
pub fn CannotDelete(
    target: DeleteTarget,
    answers: usize,
    /// The record, when it can be archived instead (a partnership, a consultation).
    #[prop(optional)]
    archivable: Option<RecordRef>,
) -> impl IntoView {
    let heading = format!("You cannot delete {}", target.what);
    let title = heading.clone();
    set_title(move || vec![title.clone()]);
    let whose = if answers == 1 {
        "1 resident's answers belong".to_owned()
    } else {
        format!("{answers} residents' answers belong")
    };
    let errors = RwSignal::new(FormErrors::default());
    let store = use_store();
    let navigate = use_navigate();
    let done = target.cancel_href.clone();
    let archive = move |key: RecordRef| {
        let done = done.clone();
        let navigate = navigate.clone();
        spawn_local(async move {
            match set_archived(store, key, true).await {
                Ok(()) => navigate(&done, NavigateOptions::default()),
                Err(e) => errors.set(e.into()),
            }
        });
    };
    view! {
        <Breadcrumbs crumbs=target.crumbs />
        <ErrorSummary errors=errors />
        <h1 class="heading-l">{heading}</h1>
        <p class="body cannot-delete">
            {format!("{whose} to it. Answers are never deleted, so it stays: the results count them, and each keeps the event and the questionnaire version it was given to.")}
        </p>
        {match archivable {
            Some(key) => view! {
                <p class="body">
                    "You can archive it instead: it is closed to new answers and left out of lists, and everything in it is kept. You can restore it from its page at any time."
                </p>
                <div class="button-group">
                    <button type="button" class="button" id="archive-instead" on:click=move |_| archive(key)>
                        "Archive it instead"
                    </button>
                </div>
            }
            .into_any(),
            None => view! {
                <p class="body">
                    "To change the questionnaire, edit it: once it has answers, your changes make a new version. To stop capturing at an event, choose another event on the capture screen."
                </p>
            }
            .into_any(),
        }}
        <a class="link" href=target.cancel_href>
            "Go back"
        </a>
    }
}

/// Archives (or restores) a partnership or consultation: an ordinary edit of its `archived`
/// field, so it syncs like any other and nothing in it changes.
pub async fn set_archived(
    store: crate::data::Store,
    (kind, id): RecordRef,
    archived: bool,
) -> Result<(), crate::data::SaveError> {
    match kind {
        EntityKind::Partnership => archive::<Partnership>(store, id, archived).await,
        EntityKind::Consultation => archive::<Consultation>(store, id, archived).await,
        _ => Err(crate::data::SaveError {
            message: format!(
                "Only partnerships and consultations are archived, not {}.",
                kind.plural()
            ),
            fields: Vec::new(),
        }),
    }
}

/// [`set_archived`] for a record of kind `T`, read from its fields as the device shows them.
async fn archive<T: Tabled>(
    store: crate::data::Store,
    id: Uuid,
    archived: bool,
) -> Result<(), crate::data::SaveError> {
    let Some(mut fields) = store
        .snapshot()
        .with_untracked(|s| s.fields((T::KIND, id)).cloned())
    else {
        return Err(crate::data::SaveError {
            message: format!("This {} is no longer on this device.", T::KIND.noun()),
            fields: Vec::new(),
        });
    };
    fields.insert("archived".into(), archived.into());
    let record = from_fields::<T>(T::KIND, &fields).map_err(|e| crate::data::SaveError {
        message: e.to_string(),
        fields: e.field_errors().to_vec(),
    })?;
    store.save(id, Draft::of(record)).await
}

/// On an archived partnership's or consultation's page: what archived means, and Restore.
#[component]
pub fn ArchivedNotice(key: RecordRef) -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let archived = Memo::new(move |_| {
        snapshot.with(|s| match key.0 {
            EntityKind::Consultation => s
                .consultations
                .get(&key.1.into())
                .is_some_and(|c| c.archived),
            EntityKind::Partnership => s
                .partnerships
                .get(&key.1.into())
                .is_some_and(|p| p.archived),
            _ => false,
        })
    });
    let errors = RwSignal::new(FormErrors::default());
    let restore = move |_| {
        spawn_local(async move {
            let restored = match restore::start(store, key).await {
                Ok(restoring) => restoring.await,
                Err(PartNotLoaded) => Err(crate::data::SaveError {
                    message: "This device could not download what restores it. Check the connection and try again: nothing has changed.".to_owned(),
                    fields: Vec::new(),
                }),
            };
            if let Err(e) = restored {
                errors.set(e.into());
            }
        });
    };
    move || {
        archived.get().then(|| {
            view! {
                <div class="warning-text archived-notice" id="archived-notice">
                    <span class="warning-text__icon" aria-hidden="true">"!"</span>
                    <strong class="warning-text__text">
                        {format!("This {} is archived: it is closed to new answers and left out of lists. Everything in it is kept.", key.0.noun())}
                    </strong>
                </div>
                <ErrorSummary errors=errors />
                <button type="button" class="button button--secondary" id="restore-archived" on:click=restore>
                    "Restore it"
                </button>
            }
        })
    }
}

/// Restoring an archived record, made by code in the `more` part (fetched on the click):
/// reading and writing a partnership or a consultation for it was in every first load of a
/// partnership's page.
mod restore {
    use std::future::Future;
    use std::pin::Pin;

    use atlas_shared::RecordRef;

    use crate::data::{SaveError, Store};
    use crate::parts::PartNotLoaded;

    /// The restore under way.
    pub type Restoring = Pin<Box<dyn Future<Output = Result<(), SaveError>>>>;

    fn restoring(store: Store, key: RecordRef) -> Restoring {
        Box::pin(async move { super::set_archived(store, key, false).await })
    }

    #[cfg(feature = "split")]
    #[allow(unsafe_code)]
    #[::leptos::wasm_split::wasm_split(more, fallible, wasm_split_path = ::leptos::wasm_split)]
    pub fn start(store: Store, key: RecordRef) -> Result<Restoring, PartNotLoaded> {
        Ok(restoring(store, key))
    }

    #[cfg(not(feature = "split"))]
    pub async fn start(store: Store, key: RecordRef) -> Result<Restoring, PartNotLoaded> {
        Ok(restoring(store, key))
    }
}

/// The delete page of a record of `kind`, whose id is the route's `:id`; each area's routes
/// mount it for its kinds.
pub fn delete_page(kind: EntityKind) -> impl IntoView {
    let store = use_store();
    let snapshot = store.snapshot();
    let navigate = use_navigate();
    let raw = use_id::<Uuid>("id");
    let id = found(raw, snapshot, move |s, id| {
        delete_target(s, kind, *id).is_some()
    });
    gate(store.ready(), id, kind.noun(), move |id| {
        let errors = RwSignal::new(FormErrors::default());
        let Some((target, consequences)) = snapshot.with_untracked(|s| {
            delete_target(s, kind, id).map(|t| (t, consequences(s, (kind, id))))
        }) else {
            return ().into_any();
        };
        let answers = snapshot.with_untracked(|s| s.answers_held_by((kind, id)));
        if answers > 0 {
            let archivable = kind.can_be_archived().then_some((kind, id));
            return match archivable {
                Some(key) => {
                    view! { <CannotDelete target=target answers=answers archivable=key /> }
                        .into_any()
                }
                None => view! { <CannotDelete target=target answers=answers /> }.into_any(),
            };
        }
        let done = target.done_href.clone();
        let navigate = navigate.clone();
        let on_confirm = move |()| {
            let done = done.clone();
            let navigate = navigate.clone();
            spawn_local(async move {
                match store.delete(kind, id).await {
                    Ok(()) => navigate(
                        &done,
                        NavigateOptions {
                            replace: true,
                            ..NavigateOptions::default()
                        },
                    ),
                    Err(e) => errors.set(e.into()),
                }
            });
        };
        view! {
            <DeleteConfirmation
                target=target
                consequences=consequences
                errors=errors
                on_confirm=on_confirm
            />
        }
        .into_any()
    })
}
