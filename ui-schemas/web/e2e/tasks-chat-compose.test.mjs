// Tasks 18–21 of WEB-CLIENT.md through the UI (WebTasksIT). Set-up over the API (tasks-kit): Ann
// signs up and makes an org, a project, an invite and a channel; Bob signs up with the invite and
// joins the channel; both are signed in without the form. Then, in the browser: Bob scrolls up
// through 120 older messages and the message on screen does not move when older ones come in above
// it (18); Bob sees "Ann is typing…" and Ann's presence in the channel's member list, live as she
// picks "Do not disturb", and Ann sees Bob go idle after inactivity (19); Bob searches an old
// message and the result opens the channel scrolled to it, highlighted (20); Ann attaches files by
// the button, by drag and drop and by pasting an image; Bob sees the image's preview and downloads
// the files, byte for byte (21). Every new panel is captured at both sizes and themes, with axe.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import {
  api, capture, channelTeamOverApi, launch, person, shellPage, SHOTS, URL,
} from './tasks-kit.mjs';

const SCRIPT = 'chat-compose';
const HISTORY = 120;
let browser;
let ann, bob;
const made = {};

before(async () => {
  browser = await launch();
  ann = await person(browser, SCRIPT, 'Ann');
  bob = await person(browser, SCRIPT, 'Bob');
  // Bob goes idle after 3 s without input (5 minutes in real use), so task 19 can watch it happen.
  await bob.context.addInitScript(() => localStorage.setItem('hearth.idleAfterMs', '3000'));
});

after(async () => {
  writeFileSync(`${SHOTS}/../tasks-chat-compose.json`, JSON.stringify(made, null, 2));
  await browser?.close();
});

const timeline = (page) => page.locator('#page .hearth-timeline');
const composer = (page) => page.locator('#page form.hearth-composer');

/** Sends what is in Ann's composer (text and attachments) and waits until the box is empty. */
async function send(page, text) {
  await composer(page).locator('textarea').fill(text);
  await composer(page).getByRole('button', { name: 'Send' }).click();
  await timeline(page).locator('.hearth-msg', { hasText: text }).waitFor();
  assert.equal(await composer(page).locator('textarea').inputValue(), '');
}

test('setup over the API: Ann signs up and makes an org, a project, an invite and a channel; Bob joins both', async () => {
  Object.assign(made, await channelTeamOverApi(ann, [bob], 'Compose Co', 'Compose', 'compose'));
  // Both on the channel's page.
  await Promise.all([ann, bob].map(async ({ page }) => {
    await page.goto(`${URL}/#/p/${made.project}/chat/channel?channelId=${made.channel}`);
    await timeline(page).waitFor();
  }));
});

test('task 18: scrolling up loads older history and the message on screen stays where it was', async () => {
  // Test setup, not the task: 120 messages of history posted through the API (posting them through
  // the UI would take minutes). The scrolling below is the UI's.
  const pad = (n) => String(n).padStart(3, '0');
  for (let n = 1; n <= HISTORY; n++) {
    await api(ann, 'POST', `/v1/projects/${made.project}/chat/channels/${made.channel}/messages`, { text: `Old message ${pad(n)}, token t${pad(n)}` });
  }
  const { page } = bob;
  // Older pages wait for the test's say-so: the view is measured with the request out, then again after.
  let release;
  const held = [];
  await page.route('**/v1/rpc/hearth.chat.v1.ChatService/ListMessages', async (route) => {
    if (!JSON.parse(route.request().postData() ?? '{}').before) return route.continue();
    held.push(route.request());
    await new Promise((r) => { release = r; });
    await route.continue();
  });
  await page.reload();
  const log = timeline(page);
  await log.locator('.hearth-msg', { hasText: `t${pad(HISTORY)}` }).waitFor();
  assert.equal(await log.locator('.hearth-msg').count(), 50, 'the newest page first');
  // The newest message is in view: the log starts at the bottom.
  await inView(page, `t${pad(HISTORY)}`);

  for (const [loaded, total] of [[50, 100], [100, HISTORY]]) {
    const oldest = log.locator('.hearth-msg').first();
    const oldestText = await oldest.locator('.hearth-msg-text').innerText();
    await log.hover();
    await page.mouse.wheel(0, -40_000); // to the top: the older page is asked for
    await page.waitForFunction(() => document.querySelector('#page .hearth-timeline').scrollTop < 150);
    await waitUntil(() => held.length > 0 && release, 'an older page asked for');
    await page.waitForTimeout(100); // scrolling settles
    const before = await topOf(log, oldestText);
    release();
    release = undefined;
    held.length = 0;
    await page.waitForFunction((n) => document.querySelectorAll('#page .hearth-timeline .hearth-msg').length === n, total);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const afterLoad = await topOf(log, oldestText);
    assert.ok(Math.abs(afterLoad - before) <= 1, `the first message on screen moved from ${before} to ${afterLoad} px when ${total - loaded} older came in`);
    assert.ok(await log.evaluate((e) => e.scrollTop) > 500, 'the older messages are above, out of view');
  }
  await page.unroute('**/v1/rpc/hearth.chat.v1.ChatService/ListMessages');
  await log.hover();
  await page.mouse.wheel(0, -40_000);
  await log.locator('.hearth-timeline-note', { hasText: 'beginning of the conversation' }).waitFor();
  await inView(page, 't001');
  await capture(page, 'chat-history-start');
});

test('task 19: who is typing, and presence in the member list (online → do not disturb, idle)', async () => {
  const members = bob.page.locator('#page details.hearth-members');
  await members.locator('summary').click();
  const annRow = members.locator('.hearth-member', { hasText: 'Ann' });
  await annRow.and(bob.page.locator('[data-status="ONLINE"]')).waitFor();
  assert.equal(await members.locator('.hearth-member').count(), 2);
  await members.locator('.hearth-member', { hasText: 'Bob (you)' }).waitFor();

  // Ann types: Bob's screen says so under the timeline; her message ends it.
  await composer(ann.page).locator('textarea').click();
  await ann.page.keyboard.type('Thinking about it');
  const typing = bob.page.locator('#page .hearth-typing');
  await typing.filter({ hasText: 'Ann is typing…' }).waitFor();
  await capture(bob.page, 'chat-typing-members');
  await ann.page.keyboard.press('Enter');
  await timeline(bob.page).locator('.hearth-msg', { hasText: 'Thinking about it' }).waitFor();
  await bob.page.waitForFunction(() => document.querySelector('#page .hearth-typing').textContent === '');

  // Ann picks "Do not disturb" in her user menu: Bob's list shows it live.
  await ann.page.click('#user-menu summary');
  await ann.page.selectOption('#presence', 'DND');
  await capture(ann.page, 'user-menu-status');
  await ann.page.keyboard.press('Escape');
  await annRow.and(bob.page.locator('[data-status="DND"]')).getByText('Do not disturb').waitFor();
  const read = await api(bob, 'GET', `/v1/projects/${made.project}/chat/presence?userIds=${await annRow.getAttribute('data-user')}`);
  assert.equal(read.users[0].status, 'DND');

  // Bob leaves the mouse alone: Ann's list (opened now) shows him idle, then online again when he is back.
  await ann.page.locator('#page details.hearth-members summary').click();
  const bobRow = ann.page.locator('#page .hearth-member', { hasText: 'Bob' });
  await bobRow.and(ann.page.locator('[data-status="IDLE"]')).waitFor({ timeout: 15_000 });
  await bob.page.mouse.move(10, 10);
  await bob.page.mouse.move(200, 200);
  await bobRow.and(ann.page.locator('[data-status="ONLINE"]')).waitFor();
  await ann.page.click('#user-menu summary');
  await ann.page.selectOption('#presence', 'auto');
  await ann.page.keyboard.press('Escape');
  await annRow.and(bob.page.locator('[data-status="ONLINE"]')).waitFor();
});

test('task 20: search from the bar; a result opens its channel scrolled to the message, highlighted', async () => {
  const { page } = bob;
  await page.click('#sidebar a:text("Members")'); // elsewhere: the result must bring him back
  await shellPage(page, '.members');
  await page.fill('#search-input', 't007');
  await page.press('#search-input', 'Enter');
  const results = page.locator('#search-results');
  await results.locator('.search-title', { hasText: 'Messages with “t007”: 1' }).waitFor();
  const result = results.locator('.search-result');
  assert.equal(await result.count(), 1);
  await result.locator('mark', { hasText: 't007' }).waitFor();
  await result.getByText('#compose').waitFor();
  await capture(page, 'chat-search-results');
  await result.click();
  await page.waitForFunction(() => location.hash.includes('/chat/channel?') && location.hash.includes('message='));
  const focused = timeline(page).locator('.hearth-msg.hearth-msg-focus');
  await focused.waitFor();
  assert.match(await focused.innerText(), /t007/);
  assert.equal(await timeline(page).locator('.hearth-msg-focus').count(), 1);
  await inView(page, 't007');
  await results.waitFor({ state: 'hidden' });
  await capture(page, 'chat-search-jump');

  // Nothing found is said so.
  await page.fill('#search-input', 'zzqqxx');
  await page.press('#search-input', 'Enter');
  await results.getByText('No messages with “zzqqxx”').waitFor();
  await page.keyboard.press('Escape');
  await results.waitFor({ state: 'hidden' });
});

test('task 21: attach by button, drop and paste; Bob sees the image preview and downloads the same bytes', async () => {
  const { page } = ann;
  await page.goto(`${URL}/#/p/${made.project}/chat/channel?channelId=${made.channel}`);
  await timeline(page).waitFor();
  await bob.page.goto(`${URL}/#/p/${made.project}/chat/channel?channelId=${made.channel}`);
  await timeline(bob.page).waitFor();
  const notes = Buffer.from(`Meeting notes\n${'line of notes\n'.repeat(200)}`);
  const image = png(24, 16, [200, 60, 30]);
  const dropped = png(8, 8, [20, 120, 220]);

  // By the button (the file input behind the "Attach" label).
  await composer(page).locator('input[type=file]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: notes });
  const chip = composer(page).locator('.hearth-attach-item', { hasText: 'notes.txt' });
  await chip.and(page.locator('[data-state="ready"]')).waitFor();
  await capture(page, 'chat-attach-pending', { show: '#page .hearth-attach-list' });
  await send(page, 'Here are the notes');
  assert.equal(await composer(page).locator('.hearth-attach-item').count(), 0, 'the tray is empty after sending');

  // By drag and drop onto the composer.
  const transfer = await page.evaluateHandle(({ bytes }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], 'dropped.png', { type: 'image/png' }));
    return dt;
  }, { bytes: [...dropped] });
  await composer(page).dispatchEvent('dragover', { dataTransfer: transfer });
  await composer(page).dispatchEvent('drop', { dataTransfer: transfer });
  await composer(page).locator('.hearth-attach-item[data-state="ready"]', { hasText: 'dropped.png' }).waitFor();
  await send(page, 'Dropped a picture');

  // By pasting an image into the text box.
  await composer(page).locator('textarea').evaluate((area, bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], 'image.png', { type: 'image/png' }));
    area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, [...image]);
  await composer(page).locator('.hearth-attach-item[data-state="ready"]', { hasText: /^pasted-.*\.png/ }).waitFor();
  await send(page, 'Pasted a screenshot');

  // Bob: the text file as a download, the images as previews that really decoded.
  const bobLog = timeline(bob.page);
  const notesMsg = bobLog.locator('.hearth-msg', { hasText: 'Here are the notes' });
  const download = notesMsg.getByRole('button', { name: /^Download notes\.txt/ });
  await download.waitFor();
  const [file] = await Promise.all([bob.page.waitForEvent('download'), download.click()]);
  assert.equal(file.suggestedFilename(), 'notes.txt');
  assert.ok(Buffer.from(await streamBytes(file)).equals(notes), 'the downloaded text file has the uploaded bytes');

  for (const [text, bytes, width] of [['Pasted a screenshot', image, 24], ['Dropped a picture', dropped, 8]]) {
    const msg = bobLog.locator('.hearth-msg', { hasText: text });
    const thumb = msg.locator('img.hearth-attachment-thumb');
    await thumb.waitFor();
    await bob.page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await thumb.elementHandle());
    assert.equal(await thumb.evaluate((img) => img.naturalWidth), width);
    const [got] = await Promise.all([bob.page.waitForEvent('download'), msg.locator('.hearth-attachment-download').click()]);
    assert.ok(Buffer.from(await streamBytes(got)).equals(bytes), `the ${text} image downloads with its bytes`);
  }
  await capture(bob.page, 'chat-attachments', {
    show: '#page .hearth-msg:last-child .hearth-attachment-download' });

  // Read back: the node holds the message with one attachment, a file of the project.
  const page1 = await api(bob, 'GET', `/v1/projects/${made.project}/chat/channels/${made.channel}/messages?limit=5`);
  const posted = page1.messages.find((m) => m.text === 'Here are the notes');
  assert.equal(posted.attachmentFileIds.length, 1);
  const entry = await api(bob, 'GET', `/v1/projects/${made.project}/files/${posted.attachmentFileIds[0]}`);
  assert.equal(entry.name, 'notes.txt');
  assert.equal(Number(entry.size), notes.length);
  made.attachment = entry.id;
});

/** The top of the message with `text` relative to the timeline's box, in px. */
function topOf(log, text) {
  return log.evaluate((box, t) => {
    const m = [...box.querySelectorAll('.hearth-msg')].find((n) => n.querySelector('.hearth-msg-text')?.textContent === t);
    return m.getBoundingClientRect().top - box.getBoundingClientRect().top;
  }, text);
}

/** Waits until the message whose text ends with `token` is wholly inside the timeline's box (scrolling may still run). */
async function inView(page, token) {
  await page.waitForFunction((t) => {
    const box = document.querySelector('#page .hearth-timeline');
    const m = [...box.querySelectorAll('.hearth-msg')].find((n) => n.querySelector('.hearth-msg-text')?.textContent.endsWith(t));
    if (!m) return false;
    const [b, r] = [box.getBoundingClientRect(), m.getBoundingClientRect()];
    return r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
  }, token);
}

async function waitUntil(check, what, ms = 10_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function streamBytes(download) {
  const chunks = [];
  for await (const c of await download.createReadStream()) chunks.push(c);
  return Buffer.concat(chunks);
}

/** A solid-colour RGB PNG of width × height. */
function png(width, height, [r, g, b]) {
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(buf) {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
