//! Who is asking ([`Caller`], from the session cookie or a registered tablet's bearer token,
//! checked against the database on every request) and `/api/session`: `GET` who this browser is signed in as, `POST` sign in, `DELETE`
//! sign out.
//!
//! The cookie holds a random token (only its hash is stored: `crate::accounts`); it is
//! HttpOnly and SameSite=Lax, and over HTTPS (`--https`) named `__Host-atlas_session` and
//! Secure, so no other site or path can set or read it. Signing in always makes a new token,
//! so a token planted before sign-in is worth nothing after it.

use std::net::SocketAddr;

use atlas_shared::accounts::tablets::TabletInfo;
use atlas_shared::accounts::two_step::CODE_FORMAT_MESSAGE;
use atlas_shared::accounts::{
    CODE_FIELD, MAX_PASSWORD_CHARS, Principal, SessionInfo, SignIn, UserInfo,
};
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use super::ApiContext;
use super::account::{field_error, take_code};
use super::client_address::client_address;
use super::error::{Error, Result, body};
use super::extract::ApiJson;
use crate::accounts::{
    SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, THROTTLE_WINDOW_MS, decoy_hash, hashing, new_token,
    normal_email, now_ms, token_hash, verify_password,
};

/// The cookie's name over plain HTTP (development, a test server on loopback).
pub const COOKIE_NAME: &str = "atlas_session";
/// The cookie's name over HTTPS: the `__Host-` prefix binds it to this host and path `/`.
pub const SECURE_COOKIE_NAME: &str = "__Host-atlas_session";

pub fn router() -> Router<ApiContext> {
    Router::new().route("/session", get(current).post(sign_in).delete(sign_out))
}

/// The principal of a request, established by the server: a registered tablet (from an
/// `Authorization: Bearer` token; withdrawn or not, as stored), a signed-in person (their
/// grants read from the database on this request), or the public. `ended` says a session cookie came
/// with the request but its session is over, so a refusal can say "sign in again".
#[derive(Clone, Debug)]
pub struct Caller {
    pub principal: Principal,
    pub user: Option<UserInfo>,
    /// The client's address, for the history and the throttle.
    pub address: String,
    pub ended: bool,
    /// The registered tablet asking, as stored (a withdrawn one too: its push is answered
    /// with refusals so its answers are kept; its pull is refused).
    pub tablet: Option<TabletInfo>,
    token_hash: Option<String>,
}

impl Caller {
    /// The hash of this request's session token, if it came with one.
    pub fn session_hash(&self) -> Option<&str> {
        self.token_hash.as_deref()
    }

    /// A refusal for a request that needs someone signed in.
    pub fn sign_in_needed(&self, what: &str) -> Error {
        let lead = if self.ended {
            "Your sign-in has ended"
        } else {
            "Nobody is signed in"
        };
        Error::Unauthorized(body(format!(
            "{lead}: sign in to {what}. Nothing was changed, and nothing you entered is lost."
        )))
    }
}

impl FromRequestParts<ApiContext> for Caller {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, ctx: &ApiContext) -> Result<Self> {
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok());
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| client_address(a.ip(), forwarded, &ctx.trusted_proxies))
            .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
        if let Some(token) = bearer_token(&parts.headers) {
            let tablet = ctx
                .db
                .tablet_by_token(&token_hash(&token), now_ms())
                .await?;
            let Some(tablet) = tablet else {
                return Err(Error::Unauthorized(body(
                    "This tablet is not registered with Partnership Atlas: ask a manager of \
                     the partnership for a new enrol link. Nothing was changed, and the answers \
                     on the tablet are kept.",
                )));
            };
            return Ok(Caller {
                principal: Principal::Tablet {
                    id: tablet.id,
                    partnership: tablet.partnership_id,
                },
                user: None,
                address,
                ended: false,
                tablet: Some(tablet),
                token_hash: None,
            });
        }
        let token = session_token(&parts.headers);
        let Some(token) = token else {
            return Ok(Caller {
                principal: Principal::Public,
                user: None,
                address,
                ended: false,
                tablet: None,
                token_hash: None,
            });
        };
        let hash = token_hash(&token);
        let user = ctx
            .db
            .session_user(&hash, now_ms(), SESSION_IDLE_MS)
            .await?;
        Ok(Caller {
            principal: user.as_ref().map_or(Principal::Public, UserInfo::principal),
            ended: user.is_none(),
            user,
            address,
            tablet: None,
            token_hash: Some(hash),
        })
    }
}

/// A registered tablet's token from `Authorization: Bearer <token>`, if any.
fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && token.len() <= 128)
        .then(|| token.to_owned())
}

/// The session token from the request's cookies (either name), if any.
fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME || *name == SECURE_COOKIE_NAME)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

fn cookie(ctx: &ApiContext, value: &str, max_age_seconds: i64) -> HeaderValue {
    let (name, secure) = if ctx.https {
        (SECURE_COOKIE_NAME, "; Secure")
    } else {
        (COOKIE_NAME, "")
    };
    let text = format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}"
    );
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

async fn current(caller: Caller) -> Json<SessionInfo> {
    Json(SessionInfo { user: caller.user })
}

async fn sign_in(
    State(ctx): State<ApiContext>,
    caller: Caller,
    ApiJson(request): ApiJson<SignIn>,
) -> Result<Response> {
    let email = normal_email(&request.email);
    if email.is_empty() || request.password.is_empty() {
        return Err(Error::unprocessable(
            "Enter your email address and your password",
        ));
    }
    let now = now_ms();
    throttle(&ctx, &email, &caller.address, now).await?;
    let account = ctx.db.user_for_sign_in(&email).await?;
    let password = request.password;
    let too_long = password.chars().count() > MAX_PASSWORD_CHARS;
    // A missing account is checked against a decoy, so it takes as long as a wrong password.
    // (The decoy is made, once, on the hashing thread too: it is a hash.)
    let (hash, known) = match &account {
        Some((_, hash, _)) => (Some(hash.clone()), true),
        None => (None, false),
    };
    let matches = !too_long
        && hashing(move || match &hash {
            Some(hash) => verify_password(hash, &password),
            None => verify_password(decoy_hash(), &password),
        })
        .await
        .unwrap_or(false)
        && known;
    let user = match account {
        Some((id, _, disabled)) if matches && !disabled => id,
        Some((_, _, true)) if matches => {
            return Err(Error::Forbidden(body(
                "This account has been disabled. Ask your partnership manager or an \
                 administrator if you need it again.",
            )));
        }
        _ => {
            ctx.db
                .note_sign_in_failure(&email, &caller.address, now, now - THROTTLE_WINDOW_MS)
                .await?;
            return Err(Error::Unauthorized(body(
                "The email address or the password is not right. Check them and try again.",
            )));
        }
    };
    // Two-step verification, once set up: the password was right, so say so only by asking
    // for the code. A wrong code counts in the throttle as a wrong password does.
    if let Some(key) = ctx.db.two_step(user).await?.filter(|k| k.confirmed) {
        let typed = request.code.as_deref().map(str::trim).unwrap_or_default();
        if typed.is_empty() {
            return Err(field_error(
                Error::Unauthorized,
                CODE_FIELD,
                "Enter the 6-digit code from your authenticator app",
            ));
        }
        if !take_code(&ctx, user, &key, typed, false).await? {
            ctx.db
                .note_sign_in_failure(&email, &caller.address, now, now - THROTTLE_WINDOW_MS)
                .await?;
            let message = if atlas_shared::accounts::two_step::parse_code(typed).is_none() {
                CODE_FORMAT_MESSAGE
            } else {
                "The code is not right, or it has been used already. Enter the code your \
                 authenticator app shows now"
            };
            return Err(field_error(Error::Unauthorized, CODE_FIELD, message));
        }
    }
    // A new token every time: one planted before sign-in is never the signed-in session.
    if let Some(old) = &caller.token_hash {
        ctx.db.end_session(old).await?;
    }
    let (token, hash) = new_token();
    ctx.db
        .start_session(&hash, user, now, now + SESSION_ABSOLUTE_MS)
        .await?;
    let info = ctx.db.session_user(&hash, now, SESSION_IDLE_MS).await?;
    tracing::info!(user = %user, "signed in");
    let set = cookie(&ctx, &token, SESSION_ABSOLUTE_MS / 1000);
    Ok(([(SET_COOKIE, set)], Json(SessionInfo { user: info })).into_response())
}

/// Refuses the try (429 with `Retry-After`) while `email` or `address` has failed too often
/// (wrong passwords, wrong codes) in the throttle's window.
pub async fn throttle(ctx: &ApiContext, email: &str, address: &str, now: i64) -> Result<()> {
    let failures = ctx
        .db
        .sign_in_failures(email, address, now - THROTTLE_WINDOW_MS)
        .await?;
    let Some(retry_after) = failures.wait_seconds(now) else {
        return Ok(());
    };
    let minutes = retry_after.div_ceil(60);
    Err(Error::too_many_requests(
        format!(
            "Too many sign-in attempts. Wait {} and try again, or ask your partnership manager \
             to check your email address.",
            if retry_after < 60 {
                format!("{retry_after} seconds")
            } else {
                format!("{minutes} minutes")
            }
        ),
        retry_after,
    ))
}

async fn sign_out(State(ctx): State<ApiContext>, caller: Caller) -> Result<Response> {
    if let Some(hash) = &caller.token_hash {
        ctx.db.end_session(hash).await?;
    }
    let clear = cookie(&ctx, "", 0);
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, clear)]).into_response())
}
