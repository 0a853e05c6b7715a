//! Where records are stored: the [`Database`] trait and its implementations.
//!
//! The trait is deliberately narrow and grouped by what it stores (the records and their change
//! sequence; the server's own health). Handlers hold an `Arc<dyn Database>` and never see SQL.
//! The implementation is chosen from the database URL's scheme at start-up ([`connect`]):
//! `sqlite:` ([`sqlite`]: one file, one machine) or `postgres:`/`postgresql:` ([`postgres`]:
//! one database shared by several server processes).
//!
//! A push is split in three so a second backend writes only its statements: [`rules`] (what a
//! record may be, per kind; no storage), [`push`] (the push loop, the merge, the delete cascade
//! and the bookkeeping of rejections, over the [`push::PushStore`] trait of the statements a
//! backend provides inside one transaction) and the backend itself ([`sqlite`], [`postgres`]:
//! its statements, its connection, pull and the refused-answers queries). What a row means
//! once read (a record, a tablet, a refusal, a pull page's visibility) is shared by both
//! backends in [`rows`].

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use async_trait::async_trait;
use atlas_shared::accounts::tablets::TabletInfo;
use atlas_shared::accounts::{Access, Person, Principal, Role, UserInfo};
use atlas_shared::attention::RefusedAnswer;
use atlas_shared::{
    Entity, EntityKind, FieldError, Mutation, MutationId, MutationResult, PartnershipId,
    PullResponse, Seq,
};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::accounts::Failures;
pub use push::Sender;

pub(crate) mod batch;
pub(crate) mod derived;
mod group;
pub mod inbox;
pub mod postgres;
pub(crate) mod push;
mod reachable;
mod rows;
pub(crate) mod rules;
pub mod sqlite;

pub(crate) use rules::countable_fields;

/// A failure of the storage itself (not of the request): logged, never shown to the client.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("could not migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the stored data is not what this server expects: {0}")]
    Corrupt(String),
    #[error(
        "unsupported database URL scheme {scheme:?}; this build supports sqlite: \
         (for example sqlite://data/atlas.db) and postgres: (for example \
         postgres://atlas@localhost/atlas)"
    )]
    UnsupportedScheme { scheme: String },
    #[error("could not prepare the database file: {0}")]
    Io(#[from] std::io::Error),
    /// A unique value already taken (an account's email).
    #[error("{0}")]
    Conflict(String),
    /// The database server cannot be reached (see [`Database::unreachable`]).
    #[error("the database server cannot be reached")]
    Unreachable,
    /// The push writer has stopped (the server is shutting down): the push was not stored.
    #[error("the server is stopping and stores no more changes")]
    WriterStopped,
    /// One failure answered to several requests (the pushes of a group: see [`group`]).
    #[error(transparent)]
    Shared(Arc<DbError>),
}

impl DbError {
    /// Whether the failure is of the moment (the database busy, restarting or out of
    /// connections, a connection lost, a transaction that lost a race) rather than of the
    /// request or the data: the request, sent again in a while, may well succeed. Nothing was
    /// stored (the transaction rolled back), so the server answers 503 with `Retry-After`
    /// and the device keeps its changes and tries again later.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Sqlx(e) => sqlx_is_transient(e),
            Self::Unreachable | Self::WriterStopped => true,
            Self::Shared(e) => e.is_transient(),
            _ => false,
        }
    }
}

/// See [`DbError::is_transient`]. SQLite's codes: 5 `SQLITE_BUSY` and 6 `SQLITE_LOCKED`
/// (and their extended forms, whose low byte is the primary code). PostgreSQL's SQLSTATEs:
/// class 08 (connection exception), 40001 (serialisation failure), 40P01 (deadlock
/// detected), 53300 (too many connections), 55P03 (a lock not had within `lock_timeout`),
/// 57P01 to 57P03 (the server shutting down, crashed or starting).
fn sqlx_is_transient(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Io(_)
        | sqlx::Error::BeginFailed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            let sqlite_busy = code.parse::<u32>().is_ok_and(|n| matches!(n & 0xff, 5 | 6));
            sqlite_busy
                || code.starts_with("08")
                || matches!(
                    &*code,
                    "40001" | "40P01" | "53300" | "55P03" | "57P01" | "57P02" | "57P03"
                )
        }),
        _ => false,
    }
}

/// Why a push was refused as a whole. When a push fails nothing of it is stored: the
/// transaction rolls back and none of its mutation ids are recorded, so the client can fix the
/// mutation and send the batch again.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// A mutation is not acceptable whatever anyone else did: its fields break a rule, or it
    /// moves a record to another partnership, or ties records of two partnerships together.
    /// This is a client bug (the browser validates with the same rules), answered with 422.
    #[error("{message}")]
    Invalid {
        mutation_id: MutationId,
        message: String,
        fields: Vec<FieldError>,
    },
    /// A mutation that would store a record larger than [`MAX_RECORD_BYTES`](atlas_shared::MAX_RECORD_BYTES), answered with
    /// 422 and the limit, so the client can tell the person what to shorten.
    #[error("{message}")]
    TooLarge {
        mutation_id: MutationId,
        message: String,
        fields: Vec<FieldError>,
        limit_bytes: u64,
    },
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<sqlx::Error> for PushError {
    fn from(e: sqlx::Error) -> Self {
        Self::Database(DbError::Sqlx(e))
    }
}

/// The store of records and their change sequence.
///
/// # Invariants every implementation keeps
/// * A push is applied in ONE transaction: either every mutation of it is settled (applied or
///   rejected, and its id recorded with its result) or, on [`PushError`], nothing is.
/// * A mutation id is settled at most once; a later push carrying it gets the stored result,
///   unless it carries a different change (the digest kept with the id differs: see
///   [`push::PushStore::record_applied_digest`]), which refuses that push.
/// * Each applied change takes the next position of one server-wide sequence **inside the
///   writing transaction**, and commit order equals position order, so that
///   [`Database::pull`] never returns position N while a position below N is still to commit.
///   SQLite gets this from `BEGIN IMMEDIATE` (one writer at a time). **PostgreSQL needs care**:
///   take the position with `UPDATE sync_counter SET seq = seq + 1 RETURNING seq` on the single
///   counter row, never from a `SEQUENCE`/`BIGSERIAL` (those hand out numbers outside the
///   transaction, so a later number can commit first and a reader would skip the earlier one).
///   The counter row's lock then serialises writers from their first change to their commit,
///   which is exactly what makes commit order equal position order. Read the current records
///   with `SELECT ... FOR UPDATE` (or run at SERIALIZABLE) so the merge sees the latest state.
/// * Deleting keeps a tombstone (never removes the row), so a pull can report the deletion
///   and a late edit of the deleted record is recognised. This is the one place a record's
///   row changes meaning rather than content.
#[async_trait]
pub trait Database: Send + Sync + 'static {
    /// The backend's name as reported by `/api/health` ("sqlite", "postgresql").
    fn backend(&self) -> &'static str;

    // --- records and their change sequence -------------------------------------------------

    /// Applies `mutations` in order, in one transaction, and returns one result per mutation.
    /// Each is authorised against `sender`'s principal and the record's partnership as
    /// stored, inside that transaction; one it may not make is rejected
    /// ([`Rejection::NotAllowed`](atlas_shared::Rejection::NotAllowed)) and kept. The push
    /// waits for the backend's writer, which may write it with other pushes waiting, each in a
    /// savepoint of its own, under one commit ([`group`]); its answer comes after that commit.
    async fn push(
        &self,
        sender: Sender,
        mutations: Vec<Mutation>,
    ) -> Result<Vec<MutationResult>, PushError>;

    /// [`push`](Self::push) for the server's own start-up work (the demo data), before it
    /// serves: the same transaction and lock, written in the caller's task rather than by the
    /// writer (see [`group::Writer::push_here`]).
    async fn push_at_start(
        &self,
        sender: Sender,
        mutations: Vec<Mutation>,
    ) -> Result<Vec<MutationResult>, PushError>;

    /// Stores a push (`body`: the request as sent, a [`PushRequest`](atlas_shared::PushRequest)
    /// already checked) in the inbox, to be applied in turn by the writer (see [`group`]'s
    /// "pushes handed off"); returns once it is stored durably. The push is applied as
    /// `sender`, as established now, exactly as [`push`](Self::push) would.
    async fn hand_off(&self, sender: Sender, body: String) -> Result<(), DbError>;

    /// What the database holds of mutation ids sent by `device`: their results, their
    /// refusals, and whether the device still has a push in the inbox. See [`Self::fates`].
    async fn find_mutations(
        &self,
        device: &str,
        ids: &[MutationId],
    ) -> Result<inbox::Found, DbError>;

    /// What became of mutations `device` handed off, in the order of `ids`.
    async fn fates(
        &self,
        device: &str,
        ids: &[MutationId],
    ) -> Result<Vec<atlas_shared::MutationFate>, DbError> {
        inbox::fates(ids, self.find_mutations(device, ids).await?)
    }

    /// What `reader` may see of the records changed after `since`: up to `limit` records
    /// read in version order, tombstones included, and no more of them than fit in
    /// [`MAX_PULL_BYTES`](atlas_shared::MAX_PULL_BYTES) (the first always does: see
    /// [`PullBudget`](atlas_shared::PullBudget)); `more` when cut. The cursor passes records
    /// the reader may not see, so it never stops on them, and a record's visibility is judged
    /// in the same read transaction as the reader's `scope` is computed: a record left out
    /// under one scope is sent after the reset that follows any change of scope. A `scope`
    /// that is not the reader's now (or none past `since` 0) is answered with a reset.
    async fn pull(
        &self,
        reader: &Principal,
        since: Seq,
        limit: usize,
        scope: Option<&str>,
    ) -> Result<PullResponse, DbError>;

    /// Recomputes every consultation's published results (see [`derived`]), storing those
    /// that changed, in one transaction: at start-up, so results made by an older server (or
    /// none at all) are brought up to date. A push refreshes what it touches itself.
    async fn refresh_published_results(&self) -> Result<(), DbError>;

    /// How many records are stored, tombstones included.
    async fn record_count(&self) -> Result<u64, DbError>;

    // --- answers the server refused ------------------------------------------------------

    /// Up to `limit` answers the server refused (as invalid, or rejected because of what others
    /// did) that no manager has counted and that have not arrived since, newest first: each
    /// answer once (its latest refusal), however often it was sent again. `limit` bounds the
    /// refusals read.
    async fn refused_answers(&self, limit: usize) -> Result<Vec<RefusedAnswer>, DbError>;

    /// One refused change by its mutation id, and the version it was stored as if a manager
    /// has counted it.
    async fn refused_change(
        &self,
        id: MutationId,
    ) -> Result<Option<(RefusedAnswer, Option<Seq>)>, DbError>;

    /// Marks every refusal of the record that `id` refused as counted, stored at `version`.
    async fn settle_refused(&self, id: MutationId, version: Seq) -> Result<(), DbError>;

    // --- the history (audit log) ---------------------------------------------------------

    /// Up to `limit` rows of the record history, newest first, each older than row `before`
    /// when given: of every record of a partnership (the partnership itself included), or of
    /// one record.
    async fn history(
        &self,
        of: HistoryOf,
        before: Option<i64>,
        limit: usize,
    ) -> Result<Vec<StoredHistory>, DbError>;

    /// Whether nothing has ever been stored (a new database, ready for the demo data).
    async fn is_empty(&self) -> Result<bool, DbError> {
        Ok(self.record_count().await? == 0)
    }

    // --- people and their sessions --------------------------------------------------------

    /// Stores a new account with its roles. An email already in use is
    /// [`DbError::Conflict`].
    async fn create_user(&self, user: &NewUser) -> Result<(), DbError>;

    /// The account for signing in by `email` (normalised): id, password hash, disabled.
    async fn user_for_sign_in(&self, email: &str) -> Result<Option<(Uuid, String, bool)>, DbError>;

    /// Starts a session for `user` under the token hash, ending at `expires_at`.
    async fn start_session(
        &self,
        token_hash: &str,
        user: Uuid,
        now: i64,
        expires_at: i64,
    ) -> Result<(), DbError>;

    /// The person signed in under the token hash, if the session is still open (not idle
    /// longer than `idle_ms`, not past its end, the person not disabled); marks it used.
    /// An ended session is removed.
    async fn session_user(
        &self,
        token_hash: &str,
        now: i64,
        idle_ms: i64,
    ) -> Result<Option<UserInfo>, DbError>;

    /// Ends a session (sign-out).
    async fn end_session(&self, token_hash: &str) -> Result<(), DbError>;

    /// Disables or enables an account; disabling ends every session of theirs.
    async fn set_disabled(&self, user: Uuid, disabled: bool) -> Result<(), DbError>;

    /// Sets (or with `None` removes) a person's role in a partnership.
    async fn set_role(
        &self,
        user: Uuid,
        partnership: PartnershipId,
        role: Option<Role>,
    ) -> Result<(), DbError>;

    /// Everyone with an account, with all their grants (the handler leaves out whom and
    /// which roles the reader may not see).
    async fn people(&self) -> Result<Vec<Person>, DbError>;

    /// Replaces a person's password hash and ends every session of theirs but `keep` (the
    /// one that changed it).
    async fn set_password(
        &self,
        user: Uuid,
        password_hash: &str,
        keep: Option<&str>,
    ) -> Result<(), DbError>;

    /// A person's two-step key and its state, if they have begun setting it up.
    async fn two_step(&self, user: Uuid) -> Result<Option<TwoStep>, DbError>;

    /// Stores a new, unconfirmed two-step key (base32) for `user`, replacing an unconfirmed
    /// one. `false`, storing nothing, when a confirmed key exists (an administrator resets it).
    async fn begin_two_step(&self, user: Uuid, secret: &str) -> Result<bool, DbError>;

    /// Marks `step` used, if it is later than the last step used: `false` when it is not (a
    /// code used twice). `confirming`: the first code of a setup, which confirms the key;
    /// otherwise only a confirmed key's step is taken.
    async fn use_two_step(
        &self,
        user: Uuid,
        step: i64,
        now: i64,
        confirming: bool,
    ) -> Result<bool, DbError>;

    /// Removes a person's two-step key (a lost phone): they sign in with their password and
    /// set it up again.
    async fn reset_two_step(&self, user: Uuid) -> Result<(), DbError>;

    /// Notes a failed sign-in, forgetting failures older than `forget_before`.
    async fn note_sign_in_failure(
        &self,
        email: &str,
        address: &str,
        now: i64,
        forget_before: i64,
    ) -> Result<(), DbError>;

    /// The failed sign-ins since `since` for the throttle.
    async fn sign_in_failures(
        &self,
        email: &str,
        address: &str,
        since: i64,
    ) -> Result<Failures, DbError>;

    // --- answers sent without signing in ---------------------------------------------------

    /// Takes `count` answers sent through public links from `address` at `now` (ms), if
    /// `decide` allows them, for the limit that several instances share
    /// (`http::answer_limit`). In one transaction, serialised against every other taker (of
    /// any instance) so two cannot both see room for the last answers: forgets the answers of
    /// every address sent at or before `window_start`, reads `address`'s others oldest first
    /// and calls `decide` with them; on `Ok` stores `count` at `now`, on `Err(wait)` stores
    /// nothing and returns it. (PostgreSQL: lock the address, say with
    /// `pg_advisory_xact_lock(hashtext(address))`, before reading.)
    async fn take_public_answers(
        &self,
        address: &str,
        count: u64,
        now: i64,
        window_start: i64,
        decide: &(dyn for<'s> Fn(&'s [SentAnswers]) -> Result<(), u64> + Send + Sync),
    ) -> Result<Result<(), u64>, DbError>;

    // --- registered tablets -----------------------------------------------------------------

    /// The partnership a live record belongs to (a partnership's own id for a partnership);
    /// `None` when there is no such live record. What a tablet is registered for is checked
    /// with it, as stored.
    async fn live_partnership_of(
        &self,
        kind: EntityKind,
        id: Uuid,
    ) -> Result<Option<PartnershipId>, DbError>;

    /// Stores a newly registered tablet under the hash of its token.
    async fn create_tablet(&self, tablet: &TabletInfo, token_hash: &str) -> Result<(), DbError>;

    /// The tablets registered for `partnership`, newest first (withdrawn ones too).
    async fn tablets(&self, partnership: PartnershipId) -> Result<Vec<TabletInfo>, DbError>;

    /// One tablet by its id.
    async fn tablet(&self, id: Uuid) -> Result<Option<TabletInfo>, DbError>;

    /// The tablet whose token has this hash (withdrawn or not); marks it seen at `now`, at
    /// most once a minute.
    async fn tablet_by_token(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<TabletInfo>, DbError>;

    /// Withdraws a tablet (once: a second withdrawal keeps the first's time and person) and
    /// returns it as it now is.
    async fn revoke_tablet(
        &self,
        id: Uuid,
        by: Uuid,
        now: i64,
    ) -> Result<Option<TabletInfo>, DbError>;

    // --- the server's own health -----------------------------------------------------------

    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), DbError>;

    /// Resolves while the database server cannot be reached (stopped, restarting, cut off):
    /// at once when it cannot now, else as soon as it is found so; never while it can. The
    /// API then answers 503 at once ([`DbError::Unreachable`]) rather than keep requests
    /// waiting for a connection that will not come.
    async fn unreachable(&self);

    /// Waits for open connections to finish and closes them (on shutdown).
    async fn close(&self);
}

/// Answers an address sent without signing in, in one push that the limit let through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SentAnswers {
    /// When they arrived, ms since the Unix epoch.
    pub at: i64,
    pub count: u64,
}

/// Whose history to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryOf {
    Partnership(PartnershipId),
    Record(EntityKind, Uuid),
}

/// One row of the record history as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredHistory {
    pub id: i64,
    pub at: String,
    pub kind: EntityKind,
    pub record_id: Uuid,
    pub action: String,
    /// `user:<id>`, `tablet:<id>`, `public`; `None` before accounts.
    pub actor: Option<String>,
    /// The person's name, for a person's change.
    pub actor_name: Option<String>,
    pub address: Option<String>,
    /// The fields before and after, as JSON text.
    pub before: Option<String>,
    pub after: Option<String>,
    /// The partnership the record belongs to (itself, for a partnership), as far as the
    /// history and the stored record tell.
    pub partnership: Option<PartnershipId>,
}

/// A person's two-step key as stored.
#[derive(Clone, Debug)]
pub struct TwoStep {
    /// The key in base32.
    pub secret: String,
    /// Whether a first code confirmed it (signing in asks for codes only then).
    pub confirmed: bool,
    /// The last time step accepted.
    pub last_step: Option<i64>,
}

/// A new account as stored: only the password's hash.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub id: Uuid,
    /// Normalised (trimmed, lower case).
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub admin: bool,
    pub created_at: i64,
    pub roles: Vec<(PartnershipId, Role)>,
}

/// Opens the database named by `url`, creating and migrating it if needed. The backend is
/// chosen from the URL's scheme.
pub async fn connect(url: &str) -> Result<Arc<dyn Database>, DbError> {
    let scheme = url.split(':').next().unwrap_or_default();
    match scheme {
        "sqlite" => Ok(Arc::new(sqlite::SqliteDatabase::connect(url).await?)),
        "postgres" | "postgresql" => Ok(Arc::new(postgres::PgDatabase::connect(url).await?)),
        other => Err(DbError::UnsupportedScheme {
            scheme: other.to_owned(),
        }),
    }
}

/// What `reader` may see, as the opaque token a pull answers with: a hash of their grants,
/// of the partnerships published now and of the last change in each partnership to who may
/// see records already stored (`visibility`: a draft published, a priority moved to another
/// strategy; see [`PushStore::note_visibility_change`](push::PushStore)); for an
/// administrator, who sees everything, of nothing else. It changes exactly when what they
/// may see could have changed, and the device then pulls its copy afresh.
pub(crate) fn scope_of(
    reader: &Principal,
    published: &std::collections::BTreeSet<Uuid>,
    visibility: &BTreeMap<Uuid, i64>,
) -> String {
    use sha2::{Digest, Sha256};
    let mut text = match reader {
        Principal::Public => "public".to_owned(),
        Principal::User { id, grants } if grants.admin => format!("admin:{id}"),
        Principal::User { id, grants } => {
            let roles: Vec<String> = grants
                .roles
                .iter()
                .map(|(p, r)| format!("{}={}", p.0, r.as_key()))
                .collect();
            format!("user:{id}:{}", roles.join(","))
        }
        Principal::Tablet { id, partnership } => format!("tablet:{id}:{}", partnership.0),
    };
    if !reader.is_admin() {
        for p in published {
            text.push('|');
            text.push_str(&p.to_string());
        }
        for (p, seq) in visibility {
            text.push_str(&format!("|{p}@{seq}"));
        }
    }
    Sha256::digest(text.as_bytes())
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Who may read each live record of a gated kind ([`EntityKind::gated`]): its own choice
/// (draft minutes: members) and the strictest of the records it refers to, worked out in
/// dependency order from every such record at the start of a pull, on the pull's snapshot.
/// Other kinds need their kind's [`EntityKind::read_access`]; so do tombstones, which say
/// only that an id is gone.
#[derive(Default)]
pub(crate) struct GatedReaders {
    needed: HashMap<(EntityKind, Uuid), Access>,
}

impl GatedReaders {
    /// From the live records of every gated kind, in any order. A record whose fields no
    /// longer parse is kept to the partnership's managers (it fails closed).
    pub(crate) fn new(mut rows: Vec<(EntityKind, Uuid, Map<String, Value>)>) -> Self {
        // Kinds are ordered as the registry lists them: a record's parents come first.
        rows.sort_by_key(|(kind, ..)| *kind);
        let mut needed = HashMap::with_capacity(rows.len());
        for (kind, id, fields) in rows {
            let own = if kind.read_varies() {
                Entity::from_fields(kind, &fields).map_or(Access::Manager, |e| e.read_access())
            } else {
                kind.read_access()
            };
            let inherited = kind
                .refers_to()
                .iter()
                .filter(|(parent, _)| parent.gated())
                .filter_map(|&(parent, field)| {
                    let parent_id = Uuid::parse_str(fields.get(field)?.as_str()?).ok()?;
                    needed.get(&(parent, parent_id)).copied()
                })
                .max();
            needed.insert((kind, id), inherited.map_or(own, |i| own.max(i)));
        }
        Self { needed }
    }

    /// The least access that reads `(kind, id)`.
    pub(crate) fn needed(&self, kind: EntityKind, id: Uuid) -> Access {
        self.needed
            .get(&(kind, id))
            .copied()
            .unwrap_or_else(|| kind.read_access())
    }
}

/// Converts a position to the signed integer SQL stores.
pub(crate) fn seq_to_i64(seq: Seq) -> i64 {
    i64::try_from(seq.0).unwrap_or(i64::MAX)
}

/// Converts a stored position back, refusing a negative one.
pub(crate) fn seq_from_i64(value: i64) -> Result<Seq, DbError> {
    u64::try_from(value)
        .map(Seq)
        .map_err(|_| DbError::Corrupt(format!("negative change position {value}")))
}

/// Encodes `value` as the JSON text the database stores.
pub(crate) fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, DbError> {
    serde_json::to_string(value).map_err(|e| DbError::Corrupt(format!("cannot encode JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_unsupported_scheme_is_refused_with_a_clear_message() {
        let err = connect("mysql://atlas:secret@localhost/atlas")
            .await
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with(
                "unsupported database URL scheme \"mysql\"; this build supports sqlite: \
                 (for example sqlite://data/atlas.db) and postgres:"
            ),
            "{err}"
        );
        assert!(!err.contains("secret"), "{err}");
    }

    #[tokio::test]
    async fn a_postgres_server_that_does_not_answer_is_an_error_without_the_password() {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        for scheme in ["postgres", "postgresql"] {
            let err = connect(&format!("{scheme}://atlas:secret@127.0.0.1:1/atlas"))
                .await
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.starts_with("database error:"), "{err}");
            assert!(!err.contains("secret"), "{err}");
        }
    }

    #[tokio::test]
    async fn an_in_memory_database_migrates_and_starts_empty() {
        let db = connect("sqlite::memory:")
            .await
            .expect("in-memory SQLite opens");
        assert!(db.is_empty().await.expect("count"));
        db.ping().await.expect("ping");
        assert_eq!(db.backend(), "sqlite");
    }

    /// A database error with only its SQLSTATE (or SQLite code), as a driver reports one.
    #[derive(Debug)]
    struct Coded(&'static str);

    impl std::fmt::Display for Coded {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "error {}", self.0)
        }
    }

    impl std::error::Error for Coded {}

    impl sqlx::error::DatabaseError for Coded {
        fn message(&self) -> &str {
            self.0
        }
        fn code(&self) -> Option<std::borrow::Cow<'_, str>> {
            Some(self.0.into())
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> sqlx::error::ErrorKind {
            sqlx::error::ErrorKind::Other
        }
    }

    fn coded(code: &'static str) -> DbError {
        DbError::Sqlx(sqlx::Error::Database(Box::new(Coded(code))))
    }

    #[test]
    fn a_database_gone_restarting_busy_or_out_of_connections_is_a_failure_of_the_moment() {
        use std::io::{Error, ErrorKind};
        let gone = [
            DbError::Unreachable,
            DbError::Sqlx(sqlx::Error::PoolTimedOut),
            DbError::Sqlx(sqlx::Error::PoolClosed),
            DbError::Sqlx(Error::from(ErrorKind::ConnectionRefused).into()),
            DbError::Sqlx(Error::from(ErrorKind::UnexpectedEof).into()),
            DbError::Sqlx(Error::from(ErrorKind::BrokenPipe).into()),
            DbError::Sqlx(Error::from(ErrorKind::ConnectionReset).into()),
        ];
        // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, connection_failure,
        // connection_exception, too_many_connections, serialisation failure, deadlock,
        // lock_not_available. SQLite: SQLITE_BUSY, SQLITE_LOCKED and an extended BUSY code.
        let coded_gone = [
            "57P01", "57P02", "57P03", "08006", "08000", "08003", "53300", "40001", "40P01",
            "55P03", "5", "6", "517",
        ];
        for e in gone.iter().chain(&coded_gone.map(coded)) {
            assert!(e.is_transient(), "{e} is of the moment");
        }
        // A broken rule or bad data would fail again, however often it is sent.
        for code in ["23505", "23503", "22P02", "42P01", "19", "2067"] {
            assert!(!coded(code).is_transient(), "{code} is not of the moment");
        }
        assert!(!DbError::Sqlx(sqlx::Error::RowNotFound).is_transient());
        assert!(!DbError::Corrupt("x".into()).is_transient());
    }
}
