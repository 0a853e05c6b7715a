//! `GET /api/open-data/{partnership}/popolo.json`: a partnership's structure and meetings as Popolo JSON
//! ([`atlas_shared::open_data`]), for civic-tech tools to read. Anyone may ask: the export
//! holds what the caller may see, which for the public is a published partnership's public
//! records, judged by the same pull that fills a device.
//!
//! It reads the caller's whole pull each time. That is fine for a structure read now and then;
//! a busy open-data service would cache it by the pull's cursor.

use atlas_shared::accounts::Principal;
use atlas_shared::open_data::{Popolo, popolo};
use atlas_shared::{MAX_PULL_CHANGES, PartnershipId, Replica, Snapshot};
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use uuid::Uuid;

use super::ApiContext;
use super::error::{Error, Result, body};
use super::session::Caller;

pub fn router() -> Router<ApiContext> {
    Router::new().route("/open-data/{partnership}/popolo.json", get(structure))
}

async fn structure(
    State(ctx): State<ApiContext>,
    caller: Caller,
    Path(partnership): Path<Uuid>,
) -> Result<Json<Popolo>> {
    let snapshot = visible_to(&ctx, &caller.principal).await?;
    popolo(&snapshot, PartnershipId(partnership))
        .map(Json)
        .ok_or_else(|| {
            Error::NotFound(body(
                "There is no partnership with this id that you may see. A partnership that is \
                 not published can be seen only by its members after signing in.",
            ))
        })
}

/// Everything `reader` may see, as a device that pulled from nothing would hold it.
async fn visible_to(ctx: &ApiContext, reader: &Principal) -> Result<Snapshot> {
    let mut replica = Replica::default();
    let mut scope: Option<String> = None;
    let mut restarts = 0;
    loop {
        let page = ctx
            .db
            .pull(reader, replica.cursor, MAX_PULL_CHANGES, scope.as_deref())
            .await?;
        if page.reset {
            // What the reader may see changed between two pages: start again, a few times.
            restarts += 1;
            if restarts > 3 {
                return Err(Error::Conflict(body(
                    "The partnership is changing who may see what right now. Try again in a \
                     minute.",
                )));
            }
            replica = Replica::default();
            scope = None;
            continue;
        }
        scope = Some(page.scope);
        for change in &page.changes {
            replica.apply_change(change);
        }
        replica.cursor = replica.cursor.max(page.cursor);
        if !page.more {
            return Ok(replica.view(&[]));
        }
    }
}
