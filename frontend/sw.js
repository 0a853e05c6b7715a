// Partnership Atlas service worker: keeps the whole app so every page opens with no network.
//
// - On install it caches every file of the build: `cargo xtask` fills `BUILD` below with
//   them (the app's core, each area's part, fetched by the app only when a page of that area
//   is first opened, the styles and icons) and with a version, so a new build is a new
//   worker and a fresh cache. Built by `trunk serve` instead (working on the interface) the
//   list is empty and it caches index.html with every same-origin asset it links to, and the
//   web app manifest's icons.
// - Navigations are network-first (a new deploy is picked up at once) and fall back to the
//   cached index.html, which serves every client-side route.
// - The manifest and its icons keep their names across builds, so they are network-first
//   too, falling back to the cache.
// - A pack (a part's modules in one file, `xtask/src/packs.rs`) is fetched only by a page
//   this worker does not serve yet, so it reaches this worker only when the worker takes
//   the page over meanwhile. It is not kept: it is put together from the modules it holds,
//   which are, and fetched from the network only when one of them is missing.
// - Other same-origin GETs are cache-first, then network (and cached for next time).
// - /api/ is never cached: the app's data lives in IndexedDB and travels by the sync API.
'use strict';

const BUILD = { version: 'unbuilt', files: [], packs: {} };

const CACHE = 'atlas-' + BUILD.version;
const SHELL = '/index.html';

function assetUrls(html) {
  const urls = new Set(['/', SHELL, '/sw.js']);
  const re = /(?:href|src)="([^"]+)"/g;
  let m;
  while ((m = re.exec(html)) !== null) {
    const url = new URL(m[1], self.location.origin);
    if (url.origin === self.location.origin && !url.pathname.startsWith('/api/')) {
      urls.add(url.pathname);
    }
  }
  urls.delete('/sw.js');
  return [...urls];
}

// The manifest's address, from index.html's <link rel="manifest">, if it has one.
function manifestUrl(html) {
  const link = /<link\b[^>]*\brel="manifest"[^>]*>/.exec(html);
  const href = link && /\bhref="([^"]+)"/.exec(link[0]);
  return href ? new URL(href[1], self.location.origin) : null;
}

// The icons a manifest names, as same-origin paths.
async function manifestIconUrls(url) {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(url.pathname + ' answered ' + response.status);
  const manifest = await response.json();
  return (manifest.icons || [])
    .map((icon) => new URL(icon.src, url))
    .filter((icon) => icon.origin === self.location.origin)
    .map((icon) => icon.pathname);
}

function isFixedName(pathname) {
  return pathname.endsWith('.webmanifest') || pathname.startsWith('/icons/');
}

async function precache() {
  const response = await fetch(SHELL, { cache: 'no-store' });
  if (!response.ok) throw new Error('index.html answered ' + response.status);
  const html = await response.clone().text();
  const cache = await caches.open(CACHE);
  await cache.put(SHELL, response);
  const assets = new Set(assetUrls(html).filter((u) => u !== SHELL && u !== '/'));
  for (const file of BUILD.files) if (file !== SHELL) assets.add(file);
  const manifest = manifestUrl(html);
  if (manifest) {
    for (const icon of await manifestIconUrls(manifest)) assets.add(icon);
  }
  await cache.addAll([...assets]);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

// The network's answer (kept in the cache under `key`), or the cached one when the network
// fails. A navigation keeps and falls back to index.html, which serves every route.
async function networkFirst(request, key = request) {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const cache = await caches.open(CACHE);
      await cache.put(key, response.clone());
    }
    return response;
  } catch (err) {
    const cached = await caches.match(key);
    if (cached) return cached;
    throw err;
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

// A pack from the cached modules it holds (`modules`, in order), or from the network when
// one of them is not in the cache. Streamed, one module after another, so the page starts
// the app's core as soon as the core is read; a module that cannot be read ends the stream
// with an error, and the page fetches the rest one by one.
async function pack(request, modules) {
  const cached = await Promise.all(modules.map((m) => caches.match(m)));
  if (cached.some((r) => !r)) return fetch(request);
  let next = 0;
  let reader = null;
  const body = new ReadableStream({
    async pull(controller) {
      for (;;) {
        if (reader === null) {
          if (next === cached.length) {
            controller.close();
            return;
          }
          reader = cached[next].body.getReader();
          next += 1;
        }
        const { done, value } = await reader.read();
        if (!done) {
          controller.enqueue(value);
          return;
        }
        reader = null;
      }
    },
  });
  return new Response(body, { headers: { 'Content-Type': 'application/octet-stream' } });
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  const packed = BUILD.packs[url.pathname];
  if (packed) {
    event.respondWith(pack(request, packed));
  } else if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, SHELL));
  } else if (isFixedName(url.pathname)) {
    event.respondWith(networkFirst(request));
  } else if (url.pathname !== '/sw.js') {
    event.respondWith(cacheFirst(request));
  }
});
