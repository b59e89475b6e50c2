// Single sign-on in Chromium (SsoInBrowser): the node has one OpenID Connect provider, a real
// mock-oauth2-server process. Through the provider's own login page: a new person signs in and has
// an account; someone whose email already has a password account must give that password before the
// two are linked (a wrong one refused beside the field); a disallowed domain comes back to the sign-in
// form with the node's reason, in Russian for a Russian browser. The sign-in page with its button
// and the link form are screenshotted light/dark × desktop/phone with axe.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { capture, env, founder, launch, person, URL } from './tasks-kit.mjs';

const LINK_EMAIL = env('HEARTH_LINK_EMAIL');
const LINK_PASSWORD = env('HEARTH_LINK_PASSWORD');
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Clicks "Sign in with Corp ID" and signs in on the provider's page with `claims`. */
async function viaProvider(page, subject, claims) {
  await page.goto(URL);
  const button = page.locator('#sso-providers button.sso-button[data-provider="corp"]');
  await button.waitFor();
  await button.click();
  // The provider's page, not the node's.
  await page.locator('form input[name=username]').waitFor();
  assert.ok(!page.url().startsWith(URL), `still on the node: ${page.url()}`);
  await page.fill('input[name=username]', subject);
  await page.fill('textarea[name=claims]', JSON.stringify(claims));
  await page.click('input[type=submit]');
}

test('a new person signs in with the provider and has an account', async () => {
  const who = await person(browser, 'sso', 'Nina');
  const { page } = who;
  await page.goto(URL);
  await page.locator('#sso-providers button.sso-button').waitFor();
  assert.equal(await page.locator('#sso-providers button.sso-button').textContent(), 'Sign in with Corp ID');
  await capture(page, 'sso-sign-in');
  await viaProvider(page, 'nina-sub', { email: 'nina@example.org', email_verified: true, name: 'Nina Petrova' });
  await page.locator('#sidebar').waitFor();
  // Nothing of the sign-in stays in the address bar.
  assert.ok(!page.url().includes('sso='), page.url());
  await who.context.close();
});

test('an existing password account is linked only with its password', async () => {
  const who = await person(browser, 'sso', 'Lin');
  const { page } = who;
  await viaProvider(page, 'lin-sub', { email: LINK_EMAIL, email_verified: true, name: 'Lin' });
  await page.locator('form#sso-link').waitFor();
  assert.match(await page.locator('form#sso-link').textContent(), new RegExp(LINK_EMAIL.replace('.', '\\.')));
  assert.doesNotMatch(await page.locator('form#sso-link').textContent(), /\{\d\}/, 'a placeholder left in the text');
  await capture(page, 'sso-link');
  await page.fill('#sso-link-password', 'not the password');
  await page.click('form#sso-link button[type=submit]');
  await page.locator('#sso-link-password-error:not(:empty)').waitFor();
  assert.match(await page.locator('#sso-link-password-error').textContent(), /wrong password/);
  await page.fill('#sso-link-password', LINK_PASSWORD);
  await page.click('form#sso-link button[type=submit]');
  await page.locator('#sidebar').waitFor();
  await who.context.close();
});

test('a disallowed domain comes back to the sign-in form with the reason, in Russian', async () => {
  const who = await person(browser, 'sso', 'Eve', { locale: 'ru-RU' });
  const { page } = who;
  await viaProvider(page, 'eve-sub', { email: 'eve@evil.test', email_verified: true });
  await page.locator('form#sign-in').waitFor();
  const form = page.locator('form#sign-in');
  await page.waitForFunction(() => /evil\.test/.test(document.querySelector('form#sign-in')?.textContent ?? ''));
  assert.match(await form.textContent(), /домену адреса eve@evil\.test нельзя входить через Corp ID/);
  assert.equal(await page.locator('#sidebar').count(), 0);
  await who.context.close();
});

// An org's own provider (issue 23): its admin sets it in the org's console page (a wrong issuer
// refused beside its field), then a new member opens the org's sign-in address, signs in on the
// provider's page and lands in the org's project the rules give them.
const ORG_ISSUER = env('HEARTH_ORG_ISSUER');

test('an org admin sets the org provider; a member signs in through it into the org', async () => {
  const olga = await person(browser, 'sso', 'Olga');
  await founder(olga, 'Northwind', 'Docs');
  const { page } = olga;
  await page.goto(`${URL}/#/admin`);
  const nav = page.locator('[id^=admin-nav-org-]').first();
  await nav.waitFor();
  const org = (await nav.getAttribute('id')).slice('admin-nav-org-'.length);
  await nav.click();
  await page.locator('form#admin-sso').waitFor();
  await page.fill('#admin-sso-name', 'Northwind ID');
  await page.fill('#admin-sso-issuer', 'http://127.0.0.1:9/nowhere');
  await page.fill('#admin-sso-clientId', 'hearth-northwind');
  await page.fill('#admin-sso-clientSecret', 'northwind-secret-1');
  await page.fill('#admin-sso-allowedDomains', 'northwind.test');
  await page.fill('#admin-sso-rules', 'groups=docs | Docs | project-user\ngroups=leads | org-admin');
  await page.click('form#admin-sso button[type=submit]');
  await page.locator('#admin-sso-issuer-error:not(:empty)').waitFor();
  assert.match(await page.locator('#admin-sso-issuer-error').textContent(), /cannot reach/);
  assert.equal(await page.locator('#admin-sso-issuer').getAttribute('aria-invalid'), 'true');
  // A rule naming a project the org does not have: refused by its line, what was typed kept.
  await page.fill('#admin-sso-issuer', ORG_ISSUER);
  await page.fill('#admin-sso-rules', 'groups=docs | Nowhere | project-user');
  await page.click('form#admin-sso button[type=submit]');
  await page.locator('#admin-sso-rules-error:not(:empty)').waitFor();
  assert.match(await page.locator('#admin-sso-rules-error').textContent(), /line 1: .*Nowhere/);
  await page.fill('#admin-sso-rules', 'groups=docs | Docs | project-user\ngroups=leads | org-admin');
  await page.click('form#admin-sso button[type=submit]');
  await page.locator('#admin-sso-status', { hasText: `#/o/${org}` }).waitFor();
  // Read back: the secret is never shown, only that one is kept.
  assert.equal(await page.locator('#admin-sso-clientSecret').inputValue(), '');
  assert.match(await page.locator('label[for=admin-sso-clientSecret]').textContent(), /one is stored/);
  assert.match(await page.locator('#admin-sso-rules').inputValue(), /groups=docs \| Docs \| project-user/);
  await capture(page, 'sso-org-admin', { show: '#admin-sso-section' });
  await olga.context.close();

  const max = await person(browser, 'sso', 'Max');
  await max.page.goto(`${URL}/#/o/${org}`);
  const button = max.page.locator(`#sso-providers button.sso-button[data-provider="org-${org}"]`);
  await button.waitFor();
  assert.equal(await button.textContent(), 'Sign in to Northwind with Northwind ID');
  await capture(max.page, 'sso-org-sign-in');
  await button.click();
  await max.page.locator('form input[name=username]').waitFor();
  assert.ok(!max.page.url().startsWith(URL), `still on the node: ${max.page.url()}`);
  await max.page.fill('input[name=username]', 'max-sub');
  await max.page.fill('textarea[name=claims]', JSON.stringify({ email: 'max@northwind.test', email_verified: true,
    name: 'Max Nord', groups: ['docs'] }));
  await max.page.click('input[type=submit]');
  // In the org's project the rule gives, straight away.
  await max.page.locator('#sidebar', { hasText: 'Docs' }).waitFor();
  await max.context.close();

  // Without the org's address: typing an email of its domain offers the provider too.
  const ann = await person(browser, 'sso', 'Ann');
  await ann.page.goto(URL);
  await ann.page.locator('form#sign-in').waitFor();
  assert.equal(await ann.page.locator(`button[data-provider="org-${org}"]`).count(), 0);
  await ann.page.fill('#sign-in-email', 'ann@northwind.test');
  await ann.page.locator('#sign-in-email').blur();
  await ann.page.locator(`#sso-providers button[data-provider="org-${org}"]`).waitFor();
  await ann.context.close();
});
