// The designer's pure parts (src/designer): a problem's JSON path mapped to its line, sample values
// that fit their fields, and the change list of an upgrade. Bundled with esbuild (a dev dependency
// already, through vite) and imported; the browser test (e2e/designer.test.mjs) covers the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
const bundle = buildSync({
  stdin: {
    contents: "export * from './lines'; export * from './sample'; export * from './diff';",
    resolveDir: join(HERE, '../src/designer'), loader: 'ts',
  },
  bundle: true, format: 'esm', write: false, platform: 'neutral',
});
const { diff, lineOf, pathLines, sample, sampleData } =
  await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`);

const INVENTORY = readFileSync(join(HERE, '../../../docs/examples/inventory.json'), 'utf8');

test('each path of a definition maps to the line of its key or element', () => {
  const text = JSON.stringify(JSON.parse(INVENTORY), null, 2);
  const lines = text.split('\n');
  const map = pathLines(text);
  const at = (path) => lines[lineOf(path, '', map) - 1].trim();
  assert.equal(at('$.id'), '"id": "inventory",');
  assert.equal(at('$.entities[0].fields[2].type'), '"type": "number",');
  assert.equal(at('$.entities[1].fields[0].name'), '"name": "name",');
  assert.equal(at("$.pages[0].card.body[0].type"), '"type": "TextBlock",');
  assert.equal(at('$.actions[3].to'), '"to": "shipped",');
  // A path below what exists falls back to its nearest parent; an unknown one to line 1.
  assert.equal(lineOf('$.entities[0].fields[2].type.nothing', '', map), lineOf('$.entities[0].fields[2].type', '', map));
  assert.equal(lineOf('$.nowhere', '', map), 1);
});

test('malformed text keeps what came before the mistake, and the parser message gives the line at $', () => {
  const text = '{\n  "id": "x",\n  "version": \n}';
  const map = pathLines(text);
  assert.equal(lineOf('$.id', '', map), 2);
  assert.equal(lineOf('$', 'not JSON: Unexpected character (line 4, column 1)', map), 4);
});

test('sample values fit their fields: limits, enum values, real dates, defaults first', () => {
  const number = { name: 'n', type: 'number', min: 5, max: 9 };
  assert.deepEqual([0, 1, 2].map((n) => sample(number, n)), [5, 7, 9]);
  assert.equal(sample({ name: 's', type: 'string', maxLength: 3 }, 1), 'S 2');
  assert.deepEqual([0, 1, 2, 3].map((n) => sample({ name: 'e', type: 'enum', values: ['a', 'b', 'c'] }, n)), ['a', 'b', 'c', 'a']);
  assert.equal(sample({ name: 'e', type: 'enum', values: ['a', 'b'], default: 'b' }, 0), 'b');
  for (let n = 0; n < 3; n++) {
    const d = sample({ name: 'd', type: 'date' }, n);
    assert.match(d, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(new Date(d).toISOString().slice(0, 10), d);
  }
  const data = sampleData(JSON.parse(INVENTORY), 'items', { 'page.items': 'Items' });
  assert.equal(data.items.length, 3);
  for (const item of data.items) {
    assert.equal(item.status, 'in_stock', 'records match the page query\'s where');
    assert.ok(item.quantity >= 0 && item.quantity <= 1000000);
    assert.ok(item.title.length <= 200);
  }
  assert.deepEqual(data.items.map((i) => i.title), [...data.items.map((i) => i.title)].sort(), 'in the query\'s order');
});

test('an upgrade lists fields and pages added, removed, renamed and changed', () => {
  const before = JSON.parse(INVENTORY);
  const after = structuredClone(before);
  after.version = '1.1.0';
  after.entities[0].fields.push({ name: 'colour', type: 'string' });
  after.entities[0].fields = after.entities[0].fields.filter((f) => f.name !== 'photo');
  after.entities[0].fields.find((f) => f.name === 'fragile').renamedFrom = 'fragile';
  Object.assign(after.entities[0].fields.find((f) => f.name === 'notes'), { name: 'memo', renamedFrom: 'notes' });
  after.entities[0].fields.find((f) => f.name === 'title').maxLength = 300;
  after.pages.push({ ...after.pages[0], name: 'all' });
  after.entities.pop();
  const d = diff(before, after);
  assert.equal(d.fromVersion, '1.0.0');
  assert.equal(d.toVersion, '1.1.0');
  const listed = d.changes.map((c) => `${c.kind} ${c.what}${c.detail ? ` (${c.detail})` : ''}`);
  assert.deepEqual(listed, [
    'changed field item.title (maxLength)',
    'renamed field item.memo (notes)',
    'added field item.colour (string)',
    'removed field item.photo',
    'removed entity location',
    'added page all',
  ]);
  assert.ok(d.linesAdded > 0 && d.linesRemoved > 0);
  assert.deepEqual(diff(before, before).changes, []);
});
