// The session: the access token lives in memory only; the refresh token in sessionStorage, so a
// reload of the tab stays signed in and closing it signs out. The access token is renewed a minute
// before it expires, and listeners (the realtime connection) hear of every new one.
import { ApiError, call, useCredentials } from './api';

interface SessionAnswer {
  accessToken: string;
  expiresIn: string | number;
  refreshToken: string;
  userId: string;
}

const REFRESH_KEY = 'hearth.refresh';

let access: string | undefined;
let userId = '';
let timer: number | undefined;
let refreshing: Promise<boolean> | undefined;
const listeners: Array<(token: string | undefined) => void> = [];

useCredentials({ token: () => access, refresh });

export function currentUser(): string {
  return userId;
}

export function accessToken(): string | undefined {
  return access;
}

/** Calls `listener` with each new access token, and `undefined` on sign-out. */
export function onToken(listener: (token: string | undefined) => void): void {
  listeners.push(listener);
}

/** `totpCode` for an account with TOTP on (the node answers `details.totpRequired` without it). */
export async function signIn(email: string, password: string, totpCode?: string): Promise<void> {
  adopt(await call<SessionAnswer>('POST', '/v1/auth/log-in', { email, password, ...(totpCode ? { totpCode } : {}) }));
}

export async function signUp(email: string, password: string, displayName: string): Promise<void> {
  adopt(await call<SessionAnswer>('POST', '/v1/auth/sign-up', { email, password, displayName }));
}

/** Resumes the tab's session after a reload; resolves false when there is none to resume. */
export function restore(): Promise<boolean> {
  return sessionStorage.getItem(REFRESH_KEY) ? refresh() : Promise.resolve(false);
}

export async function signOut(): Promise<void> {
  try {
    if (access) await call('POST', '/v1/auth/log-out', {});
  } catch {
    // Signing out locally matters more than telling the node; the session expires anyway.
  }
  forget();
}

/** Trades the refresh token for a new session; concurrent callers share one exchange. */
function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const token = sessionStorage.getItem(REFRESH_KEY);
    if (!token) return false;
    try {
      adopt(await call<SessionAnswer>('POST', '/v1/auth/refresh', { refreshToken: token }));
      return true;
    } catch (e) {
      // A spent or revoked refresh token ends the session; a network failure keeps it for later.
      if (e instanceof ApiError && e.status !== 0 && e.status < 500) forget();
      return false;
    }
  })().finally(() => { refreshing = undefined; });
  return refreshing;
}

function adopt(s: SessionAnswer): void {
  access = s.accessToken;
  userId = s.userId;
  sessionStorage.setItem(REFRESH_KEY, s.refreshToken);
  window.clearTimeout(timer);
  const seconds = Number(s.expiresIn) || 900;
  timer = window.setTimeout(() => void refresh(), Math.max(10, seconds - 60) * 1000);
  listeners.forEach((l) => l(access));
}

function forget(): void {
  access = undefined;
  userId = '';
  window.clearTimeout(timer);
  sessionStorage.removeItem(REFRESH_KEY);
  listeners.forEach((l) => l(undefined));
}
