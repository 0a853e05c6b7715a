//! The server's settings: command-line flags, each with an environment variable fallback.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::http::client_address::TrustedProxy;

/// [`Config::header_read_timeout`] unless set.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(20);
/// [`Config::request_timeout`] unless set.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// [`Config::max_concurrent_requests`] unless set.
pub const MAX_CONCURRENT_REQUESTS: usize = 256;

/// Partnership Atlas's server: the sync API and the built frontend.
#[derive(Clone, clap::Parser)]
#[command(name = "atlas-backend", version, about)]
pub struct Config {
    /// The address and port to listen on.
    #[arg(long, env = "ATLAS_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Where the data is stored, e.g. sqlite://data/atlas.db (the file and its folder are
    /// created if missing) or postgres://user:password@host/atlas (the database is created if
    /// missing; several server processes may share it).
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/atlas.db")]
    pub database_url: String,

    /// The built frontend to serve (trunk's output folder).
    #[arg(long, env = "ATLAS_DIST", default_value = "dist")]
    pub dist: PathBuf,

    /// Load the demo partnerships and one demo account per role into a new, empty database,
    /// for trying the app (`cargo xtask run` asks for it). Never on a real deployment: create
    /// its first administrator with `atlas-backend create-admin`.
    #[arg(long, env = "ATLAS_DEMO_DATA")]
    pub demo_data: bool,

    /// The app is served over HTTPS (at a TLS proxy): the session cookie is then named
    /// `__Host-atlas_session` and marked Secure.
    #[arg(long, env = "ATLAS_HTTPS")]
    pub https: bool,

    /// How long a client may take to send a request's headers (and an open connection may
    /// wait idle for its next request) before the connection is closed, e.g. 20s or 500ms.
    #[arg(long, env = "ATLAS_HEADER_READ_TIMEOUT", default_value = "20s", value_parser = parse_duration)]
    pub header_read_timeout: Duration,

    /// How long an API request may take, reading its body included, before it is answered
    /// with a JSON 503, e.g. 60s. A full push (2 MiB) must arrive within it on a slow link.
    #[arg(long, env = "ATLAS_REQUEST_TIMEOUT", default_value = "60s", value_parser = parse_duration)]
    pub request_timeout: Duration,

    /// How many requests are handled at once; more wait for a turn.
    #[arg(long, env = "ATLAS_MAX_CONCURRENT_REQUESTS", default_value_t = MAX_CONCURRENT_REQUESTS,
          value_parser = parse_limit)]
    pub max_concurrent_requests: usize,

    /// A load balancer or reverse proxy in front of the server, by address or network
    /// (10.0.0.5, 10.0.0.0/8; repeat the flag, or separate with commas). Only requests from
    /// these are believed about the client's address in `X-Forwarded-For` (see
    /// `http::client_address`); with none, the connection's address is the client's.
    #[arg(
        long = "trusted-proxy",
        env = "ATLAS_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<TrustedProxy>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do instead of serving.
#[derive(Clone, Debug, clap::Subcommand)]
pub enum Command {
    /// Creates an administrator account (for a real deployment's first sign-in) and exits.
    /// The password is read from the environment variable ATLAS_ADMIN_PASSWORD, or else from
    /// the first line of standard input, so it never appears in the process list.
    CreateAdmin {
        /// The administrator's email address (their sign-in name).
        #[arg(long)]
        email: String,
        /// Their name as others see it.
        #[arg(long)]
        name: String,
    },
}

impl Config {
    /// Settings for a server on `addr` with a database at `database_url`, serving `dist`.
    pub fn new(
        addr: SocketAddr,
        database_url: impl Into<String>,
        dist: impl Into<PathBuf>,
    ) -> Self {
        Self {
            addr,
            database_url: database_url.into(),
            dist: dist.into(),
            demo_data: false,
            https: false,
            command: None,
            header_read_timeout: HEADER_READ_TIMEOUT,
            request_timeout: REQUEST_TIMEOUT,
            max_concurrent_requests: MAX_CONCURRENT_REQUESTS,
            trusted_proxies: Vec::new(),
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("database_url", &redact(&self.database_url))
            .field("dist", &self.dist)
            .field("demo_data", &self.demo_data)
            .field("https", &self.https)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("max_concurrent_requests", &self.max_concurrent_requests)
            .field("trusted_proxies", &self.trusted_proxies)
            .finish()
    }
}

/// A duration as the flags take it: a whole number with `ms` or `s` (`500ms`, `20s`), or of
/// seconds alone (`20`). Zero is refused: it would close every connection at once.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.strip_suffix("ms") {
        Some(number) => (number, "ms"),
        None => (text.strip_suffix('s').unwrap_or(text), "s"),
    };
    let n: u64 = number.trim().parse().map_err(|_| {
        format!(
            "{text:?} is not a duration: write a whole number with ms or s, such as 500ms or 20s"
        )
    })?;
    if n == 0 {
        return Err("the duration must be more than zero".to_owned());
    }
    Ok(match unit {
        "ms" => Duration::from_millis(n),
        _ => Duration::from_secs(n),
    })
}

fn parse_limit(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!(
            "{text:?} is not a number of requests: write a whole number, 1 or more"
        )),
    }
}

/// The database URL with any password replaced, fit for a log line.
pub fn redact(database_url: &str) -> String {
    match url::Url::parse(database_url) {
        Ok(mut url) if url.password().is_some() => {
            if url.set_password(Some("redacted")).is_ok() {
                url.to_string()
            } else {
                "<database URL with a password>".to_owned()
            }
        }
        Ok(_) => database_url.to_owned(),
        // Not parseable as a URL: it might still hold a secret, so show only its scheme.
        Err(_) => {
            let scheme = database_url.split(':').next().unwrap_or_default();
            format!("{scheme}:<redacted>")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn debug_output_redacts_the_database_password() {
        let mut config = Config::new(
            SocketAddr::from(([127, 0, 0, 1], 8080)),
            "postgres://atlas:s3cret-pw@db.example:5432/atlas",
            "dist",
        );
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cret-pw"), "{shown}");
        assert!(shown.contains("atlas:redacted@db.example"), "{shown}");
        config.database_url = "sqlite://data/atlas.db".into();
        assert!(format!("{config:?}").contains("sqlite://data/atlas.db"));
    }

    #[test]
    fn flags_have_the_documented_defaults() {
        let config = Config::try_parse_from(["atlas-backend"]).expect("defaults parse");
        // The environment of the test run may set these; only check what it does not.
        if std::env::var_os("ATLAS_ADDR").is_none() {
            assert_eq!(config.addr.to_string(), "127.0.0.1:8080");
        }
        if std::env::var_os("ATLAS_DIST").is_none() {
            assert_eq!(config.dist, PathBuf::from("dist"));
        }
        // The flags' written defaults are the constants `Config::new` uses.
        if std::env::var_os("ATLAS_HEADER_READ_TIMEOUT").is_none() {
            assert_eq!(config.header_read_timeout, HEADER_READ_TIMEOUT);
        }
        if std::env::var_os("ATLAS_REQUEST_TIMEOUT").is_none() {
            assert_eq!(config.request_timeout, REQUEST_TIMEOUT);
        }
        if std::env::var_os("ATLAS_MAX_CONCURRENT_REQUESTS").is_none() {
            assert_eq!(config.max_concurrent_requests, MAX_CONCURRENT_REQUESTS);
        }
        let config = Config::try_parse_from([
            "atlas-backend",
            "--addr",
            "0.0.0.0:9000",
            "--database-url",
            "sqlite://x.db",
            "--dist",
            "web",
            "--demo-data",
        ])
        .expect("flags parse");
        assert_eq!(config.addr.port(), 9000);
        assert_eq!(config.database_url, "sqlite://x.db");
        assert!(config.demo_data);
        if std::env::var_os("ATLAS_DEMO_DATA").is_none() {
            let bare = Config::try_parse_from(["atlas-backend"]).expect("defaults parse");
            assert!(!bare.demo_data, "a bare server loads no demo data");
        }
    }

    #[test]
    fn timeouts_and_the_request_limit_parse_from_flags() {
        let config = Config::try_parse_from([
            "atlas-backend",
            "--header-read-timeout",
            "500ms",
            "--request-timeout",
            "30s",
            "--max-concurrent-requests",
            "64",
        ])
        .expect("flags parse");
        assert_eq!(config.header_read_timeout, Duration::from_millis(500));
        assert_eq!(config.request_timeout, Duration::from_secs(30));
        assert_eq!(config.max_concurrent_requests, 64);
        assert_eq!(parse_duration("20"), Ok(Duration::from_secs(20)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("soon").is_err());
        assert!(
            Config::try_parse_from(["atlas-backend", "--max-concurrent-requests", "0"]).is_err()
        );
    }
}
