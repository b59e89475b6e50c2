// What the client does without a node: the node's error answers (docs/api.md, "Errors"; the
// shapes ApiErrors writes) as HearthErrors, realtime addresses, web storage, a missing WebSocket.
// test/node checks the same against a real node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HearthClient, HearthError, Realtime, realtimeUrl, webStorage } from '../../dist/index.js';

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

test('an error keeps the node\'s details as sent, lists included, besides their string forms', () => {
  const problems = [{ path: '$.pages[0]', message: 'missing template' }];
  const e = HearthError.fromResponse(400, { code: 'INVALID_ARGUMENT', message: 'bad', details: { field: 'definition_json', problems } }, '3');
  assert.deepEqual(e.detailValues.problems, problems);
  assert.equal(e.detailValues.field, 'definition_json');
  assert.equal(e.details.problems, JSON.stringify(problems));
  assert.equal(e.detailValues.retryAfterSeconds, '3');
});

/** A fetch that answers from `routes` (`METHOD path` → [status, body]) and records each request. */
function fakeNode(routes) {
  const seen = [];
  const fetch = async (url, init) => {
    const key = `${init.method} ${new URL(url).pathname}`;
    seen.push({ key, url, headers: init.headers, body: init.body });
    const answer = routes[key];
    const [status, body] = typeof answer === 'function' ? answer(init) : answer ?? [404, { code: 'NOT_FOUND', message: key }];
    return new Response(body === undefined ? '' : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, seen };
}

test('request() calls a REST route with the token, JSON both ways, and renews a refused token once', async () => {
  let refreshed = 0;
  const node = fakeNode({
    'POST /v1/rpc/hearth.auth.v1.AuthService/LogIn': [200, { accessToken: 'a1', refreshToken: 'r1', expiresIn: '900', userId: 'u1' }],
    'POST /v1/rpc/hearth.auth.v1.AuthService/Refresh': () => { refreshed++; return [200, { accessToken: 'a2', refreshToken: 'r2', expiresIn: '900', userId: 'u1' }]; },
    'GET /v1/me': (init) => init.headers.authorization === 'Bearer a2' ? [200, { email: 'ann@x' }] : [401, { code: 'UNAUTHENTICATED', message: 'expired' }],
    'POST /v1/orgs': (init) => [200, { name: JSON.parse(init.body).name, project: init.headers['x-hearth-project'] }],
    'DELETE /v1/projects/p/members/u': [200, undefined],
    'PATCH /v1/projects/p/members/u': [400, { code: 'INVALID_ARGUMENT', message: 'role: unknown', details: { field: 'role' } }],
  });
  const hearth = new HearthClient({ baseUrl: 'http://node', fetch: node.fetch });
  await hearth.session.logIn({ email: 'ann@x', password: 'pw' });
  assert.deepEqual(await hearth.request('GET', '/v1/me'), { email: 'ann@x' });
  assert.equal(refreshed, 1, 'the 401 renewed the token once and the call was sent again');
  assert.deepEqual(await hearth.request('POST', '/v1/orgs', { name: 'Acme' }, { project: 'p1' }), { name: 'Acme', project: 'p1' });
  const get = node.seen.find((r) => r.key === 'GET /v1/me');
  assert.equal(get.body, undefined, 'no body on a GET');
  assert.equal(get.headers['content-type'], undefined);
  assert.deepEqual(await hearth.request('DELETE', '/v1/projects/p/members/u'), {}, 'an empty answer is {}');
  await assert.rejects(hearth.request('PATCH', '/v1/projects/p/members/u', { role: 'x' }),
    (e) => e instanceof HearthError && e.code === 'INVALID_ARGUMENT' && e.field === 'role' && e.status === 400);
  hearth.session.close();
});

test('an upload hears its progress: by fetch outside a browser, once at the end; refused uploads report nothing', async () => {
  const node = fakeNode({
    'POST /v1/projects/p/files': (init) => init.headers['content-type'] === 'text/plain'
      ? [200, { id: 'f1', name: 'a.txt' }] : [400, { code: 'INVALID_ARGUMENT', message: 'bad type', details: { field: 'content-type' } }],
  });
  const hearth = new HearthClient({ baseUrl: 'http://node', fetch: node.fetch, apiToken: 'hth_x' });
  const heard = [];
  const entry = await hearth.fileTransfer.upload({ projectId: 'p', name: 'a.txt', content: new Blob(['hi'], { type: 'text/plain' }) },
    { onUploadProgress: (f) => heard.push(f) });
  assert.equal(entry.id, 'f1');
  assert.deepEqual(heard, [1]);
  assert.equal(new URL(node.seen[0].url).searchParams.get('size'), '2', 'the declared size goes with the name');
  const refused = [];
  await assert.rejects(hearth.fileTransfer.upload({ projectId: 'p', name: 'b', content: new Uint8Array([1]), contentType: 'x/y' },
    { onUploadProgress: (f) => refused.push(f) }), (e) => e instanceof HearthError && e.field === 'content-type');
  assert.deepEqual(refused, [1], 'the body was sent before the node refused it');
});
