//! Who this browser was last signed in as, remembered in `localStorage` (never synced), so the
//! header names the person while the device is offline. The server's cookie decides what
//! the person may do; this copy only labels the page and chooses which links to offer.

use atlas_shared::accounts::SessionInfo;

const SESSION_KEY: &str = "atlas.session";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The session last seen on this browser; signed out when none was remembered.
pub fn remembered() -> SessionInfo {
    local_storage()
        .and_then(|s| s.get_item(SESSION_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Remembers `session` (or forgets it, when nobody is signed in).
pub fn remember(session: &SessionInfo) {
    let Some(storage) = local_storage() else {
        return;
    };
    let _ = match (&session.user, serde_json::to_string(session)) {
        (Some(_), Ok(text)) => storage.set_item(SESSION_KEY, &text),
        _ => storage.remove_item(SESSION_KEY),
    };
}
