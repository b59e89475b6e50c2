// The admin console's federation section (task 30) on two nodes with federation on, each with its own
// nats-server (web-e2e's FederationInBrowserIT starts them and makes one org-admin on each): Alice,
// acme's admin on node A (HEARTH_URL), sees the section on and no link yet, makes a link invite;
// Bob, globex's admin on node B (HEARTH_URL_B), pastes it into his console, where the link to acme
// is listed at once; then Alice sees the link to globex, shares her project over it, and Bob
// accepts the share in his console. A refused token shows the node's words by the form and stays
// typed. Every step is done in the browsers; the IT reads the links back from both nodes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { capture, env, launch, person, signIn, URL } from './tasks-kit.mjs';

const SCRIPT = 'federation';
const URL_B = env('HEARTH_URL_B');
let browser;
let alice, bob;

before(async () => {
  browser = await launch();
  alice = Object.assign(await person(browser, SCRIPT, 'Alice'),
    { email: env('HEARTH_ALICE_EMAIL'), password: env('HEARTH_ALICE_PASSWORD'), org: env('HEARTH_ALICE_ORG') });
  bob = Object.assign(await person(browser, SCRIPT, 'Bob'),
    { email: env('HEARTH_BOB_EMAIL'), password: env('HEARTH_BOB_PASSWORD'), org: env('HEARTH_BOB_ORG') });
});

after(async () => {
  await browser?.close();
});

/** `who` signed in on `base`, on their org's page of the admin console, its federation section on screen. */
async function federationPage(who, base) {
  const { page } = who;
  await page.goto(base);
  await signIn(who);
  await page.goto(`${base}/#/admin/o/${who.org}`);
  await page.locator(`#page[data-shell] .admin[data-admin="o/${who.org}"]`).waitFor();
  await page.locator('#admin-federation #admin-links').waitFor();
  assert.equal(await page.locator('#admin-federation-off').count(), 0, 'federation is on');
}

/** Reloads the console page until `row` is there (what the other node did reaches this one over NATS). */
async function reloadUntil(page, row, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await row.count()) return;
    assert.ok(Date.now() < deadline, `not shown in time: ${row}`);
    await new Promise((r) => setTimeout(r, 500));
    await page.reload();
    await page.locator('#admin-federation #admin-links').waitFor();
  }
}

test('task 30: org-admins on two nodes link their orgs and share a project, each in their own console', async () => {
  await federationPage(alice, URL);
  await alice.page.locator('#admin-links li.note', { hasText: 'No link yet.' }).waitFor();
  await capture(alice.page, 'admin-federation', { show: '#admin-federation' });

  await federationPage(bob, URL_B);
  // A token that is not one: the node's refusal next to the field, what was typed kept.
  await bob.page.fill('#admin-link-accept-linkToken', 'not-a-token');
  await bob.page.click('form#admin-link-accept button[type=submit]');
  await bob.page.locator('form#admin-link-accept [role=alert]').filter({ hasText: /\S/ }).first().waitFor();
  console.log(`refused: ${await bob.page.locator('form#admin-link-accept [role=alert]').filter({ hasText: /\S/ }).first().innerText()}`);
  assert.equal(await bob.page.inputValue('#admin-link-accept-linkToken'), 'not-a-token');

  // Alice makes the invite; Bob accepts it and sees the link to acme.
  await alice.page.click('#admin-link-invite');
  const token = alice.page.locator('#admin-link-token');
  await token.waitFor();
  const linkToken = await token.inputValue();
  assert.ok(linkToken.length > 40, 'a link invite is shown');
  await capture(alice.page, 'admin-federation-invite', { show: '#admin-link-token' });
  await bob.page.fill('#admin-link-accept-linkToken', linkToken);
  await bob.page.click('form#admin-link-accept button[type=submit]');
  const onB = bob.page.locator('#admin-links li[data-link]', { hasText: 'acme' });
  await onB.waitFor();
  assert.match(await onB.innerText(), /ACTIVE/);
  const link = await onB.getAttribute('data-link');

  // Alice's console lists the same link, to globex; she shares her project over it.
  const onA = alice.page.locator(`#admin-links li[data-link="${link}"]`);
  await reloadUntil(alice.page, onA);
  assert.match(await onA.innerText(), /globex/);
  await onA.locator(`[id="admin-share-${link}"]`).selectOption({ label: 'Launch' });
  await onA.getByRole('button', { name: 'Share', exact: true }).click();
  await alice.page.locator(`#admin-links li[data-link="${link}"] .shares`, { hasText: 'Launch (OFFERED)' }).waitFor();

  // Bob accepts the share: the project is replicated to his node.
  const accept = bob.page.locator(`#admin-links li[data-link="${link}"] [data-accept-share]`);
  await reloadUntil(bob.page, accept);
  await capture(bob.page, 'admin-federation-offered', { show: `#admin-links li[data-link="${link}"]` });
  await accept.click();
  // Accepted at once; SHARED once the owner's node has answered (the page reloaded until then).
  await reloadUntil(bob.page, bob.page.locator(`#admin-links li[data-link="${link}"] .shares`, { hasText: 'Launch (SHARED)' }));
  assert.equal(await bob.page.locator(`#admin-links li[data-link="${link}"] [data-accept-share]`).count(), 0);
  await capture(bob.page, 'admin-federation-shared', { show: `#admin-links li[data-link="${link}"]` });
  console.log(`LINK ${link}`);
});
