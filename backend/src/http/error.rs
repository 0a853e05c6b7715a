//! The API's errors: one enum, each variant mapped to a status, every body an [`ErrorBody`].
//! Database and internal failures are logged here and shown to the client only as a sentence
//! that gives nothing away. A database failure of the moment ([`DbError::is_transient`]: busy,
//! restarting, a connection lost) is 503 with `Retry-After`, which devices honour
//! (`atlas_shared::retry`); nothing of the request was stored.

use atlas_shared::{ErrorBody, MAX_PUSH_BYTES, PROTOCOL_VERSION};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::db::{DbError, PushError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request cannot be understood (bad JSON, a bad query, an unsupported protocol).
    #[error("{}", .0.error)]
    BadRequest(ErrorBody),
    /// The request is too large (bytes, or mutations in one push).
    #[error("{}", .0.error)]
    PayloadTooLarge(ErrorBody),
    /// The body is not JSON.
    #[error("{}", .0.error)]
    UnsupportedMediaType(ErrorBody),
    /// Well-formed but not acceptable: wrong types, or a mutation that breaks a rule.
    #[error("{}", .0.error)]
    Unprocessable(ErrorBody),
    /// Nobody is signed in (or the sign-in has ended) and the request needs someone.
    #[error("{}", .0.error)]
    Unauthorized(ErrorBody),
    /// Signed in, but this person or tablet may not do this.
    #[error("{}", .0.error)]
    Forbidden(ErrorBody),
    /// Taken already (an account's email).
    #[error("{}", .0.error)]
    Conflict(ErrorBody),
    /// Too many tries: wait the body's `retry_after_secs` (also sent as `Retry-After`); made
    /// by [`Error::too_many_requests`].
    #[error("{}", .0.error)]
    TooManyRequests(ErrorBody),
    #[error("{}", .0.error)]
    NotFound(ErrorBody),
    #[error("{}", .0.error)]
    MethodNotAllowed(ErrorBody),
    /// The request took longer than the server's request timeout.
    #[error("{}", .0.error)]
    TimedOut(ErrorBody),
    /// The database does not answer (health check): 503 with `Retry-After`.
    #[error("the database is not answering: {0}")]
    Unavailable(DbError),
    #[error(transparent)]
    Database(#[from] DbError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The `Retry-After` of a 503 for a database that did not answer for a moment: long enough
/// for a restart or a failover to finish, short enough that nobody waits long.
pub const TRANSIENT_RETRY_AFTER_SECS: u32 = 5;

/// An [`ErrorBody`] with only its sentence.
pub fn body(error: impl Into<String>) -> ErrorBody {
    ErrorBody {
        error: error.into(),
        ..ErrorBody::default()
    }
}

impl Error {
    pub fn bad_request(error: impl Into<String>) -> Self {
        Self::BadRequest(body(error))
    }

    /// Too many tries (429): `error` says why, and the client waits `retry_after` seconds.
    pub fn too_many_requests(error: impl Into<String>, retry_after: u64) -> Self {
        Self::TooManyRequests(ErrorBody {
            error: error.into(),
            retry_after_secs: Some(u32::try_from(retry_after).unwrap_or(u32::MAX)),
            ..ErrorBody::default()
        })
    }

    pub fn unprocessable(error: impl Into<String>) -> Self {
        Self::Unprocessable(body(error))
    }

    /// A request that names a protocol version this server does not speak.
    pub fn unsupported_protocol(version: impl std::fmt::Display) -> Self {
        Self::BadRequest(ErrorBody {
            error: format!(
                "unsupported sync protocol version {version}; this server speaks version \
                 {PROTOCOL_VERSION}: reload the app to get the version that matches the server"
            ),
            supported_protocols: Some(vec![PROTOCOL_VERSION]),
            ..ErrorBody::default()
        })
    }

    /// A push body over [`MAX_PUSH_BYTES`].
    pub fn push_too_large() -> Self {
        let mib = MAX_PUSH_BYTES / (1024 * 1024);
        Self::PayloadTooLarge(ErrorBody {
            error: format!(
                "the push body is larger than the {mib} MiB limit ({MAX_PUSH_BYTES} bytes); \
                 send the changes in several smaller pushes"
            ),
            limit_bytes: Some(MAX_PUSH_BYTES as u64),
            ..ErrorBody::default()
        })
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::TimedOut(_) | Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Database(DbError::Conflict(_)) => StatusCode::CONFLICT,
            Self::Database(e) if e.is_transient() => StatusCode::SERVICE_UNAVAILABLE,
            Self::Database(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<PushError> for Error {
    fn from(e: PushError) -> Self {
        match e {
            PushError::Invalid {
                mutation_id,
                message,
                fields,
            } => Self::Unprocessable(ErrorBody {
                error: message,
                mutation_id: Some(mutation_id),
                fields,
                ..ErrorBody::default()
            }),
            PushError::TooLarge {
                mutation_id,
                message,
                fields,
                limit_bytes,
            } => Self::Unprocessable(ErrorBody {
                error: message,
                mutation_id: Some(mutation_id),
                fields,
                limit_bytes: Some(limit_bytes),
                ..ErrorBody::default()
            }),
            PushError::Database(e) => Self::Database(e),
        }
    }
}

/// A 503 whose body says `error` and to try again after [`TRANSIENT_RETRY_AFTER_SECS`], as
/// `Retry-After` does.
fn retry_later(status: StatusCode, error: &str) -> Response {
    let body = ErrorBody {
        error: error.to_owned(),
        retry_after_secs: Some(TRANSIENT_RETRY_AFTER_SECS),
        ..ErrorBody::default()
    };
    let wait = [(
        axum::http::header::RETRY_AFTER,
        TRANSIENT_RETRY_AFTER_SECS.to_string(),
    )];
    (status, wait, Json(body)).into_response()
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match self {
            Self::TooManyRequests(body) => {
                let secs = body.retry_after_secs.unwrap_or(TRANSIENT_RETRY_AFTER_SECS);
                let wait = [(axum::http::header::RETRY_AFTER, secs.to_string())];
                return (status, wait, Json(body)).into_response();
            }
            Self::Database(e) if e.is_transient() => {
                // An unreachable database is logged once, by its watcher, not per request.
                if !matches!(e, DbError::Unreachable) {
                    tracing::warn!(error = %e, "the database did not answer for a moment");
                }
                return retry_later(
                    status,
                    "the database did not answer for a moment; nothing was changed, and the \
                     app sends your changes again by itself",
                );
            }
            Self::Database(DbError::Conflict(message)) => body(message),
            Self::BadRequest(b)
            | Self::PayloadTooLarge(b)
            | Self::UnsupportedMediaType(b)
            | Self::Unprocessable(b)
            | Self::Unauthorized(b)
            | Self::Forbidden(b)
            | Self::Conflict(b)
            | Self::NotFound(b)
            | Self::MethodNotAllowed(b) => b,
            // The server was too busy to finish in time: the same wait as a busy database.
            Self::TimedOut(b) => return retry_later(status, &b.error),
            Self::Unavailable(e) => {
                tracing::warn!(error = %e, "health check: the database is not answering");
                return retry_later(
                    status,
                    "the database is not answering; the server cannot store or send changes",
                );
            }
            Self::Database(e) => {
                tracing::error!(error = %e, "database error");
                body(
                    "the server could not complete the request because of an internal error; \
                     nothing was changed: try again later",
                )
            }
        };
        (status, Json(body)).into_response()
    }
}
