//! The calls to the server (the two of sync, and the refused answers a manager reviews), and
//! what can go wrong with them.

use atlas_shared::attention::{CountedAnswer, RefusedAnswers};
use atlas_shared::{
    DeviceId, ErrorBody, Mutation, MutationId, PROTOCOL_VERSION, PullResponse, PushRequest,
    PushResponse, Seq,
};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestCache, RequestInit, Response};

#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer at all: no network, or the server is down.
    Unreachable,
    /// The server answered with an error.
    Refused { status: u16, body: ErrorBody },
    /// The server answered with something this build cannot read.
    Unreadable(String),
}

impl ApiError {
    pub fn describe(&self) -> String {
        match self {
            Self::Unreachable => "Can't reach the server".to_owned(),
            Self::Refused { status, body } => {
                format!("The server refused ({status}): {}", body.error)
            }
            Self::Unreadable(why) => format!("The server's answer could not be read: {why}"),
        }
    }
}

async fn fetch(url: &str, init: &RequestInit) -> Result<(u16, String), ApiError> {
    let window = web_sys::window().ok_or(ApiError::Unreachable)?;
    let response = JsFuture::from(window.fetch_with_str_and_init(url, init))
        .await
        .map_err(|_| ApiError::Unreachable)?;
    let response: Response = response
        .dyn_into()
        .map_err(|_| ApiError::Unreadable("not a response".into()))?;
    let text = JsFuture::from(
        response
            .text()
            .map_err(|_| ApiError::Unreadable("no body".into()))?,
    )
    .await
    .map_err(|_| ApiError::Unreachable)?;
    Ok((response.status(), text.as_string().unwrap_or_default()))
}

fn decode<T: serde::de::DeserializeOwned>(status: u16, text: &str) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        serde_json::from_str(text).map_err(|e| ApiError::Unreadable(e.to_string()))
    } else {
        let body = serde_json::from_str::<ErrorBody>(text).unwrap_or_else(|_| ErrorBody {
            error: if text.trim().is_empty() {
                format!("HTTP status {status}")
            } else {
                text.chars().take(200).collect()
            },
            ..ErrorBody::default()
        });
        Err(ApiError::Refused { status, body })
    }
}

pub async fn push(device_id: DeviceId, mutations: &[Mutation]) -> Result<PushResponse, ApiError> {
    let request = PushRequest {
        protocol: PROTOCOL_VERSION,
        device_id,
        mutations: mutations.to_vec(),
    };
    let body = serde_json::to_string(&request).map_err(|e| ApiError::Unreadable(e.to_string()))?;
    let headers = Headers::new().map_err(|_| ApiError::Unreachable)?;
    headers
        .set("content-type", "application/json")
        .map_err(|_| ApiError::Unreachable)?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&body));
    init.set_cache(RequestCache::NoStore);
    let (status, text) = fetch("/api/sync/push", &init).await?;
    decode(status, &text)
}

pub async fn pull(since: Seq) -> Result<PullResponse, ApiError> {
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_cache(RequestCache::NoStore);
    let url = format!(
        "/api/sync/pull?since={}&protocol={PROTOCOL_VERSION}",
        since.0
    );
    let (status, text) = fetch(&url, &init).await?;
    decode(status, &text)
}

/// The answers the server refused that no manager has counted yet (`GET /api/refused`).
pub async fn refused() -> Result<RefusedAnswers, ApiError> {
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_cache(RequestCache::NoStore);
    let (status, text) = fetch("/api/refused", &init).await?;
    decode(status, &text)
}

/// Counts a refused answer: the server stores it, marked as accepted by a manager.
pub async fn count_refused(id: MutationId) -> Result<CountedAnswer, ApiError> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_cache(RequestCache::NoStore);
    let (status, text) = fetch(&format!("/api/refused/{}/count", id.0), &init).await?;
    decode(status, &text)
}
