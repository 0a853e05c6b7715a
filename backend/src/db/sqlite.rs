//! The SQLite implementation of [`Database`]: one file, WAL, one writer at a time.
//!
//! Every push runs in one transaction opened with `BEGIN IMMEDIATE`, which takes SQLite's write
//! lock at once. That does two jobs: the merge reads the current record and writes the new one
//! with no other writer in between (a plain deferred `BEGIN` would fail with a busy-snapshot
//! error when another writer commits between our read and our write), and positions in the
//! change sequence are taken and committed in order. An in-process mutex queues this server's
//! own writers fairly in front of SQLite's lock (SQLite's busy handler sleeps and polls), and
//! `busy_timeout` still covers another process writing to the same file.

use std::collections::{BTreeMap, VecDeque};
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use atlas_shared::attention::{HeldChange, Refusal, RefusedAnswer};
use atlas_shared::{
    Change, DeviceId, Entity, EntityKind, MAX_PULL_BYTES, Mutation, MutationId, MutationResult, Op,
    Outcome, PROTOCOL_VERSION, PullBudget, PullResponse, Rejection, Seq, StoredRecord, UpsertPlan,
    apply_plan, plan_upsert,
};
use futures_util::TryStreamExt as _;
use serde_json::{Map, Value};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Row, Sqlite, Transaction};
use tokio::sync::Mutex;
use uuid::Uuid;

use super::{
    Database, DbError, OPENED_FOR_ANSWERS, PushError, RESPONSE_REVIEW, StoredResponse,
    check_partnership_unchanged, check_response_append_only, check_same_partnership,
    partnership_of, questionnaire_in_use, review_notes, seq_from_i64, seq_to_i64, store_canonical,
    validate, without_server_fields,
};

/// The columns of `refused_mutations` (as `rm`) that [`refused_from_row`] reads; `at_ms` is
/// the time it was refused, ms since the Unix epoch. (A macro: sqlx takes only literal SQL.)
macro_rules! refused_columns {
    () => {
        "rm.mutation, rm.error, rm.fields, rm.rejection, rm.device_id, \
         CAST((julianday(rm.at) - 2440587.5) * 86400000.0 AS INTEGER) AS at_ms"
    };
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");

/// How long a writer waits for another process's write lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections in the pool: readers (pulls) run in parallel under WAL; writers take turns.
const MAX_CONNECTIONS: u32 = 8;

pub struct SqliteDatabase {
    pool: SqlitePool,
    /// Queues this server's writers (see the module docs).
    write_gate: Mutex<()>,
}

impl SqliteDatabase {
    /// Opens (creating if missing: the file and its parent directory) and migrates the database.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let options = connect_options(url)?;
        if let Some(parent) = options.get_filename().parent()
            && !in_memory
            && !parent.as_os_str().is_empty()
        {
            tokio::fs::create_dir_all(parent).await?;
        }
        // An in-memory database lives in one connection; more would each see their own.
        let max = if in_memory { 1 } else { MAX_CONNECTIONS };
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self {
            pool,
            write_gate: Mutex::new(()),
        })
    }
}

/// How the server opens a SQLite file: WAL, foreign keys, the busy timeout and the
/// `synchronous` setting. Public so the push benchmark's raw-insert baseline opens its file
/// exactly as the server does.
pub fn connect_options(url: &str) -> Result<SqliteConnectOptions, DbError> {
    Ok(SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT)
        // FULL: every commit syncs the WAL to disk before the push is answered. A device
        // deletes an answer from its outbox once the server says "applied", so an applied push
        // must survive a power cut: under WAL, NORMAL is safe against a crash of the server
        // process but can lose the last commits on power loss, and those answers would then be
        // on neither the server nor the tablet. The cost is one fsync per push (one per batch
        // of up to MAX_MUTATIONS_PER_PUSH, not per answer); `push_bench` measures it.
        .synchronous(SqliteSynchronous::Full))
}

#[async_trait]
impl Database for SqliteDatabase {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn push(
        &self,
        device_id: DeviceId,
        mutations: &[Mutation],
    ) -> Result<Vec<MutationResult>, PushError> {
        let _writer = self.write_gate.lock().await;
        let device = device_id.0.to_string();
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let result = push_in(tx, &device, mutations).await;
        if let Err(
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
        ) = &result
        {
            // The push's transaction rolled back. The refused change is kept on the server
            // too (as on the device), so nothing a person gave is lost unseen.
            if let Some(refused) = mutations.iter().find(|m| m.id == *mutation_id) {
                keep_refusal(&self.pool, &device, refused, message, fields).await?;
            }
        }
        result
    }

    async fn pull(&self, since: Seq, limit: usize) -> Result<PullResponse, DbError> {
        let mut page = PullBudget::new(limit, MAX_PULL_BYTES);
        // One row more than fits tells whether another page is waiting. Rows are read one at a
        // time and the reading stops at the first that does not fit, so a page of large
        // records never loads more than it returns (and one row).
        let fetch = i64::try_from(limit.max(1).saturating_add(1)).unwrap_or(i64::MAX);
        let mut rows = sqlx::query(
            "SELECT kind, id, fields, version, deleted FROM records \
             WHERE version > ? ORDER BY version LIMIT ?",
        )
        .bind(seq_to_i64(since))
        .bind(fetch)
        .fetch(&self.pool);
        let mut changes = Vec::new();
        let mut more = false;
        while let Some(row) = rows.try_next().await? {
            let fields: Option<String> = row.try_get("fields")?;
            if !page.take(fields.as_ref().map_or(0, String::len)) {
                more = true;
                break;
            }
            let kind: String = row.try_get("kind")?;
            let id: String = row.try_get("id")?;
            let deleted: bool = row.try_get("deleted")?;
            changes.push(Change {
                kind: parse_kind(&kind)?,
                id: parse_uuid(&id)?,
                version: seq_from_i64(row.try_get("version")?)?,
                deleted,
                fields: match (deleted, fields) {
                    (false, Some(text)) => Some(parse_object(&text)?),
                    _ => None,
                },
            });
        }
        let cursor = changes.last().map_or(since, |c| c.version);
        Ok(PullResponse {
            protocol: PROTOCOL_VERSION,
            changes,
            cursor,
            more,
        })
    }

    async fn refused_answers(&self, limit: usize) -> Result<Vec<RefusedAnswer>, DbError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            refused_columns!(),
            " FROM refused_mutations rm \
             WHERE rm.kind = 'response' AND rm.settled_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM records r \
                 WHERE r.kind = rm.kind AND r.id = rm.record_id AND r.deleted = 0) \
             ORDER BY rm.at DESC LIMIT ?"
        ))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        // An answer sent again and refused again is one answer: its latest refusal stands.
        let mut answers: Vec<RefusedAnswer> = Vec::with_capacity(rows.len());
        for row in &rows {
            let answer = refused_from_row(row)?;
            let record = answer.change.mutation.record_id;
            if !answers
                .iter()
                .any(|a| a.change.mutation.record_id == record)
            {
                answers.push(answer);
            }
        }
        Ok(answers)
    }

    async fn refused_change(
        &self,
        id: MutationId,
    ) -> Result<Option<(RefusedAnswer, Option<Seq>)>, DbError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            refused_columns!(),
            ", rm.settled_version FROM refused_mutations rm WHERE rm.mutation_id = ?"
        ))
        .bind(id.0.to_string())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let settled: Option<i64> = row.try_get("settled_version")?;
        Ok(Some((
            refused_from_row(&row)?,
            settled.map(seq_from_i64).transpose()?,
        )))
    }

    async fn settle_refused(&self, id: MutationId, version: Seq) -> Result<(), DbError> {
        // Every refusal of the same answer (sent again, refused again) is settled with it.
        sqlx::query(
            "UPDATE refused_mutations \
             SET settled_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), settled_version = ? \
             WHERE settled_at IS NULL AND (kind, record_id) = \
                 (SELECT kind, record_id FROM refused_mutations WHERE mutation_id = ?)",
        )
        .bind(seq_to_i64(version))
        .bind(id.0.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn record_count(&self) -> Result<u64, DbError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM records")
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(n).unwrap_or_default())
    }

    async fn ping(&self) -> Result<(), DbError> {
        sqlx::query_scalar::<_, i64>("SELECT seq FROM sync_counter WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(())
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}

type Tx = Transaction<'static, Sqlite>;

/// Applies a push in `tx` and commits it. On any error `tx` is dropped un-committed and
/// SQLite rolls it back: nothing of the push is stored and none of its ids are recorded.
async fn push_in(
    mut tx: Tx,
    device: &str,
    mutations: &[Mutation],
) -> Result<Vec<MutationResult>, PushError> {
    let mut results = Vec::with_capacity(mutations.len());
    for mutation in mutations {
        if let Some(done) = applied_result(&mut tx, mutation).await? {
            results.push(done);
            continue;
        }
        let outcome = match &mutation.op {
            Op::Upsert {
                base_version,
                fields,
            } => upsert(&mut tx, device, mutation, *base_version, fields).await?,
            Op::Delete { .. } => delete(&mut tx, device, mutation).await?,
        };
        let result = MutationResult {
            mutation_id: mutation.id,
            outcome,
        };
        record_applied(&mut tx, device, &result).await?;
        results.push(result);
    }
    tx.commit().await?;
    Ok(results)
}

fn refused_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<RefusedAnswer, DbError> {
    let corrupt = |what: &str, e: serde_json::Error| {
        DbError::Corrupt(format!("refused_mutations.{what}: {e}"))
    };
    let mutation: String = row.try_get("mutation")?;
    let mutation: Mutation = serde_json::from_str(&mutation).map_err(|e| corrupt("mutation", e))?;
    let fields: String = row.try_get("fields")?;
    let fields = serde_json::from_str(&fields).map_err(|e| corrupt("fields", e))?;
    let rejection: Option<String> = row.try_get("rejection")?;
    let refusal = match rejection {
        Some(text) => Refusal::Rejected {
            reason: serde_json::from_str(&text).map_err(|e| corrupt("rejection", e))?,
        },
        None => Refusal::Invalid { fields },
    };
    let device: String = row.try_get("device_id")?;
    Ok(RefusedAnswer {
        change: HeldChange {
            mutation,
            refusal,
            server_message: row.try_get("error")?,
            held_at: row.try_get("at_ms")?,
        },
        device_id: DeviceId(parse_uuid(&device)?),
    })
}

/// Keeps a mutation the server refused as invalid (422), with why, in its own transaction.
async fn keep_refusal(
    pool: &SqlitePool,
    device: &str,
    mutation: &Mutation,
    message: &str,
    fields: &[atlas_shared::FieldError],
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT OR IGNORE INTO refused_mutations \
         (mutation_id, device_id, kind, record_id, mutation, error, fields, at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
    )
    .bind(mutation.id.0.to_string())
    .bind(device)
    .bind(mutation.kind.as_str())
    .bind(mutation.record_id.to_string())
    .bind(to_json(mutation)?)
    .bind(message)
    .bind(to_json(fields)?)
    .execute(pool)
    .await?;
    Ok(())
}

/// A stored record with the column the server queries by.
struct Current {
    record: StoredRecord,
    partnership_id: Option<String>,
}

async fn applied_result(
    tx: &mut Tx,
    mutation: &Mutation,
) -> Result<Option<MutationResult>, DbError> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT result FROM applied_mutations WHERE mutation_id = ?")
            .bind(mutation.id.0.to_string())
            .fetch_optional(&mut **tx)
            .await?;
    stored
        .map(|text| {
            serde_json::from_str(&text).map_err(|e| {
                DbError::Corrupt(format!("stored result of mutation {}: {e}", mutation.id))
            })
        })
        .transpose()
}

async fn record_applied(tx: &mut Tx, device: &str, result: &MutationResult) -> Result<(), DbError> {
    // Times are the database's clock, UTC, ISO 8601 (`strftime(...)`), like the history's.
    sqlx::query(
        "INSERT INTO applied_mutations (mutation_id, device_id, result, applied_at) \
         VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
    )
    .bind(result.mutation_id.0.to_string())
    .bind(device)
    .bind(to_json(result)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn load(tx: &mut Tx, kind: EntityKind, id: Uuid) -> Result<Option<Current>, DbError> {
    let row = sqlx::query(
        "SELECT partnership_id, fields, field_versions, version, deleted FROM records \
         WHERE kind = ? AND id = ?",
    )
    .bind(kind.as_str())
    .bind(id.to_string())
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let fields: Option<String> = row.try_get("fields")?;
    let field_versions: String = row.try_get("field_versions")?;
    let field_versions: BTreeMap<String, Seq> = serde_json::from_str(&field_versions)
        .map_err(|e| DbError::Corrupt(format!("field versions of {kind:?} {id}: {e}")))?;
    Ok(Some(Current {
        record: StoredRecord {
            fields: match fields {
                Some(text) => parse_object(&text)?,
                None => Map::new(),
            },
            field_versions,
            version: seq_from_i64(row.try_get("version")?)?,
            deleted: row.try_get("deleted")?,
        },
        partnership_id: row.try_get("partnership_id")?,
    }))
}

/// Takes the next position of the change sequence. Must run inside the writing transaction.
async fn next_seq(tx: &mut Tx) -> Result<Seq, DbError> {
    let seq: i64 =
        sqlx::query_scalar("UPDATE sync_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq")
            .fetch_one(&mut **tx)
            .await?;
    seq_from_i64(seq)
}

struct HistoryRow<'a> {
    seq: Option<Seq>,
    kind: EntityKind,
    record_id: Uuid,
    mutation: &'a Mutation,
    device: &'a str,
    action: &'static str,
    before: Option<String>,
    after: Option<String>,
    overwritten: Option<String>,
}

async fn write_history(tx: &mut Tx, row: HistoryRow<'_>) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO record_history \
         (seq, kind, record_id, mutation_id, device_id, action, before, after, overwritten, at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
    )
    .bind(row.seq.map(seq_to_i64))
    .bind(row.kind.as_str())
    .bind(row.record_id.to_string())
    .bind(row.mutation.id.0.to_string())
    .bind(row.device)
    .bind(row.action)
    .bind(row.before)
    .bind(row.after)
    .bind(row.overwritten)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records a mutation that was not applied, and says why.
async fn reject(
    tx: &mut Tx,
    device: &str,
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
    write_history(
        tx,
        HistoryRow {
            seq: None,
            kind: mutation.kind,
            record_id: mutation.record_id,
            mutation,
            device,
            action: "rejected",
            before,
            after,
            overwritten: None,
        },
    )
    .await?;
    if mutation.kind == EntityKind::Response {
        // A manager sees every answer the server did not store (see `refused_answers`).
        sqlx::query(
            "INSERT OR IGNORE INTO refused_mutations \
             (mutation_id, device_id, kind, record_id, mutation, error, fields, rejection, at) \
             VALUES (?, ?, ?, ?, ?, ?, '[]', ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        )
        .bind(mutation.id.0.to_string())
        .bind(device)
        .bind(mutation.kind.as_str())
        .bind(mutation.record_id.to_string())
        .bind(to_json(mutation)?)
        .bind(&message)
        .bind(to_json(&reason)?)
        .execute(&mut **tx)
        .await?;
    }
    Ok(Outcome::Rejected { reason, message })
}

async fn upsert(
    tx: &mut Tx,
    device: &str,
    mutation: &Mutation,
    base_version: Option<Seq>,
    patch: &Map<String, Value>,
) -> Result<Outcome, PushError> {
    let trimmed = without_server_fields(mutation.kind, patch);
    let patch = trimmed.as_ref().unwrap_or(patch);
    let current = load(tx, mutation.kind, mutation.record_id).await?;
    if let Some(stored) = current.as_ref().filter(|c| !c.record.deleted) {
        match mutation.kind {
            EntityKind::Response => {
                let rule = check_response_append_only(
                    mutation,
                    &stored.record.fields,
                    base_version,
                    patch,
                )?;
                if rule == StoredResponse::AlreadyStored {
                    return Ok(Outcome::Applied {
                        version: stored.record.version,
                        overwritten: Vec::new(),
                    });
                }
            }
            EntityKind::Questionnaire => {
                let responses = live_dependent_count(
                    tx,
                    mutation.kind,
                    mutation.record_id,
                    EntityKind::Response,
                )
                .await?;
                if let Some((reason, message)) =
                    questionnaire_in_use(&stored.record.fields, patch, responses)
                {
                    return Ok(reject(tx, device, mutation, Some(stored), reason, message).await?);
                }
            }
            _ => {}
        }
    }
    let mut plan = plan_upsert(current.as_ref().map(|c| &c.record), base_version, patch);
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
                tx,
                device,
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

    let mut entity = validate(mutation, merged)?;
    let own_partnership = partnership_of(&entity);
    if let Some(current) = &current {
        check_partnership_unchanged(
            mutation,
            current.partnership_id.as_deref(),
            own_partnership.as_deref(),
        )?;
    }
    let references = entity.references();
    let mut targets = Vec::with_capacity(references.len());
    let mut event_missing = false;
    for &(kind, id) in &references {
        let target = load(tx, kind, id).await?;
        match target {
            Some(t) if !t.record.deleted => {
                check_same_partnership(
                    mutation,
                    own_partnership.as_deref(),
                    (kind, id),
                    t.partnership_id.as_deref(),
                )?;
                targets.push((kind, t.record.fields));
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
                    tx,
                    device,
                    mutation,
                    current.as_ref(),
                    Rejection::MissingReference { entity: kind, id },
                    message,
                )
                .await?);
            }
        }
    }
    if let (Entity::Response(response), UpsertPlan::Create { fields }) = (&mut entity, &mut plan) {
        // The server's own judgement of a new response; a manager's acceptance comes later.
        let notes = review_notes(mutation, response, &targets, event_missing)?;
        fields.insert(RESPONSE_REVIEW.to_owned(), to_value(&notes)?);
        fields.insert("accepted".to_owned(), Value::Bool(false));
        response.review = notes;
        response.accepted = false;
    }

    let seq = next_seq(tx).await?;
    let stored = apply_plan(current.as_ref().map(|c| &c.record), &plan, seq);
    let stored = store_canonical(stored, &entity);
    write_record(tx, mutation, &entity, &stored).await?;
    write_refs(tx, mutation.kind, mutation.record_id, &references).await?;
    write_history(
        tx,
        HistoryRow {
            seq: Some(seq),
            kind: mutation.kind,
            record_id: mutation.record_id,
            mutation,
            device,
            action,
            before: current
                .as_ref()
                .map(|c| to_json(&c.record.fields))
                .transpose()?,
            after: Some(to_json(&stored.fields)?),
            overwritten: if overwritten.is_empty() {
                None
            } else {
                Some(to_json(&overwritten)?)
            },
        },
    )
    .await?;
    Ok(Outcome::Applied {
        version: seq,
        overwritten,
    })
}

async fn write_record(
    tx: &mut Tx,
    mutation: &Mutation,
    entity: &Entity,
    stored: &StoredRecord,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO records \
         (kind, id, partnership_id, fields, field_versions, version, deleted) \
         VALUES (?, ?, ?, ?, ?, ?, 0) \
         ON CONFLICT (kind, id) DO UPDATE SET \
         partnership_id = excluded.partnership_id, fields = excluded.fields, \
         field_versions = excluded.field_versions, version = excluded.version, deleted = 0",
    )
    .bind(mutation.kind.as_str())
    .bind(mutation.record_id.to_string())
    .bind(partnership_of(entity))
    .bind(to_json(&stored.fields)?)
    .bind(to_json(&stored.field_versions)?)
    .bind(seq_to_i64(stored.version))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn write_refs(
    tx: &mut Tx,
    kind: EntityKind,
    id: Uuid,
    references: &[(EntityKind, Uuid)],
) -> Result<(), DbError> {
    sqlx::query("DELETE FROM record_refs WHERE kind = ? AND id = ?")
        .bind(kind.as_str())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    for (ref_kind, ref_id) in references {
        sqlx::query(
            "INSERT OR IGNORE INTO record_refs (kind, id, ref_kind, ref_id) VALUES (?, ?, ?, ?)",
        )
        .bind(kind.as_str())
        .bind(id.to_string())
        .bind(ref_kind.as_str())
        .bind(ref_id.to_string())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Deletes a record and, transitively, every live record that refers to it.
async fn delete(tx: &mut Tx, device: &str, mutation: &Mutation) -> Result<Outcome, PushError> {
    let current = load(tx, mutation.kind, mutation.record_id).await?;
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
    if mutation.kind == EntityKind::Response {
        let message = "a resident's answer is never deleted; a moderator can hide it instead, \
                       and the delete was not applied"
            .to_owned();
        return Ok(reject(
            tx,
            device,
            mutation,
            Some(&current),
            Rejection::ResponseKept,
            message,
        )
        .await?);
    }
    if mutation.kind == EntityKind::Questionnaire
        && current.record.fields.get(OPENED_FOR_ANSWERS) == Some(&Value::Bool(true))
    {
        let version = current
            .record
            .fields
            .get("version")
            .and_then(Value::as_u64)
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0);
        let message = format!(
            "version {version} of this questionnaire has been opened for answers, and residents \
             may be answering it on tablets with no signal; it was not deleted"
        );
        return Ok(reject(
            tx,
            device,
            mutation,
            Some(&current),
            Rejection::VersionInUse { version },
            message,
        )
        .await?);
    }
    if mutation.kind.protects_answers() {
        let count =
            live_dependent_count(tx, mutation.kind, mutation.record_id, EntityKind::Response)
                .await?;
        if count > 0 {
            let instead = if mutation.kind.can_be_archived() {
                "; archive it instead"
            } else {
                ""
            };
            let message = format!(
                "{count} residents' answers belong to this {}, and answers are never deleted \
                 with it; the delete was not applied and is kept in the server's history{instead}",
                mutation.kind.noun()
            );
            return Ok(reject(
                tx,
                device,
                mutation,
                Some(&current),
                Rejection::HoldsAnswers { count },
                message,
            )
            .await?);
        }
    }
    let version = tombstone(
        tx,
        device,
        mutation,
        (mutation.kind, mutation.record_id),
        &current,
        "delete",
    )
    .await?;

    let mut queue = VecDeque::from([(mutation.kind, mutation.record_id)]);
    while let Some((kind, id)) = queue.pop_front() {
        for dependent in live_dependents(tx, kind, id).await? {
            let Some(current) = load(tx, dependent.0, dependent.1).await? else {
                continue;
            };
            if current.record.deleted {
                continue;
            }
            tombstone(tx, device, mutation, dependent, &current, "cascade_delete").await?;
            queue.push_back(dependent);
        }
    }
    Ok(Outcome::Applied {
        version,
        overwritten: Vec::new(),
    })
}

/// The live records that refer to `(kind, id)`, oldest change first.
async fn live_dependents(
    tx: &mut Tx,
    kind: EntityKind,
    id: Uuid,
) -> Result<Vec<(EntityKind, Uuid)>, DbError> {
    let rows = sqlx::query(
        "SELECT r.kind, r.id FROM record_refs x \
         JOIN records r ON r.kind = x.kind AND r.id = x.id \
         WHERE x.ref_kind = ? AND x.ref_id = ? AND r.deleted = 0 \
         ORDER BY r.version",
    )
    .bind(kind.as_str())
    .bind(id.to_string())
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            let id: String = row.try_get("id")?;
            Ok((parse_kind(&kind)?, parse_uuid(&id)?))
        })
        .collect()
}

/// How many live records of `dependent_kind` refer to `(kind, id)`.
async fn live_dependent_count(
    tx: &mut Tx,
    kind: EntityKind,
    id: Uuid,
    dependent_kind: EntityKind,
) -> Result<u64, DbError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM record_refs x \
         JOIN records r ON r.kind = x.kind AND r.id = x.id \
         WHERE x.ref_kind = ? AND x.ref_id = ? AND x.kind = ? AND r.deleted = 0",
    )
    .bind(kind.as_str())
    .bind(id.to_string())
    .bind(dependent_kind.as_str())
    .fetch_one(&mut **tx)
    .await?;
    Ok(u64::try_from(n).unwrap_or_default())
}

/// Replaces a live record with a tombstone at the next position, keeping its last fields in
/// the history.
async fn tombstone(
    tx: &mut Tx,
    device: &str,
    mutation: &Mutation,
    (kind, id): (EntityKind, Uuid),
    current: &Current,
    action: &'static str,
) -> Result<Seq, DbError> {
    let seq = next_seq(tx).await?;
    sqlx::query(
        "UPDATE records SET fields = NULL, field_versions = '{}', version = ?, deleted = 1 \
         WHERE kind = ? AND id = ?",
    )
    .bind(seq_to_i64(seq))
    .bind(kind.as_str())
    .bind(id.to_string())
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM record_refs WHERE kind = ? AND id = ?")
        .bind(kind.as_str())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    write_history(
        tx,
        HistoryRow {
            seq: Some(seq),
            kind,
            record_id: id,
            mutation,
            device,
            action,
            before: Some(to_json(&current.record.fields)?),
            after: None,
            overwritten: None,
        },
    )
    .await?;
    Ok(seq)
}

fn to_value<T: serde::Serialize + ?Sized>(value: &T) -> Result<Value, DbError> {
    serde_json::to_value(value).map_err(|e| DbError::Corrupt(format!("cannot encode JSON: {e}")))
}

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, DbError> {
    serde_json::to_string(value).map_err(|e| DbError::Corrupt(format!("cannot encode JSON: {e}")))
}

fn parse_object(text: &str) -> Result<Map<String, Value>, DbError> {
    serde_json::from_str(text).map_err(|e| DbError::Corrupt(format!("stored fields: {e}")))
}

fn parse_kind(text: &str) -> Result<EntityKind, DbError> {
    EntityKind::parse(text).ok_or_else(|| DbError::Corrupt(format!("unknown entity kind {text}")))
}

fn parse_uuid(text: &str) -> Result<Uuid, DbError> {
    Uuid::parse_str(text).map_err(|e| DbError::Corrupt(format!("record id {text}: {e}")))
}
