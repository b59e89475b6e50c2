// Browser test of what a card's actions do in the shell (docs/cards.md): an admin installs a small
// user module whose page has one action of each kind; a member then toggles an element, opens a
// ShowCard, follows an OpenUrl link into a new tab without access back to the shell, is refused a
// javascript: link from the overflow menu of secondary actions, presses a Submit that goes nowhere
// and is told so, and adds a note with an Action.Execute whose verb is the RPC. Screenshots of the
// overflow menu in both themes. Started by web-e2e's CardActionsInBrowser.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { env, launch, signedIn } from './shell.mjs';
import { capture } from './tasks-kit.mjs';

const URL = env('HEARTH_URL');
const PROJECT = env('HEARTH_PROJECT');
const ADMIN_TOKEN = env('HEARTH_ADMIN_TOKEN');
const ANN = { email: env('HEARTH_ANN_EMAIL'), password: env('HEARTH_ANN_PASSWORD') };
const SHOTS = process.env.HEARTH_SCREENSHOTS ?? 'target/screenshots';
const DOCS = 'https://docs.hearth.test/cards';

/** A user module whose one page has an action of every kind. */
const DEFINITION = {
  id: 'deck', version: '1.0.0', names: { en: 'Deck' },
  entities: [{ name: 'note', fields: [{ name: 'text', type: 'string', required: true }] }],
  queries: [{ name: 'all', entity: 'note', orderBy: 'text', limit: 50 }],
  actions: [{ name: 'add-note', kind: 'create', entity: 'note', roles: ['project-user'] }],
  pages: [{
    name: 'board', titles: { en: 'Board' }, query: 'all',
    card: {
      type: 'AdaptiveCard', version: '1.6',
      body: [
        { type: 'TextBlock', text: 'Notes', size: 'large', weight: 'bolder' },
        { type: 'TextBlock', $data: '${items}', text: 'Note: ${text}' },
        { type: 'TextBlock', id: 'secret', text: 'Now you see me', isVisible: false },
        { type: 'Input.Text', id: 'text', label: 'Text' },
      ],
      actions: [
        { type: 'Action.Execute', title: 'Add by verb', verb: 'hearth.um.deck.v1.DeckService/AddNote' },
        { type: 'Action.ToggleVisibility', title: 'Toggle', targetElements: ['secret'] },
        { type: 'Action.ShowCard', title: 'More', card: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Shown inside' }] } },
        { type: 'Action.Submit', title: 'Nowhere' },
        { type: 'Action.OpenUrl', title: 'Docs', url: DOCS, mode: 'secondary' },
        { type: 'Action.OpenUrl', title: 'Sneaky', url: 'javascript:document.title="owned"', mode: 'secondary' },
      ],
    },
  }],
};

let browser;

before(async () => {
  browser = await launch();
  const r = await fetch(`${URL}/v1/user-modules`, {
    method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ definitionJson: JSON.stringify(DEFINITION) }),
  });
  assert.equal(r.status, 200, `install: ${await r.text()}`);
});

after(async () => {
  await browser?.close();
});

async function onBoard(colorScheme) {
  const member = await signedIn(browser, ANN, `${URL}/#/p/${PROJECT}/um-deck/board`, { colorScheme });
  // Links never leave the machine: the docs "site" answers here.
  await member.context.route('https://docs.hearth.test/**', (route) => route.fulfill({ body: 'docs', contentType: 'text/plain' }));
  await card(member).getByRole('button', { name: 'Add by verb' }).waitFor();
  return member;
}

const card = (member) => member.page.locator('#page .ac-adaptiveCard').first();
const notice = (member) => member.page.locator('#page .hearth-card-notice');

async function openOverflow(member) {
  await card(member).getByRole('button', { name: 'More options' }).click();
  const menu = member.page.locator('.ac-ctrl-popup-container');
  await menu.waitFor();
  return menu;
}

test('every kind of action does what it says, and an action that cannot says so', async () => {
  const ann = await onBoard('light');
  try {
    const secret = card(ann).getByText('Now you see me');
    assert.equal(await secret.isVisible(), false);
    await card(ann).getByRole('button', { name: 'Toggle' }).click();
    await secret.waitFor({ state: 'visible' });
    await card(ann).getByRole('button', { name: 'Toggle' }).click();
    await secret.waitFor({ state: 'hidden' });

    await card(ann).getByRole('button', { name: 'More', exact: true }).click();
    await card(ann).getByText('Shown inside').waitFor();

    await card(ann).getByRole('button', { name: 'Nowhere' }).click();
    await notice(ann).getByText('This button is not connected to anything').waitFor();

    await capture(ann.page, 'card-actions');
    const menu = await openOverflow(ann);
    mkdirSync(SHOTS, { recursive: true });
    await ann.page.screenshot({ path: `${SHOTS}/overflow-light.png` });
    const [tab] = await Promise.all([ann.context.waitForEvent('page'), menu.getByText('Docs').click()]);
    await tab.waitForLoadState();
    assert.equal(tab.url(), DOCS);
    assert.equal(await tab.evaluate(() => window.opener), null, 'the new tab has no way back to the shell');
    await tab.close();

    const pages = ann.context.pages().length;
    await (await openOverflow(ann)).getByText('Sneaky').click();
    await notice(ann).getByText('Only http, https and mailto links are opened').waitFor();
    assert.equal(ann.context.pages().length, pages, 'no tab was opened');
    assert.notEqual(await ann.page.title(), 'owned');

    await card(ann).getByLabel('Text').fill('from a verb');
    await card(ann).getByRole('button', { name: 'Add by verb' }).click();
    await card(ann).getByText('Note: from a verb').waitFor();
    assert.equal(await card(ann).getByLabel('Text').inputValue(), '', 'inputs are emptied after the call');
  } finally {
    await ann.context.close();
  }
});

test('the overflow menu looks like a menu in the dark theme too', async () => {
  const ann = await onBoard('dark');
  try {
    const menu = await openOverflow(ann);
    const items = await menu.locator('.ac-ctrl-dropdown-item').allTextContents();
    assert.deepEqual(items, ['Docs', 'Sneaky']);
    const background = await menu.evaluate((m) => getComputedStyle(m).backgroundColor);
    assert.notEqual(background, 'rgba(0, 0, 0, 0)', 'the menu has a background of its own');
    await ann.page.screenshot({ path: `${SHOTS}/overflow-dark.png` });
  } finally {
    await ann.context.close();
  }
});
