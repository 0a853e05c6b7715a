//! Pull cost: how long a device takes to pull ONE new change when the database holds 1,000
//! records and when it holds 100,000. A pull reads from its cursor in version order, so the
//! two should cost about the same; what would make the larger dearer is work proportional to
//! the whole database in every pull (the reader's scope, the gated records' readers).
//!
//! For each size: a fresh database with the demo data (the server in-process, real HTTP on
//! 127.0.0.1), filled to exactly that many records with organisations pushed through the
//! ordinary push as an administrator (organisations, not answers, so that filling does not
//! refresh the published results 200 times), and the demo partnership manager's device pulled
//! up to date. Then, 200 times in turn on the two databases (so both see the same load on a
//! shared machine): one organisation is changed (through the push, not timed) and the device
//! pulls it (timed: the HTTP request to the parsed answer, which must hold exactly that one
//! change). The figure is the median.
//!
//! Prints `BENCH pull_one_change_1000_records`, `BENCH pull_one_change_100000_records` (ms)
//! and `BENCH pull_cost_ratio` (the second over the first; 1 is flat). Run it in release:
//! `cargo run --release -p atlas-backend --example pull_bench [-- --database-url <url>]`
//! (default: fresh SQLite files; `{db}` in the URL becomes a name per database and run, and
//! the databases are dropped when the run ends).

#[path = "support/mod.rs"]
mod support;

use std::path::Path;
use std::time::Instant;

use anyhow::{Context as _, bail};
use atlas_backend::db::Sender;
use atlas_backend::{Config, Server};
use atlas_shared::accounts::{Grants, Principal, Role};
use atlas_shared::{
    Entity, EntityKind, MAX_MUTATIONS_PER_PUSH, Mutation, MutationId, Op, Organisation, Outcome,
    PartnershipId, PullResponse, Sector, Seq, uuid_v7,
};
use serde_json::{Map, Value};
use support::BenchDatabase;
use uuid::Uuid;

const SIZES: [u64; 2] = [1_000, 100_000];
const PULLS: usize = 200;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir().context("a temporary folder")?;
    let databases = SIZES
        .iter()
        .map(|size| BenchDatabase::new(dir.path(), &format!("pull_bench_{size}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut measured = measure(&databases, dir.path()).await;
    for database in &databases {
        measured = database.drop_after(measured).await;
    }
    measured
}

/// Fills a database of each size, then times the pulls (see the module docs).
async fn measure(databases: &[BenchDatabase], dir: &Path) -> anyhow::Result<()> {
    let mut devices = Vec::new();
    for (size, database) in SIZES.into_iter().zip(databases) {
        devices.push(Device::up_to_date(database, dir, size).await?);
    }
    // In turns, so both sizes see the same load on a shared machine.
    let mut times = vec![Vec::with_capacity(PULLS); SIZES.len()];
    for n in 0..PULLS {
        for (device, times) in devices.iter_mut().zip(&mut times) {
            times.push(device.pull_one_change(n).await?);
        }
    }
    let mut medians = Vec::new();
    for ((size, device), mut times) in SIZES.iter().zip(devices).zip(times) {
        device.stop().await?;
        times.sort_by(f64::total_cmp);
        let median = support::quantile(&times, 0.5);
        println!(
            "holding {size} records: one new change pulled in {median:.2} ms (median of \
             {PULLS}; p95 {:.2} ms)",
            support::quantile(&times, 0.95)
        );
        medians.push(median);
    }
    for (size, median) in SIZES.iter().zip(&medians) {
        println!("BENCH pull_one_change_{size}_records {median:.2} ms");
    }
    println!(
        "BENCH pull_cost_ratio {:.2} ratio",
        medians[1] / medians[0].max(f64::EPSILON)
    );
    Ok(())
}

/// A server holding `size` records and the demo manager's device, pulled up to date.
struct Device {
    db: std::sync::Arc<dyn atlas_backend::Database>,
    admin: Sender,
    client: reqwest::Client,
    base: String,
    page: PullResponse,
    /// The organisation changed each time, and its version.
    record: Uuid,
    version: Seq,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Device {
    async fn up_to_date(database: &BenchDatabase, dir: &Path, size: u64) -> anyhow::Result<Self> {
        let url = database.url.clone();
        let mut config = Config::new("127.0.0.1:0".parse()?, url, dir.join("no-dist"));
        config.demo_data = true;
        let server = Server::start(&config).await?;
        let base = format!("http://{}", server.local_addr());
        let db = server.database();
        let demo = db.record_count().await?;
        if demo >= size {
            bail!("the demo data alone holds {demo} records, more than the {size} to measure");
        }
        let admin = Sender::new(
            Principal::User {
                id: Uuid::nil(),
                grants: Grants {
                    admin: true,
                    ..Default::default()
                },
            },
            "pull_bench".to_owned(),
            support::tablet_id(u32::MAX),
        );
        let (partnership, ..) = support::we_are_redditch()?;
        let fill: Vec<Mutation> = (0..size - demo)
            .map(|n| organisation(partnership, n))
            .collect();
        let mut changed = None;
        for batch in fill.chunks(MAX_MUTATIONS_PER_PUSH) {
            let results = db.push(admin.clone(), batch.to_vec()).await?;
            for result in &results {
                let Outcome::Applied { version, .. } = result.outcome else {
                    bail!("filling the database: {result:?}");
                };
                changed.get_or_insert((batch[0].record_id, version));
            }
        }
        let (record, version) = changed.context("nothing was filled")?;
        let held = db.record_count().await?;
        if held != size {
            bail!("the database holds {held} records, not {size}");
        }
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(server.run(async {
            let _ = stopped.await;
        }));
        let client = support::signed_in(&base, Some(Role::Manager)).await?;
        // The device's first sync, to the end.
        let mut page = support::pull(&client, &base, Seq(0), None).await?;
        while page.more {
            page = support::pull(&client, &base, page.cursor, Some(&page.scope)).await?;
        }
        Ok(Self {
            db,
            admin,
            client,
            base,
            page,
            record,
            version,
            stop,
            task,
        })
    }

    /// Changes the organisation (not timed), then pulls that one change (timed, in ms).
    async fn pull_one_change(&mut self, n: usize) -> anyhow::Result<f64> {
        let mut patch = Map::new();
        patch.insert(
            "description".to_owned(),
            Value::from(format!(
                "Revision {n} of the partnership's list of partners"
            )),
        );
        let edit = Mutation {
            id: MutationId(uuid_v7(support::START_MS + 1_000 + n as u64, [0x0e; 10])),
            kind: EntityKind::Organisation,
            record_id: self.record,
            op: Op::Upsert {
                base_version: Some(self.version),
                fields: patch,
            },
        };
        let result = self.db.push(self.admin.clone(), vec![edit]).await?;
        match result.first().map(|r| &r.outcome) {
            Some(Outcome::Applied { version, .. }) => self.version = *version,
            other => bail!("changing the organisation: {other:?}"),
        }
        let started = Instant::now();
        let next = support::pull(
            &self.client,
            &self.base,
            self.page.cursor,
            Some(&self.page.scope),
        )
        .await?;
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        if next.reset || next.changes.len() != 1 || next.changes[0].id != self.record || next.more {
            bail!(
                "pulled {} changes (reset: {}, more: {}), not the one organisation changed",
                next.changes.len(),
                next.reset,
                next.more
            );
        }
        self.page = next;
        Ok(elapsed)
    }

    async fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        self.task.await?
    }
}

/// The `n`th organisation of the filler, in `partnership`.
fn organisation(partnership: PartnershipId, n: u64) -> Mutation {
    let mut random = [0u8; 10];
    random[0] = 0x0f;
    random[2..].copy_from_slice(&n.to_be_bytes());
    let organisation = Entity::Organisation(Organisation {
        partnership_id: partnership,
        name: format!("Partner organisation {n}"),
        sector: [
            Sector::Public,
            Sector::Business,
            Sector::Community,
            Sector::Voluntary,
        ][(n % 4) as usize],
        named_partner: n.is_multiple_of(7),
        description: String::new(),
    });
    let mut id_random = random;
    id_random[1] = 0x01;
    Mutation {
        id: MutationId(uuid_v7(support::START_MS + n, random)),
        kind: EntityKind::Organisation,
        record_id: uuid_v7(support::START_MS + n, id_random),
        op: Op::Upsert {
            base_version: None,
            fields: organisation.to_fields(),
        },
    }
}
