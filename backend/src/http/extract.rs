//! Extractors whose every rejection is our JSON [`ErrorBody`](atlas_shared::ErrorBody), never
//! axum's plain text: a sync client must be able to read why it was refused.

use atlas_shared::PROTOCOL_VERSION;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::{Error, body};

/// A JSON request body of type `T`.
///
/// Checked in this order, each with its own answer:
/// 1. the content type is JSON (else 415);
/// 2. the body fits the route's limit (else 413, stating the limit);
/// 3. the body is JSON at all (else 400 with serde's explanation);
/// 4. a `protocol` field, when present, is one this server speaks (else 400 with
///    `supported_protocols`): checked before the shape, because a newer client's request may
///    not fit this server's types, and "upgrade" is the answer it needs, not "unknown field";
/// 5. the JSON has the shape of `T` (else 422 naming the path, e.g. `mutations[2].kind`).
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(Error::UnsupportedMediaType(body(
                "send the request body as JSON, with the header Content-Type: application/json",
            )));
        }
        let bytes = read_body(req, state).await?;
        let value: Value = serde_json::from_slice(&bytes)
            .map_err(|e| Error::bad_request(format!("the request body is not valid JSON: {e}")))?;
        check_protocol(value.get("protocol"))?;
        let typed = serde_path_to_error::deserialize(&value).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if path.is_empty() || path == "." {
                Error::unprocessable(format!("the request body is not a valid request: {inner}"))
            } else {
                Error::unprocessable(format!(
                    "the request body is not a valid request: at {path}: {inner}"
                ))
            }
        })?;
        Ok(Self(typed))
    }
}

/// The whole body of `req`, within the route's limit (else 413, stating the limit).
pub(super) async fn read_body<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, Error> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Error::push_too_large()
        } else {
            Error::bad_request(format!(
                "the request body could not be read: {}",
                rejection.body_text()
            ))
        }
    })
}

/// Refuses a body that names a protocol version this server does not speak.
fn check_protocol(protocol: Option<&Value>) -> Result<(), Error> {
    match protocol {
        Some(Value::Number(n)) if n.as_u64() != Some(u64::from(PROTOCOL_VERSION)) => {
            Err(Error::unsupported_protocol(n))
        }
        _ => Ok(()),
    }
}

pub(super) fn is_json(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// A query string of type `T`; a value that does not parse is a 400 with serde's explanation.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Self(q.0))
            .map_err(|rejection| {
                Error::bad_request(format!(
                    "the query string is not valid: {}",
                    rejection.body_text()
                ))
            })
    }
}
