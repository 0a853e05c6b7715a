//! Packs: a part's modules in one file, so that a page's first visit fetches its code in one
//! brotli stream.
//!
//! The splitter writes a part and the chunks it shares with other parts as separate modules,
//! so that a module is fetched once however many parts need it. But each file is compressed
//! on its own, and a page's dozen files were 15 KB larger in brotli than the same bytes in one
//! stream; the core and the page's part apart, another 8 to 11 KB. So each part has two packs:
//!
//! - `split_<part>.pack`: the chunks the part needs, then its own module. The loaders in
//!   `__wasm_split.js` answer a part's modules from it when none of them was asked for
//!   before.
//! - `first_<part>.pack`: the app's core, then the same. The page that starts the app
//!   (`index.html`) fetches it instead of the core alone when the address's page is in that
//!   part (`frontend/parts-by-address.txt`, which a browser test keeps equal to the app's
//!   table), and the part's loaders are then answered from it.
//!
//! `packs.js` says when each is used: only by a page the service worker does not serve yet.
//! A page it serves takes each module from its cache under the module's own address, where
//! the browser keeps its compiled code between visits. Anything else (a module a page
//! already loaded, a pack that cannot be fetched or is not the size it should be) is fetched
//! on its own, as without packs. The service worker keeps the modules, not the packs, and
//! puts a pack together from them if asked for one (`frontend/sw.js`).

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use crate::Result;

/// A pack.
#[derive(Debug, PartialEq)]
pub struct Pack {
    /// The part whose modules it holds.
    pub part: String,
    /// The pack's file name: `split_<part>.pack` or `first_<part>.pack`.
    pub file: String,
    /// The modules in it, in order, with their sizes: (the core,) the chunks the part needs,
    /// then the part's own module.
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

/// The parts' packs of the modules in `app` (`split_<part>.pack`), as the splitter's
/// `prefetch_map` lists them (a part → the stems of the chunks it needs, then its own),
/// written into `app`. A part whose own module is empty (nothing to fetch) has none.
pub fn write(app: &Path, prefetch: &HashMap<String, Vec<String>>) -> Result<Vec<Pack>> {
    let mut parts: Vec<_> = prefetch.iter().collect();
    parts.sort();
    let mut packs = Vec::new();
    for (part, stems) in parts {
        let own = format!("split_{part}");
        if stems.last() != Some(&own) {
            continue;
        }
        let names: Vec<String> = stems.iter().map(|stem| format!("{stem}.wasm")).collect();
        packs.push(write_pack(app, part, format!("{own}.{EXTENSION}"), &names)?);
    }
    Ok(packs)
}

/// The parts whose pages a first visit fetches with the core, when the address is one of
/// theirs: every part but the staff pages'. Theirs is 750 KB (brotli), beside which the
/// core in the same stream saves 1 %, and its pack would be 3 MB more in `dist/`; leaving
/// out its addresses also keeps the table every first visit downloads to a quarter.
fn first_visit_part(part: &str) -> bool {
    part != "staff"
}

/// The first visit's packs (`first_<part>.pack`: the core `core`, then the part's pack), of
/// each part that `addresses` names ([`first_visit_part`]), written into `app`.
pub fn write_first(
    app: &Path,
    core: &str,
    packs: &[Pack],
    addresses: &[(String, String)],
) -> Result<Vec<Pack>> {
    let mut first = Vec::new();
    for pack in packs {
        if !first_visit_part(&pack.part) || !addresses.iter().any(|(_, part)| *part == pack.part) {
            continue;
        }
        let mut names = vec![core.to_owned()];
        names.extend(pack.members.iter().map(|(name, _)| name.clone()));
        let file = format!("first_{}.{EXTENSION}", pack.part);
        first.push(write_pack(app, &pack.part, file, &names)?);
    }
    if let Some((pattern, part)) = addresses.iter().find(|(_, part)| {
        !packs.iter().any(|p| p.part == *part)
            || first_visit_part(part) && !first.iter().any(|p| p.part == *part)
    }) {
        return Err(format!(
            "frontend/parts-by-address.txt puts {pattern} in the part {part}, which the build \
             does not have"
        ));
    }
    Ok(first)
}

/// The modules `names` of `app`, one after another, written as `file`.
fn write_pack(app: &Path, part: &str, file: String, names: &[String]) -> Result<Pack> {
    let mut bytes = Vec::new();
    let mut members = Vec::new();
    for name in names {
        let path = app.join(name);
        let module = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        members.push((name.clone(), module.len() as u64));
        bytes.extend_from_slice(&module);
    }
    let path = app.join(&file);
    fs::write(&path, &bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(Pack {
        part: part.to_owned(),
        file,
        members,
    })
}

/// `frontend/parts-by-address.txt`: each line an address's path pattern and its page's part,
/// `#` lines comments. Answered most specific first, as `atlas_shared::paths` chooses
/// between patterns that both match (at the first segment where they differ, text beats a
/// `:name`; the table's order otherwise), so the first pattern that matches is the page.
pub fn addresses(text: &str) -> Result<Vec<(String, String)>> {
    let mut found = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (pattern, part) = line
            .rsplit_once(' ')
            .filter(|(pattern, part)| pattern.starts_with('/') && !part.is_empty())
            .ok_or_else(|| {
                format!("frontend/parts-by-address.txt: {line:?} is not `<pattern> <part>`")
            })?;
        found.push((pattern.to_owned(), part.to_owned()));
    }
    let shape = |pattern: &str| -> Vec<bool> {
        pattern
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| s.starts_with(':'))
            .collect()
    };
    found.sort_by_key(|(pattern, _)| shape(pattern));
    Ok(found)
}

/// Whether some path matches both patterns: at each segment, text in both is the same text.
fn overlap(a: &str, b: &str) -> bool {
    let a: Vec<&str> = a.split('/').filter(|s| !s.is_empty()).collect();
    let b: Vec<&str> = b.split('/').filter(|s| !s.is_empty()).collect();
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, y)| x.starts_with(':') || y.starts_with(':') || x == y)
}

/// The addresses a first visit needs to tell which pack to fetch: those of the parts it has
/// first packs for, and those that could be taken for one of them (`/partnerships/new`,
/// a staff page, beside `/partnerships/:id`), in order.
fn for_first_visit<'a>(
    addresses: &'a [(String, String)],
    first: &[Pack],
) -> Vec<&'a (String, String)> {
    let first_visit: Vec<&String> = addresses
        .iter()
        .filter(|(_, part)| first.iter().any(|p| p.part == *part))
        .map(|(pattern, _)| pattern)
        .collect();
    addresses
        .iter()
        .filter(|(pattern, _)| first_visit.iter().any(|f| overlap(pattern, f)))
        .collect()
}

/// What each loader of the splitter's link module fetches a module with.
const FETCH: &str = "fetch(new URL(";
/// The lines of `packs.js` the build fills.
const TABLES: &str = "const PACKS = {};\nconst CORE_MODULE = [];";
/// The lines of `first_visit.js` the build fills.
const FIRST_TABLES: &str = "  const FIRST_PACKS = {};\n  const ADDRESSES = [];";

/// The splitter's link module `js`, whose `modules` loaders each fetch one module, with
/// `packs.js` added, its tables filled (the parts' `packs` and the `core` module with its
/// size), and every loader fetching through it. Anything unexpected in how the splitter
/// writes its loaders stops the build, rather than shipping loaders that would fetch
/// nothing.
pub fn link(
    js: &str,
    modules: usize,
    packs: &[Pack],
    (core, core_size): (&str, u64),
) -> Result<String> {
    let found = js.matches(FETCH).count();
    if found != modules {
        return Err(format!(
            "the splitter's link module fetches {found} modules with `{FETCH}` where the build \
             has {modules}: its loaders are not written as this build expects"
        ));
    }
    for name in ["packFetch", "PACKS", "CORE_MODULE", "firstVisit"] {
        if js.contains(name) {
            return Err(format!("the splitter's link module already names {name}"));
        }
    }
    let runtime = include_str!("packs.js");
    if runtime.matches(TABLES).count() != 1 {
        return Err(format!("packs.js must hold `{TABLES}` once"));
    }
    let packs: Vec<String> = packs
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
        TABLES,
        &format!(
            "const PACKS = {{\n{}\n}};\nconst CORE_MODULE = [{core:?}, {core_size}];",
            packs.join("\n")
        ),
    );
    Ok(format!(
        "{}\n{runtime}",
        js.replace(FETCH, "packFetch(new URL(")
    ))
}

/// The script `index.html` runs first (`first_visit.js`), with its tables filled: the
/// `first` visit's packs, in the app's folder `/<folder>/`, and the `addresses` it needs to
/// tell which to fetch.
pub fn first_visit_script(
    folder: &str,
    first: &[Pack],
    addresses: &[(String, String)],
) -> Result<String> {
    let script = include_str!("first_visit.js");
    if script.matches(FIRST_TABLES).count() != 1 {
        return Err(format!("first_visit.js must hold `{FIRST_TABLES}` once"));
    }
    let first_packs: Vec<String> = first
        .iter()
        .map(|pack| format!("{:?}: {:?}", pack.part, format!("/{folder}/{}", pack.file)))
        .collect();
    let addresses: Vec<String> = for_first_visit(addresses, first)
        .into_iter()
        .map(|(pattern, part)| {
            let segments: Vec<&str> = pattern
                .split('/')
                .filter(|s| !s.is_empty())
                .map(|s| if s.starts_with(':') { ":" } else { s })
                .collect();
            format!("[{:?}, {part:?}]", segments.join("/"))
        })
        .collect();
    // Its comments are for whoever reads this file, not for every first visit.
    let code: Vec<&str> = script
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect();
    Ok(code.join("\n").replace(
        FIRST_TABLES,
        &format!(
            "  const FIRST_PACKS = {{ {} }};\n  const ADDRESSES = [{}];",
            first_packs.join(", "),
            addresses.join(", ")
        ),
    ))
}

/// The service worker's table of packs: each pack's address and its modules' addresses, in
/// order, for the app in `/<folder>/`.
pub fn service_worker_table(folder: &str, packs: &[&Pack]) -> Vec<(String, Vec<String>)> {
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

    fn pack(part: &str, file: &str, members: &[(&str, u64)]) -> Pack {
        Pack {
            part: part.to_owned(),
            file: file.to_owned(),
            members: members.iter().map(|(n, s)| ((*n).to_owned(), *s)).collect(),
        }
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn a_pack_is_its_chunks_then_its_part_and_a_first_pack_starts_with_the_core() {
        let dir = tempdir();
        for (name, bytes) in [
            ("core.wasm", &b"CORE"[..]),
            ("chunk_1.wasm", b"one"),
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
        let members = [
            ("chunk_2.wasm", 6),
            ("chunk_1.wasm", 3),
            ("split_map.wasm", 4),
        ];
        assert_eq!(packs, vec![pack("map", "split_map.pack", &members)]);
        assert_eq!(
            fs::read(dir.join("split_map.pack")).expect("pack"),
            b"secondonemap!"
        );
        assert!(!dir.join("split_send.pack").exists());

        let addresses = pairs(&[("/partnerships/:id/map", "map")]);
        let first = write_first(&dir, "core.wasm", &packs, &addresses).expect("written");
        let mut with_core = vec![("core.wasm", 4)];
        with_core.extend(members);
        assert_eq!(first, vec![pack("map", "first_map.pack", &with_core)]);
        assert_eq!(
            fs::read(dir.join("first_map.pack")).expect("pack"),
            b"COREsecondonemap!"
        );
        let unknown = pairs(&[("/glossary", "training")]);
        let err = write_first(&dir, "core.wasm", &packs, &unknown).expect_err("no such part");
        assert!(
            err.contains("/glossary") && err.contains("training"),
            "{err}"
        );
    }

    #[test]
    fn addresses_come_most_specific_first_then_in_the_lists_order() {
        let text = "# a comment\n\
                    /partnerships/:id staff\n\
                    /partnerships/:id/map map\n\
                    /partnerships/new staff\n\
                    \n\
                    /consult/:id questionnaire\n\
                    /:a/b more\n";
        let found = addresses(text).expect("read");
        let patterns: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            patterns,
            [
                "/partnerships/new",
                "/partnerships/:id",
                "/consult/:id",
                "/partnerships/:id/map",
                "/:a/b",
            ]
        );
        assert!(addresses("/a\n").is_err(), "no part");
        assert!(addresses("a b\n").is_err(), "not a path");
    }

    #[test]
    fn a_first_visit_knows_the_addresses_of_its_parts_and_those_taken_for_them() {
        let all = pairs(&[
            ("/partnerships/new", "staff"),
            ("/partnerships/:id", "structure"),
            ("/partnerships/:id/edit", "staff"),
            ("/partnerships/:id/map", "map"),
            ("/:kind/:id", "staff"),
            ("/glossary", "staff"),
        ]);
        let first = [
            pack("structure", "first_structure.pack", &[]),
            pack("map", "first_map.pack", &[]),
        ];
        let kept: Vec<&str> = for_first_visit(&all, &first)
            .into_iter()
            .map(|(p, _)| p.as_str())
            .collect();
        assert_eq!(
            kept,
            [
                "/partnerships/new",
                "/partnerships/:id",
                "/partnerships/:id/map",
                "/:kind/:id"
            ]
        );
    }

    #[test]
    fn no_first_pack_for_the_staff_pages() {
        let dir = tempdir();
        fs::write(dir.join("core.wasm"), b"C").expect("core");
        fs::write(dir.join("split_staff.wasm"), b"S").expect("staff");
        let packs = write(
            &dir,
            &HashMap::from([("staff".to_owned(), vec!["split_staff".to_owned()])]),
        )
        .expect("written");
        let addresses = pairs(&[("/sign-in", "staff")]);
        let first = write_first(&dir, "core.wasm", &packs, &addresses).expect("written");
        assert!(first.is_empty(), "{first:?}");
    }

    #[test]
    fn every_loader_fetches_through_the_packs_and_the_tables_are_filled() {
        let js = format!("{}{}", loader("chunk_1.wasm"), loader("split_map.wasm"));
        let members = [("chunk_1.wasm", 3), ("split_map.wasm", 4)];
        let packs = [pack("map", "split_map.pack", &members)];
        let out = link(&js, 2, &packs, ("core.wasm", 9)).expect("linked");
        assert_eq!(out.matches("packFetch(new URL(\"./").count(), 2);
        assert!(!out.contains(" fetch(new URL("), "{out}");
        for table in [
            "\"split_map.wasm\": [\"split_map.pack\", [[\"chunk_1.wasm\", 3], [\"split_map.wasm\", 4]]],",
            "const CORE_MODULE = [\"core.wasm\", 9];",
        ] {
            assert!(out.contains(table), "{table} not in {out}");
        }
        assert!(!out.contains(TABLES));
    }

    #[test]
    fn the_first_visits_script_names_its_packs_and_addresses_and_no_comments() {
        let first = [pack("map", "first_map.pack", &[])];
        let addresses = pairs(&[("/partnerships/:id/map", "map"), ("/glossary", "staff")]);
        let script = first_visit_script("app-1", &first, &addresses).expect("filled");
        assert!(
            script.contains("const FIRST_PACKS = { \"map\": \"/app-1/first_map.pack\" };"),
            "{script}"
        );
        assert!(
            script.contains("const ADDRESSES = [[\"partnerships/:/map\", \"map\"]];"),
            "{script}"
        );
        assert!(
            !script.lines().any(|l| l.trim_start().starts_with("//")),
            "{script}"
        );
        assert!(script.contains("globalThis.atlasFirstVisit"), "{script}");
    }

    #[test]
    fn loaders_written_otherwise_stop_the_build() {
        let js = loader("chunk_1.wasm");
        let link = |js: &str, modules| link(js, modules, &[], ("core.wasm", 1));
        assert!(link(&js, 2).is_err(), "a module without its loader");
        assert!(link(&js, 0).is_err(), "a loader too many");
        let named = format!("{js}function packFetch() {{}}\n");
        assert!(link(&named, 1).is_err(), "a name of its own taken");
        assert!(link(&js, 1).is_ok());
    }

    #[test]
    fn the_service_worker_gets_each_packs_address_and_its_modules() {
        let packs = pack(
            "q",
            "split_q.pack",
            &[("chunk_3.wasm", 1), ("split_q.wasm", 2)],
        );
        assert_eq!(
            service_worker_table("app-1", &[&packs]),
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
