// The pages' live rules (src/live.ts): how an event changes one source's data in the shell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const out = join(mkdtempSync(join(tmpdir(), 'hearth-live-')), 'live.cjs');
await build({ entryPoints: [join(web, 'src/live.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'error' });
const { applyRule, matchRule } = require(out);
const id = (v) => v.replace('${params.rootId}', 'r1');

test('the first rule whose event (exact, prefix*, *) and when match is the one', () => {
  const rules = [
    { event: 'message.*', op: 'upsert', when: { threadRootId: '${params.rootId}' } },
    { event: 'channel.created', op: 'upsert' },
    { event: '*', op: 'keep' },
  ];
  assert.equal(matchRule(rules, 'message.created', { threadRootId: 'r1' }, id), rules[0]);
  assert.equal(matchRule(rules, 'message.created', { threadRootId: 'r2' }, id), rules[2]);
  assert.equal(matchRule(rules, 'channel.created', {}, id), rules[1]);
  assert.equal(matchRule(rules.slice(0, 2), 'typing', {}, id), undefined);
});

test('upsert replaces by key or appends; the data bound before is not changed', () => {
  const list = [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }];
  const replaced = applyRule({ event: 'x', op: 'upsert' }, list, { id: 'b', name: 'B2' });
  assert.deepEqual(replaced, [{ id: 'a', name: 'A' }, { id: 'b', name: 'B2' }]);
  assert.deepEqual(list[1], { id: 'b', name: 'B' });
  assert.deepEqual(applyRule({ event: 'x', op: 'upsert' }, list, { id: 'c', name: 'C' }).map((e) => e.id), ['a', 'b', 'c']);
  assert.equal(applyRule({ event: 'x', op: 'upsert' }, list, { id: 'a', name: 'A' }), list, 'nothing changed: the same data');
  // A record under a field of the event, a list inside the bound data.
  const room = { room: { id: 'r' }, participants: [{ userId: 'u1', audio: false }] };
  const next = applyRule({ event: 'x', op: 'upsert', record: 'p', key: 'userId', at: 'participants' }, room, { p: { userId: 'u1', audio: true } });
  assert.deepEqual(next, { room: { id: 'r' }, participants: [{ userId: 'u1', audio: true }] });
});

test('update merges into the element with the key, and cannot apply without one', () => {
  const list = [{ id: 's1', title: 'Lunch', status: 'DRAFT' }];
  assert.deepEqual(applyRule({ event: 'x', op: 'update' }, list, { id: 's1', status: 'OPEN' }), [{ id: 's1', title: 'Lunch', status: 'OPEN' }]);
  assert.equal(applyRule({ event: 'x', op: 'update' }, list, { id: 's2', status: 'OPEN' }), undefined);
  // An object source: merged when the keys agree.
  assert.deepEqual(applyRule({ event: 'x', op: 'update' }, { id: 'c', name: 'x', topic: '' }, { id: 'c', topic: 't' }), { id: 'c', name: 'x', topic: 't' });
  assert.equal(applyRule({ event: 'x', op: 'update' }, { id: 'c' }, { id: 'd' }), undefined);
});

test('remove takes the element whose key is the event\'s value', () => {
  const members = [{ userId: 'u1' }, { userId: 'u2' }];
  assert.deepEqual(applyRule({ event: 'member.left', op: 'remove', key: 'userId' }, members, { channelId: 'c', userId: 'u1' }), [{ userId: 'u2' }]);
  assert.equal(applyRule({ event: 'member.left', op: 'remove', key: 'userId' }, members, { userId: 'u9' }), members);
  assert.equal(applyRule({ event: 'member.left', op: 'remove', key: 'userId' }, { not: 'a list' }, { userId: 'u1' }), undefined);
  assert.equal(applyRule({ event: 'x', op: 'upsert' }, members, { name: 'no key' }), undefined);
});
