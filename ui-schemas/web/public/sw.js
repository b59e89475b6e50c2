// The shell's service worker: it makes the shell installable and keeps its built assets for
// offline starts and fast loads. It caches only /assets/*, whose names carry a content hash, so a
// cached file is never stale; the page itself (index.html) and every API call always go to the
// node. The build writes the list of its assets into ASSETS below (vite.config.ts), so each build
// has a new worker: once it is active, the cached assets of older builds are deleted, and the
// cache holds the current build's only.
const CACHE = 'hearth-assets-v1';
/** This build's files under /assets/ (filled in by the build; empty in the source). */
const ASSETS = /*HEARTH_ASSETS*/[];

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(Promise.all([self.clients.claim(), prune()])));

/** Deletes cached assets that are not this build's, and caches other than this worker's. */
async function prune() {
  const current = new Set(ASSETS.map((name) => new URL(`/assets/${name}`, self.location.origin).href));
  for (const name of await caches.keys()) {
    if (name !== CACHE && name.startsWith('hearth-assets')) await caches.delete(name);
  }
  // A source copy (no list) must not empty the cache.
  if (current.size === 0) return;
  const cache = await caches.open(CACHE);
  for (const request of await cache.keys()) {
    if (!current.has(new URL(request.url).href)) await cache.delete(request);
  }
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith('/assets/')) return;
  event.respondWith(caches.open(CACHE).then(async (cache) => {
    const hit = await cache.match(event.request);
    if (hit) return hit;
    const response = await fetch(event.request);
    if (response.ok) await cache.put(event.request, response.clone());
    return response;
  }));
});
