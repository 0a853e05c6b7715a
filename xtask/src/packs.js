// Packs (`xtask/src/packs.rs`): a part's modules in one file, so that a page's first visit
// fetches its code in one brotli stream (brotli cannot use what one file holds to compress
// the next). `cargo xtask` adds this to `__wasm_split.js`, whose loaders then ask `packFetch`
// for each module instead of `fetch`, and fills the tables:
// - PACKS: by a part's module, its pack (`split_<part>.pack`) and each module in it with its
//   size, in the pack's order;
// - CORE_MODULE: the core's module and its size.
//
// `firstVisit` gives the app its core: from the pack of the core and the page's part that
// `index.html` started fetching (`first_visit.js`), else fetched alone. The loaders of one
// part all ask within one turn of the event loop. A module coming with the core is answered
// from there, once it is in. If a part's module is asked for in a turn with every module of
// its pack, none of them was asked for before, and the service worker does not serve the
// page, the pack is fetched and each module answered from it. Anything else (a module a
// page already loaded, a pack that cannot be fetched or is not the size it should be) is
// fetched on its own, as without packs, so a module is never answered wrongly and a part
// that cannot be fetched fails as before, offering "Try again".
const PACKS = {};
const CORE_MODULE = [];

// Modules coming with the core, not yet asked for: name -> a promise of their bytes (null
// if the pack failed before they were all in).
const packReady = new Map();
// Every module asked for so far.
const packAsked = new Set();
// The modules asked for in this turn: name -> [address, answer].
let packTurn = null;

function wasmResponse(bytes) {
  return new Response(bytes, { headers: { 'Content-Type': 'application/wasm' } });
}

// The core's module, for the app to start with (a promise of a response): from the pack of
// the core and the page's part that `index.html` started fetching, else fetched alone. The
// pack is read as it arrives: the app starts once the core is in, and asks for its data
// while the part's modules are still coming.
export function firstVisit() {
  const core = new URL('./' + CORE_MODULE[0], import.meta.url);
  const first = globalThis.atlasFirstVisit;
  const pack = first === undefined ? undefined : PACKS['split_' + first.part + '.wasm'];
  if (pack === undefined) return fetch(core);
  const members = [CORE_MODULE, ...pack[1]];
  const arrivals = members.map(() => {
    let settle;
    const bytes = new Promise((resolve) => {
      settle = resolve;
    });
    return [bytes, settle];
  });
  for (let i = 1; i < members.length; i++) packReady.set(members[i][0], arrivals[i][0]);
  streamPack(first.response, 'the pack of ' + first.part, members, arrivals);
  return arrivals[0][0].then((bytes) => (bytes === null ? fetch(core) : wasmResponse(bytes)));
}

// Settles each module's promise with its bytes as soon as they are all in, and with null
// those the pack did not bring whole (it could not be fetched, ended early, or was longer
// than its modules).
async function streamPack(fetched, what, members, arrivals) {
  const total = members.reduce((sum, m) => sum + m[1], 0);
  const bytes = new Uint8Array(total);
  let received = 0;
  let next = 0;
  let end = members[0][1];
  try {
    const response = await fetched;
    if (!response.ok || response.body === null) throw new Error('it answered ' + response.status);
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (received + value.length > total) throw new Error('it is longer than its modules');
      bytes.set(value, received);
      received += value.length;
      while (next < members.length && received >= end) {
        arrivals[next][1](bytes.subarray(end - members[next][1], end));
        next += 1;
        if (next < members.length) end += members[next][1];
      }
    }
    if (received < total) throw new Error('it ended early');
  } catch (e) {
    console.warn('Partnership Atlas: ' + what + ' is not whole; its other modules come one by one', e);
  }
  for (; next < members.length; next += 1) arrivals[next][1](null);
}

function packFetch(url) {
  const name = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
  let answer;
  const response = new Promise((resolve) => {
    answer = resolve;
  });
  if (packTurn === null) {
    packTurn = new Map();
    queueMicrotask(() => {
      const turn = packTurn;
      packTurn = null;
      packAnswer(turn);
    });
  }
  if (packTurn.has(name)) {
    // Never, as the loaders are written; asked twice, the second is fetched on its own.
    return fetch(url);
  }
  packTurn.set(name, [url, answer]);
  return response;
}

function packAnswer(turn) {
  const claimed = new Set();
  for (const [name, [url, answer]] of turn) {
    const ready = packReady.get(name);
    if (ready === undefined) continue;
    packReady.delete(name);
    claimed.add(name);
    answer(ready.then((bytes) => (bytes === null ? fetch(url) : wasmResponse(bytes))));
  }
  // A page the service worker serves takes each module from its cache, where the browser
  // keeps its compiled code by its address (see first_visit.js).
  const served = navigator.serviceWorker && navigator.serviceWorker.controller;
  for (const name of served ? [] : turn.keys()) {
    const pack = PACKS[name];
    if (pack === undefined) continue;
    const members = pack[1].map((m) => m[0]);
    if (members.some((m) => packAsked.has(m) || claimed.has(m) || !turn.has(m))) continue;
    for (const m of members) claimed.add(m);
    packLoad(new URL(pack[0], turn.get(name)[0]), pack[1], turn);
  }
  for (const [name, [url, answer]] of turn) {
    packAsked.add(name);
    if (!claimed.has(name)) answer(fetch(url));
  }
}

async function packLoad(url, members, turn) {
  let bytes = null;
  try {
    const response = await fetch(url);
    if (response.ok) bytes = new Uint8Array(await response.arrayBuffer());
  } catch (e) {
    console.warn('Partnership Atlas: ' + url.pathname + ' failed; its modules come one by one', e);
  }
  const total = members.reduce((sum, m) => sum + m[1], 0);
  if (bytes !== null && bytes.length !== total) bytes = null;
  let at = 0;
  for (const [name, size] of members) {
    const [moduleUrl, answer] = turn.get(name);
    answer(bytes === null ? fetch(moduleUrl) : wasmResponse(bytes.subarray(at, at + size)));
    at += size;
  }
}
