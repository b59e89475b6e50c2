// What the tests against a real node share: the node's address (HEARTH_URL, set by ClientIT),
// clients built as a Node program would build them, fresh users, and waits with deadlines.
import WebSocket from 'ws';
import { HearthClient } from '../../dist/index.js';

export const url = process.env.HEARTH_URL;
if (!url) throw new Error('HEARTH_URL is not set: these tests run against a node (ClientIT starts one)');

let n = 0;
const run = Date.now().toString(36);

const open = [];

/** A client of the node, with the ws package's WebSocket (Node 20 has no global one); {@link closeAll} ends it. */
export function client(options = {}) {
  const c = new HearthClient({ baseUrl: url, WebSocket, ...options });
  const realtime = c.realtime.bind(c);
  c.realtime = (o) => {
    const rt = realtime(o);
    open.push(() => rt.close());
    return rt;
  };
  open.push(() => c.session.close());
  return c;
}

/** Closes every realtime connection and session timer the test made, passed or failed (else the process stays up). */
export function closeAll() {
  for (const close of open.splice(0)) close();
}

/** A new email and password, unique to this run. */
export function newUser(name = 'user') {
  n++;
  return { email: `${name}-${run}-${n}@client.test`, password: `${name}-password-${n}` };
}

/** A signed-up, signed-in client. */
export async function signedUp(name, options = {}) {
  const c = client(options);
  const user = newUser(name);
  await c.session.signUp({ ...user, displayName: name });
  return Object.assign(c, { user });
}

/** Waits until `check()` is true, failing with `what` after `ms` (every wait has a deadline). */
export async function until(check, what, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Ann with an org, a project and a public channel, and Bob invited into the project and the channel. */
export async function team() {
  const ann = await signedUp('ann');
  const bob = await signedUp('bob');
  const org = await ann.tenancy.createOrg({ name: 'Acme' });
  const project = await ann.tenancy.createProject({ orgId: org.id, name: 'Launch' });
  const invite = await ann.tenancy.createProjectInvite({ projectId: project.id, role: 'project-user', maxUses: 1 });
  await bob.tenancy.redeemInvite({ code: invite.code });
  const channel = await ann.chat.createChannel({ projectId: project.id, name: 'general', visibility: 'PUBLIC' });
  await bob.chat.joinChannel({ projectId: project.id, channelId: channel.id });
  return { ann, bob, org, project, channel };
}
