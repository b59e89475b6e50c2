// The node's admin calls the console makes, one small function each (as tenancy.ts does for the
// chrome), all through api.ts's rpc(): the node authorizes each by role and tenant.
import { call, rpc } from '../api';

export interface User { id: string; email: string; displayName: string; disabled: boolean; sysAdmin: boolean; createdAt: string }
export interface Settings {
  registrationsOpen: boolean; readOnly: boolean; slowModeSeconds: number; defaultLanguage: string;
  /** Project-admins may install (and upgrade) user modules for their own projects. */
  projectAdminsInstallUserModules?: boolean;
}
export interface StoreStats { name: string; lastSequence: string; appliedSequence: string; unapplied: string }
export interface NodeStats {
  nodeId: string; version: string; uptimeSeconds: string; users: string; orgs: string; projects: string; stores?: StoreStats[];
  heapUsedBytes: string; heapCommittedBytes: string; rssBytes: string; realtimeConnections: string;
}
export interface AuditEvent { id: string; at: string; actorId: string; action: string; target: string; detail: string }
export interface ModuleInfo { moduleId: string; version: string; state: string; error?: string }
export interface UserModule { id: string; moduleId: string; version?: string; name?: string; state?: string; error?: string }
export interface Flag {
  name: string; owner: string; description: string; defaultValue: boolean; nodeValue?: boolean; orgValue?: boolean;
  projectValue?: boolean; enabled: boolean; source: string;
}
export interface Webhook {
  id: string; orgId: string; projectId?: string; endpoint?: string; command?: string; topics?: string[]; description?: string;
  state: string; disabledReason?: string; consecutiveFailures?: number; lastError?: string;
}
export interface Delivery {
  id: string; topic: string; type: string; module: string; sequence: string; attempts: number; status: string;
  lastStatus?: number; lastError?: string; lastAttemptAt?: string; deliveredAt?: string;
}
export interface Backup { id: string; kind: string; parent?: string; createdAt: string; bytes: string; stores: number }
export interface Verified { backupId: string; chain?: string[]; ok: boolean; problems?: string[]; events?: string }
export interface Share { projectId: string; projectName?: string; ownedHere?: boolean; state?: string }
export interface Link { id: string; orgId?: string; peerNodeId?: string; peerOrgName?: string; peerFingerprint?: string; state?: string; shares?: Share[] }

export interface ClusterStore { name: string; lastSequence?: string; replicaLag?: string }
export interface ClusterProcess {
  processId: string; front?: boolean; owns?: string[]; owned?: string[]; heartbeatAt?: string; apiUrl?: string; stores?: ClusterStore[];
}
export interface ClusterLease { store: string; holder: string; revision?: string; renewedAt?: string }
export interface ClusterStatus { processId: string; replicas?: number; processes: ClusterProcess[]; leases: ClusterLease[] }
export interface MoveResult { store: string; from: string; to: string; outcome: string; writePauseMillis?: string }

/** A scope of flags, module switches and webhooks: the node, an org or a project. */
export type TenantScope = { kind: 'org'; id: string } | { kind: 'project'; id: string };
export type Scope = { kind: 'node' } | TenantScope;

const ADMIN = 'hearth.admin.v1.AdminService';
const BACKUP = 'hearth.admin.v1.BackupService';
const MODULES = 'hearth.modules.v1.ModuleService';
const USER_MODULES = 'hearth.usermodules.v1.UsermoduleService';
const FLAGS = 'hearth.flags.v1.FlagsService';
const HOOKS = 'hearth.webhooks.v1.WebhooksService';
const FED = 'hearth.federation.v1.FedService';
const CLUSTER = 'hearth.cluster.v1.ClusterService';

function node<T>(service: string, method: string, req: unknown = {}): Promise<T> {
  return rpc<T>(`${service}/${method}`, req, '');
}

// Users, settings, stats, audit (sys-admins).
export async function listUsers(query: string, pageToken = ''): Promise<{ users: User[]; next: string }> {
  const r = await node<{ users?: User[]; nextPageToken?: string }>(ADMIN, 'ListUsers', { query, pageToken, pageSize: 50 });
  return { users: r.users ?? [], next: r.nextPageToken ?? '' };
}
export const disableUser = (userId: string) => node<User>(ADMIN, 'DisableUser', { userId });
export const enableUser = (userId: string) => node<User>(ADMIN, 'EnableUser', { userId });
export const deleteUser = (userId: string) => node<unknown>(ADMIN, 'DeleteUser', { userId });
export async function resetPassword(userId: string): Promise<string> {
  return (await node<{ newPassword?: string }>(ADMIN, 'ResetPassword', { userId })).newPassword ?? '';
}
export const getSettings = () => node<Settings>(ADMIN, 'GetSettings');
export const updateSettings = (change: Partial<Settings>) => node<Settings>(ADMIN, 'UpdateSettings', change);
export const nodeStats = () => node<NodeStats>(ADMIN, 'GetNodeStats');
export async function listAudit(query: string, pageToken = ''): Promise<{ events: AuditEvent[]; next: string }> {
  const r = await node<{ events?: AuditEvent[]; nextPageToken?: string }>(ADMIN, 'ListAuditEvents', { query, pageToken, pageSize: 25 });
  return { events: r.events ?? [], next: r.nextPageToken ?? '' };
}

// Plugin modules and user modules (sys-admins). Module switches per org and project are the flags
// `module.<id>` (FlagsService flips both).
export async function listModules(): Promise<ModuleInfo[]> {
  return (await node<{ modules?: ModuleInfo[] }>(MODULES, 'ListModules')).modules ?? [];
}
/** By its REST path: that route takes an archive up to the node's modules.maxArchiveBytes, /v1/rpc only the standard size. */
export const installModule = (archiveBase64: string) => call<ModuleInfo>('POST', '/v1/modules', { archive: archiveBase64, start: true });
export const startModule = (moduleId: string) => node<ModuleInfo>(MODULES, 'StartModule', { moduleId });
export const stopModule = (moduleId: string) => node<ModuleInfo>(MODULES, 'StopModule', { moduleId });
export async function listUserModules(): Promise<UserModule[]> {
  return (await node<{ userModules?: UserModule[] }>(USER_MODULES, 'List')).userModules ?? [];
}

// Feature flags at each level.
export async function listFlags(scope: Scope): Promise<Flag[]> {
  const r = scope.kind === 'node' ? await node<{ flags?: Flag[] }>(FLAGS, 'ListFlags')
    : scope.kind === 'org' ? await node<{ flags?: Flag[] }>(FLAGS, 'ListOrgFlags', { orgId: scope.id })
      : await rpc<{ flags?: Flag[] }>(`${FLAGS}/ListProjectFlags`, { projectId: scope.id }, scope.id);
  return r.flags ?? [];
}
export function setFlag(scope: Scope, name: string, enabled: boolean): Promise<Flag> {
  if (scope.kind === 'node') return node(FLAGS, 'SetNodeFlag', { name, enabled });
  if (scope.kind === 'org') return node(FLAGS, 'SetOrgFlag', { orgId: scope.id, name, enabled });
  return rpc(`${FLAGS}/SetProjectFlag`, { projectId: scope.id, name, enabled }, scope.id);
}
export function clearFlag(scope: Scope, name: string): Promise<Flag> {
  if (scope.kind === 'node') return node(FLAGS, 'ClearNodeFlag', { name });
  if (scope.kind === 'org') return node(FLAGS, 'ClearOrgFlag', { orgId: scope.id, name });
  return rpc(`${FLAGS}/ClearProjectFlag`, { projectId: scope.id, name }, scope.id);
}

// Webhooks of an org or a project, their deliveries.
export async function listWebhooks(scope: TenantScope): Promise<Webhook[]> {
  const r = scope.kind === 'org' ? await node<{ webhooks?: Webhook[] }>(HOOKS, 'ListOrgWebhooks', { orgId: scope.id })
    : await rpc<{ webhooks?: Webhook[] }>(`${HOOKS}/ListProjectWebhooks`, { projectId: scope.id }, scope.id);
  return r.webhooks ?? [];
}
export async function createWebhook(scope: TenantScope, endpoint: string, topics: string[], description: string): Promise<{ webhook: Webhook; secret: string }> {
  return scope.kind === 'org' ? node(HOOKS, 'CreateOrgWebhook', { orgId: scope.id, endpoint, topics, description })
    : rpc(`${HOOKS}/CreateProjectWebhook`, { projectId: scope.id, endpoint, topics, description }, scope.id);
}
export const deleteWebhook = (webhookId: string) => node<unknown>(HOOKS, 'DeleteWebhook', { webhookId });
export async function listDeliveries(webhookId: string): Promise<Delivery[]> {
  return (await node<{ deliveries?: Delivery[] }>(HOOKS, 'ListDeliveries', { webhookId, pageSize: 20 })).deliveries ?? [];
}
export const redeliver = (webhookId: string, deliveryId: string) => node<Delivery>(HOOKS, 'Redeliver', { webhookId, deliveryId });

// Backups in the node's configured target (sys-admins).
export async function listBackups(): Promise<{ backups: Backup[]; target: string }> {
  const r = await node<{ backups?: Backup[]; target?: string }>(BACKUP, 'ListBackups');
  return { backups: r.backups ?? [], target: r.target ?? '' };
}
export const createBackup = (full: boolean) => node<Backup>(BACKUP, 'CreateBackup', { full });
export const verifyBackup = (backupId: string) => node<Verified>(BACKUP, 'VerifyBackup', { backupId });

// Federation (an org's links and shares); asked only when the node serves it (federationOn).
export async function federationOn(): Promise<boolean> {
  return Boolean((await call<{ federation?: boolean }>('GET', '/v1/settings/options')).federation);
}
export async function listLinks(org: string): Promise<Link[]> {
  return (await node<{ links?: Link[] }>(FED, 'ListLinks', { orgId: org })).links ?? [];
}
export const createLinkInvite = (org: string) => node<{ linkToken: string; fingerprint?: string; expiresAt?: string }>(FED, 'CreateLinkInvite', { orgId: org });
export const acceptLink = (org: string, linkToken: string) => node<Link>(FED, 'AcceptLink', { orgId: org, linkToken });
export const shareProject = (org: string, linkId: string, projectId: string) => node<Link>(FED, 'ShareProject', { orgId: org, linkId, projectId });
export const acceptShare = (org: string, linkId: string, projectId: string) => node<Link>(FED, 'AcceptShare', { orgId: org, linkId, projectId });
export const unshareProject = (org: string, linkId: string, projectId: string) => node<Link>(FED, 'UnshareProject', { orgId: org, linkId, projectId });
export const pauseLink = (org: string, linkId: string) => node<Link>(FED, 'PauseLink', { orgId: org, linkId });
export const resumeLink = (org: string, linkId: string) => node<Link>(FED, 'ResumeLink', { orgId: org, linkId });
export const removeLink = (org: string, linkId: string) => node<Link>(FED, 'RemoveLink', { orgId: org, linkId });
/** An org's links, live (FedTopics on the node: link.updated with the link, org-admins only). */
export const federationTopic = (org: string) => `federation/org/${org}`;

// The cluster (sys-admins); asked only when the node is a cluster process (clusterOn).
export async function clusterOn(): Promise<boolean> {
  return Boolean((await call<{ cluster?: boolean }>('GET', '/v1/settings/options')).cluster);
}
export async function clusterStatus(): Promise<ClusterStatus> {
  const r = await node<Partial<ClusterStatus> & { processId?: string }>(CLUSTER, 'Status');
  return { processId: r.processId ?? '', replicas: r.replicas, processes: r.processes ?? [], leases: r.leases ?? [] };
}
export const moveStore = (store: string, to: string) => node<MoveResult>(CLUSTER, 'Move', { store, to });
