// The node's tenancy and account calls the shell's chrome makes, each behind one small function so
// that moving to the typed client package (clients/js) changes this file only.
import { call, rpc } from './api';

export interface Org { id: string; name: string }
export interface Project { id: string; orgId: string; name: string; shared?: boolean }
export interface Membership { userId: string; orgId: string; projectId: string; role: string; displayName: string }
export interface Me {
  userId: string; displayName: string; email: string; sysAdmin: boolean; memberships: Membership[];
  /** The avatar: a file of a project (auth.v1.Profile), empty when none. */
  avatarFileId?: string; avatarProjectId?: string;
}
export interface Invite { id: string; role: string; expiresAt: string; usesLeft: number }

export const PROJECT_ROLES = ['project-user', 'project-admin'] as const;

export async function me(): Promise<Me> {
  const r = await call<{ profile?: { userId?: string; displayName?: string; avatarFileId?: string; avatarProjectId?: string };
    email?: string; sysAdmin?: boolean; memberships?: Membership[] }>('GET', '/v1/me');
  return {
    userId: r.profile?.userId ?? '', displayName: r.profile?.displayName ?? '', email: r.email ?? '',
    sysAdmin: Boolean(r.sysAdmin), memberships: r.memberships ?? [],
    avatarFileId: r.profile?.avatarFileId ?? '', avatarProjectId: r.profile?.avatarProjectId ?? '',
  };
}

export async function listOrgs(): Promise<Org[]> {
  return (await call<{ orgs?: Org[] }>('GET', '/v1/orgs?pageSize=200')).orgs ?? [];
}

export async function listProjects(org: string): Promise<Project[]> {
  const r = await call<{ projects?: Project[] }>('GET', `/v1/orgs/${enc(org)}/projects?pageSize=200`);
  return r.projects ?? [];
}

/** Projects other nodes share with this user (federation); only asked for when the user holds such a role. */
export async function sharedProjects(): Promise<Array<Project & { orgName: string }>> {
  const r = await call<{ projects?: Array<{ projectId: string; projectName: string; ownerOrgName: string }> }>(
    'GET', '/v1/federation/shared-projects');
  return (r.projects ?? []).map((s) => ({ id: s.projectId, orgId: '', name: s.projectName, orgName: s.ownerOrgName, shared: true }));
}

export function createOrg(name: string): Promise<Org> {
  return call<Org>('POST', '/v1/orgs', { name });
}

export function createProject(org: string, name: string): Promise<Project> {
  return call<Project>('POST', `/v1/orgs/${enc(org)}/projects`, { orgId: org, name });
}

export async function createInvite(project: string, role: string, expiresInSeconds: number, maxUses: number): Promise<{ code: string; invite: Invite }> {
  return call('POST', `/v1/projects/${enc(project)}/invites`, { projectId: project, role, expiresInSeconds, maxUses });
}

export async function listInvites(project: string): Promise<Invite[]> {
  return (await call<{ invites?: Invite[] }>('GET', `/v1/projects/${enc(project)}/invites`)).invites ?? [];
}

export function redeemInvite(code: string): Promise<Membership> {
  return call<Membership>('POST', '/v1/invites/redeem', { code });
}

export async function listMembers(project: string): Promise<Membership[]> {
  return (await call<{ members?: Membership[] }>('GET', `/v1/projects/${enc(project)}/members?pageSize=500`)).members ?? [];
}

export function updateMember(project: string, user: string, role: string): Promise<Membership> {
  return call<Membership>('PATCH', `/v1/projects/${enc(project)}/members/${enc(user)}`, { role });
}

export function removeMember(project: string, user: string): Promise<unknown> {
  return call('DELETE', `/v1/projects/${enc(project)}/members/${enc(user)}`);
}

/** A project's chat channels and the caller's unread counts (the chat module's RPCs). */
export interface ChannelEntry {
  id: string; name: string; kind: string; visibility: string; unread: number; mentions: number; joined: boolean;
  /** A direct conversation's people (the caller among them); empty for other channels. */
  directMemberIds: string[];
}

/** The caller's channels in a project with their unread and mention counts (GetUnread lists exactly the channels they are in). */
export async function unreadCounts(project: string): Promise<Map<string, { unread: number; mentions: number }>> {
  const unread = await rpc<{ channels?: Array<{ channelId: string; unread: string | number; mentions: string | number }> }>(
    'hearth.chat.v1.ChatService/GetUnread', { projectId: project }, project);
  return new Map((unread.channels ?? []).map((c) => [c.channelId, { unread: Number(c.unread ?? 0), mentions: Number(c.mentions ?? 0) }]));
}

export async function channels(project: string): Promise<ChannelEntry[]> {
  const [list, counts] = await Promise.all([
    rpc<{ channels?: Array<{ id: string; name: string; kind: string; visibility: string; archived?: boolean; directMemberIds?: string[] }> }>(
      'hearth.chat.v1.ChatService/ListChannels', { projectId: project }, project),
    unreadCounts(project),
  ]);
  return (list.channels ?? []).filter((c) => !c.archived).map((c) => ({
    id: c.id, name: c.name, kind: c.kind, visibility: c.visibility, joined: counts.has(c.id), directMemberIds: c.directMemberIds ?? [],
    unread: Number(counts.get(c.id)?.unread ?? 0), mentions: Number(counts.get(c.id)?.mentions ?? 0),
  }));
}

export function joinChannel(project: string, channel: string): Promise<unknown> {
  return rpc('hearth.chat.v1.ChatService/JoinChannel', { projectId: project, channelId: channel }, project);
}

/** The direct conversation of the caller with these people (the same channel for the same people every time). */
export async function openDirect(project: string, userIds: string[]): Promise<{ id: string }> {
  return rpc<{ id: string }>('hearth.chat.v1.ChatService/OpenDirect', { projectId: project, userIds }, project);
}

/** Moves the caller's read marker to the channel's newest message (none: nothing to mark). */
export async function markLatestRead(project: string, channel: string): Promise<void> {
  const page = await rpc<{ messages?: Array<{ id: string }> }>('hearth.chat.v1.ChatService/ListMessages',
    { projectId: project, channelId: channel, limit: 1 }, project);
  const newest = page.messages?.[page.messages.length - 1];
  if (newest) await markRead(project, channel, newest.id);
}

export function markRead(project: string, channel: string, message: string): Promise<unknown> {
  return rpc('hearth.chat.v1.ChatService/MarkRead', { projectId: project, channelId: channel, messageId: message }, project);
}

/** The user's notification level for a module on the node (settings): all, mentions (the default) or none. */
export async function notificationLevel(module: string): Promise<string> {
  const s = await call<{ notifications?: Record<string, string> }>('GET', '/v1/me/settings');
  return s.notifications?.[module] || 'mentions';
}

function enc(s: string): string {
  return encodeURIComponent(s);
}
