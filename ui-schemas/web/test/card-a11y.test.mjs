// How the shell's card language (src/card-language.ts) names what a card makes clickable, rendered
// in a DOM (happy-dom): an element with a selectAction is named by what it shows, never by the
// action's title alone (axe: label-content-name-mismatch, WCAG 2.5.3); the title stays as its
// `title`, i.e. its description. Action buttons keep the title as their label. The browser suite
// (e2e/usermodule.test.mjs) runs axe on such a card.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Window } from 'happy-dom';
import { AC } from './renderer.mjs';

const window = new Window();
// What the renderer reaches for as browser globals.
globalThis.window ??= window;
for (const name of ['document', 'navigator', 'HTMLElement', 'HTMLButtonElement', 'Node', 'Element']) globalThis[name] ??= window[name];
after(() => window.happyDOM.close());

function render(body, actions = []) {
  const card = new AC.AdaptiveCard();
  card.parse({ type: 'AdaptiveCard', version: '1.6', body, actions }, new AC.SerializationContext(AC.Versions.v1_6));
  const element = card.render();
  document.body.replaceChildren(element);
  return element;
}

const reserve = { type: 'Action.Submit', title: 'Reserve', data: { rpc: 'inv.Items/Reserve' } };

test('a Container with a selectAction is named by its text, with the action title as its description', () => {
  const card = render([{ type: 'Container', id: 'item', selectAction: reserve,
    items: [{ type: 'TextBlock', text: 'Widget' }, { type: 'TextBlock', text: '3 in stock' }] }]);
  const item = card.querySelector('[role=button]');
  assert.ok(item, 'the container is a button');
  assert.equal(item.tagName, 'DIV');
  assert.equal(item.getAttribute('aria-label'), null, 'no aria-label hiding the visible text');
  assert.equal(item.getAttribute('title'), 'Reserve');
  assert.equal(item.tabIndex, 0);
  assert.match(item.textContent, /Widget.*3 in stock/s);
});

test('a Column and an Image with a selectAction: the text names one, the alt text the other', () => {
  const card = render([
    { type: 'ColumnSet', columns: [{ type: 'Column', selectAction: reserve, items: [{ type: 'TextBlock', text: 'Widget' }] }] },
    { type: 'Image', url: 'https://example.org/w.png', altText: 'A widget', selectAction: reserve },
  ]);
  const [column, image] = card.querySelectorAll('[role=button]');
  assert.equal(column.textContent, 'Widget');
  assert.equal(image.tagName, 'IMG');
  assert.equal(image.getAttribute('alt'), 'A widget');
  for (const el of [column, image]) {
    assert.equal(el.getAttribute('aria-label'), null);
    assert.equal(el.getAttribute('title'), 'Reserve');
  }
});

test('a TextRun with a selectAction is a link named by its text', () => {
  const card = render([{ type: 'RichTextBlock', inlines: [
    { type: 'TextRun', text: 'see the stock', selectAction: { type: 'Action.OpenUrl', title: 'Stock', url: 'https://example.org' } }] }]);
  const link = card.querySelector('a');
  assert.equal(link.getAttribute('role'), 'link');
  assert.equal(link.textContent, 'see the stock');
  assert.equal(link.getAttribute('aria-label'), null);
  assert.equal(link.getAttribute('title'), 'Stock');
});

test('an action button keeps the title as its label and text', () => {
  const card = render([{ type: 'TextBlock', text: 'Widget' }], [reserve]);
  const button = card.querySelector('button.ac-pushButton');
  assert.ok(button, 'the action renders as a button');
  assert.equal(button.getAttribute('aria-label'), 'Reserve');
  assert.equal(button.textContent.trim(), 'Reserve');
});
