//! The data layer: the only code in the frontend that touches IndexedDB or the network.
//!
//! Views read [`Store::snapshot`] (a signal) and write through [`Store::save`] and
//! [`Store::delete`]. A write is validated with the shared rules, stored in the outbox in
//! IndexedDB, and only then shown; the sync loop pushes the outbox and pulls what changed.
//!
//! A change the server refuses is never dropped: it moves, in the same IndexedDB transaction
//! that takes it out of the outbox, to the "needs attention" store ([`Store::held`]), where the
//! device page lists it with the reason and the person sends it again, downloads it in a rescue
//! file or discards it after a warning. One exception keeps the data without asking: an edit of
//! a questionnaire version that residents may be answering is saved as the next version.
//!
//! The store also knows who is signed in ([`Store::session`], remembered on the device by
//! `session.rs`). The server gives each reader only what they may see: every pull sends back
//! the scope the last one answered, and when the reader's scope changed (signed in or out,
//! grants changed, a partnership published or unpublished) the answer is a reset: the device
//! pulls its whole copy again from the start, beside the one on screen, and replaces the old
//! records and cursor only once the new copy has arrived whole (a page never empties under
//! the person, and a device that loses its connection half way still opens offline); its
//! outbox and held changes are never touched. A push the server refuses for want of a session (401) is
//! kept whole in the outbox and the person is asked to sign in. Signing out clears the local
//! copy, but only once unsent changes were sent or saved in a rescue file.
//!
//! A registered tablet ([`Store::tablet`], `tablet.rs`) syncs with its bearer token when
//! nobody is signed in on it; a person signed in on the device takes precedence (their
//! session is who they are, and what they send is theirs). When the server refuses the
//! tablet (withdrawn, or not registered) the outbox and the held changes stay as they are,
//! and the status says the server's sentence.

pub mod api;
mod idb;
pub mod session;
pub mod tablet;

use std::time::Duration;

use crate::parts::PartNotLoaded;
use atlas_shared::accounts::tablets::TabletIdentity;
use atlas_shared::accounts::{Principal, SessionInfo, SignIn};
use atlas_shared::attention::{HeldChange, Refusal, group};
use atlas_shared::consultation::Questionnaire;
use atlas_shared::entity::from_fields;
use atlas_shared::{
    DeviceId, Draft, EntityKind, Fate, FieldError, MAX_MUTATIONS_PER_PUSH, Mutation, MutationId,
    Op, Outcome, QuestionnaireId, Rejection, Replica, ServerRecord, Snapshot, push_batch_len,
};
use gloo_events::EventListener;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, Value};
use uuid::Uuid;
use wasm_bindgen::JsValue;

use api::{ApiError, SignInError};
use atlas_shared::retry::{Failure as RetryFailure, retry_delay};
pub use idb::Held;
use idb::{LocalDb, Pending};

/// How often the loop syncs when all is quiet (changes from other devices arrive this late).
const QUIET_INTERVAL: Duration = Duration::from_secs(20);
/// How soon it tries again while changes are waiting (after a failure it waits as
/// `atlas_shared::retry` says: longer each time, and as long as the server asked).
const RETRY_INTERVAL: Duration = Duration::from_secs(3);
/// How soon it asks again while the server's inbox holds changes it has not applied yet.
const OUTCOME_INTERVAL: Duration = Duration::from_secs(1);
/// How often the loop wakes to see whether a sync was asked for.
const TICK: Duration = Duration::from_millis(200);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncState {
    /// The local copy is still being read.
    Loading,
    /// Talking to the server now.
    Syncing,
    /// Nothing waiting, and the last sync succeeded.
    Synced,
    /// Changes are waiting to be sent.
    Pending,
    /// The server cannot be reached; changes wait safely on this device.
    Offline,
    /// The server answered with an error, or the local store failed.
    Error,
    /// The server sends changes only from someone signed in: they wait on this device.
    SignIn,
}

impl SyncState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Loading => "loading",
            Self::Syncing => "syncing",
            Self::Synced => "synced",
            Self::Pending => "pending",
            Self::Offline => "offline",
            Self::Error => "error",
            Self::SignIn => "sign-in",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SyncStatus {
    pub state: SyncState,
    /// What the browser says about the network (`navigator.onLine`).
    pub online: bool,
    /// Changes on this device that the server has not applied yet.
    pub pending: usize,
    /// Of those, the ones its inbox has received (stored, and applied in turn).
    pub received: usize,
    /// Changes the server refused, kept on this device until the person decides.
    pub held: usize,
    /// When the last sync finished, in ms since the Unix epoch.
    pub last_synced: Option<f64>,
    /// The last problem, in plain English.
    pub message: Option<String>,
    /// Things the person should know about their changes (overwritten, not applied).
    pub notices: Vec<String>,
    /// Whether the browser has promised not to evict this site's data under storage pressure;
    /// `None` until it has said, or when it cannot say.
    pub persistent: Option<bool>,
}

impl Default for SyncStatus {
    fn default() -> Self {
        Self {
            state: SyncState::Loading,
            online: navigator_online(),
            pending: 0,
            received: 0,
            held: 0,
            last_synced: None,
            message: None,
            notices: Vec::new(),
            persistent: None,
        }
    }
}

/// Why a save or delete did not happen.
#[derive(Clone, Debug, PartialEq)]
pub struct SaveError {
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl SaveError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            fields: Vec::new(),
        }
    }
}

struct Inner {
    db: Option<LocalDb>,
    replica: Replica,
    outbox: Vec<Pending>,
    device_id: DeviceId,
    /// The reader's scope the records were pulled under (`None` before the first pull).
    scope: Option<String>,
    /// Goes up whenever the local copy is dropped or replaced (signing out, a reset's fresh
    /// copy), so a pull that was under way before it does not write records of the old scope
    /// afterwards.
    epoch: u64,
    /// Syncs started and finished, so signing out can wait for one that began after it asked.
    syncs_started: u64,
    syncs_finished: u64,
    /// A sync was asked for (after a save, on coming online, by the person).
    kick: bool,
    /// Whether to hand pushes off to the server's inbox; false once the server has answered
    /// that it has none.
    inbox: bool,
}

/// The keys of the changes that signing out may forget: those sent, or saved in a rescue
/// file the person downloaded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rescued {
    outbox: Vec<f64>,
    held: Vec<f64>,
}

/// The handle views use. Cheap to copy; provided as context by `App`.
#[derive(Clone, Copy)]
pub struct Store {
    snapshot: RwSignal<Snapshot>,
    status: RwSignal<SyncStatus>,
    ready: RwSignal<bool>,
    /// Changes the server refused, oldest first.
    held: RwSignal<Vec<Held>>,
    /// Who this browser is signed in as, as the server last said (remembered on the device).
    session: RwSignal<SessionInfo>,
    /// What this browser is registered for as a tablet, as the server last said.
    tablet: RwSignal<Option<TabletIdentity>>,
    inner: StoredValue<Inner, LocalStorage>,
}

pub fn use_store() -> Store {
    expect_context::<Store>()
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn random_bytes() -> [u8; 10] {
    let mut bytes = [0u8; 10];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !filled {
        // No Web Crypto (very old browser): fall back to Math.random, which is enough to keep
        // ids from colliding on one device; the time part already orders them.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}

/// A fresh UUID v7 for a new record or mutation.
pub fn new_id() -> Uuid {
    atlas_shared::uuid_v7(now_ms() as u64, random_bytes())
}

/// Whether the browser says it has a connection (it may be wrong the other way: online
/// with a dead connection).
pub(crate) fn navigator_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

impl Store {
    /// Opens IndexedDB, loads the local copy, registers the service worker and starts the sync
    /// loop. Call once, in `App`, and provide the result as context.
    pub fn start() -> Self {
        Self::start_with(idb::DB_NAME)
    }

    /// As [`Store::start`], keeping the local copy in the IndexedDB database `db_name` (tests
    /// use their own so they start from nothing).
    pub fn start_with(db_name: &'static str) -> Self {
        let store = Self {
            snapshot: RwSignal::new(Snapshot::default()),
            status: RwSignal::new(SyncStatus::default()),
            ready: RwSignal::new(false),
            held: RwSignal::new(Vec::new()),
            session: RwSignal::new(session::remembered()),
            tablet: RwSignal::new(tablet::remembered()),
            inner: StoredValue::new_local(Inner {
                db: None,
                replica: Replica::default(),
                outbox: Vec::new(),
                device_id: DeviceId(new_id()),
                scope: None,
                epoch: 0,
                syncs_started: 0,
                syncs_finished: 0,
                kick: true,
                inbox: true,
            }),
        };
        register_service_worker();
        store.listen_for_network();
        spawn_local(async move {
            store.load(db_name).await;
            store.run().await;
        });
        store
    }

    /// This browser profile's id: what a consultation answer records as its device.
    pub fn device_id(&self) -> DeviceId {
        self.inner.with_value(|i| i.device_id)
    }

    pub fn snapshot(&self) -> Signal<Snapshot> {
        self.snapshot.into()
    }

    pub fn ready(&self) -> Signal<bool> {
        self.ready.into()
    }

    pub fn status(&self) -> Signal<SyncStatus> {
        self.status.into()
    }

    /// Who this browser is signed in as.
    pub fn session(&self) -> Signal<SessionInfo> {
        self.session.into()
    }

    /// The rules' view of who is using the device: the person signed in, else the registered
    /// tablet it is, else the public.
    pub fn principal(&self) -> Signal<Principal> {
        let session = self.session;
        let tablet = self.tablet;
        Signal::derive(move || {
            session.with(|s| match &s.user {
                Some(u) => u.principal(),
                None => tablet.with(|t| {
                    t.map_or(Principal::Public, |t| Principal::Tablet {
                        id: t.id,
                        partnership: t.partnership_id,
                    })
                }),
            })
        })
    }

    /// The tablet token to sync with: only when no person is signed in on the device.
    fn sync_token(&self) -> Option<String> {
        let signed_in = self.session.with_untracked(|s| s.user.is_some());
        if signed_in { None } else { tablet::token() }
    }

    /// Enrols this browser as the registered tablet whose token is `token` and asks the
    /// server what it is registered for. A token the server does not know (401) is
    /// forgotten; offline, the token is kept and checked at the next chance.
    pub async fn enrol_tablet(&self, token: &str) -> Result<tablet::Registration, ApiError> {
        tablet::enrol(token);
        self.tablet.set(None);
        let info = match api::this_tablet(token).await {
            Ok(info) => info,
            Err(e) => {
                if matches!(e, ApiError::Refused { status: 401, .. }) {
                    tablet::forget();
                }
                return Err(e);
            }
        };
        tablet::remember(&info);
        self.tablet.set(Some(info.identity));
        self.sync_now();
        Ok(info)
    }

    fn set_session(&self, info: SessionInfo) {
        session::remember(&info);
        if self.session.with_untracked(|s| *s != info) {
            self.session.set(info);
        }
    }

    /// Asks the server who this browser is signed in as; keeps what it knew when the server
    /// cannot be reached.
    pub async fn refresh_session(&self) {
        if let Ok(info) = api::session().await {
            self.set_session(info);
        }
    }

    /// Signs in. On success the next sync is a reset: the device pulls what this person may
    /// see, keeping its unsent changes, which are then sent as theirs.
    pub async fn sign_in(&self, details: &SignIn) -> Result<(), SignInError> {
        let info = api::sign_in(details).await?;
        self.set_session(info);
        self.sync_now();
        Ok(())
    }

    /// How many changes on this device the server does not hold: unsent and held.
    pub fn unsent_count(&self) -> usize {
        self.inner.with_value(|i| i.outbox.len()) + self.held.with_untracked(Vec::len)
    }

    /// Asks for a sync and waits (up to 20 seconds) for one that began after asking to
    /// finish. Returns how many changes are still unsent or held.
    pub async fn send_everything(&self) -> usize {
        let deadline = now_ms() + 20_000.0;
        loop {
            let target = self.inner.with_value(|i| i.syncs_started) + 1;
            self.sync_now();
            while self.inner.with_value(|i| i.syncs_finished) < target && now_ms() < deadline {
                sleep(TICK).await;
            }
            // Changes the server's inbox holds are asked about again until they are applied.
            let received = self
                .inner
                .with_value(|i| i.outbox.iter().any(|p| p.received));
            if !received || now_ms() >= deadline {
                return self.unsent_count();
            }
            sleep(OUTCOME_INTERVAL / 4).await;
        }
    }

    /// Every unsent and held change as a rescue file, with the keys signing out may then
    /// forget (exactly the changes in the file).
    pub fn rescue_for_sign_out(&self) -> (atlas_shared::rescue::RescueFile, Rescued) {
        let file = self.rescue_file();
        let outbox = self
            .inner
            .with_value(|i| i.outbox.iter().map(|p| p.key).collect());
        let held = self
            .held
            .with_untracked(|h| h.iter().map(|h| h.key).collect());
        (file, Rescued { outbox, held })
    }

    /// Signs out: ends the session on the server, then clears this device's copy (records,
    /// cursor, scope) and forgets the changes in `rescued`, which were saved in a rescue file
    /// (nothing, when everything had been sent). Any other change stays. With no connection
    /// nothing is cleared: the session could not be ended.
    pub async fn sign_out(&self, rescued: Rescued) -> Result<(), SaveError> {
        match api::sign_out().await {
            Ok(()) => {}
            Err(ApiError::Unreachable) => {
                return Err(SaveError::new(
                    "You need a connection to sign out. Nothing was removed from this device.",
                ));
            }
            Err(e) => {
                return Err(SaveError::new(format!(
                    "You could not be signed out: {}. Nothing was removed from this device.",
                    e.describe()
                )));
            }
        }
        self.set_session(SessionInfo::default());
        // A pull already under way belongs to the old session: its page is dropped (the
        // epoch), and a write it already began commits before the clearing (IndexedDB runs
        // write transactions on the same stores in order).
        let db = self.inner.with_value(|i| i.db.clone());
        self.inner.update_value(|i| i.epoch += 1);
        let cleared = match db {
            Some(db) => db.clear_for_sign_out(&rescued.outbox, &rescued.held).await,
            None => Ok(()),
        };
        self.inner.update_value(|i| {
            i.epoch += 1;
            i.replica = Replica::default();
            i.scope = None;
            i.outbox.retain(|p| !rescued.outbox.contains(&p.key));
            i.kick = true;
        });
        self.forget_held(&rescued.held);
        self.status.update(|s| s.last_synced = None);
        self.refresh_view();
        cleared.map_err(|e| {
            SaveError::new(format!(
                "You are signed out, but this device's copy could not be cleared: {}",
                idb::describe(&e)
            ))
        })
    }

    /// How many consultation responses this device holds that the server has not accepted
    /// yet (what a capture tablet shows). Changes with the outbox.
    pub fn unsent_responses(&self) -> Signal<usize> {
        let store = *self;
        Signal::derive(move || {
            // The status changes whenever the outbox does.
            store.status.with(|s| s.pending);
            store.inner.with_value(|i| {
                i.outbox
                    .iter()
                    .filter(|p| p.mutation.kind == EntityKind::Response)
                    .count()
            })
        })
    }

    /// The kinds of the changes waiting in the outbox, oldest first.
    pub fn unsent_kinds(&self) -> Vec<EntityKind> {
        self.inner
            .with_value(|i| i.outbox.iter().map(|p| p.mutation.kind).collect())
    }

    /// The changes the server refused that this device keeps until the person decides.
    pub fn held(&self) -> Signal<Vec<Held>> {
        self.held.into()
    }

    /// How many consultation answers on this device the server refused (they are kept here).
    pub fn held_responses(&self) -> Signal<usize> {
        let held = self.held;
        Signal::derive(move || {
            held.with(|h| {
                h.iter()
                    .filter(|h| h.mutation.kind == EntityKind::Response)
                    .count()
            })
        })
    }

    /// Sends refused changes again, each as a new mutation (the server answers a mutation id
    /// the same way every time), moving them back to the outbox in one transaction.
    pub async fn send_again(&self, keys: &[f64]) -> Result<usize, SaveError> {
        let again: Vec<(f64, Mutation)> = self.held.with_untracked(|held| {
            held.iter()
                .filter(|h| keys.contains(&h.key) && h.can_send_again())
                .map(|h| {
                    let mut m = h.mutation.clone();
                    m.id = MutationId(new_id());
                    (h.key, m)
                })
                .collect()
        });
        let held_keys: Vec<f64> = again.iter().map(|(k, _)| *k).collect();
        let mutations: Vec<Mutation> = again.into_iter().map(|(_, m)| m).collect();
        let db = self.inner.with_value(|i| i.db.clone());
        let outbox_keys = match &db {
            Some(db) => db.requeue(&held_keys, &mutations).await.map_err(|e| {
                SaveError::new(format!(
                    "The changes could not be moved: {}",
                    idb::describe(&e)
                ))
            })?,
            None => mutations.iter().map(|_| now_ms()).collect(),
        };
        let n = mutations.len();
        self.inner.update_value(|i| {
            for (key, mutation) in outbox_keys.into_iter().zip(mutations) {
                i.outbox.push(Pending::new(key, mutation));
            }
            i.kick = true;
        });
        self.forget_held(&held_keys);
        self.refresh_view();
        Ok(n)
    }

    /// Discards refused changes from this device, for good (the server kept its own copy of
    /// each refusal). Pages ask the person first and say what is lost.
    pub async fn discard_held(&self, keys: &[f64]) -> Result<(), SaveError> {
        let db = self.inner.with_value(|i| i.db.clone());
        if let Some(db) = &db {
            db.discard_held(keys).await.map_err(|e| {
                SaveError::new(format!(
                    "The changes could not be discarded: {}",
                    idb::describe(&e)
                ))
            })?;
        }
        self.forget_held(keys);
        Ok(())
    }

    fn forget_held(&self, keys: &[f64]) {
        self.held.update(|h| h.retain(|h| !keys.contains(&h.key)));
        let n = self.held.with_untracked(Vec::len);
        self.status.update(|s| s.held = n);
    }

    /// Keeps refused changes (already stored under `keys`, or only in memory without a local
    /// database) and tells the person, in groups, in plain words.
    fn keep_held(&self, keys: Vec<f64>, changes: Vec<HeldChange>) {
        if changes.is_empty() {
            return;
        }
        let notices: Vec<String> = group(&changes)
            .iter()
            .map(|g| {
                format!(
                    "{} They are kept on this device: see “This device” to send them again, download them or discard them.",
                    g.sentence()
                )
            })
            .collect();
        let keys = if keys.len() == changes.len() {
            keys
        } else {
            changes.iter().map(|_| now_ms()).collect()
        };
        self.held.update(|h| {
            h.extend(
                keys.into_iter()
                    .zip(changes)
                    .map(|(key, change)| Held::new(key, &change)),
            )
        });
        let n = self.held.with_untracked(Vec::len);
        self.status.update(|s| {
            s.held = n;
            s.notices.extend(notices);
        });
    }

    /// Asks the loop to sync now rather than at its next turn.
    pub fn sync_now(&self) {
        self.inner.update_value(|i| i.kick = true);
    }

    /// Forgets the notices shown to the person.
    pub fn dismiss_notices(&self) {
        self.status.update(|s| s.notices.clear());
    }

    async fn load(&self, db_name: &str) {
        let db = match LocalDb::open(db_name).await {
            Ok(db) => Some(db),
            Err(e) => {
                let why = idb::describe(&e);
                self.status.update(|s| {
                    s.message = Some(format!(
                        "This browser is not keeping a local copy ({why}). Changes are sent \
                         straight away and are lost if the page closes before they are."
                    ));
                });
                None
            }
        };
        if let Some(db) = &db {
            match db.load().await {
                Ok(loaded) => {
                    let device_id = match loaded.device_id {
                        Some(id) => id,
                        None => {
                            let id = DeviceId(new_id());
                            if let Err(e) = db.set_device_id(id).await {
                                web_sys::console::error_1(&e);
                            }
                            id
                        }
                    };
                    self.inner.update_value(|i| {
                        i.device_id = device_id;
                        i.replica.cursor = loaded.cursor;
                        i.scope = loaded.scope;
                        for r in loaded.records {
                            i.replica.records.insert((r.kind, r.id), r);
                        }
                        i.outbox = loaded.outbox;
                    });
                    let held = loaded.held.len();
                    self.held.set(loaded.held);
                    self.status.update(|s| {
                        s.last_synced = loaded.last_synced;
                        s.held = held;
                        if loaded.unreadable > 0 {
                            s.notices.push(unreadable_notice(loaded.unreadable));
                        }
                    });
                }
                Err(e) => {
                    let why = idb::describe(&e);
                    self.status.update(|s| {
                        s.state = SyncState::Error;
                        s.message = Some(format!("The local copy could not be read: {why}"));
                    });
                }
            }
        }
        self.inner.update_value(|i| i.db = db);
        self.refresh_view();
        self.ready.set(true);
        mark_ready();
        self.check_persistence(false).await;
    }

    /// Asks (when `ask`) or checks whether the browser keeps this site's data even under
    /// storage pressure, and shows the answer in the status.
    async fn check_persistence(&self, ask: bool) {
        let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
            return;
        };
        let promise = if ask {
            storage.persist()
        } else {
            storage.persisted()
        };
        let answer = match promise {
            Ok(p) => wasm_bindgen_futures::JsFuture::from(p)
                .await
                .ok()
                .and_then(|v| v.as_bool()),
            Err(_) => None,
        };
        self.status.update(|s| s.persistent = answer);
    }

    /// Asks the browser to keep this site's data even under storage pressure (it may ask the
    /// person, or decide by itself). The answer shows in [`SyncStatus::persistent`].
    pub async fn request_persistent_storage(&self) {
        self.check_persistence(true).await;
    }

    /// Every change on this device that the server has not accepted yet, as a rescue file:
    /// those waiting in the outbox and those the server refused.
    pub fn rescue_file(&self) -> atlas_shared::rescue::RescueFile {
        let (device, mut mutations): (DeviceId, Vec<Mutation>) = self.inner.with_value(|i| {
            (
                i.device_id,
                i.outbox.iter().map(|p| p.mutation.clone()).collect(),
            )
        });
        self.held.with_untracked(|held| {
            mutations.extend(held.iter().map(|h| h.mutation.clone()));
        });
        atlas_shared::rescue::RescueFile::new(device, now_ms() as i64, mutations)
    }

    /// Puts the changes of a rescue file into this device's outbox, skipping any already in
    /// it. The server applies each change at most once, so changes that already arrived (from
    /// the device that wrote the file, or an earlier import) add nothing. Returns how many
    /// changes were added to the outbox.
    pub async fn import_rescue(
        &self,
        file: atlas_shared::rescue::RescueFile,
    ) -> Result<usize, SaveError> {
        let mut added = 0;
        for mutation in file.mutations {
            let known = self
                .inner
                .with_value(|i| i.outbox.iter().any(|p| p.mutation.id == mutation.id));
            if known {
                continue;
            }
            self.enqueue(mutation, None).await?;
            added += 1;
        }
        Ok(added)
    }

    /// Recomputes the snapshot from the replica and the outbox.
    fn refresh_view(&self) {
        let snap = self.inner.with_value(|i| {
            let mutations: Vec<Mutation> = i.outbox.iter().map(|p| p.mutation.clone()).collect();
            i.replica.view(&mutations)
        });
        self.snapshot.set(snap);
        self.refresh_status();
    }

    /// The status's counts of changes waiting, and of those the server has received.
    fn refresh_status(&self) {
        let (pending, received) = self.inner.with_value(|i| {
            let received = i.outbox.iter().filter(|p| p.received).count();
            (i.outbox.len(), received)
        });
        self.status.update(|s| {
            s.pending = pending;
            s.received = received;
            if s.state == SyncState::Synced && pending > 0 {
                s.state = SyncState::Pending;
            }
        });
    }

    /// Checks the record `draft` holds (made from the typed record by [`Draft::of`]), stores
    /// the change in the outbox and shows it.
    pub async fn save(&self, id: Uuid, draft: Draft) -> Result<(), SaveError> {
        if let Err(e) = &draft.check {
            return Err(SaveError {
                message: e.to_string(),
                fields: e.field_errors().to_vec(),
            });
        }
        let kind = draft.kind;
        let key = (kind, id);
        // Read what is needed without copying the whole snapshot (it can hold thousands of
        // consultation answers).
        let (missing, current, base_version) = self.snapshot.with_untracked(|snap| {
            (
                draft
                    .references
                    .iter()
                    .copied()
                    .find(|r| !snap.contains(*r)),
                snap.fields(key).cloned(),
                snap.base_version(key),
            )
        });
        if let Some(reference) = missing {
            return Err(SaveError::new(format!(
                "The {} this refers to no longer exists.",
                reference.0.noun()
            )));
        }
        let patch: Map<String, Value> = match &current {
            None => draft.fields.clone(),
            Some(now) => {
                // Inserted one by one: `collect` would compile a sort for the entries.
                let mut patch = Map::new();
                for (k, v) in &draft.fields {
                    if now.get(k) != Some(v) {
                        patch.insert(k.clone(), v.clone());
                    }
                }
                patch
            }
        };
        if patch.is_empty() {
            return Ok(());
        }
        let mutation = Mutation {
            id: MutationId(new_id()),
            kind,
            record_id: id,
            op: Op::Upsert {
                base_version,
                fields: patch,
            },
        };
        self.enqueue(mutation, Some(&draft)).await
    }

    /// Deletes a record; what refers to it goes too (here at once, on the server when synced).
    pub async fn delete(&self, kind: EntityKind, id: Uuid) -> Result<(), SaveError> {
        let (exists, base_version, answers) = self.snapshot.with_untracked(|snap| {
            (
                snap.contains((kind, id)),
                snap.base_version((kind, id)),
                snap.answers_held_by((kind, id)),
            )
        });
        if !exists {
            return Err(SaveError::new(format!(
                "This {} has already been deleted.",
                kind.noun()
            )));
        }
        if kind == EntityKind::Response {
            return Err(SaveError::new(
                "A resident's answer is never deleted. A moderator can hide it instead.",
            ));
        }
        if answers > 0 {
            let instead = if kind.can_be_archived() {
                " Archive it instead: it is closed and left out of lists, and can be restored."
            } else {
                ""
            };
            return Err(SaveError::new(format!(
                "This {} cannot be deleted: {answers} residents' answers belong to it, and \
                 answers are never deleted with it.{instead}",
                kind.noun()
            )));
        }
        let mutation = Mutation {
            id: MutationId(new_id()),
            kind,
            record_id: id,
            op: Op::Delete { base_version },
        };
        self.enqueue(mutation, None).await
    }

    /// Stores `mutation` in the outbox and shows it. `draft` is the saved record, when it is
    /// an upsert a page made: the view can then take the one change in place.
    async fn enqueue(&self, mutation: Mutation, draft: Option<&Draft>) -> Result<(), SaveError> {
        let db = self.inner.with_value(|i| i.db.clone());
        let key = match db {
            Some(db) => db.append(&mutation).await.map_err(|e| {
                SaveError::new(format!(
                    "Your change could not be stored on this device: {}",
                    idb::describe(&e)
                ))
            })?,
            // No local database: keep it in memory and send it as soon as possible.
            None => now_ms(),
        };
        // Most writes at an event are answers: lay the one change on the view rather than
        // rebuilding it from every record (what keeps a save fast on a full tablet).
        let mut laid = false;
        if let Some(draft) = draft {
            self.snapshot.update(|snap| {
                laid = self
                    .inner
                    .with_value(|i| i.replica.apply_to_view(snap, &mutation, draft));
            });
        }
        self.inner.update_value(|i| {
            i.outbox.push(Pending::new(key, mutation));
            i.kick = true;
        });
        if !laid {
            self.refresh_view();
        }
        let pending = self.inner.with_value(|i| i.outbox.len());
        self.status.update(|s| {
            s.pending = pending;
            if s.state != SyncState::Syncing {
                s.state = if s.online {
                    SyncState::Pending
                } else {
                    SyncState::Offline
                };
            }
        });
        Ok(())
    }

    fn listen_for_network(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let store = *self;
        // `pageshow` also covers a page restored from the back-forward cache, which may be stale.
        for event in ["online", "offline", "pageshow"] {
            EventListener::new(&window, event, move |_| {
                let online = navigator_online();
                store.status.update(|s| s.online = online);
                if online {
                    store.sync_now();
                }
            })
            // The listeners live as long as the page.
            .forget();
        }
    }

    /// The sync loop: runs for the life of the page.
    async fn run(&self) {
        self.refresh_session().await;
        // A registered tablet learns whether it was withdrawn or registered afresh.
        if let Some(token) = tablet::token()
            && let Ok(info) = api::this_tablet(&token).await
        {
            tablet::remember(&info);
            self.tablet.set(Some(info.identity));
        }
        let mut next_due = 0.0;
        // Failed syncs in a row: each waits longer (see `atlas_shared::retry`).
        let mut failures = 0u32;
        loop {
            let kicked = self.inner.with_value(|i| i.kick);
            if kicked || now_ms() >= next_due {
                self.inner.update_value(|i| {
                    i.kick = false;
                    i.syncs_started += 1;
                });
                let outcome = self.sync_once().await;
                self.inner.update_value(|i| i.syncs_finished += 1);
                let (waiting, all_received) = self
                    .inner
                    .with_value(|i| (!i.outbox.is_empty(), i.outbox.iter().all(|p| p.received)));
                let wait = match outcome {
                    Ok(()) => {
                        failures = 0;
                        match (waiting, all_received) {
                            (false, _) => QUIET_INTERVAL,
                            (true, true) => OUTCOME_INTERVAL,
                            (true, false) => RETRY_INTERVAL,
                        }
                    }
                    Err(failure) => {
                        failures = failures.saturating_add(1);
                        retry_delay(failures, failure, js_sys::Math::random())
                    }
                };
                next_due = now_ms() + wait.as_millis() as f64;
            }
            sleep(TICK).await;
        }
    }

    fn set_state(&self, state: SyncState, message: Option<String>) {
        self.status.update(|s| {
            s.state = state;
            s.message = message;
            s.online = navigator_online();
        });
    }

    /// Pushes the outbox, then pulls. Says why not, when not both succeeded, for the wait
    /// before the next try.
    async fn sync_once(&self) -> Result<(), RetryFailure> {
        let reader = self
            .session
            .with_untracked(|s| s.user.as_ref().map(|u| u.email.clone()))
            .unwrap_or_default();
        self.set_state(SyncState::Syncing, None);
        let result = match self.push_all().await {
            // Nothing was sent without a session, and the changes wait in the outbox; what
            // the public may read still arrives.
            Err(SyncFailure::SignIn) => {
                self.refresh_session().await;
                self.pull_all().await.and(Err(SyncFailure::SignIn))
            }
            // The changes wait in the outbox; what others changed still arrives.
            Err(SyncFailure::PartNotLoaded) => {
                self.pull_all().await.and(Err(SyncFailure::PartNotLoaded))
            }
            Err(e) => Err(e),
            Ok(()) => self.pull_all().await,
        };
        match result {
            Ok(()) => {
                let pending = self.inner.with_value(|i| i.outbox.len());
                let state = if pending == 0 {
                    SyncState::Synced
                } else {
                    SyncState::Pending
                };
                self.status.update(|s| {
                    s.state = state;
                    s.message = None;
                    s.last_synced = Some(now_ms());
                    s.pending = pending;
                });
                mark_synced_as(&reader);
                Ok(())
            }
            Err(SyncFailure::Network(ApiError::Unreachable)) => {
                self.set_state(
                    SyncState::Offline,
                    Some("Can't reach the server. Changes are kept on this device and sent when it's back.".into()),
                );
                Err(RetryFailure::Unreachable)
            }
            Err(SyncFailure::Network(ApiError::Refused { status, body }))
                if status == 429 || (500..600).contains(&status) =>
            {
                self.set_state(
                    SyncState::Error,
                    Some(
                        "The server is busy for a moment. Changes are kept on this device, \
                         and it tries again by itself shortly."
                            .into(),
                    ),
                );
                Err(RetryFailure::Busy {
                    retry_after_secs: body.retry_after_secs,
                })
            }
            Err(SyncFailure::SignIn) => {
                let n = self.inner.with_value(|i| i.outbox.len());
                let what = if n == 1 {
                    "your change".to_owned()
                } else {
                    format!("your {n} changes")
                };
                self.set_state(
                    SyncState::SignIn,
                    Some(format!(
                        "Sign in to send {what}. They are kept on this device until then."
                    )),
                );
                self.status.update(|s| s.pending = n);
                Err(RetryFailure::Busy {
                    retry_after_secs: None,
                })
            }
            Err(SyncFailure::Network(e)) => {
                self.set_state(SyncState::Error, Some(e.describe()));
                Err(RetryFailure::Busy {
                    retry_after_secs: None,
                })
            }
            Err(SyncFailure::Tablet(why)) => {
                let n = self.inner.with_value(|i| i.outbox.len());
                self.set_state(SyncState::Error, Some(why));
                self.status.update(|s| s.pending = n);
                Err(RetryFailure::Busy {
                    retry_after_secs: None,
                })
            }
            Err(SyncFailure::Storage(why)) => {
                self.set_state(
                    SyncState::Error,
                    Some(format!("The local copy could not be updated: {why}")),
                );
                Err(RetryFailure::Busy {
                    retry_after_secs: None,
                })
            }
            Err(SyncFailure::PartNotLoaded) => {
                let n = self.inner.with_value(|i| i.outbox.len());
                self.set_state(
                    SyncState::Error,
                    Some(
                        "This device could not download the part of Partnership Atlas that \
                         sends changes. They are kept on this device, and it tries again by \
                         itself shortly."
                            .into(),
                    ),
                );
                self.status.update(|s| s.pending = n);
                Err(RetryFailure::Busy {
                    retry_after_secs: None,
                })
            }
        }
    }

    /// Sends the outbox, when anything is in it. The code that sends and settles changes is
    /// a part of the app of its own (`send`), fetched the first time there is something to
    /// send: a visitor who only reads never downloads it. A part that cannot be fetched leaves
    /// the outbox as it is, and the sync loop tries again.
    async fn push_all(&self) -> Result<(), SyncFailure> {
        if self.inner.with_value(|i| i.outbox.is_empty()) {
            return Ok(());
        }
        match send::start(*self).await {
            Ok(sending) => sending.await,
            Err(PartNotLoaded) => Err(SyncFailure::PartNotLoaded),
        }
    }

    /// [`Self::push_all`]'s work: first asks what became of changes the server's inbox
    /// received, then hands the rest off in batches (or pushes them, to a server without an
    /// inbox).
    async fn send_outbox(&self) -> Result<(), SyncFailure> {
        self.ask_outcomes().await?;
        loop {
            let (batch, device_id, db, inbox) = self.inner.with_value(|i| {
                let unsent = i.outbox.iter().filter(|p| !p.received);
                // As many as fit in one push, by count and by bytes.
                let sizes = unsent
                    .clone()
                    .map(|p| serde_json::to_string(&p.mutation).map_or(usize::MAX, |t| t.len()));
                let n = push_batch_len(sizes);
                let batch: Vec<Pending> = unsent.take(n).cloned().collect();
                // Pushed straight only when nothing waits in an inbox, so the server applies
                // this device's changes in the order they were made.
                let inbox = i.inbox && !i.outbox.iter().any(|p| p.received);
                (batch, i.device_id, i.db.clone(), inbox)
            });
            if batch.is_empty() {
                return Ok(());
            }
            let mutations: Vec<Mutation> = batch.iter().map(|p| p.mutation.clone()).collect();
            let token = self.sync_token();
            if inbox {
                match api::hand_off(device_id, &mutations, token.as_deref()).await {
                    Ok(_) => {
                        // Stored on the server: the outcomes arrive with a later sync.
                        self.inner.update_value(|i| {
                            for p in i.outbox.iter_mut() {
                                if batch.iter().any(|b| b.key == p.key) {
                                    p.received = true;
                                }
                            }
                        });
                        self.refresh_status();
                        continue;
                    }
                    Err(e) if api::no_such_route(&e) => {
                        self.no_inbox();
                        continue;
                    }
                    Err(e) => {
                        self.batch_refused(e, &batch, token.is_some(), db.as_ref())
                            .await?;
                        continue;
                    }
                }
            }
            let response = match api::push(device_id, &mutations, token.as_deref()).await {
                Ok(r) => r,
                Err(e) => {
                    self.batch_refused(e, &batch, token.is_some(), db.as_ref())
                        .await?;
                    continue;
                }
            };
            let settled = batch
                .into_iter()
                .zip(response.results)
                .map(|(p, r)| (p, r.outcome))
                .collect();
            self.settle(settled, db.as_ref()).await?;
        }
    }

    /// The server has no inbox (it is older than the inbox, or one instance of several not
    /// yet upgraded): push straight from now on, and send what it was thought to hold again
    /// (a change is applied once however often it arrives).
    fn no_inbox(&self) {
        self.inner.update_value(|i| {
            i.inbox = false;
            for p in i.outbox.iter_mut() {
                p.received = false;
            }
        });
    }

    /// Asks the server what became of the changes its inbox received, and settles each one
    /// it has applied or refused. Those it still holds wait for the next sync; those it knows
    /// nothing of are sent again.
    async fn ask_outcomes(&self) -> Result<(), SyncFailure> {
        loop {
            let (asked, device_id, db) = self.inner.with_value(|i| {
                let asked: Vec<Pending> = i
                    .outbox
                    .iter()
                    .filter(|p| p.received)
                    .take(MAX_MUTATIONS_PER_PUSH)
                    .cloned()
                    .collect();
                (asked, i.device_id, i.db.clone())
            });
            if asked.is_empty() {
                return Ok(());
            }
            let ids = asked.iter().map(|p| p.mutation.id).collect();
            let token = self.sync_token();
            let response = match api::outcomes(device_id, ids, token.as_deref()).await {
                Ok(r) => r,
                Err(e) if api::no_such_route(&e) => {
                    self.no_inbox();
                    return Ok(());
                }
                Err(ApiError::Refused { status: 401, body }) if token.is_some() => {
                    return Err(SyncFailure::Tablet(body.error));
                }
                Err(e) => return Err(SyncFailure::Network(e)),
            };
            if response.fates.len() != asked.len()
                || asked
                    .iter()
                    .zip(&response.fates)
                    .any(|(p, f)| p.mutation.id != f.mutation_id)
            {
                return Err(SyncFailure::Network(ApiError::Unreadable(
                    "the server answered about other changes than those asked about".to_owned(),
                )));
            }
            let mut settled = Vec::new();
            let mut waiting = false;
            let mut unknown = Vec::new();
            for (p, f) in asked.iter().zip(response.fates) {
                match f.fate {
                    Fate::Settled { outcome } => settled.push((p.clone(), outcome)),
                    Fate::Refused { error } => self.set_aside(p, &error, db.as_ref()).await?,
                    Fate::Pending => waiting = true,
                    Fate::Unknown => unknown.push(p.key),
                }
            }
            if !unknown.is_empty() {
                self.inner.update_value(|i| {
                    for p in i.outbox.iter_mut().filter(|p| unknown.contains(&p.key)) {
                        p.received = false;
                    }
                });
            }
            self.settle(settled, db.as_ref()).await?;
            if waiting || asked.len() < MAX_MUTATIONS_PER_PUSH {
                return Ok(());
            }
        }
    }

    /// What to do when the server refused a whole `batch` (pushed or handed off): set aside
    /// the one change it named, so the rest can go (`Ok`), or stop this sync and say why.
    /// Nothing of a refused batch was applied or stored, and it stays in the outbox.
    async fn batch_refused(
        &self,
        error: ApiError,
        batch: &[Pending],
        as_tablet: bool,
        db: Option<&LocalDb>,
    ) -> Result<(), SyncFailure> {
        match error {
            ApiError::Refused { status: 422, body } if body.mutation_id.is_some() => {
                // The server found one change invalid and refused the batch. Set that one
                // change aside (telling the person) so the rest can go.
                match batch
                    .iter()
                    .find(|p| Some(p.mutation.id) == body.mutation_id)
                {
                    Some(bad) => self.set_aside(bad, &body, db).await,
                    None => Err(SyncFailure::Network(ApiError::Refused {
                        status: 422,
                        body,
                    })),
                }
            }
            // The server does not know this tablet: the changes stay in the outbox and the
            // status says why.
            ApiError::Refused { status: 401, body } if as_tablet => {
                Err(SyncFailure::Tablet(body.error))
            }
            // Changes need a session: they stay in the outbox, exactly as they are, until the
            // person signs in.
            ApiError::Refused { status: 401, .. } => Err(SyncFailure::SignIn),
            ApiError::Refused { status: 413, body } if batch.len() == 1 => {
                // One change too large for any push: held, so the rest can go.
                self.set_aside(&batch[0], &body, db).await
            }
            e => Err(SyncFailure::Network(e)),
        }
    }

    /// Takes changes the server has settled out of the outbox: an applied one updates the
    /// local copy (unless a pull already brought that version or a later one), a rejected
    /// one is held for the person, or saved as the next version of its questionnaire.
    async fn settle(
        &self,
        settled: Vec<(Pending, Outcome)>,
        db: Option<&LocalDb>,
    ) -> Result<(), SyncFailure> {
        if settled.is_empty() {
            return Ok(());
        }
        let mut done = Vec::with_capacity(settled.len());
        let mut put = Vec::new();
        let mut remove = Vec::new();
        let mut notices = Vec::new();
        let mut hold = Vec::new();
        let mut resave = Vec::new();
        self.inner.update_value(|i| {
            for (pending, outcome) in &settled {
                done.push(pending.key);
                let m = &pending.mutation;
                match outcome {
                    Outcome::Applied {
                        version,
                        overwritten,
                    } => {
                        if !overwritten.is_empty() {
                            let names: Vec<&str> =
                                overwritten.iter().map(|o| o.field.as_str()).collect();
                            notices.push(format!(
                                "Someone else had also changed this {} ({}); your version was kept and theirs is in the history.",
                                m.kind.noun(),
                                names.join(", ")
                            ));
                        }
                        let current = i.replica.records.get(&(m.kind, m.record_id));
                        if current.is_some_and(|r| r.version >= *version) {
                            // A pull already brought this change, or a later one.
                            continue;
                        }
                        match &m.op {
                            Op::Upsert { fields, .. } => {
                                let mut merged =
                                    current.map(|r| (*r.fields).clone()).unwrap_or_default();
                                merged.extend(fields.clone());
                                let record = ServerRecord {
                                    kind: m.kind,
                                    id: m.record_id,
                                    version: *version,
                                    fields: merged.into(),
                                };
                                i.replica
                                    .records
                                    .insert((m.kind, m.record_id), record.clone());
                                put.push(record);
                            }
                            Op::Delete { .. } => {
                                i.replica.records.remove(&(m.kind, m.record_id));
                                remove.push((m.kind, m.record_id));
                            }
                        }
                    }
                    Outcome::Rejected { reason, message } => {
                        let held = HeldChange {
                            mutation: m.clone(),
                            refusal: Refusal::Rejected {
                                reason: reason.clone(),
                            },
                            server_message: message.clone(),
                            held_at: now_ms() as i64,
                        };
                        match next_version_of(&i.replica, m, reason) {
                            Some(next) => resave.push((next, held)),
                            None => hold.push(held),
                        }
                    }
                }
            }
            i.outbox.retain(|p| !done.contains(&p.key));
        });
        let held_keys = match db {
            Some(db) => db
                .acknowledge(&done, &put, &remove, &hold)
                .await
                .map_err(|e| SyncFailure::Storage(idb::describe(&e)))?,
            None => Vec::new(),
        };
        self.keep_held(held_keys, hold);
        // An edit the device could not save as the next version is held like any other
        // refused change, so it is never lost.
        let mut unsaved = Vec::new();
        for ((id, questionnaire), held) in resave {
            let version = questionnaire.version;
            match self.save(id.0, Draft::of(questionnaire)).await {
                Ok(()) => notices.push(format!(
                    "Residents may already be answering the questionnaire, so your changes were saved as version {version}. The answers given stay with the version they answered."
                )),
                Err(_) => unsaved.push(held),
            }
        }
        if !unsaved.is_empty() {
            let stored = match db {
                Some(db) => db.acknowledge(&[], &[], &[], &unsaved).await,
                None => Ok(Vec::new()),
            };
            // Shown (and in the rescue file) even if the local database failed just now.
            let failed = stored.as_ref().err().map(idb::describe);
            self.keep_held(stored.unwrap_or_default(), unsaved);
            if let Some(why) = failed {
                return Err(SyncFailure::Storage(why));
            }
        }
        if !notices.is_empty() {
            self.status.update(|s| s.notices.extend(notices));
        }
        self.refresh_view();
        Ok(())
    }

    /// Moves `bad`, a change the server refused whole, from the outbox to the changes that
    /// need attention, in one local transaction.
    async fn set_aside(
        &self,
        bad: &Pending,
        body: &atlas_shared::ErrorBody,
        db: Option<&LocalDb>,
    ) -> Result<(), SyncFailure> {
        web_sys::console::error_2(
            &JsValue::from_str("Partnership Atlas: the server refused a change"),
            &JsValue::from_str(&serde_json::to_string(&bad.mutation).unwrap_or_default()),
        );
        let change = HeldChange {
            mutation: bad.mutation.clone(),
            refusal: Refusal::Invalid {
                fields: body.fields.clone(),
            },
            server_message: body.error.clone(),
            held_at: now_ms() as i64,
        };
        let keys = match db {
            Some(db) => db
                .acknowledge(&[bad.key], &[], &[], std::slice::from_ref(&change))
                .await
                .map_err(|e| SyncFailure::Storage(idb::describe(&e)))?,
            None => Vec::new(),
        };
        let key = bad.key;
        self.inner
            .update_value(|i| i.outbox.retain(|p| p.key != key));
        self.keep_held(keys, vec![change]);
        self.refresh_view();
        Ok(())
    }

    async fn pull_all(&self) -> Result<(), SyncFailure> {
        let mut resets = 0;
        // After a reset: the reader's copy under their new scope, pulled page by page beside
        // the one on screen, which stays (and opens offline) until this one is whole.
        let mut fresh: Option<Fresh> = None;
        loop {
            let (since, scope, epoch, db) = self.inner.with_value(|i| match &fresh {
                Some(f) => (
                    f.replica.cursor,
                    Some(f.scope.clone()),
                    f.epoch,
                    i.db.clone(),
                ),
                None => (i.replica.cursor, i.scope.clone(), i.epoch, i.db.clone()),
            });
            let token = self.sync_token();
            let page = match api::pull(since, scope.as_deref(), token.as_deref()).await {
                Ok(page) => page,
                // A withdrawn (or unknown) tablet reads nothing more; it keeps what it holds.
                Err(ApiError::Refused { status: 401, body }) if token.is_some() => {
                    return Err(SyncFailure::Tablet(body.error));
                }
                Err(e) => return Err(SyncFailure::Network(e)),
            };
            if self.inner.with_value(|i| i.epoch) != epoch {
                // The copy was dropped (signed out) while this page travelled: it belongs to
                // the old scope. Start again under the new one.
                fresh = None;
                continue;
            }
            if page.reset {
                // The reader's scope changed: pull everything they may see now from the
                // start, keeping the copy on screen (and the outbox and the held changes)
                // until the new one has arrived whole.
                resets += 1;
                if resets > 3 {
                    return Err(SyncFailure::Network(ApiError::Unreadable(
                        "the server keeps asking for the copy to be fetched again".to_owned(),
                    )));
                }
                fresh = Some(Fresh {
                    replica: Replica::default(),
                    scope: page.scope,
                    epoch,
                });
                continue;
            }
            if let Some(mut f) = fresh.take() {
                for change in &page.changes {
                    f.replica.apply_change(change);
                }
                if page.cursor > f.replica.cursor {
                    f.replica.cursor = page.cursor;
                }
                f.scope = page.scope;
                if page.more {
                    fresh = Some(f);
                    continue;
                }
                let Fresh { replica, scope, .. } = f;
                if let Some(db) = &db {
                    db.replace_copy(replica.records.values(), replica.cursor, &scope, now_ms())
                        .await
                        .map_err(|e| SyncFailure::Storage(idb::describe(&e)))?;
                }
                if self.inner.with_value(|i| i.epoch) != epoch {
                    // Signed out while the copy was stored: sign-out's clearing, queued after
                    // it, empties storage too. Start again under the new scope.
                    continue;
                }
                self.inner.update_value(|i| {
                    i.epoch += 1;
                    i.replica = replica;
                    i.scope = Some(scope);
                });
                self.settle_arrived_answers().await?;
                self.refresh_view();
                return Ok(());
            }
            let mut put = Vec::new();
            let mut remove = Vec::new();
            self.inner.update_value(|i| {
                i.scope = Some(page.scope.clone());
                for change in &page.changes {
                    match i.replica.apply_change(change) {
                        Some(record) => put.push(record),
                        None => remove.push((change.kind, change.id)),
                    }
                }
                if page.cursor > i.replica.cursor {
                    i.replica.cursor = page.cursor;
                }
            });
            if let Some(db) = &db {
                let cursor = self.inner.with_value(|i| i.replica.cursor);
                db.apply_pull(&put, &remove, cursor, &page.scope, now_ms())
                    .await
                    .map_err(|e| SyncFailure::Storage(idb::describe(&e)))?;
            }
            if !page.changes.is_empty() {
                self.settle_arrived_answers().await?;
                self.refresh_view();
            }
            if !page.more {
                return Ok(());
            }
        }
    }
}

/// A reader's whole copy being pulled afresh after a reset, under `scope`, while the copy of
/// the `epoch` it began in stays on screen.
struct Fresh {
    replica: Replica,
    scope: String,
    epoch: u64,
}

/// What the person is told when the device holds `n` changes this version cannot read: they
/// were saved by a newer version of the app (on this device, before it was rolled back, or
/// in another tab that has updated). They stay where they are, and a reload brings the
/// version that sends them.
fn unreadable_notice(n: usize) -> String {
    if n == 1 {
        "1 change on this device was saved by a newer version of Partnership Atlas, and this version cannot read it. It is kept on this device: reload the page to update the app and send it.".to_owned()
    } else {
        format!(
            "{n} changes on this device were saved by a newer version of Partnership Atlas, and this version cannot read them. They are kept on this device: reload the page to update the app and send them."
        )
    }
}

impl Store {
    /// Answers held on this device that the server now holds after all (a manager counted the
    /// server's copy of a refused answer, or a rescue file brought it from elsewhere) need no
    /// one's attention any more: they leave the list, and the person is told.
    async fn settle_arrived_answers(&self) -> Result<(), SyncFailure> {
        let arrived: Vec<f64> = self.inner.with_value(|i| {
            self.held.with_untracked(|held| {
                held.iter()
                    .filter(|h| {
                        let m = &h.mutation;
                        let (EntityKind::Response, Op::Upsert { fields, .. }) = (m.kind, &m.op)
                        else {
                            return false;
                        };
                        // The same answer: what the resident said, when (not a different
                        // record that happens to share the id).
                        i.replica
                            .records
                            .get(&(m.kind, m.record_id))
                            .is_some_and(|stored| {
                                ["answers", "captured_at"]
                                    .iter()
                                    .all(|f| stored.fields.get(*f) == fields.get(*f))
                            })
                    })
                    .map(|h| h.key)
                    .collect()
            })
        });
        if arrived.is_empty() {
            return Ok(());
        }
        let db = self.inner.with_value(|i| i.db.clone());
        if let Some(db) = &db {
            db.discard_held(&arrived)
                .await
                .map_err(|e| SyncFailure::Storage(idb::describe(&e)))?;
        }
        self.forget_held(&arrived);
        let n = arrived.len();
        let what = atlas_shared::attention::count_changes(EntityKind::Response, n);
        let verb = if n == 1 { "has" } else { "have" };
        self.status.update(|s| {
            s.notices.push(format!(
                "{what} held on this device {verb} reached the partnership after all (a manager counted the server's copy). Nothing more to do."
            ))
        });
        Ok(())
    }
}

/// When the server refused an edit of a questionnaire version because residents may be
/// answering it, the same edit as the next version: the device's whole record with the edit
/// laid on it, under a new id, numbered after the highest version this device knows.
fn next_version_of(
    replica: &Replica,
    m: &Mutation,
    reason: &Rejection,
) -> Option<(QuestionnaireId, Questionnaire)> {
    let (Rejection::VersionInUse { .. }, EntityKind::Questionnaire, Op::Upsert { fields, .. }) =
        (reason, m.kind, &m.op)
    else {
        return None;
    };
    let mut merged = replica
        .records
        .get(&(m.kind, m.record_id))
        .map(|r| (*r.fields).clone())
        .unwrap_or_default();
    merged.extend(fields.clone());
    let Ok(mut q) = from_fields::<Questionnaire>(m.kind, &merged) else {
        return None;
    };
    let highest = replica
        .records
        .values()
        .filter(|r| r.kind == EntityKind::Questionnaire)
        .filter_map(|r| match from_fields::<Questionnaire>(r.kind, &r.fields) {
            Ok(other) if other.consultation_id == q.consultation_id => Some(other.version),
            _ => None,
        })
        .max()
        .unwrap_or(q.version);
    q.version = highest.max(q.version).saturating_add(1);
    q.opened_for_answers = false;
    Some((QuestionnaireId(new_id()), q))
}

enum SyncFailure {
    /// The server takes these changes only from someone signed in (401): kept, unsent.
    SignIn,
    Network(ApiError),
    Storage(String),
    /// The server refused this registered tablet (withdrawn, or not registered), in its
    /// words: nothing of the outbox or the held changes is dropped.
    Tablet(String),
    /// The part of the app that sends changes could not be fetched: nothing was sent.
    PartNotLoaded,
}

/// The split point of the part that sends the outbox ([`Store::push_all`]): only it reaches
/// the sending, the outcomes and the settling of changes, so they go into `split_send.wasm`
/// (see `crate::parts`). Without the `split` feature it is a plain function.
mod send {
    use std::future::Future;
    use std::pin::Pin;

    use super::{Store, SyncFailure};
    use crate::parts::PartNotLoaded;

    /// The outbox being sent.
    pub type Sending = Pin<Box<dyn Future<Output = Result<(), SyncFailure>>>>;

    fn sending(store: Store) -> Sending {
        Box::pin(async move { store.send_outbox().await })
    }

    #[cfg(feature = "split")]
    #[allow(unsafe_code)]
    #[::leptos::wasm_split::wasm_split(send, fallible, wasm_split_path = ::leptos::wasm_split)]
    pub fn start(store: Store) -> Result<Sending, PartNotLoaded> {
        Ok(sending(store))
    }

    #[cfg(not(feature = "split"))]
    pub async fn start(store: Store) -> Result<Sending, PartNotLoaded> {
        Ok(sending(store))
    }
}

async fn sleep(duration: Duration) {
    gloo_timers::future::sleep(duration).await;
}

fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    let promise = container.register("/sw.js");
    spawn_local(async move {
        if let Err(e) = wasm_bindgen_futures::JsFuture::from(promise).await {
            web_sys::console::warn_2(
                &JsValue::from_str("Partnership Atlas: the offline cache is not available"),
                &e,
            );
        }
    });
}

/// Tells end-to-end tests (and anything else watching) that the local copy has loaded.
fn mark_ready() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-atlas-ready", "true");
    }
}

/// Tells end-to-end tests whose copy the device holds: the email address of the person the
/// last successful sync was made for (empty for the public), on `<html data-atlas-synced-as>`.
fn mark_synced_as(email: &str) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-atlas-synced-as", email);
    }
}
