//! Group commit: the pushes waiting for the writer are written together, in one transaction
//! and one commit.
//!
//! Pushes are written one at a time (SQLite's write lock, PostgreSQL's counter row), and each
//! ended in a durable commit: a flush to disk that takes tens of milliseconds whatever the
//! push holds. Fifty tablets pushing at once waited for fifty of them in a row. Now each
//! backend has one writer task ([`Writer::start`]); a push joins its queue, and whenever the
//! writer is free it takes every push waiting (up to [`GROUP_MUTATIONS`] mutations) and
//! writes them in one transaction ([`write_group`]):
//!
//! * **Each push in a savepoint of its own**, in the order they joined: it sees what the pushes
//!   before it wrote, takes the next positions of the change sequence, and is settled or
//!   refused exactly as when it had the transaction alone. A push refused as a whole (422, or
//!   a storage error of its own) is rolled back to its savepoint, and the change it refused is
//!   kept for a manager in the group's transaction; the pushes around it are unaffected.
//! * **One commit for the group.** Nobody hears "stored" before it: every push's answer waits
//!   for the commit. If the commit, or a savepoint statement itself, fails, nothing of the group
//!   is stored, and every push in it is answered with that failure (for a failure of the
//!   moment: 503 with `Retry-After`, and the devices send the same mutations again).
//! * **Commit order is still position order**: one writer per server, and the backend's lock
//!   (taken at the start of the group's transaction) keeps other servers out until the commit.
//!
//! The writer runs as a task of its own, not in the request that brought the push: a request
//! that times out or whose tablet goes away leaves its push to be written with the others (the
//! tablet's resend is then answered with the stored results), and does not cut the group short.
//!
//! **Pushes handed off** (`POST /api/sync/inbox`, see [`atlas_shared::sync`]) go through the
//! same writer: each turn it first stores every handed-off push waiting in the inbox, in one
//! transaction, and answers them; then it writes the pushes waiting for their results, as
//! above; then it applies pushes from the inbox, oldest first, about [`INBOX_MUTATIONS`] at a
//! time, each exactly as a push ([`apply_inbox`]). A handed-off push therefore waits for at
//! most one group before it is stored, however many are queued to be applied. The inbox is in
//! the database, so a push received by a server that stopped before applying it is applied by
//! the next writer to look: at start-up, after each receipt, and every [`INBOX_LOOK`] while
//! idle (another server's receipts).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use atlas_shared::{FieldError, Mutation, MutationResult};
use sqlx::{Acquire as _, Transaction};
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use super::inbox::{mutations_from_json, sender_from_json};
use super::push::{PushStore, Sender, push_in, refused_mutation};
use super::{DbError, PushError};

/// The most mutations one group writes: four full pushes. Enough that a crowd of tablets
/// shares a handful of commits; few enough that the first push in a group does not wait long
/// for the last.
pub(crate) const GROUP_MUTATIONS: usize = 4 * atlas_shared::MAX_MUTATIONS_PER_PUSH;

/// The most mutations from the inbox one turn of the writer applies, as a group of pushes
/// does. A push handed off meanwhile does not wait for them all: the turn ends after the push
/// being applied (see [`apply_inbox`]), and the writer takes turn after turn while the inbox
/// holds more.
pub(crate) const INBOX_MUTATIONS: usize = GROUP_MUTATIONS;

/// How often an idle writer looks in the inbox for pushes another server received and has not
/// applied (it stopped first).
pub(crate) const INBOX_LOOK: Duration = Duration::from_secs(5);

/// How long the writer waits before it tries the inbox again after a failure (the database
/// unavailable for a moment).
const INBOX_RETRY: Duration = Duration::from_secs(1);

/// What a push is answered with.
pub(crate) type Pushed = Result<Vec<MutationResult>, PushError>;

/// What a handed-off push is answered with: stored in the inbox, or why not.
pub(crate) type Received = Result<(), DbError>;

/// A push handed off, waiting to be stored in the inbox: the request's body as sent (a
/// [`PushRequest`](atlas_shared::PushRequest), already checked), which takes a fraction of
/// the memory of its parsed mutations while it waits.
pub(crate) struct Handing {
    pub(crate) sender: Sender,
    pub(crate) body: String,
    reply: oneshot::Sender<Received>,
}

/// A push in the inbox, as stored: its row, who sent it and the request's body (JSON).
pub(crate) struct InboxRow {
    pub(crate) id: i64,
    pub(crate) sender: String,
    pub(crate) mutations: String,
}

/// What the writer's queue holds.
enum Job {
    Push(Waiting),
    Hand(Handing),
}

/// A push waiting for the writer.
pub(crate) struct Waiting {
    pub(crate) sender: Sender,
    pub(crate) mutations: Vec<Mutation>,
    reply: oneshot::Sender<Pushed>,
}

impl Waiting {
    /// A push to queue, and where its answer will come.
    fn new(sender: Sender, mutations: Vec<Mutation>) -> (Self, oneshot::Receiver<Pushed>) {
        let (reply, answer) = oneshot::channel();
        let waiting = Self {
            sender,
            mutations,
            reply,
        };
        (waiting, answer)
    }
}

/// How a backend writes: each opens its writing transaction (taking its writers' lock) and
/// hands it to [`write_group`], [`receive`] or [`apply_inbox`].
pub(crate) trait GroupWrite: Send + Sync + 'static {
    fn write(&self, group: &[Waiting]) -> impl Future<Output = Vec<Pushed>> + Send;
    /// Stores the handed-off pushes in the inbox, in one transaction.
    fn receive(&self, handed: &[Handing]) -> impl Future<Output = Received> + Send;
    /// Applies pushes from the inbox, oldest first, until about `budget` mutations are
    /// applied or `handed` is set: whether the inbox may hold more.
    fn apply_inbox(
        &self,
        budget: usize,
        handed: &AtomicBool,
    ) -> impl Future<Output = Result<bool, DbError>> + Send;
}

/// The inbox's statements, in a backend's writing transaction.
pub(crate) trait InboxStore {
    /// Adds a push (the request's body) to the inbox, after every push already there.
    fn add_to_inbox(
        &mut self,
        sender: &Sender,
        body: &str,
    ) -> impl Future<Output = Result<(), DbError>> + Send;
    /// The push that has waited longest, if any.
    fn oldest_in_inbox(&mut self)
    -> impl Future<Output = Result<Option<InboxRow>, DbError>> + Send;
    /// Takes an applied push out of the inbox.
    fn remove_from_inbox(&mut self, id: i64) -> impl Future<Output = Result<(), DbError>> + Send;
}

/// What a backend's transaction does besides the push's own statements: keep a change refused
/// as invalid among the refused changes a manager sees (once per mutation id).
pub(crate) trait KeepRefused {
    fn keep_refused(
        &mut self,
        device: &str,
        mutation: &Mutation,
        message: &str,
        fields: &[FieldError],
    ) -> impl Future<Output = Result<(), DbError>> + Send;
}

/// The queue in front of a backend's writer task.
pub(crate) struct Writer<W> {
    queue: mpsc::UnboundedSender<Job>,
    backend: Arc<W>,
    /// Set when a push is handed off: the writer stops applying the inbox after the push it
    /// is at, and stores the new one first.
    handed: Arc<AtomicBool>,
}

impl<W: GroupWrite> Writer<W> {
    /// Starts the writer task for `backend` (on the current tokio runtime). It ends when the
    /// `Writer` is dropped and the pushes already queued are written.
    pub(crate) fn start(backend: W) -> Self {
        let (queue, waiting) = mpsc::unbounded_channel();
        let backend = Arc::new(backend);
        let handed = Arc::new(AtomicBool::new(false));
        tokio::spawn(run(Arc::clone(&backend), waiting, Arc::clone(&handed)));
        Self {
            queue,
            backend,
            handed,
        }
    }

    /// Writes a push of the server's own at start-up (the demo data), before it serves, in the
    /// caller's task: a group of one, under the same lock as the writer's groups. What it
    /// takes is then freed by the thread that allocated it; written by the writer task on a
    /// runtime thread that then sleeps, the demo's push left about 9 MB held at rest.
    pub(crate) async fn push_here(&self, sender: Sender, mutations: Vec<Mutation>) -> Pushed {
        let (waiting, _answer) = Waiting::new(sender, mutations);
        let mut results = self.backend.write(std::slice::from_ref(&waiting)).await;
        results.pop().unwrap_or(Err(DbError::WriterStopped.into()))
    }

    /// Queues a push and waits for its answer, which comes once its group has committed (or
    /// failed).
    pub(crate) async fn push(&self, sender: Sender, mutations: Vec<Mutation>) -> Pushed {
        let (waiting, answer) = Waiting::new(sender, mutations);
        if self.queue.send(Job::Push(waiting)).is_err() {
            return Err(DbError::WriterStopped.into());
        }
        // The writer drops the reply unanswered only if it stopped mid-group (a bug: a panic);
        // the group's transaction then rolled back, so nothing of the push was stored.
        answer.await.unwrap_or(Err(DbError::WriterStopped.into()))
    }

    /// Queues a push to be stored in the inbox and waits until it is (or is not): its
    /// mutations are applied later, in turn ([`apply_inbox`]).
    pub(crate) async fn hand_off(&self, sender: Sender, body: String) -> Received {
        let (reply, answer) = oneshot::channel();
        let handing = Handing {
            sender,
            body,
            reply,
        };
        if self.queue.send(Job::Hand(handing)).is_err() {
            return Err(DbError::WriterStopped);
        }
        self.handed.store(true, Ordering::Release);
        answer.await.unwrap_or(Err(DbError::WriterStopped))
    }
}

/// The writer task: each turn stores the handed-off pushes waiting, writes the pushes waiting
/// for their results as one group, and applies some of the inbox (see the module docs).
async fn run<W: GroupWrite>(
    backend: Arc<W>,
    mut jobs: mpsc::UnboundedReceiver<Job>,
    handed_now: Arc<AtomicBool>,
) {
    let mut held: Option<Waiting> = None;
    // At start-up the inbox may hold pushes a stopped server received.
    let mut inbox_next = Some(Instant::now());
    loop {
        let mut handed = Vec::new();
        let mut group = Vec::new();
        let mut size = 0;
        if let Some(first) = held.take() {
            size = first.mutations.len();
            group.push(first);
        }
        if group.is_empty() && inbox_next.is_none_or(|at| at > Instant::now()) {
            // Nothing to do until a job comes, or it is time to look in the inbox.
            let look = inbox_next.unwrap_or_else(|| Instant::now() + INBOX_LOOK);
            match tokio::time::timeout_at(look, jobs.recv()).await {
                Ok(Some(job)) => take(job, &mut handed, &mut group, &mut size, &mut held),
                Ok(None) => return,
                Err(_) => inbox_next = Some(Instant::now()),
            }
        }
        // Cleared before the queue is read: a push handed off after this sets it again.
        handed_now.store(false, Ordering::Release);
        while held.is_none()
            && let Ok(job) = jobs.try_recv()
        {
            take(job, &mut handed, &mut group, &mut size, &mut held);
        }
        if !handed.is_empty() {
            tracing::debug!(pushes = handed.len(), "storing pushes handed off");
            let stored = backend.receive(&handed).await;
            if stored.is_ok() {
                inbox_next = Some(Instant::now());
            }
            let stored = stored.map_err(Arc::new);
            for handing in handed {
                let _ = handing.reply.send(stored.clone().map_err(DbError::Shared));
            }
        }
        if !group.is_empty() {
            write_in_task(&backend, group, size).await;
        }
        if inbox_next.is_some_and(|at| at <= Instant::now()) {
            inbox_next = match backend.apply_inbox(INBOX_MUTATIONS, &handed_now).await {
                Ok(true) => Some(Instant::now()),
                Ok(false) => None,
                Err(e) => {
                    tracing::warn!(error = %e, "the inbox could not be applied; trying again soon");
                    Some(Instant::now() + INBOX_RETRY)
                }
            };
        }
    }
}

/// Sorts a job from the queue: a push to hand off, or one more push for the group (held
/// back for the next group if the group is full).
fn take(
    job: Job,
    handed: &mut Vec<Handing>,
    group: &mut Vec<Waiting>,
    size: &mut usize,
    held: &mut Option<Waiting>,
) {
    match job {
        Job::Hand(handing) => handed.push(handing),
        Job::Push(next) if !group.is_empty() && *size + next.mutations.len() > GROUP_MUTATIONS => {
            *held = Some(next);
        }
        Job::Push(next) => {
            *size += next.mutations.len();
            group.push(next);
        }
    }
}

/// Writes a group of pushes and answers each, in a task of its own, so a panic (a bug) ends
/// this group alone: its replies are dropped and its pushes answered as not stored, and the
/// writer goes on with the next group.
async fn write_in_task<W: GroupWrite>(backend: &Arc<W>, group: Vec<Waiting>, size: usize) {
    tracing::debug!(
        pushes = group.len(),
        mutations = size,
        "writing a group of pushes"
    );
    let backend = Arc::clone(backend);
    let written = tokio::spawn(async move {
        let results = backend.write(&group).await;
        for (push, result) in group.into_iter().zip(results) {
            // A push whose request has gone (timed out, the tablet went away) is stored
            // all the same; its resend is answered with the stored results.
            let _ = push.reply.send(result);
        }
    })
    .await;
    if let Err(e) = written {
        tracing::error!(error = %e, "a group of pushes failed in the writer; none was stored");
    }
}

/// Writes `group` in `tx` (the backend's writing transaction, its lock taken), each push in a
/// savepoint of its own, then commits: one result per push, in order (see the module docs).
pub(crate) async fn write_group<DB>(
    mut tx: Transaction<'static, DB>,
    group: &[Waiting],
) -> Vec<Pushed>
where
    DB: sqlx::Database,
    for<'t> Transaction<'t, DB>: PushStore + KeepRefused,
{
    let mut results = Vec::with_capacity(group.len());
    for push in group {
        match in_savepoint(&mut tx, &push.sender, &push.mutations).await {
            Ok(result) => results.push(result),
            // The transaction itself failed: nothing of the group can be stored.
            Err(e) => return failed_all(group, e),
        }
    }
    match tx.commit().await {
        Ok(()) => results,
        Err(e) => failed_all(group, e.into()),
    }
}

/// Applies one push in a savepoint of `tx`: released if it succeeds, rolled back (and the
/// change it refused kept) if it is refused. `Err` only when a savepoint statement fails.
async fn in_savepoint<DB>(
    tx: &mut Transaction<'static, DB>,
    sender: &Sender,
    mutations: &[Mutation],
) -> Result<Pushed, DbError>
where
    DB: sqlx::Database,
    for<'t> Transaction<'t, DB>: PushStore + KeepRefused,
{
    let mut savepoint = tx.begin().await?;
    let result = push_in(&mut savepoint, sender, mutations).await;
    match result {
        Ok(_) => savepoint.commit().await?,
        Err(_) => savepoint.rollback().await?,
    }
    if let Some((refused, message, fields)) = refused_mutation(&result, mutations) {
        tx.keep_refused(&sender.device, refused, message, fields)
            .await?;
    }
    Ok(result)
}

/// Stores `handed` in the inbox in `tx` (the backend's writing transaction) and commits.
pub(crate) async fn receive<DB>(mut tx: Transaction<'static, DB>, handed: &[Handing]) -> Received
where
    DB: sqlx::Database,
    for<'t> Transaction<'t, DB>: InboxStore,
{
    for handing in handed {
        tx.add_to_inbox(&handing.sender, &handing.body).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Applies pushes from the inbox in `tx` (the backend's writing transaction, its lock taken),
/// oldest first, until about `budget` mutations are applied or a push is `handed` off (it is
/// stored before more are applied), and commits: whether the inbox may hold more. Each push is
/// applied as a push is, in a savepoint of its own; if it is refused whole, the change that
/// made it invalid is kept for a manager (its fate: refused) and the rest of the push is
/// applied without it, as a device does when a push is refused. A push that fails for good
/// (not a failure of the moment) has all its changes kept as refused, so it cannot hold up
/// the pushes behind it.
/// Nothing is taken out of the inbox but in the transaction that applied it, and applying a
/// push again changes nothing (its ids are settled), so a push is applied exactly once
/// whatever stops the server.
pub(crate) async fn apply_inbox<DB>(
    mut tx: Transaction<'static, DB>,
    budget: usize,
    handed: &AtomicBool,
) -> Result<bool, DbError>
where
    DB: sqlx::Database,
    for<'t> Transaction<'t, DB>: PushStore + KeepRefused + InboxStore,
{
    let mut applied = 0;
    let more = loop {
        if applied >= budget || handed.load(Ordering::Acquire) {
            break true;
        }
        let Some(row) = tx.oldest_in_inbox().await? else {
            break false;
        };
        let read = sender_from_json(&row.sender)
            .and_then(|sender| Ok((sender, mutations_from_json(&row.mutations)?)));
        let (sender, mut mutations) = match read {
            Ok(push) => push,
            Err(e) => {
                // Kept, it would hold up every push behind it for good. Its device still
                // holds its changes until it learns their fate: told they are unknown, it
                // sends them again.
                tracing::error!(error = %e, row = row.id, "a push in the inbox cannot be read; \
                    it is taken out, and its device will send it again");
                tx.remove_from_inbox(row.id).await?;
                continue;
            }
        };
        applied += mutations.len().max(1);
        while !mutations.is_empty() {
            let failure = match in_savepoint(&mut tx, &sender, &mutations).await? {
                Ok(_) => break,
                Err(
                    PushError::Invalid { mutation_id, .. }
                    | PushError::TooLarge { mutation_id, .. },
                ) => {
                    let before = mutations.len();
                    mutations.retain(|m| m.id != mutation_id);
                    if mutations.len() < before {
                        continue;
                    }
                    // A bug: the refusal names no change of the push, so none can be set
                    // aside and the push would be refused the same for ever.
                    DbError::Corrupt(format!(
                        "the push refused a mutation it does not hold ({mutation_id})"
                    ))
                }
                Err(PushError::Database(e)) if e.is_transient() => return Err(e),
                Err(PushError::Database(e)) => e,
            };
            // A failure of this push, not of the moment: tried again it would fail again, and
            // hold up every push behind it. Each of its changes is kept for a manager, refused
            // with the reason, and its device holds them for the person to see and decide.
            tracing::error!(error = %failure, row = row.id, "a push in the inbox could not be \
                applied; its changes are kept as refused");
            let message = format!(
                "The server could not apply this change ({failure}). It is kept on the server \
                 for a manager, and on this device to send again or save."
            );
            for m in &mutations {
                tx.keep_refused(&sender.device, m, &message, &[]).await?;
            }
            break;
        }
        tx.remove_from_inbox(row.id).await?;
    };
    tx.commit().await?;
    Ok(more)
}

/// Every push of `group` answered with the failure `e` that stopped it.
pub(crate) fn failed_all(group: &[Waiting], e: DbError) -> Vec<Pushed> {
    tracing::warn!(error = %e, pushes = group.len(), "a group of pushes was not stored");
    let e = Arc::new(e);
    group
        .iter()
        .map(|_| Err(DbError::Shared(Arc::clone(&e)).into()))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use atlas_shared::accounts::{Grants, Principal};
    use atlas_shared::domain::Partnership;
    use atlas_shared::{DeviceId, Entity, EntityKind, MutationId, Op, Outcome};
    use serde_json::{Value, json};
    use uuid::Uuid;

    use super::*;
    use crate::db::Database as _;
    use crate::db::sqlite::SqliteDatabase;

    /// A new id, distinct within this test: `n` in the random part.
    fn id(n: u8) -> Uuid {
        let mut random = [0; 10];
        random[9] = n;
        atlas_shared::uuid_v7(1_767_225_600_000, random)
    }

    pub(crate) fn admin() -> Sender {
        let admin = Principal::User {
            id: Uuid::nil(),
            grants: Grants {
                admin: true,
                ..Grants::default()
            },
        };
        Sender::new(admin, "test".to_owned(), DeviceId(id(0)))
    }

    pub(crate) fn partnership(n: u8, name: &str, extra: Option<(&str, Value)>) -> Mutation {
        let mut fields = Entity::Partnership(Partnership {
            name: name.into(),
            area: "Borough of Redditch".into(),
            description: String::new(),
            published: true,
            archived: false,
        })
        .to_fields();
        if let Some((key, value)) = extra {
            fields.insert(key.to_owned(), value);
        }
        Mutation {
            id: MutationId(id(2 * n)),
            kind: EntityKind::Partnership,
            record_id: id(2 * n + 1),
            op: Op::Upsert {
                base_version: None,
                fields,
            },
        }
    }

    /// Three pushes in one group, the middle one refused as a whole: the pushes around it are
    /// stored at consecutive positions, nothing of it is, and its refused change is kept.
    #[tokio::test]
    async fn a_push_refused_in_a_group_leaves_the_others_stored() {
        let db = SqliteDatabase::connect("sqlite::memory:")
            .await
            .expect("an in-memory database");
        let before = partnership(1, "Before", None);
        let refused = vec![
            partnership(2, "Fine, but with a refused neighbour", None),
            partnership(3, "Refused", Some(("colour", json!("green")))),
        ];
        let after = partnership(4, "After", None);
        let pushes = [vec![before.clone()], refused.clone(), vec![after.clone()]];
        let group: Vec<Waiting> = pushes
            .into_iter()
            .map(|mutations| Waiting::new(admin(), mutations).0)
            .collect();
        let tx = db
            .pool()
            .begin_with("BEGIN IMMEDIATE")
            .await
            .expect("a transaction");
        let results = write_group(tx, &group).await;

        let applied = |pushed: &Pushed| match pushed {
            Ok(results) => match results.as_slice() {
                [result] => match result.outcome {
                    Outcome::Applied { version, .. } => version.0,
                    ref other => panic!("not applied: {other:?}"),
                },
                other => panic!("one result expected: {other:?}"),
            },
            Err(e) => panic!("refused: {e}"),
        };
        assert_eq!(results.len(), 3);
        let first = applied(&results[0]);
        assert!(
            matches!(&results[1], Err(PushError::Invalid { mutation_id, .. }) if *mutation_id == refused[1].id),
            "{:?}",
            results[1].as_ref().err()
        );
        assert_eq!(
            applied(&results[2]),
            first + 1,
            "positions run on past the refused push"
        );

        let stored: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM records WHERE kind = 'partnership' ORDER BY version",
        )
        .fetch_all(db.pool())
        .await
        .expect("the stored partnerships");
        let ids = |m: &[&Mutation]| {
            m.iter()
                .map(|m| m.record_id.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(stored, ids(&[&before, &after]));
        let settled: Vec<String> = sqlx::query_scalar("SELECT mutation_id FROM applied_mutations")
            .fetch_all(db.pool())
            .await
            .expect("the settled ids");
        assert_eq!(
            settled.len(),
            2,
            "the refused push's ids are not settled: {settled:?}"
        );
        let kept: Vec<String> = sqlx::query_scalar("SELECT mutation_id FROM refused_mutations")
            .fetch_all(db.pool())
            .await
            .expect("the refused changes");
        assert_eq!(kept, vec![refused[1].id.0.to_string()]);
    }

    /// `mutations` handed off by [`admin`], not yet stored.
    fn handing(mutations: Vec<Mutation>) -> Handing {
        let body = serde_json::to_string(&atlas_shared::PushRequest {
            protocol: atlas_shared::PROTOCOL_VERSION,
            device_id: DeviceId(id(0)),
            mutations,
        })
        .expect("a push's body");
        Handing {
            sender: admin(),
            body,
            reply: oneshot::channel().0,
        }
    }

    /// Stores `handed` in `db`'s inbox as the writer does, without waking the writer: they
    /// are applied when a server next starts on the database.
    async fn leave_in_inbox(db: &SqliteDatabase, handed: &[Handing]) {
        let tx = db
            .pool()
            .begin_with("BEGIN IMMEDIATE")
            .await
            .expect("a transaction");
        receive(tx, handed).await.expect("stored in the inbox");
    }

    /// Stops the server's use of `db` (at `url`) and starts it again: the writer applies
    /// what the inbox holds at start-up.
    async fn restart(db: SqliteDatabase, url: &str) -> SqliteDatabase {
        db.close().await;
        drop(db);
        SqliteDatabase::connect(url)
            .await
            .expect("the database again")
    }

    /// Waits until none of `ids` is pending in the inbox, and says their fates.
    async fn settled_fates(
        db: &SqliteDatabase,
        ids: &[MutationId],
    ) -> Vec<atlas_shared::MutationFate> {
        let started = std::time::Instant::now();
        loop {
            let fates = db.fates(&admin().device, ids).await.expect("the fates");
            if fates.iter().all(|f| f.fate != atlas_shared::Fate::Pending) {
                return fates;
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "not applied at start-up: {fates:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// A push in the inbox that cannot be read (a body cut short), and one that fails in the
    /// database for a reason of its own, not of the moment (here a trigger, as a broken
    /// constraint would): neither holds up the push behind them. The first is taken out (its
    /// device, told its changes are unknown, sends them again); the second's changes are kept
    /// as refused, so its device holds them for the person.
    #[tokio::test]
    async fn a_push_that_can_never_be_applied_does_not_hold_up_the_inbox() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}", dir.path().join("atlas.db").display());
        let db = SqliteDatabase::connect(&url).await.expect("a database");
        sqlx::query(
            "CREATE TRIGGER no_cursed BEFORE INSERT ON records \
             WHEN NEW.fields LIKE '%Cursed%' BEGIN SELECT RAISE(ABORT, 'cursed'); END",
        )
        .execute(db.pool())
        .await
        .expect("the trigger");
        let mut cut = handing(vec![partnership(4, "Cut short", None)]);
        cut.body.truncate(cut.body.len() / 2);
        let cursed = vec![
            partnership(5, "Cursed", None),
            partnership(6, "Beside the cursed", None),
        ];
        let fine = vec![partnership(7, "Fine", None)];
        let ids: Vec<_> = cursed.iter().chain(&fine).map(|m| m.id).collect();
        leave_in_inbox(&db, &[cut, handing(cursed), handing(fine)]).await;
        let db = restart(db, &url).await;
        let fates = settled_fates(&db, &ids).await;
        for fate in &fates[..2] {
            let atlas_shared::Fate::Refused { error } = &fate.fate else {
                panic!("the cursed push's changes are refused: {fates:?}");
            };
            assert!(error.error.contains("could not apply"), "{error:?}");
        }
        assert!(
            matches!(
                fates[2].fate,
                atlas_shared::Fate::Settled {
                    outcome: Outcome::Applied { .. }
                }
            ),
            "{fates:?}"
        );
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT json_extract(fields, '$.name') FROM records WHERE kind = 'partnership' \
             AND json_extract(fields, '$.name') IN ('Cut short', 'Cursed', 'Beside the cursed', 'Fine')",
        )
        .fetch_all(db.pool())
        .await
        .expect("the partnerships");
        assert_eq!(names, vec!["Fine".to_owned()]);
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inbox")
            .fetch_one(db.pool())
            .await
            .expect("the inbox");
        assert_eq!(left, 0);
        let unknown = db
            .fates(&admin().device, &[partnership(4, "Cut short", None).id])
            .await
            .expect("the fates");
        assert_eq!(unknown[0].fate, atlas_shared::Fate::Unknown);
    }

    /// A push stored in the inbox by a server that stopped before applying it: pending until
    /// then, applied by the next server to start on the database, exactly once.
    #[tokio::test]
    async fn a_push_left_in_the_inbox_is_applied_by_the_next_server() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}", dir.path().join("atlas.db").display());
        let db = SqliteDatabase::connect(&url).await.expect("a database");
        let pushed = vec![
            partnership(5, "Left in the inbox", None),
            partnership(6, "Left there too", None),
        ];
        let ids: Vec<_> = pushed.iter().map(|m| m.id).collect();
        leave_in_inbox(&db, &[handing(pushed)]).await;
        let device = admin().device;
        let fates = db.fates(&device, &ids).await.expect("the fates");
        assert!(
            fates.iter().all(|f| f.fate == atlas_shared::Fate::Pending),
            "{fates:?}"
        );
        let db = restart(db, &url).await;
        let fates = settled_fates(&db, &ids).await;
        assert!(
            fates.iter().all(|f| matches!(
                f.fate,
                atlas_shared::Fate::Settled {
                    outcome: Outcome::Applied { .. }
                }
            )),
            "{fates:?}"
        );
        let stored: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM records WHERE kind = 'partnership'")
                .fetch_one(db.pool())
                .await
                .expect("the count");
        assert_eq!(stored, 2);
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inbox")
            .fetch_one(db.pool())
            .await
            .expect("the inbox");
        assert_eq!(left, 0);
    }
}
