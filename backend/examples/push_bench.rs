//! The sync ingest ratio: how fast one device pushes 10,000 consultation answers to a real
//! server, beside the physical limit, in the same run. The server runs in-process
//! (`Server::start`) on a fresh database with the demo data loaded (the answers are to the
//! "We Are Redditch" questionnaire), and the answers go over real HTTP to 127.0.0.1 in batches
//! of `MAX_MUTATIONS_PER_PUSH`, as a tablet's outbox would after a day offline.
//!
//! The physical limit: the same 10,000 answers' ids and fields inserted straight into one
//! table of the same kind of database with sqlx, one row each, in as many transactions (20 of
//! 500), on a connection opened exactly as the server opens its own, the JSON made before the
//! clock starts. On SQLite: a file beside the server's, opened with
//! `db::sqlite::connect_options` (WAL and the same `synchronous`), each transaction
//! `BEGIN IMMEDIATE` as the server's pushes. On PostgreSQL: a database of its own beside the
//! server's on the same PostgreSQL server, opened with `db::postgres::connect_options` (the
//! same session settings), each transaction a plain `BEGIN` (the server's push also locks its
//! counter row first: that is the server's work, not the limit's). The same SQL on both (one
//! `INSERT` with two bound values per row, a round trip each), a `TEXT` key and `TEXT` JSON as
//! the server's `records` table. What the push costs above that is HTTP, JSON, the checks, the
//! change sequence, the history, the mutation ids and the refreshed published results.
//!
//! The second baseline, the same rows: the push stores more than one row per answer (its
//! record, four references, a history row, its settled mutation id). Once the server has
//! stopped, those rows are read back from its database and inserted into a new database with
//! the server's own schema, in as many transactions, each table's rows in multi-row
//! statements as the push writes them (`support::stored_rows`). What the push costs above
//! that is HTTP, JSON, the checks and the once-per-push work (positions, published results).
//!
//! Prints `BENCH push_answers_per_s`, `BENCH raw_insert_rows_per_s` and
//! `BENCH sync_ingest_ratio` (answers per second over rows per second; 1 is the limit), then
//! `BENCH stored_rows_answers_per_s` and `BENCH sync_ingest_ratio_stored_rows` (the push's
//! answers per second over the same rows' answers per second), read by `cargo xtask bench`. Run it in release:
//! `cargo run --release -p atlas-backend --example push_bench [-- --database-url <url>]`
//! (default: a fresh SQLite file in a temporary folder; with a URL such as
//! `postgres://atlas@127.0.0.1:5432/{db}`, `{db}` becomes a name for this run, and the run's
//! databases, the server's and the baseline's, are dropped when it ends).

#[path = "support/mod.rs"]
mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use atlas_backend::{Config, Server};
use atlas_shared::{MAX_MUTATIONS_PER_PUSH, Mutation, Op};
use support::BenchDatabase;
use support::stored_rows::StoredRows;

const RESPONSES: usize = 10_000;

/// The server's own allocator (`backend/src/main.rs`), so the in-process server is measured as
/// it runs; the baselines, in the same process, use it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir().context("a temporary folder")?;
    let database = BenchDatabase::new(dir.path(), "push_bench")?;
    let raw = database.sibling("raw")?;
    let same_rows = database.sibling("same_rows")?;
    let measured = measure(&database, &raw, &same_rows, dir.path()).await;
    let measured = same_rows.drop_after(measured).await;
    let measured = raw.drop_after(measured).await;
    database.drop_after(measured).await
}

async fn measure(
    database: &BenchDatabase,
    raw: &BenchDatabase,
    same_rows: &BenchDatabase,
    dir: &Path,
) -> anyhow::Result<()> {
    let mut config = Config::new(
        "127.0.0.1:0".parse()?,
        database.url.clone(),
        dir.join("no-dist"),
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
        // Encoded in the clock, as before the ratio was first measured: one tablet's push at a
        // time leaves the server a core of its own.
        let body = support::PushBody::new(tablet, batch)?;
        support::push(&client, &base, body).await?;
    }
    let elapsed = started.elapsed();

    let stored = db.record_count().await? - before;
    if stored != RESPONSES as u64 {
        bail!("expected {RESPONSES} new records, the server stored {stored}");
    }
    drop(db);
    let _ = stop.send(());
    task.await??;
    let first = mutations.first().context("no answers")?.id;
    let stored_rows = StoredRows::read(&database.url, &[first], RESPONSES).await?;
    let raw = raw_insert(raw, &mutations).await?;
    let same = stored_rows
        .insert(same_rows, MAX_MUTATIONS_PER_PUSH)
        .await?;
    let pushed_rate = RESPONSES as f64 / elapsed.as_secs_f64();
    let raw_rate = RESPONSES as f64 / raw.as_secs_f64().max(f64::EPSILON);
    let same_rate = RESPONSES as f64 / same.as_secs_f64().max(f64::EPSILON);
    println!(
        "pushed {RESPONSES} answers in {} pushes of up to {MAX_MUTATIONS_PER_PUSH} in {:.0} ms; \
         the raw baseline inserted one row per answer in as many transactions in {:.0} ms; \
         the rows the push stored ({}) went into the server's schema in {:.0} ms",
        RESPONSES.div_ceil(MAX_MUTATIONS_PER_PUSH),
        millis(elapsed),
        millis(raw),
        stored_rows.describe(),
        millis(same)
    );
    println!("BENCH push_answers_per_s {pushed_rate:.0} answers/s");
    println!("BENCH raw_insert_rows_per_s {raw_rate:.0} rows/s");
    println!(
        "BENCH sync_ingest_ratio {:.3} ratio",
        pushed_rate / raw_rate.max(f64::EPSILON)
    );
    println!("BENCH stored_rows_answers_per_s {same_rate:.0} answers/s");
    println!(
        "BENCH sync_ingest_ratio_stored_rows {:.3} ratio",
        pushed_rate / same_rate.max(f64::EPSILON)
    );
    Ok(())
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The baseline's table: the id and the JSON, both text, as in the server's `records`.
const RAW_TABLE_SQLITE: &str =
    "CREATE TABLE raw_responses (id TEXT PRIMARY KEY, fields TEXT NOT NULL) WITHOUT ROWID";
const RAW_TABLE_POSTGRES: &str =
    "CREATE TABLE raw_responses (id TEXT PRIMARY KEY, fields TEXT NOT NULL)";
/// One row (`$n` marks: SQLite reads them too).
const RAW_INSERT: &str = "INSERT INTO raw_responses (id, fields) VALUES ($1, $2)";
const RAW_COUNT: &str = "SELECT COUNT(*) FROM raw_responses";

/// On a new `pool` (one connection): creates the table with `create`, then inserts `rows`
/// one statement each in transactions of `MAX_MUTATIONS_PER_PUSH` opened with `begin`, timed,
/// and counts what is stored. Gives `(time, rows stored)`. The same statements on either
/// database; a macro because sqlx's types differ by database.
macro_rules! timed_inserts {
    ($pool:expr, $create:expr, $begin:expr, $rows:expr) => {{
        let pool = $pool;
        sqlx::query($create).execute(&pool).await?;
        let started = Instant::now();
        for batch in $rows.chunks(MAX_MUTATIONS_PER_PUSH) {
            let mut tx = pool.begin_with($begin).await?;
            for (id, fields) in batch {
                sqlx::query(RAW_INSERT)
                    .bind(id)
                    .bind(fields)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }
        let elapsed = started.elapsed();
        let stored: i64 = sqlx::query_scalar(RAW_COUNT).fetch_one(&pool).await?;
        pool.close().await;
        (elapsed, stored)
    }};
}

/// The physical limit (see the module docs): the answers' ids and fields inserted into one
/// table of the database `raw` (of the same kind as the server's), one transaction per batch
/// of `MAX_MUTATIONS_PER_PUSH`, opened as the server opens its own. The time taken, after
/// checking every row is there.
async fn raw_insert(raw: &BenchDatabase, mutations: &[Mutation]) -> anyhow::Result<Duration> {
    let rows: Vec<(String, String)> = mutations
        .iter()
        .map(|m| match &m.op {
            Op::Upsert { fields, .. } => {
                Ok((m.record_id.to_string(), serde_json::to_string(fields)?))
            }
            Op::Delete { .. } => bail!("the benchmark only creates responses"),
        })
        .collect::<anyhow::Result<_>>()?;
    let (elapsed, stored) = if raw.is_postgres() {
        // Created here as the server creates its own; dropped by `main`.
        use sqlx::migrate::MigrateDatabase as _;
        sqlx::Postgres::create_database(&raw.url)
            .await
            .context("creating the raw baseline's database")?;
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect_with(atlas_backend::db::postgres::connect_options(&raw.url)?)
            .await?;
        timed_inserts!(pool, RAW_TABLE_POSTGRES, "BEGIN", &rows)
    } else {
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(atlas_backend::db::sqlite::connect_options(&raw.url)?)
            .await?;
        timed_inserts!(pool, RAW_TABLE_SQLITE, "BEGIN IMMEDIATE", &rows)
    };
    if stored != RESPONSES as i64 {
        bail!("the raw baseline stored {stored} rows, not {RESPONSES}");
    }
    Ok(elapsed)
}
