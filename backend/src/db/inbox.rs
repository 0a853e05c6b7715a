//! The inbox of pushes handed off (`POST /api/sync/inbox`): how a push and its sender are kept
//! in it, and how a device learns what became of each mutation (`POST /api/sync/outcomes`).
//! The writer stores and applies it ([`group`](super::group)); each backend has the statements.

use std::collections::HashMap;

use atlas_shared::accounts::tablets::TabletInfo;
use atlas_shared::accounts::{Grants, Principal};
use atlas_shared::{
    DeviceId, ErrorBody, Fate, FieldError, Mutation, MutationFate, MutationId, MutationResult,
    PartnershipId, PushRequest,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::DbError;
use super::push::Sender;

/// Who handed a push off, as the server established it when it arrived: what it is applied
/// as. The server's own record, never read from a client.
#[derive(Serialize, Deserialize)]
struct StoredSender {
    principal: StoredPrincipal,
    address: String,
    device: Uuid,
    received_at: i64,
    tablet: Option<TabletInfo>,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum StoredPrincipal {
    Public,
    User {
        id: Uuid,
        grants: Grants,
    },
    Tablet {
        id: Uuid,
        partnership: PartnershipId,
    },
}

/// A push's sender as the inbox keeps it (JSON).
pub(crate) fn sender_to_json(sender: &Sender) -> Result<String, DbError> {
    let device = Uuid::parse_str(&sender.device)
        .map_err(|e| DbError::Corrupt(format!("a device id that is not a UUID: {e}")))?;
    let principal = match &sender.principal {
        Principal::Public => StoredPrincipal::Public,
        Principal::User { id, grants } => StoredPrincipal::User {
            id: *id,
            grants: grants.clone(),
        },
        Principal::Tablet { id, partnership } => StoredPrincipal::Tablet {
            id: *id,
            partnership: *partnership,
        },
    };
    super::to_json(&StoredSender {
        principal,
        address: sender.address.clone(),
        device,
        received_at: sender.received_at,
        tablet: sender.tablet.clone(),
    })
}

/// A push's sender read back from the inbox, as it was when the push arrived.
pub(crate) fn sender_from_json(text: &str) -> Result<Sender, DbError> {
    let stored: StoredSender = serde_json::from_str(text)
        .map_err(|e| DbError::Corrupt(format!("a push's sender in the inbox: {e}")))?;
    let principal = match stored.principal {
        StoredPrincipal::Public => Principal::Public,
        StoredPrincipal::User { id, grants } => Principal::User { id, grants },
        StoredPrincipal::Tablet { id, partnership } => Principal::Tablet { id, partnership },
    };
    let mut sender =
        Sender::new(principal, stored.address, DeviceId(stored.device)).with_tablet(stored.tablet);
    sender.received_at = stored.received_at;
    Ok(sender)
}

/// A push's mutations read back from the inbox, where the request's body is kept as sent.
pub(crate) fn mutations_from_json(text: &str) -> Result<Vec<Mutation>, DbError> {
    serde_json::from_str::<PushRequest>(text)
        .map(|push| push.mutations)
        .map_err(|e| DbError::Corrupt(format!("a push in the inbox: {e}")))
}

/// What a backend found of some mutation ids of one device.
#[derive(Default)]
pub struct Found {
    /// `(mutation id, result as JSON)` from the settled mutations.
    pub settled: Vec<(String, String)>,
    /// `(mutation id, the sentence it was refused with, its field errors as JSON)`.
    pub refused: Vec<(String, String, String)>,
    /// Whether the inbox still holds a push from the device.
    pub in_inbox: bool,
}

/// Each id's fate, in the order asked: settled, refused, pending while the device has a push
/// in the inbox, and otherwise unknown (send it again).
pub(crate) fn fates(ids: &[MutationId], found: Found) -> Result<Vec<MutationFate>, DbError> {
    let mut known: HashMap<String, Fate> = HashMap::new();
    for (id, error, fields) in found.refused {
        let fields: Vec<FieldError> = serde_json::from_str(&fields)
            .map_err(|e| DbError::Corrupt(format!("a refused change's fields: {e}")))?;
        let mutation_id = Uuid::parse_str(&id).ok().map(MutationId);
        let error = ErrorBody {
            error,
            mutation_id,
            fields,
            ..ErrorBody::default()
        };
        known.insert(id, Fate::Refused { error });
    }
    // A settled result is the last word: a change refused once and sent again whole under the
    // same id cannot settle (its digest would differ), but should both be found, the result
    // the device would hear from a push wins.
    for (id, result) in found.settled {
        let result: MutationResult = serde_json::from_str(&result)
            .map_err(|e| DbError::Corrupt(format!("a settled mutation's result: {e}")))?;
        known.insert(
            id,
            Fate::Settled {
                outcome: result.outcome,
            },
        );
    }
    let otherwise = if found.in_inbox {
        Fate::Pending
    } else {
        Fate::Unknown
    };
    Ok(ids
        .iter()
        .map(|id| MutationFate {
            mutation_id: *id,
            fate: known
                .remove(&id.0.to_string())
                .unwrap_or_else(|| otherwise.clone()),
        })
        .collect())
}
