// What a page on the node's origin runs (bundled by Vite or esbuild, like the shell): a reload of
// the tab keeps the session (sessionStorage), calls are typed, events come live. docs/clients.md.
import { HearthClient, HearthError, webStorage } from '@hearth/client';

export async function start(email, password, show) {
  const hearth = new HearthClient({ storage: webStorage(), language: navigator.language });
  if (!(await hearth.session.restore())) await hearth.session.logIn({ email, password });

  const me = await hearth.auth.me();
  hearth.project = me.memberships.find((m) => m.projectId).projectId;
  const { channels } = await hearth.chat.listChannels();
  const channelId = channels[0].id;

  await hearth.realtime().subscribe(`chat/channel/${channelId}`, (e) => show(`${e.event} #${e.seq}: ${e.data.text}`)).ready;
  await hearth.chat.postMessage({ channelId, text: 'hello from the browser' });
  try {
    await hearth.tenancy.createOrg({ name: '' });
  } catch (e) {
    if (e instanceof HearthError) show(`${e.code} (${e.field}): ${e.message}`);
  }
}
