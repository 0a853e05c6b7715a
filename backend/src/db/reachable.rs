//! Whether the PostgreSQL server can be reached, so that while it is gone (stopped,
//! restarting, failing over, cut off) requests are answered 503 at once instead of waiting for
//! a connection that will not come. A server that stops is noticed within a second or two (its
//! connections close and new ones are refused); one cut off from the network without a word,
//! within about ten (twice [`PATIENCE`], and [`EVERY`]).
//!
//! Why a watcher: sqlx's pool takes a refused connection for a server still starting and
//! keeps trying until its acquire timeout, so every request would hang that long (30 s)
//! before its 503. Shortening that timeout is no cure: it also bounds the wait for a
//! connection of a pool that is merely busy (fifty tablets pushing at once queue for eight
//! connections and are served in turn), which must not fail. So a watcher holds one
//! connection of its own, outside the pool, and asks it to answer every [`EVERY`]. When it
//! does not, and a new connection cannot be opened either, the database is unreachable until
//! one can: [`Reachability::lost`] resolves meanwhile, and the API answers at once (see
//! `http::while_reachable`), cutting off the requests waiting for it. A push cut off is rolled
//! back (its transaction dropped), or had committed just before; either way the device sends
//! it again and its mutation ids make it apply once.

use std::time::Duration;

use sqlx::Connection as _;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use tokio::sync::watch;
use tokio::task::AbortHandle;

/// How often the watcher asks the database to answer.
const EVERY: Duration = Duration::from_secs(1);
/// How long an answer or a new connection may take before the watcher gives up on it: long
/// enough for a loaded server, so a busy database is never taken for a lost one.
const PATIENCE: Duration = Duration::from_secs(5);

/// The watcher of one database; it stops when this is dropped.
pub struct Reachability {
    /// `true` while the database can be reached.
    reachable: watch::Receiver<bool>,
    watcher: AbortHandle,
}

impl Reachability {
    /// Starts watching the database `options` connects to, taking it as reachable (it has
    /// just been connected to). Must be called within the Tokio runtime.
    pub fn watch(options: PgConnectOptions) -> Self {
        let (tell, reachable) = watch::channel(true);
        let watcher = tokio::spawn(watching(options, tell)).abort_handle();
        Self { reachable, watcher }
    }

    /// Resolves while the database cannot be reached: at once when it cannot now, else when
    /// it is found so. Never resolves while it can.
    pub async fn lost(&self) {
        let mut reachable = self.reachable.clone();
        if reachable.wait_for(|up| !up).await.is_err() {
            // The watcher has stopped (the database is closing): nothing is known to be lost.
            std::future::pending::<()>().await;
        }
    }

    /// Stops watching (the database is being closed).
    pub fn stop(&self) {
        self.watcher.abort();
    }
}

impl Drop for Reachability {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The watcher: a connection of its own, checked every [`EVERY`]; when it fails, a new one.
async fn watching(options: PgConnectOptions, tell: watch::Sender<bool>) {
    let mut connection: Option<PgConnection> = None;
    loop {
        let answers = match connection.as_mut() {
            Some(c) => matches!(tokio::time::timeout(PATIENCE, c.ping()).await, Ok(Ok(()))),
            None => false,
        };
        if !answers {
            connection =
                match tokio::time::timeout(PATIENCE, PgConnection::connect_with(&options)).await {
                    Ok(Ok(c)) => Some(c),
                    Ok(Err(e)) => {
                        tracing::debug!(error = %e, "the database watcher could not connect");
                        None
                    }
                    Err(_) => None,
                };
        }
        let up = connection.is_some();
        if tell.send_replace(up) != up {
            if up {
                tracing::warn!("the database can be reached again");
            } else {
                tracing::warn!(
                    "the database cannot be reached: requests are answered 503 with \
                     Retry-After until it can"
                );
            }
        }
        tokio::time::sleep(EVERY).await;
    }
}
