// Signs in, posts to the first channel of the first project, and prints that channel's events
// live (Ctrl-C ends it). HEARTH_URL, HEARTH_EMAIL, HEARTH_PASSWORD; see docs/clients.md.
import WebSocket from 'ws';
import { HearthClient, HearthError } from '@hearth/client';

const hearth = new HearthClient({ baseUrl: process.env.HEARTH_URL ?? 'http://localhost:8080', WebSocket });
await hearth.session.logIn({ email: process.env.HEARTH_EMAIL, password: process.env.HEARTH_PASSWORD });

const { orgs } = await hearth.tenancy.listOrgs();
const { projects } = await hearth.tenancy.listProjects({ orgId: orgs[0].id });
hearth.project = projects[0].id; // sent as X-Hearth-Project: fills projectId below
const { channels } = await hearth.chat.listChannels();
const channelId = channels[0].id;

const live = hearth.realtime();
const print = (e) => console.log(e.seq ?? '-', e.event, e.data.text ?? e.data.userId);
await live.subscribe(`chat/channel/${channelId}`, print).ready; // from now: the node confirmed it
await hearth.chat.postMessage({ channelId, text: `hello from Node ${process.version}` });
await hearth.chat.postMessage({ channelId, text: '' }).catch((e) => {
  if (e instanceof HearthError) console.log(`refused: ${e.code} on ${e.field}: ${e.message}`);
});
