// Reads shared within an open page (src/reads.ts): the same read made again while in flight or just
// answered costs no second call; writes are never shared; an event, a failure or time forgets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(web, '../target/reads.cjs');
await build({ entryPoints: [join(web, 'src/reads.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'error' });
const { sharedRead, forgetReads, isRead, SHARED_MS, recordReads, templatesOf } = createRequire(import.meta.url)(out);

const LIST = 'hearth.tenancy.v1.TenancyService/ListProjectMembers';

function counter(answer = () => ({ members: [{ userId: 'u1' }] })) {
  const c = { calls: 0, send: () => { c.calls++; return Promise.resolve(answer()); } };
  return c;
}

test('the same read in flight or just answered is sent once, and each caller gets its own copy', async () => {
  forgetReads();
  const c = counter();
  const [a, b] = await Promise.all([sharedRead(LIST, {}, c.send), sharedRead(LIST, {}, c.send)]);
  const later = await sharedRead(LIST, {}, c.send);
  assert.equal(c.calls, 1);
  assert.deepEqual(a, { members: [{ userId: 'u1' }] });
  a.members.push({ userId: 'changed' });
  assert.deepEqual(b, { members: [{ userId: 'u1' }] }, 'one caller editing its answer changes no other');
  assert.deepEqual(later, { members: [{ userId: 'u1' }] });
});

test('another request, a write, an event and time each mean a new call', async () => {
  forgetReads();
  const c = counter();
  await sharedRead(LIST, {}, c.send);
  await sharedRead(LIST, { pageSize: 5 }, c.send);
  assert.equal(c.calls, 2, 'another request body is another read');
  const post = 'hearth.chat.v1.ChatService/PostMessage';
  assert.equal(isRead(post), false);
  await sharedRead(post, { text: 'hi' }, c.send);
  await sharedRead(post, { text: 'hi' }, c.send);
  assert.equal(c.calls, 4, 'a write is sent every time, even with the same body');
  forgetReads();
  await sharedRead(LIST, {}, c.send);
  assert.equal(c.calls, 5, 'forgotten after an event');
  await sharedRead(LIST, {}, c.send, Date.now() + SHARED_MS + 1);
  assert.equal(c.calls, 6, 'forgotten after SHARED_MS');
});

test('a failed read is not shared', async () => {
  forgetReads();
  let calls = 0;
  const failing = () => { calls++; return Promise.reject(new Error('UNAVAILABLE')); };
  await assert.rejects(sharedRead('x.v1.S/GetThing', { id: '1' }, failing));
  await assert.rejects(sharedRead('x.v1.S/GetThing', { id: '1' }, failing));
  assert.equal(calls, 2);
  assert.deepEqual(['x.v1.S/GetThing', 'x.v1.S/ListThings', 'x.v1.S/SearchMessages'].map(isRead), [true, true, true]);
  assert.deepEqual(['x.v1.S/Getaway', 'x.v1.S/Listen', 'x.v1.S/MarkRead'].map(isRead), [false, false, false]);
});

test('the reads a page made that depend only on its parameters, project and user become templates', async () => {
  forgetReads();
  const stop = recordReads();
  const c = counter();
  const timeline = 'hearth.chat.v1.ChatService/ListMessages';
  await sharedRead(timeline, { channelId: 'c1', threadRootId: undefined, limit: 50 }, c.send);
  await sharedRead(LIST, {}, c.send);
  await sharedRead('hearth.chat.v1.ChatService/GetPresence', { userIds: ['u1', 'u2'] }, c.send);
  await sharedRead('hearth.files.v1.FileService/ListFiles', { projectId: 'p1', folderId: 'f9' }, c.send);
  await sharedRead('hearth.chat.v1.ChatService/PostMessage', { channelId: 'c1', text: 'hi' }, c.send);
  await sharedRead(LIST, {}, c.send);
  const reads = stop();
  await sharedRead(timeline, { channelId: 'c1' }, c.send);
  assert.equal(reads.length, 5, 'reads only, while recording');
  const vars = { 'params.channelId': 'c1', project: 'p1', user: 'u1' };
  assert.deepEqual(templatesOf(reads, vars), [
    { method: timeline, request: { channelId: '${params.channelId}', limit: 50 } },
    { method: LIST, request: {} },
  ], 'a list of ids (presence) and a string that is no parameter (a folder) are not foretold; duplicates once');
});
