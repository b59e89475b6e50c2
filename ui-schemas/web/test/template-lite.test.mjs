// The light template expander (src/template-lite.ts) against adaptivecards-templating, the engine it
// stands in for: on every case it either gives exactly the full engine's card or declines
// (Unsupported), and it does not decline the templates it exists for (the chat channel page).
// cards.test.mjs compares both on every card the repository ships as well.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { Template } = require('adaptivecards-templating');
const out = join(web, '../target/template-lite.cjs');
await build({ entryPoints: [join(web, 'src/template-lite.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'error' });
const { expandLite, Unsupported } = require(out);

const full = (template, data) => new Template(template).expand({ $root: data });

/** The light result, or undefined when it declines; fails when it gives anything but the full engine's. */
function compare(template, data) {
  let expected;
  let fullError;
  try {
    expected = full(template, data);
  } catch (e) {
    fullError = e;
  }
  let lite;
  try {
    lite = expandLite(template, data);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  assert.equal(fullError, undefined, `the light expander succeeded where the full engine throws ${fullError}: ${JSON.stringify(template)}`);
  assert.deepEqual(lite, expected, `different expansions of ${JSON.stringify(template)} with ${JSON.stringify(data)}`);
  return lite;
}

const data = {
  strings: { 'chat.x': 'Hello', title: 'T' },
  channel: { id: 'c1', name: 'general', topic: '', readOnly: false, archived: true, count: 3, Big: 'upper', big: 'lower' },
  items: [{ id: 'a', n: 1, ok: true }, { id: 'b', n: 2, ok: false }, { id: 'c', n: 3, ok: true }],
  empty: [],
  nested: { list: [['x', 'y'], ['z']] },
  nothing: null,
  user: 'u1',
};

/** Cases the light expander must take (and give the full engine's result for). */
const COVERED = [
  { text: '# ${channel.name}' },
  { text: '${channel.name}' },
  { v: '${channel.count}', b: '${channel.archived}', o: '${channel}', a: '${items}' },
  { text: 'n=${channel.count} ok=${channel.readOnly} ${channel.id}/${user}' },
  { type: 'TextBlock', text: 'x', $when: "${channel.topic != ''}" },
  { type: 'TextBlock', text: 'x', $when: '${channel.archived}' },
  { type: 'TextBlock', text: 'x', $when: '${!channel.archived}' },
  { type: 'TextBlock', text: 'x', $when: '${channel.name}' },
  { type: 'TextBlock', text: 'x', $when: true },
  { type: 'TextBlock', text: 'x', $when: 'plain' },
  { text: "${strings['chat.x']}", t2: "${$root.strings['title']}", k: "${strings['CHAT.X']}" },
  { body: [{ type: 'TextBlock', $data: '${items}', text: '${id} #${$index} of ${$root.channel.name}', $when: '${ok}' }] },
  { body: [{ $data: '${items}', text: '${n}' }, { $data: '${empty}', text: 'none' }, { text: 'after' }] },
  { body: [{ $data: '${channel}', text: '${name}', inner: { $data: '${$root.items[1]}', id: '${id}' } }] },
  { choices: ['${items}', { title: 'last' }] },
  { body: [{ $data: '${items}', text: '${id}', $when: '${n > 1 && n <= 3}' }] },
  { v: '${1 + 2 == 3}', w: "${'a' + 1}", x: '${channel.count + 1}', y: "${channel.name + '!' }", z: '${(1 + 2) == 3}' },
  { v: '${(channel.count < 5) == true}', w: '${channel.readOnly || channel.archived}', x: '${!(channel.readOnly && channel.archived)}' },
  { case: '${channel.big}', other: '${channel.BIG}' },
  { list: '${nested.list[0]}', first: "${nested['list'][1][0]}" },
  { s: "${strings['chat.' + 'x']}", t: "${$root.strings['ti' + 'tle']}", u: '${items[count(empty)]}' },
  { body: [{ $data: '${items}', text: "${$root.nested.list[$index][0]}", $when: '${$index < 2}' }] },
  { n: '${count(items)}', e: '${count(empty) == 0}', s: '${count(channel.name)}' },
  { body: [{ $data: '${items}', text: "${if(ok, $root.strings['chat.x'], '# ' + id)}" }], m: '${if(channel.readOnly, nothing.x, 1)}' },
  { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', n: 1, b: false, nul: null, s: 'no expression', $root: 'x', $index: 1 },
];

/** Cases it must leave to the full engine. */
const DECLINED = [
  { text: '${channel.missing}' },
  { text: 'a ${nothing} b' },
  { text: "${string(channel.count)}" },
  { text: '${if(channel.count, 1, 2)}' },
  { text: '${if(channel.archived, 1)}' },
  { text: '${count(channel)}' },
  { text: '${Count(items)}' },
  { text: 'line\n${channel.name}' },
  { text: '${channel.name}\\' },
  { text: "${nested['list'].x}" },
  { text: '${channel.count == channel.name}' },
  { text: '${channel-name}' },
  { text: '${channel.archived ? 1 : 2}' },
  { text: '${channel.count * 2}' },
  { text: '${channel.count < 5 == true}' },
  { text: '${items[channel.archived]}' },
  { text: "${strings['no.' + 'such']}" },
  { body: [{ $data: "items ${user}", text: 'x' }] },
  { body: [{ $data: [{ a: 1 }], text: 'x' }] },
];

test('the light expander gives the full engine\'s card on the cases it covers', () => {
  for (const template of COVERED) {
    const lite = compare(template, data);
    assert.notEqual(lite, undefined, `declined, but should be covered: ${JSON.stringify(template)}`);
  }
});

test('the light expander leaves to the full engine what it does not model', () => {
  for (const template of DECLINED) {
    assert.throws(() => expandLite(template, data), Unsupported, JSON.stringify(template));
    compare(template, data);
  }
});

test('the chat channel page, the first page people open, needs no full engine', () => {
  const root = join(web, '../..');
  const samples = JSON.parse(readFileSync(join(web, 'test/samples.json'), 'utf8'));
  const strings = JSON.parse(readFileSync(join(root, 'module-chat/src/main/resources/i18n/chat.json'), 'utf8'));
  for (const page of ['channel', 'channel-list']) {
    const file = `module-chat/src/main/resources/pages/${page}.json`;
    const template = JSON.parse(readFileSync(join(root, file), 'utf8'));
    const sample = { strings, params: { channelId: 'c1' }, project: 'p1', user: 'u1', ...samples[file] };
    assert.notEqual(compare(template, sample), undefined, `${page}: the light expander declined`);
  }
});
