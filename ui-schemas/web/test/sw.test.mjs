// The service worker (public/sw.js): on activate it keeps the current build's assets in its cache
// and deletes older builds' (and older caches), which the build makes possible by writing its asset
// list into the worker (vite.config.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const ORIGIN = 'https://hearth.example';

/** Runs the worker's source with `assets` as its list; returns its listeners and the fake caches. */
function worker(assets, cached) {
  const source = readFileSync(join(web, 'public/sw.js'), 'utf8');
  assert.ok(source.includes('/*HEARTH_ASSETS*/[]'), 'the placeholder the build fills in');
  const stores = new Map(Object.entries(cached).map(([name, urls]) => [name, new Set(urls.map((u) => ORIGIN + u))]));
  const caches = {
    keys: async () => [...stores.keys()],
    delete: async (name) => stores.delete(name),
    open: async (name) => {
      if (!stores.has(name)) stores.set(name, new Set());
      const set = stores.get(name);
      return { keys: async () => [...set].map((url) => ({ url })), delete: async (r) => set.delete(r.url) };
    },
  };
  const listeners = {};
  const self = { location: { origin: ORIGIN }, clients: { claim: async () => {} }, skipWaiting: () => {},
    addEventListener: (type, f) => { listeners[type] = f; } };
  vm.runInNewContext(source.replace('/*HEARTH_ASSETS*/[]', JSON.stringify(assets)), { self, caches, URL, Set, Promise });
  const activate = async () => {
    let done;
    listeners.activate({ waitUntil: (p) => { done = p; } });
    await done;
  };
  return { activate, stores };
}

test('on activate, the cache keeps this build\'s assets only, and older caches go', async () => {
  const { activate, stores } = worker(['index-new.js', 'cards-same.js'], {
    'hearth-assets-v1': ['/assets/index-old.js', '/assets/cards-same.js', '/assets/index-new.js', '/assets/page-old.js'],
    'hearth-assets-v0': ['/assets/ancient.js'],
    'someone-else': ['/x'],
  });
  await activate();
  assert.deepEqual([...stores.get('hearth-assets-v1')].sort(), [`${ORIGIN}/assets/cards-same.js`, `${ORIGIN}/assets/index-new.js`]);
  assert.equal(stores.has('hearth-assets-v0'), false);
  assert.equal(stores.has('someone-else'), true, 'caches not the shell\'s are left alone');
});

test('a worker without a list (the source, unbuilt) deletes nothing of the cache', async () => {
  const { activate, stores } = worker([], { 'hearth-assets-v1': ['/assets/a.js'] });
  await activate();
  assert.deepEqual([...stores.get('hearth-assets-v1')], [`${ORIGIN}/assets/a.js`]);
});

const built = join(web, '../target/classes/web');
test('the built worker lists exactly the build\'s assets', { skip: !existsSync(join(built, 'sw.js')) && 'no build' }, () => {
  const text = readFileSync(join(built, 'sw.js'), 'utf8');
  const m = /const ASSETS = (\[.*\]);/.exec(text);
  assert.ok(m, 'the build wrote the list into sw.js');
  assert.deepEqual(JSON.parse(m[1]).sort(), readdirSync(join(built, 'assets')).sort());
});
