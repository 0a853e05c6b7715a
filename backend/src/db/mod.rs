//! Where records are stored: the [`Database`] trait and its implementations.
//!
//! The trait is deliberately narrow and grouped by what it stores (the records and their change
//! sequence; the server's own health). Handlers hold an `Arc<dyn Database>` and never see SQL.
//! The implementation is chosen from the database URL's scheme at start-up ([`connect`]):
//! `sqlite:` today; `postgres:` is planned and the trait documents where it needs care.
//!
//! A push is split in three so a second backend writes only its statements: [`rules`] (what a
//! record may be, per kind; no storage), [`push`] (the push loop, the merge, the delete cascade
//! and the bookkeeping of rejections, over the [`push::PushStore`] trait of the statements a
//! backend provides inside one transaction) and the backend itself ([`sqlite`]: its statements,
//! its connection, pull and the refused-answers queries).

use std::sync::Arc;

use async_trait::async_trait;
use atlas_shared::attention::RefusedAnswer;
use atlas_shared::{DeviceId, FieldError, Mutation, MutationId, MutationResult, PullResponse, Seq};

pub(crate) mod push;
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
         (for example sqlite://data/atlas.db)"
    )]
    UnsupportedScheme { scheme: String },
    #[error("could not prepare the database file: {0}")]
    Io(#[from] std::io::Error),
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
/// * A mutation id is settled at most once; a later push carrying it gets the stored result.
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
    /// The backend's name as reported by `/api/health` ("sqlite").
    fn backend(&self) -> &'static str;

    // --- records and their change sequence -------------------------------------------------

    /// Applies `mutations` in order, in one transaction, and returns one result per mutation.
    async fn push(
        &self,
        device_id: DeviceId,
        mutations: &[Mutation],
    ) -> Result<Vec<MutationResult>, PushError>;

    /// Up to `limit` records changed after `since`, in version order, tombstones included,
    /// and no more of them than fit in [`MAX_PULL_BYTES`](atlas_shared::MAX_PULL_BYTES) (the
    /// first always does: see [`PullBudget`](atlas_shared::PullBudget)); `more` when cut.
    /// Costs O(changes returned), whatever the size of the database.
    async fn pull(&self, since: Seq, limit: usize) -> Result<PullResponse, DbError>;

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

    /// Whether nothing has ever been stored (a new database, ready for the demo data).
    async fn is_empty(&self) -> Result<bool, DbError> {
        Ok(self.record_count().await? == 0)
    }

    // --- the server's own health -----------------------------------------------------------

    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), DbError>;

    /// Waits for open connections to finish and closes them (on shutdown).
    async fn close(&self);
}

/// Opens the database named by `url`, creating and migrating it if needed. The backend is
/// chosen from the URL's scheme.
pub async fn connect(url: &str) -> Result<Arc<dyn Database>, DbError> {
    let scheme = url.split(':').next().unwrap_or_default();
    match scheme {
        "sqlite" => Ok(Arc::new(sqlite::SqliteDatabase::connect(url).await?)),
        other => Err(DbError::UnsupportedScheme {
            scheme: other.to_owned(),
        }),
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
        let err = connect("postgres://atlas:secret@localhost/atlas")
            .await
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with(
                "unsupported database URL scheme \"postgres\"; this build supports sqlite:"
            ),
            "{err}"
        );
        assert!(!err.contains("secret"), "{err}");
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
}
