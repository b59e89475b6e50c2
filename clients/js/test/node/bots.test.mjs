// docs/bots.md's "20-line bot" run as the docs print it: the code block is cut from the page and
// written into this package (so `@hearth/client` resolves to this build, as it would once installed),
// started with a bot token Ann made, and answers Bob's "!ping" with "pong" in a thread, as a bot.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeAll, team, until, url } from './env.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
let child;

afterEach(() => {
  child?.kill();
  closeAll();
});

test('the echo bot of docs/bots.md answers !ping with pong, in a thread, as a bot, and never answers a bot', async () => {
  const docs = readFileSync(join(HERE, '../../../../docs/bots.md'), 'utf8');
  const block = /```js\n(\/\/ echo-bot\.mjs[\s\S]*?)```/.exec(docs);
  assert.ok(block, 'docs/bots.md has the echo bot');
  const lines = block[1].trimEnd().split('\n').length;
  assert.ok(lines <= 25, `the "20-line bot" is ${lines} lines`);
  const dir = join(HERE, '../../target/docs-examples');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'echo-bot.mjs');
  writeFileSync(file, block[1]);

  const { ann, bob, project, channel } = await team();
  const bot = await ann.bots.createBot({ projectId: project.id, displayName: 'Echo' });
  const { secret } = await ann.bots.createBotToken({ projectId: project.id, botId: bot.id, name: 'echo' });
  let out = '';
  child = spawn(process.execPath, [file, project.id, channel.id], {
    env: { ...process.env, HEARTH_URL: url, HEARTH_TOKEN: secret }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c) => { out += c; });
  child.stderr.on('data', (c) => { out += c; });
  await until(() => out.includes(`listening in ${channel.id}`) || child.exitCode !== null, 'the bot to start', 15_000);
  assert.equal(child.exitCode, null, `the bot stopped:\n${out}`);

  const ping = await bob.chat.postMessage({ projectId: project.id, channelId: channel.id, text: '!ping' });
  const replies = async () => (await ann.chat.listMessages({ projectId: project.id, channelId: channel.id, threadRootId: ping.id, limit: 10 }))
    .messages.filter((m) => m.authorId === bot.id);
  await until(async () => (await replies()).length > 0, `the bot's pong (its output: ${out})`, 15_000);
  const [pong] = await replies();
  assert.equal(pong.text, 'pong');
  assert.equal(pong.fromBot, true);
  assert.equal(pong.threadRootId, ping.id);
  // Its own "pong" did not make it answer again, nor does another text.
  await bob.chat.postMessage({ projectId: project.id, channelId: channel.id, text: 'not a ping' });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await replies()).length, 1);
});
