// What every browser test needs: the environment the IT passes, Debian's Chromium, and a member
// signed in through the shell's own form.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

/** What the shell says on the console when a page needs the full template engine's chunk (page.ts). */
export const FULL_ENGINE = 'hearth: the full template engine expands';

/** The variable `name`, which the web-e2e IT sets; these scripts run through it (mvn verify). */
export function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run these tests through web-e2e (mvn verify)`);
  return v;
}

/**
 * Headless Chromium; the network is closed to everything but the node: no background traffic, no
 * QUIC probes. `extraArgs` adds switches (the video test's fake camera and microphone).
 */
export function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/**
 * A new browser context signed in as `who` ({email, password}) through the shell's form, opened at
 * `start`, once the page's card is rendered.
 */
export async function signedIn(browser, who, start, { colorScheme = 'light', locale = 'en-GB', height = 720 } = {}) {
  const context = await browser.newContext({ colorScheme, viewport: { width: 900, height }, locale });
  context.setDefaultTimeout(10_000); // a failing run ends in seconds, not in Playwright's 30 s per step
  const page = await context.newPage();
  page.on('dialog', (d) => assert.fail(`the shell opened a dialog: ${d.message()}`));
  // Every page the repository ships expands with the shell's light template expander (cards.ts), in every state.
  page.on('console', (m) => { if (m.text().startsWith(FULL_ENGINE)) assert.fail(m.text()); });
  await page.goto(start);
  await page.fill('input[name=email]', who.email);
  await page.fill('input[name=password]', who.password);
  await page.click('form.sign-in button[type=submit]');
  await page.waitForSelector('#page[data-rendered] .ac-adaptiveCard');
  return { context, page };
}
