// The chat host elements in Chromium (run by web-e2e's ChatTimelineInBrowser, which sets up Ann
// and Bob, a channel both are in, a channel of 120 messages and a read-only channel): Enter sends and
// Shift+Enter keeps a new line; the other member sees the message live with name, time and Markdown
// (a clickable link opening a new tab); edit and delete of one's own message are seen live; scrolling
// up loads older history and the first visible message stays where it was; the node's refusal shows
// next to the composer with the text kept; screenshots at both sizes in both themes, axe on each.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { env, launch, signedIn as signIn } from './shell.mjs';
import { axe, capture, SHOTS } from './tasks-kit.mjs';

const URL = env('HEARTH_URL');
const PROJECT = env('HEARTH_PROJECT');
const ANN = { email: env('HEARTH_ANN_EMAIL'), password: env('HEARTH_ANN_PASSWORD') };
const BOB = { email: env('HEARTH_BOB_EMAIL'), password: env('HEARTH_BOB_PASSWORD') };
const page = (channel) => `${URL}/#/p/${PROJECT}/chat/channel?channelId=${channel}`;
const GENERAL = page(env('HEARTH_CHANNEL'));
const HISTORY = page(env('HEARTH_HISTORY'));
const READ_ONLY = page(env('HEARTH_READ_ONLY'));

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Signed in on `start`, once the timeline has its first page. */
async function signedIn(who, start, options) {
  const s = await signIn(browser, who, start, options);
  await s.page.locator('.hearth-timeline-note[data-status="start"], .hearth-timeline-note[data-status="more"]').waitFor();
  return s;
}

/** The message in `page`'s timeline whose text contains `text`. */
const message = (page, text) => page.locator('.hearth-timeline .hearth-msg', { hasText: text });

test('Enter sends, Shift+Enter keeps a new line; the other sees it live with name, time and Markdown', async () => {
  const ann = await signedIn(ANN, GENERAL);
  const bob = await signedIn(BOB, GENERAL);
  try {
    const renders = await bob.page.locator('#page').getAttribute('data-rendered');
    const box = ann.page.locator('.hearth-composer textarea');
    await box.click();
    await box.pressSequentially('**Launch** is _on_, see https://example.org/plan.');
    await box.press('Shift+Enter');
    await box.pressSequentially('Run `make ship` first');
    assert.equal(await box.inputValue(), '**Launch** is _on_, see https://example.org/plan.\nRun `make ship` first');
    await box.press('Enter');
    await ann.page.waitForFunction(() => document.querySelector('.hearth-composer textarea').value === '');

    const seen = message(bob.page, 'Launch');
    await seen.waitFor();
    assert.equal(await seen.locator('.hearth-msg-author').innerText(), 'Ann Archer');
    assert.equal(await seen.locator('.hearth-avatar').innerText(), 'AA');
    assert.match(await seen.locator('time').getAttribute('datetime'), /^\d{4}-\d\d-\d\dT/);
    assert.match(await seen.locator('time').innerText(), /\d{1,2}:\d\d/);
    assert.equal(await seen.locator('strong').innerText(), 'Launch');
    assert.equal(await seen.locator('em').innerText(), 'on');
    assert.equal(await seen.locator('code').innerText(), 'make ship');
    assert.equal(await seen.locator('.hearth-msg-text br').count(), 1, 'Shift+Enter kept a line break');
    const link = seen.locator('a');
    assert.equal(await link.getAttribute('href'), 'https://example.org/plan');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.match(await link.getAttribute('rel'), /noopener/);
    assert.equal(await bob.page.locator('.hearth-day').last().innerText(), 'Today');
    // Applied from the event: Bob's card was not rendered again.
    assert.equal(await bob.page.locator('#page').getAttribute('data-rendered'), renders);
    // Bob has no Edit on Ann's message; Ann has both on hers.
    const editDelete = '.hearth-msg-edit, .hearth-msg-delete';
    assert.equal(await seen.locator(editDelete).count(), 0);
    assert.equal(await message(ann.page, 'Launch').locator(editDelete).count(), 2);
  } finally {
    await ann.context.close();
    await bob.context.close();
  }
});

test('edit and delete of one\'s own message are seen live by the other', async () => {
  const ann = await signedIn(ANN, GENERAL);
  const bob = await signedIn(BOB, GENERAL);
  try {
    const box = ann.page.locator('.hearth-composer textarea');
    await box.fill('A typo hree');
    await box.press('Enter');
    await message(ann.page, 'A typo hree').waitFor();
    // By id from here: while edited, the text is in a textarea, not the message's text.
    const mine = ann.page.locator(`.hearth-msg[data-id="${await message(ann.page, 'A typo hree').getAttribute('data-id')}"]`);
    await message(bob.page, 'A typo hree').waitFor();

    await mine.getByRole('button', { name: 'Edit' }).click();
    const edit = mine.locator('textarea.hearth-edit');
    await edit.fill('A typo here, fixed');
    await edit.press('Enter');
    const fixed = message(bob.page, 'A typo here, fixed');
    await fixed.waitFor();
    await fixed.locator('.hearth-msg-edited', { hasText: '(edited)' }).waitFor();
    assert.equal(await message(bob.page, 'hree').count(), 0);

    const edited = mine;
    await edited.getByRole('button', { name: 'Delete' }).click();
    await edited.getByText('Delete this message?').waitFor();
    await edited.locator('button.hearth-msg-confirm').click();
    await bob.page.waitForFunction(() => ![...document.querySelectorAll('.hearth-msg')].some((m) => m.textContent.includes('fixed')));
    await bob.page.locator('.hearth-msg-deleted', { hasText: 'This message was deleted.' }).last().waitFor();
  } finally {
    await ann.context.close();
    await bob.context.close();
  }
});

test('scrolling up loads older history and the first visible message stays put', async () => {
  const { context, page: p } = await signedIn(BOB, HISTORY, { height: 720 });
  try {
    const timeline = p.locator('.hearth-timeline');
    await message(p, 'History 120').waitFor();
    assert.ok(await timeline.evaluate((t) => t.scrollHeight - t.clientHeight - t.scrollTop < 4), 'opens at the newest');
    const firstOnScreen = (t) => {
      const top = t.getBoundingClientRect().top;
      const first = [...t.querySelectorAll('.hearth-msg')].find((m) => m.getBoundingClientRect().bottom > top);
      return { id: first.dataset.id, text: first.querySelector('.hearth-msg-text').textContent, offset: first.getBoundingClientRect().top - top };
    };
    for (let round = 0; round < 5 && !(await message(p, 'History 001').count()); round++) {
      const count = await p.locator('.hearth-msg').count();
      // Scrolled to the top: the first message on screen and its place, measured before the older page can arrive.
      const before = await timeline.evaluate((t, f) => { t.scrollTop = 0; return (0, eval)(f)(t); }, firstOnScreen.toString());
      await p.waitForFunction((n) => document.querySelectorAll('.hearth-msg').length > n, count);
      await p.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
      const afterLoad = await timeline.evaluate((t, id) => {
        const m = t.querySelector(`.hearth-msg[data-id="${id}"]`);
        return m.getBoundingClientRect().top - t.getBoundingClientRect().top;
      }, before.id);
      assert.equal(before.text, `History ${String(120 - count + 1).padStart(3, '0')}`);
      assert.ok(Math.abs(afterLoad - before.offset) <= 2,
        `${before.text} stays put: ${before.offset}px from the top before, ${afterLoad}px after`);
      console.log(`older page loaded: ${count} -> ${await p.locator('.hearth-msg').count()} messages; ${before.text} moved ${afterLoad - before.offset}px`);
    }
    await message(p, 'History 001').waitFor();
    assert.equal(await p.locator('.hearth-msg').count(), 120);
    await p.locator('.hearth-timeline-note', { hasText: 'beginning of the conversation' }).waitFor();
  } finally {
    await context.close();
  }
});

test('a refused post shows the node\'s error next to the composer and keeps the text, in Russian too', async () => {
  for (const [locale, hint] of [['en-GB', 'Enter sends'], ['ru-RU', 'Enter отправляет']]) {
    const { context, page: p } = await signedIn(BOB, READ_ONLY, { locale });
    try {
      await p.getByText(hint).waitFor();
      const box = p.locator('.hearth-composer textarea');
      await box.fill('Bob may not post here');
      await box.press('Enter');
      const error = p.locator('.hearth-composer .hearth-field-error');
      await error.waitFor();
      assert.match(await error.innerText(), /PERMISSION_DENIED|FAILED_PRECONDITION/);
      assert.equal(await box.inputValue(), 'Bob may not post here');
      assert.equal(await box.getAttribute('aria-invalid'), 'true');
    } finally {
      await context.close();
    }
  }
});

test('the channel page at 1280×800 and 390×844 in light and dark; axe finds nothing serious', async () => {
  // Under the shell's real Content-Security-Policy: the kit injects axe-core through evaluate.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  context.setDefaultTimeout(10_000);
  const p = await context.newPage();
  try {
    await p.goto(GENERAL);
    await p.fill('input[name=email]', ANN.email);
    await p.fill('input[name=password]', ANN.password);
    await p.click('form.sign-in button[type=submit]');
    await p.locator('.hearth-timeline-note[data-status="start"]').waitFor();
    const box = p.locator('.hearth-composer textarea');
    await box.fill('Code block:\n```\nmvn -B verify\n```\nand **bold** text with a [link](https://example.org).');
    await box.press('Enter');
    await message(p, 'Code block').waitFor();
    await box.fill('A draft in the composer');
    await capture(p, 'chat-timeline');
    await axe(p, 'chat timeline, editing');
  } finally {
    await context.close();
  }
});
