// The session, as @hearth/client's `hearth.session` keeps it: the access token in memory only, the
// refresh token in sessionStorage (api.ts), so a reload of the tab stays signed in and closing it
// signs out. The client renews the access token a minute before it expires and tells listeners
// (the realtime connection) of every new one.
import { hearth, using } from './api';

let access: string | undefined;
hearth.session.onToken((token) => { access = token; });

export function currentUser(): string {
  return hearth.session.userId ?? '';
}

export function accessToken(): string | undefined {
  return access;
}

/** Calls `listener` with each new access token, and `undefined` on sign-out. */
export function onToken(listener: (token: string | undefined) => void): void {
  hearth.session.onToken(listener);
}

/** `totpCode` for an account with TOTP on (the node answers `details.totpRequired` without it). */
export async function signIn(email: string, password: string, totpCode?: string): Promise<void> {
  await using((c) => c.session.logIn({ email, password, ...(totpCode ? { totpCode } : {}) }));
}

export async function signUp(email: string, password: string, displayName: string): Promise<void> {
  await using((c) => c.session.signUp({ email, password, displayName }));
}

/**
 * Resumes the tab's session after a reload; resolves false when there is none to resume. A node
 * out of reach keeps the stored token for a later try, and shows the sign-in screen meanwhile.
 */
export async function restore(): Promise<boolean> {
  try {
    return await using((c) => c.session.restore());
  } catch {
    return false;
  }
}

export async function signOut(): Promise<void> {
  try {
    await using((c) => c.session.logOut());
  } catch {
    // Signed out here whatever the node answered; the session expires there anyway.
  }
}
