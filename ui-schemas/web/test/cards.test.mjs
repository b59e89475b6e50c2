// Every card the repository ships, checked the way the shell renders it: expanded with
// adaptivecards-templating against sample data (samples.json), then parsed by the official
// adaptivecards package at the pinned version and validated. A parse warning, a validation error,
// a `${...}` left unexpanded or a card of another version fails, naming the file and the problem.
// Also: string tables translate only keys their fallback has, and the host configs have readable
// contrast. Runs with `npm test` (Maven's test phase of ui-schemas).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import { AC, parse } from './renderer.mjs';

// The CommonJS build: its ES module build uses import paths Node does not resolve.
const require = createRequire(import.meta.url);
const { Template } = require('adaptivecards-templating');
// The shell's light expander (src/template-lite.ts), which must give the same card or decline, and what
// the shell expands in each state of a page (src/page-card.ts).
const liteBundle = join(dirname(fileURLToPath(import.meta.url)), '../../target/template-lite-cards.cjs');
await build({
  stdin: { contents: "export { expandLite, Unsupported } from './template-lite'; export { pageCard } from './page-card';",
    resolveDir: join(dirname(fileURLToPath(import.meta.url)), '../src'), loader: 'ts' },
  bundle: true, platform: 'node', format: 'cjs', outfile: liteBundle, logLevel: 'error',
});
const { expandLite, Unsupported, pageCard } = require(liteBundle);

/** The one Adaptive Cards version every card declares: the newest the renderer knows. */
export const PINNED = '1.6';
const CARD_SET = 'ui-schemas/src/test/resources/cards/';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const SKIP = new Set(['node_modules', 'target', '.git', 'data', 'plugins', '.idea']);
const samples = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'samples.json'), 'utf8'));

test('the pinned version is the newest the adaptivecards package renders', () => {
  assert.equal(AC.Versions.latest.toString(), PINNED);
});

for (const { id, card, strings } of findCards()) {
  test(`card ${id}`, () => {
    const problems = check(id, card, strings);
    assert.deepEqual(problems, [], `${id}:\n  ${problems.join('\n  ')}`);
  });
}

for (const dir of stringTables()) {
  // A locale may leave texts out (the fallback shows), but a key the fallback lacks is a typo.
  test(`string tables in ${relative(ROOT, dir)} only translate keys of the fallback`, () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    for (const base of files.filter((f) => !f.includes('_'))) {
      const keys = Object.keys(JSON.parse(readFileSync(join(dir, base), 'utf8')));
      for (const other of files.filter((f) => f.startsWith(base.replace('.json', '_')))) {
        const texts = JSON.parse(readFileSync(join(dir, other), 'utf8'));
        const stray = Object.keys(texts).filter((k) => !keys.includes(k));
        assert.deepEqual(stray, [], `${other} has keys ${base} lacks: ${stray.join(', ')}`);
      }
    }
  });
}

test('host configs: text in every container style is readable (WCAG AA, 4.5:1)', () => {
  for (const theme of ['light', 'dark']) {
    const file = join(ROOT, `ui-schemas/src/main/resources/dev/hearth/ui/hostconfig/${theme}.json`);
    const config = JSON.parse(readFileSync(file, 'utf8'));
    new AC.HostConfig(config); // must be accepted as a host config
    for (const [style, s] of Object.entries(config.containerStyles)) {
      for (const color of ['default', 'accent', 'good', 'warning', 'attention']) {
        for (const shade of ['default', 'subtle']) {
          const ratio = contrast(s.foregroundColors[color][shade], s.backgroundColor);
          assert.ok(ratio >= 4.5, `${theme} ${style}/${color}.${shade}: contrast ${ratio.toFixed(2)} < 4.5`);
        }
      }
    }
  }
});

/** The problems of one card: version, expansion, parse warnings, validation errors. */
function check(id, template, strings) {
  const sample = samples[id];
  if (!sample) return [`no sample data: add "${id}" to ui-schemas/web/test/samples.json`];
  const problems = [];
  for (const v of versions(template)) {
    if (v !== PINNED) problems.push(`version ${v}: cards say "${PINNED}", the version pinned in docs/web.md`);
  }
  const data = { strings, params: {}, project: 'p1', user: 'u1', ...sample };
  let card;
  try {
    card = new Template(template).expand({ $root: data });
  } catch (e) {
    return [...problems, `expanding against the sample throws: ${e.message}`];
  }
  for (const s of leftovers(card)) problems.push(`not expanded against the sample: ${s}`);
  // Every page the repository ships opens without the full engine's chunk (~250 kB gzipped), in each state
  // the shell shows it in (page-card.ts): with its data, with every list in it empty (a new project), and
  // before its data loaded (its first load refused). Checking the sample alone missed the last: the shell
  // then expanded the video room and the channel list against nothing, and loaded the full engine to fail.
  const states = { '': data, ' with its lists empty': emptied(data), ' before its data loaded': undefined };
  for (const [state, loaded] of Object.entries(states)) {
    const shown = pageCard(template, loaded);
    let expected;
    try {
      expected = new Template(shown.template).expand({ $root: shown.data });
    } catch (e) {
      problems.push(`expanding${state} throws: ${e.message}`);
      continue;
    }
    try {
      const lite = expandLite(shown.template, shown.data);
      if (JSON.stringify(lite) !== JSON.stringify(expected)) problems.push(`the shell's light expander gives another card than adaptivecards-templating${state}`);
    } catch (e) {
      problems.push(e instanceof Unsupported ? `the shell's light expander leaves it to the full engine${state}: ${e.message}` : `the light expander throws ${e}${state}`);
    }
  }
  return [...problems, ...parse(card).messages];
}

/** Cards: top-level AdaptiveCard JSON files and the pages of user-module definitions. */
function findCards() {
  const cards = [];
  for (const file of walk(ROOT)) {
    const rel = relative(ROOT, file);
    // The card test set has its own test (card-set.test.mjs); it needs no sample data.
    if (rel.includes('invalid') || rel.startsWith('ui-schemas/web/') || rel.startsWith(CARD_SET)) continue;
    let json;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    if (json?.type === 'AdaptiveCard') {
      cards.push({ id: rel, card: json, strings: moduleStrings(file) });
    } else if (Array.isArray(json?.pages) && json.entities) {
      // A user module's strings, as the node makes them from its definition (RecordPages).
      const strings = { 'module.name': json.names?.en };
      for (const p of json.pages) strings[`page.${p.name}`] = p.titles?.en;
      for (const p of json.pages) if (p?.card) cards.push({ id: `${rel}#${p.name}`, card: p.card, strings });
    }
  }
  return cards;
}

/**
 * The fallback string table of the module a page belongs to (<module>/src/main/resources/i18n; the
 * node's own pages: dev/hearth/ui/strings/hearth.json).
 */
function moduleStrings(pageFile) {
  const own = join(dirname(pageFile), '../strings/hearth.json');
  if (existsSync(own)) return JSON.parse(readFileSync(own, 'utf8'));
  const dir = join(dirname(pageFile), '../i18n');
  if (!existsSync(dir)) return {};
  const base = readdirSync(dir).find((f) => f.endsWith('.json') && !f.includes('_'));
  return base ? JSON.parse(readFileSync(join(dir, base), 'utf8')) : {};
}

function stringTables() {
  const dirs = new Set();
  for (const file of walk(ROOT)) {
    const rel = relative(ROOT, file);
    if (/src\/main\/resources\/(i18n|dev\/hearth\/ui\/strings)\/[^/]+\.json$/.test(rel)) dirs.add(dirname(file));
  }
  return [...dirs];
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.name.endsWith('.json')) yield path;
  }
}

/** `data` with every list in it empty, as a new project's pages get it. */
function emptied(node) {
  if (Array.isArray(node)) return [];
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, emptied(v)]));
  return node;
}

function versions(node, out = []) {
  if (Array.isArray(node)) node.forEach((n) => versions(n, out));
  else if (node && typeof node === 'object') {
    if (node.type === 'AdaptiveCard') out.push(node.version);
    Object.values(node).forEach((v) => versions(v, out));
  }
  return out;
}

function leftovers(node, out = []) {
  if (typeof node === 'string' && node.includes('${')) out.push(JSON.stringify(node));
  else if (Array.isArray(node)) node.forEach((n) => leftovers(n, out));
  else if (node && typeof node === 'object') Object.entries(node).forEach(([k, v]) => k !== '$schema' && leftovers(v, out));
  return out;
}

/** WCAG 2 contrast ratio of two #RRGGBB colours. */
function contrast(a, b) {
  const lum = (hex) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
