//! The PostgreSQL implementation of [`Database`]: one database shared by several server
//! processes behind a load balancer.
//!
//! Statement by statement it does what [`sqlite`](super::sqlite) does; what a row means is
//! shared in [`rows`](super::rows). What differs is how writers are ordered. SQLite has one
//! writer at a time; PostgreSQL lets writers run side by side, and several server processes
//! write at once. A pull trusts that a reader who has seen position N has seen every position
//! below N, so commit order must equal position order across every process:
//!
//! * every push (and the start-up refresh, which also takes positions) begins by locking the
//!   single `sync_counter` row (`SELECT ... FOR UPDATE`) and holds that lock to its commit, so
//!   writers take their turn in the database itself, whichever process they run in, like
//!   SQLite's `BEGIN IMMEDIATE`; taking the lock first, before any record is locked, also
//!   means two pushes can never deadlock on records and the counter;
//! * positions come from `UPDATE sync_counter SET seq = seq + 1 RETURNING seq` on that row,
//!   never from a `SEQUENCE`, whose numbers are handed out outside the transaction;
//! * the merge reads the current record `FOR UPDATE`, so it sees and holds the latest state;
//! * a pull reads in one `REPEATABLE READ` transaction, so the reader's scope, who may read
//!   the gated records, and every row are judged on one snapshot.
//!
//! The database named by the URL is created when it does not exist (as SQLite creates its
//! file), then migrated (`migrations/postgres/`; sqlx's migrator takes an advisory lock, so
//! two processes starting at once migrate once).

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::atomic::AtomicBool;

use async_trait::async_trait;
use atlas_shared::accounts::tablets::TabletInfo;
use atlas_shared::accounts::{Person, Principal, Role, UserInfo};
use atlas_shared::attention::RefusedAnswer;
use atlas_shared::{
    ConsultationId, EntityKind, FieldError, Mutation, MutationId, MutationResult, PartnershipId,
    PullResponse, Rejection, Seq, StoredRecord,
};
use futures_util::TryStreamExt as _;
use sqlx::migrate::MigrateDatabase as _;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Postgres, Row, Transaction};
use uuid::Uuid;

use super::derived::{Count, KeptTallies, refresh_results};
use super::group::{
    GroupWrite, Handing, InboxRow, InboxStore, KeepRefused, Pushed, Received, Waiting, Writer,
    apply_inbox, failed_all, receive, write_group,
};
use super::inbox::{Found, sender_to_json};
use super::push::{
    Current, HistoryRow, LiveFields, PushStore, RecordRow, RefsRow, Settled, counter_moved_check,
};
use super::reachable::Reachability;
use super::rows::{
    PullPage, PullStart, SessionRow, current_from_row, failures_from_row, gated_query,
    gated_readers, history_from_row, latest_refusals, parse_kind, parse_object, parse_uuid,
    people_from_rows, refused_from_row, tablet_columns, tablet_from_row, two_step_from_row,
};
use super::{
    Database, DbError, HistoryOf, NewUser, Sender, SentAnswers, StoredHistory, TwoStep,
    seq_from_i64, seq_to_i64, to_json,
};
use crate::accounts::Failures;

/// The database's clock now, UTC, as the ISO 8601 text SQLite's `strftime` writes (each
/// statement's own time, as in SQLite, not the transaction's start).
macro_rules! now_text {
    () => {
        "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    };
}

/// The columns of `refused_mutations` (as `rm`) that [`refused_from_row`] reads.
macro_rules! refused_columns {
    () => {
        "rm.mutation, rm.error, rm.fields, rm.rejection, rm.device_id, \
         (EXTRACT(EPOCH FROM rm.at::timestamptz) * 1000)::BIGINT AS at_ms"
    };
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// Connections in this process's pool. Several processes share the database server, whose
/// own limit (`max_connections`, 100 by default) bounds them all.
const MAX_CONNECTIONS: u32 = 8;

/// Locks the counter row for the rest of the transaction: the writers' turn (module docs).
const TAKE_WRITER_TURN: &str = "SELECT seq FROM sync_counter WHERE id = 1 FOR UPDATE";

pub struct PgDatabase {
    pool: PgPool,
    /// Whether the database server can be reached (see [`Reachability`]).
    reachability: Reachability,
    /// This process's pushes' writer (see [`group`](super::group)).
    writer: Writer<GroupWriter>,
}

/// Writes groups of pushes (see [`group`](super::group)), each in one transaction that holds
/// the writers' turn.
struct GroupWriter {
    pool: PgPool,
}

impl GroupWrite for GroupWriter {
    async fn write(&self, group: &[Waiting]) -> Vec<Pushed> {
        match begin_writing(&self.pool).await {
            Ok(tx) => write_group(tx, group).await,
            Err(e) => failed_all(group, e),
        }
    }

    /// Without the writers' turn: a push joins the inbox while others are applied. A device
    /// hands off its next push only once the last is stored, so its pushes keep their order.
    async fn receive(&self, handed: &[Handing]) -> Received {
        receive(self.pool.begin().await?, handed).await
    }

    async fn apply_inbox(&self, budget: usize, handed: &AtomicBool) -> Result<bool, DbError> {
        apply_inbox(begin_writing(&self.pool).await?, budget, handed).await
    }
}

impl InboxStore for Transaction<'_, Postgres> {
    async fn add_to_inbox(&mut self, sender: &Sender, body: &str) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO inbox (device_id, sender, mutations, received_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&sender.device)
        .bind(sender_to_json(sender)?)
        .bind(body)
        .bind(sender.received_at)
        .execute(&mut **self)
        .await?;
        Ok(())
    }

    /// Read under the writers' turn, so no other server is applying the inbox meanwhile.
    async fn oldest_in_inbox(&mut self) -> Result<Option<InboxRow>, DbError> {
        let row: Option<(i64, String, String)> =
            sqlx::query_as("SELECT id, sender, mutations FROM inbox ORDER BY id LIMIT 1")
                .fetch_optional(&mut **self)
                .await?;
        Ok(row.map(|(id, sender, mutations)| InboxRow {
            id,
            sender,
            mutations,
        }))
    }

    async fn remove_from_inbox(&mut self, id: i64) -> Result<(), DbError> {
        sqlx::query("DELETE FROM inbox WHERE id = $1")
            .bind(id)
            .execute(&mut **self)
            .await?;
        Ok(())
    }
}

/// A writing transaction that holds the writers' turn (see the module docs).
async fn begin_writing(pool: &PgPool) -> Result<Transaction<'static, Postgres>, DbError> {
    let mut tx = pool.begin().await?;
    sqlx::query(TAKE_WRITER_TURN).execute(&mut *tx).await?;
    Ok(tx)
}

/// How long a statement waits for a lock (the writers' turn) before it gives up: longer than
/// a queue of full pushes takes, shorter than the API's time limit.
const LOCK_TIMEOUT: &str = "20s";

/// How the server connects to the database at `url` (public so that `push_bench`'s raw-insert
/// baseline opens its connection the same way). A writer waits at most `LOCK_TIMEOUT` for
/// its turn (another process holding it that long is stuck or the database is in trouble):
/// then the push fails as a failure of the moment (55P03), answered 503 with Retry-After, as
/// SQLite's busy timeout is.
pub fn connect_options(url: &str) -> Result<PgConnectOptions, DbError> {
    Ok(PgConnectOptions::from_str(url)?.options([("lock_timeout", LOCK_TIMEOUT)]))
}

impl PgDatabase {
    /// Opens the database, creating it if it does not exist, and migrates it.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        let options = connect_options(url)?;
        if !Postgres::database_exists(url).await? {
            // Another process may create it between the check and here: that is fine.
            if let Err(e) = Postgres::create_database(url).await
                && !Postgres::database_exists(url).await?
            {
                return Err(e.into());
            }
        }
        // The pool's acquire timeout (30 s) bounds the wait for a connection of a busy pool;
        // a database that is gone is noticed by the watcher within seconds instead.
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_with(options.clone())
            .await?;
        MIGRATOR.run(&pool).await?;
        let writer = Writer::start(GroupWriter { pool: pool.clone() });
        Ok(Self {
            pool,
            reachability: Reachability::watch(options),
            writer,
        })
    }
}

#[async_trait]
impl Database for PgDatabase {
    fn backend(&self) -> &'static str {
        "postgresql"
    }

    async fn push(&self, sender: Sender, mutations: Vec<Mutation>) -> Pushed {
        self.writer.push(sender, mutations).await
    }

    async fn push_at_start(&self, sender: Sender, mutations: Vec<Mutation>) -> Pushed {
        self.writer.push_here(sender, mutations).await
    }

    async fn hand_off(&self, sender: Sender, body: String) -> Received {
        self.writer.hand_off(sender, body).await
    }

    async fn find_mutations(&self, device: &str, ids: &[MutationId]) -> Result<Found, DbError> {
        if ids.is_empty() {
            return Ok(Found::default());
        }
        let ids: Vec<String> = ids.iter().map(|id| id.0.to_string()).collect();
        // One snapshot: a push applied between the statements would otherwise look neither
        // settled nor still in the inbox.
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?;
        let in_inbox: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM inbox WHERE device_id = $1)")
                .bind(device)
                .fetch_one(&mut *tx)
                .await?;
        let settled = sqlx::query_as(
            "SELECT mutation_id, result FROM applied_mutations \
             WHERE device_id = $1 AND mutation_id = ANY($2)",
        )
        .bind(device)
        .bind(&ids)
        .fetch_all(&mut *tx)
        .await?;
        let refused = sqlx::query_as(
            "SELECT mutation_id, error, fields FROM refused_mutations \
             WHERE rejection IS NULL AND device_id = $1 AND mutation_id = ANY($2)",
        )
        .bind(device)
        .bind(&ids)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Found {
            settled,
            refused,
            in_inbox,
        })
    }

    async fn pull(
        &self,
        reader: &Principal,
        since: Seq,
        limit: usize,
        scope: Option<&str>,
    ) -> Result<PullResponse, DbError> {
        // One snapshot for the reader's scope and every row.
        let mut tx = self
            .pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?;
        let published: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM records WHERE kind = 'partnership' AND deleted = FALSE \
             AND fields::jsonb -> 'published' = 'true'::jsonb",
        )
        .fetch_all(&mut *tx)
        .await?;
        let visibility: Vec<(String, i64)> =
            sqlx::query_as("SELECT partnership_id, seq FROM visibility_changes")
                .fetch_all(&mut *tx)
                .await?;
        let page = match PullPage::start(reader, since, limit, scope, &published, visibility)? {
            PullStart::Reset(answer) => return Ok(answer),
            PullStart::Page(page) => page,
        };
        let (kinds, sql) = gated_query();
        // Only `$n` marks are formatted in: the kinds are bound.
        let mut query = sqlx::query_as::<_, (String, String, String)>(sqlx::AssertSqlSafe(sql));
        for kind in &kinds {
            query = query.bind(kind.as_str());
        }
        let mut page = page.with_readers(gated_readers(query.fetch_all(&mut *tx).await?)?);
        let mut rows = sqlx::query(
            "SELECT kind, id, partnership_id, fields, version, deleted FROM records \
             WHERE version > $1 ORDER BY version LIMIT $2",
        )
        .bind(seq_to_i64(since))
        .bind(page.fetch())
        .fetch(&mut *tx);
        while let Some(row) = rows.try_next().await? {
            if !page.offer(&row)? {
                break;
            }
        }
        drop(rows);
        tx.commit().await?;
        Ok(page.finish())
    }

    async fn history(
        &self,
        of: HistoryOf,
        before: Option<i64>,
        limit: usize,
    ) -> Result<Vec<StoredHistory>, DbError> {
        // A refused creation never made a record row: its partnership is in what it sent.
        let (filter, a, b) = match of {
            HistoryOf::Partnership(p) => ("h.partnership = $3", p.0.to_string(), None),
            HistoryOf::Record(kind, id) => (
                "h.kind = $3 AND h.record_id = $4",
                kind.as_str().to_owned(),
                Some(id.to_string()),
            ),
        };
        let sql = format!(
            "WITH h AS ( \
               SELECT h.*, CASE WHEN h.kind = 'partnership' THEN h.record_id \
                 ELSE COALESCE(r.partnership_id, h.after::jsonb ->> 'partnership_id', \
                               h.before::jsonb ->> 'partnership_id') END AS partnership \
               FROM record_history h \
               LEFT JOIN records r ON r.kind = h.kind AND r.id = h.record_id) \
             SELECT h.id, h.at, h.kind, h.record_id, h.action, h.actor, h.address, h.before, \
                    h.after, h.partnership, u.name AS actor_name \
             FROM h LEFT JOIN users u ON h.actor = 'user:' || u.id \
             WHERE {filter} AND ($1::BIGINT IS NULL OR h.id < $1) \
             ORDER BY h.id DESC LIMIT $2"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        // The text is one of two fixed filters; every value is bound.
        let sql = sqlx::AssertSqlSafe(sql);
        let mut query = sqlx::query(sql).bind(before).bind(limit).bind(a);
        if let Some(b) = b {
            query = query.bind(b);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(history_from_row).collect()
    }

    async fn refresh_published_results(&self) -> Result<(), DbError> {
        let mut tx = begin_writing(&self.pool).await?;
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM records WHERE kind = 'consultation' AND deleted = FALSE \
             ORDER BY version",
        )
        .fetch_all(&mut *tx)
        .await?;
        for id in ids {
            refresh_results(&mut tx, ConsultationId(parse_uuid(&id)?), Count::Afresh).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn refused_answers(&self, limit: usize) -> Result<Vec<RefusedAnswer>, DbError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            refused_columns!(),
            " FROM refused_mutations rm \
             WHERE rm.kind = 'response' AND rm.settled_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM records r \
                 WHERE r.kind = rm.kind AND r.id = rm.record_id AND r.deleted = FALSE) \
             ORDER BY rm.at DESC LIMIT $1"
        ))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        // An answer sent again and refused again is one answer: its latest refusal stands.
        let refused = rows
            .iter()
            .map(refused_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(latest_refusals(refused))
    }

    async fn refused_change(
        &self,
        id: MutationId,
    ) -> Result<Option<(RefusedAnswer, Option<Seq>)>, DbError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            refused_columns!(),
            ", rm.settled_version FROM refused_mutations rm WHERE rm.mutation_id = $1"
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
        sqlx::query(concat!(
            "UPDATE refused_mutations SET settled_at = ",
            now_text!(),
            ", settled_version = $1 \
             WHERE settled_at IS NULL AND (kind, record_id) = \
                 (SELECT kind, record_id FROM refused_mutations WHERE mutation_id = $2)"
        ))
        .bind(seq_to_i64(version))
        .bind(id.0.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn create_user(&self, user: &NewUser) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO users (id, email, name, password_hash, admin, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (email) DO NOTHING",
        )
        .bind(user.id.to_string())
        .bind(&user.email)
        .bind(&user.name)
        .bind(&user.password_hash)
        .bind(user.admin)
        .bind(user.created_at)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(DbError::Conflict(format!(
                "an account with the email address {} already exists",
                user.email
            )));
        }
        for (partnership, role) in &user.roles {
            sqlx::query("INSERT INTO grants (user_id, partnership_id, role) VALUES ($1, $2, $3)")
                .bind(user.id.to_string())
                .bind(partnership.0.to_string())
                .bind(role.as_key())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn user_for_sign_in(&self, email: &str) -> Result<Option<(Uuid, String, bool)>, DbError> {
        let row = sqlx::query("SELECT id, password_hash, disabled FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok((
                parse_uuid(&r.try_get::<String, _>("id")?)?,
                r.try_get("password_hash")?,
                r.try_get("disabled")?,
            ))
        })
        .transpose()
    }

    async fn start_session(
        &self,
        token_hash: &str,
        user: Uuid,
        now: i64,
        expires_at: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $3, $4)",
        )
        .bind(token_hash)
        .bind(user.to_string())
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        sqlx::query("UPDATE users SET last_sign_in_at = $1 WHERE id = $2")
            .bind(now)
            .bind(user.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn session_user(
        &self,
        token_hash: &str,
        now: i64,
        idle_ms: i64,
    ) -> Result<Option<UserInfo>, DbError> {
        let Some(row) = sqlx::query(
            "SELECT s.user_id, s.last_seen_at, s.expires_at, u.email, u.name, u.admin, \
             u.disabled, t.confirmed_at IS NOT NULL AS two_step FROM sessions s \
             JOIN users u ON u.id = s.user_id LEFT JOIN totp t ON t.user_id = u.id \
             WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let session = SessionRow::new(&row, now, idle_ms)?;
        if !session.open {
            self.end_session(token_hash).await?;
            return Ok(None);
        }
        if session.mark_used(now) {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(&self.pool)
                .await?;
        }
        let grants = sqlx::query("SELECT partnership_id, role FROM grants WHERE user_id = $1")
            .bind(&session.user_id)
            .fetch_all(&self.pool)
            .await?;
        session.user(&grants).map(Some)
    }

    async fn people(&self) -> Result<Vec<Person>, DbError> {
        let grants = sqlx::query("SELECT user_id, partnership_id, role FROM grants")
            .fetch_all(&self.pool)
            .await?;
        let users = sqlx::query(
            "SELECT u.id, u.name, u.email, u.admin, u.disabled, u.last_sign_in_at, \
             t.confirmed_at IS NOT NULL AS two_step FROM users u \
             LEFT JOIN totp t ON t.user_id = u.id ORDER BY u.name, u.email",
        )
        .fetch_all(&self.pool)
        .await?;
        people_from_rows(&grants, &users)
    }

    async fn set_password(
        &self,
        user: Uuid,
        password_hash: &str,
        keep: Option<&str>,
    ) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2")
            .bind(user.to_string())
            .bind(keep)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn two_step(&self, user: Uuid) -> Result<Option<TwoStep>, DbError> {
        sqlx::query("SELECT secret, confirmed_at, last_step FROM totp WHERE user_id = $1")
            .bind(user.to_string())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(two_step_from_row)
            .transpose()
    }

    async fn begin_two_step(&self, user: Uuid, secret: &str) -> Result<bool, DbError> {
        let stored = sqlx::query(
            "INSERT INTO totp (user_id, secret) VALUES ($1, $2) \
             ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, last_step = NULL \
             WHERE totp.confirmed_at IS NULL",
        )
        .bind(user.to_string())
        .bind(secret)
        .execute(&self.pool)
        .await?;
        Ok(stored.rows_affected() == 1)
    }

    async fn use_two_step(
        &self,
        user: Uuid,
        step: i64,
        now: i64,
        confirming: bool,
    ) -> Result<bool, DbError> {
        // One statement: two requests with the same code cannot both take its step.
        let query = if confirming {
            sqlx::query(
                "UPDATE totp SET last_step = $2, confirmed_at = $3 WHERE user_id = $1 \
                 AND confirmed_at IS NULL AND (last_step IS NULL OR last_step < $2)",
            )
            .bind(user.to_string())
            .bind(step)
            .bind(now)
        } else {
            // PostgreSQL refuses an argument the statement does not use: no `now` here.
            sqlx::query(
                "UPDATE totp SET last_step = $2 WHERE user_id = $1 \
                 AND confirmed_at IS NOT NULL AND (last_step IS NULL OR last_step < $2)",
            )
            .bind(user.to_string())
            .bind(step)
        };
        let taken = query.execute(&self.pool).await?;
        Ok(taken.rows_affected() == 1)
    }

    async fn reset_two_step(&self, user: Uuid) -> Result<(), DbError> {
        sqlx::query("DELETE FROM totp WHERE user_id = $1")
            .bind(user.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn end_session(&self, token_hash: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn set_disabled(&self, user: Uuid, disabled: bool) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(disabled)
            .bind(user.to_string())
            .execute(&mut *tx)
            .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user.to_string())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn set_role(
        &self,
        user: Uuid,
        partnership: PartnershipId,
        role: Option<Role>,
    ) -> Result<(), DbError> {
        let query = match role {
            Some(role) => sqlx::query(
                "INSERT INTO grants (user_id, partnership_id, role) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id, partnership_id) DO UPDATE SET role = excluded.role",
            )
            .bind(user.to_string())
            .bind(partnership.0.to_string())
            .bind(role.as_key()),
            None => sqlx::query("DELETE FROM grants WHERE user_id = $1 AND partnership_id = $2")
                .bind(user.to_string())
                .bind(partnership.0.to_string()),
        };
        query.execute(&self.pool).await?;
        Ok(())
    }

    async fn note_sign_in_failure(
        &self,
        email: &str,
        address: &str,
        now: i64,
        forget_before: i64,
    ) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM sign_in_failures WHERE at < $1")
            .bind(forget_before)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO sign_in_failures (email, address, at) VALUES ($1, $2, $3)")
            .bind(email)
            .bind(address)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn sign_in_failures(
        &self,
        email: &str,
        address: &str,
        since: i64,
    ) -> Result<Failures, DbError> {
        let row = sqlx::query(
            "SELECT \
             (SELECT COUNT(*) FROM sign_in_failures \
              WHERE email = $1 AND address = $2 AND at >= $3) AS pair, \
             (SELECT COUNT(*) FROM sign_in_failures WHERE address = $2 AND at >= $3) AS address, \
             (SELECT COUNT(*) FROM sign_in_failures WHERE email = $1 AND at >= $3) AS account, \
             (SELECT MAX(at) FROM sign_in_failures WHERE email = $1 AND at >= $3) AS latest",
        )
        .bind(email)
        .bind(address)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        failures_from_row(&row)
    }

    async fn take_public_answers(
        &self,
        address: &str,
        count: u64,
        now: i64,
        window_start: i64,
        decide: &(dyn for<'s> Fn(&'s [SentAnswers]) -> Result<(), u64> + Send + Sync),
    ) -> Result<Result<(), u64>, DbError> {
        let mut tx = self.pool.begin().await?;
        // One taker per address at a time, across instances, until the commit: the read
        // below cannot go stale before the insert. (Other addresses are not held up.)
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind(address)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM public_answers WHERE at <= $1")
            .bind(window_start)
            .execute(&mut *tx)
            .await?;
        let sent =
            sqlx::query("SELECT at, count FROM public_answers WHERE address = $1 ORDER BY at, id")
                .bind(address)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|row| {
                    Ok(SentAnswers {
                        at: row.try_get("at")?,
                        count: u64::try_from(row.try_get::<i64, _>("count")?).unwrap_or(0),
                    })
                })
                .collect::<Result<Vec<_>, DbError>>()?;
        let decision = decide(&sent);
        if decision.is_ok() {
            sqlx::query("INSERT INTO public_answers (address, at, count) VALUES ($1, $2, $3)")
                .bind(address)
                .bind(now)
                .bind(i64::try_from(count).unwrap_or(i64::MAX))
                .execute(&mut *tx)
                .await?;
        }
        // Committed either way: the old rows are forgotten even when nothing is taken.
        tx.commit().await?;
        Ok(decision)
    }

    async fn live_partnership_of(
        &self,
        kind: EntityKind,
        id: Uuid,
    ) -> Result<Option<PartnershipId>, DbError> {
        let row: Option<Option<String>> = sqlx::query_scalar(
            "SELECT partnership_id FROM records WHERE kind = $1 AND id = $2 AND deleted = FALSE",
        )
        .bind(kind.as_str())
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            None => None,
            Some(_) if kind == EntityKind::Partnership => Some(PartnershipId(id)),
            Some(p) => p.as_deref().map(parse_uuid).transpose()?.map(PartnershipId),
        })
    }

    async fn create_tablet(&self, tablet: &TabletInfo, token_hash: &str) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO tablets (id, partnership_id, name, consultation_ids, token_hash, \
             created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(tablet.id.to_string())
        .bind(tablet.partnership_id.0.to_string())
        .bind(&tablet.name)
        .bind(to_json(&tablet.consultation_ids)?)
        .bind(token_hash)
        .bind(tablet.created_at)
        .bind(tablet.created_by.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn tablets(&self, partnership: PartnershipId) -> Result<Vec<TabletInfo>, DbError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            tablet_columns!(),
            " FROM tablets WHERE partnership_id = $1 ORDER BY created_at DESC, id"
        ))
        .bind(partnership.0.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(tablet_from_row).collect()
    }

    async fn tablet(&self, id: Uuid) -> Result<Option<TabletInfo>, DbError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            tablet_columns!(),
            " FROM tablets WHERE id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(tablet_from_row).transpose()
    }

    async fn tablet_by_token(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<TabletInfo>, DbError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            tablet_columns!(),
            " FROM tablets WHERE token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(mut tablet) = row.as_ref().map(tablet_from_row).transpose()? else {
            return Ok(None);
        };
        // Marked seen at most once a minute: a syncing tablet makes no write per request.
        if tablet.last_seen_at.is_none_or(|seen| now - seen >= 60_000) {
            sqlx::query("UPDATE tablets SET last_seen_at = $1 WHERE id = $2")
                .bind(now)
                .bind(tablet.id.to_string())
                .execute(&self.pool)
                .await?;
            tablet.last_seen_at = Some(now);
        }
        Ok(Some(tablet))
    }

    async fn revoke_tablet(
        &self,
        id: Uuid,
        by: Uuid,
        now: i64,
    ) -> Result<Option<TabletInfo>, DbError> {
        sqlx::query(
            "UPDATE tablets SET revoked_at = $1, revoked_by = $2 \
             WHERE id = $3 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(by.to_string())
        .bind(id.to_string())
        .execute(&self.pool)
        .await?;
        self.tablet(id).await
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

    async fn unreachable(&self) {
        self.reachability.lost().await;
    }

    async fn close(&self) {
        self.reachability.stop();
        self.pool.close().await;
    }
}

impl KeepRefused for Transaction<'_, Postgres> {
    async fn keep_refused(
        &mut self,
        device: &str,
        mutation: &Mutation,
        message: &str,
        fields: &[FieldError],
    ) -> Result<(), DbError> {
        keep_refusal(&mut **self, device, mutation, message, fields, None).await
    }
}

/// Keeps a change the server refused in `refused_mutations`, with why: `fields` for one refused
/// as invalid (422, written in its group's transaction after its savepoint rolled back),
/// `rejection` for an answer rejected because of what others did (written in the push's
/// transaction). A retry of the same mutation id keeps the first row.
async fn keep_refusal<'e, E: sqlx::Executor<'e, Database = Postgres>>(
    executor: E,
    device: &str,
    mutation: &Mutation,
    message: &str,
    fields: &[FieldError],
    rejection: Option<&Rejection>,
) -> Result<(), DbError> {
    let rejection = rejection.map(to_json).transpose()?;
    sqlx::query(concat!(
        "INSERT INTO refused_mutations \
         (mutation_id, device_id, kind, record_id, mutation, error, fields, rejection, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, ",
        now_text!(),
        ") ON CONFLICT (mutation_id) DO NOTHING"
    ))
    .bind(mutation.id.0.to_string())
    .bind(device)
    .bind(mutation.kind.as_str())
    .bind(mutation.record_id.to_string())
    .bind(to_json(mutation)?)
    .bind(message)
    .bind(to_json(fields)?)
    .bind(rejection)
    .execute(executor)
    .await?;
    Ok(())
}

/// Records a settled mutation with its result (and what it carried, when known).
async fn settle(
    tx: &mut Transaction<'_, Postgres>,
    device: &str,
    result: &MutationResult,
    digest: Option<&str>,
) -> Result<(), DbError> {
    sqlx::query(concat!(
        "INSERT INTO applied_mutations (mutation_id, device_id, result, applied_at, digest) \
         VALUES ($1, $2, $3, ",
        now_text!(),
        ", $4)"
    ))
    .bind(result.mutation_id.0.to_string())
    .bind(device)
    .bind(to_json(result)?)
    .bind(digest)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The PostgreSQL statements of a push, run in the push's transaction, which holds the
/// writers' turn from its start.
impl PushStore for Transaction<'_, Postgres> {
    async fn applied_result(
        &mut self,
        mutation: &Mutation,
    ) -> Result<Option<MutationResult>, DbError> {
        let stored: Option<String> =
            sqlx::query_scalar("SELECT result FROM applied_mutations WHERE mutation_id = $1")
                .bind(mutation.id.0.to_string())
                .fetch_optional(&mut **self)
                .await?;
        stored
            .map(|text| {
                serde_json::from_str(&text).map_err(|e| {
                    DbError::Corrupt(format!("stored result of mutation {}: {e}", mutation.id))
                })
            })
            .transpose()
    }

    async fn record_applied(
        &mut self,
        device: &str,
        result: &MutationResult,
    ) -> Result<(), DbError> {
        settle(self, device, result, None).await
    }

    async fn applied_digest(&mut self, id: MutationId) -> Result<Option<String>, DbError> {
        let digest: Option<Option<String>> =
            sqlx::query_scalar("SELECT digest FROM applied_mutations WHERE mutation_id = $1")
                .bind(id.0.to_string())
                .fetch_optional(&mut **self)
                .await?;
        Ok(digest.flatten())
    }

    async fn record_applied_digest(
        &mut self,
        device: &str,
        result: &MutationResult,
        digest: &str,
    ) -> Result<(), DbError> {
        settle(self, device, result, Some(digest)).await
    }

    async fn load(&mut self, kind: EntityKind, id: Uuid) -> Result<Option<Current>, DbError> {
        let row = sqlx::query(
            "SELECT partnership_id, fields, field_versions, version, deleted FROM records \
             WHERE kind = $1 AND id = $2 FOR UPDATE",
        )
        .bind(kind.as_str())
        .bind(id.to_string())
        .fetch_optional(&mut **self)
        .await?;
        row.map(|row| current_from_row(&row, kind, id)).transpose()
    }

    async fn next_seq(&mut self) -> Result<Seq, DbError> {
        let seq: i64 =
            sqlx::query_scalar("UPDATE sync_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq")
                .fetch_one(&mut **self)
                .await?;
        seq_from_i64(seq)
    }

    async fn write_record(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        partnership_id: Option<&str>,
        stored: &StoredRecord,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO records \
             (kind, id, partnership_id, fields, field_versions, version, deleted) \
             VALUES ($1, $2, $3, $4, $5, $6, FALSE) \
             ON CONFLICT (kind, id) DO UPDATE SET \
             partnership_id = excluded.partnership_id, fields = excluded.fields, \
             field_versions = excluded.field_versions, version = excluded.version, \
             deleted = FALSE",
        )
        .bind(kind.as_str())
        .bind(id.to_string())
        .bind(partnership_id)
        .bind(to_json(&stored.fields)?)
        .bind(to_json(&stored.field_versions)?)
        .bind(seq_to_i64(stored.version))
        .execute(&mut **self)
        .await?;
        Ok(())
    }

    async fn write_refs(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        references: &[(EntityKind, Uuid)],
    ) -> Result<(), DbError> {
        delete_refs(self, kind, id).await?;
        if references.is_empty() {
            return Ok(());
        }
        // One statement for all of them.
        let (ref_kinds, ref_ids): (Vec<&str>, Vec<String>) = references
            .iter()
            .map(|(k, id)| (k.as_str(), id.to_string()))
            .unzip();
        sqlx::query(
            "INSERT INTO record_refs (kind, id, ref_kind, ref_id) \
             SELECT $1, $2, r.kind, r.id FROM UNNEST($3::TEXT[], $4::TEXT[]) AS r (kind, id) \
             ON CONFLICT DO NOTHING",
        )
        .bind(kind.as_str())
        .bind(id.to_string())
        .bind(ref_kinds)
        .bind(ref_ids)
        .execute(&mut **self)
        .await?;
        Ok(())
    }

    async fn note_visibility_change(&mut self, partnership: &str, seq: Seq) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO visibility_changes (partnership_id, seq) VALUES ($1, $2) \
             ON CONFLICT (partnership_id) DO UPDATE SET seq = excluded.seq",
        )
        .bind(partnership)
        .bind(seq_to_i64(seq))
        .execute(&mut **self)
        .await?;
        Ok(())
    }

    async fn write_tombstone(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        seq: Seq,
    ) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE records SET fields = NULL, field_versions = '{}', version = $1, \
             deleted = TRUE WHERE kind = $2 AND id = $3",
        )
        .bind(seq_to_i64(seq))
        .bind(kind.as_str())
        .bind(id.to_string())
        .execute(&mut **self)
        .await?;
        delete_refs(self, kind, id).await
    }

    async fn live_dependents(
        &mut self,
        kind: EntityKind,
        id: Uuid,
    ) -> Result<Vec<(EntityKind, Uuid)>, DbError> {
        let rows = sqlx::query(
            "SELECT r.kind, r.id FROM record_refs x \
             JOIN records r ON r.kind = x.kind AND r.id = x.id \
             WHERE x.ref_kind = $1 AND x.ref_id = $2 AND r.deleted = FALSE \
             ORDER BY r.version",
        )
        .bind(kind.as_str())
        .bind(id.to_string())
        .fetch_all(&mut **self)
        .await?;
        rows.iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                let id: String = row.try_get("id")?;
                Ok((parse_kind(&kind)?, parse_uuid(&id)?))
            })
            .collect()
    }

    async fn live_dependent_count(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        dependent_kind: EntityKind,
    ) -> Result<u64, DbError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM record_refs x \
             JOIN records r ON r.kind = x.kind AND r.id = x.id \
             WHERE x.ref_kind = $1 AND x.ref_id = $2 AND x.kind = $3 AND r.deleted = FALSE",
        )
        .bind(kind.as_str())
        .bind(id.to_string())
        .bind(dependent_kind.as_str())
        .fetch_one(&mut **self)
        .await?;
        Ok(u64::try_from(n).unwrap_or_default())
    }

    async fn live_dependent_fields(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        dependent_kind: EntityKind,
    ) -> Result<Vec<LiveFields>, DbError> {
        let rows = sqlx::query(
            "SELECT r.id, r.fields FROM record_refs x \
             JOIN records r ON r.kind = x.kind AND r.id = x.id \
             WHERE x.ref_kind = $1 AND x.ref_id = $2 AND x.kind = $3 AND r.deleted = FALSE \
             ORDER BY r.version",
        )
        .bind(kind.as_str())
        .bind(id.to_string())
        .bind(dependent_kind.as_str())
        .fetch_all(&mut **self)
        .await?;
        rows.iter()
            .map(|row| {
                let id: String = row.try_get("id")?;
                let fields: String = row.try_get("fields")?;
                Ok((parse_uuid(&id)?, parse_object(&fields)?))
            })
            .collect()
    }

    async fn write_history(&mut self, row: HistoryRow<'_>) -> Result<(), DbError> {
        sqlx::query(concat!(
            "INSERT INTO record_history \
             (seq, kind, record_id, mutation_id, device_id, action, before, after, overwritten, \
              at, actor, address) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ",
            now_text!(),
            ", $10, $11)"
        ))
        .bind(row.seq.map(seq_to_i64))
        .bind(row.kind.as_str())
        .bind(row.record_id.to_string())
        .bind(row.mutation.id.0.to_string())
        .bind(&row.sender.device)
        .bind(row.action)
        .bind(row.before)
        .bind(row.after)
        .bind(row.overwritten)
        .bind(&row.sender.actor)
        .bind(&row.sender.address)
        .execute(&mut **self)
        .await?;
        Ok(())
    }

    async fn keep_rejected_answer(
        &mut self,
        device: &str,
        mutation: &Mutation,
        message: &str,
        reason: &Rejection,
    ) -> Result<(), DbError> {
        keep_refusal(&mut **self, device, mutation, message, &[], Some(reason)).await
    }

    async fn load_tallies(&mut self, consultation: Uuid) -> Result<Option<KeptTallies>, DbError> {
        let row: Option<(String, Option<i64>)> = sqlx::query_as(
            "SELECT tallies, answers FROM consultation_tallies WHERE consultation_id = $1",
        )
        .bind(consultation.to_string())
        .fetch_optional(&mut **self)
        .await?;
        Ok(row.map(|(text, answers)| KeptTallies { text, answers }))
    }

    async fn write_tallies(
        &mut self,
        consultation: Uuid,
        tallies: &str,
        answers: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO consultation_tallies (consultation_id, tallies, answers) \
             VALUES ($1, $2, $3) ON CONFLICT (consultation_id) \
             DO UPDATE SET tallies = excluded.tallies, answers = excluded.answers",
        )
        .bind(consultation.to_string())
        .bind(tallies)
        .bind(answers)
        .execute(&mut **self)
        .await?;
        Ok(())
    }

    // The many-row statements pass each column as one array and UNNEST them: one statement
    // per kind of write, whatever the push's size, and one statement text to prepare.

    async fn applied_results(
        &mut self,
        mutations: &[Mutation],
    ) -> Result<HashMap<MutationId, Settled>, DbError> {
        let ids: Vec<String> = mutations.iter().map(|m| m.id.0.to_string()).collect();
        let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT mutation_id, result, digest FROM applied_mutations \
             WHERE mutation_id = ANY($1)",
        )
        .bind(ids)
        .fetch_all(&mut **self)
        .await?;
        let mut settled = HashMap::new();
        for (id, text, digest) in rows {
            let result: MutationResult = serde_json::from_str(&text)
                .map_err(|e| DbError::Corrupt(format!("stored result of mutation {id}: {e}")))?;
            settled.insert(MutationId(parse_uuid(&id)?), Settled { result, digest });
        }
        Ok(settled)
    }

    async fn load_many(
        &mut self,
        keys: &[(EntityKind, Uuid)],
    ) -> Result<Vec<Option<Current>>, DbError> {
        let kinds: Vec<&str> = keys.iter().map(|(kind, _)| kind.as_str()).collect();
        let ids: Vec<String> = keys.iter().map(|(_, id)| id.to_string()).collect();
        // FOR UPDATE as `load`: what the push read stays as it read it until it commits.
        let rows = sqlx::query(
            "SELECT kind, id, partnership_id, fields, field_versions, version, deleted \
             FROM records WHERE (kind, id) IN \
             (SELECT k, i FROM UNNEST($1::TEXT[], $2::TEXT[]) AS t (k, i)) FOR UPDATE",
        )
        .bind(kinds)
        .bind(ids)
        .fetch_all(&mut **self)
        .await?;
        let mut found: HashMap<(EntityKind, Uuid), Current> = HashMap::new();
        for row in rows {
            let kind = parse_kind(&row.try_get::<String, _>("kind")?)?;
            let id = parse_uuid(&row.try_get::<String, _>("id")?)?;
            found.insert((kind, id), current_from_row(&row, kind, id)?);
        }
        Ok(keys.iter().map(|key| found.remove(key)).collect())
    }

    async fn record_applied_many(&mut self, device: &str, rows: &[Settled]) -> Result<(), DbError> {
        let ids: Vec<String> = rows
            .iter()
            .map(|s| s.result.mutation_id.0.to_string())
            .collect();
        let results = rows
            .iter()
            .map(|s| to_json(&s.result))
            .collect::<Result<Vec<_>, _>>()?;
        let digests: Vec<Option<&str>> = rows.iter().map(|s| s.digest.as_deref()).collect();
        sqlx::query(concat!(
            "INSERT INTO applied_mutations (mutation_id, device_id, result, applied_at, digest) \
             SELECT m, $2, r, ",
            now_text!(),
            ", d FROM UNNEST($1::TEXT[], $3::TEXT[], $4::TEXT[]) AS t (m, r, d)"
        ))
        .bind(ids)
        .bind(device)
        .bind(results)
        .bind(digests)
        .execute(&mut **self)
        .await?;
        Ok(())
    }

    async fn write_records(&mut self, rows: &[RecordRow<'_>]) -> Result<(), DbError> {
        let kinds: Vec<&str> = rows.iter().map(|r| r.kind.as_str()).collect();
        let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
        let partnerships: Vec<Option<&str>> = rows.iter().map(|r| r.partnership_id).collect();
        let texts = rows
            .iter()
            .map(RecordRow::fields_json)
            .collect::<Result<Vec<_>, _>>()?;
        let fields: Vec<&str> = texts.iter().map(AsRef::as_ref).collect();
        let versions = rows
            .iter()
            .map(|r| to_json(&r.stored.field_versions))
            .collect::<Result<Vec<_>, _>>()?;
        let positions: Vec<i64> = rows.iter().map(|r| seq_to_i64(r.stored.version)).collect();
        sqlx::query(
            "INSERT INTO records \
             (kind, id, partnership_id, fields, field_versions, version, deleted) \
             SELECT k, i, p, f, fv, v, FALSE \
             FROM UNNEST($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[], \
                         $6::BIGINT[]) AS t (k, i, p, f, fv, v) \
             ON CONFLICT (kind, id) DO UPDATE SET \
             partnership_id = excluded.partnership_id, fields = excluded.fields, \
             field_versions = excluded.field_versions, version = excluded.version, \
             deleted = FALSE",
        )
        .bind(kinds)
        .bind(ids)
        .bind(partnerships)
        .bind(fields)
        .bind(versions)
        .bind(positions)
        .execute(&mut **self)
        .await?;
        Ok(())
    }

    async fn write_refs_many(&mut self, rows: &[RefsRow<'_>]) -> Result<(), DbError> {
        let kinds: Vec<&str> = rows.iter().map(|r| r.kind.as_str()).collect();
        let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
        sqlx::query(
            "DELETE FROM record_refs WHERE (kind, id) IN \
             (SELECT k, i FROM UNNEST($1::TEXT[], $2::TEXT[]) AS t (k, i))",
        )
        .bind(kinds)
        .bind(ids)
        .execute(&mut **self)
        .await?;
        let refs: Vec<(&RefsRow<'_>, &(EntityKind, Uuid))> = rows
            .iter()
            .flat_map(|r| r.references.iter().map(move |target| (r, target)))
            .collect();
        if refs.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO record_refs (kind, id, ref_kind, ref_id) \
             SELECT k, i, rk, ri FROM UNNEST($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TEXT[]) \
             AS t (k, i, rk, ri) \
             ON CONFLICT DO NOTHING",
        )
        .bind(
            refs.iter()
                .map(|(r, _)| r.kind.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            refs.iter()
                .map(|(r, _)| r.id.to_string())
                .collect::<Vec<_>>(),
        )
        .bind(refs.iter().map(|(_, t)| t.0.as_str()).collect::<Vec<_>>())
        .bind(
            refs.iter()
                .map(|(_, t)| t.1.to_string())
                .collect::<Vec<_>>(),
        )
        .execute(&mut **self)
        .await?;
        Ok(())
    }

    async fn write_history_rows(&mut self, rows: Vec<HistoryRow<'_>>) -> Result<(), DbError> {
        // In the rows' order (WITH ORDINALITY): the history's own id pages it in that order.
        sqlx::query(concat!(
            "INSERT INTO record_history \
             (seq, kind, record_id, mutation_id, device_id, action, before, after, overwritten, \
              at, actor, address) \
             SELECT s, k, r, m, d, a, b, af, o, ",
            now_text!(),
            ", ac, ad FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[], \
                $6::TEXT[], $7::TEXT[], $8::TEXT[], $9::TEXT[], $10::TEXT[], $11::TEXT[]) \
             WITH ORDINALITY AS t (s, k, r, m, d, a, b, af, o, ac, ad, n) ORDER BY n"
        ))
        .bind(
            rows.iter()
                .map(|h| h.seq.map(seq_to_i64))
                .collect::<Vec<_>>(),
        )
        .bind(rows.iter().map(|h| h.kind.as_str()).collect::<Vec<_>>())
        .bind(
            rows.iter()
                .map(|h| h.record_id.to_string())
                .collect::<Vec<_>>(),
        )
        .bind(
            rows.iter()
                .map(|h| h.mutation.id.0.to_string())
                .collect::<Vec<_>>(),
        )
        .bind(
            rows.iter()
                .map(|h| h.sender.device.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(rows.iter().map(|h| h.action).collect::<Vec<_>>())
        .bind(rows.iter().map(|h| h.before.as_deref()).collect::<Vec<_>>())
        .bind(rows.iter().map(|h| h.after.as_deref()).collect::<Vec<_>>())
        .bind(
            rows.iter()
                .map(|h| h.overwritten.as_deref())
                .collect::<Vec<_>>(),
        )
        .bind(
            rows.iter()
                .map(|h| h.sender.actor.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            rows.iter()
                .map(|h| h.sender.address.as_str())
                .collect::<Vec<_>>(),
        )
        .execute(&mut **self)
        .await?;
        Ok(())
    }

    async fn advance_seq(&mut self, counter: Seq, last: Seq) -> Result<(), DbError> {
        let moved = sqlx::query("UPDATE sync_counter SET seq = $1 WHERE id = 1 AND seq = $2")
            .bind(seq_to_i64(last))
            .bind(seq_to_i64(counter))
            .execute(&mut **self)
            .await?;
        counter_moved_check(counter, moved.rows_affected())
    }
}

/// Removes every reference `(kind, id)` makes.
async fn delete_refs(
    tx: &mut Transaction<'_, Postgres>,
    kind: EntityKind,
    id: Uuid,
) -> Result<(), DbError> {
    sqlx::query("DELETE FROM record_refs WHERE kind = $1 AND id = $2")
        .bind(kind.as_str())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
