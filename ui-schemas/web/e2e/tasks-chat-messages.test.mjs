// Tasks 12–17 of WEB-CLIENT.md through the UI (WebTasksIT). Set-up over the API (tasks-kit): Ann
// makes an org, a project, an invite and a channel; Bob and Cleo sign up with the invite and join
// the channel; all three are signed in without the form. Then, in the browser alone, each seeing
// the others live: Markdown, names, avatars, times and day separators (12); edit and delete of
// one's own message (13); a reaction picked from the emoji picker by keyboard, toggled on and off
// (14); a thread in the side panel with its reply count moving on the other's screen, and the same
// panel full-screen on a phone (15); an `@` mention picked with the arrow keys, giving Bob a
// mention badge in his sidebar (16); pins, and the channel's pins list following a new pin live
// (17). Every new panel is screenshotted in both sizes and themes, with axe.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import {
  api, capture, channelTeamOverApi, launch, person, PHONE, SHOTS, URL,
} from './tasks-kit.mjs';

const SCRIPT = 'chat-messages';
let browser;
let ann, bob, cleo;
const made = {};

before(async () => {
  browser = await launch();
  ann = await person(browser, SCRIPT, 'Ann');
  bob = await person(browser, SCRIPT, 'Bob');
  cleo = await person(browser, SCRIPT, 'Cleo');
});

after(async () => {
  writeFileSync(`${SHOTS}/../tasks-chat-messages.json`, JSON.stringify(made, null, 2));
  await browser?.close();
});

const channelUrl = () => `${URL}/#/p/${made.project}/chat/channel?channelId=${made.channel}`;
/** A message of the channel's timeline (not of a side panel) whose text has `text`. */
const message = (page, text) => page.locator('.hearth-chat-main .hearth-msg', { hasText: text });
/** The channel's composer (not a thread's). */
const COMPOSER = '#page >> xpath=.//form[contains(@class, "hearth-composer") and not(ancestor::section[contains(@class, "hearth-panel")])]//textarea';
const inPanel = (page, text) => page.locator('.hearth-panel .hearth-msg', { hasText: text });

/**
 * Where the thread panel's parts are: the gap from the root to the first reply, whether the first
 * reply's top is hidden above its box where the box is scrolled now, whether the root's top is hidden,
 * the body's overflow, and whether the composer is inside the panel.
 */
async function threadLayout(panel) {
  return panel.evaluate((p) => {
    const body = p.querySelector('.hearth-panel-body');
    const rootBox = p.querySelector('.hearth-panel-root');
    const replies = [...body.querySelectorAll(':scope > .hearth-timeline')].find((x) => !x.classList.contains('hearth-panel-root'));
    const msgs = [...replies.querySelectorAll('.hearth-msg')].map((m) => m.getBoundingClientRect());
    const box = replies.getBoundingClientRect();
    const root = rootBox.querySelector('.hearth-msg').getBoundingClientRect();
    const rootArea = rootBox.getBoundingClientRect();
    const panelBox = p.getBoundingClientRect();
    const composer = p.querySelector('.hearth-composer').getBoundingClientRect();
    return {
      gap: Math.round(msgs[0].top - rootArea.bottom),
      repliesCut: msgs[0].top < box.top - 1 ? 1 : 0,
      rootCut: root.top < rootArea.top - 1 ? 1 : 0, // a long root scrolls in its box, from its top
      bodyOverflow: body.scrollHeight - body.clientHeight,
      composerInside: composer.top >= panelBox.top && composer.bottom <= panelBox.bottom + 1,
    };
  });
}

async function openChannel(who) {
  await who.page.goto(channelUrl());
  await who.page.locator('.hearth-chat-main .hearth-timeline-note[data-status="start"]').waitFor();
}

async function send(who, text) {
  const box = who.page.locator(COMPOSER);
  await box.fill(text);
  await box.press('Enter');
  await message(who.page, text.split('\n')[0].replace(/[*_`]/g, '').slice(0, 20)).first().waitFor();
}

test('setup over the API: Ann\'s project and channel; Bob and Cleo join with an invite and join the channel', async () => {
  Object.assign(made, await channelTeamOverApi(ann, [bob, cleo], 'Messages Org', 'Messages', 'crew'));
  await Promise.all([openChannel(ann), openChannel(bob), openChannel(cleo)]);
});

test('tasks 12–13: Markdown, author, avatar, time and day separator seen live; edit and delete one\'s own', async () => {
  await send(ann, '**Kickoff** is _today_, see `plan.md` at https://example.org/plan.');
  const seen = message(bob.page, 'Kickoff');
  await seen.waitFor();
  assert.equal(await seen.locator('.hearth-msg-author').innerText(), 'Ann');
  assert.equal(await seen.locator('.hearth-avatar').innerText(), 'A');
  assert.match(await seen.locator('time').innerText(), /\d{1,2}:\d\d/);
  assert.equal(await seen.locator('strong').innerText(), 'Kickoff');
  assert.equal(await seen.locator('em').innerText(), 'today');
  assert.equal(await seen.locator('code').innerText(), 'plan.md');
  assert.equal(await seen.locator('a').getAttribute('href'), 'https://example.org/plan');
  assert.equal(await bob.page.locator('.hearth-chat-main .hearth-day').last().innerText(), 'Today');
  assert.equal(await seen.locator('.hearth-msg-edit').count(), 0, 'no Edit on someone else\'s message');

  await send(ann, 'A typo hree');
  // By id: while it is edited, its text is in a textarea, not in the message's text.
  const id = await message(ann.page, 'A typo').getAttribute('data-id');
  const mine = ann.page.locator(`.hearth-chat-main .hearth-msg[data-id="${id}"]`);
  await mine.getByRole('button', { name: 'Edit' }).click();
  await mine.locator('textarea').fill('A typo here');
  await mine.locator('textarea').press('Enter');
  await message(bob.page, 'A typo here').locator('.hearth-msg-edited').waitFor();
  await message(ann.page, 'A typo here').getByRole('button', { name: 'Delete' }).click();
  await ann.page.locator('.hearth-chat-main button.hearth-msg-confirm').click();
  await bob.page.locator('.hearth-chat-main .hearth-msg-deleted').waitFor();
  assert.equal(await message(bob.page, 'A typo here').count(), 0);
});

test('task 14: Bob reacts from the picker by keyboard; Ann sees it live and toggles her own on and off', async () => {
  const onBob = message(bob.page, 'Kickoff');
  const opener = onBob.getByRole('button', { name: 'Add reaction' });
  await opener.click();
  const picker = bob.page.getByRole('dialog', { name: 'Add a reaction' });
  await picker.waitFor();
  assert.equal(await opener.getAttribute('aria-expanded'), 'true');
  await capture(bob.page, 'chat-reaction-picker');
  // The search box has the focus: type, move into the grid, pick with Enter.
  await bob.page.keyboard.type('rock');
  assert.equal(await picker.locator('.hearth-picker-emoji').count(), 1);
  await bob.page.keyboard.press('ArrowDown');
  assert.equal(await bob.page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'rocket');
  await bob.page.keyboard.press('Enter');
  await picker.waitFor({ state: 'detached' });
  await onBob.locator('.hearth-reaction[aria-pressed="true"]', { hasText: '🚀 1' }).waitFor();

  // Ann sees it without reloading; pressing it adds hers, pressing again takes it back.
  const onAnn = message(ann.page, 'Kickoff');
  const chip = onAnn.locator('.hearth-reaction[data-emoji="🚀"]');
  await chip.filter({ hasText: '🚀 1' }).waitFor();
  assert.equal(await chip.getAttribute('aria-pressed'), 'false');
  await chip.click();
  await onAnn.locator('.hearth-reaction[data-emoji="🚀"][aria-pressed="true"]', { hasText: '🚀 2' }).waitFor();
  await onBob.locator('.hearth-reaction[data-emoji="🚀"]', { hasText: '🚀 2' }).waitFor();
  await onAnn.locator('.hearth-reaction[data-emoji="🚀"]').click();
  await onBob.locator('.hearth-reaction[data-emoji="🚀"]', { hasText: '🚀 1' }).waitFor();
  await onAnn.locator('.hearth-reaction[data-emoji="🚀"][aria-pressed="false"]', { hasText: '🚀 1' }).waitFor();

  // Escape closes the picker and gives the focus back to its button.
  await message(ann.page, 'Kickoff').getByRole('button', { name: 'Add reaction' }).click();
  await ann.page.getByRole('dialog', { name: 'Add a reaction' }).waitFor();
  await ann.page.keyboard.press('Escape');
  await ann.page.getByRole('dialog', { name: 'Add a reaction' }).waitFor({ state: 'detached' });
  assert.equal(await ann.page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Add reaction');
});

test('task 15: a thread in the side panel; the reply count moves live on the other screen; full screen on a phone', async () => {
  await message(bob.page, 'Kickoff').getByRole('button', { name: 'Reply', exact: true }).click();
  const panel = bob.page.getByRole('region', { name: 'Thread' });
  await panel.waitFor();
  await panel.locator('.hearth-panel-root .hearth-msg', { hasText: 'Kickoff' }).locator('.hearth-msg-author', { hasText: 'Ann' }).waitFor();
  // The reply box has the focus.
  await bob.page.keyboard.type('I will bring the slides.');
  await bob.page.keyboard.press('Enter');
  await inPanel(bob.page, 'the slides').waitFor();
  assert.equal(await message(bob.page, 'the slides').count(), 0, 'a reply stays out of the channel timeline');

  // Ann's timeline shows the count live; she opens the thread from it and answers.
  const count = message(ann.page, 'Kickoff').locator('button.hearth-msg-replies');
  await count.filter({ hasText: 'Replies: 1' }).waitFor();
  await count.click();
  const annPanel = ann.page.getByRole('region', { name: 'Thread' });
  await inPanel(ann.page, 'the slides').waitFor();
  await annPanel.locator('textarea').fill('Thanks, **Bob**!');
  await annPanel.locator('textarea').press('Enter');
  await inPanel(bob.page, 'Thanks').locator('strong', { hasText: 'Bob' }).waitFor();
  await message(bob.page, 'Kickoff').locator('button.hearth-msg-replies', { hasText: 'Replies: 2' }).waitFor();
  await panel.locator('.hearth-panel-root', { hasText: 'Replies: 2' }).waitFor();
  await capture(bob.page, 'chat-thread-panel');
  // The layout at both sizes: the replies follow the root at once (no empty area between), the top
  // reply is not cut off, and the body does not overflow the panel.
  for (const size of [{ width: 1280, height: 800 }, PHONE]) {
    await bob.page.setViewportSize(size);
    await bob.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const l = await threadLayout(panel);
    const at = `${size.width}px: ${JSON.stringify(l)}`;
    assert.ok(l.gap < 48, `replies right under the root at ${at}`);
    assert.ok(l.repliesCut === 0, `the top reply not cut off at ${at}`);
    assert.ok(l.rootCut === 0, `the root's top in view at ${at}`);
    assert.ok(l.bodyOverflow <= 1, `the panel's body fits at ${at}`);
    assert.ok(l.composerInside, `the reply box inside the panel at ${at}`);
  }

  // On a phone the panel covers the screen; Back closes it and the focus returns to the timeline.
  await bob.page.setViewportSize(PHONE);
  const box = await panel.boundingBox();
  assert.ok(box.width >= PHONE.width - 1 && box.height >= PHONE.height - 1, `full screen: ${JSON.stringify(box)}`);
  await panel.getByRole('button', { name: 'Back' }).click();
  await panel.waitFor({ state: 'hidden' });
  assert.equal(await bob.page.evaluate(() => document.activeElement.textContent), 'Reply');
  await bob.page.setViewportSize({ width: 1280, height: 800 });
  await ann.page.keyboard.press('Escape');
  await annPanel.waitFor({ state: 'hidden' });
});

test('task 16: Ann mentions Bob with @ autocomplete (arrow keys, Enter); Bob gets a mention badge', async () => {
  await bob.page.click('#sidebar a:text("Members")');
  await bob.page.locator('#page .members').waitFor();
  const item = bob.page.locator(`#channels li[data-channel="${made.channel}"]`);
  await item.waitFor();
  assert.equal(await item.getAttribute('data-mentions'), '0');

  const box = ann.page.locator(COMPOSER);
  await box.click();
  await box.pressSequentially('Ready, @');
  const list = ann.page.getByRole('listbox', { name: 'People to mention' });
  await list.waitFor();
  // The channel's other members, by name: Bob and Cleo (not Ann herself).
  assert.deepEqual(await list.getByRole('option').allInnerTexts(), ['Bob', 'Cleo']);
  assert.equal(await box.getAttribute('aria-activedescendant'), await list.getByRole('option', { name: 'Bob' }).getAttribute('id'));
  await capture(ann.page, 'chat-mention-autocomplete');
  await box.press('ArrowDown');
  assert.equal(await list.locator('[aria-selected="true"]').innerText(), 'Cleo');
  await box.press('ArrowUp');
  await box.pressSequentially('b'); // narrows to Bob
  await list.getByRole('option', { name: 'Cleo' }).waitFor({ state: 'detached' });
  assert.deepEqual(await list.getByRole('option').allInnerTexts(), ['Bob']);
  await box.press('Enter'); // picks, does not send
  await list.waitFor({ state: 'hidden' });
  assert.equal(await box.inputValue(), 'Ready, @Bob ');
  await box.pressSequentially('can you review?');
  await box.press('Enter');
  await message(ann.page, 'can you review').waitFor();

  await bob.page.locator(`#channels li[data-channel="${made.channel}"][data-mentions="1"] .badge.mention`).waitFor();
  // Cleo, not mentioned, has no mention badge.
  await cleo.page.click('#sidebar a:text("Members")');
  const cleoItem = cleo.page.locator(`#channels li[data-channel="${made.channel}"]`);
  await cleoItem.waitFor();
  assert.equal(await cleoItem.getAttribute('data-mentions'), '0');
  made.mentionedBob = true;
});

test('the notification bell (docs/notifications.md): Bob\'s count rises live with Ann\'s mention; the list opens the message; reading the channel clears it; mark all read', async () => {
  assert.ok(made.mentionedBob, 'task 16 ran');
  const count = bob.page.locator('#notice-count');
  await count.waitFor();
  const before = Number(await count.innerText());
  assert.ok(before >= 1, `Bob has the mention unread (${before})`);
  assert.equal(await bob.page.locator('#notice-bell-button').getAttribute('aria-label'), `Notifications, ${before} unread`);
  // Another mention raises it live, without a reload.
  const box = ann.page.locator(COMPOSER);
  await box.click();
  await box.pressSequentially('And @Bo');
  await ann.page.getByRole('listbox', { name: 'People to mention' }).getByRole('option', { name: 'Bob' }).waitFor();
  await box.press('Enter'); // picks Bob
  await box.pressSequentially('the notes, please');
  await box.press('Enter');
  await message(ann.page, 'the notes, please').waitFor();
  await bob.page.locator('#notice-count', { hasText: String(before + 1) }).waitFor();
  await bob.page.click('#notice-bell-button');
  const item = bob.page.locator('#notice-list a.notice.unread', { hasText: 'Ann mentioned you in #' }).first();
  await item.waitFor();
  await capture(bob.page, 'notice-list');
  await item.click();
  await bob.page.waitForURL(/\/chat\/channel\?channelId=.*&message=/);
  await message(bob.page, 'the notes, please').first().waitFor();
  // Reading the channel marks its mentions read (the node follows the read marker): the bell clears.
  await count.waitFor({ state: 'hidden' });
  // Away from the channel, another mention is unread again; "Mark all read" clears it.
  await bob.page.click('#sidebar a:text("Members")');
  await bob.page.locator('#page .members').waitFor();
  await box.click();
  await box.pressSequentially('Last one, @Bo');
  await ann.page.getByRole('listbox', { name: 'People to mention' }).getByRole('option', { name: 'Bob' }).waitFor();
  await box.press('Enter');
  await box.pressSequentially('thanks');
  await box.press('Enter');
  await message(ann.page, 'Last one').waitFor();
  await bob.page.locator('#notice-count', { hasText: '1' }).waitFor();
  await bob.page.click('#notice-bell-button');
  await bob.page.locator('#notice-list a.notice.unread').first().waitFor();
  await bob.page.click('#notice-all-read');
  await count.waitFor({ state: 'hidden' });
  assert.equal(await bob.page.locator('#notice-list a.notice.unread').count(), 0);
  await bob.page.keyboard.press('Escape');
});

test('task 17: Ann pins a message; Bob sees it pinned and in the pins list, which follows a new pin live', async () => {
  await openChannel(bob);
  // The mention is marked in the message as Bob reads it.
  await message(bob.page, 'can you review').locator('.hearth-mention', { hasText: '@Bob' }).waitFor();
  await message(ann.page, 'Kickoff').getByRole('button', { name: 'Pin', exact: true }).click();
  await message(bob.page, 'Kickoff').locator('.hearth-msg-pinned').waitFor();
  await message(ann.page, 'Kickoff').getByRole('button', { name: 'Unpin' }).waitFor();

  const open = bob.page.getByRole('button', { name: /Pinned messages/ });
  await open.click();
  const panel = bob.page.getByRole('region', { name: 'Pinned messages' });
  await panel.locator('.hearth-msg', { hasText: 'Kickoff' }).waitFor();
  assert.equal(await panel.locator('.hearth-msg').count(), 1);
  assert.equal(await panel.locator('.hearth-msg-author').innerText(), 'Ann');
  // Ann pins another one while Bob's list is open: it joins the list.
  await message(ann.page, 'can you review').getByRole('button', { name: 'Pin', exact: true }).click();
  await panel.locator('.hearth-msg', { hasText: 'can you review' }).waitFor();
  assert.equal(await panel.locator('.hearth-msg').count(), 2);
  await capture(bob.page, 'chat-pins');
  // Unpinned from the list itself, it leaves it.
  await panel.locator('.hearth-msg', { hasText: 'can you review' }).getByRole('button', { name: 'Unpin' }).click();
  await panel.locator('.hearth-msg', { hasText: 'can you review' }).waitFor({ state: 'detached' });
  made.pinned = 'Kickoff';
});

test('bots (docs/bots.md): a Slack payload to an incoming webhook shows live to Bob as a bot\'s message with a card', async () => {
  const bot = await api(ann, 'POST', `/v1/projects/${made.project}/bots`, { displayName: 'Build bot' });
  const { path } = await api(ann, 'POST', `/v1/projects/${made.project}/incoming-hooks`, { channelId: made.channel, botId: bot.id });
  await openChannel(bob);
  const r = await fetch(`${URL}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'CI', text: 'Nightly build', attachments: [{ fallback: 'Build 42 failed', color: 'danger',
      title: 'Build 42', title_link: 'https://ci.example.com/42', text: '2 tests failed',
      fields: [{ title: 'Branch', value: 'main', short: true }, { title: 'Took', value: '4 min', short: true }], footer: 'ci.example.com' }] }) });
  const hookAnswer = await r.text();
  assert.equal(r.status, 200, hookAnswer);
  const posted = message(bob.page, 'Nightly build');
  await posted.locator('.hearth-msg-card').waitFor();
  assert.equal(await posted.locator('.hearth-msg-bot').innerText().then((s) => s.toLowerCase()), 'bot');
  assert.match(await posted.locator('.hearth-msg-card').innerText(), /Build 42[\s\S]*2 tests failed[\s\S]*Branch[\s\S]*main/);
  await capture(bob.page, 'chat-bot-card', { show: '.hearth-chat-main .hearth-msg-card' });
  made.botCard = true;
});

test('slash commands (docs/bots.md): Bob types /lunch and the bot\'s card shows live to Ann; /whoami answers Bob alone', async () => {
  // The integration's endpoint, as its author would run it: answers signed calls from the node.
  const calls = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const call = JSON.parse(body);
      calls.push({ path: req.url, call, signature: req.headers['hearth-signature'] });
      const answer = req.url === '/lunch'
        ? { response_type: 'in_channel', text: `Lunch poll: ${call.text}`, card: { type: 'AdaptiveCard', version: '1.5',
          body: [{ type: 'TextBlock', text: 'Where shall we eat?', weight: 'bolder', wrap: true },
            { type: 'FactSet', facts: [{ title: 'Asked by', value: call.userName }, { title: 'Options', value: call.text }] }] } }
        : { text: `You are **${call.userName}**.` };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const bot = await api(ann, 'POST', `/v1/projects/${made.project}/bots`, { displayName: 'Lunch bot' });
    for (const name of ['lunch', 'whoami']) {
      await api(ann, 'POST', `/v1/projects/${made.project}/slash-commands`, { name, url: `${base}/${name}`, botId: bot.id });
    }
    await openChannel(bob);
    await bob.page.reload(); // a fresh page: the pins panel of an earlier step closed
    await bob.page.locator('.hearth-chat-main .hearth-timeline-note[data-status="start"]').waitFor();
    await openChannel(ann);
    const box = bob.page.locator(COMPOSER);
    await box.fill('/lunch pizza or sushi');
    await box.press('Enter');
    const posted = message(ann.page, 'Lunch poll: pizza or sushi');
    await posted.locator('.hearth-msg-card').waitFor();
    assert.match(await posted.locator('.hearth-msg-card').innerText(), /Where shall we eat\?[\s\S]*Bob[\s\S]*pizza or sushi/);
    assert.equal(await posted.locator('.hearth-msg-bot').innerText().then((s) => s.toLowerCase()), 'bot');
    // The bot joined after Ann's page read the names: the page reads them again and names it.
    await posted.locator('.hearth-msg-author', { hasText: 'Lunch bot' }).waitFor();
    await message(bob.page, 'Lunch poll: pizza or sushi').waitFor();
    assert.equal(await box.inputValue(), '', 'the box is cleared once the command ran');

    await box.fill('/whoami');
    await box.press('Enter');
    const mine = bob.page.locator('#page .hearth-command-answer');
    await mine.getByText('You are').waitFor();
    assert.match(await mine.innerText(), /Only you can see this answer\.[\s\S]*You are Bob\./);
    await capture(bob.page, 'chat-command-answer', { show: '#page .hearth-command-answer' });
    assert.equal(await message(ann.page, 'You are').count(), 0, 'an answer for Bob alone is not posted');

    // A command the project does not have: the node's words by the box, what was typed kept.
    await box.fill('/nosuch thing');
    await box.press('Enter');
    await bob.page.locator('#page .hearth-composer .hearth-field-error').getByText('no command /nosuch').waitFor();
    assert.equal(await box.inputValue(), '/nosuch thing');
    await box.fill('');
    assert.deepEqual(calls.map((c) => c.path), ['/lunch', '/whoami']);
    assert.ok(calls.every((c) => /^t=\d+,v1=[0-9a-f]{64}$/.test(c.signature)), 'every call is signed');
    made.command = true;
  } finally {
    server.close();
  }
});
