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

// Web Push (docs/notifications.md#web-push): the node's payload is JSON with a title, a body and the
// shell's route of the message; the browser decrypted it. One notification per message (its tag).
self.addEventListener('push', (event) => {
  let p = {};
  try {
    p = event.data ? event.data.json() : {};
  } catch {
    p = {};
  }
  event.waitUntil(self.registration.showNotification(p.title || 'Hearth', {
    body: p.body || '', tag: p.messageId || undefined, icon: '/icon-192.png', data: { url: p.url || '' },
  }));
});

// A click focuses an open Hearth tab and opens the message there, or opens Hearth at it.
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const hash = event.notification.data && event.notification.data.url ? event.notification.data.url : '';
  const target = new URL('/' + hash, self.location.origin).href;
  event.waitUntil((async () => {
    const tabs = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const tab = tabs.find((c) => new URL(c.url).origin === self.location.origin);
    if (tab) {
      await tab.focus();
      if ('navigate' in tab) await tab.navigate(target).catch(() => undefined);
      return;
    }
    await self.clients.openWindow(target);
  })());
});
