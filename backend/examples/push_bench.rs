//! How long one device takes to push 10,000 consultation responses to a real server: the
//! server in-process (`Server::start`) on a temporary SQLite file, with the demo data loaded
//! (the responses answer the "We Are Redditch" questionnaire), over real HTTP to 127.0.0.1 in
//! batches of `MAX_MUTATIONS_PER_PUSH`, as a tablet's outbox would after a day offline.
//!
//! Beside it, in the same run, the physical limit: the same 10,000 responses' fields inserted
//! straight into a SQLite table with sqlx, one row each, in the same transactions (20 of 500),
//! on a file opened exactly as the server opens its own (`db::sqlite::connect_options`: WAL and
//! the same `synchronous`), the JSON made before the clock starts. What the push costs above
//! that is HTTP, JSON, the checks, the change sequence, the history and the mutation ids.
//!
//! Prints `BENCH push_10000_responses <ms> ms`, `BENCH push_10000_responses_raw_insert <ms> ms`
//! and `BENCH push_vs_raw_ratio <x> ratio` (read by `cargo xtask bench`). Run it in release:
//! `cargo run --release -p atlas-backend --example push_bench`.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use atlas_backend::db::sqlite::connect_options;
use atlas_backend::{Config, Server, demo};
use atlas_shared::consultation::{AnswerValue, Channel, Response};
use atlas_shared::{
    ConsultationEventId, ConsultationId, DeviceId, Entity, EntityKind, MAX_MUTATIONS_PER_PUSH,
    Mutation, MutationId, Op, Outcome, PROTOCOL_VERSION, PartnershipId, PushRequest, PushResponse,
    QuestionnaireId, uuid_v7,
};
use uuid::Uuid;

const RESPONSES: usize = 10_000;
/// 6 January 2010, when the tablet's answers start.
const START_MS: u64 = 1_262_736_000_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir().context("a temporary folder")?;
    let mut config = Config::new(
        "127.0.0.1:0".parse()?,
        format!("sqlite://{}", dir.path().join("atlas.db").display()),
        dir.path().join("no-dist"),
    );
    config.demo_data = true;
    let server = Server::start(&config).await?;
    let base = format!("http://{}", server.local_addr());
    let db = server.database();
    let before = db.record_count().await?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(server.run(async {
        let _ = stopped.await;
    }));

    let tablet = DeviceId(uuid_v7(START_MS, [0xda; 10]));
    let mutations = responses(tablet)?;
    // The tablet's staff member signs in first (before the clock starts), as at an event.
    let client = reqwest::Client::builder()
        .no_proxy()
        .cookie_store(true)
        .build()?;
    let staff =
        atlas_shared::seeds::demo_user(Some(atlas_shared::accounts::Role::ConsultationStaff));
    let signed_in = client
        .post(format!("{base}/api/session"))
        .json(&atlas_shared::accounts::SignIn {
            email: staff.email.to_owned(),
            password: atlas_shared::seeds::DEMO_PASSWORD.to_owned(),
            code: None,
        })
        .send()
        .await?;
    if !signed_in.status().is_success() {
        bail!("signing in answered {}", signed_in.status());
    }

    let started = Instant::now();
    for batch in mutations.chunks(MAX_MUTATIONS_PER_PUSH) {
        let reply = client
            .post(format!("{base}/api/sync/push"))
            .json(&PushRequest {
                protocol: PROTOCOL_VERSION,
                device_id: tablet,
                mutations: batch.to_vec(),
            })
            .send()
            .await?;
        let status = reply.status();
        let text = reply.text().await?;
        if !status.is_success() {
            bail!("push answered {status}: {text}");
        }
        let pushed: PushResponse = serde_json::from_str(&text)?;
        if let Some(refused) = pushed
            .results
            .iter()
            .find(|r| !matches!(r.outcome, Outcome::Applied { .. }))
        {
            bail!("a response was not applied: {refused:?}");
        }
    }
    let elapsed = started.elapsed();

    let stored = db.record_count().await? - before;
    if stored != RESPONSES as u64 {
        bail!("expected {RESPONSES} new records, the server stored {stored}");
    }
    let _ = stop.send(());
    task.await??;
    let raw = raw_insert(&dir.path().join("raw.db"), &mutations).await?;
    println!(
        "pushed {RESPONSES} responses in {} pushes of up to {MAX_MUTATIONS_PER_PUSH}; the raw \
         baseline inserted the same rows in as many transactions",
        RESPONSES.div_ceil(MAX_MUTATIONS_PER_PUSH)
    );
    println!("BENCH push_10000_responses {:.2} ms", millis(elapsed));
    println!(
        "BENCH push_10000_responses_raw_insert {:.2} ms",
        millis(raw)
    );
    println!(
        "BENCH push_vs_raw_ratio {:.2} ratio",
        elapsed.as_secs_f64() / raw.as_secs_f64().max(f64::EPSILON)
    );
    Ok(())
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The physical limit (see the module docs): the responses' ids and fields inserted into one
/// table, one transaction per batch of `MAX_MUTATIONS_PER_PUSH`, on a file opened as the
/// server opens its own.
async fn raw_insert(path: &Path, mutations: &[Mutation]) -> anyhow::Result<Duration> {
    let rows: Vec<(String, String)> = mutations
        .iter()
        .map(|m| match &m.op {
            Op::Upsert { fields, .. } => {
                Ok((m.record_id.to_string(), serde_json::to_string(fields)?))
            }
            Op::Delete { .. } => bail!("the benchmark only creates responses"),
        })
        .collect::<anyhow::Result<_>>()?;
    let options = connect_options(&format!("sqlite://{}", path.display()))?;
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    sqlx::query(
        "CREATE TABLE raw_responses (id TEXT PRIMARY KEY, fields TEXT NOT NULL) WITHOUT ROWID",
    )
    .execute(&pool)
    .await?;
    let started = Instant::now();
    for batch in rows.chunks(MAX_MUTATIONS_PER_PUSH) {
        let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        for (id, fields) in batch {
            sqlx::query("INSERT INTO raw_responses (id, fields) VALUES (?, ?)")
                .bind(id)
                .bind(fields)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
    let elapsed = started.elapsed();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM raw_responses")
        .fetch_one(&pool)
        .await?;
    if n != RESPONSES as i64 {
        bail!("the raw baseline stored {n} rows, not {RESPONSES}");
    }
    pool.close().await;
    Ok(elapsed)
}

/// The ids of the demo's "We Are Redditch" consultation, event and questionnaire version 1.
fn we_are_redditch() -> anyhow::Result<(
    PartnershipId,
    ConsultationId,
    ConsultationEventId,
    QuestionnaireId,
)> {
    let demo = demo::demo_mutations();
    let record = |kind: EntityKind| {
        demo.iter()
            .find(|m| m.kind == kind)
            .map(|m| m.record_id)
            .with_context(|| format!("the demo has no {}", kind.noun()))
    };
    let questionnaire = demo
        .iter()
        .find(|m| m.kind == EntityKind::Questionnaire)
        .context("the demo has no questionnaire")?;
    let Op::Upsert { fields, .. } = &questionnaire.op else {
        bail!("the demo questionnaire is not an upsert");
    };
    let Ok(Entity::Questionnaire(q)) = Entity::from_fields(EntityKind::Questionnaire, fields)
    else {
        bail!("the demo questionnaire does not parse");
    };
    Ok((
        q.partnership_id,
        ConsultationId(record(EntityKind::Consultation)?),
        ConsultationEventId(record(EntityKind::ConsultationEvent)?),
        QuestionnaireId(questionnaire.record_id),
    ))
}

/// 10,000 valid, varied responses captured on one tablet, a few seconds apart.
fn responses(tablet: DeviceId) -> anyhow::Result<Vec<Mutation>> {
    let (p, c, event, q) = we_are_redditch()?;
    let themes: Vec<String> = demo::DEMO_PRIORITY_THEMES
        .iter()
        .map(|(key, _)| (*key).to_owned())
        .collect();
    let ages = ["under_16", "16_24", "25_44", "45_64", "65_plus"];
    let districts = ["B96", "B97", "B98"];
    let id = |n: usize, tag: u8| -> Uuid {
        let mut random = [0u8; 10];
        random[0] = tag;
        random[6..].copy_from_slice(&(n as u32).to_be_bytes());
        uuid_v7(START_MS + n as u64 * 3_000, random)
    };
    Ok((0..RESPONSES)
        .map(|n| {
            let mut answers = vec![
                (
                    "priorities",
                    AnswerValue::Ranked(
                        (0..3)
                            .map(|k| themes[(n + k * (1 + n % 5)) % themes.len()].clone())
                            .collect::<std::collections::BTreeSet<_>>()
                            .into_iter()
                            .collect(),
                    ),
                ),
                (
                    "know_the_partnership",
                    AnswerValue::Scale((n % 5) as i8 - 2),
                ),
                ("postcode", AnswerValue::Postcode(districts[n % 3].into())),
                ("age_band", AnswerValue::One(ages[n % 5].into())),
            ];
            if n % 4 == 0 {
                answers.push((
                    "anything_else",
                    AnswerValue::Text(format!(
                        "Comment {n}: more for young people in the town centre"
                    )),
                ));
            }
            let response = Entity::Response(Response {
                partnership_id: p,
                consultation_id: c,
                questionnaire_id: q,
                event_id: Some(event),
                device_id: tablet,
                channel: Channel::StaffAssisted,
                captured_at: (START_MS + n as u64 * 3_000) as i64,
                answers: answers
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
                hidden: false,
                accepted: false,
                received_at: None,
                review: Vec::new(),
            });
            Mutation {
                id: MutationId(id(n, 0x4d)),
                kind: EntityKind::Response,
                record_id: id(n, 0x52),
                op: Op::Upsert {
                    base_version: None,
                    fields: response.to_fields(),
                },
            }
        })
        .collect())
}
