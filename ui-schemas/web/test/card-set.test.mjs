// The card test set (ui-schemas/src/test/resources/cards) through the renderer, the other half of
// CardSetTest (the Java validator):
// - every valid card, and every template expanded against its data, parses and validates at 1.6
//   without a single message;
// - together they use every property of every element and action type the generated schema has
//   (so each property of the language is exercised, host elements included);
// - each invalid card is one the renderer would not show as written: it says so (warns), it loses
//   part of the card (drops: its own JSON has less than the card), the card is newer than it
//   renders (too-new), or, for properties the specification requires, it would quietly accept it
//   (accepts) — the validator is stricter there on purpose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AC, parse, schema } from './renderer.mjs';

const { Template } = createRequire(import.meta.url)('adaptivecards-templating');
const SET = join(dirname(fileURLToPath(import.meta.url)), '../../src/test/resources/cards');
const read = (dir) => readdirSync(join(SET, dir)).filter((f) => f.endsWith('.json'))
  .map((f) => ({ name: `${dir}/${f}`, json: JSON.parse(readFileSync(join(SET, dir, f), 'utf8')) }));

const valid = ['elements', 'actions', 'scenarios'].flatMap(read);
const templates = read('templates').map(({ name, json }) => ({
  name, json: new Template(json.template).expand({ $root: json.data }),
}));

for (const { name, json } of [...valid, ...templates]) {
  test(`valid: ${name} renders without a message`, () => {
    assert.deepEqual(parse(json).messages, []);
  });
}

test('the valid cards use every property of every element and action type', () => {
  const used = new Set();
  const collect = (node, type) => {
    if (Array.isArray(node)) node.forEach((n) => collect(n, type));
    else if (node && typeof node === 'object') {
      const t = typeof node.type === 'string' ? node.type : type;
      for (const [k, v] of Object.entries(node)) {
        used.add(`${t}.${k}`);
        collect(v, undefined);
      }
    }
  };
  [...valid, ...read('templates').map((t) => ({ json: t.json.template }))].forEach(({ json }) => collect(json));
  const types = [...schema.definitions.Element.properties.type.enum, ...schema.definitions.Action.properties.type.enum,
    'AdaptiveCard', 'Column', 'TableRow', 'TableCell', 'CarouselPage', 'TextRun'];
  const missing = types.flatMap((t) => Object.keys(schema.definitions[t].properties)
    .filter((p) => !p.startsWith('$') && !used.has(`${t}.${p}`)).map((p) => `${t}.${p}`));
  assert.deepEqual(missing, []);
});

for (const { name, json } of read('invalid')) {
  test(`invalid: ${name} — the renderer ${json.renderer}`, () => {
    const { parsed, context, messages } = parse(json.card);
    switch (json.renderer) {
      case 'warns': assert.notDeepEqual(messages, [], 'expected the renderer to report a problem'); break;
      case 'drops':
        assert.notDeepEqual(missingPaths(json.card, parsed.toJSON(context)), [], 'expected the renderer to lose part of the card');
        break;
      case 'too-new': assert.ok(parsed.version.compareTo(AC.Versions.latest) > 0); break;
      case 'accepts': assert.deepEqual(messages, [], 'the renderer accepts it; only the validator refuses'); break;
      default: assert.fail(`unknown renderer behaviour ${json.renderer}`);
    }
  });
}

/** JSON paths of `source` that `back` lacks (a value the renderer did not keep). */
function missingPaths(source, back, at = '') {
  if (Array.isArray(source)) {
    return source.flatMap((v, i) => (Array.isArray(back) && i < back.length ? missingPaths(v, back[i], `${at}/${i}`) : [`${at}/${i}`]));
  }
  if (source && typeof source === 'object') {
    return Object.entries(source).flatMap(([k, v]) => (back && typeof back === 'object' && k in back
      ? missingPaths(v, back[k], `${at}/${k}`) : [`${at}/${k}`]));
  }
  return [];
}
