//! What both backends do with a row once their own SQL has read it: the conversion of stored
//! columns into the server's types, and the judgement of a pull page (who may see which
//! record, how far the cursor moves, when the page is full).
//!
//! [`sqlite`](super::sqlite) and [`postgres`](super::postgres) differ in their statements
//! (placeholders, types, locking, time functions), not in what a stored record, tablet or
//! refusal means, so that meaning lives here once. A row is read through [`Columns`], which
//! both drivers' row types implement with the same column names.

use std::collections::{BTreeMap, BTreeSet};

use atlas_shared::accounts::tablets::TabletInfo;
use atlas_shared::accounts::{Grants, Person, Principal, Role, UserInfo};
use atlas_shared::attention::{HeldChange, Refusal, RefusedAnswer};
use atlas_shared::{
    Change, DeviceId, EntityKind, MAX_PULL_BYTES, Mutation, PROTOCOL_VERSION, PartnershipId,
    PullBudget, PullResponse, Seq, StoredRecord,
};
use serde_json::{Map, Value};
use sqlx::Row as _;
use uuid::Uuid;

use super::push::Current;
use super::{DbError, GatedReaders, StoredHistory, TwoStep, scope_of, seq_from_i64};
use crate::accounts::Failures;

/// A row of either database, read by column name.
pub(crate) trait Columns {
    fn text(&self, name: &str) -> Result<String, DbError>;
    fn opt_text(&self, name: &str) -> Result<Option<String>, DbError>;
    fn int(&self, name: &str) -> Result<i64, DbError>;
    fn opt_int(&self, name: &str) -> Result<Option<i64>, DbError>;
    /// A flag: SQLite's 0/1 integer or PostgreSQL's BOOLEAN.
    fn flag(&self, name: &str) -> Result<bool, DbError>;
}

macro_rules! columns_for {
    ($row:ty) => {
        impl Columns for $row {
            fn text(&self, name: &str) -> Result<String, DbError> {
                Ok(self.try_get(name)?)
            }
            fn opt_text(&self, name: &str) -> Result<Option<String>, DbError> {
                Ok(self.try_get(name)?)
            }
            fn int(&self, name: &str) -> Result<i64, DbError> {
                Ok(self.try_get(name)?)
            }
            fn opt_int(&self, name: &str) -> Result<Option<i64>, DbError> {
                Ok(self.try_get(name)?)
            }
            fn flag(&self, name: &str) -> Result<bool, DbError> {
                Ok(self.try_get(name)?)
            }
        }
    };
}

columns_for!(sqlx::sqlite::SqliteRow);
columns_for!(sqlx::postgres::PgRow);

pub(crate) fn parse_object(text: &str) -> Result<Map<String, Value>, DbError> {
    serde_json::from_str(text).map_err(|e| DbError::Corrupt(format!("stored fields: {e}")))
}

pub(crate) fn parse_kind(text: &str) -> Result<EntityKind, DbError> {
    EntityKind::parse(text).ok_or_else(|| DbError::Corrupt(format!("unknown entity kind {text}")))
}

pub(crate) fn parse_uuid(text: &str) -> Result<Uuid, DbError> {
    Uuid::parse_str(text).map_err(|e| DbError::Corrupt(format!("record id {text}: {e}")))
}

fn uuid_column(row: &impl Columns, name: &str) -> Result<Uuid, DbError> {
    parse_uuid(&row.text(name)?)
}

/// A stored record as the push loads it: `partnership_id, fields, field_versions, version,
/// deleted` of `records`.
pub(crate) fn current_from_row(
    row: &impl Columns,
    kind: EntityKind,
    id: Uuid,
) -> Result<Current, DbError> {
    let field_versions: BTreeMap<String, Seq> = serde_json::from_str(&row.text("field_versions")?)
        .map_err(|e| DbError::Corrupt(format!("field versions of {kind:?} {id}: {e}")))?;
    Ok(Current {
        record: std::sync::Arc::new(StoredRecord {
            fields: match row.opt_text("fields")? {
                Some(text) => parse_object(&text)?,
                None => Map::new(),
            },
            field_versions,
            version: seq_from_i64(row.int("version")?)?,
            deleted: row.flag("deleted")?,
        }),
        partnership_id: row.opt_text("partnership_id")?,
    })
}

/// A row of `record_history` joined as the backends' history queries join it.
pub(crate) fn history_from_row(row: &impl Columns) -> Result<StoredHistory, DbError> {
    Ok(StoredHistory {
        id: row.int("id")?,
        at: row.text("at")?,
        kind: parse_kind(&row.text("kind")?)?,
        record_id: uuid_column(row, "record_id")?,
        action: row.text("action")?,
        actor: row.opt_text("actor")?,
        actor_name: row.opt_text("actor_name")?,
        address: row.opt_text("address")?,
        before: row.opt_text("before")?,
        after: row.opt_text("after")?,
        partnership: row
            .opt_text("partnership")?
            .and_then(|p| Uuid::parse_str(&p).ok())
            .map(PartnershipId),
    })
}

/// The columns of `tablets` that [`tablet_from_row`] reads. (A macro: sqlx takes only
/// literal SQL.)
macro_rules! tablet_columns {
    () => {
        "id, partnership_id, name, consultation_ids, created_at, created_by, last_seen_at, \
         revoked_at, revoked_by"
    };
}
pub(crate) use tablet_columns;

pub(crate) fn tablet_from_row(row: &impl Columns) -> Result<TabletInfo, DbError> {
    Ok(TabletInfo {
        id: uuid_column(row, "id")?,
        partnership_id: PartnershipId(uuid_column(row, "partnership_id")?),
        name: row.text("name")?,
        consultation_ids: serde_json::from_str(&row.text("consultation_ids")?)
            .map_err(|e| DbError::Corrupt(format!("tablets.consultation_ids: {e}")))?,
        created_at: row.int("created_at")?,
        created_by: uuid_column(row, "created_by")?,
        last_seen_at: row.opt_int("last_seen_at")?,
        revoked_at: row.opt_int("revoked_at")?,
        revoked_by: row
            .opt_text("revoked_by")?
            .as_deref()
            .map(parse_uuid)
            .transpose()?,
    })
}

/// A refused change: `mutation, error, fields, rejection, device_id` of `refused_mutations`
/// and `at_ms`, when it was refused (ms since the Unix epoch).
pub(crate) fn refused_from_row(row: &impl Columns) -> Result<RefusedAnswer, DbError> {
    let corrupt = |what: &str, e: serde_json::Error| {
        DbError::Corrupt(format!("refused_mutations.{what}: {e}"))
    };
    let mutation: Mutation =
        serde_json::from_str(&row.text("mutation")?).map_err(|e| corrupt("mutation", e))?;
    let fields = serde_json::from_str(&row.text("fields")?).map_err(|e| corrupt("fields", e))?;
    let refusal = match row.opt_text("rejection")? {
        Some(text) => Refusal::Rejected {
            reason: serde_json::from_str(&text).map_err(|e| corrupt("rejection", e))?,
        },
        None => Refusal::Invalid { fields },
    };
    Ok(RefusedAnswer {
        change: HeldChange {
            mutation,
            refusal,
            server_message: row.text("error")?,
            held_at: row.int("at_ms")?,
        },
        device_id: DeviceId(uuid_column(row, "device_id")?),
    })
}

/// Each answer once, its latest refusal first: `newest_first` are refusals newest first, an
/// answer sent again and refused again among them.
pub(crate) fn latest_refusals(newest_first: Vec<RefusedAnswer>) -> Vec<RefusedAnswer> {
    let mut answers: Vec<RefusedAnswer> = Vec::with_capacity(newest_first.len());
    for answer in newest_first {
        let record = answer.change.mutation.record_id;
        if !answers
            .iter()
            .any(|a| a.change.mutation.record_id == record)
        {
            answers.push(answer);
        }
    }
    answers
}

/// A row of `grants`: its partnership and role.
pub(crate) fn grant_from_row(row: &impl Columns) -> Result<(PartnershipId, Role), DbError> {
    let p = uuid_column(row, "partnership_id")?;
    let role = row.text("role")?;
    let role =
        Role::from_key(&role).ok_or_else(|| DbError::Corrupt(format!("unknown role {role:?}")))?;
    Ok((PartnershipId(p), role))
}

/// A session's row (`user_id, last_seen_at, expires_at, email, name, admin, disabled,
/// two_step`) as the person signed in, if the session is still open at `now`.
pub(crate) struct SessionRow {
    pub(crate) user_id: String,
    pub(crate) last_seen: i64,
    pub(crate) open: bool,
    info: UserInfo,
}

impl SessionRow {
    pub(crate) fn new(row: &impl Columns, now: i64, idle_ms: i64) -> Result<Self, DbError> {
        let last_seen = row.int("last_seen_at")?;
        let expires = row.int("expires_at")?;
        let disabled = row.flag("disabled")?;
        let user_id = row.text("user_id")?;
        Ok(Self {
            open: !(disabled || now >= expires || now - last_seen >= idle_ms),
            last_seen,
            info: UserInfo {
                id: parse_uuid(&user_id)?,
                name: row.text("name")?,
                email: row.text("email")?,
                grants: Grants {
                    admin: row.flag("admin")?,
                    roles: BTreeMap::new(),
                },
                two_step: row.flag("two_step")?,
            },
            user_id,
        })
    }

    /// Whether the session should be marked used (at most once a minute: a busy page makes
    /// no write per request).
    pub(crate) fn mark_used(&self, now: i64) -> bool {
        now - self.last_seen >= 60_000
    }

    /// The person, with their roles from `grants` rows.
    pub(crate) fn user<R: Columns>(self, grants: &[R]) -> Result<UserInfo, DbError> {
        let mut info = self.info;
        info.grants.roles = grants
            .iter()
            .map(grant_from_row)
            .collect::<Result<_, DbError>>()?;
        Ok(info)
    }
}

/// Everyone with an account from the rows of `grants` (`user_id, partnership_id, role`) and
/// of `users` (`id, name, email, admin, disabled, last_sign_in_at, two_step`).
pub(crate) fn people_from_rows<G: Columns, U: Columns>(
    grant_rows: &[G],
    user_rows: &[U],
) -> Result<Vec<Person>, DbError> {
    let mut grants: BTreeMap<String, BTreeMap<PartnershipId, Role>> = BTreeMap::new();
    for r in grant_rows {
        let (p, role) = grant_from_row(r)?;
        grants
            .entry(r.text("user_id")?)
            .or_default()
            .insert(p, role);
    }
    user_rows
        .iter()
        .map(|r| {
            let id = r.text("id")?;
            Ok(Person {
                id: parse_uuid(&id)?,
                name: r.text("name")?,
                email: r.text("email")?,
                admin: r.flag("admin")?,
                roles: grants.remove(&id).unwrap_or_default(),
                disabled: r.flag("disabled")?,
                two_step: r.flag("two_step")?,
                last_sign_in_ms: r.opt_int("last_sign_in_at")?,
            })
        })
        .collect()
}

/// A row of `totp`.
pub(crate) fn two_step_from_row(row: &impl Columns) -> Result<TwoStep, DbError> {
    Ok(TwoStep {
        secret: row.text("secret")?,
        confirmed: row.opt_int("confirmed_at")?.is_some(),
        last_step: row.opt_int("last_step")?,
    })
}

/// The throttle's counts: `pair, address, account, latest`.
pub(crate) fn failures_from_row(row: &impl Columns) -> Result<Failures, DbError> {
    let count =
        |name: &str| -> Result<u64, DbError> { Ok(u64::try_from(row.int(name)?).unwrap_or(0)) };
    Ok(Failures {
        account_and_address: count("pair")?,
        address: count("address")?,
        account: count("account")?,
        account_latest_ms: row.opt_int("latest")?,
    })
}

/// The live records of every gated kind, as `(kind, id, fields)` text read by the backend's
/// `gated_sql` query, ready to judge who may read them.
pub(crate) fn gated_readers(rows: Vec<(String, String, String)>) -> Result<GatedReaders, DbError> {
    let rows = rows
        .into_iter()
        .map(|(kind, id, fields)| {
            Ok((parse_kind(&kind)?, parse_uuid(&id)?, parse_object(&fields)?))
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    Ok(GatedReaders::new(rows))
}

/// The kinds whose readers vary record by record ([`EntityKind::gated`]), and the query that
/// reads their live records, its kinds bound as `$1, $2, ...` (both databases read `$n`).
pub(crate) fn gated_query() -> (Vec<EntityKind>, String) {
    let kinds: Vec<EntityKind> = EntityKind::ALL
        .iter()
        .copied()
        .filter(|k| k.gated())
        .collect();
    let marks: Vec<String> = (1..=kinds.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT kind, id, fields FROM records WHERE deleted = FALSE AND kind IN ({})",
        marks.join(", ")
    );
    (kinds, sql)
}

/// A pull from its start: the reader's scope judged on the pull's snapshot, then one row at
/// a time (in version order) until the page is full.
pub(crate) struct PullPage<'a> {
    reader: &'a Principal,
    published: BTreeSet<Uuid>,
    readers: GatedReaders,
    budget: PullBudget,
    limit: usize,
    read: usize,
    changes: Vec<Change>,
    cursor: Seq,
    more: bool,
    scope: String,
}

/// How a pull starts: the answer at once (a reset), or the page to fill.
pub(crate) enum PullStart<'a> {
    Reset(PullResponse),
    Page(PullPage<'a>),
}

impl<'a> PullPage<'a> {
    /// Judges the reader's `scope` against the partnerships published now (their ids) and the
    /// last visibility change of each (`(partnership, seq)` rows): a scope that is not the
    /// reader's now (or none past `since` 0) is answered with a reset.
    pub(crate) fn start(
        reader: &'a Principal,
        since: Seq,
        limit: usize,
        scope: Option<&str>,
        published: &[String],
        visibility: Vec<(String, i64)>,
    ) -> Result<PullStart<'a>, DbError> {
        let published: BTreeSet<Uuid> = published
            .iter()
            .map(|id| parse_uuid(id))
            .collect::<Result<_, _>>()?;
        let visibility: BTreeMap<Uuid, i64> = visibility
            .into_iter()
            .map(|(p, seq)| Ok((parse_uuid(&p)?, seq)))
            .collect::<Result<_, DbError>>()?;
        let current_scope = scope_of(reader, &published, &visibility);
        if scope != Some(current_scope.as_str()) && (since > Seq(0) || scope.is_some()) {
            return Ok(PullStart::Reset(PullResponse {
                protocol: PROTOCOL_VERSION,
                changes: Vec::new(),
                cursor: Seq(0),
                more: false,
                scope: current_scope,
                reset: true,
            }));
        }
        Ok(PullStart::Page(Self {
            reader,
            published,
            readers: GatedReaders::default(),
            budget: PullBudget::new(limit, MAX_PULL_BYTES),
            limit: limit.max(1),
            read: 0,
            changes: Vec::new(),
            cursor: since,
            more: false,
            scope: current_scope,
        }))
    }

    /// Who may read each gated record, read on the same snapshot (see [`gated_query`]).
    pub(crate) fn with_readers(mut self, readers: GatedReaders) -> Self {
        self.readers = readers;
        self
    }

    /// How many rows to read: one more than fits tells whether another page is waiting.
    pub(crate) fn fetch(&self) -> i64 {
        i64::try_from(self.limit.saturating_add(1)).unwrap_or(i64::MAX)
    }

    /// Takes the next row of `records` (`kind, id, partnership_id, fields, version,
    /// deleted`); `false` when the page is full and reading should stop. Rows are read one at
    /// a time and the reading stops at the first that does not fit, so a page of large
    /// records never loads more than it returns (and one row).
    pub(crate) fn offer(&mut self, row: &impl Columns) -> Result<bool, DbError> {
        self.read += 1;
        if self.read > self.limit {
            self.more = true;
            return Ok(false);
        }
        let kind = parse_kind(&row.text("kind")?)?;
        let id = uuid_column(row, "id")?;
        let version = seq_from_i64(row.int("version")?)?;
        let partnership = match row.opt_text("partnership_id")? {
            _ if kind == EntityKind::Partnership => id,
            Some(p) => parse_uuid(&p)?,
            None => Uuid::nil(),
        };
        let visible = self.reader.can_read_at(
            self.readers.needed(kind, id),
            PartnershipId(partnership),
            self.published.contains(&partnership),
        );
        // The cursor passes what the reader may not see.
        if !visible {
            self.cursor = version;
            return Ok(true);
        }
        let fields = row.opt_text("fields")?;
        if !self.budget.take(fields.as_ref().map_or(0, String::len)) {
            self.more = true;
            return Ok(false);
        }
        let deleted = row.flag("deleted")?;
        self.changes.push(Change {
            kind,
            id,
            version,
            deleted,
            fields: match (deleted, fields) {
                (false, Some(text)) => Some(parse_object(&text)?),
                _ => None,
            },
        });
        self.cursor = version;
        Ok(true)
    }

    pub(crate) fn finish(self) -> PullResponse {
        PullResponse {
            protocol: PROTOCOL_VERSION,
            changes: self.changes,
            cursor: self.cursor,
            more: self.more,
            scope: self.scope,
            reset: false,
        }
    }
}
