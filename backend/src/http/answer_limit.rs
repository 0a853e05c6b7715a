//! How many answers one address may send through public links without signing in: at most
//! [`ANSWERS_PER_ADDRESS`] in any [`WINDOW`]. A resident answers once; a library computer or a
//! council office behind one address serves a few dozen in an hour; a script filling the
//! results with made-up answers is stopped at that many. Over the limit the whole push is
//! refused (429, with `Retry-After`), before anything is stored: the browser keeps the answers
//! in its outbox and sends them when the window has moved on, so none is lost.
//!
//! Signed-in people and registered tablets are not limited here: they are accountable, and a
//! tablet back from a day's event sends hundreds at once.
//!
//! The counts live in this process's memory. With several server instances behind a load
//! balancer each counts on its own (so the limit is per instance); the PostgreSQL work moves
//! them to the database.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Answers one address may send without signing in, per [`WINDOW`].
pub const ANSWERS_PER_ADDRESS: usize = 30;
/// The sliding window the limit counts in.
pub const WINDOW: Duration = Duration::from_secs(60 * 60);
/// Past this many addresses, those with nothing in the window are forgotten.
const TIDY_ABOVE: usize = 10_000;

/// The answers each address sent in the last [`WINDOW`], as the times they arrived.
#[derive(Debug, Default)]
pub struct AnswerLimit {
    sent: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl AnswerLimit {
    /// Takes `n` answers from `address` at `now` if the limit allows all of them; otherwise
    /// takes none and says how many seconds until it would.
    pub fn take(&self, address: &str, n: usize, now: Instant) -> Result<(), u64> {
        let mut sent = self
            .sent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if sent.len() > TIDY_ABOVE {
            sent.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < WINDOW)
            });
        }
        let times = sent.entry(address.to_owned()).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            times.pop_front();
        }
        if times.len() + n <= ANSWERS_PER_ADDRESS {
            times.extend(std::iter::repeat_n(now, n));
            return Ok(());
        }
        // The wait until enough of the oldest have left the window (the whole window when
        // `n` alone is over the limit: the browser sends fewer at a time after that).
        let must_leave = (times.len() + n).saturating_sub(ANSWERS_PER_ADDRESS);
        let wait = match times.get(must_leave.saturating_sub(1)) {
            Some(t) if n <= ANSWERS_PER_ADDRESS => WINDOW.saturating_sub(now.duration_since(*t)),
            _ => WINDOW,
        };
        Err(wait.as_secs().max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_may_send_the_limit_and_then_waits_for_the_oldest_to_leave_the_window() {
        let limit = AnswerLimit::default();
        let start = Instant::now();
        assert_eq!(
            limit.take("192.0.2.1", ANSWERS_PER_ADDRESS - 1, start),
            Ok(())
        );
        let later = start + Duration::from_secs(600);
        assert_eq!(limit.take("192.0.2.1", 1, later), Ok(()));
        // Full: the next waits until the first batch leaves the window, 50 minutes on.
        assert_eq!(limit.take("192.0.2.1", 1, later), Err(3000));
        // Another address is not affected.
        assert_eq!(limit.take("192.0.2.2", 1, later), Ok(()));
        // After the window the first batch has gone and there is room again.
        let next_hour = start + WINDOW;
        assert_eq!(
            limit.take("192.0.2.1", ANSWERS_PER_ADDRESS - 1, next_hour),
            Ok(())
        );
        assert_eq!(limit.take("192.0.2.1", 1, next_hour), Err(600));
    }

    #[test]
    fn a_refused_push_takes_nothing() {
        let limit = AnswerLimit::default();
        let now = Instant::now();
        assert_eq!(
            limit.take("192.0.2.1", ANSWERS_PER_ADDRESS + 1, now),
            Err(3600)
        );
        assert_eq!(limit.take("192.0.2.1", ANSWERS_PER_ADDRESS, now), Ok(()));
    }
}
