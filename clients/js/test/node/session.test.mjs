// Sessions and typed calls against a real node (HEARTH_URL): sign-up, log-in with a TOTP step,
// typed errors naming the field, token renewal before expiry, and a refused token renewed once.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { HearthError, webStorage } from '../../dist/index.js';
import { client, closeAll, newUser, signedUp, until } from './env.mjs';
import { totp } from '../support/totp.mjs';

afterEach(closeAll);

test('sign up, log in elsewhere, and create an org and a project with typed calls', async () => {
  const user = newUser('carol');
  const first = client();
  const s = await first.session.signUp({ ...user, displayName: 'Carol' });
  assert.ok(s.userId && s.accessToken && s.refreshToken);

  const other = client();
  await other.session.logIn(user);
  assert.equal(other.session.userId, s.userId);
  const me = await other.auth.me();
  assert.equal(me.email, user.email);
  assert.equal(me.profile?.displayName, 'Carol');

  const org = await other.tenancy.createOrg({ name: 'Carol & Co' });
  const project = await other.tenancy.createProject({ orgId: org.id, name: 'Garden' });
  const projects = await first.tenancy.listProjects({ orgId: org.id });
  assert.deepEqual(projects.projects?.map((p) => p.name), ['Garden']);
  assert.equal(project.orgId, org.id);
});

test('bad input is a HearthError with the code and the field the node named', async () => {
  const c = await signedUp('dave');
  await assert.rejects(c.tenancy.createOrg({ name: '' }), (e) => {
    assert.ok(e instanceof HearthError);
    assert.equal(e.code, 'INVALID_ARGUMENT');
    assert.equal(e.status, 400);
    assert.equal(e.field, 'name');
    assert.match(e.message, /name/);
    return true;
  });
  await assert.rejects(c.tenancy.getOrg({ orgId: '0193aaaa-0000-7000-8000-000000000000' }),
    (e) => e instanceof HearthError && e.code === 'PERMISSION_DENIED' && e.status === 403);
});

test('the host configs of both themes are public, another theme is NOT_FOUND', async () => {
  const c = client();
  const dark = await c.hostConfig('dark');
  const light = await c.hostConfig('light');
  assert.ok(dark.containerStyles && light.containerStyles);
  assert.notDeepEqual(dark.containerStyles, light.containerStyles);
  await assert.rejects(c.hostConfig('purple'), (e) => e instanceof HearthError && e.code === 'NOT_FOUND');
});

test('a wrong password is UNAUTHENTICATED, in the language the client asks for', async () => {
  const user = newUser('erin');
  await client().session.signUp(user);
  const en = await client({ language: 'en' }).session.logIn({ ...user, password: 'not the password' }).catch((e) => e);
  const ru = await client({ language: 'ru' }).session.logIn({ ...user, password: 'not the password' }).catch((e) => e);
  assert.ok(en instanceof HearthError && ru instanceof HearthError);
  assert.equal(en.code, 'UNAUTHENTICATED');
  assert.equal(ru.code, 'UNAUTHENTICATED');
  assert.match(en.message, /password/);
  assert.match(ru.message, /[а-яё]/i);
});

test('an account with TOTP on logs in in two steps', async () => {
  const c = await signedUp('fay');
  const { secret } = await c.auth.enrolTotp({ password: c.user.password });
  const step = Math.floor(Date.now() / 30_000);
  await c.auth.verifyTotp({ code: totp(secret, step) });

  const again = client();
  const refused = await again.session.logIn(c.user).catch((e) => e);
  assert.ok(refused instanceof HearthError);
  assert.equal(refused.totpRequired, true);
  assert.equal(refused.field, 'totpCode');
  // A code is never accepted twice; the node takes the next step's code (one step early).
  await again.session.logIn({ ...c.user, totpCode: totp(secret, step + 1) });
  assert.equal((await again.auth.me()).totpEnabled, true);
});

test('the access token is renewed before it expires, and a reload restores the session', async () => {
  const items = new Map();
  const storage = webStorage({ getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, v), removeItem: (k) => items.delete(k) });
  const c = await signedUp('gus', { storage });
  const tokens = [];
  c.session.onToken((t) => tokens.push(t));
  const before = await c.session.accessToken();
  // ClientIT's node issues 10-second tokens: the renewal comes at half their life.
  await until(() => tokens.length > 0, 'the scheduled renewal', 15_000);
  assert.notEqual(tokens[0], before);
  assert.equal((await c.auth.me()).email, c.user.email);

  const reloaded = client({ storage });
  assert.equal(await reloaded.session.restore(), true);
  assert.equal((await reloaded.auth.me()).email, c.user.email);
  // The first tab's refresh token was spent by the reload; reusing it ends the whole session on the node.
});

test('a call refused with 401 is retried once after a refresh', async () => {
  const statuses = [];
  const counting = async (input, init) => {
    const r = await fetch(input, init);
    statuses.push(`${String(input).split('/').pop()} ${r.status}`);
    return r;
  };
  const c = await signedUp('hal', { fetch: counting });
  c.session.access = 'not-a-token'; // as if the node no longer took it (a revoked key, a clock off)
  statuses.length = 0;
  assert.equal((await c.auth.me()).email, c.user.email);
  assert.deepEqual(statuses, ['Me 401', 'Refresh 200', 'Me 200']);
});

test('log-out ends the session on the node: its tokens stop working everywhere', async () => {
  const c = await signedUp('jo');
  const token = await c.session.accessToken();
  const copy = client({ apiToken: token }); // the same access token used elsewhere
  assert.equal((await copy.auth.me()).email, c.user.email);
  await c.session.logOut();
  assert.equal(c.session.signedIn, false);
  await assert.rejects(c.auth.me(), (e) => e instanceof HearthError && e.code === 'UNAUTHENTICATED');
  await assert.rejects(copy.auth.me(), (e) => e instanceof HearthError && e.code === 'UNAUTHENTICATED');
});

test('a refresh token already spent ends the session: the next call is UNAUTHENTICATED', async () => {
  const items = new Map();
  const storage = webStorage({ getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, v), removeItem: (k) => items.delete(k) });
  const c = await signedUp('ida', { storage });
  const spent = storage.load();
  await c.session.refresh();
  storage.save(spent);
  await assert.rejects(c.session.refresh(), (e) => e instanceof HearthError && e.code === 'UNAUTHENTICATED');
  assert.equal(c.session.signedIn, false);
  await assert.rejects(c.auth.me(), (e) => e instanceof HearthError && e.code === 'UNAUTHENTICATED');
});
