//! The first-load budget (issue 14): a first visit to the home page, a partnership's page,
//! its map or a public questionnaire downloads at most 250,000 bytes of the app, brotli as
//! the server sends it. `tests/examples/first_load.rs` (`cargo xtask bench --only "first
//! load"`) measures what Chromium fetches; every release build adds up the same files in
//! `dist/` here, so that a change which takes one of these pages over the goal stops the
//! build instead of waiting for someone to run the benchmark.

use std::fs;
use std::path::{Path, PathBuf};

use crate::Result;
use crate::bundle::attribute;

/// The goal, in bytes on the wire.
pub const GOAL_BYTES: u64 = 250_000;

/// The pages the goal names, each with the file a first visit fetches the app's code in: the
/// first pack of the page's part, the core with the part's modules (`xtask/src/packs.rs`).
const PAGES: [(&str, &str); 4] = [
    ("the home page", "first_home.pack"),
    ("a partnership's page", "first_structure.pack"),
    ("a partnership's map", "first_map.pack"),
    ("a public questionnaire", "first_questionnaire.pack"),
];

/// What a first visit to one page downloads.
#[derive(Debug, PartialEq)]
pub struct FirstLoad {
    pub page: &'static str,
    pub bytes: u64,
}

/// Each page's first load from `dist/`, printed; an error naming every page over the goal.
pub fn check(dist: &Path) -> Result<Vec<FirstLoad>> {
    let loads = first_loads(dist)?;
    let over: Vec<String> = loads
        .iter()
        .filter(|l| l.bytes > GOAL_BYTES)
        .map(|l| format!("{} is {} bytes", l.page, l.bytes))
        .collect();
    let figures: Vec<String> = loads
        .iter()
        .map(|l| {
            format!(
                "{} {} bytes ({:.1} %)",
                l.page,
                l.bytes,
                l.bytes as f64 / GOAL_BYTES as f64 * 100.0
            )
        })
        .collect();
    println!(
        "frontend: first loads (brotli, of a goal of {GOAL_BYTES} bytes): {}",
        figures.join("; ")
    );
    if !over.is_empty() {
        return Err(format!(
            "over the first-load goal of {GOAL_BYTES} bytes (issue 14): {}. Move what a first \
             visit to the page does not show into a part fetched when it is first used (see \
             frontend/src/pages/structure/map_tools.rs)",
            over.join("; ")
        ));
    }
    Ok(loads)
}

/// Each page of [`PAGES`]: what every first visit fetches ([`shared_files`]) and the page's
/// module.
fn first_loads(dist: &Path) -> Result<Vec<FirstLoad>> {
    let shared: u64 = shared_files(dist)?
        .iter()
        .map(|f| on_the_wire(f))
        .sum::<Result<u64>>()?;
    let app = app_folder(dist)?;
    PAGES
        .iter()
        .map(|(page, module)| {
            Ok(FirstLoad {
                page,
                bytes: shared + on_the_wire(&app.join(module))?,
            })
        })
        .collect()
}

/// The files every first visit fetches besides its page's module: `index.html`, what it
/// links to that the browser fetches at once (the app's scripts, the stylesheet, the
/// manifest, the tab's icon; not the apple-touch-icon, which only iOS asks for) and the
/// manifest's icon Chromium fetches for its install prompt (the smallest of its `any` icons
/// at least 144 pixels wide).
fn shared_files(dist: &Path) -> Result<Vec<PathBuf>> {
    let index = dist.join("index.html");
    let html =
        fs::read_to_string(&index).map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    let mut files = vec![index];
    let mut manifest = None;
    for tag in html.split("<link ").skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        let (Some(rel), Some(href)) = (attribute(tag, "rel"), attribute(tag, "href")) else {
            continue;
        };
        let file = dist.join(href.trim_start_matches('/'));
        match rel.as_str() {
            "modulepreload" | "stylesheet" | "icon" => files.push(file),
            "manifest" => manifest = Some(file),
            _ => {}
        }
    }
    let manifest = manifest.ok_or_else(|| format!("{} links no manifest", dist.display()))?;
    let text = fs::read_to_string(&manifest)
        .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    let icon = install_icon(&text).map_err(|e| format!("{}: {e}", manifest.display()))?;
    files.push(manifest);
    files.push(dist.join(icon.trim_start_matches('/')));
    Ok(files)
}

/// The manifest's icon Chromium fetches on a first visit: of the icons whose purpose is
/// `any`, the smallest at least 144 pixels wide.
fn install_icon(manifest: &str) -> Result<String> {
    let manifest: serde_json::Value =
        serde_json::from_str(manifest).map_err(|e| format!("not JSON: {e}"))?;
    let icons = manifest["icons"].as_array().ok_or("no icons")?;
    icons
        .iter()
        .filter(|i| {
            i["purpose"]
                .as_str()
                .unwrap_or("any")
                .split(' ')
                .any(|p| p == "any")
        })
        .filter_map(|i| {
            let width: u32 = i["sizes"].as_str()?.split('x').next()?.parse().ok()?;
            Some((width, i["src"].as_str()?.to_owned()))
        })
        .filter(|(width, _)| *width >= 144)
        .min()
        .map(|(_, src)| src)
        .ok_or_else(|| "no `any` icon of 144 pixels or more".to_owned())
}

/// The release's own folder, `dist/app-<hash>/`.
fn app_folder(dist: &Path) -> Result<PathBuf> {
    let mut folders = fs::read_dir(dist)
        .map_err(|e| format!("cannot read {}: {e}", dist.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("app-"))
        });
    match (folders.next(), folders.next()) {
        (Some(folder), None) => Ok(folder),
        _ => Err(format!(
            "{} has not exactly one app-* folder",
            dist.display()
        )),
    }
}

/// The bytes the server sends for `file`: its brotli copy beside it, or the file itself
/// (images, already compressed).
fn on_the_wire(file: &Path) -> Result<u64> {
    let mut br = file.as_os_str().to_owned();
    br.push(".br");
    let sent = if Path::new(&br).exists() {
        PathBuf::from(br)
    } else {
        file.to_path_buf()
    };
    fs::metadata(&sent)
        .map(|m| m.len())
        .map_err(|e| format!("cannot read {}: {e}", sent.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdir::tempdir;

    const MANIFEST: &str = r#"{ "icons": [
        { "src": "/icons/icon-512.png", "sizes": "512x512", "purpose": "any" },
        { "src": "/icons/icon-192.png", "sizes": "192x192", "purpose": "any" },
        { "src": "/icons/icon-96.png", "sizes": "96x96", "purpose": "any" },
        { "src": "/icons/icon-maskable-160.png", "sizes": "160x160", "purpose": "maskable" }
    ] }"#;

    const INDEX: &str = r#"<head>
        <link rel="modulepreload" href="/app-1/app.js">
        <link rel="stylesheet" href="/style-1.css">
        <link rel="manifest" href="/manifest.webmanifest">
        <link rel="icon" type="image/png" sizes="32x32" href="/icons/icon-32.png">
        <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png">
    </head>"#;

    /// A `dist/` whose files have the sizes given (a `.br` beside each text file).
    fn dist(dir: &Path, map_pack: usize) -> PathBuf {
        let dist = dir.join("dist");
        let file = |name: &str, bytes: usize| {
            let path = dist.join(name);
            fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
            fs::write(&path, vec![b'x'; bytes]).expect("file");
        };
        fs::create_dir_all(&dist).expect("dist");
        fs::write(dist.join("index.html"), INDEX).expect("index");
        file("index.html.br", 100);
        fs::write(dist.join("manifest.webmanifest"), MANIFEST).expect("manifest");
        file("manifest.webmanifest.br", 20);
        file("app-1/app.js", 9_000);
        file("app-1/app.js.br", 1_000);
        file("style-1.css", 5_000);
        file("style-1.css.br", 300);
        file("icons/icon-32.png", 40);
        file("icons/icon-192.png", 150);
        file("icons/icon-96.png", 70);
        file("icons/icon-512.png", 500);
        file("icons/icon-maskable-160.png", 160);
        file("icons/apple-touch-icon.png", 120);
        file("app-1/first_home.pack.br", 160_000);
        file("app-1/first_structure.pack.br", 200_000);
        file("app-1/first_map.pack.br", map_pack);
        file("app-1/first_questionnaire.pack.br", 230_000);
        dist
    }

    #[test]
    fn a_first_load_is_the_page_its_links_the_install_icon_and_the_pages_module() {
        let dir = tempdir();
        let dist = dist(&dir, 240_000);
        // index 100, script 1,000, styles 300, tab icon 40, manifest 20, its 192 px icon 150.
        let shared = 100 + 1_000 + 300 + 40 + 20 + 150;
        let loads = check(&dist).expect("within the goal");
        assert_eq!(
            loads,
            [
                FirstLoad {
                    page: "the home page",
                    bytes: shared + 160_000
                },
                FirstLoad {
                    page: "a partnership's page",
                    bytes: shared + 200_000
                },
                FirstLoad {
                    page: "a partnership's map",
                    bytes: shared + 240_000
                },
                FirstLoad {
                    page: "a public questionnaire",
                    bytes: shared + 230_000
                },
            ]
        );
    }

    #[test]
    fn a_page_over_the_goal_stops_the_build_and_is_named() {
        let dir = tempdir();
        let dist = dist(&dir, 249_000);
        let err = check(&dist).expect_err("the map is over");
        assert!(err.contains("a partnership's map is 250610 bytes"), "{err}");
        assert!(!err.contains("questionnaire"), "{err}");
    }

    #[test]
    fn a_missing_page_module_is_an_error_not_a_smaller_figure() {
        let dir = tempdir();
        let dist = dist(&dir, 1);
        fs::remove_file(dist.join("app-1/first_map.pack.br")).expect("removed");
        let err = check(&dist).expect_err("no map pack");
        assert!(err.contains("first_map.pack"), "{err}");
    }
}
