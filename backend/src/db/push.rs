//! A push, apart from any one database: the loop over a batch's mutations (each settled at most
//! once), the merge of an upsert ([`plan_upsert`], the per-kind [`rules`](super::rules), the
//! references it makes), the delete with its cascade through the records that refer to the
//! deleted one, and the bookkeeping of what was not applied (the history row of every rejection;
//! a rejected answer kept for a manager).
//!
//! It is written against [`PushStore`], the statements a backend provides, all run inside the
//! one transaction of the push: the backend opens it (taking whatever lock makes commit order
//! equal position order, see [`Database`](super::Database)), hands it to [`push_in`], and
//! commits only if that succeeds.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::Arc;

use atlas_shared::accounts::tablets::TabletInfo;
use atlas_shared::accounts::{Principal, WriteOp};
use atlas_shared::{
    DeviceId, Entity, EntityKind, FieldError, Mutation, MutationId, MutationResult, Op, Outcome,
    PartnershipId, RecordRef, Rejection, Seq, StoredRecord, UpsertPlan, apply_plan, plan_upsert,
};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::batch::Batched;
use super::derived::{AnswersBefore, KeptTallies, refresh_touched};
use super::rules::{
    ParsedTargets, RESPONSE_RECEIVED_AT, RESPONSE_REVIEW, StoredResponse, check_bid_against_pot,
    check_partnership_unchanged, check_response_append_only, check_same_partnership,
    delete_refused, holds_answers, partnership_of, questionnaire_in_use, review_notes,
    store_canonical, validate, without_server_fields,
};
use super::{DbError, PushError, to_json};

/// Who sent a push, as the server established it (never as the client claims): whose rights
/// each mutation is checked against, and who the history says made it.
#[derive(Clone, Debug)]
pub struct Sender {
    pub principal: Principal,
    /// `user:<id>`, `tablet:<id>` or `public`, for the history.
    pub actor: String,
    /// The client's address, for the history.
    pub address: String,
    /// The device id the push names.
    pub device: String,
    /// When the push arrived, ms since the Unix epoch (the server's clock): a new answer's
    /// `received_at`.
    pub received_at: i64,
    /// The registered tablet that sent it, as stored: withdrawn, or limited to some
    /// consultations. `None` for a person or the public.
    pub tablet: Option<TabletInfo>,
}

impl Sender {
    pub fn new(principal: Principal, address: String, device: DeviceId) -> Self {
        let actor = match &principal {
            Principal::Public => "public".to_owned(),
            Principal::User { id, .. } => format!("user:{id}"),
            Principal::Tablet { id, .. } => format!("tablet:{id}"),
        };
        Self {
            principal,
            actor,
            address,
            device: device.0.to_string(),
            received_at: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
            tablet: None,
        }
    }

    /// The sender as the registered tablet `tablet` (as stored).
    pub fn with_tablet(mut self, tablet: Option<TabletInfo>) -> Self {
        self.tablet = tablet;
        self
    }
}

/// A stored record with the column the server queries by.
#[derive(Clone)]
pub(crate) struct Current {
    /// Shared: a push reads the same records (an answer's questionnaire, consultation and
    /// partnership) once per answer, and a copy each time cost more than the rest of the read.
    pub(crate) record: Arc<StoredRecord>,
    pub(crate) partnership_id: Option<String>,
}

/// A live record's id and fields.
pub(crate) type LiveFields = (Uuid, Map<String, Value>);

/// One row of the record history: every change applied (`seq` set) and every mutation
/// rejected (`seq` none), with the fields before and after as JSON text.
pub(crate) struct HistoryRow<'a> {
    pub(crate) seq: Option<Seq>,
    pub(crate) kind: EntityKind,
    pub(crate) record_id: Uuid,
    pub(crate) mutation: &'a Mutation,
    pub(crate) sender: &'a Sender,
    pub(crate) action: &'static str,
    pub(crate) before: Option<String>,
    pub(crate) after: Option<String>,
    pub(crate) overwritten: Option<String>,
}

/// A record to write (see [`PushStore::write_records`]).
pub(crate) struct RecordRow<'r> {
    pub(crate) kind: EntityKind,
    pub(crate) id: Uuid,
    pub(crate) partnership_id: Option<&'r str>,
    pub(crate) stored: &'r StoredRecord,
    /// The JSON text of `stored.fields` ([`to_json`]), when the push made it already (see
    /// [`PushStore::write_record_with_text`]); otherwise the backend makes it.
    pub(crate) fields_text: Option<&'r str>,
}

impl<'r> RecordRow<'r> {
    /// The JSON text of the record's fields to store: the one made already, or made now.
    pub(crate) fn fields_json(&self) -> Result<std::borrow::Cow<'r, str>, DbError> {
        match self.fields_text {
            Some(text) => Ok(std::borrow::Cow::Borrowed(text)),
            None => to_json(&self.stored.fields).map(std::borrow::Cow::Owned),
        }
    }
}

/// What a record refers to, replacing what it referred to (see [`PushStore::write_refs_many`]).
pub(crate) struct RefsRow<'r> {
    pub(crate) kind: EntityKind,
    pub(crate) id: Uuid,
    pub(crate) references: &'r [(EntityKind, Uuid)],
}

/// A settled mutation id: its stored result and the digest of what it carried ([`digest`];
/// `None` when settled before digests were kept). See [`PushStore::applied_results`] and
/// [`PushStore::record_applied_many`].
#[derive(Clone)]
pub(crate) struct Settled {
    pub(crate) result: MutationResult,
    pub(crate) digest: Option<String>,
}

/// The statements a backend provides for a push. `self` is the push's one transaction: every
/// statement runs inside it, so a failed push leaves nothing behind, and each reads what the
/// earlier ones wrote.
pub(crate) trait PushStore: Send {
    /// The result stored for a mutation id already settled (a retried push), if any.
    fn applied_result(
        &mut self,
        mutation: &Mutation,
    ) -> impl Future<Output = Result<Option<MutationResult>, DbError>> + Send;

    /// Records that a mutation id was settled, with its result.
    fn record_applied(
        &mut self,
        device: &str,
        result: &MutationResult,
    ) -> impl Future<Output = Result<(), DbError>> + Send;

    /// The digest ([`digest`]) kept with a settled mutation id: `None` when the id is not
    /// settled, was settled before digests were kept, or the backend keeps none (the
    /// default: a backend that does not keep them answers every retry with its stored result).
    fn applied_digest(
        &mut self,
        id: MutationId,
    ) -> impl Future<Output = Result<Option<String>, DbError>> + Send {
        let _ = id;
        async { Ok(None) }
    }

    /// Records that a mutation id was settled, with its result and the digest of what it
    /// carried ([`digest`]). By default the result alone ([`Self::record_applied`]).
    fn record_applied_digest(
        &mut self,
        device: &str,
        result: &MutationResult,
        digest: &str,
    ) -> impl Future<Output = Result<(), DbError>> + Send {
        let _ = digest;
        self.record_applied(device, result)
    }

    /// The stored record `(kind, id)` (a tombstone too) with its partnership column.
    fn load(
        &mut self,
        kind: EntityKind,
        id: Uuid,
    ) -> impl Future<Output = Result<Option<Current>, DbError>> + Send;

    /// Takes the next position of the change sequence. Must run inside the writing
    /// transaction (see the [`Database`](super::Database) invariants).
    fn next_seq(&mut self) -> impl Future<Output = Result<Seq, DbError>> + Send;

    /// Writes `stored` as the live record `(kind, id)`, creating or replacing it.
    fn write_record(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        partnership_id: Option<&str>,
        stored: &StoredRecord,
    ) -> impl Future<Output = Result<(), DbError>> + Send;

    /// [`write_record`](Self::write_record), given the record whole and `fields_text`, the
    /// JSON text of its fields ([`to_json`]): a store that holds the record until it writes it
    /// takes it instead of a copy, and writes that text instead of making it again.
    fn write_record_with_text(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        partnership_id: Option<&str>,
        stored: StoredRecord,
        fields_text: &str,
    ) -> impl Future<Output = Result<(), DbError>> + Send {
        let _ = fields_text;
        async move { self.write_record(kind, id, partnership_id, &stored).await }
    }

    /// Replaces what `(kind, id)` refers to with `references`.
    fn write_refs(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        references: &[(EntityKind, Uuid)],
    ) -> impl Future<Output = Result<(), DbError>> + Send;

    /// Turns `(kind, id)` into a tombstone at `seq` (no fields, deleted) that refers to nothing.
    fn write_tombstone(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        seq: Seq,
    ) -> impl Future<Output = Result<(), DbError>> + Send;

    /// The live records that refer to `(kind, id)`, oldest change first.
    fn live_dependents(
        &mut self,
        kind: EntityKind,
        id: Uuid,
    ) -> impl Future<Output = Result<Vec<(EntityKind, Uuid)>, DbError>> + Send;

    /// How many live records of `dependent_kind` refer to `(kind, id)`.
    fn live_dependent_count(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        dependent_kind: EntityKind,
    ) -> impl Future<Output = Result<u64, DbError>> + Send;

    /// The live records of `dependent_kind` that refer to `(kind, id)`, with their fields.
    fn live_dependent_fields(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        dependent_kind: EntityKind,
    ) -> impl Future<Output = Result<Vec<LiveFields>, DbError>> + Send;

    /// Records that a change at `seq` altered who may see records already stored in
    /// `partnership` (see [`visibility_moved`]): every reader's scope changes, so devices pull
    /// their copy afresh, gaining what they may now see and losing what they may not.
    fn note_visibility_change(
        &mut self,
        partnership: &str,
        seq: Seq,
    ) -> impl Future<Output = Result<(), DbError>> + Send;

    /// Appends a row to the record history.
    fn write_history(
        &mut self,
        row: HistoryRow<'_>,
    ) -> impl Future<Output = Result<(), DbError>> + Send;

    /// Keeps an answer the push rejected (because of what others did) among the refused
    /// changes a manager sees, once per mutation id.
    fn keep_rejected_answer(
        &mut self,
        device: &str,
        mutation: &Mutation,
        message: &str,
        reason: &Rejection,
    ) -> impl Future<Output = Result<(), DbError>> + Send;

    /// The counts kept behind consultation `consultation`'s published results, as stored.
    fn load_tallies(
        &mut self,
        consultation: Uuid,
    ) -> impl Future<Output = Result<Option<KeptTallies>, DbError>> + Send;

    /// Replaces the counts kept behind consultation `consultation`'s published results, and
    /// the number of live answers they count.
    fn write_tallies(
        &mut self,
        consultation: Uuid,
        tallies: &str,
        answers: i64,
    ) -> impl Future<Output = Result<(), DbError>> + Send;

    // --- many rows at once ---------------------------------------------------------------
    // What `Batched` (see `db/batch.rs`) uses to write a push in a few statements. Each has a
    // default in terms of the one-row statements above, so a backend is correct without them
    // and faster with them.

    /// The stored results and digests of those of `mutations` already settled, by mutation
    /// id ([`applied_result`](Self::applied_result) and [`applied_digest`](Self::applied_digest)
    /// for each).
    fn applied_results(
        &mut self,
        mutations: &[Mutation],
    ) -> impl Future<Output = Result<HashMap<MutationId, Settled>, DbError>> + Send {
        async move {
            let mut settled = HashMap::new();
            for mutation in mutations {
                if let Some(result) = self.applied_result(mutation).await? {
                    let digest = self.applied_digest(mutation.id).await?;
                    settled.insert(mutation.id, Settled { result, digest });
                }
            }
            Ok(settled)
        }
    }

    /// [`load`](Self::load) for each key, in the same order.
    fn load_many(
        &mut self,
        keys: &[(EntityKind, Uuid)],
    ) -> impl Future<Output = Result<Vec<Option<Current>>, DbError>> + Send {
        async move {
            let mut found = Vec::with_capacity(keys.len());
            for &(kind, id) in keys {
                found.push(self.load(kind, id).await?);
            }
            Ok(found)
        }
    }

    /// [`record_applied_digest`](Self::record_applied_digest) (or
    /// [`record_applied`](Self::record_applied) where there is no digest) for each row, in
    /// order.
    fn record_applied_many(
        &mut self,
        device: &str,
        rows: &[Settled],
    ) -> impl Future<Output = Result<(), DbError>> + Send {
        async move {
            for row in rows {
                match &row.digest {
                    Some(digest) => {
                        self.record_applied_digest(device, &row.result, digest)
                            .await?
                    }
                    None => self.record_applied(device, &row.result).await?,
                }
            }
            Ok(())
        }
    }

    /// [`write_record`](Self::write_record) for each row (no two rows for one record).
    fn write_records(
        &mut self,
        rows: &[RecordRow<'_>],
    ) -> impl Future<Output = Result<(), DbError>> + Send {
        async move {
            for row in rows {
                self.write_record(row.kind, row.id, row.partnership_id, row.stored)
                    .await?;
            }
            Ok(())
        }
    }

    /// [`write_refs`](Self::write_refs) for each row (no two rows for one record).
    fn write_refs_many(
        &mut self,
        rows: &[RefsRow<'_>],
    ) -> impl Future<Output = Result<(), DbError>> + Send {
        async move {
            for row in rows {
                self.write_refs(row.kind, row.id, row.references).await?;
            }
            Ok(())
        }
    }

    /// [`write_history`](Self::write_history) for each row, in order.
    fn write_history_rows(
        &mut self,
        rows: Vec<HistoryRow<'_>>,
    ) -> impl Future<Output = Result<(), DbError>> + Send {
        async move {
            for row in rows {
                self.write_history(row).await?;
            }
            Ok(())
        }
    }

    /// Moves the change sequence from `counter` (the last position [`next_seq`](Self::next_seq)
    /// took in this transaction) to `last`: the positions between were handed out by the
    /// caller in this transaction, in order, and no other writer may take them.
    fn advance_seq(
        &mut self,
        counter: Seq,
        last: Seq,
    ) -> impl Future<Output = Result<(), DbError>> + Send {
        async move {
            let mut at = counter;
            while at < last {
                let next = self.next_seq().await?;
                if next.0 != at.0 + 1 {
                    return Err(DbError::Corrupt(format!(
                        "the change sequence moved from {} to {} inside one push",
                        at.0, next.0
                    )));
                }
                at = next;
            }
            Ok(())
        }
    }
}

/// The check after a backend's [`PushStore::advance_seq`] statement (`UPDATE sync_counter SET
/// seq = last WHERE seq = counter`): it must have moved the one counter row, or the counter
/// was not where this push left it, which one transaction per push forbids.
pub(crate) fn counter_moved_check(counter: Seq, rows_moved: u64) -> Result<(), DbError> {
    if rows_moved == 1 {
        return Ok(());
    }
    Err(DbError::Corrupt(format!(
        "the change sequence moved from {} inside one push",
        counter.0
    )))
}

/// Applies a push in `store` (the push's transaction) and returns one result per mutation; the
/// caller commits. On any error the caller drops the transaction un-committed and it rolls
/// back: nothing of the push is stored and none of its ids are recorded.
pub(crate) async fn push_in<S: PushStore>(
    store: &mut S,
    sender: &Sender,
    mutations: &[Mutation],
) -> Result<Vec<MutationResult>, PushError> {
    let mut batch = Batched::new(store, sender, mutations).await?;
    let results = push_each(&mut batch, sender, mutations).await?;
    batch.flush().await?;
    Ok(results)
}

/// The push itself, one mutation after another, then the derived records it touched.
async fn push_each<S: PushStore>(
    store: &mut S,
    sender: &Sender,
    mutations: &[Mutation],
) -> Result<Vec<MutationResult>, PushError> {
    let mut results = Vec::with_capacity(mutations.len());
    let mut answers = AnswersBefore::default();
    let mut parsed = ParsedTargets::default();
    let mut buffer = Vec::new();
    for mutation in mutations {
        let carried = digest(&mut buffer, mutation)?;
        if let Some(done) = store.applied_result(mutation).await? {
            if store
                .applied_digest(mutation.id)
                .await?
                .is_some_and(|first| first != carried)
            {
                return Err(id_reused(mutation));
            }
            results.push(done);
            continue;
        }
        answers.note(store, mutation).await?;
        let outcome = match &mutation.op {
            _ if mutation.kind.derived() => {
                let message = format!(
                    "{} are made by the server from other records; no one can change them \
                     directly, and this change was not applied",
                    atlas_shared::validate::capitalise(mutation.kind.plural())
                );
                let reason = Rejection::NotAllowed;
                reject(store, sender, mutation, None, reason, message).await?
            }
            Op::Upsert {
                base_version,
                fields,
            } => upsert(store, sender, mutation, *base_version, fields, &mut parsed).await?,
            Op::Delete { .. } => delete(store, sender, mutation).await?,
        };
        let result = MutationResult {
            mutation_id: mutation.id,
            outcome,
        };
        store
            .record_applied_digest(&sender.device, &result, &carried)
            .await?;
        results.push(result);
    }
    refresh_touched(store, mutations, &results, answers).await?;
    Ok(results)
}

/// What identifies a mutation's content: the SHA-256 of its JSON, in hex. A mutation id names
/// one change; a later push carrying the id with other content is refused ([`id_reused`]).
/// The JSON is written in `buffer` (emptied first): a push reuses one buffer for all its
/// mutations instead of growing a new one for each.
pub(crate) fn digest(buffer: &mut Vec<u8>, mutation: &Mutation) -> Result<String, DbError> {
    use sha2::{Digest, Sha256};
    buffer.clear();
    serde_json::to_writer(&mut *buffer, mutation)
        .map_err(|e| DbError::Corrupt(format!("cannot encode mutation {}: {e}", mutation.id)))?;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(64);
    for b in Sha256::digest(&buffer[..]) {
        hex.push(char::from(HEX[usize::from(b >> 4)]));
        hex.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    Ok(hex)
}

/// The refusal of a mutation whose id was settled for a different change: answering it with
/// that change's result would say "applied" of a change never stored.
fn id_reused(mutation: &Mutation) -> PushError {
    PushError::Invalid {
        mutation_id: mutation.id,
        message: format!(
            "the mutation id {} was already used for a different change, so this change was \
             not stored and nothing of this push was; send it under a new id",
            mutation.id
        ),
        fields: Vec::new(),
    }
}

/// The mutation a failed push refused as invalid (422), with why: the push's transaction
/// rolled back, and the backend keeps this change on the server in a transaction of its own
/// (as the device does), so nothing a person gave is lost unseen.
pub(crate) fn refused_mutation<'a>(
    result: &'a Result<Vec<MutationResult>, PushError>,
    mutations: &'a [Mutation],
) -> Option<(&'a Mutation, &'a str, &'a [FieldError])> {
    let Err(
        PushError::Invalid {
            mutation_id,
            message,
            fields,
        }
        | PushError::TooLarge {
            mutation_id,
            message,
            fields,
            ..
        },
    ) = result
    else {
        return None;
    };
    let refused: MutationId = *mutation_id;
    mutations
        .iter()
        .find(|m| m.id == refused)
        .map(|m| (m, message.as_str(), fields.as_slice()))
}

/// Records a mutation that was not applied, and says why.
async fn reject<S: PushStore>(
    store: &mut S,
    sender: &Sender,
    mutation: &Mutation,
    before: Option<&Current>,
    reason: Rejection,
    message: String,
) -> Result<Outcome, DbError> {
    let after = match &mutation.op {
        Op::Upsert { fields, .. } => Some(to_json(fields)?),
        Op::Delete { .. } => None,
    };
    let before = match before {
        Some(c) if !c.record.deleted => Some(to_json(&c.record.fields)?),
        _ => None,
    };
    store
        .write_history(HistoryRow {
            seq: None,
            kind: mutation.kind,
            record_id: mutation.record_id,
            mutation,
            sender,
            action: "rejected",
            before,
            after,
            overwritten: None,
        })
        .await?;
    if mutation.kind == EntityKind::Response {
        // A manager sees every answer the server did not store (see `refused_answers`).
        store
            .keep_rejected_answer(&sender.device, mutation, &message, &reason)
            .await?;
    }
    Ok(Outcome::Rejected { reason, message })
}

async fn upsert<S: PushStore>(
    store: &mut S,
    sender: &Sender,
    mutation: &Mutation,
    base_version: Option<Seq>,
    patch: &Map<String, Value>,
    parsed: &mut ParsedTargets,
) -> Result<Outcome, PushError> {
    let trimmed = without_server_fields(mutation.kind, patch);
    let sent = patch;
    let patch = trimmed.as_ref().unwrap_or(sent);
    let current = store.load(mutation.kind, mutation.record_id).await?;
    if let Some(stored) = &current {
        // An answer sent again that the server holds already is settled before anything
        // else: a device that resends what it captured is told it arrived, whoever sends it.
        if mutation.kind == EntityKind::Response && !stored.record.deleted {
            let rule =
                check_response_append_only(mutation, &stored.record.fields, base_version, patch)?;
            if rule == StoredResponse::AlreadyStored {
                return Ok(Outcome::Applied {
                    version: stored.record.version,
                    overwritten: Vec::new(),
                });
            }
        }
        // Checked against the partnership as stored, never as the change claims.
        let partnership = stored_partnership(mutation.kind, mutation.record_id, stored);
        let before = stored_entity(mutation.kind, stored);
        if let Some(message) = authorise(
            store,
            sender,
            WriteOp::Update,
            mutation.kind,
            partnership,
            before.as_ref(),
        )
        .await?
        {
            let reason = Rejection::NotAllowed;
            return Ok(reject(store, sender, mutation, Some(stored), reason, message).await?);
        }
    }
    if let Some(stored) = current.as_ref().filter(|c| !c.record.deleted)
        && mutation.kind == EntityKind::Questionnaire
    {
        let responses = store
            .live_dependent_count(mutation.kind, mutation.record_id, EntityKind::Response)
            .await?;
        if let Some((reason, message)) =
            questionnaire_in_use(&stored.record.fields, patch, responses)
        {
            return Ok(reject(store, sender, mutation, Some(stored), reason, message).await?);
        }
    }
    let mut plan = match (&current, trimmed) {
        // A new record's fields are the patch: the one trimmed already is taken, not copied
        // again (what `plan_upsert` would do).
        (None, Some(fields)) => UpsertPlan::Create { fields },
        (current, trimmed) => {
            let patch = trimmed.as_ref().unwrap_or(sent);
            plan_upsert(current.as_ref().map(|c| &*c.record), base_version, patch)
        }
    };
    let (merged, action, overwritten) = match &plan {
        UpsertPlan::Deleted => {
            let version = current.as_ref().map_or(Seq(0), |c| c.record.version);
            let message = format!(
                "this {} was deleted by another change (version {}) before this edit arrived; \
                 the edit was not applied and is kept in the server's history",
                mutation.kind.noun(),
                version.0
            );
            return Ok(reject(
                store,
                sender,
                mutation,
                current.as_ref(),
                Rejection::RecordDeleted,
                message,
            )
            .await?);
        }
        UpsertPlan::NoChange => {
            let version = current.as_ref().map_or(Seq(0), |c| c.record.version);
            return Ok(Outcome::Applied {
                version,
                overwritten: Vec::new(),
            });
        }
        UpsertPlan::Create { fields } => (fields, "create", Vec::new()),
        UpsertPlan::Update {
            fields,
            overwritten,
            ..
        } => (fields, "update", overwritten.clone()),
    };

    let (mut entity, mut canonical) = validate(mutation, merged)?;
    let own_partnership = partnership_of(&entity);
    if current.is_none() {
        let partnership = entity
            .partnership_id()
            .unwrap_or(PartnershipId(mutation.record_id));
        let op = WriteOp::Create;
        if let Some(message) =
            authorise(store, sender, op, mutation.kind, partnership, Some(&entity)).await?
        {
            let reason = Rejection::NotAllowed;
            return Ok(reject(store, sender, mutation, None, reason, message).await?);
        }
    }
    // A kind whose writers depend on the record's state (a bid a lead may change only until
    // it is scored) was judged as stored above, and is judged again as the change leaves it.
    if let Some(stored) = current.as_ref().filter(|c| !c.record.deleted)
        && mutation.kind.write_varies()
    {
        let partnership = stored_partnership(mutation.kind, mutation.record_id, stored);
        let op = WriteOp::Update;
        if let Some(message) =
            authorise(store, sender, op, mutation.kind, partnership, Some(&entity)).await?
        {
            let reason = Rejection::NotAllowed;
            return Ok(reject(store, sender, mutation, Some(stored), reason, message).await?);
        }
    }
    if let Some(current) = &current {
        check_partnership_unchanged(
            mutation,
            current.partnership_id.as_deref(),
            own_partnership.as_deref(),
        )?;
    }
    let referred = entity.reference_fields();
    let references: Vec<RecordRef> = referred.iter().map(|r| r.key()).collect();
    let mut targets = Vec::with_capacity(referred.len());
    let mut event_missing = false;
    for &reference in &referred {
        let (kind, id) = reference.key();
        let target = store.load(kind, id).await?;
        match target {
            Some(t) if !t.record.deleted => {
                check_same_partnership(
                    mutation,
                    own_partnership.as_deref(),
                    reference,
                    t.partnership_id.as_deref(),
                )?;
                targets.push((kind, id, t.record));
            }
            // An answer captured offline at an event deleted meanwhile still arrives, noted
            // for review: a resident gave it.
            _ if mutation.kind == EntityKind::Response && kind == EntityKind::ConsultationEvent => {
                event_missing = true;
            }
            _ => {
                let message = format!(
                    "this {} refers to {} {id}, which does not exist or was deleted by another \
                     change; the edit was not applied and is kept in the server's history",
                    mutation.kind.noun(),
                    kind.noun(),
                );
                return Ok(reject(
                    store,
                    sender,
                    mutation,
                    current.as_ref(),
                    Rejection::MissingReference { entity: kind, id },
                    message,
                )
                .await?);
            }
        }
    }
    if let Entity::FundBid(bid) = &entity
        && let Some((_, _, pot)) = targets.iter().find(|(k, _, _)| *k == EntityKind::FundPot)
    {
        let (kind, pot_id) = (EntityKind::FundPot, bid.pot_id.0);
        let contributions = store
            .live_dependent_fields(kind, pot_id, EntityKind::FundContribution)
            .await?;
        let bids = store
            .live_dependent_fields(kind, pot_id, EntityKind::FundBid)
            .await?;
        check_bid_against_pot(mutation, bid, &pot.fields, &contributions, &bids)?;
    }
    if let (Entity::Response(response), UpsertPlan::Create { fields }) = (&mut entity, &mut plan) {
        // The server's own judgement of a new response; a manager's acceptance comes later.
        let notes = review_notes(mutation, response, &targets, event_missing, parsed)?;
        // The same three fields in the plan (their versions) and the canonical fields (what
        // is stored), as the response now is.
        for fields in [&mut *fields, &mut canonical] {
            fields.insert(RESPONSE_REVIEW.to_owned(), to_value(&notes)?);
            fields.insert("accepted".to_owned(), Value::Bool(false));
            fields.insert(RESPONSE_RECEIVED_AT.to_owned(), sender.received_at.into());
        }
        response.review = notes;
        response.accepted = false;
        response.received_at = Some(sender.received_at);
    }

    let seq = store.next_seq().await?;
    if let (Some(before), Some(partnership)) = (
        current.as_ref().filter(|c| !c.record.deleted),
        own_partnership.as_deref(),
    ) && visibility_moved(mutation.kind, &before.record.fields, &entity)
    {
        store.note_visibility_change(partnership, seq).await?;
    }
    let stored = apply_plan(current.as_ref().map(|c| &*c.record), plan, seq);
    let stored = store_canonical(stored, &entity, canonical);
    // The stored fields' text is the history's "after": made once, for both.
    let after = to_json(&stored.fields)?;
    store
        .write_record_with_text(
            mutation.kind,
            mutation.record_id,
            own_partnership.as_deref(),
            stored,
            &after,
        )
        .await?;
    store
        .write_refs(mutation.kind, mutation.record_id, &references)
        .await?;
    store
        .write_history(HistoryRow {
            seq: Some(seq),
            kind: mutation.kind,
            record_id: mutation.record_id,
            mutation,
            sender,
            action,
            before: current
                .as_ref()
                .map(|c| to_json(&c.record.fields))
                .transpose()?,
            after: Some(after),
            overwritten: if overwritten.is_empty() {
                None
            } else {
                Some(to_json(&overwritten)?)
            },
        })
        .await?;
    Ok(Outcome::Applied {
        version: seq,
        overwritten,
    })
}

/// Whether changing a record from `before` to `after` can change who may see records
/// already stored: for a kind whose readers depend on records (see
/// [`EntityKind::gated`]), when its own readers change (minutes published) or it moves to
/// other parents (a priority to another strategy). A pull passes records a reader may not see,
/// so without this a reader would never receive the records a change reveals, and would keep
/// those it hides. A new record reveals nothing already stored, and a deleted one goes to
/// every reader as a tombstone.
fn visibility_moved(kind: EntityKind, before: &Map<String, Value>, after: &Entity) -> bool {
    if !kind.gated() {
        return false;
    }
    match Entity::from_fields(kind, before) {
        Ok(old) => {
            old.read_access() != after.read_access() || old.references() != after.references()
        }
        // A record stored under older rules: assume the worst, which costs one fresh pull.
        Err(_) => true,
    }
}

/// Deletes a record and, transitively, every live record that refers to it.
async fn delete<S: PushStore>(
    store: &mut S,
    sender: &Sender,
    mutation: &Mutation,
) -> Result<Outcome, PushError> {
    let current = store.load(mutation.kind, mutation.record_id).await?;
    let current = match current {
        // Deleting what is already gone (or was never here) changes nothing: the outcome the
        // device wanted already holds.
        None => {
            return Ok(Outcome::Applied {
                version: Seq(0),
                overwritten: Vec::new(),
            });
        }
        Some(c) if c.record.deleted => {
            return Ok(Outcome::Applied {
                version: c.record.version,
                overwritten: Vec::new(),
            });
        }
        Some(c) => c,
    };
    let partnership = stored_partnership(mutation.kind, mutation.record_id, &current);
    let stored = stored_entity(mutation.kind, &current);
    if let Some(message) = authorise(
        store,
        sender,
        WriteOp::Delete,
        mutation.kind,
        partnership,
        stored.as_ref(),
    )
    .await?
    {
        let reason = Rejection::NotAllowed;
        return Ok(reject(store, sender, mutation, Some(&current), reason, message).await?);
    }
    let mut refusal = delete_refused(mutation.kind, &current.record.fields);
    if refusal.is_none() && mutation.kind.protects_answers() {
        let answers = store
            .live_dependent_count(mutation.kind, mutation.record_id, EntityKind::Response)
            .await?;
        refusal = holds_answers(mutation.kind, answers);
    }
    if let Some((reason, message)) = refusal {
        return Ok(reject(store, sender, mutation, Some(&current), reason, message).await?);
    }
    let version = tombstone(
        store,
        sender,
        mutation,
        (mutation.kind, mutation.record_id),
        &current,
        "delete",
    )
    .await?;

    let mut queue = VecDeque::from([(mutation.kind, mutation.record_id)]);
    while let Some((kind, id)) = queue.pop_front() {
        for dependent in store.live_dependents(kind, id).await? {
            let Some(current) = store.load(dependent.0, dependent.1).await? else {
                continue;
            };
            if current.record.deleted {
                continue;
            }
            tombstone(
                store,
                sender,
                mutation,
                dependent,
                &current,
                "cascade_delete",
            )
            .await?;
            queue.push_back(dependent);
        }
    }
    Ok(Outcome::Applied {
        version,
        overwritten: Vec::new(),
    })
}

/// The partnership a stored record belongs to: its own id for a partnership. A record with
/// no partnership column (none should have one) is checked as belonging to none, which only
/// an administrator may change.
fn stored_partnership(kind: EntityKind, id: Uuid, stored: &Current) -> PartnershipId {
    if kind == EntityKind::Partnership {
        return PartnershipId(id);
    }
    let column = stored.partnership_id.as_deref().map(Uuid::parse_str);
    PartnershipId(column.and_then(Result::ok).unwrap_or_else(Uuid::nil))
}

/// The stored record as an entity, for a kind whose writers depend on its state
/// ([`EntityKind::write_varies`]); `None` for other kinds (judged by the kind alone), and for
/// a stored record that no longer reads as its kind (judged by the kind alone too).
fn stored_entity(kind: EntityKind, stored: &Current) -> Option<Entity> {
    if !kind.write_varies() {
        return None;
    }
    Entity::from_fields(kind, &stored.record.fields).ok()
}

/// Why the sender may not make the change `op` to a record of `kind` in `partnership`, if it
/// may not (see `atlas_shared::accounts`).
async fn authorise<S: PushStore>(
    store: &mut S,
    sender: &Sender,
    op: WriteOp,
    kind: EntityKind,
    partnership: PartnershipId,
    entity: Option<&Entity>,
) -> Result<Option<String>, DbError> {
    if let Some(refusal) = sender
        .tablet
        .as_ref()
        .and_then(|t| tablet_refusal(t, entity))
    {
        return Ok(Some(refusal));
    }
    if sender.principal.is_admin() {
        return Ok(None);
    }
    let published = match store.load(EntityKind::Partnership, partnership.0).await? {
        Some(p) => {
            !p.record.deleted && p.record.fields.get("published") == Some(&Value::Bool(true))
        }
        None => false,
    };
    let decision = sender
        .principal
        .may_write(op, kind, partnership, published, entity);
    Ok(decision.err().map(|denied| denied.0))
}

/// Why a registered tablet may not make a change whatever the record: it was withdrawn (every
/// change refused; an answer is kept for a manager to count), or the answer is to a
/// consultation it was not registered for.
fn tablet_refusal(tablet: &TabletInfo, entity: Option<&Entity>) -> Option<String> {
    if let Some(withdrawn) = tablet.withdrawn_message() {
        return Some(withdrawn);
    }
    match entity {
        Some(Entity::Response(r)) if !tablet.captures_for(r.consultation_id) => Some(
            "This tablet was registered to take answers for other consultations, not this \
             one. The answer is kept for a manager of the partnership to count."
                .to_owned(),
        ),
        _ => None,
    }
}

/// Replaces a live record with a tombstone at the next position, keeping its last fields in
/// the history.
async fn tombstone<S: PushStore>(
    store: &mut S,
    sender: &Sender,
    mutation: &Mutation,
    (kind, id): (EntityKind, Uuid),
    current: &Current,
    action: &'static str,
) -> Result<Seq, DbError> {
    let seq = store.next_seq().await?;
    store.write_tombstone(kind, id, seq).await?;
    store
        .write_history(HistoryRow {
            seq: Some(seq),
            kind,
            record_id: id,
            mutation,
            sender,
            action,
            before: Some(to_json(&current.record.fields)?),
            after: None,
            overwritten: None,
        })
        .await?;
    Ok(seq)
}

fn to_value<T: serde::Serialize + ?Sized>(value: &T) -> Result<Value, DbError> {
    serde_json::to_value(value).map_err(|e| DbError::Corrupt(format!("cannot encode JSON: {e}")))
}

/// The push algorithm on a store with no database behind it: what [`PushStore`] promises is
/// all the algorithm needs (SQLite's own statements are tested over HTTP in `backend/tests`).
#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use atlas_shared::seeds::{
        BASINGSTOKE, BASINGSTOKE_BOARD, BASINGSTOKE_MANAGEMENT_GROUP, fixture_id,
    };
    use atlas_shared::{
        Body, BodyId, BodyKind, LineKind, Partnership, PartnershipId, ReportingLine,
    };

    use super::*;

    /// A manager's tablet, with the rights of an administrator (the rules of who may change
    /// what are tested over HTTP in `backend/tests/integration/accounts.rs`).
    fn tablet() -> Sender {
        let admin = Principal::User {
            id: Uuid::nil(),
            grants: atlas_shared::accounts::Grants {
                admin: true,
                ..Default::default()
            },
        };
        Sender::new(admin, "test".to_owned(), DeviceId(Uuid::nil()))
    }

    /// The statements of a push, kept in memory.
    #[derive(Default)]
    struct Memory {
        records: BTreeMap<(EntityKind, Uuid), (StoredRecord, Option<String>)>,
        refs: BTreeMap<(EntityKind, Uuid), Vec<(EntityKind, Uuid)>>,
        seq: u64,
        applied: BTreeMap<Uuid, MutationResult>,
        digests: BTreeMap<Uuid, String>,
        history: Vec<(Option<Seq>, Uuid, &'static str)>,
        /// Each history row's before and after, as the text written.
        history_text: Vec<(Option<String>, Option<String>)>,
        /// The text written as each record's fields by the batched write (`write_records`).
        fields_text: BTreeMap<(EntityKind, Uuid), String>,
        rejected_answers: Vec<MutationId>,
        visibility: BTreeMap<String, Seq>,
        tallies: BTreeMap<Uuid, KeptTallies>,
        /// How many times a record was read.
        loads: usize,
    }

    impl PushStore for Memory {
        async fn applied_result(
            &mut self,
            mutation: &Mutation,
        ) -> Result<Option<MutationResult>, DbError> {
            Ok(self.applied.get(&mutation.id.0).cloned())
        }

        async fn record_applied(
            &mut self,
            _device: &str,
            result: &MutationResult,
        ) -> Result<(), DbError> {
            self.applied.insert(result.mutation_id.0, result.clone());
            Ok(())
        }

        async fn applied_digest(&mut self, id: MutationId) -> Result<Option<String>, DbError> {
            Ok(self.digests.get(&id.0).cloned())
        }

        async fn record_applied_digest(
            &mut self,
            device: &str,
            result: &MutationResult,
            digest: &str,
        ) -> Result<(), DbError> {
            self.digests.insert(result.mutation_id.0, digest.to_owned());
            self.record_applied(device, result).await
        }

        async fn load(&mut self, kind: EntityKind, id: Uuid) -> Result<Option<Current>, DbError> {
            self.loads += 1;
            Ok(self
                .records
                .get(&(kind, id))
                .map(|(record, partnership_id)| Current {
                    record: Arc::new(record.clone()),
                    partnership_id: partnership_id.clone(),
                }))
        }

        async fn next_seq(&mut self) -> Result<Seq, DbError> {
            self.seq += 1;
            Ok(Seq(self.seq))
        }

        async fn note_visibility_change(
            &mut self,
            partnership: &str,
            seq: Seq,
        ) -> Result<(), DbError> {
            self.visibility.insert(partnership.to_owned(), seq);
            Ok(())
        }

        async fn write_record(
            &mut self,
            kind: EntityKind,
            id: Uuid,
            partnership_id: Option<&str>,
            stored: &StoredRecord,
        ) -> Result<(), DbError> {
            let partnership_id = partnership_id.map(str::to_owned);
            self.records
                .insert((kind, id), (stored.clone(), partnership_id));
            Ok(())
        }

        async fn write_refs(
            &mut self,
            kind: EntityKind,
            id: Uuid,
            references: &[(EntityKind, Uuid)],
        ) -> Result<(), DbError> {
            self.refs.insert((kind, id), references.to_vec());
            Ok(())
        }

        async fn write_tombstone(
            &mut self,
            kind: EntityKind,
            id: Uuid,
            seq: Seq,
        ) -> Result<(), DbError> {
            if let Some((record, _)) = self.records.get_mut(&(kind, id)) {
                record.fields = Map::new();
                record.field_versions.clear();
                record.version = seq;
                record.deleted = true;
            }
            self.refs.remove(&(kind, id));
            Ok(())
        }

        async fn write_records(&mut self, rows: &[RecordRow<'_>]) -> Result<(), DbError> {
            for row in rows {
                let text = row.fields_json()?.into_owned();
                self.fields_text.insert((row.kind, row.id), text);
                self.write_record(row.kind, row.id, row.partnership_id, row.stored)
                    .await?;
            }
            Ok(())
        }

        async fn live_dependents(
            &mut self,
            kind: EntityKind,
            id: Uuid,
        ) -> Result<Vec<(EntityKind, Uuid)>, DbError> {
            let mut found: Vec<(Seq, (EntityKind, Uuid))> = self
                .refs
                .iter()
                .filter(|(_, targets)| targets.contains(&(kind, id)))
                .filter_map(|(from, _)| {
                    let (record, _) = self.records.get(from)?;
                    (!record.deleted).then_some((record.version, *from))
                })
                .collect();
            found.sort();
            Ok(found.into_iter().map(|(_, from)| from).collect())
        }

        async fn live_dependent_count(
            &mut self,
            kind: EntityKind,
            id: Uuid,
            dependent_kind: EntityKind,
        ) -> Result<u64, DbError> {
            let dependents = self.live_dependents(kind, id).await?;
            Ok(dependents
                .iter()
                .filter(|(k, _)| *k == dependent_kind)
                .count() as u64)
        }

        async fn live_dependent_fields(
            &mut self,
            kind: EntityKind,
            id: Uuid,
            dependent_kind: EntityKind,
        ) -> Result<Vec<LiveFields>, DbError> {
            let dependents = self.live_dependents(kind, id).await?;
            Ok(dependents
                .into_iter()
                .filter(|(k, _)| *k == dependent_kind)
                .filter_map(|key| {
                    let (record, _) = self.records.get(&key)?;
                    Some((key.1, record.fields.clone()))
                })
                .collect())
        }

        async fn write_history(&mut self, row: HistoryRow<'_>) -> Result<(), DbError> {
            self.history.push((row.seq, row.record_id, row.action));
            self.history_text.push((row.before, row.after));
            Ok(())
        }

        async fn keep_rejected_answer(
            &mut self,
            _device: &str,
            mutation: &Mutation,
            _message: &str,
            _reason: &Rejection,
        ) -> Result<(), DbError> {
            self.rejected_answers.push(mutation.id);
            Ok(())
        }

        async fn load_tallies(
            &mut self,
            consultation: Uuid,
        ) -> Result<Option<KeptTallies>, DbError> {
            Ok(self.tallies.get(&consultation).cloned())
        }

        async fn write_tallies(
            &mut self,
            consultation: Uuid,
            tallies: &str,
            answers: i64,
        ) -> Result<(), DbError> {
            let kept = KeptTallies {
                text: tallies.to_owned(),
                answers: Some(answers),
            };
            self.tallies.insert(consultation, kept);
            Ok(())
        }
    }

    fn mutation(n: u16, record: Uuid, op: Op, kind: EntityKind) -> Mutation {
        Mutation {
            id: MutationId(fixture_id(1000 + n)),
            kind,
            record_id: record,
            op,
        }
    }

    fn create(n: u16, record: Uuid, entity: &Entity) -> Mutation {
        let op = Op::Upsert {
            base_version: None,
            fields: entity.to_fields(),
        };
        mutation(n, record, op, entity.kind())
    }

    /// Basingstoke and Deane (seed 003): the partnership, its Board and Management Group, and
    /// the line from the Management Group to the Board.
    fn basingstoke() -> (Vec<Mutation>, [Uuid; 4]) {
        let [p, board, management, line] = [1, 2, 3, 4].map(fixture_id);
        let partnership = Entity::Partnership(Partnership {
            name: BASINGSTOKE.into(),
            area: "Basingstoke and Deane".into(),
            description: String::new(),
            published: true,
            archived: false,
        });
        let body = |name: &str, kind| {
            Entity::Body(Body {
                partnership_id: PartnershipId(p),
                name: name.into(),
                kind,
                terms_of_reference: String::new(),
            })
        };
        let reports = Entity::ReportingLine(ReportingLine {
            partnership_id: PartnershipId(p),
            from_body_id: BodyId(management),
            to_body_id: BodyId(board),
            kind: LineKind::ReportsTo,
            note: String::new(),
        });
        let mutations = vec![
            create(1, p, &partnership),
            create(2, board, &body(BASINGSTOKE_BOARD, BodyKind::Board)),
            create(
                3,
                management,
                &body(BASINGSTOKE_MANAGEMENT_GROUP, BodyKind::ManagementGroup),
            ),
            create(4, line, &reports),
        ];
        (mutations, [p, board, management, line])
    }

    #[tokio::test]
    async fn deleting_a_body_tombstones_it_and_what_refers_to_it_at_the_next_positions() {
        let mut store = Memory::default();
        let (mutations, [_, board, management, line]) = basingstoke();
        push_in(&mut store, &tablet(), &mutations)
            .await
            .expect("the structure is stored");
        let delete = mutation(
            5,
            board,
            Op::Delete {
                base_version: Some(Seq(2)),
            },
            EntityKind::Body,
        );
        let results = push_in(&mut store, &tablet(), &[delete])
            .await
            .expect("the delete is applied");
        assert_eq!(
            results[0].outcome,
            Outcome::Applied {
                version: Seq(5),
                overwritten: Vec::new()
            }
        );
        let deleted = |kind, id| store.records[&(kind, id)].0.deleted;
        assert!(deleted(EntityKind::Body, board));
        assert!(deleted(EntityKind::ReportingLine, line), "cascaded");
        assert!(
            !deleted(EntityKind::Body, management),
            "only refers-to cascades"
        );
        assert_eq!(
            store.history[4..],
            [
                (Some(Seq(5)), board, "delete"),
                (Some(Seq(6)), line, "cascade_delete")
            ]
        );
    }

    #[tokio::test]
    async fn a_retried_mutation_gets_its_first_result_and_an_edit_of_a_deleted_record_is_kept() {
        let mut store = Memory::default();
        let (mutations, [p, board, ..]) = basingstoke();
        let first = push_in(&mut store, &tablet(), &mutations)
            .await
            .expect("stored");
        let again = push_in(&mut store, &tablet(), &mutations)
            .await
            .expect("the retry is answered");
        assert_eq!(again, first);
        assert_eq!(store.seq, 4, "the retry took no position");

        let gone = mutation(
            6,
            p,
            Op::Delete {
                base_version: Some(Seq(1)),
            },
            EntityKind::Partnership,
        );
        let mut patch = Map::new();
        patch.insert("terms_of_reference".into(), "Sets the vision".into());
        let late = mutation(
            7,
            board,
            Op::Upsert {
                base_version: Some(Seq(2)),
                fields: patch,
            },
            EntityKind::Body,
        );
        let results = push_in(&mut store, &tablet(), &[gone, late])
            .await
            .expect("answered");
        assert!(
            matches!(
                &results[1].outcome,
                Outcome::Rejected {
                    reason: Rejection::RecordDeleted,
                    ..
                }
            ),
            "{:?}",
            results[1]
        );
        assert_eq!(store.history.last(), Some(&(None, board, "rejected")));
        assert!(
            store.rejected_answers.is_empty(),
            "only answers are kept so"
        );
    }

    #[tokio::test]
    async fn a_push_reads_each_record_once_however_many_changes_refer_to_it() {
        let mut store = Memory::default();
        let (mutations, _) = basingstoke();
        push_in(&mut store, &tablet(), &mutations)
            .await
            .expect("the structure is stored");
        // The four records themselves, read ahead; the partnership and the two bodies that
        // the bodies and the line refer to come from what the push read or wrote already.
        assert_eq!(store.loads, 4);
        assert_eq!(store.seq, 4);
        assert_eq!(store.applied.len(), 4);
        assert_eq!(store.history.len(), 4);
    }

    #[tokio::test]
    async fn a_mutation_sent_twice_in_one_push_is_settled_once() {
        let mut store = Memory::default();
        let (mut mutations, _) = basingstoke();
        mutations.push(mutations[1].clone());
        let results = push_in(&mut store, &tablet(), &mutations)
            .await
            .expect("answered");
        assert_eq!(
            results[4], results[1],
            "the second copy gets the first's result"
        );
        assert_eq!(store.seq, 4, "the second copy took no position");
        assert_eq!(store.history.len(), 4);
    }

    #[tokio::test]
    async fn each_settled_id_is_written_with_its_digest_and_another_change_under_it_is_refused() {
        let mut store = Memory::default();
        let (mutations, _) = basingstoke();
        push_in(&mut store, &tablet(), &mutations)
            .await
            .expect("the structure is stored");
        for m in &mutations {
            assert_eq!(
                store.digests.get(&m.id.0),
                Some(&digest(&mut Vec::new(), m).expect("encodes")),
                "the batched push wrote mutation {}'s digest with its result",
                m.id
            );
        }
        let mut changed = mutations[1].clone();
        changed.op = mutations[2].op.clone();
        match push_in(&mut store, &tablet(), std::slice::from_ref(&changed)).await {
            Err(PushError::Invalid { mutation_id, .. }) => assert_eq!(mutation_id, changed.id),
            _ => panic!("a settled id resent with another change must be refused"),
        }
        let again = push_in(&mut store, &tablet(), &mutations[1..2])
            .await
            .expect("the same change resent is answered");
        assert_eq!(again[0], store.applied[&mutations[1].id.0]);
        assert_eq!(store.seq, 4, "neither resend took a position");
    }

    #[tokio::test]
    async fn an_id_sent_twice_in_one_push_with_two_changes_is_refused() {
        let mut store = Memory::default();
        let (mut mutations, _) = basingstoke();
        let mut changed = mutations[1].clone();
        changed.op = mutations[2].op.clone();
        mutations.push(changed.clone());
        match push_in(&mut store, &tablet(), &mutations).await {
            Err(PushError::Invalid { mutation_id, .. }) => assert_eq!(mutation_id, changed.id),
            _ => panic!("the second copy carries another change and must be refused"),
        }
    }

    #[tokio::test]
    async fn the_history_and_the_record_hold_the_same_fields_text_as_before() {
        let mut store = Memory::default();
        let (mutations, [p, ..]) = basingstoke();
        push_in(&mut store, &tablet(), &mutations[..1])
            .await
            .expect("the partnership is stored");
        // The text every server so far has written: the canonical fields, keys in order.
        let created = format!(
            r#"{{"archived":false,"area":"Basingstoke and Deane","description":"","name":"{BASINGSTOKE}","published":true}}"#
        );
        assert_eq!(store.history_text[0], (None, Some(created.clone())));
        assert_eq!(store.fields_text[&(EntityKind::Partnership, p)], created);

        let mut patch = Map::new();
        patch.insert("description".into(), "Hampshire".into());
        let edit = mutation(
            5,
            p,
            Op::Upsert {
                base_version: Some(Seq(1)),
                fields: patch,
            },
            EntityKind::Partnership,
        );
        push_in(&mut store, &tablet(), &[edit])
            .await
            .expect("the edit is stored");
        let edited = created.replace(r#""description":"""#, r#""description":"Hampshire""#);
        assert_eq!(store.history_text[1], (Some(created), Some(edited.clone())));
        assert_eq!(store.fields_text[&(EntityKind::Partnership, p)], edited);
        let (record, _) = &store.records[&(EntityKind::Partnership, p)];
        assert_eq!(to_json(&record.fields).expect("encodes"), edited);
    }

    #[test]
    fn a_digest_is_the_sha256_of_the_mutation_json_whatever_the_buffer_held() {
        use sha2::{Digest, Sha256};
        let (mutations, _) = basingstoke();
        // As every server so far has computed it, so that digests kept in old databases
        // still compare equal.
        let first_definition = |m: &Mutation| -> String {
            let json = serde_json::to_vec(m).expect("encodes");
            Sha256::digest(&json)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        };
        let mut buffer = b"left over from a longer mutation, and longer still".to_vec();
        for m in mutations.iter().rev() {
            let expected = first_definition(m);
            assert_eq!(digest(&mut buffer, m).expect("encodes"), expected);
            assert_eq!(digest(&mut Vec::new(), m).expect("encodes"), expected);
        }
    }
}
