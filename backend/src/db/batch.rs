//! A push's statements in a few round trips instead of several per mutation.
//!
//! The push algorithm ([`push`](super::push)) asks its store one question at a time: has this
//! mutation id been settled, what is stored under this id, the next position, write this
//! record, these references, this history row, this mutation id. On a database each of those is
//! a round trip, and a push of 500 answers made some 4,000 of them, re-reading the same
//! questionnaire, event and partnership for every answer (measured in `push_bench`: the push
//! path ran at 1/70 of a raw insert of the same rows).
//!
//! [`Batched`] sits between the algorithm and the backend, inside the push's one transaction:
//! - it asks at the start, in one statement each, which of the push's mutation ids are settled
//!   (with the digest of the change each carried, so an id resent with another change is still
//!   refused) and what is stored under the push's record ids, and keeps every record it reads or writes,
//!   so the questionnaire an answer refers to is read once per push, not once per answer;
//! - it takes positions from the counter once, numbering the rest itself, and moves the
//!   counter to the last position it handed out before the push commits (positions are still
//!   taken inside the writing transaction, in commit order: see the `Database` invariants);
//! - it holds the records, references, history rows and settled mutation ids the push writes,
//!   (each settled id with its digest) and writes each kind in multi-row statements ([`Batched::flush`]): before any statement
//!   that reads what they would change (the records that refer to one, a tombstone) and at the
//!   end of the push. Nothing is held past the push: the caller flushes before it commits,
//!   and on an error the transaction rolls back with or without what was held.
//!
//! A backend that does not provide the multi-row statements still works: each has a default
//! in terms of the one-row statements (see [`PushStore`]).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use atlas_shared::{
    EntityKind, Mutation, MutationId, MutationResult, Rejection, Seq, StoredRecord,
};
use uuid::Uuid;

use super::DbError;
use super::derived::KeptTallies;
use super::push::{
    Current, HistoryRow, LiveFields, PushStore, RecordRow, RefsRow, Sender, Settled,
};

type Key = (EntityKind, Uuid);

/// The push's store, reading ahead and writing behind (see the module docs).
pub(crate) struct Batched<'a, S> {
    inner: &'a mut S,
    sender: &'a Sender,
    /// The push's mutations by id: a held history row borrows its mutation from here.
    mutations: HashMap<MutationId, &'a Mutation>,
    /// Mutation ids whose settled result and digest (if any) are in `settled`.
    asked: HashSet<MutationId>,
    settled: HashMap<MutationId, Settled>,
    /// Every record read or written in this push, as the database holds it or will once
    /// flushed (`None`: no such record).
    records: HashMap<Key, Option<Current>>,
    /// Writes held until the next flush, in the order they were made.
    held_records: Vec<Key>,
    held_record_keys: HashSet<Key>,
    /// The JSON text of a held record's fields, where the push made it already (see
    /// [`PushStore::write_record_with_text`]).
    held_texts: HashMap<Key, String>,
    held_refs: Vec<Key>,
    refs: HashMap<Key, Vec<(EntityKind, Uuid)>>,
    held_history: Vec<HistoryRow<'a>>,
    held_settled: Vec<Settled>,
    /// The last position taken from the counter itself, and the last handed out.
    counter: Option<Seq>,
    last_seq: Option<Seq>,
}

impl<'a, S: PushStore> Batched<'a, S> {
    /// Reads ahead what the push will ask about its own mutations: which are settled, and
    /// what is stored under their record ids.
    pub(crate) async fn new(
        inner: &'a mut S,
        sender: &'a Sender,
        mutations: &'a [Mutation],
    ) -> Result<Self, DbError> {
        let settled = inner.applied_results(mutations).await?;
        let mut keys: Vec<Key> = mutations.iter().map(|m| (m.kind, m.record_id)).collect();
        keys.sort_unstable();
        keys.dedup();
        let found = inner.load_many(&keys).await?;
        Ok(Self {
            inner,
            sender,
            mutations: mutations.iter().map(|m| (m.id, m)).collect(),
            asked: mutations.iter().map(|m| m.id).collect(),
            settled,
            records: keys.into_iter().zip(found).collect(),
            held_records: Vec::new(),
            held_record_keys: HashSet::new(),
            held_texts: HashMap::new(),
            held_refs: Vec::new(),
            refs: HashMap::new(),
            held_history: Vec::new(),
            held_settled: Vec::new(),
            counter: None,
            last_seq: None,
        })
    }

    /// Writes everything held, each kind in as few statements as the backend allows, and
    /// moves the counter to the last position handed out.
    pub(crate) async fn flush(&mut self) -> Result<(), DbError> {
        if !self.held_records.is_empty() {
            let rows: Vec<RecordRow<'_>> = self
                .held_records
                .iter()
                .filter_map(|key| {
                    let current = self.records.get(key)?.as_ref()?;
                    Some(RecordRow {
                        kind: key.0,
                        id: key.1,
                        partnership_id: current.partnership_id.as_deref(),
                        stored: &current.record,
                        fields_text: self.held_texts.get(key).map(String::as_str),
                    })
                })
                .collect();
            if rows.len() != self.held_records.len() {
                return Err(DbError::Corrupt(
                    "a record held for writing was lost before it was written".to_owned(),
                ));
            }
            self.inner.write_records(&rows).await?;
            self.held_records.clear();
            self.held_record_keys.clear();
            self.held_texts.clear();
        }
        if !self.held_refs.is_empty() {
            let rows: Vec<RefsRow<'_>> = self
                .held_refs
                .iter()
                .map(|key| RefsRow {
                    kind: key.0,
                    id: key.1,
                    references: self.refs.get(key).map_or(&[][..], Vec::as_slice),
                })
                .collect();
            self.inner.write_refs_many(&rows).await?;
            self.held_refs.clear();
            self.refs.clear();
        }
        if !self.held_history.is_empty() {
            let rows = std::mem::take(&mut self.held_history);
            self.inner.write_history_rows(rows).await?;
        }
        if !self.held_settled.is_empty() {
            let device = self.sender.device.as_str();
            self.inner
                .record_applied_many(device, &self.held_settled)
                .await?;
            self.held_settled.clear();
        }
        if let (Some(counter), Some(last)) = (self.counter, self.last_seq)
            && last > counter
        {
            self.inner.advance_seq(counter, last).await?;
            self.counter = Some(last);
        }
        Ok(())
    }

    /// Holds a mutation id settled by this push's sender, with its digest: answered from here
    /// for the rest of the push (a second copy in the push gets the first's result, or is
    /// refused if it carries another change) and written at the next flush.
    fn hold_settled(&mut self, result: &MutationResult, digest: Option<String>) {
        let settled = Settled {
            result: result.clone(),
            digest,
        };
        self.settled.insert(result.mutation_id, settled.clone());
        self.asked.insert(result.mutation_id);
        self.held_settled.push(settled);
    }

    /// Holds `record` (in `partnership_id`) as the record `key` will be once flushed, with the
    /// JSON text of its fields if made already. A record written twice in one push is written
    /// once, as it ends (its final position is unique like any other).
    fn hold_record(
        &mut self,
        key: Key,
        record: Arc<StoredRecord>,
        partnership_id: Option<&str>,
        fields_text: Option<String>,
    ) {
        let partnership_id = partnership_id.map(str::to_owned);
        self.records.insert(
            key,
            Some(Current {
                record,
                partnership_id,
            }),
        );
        match fields_text {
            Some(text) => self.held_texts.insert(key, text),
            None => self.held_texts.remove(&key),
        };
        if self.held_record_keys.insert(key) {
            self.held_records.push(key);
        }
    }
}

impl<S: PushStore> PushStore for Batched<'_, S> {
    async fn applied_result(
        &mut self,
        mutation: &Mutation,
    ) -> Result<Option<MutationResult>, DbError> {
        if let Some(done) = self.settled.get(&mutation.id) {
            return Ok(Some(done.result.clone()));
        }
        if self.asked.contains(&mutation.id) {
            return Ok(None);
        }
        self.inner.applied_result(mutation).await
    }

    async fn record_applied(
        &mut self,
        device: &str,
        result: &MutationResult,
    ) -> Result<(), DbError> {
        if device != self.sender.device {
            self.flush().await?;
            return self.inner.record_applied(device, result).await;
        }
        self.hold_settled(result, None);
        Ok(())
    }

    async fn applied_digest(&mut self, id: MutationId) -> Result<Option<String>, DbError> {
        if let Some(done) = self.settled.get(&id) {
            return Ok(done.digest.clone());
        }
        if self.asked.contains(&id) {
            return Ok(None);
        }
        self.inner.applied_digest(id).await
    }

    async fn record_applied_digest(
        &mut self,
        device: &str,
        result: &MutationResult,
        digest: &str,
    ) -> Result<(), DbError> {
        if device != self.sender.device {
            self.flush().await?;
            return self
                .inner
                .record_applied_digest(device, result, digest)
                .await;
        }
        self.hold_settled(result, Some(digest.to_owned()));
        Ok(())
    }

    async fn load(&mut self, kind: EntityKind, id: Uuid) -> Result<Option<Current>, DbError> {
        if let Some(known) = self.records.get(&(kind, id)) {
            return Ok(known.clone());
        }
        let found = self.inner.load(kind, id).await?;
        self.records.insert((kind, id), found.clone());
        Ok(found)
    }

    async fn next_seq(&mut self) -> Result<Seq, DbError> {
        let seq = match self.last_seq {
            Some(last) => Seq(last.0 + 1),
            None => {
                let first = self.inner.next_seq().await?;
                self.counter = Some(first);
                first
            }
        };
        self.last_seq = Some(seq);
        Ok(seq)
    }

    async fn write_record(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        partnership_id: Option<&str>,
        stored: &StoredRecord,
    ) -> Result<(), DbError> {
        let record = Arc::new(stored.clone());
        self.hold_record((kind, id), record, partnership_id, None);
        Ok(())
    }

    async fn write_record_with_text(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        partnership_id: Option<&str>,
        stored: StoredRecord,
        fields_text: &str,
    ) -> Result<(), DbError> {
        let text = Some(fields_text.to_owned());
        self.hold_record((kind, id), Arc::new(stored), partnership_id, text);
        Ok(())
    }

    async fn write_refs(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        references: &[(EntityKind, Uuid)],
    ) -> Result<(), DbError> {
        if self.refs.insert((kind, id), references.to_vec()).is_none() {
            self.held_refs.push((kind, id));
        }
        Ok(())
    }

    async fn write_tombstone(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        seq: Seq,
    ) -> Result<(), DbError> {
        // Positions handed out so far reach the counter first: the tombstone's row takes one.
        self.flush().await?;
        self.inner.write_tombstone(kind, id, seq).await?;
        if let Some(Some(current)) = self.records.get_mut(&(kind, id)) {
            let record = Arc::make_mut(&mut current.record);
            record.fields.clear();
            record.field_versions.clear();
            record.version = seq;
            record.deleted = true;
        }
        Ok(())
    }

    async fn live_dependents(
        &mut self,
        kind: EntityKind,
        id: Uuid,
    ) -> Result<Vec<(EntityKind, Uuid)>, DbError> {
        self.flush().await?;
        self.inner.live_dependents(kind, id).await
    }

    async fn live_dependent_count(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        dependent_kind: EntityKind,
    ) -> Result<u64, DbError> {
        self.flush().await?;
        self.inner
            .live_dependent_count(kind, id, dependent_kind)
            .await
    }

    async fn live_dependent_fields(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        dependent_kind: EntityKind,
    ) -> Result<Vec<LiveFields>, DbError> {
        self.flush().await?;
        self.inner
            .live_dependent_fields(kind, id, dependent_kind)
            .await
    }

    async fn note_visibility_change(&mut self, partnership: &str, seq: Seq) -> Result<(), DbError> {
        self.inner.note_visibility_change(partnership, seq).await
    }

    async fn write_history(&mut self, row: HistoryRow<'_>) -> Result<(), DbError> {
        // Held only when it borrows from this push (it always does in `push_in`).
        match self.mutations.get(&row.mutation.id) {
            Some(mutation) if std::ptr::eq(row.sender, self.sender) => {
                self.held_history.push(HistoryRow {
                    seq: row.seq,
                    kind: row.kind,
                    record_id: row.record_id,
                    mutation,
                    sender: self.sender,
                    action: row.action,
                    before: row.before,
                    after: row.after,
                    overwritten: row.overwritten,
                });
                Ok(())
            }
            _ => {
                self.flush().await?;
                self.inner.write_history(row).await
            }
        }
    }

    async fn keep_rejected_answer(
        &mut self,
        device: &str,
        mutation: &Mutation,
        message: &str,
        reason: &Rejection,
    ) -> Result<(), DbError> {
        self.inner
            .keep_rejected_answer(device, mutation, message, reason)
            .await
    }

    async fn load_tallies(&mut self, consultation: Uuid) -> Result<Option<KeptTallies>, DbError> {
        self.inner.load_tallies(consultation).await
    }

    async fn write_tallies(
        &mut self,
        consultation: Uuid,
        tallies: &str,
        answers: i64,
    ) -> Result<(), DbError> {
        self.inner
            .write_tallies(consultation, tallies, answers)
            .await
    }
}
