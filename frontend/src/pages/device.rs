//! `/device`: what this browser holds. Whether the browser promised to keep the data under
//! storage pressure (and a button to ask), the changes not yet sent, the changes the server
//! refused ("needs attention": send again or discard, after a warning), a rescue file of both
//! to download, and the import of a rescue file from another device.

use atlas_shared::EntityKind;
use atlas_shared::attention::{HeldChange, UNREADABLE_REASON, count_changes, group_reasons};
use atlas_shared::rescue::RescueFile;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::home_href;
use crate::components::download::download;
use crate::components::{
    Breadcrumbs, Crumb, ErrorSummary, FileField, FormErrors, chosen_file_text, set_title,
};
use crate::data::{Held, use_store};

/// "3 responses, 1 body" from the kinds of the unsent changes.
pub fn describe_kinds(kinds: &[EntityKind]) -> String {
    let mut parts = Vec::new();
    for kind in EntityKind::ALL {
        let n = kinds.iter().filter(|k| *k == kind).count();
        match n {
            0 => {}
            1 => parts.push(format!("1 {}", kind.noun())),
            n => parts.push(format!("{n} changes to {}s", kind.noun())),
        }
    }
    parts.join(", ")
}

/// Saves `file` as the browser's download, named for when it was made.
pub fn download_rescue(file: &RescueFile) -> Result<(), String> {
    let stamp = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(file.exported_at as f64))
        .to_iso_string()
        .as_string()
        .unwrap_or_default()
        .replace([':', '.'], "-");
    download(
        &format!("partnership-atlas-unsent-{stamp}.json"),
        "application/json",
        &file.to_json(),
    )
}

// This page is a part of the app of its own (`crate::parts`): most visits never open it.
crate::parts::part!(device {
    more {
        DevicePage,
    },
});

/// The device page's address.
pub const ROUTES: &[(&str, Page)] = &[("/device", Page::DevicePage)];

#[component]
pub fn DevicePage() -> impl IntoView {
    let store = use_store();
    let status = store.status();
    set_title(|| vec!["This device".to_owned()]);
    let persistent = Memo::new(move |_| status.with(|s| s.persistent));
    let pending = Memo::new(move |_| status.with(|s| s.pending));
    let errors = RwSignal::new(FormErrors::default());
    let asking = RwSignal::new(false);

    let ask = move |_| {
        asking.set(true);
        spawn_local(async move {
            store.request_persistent_storage().await;
            asking.set(false);
        });
    };
    let export = move |_| {
        if let Err(e) = download_rescue(&store.rescue_file()) {
            errors.set(FormErrors {
                message: Some(format!("The rescue file could not be saved: {e}.")),
                ..FormErrors::default()
            });
        }
    };
    let kinds = Memo::new(move |_| {
        let _ = pending.get();
        store.unsent_kinds()
    });

    view! {
        <Breadcrumbs crumbs=vec![Crumb::link("Partnerships", home_href()), Crumb::here("This device")] />
        <ErrorSummary errors=errors />
        <h1 class="heading-l">"This device"</h1>
        <p class="lead">
            "Partnership Atlas keeps a copy of the data in this browser, so it works with no connection, and keeps your changes here until the server has them."
        </p>
        <section class="section" aria-labelledby="storage-heading">
            <h2 class="heading-m" id="storage-heading">"Keeping the data safe"</h2>
            {move || match persistent.get() {
                Some(true) => view! {
                    <p class="body" id="storage-state" data-persistent="true">
                        "This browser has agreed to keep Partnership Atlas's data on this device, even if space runs low."
                    </p>
                }
                    .into_any(),
                Some(false) => view! {
                    <div class="warning-text" id="storage-state" data-persistent="false">
                        <span class="warning-text__icon" aria-hidden="true">"!"</span>
                        <strong class="warning-text__text">
                            <span class="visually-hidden">"Warning: "</span>
                            "This browser may delete Partnership Atlas's data if the device runs low on space. Ask it to keep the data, and download a rescue file of unsent changes before clearing the browser."
                        </strong>
                    </div>
                }
                    .into_any(),
                None => view! {
                    <p class="body" id="storage-state" data-persistent="unknown">
                        "This browser has not said whether it will keep the data if space runs low."
                    </p>
                }
                    .into_any(),
            }}
            {move || {
                (persistent.get() != Some(true))
                    .then(|| {
                        view! {
                            <button type="button" class="button button--secondary" on:click=ask disabled=move || asking.get()>
                                "Ask the browser to keep the data"
                            </button>
                        }
                    })
            }}
        </section>
        <section class="section" aria-labelledby="unsent-heading">
            <h2 class="heading-m" id="unsent-heading">"Changes not yet sent"</h2>
            <p class="body" id="unsent-count" data-pending=move || pending.get().to_string()>
                {move || match pending.get() {
                    0 => "Every change made on this device has reached the server.".to_owned(),
                    1 => format!("1 change is waiting to be sent: {}.", describe_kinds(&kinds.get())),
                    n => format!("{n} changes are waiting to be sent: {}.", describe_kinds(&kinds.get())),
                }}
            </p>
            <p class="body">
                "A rescue file holds a copy of these changes. Import it on any device (or this one, after its data was cleared) and they are sent from there; a change the server already has is not counted twice."
            </p>
            <button type="button" class="button button--secondary" id="download-rescue" on:click=export>
                "Download a rescue file"
            </button>
        </section>
        <NeedsAttention errors=errors />
        <RescueImport errors=errors />
    }
}

/// The changes the server refused, grouped by kind and reason, each group with what the person
/// can do: send it again (as a new change, so the server looks afresh), or discard it after a
/// warning that says what is lost. The rescue file above holds them too.
#[component]
fn NeedsAttention(errors: RwSignal<FormErrors>) -> impl IntoView {
    let store = use_store();
    let held = store.held();
    // Which group (by its first member's key) is asking "are you sure?".
    let confirming = RwSignal::new(None::<u64>);
    let act = move |keys: Vec<f64>, discard: bool| {
        spawn_local(async move {
            let result = if discard {
                store.discard_held(&keys).await.map(|()| 0)
            } else {
                store.send_again(&keys).await
            };
            confirming.set(None);
            if let Err(e) = result {
                errors.set(e.into());
            }
        });
    };
    view! {
        <section class="section" aria-labelledby="attention-heading" id="needs-attention">
            <h2 class="heading-m" id="attention-heading">"Changes that need attention"</h2>
            {move || {
                let list = held.get();
                if list.is_empty() {
                    return view! {
                        <p class="body" id="held-count" data-held="0">
                            "The server has accepted every change it was sent from this device."
                        </p>
                    }
                    .into_any();
                }
                // A reason this version cannot read is grouped under a sentence that says so.
                let changes: Vec<Option<HeldChange>> = list.iter().map(Held::change).collect();
                let reasons = list.iter().zip(&changes).map(|(h, c)| {
                    let reason = c
                        .as_ref()
                        .map_or_else(|| UNREADABLE_REASON.to_owned(), HeldChange::reason);
                    (h.mutation.kind, reason)
                });
                let groups = group_reasons(reasons)
                    .into_iter()
                    .map(|g| {
                        let keys: Vec<f64> = g.members.iter().map(|i| list[*i].key).collect();
                        let id = keys.first().copied().unwrap_or_default() as u64;
                        let can_send = g.members.iter().any(|i| Held::can_send(changes[*i].as_ref()));
                        let what = count_changes(g.kind, g.members.len());
                        let send_keys = keys.clone();
                        let discard_keys = keys.clone();
                        view! {
                            <li class="held-group" data-kind=g.kind.as_str() data-count=g.members.len().to_string()>
                                <p class="body">{g.sentence()}</p>
                                {move || if confirming.get() == Some(id) {
                                    let keys = discard_keys.clone();
                                    view! {
                                        <div class="warning-text" role="alert">
                                            <span class="warning-text__icon" aria-hidden="true">"!"</span>
                                            <strong class="warning-text__text">
                                                {format!("Discard {what}? They will be removed from this device for good and will not be counted. Download a rescue file first if anyone may need them.")}
                                            </strong>
                                        </div>
                                        <div class="button-group">
                                            <button type="button" class="button button--warning held-group__discard-yes" on:click=move |_| act(keys.clone(), true)>
                                                "Yes, discard them"
                                            </button>
                                            <button type="button" class="button button--secondary" on:click=move |_| confirming.set(None)>
                                                "Keep them"
                                            </button>
                                        </div>
                                    }.into_any()
                                } else {
                                    let keys = send_keys.clone();
                                    view! {
                                        <div class="button-group">
                                            {can_send.then(|| {
                                                let keys = keys.clone();
                                                view! {
                                                    <button type="button" class="button held-group__send" on:click=move |_| act(keys.clone(), false)>
                                                        "Send again"
                                                    </button>
                                                }
                                            })}
                                            <button type="button" class="button button--secondary held-group__discard" on:click=move |_| confirming.set(Some(id))>
                                                "Discard…"
                                            </button>
                                        </div>
                                    }.into_any()
                                }}
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <p class="body" id="held-count" data-held=list.len().to_string()>
                        "The server did not accept these changes. They are kept on this device, and in the rescue file above, until you decide."
                    </p>
                    <ul class="list held-groups">{groups}</ul>
                }
                .into_any()
            }}
        </section>
    }
}

/// Importing a rescue file: its changes join this device's outbox (skipping any already there)
/// and are sent with the rest; the server applies each change once, so answers that already
/// arrived are not counted again. Errors go to `errors` (the page's error summary) when given,
/// else to a summary of its own.
#[component]
pub fn RescueImport(#[prop(optional)] errors: Option<RwSignal<FormErrors>>) -> impl IntoView {
    let store = use_store();
    let own_summary = errors.is_none();
    let errors = errors.unwrap_or_else(|| RwSignal::new(FormErrors::default()));
    let imported = RwSignal::new(None::<String>);
    let import = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        imported.set(None);
        spawn_local(async move {
            let outcome = async {
                let text =
                    chosen_file_text("rescue-file", "Choose a rescue file to import").await?;
                let file = RescueFile::parse(&text)?;
                let total = file.mutations.len();
                let added = store.import_rescue(file).await.map_err(|e| e.message)?;
                Ok::<_, String>((total, added))
            }
            .await;
            match outcome {
                Ok((total, added)) => {
                    errors.set(FormErrors::default());
                    imported.set(Some(if added == 0 {
                        format!(
                            "The file's {total} changes were already on this device; nothing was added."
                        )
                    } else {
                        format!(
                            "Added {added} of the file's {total} changes to this device. They are sent with its other changes; any the server already has count once."
                        )
                    }));
                }
                Err(message) => errors.set(FormErrors::field("rescue-file", message)),
            }
        });
    };
    view! {
        <section class="section" aria-labelledby="rescue-import-heading">
            {own_summary.then(|| view! { <ErrorSummary errors=errors /> })}
            <h2 class="heading-m" id="rescue-import-heading">"Import a rescue file"</h2>
            <p class="body">
                "A tablet that could not send its answers (a cleared browser, a broken tablet) may have a rescue file. Import it here and its answers are sent from this device; answers the server already has are not counted twice."
            </p>
            <form novalidate on:submit=import>
                <FileField
                    id="rescue-file"
                    label="Rescue file"
                    hint="A .json file downloaded from “This device” on a tablet or computer."
                    accept=".json,application/json"
                    error=Signal::derive(move || errors.with(|e| e.for_field("rescue-file")))
                />
                <button type="submit" class="button" id="rescue-import">"Import"</button>
            </form>
            {move || imported.get().map(|m| view! { <p class="body import-result" role="status">{m}</p> })}
        </section>
    }
}
