//! The data layer in a real browser: changes go to the outbox in IndexedDB before they are
//! shown, and a new page (a reload) finds them there. There is no sync server in this test,
//! so the changes stay waiting, exactly as on a tablet with no signal.

use atlas_shared::seeds::{BASINGSTOKE, REDDITCH};
use std::time::Duration;

use atlas_frontend::components::RecordNotFound;
use atlas_frontend::data::{Store, SyncState};
use atlas_frontend::pages::home::PartnershipList;
use atlas_shared::{Body, BodyKind, Draft, EntityKind, Partnership, PartnershipId};
use leptos::prelude::*;
use wasm_bindgen_test::*;

use crate::common::{mount, one, settle, text, until};

fn partnership(name: &str) -> Draft {
    Draft::of(Partnership {
        name: name.into(),
        area: "Borough of Redditch".into(),
        description: String::new(),
        published: true,
        archived: false,
    })
}

/// A store on the IndexedDB database `db`, once it has loaded its local copy.
async fn loaded(db: &'static str) -> Store {
    let store = Store::start_with(db);
    until("the local copy to load", Duration::from_secs(10), || {
        store.ready().get_untracked()
    })
    .await;
    store
}

/// The reactive owner a test's stores and views live under.
fn owner() -> Owner {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    owner.set();
    owner
}

#[wasm_bindgen_test]
async fn a_saved_change_is_shown_waits_in_the_outbox_and_survives_a_reload() {
    let _owner = owner();
    let db = "atlas-test-outbox";
    let store = loaded(db).await;

    let pid = atlas_frontend::data::new_id();
    store
        .save(pid, partnership(REDDITCH))
        .await
        .expect("the save is stored");
    let board = atlas_frontend::data::new_id();
    store
        .save(
            board,
            Draft::of(Body {
                partnership_id: PartnershipId(pid),
                name: "Partnership Management Board".into(),
                kind: BodyKind::Board,
                terms_of_reference: String::new(),
            }),
        )
        .await
        .expect("the body is stored");

    let snap = store.snapshot().get_untracked();
    assert_eq!(snap.partnerships[&PartnershipId(pid)].name, REDDITCH);
    assert_eq!(snap.bodies_of(PartnershipId(pid)).len(), 1);
    assert!(snap.is_pending((EntityKind::Partnership, pid)));
    assert_eq!(store.status().get_untracked().pending, 2);

    // No sync server answers here, so the changes must stay waiting, never be dropped.
    until("a failed sync attempt", Duration::from_secs(10), || {
        matches!(
            store.status().get_untracked().state,
            SyncState::Error | SyncState::Offline
        )
    })
    .await;
    assert_eq!(store.status().get_untracked().pending, 2);

    // A second store on the same database is what a reload sees.
    let reloaded = loaded(db).await;
    let snap = reloaded.snapshot().get_untracked();
    assert_eq!(snap.partnerships[&PartnershipId(pid)].name, REDDITCH);
    assert_eq!(snap.bodies_of(PartnershipId(pid)).len(), 1);
    assert_eq!(reloaded.status().get_untracked().pending, 2);
}

#[wasm_bindgen_test]
async fn an_invalid_change_is_refused_with_field_errors_and_not_stored() {
    let _owner = owner();
    let store = loaded("atlas-test-invalid").await;
    let err = store
        .save(atlas_frontend::data::new_id(), partnership("   "))
        .await
        .expect_err("a blank name is refused");
    assert_eq!(err.fields.len(), 1);
    assert_eq!(err.fields[0].field, "name");
    assert_eq!(err.fields[0].message, "Enter the partnership's name");
    assert_eq!(store.status().get_untracked().pending, 0);
    assert!(store.snapshot().get_untracked().partnerships.is_empty());
}

#[wasm_bindgen_test]
async fn saving_unchanged_values_adds_nothing_to_the_outbox() {
    let _owner = owner();
    let store = loaded("atlas-test-unchanged").await;
    let pid = atlas_frontend::data::new_id();
    store
        .save(pid, partnership(BASINGSTOKE))
        .await
        .expect("stored");
    store
        .save(pid, partnership(BASINGSTOKE))
        .await
        .expect("no-op");
    assert_eq!(store.status().get_untracked().pending, 1);
}

#[wasm_bindgen_test]
async fn a_rescue_file_carries_unsent_changes_to_another_device_once() {
    let _owner = owner();
    let tablet = loaded("atlas-test-rescue-tablet").await;
    let pid = atlas_frontend::data::new_id();
    tablet
        .save(pid, partnership(REDDITCH))
        .await
        .expect("stored");
    let file = tablet.rescue_file();
    assert_eq!(file.mutations.len(), 1);
    // Through the file's text, as a download and an upload would carry it.
    let text = file.to_json();
    let read = atlas_shared::rescue::RescueFile::parse(&text).expect("a rescue file");
    assert_eq!(read, file);

    let laptop = loaded("atlas-test-rescue-laptop").await;
    assert_eq!(laptop.import_rescue(read.clone()).await, Ok(1));
    assert_eq!(laptop.status().get_untracked().pending, 1);
    assert_eq!(
        laptop.snapshot().get_untracked().partnerships[&PartnershipId(pid)].name,
        REDDITCH
    );
    // The same mutation, not a copy: the server applies its id once, whoever sends it.
    assert_eq!(laptop.rescue_file().mutations, file.mutations);
    // Importing the file again adds nothing.
    assert_eq!(laptop.import_rescue(read).await, Ok(0));
    assert_eq!(laptop.status().get_untracked().pending, 1);
}

#[wasm_bindgen_test]
async fn a_record_on_a_device_that_has_never_synced_is_being_fetched_not_missing() {
    let _owner = owner();
    // A fresh device: nothing local, and no server to fetch from in this test.
    let store = loaded("atlas-test-first-visit").await;
    assert!(store.status().get_untracked().last_synced.is_none());
    let (root, _first) = mount(move || {
        provide_context(store);
        view! { <RecordNotFound noun="consultation" /> }
    });
    settle().await;
    assert_eq!(text(&one(&root, "h1")), "Fetching this consultation…");
    assert!(text(&root).contains("appears here when it arrives"));
    // The home page's empty list says the same.
    let snapshot = store.snapshot();
    let (root, _home) = mount(move || {
        provide_context(store);
        view! { <PartnershipList snapshot=snapshot /> }
    });
    settle().await;
    assert_eq!(
        text(&one(&root, "#partnerships-empty")),
        "Fetching the partnerships from the server…"
    );

    // Where no first sync is pending (no store here), the record is simply not there.
    let (root, _missing) = mount(|| view! { <RecordNotFound noun="consultation" /> });
    settle().await;
    assert_eq!(text(&one(&root, "h1")), "Consultation not found");
}
