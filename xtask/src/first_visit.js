// A first visit (`xtask/src/packs.rs`): when the page at this address is in a part of the
// app, the app's core and that part are fetched at once, in one pack, while the app's
// JavaScript is still on its way; `firstVisit` in `__wasm_split.js` reads it. `cargo xtask`
// fills the tables: by part, its pack; each address's path pattern (`:` for a value) and its
// page's part, most specific first (`frontend/parts-by-address.txt`).
//
// A page the service worker already serves fetches its modules one by one from its cache:
// the browser keeps a module's compiled code between visits by the address it came from,
// and a module cut out of a pack has none.
(() => {
  if (navigator.serviceWorker && navigator.serviceWorker.controller) return;
  const FIRST_PACKS = {};
  const ADDRESSES = [];
  const path = location.pathname.replace(/^\//, '').replace(/\/$/, '');
  const segments = path === '' ? [] : path.split('/');
  for (const [pattern, part] of ADDRESSES) {
    const wanted = pattern === '' ? [] : pattern.split('/');
    if (
      wanted.length === segments.length &&
      wanted.every((w, i) => (w === ':' ? segments[i] !== '' : w === segments[i]))
    ) {
      if (FIRST_PACKS[part] !== undefined) {
        const response = fetch(FIRST_PACKS[part]);
        response.catch(() => {});
        globalThis.atlasFirstVisit = { part, response };
      }
      return;
    }
  }
})();
