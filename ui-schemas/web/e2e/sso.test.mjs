// Single sign-on in Chromium (SsoInBrowser): the node has one OpenID Connect provider, a real
// mock-oauth2-server process. Through the provider's own login page: a new person signs in and has
// an account; someone whose email already has a password account must give that password before the
// two are linked (a wrong one refused beside the field); a disallowed domain comes back to the sign-in
// form with the node's reason, in Russian for a Russian browser. The sign-in page with its button
// and the link form are screenshotted light/dark × desktop/phone with axe.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { capture, env, launch, person, URL } from './tasks-kit.mjs';

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
