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
//! * The server stores what it validated: the record's fields as its type serialises them
//!   ([`crate::Entity::to_fields`], defaults filled in), never the JSON as sent, so what a
//!   device pulls is exactly what passed validation. A mutation that sets a field its kind
//!   does not have ([`unknown_fields`]) is refused (422, the fields named), and so is one that
//!   would make a record larger than [`MAX_RECORD_BYTES`] (422 with `limit_bytes`).
//! * A pull page ends at [`MAX_PULL_CHANGES`] changes or [`MAX_PULL_BYTES`], whichever comes
//!   first, but always holds at least one change ([`PullBudget`]).
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
//!
//! # Bad batches: the written rule
//! A push is judged whole before any of it is stored, and a push that is refused stores
//! nothing: no record, no position, no mutation id (so the corrected batch is accepted).
//! Only the change that made it invalid is kept aside for a manager, as the device keeps it.
//! * **Not JSON, or cut short** (a body that ends mid-way, or a connection that closes before
//!   its `Content-Length` arrived): 400, "the request body is not valid JSON: …" or "the
//!   request body could not be read: …". The device sends the whole batch again.
//! * **JSON of the wrong shape** (a missing or unknown field, a kind this server does not
//!   know): 422 naming where, "at mutations[2].kind: …".
//! * **Over the limits**: a body over [`MAX_PUSH_BYTES`] or more than
//!   [`MAX_MUTATIONS_PER_PUSH`] mutations is 413, stating the limit; the device sends
//!   smaller pushes ([`push_batch_len`]).
//! * **The same mutation id twice in one batch**: 422 naming the id, "the mutation … appears
//!   twice in this push". An outbox holds each change once under its own id, so a repeat is a
//!   client's bug; applying one copy and answering the other with its result could drop a
//!   change that differs, so neither is stored.
//! * **A mutation sent again in a later batch** (the answer was lost, the device resends its
//!   outbox): answered with the result stored the first time, byte for byte, and nothing is
//!   stored twice. A mutation id names one change (sending a refused change again takes a
//!   new id): one that arrives with an id already settled for a different change is refused
//!   whole (422 naming it, "the mutation id … was already used for a different change"),
//!   since answering it "applied" would drop it unseen.
//! * **Mutations of one record out of order**: the server applies a batch in the order sent
//!   and never reorders it, because arrival order is the only order it trusts. An edit before
//!   its record's create is a create with only some fields: it fails validation, and the
//!   batch is refused (422 naming that mutation). An edit after its record's delete, in the
//!   same batch or a later one, is rejected as [`Rejection::RecordDeleted`] and kept in the
//!   history, while the rest of the batch is applied.
//!
//! # Handing a push off: `POST /api/sync/inbox`
//! A push answered only once it is applied keeps its device waiting for every push ahead of
//! it: fifty tablets that find a signal at once wait, the last of them, for all fifty. So a
//! device may hand a push off instead. The server checks it as it would a push (the same
//! limits, the same refusals of a bad batch, the same sign-in), stores it whole and durably in
//! its inbox and answers 202 with a [`PushReceipt`]; its writer applies the inbox in the order
//! received, exactly as pushes, and keeps each mutation's result under its id. The device keeps
//! the mutations, marked received (not sent again while it waits), until it learns their [`Fate`] from
//! `POST /api/sync/outcomes` ([`OutcomesRequest`]): settled with the [`Outcome`] a push would
//! have answered; refused whole (kept for a manager, as a refused push's change is), with the
//! [`ErrorBody`] the push would have had, while the rest of its push is applied without it;
//! pending, still in the inbox; or unknown, when the server holds no trace of it (a database
//! restored from a backup taken before it arrived), and the device sends it again. A change
//! is applied once however often it arrives, so a device may always send again (the browser
//! does after a reload). A server without these routes answers 404: the device pushes instead,
//! and sends again what it thought received. A push in the inbox that can never be applied does
//! not hold up the rest: one that cannot be read is taken out (its mutations become unknown),
//! and one the database fails for a reason of its own has its mutations refused.

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
/// The most bytes of changes one pull returns (see [`PullBudget`]); `more` says whether to
/// pull again. A page always holds at least one change, however large, so no record can stall
/// a device's pull. 1 MiB keeps a page quick to fetch and parse on a tablet with a poor
/// connection; a thousand ordinary responses (about 600 bytes each) fit in it, so for answers
/// the change count binds first, and at least three records of [`MAX_RECORD_BYTES`] fit.
pub const MAX_PULL_BYTES: usize = 1024 * 1024;
/// What one change costs a pull page besides its fields: its kind, id, version and the JSON
/// around them. An upper bound (the longest kind, a 36-character id and a 20-digit version
/// take about 130), so a page's JSON stays within [`MAX_PULL_BYTES`].
pub const PULL_CHANGE_OVERHEAD_BYTES: usize = 160;
/// The largest a record may be: its fields as compact JSON ([`record_bytes`]), in bytes. The
/// server refuses a mutation that would store a larger record (422, `limit_bytes` in the
/// [`ErrorBody`]); a client checks with [`record_bytes`] before saving. 256 KiB holds the
/// largest records the field rules allow with room: a finding with both its texts at the
/// 20,000-character limit (`validate::MAX_TEXT_CHARS`) in a script of four bytes a character
/// (160 KB), a questionnaire of 200 questions of ten options each, or a response with a
/// 20,000-character answer (the tests below build each). It is an eighth of
/// [`MAX_PUSH_BYTES`], so a record always fits in a push, and a quarter of
/// [`MAX_PULL_BYTES`], so a pull page holds at least three.
pub const MAX_RECORD_BYTES: usize = 256 * 1024;

// A record always fits in a push with room for the envelope, and a pull page holds several.
const _: () = assert!(MAX_RECORD_BYTES + 64 * 1024 <= MAX_PUSH_BYTES);
const _: () = assert!(3 * (MAX_RECORD_BYTES + PULL_CHANGE_OVERHEAD_BYTES) <= MAX_PULL_BYTES);

/// Room a push body keeps for what surrounds its mutations (protocol, device id, brackets).
pub const PUSH_ENVELOPE_BYTES: usize = 4 * 1024;

/// How many of the next mutations, of these JSON sizes in bytes, go in one push: at most
/// [`MAX_MUTATIONS_PER_PUSH`], and no more than fit in [`MAX_PUSH_BYTES`] with the envelope
/// (a comma between each). Always at least one (when there is one): a mutation too large on
/// its own is sent alone, and the server's 413 then says so, rather than stalling the rest.
pub fn push_batch_len(sizes: impl IntoIterator<Item = usize>) -> usize {
    let budget = MAX_PUSH_BYTES - PUSH_ENVELOPE_BYTES;
    let mut used = 0usize;
    let mut n = 0;
    for size in sizes.into_iter().take(MAX_MUTATIONS_PER_PUSH) {
        used = used.saturating_add(size).saturating_add(1);
        if n > 0 && used > budget {
            break;
        }
        n += 1;
    }
    n
}

/// The size of a record's fields as compact JSON, in bytes: what [`MAX_RECORD_BYTES`] limits.
pub fn record_bytes(fields: &Map<String, Value>) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing a map of JSON values to a counter cannot fail; if it ever did, the record counts
    // as too large rather than slipping through.
    match serde_json::to_writer(&mut count, fields) {
        Ok(()) => count.0,
        Err(_) => usize::MAX,
    }
}

/// The names in `sent` (the fields a mutation carries) that are not fields of the record it
/// makes: `canonical` is that record's fields as its type serialises them
/// ([`crate::Entity::to_fields`]), which name every field the kind has, optional ones
/// included. The server stores the canonical fields, so a name outside them would be dropped
/// unseen; it refuses the mutation instead.
pub fn unknown_fields<'a>(
    sent: &'a Map<String, Value>,
    canonical: &Map<String, Value>,
) -> Vec<&'a str> {
    sent.keys()
        .filter(|k| !canonical.contains_key(k.as_str()))
        .map(String::as_str)
        .collect()
}

/// Where a pull page ends: at [`MAX_PULL_CHANGES`] changes, or before the change that would take
/// the page past [`MAX_PULL_BYTES`] (each change counted as its stored fields plus
/// [`PULL_CHANGE_OVERHEAD_BYTES`]); but the first change is always taken, whatever its size.
#[derive(Clone, Debug)]
pub struct PullBudget {
    max_changes: usize,
    max_bytes: usize,
    changes: usize,
    bytes: usize,
}

impl PullBudget {
    pub fn new(max_changes: usize, max_bytes: usize) -> Self {
        Self {
            max_changes: max_changes.max(1),
            max_bytes,
            changes: 0,
            bytes: 0,
        }
    }

    /// Takes the next change, whose fields are `fields_bytes` long (0 for a tombstone), if it
    /// fits; `false` ends the page (and means more is waiting).
    pub fn take(&mut self, fields_bytes: usize) -> bool {
        let cost = fields_bytes.saturating_add(PULL_CHANGE_OVERHEAD_BYTES);
        let fits = self.changes == 0
            || (self.changes < self.max_changes
                && self.bytes.saturating_add(cost) <= self.max_bytes);
        if fits {
            self.changes += 1;
            self.bytes = self.bytes.saturating_add(cost);
        }
        fits
    }

    /// The bytes taken so far, as counted.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

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

/// Written as `{"type": "upsert" | "delete", ...}`. Read by hand ([`OpVisitor`]): serde's
/// derive for such a tagged enum first copies the whole value into a buffer of its own (its
/// `Content`), whose code was then in the core every page loads, and so were the fields twice.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
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

/// Reads an [`Op`] as serde's derive for `#[serde(tag = "type", deny_unknown_fields)]` would:
/// the tag anywhere among the keys, a missing `base_version` is `None`, and a duplicate key, a
/// key the variant does not have, an unknown variant or a missing `type` or `fields` is an
/// error (property-tested against the derive). Each value is read once, straight into its type.
struct OpVisitor;

const OP_VARIANTS: &[&str] = &["upsert", "delete"];

impl<'de> serde::de::Visitor<'de> for OpVisitor {
    type Value = Op;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an upsert or a delete")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Op, A::Error> {
        use serde::de::Error;
        let mut kind: Option<String> = None;
        let mut base_version: Option<Option<Seq>> = None;
        let mut fields: Option<Map<String, Value>> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" if kind.is_none() => kind = Some(map.next_value()?),
                "base_version" if base_version.is_none() => {
                    base_version = Some(map.next_value()?);
                }
                "fields" if fields.is_none() => fields = Some(map.next_value()?),
                "type" | "base_version" | "fields" => {
                    return Err(A::Error::custom(format_args!("duplicate field `{key}`")));
                }
                _ => {
                    return Err(A::Error::unknown_field(
                        &key,
                        &["type", "base_version", "fields"],
                    ));
                }
            }
        }
        let base_version = base_version.unwrap_or_default();
        match kind.as_deref() {
            Some("upsert") => Ok(Op::Upsert {
                base_version,
                fields: fields.ok_or_else(|| A::Error::missing_field("fields"))?,
            }),
            Some("delete") if fields.is_some() => {
                Err(A::Error::unknown_field("fields", &["base_version"]))
            }
            Some("delete") => Ok(Op::Delete { base_version }),
            Some(other) => Err(A::Error::unknown_variant(other, OP_VARIANTS)),
            None => Err(A::Error::missing_field("type")),
        }
    }
}

impl<'de> Deserialize<'de> for Op {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(OpVisitor)
    }
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

/// `POST /api/sync/inbox`'s answer (202): the push is stored and will be applied in turn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushReceipt {
    pub protocol: u32,
    /// How many mutations were received.
    pub received: usize,
}

/// `POST /api/sync/outcomes`: what became of mutations this device handed off, at most
/// [`MAX_MUTATIONS_PER_PUSH`] at a time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomesRequest {
    pub protocol: u32,
    pub device_id: DeviceId,
    pub mutation_ids: Vec<MutationId>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutcomesResponse {
    pub protocol: u32,
    /// One per id asked about, in the order asked.
    pub fates: Vec<MutationFate>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MutationFate {
    pub mutation_id: MutationId,
    pub fate: Fate,
}

/// What became of a mutation handed off to the server's inbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Fate {
    /// Applied or rejected: what a push would have answered.
    Settled { outcome: Outcome },
    /// Refused whole, as a push holding it would have been (422): kept for a manager, and the
    /// rest of its push applied without it.
    Refused { error: ErrorBody },
    /// Received and not applied yet: ask again later.
    Pending,
    /// The server holds no trace of it: send it again.
    Unknown,
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
    /// The person or tablet that sent the change may not make it (see
    /// [`crate::accounts`]): a councillor editing a body, staff hiding an answer. Kept on the
    /// device with the server's sentence, like every rejection.
    NotAllowed,
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
    /// The reader's scope as the last pull answered it ([`PullResponse::scope`]). When it is
    /// not the reader's scope now (or is missing past `since` 0), the answer is a reset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
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
    /// What this reader may see, as an opaque token: it changes when their grants change or
    /// a partnership is published or unpublished. The device sends it back on its next pull.
    #[serde(default)]
    pub scope: String,
    /// The reader's scope is not the one the device's copy was pulled under: the device pulls
    /// again from 0 under the new scope and, once that copy is whole, replaces its records and
    /// cursor with it (keeping its outbox and held changes). No changes come with a reset.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reset: bool,
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
    /// How many seconds to wait before trying again, when the server is busy (429, 503):
    /// the `Retry-After` header's value, repeated here for clients that read only the body
    /// (see [`crate::retry`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u32>,
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
pub fn apply_plan(current: Option<&StoredRecord>, plan: UpsertPlan, version: Seq) -> StoredRecord {
    // The plan is taken whole: its fields become the record's, not a copy of them (a push
    // stores hundreds of records at once, and copying each one's fields cost as much as
    // planning it).
    match plan {
        UpsertPlan::Create { fields } => StoredRecord {
            field_versions: fields.keys().map(|k| (k.clone(), version)).collect(),
            fields,
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
                field_versions.insert(name, version);
            }
            StoredRecord {
                fields,
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
    use proptest::strategy::Strategy as _;
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
    fn a_push_batch_stops_at_the_count_or_the_byte_limit_and_always_takes_one() {
        assert_eq!(push_batch_len([]), 0);
        assert_eq!(push_batch_len([600; 10]), 10);
        assert_eq!(
            push_batch_len(std::iter::repeat_n(600, 2000)),
            MAX_MUTATIONS_PER_PUSH
        );
        // Records near the record limit: eight fit in 2 MiB less the envelope, not nine.
        let big = MAX_RECORD_BYTES - 1024;
        let n = push_batch_len(std::iter::repeat_n(big, 20));
        assert!(n * (big + 1) <= MAX_PUSH_BYTES - PUSH_ENVELOPE_BYTES, "{n}");
        assert!(
            (n + 1) * (big + 1) > MAX_PUSH_BYTES - PUSH_ENVELOPE_BYTES,
            "{n}"
        );
        // One mutation too large on its own goes alone (the server's 413 tells of it).
        assert_eq!(push_batch_len([MAX_PUSH_BYTES * 2, 10]), 1);
        assert_eq!(push_batch_len([10, MAX_PUSH_BYTES * 2]), 1);
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
        let next = apply_plan(Some(&cur), plan, Seq(9));
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
    fn record_bytes_is_the_length_of_the_compact_json() {
        let fields = obj(json!({"name": "Redditch Partnership", "published": true, "n": 3}));
        let text = serde_json::to_string(&fields).unwrap_or_default();
        assert_eq!(record_bytes(&fields), text.len());
        assert_eq!(record_bytes(&Map::new()), 2);
    }

    #[test]
    fn unknown_fields_are_the_names_sent_that_the_record_does_not_have() {
        let canonical = obj(json!({"name": "Board", "kind": "board", "terms_of_reference": ""}));
        let sent = obj(json!({"name": "Board", "colour": "green", "size": 3}));
        assert_eq!(unknown_fields(&sent, &canonical), vec!["colour", "size"]);
        let sent = obj(json!({"terms_of_reference": "Sets the vision"}));
        assert!(unknown_fields(&sent, &canonical).is_empty());
    }

    #[test]
    fn a_pull_page_stops_at_the_change_count() {
        let mut page = PullBudget::new(3, MAX_PULL_BYTES);
        let taken = (0..5).take_while(|_| page.take(100)).count();
        assert_eq!(taken, 3);
    }

    #[test]
    fn a_pull_page_stops_before_the_change_that_would_pass_the_byte_limit() {
        let size = 1000 - PULL_CHANGE_OVERHEAD_BYTES;
        let mut page = PullBudget::new(MAX_PULL_CHANGES, 2500);
        assert!(page.take(size));
        assert!(page.take(size));
        assert!(!page.take(size), "a third would make 3000 bytes");
        assert_eq!(page.bytes(), 2000);
        // Exactly at the limit still fits.
        let mut page = PullBudget::new(MAX_PULL_CHANGES, 2000);
        assert!(page.take(size) && page.take(size));
        assert!(!page.take(0));
    }

    #[test]
    fn a_pull_page_always_takes_its_first_change_however_large() {
        let mut page = PullBudget::new(MAX_PULL_CHANGES, MAX_PULL_BYTES);
        assert!(page.take(10 * MAX_PULL_BYTES));
        assert!(!page.take(1), "but nothing after it");
    }

    mod the_largest_legitimate_records_fit {
        use super::*;
        use crate::consultation::{
            AnswerValue, Channel, Choice, Finding, Question, QuestionKind, Questionnaire, Response,
        };
        use crate::entity::Entity;
        use crate::ids::{ConsultationId, DeviceId, PartnershipId, QuestionnaireId, uuid_v7};
        use crate::validate::MAX_TEXT_CHARS;

        fn id(n: u8) -> Uuid {
            uuid_v7(1_262_736_000_000, [n; 10])
        }

        /// The entity's fields, after checking that they pass validation.
        fn valid_fields(entity: &Entity) -> Map<String, Value> {
            let fields = entity.to_fields();
            if let Err(e) = Entity::from_fields(entity.kind(), &fields) {
                panic!("not a legitimate {}: {e}", entity.kind().noun());
            }
            fields
        }

        #[test]
        fn a_finding_with_both_texts_at_their_limit_in_four_byte_characters() {
            // "𝄞" is four bytes in UTF-8 (and is not escaped in JSON).
            let longest = "𝄞".repeat(MAX_TEXT_CHARS);
            let finding = Entity::Finding(Finding {
                partnership_id: PartnershipId(id(1)),
                consultation_id: ConsultationId(id(2)),
                text: longest.clone(),
                action: longest,
                body_ids: Vec::new(),
                priority_ids: Vec::new(),
                key_action_ids: Vec::new(),
            });
            let bytes = record_bytes(&valid_fields(&finding));
            assert!(bytes > 160_000, "{bytes}");
            assert!(bytes < MAX_RECORD_BYTES, "{bytes}");
        }

        #[test]
        fn a_questionnaire_of_two_hundred_questions_of_ten_options() {
            let questions = (0..200)
                .map(|n| Question {
                    key: format!("question_about_the_borough_number_{n}"),
                    text: format!(
                        "Question {n}: how much do you agree that the partnership should spend \
                         more on this part of the Sustainable Community Strategy next year?"
                    ),
                    hint: "Choose the one that is closest to what you think.".into(),
                    required: n % 2 == 0,
                    kind: QuestionKind::ChooseOne {
                        options: (0..10)
                            .map(|o| Choice {
                                key: format!("option_number_{o}_of_ten"),
                                label: format!("Option {o}: a choice of ordinary length"),
                            })
                            .collect(),
                    },
                })
                .collect();
            let questionnaire = Entity::Questionnaire(Questionnaire {
                partnership_id: PartnershipId(id(1)),
                consultation_id: ConsultationId(id(2)),
                version: 1,
                questions,
                opened_for_answers: false,
            });
            let bytes = record_bytes(&valid_fields(&questionnaire));
            assert!(bytes < MAX_RECORD_BYTES, "{bytes}");
        }

        #[test]
        fn a_response_with_a_twenty_thousand_character_answer() {
            let response = Entity::Response(Response {
                partnership_id: PartnershipId(id(1)),
                consultation_id: ConsultationId(id(2)),
                questionnaire_id: QuestionnaireId(id(3)),
                event_id: None,
                device_id: DeviceId(id(4)),
                channel: Channel::Online,
                captured_at: 1_263_000_000_000,
                answers: [(
                    "anything_else".to_owned(),
                    AnswerValue::Text("More buses to the Kingfisher Centre, please. ".repeat(450)),
                )]
                .into_iter()
                .collect(),
                hidden: false,
                accepted: false,
                received_at: None,
                review: Vec::new(),
            });
            let bytes = record_bytes(&valid_fields(&response));
            assert!(bytes > 20_000, "{bytes}");
            assert!(bytes < MAX_RECORD_BYTES, "{bytes}");
        }
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

    /// [`Op`] as serde derives it: what the hand-written reading must match.
    #[derive(Debug, Deserialize)]
    #[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
    enum DerivedOp {
        Upsert {
            base_version: Option<Seq>,
            fields: Map<String, Value>,
        },
        Delete {
            base_version: Option<Seq>,
        },
    }

    impl From<DerivedOp> for Op {
        fn from(op: DerivedOp) -> Self {
            match op {
                DerivedOp::Upsert {
                    base_version,
                    fields,
                } => Op::Upsert {
                    base_version,
                    fields,
                },
                DerivedOp::Delete { base_version } => Op::Delete { base_version },
            }
        }
    }

    /// An object as JSON text, keys in the order given and repeats kept (a `Value` could hold
    /// neither).
    fn object_text(entries: &[(&str, &str)]) -> String {
        let body: Vec<String> = entries.iter().map(|(k, v)| format!("{k:?}:{v}")).collect();
        format!("{{{}}}", body.join(","))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Any object of these keys and values, in any order, with repeats: the hand-written
        /// reading takes what the derive takes, as the same op, and refuses what it refuses.
        /// (The derive would also take the variant's index as the tag, `"type": 0`, and an
        /// array; neither is ever written, so they are left out.)
        #[test]
        fn an_op_is_read_as_the_derive_reads_it(
            entries in proptest::collection::vec(
                proptest::prop_oneof![
                    4 => proptest::sample::select(vec!["\"upsert\"", "\"delete\"", "\"Upsert\"", "null", "\"\""])
                        .prop_map(|v| ("type", v)),
                    3 => proptest::sample::select(vec!["null", "7", "-1", "2.5", "18446744073709551615", "\"7\"", "{}"])
                        .prop_map(|v| ("base_version", v)),
                    3 => proptest::sample::select(vec!["{}", "{\"name\":\"Board\",\"n\":1}", "{\"a\":1,\"a\":2}", "[]", "null", "true"])
                        .prop_map(|v| ("fields", v)),
                    1 => proptest::sample::select(vec!["null", "1", "{}"]).prop_map(|v| ("note", v)),
                ],
                0..5,
            )
        ) {
            let text = object_text(&entries);
            let ours = serde_json::from_str::<Op>(&text).map_err(|e| e.to_string());
            let derived = serde_json::from_str::<DerivedOp>(&text)
                .map(Op::from)
                .map_err(|e| e.to_string());
            proptest::prop_assert_eq!(ours.is_ok(), derived.is_ok(), "{}: {:?} {:?}", text, ours, derived);
            if let (Ok(ours), Ok(derived)) = (ours, derived) {
                proptest::prop_assert_eq!(ours, derived);
            }
        }
    }

    #[test]
    fn ops_read_back_as_written() {
        let ops = [
            Op::Upsert {
                base_version: None,
                fields: obj(json!({"name": "Board", "members": [1, 2]})),
            },
            Op::Upsert {
                base_version: Some(Seq(3)),
                fields: Map::new(),
            },
            Op::Delete { base_version: None },
            Op::Delete {
                base_version: Some(Seq(u64::MAX)),
            },
        ];
        for op in ops {
            let text = serde_json::to_string(&op).unwrap_or_default();
            let back: Op = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(back, op, "{text}");
            let value = serde_json::to_value(&op).unwrap_or_default();
            let from_value: Op = serde_json::from_value(value).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(from_value, op);
        }
        let unknown = serde_json::from_str::<Op>(r#"{"type":"upsert","fields":{},"mood":1}"#)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(unknown.contains("unknown field `mood`"), "{unknown}");
        let variant = serde_json::from_str::<Op>(r#"{"type":"merge"}"#)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(variant.contains("unknown variant `merge`"), "{variant}");
    }
}
