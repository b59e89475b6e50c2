// The designer for whoever the sys-admin allows (docs/user-modules.md, "Who may install"), started
// twice by web-e2e's DesignerInBrowserIT: with HEARTH_PHASE=off (the node's default) Pat, a
// project-admin, has no designer in his user menu, and at its address the install is refused by the
// node (PERMISSION_DENIED), its message by the button; with HEARTH_PHASE=on (the IT turned the setting on between the
// two runs) Pat finds the designer in his menu, installs a module for his own project — the only
// one offered, not the project where he is a plain user — and opens its page there; Uma, a project
// user, still has no designer. The IT reads back which project the module is for.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { capture, DESKTOP, env, launch, signIn, URL } from './tasks-kit.mjs';

const PHASE = env('HEARTH_PHASE');
const PAT = { email: env('HEARTH_PAT_EMAIL'), password: env('HEARTH_PAT_PASSWORD') };
const UMA = { email: env('HEARTH_UMA_EMAIL'), password: env('HEARTH_UMA_PASSWORD') };
const PROJECT = env('HEARTH_PROJECT'); // Pat's, as admin
const OTHER = env('HEARTH_OTHER_PROJECT'); // Pat is a project user there

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

const shelf = () => JSON.stringify({
  id: 'shelf', version: '1.0.0', names: { en: 'Shelf', ru: 'Полка' },
  entities: [{ name: 'book', fields: [{ name: 'title', type: 'string', required: true, maxLength: 100 }] }],
  queries: [{ name: 'all', entity: 'book', orderBy: 'title', limit: 100 }],
  pages: [{
    name: 'books', titles: { en: 'Books', ru: 'Книги' }, query: 'all',
    card: { type: 'AdaptiveCard', version: '1.6', body: [
      { type: 'TextBlock', text: 'Books', size: 'large', weight: 'bolder' },
      { type: 'Container', $data: '${items}', items: [{ type: 'TextBlock', text: '${title}', wrap: true }] },
    ] },
  }],
}, null, 2);

async function signedIn(who) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB', colorScheme: 'light' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('dialog', (d) => assert.fail(`the shell opened a dialog: ${d.message()}`));
  await page.goto(URL);
  await signIn({ ...who, page });
  await page.locator('#page[data-shell], #page[data-rendered]').waitFor();
  // The sidebar's orgs are listed, and then at once the node's answer of who may design is applied.
  await page.locator('#sidebar .org h2').first().waitFor();
  return { context, page };
}

async function menuOffersDesigner(page) {
  await page.click('#user-menu summary');
  await page.locator('#sign-out').waitFor();
  const offered = await page.locator('#designer-link').count() === 1;
  await page.keyboard.press('Escape');
  return offered;
}

test(`the designer for a project-admin, setting ${PHASE}`, async () => {
  const pat = await signedIn(PAT);
  try {
    const { page } = pat;
    if (PHASE === 'off') {
      assert.equal(await menuOffersDesigner(page), false, 'no designer for a project-admin by default');
      // At its address anyway: checking works, installing is the node's refusal, shown by the button.
      await page.goto(`${URL}/#/admin/designer`);
      await page.locator('#page[data-shell] #designer').waitFor();
      await page.locator('#designer-who', { hasText: 'Only a sys-admin' }).waitFor();
      assert.equal(await page.locator('#designer-for-project').count(), 0);
      await page.locator('#designer-json').fill(shelf());
      await page.locator('#designer-summary.good').waitFor();
      await page.click('#designer-apply');
      await page.locator('#designer-apply-error', { hasText: 'only sys-admins may install' }).waitFor();
      return;
    }
    await page.locator('#user-menu[data-designer="true"]').waitFor();
    assert.equal(await menuOffersDesigner(page), true, 'the designer, once the node allows project-admins');
    await page.click('#user-menu summary');
    await page.click('#designer-link');
    await page.locator('#page[data-shell] #designer').waitFor();
    await page.locator('#designer-who', { hasText: 'serves only the project you pick' }).waitFor();
    const offered = await page.locator('#designer-for-project option').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(offered, [PROJECT], `only his own project, not ${OTHER}`);
    await page.locator('#designer-json').fill(shelf());
    await page.locator('#designer-summary.good').waitFor();
    await capture(page, 'designer-project-admin');
    await page.click('#designer-apply');
    await page.locator('#designer-done .field-ok').waitFor();
    // Its page, in his project.
    await page.locator('#designer-done a', { hasText: 'Books' }).click();
    await page.waitForSelector('#page[data-page="um-shelf/books"][data-rendered] .ac-adaptiveCard');
    assert.ok(page.url().includes(`#/p/${PROJECT}/um-shelf/books`), page.url());
  } finally {
    await pat.context.close();
  }
  const uma = await signedIn(UMA);
  try {
    assert.equal(await menuOffersDesigner(uma.page), false, 'no designer for a project user');
  } finally {
    await uma.context.close();
  }
});
