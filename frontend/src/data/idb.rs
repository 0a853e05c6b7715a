//! The device's local copy in IndexedDB: the server records it has pulled, the outbox of
//! changes not yet accepted by the server, the changes the server refused ("needs attention",
//! kept until the person decides), and a few settings (cursor, device id).
//!
//! Every value is stored as a JSON string, so the stored form is the protocol's form and needs
//! no second serialisation scheme. Write transactions issue all their requests at once and then
//! wait for the transaction to complete: when `commit`-style methods return `Ok`, the data is in
//! IndexedDB and survives a reload, a browser restart or a flat battery a second later.

use std::sync::Arc;

use atlas_shared::attention::HeldChange;
use atlas_shared::{DeviceId, Mutation, RecordRef, Seq, ServerRecord};
use js_sys::{Array, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    IdbDatabase, IdbObjectStoreParameters, IdbOpenDbRequest, IdbRequest, IdbTransaction,
    IdbTransactionMode,
};

/// The database every page of the app uses.
pub const DB_NAME: &str = "partnership-atlas";
/// Bump when the stores change, and add the upgrade step in `upgrade`.
const DB_VERSION: u32 = 2;
const RECORDS: &str = "records";
const OUTBOX: &str = "outbox";
/// Version 2: changes the server refused, kept until the person sends, exports or discards them.
const ATTENTION: &str = "attention";
const META: &str = "meta";

const META_CURSOR: &str = "cursor";
const META_DEVICE: &str = "device_id";
const META_LAST_SYNCED: &str = "last_synced";
/// The reader's scope the records were pulled under (`PullResponse::scope`).
const META_SCOPE: &str = "scope";

/// A change waiting in the outbox, with its IndexedDB key (insertion order).
#[derive(Clone, Debug)]
pub struct Pending {
    pub key: f64,
    pub mutation: Mutation,
    /// The server's inbox has received it and it waits for its outcome (see "Handing a push
    /// off" in `atlas_shared::sync`). Kept in memory only: after a reload the device sends it
    /// again, and the server applies a change once however often it arrives.
    pub received: bool,
}

impl Pending {
    pub fn new(key: f64, mutation: Mutation) -> Self {
        Self {
            key,
            mutation,
            received: false,
        }
    }
}

/// A refused change kept on the device, with its IndexedDB key.
///
/// Start-up reads only the change itself; why the server refused it is read when a page shows
/// it ([`Held::change`]). So the reasons' types are compiled into the parts that show them, not
/// into the core every page loads, and a reason this version cannot read (kept by a newer one)
/// still leaves the change listed, sendable, discardable and in rescue files.
#[derive(Clone, Debug, PartialEq)]
pub struct Held {
    pub key: f64,
    pub mutation: Mutation,
    /// The [`HeldChange`] as stored: JSON.
    stored: Arc<str>,
}

impl Held {
    /// `change` as the device keeps it under `key`.
    pub fn new(key: f64, change: &HeldChange) -> Self {
        Self {
            key,
            mutation: change.mutation.clone(),
            // Serialising maps, strings and numbers cannot fail; were it to, the change would
            // still be listed by its mutation, with a reason this version cannot read.
            stored: serde_json::to_string(change).unwrap_or_default().into(),
        }
    }

    /// The change with why it was refused; `None` when this version of the app cannot read
    /// the reason.
    pub fn change(&self) -> Option<HeldChange> {
        serde_json::from_str(&self.stored).ok()
    }

    /// Whether sending it again could succeed: not for a change refused for a reason that
    /// stays (answers belong to the record; the server kept the answer). A reason this
    /// version cannot read does not stop the person trying.
    pub fn can_send_again(&self) -> bool {
        Self::can_send(self.change().as_ref())
    }

    /// [`Held::can_send_again`] for a change already read with [`Held::change`].
    pub fn can_send(change: Option<&HeldChange>) -> bool {
        change.is_none_or(HeldChange::can_send_again)
    }
}

/// The part of a stored [`HeldChange`] start-up reads.
#[derive(serde::Deserialize)]
struct HeldMutation {
    mutation: Mutation,
}

/// Everything the device holds, read at start-up.
pub struct Loaded {
    pub records: Vec<ServerRecord>,
    pub outbox: Vec<Pending>,
    pub held: Vec<Held>,
    /// Changes in the outbox or among the refused ones that this version cannot read (saved
    /// by a newer version of the app): left in place, and counted so the person is told.
    pub unreadable: usize,
    pub cursor: Seq,
    /// The scope the records were pulled under; `None` before the first pull.
    pub scope: Option<String>,
    pub device_id: Option<DeviceId>,
    pub last_synced: Option<f64>,
}

#[derive(Clone)]
pub struct LocalDb {
    db: IdbDatabase,
}

/// A storage failure, in words for the status line.
pub fn describe(err: &JsValue) -> String {
    if let Some(e) = err.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    if let Some(e) = err.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", e.name(), e.message());
    }
    err.as_string()
        .unwrap_or_else(|| "an unknown storage error".to_owned())
}

fn record_key(key: RecordRef) -> String {
    format!("{}/{}", key.0.as_str(), key.1)
}

/// Resolves with the request's result when it succeeds.
async fn request(req: &IdbRequest) -> Result<JsValue, JsValue> {
    let req = req.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        let ok = req.clone();
        let on_success = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &ok.result().unwrap_or(JsValue::UNDEFINED));
        });
        let bad = req.clone();
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let err = bad
                .error()
                .ok()
                .flatten()
                .map(JsValue::from)
                .unwrap_or(JsValue::UNDEFINED);
            let _ = reject.call1(&JsValue::NULL, &err);
        });
        req.set_onsuccess(Some(on_success.unchecked_ref()));
        req.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await
}

/// Within `tx` (over the records and the meta stores): puts pulled `records`, and the cursor,
/// the time of the sync and the scope they were pulled under.
fn put_copy<'r>(
    tx: &IdbTransaction,
    records: impl IntoIterator<Item = &'r ServerRecord>,
    cursor: Seq,
    scope: &str,
    synced_at: f64,
) -> Result<(), JsValue> {
    let store = tx.object_store(RECORDS)?;
    for r in records {
        store.put_with_key(&json(r)?, &JsValue::from_str(&record_key((r.kind, r.id))))?;
    }
    let meta = tx.object_store(META)?;
    meta.put_with_key(&json(&cursor)?, &JsValue::from_str(META_CURSOR))?;
    meta.put_with_key(&json(&synced_at)?, &JsValue::from_str(META_LAST_SYNCED))?;
    meta.put_with_key(&json(&scope)?, &JsValue::from_str(META_SCOPE))?;
    Ok(())
}

/// Resolves when the transaction has committed; rejects if it errors or aborts.
async fn committed(tx: &IdbTransaction) -> Result<(), JsValue> {
    let tx = tx.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        let on_complete = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let reject_abort = reject.clone();
        let failed = tx.clone();
        let on_error = Closure::once_into_js(move |_: web_sys::Event| {
            let err = failed
                .error()
                .map(JsValue::from)
                .unwrap_or_else(|| JsValue::from_str("the local database refused the write"));
            let _ = reject.call1(&JsValue::NULL, &err);
        });
        let on_abort = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = reject_abort.call1(
                &JsValue::NULL,
                &JsValue::from_str("the local database write was aborted"),
            );
        });
        tx.set_oncomplete(Some(on_complete.unchecked_ref()));
        tx.set_onerror(Some(on_error.unchecked_ref()));
        tx.set_onabort(Some(on_abort.unchecked_ref()));
    });
    JsFuture::from(promise).await.map(|_| ())
}

fn json<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    serde_json::to_string(value)
        .map(|s| JsValue::from_str(&s))
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

fn parse<T: serde::de::DeserializeOwned>(value: &JsValue) -> Option<T> {
    value
        .as_string()
        .and_then(|s| serde_json::from_str(&s).ok())
}

impl LocalDb {
    /// Opens (creating or upgrading) the database called `name`.
    pub async fn open(name: &str) -> Result<Self, JsValue> {
        let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
        let factory = window
            .indexed_db()?
            .ok_or_else(|| JsValue::from_str("this browser has no IndexedDB"))?;
        let open: IdbOpenDbRequest = factory.open_with_u32(name, DB_VERSION)?;
        let upgrading = open.clone();
        let on_upgrade = Closure::once_into_js(move |_: web_sys::Event| {
            if let Ok(result) = upgrading.result() {
                let db: IdbDatabase = result.unchecked_into();
                if let Err(e) = upgrade(&db) {
                    web_sys::console::error_1(&e);
                }
            }
        });
        open.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
        let db: IdbDatabase = request(&open).await?.unchecked_into();
        Ok(Self { db })
    }

    fn tx(&self, stores: &[&str], mode: IdbTransactionMode) -> Result<IdbTransaction, JsValue> {
        let names = Array::new();
        for s in stores {
            names.push(&JsValue::from_str(s));
        }
        self.db.transaction_with_str_sequence_and_mode(&names, mode)
    }

    /// Reads the whole local copy.
    pub async fn load(&self) -> Result<Loaded, JsValue> {
        let tx = self.tx(
            &[RECORDS, OUTBOX, ATTENTION, META],
            IdbTransactionMode::Readonly,
        )?;
        let records_req = tx.object_store(RECORDS)?.get_all()?;
        let outbox_store = tx.object_store(OUTBOX)?;
        let outbox_req = outbox_store.get_all()?;
        let outbox_keys_req = outbox_store.get_all_keys()?;
        let attention = tx.object_store(ATTENTION)?;
        let held_req = attention.get_all()?;
        let held_keys_req = attention.get_all_keys()?;
        let meta = tx.object_store(META)?;
        let cursor_req = meta.get(&JsValue::from_str(META_CURSOR))?;
        let device_req = meta.get(&JsValue::from_str(META_DEVICE))?;
        let synced_req = meta.get(&JsValue::from_str(META_LAST_SYNCED))?;
        let scope_req = meta.get(&JsValue::from_str(META_SCOPE))?;

        let records: Array = request(&records_req).await?.unchecked_into();
        let outbox: Array = request(&outbox_req).await?.unchecked_into();
        let keys: Array = request(&outbox_keys_req).await?.unchecked_into();
        let held_values: Array = request(&held_req).await?.unchecked_into();
        let held_keys: Array = request(&held_keys_req).await?.unchecked_into();
        let cursor = parse::<Seq>(&request(&cursor_req).await?).unwrap_or_default();
        let device_id = parse::<DeviceId>(&request(&device_req).await?);
        let last_synced = parse::<f64>(&request(&synced_req).await?);
        let scope = parse::<String>(&request(&scope_req).await?);

        let records = records.iter().filter_map(|v| parse(&v)).collect();
        let mut unreadable = 0;
        let mut pending = Vec::with_capacity(outbox.length() as usize);
        for (value, key) in outbox.iter().zip(keys.iter()) {
            match (parse::<Mutation>(&value), key.as_f64()) {
                (Some(mutation), Some(key)) => pending.push(Pending::new(key, mutation)),
                _ => {
                    unreadable += 1;
                    web_sys::console::warn_1(&JsValue::from_str(
                        "Partnership Atlas: an outbox entry could not be read and was left in place",
                    ));
                }
            }
        }
        let mut held = Vec::with_capacity(held_values.length() as usize);
        for (value, key) in held_values.iter().zip(held_keys.iter()) {
            let stored = value.as_string();
            let read = stored.as_deref().and_then(|s| {
                serde_json::from_str::<HeldMutation>(s)
                    .ok()
                    .map(|h| (h.mutation, s))
            });
            match (read, key.as_f64()) {
                (Some((mutation, stored)), Some(key)) => held.push(Held {
                    key,
                    mutation,
                    stored: stored.into(),
                }),
                _ => {
                    unreadable += 1;
                    web_sys::console::warn_1(&JsValue::from_str(
                        "Partnership Atlas: a refused change could not be read and was left in place",
                    ));
                }
            }
        }
        Ok(Loaded {
            records,
            outbox: pending,
            held,
            unreadable,
            cursor,
            scope,
            device_id,
            last_synced,
        })
    }

    pub async fn set_device_id(&self, id: DeviceId) -> Result<(), JsValue> {
        let tx = self.tx(&[META], IdbTransactionMode::Readwrite)?;
        tx.object_store(META)?
            .put_with_key(&json(&id)?, &JsValue::from_str(META_DEVICE))?;
        committed(&tx).await
    }

    /// Appends a change to the outbox; returns its key once it is safely stored.
    pub async fn append(&self, mutation: &Mutation) -> Result<f64, JsValue> {
        let tx = self.tx(&[OUTBOX], IdbTransactionMode::Readwrite)?;
        let req = tx.object_store(OUTBOX)?.add(&json(mutation)?)?;
        committed(&tx).await?;
        let key = req.result()?;
        key.as_f64()
            .ok_or_else(|| JsValue::from_str("the outbox returned a key that is not a number"))
    }

    /// Records what the server answered, in one transaction: removes the answered changes from
    /// the outbox, stores the records as they now stand, and keeps the refused changes (`hold`)
    /// in the "needs attention" store. Returns the keys the held changes were given.
    pub async fn acknowledge(
        &self,
        done: &[f64],
        put: &[ServerRecord],
        remove: &[RecordRef],
        hold: &[HeldChange],
    ) -> Result<Vec<f64>, JsValue> {
        let tx = self.tx(&[OUTBOX, RECORDS, ATTENTION], IdbTransactionMode::Readwrite)?;
        let outbox = tx.object_store(OUTBOX)?;
        for key in done {
            outbox.delete(&JsValue::from_f64(*key))?;
        }
        let records = tx.object_store(RECORDS)?;
        for r in put {
            records.put_with_key(&json(r)?, &JsValue::from_str(&record_key((r.kind, r.id))))?;
        }
        for key in remove {
            records.delete(&JsValue::from_str(&record_key(*key)))?;
        }
        let attention = tx.object_store(ATTENTION)?;
        let mut added = Vec::with_capacity(hold.len());
        for h in hold {
            added.push(attention.add(&json(h)?)?);
        }
        committed(&tx).await?;
        keys_of(&added)
    }

    /// Moves refused changes back into the outbox as the `again` mutations, in one transaction
    /// (so a change is never in neither store). Returns the new outbox keys.
    pub async fn requeue(&self, held: &[f64], again: &[Mutation]) -> Result<Vec<f64>, JsValue> {
        let tx = self.tx(&[OUTBOX, ATTENTION], IdbTransactionMode::Readwrite)?;
        let attention = tx.object_store(ATTENTION)?;
        for key in held {
            attention.delete(&JsValue::from_f64(*key))?;
        }
        let outbox = tx.object_store(OUTBOX)?;
        let mut added = Vec::with_capacity(again.len());
        for m in again {
            added.push(outbox.add(&json(m)?)?);
        }
        committed(&tx).await?;
        keys_of(&added)
    }

    /// Forgets refused changes the person chose to discard.
    pub async fn discard_held(&self, held: &[f64]) -> Result<(), JsValue> {
        let tx = self.tx(&[ATTENTION], IdbTransactionMode::Readwrite)?;
        let attention = tx.object_store(ATTENTION)?;
        for key in held {
            attention.delete(&JsValue::from_f64(*key))?;
        }
        committed(&tx).await
    }

    /// Stores a page of pulled changes, the new cursor and the scope they were pulled under, in
    /// one transaction, so the cursor never runs ahead of the records it stands for.
    pub async fn apply_pull(
        &self,
        put: &[ServerRecord],
        remove: &[RecordRef],
        cursor: Seq,
        scope: &str,
        synced_at: f64,
    ) -> Result<(), JsValue> {
        let tx = self.tx(&[RECORDS, META], IdbTransactionMode::Readwrite)?;
        put_copy(&tx, put, cursor, scope, synced_at)?;
        // After the puts: a record changed and then deleted in one page ends deleted.
        let records = tx.object_store(RECORDS)?;
        for key in remove {
            records.delete(&JsValue::from_str(&record_key(*key)))?;
        }
        committed(&tx).await
    }

    /// The reader's scope changed (`PullResponse::reset`) and their whole copy has been pulled
    /// afresh: it replaces every pulled record, the cursor and the scope in one transaction, so
    /// a device that closes or loses its connection half way keeps the copy it had. The outbox
    /// and the changes that need attention are not touched.
    pub async fn replace_copy<'r>(
        &self,
        records: impl IntoIterator<Item = &'r ServerRecord>,
        cursor: Seq,
        scope: &str,
        synced_at: f64,
    ) -> Result<(), JsValue> {
        let tx = self.tx(&[RECORDS, META], IdbTransactionMode::Readwrite)?;
        tx.object_store(RECORDS)?.clear()?;
        put_copy(&tx, records, cursor, scope, synced_at)?;
        committed(&tx).await
    }

    /// Signing out: forgets the changes under `outbox` and `held` (already sent, or saved in
    /// a rescue file the person downloaded), and every pulled record, the cursor and the
    /// scope, in one transaction.
    pub async fn clear_for_sign_out(&self, outbox: &[f64], held: &[f64]) -> Result<(), JsValue> {
        let tx = self.tx(
            &[RECORDS, META, OUTBOX, ATTENTION],
            IdbTransactionMode::Readwrite,
        )?;
        tx.object_store(RECORDS)?.clear()?;
        let meta = tx.object_store(META)?;
        for key in [META_CURSOR, META_LAST_SYNCED, META_SCOPE] {
            meta.delete(&JsValue::from_str(key))?;
        }
        let out = tx.object_store(OUTBOX)?;
        for key in outbox {
            out.delete(&JsValue::from_f64(*key))?;
        }
        let attention = tx.object_store(ATTENTION)?;
        for key in held {
            attention.delete(&JsValue::from_f64(*key))?;
        }
        committed(&tx).await
    }
}

fn upgrade(db: &IdbDatabase) -> Result<(), JsValue> {
    let existing = db.object_store_names();
    if !existing.contains(RECORDS) {
        db.create_object_store(RECORDS)?;
    }
    if !existing.contains(OUTBOX) {
        let params = IdbObjectStoreParameters::new();
        params.set_auto_increment(true);
        db.create_object_store_with_optional_parameters(OUTBOX, &params)?;
    }
    if !existing.contains(META) {
        db.create_object_store(META)?;
    }
    if !existing.contains(ATTENTION) {
        let params = IdbObjectStoreParameters::new();
        params.set_auto_increment(true);
        db.create_object_store_with_optional_parameters(ATTENTION, &params)?;
    }
    Ok(())
}

/// The keys that committed `add` requests were given.
fn keys_of(requests: &[IdbRequest]) -> Result<Vec<f64>, JsValue> {
    requests
        .iter()
        .map(|r| {
            r.result()?.as_f64().ok_or_else(|| {
                JsValue::from_str("the local database returned a key that is not a number")
            })
        })
        .collect()
}
