//! The rules of a push that do not depend on the backend: what a record may be stored as
//! (validated, canonical, within the size limit, fields its kind has), the partnership checks,
//! and the per-kind rules (a response is append-only, a questionnaire version in use is frozen,
//! a response that does not fit is stored with review notes, what may not be deleted). Every
//! backend's push ([`super::push`]) calls them; none of them touches storage.

use atlas_shared::consultation::{Response, validate_response};
use atlas_shared::{
    Entity, EntityKind, FieldError, MAX_RECORD_BYTES, Mutation, Op, Reference, Rejection, Seq,
    StoredRecord, record_bytes, unknown_fields,
};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

use super::{DbError, PushError};

/// Parses and validates the merged fields of an upsert, turning a failure into the push error
/// that names the mutation and lists the fields. Then checks what the record would be stored
/// as (its canonical fields, see [`store_canonical`]): every field the mutation sent must be
/// one of them ([`unknown_fields`]), and the record must be no larger than
/// [`MAX_RECORD_BYTES`].
///
/// Gives the entity and its canonical fields ([`Entity::to_fields`]), which are what
/// [`store_canonical`] stores while the entity stays as validated.
pub(crate) fn validate(
    mutation: &Mutation,
    fields: &Map<String, Value>,
) -> Result<(Entity, Map<String, Value>), PushError> {
    let entity = Entity::from_fields(mutation.kind, fields).map_err(|e| PushError::Invalid {
        mutation_id: mutation.id,
        message: format!(
            "mutation {} of {} {} was refused: {e}",
            mutation.id,
            mutation.kind.noun(),
            mutation.record_id
        ),
        fields: e.field_errors().to_vec(),
    })?;
    let canonical = entity.to_fields();
    if let Op::Upsert { fields: sent, .. } = &mutation.op {
        // The server's own fields are replaced, never refused (left out here in place: a copy
        // of the sent fields without them cost more than the check).
        let unknown = unknown_fields(sent, &canonical)
            .into_iter()
            .filter(|name| !server_written(mutation.kind, name))
            .collect();
        check_known_fields(mutation, unknown)?;
    }
    check_record_size(mutation, &canonical)?;
    Ok((entity, canonical))
}

/// Refuses a mutation that sends a field its kind does not have (a newer app's field, a typo):
/// the server stores only the fields it validated, so such a field would otherwise vanish
/// unseen. Only the fields the mutation sent are checked: a field kept from an older stored
/// version is not the sender's doing, and is dropped when the record is stored again.
/// `unknown` lists the fields sent that are not among the record's canonical fields, in the
/// order sent.
fn check_known_fields(mutation: &Mutation, unknown: Vec<&str>) -> Result<(), PushError> {
    if unknown.is_empty() {
        return Ok(());
    }
    let noun = mutation.kind.noun();
    let a = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    let (what, names) = match unknown.as_slice() {
        [one] => ("a field", (*one).to_owned()),
        [rest @ .., last] => ("fields", format!("{} and {last}", rest.join(", "))),
        [] => ("", String::new()),
    };
    Err(PushError::Invalid {
        mutation_id: mutation.id,
        message: format!(
            "mutation {} of {noun} {} was refused: it sets {what} {a} {noun} does not have \
             ({names}); nothing of the push was stored. If the app is newer than the server, \
             the server needs updating; otherwise remove the field",
            mutation.id, mutation.record_id
        ),
        fields: unknown
            .iter()
            .map(|name| FieldError::new(name, format!("There is no such field on {a} {noun}")))
            .collect(),
    })
}

/// Refuses a mutation that would store a record larger than [`MAX_RECORD_BYTES`], naming its
/// largest field (what to shorten).
fn check_record_size(mutation: &Mutation, canonical: &Map<String, Value>) -> Result<(), PushError> {
    let bytes = record_bytes(canonical);
    if bytes <= MAX_RECORD_BYTES {
        return Ok(());
    }
    let largest = canonical
        .iter()
        .max_by_key(|(_, value)| serde_json::to_string(value).map_or(usize::MAX, |t| t.len()))
        .map_or("fields", |(name, _)| name.as_str());
    let kib = MAX_RECORD_BYTES / 1024;
    Err(PushError::TooLarge {
        mutation_id: mutation.id,
        message: format!(
            "mutation {} would make {} {} {bytes} bytes long, over the limit of {kib} KiB \
             ({MAX_RECORD_BYTES} bytes) for one record; nothing of the push was stored: \
             shorten its {largest}",
            mutation.id,
            mutation.kind.noun(),
            mutation.record_id
        ),
        fields: vec![FieldError::new(
            largest,
            format!("This is too long: the whole record may be at most {kib} KiB"),
        )],
        limit_bytes: MAX_RECORD_BYTES as u64,
    })
}

/// What the server stores for a record it validated as `entity`: the entity's own fields
/// ([`Entity::to_fields`]), not the JSON as sent, so what is stored and pulled is exactly what
/// passed validation (defaults filled in, nothing else kept). A field's version is kept for
/// each canonical field that has one; a field filled in by its default was set by no change
/// and has none (so a later stale edit of it is no conflict).
///
/// `fields` are the entity's canonical fields, made already ([`validate`], then kept equal to
/// the entity as it changed): made once, not again here.
pub(crate) fn store_canonical(
    stored: StoredRecord,
    entity: &Entity,
    fields: Map<String, Value>,
) -> StoredRecord {
    debug_assert_eq!(
        fields,
        entity.to_fields(),
        "the canonical fields kept are the entity's"
    );
    let field_versions = stored
        .field_versions
        .into_iter()
        .filter(|(name, _)| fields.contains_key(name))
        .collect();
    StoredRecord {
        fields,
        field_versions,
        ..stored
    }
}

/// The partnership a record belongs to, as stored in the `partnership_id` column. A partnership
/// belongs to none (it *is* one).
pub(crate) fn partnership_of(entity: &Entity) -> Option<String> {
    entity.partnership_id().map(|p| p.0.to_string())
}

/// Refuses an update that moves a record to another partnership: every device's copy and every
/// reference to the record assume it stays where it was made.
pub(crate) fn check_partnership_unchanged(
    mutation: &Mutation,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<(), PushError> {
    if before == after {
        return Ok(());
    }
    Err(PushError::Invalid {
        mutation_id: mutation.id,
        message: format!(
            "mutation {} would move {} {} to another partnership ({} to {}); a record stays in \
             the partnership it was made in: delete it and create a new one instead",
            mutation.id,
            mutation.kind.noun(),
            mutation.record_id,
            before.unwrap_or("none"),
            after.unwrap_or("none"),
        ),
        fields: vec![FieldError::new(
            "partnership_id",
            "A record cannot be moved to another partnership",
        )],
    })
}

/// Refuses a record that refers to a record of another partnership (a membership of one
/// partnership's body for another partnership's organisation, say), naming the field that
/// refers (the reference carries it).
pub(crate) fn check_same_partnership(
    mutation: &Mutation,
    own: Option<&str>,
    target: Reference,
    target_partnership: Option<&str>,
) -> Result<(), PushError> {
    // A reference to the partnership itself is checked by its id, not by a column.
    if target.kind == EntityKind::Partnership || own == target_partnership {
        return Ok(());
    }
    Err(PushError::Invalid {
        mutation_id: mutation.id,
        message: format!(
            "mutation {} makes {} {} refer to {} {}, which belongs to another partnership; \
             records may only refer to records of their own partnership",
            mutation.id,
            mutation.kind.noun(),
            mutation.record_id,
            target.kind.noun(),
            target.id,
        ),
        fields: vec![FieldError::new(
            target.field,
            format!("Choose a {} of this partnership", target.kind.noun()),
        )],
    })
}

/// The fields of `patch` whose values differ from the stored record's, in field order.
fn changed_fields<'a>(stored: &Map<String, Value>, patch: &'a Map<String, Value>) -> Vec<&'a str> {
    patch
        .iter()
        .filter(|(k, v)| stored.get(k.as_str()) != Some(v))
        .map(|(k, _)| k.as_str())
        .collect()
}

/// What to do with an upsert of a response that is already stored.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum StoredResponse {
    /// Apply it: it changes nothing, or only `hidden` (a moderator's decision).
    Apply,
    /// The same response arriving again as a creation (a rescue file imported on another
    /// device, an upload retried under a new mutation id): answer as applied and change
    /// nothing, not even `hidden`, so an import never undoes a moderator's hiding.
    AlreadyStored,
}

/// The fields of a response that change after it is stored: a moderator's hiding and a
/// manager's acceptance of a response under review.
const RESPONSE_DECISIONS: [&str; 2] = ["hidden", "accepted"];
/// The field of a response that only the server writes (see [`Response::review`]).
pub(crate) const RESPONSE_REVIEW: &str = "review";
/// When a response reached the server, which only the server writes (see
/// [`Response::received_at`]).
pub(crate) const RESPONSE_RECEIVED_AT: &str = "received_at";
/// The fields of a response only the server writes.
const RESPONSE_SERVER_FIELDS: [&str; 2] = [RESPONSE_REVIEW, RESPONSE_RECEIVED_AT];

/// Whether `field` of a record of `kind` is one only the server writes.
fn server_written(kind: EntityKind, field: &str) -> bool {
    kind == EntityKind::Response && RESPONSE_SERVER_FIELDS.contains(&field)
}

/// A device's patch without the fields only the server writes: whatever it says there is
/// replaced by the server's own judgement.
pub(crate) fn without_server_fields(
    kind: EntityKind,
    patch: &Map<String, Value>,
) -> Option<Map<String, Value>> {
    let sent = |f: &&str| patch.contains_key(*f);
    (kind == EntityKind::Response && RESPONSE_SERVER_FIELDS.iter().any(sent)).then(|| {
        let mut patch = patch.clone();
        for field in RESPONSE_SERVER_FIELDS {
            patch.remove(field);
        }
        patch
    })
}

/// What a manager's "count this answer" stores of a refused answer: the fields it was sent
/// with, less the server's own and any field a response does not have (named in the second
/// list, so the manager is told). `Err` says, for the manager, why it cannot be stored at all.
pub(crate) fn countable_fields(
    mutation: &Mutation,
) -> Result<(Map<String, Value>, Vec<String>), String> {
    if mutation.kind != EntityKind::Response {
        return Err(format!(
            "it is a change to a {}, not an answer; only answers are counted here",
            mutation.kind.noun()
        ));
    }
    let Op::Upsert { fields, .. } = &mutation.op else {
        return Err("it deletes an answer, and answers are never deleted".to_owned());
    };
    let trimmed = without_server_fields(mutation.kind, fields);
    let fields = trimmed.as_ref().unwrap_or(fields);
    let entity = Entity::from_fields(mutation.kind, fields).map_err(|e| e.to_string())?;
    let canonical = entity.to_fields();
    let left_out: Vec<String> = unknown_fields(fields, &canonical)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let kept = fields
        .iter()
        .filter(|(name, _)| canonical.contains_key(name.as_str()))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    Ok((kept, left_out))
}

/// A response is append-only: once stored, only the decisions about it (`hidden`,
/// `accepted`) may change. Refuses any other change, naming the first field it would change.
pub(crate) fn check_response_append_only(
    mutation: &Mutation,
    stored: &Map<String, Value>,
    base_version: Option<Seq>,
    patch: &Map<String, Value>,
) -> Result<StoredResponse, PushError> {
    let changed = changed_fields(stored, patch);
    if let Some(field) = changed.iter().find(|f| !RESPONSE_DECISIONS.contains(f)) {
        return Err(PushError::Invalid {
            mutation_id: mutation.id,
            message: format!(
                "mutation {} would change the {field} of response {}; a response is never \
                 changed once stored (only whether a moderator has hidden it or a manager \
                 counts it): capture a new response instead",
                mutation.id, mutation.record_id
            ),
            fields: vec![FieldError::new(
                field,
                "A response cannot be changed once it is stored; only whether it is hidden",
            )],
        });
    }
    Ok(if base_version.is_none() {
        StoredResponse::AlreadyStored
    } else {
        StoredResponse::Apply
    })
}

/// Whether a change to a stored questionnaire version is refused: once the version has been
/// opened for answers (a device offered it to residents) or has responses, residents may be
/// answering it on tablets with no signal, so the only change it takes is being marked
/// opened. The device that sent the change keeps it and saves it as the next version.
pub(crate) fn questionnaire_in_use(
    stored: &Map<String, Value>,
    patch: &Map<String, Value>,
    responses: u64,
) -> Option<(Rejection, String)> {
    let opened = stored
        .get(OPENED_FOR_ANSWERS)
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if !opened && responses == 0 {
        return None;
    }
    let changed = changed_fields(stored, patch);
    let only_opening = changed.iter().all(|f| *f == OPENED_FOR_ANSWERS)
        && patch
            .get(OPENED_FOR_ANSWERS)
            .is_none_or(|v| v == &Value::Bool(true));
    if only_opening {
        return None;
    }
    let version = questionnaire_version(stored);
    let why = if responses > 0 {
        format!("{responses} residents have answered it")
    } else {
        "it has been opened for answers, and residents may be answering it on tablets with no \
         signal"
            .to_owned()
    };
    Some((
        Rejection::VersionInUse { version },
        format!(
            "version {version} of this questionnaire cannot change: {why}; save the change as \
             version {} instead",
            version.saturating_add(1)
        ),
    ))
}

/// The questionnaire field that marks a version opened for answers.
const OPENED_FOR_ANSWERS: &str = "opened_for_answers";

/// A stored questionnaire's version number (0 if it has none, which validation never lets in).
fn questionnaire_version(stored: &Map<String, Value>) -> u32 {
    stored
        .get("version")
        .and_then(Value::as_u64)
        .and_then(|v| u32::try_from(v).ok())
        .unwrap_or(0)
}

/// Whether the delete of a live record is refused by its own kind, whatever refers to it: a
/// resident's answer is never deleted (a moderator hides it), and a questionnaire version
/// opened for answers may be being answered on tablets with no signal.
pub(crate) fn delete_refused(
    kind: EntityKind,
    stored: &Map<String, Value>,
) -> Option<(Rejection, String)> {
    match kind {
        EntityKind::Response => Some((
            Rejection::ResponseKept,
            "a resident's answer is never deleted; a moderator can hide it instead, and the \
             delete was not applied"
                .to_owned(),
        )),
        EntityKind::Questionnaire if stored.get(OPENED_FOR_ANSWERS) == Some(&Value::Bool(true)) => {
            let version = questionnaire_version(stored);
            Some((
                Rejection::VersionInUse { version },
                format!(
                    "version {version} of this questionnaire has been opened for answers, and \
                     residents may be answering it on tablets with no signal; it was not deleted"
                ),
            ))
        }
        _ => None,
    }
}

/// Whether the delete of a record of `kind` ([`EntityKind::protects_answers`]) that `answers`
/// live responses belong to is refused: answers are never deleted with what they belong to.
pub(crate) fn holds_answers(kind: EntityKind, answers: u64) -> Option<(Rejection, String)> {
    if answers == 0 {
        return None;
    }
    let instead = if kind.can_be_archived() {
        "; archive it instead"
    } else {
        ""
    };
    Some((
        Rejection::HoldsAnswers { count: answers },
        format!(
            "{answers} residents' answers belong to this {}, and answers are never deleted with \
             it; the delete was not applied and is kept in the server's history{instead}",
            kind.noun()
        ),
    ))
}

/// The questionnaire versions and events a push has parsed, by id and version. Every answer
/// of a push names the same few, and parsing a questionnaire (with its checks) for each answer
/// cost more than the rest of the answer's checks.
#[derive(Default)]
pub(crate) struct ParsedTargets(HashMap<(uuid::Uuid, Seq), Arc<Entity>>);

impl ParsedTargets {
    /// Record `id` of `kind` as stored, parsed (once per version in a push).
    fn entity(
        &mut self,
        kind: EntityKind,
        id: uuid::Uuid,
        record: &StoredRecord,
    ) -> Result<Arc<Entity>, atlas_shared::EntityError> {
        if let Some(known) = self.0.get(&(id, record.version)) {
            return Ok(Arc::clone(known));
        }
        let entity = Arc::new(Entity::from_fields(kind, &record.fields)?);
        self.0.insert((id, record.version), Arc::clone(&entity));
        Ok(entity)
    }
}

/// What the server notes on a response that does not match the records it names (`targets`:
/// each live reference's kind and stored fields, as loaded in the push's transaction): answers
/// that do not fit its questionnaire version ([`validate_response`]: a question added or
/// changed while the tablet was offline), an event of another consultation, an event deleted
/// meanwhile (`event_missing`). Such a response is stored with these notes and waits for a
/// manager; it is never refused, because a resident gave it and it cannot be asked again.
pub(crate) fn review_notes(
    mutation: &Mutation,
    response: &Response,
    targets: &[(EntityKind, uuid::Uuid, Arc<StoredRecord>)],
    event_missing: bool,
    parsed: &mut ParsedTargets,
) -> Result<Vec<FieldError>, PushError> {
    let mut notes = Vec::new();
    if event_missing {
        notes.push(FieldError::new(
            "event_id",
            "The event this answer was captured at was deleted before the answer arrived",
        ));
    }
    for (kind, id, record) in targets {
        if !matches!(
            kind,
            EntityKind::Questionnaire | EntityKind::ConsultationEvent
        ) {
            continue;
        }
        match parsed.entity(*kind, *id, record).as_deref() {
            Ok(Entity::Questionnaire(q)) => {
                if let Err(problems) = validate_response(q, response) {
                    notes.extend(problems);
                }
            }
            Ok(Entity::ConsultationEvent(e)) if e.consultation_id != response.consultation_id => {
                notes.push(FieldError::new(
                    "event_id",
                    "This event belongs to another consultation",
                ));
            }
            Ok(_) => {}
            Err(e) => {
                return Err(DbError::Corrupt(format!(
                    "stored {} referred to by {} {}: {e}",
                    kind.noun(),
                    mutation.kind.noun(),
                    mutation.record_id
                ))
                .into());
            }
        }
    }
    Ok(notes)
}

/// A fund bid checked against its fund as stored: each score within its criterion's maximum
/// and an approval within the fund's balance (`atlas_shared::strategy::check_against_pot`).
/// The device's forms check the same, but the server trusts no device, and two devices may
/// each approve a bid offline that together overspend the fund: the second to arrive is
/// refused here with the reason, and its device keeps it for the person to see. `pot` is the
/// fund's stored fields, `contributions` and `bids` the live records that refer to it.
pub(crate) fn check_bid_against_pot(
    mutation: &Mutation,
    bid: &atlas_shared::strategy::FundBid,
    pot: &Map<String, Value>,
    contributions: &[(uuid::Uuid, Map<String, Value>)],
    bids: &[(uuid::Uuid, Map<String, Value>)],
) -> Result<(), PushError> {
    use atlas_shared::strategy::funds::check_against_pot;
    use atlas_shared::strategy::{FundBidId, FundContributionId};
    let Ok(Entity::FundPot(pot)) = Entity::from_fields(EntityKind::FundPot, pot) else {
        // A stored fund always reads; if one ever does not, its own checks are what failed.
        return Ok(());
    };
    let mut s = atlas_shared::Snapshot::default();
    for (id, fields) in contributions {
        if let Ok(Entity::FundContribution(c)) =
            Entity::from_fields(EntityKind::FundContribution, fields)
        {
            s.fund_contributions.insert(FundContributionId(*id), c);
        }
    }
    for (id, fields) in bids {
        if let Ok(Entity::FundBid(b)) = Entity::from_fields(EntityKind::FundBid, fields) {
            s.fund_bids.insert(FundBidId(*id), b);
        }
    }
    let fields = check_against_pot(&s, Some(FundBidId(mutation.record_id)), bid, &pot);
    if fields.is_empty() {
        return Ok(());
    }
    let reasons: Vec<&str> = fields.iter().map(|f| f.message.as_str()).collect();
    Err(PushError::Invalid {
        mutation_id: mutation.id,
        message: format!(
            "mutation {} of {} {} was refused: {}",
            mutation.id,
            mutation.kind.noun(),
            mutation.record_id,
            reasons.join("; ")
        ),
        fields,
    })
}
