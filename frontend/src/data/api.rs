//! The calls to the server (the session, the two of sync, the refused answers a manager
//! reviews, registered tablets, the history of changes, and the online-only account calls:
//! people, passwords, two-step verification), and what can go wrong with them. The sync calls
//! carry a registered tablet's bearer token when the store gives one.

use atlas_shared::accounts::audit::HistoryPage;
use atlas_shared::accounts::tablets::{NewTablet, RegisteredTablet, TabletInfo, Tablets};
use atlas_shared::accounts::{
    CODE_FIELD, NewPerson, PasswordChange, People, Person, Role, RoleChange, SessionInfo, SignIn,
    TwoStepCode, TwoStepSetup,
};
use atlas_shared::attention::{CountedAnswer, RefusedAnswers};
use atlas_shared::{
    DeviceId, EntityKind, ErrorBody, Mutation, MutationId, OutcomesRequest, OutcomesResponse,
    PROTOCOL_VERSION, PartnershipId, PullResponse, PushReceipt, PushRequest, PushResponse, Seq,
};
use gloo_net::http::{Request, RequestBuilder};
use uuid::Uuid;
use web_sys::RequestCache;

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

/// Sends `request` (with `body`, JSON, when there is one) and reads the whole answer.
/// `cache: no-store` on every call: sync is never answered from the browser's HTTP cache.
async fn fetch(request: RequestBuilder, body: Option<String>) -> Result<(u16, String), ApiError> {
    let request = request.cache(RequestCache::NoStore);
    let sent = match body {
        Some(body) => {
            let request = request
                .header("content-type", "application/json")
                .body(body)
                .map_err(|_| ApiError::Unreachable)?;
            request.send().await
        }
        None => request.send().await,
    };
    let response = sent.map_err(|_| ApiError::Unreachable)?;
    let text = response.text().await.map_err(|_| ApiError::Unreachable)?;
    Ok((response.status(), text))
}

fn decode<T: serde::de::DeserializeOwned>(status: u16, text: &str) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        serde_json::from_str(text).map_err(|e| ApiError::Unreadable(e.to_string()))
    } else {
        Err(refusal(status, text))
    }
}

/// The server's refusal (`status` is not a success) with the reason it gave.
fn refusal(status: u16, text: &str) -> ApiError {
    let body = serde_json::from_str::<ErrorBody>(text).unwrap_or_else(|_| ErrorBody {
        error: if text.trim().is_empty() {
            format!("HTTP status {status}")
        } else {
            text.chars().take(200).collect()
        },
        ..ErrorBody::default()
    });
    ApiError::Refused { status, body }
}

/// `request` with `Authorization: Bearer <token>` when a tablet's token is given.
fn bearer(request: RequestBuilder, token: Option<&str>) -> RequestBuilder {
    match token {
        Some(token) => request.header("authorization", &format!("Bearer {token}")),
        None => request,
    }
}

/// Where a push goes: answered once applied, or handed off to the server's inbox (see
/// "Handing a push off" in `atlas_shared::sync`).
async fn send_push<T: serde::de::DeserializeOwned>(
    path: &str,
    device_id: DeviceId,
    mutations: &[Mutation],
    tablet: Option<&str>,
) -> Result<T, ApiError> {
    let request = PushRequest {
        protocol: PROTOCOL_VERSION,
        device_id,
        mutations: mutations.to_vec(),
    };
    send_json(bearer(Request::post(path), tablet), &request).await
}

/// Pushes `mutations` and waits until the server has applied them.
pub async fn push(
    device_id: DeviceId,
    mutations: &[Mutation],
    tablet: Option<&str>,
) -> Result<PushResponse, ApiError> {
    send_push("/api/sync/push", device_id, mutations, tablet).await
}

/// Hands `mutations` off to the server's inbox: answered once they are stored, checked as a
/// push is; what became of them is asked later with [`outcomes`].
pub async fn hand_off(
    device_id: DeviceId,
    mutations: &[Mutation],
    tablet: Option<&str>,
) -> Result<PushReceipt, ApiError> {
    send_push("/api/sync/inbox", device_id, mutations, tablet).await
}

/// What became of mutations this device handed off.
pub async fn outcomes(
    device_id: DeviceId,
    mutation_ids: Vec<MutationId>,
    tablet: Option<&str>,
) -> Result<OutcomesResponse, ApiError> {
    let request = OutcomesRequest {
        protocol: PROTOCOL_VERSION,
        device_id,
        mutation_ids,
    };
    send_json(
        bearer(Request::post("/api/sync/outcomes"), tablet),
        &request,
    )
    .await
}

/// Whether `error` says the server has no such route: one older than the inbox (or, behind a
/// load balancer, one instance of several not yet upgraded).
pub fn no_such_route(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Refused {
            status: 404 | 405,
            ..
        }
    )
}

/// The changes past `since`, for the reader this browser is signed in as. `scope` is the one
/// the last pull answered (`None` before the first): a different one now makes the answer a
/// reset. `tablet`: the registered tablet's token, when it pulls as itself.
pub async fn pull(
    since: Seq,
    scope: Option<&str>,
    tablet: Option<&str>,
) -> Result<PullResponse, ApiError> {
    let since = since.0.to_string();
    let protocol = PROTOCOL_VERSION.to_string();
    let mut query = vec![("since", since.as_str()), ("protocol", protocol.as_str())];
    if let Some(scope) = scope {
        query.push(("scope", scope));
    }
    let request = bearer(Request::get("/api/sync/pull").query(query), tablet);
    let (status, text) = fetch(request, None).await?;
    decode(status, &text)
}

/// The answers the server refused that no manager has counted yet (`GET /api/refused`).
pub async fn refused() -> Result<RefusedAnswers, ApiError> {
    let (status, text) = fetch(Request::get("/api/refused"), None).await?;
    decode(status, &text)
}

/// Counts a refused answer: the server stores it, marked as accepted by a manager.
pub async fn count_refused(id: MutationId) -> Result<CountedAnswer, ApiError> {
    let url = format!("/api/refused/{}/count", id.0);
    let (status, text) = fetch(Request::post(&url), None).await?;
    decode(status, &text)
}

/// A page of a partnership's history of changes, newest first, older than row `before`.
pub async fn history(p: PartnershipId, before: Option<i64>) -> Result<HistoryPage, ApiError> {
    let mut url = format!("/api/history?partnership={p}");
    if let Some(before) = before {
        url.push_str(&format!("&before={before}"));
    }
    let (status, text) = fetch(Request::get(&url), None).await?;
    decode(status, &text)
}

/// One record's history of changes, with the values before and after.
pub async fn record_history(kind: EntityKind, id: Uuid) -> Result<HistoryPage, ApiError> {
    let url = format!("/api/history/{}/{id}", kind.as_str());
    let (status, text) = fetch(Request::get(&url), None).await?;
    decode(status, &text)
}

/// Who this browser is signed in as (`GET /api/session`).
pub async fn session() -> Result<SessionInfo, ApiError> {
    let (status, text) = fetch(Request::get("/api/session"), None).await?;
    decode(status, &text)
}

/// Why signing in did not work.
#[derive(Clone, Debug, PartialEq)]
pub enum SignInError {
    /// No connection: signing in needs the server.
    Unreachable,
    /// A wrong email address or password (401), in the server's words.
    Wrong(String),
    /// The password was right, and the two-step code is needed (or was not right): the
    /// server's words for the code field.
    CodeNeeded(String),
    /// Too many attempts (429): the server's words and, when it said, how many seconds to wait.
    Throttled {
        message: String,
        retry_after: Option<u64>,
    },
    /// Anything else, in words.
    Other(String),
}

/// Signs in (`POST /api/session`); the server sets the session cookie.
pub async fn sign_in(details: &SignIn) -> Result<SessionInfo, SignInError> {
    let body = serde_json::to_string(details).map_err(|e| SignInError::Other(e.to_string()))?;
    let request = Request::post("/api/session")
        .cache(RequestCache::NoStore)
        .header("content-type", "application/json")
        .body(body)
        .map_err(|_| SignInError::Unreachable)?;
    let response = request.send().await.map_err(|_| SignInError::Unreachable)?;
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok());
    let text = response
        .text()
        .await
        .map_err(|_| SignInError::Unreachable)?;
    match decode::<SessionInfo>(status, &text) {
        Ok(info) => Ok(info),
        Err(ApiError::Refused { status: 401, body }) => {
            match body.fields.iter().find(|f| f.field == CODE_FIELD) {
                Some(code) => Err(SignInError::CodeNeeded(code.message.clone())),
                None => Err(SignInError::Wrong(body.error)),
            }
        }
        Err(ApiError::Refused { status: 429, body }) => Err(SignInError::Throttled {
            message: body.error,
            retry_after,
        }),
        Err(e) => Err(SignInError::Other(e.describe())),
    }
}

/// Ends this browser's session (`DELETE /api/session`); the server clears the cookie.
pub async fn sign_out() -> Result<(), ApiError> {
    let (status, text) = fetch(Request::delete("/api/session"), None).await?;
    if (200..300).contains(&status) {
        Ok(())
    } else {
        decode::<serde_json::Value>(status, &text).map(|_| ())
    }
}

/// What the tablet holding `token` is registered for (`GET /api/tablet`).
pub async fn this_tablet(token: &str) -> Result<super::tablet::Registration, ApiError> {
    let (status, text) = fetch(bearer(Request::get("/api/tablet"), Some(token)), None).await?;
    if (200..300).contains(&status) {
        super::tablet::Registration::read(text).ok_or_else(|| {
            ApiError::Unreadable("the server's answer does not name a tablet".to_owned())
        })
    } else {
        Err(refusal(status, &text))
    }
}

/// The tablets registered for partnership `p`, for its managers.
pub async fn tablets(p: atlas_shared::PartnershipId) -> Result<Tablets, ApiError> {
    let request = Request::get("/api/tablets").query([("partnership", p.0.to_string())]);
    let (status, text) = fetch(request, None).await?;
    decode(status, &text)
}

/// Sends `body` as JSON with `request` and reads a `T` from a success (`()` from 204 too).
async fn send_json<T: serde::de::DeserializeOwned>(
    request: RequestBuilder,
    body: &impl serde::Serialize,
) -> Result<T, ApiError> {
    let body = serde_json::to_string(body).map_err(|e| ApiError::Unreadable(e.to_string()))?;
    let (status, text) = fetch(request, Some(body)).await?;
    if status == 204 {
        return serde_json::from_str("null").map_err(|e| ApiError::Unreadable(e.to_string()));
    }
    decode(status, &text)
}

/// The people the person signed in manages in `partnership` (`GET /api/users`).
pub async fn people(partnership: atlas_shared::PartnershipId) -> Result<People, ApiError> {
    let p = partnership.0.to_string();
    let request = Request::get("/api/users").query([("partnership", p.as_str())]);
    let (status, text) = fetch(request, None).await?;
    decode(status, &text)
}

/// Registers a tablet: the answer carries its token, this once.
pub async fn register_tablet(tablet: &NewTablet) -> Result<RegisteredTablet, ApiError> {
    let body = serde_json::to_string(tablet).map_err(|e| ApiError::Unreadable(e.to_string()))?;
    let (status, text) = fetch(Request::post("/api/tablets"), Some(body)).await?;
    decode(status, &text)
}

/// Withdraws a registered tablet.
pub async fn revoke_tablet(id: uuid::Uuid) -> Result<TabletInfo, ApiError> {
    let url = format!("/api/tablets/{id}/revoke");
    let (status, text) = fetch(Request::post(&url), None).await?;
    decode(status, &text)
}

/// Adds a person (`POST /api/users`).
pub async fn add_person(person: &NewPerson) -> Result<Person, ApiError> {
    send_json(Request::post("/api/users"), person).await
}

/// Sets (or with `None` removes) a person's role in a partnership.
pub async fn set_role(
    person: uuid::Uuid,
    partnership: atlas_shared::PartnershipId,
    role: Option<Role>,
) -> Result<Person, ApiError> {
    let url = format!("/api/users/{person}/roles/{}", partnership.0);
    send_json(Request::put(&url), &RoleChange { role }).await
}

/// Disables (ending their sessions) or enables a person.
pub async fn set_disabled(person: uuid::Uuid, disabled: bool) -> Result<Person, ApiError> {
    let action = if disabled { "disable" } else { "enable" };
    let url = format!("/api/users/{person}/{action}");
    send_json(Request::post(&url), &serde_json::json!({})).await
}

/// Changes the signed-in person's password (`POST /api/session/password`).
pub async fn change_password(change: &PasswordChange) -> Result<(), ApiError> {
    send_json(Request::post("/api/session/password"), change).await
}

/// Starts setting up two-step verification: a new key (`POST /api/session/totp`).
pub async fn begin_two_step() -> Result<TwoStepSetup, ApiError> {
    send_json(Request::post("/api/session/totp"), &serde_json::json!({})).await
}

/// Confirms two-step verification with the app's first code.
pub async fn confirm_two_step(code: &str) -> Result<(), ApiError> {
    let body = TwoStepCode {
        code: code.to_owned(),
    };
    send_json(Request::post("/api/session/totp/confirm"), &body).await
}

/// Resets a person's two-step verification (an administrator's, for a lost phone).
pub async fn reset_two_step(person: uuid::Uuid) -> Result<Person, ApiError> {
    let url = format!("/api/users/{person}/totp");
    let (status, text) = fetch(Request::delete(&url), None).await?;
    decode(status, &text)
}
