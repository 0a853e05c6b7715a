//! The signed-in person's own account: `POST /api/session/password` (a new password, given
//! the current one) and two-step verification, `POST /api/session/totp` (a new key to type
//! into an authenticator app) and `POST /api/session/totp/confirm` (its first code). Signing
//! in with a code is in `session.rs`; an administrator's reset of someone's key in `users.rs`.
//!
//! Administrators and partnership managers without two-step verification can still sign in:
//! demo data and a fresh install (the first administrator from `create-admin`) must work, and
//! a person locked out by a rule they never heard of would only share a password instead.
//! The app's header and the Account page tell them to set it up.

use atlas_shared::ErrorBody;
use atlas_shared::FieldError;
use atlas_shared::accounts::two_step::{
    CODE_FORMAT_MESSAGE, base32_decode, base32_encode, parse_code,
};
use atlas_shared::accounts::{PasswordChange, TwoStepCode, TwoStepSetup, needs_two_step};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use uuid::Uuid;

use super::ApiContext;
use super::error::{Error, Result, body};
use super::extract::ApiJson;
use super::session::{Caller, throttle};
use crate::accounts::{
    THROTTLE_WINDOW_MS, check_new_password, hash_password, hashing, now_ms, verify_password,
};
use crate::db::TwoStep;
use crate::totp::{matching_step, new_secret, otpauth_uri, step_at};

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/session/password", post(change_password))
        .route("/session/totp", post(begin_two_step))
        .route("/session/totp/confirm", post(confirm_two_step))
}

/// A refusal naming one field of the form, so the error summary links to it.
pub fn field_error(status: fn(ErrorBody) -> Error, field: &str, message: &str) -> Error {
    status(ErrorBody {
        error: message.to_owned(),
        fields: vec![FieldError::new(field, message)],
        ..ErrorBody::default()
    })
}

/// Whether `typed` is a code of `key` not used before; if so its step is taken (marked used,
/// and with `confirming` the key confirmed) so it is never accepted again.
pub async fn take_code(
    ctx: &ApiContext,
    user: Uuid,
    key: &TwoStep,
    typed: &str,
    confirming: bool,
) -> Result<bool> {
    let (Some(code), Some(secret)) = (parse_code(typed), base32_decode(&key.secret)) else {
        return Ok(false);
    };
    let now = now_ms();
    match matching_step(&secret, code, step_at(now), key.last_step) {
        Some(step) => Ok(ctx.db.use_two_step(user, step, now, confirming).await?),
        None => Ok(false),
    }
}

async fn change_password(
    State(ctx): State<ApiContext>,
    caller: Caller,
    ApiJson(change): ApiJson<PasswordChange>,
) -> Result<StatusCode> {
    let Some(me) = &caller.user else {
        return Err(caller.sign_in_needed("change your password"));
    };
    if let Err(message) = check_new_password(&change.new) {
        return Err(field_error(Error::Unprocessable, "new", &message));
    }
    let now = now_ms();
    throttle(&ctx, &me.email, &caller.address, now).await?;
    let Some((_, stored, _)) = ctx.db.user_for_sign_in(&me.email).await? else {
        return Err(caller.sign_in_needed("change your password"));
    };
    let current = change.current;
    let right = !current.is_empty()
        && hashing(move || verify_password(&stored, &current))
            .await
            .unwrap_or(false);
    if !right {
        // Counted like a wrong password at sign-in: a left-open browser is no way to guess.
        ctx.db
            .note_sign_in_failure(&me.email, &caller.address, now, now - THROTTLE_WINDOW_MS)
            .await?;
        return Err(field_error(
            Error::Unprocessable,
            "current",
            "Your current password is not right. Enter the password you signed in with",
        ));
    }
    let new = change.new;
    let hash = hashing(move || hash_password(&new))
        .await
        .ok()
        .and_then(|h| h.ok())
        .ok_or_else(|| {
            Error::unprocessable("The server could not store the new password. Try again.")
        })?;
    ctx.db
        .set_password(me.id, &hash, caller.session_hash())
        .await?;
    tracing::info!(user = %me.id, "changed their password; their other sessions ended");
    Ok(StatusCode::NO_CONTENT)
}

async fn begin_two_step(
    State(ctx): State<ApiContext>,
    caller: Caller,
) -> Result<Json<TwoStepSetup>> {
    let Some(me) = &caller.user else {
        return Err(caller.sign_in_needed("set up two-step verification"));
    };
    if !needs_two_step(&me.grants) {
        return Err(Error::Forbidden(body(
            "Two-step verification is for administrators and partnership managers.",
        )));
    }
    let secret = new_secret();
    if !ctx
        .db
        .begin_two_step(me.id, &base32_encode(&secret))
        .await?
    {
        return Err(Error::Conflict(body(
            "Two-step verification is set up already. If you have lost the phone with your \
             authenticator app, ask an administrator to reset it.",
        )));
    }
    Ok(Json(TwoStepSetup {
        secret: base32_encode(&secret),
        uri: otpauth_uri(&secret, &me.email),
    }))
}

async fn confirm_two_step(
    State(ctx): State<ApiContext>,
    caller: Caller,
    ApiJson(request): ApiJson<TwoStepCode>,
) -> Result<StatusCode> {
    let Some(me) = &caller.user else {
        return Err(caller.sign_in_needed("set up two-step verification"));
    };
    let key = match ctx.db.two_step(me.id).await? {
        Some(key) if !key.confirmed => key,
        Some(_) => {
            return Err(Error::Conflict(body(
                "Two-step verification is set up already.",
            )));
        }
        None => {
            return Err(Error::unprocessable(
                "Start setting up two-step verification first: the key to type into your app \
                 comes with it.",
            ));
        }
    };
    if parse_code(&request.code).is_none() {
        return Err(field_error(
            Error::Unprocessable,
            "code",
            CODE_FORMAT_MESSAGE,
        ));
    }
    if !take_code(&ctx, me.id, &key, &request.code, true).await? {
        return Err(field_error(
            Error::Unprocessable,
            "code",
            "The code is not right. Check the key you typed into your app, and enter the code \
             it shows now",
        ));
    }
    tracing::info!(user = %me.id, "set up two-step verification");
    Ok(StatusCode::NO_CONTENT)
}
