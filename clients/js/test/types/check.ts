// Type tests, checked by `tsc -p test/types` in `npm run compile`: a wrong request field, an
// unknown method, a stream or a response field of the wrong type fails the build. Never run.
import { HearthClient, type RequestOf, type ResponseOf } from '@hearth/client';
import type { MessageJson } from '@hearth/client/gen/hearth/chat/v1/chat_pb';

const hearth = new HearthClient();

export async function typed(): Promise<void> {
  const message: MessageJson = await hearth.chat.postMessage({ projectId: 'p', channelId: 'c', text: 'hi' });
  const id: string | undefined = message.id;
  const org = await hearth.tenancy.createOrg({ name: 'Acme' });
  const visibility: 'VISIBILITY_UNSPECIFIED' | 'PUBLIC' | 'PRIVATE' | undefined = (await hearth.chat.getChannel({})).visibility;
  const request: RequestOf<'chat', 'postMessage'> = { channelId: 'c', text: 'hi' };
  const response: ResponseOf<'chat', 'postMessage'> = message;
  const size: string | undefined = (await hearth.fileTransfer.upload({ projectId: 'p', name: 'n', content: new Uint8Array() })).size;
  hearth.realtime().subscribe<MessageJson>('chat/channel/c', (e) => { const text: string | undefined = e.data.text; void text; });
  void [id, org.id, visibility, request, response, size];

  // @ts-expect-error a field the request does not have
  await hearth.chat.postMessage({ projectId: 'p', nope: 1 });
  // @ts-expect-error a field of the wrong type
  await hearth.chat.postMessage({ text: 42 });
  // @ts-expect-error a method the service does not have
  await hearth.chat.nope();
  // @ts-expect-error realtime's Subscribe is a stream: not at /v1/rpc, so not here
  await hearth.realtime.subscribe({});
  // @ts-expect-error a response field has its proto's type (int64 createdAtMicros is a string in JSON)
  const micros: number | undefined = message.createdAtMicros;
  void micros;
}
