// Task 23 of WEB-CLIENT.md through the UI (WebTasksIT). Set-up over the API (tasks-kit): Ann signs
// up, makes an org, a project, #general and an invite; Bob signs up with it and joins #general;
// both are signed in without the form. Then, in the browser alone: Ann opens a room from the video
// lobby, Bob sees it arrive in his lobby live and both go in: the room card's Hearth.VideoTiles
// connects them (fake camera and microphone, headless Chromium). Ann mutes herself and turns her
// camera off, and Bob's tile of her says so; Bob shares his screen (the fake screen is 16:9, the
// fake camera 4:3) and Ann sees it in his tile. Then each presses "Start call" on the #general
// channel: both land in the same room, the channel's, and connect. The live lobby, the room with
// two tiles and the channel page with its button are captured at 1280×800 and 390×844, light and
// dark, with axe. The IT reads the rooms back from the node.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import {
  capture, cardPage, channelTeamOverApi, launch, openProject, person, SHOTS, URL,
} from './tasks-kit.mjs';

const SCRIPT = 'video';
/** A tile of the other participant whose connection is up. */
const CONNECTED = '.video-tile:not(.self)[data-ice=connected], .video-tile:not(.self)[data-ice=completed]';
let browser;
let ann, bob;
const made = {}; // what the IT reads back

before(async () => {
  browser = await launch(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
  ann = await person(browser, SCRIPT, 'Ann');
  bob = await person(browser, SCRIPT, 'Bob');
});

after(async () => {
  writeFileSync(`${SHOTS}/../tasks-video.json`, JSON.stringify(made, null, 2));
  await browser?.close();
});

/** The width/height of the other participant's video as this page receives it (0 before any frame). */
function remoteAspect(page) {
  return page.evaluate(() => {
    const v = document.querySelector('.video-tile:not(.self) video');
    return v && v.videoHeight ? v.videoWidth / v.videoHeight : 0;
  });
}

test('setup over the API: Ann makes an org, a project, #general and an invite; Bob signs up with it and joins #general', async () => {
  const { project, channel } = await channelTeamOverApi(ann, [bob], 'Studio', 'Calls', 'general');
  made.project = project;
  made.general = channel;
  await Promise.all([openProject(ann, made.project), openProject(bob, made.project)]);
});

test('task 23 from the lobby: Ann opens a room, Bob sees it live, both go in and see each other; mute, camera off, share the screen', async () => {
  await ann.page.click('#sidebar a:text("Video rooms")');
  await cardPage(ann.page);
  await ann.page.getByText('No rooms are open.').waitFor();
  await bob.page.click('#sidebar a:text("Video rooms")');
  await cardPage(bob.page);

  const annCard = ann.page.locator('#page .ac-adaptiveCard').first();
  const bobCard = bob.page.locator('#page .ac-adaptiveCard').first();
  // An empty name is the node's refusal, shown on the card.
  await annCard.getByRole('button', { name: 'Open a room' }).click();
  await annCard.getByText(/INVALID_ARGUMENT.*name/).waitFor();
  await annCard.getByLabel('New room').fill('Standup');
  await annCard.getByRole('button', { name: 'Open a room' }).click();
  await bobCard.getByText('Standup', { exact: true }).waitFor(); // live: Bob did nothing
  await capture(bob.page, 'video-lobby');

  await annCard.getByRole('button', { name: 'Join Standup' }).click();
  await ann.page.waitForFunction(() => location.hash.includes('/video/room?roomId='));
  made.lobbyRoom = new URLSearchParams(ann.page.url().split('?')[1]).get('roomId');
  await ann.page.locator('.video-tile.self').waitFor();
  await bobCard.getByRole('button', { name: 'Join Standup' }).click();
  await ann.page.waitForSelector(CONNECTED, { timeout: 20_000 });
  await bob.page.waitForSelector(CONNECTED, { timeout: 20_000 });
  // Two tiles each, inside the room's card: one's own and the other's, named, with video playing.
  for (const [who, other] of [[ann, 'Bob'], [bob, 'Ann']]) {
    const tiles = who.page.locator('#page .ac-adaptiveCard .hearth-video-tiles .video-tile');
    assert.equal(await tiles.count(), 2);
    await who.page.locator('.video-tile:not(.self) figcaption', { hasText: other }).waitFor();
    await who.page.waitForFunction(() => {
      const v = document.querySelector('.video-tile:not(.self) video');
      return v && v.videoWidth > 0 && !v.paused;
    });
  }
  await capture(bob.page, 'video-room');

  // Ann mutes herself and turns her camera off: her tracks stop, and Bob's tile and card of her say so.
  await annCard.getByRole('button', { name: 'Mute me' }).click();
  await bob.page.locator('.video-tile:not(.self)[data-audio=false]').waitFor();
  await annCard.getByRole('button', { name: 'Unmute' }).waitFor(); // her card has settled after the change
  await annCard.getByRole('button', { name: 'Camera off' }).click();
  await bob.page.locator('.video-tile:not(.self)[data-video=false]').waitFor();
  await annCard.getByRole('button', { name: 'Camera on' }).waitFor();
  await bobCard.getByText('muted · camera off').waitFor();
  assert.deepEqual(await ann.page.evaluate(() => {
    const s = document.querySelector('.video-tile.self video').srcObject;
    return [s.getAudioTracks()[0].enabled, s.getVideoTracks()[0].enabled];
  }), [false, false]);
  assert.equal(await bob.page.locator(CONNECTED).count(), 1, 'still connected');

  // Bob shares his screen: Ann's tile of him switches from the 4:3 camera to the 16:9 screen.
  await bobCard.getByRole('button', { name: 'Share screen' }).click();
  await annCard.getByText('sharing the screen', { exact: false }).waitFor();
  await bobCard.getByRole('button', { name: 'Stop sharing' }).waitFor();
  await ann.page.waitForFunction(() => {
    const v = document.querySelector('.video-tile:not(.self) video');
    return v && v.videoHeight && v.videoWidth / v.videoHeight > 1.6;
  });
  console.log(`task 23: Ann sees Bob's shared screen at aspect ${(await remoteAspect(ann.page)).toFixed(2)}`);
  await bobCard.getByRole('button', { name: 'Stop sharing' }).click();
  await ann.page.waitForFunction(() => {
    const v = document.querySelector('.video-tile:not(.self) video');
    return v && v.videoHeight && v.videoWidth / v.videoHeight < 1.4;
  });

  // Leaving: Bob's tile goes from Ann's page.
  await bobCard.getByText('Leave', { exact: true }).click();
  await bob.page.waitForSelector('#page[data-page="video/lobby"][data-rendered] .ac-adaptiveCard');
  await ann.page.waitForSelector('.video-tile:not(.self)', { state: 'detached' });
  await annCard.getByText('Leave', { exact: true }).click();
  await ann.page.waitForSelector('#page[data-page="video/lobby"][data-rendered] .ac-adaptiveCard');
});

test('task 23 from a channel: "Start call" on #general takes Ann, then Bob, into the same room, the channel\'s', async () => {
  for (const who of [ann, bob]) {
    await who.page.goto(`${URL}/#/p/${made.project}/chat/channel?channelId=${made.general}`);
    await who.page.waitForSelector('#page[data-page="chat/channel"][data-rendered] .ac-adaptiveCard');
  }
  await capture(ann.page, 'channel-start-call', { show: '#page .ac-adaptiveCard' });
  await ann.page.locator('#page .ac-adaptiveCard').getByRole('button', { name: 'Start call' }).click();
  await ann.page.waitForFunction(() => location.hash.includes('/video/room?roomId='));
  made.channelRoom = new URLSearchParams(ann.page.url().split('?')[1]).get('roomId');
  assert.notEqual(made.channelRoom, made.lobbyRoom);
  await ann.page.locator('#page .ac-adaptiveCard').getByText('# general', { exact: true }).waitFor();
  await ann.page.locator('.video-tile.self').waitFor();

  await bob.page.locator('#page .ac-adaptiveCard').getByRole('button', { name: 'Start call' }).click();
  await bob.page.waitForFunction(() => location.hash.includes('/video/room?roomId='));
  assert.equal(new URLSearchParams(bob.page.url().split('?')[1]).get('roomId'), made.channelRoom);
  await ann.page.waitForSelector(CONNECTED, { timeout: 20_000 });
  await bob.page.waitForSelector(CONNECTED, { timeout: 20_000 });
  await ann.page.locator('.video-tile:not(.self) figcaption', { hasText: 'Bob' }).waitFor();
});
