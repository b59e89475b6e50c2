// File transfers through the client against a real node (HEARTH_URL): upload over the streaming
// REST route, list through FileService, download whole and by range, and refusals as HearthErrors.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { HearthError } from '../../dist/index.js';
import { closeAll, signedUp, team } from './env.mjs';

afterEach(closeAll);

test('a file uploaded by one member is listed and downloaded by another, whole and by range', async () => {
  const { ann, bob, project } = await team();
  const content = new TextEncoder().encode('hello, files');
  const entry = await ann.fileTransfer.upload({ projectId: project.id, name: 'hello.txt', content, contentType: 'text/plain' });
  assert.equal(entry.name, 'hello.txt');
  assert.equal(entry.size, String(content.length)); // int64 is a string in proto JSON
  assert.equal(entry.contentType, 'text/plain');

  const listed = await bob.file.list({ projectId: project.id });
  assert.deepEqual(listed.entries.map((e) => e.name), ['hello.txt']);
  const whole = await bob.fileTransfer.download({ projectId: project.id, fileId: entry.id });
  assert.equal(whole.headers.get('content-type'), 'text/plain');
  assert.equal(await whole.text(), 'hello, files');
  const part = await bob.fileTransfer.download({ projectId: project.id, fileId: entry.id, range: [0, 4] });
  assert.equal(part.status, 206);
  assert.equal(await part.text(), 'hello');
});

test('a bad name, another project and a missing file are HearthErrors with the node\'s codes', async () => {
  const { ann, project } = await team();
  const eve = await signedUp('eve');
  const content = new Uint8Array([1, 2, 3]);
  await assert.rejects(ann.fileTransfer.upload({ projectId: project.id, name: 'a/b', content }), (e) => {
    assert.ok(e instanceof HearthError);
    assert.equal(e.code, 'INVALID_ARGUMENT');
    assert.equal(e.field, 'name');
    return true;
  });
  await assert.rejects(eve.fileTransfer.upload({ projectId: project.id, name: 'x.bin', content }),
    (e) => e instanceof HearthError && e.code === 'PERMISSION_DENIED');
  await assert.rejects(ann.fileTransfer.download({ projectId: project.id, fileId: '0193aaaa-0000-7000-8000-000000000000' }),
    (e) => e instanceof HearthError && e.code === 'NOT_FOUND');
});
