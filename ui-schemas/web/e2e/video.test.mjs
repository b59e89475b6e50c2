// Browser test of the video room (started by web-e2e's VideoInBrowser, which creates the project,
// its two members, an outsider in another project and a room): Ann and Bob open the room page in
// headless Chromium with a fake camera and microphone; the room card's Hearth.VideoTiles element
// joins, and each reaches an ICE-connected peer
// connection to the other through Hearth's signaling (localhost host candidates, no STUN); Ann, a
// moderator, mutes Bob on the card and Bob's microphone track goes off; Bob shares his screen and
// Ann sees it in his tile; Eve, of another project,
// is refused the room and cannot subscribe to its signal topics; Bob leaves and his tile goes from
// Ann's page. A room opened from the lobby card shows in the other's lobby live, and two members
// entering it at the same moment still connect.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { env, launch, signedIn } from './shell.mjs';
import { capture } from './tasks-kit.mjs';

const URL = env('HEARTH_URL');
const PROJECT = env('HEARTH_PROJECT');
const ROOM = env('HEARTH_ROOM');
const ANN_ID = env('HEARTH_ANN_ID');
const ANN = { email: env('HEARTH_ANN_EMAIL'), password: env('HEARTH_ANN_PASSWORD') };
const BOB = { email: env('HEARTH_BOB_EMAIL'), password: env('HEARTH_BOB_PASSWORD') };
const EVE = { email: env('HEARTH_EVE_EMAIL'), password: env('HEARTH_EVE_PASSWORD') };
const ROOM_PAGE = `${URL}/#/p/${PROJECT}/video/room?roomId=${ROOM}`;
const CONNECTED = '.video-tile:not(.self)[data-ice=connected], .video-tile:not(.self)[data-ice=completed]';

let browser;

before(async () => {
  browser = await launch(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
});

after(async () => {
  await browser?.close();
});

/** Milliseconds from opening the room page to the first peer connection being ICE-connected. */
function joinToConnected(page) {
  return page.evaluate(() => {
    const open = performance.getEntriesByName('hearth:video-open').at(-1);
    const done = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('hearth:video-connected:')).at(-1);
    return Math.round(done.startTime - open.startTime);
  });
}

test('two members reach an ICE-connected peer connection through Hearth; a mute on the card reaches the microphone; a screen share shows in the tile', async () => {
  const ann = await signedIn(browser, ANN, ROOM_PAGE, { height: 900 });
  const bob = await signedIn(browser, BOB, ROOM_PAGE, { height: 900 });
  try {
    await ann.page.waitForSelector(CONNECTED, { timeout: 20_000 });
    await bob.page.waitForSelector(CONNECTED, { timeout: 20_000 });
    console.log(`TIMING video-join-to-ice-connected-ms=${await joinToConnected(bob.page)}`);
    // Media flows: the remote video element plays the other's fake camera.
    await ann.page.waitForFunction(() => {
      const v = document.querySelector('.video-tile:not(.self) video');
      return v && v.videoWidth > 0 && !v.paused;
    });
    // Both are listed on the card by name, with their microphones on; the tiles carry the names too.
    const annCard = ann.page.locator('#page .ac-adaptiveCard').first();
    await annCard.locator('.ac-textBlock', { hasText: /^bob$/ }).waitFor();
    await annCard.getByText('mic on').nth(1).waitFor();
    assert.equal(await ann.page.locator('.video-tile:not(.self) figcaption').textContent(), 'bob');
    // The tiles are the card's own Hearth.VideoTiles element, not something the shell puts beside it.
    assert.equal(await ann.page.locator('#page .ac-adaptiveCard .hearth-video-tiles .video-tile').count(), 2);

    // Ann moderates the room (project admin): her Mute reaches Bob's card and his microphone track.
    await annCard.getByText('Mute', { exact: true }).click();
    const bobCard = bob.page.locator('#page .ac-adaptiveCard').first();
    await bobCard.getByText('muted by a moderator', { exact: false }).waitFor();
    await bob.page.waitForFunction(() => {
      const self = document.querySelector('.video-tile.self video');
      const track = self?.srcObject?.getAudioTracks()[0];
      return track && track.enabled === false;
    });

    // Bob shares his screen (the fake screen is 16:9, the fake camera 4:3): Ann's tile of him
    // switches to it without a new connection, and her card says so; then he stops.
    const aspect = () => ann.page.evaluate(() => {
      const v = document.querySelector('.video-tile:not(.self) video');
      return v.videoHeight ? v.videoWidth / v.videoHeight : 0;
    });
    await bobCard.getByRole('button', { name: 'Share screen' }).click();
    await annCard.getByText('sharing the screen', { exact: false }).waitFor();
    await ann.page.waitForFunction(() => {
      const v = document.querySelector('.video-tile:not(.self) video');
      return v.videoHeight && v.videoWidth / v.videoHeight > 1.6;
    });
    console.log(`screen share: Ann sees Bob at aspect ${(await aspect()).toFixed(2)}`);
    await bobCard.getByRole('button', { name: 'Stop sharing' }).click();
    await ann.page.waitForFunction(() => {
      const v = document.querySelector('.video-tile:not(.self) video');
      return v.videoHeight && v.videoWidth / v.videoHeight < 1.4;
    });
    assert.equal(await ann.page.locator(CONNECTED).count(), 1, 'still the same connection');
    // Both tiles, after the moderation and the share (a capture resizes the page: not in the middle of them).
    await capture(ann.page, 'video-two-tiles');

    // Bob leaves through the card: his tile goes from Ann's page, and the connection with it.
    await bobCard.getByText('Leave', { exact: true }).click();
    await bob.page.waitForSelector('#page[data-page="video/lobby"][data-rendered] .ac-adaptiveCard');
    await ann.page.waitForSelector('.video-tile:not(.self)', { state: 'detached' });
  } finally {
    await ann.context.close();
    await bob.context.close();
  }
});

test('a room opened from the lobby card shows in the other lobby live; both entering at once still connect', async () => {
  const lobby = `${URL}/#/p/${PROJECT}/video/lobby`;
  const ann = await signedIn(browser, ANN, lobby);
  const bob = await signedIn(browser, BOB, lobby);
  try {
    const annCard = ann.page.locator('#page .ac-adaptiveCard').first();
    const bobCard = bob.page.locator('#page .ac-adaptiveCard').first();
    await annCard.getByPlaceholder('Room name').fill('Retro');
    await annCard.getByRole('button', { name: 'Open a room' }).click();
    await bobCard.getByText('Retro', { exact: true }).waitFor();
    // The same moment: neither may be listening yet when the other's offer goes out; retries cover it.
    await Promise.all([annCard.getByRole('button', { name: 'Join Retro' }).click(), bobCard.getByRole('button', { name: 'Join Retro' }).click()]);
    await ann.page.waitForSelector(CONNECTED, { timeout: 30_000 });
    await bob.page.waitForSelector(CONNECTED, { timeout: 30_000 });
    assert.match(ann.page.url(), /video\/room\?roomId=/);
  } finally {
    await ann.context.close();
    await bob.context.close();
  }
});

test('a user of another project is refused the room and its signal topics', async () => {
  const eve = await signedIn(browser, EVE, `${URL}/`);
  try {
    await eve.page.goto(ROOM_PAGE);
    // The page's GetRoom is refused: the card says so, and no Hearth.VideoTiles joins anything.
    const refusal = eve.page.locator('#page .ac-adaptiveCard').getByText(/^PERMISSION_DENIED: /);
    await refusal.waitFor();
    assert.equal(await eve.page.locator('.video-tile').count(), 0);
    assert.equal(await eve.page.locator('.hearth-video-tiles').count(), 0);
    // Straight at the API, with her own token: no join, no signal, no subscription to the room's topics.
    const answers = await eve.page.evaluate(async ({ email, password, project, room, annId }) => {
      const login = await (await fetch('/v1/auth/log-in', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password }) })).json();
      const post = async (path, body) => (await fetch(path, { method: 'POST', body: JSON.stringify(body),
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${login.accessToken}` } })).json();
      const base = `/v1/projects/${project}/video/rooms/${room}`;
      const join = await post(`${base}/join`, {});
      const signal = await post(`${base}/signal`, { toUserId: annId, kind: 'OFFER', payload: '{}' });
      const topics = [`video/signal/${room}/${annId}`, `video/signal/${room}/${login.userId}`, `video/room/${room}`];
      const ws = new WebSocket(`ws://${location.host}/v1/realtime`);
      const frames = [];
      await new Promise((resolve, reject) => {
        ws.onerror = reject;
        ws.onmessage = (m) => {
          const f = JSON.parse(m.data);
          frames.push(f);
          if (f.type === 'authenticated') topics.forEach((topic, i) => ws.send(JSON.stringify({ type: 'subscribe', topic, id: `s${i}` })));
          if (frames.filter((x) => x.id?.startsWith('s')).length === topics.length) resolve();
        };
        ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token: login.accessToken, id: 'a' }));
      });
      ws.close();
      return { join: join.code, signal: signal.code, subscribes: frames.filter((f) => f.id?.startsWith('s')).map((f) => f.code ?? f.type) };
    }, { ...EVE, project: PROJECT, room: ROOM, annId: ANN_ID });
    assert.equal(answers.join, 'PERMISSION_DENIED');
    assert.equal(answers.signal, 'PERMISSION_DENIED');
    assert.equal(answers.subscribes.length, 3);
    for (const code of answers.subscribes) assert.ok(['NOT_FOUND', 'PERMISSION_DENIED'].includes(code), `subscribe answered ${code}`);
  } finally {
    await eve.context.close();
  }
});
