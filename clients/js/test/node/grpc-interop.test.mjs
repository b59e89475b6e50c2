// An outside gRPC client, as a Node developer builds one without our package: @grpc/grpc-js with
// @grpc/proto-loader over the repository's proto/ folder alone (no jar, no extra google/api files),
// against a real node (HEARTH_URL). A refused call reads as the node wrote it (the grpc-message
// encoded as the gRPC spec says, in the caller's language); a realtime Subscribe event carries the
// WebSocket event frame's fields with the same names and JSON types; the node's descriptor set
// builds the same client without any .proto file.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import WebSocket from 'ws';
import { closeAll, team, until, url } from './env.mjs';

const protoRoot = join(import.meta.dirname, '..', '..', '..', '..', 'proto');
const target = new URL(url).host;
const opened = [];

afterEach(() => {
  for (const close of opened.splice(0)) close();
  closeAll();
});

function load(definition) {
  const root = grpc.loadPackageDefinition(definition).hearth;
  const make = (Service) => {
    const c = new Service(target, grpc.credentials.createInsecure());
    opened.push(() => c.close());
    return c;
  };
  return { chat: make(root.chat.v1.ChatService), realtime: make(root.realtime.v1.RealtimeService) };
}

const fromFiles = () => load(protoLoader.loadSync(['hearth/chat/v1/chat.proto', 'hearth/realtime/v1/realtime.proto'],
  { includeDirs: [protoRoot], oneofs: true }));

function metadata(token, language) {
  const md = new grpc.Metadata();
  md.set('authorization', `Bearer ${token}`);
  if (language) md.set('accept-language', language);
  return md;
}

/** The error a unary call fails with. */
function refusal(client, method, request, md) {
  return new Promise((resolve, reject) => client[method](request, md, (err, res) =>
    (err ? resolve(err) : reject(new Error(`${method} succeeded: ${JSON.stringify(res)}`)))));
}

function call(client, method, request, md) {
  return new Promise((resolve, reject) => client[method](request, md, (err, res) => (err ? reject(err) : resolve(res))));
}

/** google.protobuf.Struct (as proto-loader gives it, with oneofs) as the plain JSON object it stands for. */
function fromStruct(s) {
  return Object.fromEntries(Object.entries(s?.fields ?? {}).map(([k, v]) => [k, fromValue(v)]));
}
function fromValue(v) {
  switch (v.kind) {
    case 'nullValue': return null;
    case 'numberValue': return v.numberValue;
    case 'stringValue': return v.stringValue;
    case 'boolValue': return v.boolValue;
    case 'structValue': return fromStruct(v.structValue);
    case 'listValue': return (v.listValue.values ?? []).map(fromValue);
    default: throw new Error(`a Value of no kind: ${JSON.stringify(v)}`);
  }
}

test('grpc-js reads refusals as the node wrote them, in English and in Russian', async () => {
  const { ann, project, channel } = await team();
  const { chat } = fromFiles();
  const token = await ann.session.accessToken();

  const empty = await refusal(chat, 'PostMessage', { projectId: project.id, channelId: channel.id, text: ' ' }, metadata(token));
  assert.equal(empty.code, grpc.status.INVALID_ARGUMENT);
  assert.equal(empty.details, 'text: is empty; a message needs text or an attachment');
  assert.deepEqual(empty.metadata.get('hearth-field'), ['text']);

  // ':' ',' '/' '?' '+' are printable ASCII: the spec sends them as they are, and grpc-js shows them so.
  const badId = await refusal(chat, 'GetChannel', { projectId: project.id, channelId: 'a/b:c,d?e+f' }, metadata(token));
  assert.equal(badId.code, grpc.status.INVALID_ARGUMENT);
  assert.equal(badId.details, "channel_id: 'a/b:c,d?e+f' is not a valid id");

  const ru = await refusal(chat, 'PostMessage', { projectId: project.id, channelId: channel.id, text: ' ' }, metadata(token, 'ru'));
  assert.equal(ru.details, 'text: пустое сообщение; нужен текст или вложение');

  const noVisibility = await refusal(chat, 'CreateChannel', { projectId: project.id, name: 'where' }, metadata(token));
  assert.equal(noVisibility.code, grpc.status.INVALID_ARGUMENT);
  assert.equal(noVisibility.details, 'visibility: is required: PUBLIC or PRIVATE');
});

test('a gRPC Subscribe event has the WebSocket event frame\'s fields, names and JSON types', async () => {
  const { ann, bob, project, channel } = await team();
  const { realtime } = fromFiles();
  const topic = `chat/channel/${channel.id}`;
  const token = await bob.session.accessToken();

  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/realtime`);
  opened.push(() => ws.terminate());
  const frames = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
  await once(ws, 'open');
  ws.send(JSON.stringify({ type: 'auth', token, id: 'a' }));
  ws.send(JSON.stringify({ type: 'subscribe', topic, id: 's' }));

  const stream = realtime.Subscribe({ topic }, metadata(token));
  opened.push(() => stream.cancel());
  stream.on('error', () => {}); // the cancel at the end
  const messages = [];
  stream.on('data', (m) => messages.push(m));

  await until(() => frames.some((f) => f.type === 'subscribed') && messages.some((m) => m.kind === 'subscribed'),
    'both subscriptions');
  const subscribedFrame = frames.find((f) => f.type === 'subscribed');
  const subscribed = messages.find((m) => m.kind === 'subscribed').subscribed;
  assert.equal(subscribed.topic, subscribedFrame.topic);
  assert.equal(typeof subscribed.seq, 'number');

  const posted = await ann.chat.postMessage({ projectId: project.id, channelId: channel.id, text: 'one shape, two transports' });
  await ann.chat.setTyping({ projectId: project.id, channelId: channel.id });
  const isPost = (e) => e.event === 'message.created' && (e.data.id ?? fromStruct(e.data).id) === posted.id;
  await until(() => frames.some((f) => f.type === 'event' && isPost(f) && frames.some((t) => t.event === 'typing'))
    && messages.some((m) => m.kind === 'event' && isPost(m.event)) && messages.some((m) => m.event?.event === 'typing'),
  'the message and the typing event on both transports');

  for (const name of ['message.created', 'typing']) {
    const { type, ...frame } = frames.find((f) => f.type === 'event' && f.event === name);
    assert.equal(type, 'event');
    // What the older clients read stays: sequence, type and timeMicros (64-bit, so a Long here).
    const { sequence, type: legacyType, timeMicros, ...event } = messages.find((m) => m.event?.event === name).event;
    assert.equal(legacyType, name);
    assert.equal(String(timeMicros), String(frame.ts));
    assert.equal(String(sequence ?? 0), String(frame.seq ?? 0)); // proto3 sends no 0: absent for typing
    // The rest is the WebSocket frame: topic, seq (absent for an ephemeral event), event, data, ts.
    assert.deepEqual({ ...event, data: fromStruct(event.data) }, frame);
    if (name === 'message.created') {
      assert.equal(typeof event.seq, 'number');
      assert.equal(typeof event.ts, 'number');
    } else {
      assert.equal(event.seq, undefined);
    }
  }
});

test('the node\'s descriptor set builds a working client without any .proto file', async () => {
  const { ann, project, channel } = await team();
  const res = await fetch(`${url}/v1/descriptor-set`);
  assert.equal(res.status, 200);
  const set = Buffer.from(await res.arrayBuffer());
  const { chat } = load(protoLoader.loadFileDescriptorSetFromBuffer(set, { oneofs: true }));
  const token = await ann.session.accessToken();
  const posted = await ann.chat.postMessage({ projectId: project.id, channelId: channel.id, text: 'fetched by id' });
  // Built from descriptors, proto-loader names fields as the proto does (project_id), not lowerCamel.
  const got = await call(chat, 'GetMessage', { project_id: project.id, channel_id: channel.id, message_id: posted.id },
    metadata(token));
  assert.equal(got.text, 'fetched by id');
  assert.equal(got.id, posted.id);
});
