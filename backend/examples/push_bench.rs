//! The sync ingest ratio: how fast one device pushes 10,000 consultation answers to a real
//! server, beside the physical limit, in the same run. The server runs in-process
//! (`Server::start`) on a fresh database with the demo data loaded (the answers are to the
//! "We Are Redditch" questionnaire), and the answers go over real HTTP to 127.0.0.1 in batches
//! of `MAX_MUTATIONS_PER_PUSH`, as a tablet's outbox would after a day offline.
//!
//! The physical limit: the same 10,000 answers' ids and fields inserted straight into one
//! table of the same kind of database with sqlx, one row each, in as many transactions (20 of
//! 500), on a connection opened exactly as the server opens its own (SQLite:
//! `db::sqlite::connect_options`, WAL and the same `synchronous`), the JSON made before the
//! clock starts. What the push costs above that is HTTP, JSON, the checks, the change
//! sequence, the history, the mutation ids and the refreshed published results.
//!
//! Prints `BENCH push_answers_per_s`, `BENCH raw_insert_rows_per_s` and
//! `BENCH sync_ingest_ratio` (answers per second over rows per second; 1 is the limit), read
//! by `cargo xtask bench`. Run it in release:
//! `cargo run --release -p atlas-backend --example push_bench [-- --database-url <url>]`
//! (default: a fresh SQLite file in a temporary folder; `{db}` in the URL names the database).

#[path = "support/mod.rs"]
mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use atlas_backend::db::sqlite::connect_options;
use atlas_backend::{Config, Server};
use atlas_shared::{MAX_MUTATIONS_PER_PUSH, Mutation, Op};

const RESPONSES: usize = 10_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir().context("a temporary folder")?;
    let url = support::database_url(dir.path(), "push_bench")?;
    let mut config = Config::new(
        "127.0.0.1:0".parse()?,
        url.clone(),
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

    let tablet = support::tablet_id(0);
    let mutations = support::answers(0, RESPONSES)?;
    // The tablet's staff member signs in first (before the clock starts), as at an event.
    let role = atlas_shared::accounts::Role::ConsultationStaff;
    let client = support::signed_in(&base, Some(role)).await?;

    let started = Instant::now();
    for batch in mutations.chunks(MAX_MUTATIONS_PER_PUSH) {
        support::push(&client, &base, tablet, batch).await?;
    }
    let elapsed = started.elapsed();

    let stored = db.record_count().await? - before;
    if stored != RESPONSES as u64 {
        bail!("expected {RESPONSES} new records, the server stored {stored}");
    }
    let _ = stop.send(());
    task.await??;
    let raw = raw_insert(&url, dir.path(), &mutations).await?;
    let pushed_rate = RESPONSES as f64 / elapsed.as_secs_f64();
    let raw_rate = RESPONSES as f64 / raw.as_secs_f64().max(f64::EPSILON);
    println!(
        "pushed {RESPONSES} answers in {} pushes of up to {MAX_MUTATIONS_PER_PUSH} in {:.0} ms; \
         the raw baseline inserted the same rows in as many transactions in {:.0} ms",
        RESPONSES.div_ceil(MAX_MUTATIONS_PER_PUSH),
        millis(elapsed),
        millis(raw)
    );
    println!("BENCH push_answers_per_s {pushed_rate:.0} answers/s");
    println!("BENCH raw_insert_rows_per_s {raw_rate:.0} rows/s");
    println!(
        "BENCH sync_ingest_ratio {:.3} ratio",
        pushed_rate / raw_rate.max(f64::EPSILON)
    );
    Ok(())
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The physical limit (see the module docs): the answers' ids and fields inserted into one
/// table, one transaction per batch of `MAX_MUTATIONS_PER_PUSH`, in the same kind of database
/// as `url`, opened as the server opens its own.
async fn raw_insert(url: &str, dir: &Path, mutations: &[Mutation]) -> anyhow::Result<Duration> {
    if !url.starts_with("sqlite:") {
        bail!(
            "the raw baseline is written for SQLite only so far; add the same insert for {} \
             in backend/examples/push_bench.rs",
            url.split(':').next().unwrap_or_default()
        );
    }
    let path = dir.join("raw.db");
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
