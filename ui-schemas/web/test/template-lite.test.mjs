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
  members: [
    { userId: 'u1', displayName: 'Ann' }, { userId: 'u2', displayName: '' }, { userId: 'u3', displayName: 'Cy', admin: true },
  ],
  channelMembers: [{ userId: 'u1', admin: true }, { userId: 'u3', admin: false }],
  direct: { kind: 'DIRECT', directMemberIds: ['u1', 'u2'] },
  m: { userId: 'OUTER', n: 7 },
  obj: { a: 1, B: 'two', c: true },
  mixed: ['x', 2, true, null, { id: 'o' }, ['y', 'z'], 0.1 + 0.2],
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
  // where/foreach/join/contains/count, as the chat channel page uses them
  { v: '${where(channelMembers, m, m.userId == user)}', n: '${count(where(channelMembers, m, m.userId == user && m.admin)) > 0}' },
  { v: '${where(members, m, count(where(channelMembers, c, c.userId == m.userId)) == 0)}' },
  { v: "${join(foreach(where(members, m, m.userId != user && contains(direct.directMemberIds, m.userId)), m, if(m.displayName != '', m.displayName, m.userId)), ', ')}" },
  { body: [{ $data: '${where(items, i, i.ok)}', text: '${id} ${$index} ${count(where($root.items, j, j.n < n))}' }] },
  // empty lists, a condition that is not a boolean (anything but false and null keeps the item)
  { a: '${where(empty, x, x.n > 1)}', b: '${foreach(empty, x, x.id)}', c: "${join(empty, ', ')}", d: '${count(where(empty, x, true))}' },
  { a: '${where(items, x, x.id)}', b: '${where(items, x, 0)}', c: "${where(items, x, '')}" },
  // the variable shadows data of the same name (ignoring case), and a field its item lacks is sought further out
  { a: '${foreach(items, channel, channel.id)}', b: '${foreach(items, channel, channel.name)}', c: '${foreach(items, M, m.id)}' },
  { a: '${where(members, m, m.n == 7)}', b: "${foreach(members, m, m.userId + '/' + m.n)}", c: '${foreach(empty, m, m.n)}' },
  { a: '${foreach(items, x, foreach(members, y, y.userId))}', b: '${foreach(items, x, count(where(members, y, y.userId == x.id)))}' },
  { a: '${foreach(items, x, foreach(members, x, x.userId))}', b: '${foreach(items, x, foreach(members, y, x.id + y.userId))}' },
  { body: [{ $data: '${items}', t: "${foreach($root.items, x, $root.strings['title'] + x.id + $index)}" }], b: '${foreach(items, x, $data.user)}' },
  { body: [{ $data: '${items}', text: '${join(foreach($root.members, x, id + x.userId), ",")}' }] },
  // objects: lists of {key, value}; where() gives an object back
  { a: '${foreach(obj, p, p.key)}', b: '${where(obj, p, p.key == "a" || p.key == "c")}', c: '${count(where(obj, p, false))}', d: '${count(obj)}' },
  { a: "${join(foreach(obj, p, p.value), ', ', ' and ')}", b: "${join(foreach(items, x, x.id), ', ', ' and ')}", c: "${join(foreach(empty, x, x), ', ', ' and ')}" },
  // join of items that are not text: JavaScript's join, as there
  { a: "${join(mixed, '|')}", b: '${join(items, "-")}', c: '${join(nested.list, ";")}', d: "${join(foreach(items, x, x.n), '+')}" },
  // contains: text, lists (numbers within Number.EPSILON), objects (keys ignoring case), anything else false
  { a: "${contains(channel.name, 'ner')}", b: "${contains(channel.name, 'x')}", c: "${contains(channel.name, '')}" },
  { a: '${contains(direct.directMemberIds, user)}', b: "${contains(mixed, 'y')}", c: '${contains(mixed, 0.3)}', d: '${contains(mixed, true)}', e: '${contains(empty, 1)}' },
  { a: "${contains(obj, 'b')}", b: "${contains(obj, 'z')}", c: "${contains(channel, 'TOPIC')}", d: '${contains(obj, 1)}' },
  { a: "${contains(channel.count, 'x')}", b: '${contains(channel.name, 3)}', c: "${contains(channel.archived, 'x')}", d: "${contains(items[0], 'ID')}" },
  // a literal alone is text there (the full engine keeps a constant in its concatenation)
  { a: '${false}', b: '${1.50}', c: '${(1)}', d: "${'s'}", e: '${!true}', f: '${(1 + 2)}' },
  { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', n: 1, b: false, nul: null, s: 'no expression', $root: 'x', $index: 1 },
];

/** Cases it must leave to the full engine. */
const DECLINED = [
  { text: '${channel.missing}' },
  { text: 'a ${nothing} b' },
  { text: "${string(channel.count)}" },
  { text: '${if(channel.count, 1, 2)}' },
  { text: '${if(channel.archived, 1)}' },
  { text: '${count(channel.count)}' },
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
  { body: [{ $data: '${1}', text: '${$data}' }, { text: 'x', $when: '${true}' }] },
  { body: [{ $data: [{ a: 1 }], text: 'x' }] },
  // where/foreach: over text or numbers, a variable that is not a plain name, a missing field, null
  { text: '${where(channel.name, x, true)}' },
  { text: '${foreach(channel.count, x, x)}' },
  { text: '${foreach(channel.readOnly, x, x)}' },
  { text: '${where(items, x.y, true)}' },
  { text: '${where(items, $x, true)}' },
  { text: '${where(items, x)}' },
  { text: '${foreach(items, x, x.missing)}' },
  { text: '${where(members, m, m.admin)}' },
  { text: '${where(mixed, x, x)}' },
  { text: '${foreach(nothing, x, x)}' },
  { text: '${Where(items, x, true)}' },
  // join: not a list, a separator that is not text; contains: a list and a complex value
  { text: "${join(channel.name, ',')}" },
  { text: '${join(items, 1)}' },
  { text: "${join(items, ',', 2)}" },
  { text: '${contains(mixed, nested.list[1])}' },
  { text: '${contains(items, items[0])}' },
  { text: "${contains(channel.missing, 'x')}" },
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

test('the chat channel page needs no full engine as a DM, to a non-member, or to a plain member', () => {
  const root = join(web, '../..');
  const file = 'module-chat/src/main/resources/pages/channel.json';
  const samples = JSON.parse(readFileSync(join(web, 'test/samples.json'), 'utf8'));
  const strings = JSON.parse(readFileSync(join(root, 'module-chat/src/main/resources/i18n/chat.json'), 'utf8'));
  const template = JSON.parse(readFileSync(join(root, file), 'utf8'));
  const base = { strings, params: { channelId: 'c1' }, project: 'p1', ...samples[file] };
  const [me, other] = base.members.map((m) => m.userId);
  const dm = { ...base.channel, kind: 'DIRECT', directMemberIds: [me, other] };
  const variants = {
    'a DM': { ...base, channel: dm },
    'a DM with a member without a display name': {
      ...base, channel: dm, members: base.members.map((m) => (m.userId === other ? { ...m, displayName: '' } : m)),
    },
    'a DM with oneself': { ...base, channel: { ...dm, directMemberIds: [me] } },
    'a non-member': { ...base, channelMembers: [] },
    'a plain member': { ...base, channelMembers: [{ userId: me, admin: false }] },
    'everyone a member': { ...base, channelMembers: base.members.map((m) => ({ userId: m.userId, admin: true })) },
  };
  const cards = new Map();
  for (const [name, sample] of Object.entries(variants)) {
    const card = compare(template, sample);
    assert.notEqual(card, undefined, `${name}: the light expander declined`);
    const same = cards.get(JSON.stringify(card));
    // Each variant takes another branch of the page; an admin of a channel everyone is in, like a plain
    // member, has no one to add.
    if (name !== 'everyone a member') assert.equal(same, undefined, `${name} gives the card of ${same}`);
    cards.set(JSON.stringify(card), name);
  }
});

test('the light expander gives the full engine\'s result on generated where/foreach/join/contains/count expressions', () => {
  // A fixed seed: the same expressions every run, mixing the functions, nested lambdas, shadowing
  // and fields items lack (sought further out, or missing), over lists, objects, text and numbers.
  let seed = 17;
  const random = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pick = (xs) => xs[random(xs.length)];
  const VARS = ['m', 'c', 'x', 'M', 'channel', 'items'];
  const FIELDS = ['id', 'userId', 'n', 'ok', 'admin', 'displayName', 'key', 'value', 'name'];
  const list = (vars, depth) => {
    if (depth <= 0 || random(3) === 0) {
      return pick(['items', 'members', 'channelMembers', 'empty', 'obj', 'mixed', 'direct.directMemberIds', 'channel.name',
        'channel.count', 'nested.list', ...vars.map((v) => `${v}.${pick(FIELDS)}`)]);
    }
    const v = pick(VARS);
    const inner = [...vars, v];
    return random(2) === 0 ? `where(${list(vars, depth - 1)}, ${v}, ${bool(inner, depth - 1)})`
      : `foreach(${list(vars, depth - 1)}, ${v}, ${value(inner, depth - 1)})`;
  };
  const value = (vars, depth) => {
    const simple = () => pick([...vars.map((v) => `${v}.${pick(FIELDS)}`), ...vars, "'s'", '1', 'user', 'channel.name']);
    if (depth <= 0 || random(2) === 0) return simple();
    return pick([
      () => `join(${list(vars, depth - 1)}, ', ')`, () => `count(${list(vars, depth - 1)})`,
      () => `if(${bool(vars, depth - 1)}, ${simple()}, ${simple()})`, () => `${simple()} + ${simple()}`,
    ])();
  };
  const bool = (vars, depth) => {
    const simple = () => pick([...vars.map((v) => `${v}.${pick(FIELDS)}`), `${value(vars, 0)} == ${value(vars, 0)}`, 'true', 'false']);
    if (depth <= 0 || random(2) === 0) return simple();
    return pick([
      () => `contains(${list(vars, depth - 1)}, ${value(vars, depth - 1)})`, () => `count(${list(vars, depth - 1)}) > 1`,
      () => `!(${bool(vars, depth - 1)})`, () => `${bool(vars, depth - 1)} && ${bool(vars, depth - 1)}`,
    ])();
  };
  let taken = 0;
  const total = 3000;
  for (let i = 0; i < total; i++) {
    const e = random(3) === 0 ? bool([], 3) : random(2) === 0 ? list([], 3) : value([], 3);
    if (compare({ v: `\${${e}}` }, data) !== undefined) taken++;
  }
  // Not a vacuous comparison: the light expander takes a good share of them.
  assert.ok(taken > total / 5, `the light expander took only ${taken} of ${total}`);
});
