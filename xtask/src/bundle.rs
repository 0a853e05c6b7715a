//! The release bundle in `dist/`, split by area: each area's pages are a part of their own,
//! fetched the first time one of its pages is opened, so the first load of a page carries
//! only the app's core and that page's part.
//!
//! Trunk 0.21 cannot split a module, so this is the release build (trunk is for `trunk
//! serve` while working on the interface, unsplit):
//!
//! 1. `cargo rustc` of the `atlas-frontend` binary with the `split` feature (which turns each
//!    area's `render` into a split point, see `frontend/src/parts.rs`) and `--emit-relocs`,
//!    which the splitter needs to see which function calls which.
//! 2. [`wasm_split_cli_support::transform`]: the main module, one module per area and shared
//!    chunks, and the JavaScript that fetches and links them (`__wasm_split.js`).
//! 3. wasm-bindgen on the main module, keeping the exports the parts link to; then short
//!    names for the main module's imports, in it and in the JavaScript, and the exports of
//!    classes the app never makes taken out ([`crate::imports`]).
//! 4. wasm-opt on every module ([`WASM_OPT_ARGS`]: `-Os --low-memory-unused`).
//! 5. Packs ([`crate::packs`]): for each part, `split_<part>.pack`, the chunks it needs and
//!    its module in one file; for each part a visitor may open first, `first_<part>.pack`,
//!    the main module before them (the parts by address are `frontend/parts-by-address.txt`).
//!    The link module learns to read them (`packs.js`), and `index.html` gets the first
//!    script that starts a first visit's pack (`first_visit.js`).
//! 6. terser on the JavaScript (`--module --compress --mangle`; with the short names, the two
//!    files were 11 KB of every first visit and are 5.6 KB).
//! 7. All of that into `dist/app-<hash>/`, named by a hash of what it holds, so a new build is
//!    new addresses and every file can be cached for ever; then `index.html` from
//!    `frontend/index.html` (its `data-trunk` links become the files they name) and `sw.js`
//!    with the list of every file to keep for offline use.
//!
//! [`crate::frontend::build_frontend`] runs this, compresses the files and records a stamp.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sha2::{Digest, Sha256};

use crate::Result;
use crate::frontend::all_files;
use crate::project::{Project, run as run_cmd};

/// The name wasm-bindgen gives the app's JavaScript (`<name>.js`) and main module
/// (`<name>_bg.wasm`).
const NAME: &str = "atlas-frontend";

/// The link module the split points import their loaders from (relative to the app's
/// JavaScript, beside it).
const LINK_MODULE: &str = "./__wasm_split.js";

/// wasm-opt's settings:
/// - small code that compresses well: `-Os`, whose modules are larger than `-Oz`'s but
///   smaller at brotli 11, which is what travels (the map's first load 2.1 KB smaller, each
///   other page's 1 to 2 KB). Its passes run again until they find nothing more (200 bytes
///   off the core). Rust's own `opt-level = "s"` is not the same: 11 KB more on the map.
/// - `--low-memory-unused`: the first kilobyte of memory is never read or written (Rust's
///   stack is first in memory and grows down from 1 MB towards it), so constant offsets fold
///   into loads and stores: 0.8 KB off the map's first load.
/// - without the sections only tools read (which features the module uses, which tools made
///   it: 150 bytes in each of the dozen files a page fetches);
/// - the WebAssembly features rustc's wasm32 target emits by default (wasm-opt must accept
///   them).
///
/// Measured with `cargo xtask bench --only "release bundle sizes"`.
const WASM_OPT_ARGS: &[&str] = &[
    "-Os",
    "--converge",
    "--low-memory-unused",
    "--strip-target-features",
    "--strip-producers",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Where this build's pieces go before they reach `dist/`.
fn work_dir(p: &Project) -> PathBuf {
    p.target.join("xtask").join("bundle")
}

/// The compile of the frontend's release module: `cargo rustc` with the `split` feature and
/// relocations kept, and Leptos's views type-erased (`--cfg erase_components`, for every
/// crate: Leptos reads it in its own). Erased, each page's view code is not compiled again
/// for every shape of view: a first visit to the map is 417,729 bytes instead of 440,555,
/// a partnership's page 391,830 instead of 424,204. The tests and `trunk serve` build without it; the
/// end-to-end tests run on this build. [`crate::frontend::start_release_compile`] starts the
/// same command in the background, so it must stay the one command.
pub fn release_compile(p: &Project) -> Command {
    let manifest = p.root.join("frontend").join("Cargo.toml");
    let mut cmd = p.cargo();
    cmd.args([
        "rustc",
        "--config",
        "target.wasm32-unknown-unknown.rustflags=[\"--cfg\", \"erase_components\"]",
        "--target=wasm32-unknown-unknown",
        "--manifest-path",
    ])
    .arg(&manifest)
    .args([
        "--profile",
        "wasm-release",
        "--offline",
        "--bin",
        NAME,
        "--features",
        "split",
        "--",
        // Only for the final link.
        "-Clink-args=--emit-relocs",
    ]);
    cmd
}

/// The module [`release_compile`] writes.
fn compiled(p: &Project) -> PathBuf {
    p.target
        .join("wasm32-unknown-unknown")
        .join("wasm-release")
        .join(format!("{NAME}.wasm"))
}

/// Builds the split bundle into `dist` (emptied first).
pub fn build(p: &Project) -> Result<()> {
    crate::frontend::fetch(p)?;
    run_cmd(&mut release_compile(p))?;
    let work = work_dir(p);
    if work.exists() {
        fs::remove_dir_all(&work).map_err(|e| format!("cannot empty {}: {e}", work.display()))?;
    }
    let split = work.join("split");
    let app = work.join("app");
    for dir in [&split, &app] {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }

    let input = compiled(p);
    let wasm = fs::read(&input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
    let main = split.join("main.wasm");
    println!(
        "frontend: splitting {} ({} bytes)",
        input.display(),
        wasm.len()
    );
    let parts = {
        let mut opts = wasm_split_cli_support::Options::new(&wasm);
        opts.output_dir = &app;
        opts.main_out_path = &main;
        opts.link_name = LINK_MODULE;
        let main_module = format!("./{NAME}.js");
        opts.main_module = &main_module;
        wasm_split_cli_support::transform(opts)
            .map_err(|e| format!("splitting {} failed: {e:#}", input.display()))?
    };
    if parts.split_modules.is_empty() {
        return Err(format!(
            "{} has no split points: was it built with the `split` feature?",
            input.display()
        ));
    }

    run_cmd(
        p.cmd("wasm-bindgen")
            .args([
                "--target",
                "web",
                "--keep-lld-exports",
                "--no-demangle",
                "--no-typescript",
                "--out-name",
                NAME,
                "--out-dir",
            ])
            .arg(&app)
            .arg(&main),
    )?;
    trim_main_module(&app)?;
    let modules: Vec<PathBuf> = all_files(&app)?
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "wasm"))
        .collect();
    optimise(p, &modules)?;
    let packs = crate::packs::write(&app, &parts.prefetch_map)?;
    let addresses_path = p.root.join("frontend").join("parts-by-address.txt");
    let addresses = crate::packs::addresses(
        &fs::read_to_string(&addresses_path)
            .map_err(|e| format!("cannot read {}: {e}", addresses_path.display()))?,
    )?;
    let core = format!("{NAME}_bg.wasm");
    let first = crate::packs::write_first(&app, &core, &packs, &addresses)?;
    let core_size = fs::metadata(app.join(&core))
        .map_err(|e| format!("cannot read {core}: {e}"))?
        .len();
    let link_path = app.join(LINK_MODULE.trim_start_matches("./"));
    let link = fs::read_to_string(&link_path)
        .map_err(|e| format!("cannot read {}: {e}", link_path.display()))?;
    let link = crate::packs::link(
        &link,
        // Every module but the main one has a loader.
        modules.len().saturating_sub(1),
        &packs,
        (&core, core_size),
    )
    .map_err(|e| format!("{}: {e}", link_path.display()))?;
    write(&link_path, link.as_bytes())?;
    minify(
        p,
        &[
            app.join(format!("{NAME}.js")),
            app.join(LINK_MODULE.trim_start_matches("./")),
        ],
    )?;

    let files = all_files(&app)?;
    let hash = folder_hash(&app, &files)?;
    let folder = format!("app-{hash}");
    let all_packs: Vec<_> = packs.iter().chain(&first).collect();
    let first_visit = minify_script(
        p,
        &work,
        &crate::packs::first_visit_script(&folder, &first, &addresses)?,
    )?;
    replace_dist(
        p,
        &app,
        &folder,
        &first_visit,
        &crate::packs::service_worker_table(&folder, &all_packs),
    )
}

/// The JavaScript classes of [`unused_class_export`].
const UNUSED_CLASSES: [&str; 3] = [
    "IntoUnderlyingByteSource",
    "IntoUnderlyingSink",
    "IntoUnderlyingSource",
];

/// `js` without the classes named, each written by wasm-bindgen as `export class Name {`
/// through `if (Symbol.dispose) Name.prototype[…] = Name.prototype.free;`. Each must be there
/// once: anything else is a change in how wasm-bindgen writes them, and stops the build.
fn without_classes(js: &str, classes: &[&str]) -> Result<String> {
    let mut out = js.to_owned();
    for class in classes {
        let start_line = format!("export class {class} {{");
        let end_line = format!(
            "if (Symbol.dispose) {class}.prototype[Symbol.dispose] = {class}.prototype.free;\n"
        );
        let (Some(start), Some(end)) = (out.find(&start_line), out.find(&end_line)) else {
            return Err(format!(
                "the app's JavaScript does not write the class {class} as expected"
            ));
        };
        if out.matches(&start_line).count() != 1
            || out.matches(&end_line).count() != 1
            || end < start
        {
            return Err(format!(
                "the app's JavaScript does not write the class {class} as expected"
            ));
        }
        out.replace_range(start..end + end_line.len(), "");
    }
    Ok(out)
}

/// The exports of classes the app never makes: `wasm-streams`' sources and sinks, which
/// Leptos 0.8's `server_fn` (not optional) exports for streaming server functions, and this
/// app has none. Taken out of the main module, wasm-opt drops the code only they reached
/// (1.2 KB of every first load), and their JavaScript classes go too ([`without_classes`]:
/// 0.3 KB). The e2e tests would see the app fail to start if the JavaScript still used them.
fn unused_class_export(name: &str) -> bool {
    [
        "intounderlyingbytesource_",
        "intounderlyingsink_",
        "intounderlyingsource_",
    ]
    .iter()
    .any(|class| {
        name.starts_with(class)
            || name
                .strip_prefix("__wbg_")
                .is_some_and(|n| n.starts_with(class))
    })
}

/// The main module's imports from the app's JavaScript renamed short, in both, and the
/// exports of classes the app never makes taken out ([`unused_class_export`]).
fn trim_main_module(app: &Path) -> Result<()> {
    let wasm_path = app.join(format!("{NAME}_bg.wasm"));
    let js_path = app.join(format!("{NAME}.js"));
    let wasm =
        fs::read(&wasm_path).map_err(|e| format!("cannot read {}: {e}", wasm_path.display()))?;
    let js = fs::read_to_string(&js_path)
        .map_err(|e| format!("cannot read {}: {e}", js_path.display()))?;
    let (wasm, js) = crate::imports::shorten(&wasm, &js, &format!("./{NAME}_bg.js"))
        .map_err(|e| format!("{}: {e}", wasm_path.display()))?;
    let (wasm, dropped) = crate::imports::without_exports(&wasm, unused_class_export)
        .map_err(|e| format!("{}: {e}", wasm_path.display()))?;
    println!("frontend: {dropped} exports of classes the app never makes taken out");
    let js = if dropped > 0 {
        without_classes(&js, &UNUSED_CLASSES).map_err(|e| format!("{}: {e}", js_path.display()))?
    } else {
        js
    };
    write(&wasm_path, &wasm)?;
    write(&js_path, js.as_bytes())
}

/// terser on each of the app's JavaScript files, in place: ES modules, so their exports keep
/// their names and everything else may be renamed.
fn minify(p: &Project, files: &[PathBuf]) -> Result<()> {
    let terser = p
        .which("terser")
        .ok_or("terser is not on PATH (cargo xtask installs it into target/tools)")?;
    for file in files {
        run_cmd(
            p.cmd(&terser)
                .arg(file)
                .args(["--module", "--compress", "--mangle", "--output"])
                .arg(file),
        )?;
    }
    Ok(())
}

/// `script` (a classic script, not a module) minified by terser, through a file in `work`.
fn minify_script(p: &Project, work: &Path, script: &str) -> Result<String> {
    let file = work.join("first_visit.js");
    write(&file, script.as_bytes())?;
    let terser = p
        .which("terser")
        .ok_or("terser is not on PATH (cargo xtask installs it into target/tools)")?;
    run_cmd(
        p.cmd(&terser)
            .arg(&file)
            .args(["--compress", "--mangle", "--output"])
            .arg(&file),
    )?;
    let minified =
        fs::read_to_string(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    Ok(minified.trim_end().to_owned())
}

/// wasm-opt on every module, two at a time (the machines have two cores). What it prints is
/// shown only when it fails: the split modules' name sections make it warn about every one.
fn optimise(p: &Project, modules: &[PathBuf]) -> Result<()> {
    let wasm_opt = p
        .which("wasm-opt")
        .ok_or("wasm-opt is not on PATH (cargo xtask installs it into target/tools)")?;
    println!(
        "$ wasm-opt {} on each of {} modules",
        WASM_OPT_ARGS.join(" "),
        modules.len()
    );
    for pair in modules.chunks(2) {
        let mut children = Vec::new();
        for module in pair {
            let child = p
                .cmd(&wasm_opt)
                .args(WASM_OPT_ARGS)
                .arg(module)
                .arg("-o")
                .arg(module)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .map_err(|e| format!("cannot start wasm-opt: {e}"))?;
            children.push((module, child));
        }
        for (module, child) in children {
            let out = child
                .wait_with_output()
                .map_err(|e| format!("wasm-opt on {}: {e}", module.display()))?;
            if !out.status.success() {
                return Err(format!(
                    "wasm-opt failed on {} ({}):\n{}{}",
                    module.display(),
                    out.status,
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
    }
    Ok(())
}

/// The first 16 hex digits of a SHA-256 over every file's name and content.
fn folder_hash(dir: &Path, files: &[PathBuf]) -> Result<String> {
    let mut hasher = Sha256::new();
    for file in files {
        let name = file.strip_prefix(dir).unwrap_or(file).display().to_string();
        let bytes = fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        hasher.update((name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    Ok(short_hex(&hasher.finalize()))
}

/// Empties `dist/` and fills it: the app in `dist/<folder>/`, then the files
/// `frontend/index.html` links with `data-trunk`, and `index.html` itself.
fn replace_dist(
    p: &Project,
    app: &Path,
    folder: &str,
    first_visit: &str,
    packs: &[(String, Vec<String>)],
) -> Result<()> {
    let dist = &p.dist;
    if dist.exists() {
        fs::remove_dir_all(dist).map_err(|e| format!("cannot empty {}: {e}", dist.display()))?;
    }
    copy_dir(app, &dist.join(folder))?;
    let frontend = p.root.join("frontend");
    let template = frontend.join("index.html");
    let html = fs::read_to_string(&template)
        .map_err(|e| format!("cannot read {}: {e}", template.display()))?;
    let mut sw = None;
    let index = rewrite_index(&html, |link| -> Result<String> {
        let source = frontend.join(&link.href);
        match link.rel.as_str() {
            "rust" => Ok(app_tags(folder, first_visit)),
            "css" => {
                let css = fs::read_to_string(&source)
                    .map_err(|e| format!("cannot read {}: {e}", source.display()))?;
                // Without its comments and indentation: they were 1.2 KB (brotli) of every
                // first visit.
                let bytes = atlas_shared::css::compact(&css)
                    .map_err(|e| format!("{}: {e}", source.display()))?
                    .into_bytes();
                let name = hashed_name(&link.href, &bytes);
                write(&dist.join(&name), &bytes)?;
                Ok(format!(r#"<link rel="stylesheet" href="/{name}">"#))
            }
            "copy-file" if link.href == "sw.js" => {
                sw = Some(source);
                Ok(String::new())
            }
            "copy-file" => {
                let bytes = fs::read(&source)
                    .map_err(|e| format!("cannot read {}: {e}", source.display()))?;
                write(&dist.join(&link.href), &bytes)?;
                Ok(String::new())
            }
            "copy-dir" => {
                copy_dir(&source, &dist.join(&link.href))?;
                Ok(String::new())
            }
            other => Err(format!(
                "{}: a data-trunk link with rel=\"{other}\" that cargo xtask does not build",
                template.display()
            )),
        }
    })?;
    write(&dist.join("index.html"), index.as_bytes())?;
    let sw = sw.ok_or_else(|| format!("{} does not copy sw.js", template.display()))?;
    let worker =
        fs::read_to_string(&sw).map_err(|e| format!("cannot read {}: {e}", sw.display()))?;
    let precache = precache_list(dist)?;
    write(
        &dist.join("sw.js"),
        with_precache(&worker, &precache, packs)?.as_bytes(),
    )
}

/// What replaces the `rel="rust"` link: the script that starts fetching the core with the
/// page's part at once (`first_visit`, [`crate::packs`]), the app's JavaScript fetched at
/// once, and the script that starts it (`firstVisit`: the core from that pack, or alone).
/// The server allows the inline scripts by their hashes (the Content-Security-Policy,
/// `backend/src/http/security.rs`).
fn app_tags(folder: &str, first_visit: &str) -> String {
    let js = format!("/{folder}/{NAME}.js");
    let link = format!("/{folder}/{}", LINK_MODULE.trim_start_matches("./"));
    format!(
        "<script>\n{first_visit}\n</script>\n    \
         <link rel=\"modulepreload\" href=\"{js}\">\n    \
         <link rel=\"modulepreload\" href=\"{link}\">\n    \
         <script type=\"module\">import init from '{js}'; import {{ firstVisit }} from '{link}'; \
         init({{ module_or_path: firstVisit() }});</script>"
    )
}

/// The first 16 hex digits of a digest: what names a build's files and version.
fn short_hex(digest: &[u8]) -> String {
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// `style.css` → `style-<16 hex digits>.css`.
fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let hash = short_hex(&Sha256::digest(bytes));
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}-{hash}.{ext}"),
        None => format!("{name}-{hash}"),
    }
}

/// A `<link data-trunk ...>` of `frontend/index.html`.
#[derive(Debug, PartialEq)]
struct TrunkLink {
    rel: String,
    href: String,
}

/// `html` with each `<link data-trunk ...>` (outside comments) replaced by what `build`
/// answers for it, and without its comments: they are for whoever edits the template, and
/// every first visit downloaded them.
fn rewrite_index(
    html: &str,
    mut build: impl FnMut(&TrunkLink) -> Result<String>,
) -> Result<String> {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let comment = rest.find("<!--");
        let link = rest.find("<link");
        match (comment, link) {
            (Some(c), l) if l.is_none_or(|l| c < l) => {
                let end = rest[c..]
                    .find("-->")
                    .map(|e| c + e + 3)
                    .ok_or("index.html has a comment that never ends")?;
                out.push_str(&rest[..c]);
                rest = &rest[end..];
            }
            (_, Some(l)) => {
                let end = rest[l..]
                    .find('>')
                    .map(|e| l + e + 1)
                    .ok_or("index.html has a <link that never ends")?;
                let tag = &rest[l..end];
                out.push_str(&rest[..l]);
                if has_attribute(tag, "data-trunk") {
                    let link = TrunkLink {
                        rel: attribute(tag, "rel").unwrap_or_default(),
                        href: attribute(tag, "href").unwrap_or_default(),
                    };
                    out.push_str(&build(&link)?);
                } else {
                    out.push_str(tag);
                }
                rest = &rest[end..];
            }
            (None, None) => {
                out.push_str(rest);
                return Ok(drop_blank_lines(&out));
            }
            (Some(_), None) => unreachable!("handled by the first arm"),
        }
    }
}

/// Lines left empty by links that became nothing are removed.
fn drop_blank_lines(html: &str) -> String {
    let mut out: String = html
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}

fn has_attribute(tag: &str, name: &str) -> bool {
    tag.split_whitespace()
        .any(|word| word == name || word.starts_with(&format!("{name}=")))
}

/// The value of `name="value"` in `tag`.
pub fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!("{name}=\"");
    let start = tag
        .match_indices(&needle)
        .find(|(i, _)| *i == 0 || tag[..*i].ends_with(char::is_whitespace))
        .map(|(i, _)| i + needle.len())?;
    let len = tag[start..].find('"')?;
    Some(tag[start..start + len].to_owned())
}

/// Every file of `dist` the service worker keeps for offline use, as absolute paths: all of
/// them but `sw.js`, the compressed copies (`index.html` is kept under its own name) and the
/// packs, which it puts together from the modules they hold ([`crate::packs`]).
fn precache_list(dist: &Path) -> Result<Vec<String>> {
    let mut urls = Vec::new();
    for file in all_files(dist)? {
        let name = file
            .strip_prefix(dist)
            .map_err(|_| format!("{} is outside {}", file.display(), dist.display()))?
            .to_str()
            .ok_or_else(|| format!("{} is not UTF-8", file.display()))?
            .to_owned();
        let pack = name.ends_with(&format!(".{}", crate::packs::EXTENSION));
        if name == "sw.js" || name.ends_with(".br") || name.ends_with(".gz") || pack {
            continue;
        }
        urls.push(format!("/{name}"));
    }
    Ok(urls)
}

/// The placeholder line of `frontend/sw.js` that the build fills.
const PRECACHE_LINE: &str = "const BUILD = { version: 'unbuilt', files: [], packs: {} };";

/// `sw.js` with its list of files to keep filled in, and its cache named after them, so a
/// new build is a new service worker and a fresh cache; and with each pack's address and the
/// modules it holds, in order.
fn with_precache(worker: &str, urls: &[String], packs: &[(String, Vec<String>)]) -> Result<String> {
    if worker.matches(PRECACHE_LINE).count() != 1 {
        return Err(format!(
            "frontend/sw.js must hold the line `{PRECACHE_LINE}` once, for the build to fill"
        ));
    }
    let list: Vec<String> = urls.iter().map(|u| format!("    {u:?},")).collect();
    let version = short_hex(&Sha256::digest(urls.join("\n").as_bytes()));
    let packs: Vec<String> = packs
        .iter()
        .map(|(pack, modules)| format!("    {pack:?}: {modules:?},"))
        .collect();
    Ok(worker.replace(
        PRECACHE_LINE,
        &format!(
            "// Filled by `cargo xtask`: this build, every file it holds and its packs.\n\
             const BUILD = {{\n  version: '{version}',\n  files: [\n{}\n  ],\n  \
             packs: {{\n{}\n  }},\n}};",
            list.join("\n"),
            packs.join("\n")
        ),
    ))
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for file in all_files(from)? {
        let name = file.strip_prefix(from).unwrap_or(&file);
        let bytes = fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        write(&to.join(name), &bytes)?;
    }
    Ok(())
}

/// The parts of a build in `dist/`, for the benchmarks: each module's name (`main`, or the
/// part's file stem) and its path.
pub fn modules(dist: &Path) -> Result<BTreeMap<String, PathBuf>> {
    let mut found = BTreeMap::new();
    for file in all_files(dist)? {
        let Some(name) = file.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if let Some(stem) = name.strip_suffix(".wasm") {
            let key = if stem == format!("{NAME}_bg") {
                "main".to_owned()
            } else {
                stem.to_owned()
            };
            found.insert(key, file.clone());
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_links_become_what_the_build_answers_and_comments_go() {
        let html = "<head>\n  <!-- <link data-trunk rel=\"css\" href=\"old.css\"> -->\n  \
                    <link data-trunk rel=\"rust\" href=\"Cargo.toml\"\n        data-bin=\"x\">\n  \
                    <link data-trunk rel=\"copy-file\" href=\"sw.js\">\n  \
                    <link rel=\"manifest\" href=\"/m\">\n</head>\n";
        let mut seen = Vec::new();
        let out = rewrite_index(html, |link| {
            seen.push((link.rel.clone(), link.href.clone()));
            Ok(if link.rel == "rust" {
                "<script>app</script>".to_owned()
            } else {
                String::new()
            })
        })
        .expect("rewritten");
        assert_eq!(
            seen,
            [
                ("rust".to_owned(), "Cargo.toml".to_owned()),
                ("copy-file".to_owned(), "sw.js".to_owned())
            ]
        );
        assert!(!out.contains("<!--") && !out.contains("old.css"), "{out}");
        assert!(out.contains("<script>app</script>"));
        assert!(out.contains("<link rel=\"manifest\" href=\"/m\">"));
        assert!(!out.contains("data-bin"));
        assert!(!out.lines().any(|l| l.trim().is_empty()), "{out}");
    }

    #[test]
    fn an_unending_comment_or_link_is_an_error_not_a_guess() {
        assert!(rewrite_index("<!-- open", |_| Ok(String::new())).is_err());
        assert!(rewrite_index("<link data-trunk rel=\"css\"", |_| Ok(String::new())).is_err());
    }

    #[test]
    fn attributes_are_read_by_whole_name() {
        let tag = "<link data-trunk data-rel=\"no\" rel=\"css\" href=\"a b.css\">";
        assert_eq!(attribute(tag, "rel").as_deref(), Some("css"));
        assert_eq!(attribute(tag, "href").as_deref(), Some("a b.css"));
        assert_eq!(attribute(tag, "src"), None);
        assert!(has_attribute(tag, "data-trunk"));
        assert!(!has_attribute(tag, "data"));
    }

    #[test]
    fn the_service_worker_gets_the_list_and_a_version_that_follows_it() {
        let sw = format!("'use strict';\n{PRECACHE_LINE}\nconst CACHE = 'x';\n");
        let packs = [(
            "/app-1/split_q.pack".to_owned(),
            vec![
                "/app-1/chunk_2.wasm".to_owned(),
                "/app-1/split_q.wasm".to_owned(),
            ],
        )];
        let one = with_precache(&sw, &["/a.js".to_owned()], &packs).expect("filled");
        let two = with_precache(&sw, &["/b.js".to_owned()], &packs).expect("filled");
        assert!(one.contains("\"/a.js\","), "{one}");
        assert!(
            one.contains(
                "\"/app-1/split_q.pack\": [\"/app-1/chunk_2.wasm\", \"/app-1/split_q.wasm\"],"
            ),
            "{one}"
        );
        assert_ne!(one, two);
        assert!(with_precache("const CACHE = 'x';", &[], &[]).is_err());
    }

    #[test]
    fn only_the_stream_classes_exports_are_taken_out() {
        for name in [
            "intounderlyingsink_write",
            "__wbg_intounderlyingsource_free",
            "intounderlyingbytesource_autoAllocateChunkSize",
        ] {
            assert!(unused_class_export(name), "{name}");
        }
        for name in [
            "memory",
            "__wbg_set_wasm",
            "main",
            "__wasm_split_shared0",
            "sink_write",
        ] {
            assert!(!unused_class_export(name), "{name}");
        }
    }

    #[test]
    fn unused_classes_are_cut_whole_and_anything_unexpected_stops_the_build() {
        let js = "import x;\nexport class A {\n    free() {}\n}\nif (Symbol.dispose) A.prototype[Symbol.dispose] = A.prototype.free;\n\nexport class B {}\n";
        assert_eq!(
            without_classes(js, &["A"]).expect("cut"),
            "import x;\n\nexport class B {}\n"
        );
        assert!(without_classes(js, &["B"]).is_err(), "no dispose line");
        assert!(without_classes(js, &["C"]).is_err(), "not there");
        let twice = format!("{js}{js}");
        assert!(without_classes(&twice, &["A"]).is_err());
    }

    #[test]
    fn hashed_names_keep_the_extension_and_follow_the_content() {
        let a = hashed_name("style.css", b"a");
        assert!(
            a.starts_with("style-") && a.ends_with(".css") && a.len() == 26,
            "{a}"
        );
        assert_ne!(a, hashed_name("style.css", b"b"));
    }
}
