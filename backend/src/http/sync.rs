//! `POST /api/sync/push`, `POST /api/sync/inbox`, `POST /api/sync/outcomes` and
//! `GET /api/sync/pull`: the sync protocol of [`atlas_shared::sync`]. The handlers check the
//! request and hand it to the database; the merge rule and the transaction live behind the
//! [`Database`](crate::db::Database) trait.

use std::collections::HashSet;
use std::sync::Arc;

use atlas_shared::accounts::Principal;
use atlas_shared::{
    EntityKind, MAX_MUTATIONS_PER_PUSH, MAX_PULL_CHANGES, MAX_PUSH_BYTES, Mutation, MutationId, Op,
    OutcomesRequest, OutcomesResponse, PROTOCOL_VERSION, PullQuery, PullResponse, PushReceipt,
    PushRequest, PushResponse,
};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse as _, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use tokio::sync::Semaphore;

use super::ApiContext;
use super::answer_limit::{self, ANSWERS_PER_ADDRESS};
use super::error::{Error, Result};
use super::extract::{ApiJson, ApiQuery, JsonBody, is_json, parse, read_body};
use super::session::Caller;
use crate::accounts::now_ms;
use crate::db::Sender;

/// How much pushed JSON this process parses and holds at once, in KiB: one full push's worth
/// ([`MAX_PUSH_BYTES`]; 4 and 16 MiB took the server's peak memory past 100 MB under fifty
/// tablets). The pushes in hand wait for the writer, which writes every push waiting as one
/// group ([`crate::db`]'s group commit), so the more are ready the fewer commits a crowd of
/// tablets needs; beyond this budget they would only hold memory. The others wait their turn
/// with their bodies unread, and their wait counts towards the request's time limit as a wait
/// for the writer would.
const PUSH_KIB_AT_ONCE: usize = MAX_PUSH_BYTES / 1024;

/// The share of [`PUSH_KIB_AT_ONCE`] a body of `bytes` takes: its size in KiB, at least one.
fn push_kib(bytes: usize) -> u32 {
    let kib = bytes.div_ceil(1024).clamp(1, PUSH_KIB_AT_ONCE);
    u32::try_from(kib).unwrap_or(u32::MAX)
}

pub fn router() -> Router<ApiContext> {
    // Pushes and pushes handed off share one budget of bodies parsed at once.
    let turns = Arc::new(Semaphore::new(PUSH_KIB_AT_ONCE));
    Router::new()
        .route(
            "/sync/push",
            // A push's size is bounded here, and an oversized body is answered by `ApiJson`
            // with a JSON 413 that states the limit.
            post(push)
                .layer::<_, std::convert::Infallible>(middleware::from_fn_with_state(
                    Arc::clone(&turns),
                    in_turn,
                ))
                .layer(DefaultBodyLimit::max(MAX_PUSH_BYTES)),
        )
        .route(
            "/sync/inbox",
            // Its turn is taken in the handler: only while the body is parsed and checked.
            post(inbox)
                .layer::<_, std::convert::Infallible>(Extension(PushTurns(turns)))
                .layer(DefaultBodyLimit::max(MAX_PUSH_BYTES)),
        )
        .route("/sync/outcomes", post(outcomes))
        .route("/sync/pull", get(pull))
}

/// Runs a push once it has its turn (its share of [`PUSH_KIB_AT_ONCE`]): its body is read first
/// (a tablet on a slow connection holds no turn while it uploads), then it waits for a turn
/// before the body is parsed. A body that is not JSON goes straight on to be refused.
async fn in_turn(State(turns): State<Arc<Semaphore>>, request: Request, next: Next) -> Response {
    if !is_json(request.headers()) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match read_body(Request::from_parts(parts.clone(), body), &()).await {
        Ok(bytes) => bytes,
        Err(refused) => return refused.into_response(),
    };
    // The semaphore is never closed, and no share is larger than the whole, so a turn always
    // comes.
    let _turn = turns.acquire_many(push_kib(bytes.len())).await;
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

async fn push(
    State(ctx): State<ApiContext>,
    caller: Caller,
    ApiJson(request): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>> {
    let n = request.mutations.len();
    let device = request.device_id;
    let sender = accept(&ctx, caller, &request).await?;
    let results = ctx.db.push(sender, request.mutations).await?;
    tracing::debug!(%device, mutations = n, "push applied");
    Ok(Json(PushResponse {
        protocol: PROTOCOL_VERSION,
        results,
    }))
}

/// The budget of push bodies parsed at once ([`PUSH_KIB_AT_ONCE`]), for handlers that take
/// their turn themselves.
#[derive(Clone)]
struct PushTurns(Arc<Semaphore>);

/// A push handed off: checked as a push is, stored in the inbox, answered 202 (see "Handing a
/// push off" in [`atlas_shared::sync`]). It holds a turn of [`PUSH_KIB_AT_ONCE`] only while
/// it is parsed and checked: then the parsed mutations are dropped and the body as sent waits
/// for the writer, a fraction of their memory, so a crowd of tablets is parsed while the
/// writer stores what is ready.
async fn inbox(
    State(ctx): State<ApiContext>,
    Extension(PushTurns(turns)): Extension<PushTurns>,
    caller: Caller,
    JsonBody(bytes): JsonBody,
) -> Result<(StatusCode, Json<PushReceipt>)> {
    let (sender, device, received) = {
        // The semaphore is never closed, and no share is larger than the whole.
        let _turn = turns.acquire_many(push_kib(bytes.len())).await;
        let request: PushRequest = parse(&bytes)?;
        let sender = accept(&ctx, caller, &request).await?;
        (sender, request.device_id, request.mutations.len())
    };
    // Parsed as JSON, so UTF-8; the body's bytes become the string without a copy.
    let body = String::from_utf8(Vec::from(bytes))
        .map_err(|e| Error::bad_request(format!("the request body is not UTF-8: {e}")))?;
    ctx.db.hand_off(sender, body).await?;
    tracing::debug!(%device, mutations = received, "push received into the inbox");
    Ok((
        StatusCode::ACCEPTED,
        Json(PushReceipt {
            protocol: PROTOCOL_VERSION,
            received,
        }),
    ))
}

/// What became of mutations a device handed off.
async fn outcomes(
    State(ctx): State<ApiContext>,
    ApiJson(request): ApiJson<OutcomesRequest>,
) -> Result<Json<OutcomesResponse>> {
    if request.protocol != PROTOCOL_VERSION {
        return Err(Error::unsupported_protocol(request.protocol));
    }
    let n = request.mutation_ids.len();
    if n > MAX_MUTATIONS_PER_PUSH {
        return Err(Error::PayloadTooLarge(super::error::body(format!(
            "one request may ask about at most {MAX_MUTATIONS_PER_PUSH} mutations and this one \
             asks about {n}; ask about the rest in further requests"
        ))));
    }
    let device = request.device_id.0.to_string();
    let fates = ctx.db.fates(&device, &request.mutation_ids).await?;
    Ok(Json(OutcomesResponse {
        protocol: PROTOCOL_VERSION,
        fates,
    }))
}

/// Checks a push (or one handed off) before anything of it is stored, and says who sent it:
/// the protocol, its size, no mutation id twice, a sign-in for anything but residents' online
/// answers, and the limit on those (see "Bad batches" in [`atlas_shared::sync`]).
async fn accept(ctx: &ApiContext, caller: Caller, request: &PushRequest) -> Result<Sender> {
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
    if let Some(id) = repeated_mutation_id(&request.mutations) {
        return Err(Error::Unprocessable(atlas_shared::ErrorBody {
            mutation_id: Some(id),
            ..super::error::body(format!(
                "the mutation {id} appears twice in this push; each change is sent once under \
                 its own id, so nothing of this push was stored: send it again with each \
                 mutation once"
            ))
        }));
    }
    // Without a sign-in only residents' online answers may come; anything else is refused
    // whole, before anything is stored, so the device keeps it all and asks for a sign-in.
    if caller.principal == Principal::Public && !request.mutations.iter().all(is_online_answer) {
        let n = request.mutations.len();
        let what = if n == 1 {
            "send this change".to_owned()
        } else {
            format!("send these {n} changes")
        };
        return Err(caller.sign_in_needed(&what));
    }
    if caller.principal == Principal::Public
        && let Err(retry_after) =
            answer_limit::take(ctx.db.as_ref(), &caller.address, n, now_ms()).await?
    {
        let minutes = retry_after.div_ceil(60);
        return Err(Error::too_many_requests(
            format!(
                "The server takes at most {ANSWERS_PER_ADDRESS} answers an hour from one \
                 address without signing in, and this one has reached that. Nothing was lost: \
                 the answers are kept on this device and sent by themselves in about \
                 {minutes} {}.",
                if minutes == 1 { "minute" } else { "minutes" }
            ),
            retry_after,
        ));
    }
    Ok(Sender::new(caller.principal, caller.address, request.device_id).with_tablet(caller.tablet))
}

/// The first mutation id that appears a second time in `mutations` (see "Bad batches" in
/// [`atlas_shared::sync`]): neither copy is stored, since answering one with the other's
/// result could drop a change that differs.
fn repeated_mutation_id(mutations: &[Mutation]) -> Option<MutationId> {
    let mut seen = HashSet::with_capacity(mutations.len());
    mutations.iter().map(|m| m.id).find(|id| !seen.insert(*id))
}

/// Whether a mutation is a new answer through a public link: a response upsert whose channel
/// is online and which names no event. (The push checks everything else about it.)
fn is_online_answer(m: &Mutation) -> bool {
    let Op::Upsert { fields, .. } = &m.op else {
        return false;
    };
    m.kind == EntityKind::Response
        && fields.get("channel").and_then(|c| c.as_str()) == Some("online")
        && fields.get("event_id").is_none_or(|e| e.is_null())
}

async fn pull(
    State(ctx): State<ApiContext>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PullQuery>,
) -> Result<Json<PullResponse>> {
    if let Some(protocol) = query.protocol
        && protocol != PROTOCOL_VERSION
    {
        return Err(Error::unsupported_protocol(protocol));
    }
    // A withdrawn tablet reads nothing more; what it holds unsent stays on it.
    if let Some(withdrawn) = caller.tablet.as_ref().and_then(|t| t.withdrawn_message()) {
        return Err(Error::Unauthorized(super::error::body(withdrawn)));
    }
    let scope = query.scope.as_deref();
    let page = ctx
        .db
        .pull(&caller.principal, query.since, MAX_PULL_CHANGES, scope)
        .await?;
    Ok(Json(page))
}
