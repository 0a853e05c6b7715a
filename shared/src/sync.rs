//! The sync protocol between a browser's outbox and the server, and the merge rule for edits
//! made against an old version.
//!
//! # The model
//! * Every record has a client-made id; every change travels as a [`Mutation`] with its own id.
//! * `POST /api/sync/push` applies a batch of mutations in one transaction. The server records
//!   each mutation id with its result, so a retried push changes nothing and answers the same.
//! * Each applied change takes the next position ([`Seq`]) in one server-wide change sequence,
//!   and becomes the record's `version`. `GET /api/sync/pull?since=N` returns every record whose
//!   version is above `N` (deleted ones as tombstones), in order, so a pull costs
//!   O(records changed since N) and never O(database).
//! * Positions are taken inside the writing transaction from a single counter row, so a
//!   transaction that takes a lower position commits before any that takes a higher one: a
//!   reader can never see position 8 committed while 7 is still to come.
//!
//! # The merge rule for a stale edit
//! An upsert names the `base_version` it was made against and carries only the fields it
//! changed. Fields nobody else changed since the base merge silently. A field that another
//! change set after the base is a conflict, settled **last writer wins by arrival at the
//! server**: the incoming value is stored, the value it replaced is returned to the client in
//! [`Outcome::Applied::overwritten`] and kept in the server's history. Device clocks are not
//! trusted (a tablet's clock may be hours out), so arrival order is the only order.
//! An edit to a record that was deleted meanwhile is not applied; the result says so
//! ([`Rejection::RecordDeleted`]) and the server keeps the edit in its history, so nothing is
//! dropped unseen.
//!
//! A delete always wins, but for one rule: an event or questionnaire version that residents'
//! answers belong to is not deleted ([`Rejection::HoldsAnswers`]), so answers are never lost
//! with the record they were given to. Otherwise its `base_version` is advisory (kept in the history, not compared),
//! the record's last fields are kept in the history, and every record that refers to it is
//! deleted with it. Deleting a record that is already deleted, or that the server never had,
//! changes nothing and answers `Applied` at the record's version (0 for one never seen).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::entity::EntityKind;
use crate::ids::{DeviceId, MutationId};
use crate::validate::FieldError;

/// The protocol version this build speaks. A peer that sends another gets a clear error.
pub const PROTOCOL_VERSION: u32 = 1;
/// The most mutations one push may carry; clients send larger outboxes in several pushes.
pub const MAX_MUTATIONS_PER_PUSH: usize = 500;
/// The largest push body the server accepts, in bytes.
pub const MAX_PUSH_BYTES: usize = 2 * 1024 * 1024;
/// The most changes one pull returns; `more` says whether to pull again.
pub const MAX_PULL_CHANGES: usize = 1000;

/// A position in the server's change sequence; also a record's version. Zero means "before
/// anything" and is the cursor of a client that has never pulled.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Seq(pub u64);

/// One change to one record, made on one device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mutation {
    pub id: MutationId,
    pub kind: EntityKind,
    pub record_id: Uuid,
    pub op: Op,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Op {
    /// Create the record, or change the given fields of it. `fields` holds only what changed
    /// (all fields when creating); `base_version` is the version the edit was made against,
    /// `None` when the device has never seen the record from the server.
    Upsert {
        base_version: Option<Seq>,
        fields: Map<String, Value>,
    },
    /// Delete the record and every record that refers to it.
    Delete { base_version: Option<Seq> },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub protocol: u32,
    pub device_id: DeviceId,
    pub mutations: Vec<Mutation>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub protocol: u32,
    /// One result per mutation, in the order sent.
    pub results: Vec<MutationResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MutationResult {
    pub mutation_id: MutationId,
    pub outcome: Outcome,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Stored (or already so: an upsert that changes nothing is applied as a no-op).
    Applied {
        /// The record's version after this mutation.
        version: Seq,
        /// Values written by someone else since the base version that this mutation replaced.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        overwritten: Vec<Overwritten>,
    },
    /// Not applied because of what others did meanwhile. Kept in the server's history.
    Rejected { reason: Rejection, message: String },
}

/// A value that a stale edit replaced (the loser of last-writer-wins).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overwritten {
    pub field: String,
    pub previous: Value,
    pub previous_version: Seq,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rejection {
    /// The record was deleted by another change.
    RecordDeleted,
    /// A record this one refers to does not exist or was deleted.
    MissingReference { entity: EntityKind, id: Uuid },
    /// A delete of a record that residents' answers belong to (a partnership, consultation,
    /// event or questionnaire version): answers are never deleted with one (see
    /// [`EntityKind::protects_answers`]). A partnership or consultation can be archived instead.
    HoldsAnswers { count: u64 },
    /// A delete of a response: answers are never deleted, only hidden by a moderator.
    ResponseKept,
    /// A change to a questionnaire version that has been opened for answers: residents may be
    /// answering it on tablets with no signal, so a change must be the next version.
    VersionInUse { version: u32 },
    /// A reason this build does not know (a newer server): the change is kept on the device
    /// with the server's message.
    #[serde(other)]
    Other,
}

/// The query of `GET /api/sync/pull`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    pub since: Seq,
    /// Optional on pull so a plain `?since=N` works; checked when given.
    #[serde(default)]
    pub protocol: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub protocol: u32,
    /// Changed records in version order, each at its latest version.
    pub changes: Vec<Change>,
    /// The cursor to send next time: the version of the last change returned, or the `since`
    /// that was asked for when there is nothing new.
    pub cursor: Seq,
    /// Whether more changes are waiting past this page.
    pub more: bool,
}

/// A record's latest state as pulled: its fields, or a tombstone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub kind: EntityKind,
    pub id: Uuid,
    pub version: Seq,
    #[serde(default)]
    pub deleted: bool,
    /// `None` for a tombstone.
    #[serde(default)]
    pub fields: Option<Map<String, Value>>,
}

/// The JSON body of every error response: `{ "error": "...", ... }`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// A sentence saying what went wrong and, where it can, what to do.
    pub error: String,
    /// The mutation that caused a push to be refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mutation_id: Option<MutationId>,
    /// Per-field problems, for a mutation whose fields broke a rule.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// The protocol versions the server speaks, when the request's was not one of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supported_protocols: Option<Vec<u32>>,
    /// The size limit that a request broke, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_bytes: Option<u64>,
}

/// A record as the server stores it: the latest fields and, per field, the version that last
/// set it (what the merge rule compares a stale edit's base against).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredRecord {
    pub fields: Map<String, Value>,
    pub field_versions: BTreeMap<String, Seq>,
    pub version: Seq,
    pub deleted: bool,
}

/// What an upsert does to the stored record, decided before any position is taken.
#[derive(Clone, Debug, PartialEq)]
pub enum UpsertPlan {
    /// The record is new: store these fields.
    Create { fields: Map<String, Value> },
    /// Change these fields (all of `fields` is the merged record).
    Update {
        fields: Map<String, Value>,
        changed: Vec<String>,
        overwritten: Vec<Overwritten>,
    },
    /// Every field already has the value sent.
    NoChange,
    /// The record was deleted: the edit is not applied.
    Deleted,
}

/// Applies the merge rule (see the module docs) to an upsert of `patch` made against `base`.
pub fn plan_upsert(
    current: Option<&StoredRecord>,
    base: Option<Seq>,
    patch: &Map<String, Value>,
) -> UpsertPlan {
    let Some(current) = current else {
        return UpsertPlan::Create {
            fields: patch.clone(),
        };
    };
    if current.deleted {
        return UpsertPlan::Deleted;
    }
    let base = base.unwrap_or_default();
    let mut fields = current.fields.clone();
    let mut changed = Vec::new();
    let mut overwritten = Vec::new();
    for (name, value) in patch {
        let previous = current.fields.get(name);
        if previous == Some(value) {
            continue;
        }
        let set_at = current
            .field_versions
            .get(name)
            .copied()
            .unwrap_or_default();
        if set_at > base {
            overwritten.push(Overwritten {
                field: name.clone(),
                previous: previous.cloned().unwrap_or(Value::Null),
                previous_version: set_at,
            });
        }
        fields.insert(name.clone(), value.clone());
        changed.push(name.clone());
    }
    if changed.is_empty() {
        UpsertPlan::NoChange
    } else {
        UpsertPlan::Update {
            fields,
            changed,
            overwritten,
        }
    }
}

/// Stores a planned create or update at `version`, returning the new stored record.
pub fn apply_plan(current: Option<&StoredRecord>, plan: &UpsertPlan, version: Seq) -> StoredRecord {
    match plan {
        UpsertPlan::Create { fields } => StoredRecord {
            fields: fields.clone(),
            field_versions: fields.keys().map(|k| (k.clone(), version)).collect(),
            version,
            deleted: false,
        },
        UpsertPlan::Update {
            fields, changed, ..
        } => {
            let mut field_versions = current
                .map(|c| c.field_versions.clone())
                .unwrap_or_default();
            for name in changed {
                field_versions.insert(name.clone(), version);
            }
            StoredRecord {
                fields: fields.clone(),
                field_versions,
                version,
                deleted: false,
            }
        }
        UpsertPlan::NoChange | UpsertPlan::Deleted => match current {
            Some(c) => c.clone(),
            None => StoredRecord {
                fields: Map::new(),
                field_versions: BTreeMap::new(),
                version,
                deleted: true,
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn stored(fields: Value, versions: &[(&str, u64)], version: u64) -> StoredRecord {
        StoredRecord {
            fields: obj(fields),
            field_versions: versions
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Seq(*v)))
                .collect(),
            version: Seq(version),
            deleted: false,
        }
    }

    #[test]
    fn an_upsert_of_a_new_record_creates_it() {
        let patch = obj(json!({"name": "Management Group"}));
        assert_eq!(
            plan_upsert(None, None, &patch),
            UpsertPlan::Create { fields: patch }
        );
    }

    #[test]
    fn a_current_edit_changes_only_the_sent_fields_without_conflict() {
        let cur = stored(
            json!({"name": "Board", "terms_of_reference": "old"}),
            &[("name", 3), ("terms_of_reference", 3)],
            3,
        );
        let plan = plan_upsert(Some(&cur), Some(Seq(3)), &obj(json!({"name": "LSP Board"})));
        let UpsertPlan::Update {
            fields,
            changed,
            overwritten,
        } = plan.clone()
        else {
            panic!("expected an update, got {plan:?}");
        };
        assert_eq!(fields["name"], "LSP Board");
        assert_eq!(fields["terms_of_reference"], "old");
        assert_eq!(changed, vec!["name".to_owned()]);
        assert!(overwritten.is_empty());
        let next = apply_plan(Some(&cur), &plan, Seq(9));
        assert_eq!(next.field_versions["name"], Seq(9));
        assert_eq!(next.field_versions["terms_of_reference"], Seq(3));
        assert_eq!(next.version, Seq(9));
    }

    #[test]
    fn a_stale_edit_of_an_untouched_field_merges_cleanly() {
        // Base 3; since then someone changed the terms of reference at 5. This edit changes
        // only the name, which nobody else touched.
        let cur = stored(
            json!({"name": "Board", "terms_of_reference": "newer"}),
            &[("name", 3), ("terms_of_reference", 5)],
            5,
        );
        let plan = plan_upsert(Some(&cur), Some(Seq(3)), &obj(json!({"name": "LSP Board"})));
        let UpsertPlan::Update {
            fields,
            overwritten,
            ..
        } = plan
        else {
            panic!("expected an update");
        };
        assert_eq!(fields["terms_of_reference"], "newer");
        assert_eq!(fields["name"], "LSP Board");
        assert!(overwritten.is_empty());
    }

    #[test]
    fn a_stale_edit_of_the_same_field_wins_and_reports_the_loser() {
        let cur = stored(json!({"name": "Board B"}), &[("name", 5)], 5);
        let plan = plan_upsert(Some(&cur), Some(Seq(3)), &obj(json!({"name": "Board A"})));
        let UpsertPlan::Update {
            fields,
            overwritten,
            ..
        } = plan
        else {
            panic!("expected an update");
        };
        assert_eq!(fields["name"], "Board A");
        assert_eq!(
            overwritten,
            vec![Overwritten {
                field: "name".into(),
                previous: json!("Board B"),
                previous_version: Seq(5),
            }]
        );
    }

    #[test]
    fn a_stale_edit_that_agrees_with_the_server_is_no_change() {
        let cur = stored(json!({"name": "Board"}), &[("name", 5)], 5);
        assert_eq!(
            plan_upsert(Some(&cur), Some(Seq(1)), &obj(json!({"name": "Board"}))),
            UpsertPlan::NoChange
        );
    }

    #[test]
    fn an_edit_of_a_deleted_record_is_not_applied() {
        let mut cur = stored(json!({"name": "Board"}), &[("name", 5)], 6);
        cur.deleted = true;
        assert_eq!(
            plan_upsert(Some(&cur), Some(Seq(5)), &obj(json!({"name": "X"}))),
            UpsertPlan::Deleted
        );
    }

    #[test]
    fn mutations_have_a_stable_json_form() {
        let m = Mutation {
            id: MutationId(Uuid::nil()),
            kind: EntityKind::Body,
            record_id: Uuid::nil(),
            op: Op::Upsert {
                base_version: Some(Seq(4)),
                fields: obj(json!({"name": "Board"})),
            },
        };
        let json = serde_json::to_value(&m).unwrap_or_default();
        assert_eq!(
            json,
            json!({
                "id": "00000000-0000-0000-0000-000000000000",
                "kind": "body",
                "record_id": "00000000-0000-0000-0000-000000000000",
                "op": {"type": "upsert", "base_version": 4, "fields": {"name": "Board"}}
            })
        );
        let back: Mutation = serde_json::from_value(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, m);
    }

    #[test]
    fn an_unknown_entity_kind_does_not_parse() {
        let json = json!({
            "id": "00000000-0000-0000-0000-000000000000",
            "kind": "spaceship",
            "record_id": "00000000-0000-0000-0000-000000000000",
            "op": {"type": "delete", "base_version": null}
        });
        let err = serde_json::from_value::<Mutation>(json)
            .err()
            .map(|e| e.to_string());
        assert!(err.unwrap_or_default().contains("spaceship"));
    }
}
