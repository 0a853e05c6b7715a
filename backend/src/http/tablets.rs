//! Registered tablets: `POST /api/tablets` (register one: its token shown once, as a link and
//! a QR code), `GET /api/tablets?partnership=…` (the partnership's tablets, never a token),
//! `POST /api/tablets/{id}/revoke` (withdraw one), all for a manager of the tablet's
//! partnership or an administrator; and `GET /api/tablet`, which a tablet asks with its bearer
//! token to learn what it is registered for.
//!
//! The token is 32 random bytes; only its SHA-256 is stored (`crate::accounts`), so the list
//! and the database never hold it. A tablet sends it as `Authorization: Bearer` (see
//! [`Caller`]); a withdrawn tablet's push is answered with refusals, so its answers are kept
//! for a manager to count (`refused`), and its pull is refused.

use atlas_shared::accounts::tablets::{
    ENROL_PATH, NewTablet, QrMatrix, RegisteredTablet, TabletInfo, Tablets,
};
use atlas_shared::{EntityKind, ErrorBody, PartnershipId, uuid_v7};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::http::header::HOST;
use axum::routing::{get, post};
use axum::{Json, Router};
use password_hash::rand_core::{OsRng, RngCore};
use serde::Deserialize;
use uuid::Uuid;

use super::ApiContext;
use super::error::{Error, Result, body};
use super::extract::{ApiJson, ApiQuery};
use super::session::Caller;
use crate::accounts::{new_token, now_ms};

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/tablets", get(list).post(register))
        .route("/tablets/{id}/revoke", post(revoke))
        .route("/tablet", get(this_tablet))
}

/// The signed-in person, if they manage `partnership`; else the refusal.
fn manager_of(caller: &Caller, partnership: PartnershipId, what: &str) -> Result<Uuid> {
    let Some(user) = &caller.user else {
        return Err(caller.sign_in_needed(what));
    };
    if !caller.principal.manages(partnership) {
        return Err(Error::Forbidden(body(format!(
            "Only a manager of the partnership can {what}."
        ))));
    }
    Ok(user.id)
}

#[derive(Deserialize)]
struct ListQuery {
    partnership: Uuid,
}

async fn list(
    State(ctx): State<ApiContext>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Json<Tablets>> {
    let partnership = PartnershipId(query.partnership);
    manager_of(&caller, partnership, "see its registered tablets")?;
    let tablets = ctx.db.tablets(partnership).await?;
    Ok(Json(Tablets { tablets }))
}

async fn register(
    State(ctx): State<ApiContext>,
    caller: Caller,
    headers: HeaderMap,
    ApiJson(request): ApiJson<NewTablet>,
) -> Result<Json<RegisteredTablet>> {
    let partnership = request.partnership_id;
    let by = manager_of(&caller, partnership, "register a tablet")?;
    let name = request
        .checked_name()
        .map_err(|field| invalid(field.message.clone(), vec![field]))?;
    // Checked as stored: the partnership, and each consultation being one of its own.
    if ctx
        .db
        .live_partnership_of(EntityKind::Partnership, partnership.0)
        .await?
        .is_none()
    {
        return Err(Error::NotFound(body(format!(
            "there is no partnership {}",
            partnership.0
        ))));
    }
    let mut consultation_ids = request.consultation_ids.clone();
    consultation_ids.sort();
    consultation_ids.dedup();
    for c in &consultation_ids {
        let of = ctx
            .db
            .live_partnership_of(EntityKind::Consultation, c.0)
            .await?;
        if of != Some(partnership) {
            let message = "Choose consultations of this partnership only".to_owned();
            let field = atlas_shared::FieldError::new("consultation_ids", message.clone());
            return Err(invalid(message, vec![field]));
        }
    }
    let now = now_ms();
    let mut random = [0u8; 10];
    OsRng.fill_bytes(&mut random);
    let tablet = TabletInfo {
        id: uuid_v7(u64::try_from(now).unwrap_or_default(), random),
        partnership_id: partnership,
        name,
        consultation_ids,
        created_at: now,
        created_by: by,
        last_seen_at: None,
        revoked_at: None,
        revoked_by: None,
    };
    let (token, hash) = new_token();
    ctx.db.create_tablet(&tablet, &hash).await?;
    tracing::info!(tablet = %tablet.id, partnership = %partnership.0, "a tablet was registered");
    let enrol_link = enrol_link(&ctx, &headers, &token);
    let qr = qr_matrix(&enrol_link)?;
    Ok(Json(RegisteredTablet {
        tablet,
        token,
        enrol_link,
        qr,
    }))
}

async fn revoke(
    State(ctx): State<ApiContext>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<TabletInfo>> {
    let not_found = || Error::NotFound(body(format!("there is no registered tablet {id}")));
    let tablet_id = Uuid::parse_str(&id).map_err(|_| not_found())?;
    if caller.user.is_none() {
        return Err(caller.sign_in_needed("withdraw a tablet"));
    }
    let tablet = ctx.db.tablet(tablet_id).await?.ok_or_else(not_found)?;
    let by = manager_of(&caller, tablet.partnership_id, "withdraw its tablets")?;
    let withdrawn = ctx
        .db
        .revoke_tablet(tablet_id, by, now_ms())
        .await?
        .ok_or_else(not_found)?;
    tracing::info!(tablet = %tablet_id, "a tablet was withdrawn");
    Ok(Json(withdrawn))
}

/// What the asking tablet is registered for (withdrawn or not).
async fn this_tablet(caller: Caller) -> Result<Json<TabletInfo>> {
    caller.tablet.map(Json).ok_or_else(|| {
        Error::Unauthorized(body(
            "Only a registered tablet can ask this: open the enrol link a manager gave you.",
        ))
    })
}

fn invalid(error: String, fields: Vec<atlas_shared::FieldError>) -> Error {
    Error::Unprocessable(ErrorBody {
        error,
        fields,
        ..ErrorBody::default()
    })
}

/// The link a tablet opens, on the address the manager reached: the token in the fragment,
/// which a browser never sends to a server.
fn enrol_link(ctx: &ApiContext, headers: &HeaderMap, token: &str) -> String {
    let scheme = if ctx.https { "https" } else { "http" };
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic()));
    match host {
        Some(host) => format!("{scheme}://{host}{ENROL_PATH}#{token}"),
        None => format!("{ENROL_PATH}#{token}"),
    }
}

/// `text` as a QR code's modules, one string of '1' (dark) and '0' (light) per row.
fn qr_matrix(text: &str) -> Result<QrMatrix> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(|e| {
        tracing::error!(error = %e, "could not make the enrol link's QR code");
        Error::unprocessable("The enrol link is too long for a QR code; copy the link instead.")
    })?;
    let size = code.width();
    let modules = code.to_colors();
    let rows = modules
        .chunks(size.max(1))
        .map(|row| {
            row.iter()
                .map(|c| if *c == qrcode::Color::Dark { '1' } else { '0' })
                .collect()
        })
        .collect();
    Ok(QrMatrix { size, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_becomes_a_square_matrix_with_finder_patterns() {
        let qr = qr_matrix(
            "http://127.0.0.1:8080/tablet/enrol#abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        )
        .expect("a QR code");
        assert_eq!(qr.rows.len(), qr.size);
        assert!(qr.rows.iter().all(|r| r.len() == qr.size));
        // The top-left finder pattern: a dark 7-module row, then dark, 5 light, dark.
        assert!(qr.rows[0].starts_with("1111111"), "{}", qr.rows[0]);
        assert!(qr.rows[1].starts_with("1000001"), "{}", qr.rows[1]);
    }
}
