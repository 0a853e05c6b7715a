//! `GET /api/refused` and `POST /api/refused/{mutation_id}/count`: the answers the server did
//! not store, for a manager to see on the results page and count.
//!
//! An answer the server refused stays on the device that took it ("needs attention") and is
//! kept by the server too (`refused_mutations`). Counting one stores it through the ordinary
//! push, so every rule of a push still holds; it is stored marked for review and then marked
//! accepted, which is what a manager's decision is. Only a manager of the answer's partnership
//! (or an administrator) sees or counts it: the answers hold residents' free text.

use atlas_shared::attention::{CountedAnswer, Refusal, RefusedAnswer, RefusedAnswers};
use atlas_shared::{DeviceId, Mutation, MutationId, Op, Outcome, PartnershipId, Seq, uuid_v7};
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::ApiContext;
use super::error::{Error, Result, body};
use super::session::Caller;
use crate::db::{PushError, Sender, countable_fields};

/// How many refused answers one listing returns.
const MAX_LISTED: usize = 500;

/// The device id the server pushes a manager's decision under: the server itself.
const SERVER_DEVICE: DeviceId = DeviceId(Uuid::nil());

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/refused", get(list))
        .route("/refused/{mutation_id}/count", post(count))
}

/// The partnership a refused answer names (as sent: the push rechecks it when counted).
fn partnership_of(answer: &RefusedAnswer) -> Option<PartnershipId> {
    let Op::Upsert { fields, .. } = &answer.change.mutation.op else {
        return None;
    };
    let id = fields.get("partnership_id")?.as_str()?;
    Uuid::parse_str(id).ok().map(PartnershipId)
}

fn manages(caller: &Caller, answer: &RefusedAnswer) -> bool {
    caller.principal.is_admin()
        || partnership_of(answer).is_some_and(|p| caller.principal.manages(p))
}

async fn list(State(ctx): State<ApiContext>, caller: Caller) -> Result<Json<RefusedAnswers>> {
    if caller.user.is_none() {
        return Err(caller.sign_in_needed("see the answers the server refused"));
    }
    let mut answers = ctx.db.refused_answers(MAX_LISTED).await?;
    answers.retain(|a| manages(&caller, a));
    Ok(Json(RefusedAnswers { answers }))
}

async fn count(
    State(ctx): State<ApiContext>,
    caller: Caller,
    Path(mutation_id): Path<String>,
) -> Result<Json<CountedAnswer>> {
    if caller.user.is_none() {
        return Err(caller.sign_in_needed("count a refused answer"));
    }
    let id = Uuid::parse_str(&mutation_id).map(MutationId).map_err(|e| {
        Error::bad_request(format!("{mutation_id:?} is not a refused change's id: {e}"))
    })?;
    let Some((refused, settled)) = ctx.db.refused_change(id).await? else {
        return Err(Error::NotFound(body(format!(
            "the server has refused no change {id}; it may never have reached the server"
        ))));
    };
    if !manages(&caller, &refused) {
        return Err(Error::Forbidden(body(
            "Only a manager of the answer's partnership can count a refused answer.",
        )));
    }
    let sender = Sender::new(
        caller.principal.clone(),
        caller.address.clone(),
        SERVER_DEVICE,
    );
    let mutation = &refused.change.mutation;
    if let Some(version) = settled {
        return Ok(Json(CountedAnswer {
            record_id: mutation.record_id,
            version,
            left_out: Vec::new(),
        }));
    }
    let (fields, left_out) = countable_fields(mutation)
        .map_err(|why| Error::unprocessable(format!("This answer cannot be counted: {why}.")))?;
    // An answer refused as invalid never settled its mutation id (the push rolled back), so
    // it is stored under that id. One rejected in a push settled its id with the rejection:
    // sent again under it, the push would answer that rejection, so it goes under an id made
    // from it (the same every time, so a retried count applies once).
    let store_id = match refused.change.refusal {
        Refusal::Invalid { .. } => mutation.id,
        Refusal::Rejected { .. } => derived_id(id, 0x5a),
    };
    let store = Mutation {
        id: store_id,
        kind: mutation.kind,
        record_id: mutation.record_id,
        op: Op::Upsert {
            base_version: None,
            fields,
        },
    };
    let version = push_one(&ctx, &sender, store).await?;
    let accept = Mutation {
        id: derived_id(id, 0xa5),
        kind: mutation.kind,
        record_id: mutation.record_id,
        op: Op::Upsert {
            base_version: Some(version),
            fields: Map::from_iter([("accepted".to_owned(), Value::Bool(true))]),
        },
    };
    let version = push_one(&ctx, &sender, accept).await?;
    ctx.db.settle_refused(id, version).await?;
    tracing::info!(mutation = %id, record = %mutation.record_id, "a refused answer was counted");
    Ok(Json(CountedAnswer {
        record_id: mutation.record_id,
        version,
        left_out,
    }))
}

/// Pushes one mutation as the server and returns the version it was stored at; a refusal is
/// answered as a 422 that says why, for the manager.
async fn push_one(ctx: &ApiContext, sender: &Sender, mutation: Mutation) -> Result<Seq> {
    let cannot = |why: &str| Error::unprocessable(format!("This answer cannot be counted: {why}"));
    match ctx.db.push(sender.clone(), vec![mutation]).await {
        Ok(results) => match results.into_iter().next().map(|r| r.outcome) {
            Some(Outcome::Applied { version, .. }) => Ok(version),
            Some(Outcome::Rejected { message, .. }) => Err(cannot(&message)),
            None => Err(cannot("the server gave no result for it")),
        },
        Err(PushError::Invalid { message, .. } | PushError::TooLarge { message, .. }) => {
            Err(cannot(&message))
        }
        Err(PushError::Database(e)) => Err(e.into()),
    }
}

/// An id made from the refused change's id `refused` (`salt` tells the uses apart): the
/// "accepted" decision's, and the counted answer's when its own id is settled. The same every
/// time, so a count retried after a lost answer applies it once.
fn derived_id(refused: MutationId, salt: u8) -> MutationId {
    let bytes = refused.0.as_bytes();
    let mut random = [0u8; 10];
    random.copy_from_slice(&bytes[6..]);
    random[0] ^= salt;
    let ms = u64::from_be_bytes([
        0, 0, bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5],
    ]);
    MutationId(uuid_v7(ms, random))
}
