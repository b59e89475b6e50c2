// Task 25 of WEB-CLIENT.md through the UI (WebTasksIT runs it after the other scripts: a module a
// sys-admin installs serves every project of the node). Set-up over the API (tasks-kit): the sys-admin
// WebTasksIT made with the node's bootstrap makes an org and a project and is signed in without the
// form. Then, in the browser alone, he opens the designer from the user menu, types a definition with
// a mistake and sees the problem on its line, fixes it, sees the preview with sample data in light and
// dark, installs the module, uses its page (adds a record), then upgrades it with a new field after
// reviewing the change list, and sees the field on the page. WebTasksIT reads the installed version
// and the record back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { axe, capture, env, launch, openProject, person, PHONE, projectOverApi, SHOTS, signInOverApi } from './tasks-kit.mjs';

const SCRIPT = 'designer';
const ROOT = { email: env('HEARTH_SYSADMIN_EMAIL'), password: env('HEARTH_SYSADMIN_PASSWORD') };
const made = {}; // what the IT reads back
let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  writeFileSync(`${SHOTS}/../tasks-designer.json`, JSON.stringify(made, null, 2));
  await browser?.close();
});

/** The definition the admin types: jars in a pantry, every kind of field the preview samples. */
function pantry() {
  return {
    id: 'pantry',
    version: '1.0.0',
    names: { en: 'Pantry', ru: 'Кладовая' },
    entities: [{
      name: 'jar',
      fields: [
        { name: 'title', type: 'string', required: true, maxLength: 100 },
        { name: 'quantity', type: 'number', min: 0, max: 50, default: 1 },
        { name: 'opened', type: 'bool', default: false },
        { name: 'best_before', type: 'date' },
        { name: 'kind', type: 'enum', values: ['jam', 'pickle', 'honey'], default: 'jam' },
      ],
    }],
    queries: [{ name: 'all', entity: 'jar', orderBy: 'title', limit: 100 }],
    pages: [{
      name: 'jars', titles: { en: 'Jars', ru: 'Банки' }, query: 'all',
      card: {
        type: 'AdaptiveCard', version: '1.6',
        body: [
          { type: 'TextBlock', text: "${strings['page.jars']}", size: 'large', weight: 'bolder' },
          { type: 'Container', $data: '${items}', separator: true, items: [
            { type: 'TextBlock', text: '${title}', weight: 'bolder', wrap: true },
            { type: 'FactSet', facts: [
              { title: 'Quantity', value: '${string(quantity)}' },
              { title: 'Kind', value: '${kind}' },
              { title: 'Best before', value: "${if(best_before == '', '-', best_before)}" },
            ] },
          ] },
          { type: 'Input.Text', id: 'title', label: 'Title', maxLength: 100, separator: true },
          { type: 'Input.Number', id: 'quantity', label: 'Quantity', min: 0, max: 50 },
        ],
        actions: [{ type: 'Action.Submit', title: 'Add jar', style: 'positive', data: { action: 'add-jar' } }],
      },
    }],
    actions: [{ name: 'add-jar', kind: 'create', entity: 'jar', roles: ['project-user'] }],
  };
}

const editor = (page) => page.locator('#designer-json');
const summary = (page) => page.locator('#designer-summary');

async function openDesigner(page) {
  await page.click('#user-menu summary');
  await page.click('#designer-link');
  await page.locator('#page[data-shell] #designer').waitFor();
  await summary(page).and(page.locator('.good, .bad')).waitFor();
}

test('task 25: a sys-admin designs, previews, installs, uses and upgrades a user module in the browser', async () => {
  const root = await person(browser, SCRIPT, 'Root');
  Object.assign(root, ROOT);
  const { context, page } = root;
  try {
    await signInOverApi(root);
    const PROJECT = made.project = (await projectOverApi(root, 'Designer Home', 'Kitchen')).project;
    await openProject(root, PROJECT);
    await openDesigner(page);
    // The template is valid as it comes.
    await page.locator('#designer-summary.good').waitFor();
    assert.equal(await page.locator('#designer-apply').textContent(), 'Install');

    // A mistake: the problem is listed with its line, and that line is marked in the gutter.
    const wrong = pantry();
    wrong.entities[0].fields[1].type = 'decimal';
    const text = JSON.stringify(wrong, null, 2);
    const line = text.split('\n').findIndex((l) => l.includes('"decimal"')) + 1;
    const validated = page.waitForResponse((r) => r.url().endsWith('/v1/user-modules/validate'));
    const typed = Date.now();
    await editor(page).fill(text);
    const problem = page.locator('#designer-problems li', { hasText: 'decimal' });
    await problem.waitFor();
    console.log(`TIMING designer-typed-to-problem-shown-ms=${Date.now() - typed} (as Playwright sees it)`);
    // In the page: from the last input event to the problems drawn (400 ms of it the pause after typing).
    const inPage = await page.evaluate(() => {
      const input = performance.getEntriesByName('hearth:designer-input').at(-1).startTime;
      return performance.getEntriesByName('hearth:designer-problems').filter((m) => m.startTime > input).at(0).startTime - input;
    });
    console.log(`TIMING designer-input-to-problems-ms=${Math.round(inPage)}`);
    const timing = (await validated).request().timing();
    console.log(`TIMING designer-validate-round-trip-ms=${Math.round(timing.responseEnd)}`);
    assert.equal(await problem.locator('button').getAttribute('data-line'), String(line));
    assert.match(await problem.locator('code').textContent(), /^\$\.entities\[0\]\.fields\[1\]\.type$/);
    await page.locator(`.gutter .problem[data-line="${line}"]`).waitFor();
    await page.locator('#designer-summary.bad').waitFor();
    await capture(page, 'designer-problem', { show: '#designer-problems' });
    // Installing it anyway: the node's refusal shows by the button, its problem stays marked.
    await page.click('#designer-apply');
    await page.locator('#designer-apply-error', { hasText: 'decimal' }).waitFor();
    console.log(`refused: ${await page.locator('#designer-apply-error').textContent()}`);
    await page.locator(`.gutter .problem[data-line="${line}"]`).waitFor();

    // Fixed by typing over the mistake: no problems, and the preview shows sample records.
    await problem.locator('button').click(); // selects the line with the mistake
    await page.keyboard.type(text.split('\n')[line - 1].replace('decimal', 'number'));
    await page.locator('#designer-summary.good').waitFor();
    assert.equal(await page.locator('#designer-problems li').count(), 0);
    assert.equal(await page.locator('.gutter .problem').count(), 0);
    for (const theme of ['light', 'dark']) {
      const preview = page.locator(`.preview.${theme} .ac-adaptiveCard`);
      await preview.getByText('Title 1').waitFor();
      await preview.getByText('Title 3').waitFor();
      await preview.getByText('25', { exact: true }).waitFor(); // a quantity inside 0..50
      await preview.getByText('pickle', { exact: true }).waitFor(); // the enum's values in turn
    }
    const light = page.locator('.preview.light .ac-adaptiveCard');
    await light.getByLabel('Title').fill('Fig jam');
    await light.getByLabel('Quantity').fill('3');
    await light.getByRole('button', { name: 'Add jar' }).click();
    await page.locator('#designer-preview-note', { hasText: 'add-jar' }).waitFor();
    await page.click('label[for=designer-theme-dark]');
    assert.equal(await page.locator('.preview').count(), 1);
    await page.locator('.preview.dark').waitFor();
    await page.click('label[for=designer-theme-both]');
    await capture(page, 'designer-preview', { show: '.designer-preview' });

    // Installed; its page opened from the designer's link, and used.
    await page.click('#designer-apply');
    await page.locator('#designer-done .field-ok').waitFor();
    assert.match(page.url(), /#\/admin\/designer\/pantry$/);
    assert.equal(await page.locator('#designer-apply').textContent(), 'Review upgrade');
    await page.selectOption('#designer-project', PROJECT);
    await page.locator('#designer-done a', { hasText: 'Jars' }).click();
    const card = page.locator('#page[data-rendered] .ac-adaptiveCard');
    await card.getByRole('button', { name: 'Add jar' }).waitFor();
    await card.getByLabel('Title').fill('Quince jam');
    await card.getByLabel('Quantity').fill('4');
    await card.getByRole('button', { name: 'Add jar' }).click();
    await card.getByText('Quince jam').waitFor();

    // Upgraded with a new field: the change list first, then the node's own, then the page shows it.
    await openDesigner(page);
    await page.selectOption('#designer-start', 'pantry');
    await page.waitForURL(/#\/admin\/designer\/pantry$/);
    await page.waitForFunction(() => document.querySelector('#designer-json')?.value.includes('"pantry"'));
    await page.locator('#designer-summary.good').waitFor();
    const next = JSON.parse(await editor(page).inputValue());
    assert.equal(next.version, '1.0.0');
    next.version = '1.1.0';
    next.entities[0].fields.push({ name: 'colour', type: 'string', default: 'amber' });
    next.pages[0].card.body[1].items.push({ type: 'TextBlock', text: 'Colour: ${colour}', size: 'small' });
    await editor(page).fill(JSON.stringify(next, null, 2));
    await page.locator('#designer-summary.good').waitFor();
    await page.locator('.preview.light .ac-adaptiveCard').getByText('Colour: amber').waitFor();
    await page.click('#designer-apply');
    await page.locator('#designer-review li.change.added', { hasText: 'field jar.colour' }).waitFor();
    await page.locator('#designer-review li.change.changed', { hasText: 'page jars' }).waitFor();
    assert.equal(await page.locator('#designer-review li.change.removed').count(), 0);
    assert.match(await page.locator('#designer-review h2').textContent(), /from 1\.0\.0 to 1\.1\.0/);
    assert.match(await page.locator('#designer-diff-summary').textContent(), /^Definition: [1-9]\d* lines added, \d+ removed\.$/);
    await capture(page, 'designer-upgrade', { show: '#designer-confirm' });
    await page.click('#designer-confirm');
    await page.locator('#designer-done li', { hasText: 'colour' }).waitFor();
    await page.locator('#designer-done a', { hasText: 'Jars' }).click();
    await card.getByText('Quince jam').waitFor();
    await card.getByText('Colour: amber').waitFor();
    await page.setViewportSize(PHONE);
    await axe(page, 'the upgraded page, phone');
  } finally {
    await context.close();
  }
  console.log(`screenshots in ${SHOTS}`);
});
