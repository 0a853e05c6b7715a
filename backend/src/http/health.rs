//! `GET /api/health`: whether the server and its database answer, for monitoring and for the
//! app's "are we online?" check.

use atlas_shared::PROTOCOL_VERSION;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use super::ApiContext;
use super::error::{Error, Result};

pub fn router() -> Router<ApiContext> {
    Router::new().route("/health", get(health))
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    protocol: u32,
    database: &'static str,
}

async fn health(State(ctx): State<ApiContext>) -> Result<Json<Health>> {
    ctx.db.ping().await.map_err(Error::Unavailable)?;
    Ok(Json(Health {
        status: "ok",
        protocol: PROTOCOL_VERSION,
        database: ctx.db.backend(),
    }))
}
