//! `cargo xtask bench`: figures worth watching, as a table and as `BENCH <name> <value> <unit>`
//! lines that a script can pick up.
//!
//! Each group of figures is a function returning [`Figure`]s; add a group to [`GROUPS`].

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::Result;
use crate::project::Project;
use crate::run::build_frontend;
use crate::stages::Stages;
use crate::tools::{self, Needs};

pub struct Figure {
    /// snake_case, stable across runs: scripts compare by name.
    pub name: String,
    pub value: u64,
    pub unit: &'static str,
}

type Group = (&'static str, fn(&Project) -> Result<Vec<Figure>>);

/// The figures reported, in order.
const GROUPS: &[Group] = &[
    ("release bundle sizes", bundle_sizes),
    ("push 10,000 responses", push_responses),
];

pub fn bench() -> Result<()> {
    let p = Project::locate()?;
    let mut stages = Stages::new("xtask bench", 2 + GROUPS.len());
    stages.stage("tools", || {
        tools::ensure(
            &p,
            Needs {
                lint: false,
                browser: false,
            },
        )
        .map(drop)
    })?;
    stages.stage("frontend: trunk build --release", || build_frontend(&p))?;
    let mut figures = Vec::new();
    for (name, measure) in GROUPS {
        stages.stage(name, || {
            figures.extend(measure(&p)?);
            Ok(())
        })?;
    }
    stages.summary();

    println!();
    let width = figures.iter().map(|f| f.name.len()).max().unwrap_or(0);
    println!("{:<width$}  {:>12}  unit", "figure", "value");
    for f in &figures {
        println!(
            "{:<width$}  {:>12}  {}",
            f.name,
            group_digits(f.value),
            f.unit
        );
    }
    println!();
    for f in &figures {
        println!("BENCH {} {} {}", f.name, f.value, f.unit);
    }
    Ok(())
}

/// What a visitor downloads: the app's wasm, JavaScript and CSS in `dist/`, raw and as the
/// server would send them compressed (gzip level 9, brotli quality 11), per file then summed.
/// The service worker is counted on its own: it is fetched by the browser, not the page.
fn bundle_sizes(p: &Project) -> Result<Vec<Figure>> {
    let mut figures = Vec::new();
    for (kind, matches) in [
        ("wasm", (|n: &str| n.ends_with(".wasm")) as fn(&str) -> bool),
        ("js", |n: &str| n.ends_with(".js") && n != "sw.js"),
        ("css", |n: &str| n.ends_with(".css")),
        ("sw", |n: &str| n == "sw.js"),
    ] {
        let files = files_in(&p.dist, matches)?;
        if files.is_empty() && kind != "sw" {
            return Err(format!("no .{kind} file in {}", p.dist.display()));
        }
        let (mut raw, mut gzip, mut brotli) = (0, 0, 0);
        for file in &files {
            let bytes =
                fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            raw += bytes.len() as u64;
            gzip += gzip_len(&bytes)?;
            brotli += brotli_len(&bytes)?;
        }
        for (how, value) in [("raw", raw), ("gzip", gzip), ("brotli", brotli)] {
            figures.push(Figure {
                name: format!("bundle_{kind}_{how}"),
                value,
                unit: "bytes",
            });
        }
    }
    Ok(figures)
}

/// How long one device takes to push 10,000 consultation responses to a real server over
/// HTTP (`backend/examples/push_bench.rs`, built in release), in milliseconds.
fn push_responses(p: &Project) -> Result<Vec<Figure>> {
    let mut cmd = p.cargo();
    cmd.args([
        "run",
        "--release",
        "--quiet",
        "-p",
        "atlas-backend",
        "--example",
        "push_bench",
    ]);
    let shown = crate::project::show(&cmd);
    println!("$ {shown}");
    let out = cmd
        .output()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    print!("{stdout}");
    if !out.status.success() {
        return Err(format!(
            "`{shown}` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let name = "push_10000_responses_ms";
    let value = stdout
        .lines()
        .find_map(|line| line.strip_prefix(&format!("BENCH {name} ")))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("`{shown}` printed no `BENCH {name}` line"))?;
    Ok(vec![Figure {
        name: name.into(),
        value,
        unit: "ms",
    }])
}

fn files_in(dir: &Path, matches: fn(&str) -> bool) -> Result<Vec<std::path::PathBuf>> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        let entries =
            fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                todo.push(path);
            } else if path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(matches)
            {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

fn gzip_len(bytes: &[u8]) -> Result<u64> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(9));
    enc.write_all(bytes).map_err(|e| e.to_string())?;
    Ok(enc.finish().map_err(|e| e.to_string())?.len() as u64)
}

fn brotli_len(bytes: &[u8]) -> Result<u64> {
    let mut enc = brotli::CompressorWriter::new(Vec::new(), 4096, 11, 22);
    enc.write_all(bytes).map_err(|e| e.to_string())?;
    enc.flush().map_err(|e| e.to_string())?;
    Ok(enc.into_inner().len() as u64)
}

fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
