//! Records the server makes from other records ([`EntityKind::derived`]): today a
//! consultation's published results (`atlas_shared::consultation::published`).
//!
//! A push that changes an answer, a consultation, a questionnaire version or an event refreshes
//! the published results of each consultation it touched, once per push, inside the push's
//! transaction: the results and the answers they count commit together, at positions after
//! them, so a reader never pulls figures that count answers that are not stored. A refresh that
//! computes what is stored already writes nothing.
//!
//! The refresh does not count every answer again: the server keeps each consultation's raw
//! counts (`consultation_tallies`, a [`ResultsTallies`]) and moves them by the answers the
//! push changed, as they were before it ([`AnswersBefore`]) and after. So a push costs its own
//! answers, not the consultation's. Beside the counts it keeps the number of live answers,
//! moved by the same changes in the same transaction ([`KeptTallies`]): every change to an
//! answer is a push, so that number is the consultation's without counting its answers again.
//! The kept counts are trusted only while they were counted for the consultation's current
//! questions and hold that many answers; otherwise (a new version, a row from before this
//! table or that column, counts written by hand) they are counted afresh from every answer,
//! as the start-up refresh always does.

use std::collections::{BTreeMap, BTreeSet};

use atlas_shared::consultation::published::{ResultsTallies, questions_of};
use atlas_shared::consultation::results::Change;
use atlas_shared::consultation::{Consultation, ConsultationEvent, Questionnaire, Response};
use atlas_shared::{
    ConsultationEventId, ConsultationId, Entity, EntityKind, MutationResult, Op, Outcome,
    QuestionnaireId, StoredRecord,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::DbError;
use super::push::PushStore;
use atlas_shared::Mutation;

/// The consultations whose published results a push's applied changes to anything but answers
/// may have changed (answers: [`AnswersBefore`]).
pub(crate) async fn touched_consultations<S: PushStore>(
    store: &mut S,
    mutations: &[Mutation],
    results: &[MutationResult],
) -> Result<BTreeSet<ConsultationId>, DbError> {
    let mut touched = BTreeSet::new();
    for (mutation, result) in mutations.iter().zip(results) {
        let applied = matches!(result.outcome, Outcome::Applied { .. });
        let upsert = matches!(mutation.op, Op::Upsert { .. });
        if !applied || !upsert {
            // A refused change changed nothing; a delete of anything results read is refused
            // while answers belong to it, and a deleted consultation takes its results with it.
            continue;
        }
        let consultation_of = |fields: &Map<String, Value>| {
            let id = fields.get("consultation_id")?.as_str()?;
            Uuid::parse_str(id).ok()
        };
        let id = match (&mutation.op, mutation.kind) {
            (_, EntityKind::Consultation) => Some(mutation.record_id),
            (
                Op::Upsert { fields, .. },
                EntityKind::ConsultationEvent | EntityKind::Questionnaire,
            ) => match consultation_of(fields) {
                // A new record names its consultation: no read needed.
                Some(id) => Some(id),
                // An edit that does not name it: as stored.
                None => store
                    .load(mutation.kind, mutation.record_id)
                    .await?
                    .and_then(|c| consultation_of(&c.record.fields)),
            },
            _ => None,
        };
        touched.extend(id.map(ConsultationId));
    }
    Ok(touched)
}

/// Reads stored fields as `T` in place (no copy of them first: a push reads every answer it
/// stores this way, and the copy cost more than the reading).
fn parse<T: DeserializeOwned>(
    kind: EntityKind,
    id: Uuid,
    fields: &Map<String, Value>,
) -> Result<T, DbError> {
    T::deserialize(fields)
        .map_err(|e| DbError::Corrupt(format!("{} {id} as stored: {e}", kind.noun())))
}

/// The live records of `kind` that belong to consultation `c`, typed.
async fn of_consultation<S: PushStore, T: DeserializeOwned>(
    store: &mut S,
    c: ConsultationId,
    kind: EntityKind,
) -> Result<Vec<(Uuid, T)>, DbError> {
    let rows = store
        .live_dependent_fields(EntityKind::Consultation, c.0, kind)
        .await?;
    rows.into_iter()
        .map(|(id, fields)| Ok((id, parse(kind, id, &fields)?)))
        .collect()
}

/// The answers a push changes, each as stored before the push's first change to it, so that
/// each consultation's kept counts can be moved by exactly what changed.
#[derive(Default)]
pub(crate) struct AnswersBefore(BTreeMap<Uuid, Option<Response>>);

impl AnswersBefore {
    /// Notes the answer `mutation` changes as stored now, before it is applied (once per answer:
    /// a second change in the same push finds it noted).
    pub(crate) async fn note<S: PushStore>(
        &mut self,
        store: &mut S,
        mutation: &Mutation,
    ) -> Result<(), DbError> {
        if mutation.kind != EntityKind::Response || self.0.contains_key(&mutation.record_id) {
            return Ok(());
        }
        let before = live_answer(store, mutation.record_id).await?;
        self.0.insert(mutation.record_id, before);
        Ok(())
    }

    /// Per consultation, the answers to take away (as they were) and to count (as they are).
    async fn changes<S: PushStore>(
        self,
        store: &mut S,
    ) -> Result<BTreeMap<ConsultationId, Vec<(Response, Change)>>, DbError> {
        let mut changes: BTreeMap<ConsultationId, Vec<(Response, Change)>> = BTreeMap::new();
        for (id, before) in self.0 {
            let after = live_answer(store, id).await?;
            if before == after {
                continue;
            }
            for (answer, change) in [(before, Change::Remove), (after, Change::Add)] {
                if let Some(answer) = answer {
                    changes
                        .entry(answer.consultation_id)
                        .or_default()
                        .push((answer, change));
                }
            }
        }
        Ok(changes)
    }
}

/// Answer `id` as stored, if it is live.
async fn live_answer<S: PushStore>(store: &mut S, id: Uuid) -> Result<Option<Response>, DbError> {
    match store.load(EntityKind::Response, id).await? {
        Some(current) if !current.record.deleted => {
            parse(EntityKind::Response, id, &current.record.fields).map(Some)
        }
        _ => Ok(None),
    }
}

/// Refreshes the published results of every consultation a push changed: `answers` noted
/// before the push, `mutations` and their `results` after it.
pub(crate) async fn refresh_touched<S: PushStore>(
    store: &mut S,
    mutations: &[Mutation],
    results: &[MutationResult],
    answers: AnswersBefore,
) -> Result<(), DbError> {
    let mut changes = answers.changes(store).await?;
    let mut touched = touched_consultations(store, mutations, results).await?;
    touched.extend(changes.keys().copied());
    for c in touched {
        let moved = changes.remove(&c).unwrap_or_default();
        refresh_results(store, c, Count::Moved(moved)).await?;
    }
    Ok(())
}

/// The counts kept behind a consultation's published results, as stored.
#[derive(Clone, Debug)]
pub(crate) struct KeptTallies {
    /// The JSON of a [`ResultsTallies`].
    pub(crate) text: String,
    /// How many live answers the consultation had when they were written (none in a row kept
    /// before this number was).
    pub(crate) answers: Option<i64>,
}

/// How [`refresh_results`] comes by a consultation's counts.
pub(crate) enum Count {
    /// From every answer stored (at start-up: whatever is kept is checked afresh).
    Afresh,
    /// The kept counts moved by these answers (counted afresh if the kept ones cannot be
    /// trusted).
    Moved(Vec<(Response, Change)>),
}

/// Computes consultation `c`'s published results and stores them at the next position if they
/// differ from what is stored, with the counts behind them. Nothing happens for a consultation
/// that is gone.
pub(crate) async fn refresh_results<S: PushStore>(
    store: &mut S,
    c: ConsultationId,
    count: Count,
) -> Result<(), DbError> {
    let Some(current) = store.load(EntityKind::Consultation, c.0).await? else {
        return Ok(());
    };
    if current.record.deleted {
        return Ok(());
    }
    let consultation: Consultation = parse(EntityKind::Consultation, c.0, &current.record.fields)?;
    let mut versions: Vec<(Uuid, Questionnaire)> =
        of_consultation(store, c, EntityKind::Questionnaire).await?;
    versions.sort_by_key(|(_, q)| q.version);
    let versions: Vec<(QuestionnaireId, &Questionnaire)> = versions
        .iter()
        .map(|(id, q)| (QuestionnaireId(*id), q))
        .collect();
    let questions = questions_of(&versions);
    let kept = store.load_tallies(c.0).await?;
    let moved = match count {
        Count::Afresh => None,
        Count::Moved(answers) => moved_tallies(kept.as_ref(), &questions, &answers),
    };
    let tallies = match moved {
        Some(tallies) => tallies,
        None => {
            let answers: Vec<(Uuid, Response)> =
                of_consultation(store, c, EntityKind::Response).await?;
            ResultsTallies::of(questions, answers.iter().map(|(_, r)| r))
        }
    };
    let text = serde_json::to_string(&tallies)
        .map_err(|e| DbError::Corrupt(format!("cannot encode the counts of {c:?}: {e}")))?;
    let answers = i64::try_from(tallies.responses())
        .map_err(|_| DbError::Corrupt(format!("the counts of {c:?} hold too many answers")))?;
    if kept.is_none_or(|k| k.text != text || k.answers != Some(answers)) {
        store.write_tallies(c.0, &text, answers).await?;
    }
    let events: Vec<(Uuid, ConsultationEvent)> =
        of_consultation(store, c, EntityKind::ConsultationEvent).await?;
    let published = tallies.publish(
        c,
        &consultation,
        events.iter().map(|(id, e)| (ConsultationEventId(*id), e)),
    );
    let entity = Entity::from(published);
    let fields = entity.to_fields();
    let kind = EntityKind::PublishedResults;
    let before = store.load(kind, c.0).await?;
    if before
        .as_ref()
        .is_some_and(|b| !b.record.deleted && b.record.fields == fields)
    {
        return Ok(());
    }
    let seq = store.next_seq().await?;
    let stored = StoredRecord {
        field_versions: fields.keys().map(|k| (k.clone(), seq)).collect(),
        fields,
        version: seq,
        deleted: false,
    };
    let partnership = consultation.partnership_id.0.to_string();
    store
        .write_record(kind, c.0, Some(&partnership), &stored)
        .await?;
    let references: Vec<(EntityKind, Uuid)> =
        entity.reference_fields().iter().map(|r| r.key()).collect();
    store.write_refs(kind, c.0, &references).await
}

/// The kept counts `kept` moved by `answers`, if they can be trusted: they read back, were
/// counted for `questions`, and hold as many answers as are kept beside them, moved by the same
/// `answers`.
fn moved_tallies(
    kept: Option<&KeptTallies>,
    questions: &[atlas_shared::consultation::Question],
    answers: &[(Response, Change)],
) -> Option<ResultsTallies> {
    let kept = kept?;
    let mut stored = kept.answers?;
    let mut tallies = serde_json::from_str::<ResultsTallies>(&kept.text).ok()?;
    if tallies.questions != questions {
        return None;
    }
    for (answer, change) in answers {
        tallies.change(answer, *change);
        stored += match change {
            Change::Add => 1,
            Change::Remove => -1,
        };
    }
    (i64::try_from(tallies.responses()) == Ok(stored)).then_some(tallies)
}
