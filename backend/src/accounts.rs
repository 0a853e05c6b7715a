//! People and their sessions, apart from HTTP: password hashing (Argon2id with OWASP's
//! parameters), session tokens (random, only their SHA-256 stored), the lifetimes of a session
//! and the throttle on signing in. The routes are in `http/session.rs`; the rules of who may
//! see and change what are `atlas_shared::accounts`, the same in the browser.
//!
//! Session lifetimes: a session ends after [`SESSION_IDLE_MS`] without a request (12 hours: a
//! working day, so a manager who leaves a laptop overnight signs in again) and at most
//! [`SESSION_ABSOLUTE_MS`] after it began (7 days), whatever its use; at sign-out; and when
//! its person is disabled. Changes made offline after that wait in the device's outbox until
//! the person signs in again.

use std::sync::{Arc, LazyLock};
use std::time::{SystemTime, UNIX_EPOCH};

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use atlas_shared::accounts::{Grants, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, Role};
use atlas_shared::{PartnershipId, uuid_v7};
use base64::Engine as _;
use password_hash::SaltString;
use password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;
use uuid::Uuid;

use crate::db::{Database, DbError, NewUser};

/// How long a session lasts without a request.
pub const SESSION_IDLE_MS: i64 = 12 * 60 * 60 * 1000;
/// How long a session lasts at most.
pub const SESSION_ABSOLUTE_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// The window the sign-in throttle counts failures in.
pub const THROTTLE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failures of one account from one address in the window before that pair must wait.
pub const MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS: u64 = 5;
/// Failures from one address (any accounts) in the window before that address must wait.
pub const MAX_FAILURES_PER_ADDRESS: u64 = 30;
/// Failures of one account (any addresses) in the window past which it is slowed, not locked:
/// one try per [`SLOWED_ACCOUNT_GAP_MS`], so an attacker can slow a person's sign-in but never
/// shut them out.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 50;
pub const SLOWED_ACCOUNT_GAP_MS: i64 = 30 * 1000;

/// The server's clock, in ms since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// An email address as accounts are keyed by: trimmed and lower-cased.
pub fn normal_email(email: &str) -> String {
    email.trim().to_lowercase()
}

fn argon2() -> Argon2<'static> {
    // OWASP's first recommended Argon2id setting: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes running at once: one per core. Each holds [`argon2`]'s 19 MiB while it runs, and a
/// hash is all CPU, so more at once would only share the cores and multiply the memory (50
/// people signing in together would otherwise take about a gigabyte).
static HASHERS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    Arc::new(Semaphore::new(cores))
});

/// Runs `work` (a [`hash_password`] or [`verify_password`]) off the async threads, on
/// tokio's blocking pool, once it has a turn among [`HASHERS`].
pub async fn hashing<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<T> {
    let turn = Arc::clone(&HASHERS)
        .acquire_owned()
        .await
        .map_err(std::io::Error::other)?;
    tokio::task::spawn_blocking(move || {
        // The turn is held until the hash is done, even if the request has gone meanwhile.
        let _turn = turn;
        work()
    })
    .await
    .map_err(std::io::Error::other)
}

/// The PHC string of `password` (Argon2id, a fresh salt). Slow on purpose: call it off the
/// async threads ([`hashing`]).
pub fn hash_password(password: &str) -> Result<String, password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(argon2()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Whether `password` matches the stored PHC string. Slow on purpose, like [`hash_password`].
pub fn verify_password(stored: &str, password: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(hash) => argon2().verify_password(password.as_bytes(), &hash).is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when no account has the email, so that a wrong email takes as
/// long as a wrong password and the timing tells nobody which addresses have accounts.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("not anyone's password").unwrap_or_default())
}

/// A new session token (32 random bytes, URL-safe base64) and the hash stored for it.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// What is stored for a token: its SHA-256 in hex.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Why a password cannot be an account's.
pub fn check_new_password(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(format!(
            "Use a password of at least {MIN_PASSWORD_CHARS} characters (it has {n}); three \
             random words make a good one"
        ));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(format!(
            "Use a password of at most {MAX_PASSWORD_CHARS} characters"
        ));
    }
    Ok(())
}

/// Why a (normalised) email address cannot be an account's.
pub fn check_email(email: &str) -> Result<(), String> {
    if !email.contains('@') || email.chars().count() > 254 {
        return Err("Enter an email address, like name@example.org".to_owned());
    }
    Ok(())
}

/// The longest name an account may have.
pub const MAX_NAME_CHARS: usize = 200;

/// Why a (trimmed) name cannot be an account's.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("Enter the person's name".to_owned());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "Enter a name of at most {MAX_NAME_CHARS} characters"
        ));
    }
    Ok(())
}

/// Failed sign-ins counted in the throttle's window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Failures {
    pub account_and_address: u64,
    pub address: u64,
    pub account: u64,
    /// The latest failure of the account from anywhere, ms since the epoch.
    pub account_latest_ms: Option<i64>,
}

impl Failures {
    /// How long to wait before the next try, in seconds; `None` when it may go ahead.
    pub fn wait_seconds(&self, now: i64) -> Option<u64> {
        if self.account_and_address >= MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS
            || self.address >= MAX_FAILURES_PER_ADDRESS
        {
            return Some((THROTTLE_WINDOW_MS / 1000) as u64);
        }
        if self.account >= MAX_FAILURES_PER_ACCOUNT
            && let Some(latest) = self.account_latest_ms
        {
            let wait = latest + SLOWED_ACCOUNT_GAP_MS - now;
            if wait > 0 {
                return Some(((wait + 999) / 1000) as u64);
            }
        }
        None
    }
}

/// Creates an account (hashing its password) with `roles`; the id is new.
pub async fn create_user(
    db: &dyn Database,
    email: &str,
    name: &str,
    password: &str,
    grants: Grants,
) -> Result<Uuid, CreateUserError> {
    check_new_password(password).map_err(CreateUserError::Password)?;
    let email = normal_email(email);
    check_email(&email).map_err(CreateUserError::Email)?;
    let name = name.trim().to_owned();
    check_name(&name).map_err(CreateUserError::Name)?;
    let password = password.to_owned();
    let password_hash = hashing(move || hash_password(&password))
        .await
        .map_err(|e| CreateUserError::Hash(e.to_string()))?
        .map_err(|e| CreateUserError::Hash(e.to_string()))?;
    let mut random = [0u8; 10];
    OsRng.fill_bytes(&mut random);
    let id = uuid_v7(u64::try_from(now_ms()).unwrap_or_default(), random);
    let roles: Vec<(PartnershipId, Role)> = grants.roles.into_iter().collect();
    db.create_user(&NewUser {
        id,
        email,
        name,
        password_hash,
        admin: grants.admin,
        created_at: now_ms(),
        roles,
    })
    .await
    .map_err(CreateUserError::Db)?;
    Ok(id)
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("{0}")]
    Password(String),
    #[error("{0}")]
    Email(String),
    #[error("{0}")]
    Name(String),
    #[error("could not hash the password: {0}")]
    Hash(String),
    #[error(transparent)]
    Db(DbError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse battery").unwrap_or_default();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password(&hash, "correct horse battery"));
        assert!(!verify_password(&hash, "correct horse battery "));
        assert!(!verify_password("not a hash", "correct horse battery"));
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash_a, token_hash(&a));
        assert_eq!(hash_a.len(), 64);
        assert!(!hash_a.contains(&a));
    }

    #[test]
    fn the_throttle_slows_a_guessed_account_but_never_locks_it() {
        let now = 1_000_000;
        let pair = Failures {
            account_and_address: MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS,
            ..Failures::default()
        };
        assert!(pair.wait_seconds(now).is_some());
        let many = Failures {
            account: MAX_FAILURES_PER_ACCOUNT,
            account_latest_ms: Some(now - 1000),
            ..Failures::default()
        };
        assert_eq!(many.wait_seconds(now), Some(29));
        assert_eq!(many.wait_seconds(now + SLOWED_ACCOUNT_GAP_MS), None);
        assert_eq!(Failures::default().wait_seconds(now), None);
    }
}
