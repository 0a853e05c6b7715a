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
        let bytes = JsonBody::from_request(req, state).await?.0;
        parse(&bytes).map(Self)
    }
}

/// A JSON request's body, not yet parsed: [`ApiJson`]'s steps 1 and 2. Parse it with
/// [`parse`] for the rest.
pub struct JsonBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(Error::UnsupportedMediaType(body(
                "send the request body as JSON, with the header Content-Type: application/json",
            )));
        }
        read_body(req, state).await.map(Self)
    }
}

/// A JSON body read as `T`, checked as [`ApiJson`] says (steps 3 to 5).
///
/// A well-formed body is read straight into `T`, in one pass. Reading it as a `Value` first,
/// as [`parse_slowly`] does, builds every string of it twice over and then frees one copy: for
/// a push of 500 answers that was about a tenth of the server's time per answer. Anything the
/// quick read does not take is read again, slowly, so each kind of mistake gets its own
/// answer; what the quick read takes, the slow one takes the same (tested below).
pub(super) fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    if let Ok(typed) = serde_json::from_slice::<T>(bytes)
        && let Ok(Protocol { protocol }) = serde_json::from_slice::<Protocol>(bytes)
    {
        check_protocol(protocol.as_ref())?;
        return Ok(typed);
    }
    parse_slowly(bytes)
}

/// A JSON body read as a `Value`, its protocol checked, then read as `T` with the path of the
/// first field that does not fit.
fn parse_slowly<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::bad_request(format!("the request body is not valid JSON: {e}")))?;
    check_protocol(value.get("protocol"))?;
    serde_path_to_error::deserialize(&value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path.is_empty() || path == "." {
            Error::unprocessable(format!("the request body is not a valid request: {inner}"))
        } else {
            Error::unprocessable(format!(
                "the request body is not a valid request: at {path}: {inner}"
            ))
        }
    })
}

/// The `protocol` field of a request body that is a JSON object, if it has one: the rest is
/// skipped, not built.
#[derive(serde::Deserialize)]
struct Protocol {
    protocol: Option<Value>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use atlas_shared::PushRequest;
    use proptest::prelude::*;

    /// A push of two changes, as a device sends it.
    const PUSH: &str = r#"{"protocol":PROTOCOL,"device_id":"0190a0b0-0000-7000-8000-00000000000d","mutations":[{"id":"0190a0b0-0000-7000-8000-000000000011","kind":"response","record_id":"0190a0b0-0000-7000-8000-000000000021","op":{"type":"upsert","base_version":null,"fields":{"answers":{"q1":["a","b"]},"note":"caf\u00e9 ☕","n":1.5,"big":18446744073709551615,"neg":-3}}},{"id":"0190a0b0-0000-7000-8000-000000000012","kind":"body","record_id":"0190a0b0-0000-7000-8000-000000000022","op":{"type":"delete","base_version":7}}]}"#;

    fn push() -> String {
        PUSH.replace("PROTOCOL", &PROTOCOL_VERSION.to_string())
    }

    /// What a body is answered with, comparable: the request read, or the error's words.
    fn answer(read: Result<PushRequest, Error>) -> Result<PushRequest, String> {
        read.map_err(|e| format!("{e:?}"))
    }

    fn same_either_way(body: &str) {
        let quick = answer(parse::<PushRequest>(body.as_bytes()));
        let slow = answer(parse_slowly::<PushRequest>(body.as_bytes()));
        assert_eq!(quick, slow, "{body}");
    }

    #[test]
    fn a_well_formed_push_reads_the_same_quickly_or_slowly() {
        let body = push();
        same_either_way(&body);
        let read = parse::<PushRequest>(body.as_bytes());
        assert!(read.is_ok(), "{:?}", read.err());
    }

    /// Each kind of mistake gets the same answer it always got (the slow read's).
    #[test]
    fn every_kind_of_mistake_is_answered_as_before() {
        let body = push();
        let protocol = format!("\"protocol\":{PROTOCOL_VERSION}");
        for wrong in [
            // Not JSON, or more than one value.
            body[..body.len() - 1].to_owned(),
            format!("{body} {{}}"),
            "[]".to_owned(),
            "null".to_owned(),
            // A protocol this server does not speak, with a body that fits and one that does not.
            body.replace(&protocol, "\"protocol\":99"),
            body.replace(&protocol, "\"protocol\":99,\"extra\":1"),
            // A field twice: the slow read keeps the last, the quick one refuses it.
            body.replace(&protocol, &format!("{protocol},{protocol}")),
            body.replace(&protocol, &format!("{protocol},\"protocol\":99")),
            body.replace(
                "\"kind\":\"response\"",
                "\"kind\":\"response\",\"kind\":\"body\"",
            ),
            body.replace("\"note\"", "\"n\":2,\"note\""),
            // Fields that do not fit.
            body.replace("\"kind\":\"response\"", "\"kind\":\"nothing\""),
            body.replace("\"type\":\"delete\"", "\"type\":\"remove\""),
            body.replace("\"base_version\":7", "\"base_version\":7.0"),
            body.replace("\"base_version\":7", "\"base_version\":-7"),
            body.replace(&protocol, &format!("{protocol},\"extra\":true")),
            body.replace("\"op\":{\"type\":\"delete\",", "\"op\":{"),
            body.replace(&protocol, "\"protocol\":\"1\""),
            body.replace(&format!("{protocol},"), ""),
        ] {
            same_either_way(&wrong);
        }
    }

    proptest! {
        /// Any edit of a push's text: one run of characters taken out, another put in.
        #[test]
        fn any_edited_push_reads_the_same_quickly_or_slowly(
            at in 0.0f64..1.0,
            cut in 0usize..12,
            put in prop::sample::select(vec![
                "", "\"", ",", "{", "}", "[", "]", ":", "1", "-", ".", "e9", "null", "true",
                "\\u00e9", "\"protocol\":1,", "\"type\":\"upsert\",", "\"kind\":\"body\",",
                "\u{2615}", " ",
            ]),
        ) {
            let body = push();
            let chars: Vec<char> = body.chars().collect();
            let start = ((chars.len() as f64) * at) as usize;
            let end = (start + cut).min(chars.len());
            let edited: String = chars[..start]
                .iter()
                .chain(put.chars().collect::<Vec<_>>().iter())
                .chain(chars[end..].iter())
                .collect();
            let quick = answer(parse::<PushRequest>(edited.as_bytes()));
            let slow = answer(parse_slowly::<PushRequest>(edited.as_bytes()));
            prop_assert_eq!(quick, slow, "{}", edited);
        }
    }
}
