// The shell's render() (src/cards.ts) in a DOM (happy-dom): a live re-render whose data expands to
// exactly the card on screen answers that card itself (page.ts then leaves the page alone: focus,
// open forms and typed text untouched); a changed card, a changed error, another host config or a
// render after a submit (no inputs kept) draws a new one.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { Window } from 'happy-dom';

const window = new Window({ url: 'http://127.0.0.1/' });
for (const name of ['window', 'document', 'navigator', 'localStorage', 'HTMLElement', 'HTMLButtonElement', 'HTMLInputElement',
  'Node', 'Element', 'CSS', 'getComputedStyle', 'matchMedia', 'MutationObserver', 'customElements']) {
  if (window[name] !== undefined) globalThis[name] ??= name === 'window' ? window : window[name];
}
after(() => window.happyDOM.close());

const HERE = dirname(fileURLToPath(import.meta.url));
const bundle = buildSync({
  stdin: { contents: "export { render } from './cards'; export { HostConfig } from 'adaptivecards';", resolveDir: join(HERE, '../src'), loader: 'ts' },
  bundle: true, format: 'esm', write: false, platform: 'browser', loader: { '.css': 'empty' }, logLevel: 'error',
});
const { render, HostConfig } = await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`);

const template = { type: 'AdaptiveCard', version: '1.6', body: [
  { type: 'TextBlock', text: '${title}' },
  { type: 'Input.Text', id: 'note', label: 'Note' },
] };
const light = new HostConfig({});
const dark = new HostConfig({});
const draw = (data, { inputs, error, hostConfig = light } = {}, previous) =>
  render({ template, data, hostConfig, error, inputs, onSubmit: () => {} }, previous);

test('data that expands to the card on screen leaves that card; anything it shows changed draws a new one', () => {
  const first = draw({ title: 'Plans', revision: 1 });
  assert.match(first.element.textContent, /Plans/);
  // A field the card does not show changed (an event's revision): the same card, as it is.
  assert.equal(draw({ title: 'Plans', revision: 2 }, { inputs: { note: 'typed' } }, first), first);
  // What it shows changed: a new card, the typed text put back.
  const renamed = draw({ title: 'Plans 2' }, { inputs: { note: 'typed' } }, first);
  assert.notEqual(renamed, first);
  assert.match(renamed.element.textContent, /Plans 2/);
  assert.equal(renamed.element.querySelector('input').value, 'typed');
  // Another error on top, another theme's host config, or no inputs to keep (after a submit): drawn again.
  assert.notEqual(draw({ title: 'Plans' }, { inputs: {}, error: 'refused' }, first), first);
  assert.notEqual(draw({ title: 'Plans' }, { inputs: {}, hostConfig: dark }, first), first);
  assert.notEqual(draw({ title: 'Plans' }, {}, first), first);
  assert.notEqual(draw({ title: 'Plans' }, { inputs: {} }), first);
});
