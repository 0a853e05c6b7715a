//! `POST /api/sync/push` and `GET /api/sync/pull`: the sync protocol of
//! [`atlas_shared::sync`]. The handlers check the request and hand it to the database; the
//! merge rule and the transaction live behind the [`Database`](crate::db::Database) trait.

use atlas_shared::{
    MAX_MUTATIONS_PER_PUSH, MAX_PULL_CHANGES, MAX_PUSH_BYTES, PROTOCOL_VERSION, PullQuery,
    PullResponse, PushRequest, PushResponse,
};
use axum::extract::{DefaultBodyLimit, State};
use axum::routing::{get, post};
use axum::{Json, Router};

use super::ApiContext;
use super::error::{Error, Result};
use super::extract::{ApiJson, ApiQuery};

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route(
            "/sync/push",
            // A push is the only body the API reads; its size is bounded here, and an oversized
            // body is answered by `ApiJson` with a JSON 413 that states the limit.
            post(push).layer(DefaultBodyLimit::max(MAX_PUSH_BYTES)),
        )
        .route("/sync/pull", get(pull))
}

async fn push(
    State(ctx): State<ApiContext>,
    ApiJson(request): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>> {
    if request.protocol != PROTOCOL_VERSION {
        return Err(Error::unsupported_protocol(request.protocol));
    }
    let n = request.mutations.len();
    if n > MAX_MUTATIONS_PER_PUSH {
        return Err(Error::PayloadTooLarge(super::error::body(format!(
            "a push may carry at most {MAX_MUTATIONS_PER_PUSH} mutations and this one has {n}; \
             send the rest in further pushes"
        ))));
    }
    let results = ctx.db.push(request.device_id, &request.mutations).await?;
    tracing::debug!(
        device = %request.device_id,
        mutations = n,
        "push applied"
    );
    Ok(Json(PushResponse {
        protocol: PROTOCOL_VERSION,
        results,
    }))
}

async fn pull(
    State(ctx): State<ApiContext>,
    ApiQuery(query): ApiQuery<PullQuery>,
) -> Result<Json<PullResponse>> {
    if let Some(protocol) = query.protocol
        && protocol != PROTOCOL_VERSION
    {
        return Err(Error::unsupported_protocol(protocol));
    }
    Ok(Json(ctx.db.pull(query.since, MAX_PULL_CHANGES).await?))
}
