//! The rows the server stored for a benchmark's answers, copied into a new database with the
//! server's own schema as fast as the database takes them: what storing those answers costs
//! with no server at all, measured in the same run as the server.
//!
//! After a run, [`StoredRows::read`] reads back from the server's database (the server
//! stopped) every row the pushes wrote for each answer, in the tables a push writes once or
//! more per answer: its record, its references, its history row and its settled mutation id.
//! What a push writes once per push or per consultation (the change counter, the published
//! results and their counts) is left out, so the baseline is what any push of these answers
//! must store whatever its code. [`StoredRows::insert`] then inserts them into a new database
//! of the same kind (a sibling of the server's, migrated by `db::connect`, so the same tables,
//! indexes and foreign keys), opened as the server opens its own, in transactions of a given
//! number of answers, each table's rows in multi-row statements as the push writes them.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use atlas_shared::MutationId;

use super::BenchDatabase;

/// One table the push writes a row or more to for each answer: its columns, each with the
/// type it is cast back to on insert (rows are read as text, so one reader serves both
/// databases), and the order its rows are read in.
struct Table {
    name: &'static str,
    columns: &'static [(&'static str, &'static str)],
    order: &'static str,
}

/// The tables, in the order a row of each is inserted for one answer (a record before the
/// references that name it, as their foreign key needs). `record_history.id` is left out: the
/// database numbers it, as for the push.
const TABLES: [Table; 4] = [
    Table {
        name: "records",
        columns: &[
            ("kind", "TEXT"),
            ("id", "TEXT"),
            ("partnership_id", "TEXT"),
            ("fields", "TEXT"),
            ("field_versions", "TEXT"),
            ("version", "BIGINT"),
            ("deleted", "BOOLEAN"),
        ],
        order: "version",
    },
    Table {
        name: "record_refs",
        columns: &[
            ("kind", "TEXT"),
            ("id", "TEXT"),
            ("ref_kind", "TEXT"),
            ("ref_id", "TEXT"),
        ],
        order: "kind, id, ref_kind, ref_id",
    },
    Table {
        name: "record_history",
        columns: &[
            ("seq", "BIGINT"),
            ("kind", "TEXT"),
            ("record_id", "TEXT"),
            ("mutation_id", "TEXT"),
            ("device_id", "TEXT"),
            ("action", "TEXT"),
            ("before", "TEXT"),
            ("after", "TEXT"),
            ("overwritten", "TEXT"),
            ("actor", "TEXT"),
            ("address", "TEXT"),
            ("at", "TEXT"),
        ],
        order: "id",
    },
    Table {
        name: "applied_mutations",
        columns: &[
            ("mutation_id", "TEXT"),
            ("device_id", "TEXT"),
            ("result", "TEXT"),
            ("applied_at", "TEXT"),
            ("digest", "TEXT"),
        ],
        order: "mutation_id",
    },
];

impl Table {
    /// The rows of this table for the answers from the devices `devices` names (a subquery),
    /// every column as text.
    fn select(&self, devices: &str) -> String {
        let columns: Vec<String> = self
            .columns
            .iter()
            .map(|(name, _)| format!("CAST({name} AS TEXT)"))
            .collect();
        // A table that names the device picks its rows by it; the others by the history rows
        // of their records.
        let mine = if self.columns.iter().any(|(name, _)| *name == "device_id") {
            format!("device_id IN {devices}")
        } else {
            format!(
                "EXISTS (SELECT 1 FROM record_history h WHERE h.kind = {t}.kind \
                 AND h.record_id = {t}.id AND h.device_id IN {devices})",
                t = self.name
            )
        };
        format!(
            "SELECT {} FROM {} WHERE {mine} ORDER BY {}",
            columns.join(", "),
            self.name,
            self.order
        )
    }
}

type Row = Vec<Option<String>>;

/// Reads every table's rows for the answers from the devices that sent the mutations `$ids`,
/// on the pool `$pool` of either database (a macro because sqlx's types differ by database).
macro_rules! read_tables {
    ($pool:expr, $ids:expr) => {{
        let pool = $pool;
        let ids: Vec<String> = $ids.iter().map(|id| id.0.to_string()).collect();
        let marks: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
        let devices = format!(
            "(SELECT device_id FROM applied_mutations WHERE mutation_id IN ({}))",
            marks.join(", ")
        );
        let mut tables: Vec<Vec<Row>> = Vec::new();
        for table in &TABLES {
            let sql = sqlx::AssertSqlSafe(table.select(&devices));
            let mut query = sqlx::query(sql);
            for id in &ids {
                query = query.bind(id.as_str());
            }
            let rows = query.fetch_all(&pool).await?;
            let rows = rows
                .iter()
                .map(|row| {
                    (0..table.columns.len())
                        .map(|i| row.try_get::<Option<String>, _>(i))
                        .collect::<Result<Row, _>>()
                })
                .collect::<Result<Vec<Row>, _>>()?;
            tables.push(rows);
        }
        pool.close().await;
        tables
    }};
}

/// Rows in one multi-row `INSERT`, as the server's push writes them.
const ROWS_PER_INSERT: usize = 100;

/// Inserts `$answers`' rows in transactions of `$each` answers opened with `$begin` on `$pool`, each table's rows of a transaction in multi-row statements of up to
/// [`ROWS_PER_INSERT`], every value cast back to its column's type; the time taken and the
/// rows then stored, counted.
macro_rules! timed_stored_rows {
    ($db:ty, $pool:expr, $begin:expr, $answers:expr, $each:expr) => {{
        let pool = $pool;
        let started = Instant::now();
        for batch in $answers.chunks($each) {
            let mut tx = pool.begin_with($begin).await?;
            for (t, table) in TABLES.iter().enumerate() {
                let rows: Vec<&Row> = batch.iter().flat_map(|a| &a[t]).collect();
                let names: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
                for chunk in rows.chunks(ROWS_PER_INSERT) {
                    let mut query = sqlx::QueryBuilder::<$db>::new(format!(
                        "INSERT INTO {} ({}) ",
                        table.name,
                        names.join(", ")
                    ));
                    query.push_values(chunk, |mut values, row| {
                        for (value, (_, kind)) in row.iter().zip(table.columns) {
                            values
                                .push("CAST(")
                                .push_bind_unseparated(value.clone())
                                .push_unseparated(format!(" AS {kind})"));
                        }
                    });
                    query.build().execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
        }
        let elapsed = started.elapsed();
        let mut stored = 0;
        for table in &TABLES {
            let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {}", table.name));
            let n: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await?;
            stored += n;
        }
        pool.close().await;
        (elapsed, stored)
    }};
}

/// The rows the server stored for the pushed answers, per answer: its record, its references,
/// its history row and its settled mutation id, in the order they were stored.
pub struct StoredRows {
    answers: Vec<[Vec<Row>; 4]>,
}

impl StoredRows {
    /// The rows the server stored for the answers from the devices that sent the mutations
    /// `one_each` (one mutation id per device is enough), read back from the server's database
    /// at `url` once the server has stopped, grouped by answer and checked: one record, one
    /// history row and one settled id for each of the `expected` answers.
    pub async fn read(url: &str, one_each: &[MutationId], expected: usize) -> anyhow::Result<Self> {
        use sqlx::Row as _;
        let tables = if url.starts_with("postgres") {
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(1)
                .connect_with(atlas_backend::db::postgres::connect_options(url)?)
                .await?;
            read_tables!(pool, one_each)
        } else {
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(atlas_backend::db::sqlite::connect_options(url)?)
                .await?;
            read_tables!(pool, one_each)
        };
        let [records, refs, history, applied]: [Vec<Row>; 4] = tables
            .try_into()
            .map_err(|_| anyhow::anyhow!("four tables read"))?;
        for (name, rows) in [("records", &records), ("history rows", &history)] {
            if rows.len() != expected {
                bail!("the server stored {} {name}, not {expected}", rows.len());
            }
        }
        if applied.len() != expected {
            bail!("{} mutation ids settled, not {expected}", applied.len());
        }
        let key = |row: &Row, a: usize, b: usize| (row[a].clone(), row[b].clone());
        let mut refs_of: HashMap<_, Vec<Row>> = HashMap::new();
        for row in refs {
            refs_of.entry(key(&row, 0, 1)).or_default().push(row);
        }
        let mut applied_of: HashMap<_, Row> = applied
            .into_iter()
            .map(|row| (row[0].clone(), row))
            .collect();
        let mut history_of: HashMap<_, Row> = history
            .into_iter()
            .map(|row| (key(&row, 1, 2), row))
            .collect();
        let answers = records
            .into_iter()
            .map(|record| {
                let key = key(&record, 0, 1);
                let history = history_of
                    .remove(&key)
                    .with_context(|| format!("no history row for {key:?}"))?;
                let settled = applied_of
                    .remove(&history[3])
                    .with_context(|| format!("no settled id for {key:?}"))?;
                let refs = refs_of.remove(&key).unwrap_or_default();
                Ok([vec![record], refs, vec![history], vec![settled]])
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(StoredRows { answers })
    }

    /// The rows inserted into a new database `target` of the same kind as the server's, made
    /// with the server's own schema (`db::connect` migrates it), in transactions of
    /// `answers_each` answers, opened as the server opens its own. The time taken, after
    /// checking every row is there.
    pub async fn insert(
        &self,
        target: &BenchDatabase,
        answers_each: usize,
    ) -> anyhow::Result<Duration> {
        let rows = self;
        let answers_each = answers_each.max(1);
        atlas_backend::db::connect(&target.url)
            .await
            .context("the second baseline's database with the server's schema")?
            .close()
            .await;
        let (elapsed, stored) = if target.is_postgres() {
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(1)
                .connect_with(atlas_backend::db::postgres::connect_options(&target.url)?)
                .await?;
            timed_stored_rows!(sqlx::Postgres, pool, "BEGIN", &rows.answers, answers_each)
        } else {
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(atlas_backend::db::sqlite::connect_options(&target.url)?)
                .await?;
            timed_stored_rows!(
                sqlx::Sqlite,
                pool,
                "BEGIN IMMEDIATE",
                &rows.answers,
                answers_each
            )
        };
        if stored != rows.rows() as i64 {
            bail!("the baseline stored {stored} rows, not {}", rows.rows());
        }
        Ok(elapsed)
    }

    /// How many rows of each table, in words.
    pub fn describe(&self) -> String {
        let count = |t: usize| self.answers.iter().map(|a| a[t].len()).sum::<usize>();
        TABLES
            .iter()
            .enumerate()
            .map(|(t, table)| format!("{} {}", count(t), table.name))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// How many rows in all.
    pub fn rows(&self) -> usize {
        self.answers.iter().flatten().map(Vec::len).sum()
    }
}
