//! The release frontend in `dist/`: the split bundle ([`crate::bundle`]), then every text asset compressed once (brotli
//! quality 11 and gzip level 9, as `<file>.br` and `<file>.gz` beside it) for the server to
//! send as it is, and a stamp so that an unchanged build is not done again.
//!
//! Splitting, wasm-bindgen and wasm-opt take about half a minute even when nothing changed. So after a successful build a stamp file in
//! `target/xtask/` records a SHA-256 of every input (each file under `frontend/` and
//! `shared/`, every `Cargo.toml`, `Cargo.lock`, `.cargo/config.toml`, this
//! file and `bundle.rs`, which hold the build's recipe), the versions of rustc, wasm-bindgen
//! and wasm-opt, the environment variables that change how cargo builds, and of every
//! file the build left in `dist/`. The next build is skipped only when all of that is the
//! same and `dist/` holds exactly those files with those contents; anything else (a missing
//! or unreadable stamp, a tool that does not answer, a file that cannot be read) builds. The
//! stamp is removed before a build starts, so a failed or interrupted build leaves none.
//! There is one stamp per `dist/` folder, as several checkouts may share one target folder.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::Result;
use crate::background::Job;
use crate::project::{Project, run as run_cmd};

/// Brotli's best quality and the window it is measured with (`cargo xtask bench`).
const BROTLI_QUALITY: u32 = 11;
const BROTLI_WINDOW: u32 = 22;
const GZIP_LEVEL: u32 = 9;

/// Files worth compressing: text, wasm and packs of wasm modules. Images (PNG) are compressed
/// already.
const COMPRESSED_EXTENSIONS: &[&str] = &[
    "wasm",
    "pack",
    "js",
    "css",
    "html",
    "svg",
    "json",
    "webmanifest",
    "txt",
];

/// Inputs outside `frontend/` and `shared/`, relative to the repository root (those missing
/// are recorded as missing, so one appearing builds again).
const ROOT_INPUTS: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    ".cargo/config.toml",
    "rust-toolchain",
    "rust-toolchain.toml",
    "backend/Cargo.toml",
    "tests/Cargo.toml",
    "xtask/Cargo.toml",
    "xtask/src/frontend.rs",
    "xtask/src/bundle.rs",
    "xtask/src/imports.rs",
    "xtask/src/packs.rs",
    "xtask/src/packs.js",
    "xtask/src/first_visit.js",
];

/// Folders whose every file is an input.
const INPUT_DIRS: &[&str] = &["frontend", "shared"];

/// Environment variables that change what cargo or rustc build: any whose name starts
/// with one of these.
const ENV_PREFIXES: &[&str] = &[
    "RUSTFLAGS",
    "RUSTC",
    "RUSTDOCFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_BUILD_",
    "CARGO_PROFILE_",
    "CARGO_TARGET_",
    "CARGO_HOME",
];

/// The release bundle in `dist/`: the split build ([`crate::bundle::build`]), then the
/// precompressed copies; nothing is done when the last successful build had the same
/// inputs and `dist/` still holds what it made.
pub fn build_frontend(p: &Project) -> Result<()> {
    let stamp_path = stamp_path(p);
    let inputs = inputs(p);
    let checked = match &inputs {
        Ok(inputs) => up_to_date(&stamp_path, inputs, &p.dist),
        Err(e) => Err(format!("the inputs cannot all be read: {e}")),
    };
    match checked {
        Ok(()) => {
            println!(
                "frontend: unchanged since the last build ({}), not building again",
                stamp_path.display()
            );
            return Ok(());
        }
        Err(why) => println!("frontend: building ({why})"),
    }
    if stamp_path.exists() {
        fs::remove_file(&stamp_path)
            .map_err(|e| format!("cannot remove {}: {e}", stamp_path.display()))?;
    }
    crate::bundle::build(p)?;
    let written = precompress(&p.dist)?;
    println!(
        "frontend: wrote {written} precompressed file(s) (brotli {BROTLI_QUALITY}, gzip {GZIP_LEVEL})"
    );
    match inputs {
        Ok(inputs) => write_stamp(&stamp_path, &inputs, &outputs(&p.dist)?),
        Err(_) => Ok(()),
    }
}

/// Starts, in the background, the compile the bundle begins with (the `wasm-release`
/// profile: fat LTO on one core for minutes), as [`crate::bundle::release_compile`], so that
/// [`build_frontend`] later finds it done. `None` when `dist/` is up to date and nothing
/// will be built.
pub fn start_release_compile(p: &Project) -> Result<Option<Job>> {
    let unchanged =
        inputs(p).is_ok_and(|inputs| up_to_date(&stamp_path(p), &inputs, &p.dist).is_ok());
    if unchanged {
        return Ok(None);
    }
    fetch(p)?;
    let log = p
        .target
        .join("xtask")
        .join("logs")
        .join("frontend-release-compile.log");
    Job::start(
        "the frontend's release compile",
        &mut crate::bundle::release_compile(p),
        &log,
    )
    .map(Some)
}

/// Downloads every crate first, so the build (which runs cargo offline) never needs the network.
pub fn fetch(p: &Project) -> Result<()> {
    run_cmd(p.cargo().args(["fetch", "--quiet"]))
}

/// `target/xtask/frontend-<hash of the dist path>.stamp`.
fn stamp_path(p: &Project) -> PathBuf {
    let key = hex(&Sha256::digest(p.dist.as_os_str().as_encoded_bytes()));
    p.target
        .join("xtask")
        .join(format!("frontend-{}.stamp", &key[..16]))
}

/// Every input as `name → value`: `file <path>` → its SHA-256 (or `missing`), `tool <name>`
/// → where it is and what `--version` says, `env <NAME>` → its value. An input that cannot
/// be read is an error: the frontend is then built and no stamp written.
type Entries = BTreeMap<String, String>;

fn inputs(p: &Project) -> Result<Entries> {
    let mut entries = file_inputs(&p.root)?;
    for (tool, args) in [
        ("rustc", &["-vV"][..]),
        ("wasm-bindgen", &["--version"]),
        ("wasm-opt", &["--version"]),
    ] {
        let path = p
            .which(tool)
            .ok_or_else(|| format!("{tool} is not on PATH"))?;
        let out = p
            .cmd(&path)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", path.display()))?;
        if !out.status.success() {
            return Err(format!("`{} {}` failed", path.display(), args.join(" ")));
        }
        let version = String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        entries.insert(
            format!("tool {tool}"),
            format!("{} {version}", path.display()),
        );
    }
    for (name, value) in std::env::vars_os() {
        let name = name.to_string_lossy().into_owned();
        if ENV_PREFIXES.iter().any(|prefix| name.starts_with(prefix)) {
            entries.insert(format!("env {name}"), value.to_string_lossy().into_owned());
        }
    }
    entries.insert(
        "recipe".to_owned(),
        format!(
            "split bundle; brotli {BROTLI_QUALITY}/{BROTLI_WINDOW}, gzip {GZIP_LEVEL}: {}",
            COMPRESSED_EXTENSIONS.join(" ")
        ),
    );
    Ok(entries)
}

/// The files among the inputs: `file <path>` → its SHA-256, or `missing`.
fn file_inputs(root: &Path) -> Result<Entries> {
    let mut files: Vec<PathBuf> = ROOT_INPUTS.iter().map(PathBuf::from).collect();
    for dir in INPUT_DIRS {
        let found = all_files(&root.join(dir))?;
        files.extend(
            found
                .iter()
                .filter_map(|f| f.strip_prefix(root).ok().map(Path::to_path_buf)),
        );
    }
    let mut entries = Entries::new();
    for file in files {
        let path = root.join(&file);
        let value = match fs::read(&path) {
            Ok(bytes) => hex(&Sha256::digest(&bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => "missing".to_owned(),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        entries.insert(format!("file {}", file.display()), value);
    }
    Ok(entries)
}

/// Every file `dist/` holds, as `path → SHA-256`.
fn outputs(dist: &Path) -> Result<Entries> {
    let mut entries = Entries::new();
    for file in all_files(dist)? {
        let bytes = fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let name = file
            .strip_prefix(dist)
            .unwrap_or(&file)
            .display()
            .to_string();
        entries.insert(name, hex(&Sha256::digest(&bytes)));
    }
    Ok(entries)
}

/// `Ok` when the stamp records exactly these inputs and `dist/` holds exactly the files the
/// stamp lists with the contents it records; otherwise why not, in a few words.
fn up_to_date(stamp_path: &Path, inputs: &Entries, dist: &Path) -> Result<()> {
    let text = fs::read_to_string(stamp_path)
        .map_err(|_| "no record of an earlier successful build".to_owned())?;
    let (stamped_inputs, stamped_outputs) = parse_stamp(&text)?;
    if let Some(changed) = first_difference(&stamped_inputs, inputs) {
        return Err(format!("changed since the last build: {changed}"));
    }
    if stamped_outputs.is_empty() {
        return Err("the last build recorded no output".to_owned());
    }
    let now = outputs(dist).map_err(|e| format!("the built files cannot be checked: {e}"))?;
    match first_difference(&stamped_outputs, &now) {
        Some(changed) => Err(format!(
            "{} differs from what was built: {changed}",
            dist.display()
        )),
        None => Ok(()),
    }
}

/// The first key whose value differs between `a` and `b` (present in only one counts).
fn first_difference(a: &Entries, b: &Entries) -> Option<String> {
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .find(|k| a.get(*k) != b.get(*k))
        .map(|k| k.to_owned())
}

const STAMP_HEADER: &str = "# cargo xtask: the inputs and outputs of the last successful frontend build (see xtask/src/frontend.rs)";

/// One `input <key>\t<value>` or `output <file>\t<sha256>` line each, after the header.
fn write_stamp(path: &Path, inputs: &Entries, outputs: &Entries) -> Result<()> {
    let mut text = format!("{STAMP_HEADER}\n");
    for (kind, entries) in [("input", inputs), ("output", outputs)] {
        for (key, value) in entries {
            if key.contains(['\t', '\n']) || value.contains('\n') {
                // Cannot be written faithfully: leave no stamp, so the next run builds.
                return Ok(());
            }
            text.push_str(&format!("{kind} {key}\t{value}\n"));
        }
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    // Written beside it and renamed, so a stamp is never half written.
    let partial = path.with_extension("stamp.partial");
    fs::write(&partial, text).map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
    fs::rename(&partial, path).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn parse_stamp(text: &str) -> Result<(Entries, Entries)> {
    let mut lines = text.lines();
    if lines.next() != Some(STAMP_HEADER) {
        return Err("the record of the last build is of another kind".to_owned());
    }
    let (mut inputs, mut outputs) = (Entries::new(), Entries::new());
    for line in lines {
        let parsed = line.split_once(' ').and_then(|(kind, rest)| {
            let (key, value) = rest.split_once('\t')?;
            let entries = match kind {
                "input" => &mut inputs,
                "output" => &mut outputs,
                _ => return None,
            };
            entries.insert(key.to_owned(), value.to_owned());
            Some(())
        });
        if parsed.is_none() {
            return Err("the record of the last build is damaged".to_owned());
        }
    }
    Ok((inputs, outputs))
}

/// Writes `<file>.br` and `<file>.gz` beside each file in `dist` worth compressing (see
/// [`COMPRESSED_EXTENSIONS`]), each only when smaller than the file (the server falls back
/// to the file itself); answers how many it wrote. Runs one thread per file: the wasm's
/// brotli takes longest.
pub fn precompress(dist: &Path) -> Result<usize> {
    let files: Vec<PathBuf> = all_files(dist)?
        .into_iter()
        .filter(|f| {
            f.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| COMPRESSED_EXTENSIONS.contains(&e))
        })
        .collect();
    let results: Vec<Result<usize>> = std::thread::scope(|scope| {
        let jobs: Vec<_> = files
            .iter()
            .map(|file| scope.spawn(move || compress_beside(file)))
            .collect();
        jobs.into_iter()
            .map(|job| {
                job.join()
                    .unwrap_or_else(|_| Err("a compression thread panicked".to_owned()))
            })
            .collect()
    });
    results.into_iter().sum()
}

fn compress_beside(file: &Path) -> Result<usize> {
    let bytes = fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let mut written = 0;
    for (suffix, compressed) in [("br", brotli_bytes(&bytes)?), ("gz", gzip_bytes(&bytes)?)] {
        let mut name = file.as_os_str().to_owned();
        name.push(".");
        name.push(suffix);
        let target = PathBuf::from(name);
        if compressed.len() < bytes.len() {
            fs::write(&target, compressed)
                .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
            written += 1;
        } else if target.exists() {
            fs::remove_file(&target)
                .map_err(|e| format!("cannot remove {}: {e}", target.display()))?;
        }
    }
    Ok(written)
}

/// `bytes` as gzip at level 9, as the server sends them.
pub fn gzip_bytes(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(GZIP_LEVEL));
    enc.write_all(bytes).map_err(|e| e.to_string())?;
    enc.finish().map_err(|e| e.to_string())
}

/// `bytes` as brotli at quality 11, as the server sends them.
pub fn brotli_bytes(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut enc = brotli::CompressorWriter::new(Vec::new(), 4096, BROTLI_QUALITY, BROTLI_WINDOW);
    enc.write_all(bytes).map_err(|e| e.to_string())?;
    enc.flush().map_err(|e| e.to_string())?;
    Ok(enc.into_inner())
}

/// Every file under `dir`, sorted (following no symbolic links to folders).
pub fn all_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        let entries =
            fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
            let kind = entry
                .file_type()
                .map_err(|e| format!("cannot read {}: {e}", entry.path().display()))?;
            if kind.is_dir() {
                todo.push(entry.path());
            } else {
                found.push(entry.path());
            }
        }
    }
    found.sort();
    Ok(found)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdir::tempdir;

    fn entries(pairs: &[(&str, &str)]) -> Entries {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// A dist folder with an index and a wasm, its stamp, and the inputs it was built from.
    fn built(dir: &Path) -> (PathBuf, PathBuf, Entries) {
        let dist = dir.join("dist");
        fs::create_dir_all(dist.join("icons")).expect("dist");
        fs::write(dist.join("index.html"), "<!doctype html>".repeat(40)).expect("index");
        fs::write(dist.join("app_bg.wasm"), b"\0asm\x01\0\0\0".repeat(300)).expect("wasm");
        fs::write(dist.join("icons/icon-192.png"), b"\x89PNG").expect("png");
        precompress(&dist).expect("compressed");
        let stamp = dir.join("frontend.stamp");
        let inputs = entries(&[("file frontend/src/lib.rs", "aa"), ("tool wasm-opt", "132")]);
        write_stamp(&stamp, &inputs, &outputs(&dist).expect("outputs")).expect("stamp");
        (dist, stamp, inputs)
    }

    #[test]
    fn an_unchanged_build_with_its_outputs_in_place_is_up_to_date() {
        let dir = tempdir();
        let (dist, stamp, inputs) = built(&dir);
        assert_eq!(up_to_date(&stamp, &inputs, &dist), Ok(()));
    }

    #[test]
    fn a_changed_added_or_removed_input_builds_again_and_says_which() {
        let dir = tempdir();
        let (dist, stamp, inputs) = built(&dir);
        let mut changed = inputs.clone();
        changed.insert("file frontend/src/lib.rs".into(), "bb".into());
        let why = up_to_date(&stamp, &changed, &dist).expect_err("changed");
        assert!(why.contains("file frontend/src/lib.rs"), "{why}");
        let mut added = inputs.clone();
        added.insert("file frontend/src/new.rs".into(), "cc".into());
        let why = up_to_date(&stamp, &added, &dist).expect_err("added");
        assert!(why.contains("file frontend/src/new.rs"), "{why}");
        let mut removed = inputs.clone();
        removed.remove("tool wasm-opt");
        let why = up_to_date(&stamp, &removed, &dist).expect_err("removed");
        assert!(why.contains("tool wasm-opt"), "{why}");
    }

    #[test]
    fn a_touched_missing_or_extra_output_builds_again() {
        let damages: [fn(&Path); 4] = [
            |d| fs::write(d.join("app_bg.wasm"), b"other").expect("write"),
            |d| fs::remove_file(d.join("app_bg.wasm.br")).expect("remove"),
            |d| fs::write(d.join("stray.js"), b"x").expect("write"),
            |d| fs::remove_dir_all(d).expect("remove"),
        ];
        for damage in damages {
            let dir = tempdir();
            let (dist, stamp, inputs) = built(&dir);
            damage(&dist);
            assert!(up_to_date(&stamp, &inputs, &dist).is_err());
        }
    }

    #[test]
    fn a_missing_or_damaged_stamp_builds_again() {
        let dir = tempdir();
        let (dist, stamp, inputs) = built(&dir);
        let text = fs::read_to_string(&stamp).expect("stamp");
        fs::write(&stamp, text.replace('\t', " ")).expect("damaged");
        assert!(up_to_date(&stamp, &inputs, &dist).is_err());
        fs::write(&stamp, "").expect("emptied");
        assert!(up_to_date(&stamp, &inputs, &dist).is_err());
        fs::remove_file(&stamp).expect("removed");
        assert!(up_to_date(&stamp, &inputs, &dist).is_err());
    }

    #[test]
    fn the_inputs_cover_the_frontend_and_shared_code_and_the_build_settings() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("root");
        let inputs = file_inputs(root).expect("every input readable");
        for key in [
            "file frontend/index.html",
            "file frontend/style.css",
            "file frontend/sw.js",
            "file frontend/src/lib.rs",
            "file shared/src/lib.rs",
            "file Cargo.lock",
            "file xtask/src/frontend.rs",
            "file xtask/src/bundle.rs",
            "file .cargo/config.toml",
        ] {
            assert!(inputs.contains_key(key), "{key} is not an input");
        }
        assert_ne!(inputs["file frontend/sw.js"], "missing");
    }

    #[test]
    fn text_assets_get_smaller_br_and_gz_copies_that_decompress_to_them_and_images_none() {
        let dir = tempdir();
        let (dist, _, _) = built(&dir);
        let wasm = fs::read(dist.join("app_bg.wasm")).expect("wasm");
        let br = fs::read(dist.join("app_bg.wasm.br")).expect("br");
        let gz = fs::read(dist.join("app_bg.wasm.gz")).expect("gz");
        assert!(br.len() < wasm.len() && gz.len() < wasm.len());
        let mut unbr = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut unbr).expect("brotli");
        assert_eq!(unbr, wasm);
        let mut ungz = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut ungz)
            .expect("gzip");
        assert_eq!(ungz, wasm);
        assert!(dist.join("index.html.br").is_file());
        assert!(!dist.join("icons/icon-192.png.br").exists());
        assert!(!dist.join("icons/icon-192.png.gz").exists());
    }
}
