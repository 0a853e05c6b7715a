//! How many answers one address may send through public links without signing in: at most
//! [`ANSWERS_PER_ADDRESS`] in any [`WINDOW_MS`]. A resident answers once; a library computer or
//! a council office behind one address serves a few dozen in an hour; a script filling the
//! results with made-up answers is stopped at that many. Over the limit the whole push is
//! refused (429, with `Retry-After`), before anything is stored: the browser keeps the answers
//! in its outbox and sends them when the window has moved on, so none is lost.
//!
//! Signed-in people and registered tablets are not limited here: they are accountable, and a
//! tablet back from a day's event sends hundreds at once.
//!
//! The counts live in the database ([`Database::take_public_answers`]), not in this process's
//! memory, so several server instances behind a load balancer share one limit. The rule (the
//! sliding window, the wait) is here, [`allows`]; the database keeps the counts and makes
//! each take atomic against every instance's.

use crate::db::{Database, DbError, SentAnswers};

/// Answers one address may send without signing in, per [`WINDOW_MS`].
pub const ANSWERS_PER_ADDRESS: u64 = 30;
/// The sliding window the limit counts in: an hour, in ms.
pub const WINDOW_MS: i64 = 60 * 60 * 1000;

/// Takes `n` answers from `address` at `now` (ms since the Unix epoch) if the limit allows all
/// of them; otherwise takes none and says how many seconds until it would.
pub async fn take(
    db: &dyn Database,
    address: &str,
    n: usize,
    now: i64,
) -> Result<Result<(), u64>, DbError> {
    let n = u64::try_from(n).unwrap_or(u64::MAX);
    db.take_public_answers(address, n, now, now - WINDOW_MS, &|sent| {
        allows(sent, n, now)
    })
    .await
}

/// Whether `n` more answers at `now` fit with those `sent` in the window (oldest first), or
/// the seconds until they would: until enough of the oldest have left the window (the whole
/// window when `n` alone is over the limit: the browser sends fewer at a time after that).
pub fn allows(sent: &[SentAnswers], n: u64, now: i64) -> Result<(), u64> {
    let in_window: u64 = sent.iter().map(|s| s.count).sum();
    if in_window.saturating_add(n) <= ANSWERS_PER_ADDRESS {
        return Ok(());
    }
    let must_leave = (in_window + n).saturating_sub(ANSWERS_PER_ADDRESS);
    let mut left = 0;
    let until = sent.iter().find_map(|s| {
        left += s.count;
        (left >= must_leave).then_some(s.at)
    });
    let wait_ms = match until {
        Some(at) if n <= ANSWERS_PER_ADDRESS => WINDOW_MS.saturating_sub(now - at),
        _ => WINDOW_MS,
    };
    Err(u64::try_from(wait_ms / 1000).unwrap_or(0).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A start time, ms since the Unix epoch.
    const START: i64 = 1_262_700_000_000;

    async fn database() -> std::sync::Arc<dyn Database> {
        crate::db::connect("sqlite::memory:")
            .await
            .expect("an in-memory database")
    }

    async fn take_at(db: &dyn Database, address: &str, n: usize, now: i64) -> Result<(), u64> {
        take(db, address, n, now)
            .await
            .expect("the database answers")
    }

    #[tokio::test]
    async fn an_address_may_send_the_limit_and_then_waits_for_the_oldest_to_leave_the_window() {
        let db = database().await;
        let db = db.as_ref();
        let limit = ANSWERS_PER_ADDRESS as usize;
        assert_eq!(take_at(db, "192.0.2.1", limit - 1, START).await, Ok(()));
        let later = START + 600_000;
        assert_eq!(take_at(db, "192.0.2.1", 1, later).await, Ok(()));
        // Full: the next waits until the first batch leaves the window, 50 minutes on.
        assert_eq!(take_at(db, "192.0.2.1", 1, later).await, Err(3000));
        // Another address is not affected.
        assert_eq!(take_at(db, "192.0.2.2", 1, later).await, Ok(()));
        // After the window the first batch has gone and there is room again.
        let next_hour = START + WINDOW_MS;
        assert_eq!(take_at(db, "192.0.2.1", limit - 1, next_hour).await, Ok(()));
        assert_eq!(take_at(db, "192.0.2.1", 1, next_hour).await, Err(600));
    }

    #[tokio::test]
    async fn a_refused_push_takes_nothing() {
        let db = database().await;
        let db = db.as_ref();
        let limit = ANSWERS_PER_ADDRESS as usize;
        assert_eq!(take_at(db, "192.0.2.1", limit + 1, START).await, Err(3600));
        assert_eq!(take_at(db, "192.0.2.1", limit, START).await, Ok(()));
    }

    #[tokio::test]
    async fn a_take_forgets_every_addresss_answers_older_than_the_window() {
        let db = database().await;
        let db = db.as_ref();
        assert_eq!(take_at(db, "192.0.2.1", 5, START).await, Ok(()));
        assert_eq!(take_at(db, "192.0.2.2", 5, START).await, Ok(()));
        // An hour on, a third address's take tidies both away.
        assert_eq!(take_at(db, "192.0.2.3", 1, START + WINDOW_MS).await, Ok(()));
        for address in ["192.0.2.1", "192.0.2.2"] {
            let seen = std::sync::Mutex::new(None);
            let asked = db
                .take_public_answers(address, 1, START, START - WINDOW_MS, &|sent| {
                    if let Ok(mut seen) = seen.lock() {
                        *seen = Some(sent.to_vec());
                    }
                    Err(1)
                })
                .await
                .expect("the database answers");
            assert_eq!(asked, Err(1));
            let seen = seen.into_inner().expect("not poisoned");
            assert_eq!(seen, Some(Vec::new()), "{address}'s answers are forgotten");
        }
    }
}
