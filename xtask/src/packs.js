// Packs: each part's module with the chunks it needs, in one file, so the first page a visit
// opens fetches its code in one brotli stream rather than a dozen (brotli cannot use what
// one file holds to compress the next). `cargo xtask` adds this to `__wasm_split.js`, whose
// loaders then ask `packFetch` for each module instead of `fetch`, and fills `PACKS`: by the
// part's module, the pack's file and each module in it with its size, in the pack's order.
//
// The loaders of one part all ask within one turn of the event loop. If a part's module is
// asked for in a turn with every module of its pack, and none of them was asked for before,
// the pack is fetched and each module answered from it. Anything else (a module a page
// already loaded, a second part, a pack that cannot be fetched or is not the size it should
// be) is fetched on its own, as without packs, so a module is never answered wrongly and a
// part that cannot be fetched fails as before, offering "Try again".
const PACKS = {};

// Every module asked for so far.
const packAsked = new Set();
// The modules asked for in this turn: name -> [address, answer].
let packTurn = null;

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
  for (const name of turn.keys()) {
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
    console.warn('Partnership Atlas: ' + url.pathname + ' could not be fetched; its modules are fetched one by one', e);
  }
  const total = members.reduce((sum, m) => sum + m[1], 0);
  if (bytes !== null && bytes.length !== total) bytes = null;
  let at = 0;
  for (const [name, size] of members) {
    const [moduleUrl, answer] = turn.get(name);
    answer(
      bytes === null
        ? fetch(moduleUrl)
        : new Response(bytes.subarray(at, at + size), {
            headers: { 'Content-Type': 'application/wasm' },
          })
    );
    at += size;
  }
}
