// Browser test of a user module's life, as two members of a project see it without ever reloading:
// an admin installs the inventory example through the API, its page appears in both shells, each
// member adds items and sees the other's live, an upgrade adds a field (old records intact, the new
// field shown), and after removal the page is gone. Started by web-e2e's UserModuleInBrowser,
// which creates the users and project, passes them in the environment, and afterwards reads the
// records the browser made through the hearth CLI.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { env, launch, signedIn as signIn } from './shell.mjs';
import { capture } from './tasks-kit.mjs';

const URL = env('HEARTH_URL');
const PROJECT = env('HEARTH_PROJECT');
const ADMIN_TOKEN = env('HEARTH_ADMIN_TOKEN');
const DEFINITION = JSON.parse(readFileSync(env('HEARTH_DEFINITION'), 'utf8'));
const ANN = { email: env('HEARTH_ANN_EMAIL'), password: env('HEARTH_ANN_PASSWORD') };
const BOB = { email: env('HEARTH_BOB_EMAIL'), password: env('HEARTH_BOB_PASSWORD') };

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

async function admin(method, path, body) {
  const r = await fetch(URL + path, {
    method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await r.json();
  assert.equal(r.status, 200, `${method} ${path}: ${JSON.stringify(json)}`);
  return json;
}

/** A member signed in through the shell's form, on the project's members page; marked to catch reloads. */
async function signedIn(who) {
  const member = await signIn(browser, who, `${URL}/#/p/${PROJECT}/hearth/members`, { height: 760 });
  await member.page.evaluate(() => { window.hearthTestMarker = 'same document'; });
  return member;
}

const card = (member) => member.page.locator('#page .ac-adaptiveCard').first();
const itemsLink = (member) => member.page.locator('#nav a', { hasText: 'Items' });

async function addItem(member, title, quantity) {
  await card(member).getByLabel('Title').fill(title);
  await card(member).getByLabel('Quantity').fill(String(quantity));
  await card(member).getByRole('button', { name: 'Add item' }).click();
}

/** Version 1.1.0: adds a colour with a default, and shows it on the page. */
function upgraded() {
  const next = structuredClone(DEFINITION);
  next.version = '1.1.0';
  next.entities[0].fields.push({ name: 'colour', type: 'string', default: 'grey' });
  next.pages[0].card.body[2].items.push({ type: 'TextBlock', text: 'Colour: ${colour}', size: 'small' });
  return next;
}

test('an installed user module appears, is used live by two members, upgraded and removed, all without a reload', async () => {
  const ann = await signedIn(ANN);
  const bob = await signedIn(BOB);
  try {
    assert.equal(await itemsLink(ann).count(), 0, 'no inventory before the install');

    const installed = Date.now();
    await admin('POST', '/v1/user-modules', { definitionJson: JSON.stringify(DEFINITION) });
    await itemsLink(ann).waitFor({ timeout: 10_000 });
    await itemsLink(ann).click();
    await card(ann).getByRole('button', { name: 'Add item' }).waitFor({ timeout: 10_000 });
    console.log(`TIMING usermodule-install-to-page-usable-ms=${Date.now() - installed}`);
    await itemsLink(bob).waitFor({ timeout: 10_000 });
    await itemsLink(bob).click();
    await card(bob).getByText('Nothing in stock').waitFor({ timeout: 10_000 });

    await addItem(ann, 'Brass lamp', 3);
    await card(bob).getByText('Brass lamp').waitFor({ timeout: 10_000 });
    await addItem(bob, 'Oak chair', 12);
    await card(ann).getByText('Oak chair').waitFor({ timeout: 10_000 });
    await card(bob).getByText('Oak chair').waitFor({ timeout: 10_000 });

    // A bad value is refused on the card, naming the field; nothing is added.
    await addItem(bob, 'Too many', 2000000);
    await card(bob).getByText('quantity', { exact: false }).filter({ hasText: 'INVALID_ARGUMENT' }).waitFor({ timeout: 5_000 });

    // The upgrade: old records stay, with the new field's default, on both pages.
    await admin('POST', '/v1/user-modules/inventory/upgrade', { definitionJson: JSON.stringify(upgraded()) });
    await card(bob).getByText('Colour: grey').first().waitFor({ timeout: 10_000 });
    await card(ann).getByText('Brass lamp').waitFor({ timeout: 10_000 });
    assert.equal(await card(ann).getByText('Colour: grey').count(), 2);
    // axe checks the card too: its clickable items (selectAction) are named by what they show, the
    // action's title ("Reserve") being their description (src/card-language.ts).
    await capture(ann.page, 'inventory-upgraded');

    // Reserving takes the lamp out of stock, for both.
    await card(ann).getByText('Brass lamp').click();
    await card(bob).getByText('Brass lamp').waitFor({ state: 'detached', timeout: 10_000 });

    await admin('DELETE', '/v1/user-modules/inventory');
    await itemsLink(ann).waitFor({ state: 'detached', timeout: 10_000 });
    await itemsLink(bob).waitFor({ state: 'detached', timeout: 10_000 });
    await bob.page.locator('#page').getByText('Oak chair').waitFor({ state: 'detached', timeout: 10_000 });

    for (const member of [ann, bob]) {
      assert.equal(await member.page.evaluate(() => window.hearthTestMarker), 'same document');
    }
  } finally {
    await ann.context.close();
    await bob.context.close();
  }
});
