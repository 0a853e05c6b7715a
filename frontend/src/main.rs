//! The browser entry point trunk builds; everything lives in the library so tests can use it.

/// Talc instead of the standard library's dlmalloc: the app's core is smaller by the
/// difference, and allocation is faster (measured: `cargo xtask bench`).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    atlas_frontend::main_entry();
}
