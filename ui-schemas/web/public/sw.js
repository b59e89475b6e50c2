// The shell's service worker: it makes the shell installable and keeps its built assets for
// offline starts and fast loads. It caches only /assets/*, whose names carry a content hash, so a
// cached file is never stale; the page itself (index.html) and every API call always go to the
// node. Assets of older builds stay until the browser evicts the cache (each build adds ~1 MB).
const CACHE = 'hearth-assets-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

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

