//! The SQLite implementation of [`Database`]: one file, WAL, one writer at a time.
//!
//! Every push runs in one transaction opened with `BEGIN IMMEDIATE` (the transaction of its
//! group: see [`group`](super::group)), which takes SQLite's write lock at once. That does two
//! jobs: the merge reads the current record and writes the new one with no other writer in
//! between (a plain deferred `BEGIN` would fail with a busy-snapshot error when another writer
//! commits between our read and our write), and positions in the change sequence are taken
//! and committed in order. An in-process mutex queues this server's
//! own writers fairly in front of SQLite's lock (SQLite's busy handler sleeps and polls), and
//! `busy_timeout` still covers another process writing to the same file.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use async_trait::async_trait;
use atlas_shared::accounts::tablets::TabletInfo;
use atlas_shared::accounts::{Person, Principal, Role, UserInfo};
use atlas_shared::attention::RefusedAnswer;
use atlas_shared::{
    ConsultationId, EntityKind, FieldError, Mutation, MutationId, MutationResult, PartnershipId,
    PullResponse, Rejection, Seq, StoredRecord,
};
use futures_util::TryStreamExt as _;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};
use tokio::sync::{Mutex, mpsc};
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
    write_gate: Arc<Mutex<()>>,
    /// The pushes' writer (see [`group`](super::group)), which takes `write_gate` for each group.
    writer: Writer<GroupWriter>,
}

/// Writes groups of pushes (see [`group`](super::group)), each in one `BEGIN IMMEDIATE`
/// transaction taken in turn with the server's other writers.
struct GroupWriter {
    pool: SqlitePool,
    write_gate: Arc<Mutex<()>>,
    /// Wakes the checkpointer after each group ([`checkpoint_behind`]); the checkpointer ends
    /// when this is dropped.
    checkpoint: mpsc::Sender<()>,
}

impl GroupWrite for GroupWriter {
    async fn write(&self, group: &[Waiting]) -> Vec<Pushed> {
        let _writer = self.write_gate.lock().await;
        let written = match self.pool.begin_with("BEGIN IMMEDIATE").await {
            Ok(tx) => write_group(tx, group).await,
            Err(e) => failed_all(group, e.into()),
        };
        // Full: a wake-up is waiting already, and one checkpoint copies every commit before it.
        let _ = self.checkpoint.try_send(());
        written
    }

    async fn receive(&self, handed: &[Handing]) -> Received {
        let _writer = self.write_gate.lock().await;
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let stored = receive(tx, handed).await;
        let _ = self.checkpoint.try_send(());
        stored
    }

    async fn apply_inbox(&self, budget: usize, handed: &AtomicBool) -> Result<bool, DbError> {
        let _writer = self.write_gate.lock().await;
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let more = apply_inbox(tx, budget, handed).await;
        let _ = self.checkpoint.try_send(());
        more
    }
}

impl InboxStore for Transaction<'_, Sqlite> {
    async fn add_to_inbox(&mut self, sender: &Sender, body: &str) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO inbox (device_id, sender, mutations, received_at) VALUES (?, ?, ?, ?)",
        )
        .bind(&sender.device)
        .bind(sender_to_json(sender)?)
        .bind(body)
        .bind(sender.received_at)
        .execute(&mut **self)
        .await?;
        Ok(())
    }

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
        sqlx::query("DELETE FROM inbox WHERE id = ?")
            .bind(id)
            .execute(&mut **self)
            .await?;
        Ok(())
    }
}

/// WAL pages at which a committing writer copies the WAL into the database itself (SQLite's
/// `wal_autocheckpoint`, 1,000 by default, about 4 MB). The checkpointer does it in the
/// background instead; this is for when it cannot keep up (a reader holding an old snapshot
/// for minutes), so the WAL stays under about 40 MB.
const WAL_CHECKPOINT_PAGES: u32 = 10_000;

/// The checkpointer: after each group of pushes, copies what the WAL holds into the database
/// (`PRAGMA wal_checkpoint(PASSIVE)`) on a connection of its own, while the writer goes on
/// with the next group. With SQLite's own checkpoint, the commit that took the WAL past 1,000
/// pages did it, and the writer's next group waited for it: copying several megabytes and
/// syncing the file, every group under load. PASSIVE waits for nobody: a frame a reader still
/// needs is left for the next round. Ends when the writer is dropped.
async fn checkpoint_behind(pool: SqlitePool, mut wake: mpsc::Receiver<()>) {
    while wake.recv().await.is_some() {
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            // Nothing is lost: the commits are in the WAL, and the next round (or a writer
            // past WAL_CHECKPOINT_PAGES) copies them.
            tracing::debug!(error = %e, "background checkpoint not done");
        }
    }
}

impl SqliteDatabase {
    /// The pool, for tests that look at what is stored.
    #[cfg(test)]
    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Notes when a session or a tablet was last seen (`sql` sets `last_seen_at` to `now`
    /// where its key is `key`): bookkeeping, so best effort and never in the way of a push.
    /// While this server's writers queue, the mark waits for a later request rather than for
    /// SQLite's lock (it would time out behind a long queue and fail a request that only
    /// reads); a lock held by another process only skips it. Says whether it was marked.
    async fn mark_seen(&self, sql: &'static str, now: i64, key: &str) -> Result<bool, DbError> {
        let Ok(_turn) = self.write_gate.try_lock() else {
            return Ok(false);
        };
        let marked = sqlx::query(sql)
            .bind(now)
            .bind(key)
            .execute(&self.pool)
            .await;
        match marked.map_err(DbError::from) {
            Ok(_) => Ok(true),
            Err(e) if e.is_transient() => {
                tracing::debug!(error = %e, "last seen not marked: the database is busy");
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Opens (creating if missing: the file and its parent directory) and migrates the database.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        // The checkpointer copies the WAL into the database in the background
        // (`checkpoint_behind`); a writer does it itself only past this.
        let options =
            connect_options(url)?.pragma("wal_autocheckpoint", WAL_CHECKPOINT_PAGES.to_string());
        if let Some(parent) = options.get_filename().parent()
            && !in_memory
            && !parent.as_os_str().is_empty()
        {
            tokio::fs::create_dir_all(parent).await?;
        }
        // An in-memory database lives in one connection; more would each see their own.
        let max = if in_memory { 1 } else { MAX_CONNECTIONS };
        // Two servers started at once on a new file would both migrate it (SQLite has no
        // migration lock of its own): the second waits for the first, then finds it done.
        let _migrating = if in_memory {
            None
        } else {
            Some(migration_lock(options.get_filename()).await?)
        };
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        let write_gate = Arc::new(Mutex::new(()));
        let (checkpoint, wake) = mpsc::channel(1);
        // In memory there is no WAL to copy (and one connection, the writer's).
        if !in_memory {
            tokio::spawn(checkpoint_behind(pool.clone(), wake));
        }
        let writer = Writer::start(GroupWriter {
            pool: pool.clone(),
            write_gate: Arc::clone(&write_gate),
            checkpoint,
        });
        Ok(Self {
            pool,
            write_gate,
            writer,
        })
    }
}

/// Holds an exclusive lock on `<database>.lock` (created beside the database, and left there)
/// until dropped, so only one process migrates the database at a time.
async fn migration_lock(database: &std::path::Path) -> Result<std::fs::File, DbError> {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    tokio::task::spawn_blocking(move || {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&name)?;
        file.lock()?;
        Ok(file)
    })
    .await
    .map_err(|e| DbError::Io(std::io::Error::other(e)))?
}

/// How the server opens a SQLite file: WAL, foreign keys, the busy timeout and the
/// `synchronous` setting. Public so the push benchmark's baselines open their files as the
/// server does. The server adds one thing it does for itself: its WAL is copied into the
/// database in the background (`checkpoint_behind`); a baseline leaves that to SQLite, as any
/// program inserting rows would.
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
        let mut settled = QueryBuilder::<Sqlite>::new(
            "SELECT mutation_id, result FROM applied_mutations WHERE device_id = ",
        );
        settled.push_bind(device).push(" AND mutation_id IN (");
        let mut list = settled.separated(", ");
        for id in &ids {
            list.push_bind(id);
        }
        settled.push(")");
        let mut refused = QueryBuilder::<Sqlite>::new(
            "SELECT mutation_id, error, fields FROM refused_mutations \
             WHERE rejection IS NULL AND device_id = ",
        );
        refused.push_bind(device).push(" AND mutation_id IN (");
        let mut list = refused.separated(", ");
        for id in &ids {
            list.push_bind(id);
        }
        refused.push(")");
        // One read transaction: a push applied between the statements would otherwise look
        // neither settled nor still in the inbox.
        let mut tx = self.pool.begin().await?;
        let in_inbox: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM inbox WHERE device_id = ?)")
                .bind(device)
                .fetch_one(&mut *tx)
                .await?;
        let settled = settled.build_query_as().fetch_all(&mut *tx).await?;
        let refused = refused.build_query_as().fetch_all(&mut *tx).await?;
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
        // One read transaction: the reader's scope and every row are judged on one snapshot.
        let mut tx = self.pool.begin().await?;
        let published: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM records WHERE kind = 'partnership' AND deleted = 0 \
             AND json_extract(fields, '$.published') = 1",
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
             WHERE version > ? ORDER BY version LIMIT ?",
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
            HistoryOf::Partnership(p) => ("h.partnership = ?3", p.0.to_string(), String::new()),
            HistoryOf::Record(kind, id) => (
                "h.kind = ?3 AND h.record_id = ?4",
                kind.as_str().to_owned(),
                id.to_string(),
            ),
        };
        let sql = format!(
            "WITH h AS ( \
               SELECT h.*, CASE WHEN h.kind = 'partnership' THEN h.record_id \
                 ELSE COALESCE(r.partnership_id, json_extract(h.after, '$.partnership_id'), \
                               json_extract(h.before, '$.partnership_id')) END AS partnership \
               FROM record_history h \
               LEFT JOIN records r ON r.kind = h.kind AND r.id = h.record_id) \
             SELECT h.id, h.at, h.kind, h.record_id, h.action, h.actor, h.address, h.before, \
                    h.after, h.partnership, u.name AS actor_name \
             FROM h LEFT JOIN users u ON h.actor = 'user:' || u.id \
             WHERE {filter} AND (?1 IS NULL OR h.id < ?1) \
             ORDER BY h.id DESC LIMIT ?2"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        // The text is one of two fixed filters; every value is bound.
        let sql = sqlx::AssertSqlSafe(sql);
        let mut query = sqlx::query(sql).bind(before).bind(limit).bind(a);
        if matches!(of, HistoryOf::Record(..)) {
            query = query.bind(b);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(history_from_row).collect()
    }

    async fn refresh_published_results(&self) -> Result<(), DbError> {
        let _writer = self.write_gate.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM records WHERE kind = 'consultation' AND deleted = 0 ORDER BY version",
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
                 WHERE r.kind = rm.kind AND r.id = rm.record_id AND r.deleted = 0) \
             ORDER BY rm.at DESC LIMIT ?"
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

    async fn create_user(&self, user: &NewUser) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO users (id, email, name, password_hash, admin, created_at) \
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO NOTHING",
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
            sqlx::query("INSERT INTO grants (user_id, partnership_id, role) VALUES (?, ?, ?)")
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
        let row = sqlx::query("SELECT id, password_hash, disabled FROM users WHERE email = ?")
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
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(user.to_string())
        .bind(now)
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        sqlx::query("UPDATE users SET last_sign_in_at = ? WHERE id = ?")
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
             WHERE s.token_hash = ?",
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
            self.mark_seen(
                "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?",
                now,
                token_hash,
            )
            .await?;
        }
        let grants = sqlx::query("SELECT partnership_id, role FROM grants WHERE user_id = ?")
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
        sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
            .bind(password_hash)
            .bind(user.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?")
            .bind(user.to_string())
            .bind(keep)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn two_step(&self, user: Uuid) -> Result<Option<TwoStep>, DbError> {
        sqlx::query("SELECT secret, confirmed_at, last_step FROM totp WHERE user_id = ?")
            .bind(user.to_string())
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(two_step_from_row)
            .transpose()
    }

    async fn begin_two_step(&self, user: Uuid, secret: &str) -> Result<bool, DbError> {
        let stored = sqlx::query(
            "INSERT INTO totp (user_id, secret) VALUES (?, ?) \
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
                "UPDATE totp SET last_step = ?2, confirmed_at = ?3 WHERE user_id = ?1 \
                 AND confirmed_at IS NULL AND (last_step IS NULL OR last_step < ?2)",
            )
        } else {
            sqlx::query(
                "UPDATE totp SET last_step = ?2 WHERE user_id = ?1 \
                 AND confirmed_at IS NOT NULL AND (last_step IS NULL OR last_step < ?2)",
            )
        };
        let taken = query
            .bind(user.to_string())
            .bind(step)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(taken.rows_affected() == 1)
    }

    async fn reset_two_step(&self, user: Uuid) -> Result<(), DbError> {
        sqlx::query("DELETE FROM totp WHERE user_id = ?")
            .bind(user.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn end_session(&self, token_hash: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn set_disabled(&self, user: Uuid, disabled: bool) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET disabled = ? WHERE id = ?")
            .bind(disabled)
            .bind(user.to_string())
            .execute(&mut *tx)
            .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = ?")
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
                "INSERT INTO grants (user_id, partnership_id, role) VALUES (?, ?, ?) \
                 ON CONFLICT (user_id, partnership_id) DO UPDATE SET role = excluded.role",
            )
            .bind(user.to_string())
            .bind(partnership.0.to_string())
            .bind(role.as_key()),
            None => sqlx::query("DELETE FROM grants WHERE user_id = ? AND partnership_id = ?")
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
        sqlx::query("DELETE FROM sign_in_failures WHERE at < ?")
            .bind(forget_before)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO sign_in_failures (email, address, at) VALUES (?, ?, ?)")
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
              WHERE email = ?1 AND address = ?2 AND at >= ?3) AS pair, \
             (SELECT COUNT(*) FROM sign_in_failures WHERE address = ?2 AND at >= ?3) AS address, \
             (SELECT COUNT(*) FROM sign_in_failures WHERE email = ?1 AND at >= ?3) AS account, \
             (SELECT MAX(at) FROM sign_in_failures WHERE email = ?1 AND at >= ?3) AS latest",
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
        // The write lock from the start (as a push takes it): another process's taker waits,
        // so the read below cannot go stale before the insert.
        let _writer = self.write_gate.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("DELETE FROM public_answers WHERE at <= ?")
            .bind(window_start)
            .execute(&mut *tx)
            .await?;
        let sent =
            sqlx::query("SELECT at, count FROM public_answers WHERE address = ? ORDER BY at, id")
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
            sqlx::query("INSERT INTO public_answers (address, at, count) VALUES (?, ?, ?)")
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
            "SELECT partnership_id FROM records WHERE kind = ? AND id = ? AND deleted = 0",
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
             created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
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
            " FROM tablets WHERE partnership_id = ? ORDER BY created_at DESC, id"
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
            " FROM tablets WHERE id = ?"
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
            " FROM tablets WHERE token_hash = ?"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(mut tablet) = row.as_ref().map(tablet_from_row).transpose()? else {
            return Ok(None);
        };
        // Marked seen at most once a minute: a syncing tablet makes no write per request.
        if tablet.last_seen_at.is_none_or(|seen| now - seen >= 60_000) {
            let id = tablet.id.to_string();
            let sql = "UPDATE tablets SET last_seen_at = ? WHERE id = ?";
            if self.mark_seen(sql, now, &id).await? {
                tablet.last_seen_at = Some(now);
            }
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
            "UPDATE tablets SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
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

    /// Never: the database is a file on this machine. A file another process holds locked is
    /// answered by the busy timeout (503) instead.
    async fn unreachable(&self) {
        std::future::pending::<()>().await;
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}

/// Keeps a change the server refused in `refused_mutations`, with why: `fields` for one refused
/// as invalid (422, written in its group's transaction after its savepoint rolled back),
/// `rejection` for an answer rejected because of what others did (written in the push's
/// transaction). A retry of the same mutation id keeps the first row.
async fn keep_refusal<'e, E: sqlx::Executor<'e, Database = Sqlite>>(
    executor: E,
    device: &str,
    mutation: &Mutation,
    message: &str,
    fields: &[FieldError],
    rejection: Option<&Rejection>,
) -> Result<(), DbError> {
    let rejection = rejection.map(to_json).transpose()?;
    sqlx::query(
        "INSERT OR IGNORE INTO refused_mutations \
         (mutation_id, device_id, kind, record_id, mutation, error, fields, rejection, at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
    )
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

impl KeepRefused for Transaction<'_, Sqlite> {
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

/// Records a settled mutation id with its result and, when given, its digest.
async fn settle(
    tx: &mut Transaction<'_, Sqlite>,
    device: &str,
    result: &MutationResult,
    digest: Option<&str>,
) -> Result<(), DbError> {
    // Times are the database's clock, UTC, ISO 8601 (`strftime(...)`), like the history's.
    sqlx::query(
        "INSERT INTO applied_mutations (mutation_id, device_id, result, applied_at, digest) \
         VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)",
    )
    .bind(result.mutation_id.0.to_string())
    .bind(device)
    .bind(to_json(result)?)
    .bind(digest)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The SQLite statements of a push, run in the push's `BEGIN IMMEDIATE` transaction.
impl PushStore for Transaction<'_, Sqlite> {
    async fn applied_result(
        &mut self,
        mutation: &Mutation,
    ) -> Result<Option<MutationResult>, DbError> {
        let stored: Option<String> =
            sqlx::query_scalar("SELECT result FROM applied_mutations WHERE mutation_id = ?")
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
            sqlx::query_scalar("SELECT digest FROM applied_mutations WHERE mutation_id = ?")
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
             WHERE kind = ? AND id = ?",
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
             VALUES (?, ?, ?, ?, ?, ?, 0) \
             ON CONFLICT (kind, id) DO UPDATE SET \
             partnership_id = excluded.partnership_id, fields = excluded.fields, \
             field_versions = excluded.field_versions, version = excluded.version, deleted = 0",
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
        for (ref_kind, ref_id) in references {
            sqlx::query(
                "INSERT OR IGNORE INTO record_refs (kind, id, ref_kind, ref_id) \
                 VALUES (?, ?, ?, ?)",
            )
            .bind(kind.as_str())
            .bind(id.to_string())
            .bind(ref_kind.as_str())
            .bind(ref_id.to_string())
            .execute(&mut **self)
            .await?;
        }
        Ok(())
    }

    async fn note_visibility_change(&mut self, partnership: &str, seq: Seq) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO visibility_changes (partnership_id, seq) VALUES (?, ?) \
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
            "UPDATE records SET fields = NULL, field_versions = '{}', version = ?, deleted = 1 \
             WHERE kind = ? AND id = ?",
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
             WHERE x.ref_kind = ? AND x.ref_id = ? AND r.deleted = 0 \
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
             WHERE x.ref_kind = ? AND x.ref_id = ? AND x.kind = ? AND r.deleted = 0",
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
             WHERE x.ref_kind = ? AND x.ref_id = ? AND x.kind = ? AND r.deleted = 0 \
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
        sqlx::query(
            "INSERT INTO record_history \
             (seq, kind, record_id, mutation_id, device_id, action, before, after, overwritten, \
              at, actor, address) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?, ?)",
        )
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
            "SELECT tallies, answers FROM consultation_tallies WHERE consultation_id = ?1",
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
             VALUES (?1, ?2, ?3) ON CONFLICT (consultation_id) \
             DO UPDATE SET tallies = excluded.tallies, answers = excluded.answers",
        )
        .bind(consultation.to_string())
        .bind(tallies)
        .bind(answers)
        .execute(&mut **self)
        .await?;
        Ok(())
    }

    async fn applied_results(
        &mut self,
        mutations: &[Mutation],
    ) -> Result<HashMap<MutationId, Settled>, DbError> {
        let mut settled = HashMap::new();
        for chunk in mutations.chunks(ROWS_PER_STATEMENT) {
            let mut query = QueryBuilder::<Sqlite>::new(
                "SELECT mutation_id, result, digest FROM applied_mutations WHERE mutation_id IN (",
            );
            let mut ids = query.separated(", ");
            for m in chunk {
                ids.push_bind(m.id.0.to_string());
            }
            query.push(")");
            let rows: Vec<(String, String, Option<String>)> =
                query.build_query_as().fetch_all(&mut **self).await?;
            for (id, text, digest) in rows {
                let result: MutationResult = serde_json::from_str(&text).map_err(|e| {
                    DbError::Corrupt(format!("stored result of mutation {id}: {e}"))
                })?;
                settled.insert(MutationId(parse_uuid(&id)?), Settled { result, digest });
            }
        }
        Ok(settled)
    }

    async fn load_many(
        &mut self,
        keys: &[(EntityKind, Uuid)],
    ) -> Result<Vec<Option<Current>>, DbError> {
        // By kind, so each statement looks ids up in the primary key (kind, id).
        let mut by_kind: BTreeMap<EntityKind, Vec<Uuid>> = BTreeMap::new();
        for &(kind, id) in keys {
            by_kind.entry(kind).or_default().push(id);
        }
        let mut found: HashMap<(EntityKind, Uuid), Current> = HashMap::new();
        for (kind, ids) in by_kind {
            for chunk in ids.chunks(ROWS_PER_STATEMENT) {
                let mut query = QueryBuilder::<Sqlite>::new(
                    "SELECT id, partnership_id, fields, field_versions, version, deleted \
                     FROM records WHERE kind = ",
                );
                query.push_bind(kind.as_str()).push(" AND id IN (");
                let mut list = query.separated(", ");
                for id in chunk {
                    list.push_bind(id.to_string());
                }
                query.push(")");
                for row in query.build().fetch_all(&mut **self).await? {
                    let id = parse_uuid(&row.try_get::<String, _>("id")?)?;
                    found.insert((kind, id), current_from_row(&row, kind, id)?);
                }
            }
        }
        Ok(keys.iter().map(|key| found.remove(key)).collect())
    }

    async fn record_applied_many(&mut self, device: &str, rows: &[Settled]) -> Result<(), DbError> {
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let texts = chunk
                .iter()
                .map(|s| to_json(&s.result))
                .collect::<Result<Vec<_>, _>>()?;
            let mut query = QueryBuilder::<Sqlite>::new(
                "INSERT INTO applied_mutations (mutation_id, device_id, result, applied_at, digest) ",
            );
            query.push_values(chunk.iter().zip(texts), |mut row, (settled, text)| {
                row.push_bind(settled.result.mutation_id.0.to_string())
                    .push_bind(device)
                    .push_bind(text)
                    .push(NOW)
                    .push_bind(settled.digest.as_deref());
            });
            query.build().execute(&mut **self).await?;
        }
        Ok(())
    }

    async fn write_records(&mut self, rows: &[RecordRow<'_>]) -> Result<(), DbError> {
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let texts = chunk
                .iter()
                .map(|r| Ok((r.fields_json()?, to_json(&r.stored.field_versions)?)))
                .collect::<Result<Vec<_>, DbError>>()?;
            let mut query = QueryBuilder::<Sqlite>::new(
                "INSERT INTO records \
                 (kind, id, partnership_id, fields, field_versions, version, deleted) ",
            );
            query.push_values(
                chunk.iter().zip(&texts),
                |mut row, (r, (fields, versions))| {
                    row.push_bind(r.kind.as_str())
                        .push_bind(r.id.to_string())
                        .push_bind(r.partnership_id)
                        .push_bind(fields.as_ref())
                        .push_bind(versions.as_str())
                        .push_bind(seq_to_i64(r.stored.version))
                        .push("0");
                },
            );
            query.push(
                " ON CONFLICT (kind, id) DO UPDATE SET \
                 partnership_id = excluded.partnership_id, fields = excluded.fields, \
                 field_versions = excluded.field_versions, version = excluded.version, \
                 deleted = 0",
            );
            query.build().execute(&mut **self).await?;
        }
        Ok(())
    }

    async fn write_refs_many(&mut self, rows: &[RefsRow<'_>]) -> Result<(), DbError> {
        let mut by_kind: BTreeMap<EntityKind, Vec<Uuid>> = BTreeMap::new();
        for row in rows {
            by_kind.entry(row.kind).or_default().push(row.id);
        }
        for (kind, ids) in by_kind {
            for chunk in ids.chunks(ROWS_PER_STATEMENT) {
                let mut query =
                    QueryBuilder::<Sqlite>::new("DELETE FROM record_refs WHERE kind = ");
                query.push_bind(kind.as_str()).push(" AND id IN (");
                let mut list = query.separated(", ");
                for id in chunk {
                    list.push_bind(id.to_string());
                }
                query.push(")");
                query.build().execute(&mut **self).await?;
            }
        }
        let refs: Vec<(EntityKind, Uuid, EntityKind, Uuid)> = rows
            .iter()
            .flat_map(|r| {
                r.references
                    .iter()
                    .map(move |&(ref_kind, ref_id)| (r.kind, r.id, ref_kind, ref_id))
            })
            .collect();
        for chunk in refs.chunks(ROWS_PER_STATEMENT) {
            let mut query = QueryBuilder::<Sqlite>::new(
                "INSERT OR IGNORE INTO record_refs (kind, id, ref_kind, ref_id) ",
            );
            query.push_values(chunk, |mut row, (kind, id, ref_kind, ref_id)| {
                row.push_bind(kind.as_str())
                    .push_bind(id.to_string())
                    .push_bind(ref_kind.as_str())
                    .push_bind(ref_id.to_string());
            });
            query.build().execute(&mut **self).await?;
        }
        Ok(())
    }

    async fn write_history_rows(&mut self, rows: Vec<HistoryRow<'_>>) -> Result<(), DbError> {
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let mut query = QueryBuilder::<Sqlite>::new(
                "INSERT INTO record_history \
                 (seq, kind, record_id, mutation_id, device_id, action, before, after, \
                  overwritten, actor, address, at) ",
            );
            query.push_values(chunk, |mut row, h| {
                row.push_bind(h.seq.map(seq_to_i64))
                    .push_bind(h.kind.as_str())
                    .push_bind(h.record_id.to_string())
                    .push_bind(h.mutation.id.0.to_string())
                    .push_bind(h.sender.device.as_str())
                    .push_bind(h.action)
                    .push_bind(h.before.as_deref())
                    .push_bind(h.after.as_deref())
                    .push_bind(h.overwritten.as_deref())
                    .push_bind(h.sender.actor.as_str())
                    .push_bind(h.sender.address.as_str())
                    .push(NOW);
            });
            query.build().execute(&mut **self).await?;
        }
        Ok(())
    }

    async fn advance_seq(&mut self, counter: Seq, last: Seq) -> Result<(), DbError> {
        let moved = sqlx::query("UPDATE sync_counter SET seq = ? WHERE id = 1 AND seq = ?")
            .bind(seq_to_i64(last))
            .bind(seq_to_i64(counter))
            .execute(&mut **self)
            .await?;
        counter_moved_check(counter, moved.rows_affected())
    }
}

/// Rows per multi-row statement: well under SQLite's limit of bound values (32,766) at the
/// widest row (a history row binds 11), and few distinct statement texts to cache.
const ROWS_PER_STATEMENT: usize = 100;

/// The database's clock, UTC, ISO 8601, as every stored time.
const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// Removes every reference `(kind, id)` makes.
async fn delete_refs(
    tx: &mut Transaction<'_, Sqlite>,
    kind: EntityKind,
    id: Uuid,
) -> Result<(), DbError> {
    sqlx::query("DELETE FROM record_refs WHERE kind = ? AND id = ?")
        .bind(kind.as_str())
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::group::tests::{admin, partnership};

    /// After a group of pushes, the checkpointer copies the WAL into the database file while
    /// nobody writes: without it, a WAL this small (well under `WAL_CHECKPOINT_PAGES`) would
    /// stay as it is and the file would not grow.
    #[tokio::test]
    async fn the_wal_is_copied_into_the_database_after_a_push() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let file = dir.path().join("atlas.db");
        let db = SqliteDatabase::connect(&format!("sqlite://{}", file.display()))
            .await
            .expect("a new database");
        let size = || std::fs::metadata(&file).map_or(0, |m| m.len());
        let before = size();
        let long = serde_json::Value::String("A partnership's description. ".repeat(70));
        let mutations: Vec<Mutation> = (1..=100)
            .map(|n| {
                partnership(
                    n,
                    &format!("Partnership {n}"),
                    Some(("description", long.clone())),
                )
            })
            .collect();
        let results = db.push(admin(), mutations).await.expect("stored");
        assert_eq!(results.len(), 100);
        // 100 descriptions of about 2 KB: the file grows by at least 200 KB once copied.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while size() < before + 200_000 {
            assert!(
                std::time::Instant::now() < deadline,
                "the database file is {} bytes after the push, {before} before: the WAL was not \
                 copied into it",
                size()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        db.close().await;
    }

    /// Schema 12 makes `records` and `record_refs` again (see its migration): what a database
    /// held before is all there after, in the new kind of table, and the references' foreign
    /// key still refers to the records.
    #[tokio::test]
    async fn records_and_their_references_survive_the_move_to_a_rowid_table() {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(connect_options("sqlite::memory:").expect("options"))
            .await
            .expect("in-memory SQLite opens");
        MIGRATOR.run_to(11, &pool).await.expect("schema 11");
        let partnership = "0190a0b0-0000-7000-8000-000000000001";
        let group = "0190a0b0-0000-7000-8000-000000000002";
        for (kind, id, owner, fields, version, deleted) in [
            (
                "partnership",
                partnership,
                None,
                Some(r#"{"name":"Redditch"}"#),
                1,
                0,
            ),
            (
                "group",
                group,
                Some(partnership),
                Some(r#"{"name":"Board"}"#),
                2,
                0,
            ),
            (
                "group",
                "0190a0b0-0000-7000-8000-000000000003",
                Some(partnership),
                None,
                3,
                1,
            ),
        ] {
            sqlx::query(
                "INSERT INTO records (kind, id, partnership_id, fields, field_versions, version, \
                 deleted) VALUES (?, ?, ?, ?, '{\"name\":1}', ?, ?)",
            )
            .bind(kind)
            .bind(id)
            .bind(owner)
            .bind(fields)
            .bind(version)
            .bind(deleted)
            .execute(&pool)
            .await
            .expect("a record at schema 11");
        }
        sqlx::query("INSERT INTO record_refs VALUES ('group', ?, 'partnership', ?)")
            .bind(group)
            .bind(partnership)
            .execute(&pool)
            .await
            .expect("a reference at schema 11");
        let dump = "SELECT kind || '|' || id || '|' || coalesce(partnership_id, '-') || '|' || \
                    coalesce(fields, '-') || '|' || field_versions || '|' || version || '|' || \
                    deleted FROM records ORDER BY version";
        let before: Vec<String> = sqlx::query_scalar(dump)
            .fetch_all(&pool)
            .await
            .expect("rows");

        MIGRATOR.run(&pool).await.expect("schema 12 and on");

        let after: Vec<String> = sqlx::query_scalar(dump)
            .fetch_all(&pool)
            .await
            .expect("rows");
        assert_eq!(after, before);
        let refs: Vec<(String, String, String, String)> =
            sqlx::query_as("SELECT kind, id, ref_kind, ref_id FROM record_refs")
                .fetch_all(&pool)
                .await
                .expect("references");
        assert_eq!(
            refs,
            [(
                "group".to_owned(),
                group.to_owned(),
                "partnership".to_owned(),
                partnership.to_owned()
            )]
        );
        let tables: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'record%' \
             ORDER BY name",
        )
        .fetch_all(&pool)
        .await
        .expect("the schema");
        let names: Vec<&str> = tables.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["record_history", "record_refs", "records"]);
        let sql = |name: &str| &tables.iter().find(|(n, _)| n == name).expect(name).1;
        assert!(
            !sql("records").contains("WITHOUT ROWID"),
            "{}",
            sql("records")
        );
        assert!(
            sql("record_refs").contains("REFERENCES \"records\""),
            "{}",
            sql("record_refs")
        );
        let violations: Vec<(String,)> = sqlx::query_as("PRAGMA foreign_key_check")
            .fetch_all(&pool)
            .await
            .expect("foreign key check");
        assert!(violations.is_empty(), "{violations:?}");
        // The foreign key is enforced: a reference from a record that does not exist is refused.
        let orphan =
            sqlx::query("INSERT INTO record_refs VALUES ('group', 'nobody', 'partnership', ?)")
                .bind(partnership)
                .execute(&pool)
                .await;
        assert!(orphan.is_err(), "a reference from no record was stored");
        // The indexes the pull and the delete cascade use are there under their names.
        let indexes: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'record%' \
             AND sql IS NOT NULL ORDER BY name",
        )
        .fetch_all(&pool)
        .await
        .expect("indexes");
        assert_eq!(
            indexes,
            [
                "record_history_by_record",
                "record_refs_by_target",
                "records_by_partnership",
                "records_by_version"
            ]
        );
    }
}
