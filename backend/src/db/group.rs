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

use std::future::Future;
use std::sync::Arc;

use atlas_shared::{FieldError, Mutation, MutationResult};
use sqlx::{Acquire as _, Transaction};
use tokio::sync::{mpsc, oneshot};

use super::push::{PushStore, Sender, push_in, refused_mutation};
use super::{DbError, PushError};

/// The most mutations one group writes: four full pushes. Enough that a crowd of tablets
/// shares a handful of commits; few enough that the first push in a group does not wait long
/// for the last.
pub(crate) const GROUP_MUTATIONS: usize = 4 * atlas_shared::MAX_MUTATIONS_PER_PUSH;

/// What a push is answered with.
pub(crate) type Pushed = Result<Vec<MutationResult>, PushError>;

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

/// How a backend writes a group: it opens its writing transaction (taking its writers' lock)
/// and hands it to [`write_group`].
pub(crate) trait GroupWrite: Send + Sync + 'static {
    fn write(&self, group: &[Waiting]) -> impl Future<Output = Vec<Pushed>> + Send;
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
    queue: mpsc::UnboundedSender<Waiting>,
    backend: Arc<W>,
}

impl<W: GroupWrite> Writer<W> {
    /// Starts the writer task for `backend` (on the current tokio runtime). It ends when the
    /// `Writer` is dropped and the pushes already queued are written.
    pub(crate) fn start(backend: W) -> Self {
        let (queue, waiting) = mpsc::unbounded_channel();
        let backend = Arc::new(backend);
        tokio::spawn(run(Arc::clone(&backend), waiting));
        Self { queue, backend }
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
        if self.queue.send(waiting).is_err() {
            return Err(DbError::WriterStopped.into());
        }
        // The writer drops the reply unanswered only if it stopped mid-group (a bug: a panic);
        // the group's transaction then rolled back, so nothing of the push was stored.
        answer.await.unwrap_or(Err(DbError::WriterStopped.into()))
    }
}

/// The writer task: takes the pushes waiting, writes them as one group, answers each.
async fn run<W: GroupWrite>(backend: Arc<W>, mut waiting: mpsc::UnboundedReceiver<Waiting>) {
    let mut held: Option<Waiting> = None;
    loop {
        let first = match held.take() {
            Some(first) => first,
            None => match waiting.recv().await {
                Some(first) => first,
                None => return,
            },
        };
        let mut size = first.mutations.len();
        let mut group = vec![first];
        while let Ok(next) = waiting.try_recv() {
            if size + next.mutations.len() > GROUP_MUTATIONS {
                held = Some(next);
                break;
            }
            size += next.mutations.len();
            group.push(next);
        }
        tracing::debug!(
            pushes = group.len(),
            mutations = size,
            "writing a group of pushes"
        );
        // A task of its own, so a panic (a bug) ends this group alone: its replies are dropped
        // and its pushes answered as not stored, and the writer goes on with the next group.
        let backend = Arc::clone(&backend);
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
        match in_savepoint(&mut tx, push).await {
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
    push: &Waiting,
) -> Result<Pushed, DbError>
where
    DB: sqlx::Database,
    for<'t> Transaction<'t, DB>: PushStore + KeepRefused,
{
    let mut savepoint = tx.begin().await?;
    let result = push_in(&mut savepoint, &push.sender, &push.mutations).await;
    match result {
        Ok(_) => savepoint.commit().await?,
        Err(_) => savepoint.rollback().await?,
    }
    if let Some((refused, message, fields)) = refused_mutation(&result, &push.mutations) {
        tx.keep_refused(&push.sender.device, refused, message, fields)
            .await?;
    }
    Ok(result)
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
}
