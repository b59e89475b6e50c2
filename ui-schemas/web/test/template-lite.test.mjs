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
/** compare()'s answer when both engines fail with the same error (the card then says its template failed). */
const FAILED = Symbol('failed');

/**
 * The light result, or undefined when it declines; fails when it gives anything but the full engine's.
 * Where the full engine fails, the light expander may fail the same way (the same error): `FAILED`.
 */
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
    assert.ok(fullError, `the light expander throws ${e} where the full engine gives a card: ${JSON.stringify(template)}`);
    assert.equal(String(e), String(fullError), `another failure than the full engine's: ${JSON.stringify(template)}`);
    return FAILED;
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
  // a path that finds nothing: its own text `${path}` (the engine's null substitution), but undefined
  // inside comparisons, !, &&, ||, if()'s condition, empty() and $when; an index finding nothing drops the field
  { a: '${channel.missing}', b: 'x ${channel.missing} y', c: '${$root.nope.deeper}', d: '${channel.topic.x}', e: "${strings['no.' + 'such']}" },
  { a: '${foreach(items, x, x.missing)}', b: '${where(members, m, m.admin)}', c: "${contains(channel.missing, 'x')}", d: "${channel.missing + '!'}" },
  { a: "${channel.missing == ''}", b: "${channel.missing != ''}", c: '${channel.missing == nope}', d: '${if(channel.missing == 1, 1, 2)}' },
  { body: [{ t: 1, $when: "${channel.missing != ''}" }, { t: 2, $when: "${channel.missing == ''}" }, { t: 3, $when: '${empty(channel.missing)}' }] },
  { body: [{ $data: '${members}', t: "${if(empty(admin), 'no', 'yes')}", u: '${admin}', $when: '${admin != true}' }] },
  // empty, first, length, substring, sub, concat, string, formatNumber (the thread, survey and user-module pages)
  { a: '${empty(channel.topic)}', b: '${empty(items)}', c: '${empty(empty)}', d: '${empty(channel.missing)}', e: '${empty(channel.count)}',
    f: '${empty(channel.archived)}', g: '${empty(nested)}', h: '${empty(obj)}', i: "${empty('x')}", j: '${empty(first(empty))}' },
  { a: '${first(items)}', b: '${first(channel.name)}', c: '${first(items).id}', d: '${first(empty).id}', f: '${first(empty)}',
    g: 'x${first(items).ID}', h: '${first(nested.list)[1]}', i: '${first(items).missing.x}', j: "${first('')}" },
  { a: '${length(channel.name)}', b: '${length(channel.missing)}', c: '${length(channel.topic)}', d: '${if(empty(channel.missing), length(channel.missing), 0)}' },
  { a: '${substring(channel.name, 2)}', b: '${substring(channel.name, 0, 3)}', c: '${substring(user, sub(length(user), 1), 1)}',
    d: '${substring(channel.missing, 1)}', e: '${substring(channel.name, 7)}', f: '${substring(channel.name, 7, 0)}', g: '${substring(channel.topic, 0)}' },
  { a: '${sub(10, 3, 2)}', b: '${sub(channel.count, 0.5)}', c: '${sub(1, 1)}', d: '${sub(channel.count, count(items)) == 0}' },
  { a: '${concat("@", user)}', b: 'x ${concat(channel.name, 1, true)}', c: '${concat(channel.count)}', d: '${concat(channel.missing, "!")}',
    e: '${if(true, concat(channel.count, 1), 0)}', f: '${length(concat(channel.missing, "x"))}', g: '${empty(concat(channel.missing, channel.missing))}',
    h: '${if(true, concat(obj, "!"), 0)}', i: '${if(true, concat(channel.missing, 2), 0)}', k: '${concat("a", channel.count, "b")}' },
  { a: '${string(channel.count)}', b: '${string(1234567.891)}', c: '${string(sub(0, 0.5))}', d: '${string(channel.archived)}', e: '${string(obj)}',
    f: '${string(items)}', g: '${string(channel.missing)}', h: '${string(user)}', i: "${string(1234.5, 'ru-RU')}", j: "${string(1234.5, 'de-CH')}",
    k: "${string(1234567.25, 'en-IN')}", l: "${string(sub(0, 1234.5), 'ar-EG')}", m: '${string(0.1 + 0.2)}', o: "${string('x', 'ru-RU')}" },
  { a: '${formatNumber(1234.565, 2)}', b: '${formatNumber(sub(0, 0.001), 2)}', c: '${formatNumber(channel.count, 0)}', d: '${formatNumber(2.5, 0)}',
    e: '${formatNumber(0.125, 2)}', f: "${formatNumber(1234567.891, 1, 'fr-FR')}", g: '${formatNumber(1, 20)}', h: '${formatNumber(sub(0, 2.5), 0)}' },
  { body: [{ $data: '${items}', v: '${string($index)}', w: "${formatNumber(n, 1)}" }] },
  // who wrote a reply (the thread page): a member's name, else '@' and the id's last six characters
  { body: [{ $data: '${members}', who: "${if(empty(first(where($root.members, m, m.userId == userId)).displayName), concat('@', substring(userId, sub(length(userId), 2), 2)), first(where($root.members, m, m.userId == userId)).displayName)}" }],
    gone: "${if(empty(first(where(members, m, m.userId == 'zz')).displayName), 'gone', first(where(members, m, m.userId == 'zz')).displayName)}" },
  // `+` as add: numbers add up, anything else is written as text one after the other, nothing (an index that found
  // nothing; a path where no substitution is made) as nothing — the video room's state line and its mode's name
  { a: "${strings['no'] + '!'}", b: "${'!' + strings['no']}", c: "${strings['no'] + strings['nah']}", d: "${channel.count + strings['title']}",
    e: "${strings['chat.' + channel.missing]}", f: "${if(channel.archived, ' · ' + strings['chat.x'], '')}", g: "${channel.missing + 'x' == 'x'}",
    h: "${1 + 2 + 'a' + 1 + 2}", i: '${channel.missing + 1}', j: "${strings['chat.' + 'x'] + ' ' + channel.count}", k: '${0.1 + 0.2}',
    l: "${1.5 + '' + 2}", m: "${strings['ti' + nested.missing + 'tle']}", n: "${'x' + $root.nope.deeper}" },
  { body: [{ $data: '${members}', t: "${displayName + if(empty(admin), '', ' · ' + $root.strings['title'])}" }] },
  // a path through something that is not an object finds nothing (its substitution), as the engine's memory walks it
  { a: '${channel.name.length}', b: '${items.id}', c: '${channel.count.x}', d: '${channel.archived.x}', e: "${channel.name['0']}",
    f: "${items['1']}", g: '${first(items).id.x}', h: "${strings['chat.x']['length']}", i: "${nested.list['0']}" },
  // a literal alone is text there (the full engine keeps a constant in its concatenation)
  { a: '${false}', b: '${1.50}', c: '${(1)}', d: "${'s'}", e: '${!true}', f: '${(1 + 2)}' },
  { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', n: 1, b: false, nul: null, s: 'no expression', $root: 'x', $index: 1 },
];

/** Cases it must leave to the full engine. */
const DECLINED = [
  { text: 'a ${nothing} b' },
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
  { text: '${where(mixed, x, x)}' },
  { text: '${foreach(nothing, x, x)}' },
  { text: '${Where(items, x, true)}' },
  // join: not a list, a separator that is not text; contains: a list and a complex value
  { text: "${join(channel.name, ',')}" },
  { text: '${join(items, 1)}' },
  { text: "${join(items, ',', 2)}" },
  { text: '${contains(mixed, nested.list[1])}' },
  { text: '${contains(items, items[0])}' },
  // errors of the new functions, lists in concat(), null, a missing value in text made by toString
  { text: '${length(channel.count)}' },
  { text: '${substring(channel.name, 20)}' },
  { text: '${substring(channel.name, 1, 20)}' },
  { text: '${substring(channel.count, 1)}' },
  { text: '${substring(channel.name, 1.5)}' },
  { text: '${sub(channel.name, 1)}' },
  { text: '${formatNumber(channel.name, 2)}' },
  { text: '${formatNumber(1.5, 2.5)}' },
  { text: '${formatNumber(1.5, -1)}' },
  { text: '${formatNumber(1e21, 2)}' },
  { text: '${string(1, 2)}' },
  { text: '${if(true, concat(items, empty), 1)}' },
  { text: '${concat(obj, "!")}' },
  { text: '${concat(items)}' },
  { text: '${first(nothing)}' },
  { text: '${empty(nothing)}' },
  { text: '${first(items)(1)}' },
  { body: [{ $data: '${concat(items)}', t: 'x' }] },
  // `+`: its errors (null, a boolean, a list or an object, a number and nothing), which the engine swallows in text
  { text: '${channel.missing + 1 == 1}' },
  { text: '${channel.archived + "x"}' },
  { text: "${items + 'x'}" },
  { text: "${obj + 'x'}" },
  { text: "${strings['no'] + 1}" },
  { text: "a ${1 + strings['no']} b" },
  { text: "${if(true, channel.count + strings['no'], 0)}" },
];

/** Cases where both fail the same way (the card then says its template failed); the light expander must not decline. */
const FAILING = [
  { text: "a ${strings['no']} b" },
  { text: "${strings['chat.' + channel.missing]} · ${channel.name}" },
  { body: [{ type: 'TextBlock', text: "${channel.count} / ${strings['video.mode.' + channel.nope]}" }] },
  { text: "${concat(strings['no'], 'x')}" },
  { text: 'x ${first(empty)}' },
];

test('the light expander fails as the full engine does where that one fails for certain', () => {
  for (const template of FAILING) {
    assert.throws(() => full(template, data), TypeError, `the full engine gives a card for ${JSON.stringify(template)}`);
    assert.equal(compare(template, data), FAILED, JSON.stringify(template));
  }
});

test('data that is not (yet) an object — null, a list, text, a number: paths find nothing, as the full engine\'s memory does', () => {
  const templates = [
    { a: '${x}', b: '${x.y}', c: '${$root.x}', d: "${strings['k']}", e: '${count(x)}', f: '${x == 1}', g: "${$root['k']}",
      h: "${$root['0']}", i: '${empty(x)}', j: "${if(x.y == 'a', 1, 2)}", k: "${'n: ' + strings['x']}", l: '${$data.x}' },
    { body: [{ type: 'TextBlock', text: 'shown', $when: "${x != ''}" }, { type: 'TextBlock', text: 'hidden', $when: '${x.y}' }] },
    { body: [{ $data: '${$root}', t: '${y}' }] },
  ];
  let taken = 0;
  for (const root of [null, undefined, [], ['a', 'b'], 'text', '', 3, 0, true, false, {}]) {
    for (const template of templates) if (compare(template, root) !== undefined) taken++;
  }
  assert.ok(taken >= 30, `taken ${taken}`);
});

test('the light expander gives the full engine\'s card on the cases it covers', () => {
  for (const template of COVERED) {
    const lite = compare(template, data);
    assert.notEqual(lite, undefined, `declined, but should be covered: ${JSON.stringify(template)}`);
    assert.notEqual(lite, FAILED, `failed, but should give a card: ${JSON.stringify(template)}`);
  }
});

test('the light expander leaves to the full engine what it does not model', () => {
  for (const template of DECLINED) {
    assert.throws(() => expandLite(template, data), Unsupported, JSON.stringify(template));
    compare(template, data);
  }
});

test('string() and formatNumber() write numbers as the full engine does in each of its locales and others', () => {
  const { localeInfo } = require('adaptive-expressions');
  const numbers = [0, -0, 1, -1, 7, 12, 123, 1234, 12345, 123456, 1234567.891, -9876543.21, 0.1 + 0.2, 1e-7, 1.5e-7, 999999.995,
    2.5, -2.5, 0.125, 1e20, 123456789012, -0.0004, 1 / 3];
  const locales = [...Object.keys(localeInfo), 'ru', 'en', 'xx-YY', ''];
  let n = 0;
  for (const loc of locales) {
    const template = {};
    numbers.forEach((x, i) => {
      template[`s${i}`] = `\${string(nums[${i}], '${loc}')}`;
      for (const p of [0, 2, 5]) template[`f${i}p${p}`] = `\${formatNumber(nums[${i}], ${p}, '${loc}')}`;
    });
    assert.notEqual(compare(template, { ...data, nums: numbers }), undefined, `declined in ${loc}`);
    n++;
  }
  assert.ok(n > 50);
});

test('without a locale named, both take the one the browser reports', () => {
  const Real = Intl.DateTimeFormat;
  const template = { a: '${string(1234567.5)}', b: '${formatNumber(sub(0, 1234.5678), 2)}' };
  try {
    for (const loc of ['ru-RU', 'de-CH', 'ar-SA', 'en-IN', 'fr', 'en-US']) {
      Intl.DateTimeFormat = function () { return { resolvedOptions: () => ({ locale: loc }) }; };
      const card = compare(template, data);
      assert.notEqual(card, undefined, `declined in ${loc}`);
      if (loc === 'ru-RU') assert.deepEqual(card, { a: '1\u00a0234\u00a0567,5', b: '\u22121\u00a0234,57' });
    }
  } finally {
    Intl.DateTimeFormat = Real;
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

test('the thread panel needs no full engine: a reply by a member, one without a name, one who left, a deleted one', () => {
  const root = join(web, '../..');
  const file = 'module-chat/src/main/resources/pages/thread.json';
  const samples = JSON.parse(readFileSync(join(web, 'test/samples.json'), 'utf8'));
  const strings = JSON.parse(readFileSync(join(root, 'module-chat/src/main/resources/i18n/chat.json'), 'utf8'));
  const template = JSON.parse(readFileSync(join(root, file), 'utf8'));
  const base = { strings, project: 'p1', ...samples[file] };
  const reply = base.replies[0];
  const replies = [
    reply, { ...reply, id: 'r2', authorId: base.user }, { ...reply, id: 'r3', authorId: 'u-nameless-123456' },
    { ...reply, id: 'r4', authorId: 'u-gone-abcdef' }, { ...reply, id: 'r5', deleted: true },
  ];
  const members = [...base.members, { userId: 'u-nameless-123456', displayName: '', role: 'project-user' }];
  const card = compare(template, { ...base, replies, members });
  assert.notEqual(card, undefined, 'the light expander declined');
  const text = JSON.stringify(card);
  assert.match(text, /@123456/);
  assert.match(text, /@abcdef/);
});

test('the light expander gives the full engine\'s result on generated expressions of the functions it knows', () => {
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
      () => `first(${list(vars, depth - 1)}).${pick(FIELDS)}`, () => `string(${simple()})`, () => `concat(${simple()}, ${simple()})`,
      () => `length(${simple()})`, () => `substring(${simple()}, 0, 1)`, () => `formatNumber(count(${list(vars, depth - 1)}), 1)`,
    ])();
  };
  const bool = (vars, depth) => {
    const simple = () => pick([...vars.map((v) => `${v}.${pick(FIELDS)}`), `${value(vars, 0)} == ${value(vars, 0)}`, 'true', 'false']);
    if (depth <= 0 || random(2) === 0) return simple();
    return pick([
      () => `contains(${list(vars, depth - 1)}, ${value(vars, depth - 1)})`, () => `count(${list(vars, depth - 1)}) > 1`,
      () => `!(${bool(vars, depth - 1)})`, () => `${bool(vars, depth - 1)} && ${bool(vars, depth - 1)}`,
      () => `empty(${pick([list(vars, depth - 1), value(vars, depth - 1)])})`, () => `${value(vars, depth - 1)} != ''`,
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
