// Browser tests of the shell against a running node (started by web-e2e's ChatInBrowser, which
// sets up the users, project and channel and passes them in the environment). Two members sign in
// through the shell's form and chat live; a failed action shows its error on the card; the chat
// page's load time is measured; the chat page and the error are screenshotted at 1280×800 and 390×844
// in light and dark, with axe (tasks-kit's capture).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { env, launch, signedIn as signIn } from './shell.mjs';
import { capture } from './tasks-kit.mjs';

const URL = env('HEARTH_URL');
const PROJECT = env('HEARTH_PROJECT');
const CHANNEL = env('HEARTH_CHANNEL');
const ANN = { email: env('HEARTH_ANN_EMAIL'), password: env('HEARTH_ANN_PASSWORD') };
const BOB = { email: env('HEARTH_BOB_EMAIL'), password: env('HEARTH_BOB_PASSWORD') };
const CHANNEL_PAGE = `${URL}/#/p/${PROJECT}/chat/channel?channelId=${CHANNEL}`;

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** A new browser context signed in as `who` through the shell's form, on the channel page (or `start`). */
function signedIn(who, colorScheme = 'light', { locale = 'en-GB', start = CHANNEL_PAGE } = {}) {
  return signIn(browser, who, start, { colorScheme, locale });
}

test('two members chat live: what one sends appears for the other without a reload', async () => {
  const ann = await signedIn(ANN);
  const bob = await signedIn(BOB);
  try {
    // A reload or navigation would lose this: it proves Bob's page stayed the same document.
    await bob.page.evaluate(() => { window.hearthTestMarker = 'same document'; });
    await bob.page.locator('#page textarea').fill('a draft Bob is typing'); // survives the live re-render
    const text = `Hello Bob, it is ${new Date().toISOString()}`;
    await ann.page.locator('#page textarea').fill(text);
    const sent = Date.now();
    await ann.page.getByRole('button', { name: 'Send' }).click();
    await bob.page.locator('#page .ac-adaptiveCard').getByText(text).waitFor({ timeout: 10_000 });
    console.log(`TIMING chat-live-delivery-ms=${Date.now() - sent}`);
    assert.equal(await bob.page.evaluate(() => window.hearthTestMarker), 'same document');
    assert.ok(bob.page.url().endsWith(`channelId=${CHANNEL}`), bob.page.url());
    assert.equal(await bob.page.locator('#page textarea').inputValue(), 'a draft Bob is typing');
    // The sender's card shows the message too, and its input is empty again.
    await ann.page.locator('#page .ac-adaptiveCard').getByText(text).waitFor({ timeout: 5_000 });
    assert.equal(await ann.page.locator('#page textarea').inputValue(), '');
  } finally {
    await ann.context.close();
    await bob.context.close();
  }
});

test('a failed action shows its error on the card', async () => {
  const ann = await signedIn(ANN);
  try {
    await ann.page.getByRole('button', { name: 'Send' }).click(); // nothing typed: the node refuses it
    const card = ann.page.locator('#page .ac-adaptiveCard');
    await card.getByText('INVALID_ARGUMENT', { exact: false }).waitFor({ timeout: 5_000 });
    await capture(ann.page, 'chat-error');
  } finally {
    await ann.context.close();
  }
});

test('a browser in Russian gets the shell and the chat pages in Russian; the channel list opens a channel; the theme setting wins', async () => {
  const { context, page } = await signedIn(BOB, 'light', { locale: 'ru-RU', start: `${URL}/#/p/${PROJECT}/chat/channel-list` });
  try {
    await page.locator('#page .ac-adaptiveCard').getByText('Каналы').waitFor();
    await page.click('#user-menu summary'); // the user menu holds sign-out, theme and language
    assert.equal(await page.locator('#sign-out').innerText(), 'Выйти');
    await page.keyboard.press('Escape');
    await page.locator('#page .ac-adaptiveCard').getByText('# general').click();
    await page.getByRole('button', { name: 'Отправить' }).waitFor();
    assert.ok(page.url().includes(`/chat/channel?channelId=${CHANNEL}`), page.url());
    // The theme setting in the bar overrides the system's (light here): chrome and card turn dark.
    const saved = page.waitForResponse((r) => r.url().endsWith('/v1/me/settings') && r.request().method() === 'PATCH');
    await page.click('#user-menu summary');
    await page.selectOption('#theme', 'dark');
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark'
      && getComputedStyle(document.querySelector('#page .ac-adaptiveCard')).backgroundColor === 'rgb(22, 24, 29)');
    assert.equal((await saved).status(), 200);
  } finally {
    await context.close();
  }
  // The choice is bob's setting on the node: another device (light system, nothing stored) opens dark.
  const other = await signedIn(BOB, 'light');
  try {
    await other.page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    const reset = other.page.waitForResponse((r) => r.url().endsWith('/v1/me/settings') && r.request().method() === 'PATCH');
    await other.page.click('#user-menu summary');
    await other.page.selectOption('#theme', 'system');
    assert.equal((await reset).status(), 200);
    await other.page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  } finally {
    await other.context.close();
  }
});

test('the chat page loads fast, and looks right in light and dark', async () => {
  for (const scheme of ['light', 'dark']) {
    const { context, page } = await signedIn(BOB, scheme);
    try {
      // A reload resumes the session from sessionStorage: the time a returning user waits.
      await page.reload();
      await page.waitForSelector('#page[data-rendered] .ac-adaptiveCard textarea');
      const ms = await page.evaluate(() => performance.getEntriesByName('hearth:page-rendered')[0].startTime);
      console.log(`TIMING chat-page-load-ms=${Math.round(ms)} theme=${scheme}`);
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), scheme);
      await page.locator('#page textarea').fill(scheme === 'light' ? 'Looks good in light' : 'И в тёмной теме');
      if (scheme === 'light') await capture(page, 'chat-live'); // both themes, both sizes
    } finally {
      await context.close();
    }
  }
});
