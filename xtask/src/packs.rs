//! Packs: each part's module with the chunks it needs, in one file (`split_<part>.pack`).
//!
//! The splitter writes a part and the chunks it shares with other parts as separate modules,
//! so that a module is fetched once however many parts need it. But each file is compressed
//! on its own, and a page's dozen files were 15 KB larger in brotli than the same bytes in one
//! stream. A pack is those modules one after another; the loaders in `__wasm_split.js` answer
//! the modules of a page's first part from its pack (`packs.js`, which says when), and fetch
//! every other module on its own. The service worker keeps the modules, not the packs, and
//! puts a pack together from them when asked for one (`frontend/sw.js`).

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use crate::Result;

/// A part's pack.
#[derive(Debug, PartialEq)]
pub struct Pack {
    /// The pack's file name: `split_<part>.pack`.
    pub file: String,
    /// The modules in it, in order, with their sizes: the chunks the part needs, then the
    /// part's own module.
    pub members: Vec<(String, u64)>,
}

impl Pack {
    /// The part's own module, which the loaders key the pack by.
    fn part_module(&self) -> &str {
        self.members.last().map_or("", |(name, _)| name)
    }
}

/// The extension of a pack's file.
pub const EXTENSION: &str = "pack";

/// The packs of the modules in `app`, as the splitter's `prefetch_map` lists them (a part →
/// the stems of the chunks it needs, then its own), written into `app`. A part whose own
/// module is empty (nothing to fetch) has no pack.
pub fn write(app: &Path, prefetch: &HashMap<String, Vec<String>>) -> Result<Vec<Pack>> {
    let mut parts: Vec<_> = prefetch.iter().collect();
    parts.sort();
    let mut packs = Vec::new();
    for (part, stems) in parts {
        let own = format!("split_{part}");
        if stems.last() != Some(&own) {
            continue;
        }
        let mut bytes = Vec::new();
        let mut members = Vec::new();
        for stem in stems {
            let name = format!("{stem}.wasm");
            let path = app.join(&name);
            let module =
                fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            members.push((name, module.len() as u64));
            bytes.extend_from_slice(&module);
        }
        let file = format!("{own}.{EXTENSION}");
        let path = app.join(&file);
        fs::write(&path, &bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        packs.push(Pack { file, members });
    }
    Ok(packs)
}

/// What each loader of the splitter's link module fetches a module with.
const FETCH: &str = "fetch(new URL(";
/// The line of `packs.js` the build fills.
const PACKS_LINE: &str = "const PACKS = {};";

/// The splitter's link module `js`, whose `modules` loaders each fetch one module, with
/// `packs.js` added, its table filled with `packs`, and every loader fetching through it.
/// Anything unexpected in how the splitter writes its loaders stops the build, rather than
/// shipping loaders that would fetch nothing.
pub fn link(js: &str, modules: usize, packs: &[Pack]) -> Result<String> {
    let found = js.matches(FETCH).count();
    if found != modules {
        return Err(format!(
            "the splitter's link module fetches {found} modules with `{FETCH}` where the build \
             has {modules}: its loaders are not written as this build expects"
        ));
    }
    if js.contains("packFetch") || js.contains("PACKS") {
        return Err("the splitter's link module already names packFetch or PACKS".to_owned());
    }
    let runtime = include_str!("packs.js");
    if runtime.matches(PACKS_LINE).count() != 1 {
        return Err(format!("packs.js must hold `{PACKS_LINE}` once"));
    }
    let table: Vec<String> = packs
        .iter()
        .map(|pack| {
            let members: Vec<String> = pack
                .members
                .iter()
                .map(|(name, size)| format!("[{name:?}, {size}]"))
                .collect();
            format!(
                "  {:?}: [{:?}, [{}]],",
                pack.part_module(),
                pack.file,
                members.join(", ")
            )
        })
        .collect();
    let runtime = runtime.replace(
        PACKS_LINE,
        &format!("const PACKS = {{\n{}\n}};", table.join("\n")),
    );
    Ok(format!(
        "{}\n{runtime}",
        js.replace(FETCH, "packFetch(new URL(")
    ))
}

/// The service worker's table of packs: each pack's address and its modules' addresses, in
/// order, for the app in `/<folder>/`.
pub fn addresses(folder: &str, packs: &[Pack]) -> Vec<(String, Vec<String>)> {
    packs
        .iter()
        .map(|pack| {
            (
                format!("/{folder}/{}", pack.file),
                pack.members
                    .iter()
                    .map(|(name, _)| format!("/{folder}/{name}"))
                    .collect(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdir::tempdir;

    fn loader(file: &str) -> String {
        format!(
            "const x = makeLoad(() => {{\n    const src = fetch(new URL(\"./{file}\", import.meta.url));\n}}, []);\n"
        )
    }

    #[test]
    fn a_pack_is_its_chunks_then_its_part_and_an_empty_part_has_none() {
        let dir = tempdir();
        for (name, bytes) in [
            ("chunk_1.wasm", &b"one"[..]),
            ("chunk_2.wasm", b"second"),
            ("split_map.wasm", b"map!"),
        ] {
            fs::write(dir.join(name), bytes).expect("module");
        }
        let prefetch = HashMap::from([
            (
                "map".to_owned(),
                vec![
                    "chunk_2".to_owned(),
                    "chunk_1".to_owned(),
                    "split_map".to_owned(),
                ],
            ),
            // Empty: the splitter lists only its chunks.
            ("send".to_owned(), vec!["chunk_1".to_owned()]),
        ]);
        let packs = write(&dir, &prefetch).expect("written");
        assert_eq!(
            packs,
            vec![Pack {
                file: "split_map.pack".to_owned(),
                members: vec![
                    ("chunk_2.wasm".to_owned(), 6),
                    ("chunk_1.wasm".to_owned(), 3),
                    ("split_map.wasm".to_owned(), 4),
                ],
            }]
        );
        assert_eq!(
            fs::read(dir.join("split_map.pack")).expect("pack"),
            b"secondonemap!"
        );
        assert!(!dir.join("split_send.pack").exists());
    }

    #[test]
    fn every_loader_fetches_through_the_packs_and_the_table_names_them() {
        let js = format!("{}{}", loader("chunk_1.wasm"), loader("split_map.wasm"));
        let packs = [Pack {
            file: "split_map.pack".to_owned(),
            members: vec![
                ("chunk_1.wasm".to_owned(), 3),
                ("split_map.wasm".to_owned(), 4),
            ],
        }];
        let out = link(&js, 2, &packs).expect("linked");
        assert_eq!(out.matches("packFetch(new URL(\"./").count(), 2);
        assert!(!out.contains(" fetch(new URL("), "{out}");
        assert!(out.contains(
            "\"split_map.wasm\": [\"split_map.pack\", [[\"chunk_1.wasm\", 3], [\"split_map.wasm\", 4]]],"
        ));
        assert!(!out.contains(PACKS_LINE));
    }

    #[test]
    fn loaders_written_otherwise_stop_the_build() {
        let js = loader("chunk_1.wasm");
        assert!(link(&js, 2, &[]).is_err(), "a module without its loader");
        assert!(link(&js, 0, &[]).is_err(), "a loader too many");
        let named = format!("{js}function packFetch() {{}}\n");
        assert!(link(&named, 1, &[]).is_err(), "a name of its own taken");
        assert!(link(&js, 1, &[]).is_ok());
    }

    #[test]
    fn the_service_worker_gets_each_packs_address_and_its_modules() {
        let packs = [Pack {
            file: "split_q.pack".to_owned(),
            members: vec![
                ("chunk_3.wasm".to_owned(), 1),
                ("split_q.wasm".to_owned(), 2),
            ],
        }];
        assert_eq!(
            addresses("app-1", &packs),
            vec![(
                "/app-1/split_q.pack".to_owned(),
                vec![
                    "/app-1/chunk_3.wasm".to_owned(),
                    "/app-1/split_q.wasm".to_owned()
                ]
            )]
        );
    }
}
