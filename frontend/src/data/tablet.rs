//! What a tablet remembers for taking answers, in this browser's `localStorage` only (never
//! synced): the kiosk's staff PIN, the event last used for a consultation, and which
//! consultation's kiosk mode is on.

use atlas_shared::ConsultationId;

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
