//! Short names for the functions the app's main module imports from its JavaScript.
//!
//! wasm-bindgen names each import after the browser API it calls and a hash of its
//! signature (`__wbg_new_with_str_sequence_and_options_ea4ce88081790553`), and writes each
//! name twice: in the module's import section and as a key of the import object in the
//! JavaScript. Brotli cannot squeeze the hashes, so the app's 284 imports cost a first visit
//! about 3.5 KB of wasm and 2.8 KB of JavaScript (measured at 066f6a8). [`shorten`] renames
//! every import from the JavaScript module to `a`, `b`, … `ba`, … in both places.
//!
//! The JavaScript must hold each old name exactly once, as an object key (`name:`): anything
//! else stops the build, since a renamed import that the JavaScript still calls by its old
//! name would be an app that does not start.
//!
//! [`without_exports`] takes exports out of the module, so that wasm-opt can drop the code
//! only they reached (`bundle.rs` uses it for classes the app never makes).

use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasmparser::{BinaryReader, ExportSectionReader, ImportSectionReader};

use crate::Result;

/// The import section's id.
const IMPORT_SECTION: u8 = 2;
/// The export section's id.
const EXPORT_SECTION: u8 = 7;

/// `wasm` without the exports whose names `drop` picks, and how many it took out.
pub fn without_exports(wasm: &[u8], drop: impl Fn(&str) -> bool) -> Result<(Vec<u8>, usize)> {
    let mut dropped = 0;
    let bytes = each_section(wasm, |id, data, offset| {
        if id != EXPORT_SECTION {
            return Ok(None);
        }
        let reader = ExportSectionReader::new(BinaryReader::new(data, offset as u64))
            .map_err(|e| format!("the export section cannot be read: {e}"))?;
        let mut section = wasm_encoder::ExportSection::new();
        for export in reader {
            let export = export.map_err(|e| format!("an export cannot be read: {e}"))?;
            if drop(export.name) {
                dropped += 1;
            } else {
                let kind = RoundtripReencoder
                    .export_kind(export.kind)
                    .map_err(|e| format!("the export {} cannot be written: {e}", export.name))?;
                section.export(export.name, kind, export.index);
            }
        }
        Ok(Some(Replacement::Exports(section)))
    })?;
    Ok((bytes, dropped))
}

/// A section to write in place of one read.
enum Replacement {
    Imports(wasm_encoder::ImportSection),
    Exports(wasm_encoder::ExportSection),
}

/// `wasm` with each section `replace` answers for (given its id, its contents and their
/// offset) replaced, and the others kept byte for byte.
fn each_section(
    wasm: &[u8],
    mut replace: impl FnMut(u8, &[u8], usize) -> Result<Option<Replacement>>,
) -> Result<Vec<u8>> {
    let header = wasm
        .get(..8)
        .filter(|h| h.starts_with(b"\0asm"))
        .ok_or("not a WebAssembly module")?;
    let mut out = wasm_encoder::Module::new();
    let mut at = header.len();
    while at < wasm.len() {
        let id = wasm[at];
        let (size, start) = leb128(wasm, at + 1)?;
        let end = start
            .checked_add(size)
            .filter(|&e| e <= wasm.len())
            .ok_or("a section runs past the end of the module")?;
        let data = &wasm[start..end];
        match replace(id, data, start)? {
            Some(Replacement::Imports(section)) => out.section(&section),
            Some(Replacement::Exports(section)) => out.section(&section),
            None => out.section(&wasm_encoder::RawSection { id, data }),
        };
        at = end;
    }
    let bytes = out.finish();
    // wasm-encoder writes the current version; keep the module's own (they are the same
    // today, and a change must not pass unnoticed).
    if bytes.get(..8) != Some(header) {
        return Err("the module's header is not the one wasm-encoder writes".into());
    }
    Ok(bytes)
}

/// `wasm` with every import from `module` renamed, and `js` with the import object's keys
/// renamed to match.
pub fn shorten(wasm: &[u8], js: &str, module: &str) -> Result<(Vec<u8>, String)> {
    let mut renamed = Vec::new();
    let bytes = each_section(wasm, |id, data, offset| {
        if id != IMPORT_SECTION {
            return Ok(None);
        }
        let (section, names) = renamed_imports(data, offset, module)?;
        renamed = names;
        Ok(Some(Replacement::Imports(section)))
    })?;
    Ok((bytes, renamed_keys(js, &renamed)?))
}

/// The import section with `module`'s imports renamed, and each `(old, new)` name.
fn renamed_imports(
    data: &[u8],
    offset: usize,
    module: &str,
) -> Result<(wasm_encoder::ImportSection, Vec<(String, String)>)> {
    let reader = ImportSectionReader::new(BinaryReader::new(data, offset as u64))
        .map_err(|e| format!("the import section cannot be read: {e}"))?;
    let mut section = wasm_encoder::ImportSection::new();
    let mut names = Vec::new();
    for import in reader.into_imports() {
        let import = import.map_err(|e| format!("an import cannot be read: {e}"))?;
        let ty = RoundtripReencoder
            .entity_type(import.ty)
            .map_err(|e| format!("the import {} cannot be written: {e}", import.name))?;
        if import.module == module {
            let short = short_name(names.len());
            section.import(module, &short, ty);
            names.push((import.name.to_owned(), short));
        } else {
            section.import(import.module, import.name, ty);
        }
    }
    Ok((section, names))
}

/// `a` … `z`, `A` … `Z`, then `ba`, `bb`, …: the `n`th short name (never empty, and never
/// the same for two `n`).
fn short_name(n: usize) -> String {
    const LETTERS: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut digits = Vec::new();
    let mut n = n;
    loop {
        digits.push(LETTERS[n % LETTERS.len()]);
        n /= LETTERS.len();
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// `js` with each old name's key (`old:`) renamed. Each old name must be there exactly once,
/// as a key.
fn renamed_keys(js: &str, names: &[(String, String)]) -> Result<String> {
    let mut out = js.to_owned();
    for (old, new) in names {
        let found: Vec<usize> = out.match_indices(old.as_str()).map(|(i, _)| i).collect();
        let [at] = found[..] else {
            return Err(format!(
                "the app's JavaScript names the import {old} {} times, not once: \
                 has wasm-bindgen changed how it writes imports?",
                found.len()
            ));
        };
        let before = out[..at].chars().next_back();
        let after = out[at + old.len()..].chars().next();
        let is_key =
            after == Some(':') && before.is_some_and(|c| c.is_whitespace() || c == '{' || c == ',');
        if !is_key {
            return Err(format!(
                "the app's JavaScript names the import {old} other than as a key of the \
                 import object: has wasm-bindgen changed how it writes imports?"
            ));
        }
        out.replace_range(at..at + old.len(), new);
    }
    Ok(out)
}

/// An unsigned LEB128 number at `at`, and where it ends.
fn leb128(bytes: &[u8], at: usize) -> Result<(usize, usize)> {
    let mut value: usize = 0;
    for (i, byte) in bytes.iter().skip(at).take(5).enumerate() {
        value |= usize::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Ok((value, at + i + 1));
        }
    }
    Err("a section's size cannot be read".into())
}

#[cfg(test)]
mod tests {
    use wasm_encoder::{
        CodeSection, EntityType, ExportKind, ExportSection, Function, FunctionSection,
        ImportSection, Instruction, MemoryType, Module, TypeSection,
    };

    use super::*;

    const JS_MODULE: &str = "./app_bg.js";

    /// A module importing two functions from the JavaScript and a memory from elsewhere,
    /// exporting one function that calls both.
    fn module(first: &str, second: &str) -> Vec<u8> {
        let mut m = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], []);
        m.section(&types);
        let mut imports = ImportSection::new();
        imports.import(JS_MODULE, first, EntityType::Function(0));
        imports.import(
            "__wasm_split",
            "memory",
            EntityType::Memory(MemoryType {
                minimum: 1,
                maximum: None,
                memory64: false,
                shared: false,
                page_size_log2: None,
            }),
        );
        imports.import(JS_MODULE, second, EntityType::Function(0));
        m.section(&imports);
        let mut functions = FunctionSection::new();
        functions.function(0);
        m.section(&functions);
        let mut exports = ExportSection::new();
        exports.export("run", ExportKind::Func, 2);
        m.section(&exports);
        let mut code = CodeSection::new();
        let mut body = Function::new([]);
        body.instruction(&Instruction::Call(0));
        body.instruction(&Instruction::Call(1));
        body.instruction(&Instruction::End);
        code.function(&body);
        m.section(&code);
        m.section(&wasm_encoder::CustomSection {
            name: "producers".into(),
            data: b"kept as it is".into(),
        });
        m.finish()
    }

    const JS: &str = "const import0 = {\n    __proto__: null,\n    __wbg_log_0123456789abcdef: function(a) { console.log(a); },\n    __wbg_now_fedcba9876543210: function() { return Date.now(); },\n};\n";

    #[test]
    fn both_sides_are_renamed_and_the_rest_is_kept() {
        let wasm = module("__wbg_log_0123456789abcdef", "__wbg_now_fedcba9876543210");
        let (short, js) = shorten(&wasm, JS, JS_MODULE).expect("renamed");
        assert_eq!(short, module("a", "b"));
        assert_eq!(
            js,
            JS.replace("__wbg_log_0123456789abcdef", "a")
                .replace("__wbg_now_fedcba9876543210", "b")
        );
        wasmparser::validate(&short).expect("a valid module");
    }

    #[test]
    fn a_module_without_those_imports_comes_back_byte_for_byte() {
        let wasm = module("x", "y");
        let (same, js) = shorten(&wasm, "", "./other_bg.js").expect("read");
        assert_eq!(same, wasm);
        assert_eq!(js, "");
    }

    #[test]
    fn a_name_the_javascript_does_not_hold_once_as_a_key_stops_the_build() {
        let wasm = module("__wbg_log_0123456789abcdef", "__wbg_now_fedcba9876543210");
        let missing = JS.replace("__wbg_now_fedcba9876543210", "__wbg_now_other");
        assert!(shorten(&wasm, &missing, JS_MODULE).is_err());
        let twice = format!("{JS}wasm.__wbg_log_0123456789abcdef;");
        assert!(shorten(&wasm, &twice, JS_MODULE).is_err());
        let not_a_key = JS.replace(
            "__wbg_log_0123456789abcdef: function(a)",
            "x = __wbg_log_0123456789abcdef; f = function(a)",
        );
        assert!(shorten(&wasm, &not_a_key, JS_MODULE).is_err());
    }

    #[test]
    fn not_a_module_is_an_error() {
        assert!(shorten(b"\0as", "", JS_MODULE).is_err());
        assert!(shorten(b"\0asm\x01\0\0\0\x02\x7f", "", JS_MODULE).is_err());
    }

    #[test]
    fn exports_picked_are_taken_out_and_the_rest_kept() {
        let wasm = module("x", "y");
        let (none, dropped) = without_exports(&wasm, |_| false).expect("read");
        assert_eq!((none, dropped), (wasm.clone(), 0));
        let (without, dropped) = without_exports(&wasm, |name| name == "run").expect("read");
        assert_eq!(dropped, 1);
        wasmparser::validate(&without).expect("a valid module");
        assert!(!without.windows(3).any(|w| w == b"run"));
        assert_eq!(
            without.len(),
            wasm.len() - 6,
            "the export (4 bytes) and its count's change"
        );
    }

    #[test]
    fn short_names_are_distinct_identifiers() {
        let names: Vec<String> = (0..3000).map(short_name).collect();
        assert_eq!(names[0], "a");
        assert_eq!(names[51], "Z");
        assert_eq!(names[52], "ba");
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len());
        assert!(
            names
                .iter()
                .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphabetic()))
        );
    }
}
