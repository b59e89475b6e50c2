// The caller's own account calls (hearth.auth.v1 AuthService, hearth.settings.v1): profile,
// settings, password, TOTP and API tokens, each behind one small function, like tenancy.ts.
import { call } from './api';

export interface Profile { userId: string; displayName: string; bio: string; avatarFileId: string; avatarProjectId: string }
export interface Account { profile: Profile; email: string; totpEnabled: boolean; sysAdmin: boolean }
export interface Settings {
  language: string; theme: string; notifications: Record<string, string>;
  quietHoursStart?: string; quietHoursEnd?: string; timeZone?: string;
}
export interface ApiToken { id: string; name: string; createdAt: string; expiresAt?: string; lastUsedAt?: string }

function profile(p: any = {}): Profile {
  return { userId: p.userId ?? '', displayName: p.displayName ?? '', bio: p.bio ?? '', avatarFileId: p.avatarFileId ?? '', avatarProjectId: p.avatarProjectId ?? '' };
}

export async function account(): Promise<Account> {
  const r = await call<any>('GET', '/v1/me');
  return { profile: profile(r.profile), email: r.email ?? '', totpEnabled: Boolean(r.totpEnabled), sysAdmin: Boolean(r.sysAdmin) };
}

/** Changes the fields given (unset ones stay). */
export async function updateProfile(change: Partial<Omit<Profile, 'userId'>>): Promise<Profile> {
  return profile(await call('PATCH', '/v1/me/profile', change));
}

export async function settings(): Promise<Settings> {
  const s = await call<any>('GET', '/v1/me/settings');
  return { language: s.language ?? '', theme: s.theme ?? 'system', notifications: s.notifications ?? {},
    quietHoursStart: s.quietHoursStart ?? '', quietHoursEnd: s.quietHoursEnd ?? '', timeZone: s.timeZone ?? '' };
}

export function updateSettings(change: Partial<Settings>): Promise<unknown> {
  return call('PATCH', '/v1/me/settings', change);
}

/** The node's languages, themes and notification levels. */
export async function settingsOptions(): Promise<{ notificationLevels: string[] }> {
  const o = await call<any>('GET', '/v1/settings/options');
  return { notificationLevels: o.notificationLevels ?? ['all', 'mentions', 'none'] };
}

export function changePassword(currentPassword: string, newPassword: string): Promise<unknown> {
  return call('POST', '/v1/me/password', { currentPassword, newPassword });
}

export function enrolTotp(password: string): Promise<{ secret: string; uri: string }> {
  return call('POST', '/v1/me/totp/enrol', { password });
}

export function verifyTotp(code: string): Promise<unknown> {
  return call('POST', '/v1/me/totp/verify', { code });
}

export function disableTotp(password: string, code: string): Promise<unknown> {
  return call('POST', '/v1/me/totp/disable', { password, code });
}

export function createApiToken(name: string, expiresInDays: number): Promise<{ token: ApiToken; secret: string }> {
  return call('POST', '/v1/me/api-tokens', { name, expiresInDays });
}

export async function listApiTokens(): Promise<ApiToken[]> {
  return (await call<{ tokens?: ApiToken[] }>('GET', '/v1/me/api-tokens')).tokens ?? [];
}

export function revokeApiToken(id: string): Promise<unknown> {
  return call('DELETE', `/v1/me/api-tokens/${encodeURIComponent(id)}`);
}

/** The modules with pages in a project (whose notifications a user may tune): id → the title of its first page. */
export async function projectModules(project: string, locale: string): Promise<Map<string, string>> {
  const q = `projectId=${encodeURIComponent(project)}&locale=${encodeURIComponent(locale)}`;
  const r = await call<{ pages?: Array<{ moduleId: string; title?: string }> }>('GET', `/v1/pages?${q}`);
  const out = new Map<string, string>();
  for (const p of r.pages ?? []) if (p.moduleId !== 'hearth' && !out.has(p.moduleId)) out.set(p.moduleId, p.title || p.moduleId);
  return out;
}
