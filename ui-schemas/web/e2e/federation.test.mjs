// The admin console's federation section (task 30) on two nodes with federation on, each with its own
// nats-server (web-e2e's FederationInBrowser starts them and makes one org-admin on each): Alice,
// acme's admin on node A (HEARTH_URL), sees the section on and no link yet, makes a link invite;
// Bob, globex's admin on node B (HEARTH_URL_B), pastes it into his console, where the link to acme
// is listed at once; Alice's console shows the link to globex live (no reload: the list follows
// federation/org/<org>), she shares her project over it, and Bob accepts the share in his console.
// Then Alice pauses the link (Bob's side shows it paused, live) and resumes it; she stops sharing
// the project after an in-place confirmation (detached on both sides, live); Bob removes the link
// after one, and it is gone from both consoles, live. A refused token shows the node's words by the
// form and stays typed. Every step is done in the browsers, neither page is ever reloaded; the IT
// reads the links back from both nodes. Link and share states are shown in words, Alice's in English
// and Bob's in Russian (his browser's language), never as the node's enum names.
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
  // Bob's browser is Russian: the states the console shows are in his language, never as the node sends them.
  bob = Object.assign(await person(browser, SCRIPT, 'Bob', { locale: 'ru-RU' }),
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
  // Once the shell has opened its first page after the sign-in: that opening, still under way, could
  // otherwise land after the console's and replace it (a pre-check run waited 20 s for the console).
  await page.locator('#page[data-shell] > *, #page[data-rendered] .ac-adaptiveCard').first().waitFor();
  await page.goto(`${base}/#/admin/o/${who.org}`);
  await page.locator(`#page[data-shell] .admin[data-admin="o/${who.org}"]`).waitFor();
  await page.locator('#admin-federation #admin-links').waitFor();
  assert.equal(await page.locator('#admin-federation-off').count(), 0, 'federation is on');
  // Live: the node confirmed the org's federation topic. The mark proves no reload happens later.
  await page.locator('#admin-links[data-live]').waitFor();
  await page.evaluate(() => { window.__sameDocument = true; });
}

/** The page was not reloaded since federationPage (its document's mark is still there). */
async function sameDocument(page) {
  assert.equal(await page.evaluate(() => window.__sameDocument === true), true, 'the console was not reloaded');
}

/** Requests the page makes to the node's API while `act` runs (to show what a live change costs). */
async function requestsDuring(page, act) {
  const seen = [];
  const listen = (r) => { if (new globalThis.URL(r.url()).pathname.startsWith('/v1/')) seen.push(`${r.method()} ${new globalThis.URL(r.url()).pathname}`); };
  page.on('request', listen);
  try {
    await act();
  } finally {
    page.off('request', listen);
  }
  return seen;
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
  assert.match(await onB.locator('.link-state').innerText(), / · активна$/);
  assert.doesNotMatch(await onB.innerText(), /ACTIVE|SHARED|OFFERED/);
  const link = await onB.getAttribute('data-link');

  // Alice's console lists the same link, to globex, live; she shares her project over it.
  const onA = alice.page.locator(`#admin-links li[data-link="${link}"]`);
  await onA.waitFor({ timeout: 20_000 });
  assert.match(await onA.innerText(), /globex/);
  await onA.locator(`[id="admin-share-${link}"]`).selectOption({ label: 'Launch' });
  await onA.getByRole('button', { name: 'Share', exact: true }).click();
  await alice.page.locator(`#admin-links li[data-link="${link}"] .shares`, { hasText: 'Launch (offered, not accepted yet)' }).waitFor();
  assert.match(await onA.locator('.link-state').innerText(), / · active$/);

  // Bob accepts the share: the project is replicated to his node.
  const accept = bob.page.locator(`#admin-links li[data-link="${link}"] [data-accept-share]`);
  // The offer reaches Bob's node over NATS and his console live, with no request of his page.
  const offerRequests = await requestsDuring(bob.page, () => accept.waitFor({ timeout: 20_000 }));
  console.log(`LIVE federation share-offered requests=${offerRequests.length} ${offerRequests.join(', ')}`);
  assert.deepEqual(offerRequests, [], 'the offer is applied from the event, not fetched');
  await capture(bob.page, 'admin-federation-offered', { show: `#admin-links li[data-link="${link}"]` });
  await accept.click();
  // Accepted: SHARED on Bob's side at once, and on Alice's once her node heard it (live).
  await bob.page.locator(`#admin-links li[data-link="${link}"] .shares`, { hasText: 'Launch (общий)' }).waitFor();
  assert.equal(await bob.page.locator(`#admin-links li[data-link="${link}"] [data-accept-share]`).count(), 0);
  await alice.page.locator(`#admin-links li[data-link="${link}"] .shares`, { hasText: 'Launch (shared)' }).waitFor({ timeout: 20_000 });
  await capture(bob.page, 'admin-federation-shared', { show: `#admin-links li[data-link="${link}"]` });
  console.log(`LINK ${link}`);

  // Pause: Alice's row says paused; Bob's too, live, without his page asking anything.
  const rowA = alice.page.locator(`#admin-links li[data-link="${link}"]`);
  const rowB = bob.page.locator(`#admin-links li[data-link="${link}"]`);
  await rowA.locator('[data-link-action=pause]').click();
  await alice.page.locator(`#admin-links li[data-link="${link}"][data-state=PAUSED] [data-paused]`).waitFor();
  const pauseRequests = await requestsDuring(bob.page, () =>
    bob.page.locator(`#admin-links li[data-link="${link}"][data-state=PAUSED] [data-paused]`).waitFor({ timeout: 20_000 }));
  console.log(`LIVE federation link-paused requests=${pauseRequests.length}`);
  assert.deepEqual(pauseRequests, []);
  assert.match(await rowB.locator('.link-state').innerText(), / · приостановлена$/);
  assert.match(await rowA.locator('.link-state').innerText(), / · paused$/);
  // A paused link offers no new share; it offers Resume.
  assert.equal(await rowB.locator('.share-pick').count(), 0);
  await capture(bob.page, 'admin-federation-paused', { show: `#admin-links li[data-link="${link}"]` });
  await rowB.locator('[data-link-action=resume]').waitFor();
  // Bob resumes it from his side: both show it active again.
  await rowB.locator('[data-link-action=resume]').click();
  await bob.page.locator(`#admin-links li[data-link="${link}"][data-state=ACTIVE]`).waitFor();
  await alice.page.locator(`#admin-links li[data-link="${link}"][data-state=ACTIVE]`).waitFor({ timeout: 20_000 });

  // Stop sharing: asked in place first (cancel keeps it), then detached on both sides, live.
  const unshare = rowA.locator('[data-unshare]');
  await unshare.click();
  const ask = rowA.locator('.confirm[role=group]');
  await ask.waitFor();
  assert.match(await ask.innerText(), /Stop sharing Launch with globex\?/);
  await capture(alice.page, 'admin-federation-unshare-confirm', { show: `#admin-links li[data-link="${link}"]` });
  await ask.getByRole('button', { name: 'Cancel' }).click();
  assert.match(await rowA.locator('.shares').innerText(), /Launch \(shared\)/, 'cancel changes nothing');
  await unshare.click();
  await rowA.locator('[data-confirm=yes]').click();
  await alice.page.locator(`#admin-links li[data-link="${link}"] .shares`, { hasText: 'Launch (no longer shared, read-only)' }).waitFor();
  await bob.page.locator(`#admin-links li[data-link="${link}"] .shares`, { hasText: 'Launch (больше не общий, только для чтения)' })
    .waitFor({ timeout: 20_000 });
  assert.equal(await rowA.locator('[data-unshare]').count(), 0, 'a detached share offers no unshare');

  // Unlink: Bob asks to remove the link, confirms, and it is gone from both consoles, live.
  await rowB.locator('[data-link-action=remove]').click();
  await rowB.locator('.confirm[role=group]').waitFor();
  await capture(bob.page, 'admin-federation-remove-confirm', { show: `#admin-links li[data-link="${link}"]` });
  await rowB.locator('[data-confirm=yes]').click();
  await rowB.waitFor({ state: 'detached' });
  await bob.page.locator('#admin-links li.note', { hasText: 'Связей пока нет.' }).waitFor();
  const unlinkRequests = await requestsDuring(alice.page, () => rowA.waitFor({ state: 'detached', timeout: 20_000 }));
  console.log(`LIVE federation link-removed requests=${unlinkRequests.length}`);
  await alice.page.locator('#admin-links li.note', { hasText: 'No link yet.' }).waitFor();
  await capture(alice.page, 'admin-federation-removed', { show: '#admin-federation' });
  await sameDocument(alice.page);
  await sameDocument(bob.page);
});
