//! What a tablet remembers for taking answers, in this browser's `localStorage` only (never
//! synced): the kiosk's staff PIN, the event last used for a consultation, which
//! consultation's kiosk mode is on, and, on a registered tablet, its token (sent as a bearer
//! token on push and pull) and what it is registered for.

use atlas_shared::ConsultationId;
use atlas_shared::accounts::tablets::{TabletIdentity, TabletInfo};

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn local_get(key: &str) -> Option<String> {
    local_storage().and_then(|s| s.get_item(key).ok().flatten())
}

fn local_set(key: &str, value: &str) {
    if let Some(s) = local_storage() {
        let _ = s.set_item(key, value);
    }
}

fn local_remove(key: &str) {
    if let Some(s) = local_storage() {
        let _ = s.remove_item(key);
    }
}

/// The staff PIN of this tablet's kiosk mode: kept only in this browser.
pub const PIN_KEY: &str = "atlas.kiosk.pin";

fn event_key(c: ConsultationId) -> String {
    format!("atlas.capture.{c}.event")
}

fn kiosk_active_key(c: ConsultationId) -> String {
    format!("atlas.kiosk.{c}.active")
}

/// The event this tablet last took answers at for `c` (an event id as text), if any.
pub fn remembered_event(c: ConsultationId) -> Option<String> {
    local_get(&event_key(c))
}

/// Remembers `event` as the one this tablet takes answers at for `c`.
pub fn remember_event(c: ConsultationId, event: &str) {
    local_set(&event_key(c), event);
}

/// The staff PIN set on this tablet, if any.
pub fn stored_pin() -> Option<String> {
    local_get(PIN_KEY)
}

/// Sets the staff PIN of this tablet's kiosk mode.
pub fn set_pin(pin: &str) {
    local_set(PIN_KEY, pin);
}

/// The event `c`'s kiosk mode was started for, when it is on (it survives a reload); never
/// without a PIN to leave it by.
pub fn active_kiosk(c: ConsultationId) -> Option<String> {
    local_get(&kiosk_active_key(c)).filter(|_| stored_pin().is_some())
}

/// Notes that `c`'s kiosk mode is on for `event`.
pub fn start_kiosk(c: ConsultationId, event: &str) {
    local_set(&kiosk_active_key(c), event);
}

/// Kiosk mode of `c` is over: forgets that it is on and the PIN.
pub fn end_kiosk(c: ConsultationId) {
    local_remove(&kiosk_active_key(c));
    local_remove(PIN_KEY);
}

/// A registered tablet's token: what it syncs with when no person is signed in on it.
const TOKEN_KEY: &str = "atlas.tablet.token";
/// What the server last said the tablet is registered for (JSON), to name it offline.
const INFO_KEY: &str = "atlas.tablet.info";

/// This tablet's token, if it was enrolled.
pub fn token() -> Option<String> {
    local_get(TOKEN_KEY).filter(|t| !t.is_empty())
}

/// Enrols this browser as a registered tablet with `token`, forgetting what an earlier
/// enrolment was registered for.
pub fn enrol(token: &str) {
    local_set(TOKEN_KEY, token);
    local_remove(INFO_KEY);
}

/// What the server said this tablet is registered for (`GET /api/tablet`): its identity,
/// which the rules need, and the answer as it came, kept for the page that shows it all.
#[derive(Clone, Debug, PartialEq)]
pub struct Registration {
    pub identity: TabletIdentity,
    json: String,
}

impl Registration {
    /// The server's answer, if it names a tablet; `None` when it does not.
    pub fn read(json: String) -> Option<Self> {
        let identity = serde_json::from_str(&json).ok()?;
        Some(Self { identity, json })
    }

    /// Everything the server said of the tablet.
    pub fn info(&self) -> Result<TabletInfo, serde_json::Error> {
        serde_json::from_str(&self.json)
    }
}

/// Who the server last said this tablet is (its whole answer is kept: [`remember`]).
pub fn remembered() -> Option<TabletIdentity> {
    local_get(INFO_KEY).and_then(|text| serde_json::from_str(&text).ok())
}

/// Remembers what the server says this tablet is registered for.
pub fn remember(registration: &Registration) {
    local_set(INFO_KEY, &registration.json);
}

/// This browser is no registered tablet (its token was not one the server knows).
pub fn forget() {
    local_remove(TOKEN_KEY);
    local_remove(INFO_KEY);
}
