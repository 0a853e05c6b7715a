//! What the backend's benchmarks share: the database they run on (a fresh SQLite file, or a
//! database of its own on the server named with `--database-url`, dropped afterwards), a demo
//! user signed in over HTTP, and answers to the demo's "We Are Redditch" questionnaire as one
//! tablet captures them.
//!
//! Included by each example with `#[path = "support/mod.rs"] mod support;` (a folder without
//! a `main.rs` is not an example of its own). Not every example uses every item.
#![allow(dead_code)]

pub mod stored_rows;

use std::path::Path;

use anyhow::{Context as _, bail};
use atlas_backend::demo;
use atlas_shared::consultation::{AnswerValue, Channel, Response};
use atlas_shared::{
    ConsultationEventId, ConsultationId, DeviceId, Entity, EntityKind, Mutation, MutationId, Op,
    PartnershipId, QuestionnaireId, uuid_v7,
};
use uuid::Uuid;

/// 6 January 2010, when the tablets' answers start.
pub const START_MS: u64 = 1_262_736_000_000;

/// A database a benchmark runs on, made for this run: a SQLite file in the run's temporary
/// folder, or, with `--database-url <url>`, a database of its own on that server, the URL's
/// `{db}` replaced by the benchmark's name, the process id and the time (the server creates a
/// database that does not exist yet, as SQLite creates its file). Two runs, or two benchmarks
/// at once, never share one, and a PostgreSQL database is dropped by [`BenchDatabase::drop_after`]
/// (its connections ended), so a run that ends, passed or failed, leaves nothing on the server
/// (a killed one may; a SQLite file a URL names is left where it is).
pub struct BenchDatabase {
    pub url: String,
    /// The PostgreSQL database's name, `None` for SQLite.
    postgres: Option<String>,
}

impl BenchDatabase {
    /// The database named `name` for this run (see the type's docs).
    pub fn new(dir: &Path, name: &str) -> anyhow::Result<Self> {
        let Some(template) = database_url_arg()? else {
            let path = dir.join(format!("{name}.db"));
            return Ok(Self {
                url: format!("sqlite://{}", path.display()),
                postgres: None,
            });
        };
        if !template.contains("{db}") {
            bail!(
                "--database-url {template} must contain {{db}} (postgres://localhost/atlas_{{db}}, \
                 say): each run creates a database of its own there and drops it afterwards"
            );
        }
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .context("the clock is before 1970")?;
        let unique = format!("{name}_{}_{}", std::process::id(), since_epoch.as_millis());
        let url = template.replace("{db}", &unique);
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Ok(Self {
                url,
                postgres: None,
            });
        }
        let name = url::Url::parse(&url)
            .context("the database URL")?
            .path()
            .trim_start_matches('/')
            .to_owned();
        if !name.contains(&unique) || name.contains('"') {
            bail!("--database-url {template}: {{db}} must be in the database's name");
        }
        Ok(Self {
            url,
            postgres: Some(name),
        })
    }

    /// Another database beside this one for the same run, its name ending in `_suffix`: a
    /// SQLite file in the same folder, or a database on the same PostgreSQL server.
    pub fn sibling(&self, suffix: &str) -> anyhow::Result<Self> {
        match &self.postgres {
            Some(name) => {
                let sibling = format!("{name}_{suffix}");
                let mut url = url::Url::parse(&self.url).context("the database URL")?;
                url.set_path(&format!("/{sibling}"));
                Ok(Self {
                    url: url.to_string(),
                    postgres: Some(sibling),
                })
            }
            None => {
                let file = self.url.strip_suffix(".db").unwrap_or(&self.url);
                Ok(Self {
                    url: format!("{file}_{suffix}.db"),
                    postgres: None,
                })
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// Drops the PostgreSQL database (if it exists, ending any connection to it), then hands
    /// back the run's `result`; a SQLite file goes with the run's temporary folder. When both
    /// the run and the drop fail, the run's error is returned and the drop's printed.
    pub async fn drop_after<T>(&self, result: anyhow::Result<T>) -> anyhow::Result<T> {
        let dropped = match &self.postgres {
            Some(name) => drop_postgres(&self.url, name).await,
            None => Ok(()),
        };
        match (result, dropped) {
            (Ok(value), Ok(())) => Ok(value),
            (Ok(_), Err(e)) => Err(e),
            (Err(e), Ok(())) => Err(e),
            (Err(e), Err(drop)) => {
                eprintln!("{drop:#}");
                Err(e)
            }
        }
    }
}

/// The value of `--database-url <url>` (or `--database-url=<url>`), if given.
fn database_url_arg() -> anyhow::Result<Option<String>> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--database-url" {
            let url = args
                .next()
                .context("--database-url needs a URL, such as postgres://localhost/atlas_{db}")?;
            return Ok(Some(url));
        }
        if let Some(url) = arg.strip_prefix("--database-url=") {
            return Ok(Some(url.to_owned()));
        }
    }
    Ok(None)
}

/// `DROP DATABASE name WITH (FORCE)` on the server of `url`, from its `postgres` database.
async fn drop_postgres(url: &str, name: &str) -> anyhow::Result<()> {
    use sqlx::Connection as _;
    let mut maintenance = url::Url::parse(url).context("the database URL")?;
    maintenance.set_path("/postgres");
    let what = || format!("dropping the benchmark's database {name}");
    let mut connection = sqlx::PgConnection::connect(maintenance.as_str())
        .await
        .with_context(what)?;
    // The name holds no `"` (checked when it was made): quoted, it is one identifier.
    let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&mut connection)
        .await
        .with_context(what)?;
    connection.close().await.with_context(what)
}

/// A client that keeps its session cookie, signed in as the demo user with `role` (`None`:
/// the administrator).
pub async fn signed_in(
    base: &str,
    role: Option<atlas_shared::accounts::Role>,
) -> anyhow::Result<reqwest::Client> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .cookie_store(true)
        .build()?;
    let user = atlas_shared::seeds::demo_user(role);
    let reply = client
        .post(format!("{base}/api/session"))
        .json(&atlas_shared::accounts::SignIn {
            email: user.email.to_owned(),
            password: atlas_shared::seeds::DEMO_PASSWORD.to_owned(),
            code: None,
        })
        .send()
        .await?;
    if !reply.status().is_success() {
        bail!(
            "signing in as {} answered {}: {}",
            user.email,
            reply.status(),
            reply.text().await.unwrap_or_default()
        );
    }
    Ok(client)
}

/// The ids of the demo's "We Are Redditch" consultation, event and questionnaire version 1.
pub fn we_are_redditch() -> anyhow::Result<(
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

/// The tablet numbered `tablet`'s device id.
pub fn tablet_id(tablet: u32) -> DeviceId {
    let mut random = [0xda; 10];
    random[6..].copy_from_slice(&tablet.to_be_bytes());
    DeviceId(uuid_v7(START_MS, random))
}

/// `count` valid, varied answers captured on tablet number `tablet`, a few seconds apart from
/// [`START_MS`]; every id differs from every other tablet's.
pub fn answers(tablet: u32, count: usize) -> anyhow::Result<Vec<Mutation>> {
    answers_from(tablet, count, START_MS)
}

/// The same, captured from `start_ms` on (ms since the Unix epoch). Ids are UUIDv7, as the
/// app makes them, so they sort by the time of capture: answers of a later event sort after
/// those already stored, as they would in a real partnership.
pub fn answers_from(tablet: u32, count: usize, start_ms: u64) -> anyhow::Result<Vec<Mutation>> {
    let device = tablet_id(tablet);
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
        random[2..6].copy_from_slice(&tablet.to_be_bytes());
        random[6..].copy_from_slice(&(n as u32).to_be_bytes());
        uuid_v7(start_ms + n as u64 * 3_000, random)
    };
    Ok((0..count)
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
                device_id: device,
                channel: Channel::StaffAssisted,
                captured_at: (start_ms + n as u64 * 3_000) as i64,
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

/// The `q`-quantile (0..=1) of sorted `values`, by the nearest rank.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// One pull over HTTP from `since`, with the scope of the last answer (none on the first).
pub async fn pull(
    client: &reqwest::Client,
    base: &str,
    since: atlas_shared::Seq,
    scope: Option<&str>,
) -> anyhow::Result<atlas_shared::PullResponse> {
    let mut url = format!("{base}/api/sync/pull?since={}", since.0);
    if let Some(scope) = scope {
        url.push_str(&format!("&scope={scope}"));
    }
    let reply = client.get(url).send().await?;
    let status = reply.status();
    let text = reply.text().await?;
    if !status.is_success() {
        bail!("pull answered {status}: {text}");
    }
    Ok(serde_json::from_str(&text)?)
}

/// Posts `body` as JSON to `url`: the answer's status and text.
async fn post_json(
    client: &reqwest::Client,
    url: String,
    body: &impl serde::Serialize,
) -> anyhow::Result<(reqwest::StatusCode, String)> {
    post_encoded(client, url, serde_json::to_vec(body)?).await
}

/// A push's request body, encoded ahead: a tablet encodes its push on its own processor, so a
/// benchmark of the server encodes before the clock starts, not on the server's cores while
/// the server is timed.
pub struct PushBody {
    device: DeviceId,
    mutations: usize,
    json: Vec<u8>,
}

impl PushBody {
    /// `mutations` from `device`, as a [`atlas_shared::PushRequest`] in JSON.
    pub fn new(device: DeviceId, mutations: &[Mutation]) -> anyhow::Result<Self> {
        let request = atlas_shared::PushRequest {
            protocol: atlas_shared::PROTOCOL_VERSION,
            device_id: device,
            mutations: mutations.to_vec(),
        };
        Ok(Self {
            device,
            mutations: mutations.len(),
            json: serde_json::to_vec(&request)?,
        })
    }
}

/// Posts `body`, already JSON, to `url`: the answer's status and text.
async fn post_encoded(
    client: &reqwest::Client,
    url: String,
    body: Vec<u8>,
) -> anyhow::Result<(reqwest::StatusCode, String)> {
    let reply = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await?;
    let status = reply.status();
    Ok((status, reply.text().await?))
}

/// Hands a push off (`POST /api/sync/inbox`) and expects all of it received (202).
pub async fn hand_off(client: &reqwest::Client, base: &str, body: PushBody) -> anyhow::Result<()> {
    let PushBody {
        device,
        mutations,
        json,
    } = body;
    let (status, text) = post_encoded(client, format!("{base}/api/sync/inbox"), json).await?;
    if status != reqwest::StatusCode::ACCEPTED {
        bail!("handing off from {device:?} answered {status}: {text}");
    }
    let receipt: atlas_shared::PushReceipt = serde_json::from_str(&text)?;
    if receipt.received != mutations {
        bail!(
            "{device:?} handed off {mutations} and {} were received",
            receipt.received
        );
    }
    Ok(())
}

/// What became of mutation `id` from `device` (`POST /api/sync/outcomes`).
pub async fn fate(
    client: &reqwest::Client,
    base: &str,
    device: DeviceId,
    id: atlas_shared::MutationId,
) -> anyhow::Result<atlas_shared::Fate> {
    let request = atlas_shared::OutcomesRequest {
        protocol: atlas_shared::PROTOCOL_VERSION,
        device_id: device,
        mutation_ids: vec![id],
    };
    let (status, text) = post_json(client, format!("{base}/api/sync/outcomes"), &request).await?;
    if !status.is_success() {
        bail!("asking what became of {id:?} answered {status}: {text}");
    }
    let mut answer: atlas_shared::OutcomesResponse = serde_json::from_str(&text)?;
    answer
        .fates
        .pop()
        .map(|f| f.fate)
        .context("an answer with no fate")
}

/// One push over HTTP (`body`); every mutation in it must be applied.
pub async fn push(client: &reqwest::Client, base: &str, body: PushBody) -> anyhow::Result<()> {
    let device = body.device;
    let (status, text) = post_encoded(client, format!("{base}/api/sync/push"), body.json).await?;
    if !status.is_success() {
        bail!("the push from {device:?} answered {status}: {text}");
    }
    let pushed: atlas_shared::PushResponse = serde_json::from_str(&text)?;
    if let Some(refused) = pushed
        .results
        .iter()
        .find(|r| !matches!(r.outcome, atlas_shared::Outcome::Applied { .. }))
    {
        bail!("a change from {device:?} was not applied: {refused:?}");
    }
    Ok(())
}
