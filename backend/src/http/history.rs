//! `GET /api/history?partnership=…&before=…` and `GET /api/history/{kind}/{id}`: the audit
//! log, for the partnership's managers and administrators only. Who (a person, a tablet, a
//! resident through a public link, the server) changed what, when, from which address; a
//! record's history with each field's value before and after.
//!
//! The history holds old values of every record, residents' answers included, which is why
//! it is the managers' alone, like the raw answers.

use atlas_shared::accounts::audit::{
    Action, Actor, HISTORY_PAGE, HistoryEntry, HistoryPage, field_changes,
};
use atlas_shared::{EntityKind, PartnershipId};
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::ApiContext;
use super::error::{Error, Result, body};
use super::extract::ApiQuery;
use super::session::Caller;
use crate::db::{HistoryOf, StoredHistory};

/// The most rows a record's history returns (its newest).
const RECORD_HISTORY_LIMIT: usize = 500;

pub fn router() -> Router<ApiContext> {
    Router::new()
        .route("/history", get(partnership_history))
        .route("/history/{kind}/{id}", get(record_history))
}

#[derive(Debug, Deserialize)]
struct PartnershipQuery {
    partnership: Uuid,
    #[serde(default)]
    before: Option<i64>,
}

/// Refuses anyone but a manager of `p` (or an administrator).
fn managers_only(caller: &Caller, p: PartnershipId) -> Result<()> {
    if caller.user.is_none() {
        return Err(caller.sign_in_needed("see the history of changes"));
    }
    if !caller.principal.manages(p) {
        return Err(Error::Forbidden(body(
            "Only the partnership's managers and administrators can see its history of changes.",
        )));
    }
    Ok(())
}

fn parse_fields(text: Option<&str>) -> Option<Map<String, Value>> {
    match serde_json::from_str(text?) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// A stored row as the reader sees it; `values`: with each field's value, else names only.
fn entry(row: StoredHistory, values: bool) -> HistoryEntry {
    let before = parse_fields(row.before.as_deref());
    let after = parse_fields(row.after.as_deref());
    let mut changes = field_changes(before.as_ref(), after.as_ref());
    if !values {
        for change in &mut changes {
            change.before = None;
            change.after = None;
        }
    }
    HistoryEntry {
        id: row.id,
        at: row.at,
        kind: row.kind,
        record_id: row.record_id,
        action: Action::parse(&row.action).unwrap_or(Action::Update),
        by: Actor::from_stored(row.actor.as_deref(), row.actor_name),
        address: row.address,
        changes,
    }
}

async fn partnership_history(
    State(ctx): State<ApiContext>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PartnershipQuery>,
) -> Result<Json<HistoryPage>> {
    let p = PartnershipId(query.partnership);
    managers_only(&caller, p)?;
    let rows = ctx
        .db
        .history(HistoryOf::Partnership(p), query.before, HISTORY_PAGE + 1)
        .await?;
    let more = rows.len() > HISTORY_PAGE;
    let entries: Vec<HistoryEntry> = rows
        .into_iter()
        .take(HISTORY_PAGE)
        .map(|row| entry(row, false))
        .collect();
    let older = more.then(|| entries.last().map(|e| e.id)).flatten();
    Ok(Json(HistoryPage { entries, older }))
}

async fn record_history(
    State(ctx): State<ApiContext>,
    caller: Caller,
    Path((kind, id)): Path<(String, String)>,
) -> Result<Json<HistoryPage>> {
    let kind = EntityKind::parse(&kind)
        .ok_or_else(|| Error::bad_request(format!("{kind:?} is not a kind of record")))?;
    let id = Uuid::parse_str(&id)
        .map_err(|e| Error::bad_request(format!("{id:?} is not a record's id: {e}")))?;
    let rows = ctx
        .db
        .history(HistoryOf::Record(kind, id), None, RECORD_HISTORY_LIMIT)
        .await?;
    let partnership = rows.iter().find_map(|r| r.partnership);
    let Some(p) = partnership else {
        if caller.user.is_none() {
            return Err(caller.sign_in_needed("see the history of changes"));
        }
        return Err(Error::NotFound(body(format!(
            "the server has no history of {} {id}",
            kind.noun()
        ))));
    };
    managers_only(&caller, p)?;
    let entries = rows.into_iter().map(|row| entry(row, true)).collect();
    Ok(Json(HistoryPage {
        entries,
        older: None,
    }))
}
