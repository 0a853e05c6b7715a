//! Records the server makes from other records ([`EntityKind::derived`]): today a
//! consultation's published results (`atlas_shared::consultation::published`).
//!
//! A push that changes an answer, a consultation, a questionnaire version or an event refreshes
//! the published results of each consultation it touched, once per push, inside the push's
//! transaction: the results and the answers they count commit together, at positions after
//! them, so a reader never pulls figures that count answers that are not stored. A refresh that
//! computes what is stored already writes nothing.
//!
//! The refresh reads every answer of the consultation, so its cost grows with the answers
//! (linear; measured by `cargo xtask bench` with the push path).

use std::collections::BTreeSet;

use atlas_shared::consultation::published::publish;
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

/// The consultations whose published results a push's applied changes may have changed.
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
                EntityKind::ConsultationEvent | EntityKind::Questionnaire | EntityKind::Response,
            ) => match consultation_of(fields) {
                // A new record (every answer) names its consultation: no read needed.
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

fn parse<T: DeserializeOwned>(
    kind: EntityKind,
    id: Uuid,
    fields: Map<String, Value>,
) -> Result<T, DbError> {
    serde_json::from_value(Value::Object(fields))
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
        .map(|(id, fields)| Ok((id, parse(kind, id, fields)?)))
        .collect()
}

/// Computes consultation `c`'s published results and stores them at the next position if they
/// differ from what is stored. Nothing happens for a consultation that is gone.
pub(crate) async fn refresh_results<S: PushStore>(
    store: &mut S,
    c: ConsultationId,
) -> Result<(), DbError> {
    let Some(current) = store.load(EntityKind::Consultation, c.0).await? else {
        return Ok(());
    };
    if current.record.deleted {
        return Ok(());
    }
    let consultation: Consultation = parse(EntityKind::Consultation, c.0, current.record.fields)?;
    let mut versions: Vec<(Uuid, Questionnaire)> =
        of_consultation(store, c, EntityKind::Questionnaire).await?;
    versions.sort_by_key(|(_, q)| q.version);
    let versions: Vec<(QuestionnaireId, &Questionnaire)> = versions
        .iter()
        .map(|(id, q)| (QuestionnaireId(*id), q))
        .collect();
    let events: Vec<(Uuid, ConsultationEvent)> =
        of_consultation(store, c, EntityKind::ConsultationEvent).await?;
    let responses: Vec<(Uuid, Response)> = of_consultation(store, c, EntityKind::Response).await?;
    let published = publish(
        c,
        &consultation,
        &versions,
        events.iter().map(|(id, e)| (ConsultationEventId(*id), e)),
        responses.iter().map(|(_, r)| r),
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
