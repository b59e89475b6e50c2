// The realtime client against a real node (HEARTH_URL): chat messages posted by one member reach
// the other through /v1/realtime; after the WebSocket is killed it resumes from the last sequence
// with nothing lost and nothing repeated; a long resume arrives in batch frames; typing (ephemeral),
// unsubscribe and a refused topic.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { HearthError } from '../../dist/index.js';
import { closeAll, team, until } from './env.mjs';

afterEach(closeAll);

/** The ws WebSocket, remembering each socket so a test can kill it as a network drop would. */
function killable() {
  const sockets = [];
  class Tracked extends WebSocket {
    constructor(url) {
      super(url);
      sockets.push(this);
    }
  }
  return { WebSocket: Tracked, kill: () => sockets.at(-1).terminate(), sockets };
}

/** The ws WebSocket, with a switch that stops what it receives: a connection dead without a close. */
function deafenable() {
  const sockets = [];
  class Deafened extends WebSocket {
    constructor(url) {
      super(url);
      this.deaf = false;
      sockets.push(this);
    }
    get onmessage() {
      return super.onmessage;
    }
    set onmessage(listener) {
      super.onmessage = listener && ((ev) => { if (!this.deaf) listener(ev); });
    }
  }
  return { WebSocket: Deafened, deafen: () => { sockets.at(-1).deaf = true; }, sockets };
}

const texts = (events) => events.filter((e) => e.event === 'message.created').map((e) => e.data.text);

test('a message posted by one member reaches the other live, typed and in order', async () => {
  const { ann, bob, project, channel } = await team();
  const rt = bob.realtime();
  const seen = [];
  const sub = rt.subscribe(`chat/channel/${channel.id}`, (e) => seen.push(e));
  const start = await sub.ready;
  assert.equal(typeof start, 'number');

  const posted = await ann.chat.postMessage({ projectId: project.id, channelId: channel.id, text: 'hello, Bob' });
  await until(() => seen.length > 0, 'the message event');
  const [event] = seen;
  assert.equal(event.event, 'message.created');
  assert.equal(event.topic, `chat/channel/${channel.id}`);
  assert.equal(event.data.id, posted.id);
  assert.equal(event.data.text, 'hello, Bob');
  assert.ok(event.seq > start);
  assert.equal(rt.lastSeq(`chat/channel/${channel.id}`), event.seq);

  // Ephemeral: typing comes while subscribed, without a sequence.
  await ann.chat.setTyping({ projectId: project.id, channelId: channel.id });
  await until(() => seen.some((e) => e.event === 'typing'), 'the typing event');
  const typing = seen.find((e) => e.event === 'typing');
  assert.equal(typing.seq, undefined);
  assert.equal(typing.data.userId, ann.session.userId);
});

test('after the WebSocket is killed it reconnects and resumes: no event lost, none repeated', async () => {
  const { ann, bob, project, channel } = await team();
  const net = killable();
  const rt = bob.realtime({ WebSocket: net.WebSocket, initialBackoffMs: 100 });
  const seen = [];
  await rt.subscribe(`chat/channel/${channel.id}`, (e) => seen.push(e)).ready;

  const sent = [];
  for (let i = 0; i < 30; i++) {
    if (i % 10 === 5) {
      // Three drops, each of a new live connection, with messages posted while it is down and as it comes back.
      const connection = Math.floor(i / 10) + 1;
      await until(() => rt.stats.connects === connection && rt.state === 'open', `connection ${connection} up`);
      net.kill();
    }
    const text = `message ${i}`;
    await ann.chat.postMessage({ projectId: project.id, channelId: channel.id, text });
    sent.push(text);
  }
  await until(() => texts(seen).length >= sent.length, `${sent.length} messages`);
  assert.deepEqual(texts(seen), sent);
  const seqs = seen.map((e) => e.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
  assert.equal(new Set(seqs).size, seqs.length);
  assert.equal(rt.stats.connects, 4, 'reconnected after each drop');
});

test('a token the node refuses on reconnect is renewed, and the subscription resumes', async () => {
  const { ann, bob, project, channel } = await team();
  const net = killable();
  const errors = [];
  const rt = bob.realtime({ WebSocket: net.WebSocket, initialBackoffMs: 50, onError: (e) => errors.push(e.code) });
  const seen = [];
  await rt.subscribe(`chat/channel/${channel.id}`, (e) => seen.push(e)).ready;
  bob.session.access = 'not-a-token'; // as if the node no longer took it
  net.kill();
  await ann.chat.postMessage({ projectId: project.id, channelId: channel.id, text: 'while refused' });
  await until(() => seen.length === 1, 'the message after the renewal');
  assert.equal(seen[0].data.text, 'while refused');
  assert.equal(rt.stats.connects, 3, 'the refused connection, then one with a renewed token');
  assert.notEqual(await bob.session.accessToken(), 'not-a-token');
  assert.deepEqual(errors, []);
});

test('a subscription from a sequence replays what came after it, then goes on live', async () => {
  const { ann, bob, project, channel } = await team();
  const post = (text) => ann.chat.postMessage({ projectId: project.id, channelId: channel.id, text });
  const first = bob.realtime();
  const before = [];
  await first.subscribe(`chat/channel/${channel.id}`, (e) => before.push(e)).ready;
  for (const text of ['one', 'two', 'three']) await post(text);
  await until(() => before.length === 3, 'three messages');

  // Another client (another page, a process restarted) that saw up to 'one'.
  const later = bob.realtime();
  const after = [];
  const sub = later.subscribe(`chat/channel/${channel.id}`, (e) => after.push(e), { from: before[0].seq });
  assert.equal(await sub.ready, before[0].seq);
  await post('four');
  await until(() => after.length === 3, 'the replay and the live message');
  assert.deepEqual(texts(after), ['two', 'three', 'four']);
});

test('a connection that goes silent without closing is replaced after two unanswered ping intervals, and resumes', async () => {
  const { ann, bob, project, channel } = await team();
  const net = deafenable();
  const rt = bob.realtime({ WebSocket: net.WebSocket, pingIntervalMs: 200, initialBackoffMs: 50 });
  const seen = [];
  await rt.subscribe(`chat/channel/${channel.id}`, (e) => seen.push(e)).ready;
  net.deafen();
  const sent = [];
  for (let i = 0; i < 5; i++) {
    const text = `unheard ${i}`;
    await ann.chat.postMessage({ projectId: project.id, channelId: channel.id, text });
    sent.push(text);
  }
  await until(() => texts(seen).length >= sent.length, `${sent.length} messages after the silent connection`);
  assert.deepEqual(texts(seen), sent);
  assert.equal(rt.stats.connects, 2);
  assert.equal(net.sockets.length, 2);
});

test('a resume over many missed events comes in batch frames, each event once', async () => {
  const { ann, bob, project, channel } = await team();
  const rt = bob.realtime();
  const seen = [];
  await rt.subscribe(`chat/channel/${channel.id}`, (e) => seen.push(e)).ready;
  await ann.chat.postMessage({ projectId: project.id, channelId: channel.id, text: 'before' });
  await until(() => seen.length === 1, 'the first message');
  rt.close(); // away: the subscription is kept and resumes from its last sequence
  const sent = ['before'];
  for (let i = 0; i < 120; i++) {
    const text = `missed ${i}`;
    await ann.chat.postMessage({ projectId: project.id, channelId: channel.id, text });
    sent.push(text);
  }
  rt.connect();
  await until(() => texts(seen).length >= sent.length, `${sent.length} messages`);
  assert.deepEqual(texts(seen), sent);
  assert.ok(rt.stats.batchFrames > 0, 'the node batched the resume');
  assert.equal(rt.stats.duplicatesDropped, 0);
});

test('unsubscribe stops a topic; a topic one may not read is refused with the node\'s code', async () => {
  const { ann, bob, project, channel } = await team();
  const other = await ann.chat.createChannel({ projectId: project.id, name: 'random', visibility: 'PUBLIC' });
  const secret = await ann.chat.createChannel({ projectId: project.id, name: 'secret', visibility: 'PRIVATE' });
  const rt = bob.realtime();
  const general = [];
  const random = [];
  // Both at once, before the connection is up: one connection carries them.
  const sub = rt.subscribe(`chat/channel/${channel.id}`, (e) => general.push(e));
  await Promise.all([sub.ready, rt.subscribe(`chat/channel/${other.id}`, (e) => random.push(e)).ready]);
  assert.equal(rt.stats.connects, 1);
  sub.unsubscribe();

  await ann.chat.postMessage({ projectId: project.id, channelId: channel.id, text: 'not for the unsubscribed' });
  await ann.chat.postMessage({ projectId: project.id, channelId: other.id, text: 'after it' });
  // One store, one connection: events come in sequence order, so the first one would be here by now.
  await until(() => random.length === 1, 'the later message');
  assert.deepEqual(general, []);

  const errors = [];
  const rt2 = bob.realtime({ onError: (e, topic) => errors.push([e.code, topic]) });
  const refused = rt2.subscribe(`chat/channel/${secret.id}`, () => {});
  await assert.rejects(refused.ready, (e) => e instanceof HearthError && e.code === 'NOT_FOUND');
  assert.deepEqual(errors, [['NOT_FOUND', `chat/channel/${secret.id}`]]);
});

test('the connection authenticates again with each renewed token, without reconnecting', async () => {
  const { ann, bob, project, channel } = await team();
  const rt = bob.realtime();
  const seen = [];
  await rt.subscribe(`chat/channel/${channel.id}`, (e) => seen.push(e)).ready;
  const renewed = [];
  bob.session.onToken((t) => renewed.push(t));
  // ClientIT's node issues 10-second tokens: renewed at half their life, then sent on the socket.
  await until(() => renewed.length > 0 && rt.stats.authentications >= 2, 'a renewal and the node accepting it', 15_000);
  assert.equal(rt.stats.connects, 1);
  await ann.chat.postMessage({ projectId: project.id, channelId: channel.id, text: 'still here' });
  await until(() => seen.length === 1, 'the message after the re-auth');
});
