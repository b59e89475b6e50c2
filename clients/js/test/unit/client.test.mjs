// What the client does without a node: the node's error answers (docs/api.md, "Errors"; the
// shapes ApiErrors writes) as HearthErrors, realtime addresses, web storage, a missing WebSocket.
// test/node checks the same against a real node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HearthError, Realtime, realtimeUrl, webStorage } from '../../dist/index.js';

test('an error body becomes a HearthError with code, message, field and retry-after', () => {
  const e = HearthError.fromResponse(400, { code: 'INVALID_ARGUMENT', message: 'name: must not be empty', details: { field: 'name' } }, null);
  assert.ok(e instanceof HearthError && e instanceof Error);
  assert.equal(e.code, 'INVALID_ARGUMENT');
  assert.equal(e.message, 'name: must not be empty');
  assert.equal(e.field, 'name');
  assert.equal(e.status, 400);
  assert.equal(e.retryAfterSeconds, undefined);

  const limited = HearthError.fromResponse(429, { code: 'RESOURCE_EXHAUSTED', message: 'slow down', details: {} }, '7');
  assert.equal(limited.retryAfterSeconds, 7);
});

test('an answer that is not the node\'s JSON still gets a code from its status', () => {
  const e = HearthError.fromResponse(503, undefined, null);
  assert.equal(e.code, 'UNAVAILABLE');
  assert.equal(e.field, undefined);
});

test('a log-in that needs a one-time code says so', () => {
  const e = HearthError.fromResponse(401, { code: 'UNAUTHENTICATED', message: 'totp_code: …', details: { field: 'totp_code', totpRequired: 'true' } }, null);
  assert.equal(e.totpRequired, true);
  assert.equal(e.field, 'totp_code');
});

test('the realtime address follows the node\'s, ws for http and wss for https', () => {
  assert.equal(realtimeUrl('http://127.0.0.1:8080'), 'ws://127.0.0.1:8080/v1/realtime');
  assert.equal(realtimeUrl('https://hearth.example.com'), 'wss://hearth.example.com/v1/realtime');
});

test('web storage keeps only the refresh token and user id, and forgets what it cannot read', () => {
  const items = new Map();
  const storage = { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, v), removeItem: (k) => items.delete(k) };
  const s = webStorage(storage, 'k');
  s.save({ refreshToken: 'r', userId: 'u' });
  assert.deepEqual(s.load(), { refreshToken: 'r', userId: 'u' });
  items.set('k', '{not json');
  assert.equal(s.load(), undefined);
  s.clear();
  assert.equal(items.has('k'), false);
});

test('without a WebSocket (Node 20) the realtime client says how to give it one', { skip: typeof WebSocket !== 'undefined' }, () => {
  assert.throws(() => new Realtime({ url: 'ws://127.0.0.1:1/v1/realtime', token: () => 't' }), /WebSocket option.*ws package/);
});
