// Browser test of the survey pages (started by web-e2e's SurveyInBrowser, which creates the
// project, its two members and an open survey): Bob answers through the form card while Ann watches
// the results card, which updates live; a second answer is refused on Bob's card; Ann closes the
// survey from the results card and Bob's form then refuses answers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { env, launch, signedIn } from './shell.mjs';

const URL = env('HEARTH_URL');
const PROJECT = env('HEARTH_PROJECT');
const SURVEY = env('HEARTH_SURVEY');
const ANN = { email: env('HEARTH_ANN_EMAIL'), password: env('HEARTH_ANN_PASSWORD') };
const BOB = { email: env('HEARTH_BOB_EMAIL'), password: env('HEARTH_BOB_PASSWORD') };
const page = (name) => `${URL}/#/p/${PROJECT}/survey/${name}?surveyId=${SURVEY}`;

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('an answer sent through the form shows in the results live; a second one and a closed survey are refused on the card', async () => {
  const ann = await signedIn(browser, ANN, page('results'), { height: 800 });
  const bob = await signedIn(browser, BOB, page('form'), { height: 800 });
  try {
    const results = ann.page.locator('#page .ac-adaptiveCard').first();
    const form = bob.page.locator('#page .ac-adaptiveCard').first();
    await results.getByText('0 responses').waitFor();
    await ann.page.evaluate(() => { window.hearthTestMarker = 'same document'; });

    await form.getByText('Sushi').click();
    await form.getByPlaceholder('A number').fill('4');
    const sent = Date.now();
    await form.getByRole('button', { name: 'Send answers' }).click();
    await results.getByText('1 responses').waitFor();
    console.log(`TIMING survey-results-live-ms=${Date.now() - sent}`);
    assert.equal(await ann.page.evaluate(() => window.hearthTestMarker), 'same document');

    await form.getByText('Pizza').click();
    await form.getByPlaceholder('A number').fill('2');
    await form.getByRole('button', { name: 'Send answers' }).click();
    await form.getByText('ALREADY_EXISTS', { exact: false }).waitFor();

    await results.getByRole('button', { name: 'Close the survey' }).click();
    await results.getByText('Closed', { exact: false }).first().waitFor();
    await form.getByText('This survey takes no answers now.').waitFor();
  } finally {
    await ann.context.close();
    await bob.context.close();
  }
});

test('the project admin creates a survey on the new-survey card; it opens at once and shows in the list', async () => {
  const ann = await signedIn(browser, ANN, `${URL}/#/p/${PROJECT}/survey/surveys`, { height: 900 });
  try {
    const list = ann.page.locator('#page .ac-adaptiveCard').first();
    await list.getByText('New survey').first().click();
    const card = ann.page.locator('#page .ac-adaptiveCard').first();
    await card.getByLabel('Title').fill('Friday lunch');
    await card.getByLabel('Questions, one per line').fill('Where: canteen | park *\nHow hungry: 1..5');
    await card.getByRole('button', { name: 'Create survey' }).click();
    await ann.page.goto(`${URL}/#/p/${PROJECT}/survey/surveys`);
    await ann.page.locator('#page .ac-adaptiveCard').first().getByText('Friday lunch').waitFor();
  } finally {
    await ann.context.close();
  }
});
