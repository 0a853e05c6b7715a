//! Partnership Atlas's server, as a library so that the integration tests start the real app
//! in-process (see `tests/`), and `main.rs` is only the command line around it.
//!
//! * [`config`]: the settings (flags with environment fallbacks).
//! * [`db`]: the [`db::Database`] trait and its SQLite implementation: records, the change
//!   sequence, the merge rule applied in one transaction per push.
//! * [`http`]: the axum routes (`/api/sync/push`, `/api/sync/pull`, `/api/health`) and the
//!   built frontend, the security headers, and the connection loop with its limits.
//! * [`demo`]: the demo partnerships from the seed papers, loaded into a new database.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use tokio::net::TcpListener;

pub mod accounts;
pub mod config;
pub mod db;
pub mod demo;
pub mod http;
pub mod totp;

pub use config::Config;
pub use db::Database;

/// A server that has opened its database and bound its address, ready to [`Server::run`].
pub struct Server {
    listener: TcpListener,
    addr: SocketAddr,
    db: Arc<dyn Database>,
    app: axum::Router,
    limits: http::serve::Limits,
}

impl Server {
    /// Opens (creating and migrating) the database, loads the demo data into an empty one
    /// unless asked not to, and binds the address.
    pub async fn start(config: &Config) -> anyhow::Result<Self> {
        tracing::info!(?config, "starting Partnership Atlas");
        let db = db::connect(&config.database_url).await.with_context(|| {
            format!(
                "could not open the database {}",
                config::redact(&config.database_url)
            )
        })?;
        if !config.demo_data {
            tracing::debug!("demo data not asked for (--demo-data)");
        } else if demo::load_if_empty(db.as_ref())
            .await
            .context("could not load the demo data")?
        {
            tracing::info!("loaded the demo partnerships into the new database");
        }
        db.refresh_published_results()
            .await
            .context("could not bring the published results up to date")?;
        if !config.dist.join("index.html").is_file() {
            tracing::warn!(
                dist = %config.dist.display(),
                "the frontend has not been built (no index.html); the API works, pages answer \
                 503 until it is: run `cargo xtask run`"
            );
        }
        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("could not listen on {}", config.addr))?;
        let addr = listener.local_addr()?;
        let app = http::app(
            db.clone(),
            config.dist.clone(),
            config.request_timeout,
            config.https,
            &config.trusted_proxies,
        );
        Ok(Self {
            listener,
            addr,
            db,
            app,
            limits: http::serve::Limits {
                header_read_timeout: config.header_read_timeout,
                max_concurrent_requests: config.max_concurrent_requests,
            },
        })
    }

    /// The address actually bound (its port is chosen by the system when asked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The database, for tests and tools that run beside the server.
    pub fn database(&self) -> Arc<dyn Database> {
        self.db.clone()
    }

    /// Serves until `shutdown` completes, then lets requests in flight finish and closes the
    /// database (see [`http::serve`] for the connections' limits).
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        http::serve::serve(self.listener, self.app, self.limits, shutdown).await;
        self.db.close().await;
        Ok(())
    }
}
