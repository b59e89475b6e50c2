// Task 24 of WEB-CLIENT.md through the UI (WebTasksIT). Set-up over the API (tasks-kit): Ann makes
// an org and a project and invites Bob, who signs up with the invite; both are signed in without
// the form. Then, in the browser alone: Ann creates a survey on the survey module's new-survey
// card, Bob answers it on the form card, Ann's results card changes live (the same document, no
// reload) when he sends, and Ann downloads the results as CSV from the results card (the card's
// `rpc` + `download` action). Every survey page is screenshotted at 1280×800 and 390×844, light and
// dark, and checked with axe.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { capture, cardPage, inviteOverApi, launch, openProject, person, projectOverApi, SHOTS, signUpOverApi } from './tasks-kit.mjs';

const SCRIPT = 'survey';
const TITLE = 'Friday lunch';
let browser;
let ann, bob;
const made = {}; // what the IT reads back

before(async () => {
  browser = await launch();
  ann = await person(browser, SCRIPT, 'Ann');
  bob = await person(browser, SCRIPT, 'Bob');
});

after(async () => {
  writeFileSync(`${SHOTS}/../tasks-survey.json`, JSON.stringify(made, null, 2));
  await browser?.close();
});

const card = (page) => page.locator('#page .ac-adaptiveCard').first();

/** Opens the project's survey list from the sidebar. */
async function surveys(page) {
  await page.click('#sidebar a[href$="/survey/surveys"]');
  await page.waitForFunction(() => location.hash.endsWith('/survey/surveys'));
  await cardPage(page);
}

test('task 24: create a survey, answer it, watch the results change live, export CSV', async () => {
  await signUpOverApi(ann);
  made.project = (await projectOverApi(ann, 'Survey Org', 'Polls')).project;
  made.ann = ann.email;
  made.bob = bob.email;
  await signUpOverApi(bob, await inviteOverApi(ann, made.project));
  await Promise.all([openProject(ann, made.project), openProject(bob, made.project)]);

  // Ann creates the survey on the new-survey card.
  await surveys(ann.page);
  await card(ann.page).getByText('New survey').first().click();
  await ann.page.waitForFunction(() => location.hash.includes('/survey/new'));
  await cardPage(ann.page);
  await card(ann.page).getByLabel('Title').fill(TITLE);
  await card(ann.page).getByLabel('Questions, one per line').fill('Where: Pizza | Sushi *\nHow hungry: 1..5');
  await capture(ann.page, 'survey-new');
  await card(ann.page).getByRole('button', { name: 'Create survey' }).click();
  // Created: the card is rendered again with its inputs cleared.
  await ann.page.waitForFunction(() => !document.querySelector('#page .ac-adaptiveCard input')?.value);
  await card(ann.page).getByRole('button', { name: 'Surveys' }).click();
  await ann.page.waitForFunction(() => location.hash.endsWith('/survey/surveys'));
  const listed = card(ann.page).locator('.ac-container', { hasText: TITLE }).last();
  await listed.waitFor();
  await listed.getByText('Results', { exact: true }).click();
  await ann.page.waitForFunction(() => location.hash.includes('/survey/results?'));
  await cardPage(ann.page);
  made.survey = new URLSearchParams(ann.page.url().split('?')[1]).get('surveyId');
  assert.ok(made.survey, ann.page.url());
  const results = card(ann.page);
  await results.getByText('0 responses').waitFor();
  await ann.page.evaluate(() => { window.hearthTestMarker = 'same document'; });

  // Bob finds it in his list and answers on the form card.
  await surveys(bob.page);
  const his = card(bob.page).locator('.ac-container', { hasText: TITLE }).last();
  await his.getByText('Answer', { exact: true }).click();
  await bob.page.waitForFunction(() => location.hash.includes('/survey/form?'));
  await cardPage(bob.page);
  const form = card(bob.page);
  await form.getByText(TITLE).waitFor();
  await form.getByText('Sushi').click();
  await form.getByPlaceholder('A number').fill('4');
  await capture(bob.page, 'survey-answer');
  // The theme changes re-rendered the card: what Bob typed is still there (a number too).
  assert.equal(await form.getByPlaceholder('A number').inputValue(), '4');
  assert.ok(await form.getByRole('radio', { name: 'Sushi' }).isChecked());
  await form.getByRole('button', { name: 'Send answers' }).click();

  // Ann's results change without a reload.
  await results.getByText('1 responses').waitFor();
  assert.equal(await ann.page.evaluate(() => window.hearthTestMarker), 'same document');
  const sushi = results.locator('.ac-factset tr', { hasText: 'Sushi' });
  await sushi.filter({ hasText: '1' }).waitFor();
  await capture(ann.page, 'survey-results');

  // The CSV export from the results card: a file the browser saves.
  const [download] = await Promise.all([
    ann.page.waitForEvent('download'),
    results.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `survey-${made.survey}-results.csv`);
  const csv = readFileSync(await download.path(), 'utf8');
  const rows = csv.trim().split(/\r\n/);
  assert.equal(rows[0], 'question_id,question,item,value');
  assert.ok(rows.includes(',,responses,1'), csv);
  assert.ok(rows.some((r) => /^q1,Where,Sushi,1$/.test(r)), csv);
  assert.ok(rows.some((r) => /^q1,Where,Pizza,0$/.test(r)), csv);
  assert.ok(rows.some((r) => /^q2,How hungry,average,4(\.0+)?$/.test(r)), csv);
  made.csvRows = rows.length;
});
