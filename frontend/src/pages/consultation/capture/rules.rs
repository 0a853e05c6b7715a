//! The pure rules behind kiosk mode: the staff PIN and what a kiosk does after a spell with
//! nobody touching it. Plain functions of their inputs (no clock, no storage), so tests call
//! them directly.

use std::time::Duration;

use atlas_shared::FieldError;

/// The shortest and longest staff PIN, in digits.
pub const PIN_DIGITS: std::ops::RangeInclusive<usize> = 4..=8;

/// Checks a new kiosk PIN typed twice: 4 to 8 digits, the same both times. Errors name the
/// field to fix (`kiosk-new-pin` or `kiosk-new-pin-again`).
pub fn check_new_pin(first: &str, again: &str) -> Result<String, FieldError> {
    let first = first.trim();
    if !PIN_DIGITS.contains(&first.chars().count()) || !first.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::new(
            "kiosk-new-pin",
            "Enter a PIN of 4 to 8 digits, using only the numbers 0 to 9",
        ));
    }
    if again.trim() != first {
        return Err(FieldError::new(
            "kiosk-new-pin-again",
            "The two PINs do not match: enter the same PIN twice",
        ));
    }
    Ok(first.to_owned())
}

/// Whether `entered` is the PIN stored on this tablet. With no PIN stored (its storage was
/// cleared), nothing matches: the way out is then reloading after clearing site data.
pub fn pin_matches(stored: Option<&str>, entered: &str) -> bool {
    stored.is_some_and(|s| !s.is_empty() && s == entered.trim())
}

/// How long a kiosk waits with nobody touching it before it discards a half-finished answer.
pub const KIOSK_IDLE_LIMIT: Duration = Duration::from_secs(90);
/// How long before that it asks "Are you still there?".
pub const KIOSK_IDLE_WARNING: Duration = Duration::from_secs(15);

/// What a kiosk does after a spell with nobody touching it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Idle {
    /// Someone is using it, or nothing has been started.
    Active,
    /// Ask whether anyone is still there; the answer is discarded in this many seconds.
    Warn { seconds_left: u64 },
    /// Discard the half-finished answer and start again.
    Reset,
}

/// The kiosk's clock: how long it waits, when it warns, how often it looks. Kiosk mode takes
/// it from context when one is provided (tests use seconds), else the default: 90 s, a warning
/// 15 s before, a look every second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KioskTiming {
    pub idle_limit: Duration,
    pub warning: Duration,
    pub tick: Duration,
}

impl Default for KioskTiming {
    fn default() -> Self {
        Self {
            idle_limit: KIOSK_IDLE_LIMIT,
            warning: KIOSK_IDLE_WARNING,
            tick: Duration::from_secs(1),
        }
    }
}

impl KioskTiming {
    /// The kiosk's decision `now_ms` after the last touch at `last_touch_ms`, when an answer
    /// has (`started`) or has not been begun. An untouched form is never "reset": there is
    /// nothing to discard.
    pub fn state(&self, last_touch_ms: f64, now_ms: f64, started: bool) -> Idle {
        if !started {
            return Idle::Active;
        }
        let idle = (now_ms - last_touch_ms).max(0.0);
        let limit = self.idle_limit.as_millis() as f64;
        let warn_from = limit - self.warning.as_millis() as f64;
        if idle >= limit {
            Idle::Reset
        } else if idle >= warn_from {
            Idle::Warn {
                seconds_left: ((limit - idle) / 1000.0).ceil() as u64,
            }
        } else {
            Idle::Active
        }
    }
}

/// [`KioskTiming::state`] with the default timing.
pub fn idle_state(last_touch_ms: f64, now_ms: f64, started: bool) -> Idle {
    KioskTiming::default().state(last_touch_ms, now_ms, started)
}
