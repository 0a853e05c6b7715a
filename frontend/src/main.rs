//! The browser entry point trunk builds; everything lives in the library so tests can use it.

fn main() {
    atlas_frontend::main_entry();
}
