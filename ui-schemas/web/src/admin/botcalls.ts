// The calls of a project's bots, incoming webhooks and slash commands (hearth.bots.v1, docs/bots.md),
// all project-scoped: the node allows them to the project's admins only.
import { rpc } from '../api';

export interface Bot { id: string; projectId: string; displayName: string; avatarFileId?: string; role: string; createdAt?: string }
export interface IncomingHook { id: string; channelId: string; botId: string; description?: string; createdAt?: string }
export interface Command { id: string; name: string; botId: string; description?: string; usageHint?: string }
export interface Channel { id: string; name: string }

const BOTS = 'hearth.bots.v1.BotsService';
const COMMANDS = 'hearth.bots.v1.SlashCommandsService';

export async function listBots(projectId: string): Promise<Bot[]> {
  return (await rpc<{ bots?: Bot[] }>(`${BOTS}/ListBots`, { projectId }, projectId)).bots ?? [];
}
export const createBot = (projectId: string, displayName: string, role: string, avatarFileId: string) =>
  rpc<Bot>(`${BOTS}/CreateBot`, { projectId, displayName, role, avatarFileId }, projectId);
export const deleteBot = (projectId: string, botId: string) => rpc<unknown>(`${BOTS}/DeleteBot`, { projectId, botId }, projectId);
export const createToken = (projectId: string, botId: string, name: string) =>
  rpc<{ secret: string }>(`${BOTS}/CreateBotToken`, { projectId, botId, name }, projectId);

export async function listHooks(projectId: string): Promise<IncomingHook[]> {
  return (await rpc<{ hooks?: IncomingHook[] }>(`${BOTS}/ListIncomingHooks`, { projectId }, projectId)).hooks ?? [];
}
/** The answer's path (/hooks/<secret>) is the hook's credential, given only here. */
export const createHook = (projectId: string, channelId: string, botId: string, description: string) =>
  rpc<{ hook: IncomingHook; path: string }>(`${BOTS}/CreateIncomingHook`, { projectId, channelId, botId, description }, projectId);
export const revokeHook = (projectId: string, hookId: string) => rpc<unknown>(`${BOTS}/RevokeIncomingHook`, { projectId, hookId }, projectId);

export async function listCommands(projectId: string): Promise<Command[]> {
  return (await rpc<{ commands?: Command[] }>(`${COMMANDS}/ListSlashCommands`, { projectId }, projectId)).commands ?? [];
}
export const createCommand = (projectId: string, name: string, url: string, botId: string, description: string, usageHint: string) =>
  rpc<{ command: Command; secret: string }>(`${COMMANDS}/CreateSlashCommand`, { projectId, name, url, botId, description, usageHint }, projectId);
export const deleteCommand = (projectId: string, commandId: string) =>
  rpc<unknown>(`${COMMANDS}/DeleteSlashCommand`, { projectId, commandId }, projectId);

/** The project's channels a hook may post to: not archived, not direct conversations. */
export async function listChannels(projectId: string): Promise<Channel[]> {
  const r = await rpc<{ channels?: Array<Channel & { kind?: string; archived?: boolean }> }>(
    'hearth.chat.v1.ChatService/ListChannels', { projectId }, projectId);
  return (r.channels ?? []).filter((c) => !c.archived && c.kind !== 'DIRECT').map((c) => ({ id: c.id, name: c.name }));
}
