//! How long a device waits before it tries to sync again after a failure, so that a server
//! (or its database) that is busy or restarting is not hammered by every tablet at once, and
//! a device still comes back quickly when the failure was brief.
//!
//! The rule ([`retry_delay`]): after the first failure in a row, [`RETRY_FIRST`]; each further
//! failure doubles it, up to a ceiling: [`RETRY_MAX_UNREACHABLE`] when the server could not be
//! reached at all (nothing is loaded by trying, and a tablet back in signal should not wait
//! long), [`RETRY_MAX_BUSY`] when the server answered that it is busy or failing (a 429 or a
//! 5xx). The delay is then spread by ±20 % (`jitter`, from 0 to 1) so devices that failed
//! together do not all come back in the same second. When the server said how long to wait
//! (`Retry-After`, also in the error body as `retry_after_secs`), the device waits at least
//! that long, up to [`RETRY_AFTER_LIMIT`]. A change the person makes meanwhile still starts a
//! sync at once: the delay only spaces the device's own retries.

use std::time::Duration;

/// The wait after the first failure.
pub const RETRY_FIRST: Duration = Duration::from_secs(3);
/// The longest wait between tries while the server cannot be reached.
pub const RETRY_MAX_UNREACHABLE: Duration = Duration::from_secs(15);
/// The longest wait between tries while the server answers that it is busy or failing.
pub const RETRY_MAX_BUSY: Duration = Duration::from_secs(60);
/// The most a device waits because the server said so (a mistaken header must not silence a
/// device for days).
pub const RETRY_AFTER_LIMIT: Duration = Duration::from_secs(60 * 60);

/// Why the last sync failed, as far as the wait is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No answer: no network, or the server is down.
    Unreachable,
    /// The server answered that it is busy or failing (429, 5xx), perhaps saying how long
    /// to wait, in seconds.
    Busy { retry_after_secs: Option<u32> },
}

/// How long to wait before the next try after `failures` failed syncs in a row (at least 1),
/// the last of them `last`; `jitter` is a number from 0 to 1 (out-of-range values are
/// clamped).
pub fn retry_delay(failures: u32, last: Failure, jitter: f64) -> Duration {
    let ceiling = match last {
        Failure::Unreachable => RETRY_MAX_UNREACHABLE,
        Failure::Busy { .. } => RETRY_MAX_BUSY,
    };
    let doublings = failures.saturating_sub(1).min(16);
    let backoff = RETRY_FIRST.saturating_mul(1u32 << doublings).min(ceiling);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let spread = backoff.mul_f64(0.8 + 0.4 * jitter);
    match last {
        Failure::Busy {
            retry_after_secs: Some(secs),
        } => spread.max(Duration::from_secs(u64::from(secs)).min(RETRY_AFTER_LIMIT)),
        _ => spread,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const BUSY: Failure = Failure::Busy {
        retry_after_secs: None,
    };

    #[test]
    fn the_wait_doubles_from_three_seconds_up_to_its_ceiling() {
        let waits: Vec<u64> = (1..=7)
            .map(|n| retry_delay(n, BUSY, 0.5).as_secs())
            .collect();
        assert_eq!(waits, [3, 6, 12, 24, 48, 60, 60]);
        let unreachable: Vec<u64> = (1..=5)
            .map(|n| retry_delay(n, Failure::Unreachable, 0.5).as_secs())
            .collect();
        assert_eq!(unreachable, [3, 6, 12, 15, 15]);
    }

    #[test]
    fn the_servers_retry_after_is_a_floor_and_is_capped() {
        let said = |secs| Failure::Busy {
            retry_after_secs: Some(secs),
        };
        assert_eq!(retry_delay(1, said(30), 0.5), Duration::from_secs(30));
        assert_eq!(retry_delay(1, said(1), 0.5), Duration::from_secs(3));
        assert_eq!(retry_delay(1, said(u32::MAX), 0.5), RETRY_AFTER_LIMIT);
    }

    #[test]
    fn jitter_spreads_by_a_fifth_either_way_and_bad_jitter_is_harmless() {
        assert_eq!(retry_delay(2, BUSY, 0.0), Duration::from_millis(4800));
        assert_eq!(retry_delay(2, BUSY, 1.0), Duration::from_millis(7200));
        assert_eq!(retry_delay(2, BUSY, f64::NAN), Duration::from_secs(6));
        assert_eq!(retry_delay(2, BUSY, 7.0), Duration::from_millis(7200));
        assert_eq!(
            retry_delay(0, BUSY, 0.5),
            Duration::from_secs(3),
            "0 counts as 1"
        );
    }

    proptest! {
        #[test]
        fn the_wait_is_bounded_and_never_shrinks_as_failures_grow(
            failures in 1u32..u32::MAX,
            jitter in 0.0f64..=1.0,
            busy in any::<bool>(),
            said in proptest::option::of(any::<u32>()),
        ) {
            let last = if busy { Failure::Busy { retry_after_secs: said } } else { Failure::Unreachable };
            let now = retry_delay(failures, last, jitter);
            let next = retry_delay(failures.saturating_add(1), last, jitter);
            prop_assert!(next >= now);
            prop_assert!(now >= RETRY_FIRST.mul_f64(0.8));
            prop_assert!(now <= RETRY_AFTER_LIMIT.max(RETRY_MAX_BUSY.mul_f64(1.2)));
        }
    }
}
