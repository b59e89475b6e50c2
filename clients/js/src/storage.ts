/** What a session keeps between page loads: enough to get a new access token. */
export interface StoredSession {
  refreshToken: string;
  userId: string;
}

/**
 * Where the session's refresh token lives. The access token is never handed to storage: it stays
 * in memory, so a script that can read storage gets at most a refresh token, which is spent on
 * first use (and reusing a spent one ends the whole session on the node).
 */
export interface TokenStorage {
  load(): StoredSession | undefined;
  save(session: StoredSession): void;
  clear(): void;
}

/** Keeps the session in memory only: it ends with the process or page. The default. */
export function memoryStorage(): TokenStorage {
  let held: StoredSession | undefined;
  return {
    load: () => held,
    save: (s) => { held = s; },
    clear: () => { held = undefined; },
  };
}

/**
 * Keeps the session in a Web Storage object, `sessionStorage` by default: a reload of the tab stays
 * signed in, closing it signs out. Pass `localStorage` to stay signed in across tabs and restarts.
 */
export function webStorage(storage: Storage = globalThis.sessionStorage, key = 'hearth.session'): TokenStorage {
  return {
    load() {
      const raw = storage.getItem(key);
      if (!raw) return undefined;
      try {
        const s = JSON.parse(raw) as StoredSession;
        return typeof s.refreshToken === 'string' && s.refreshToken ? s : undefined;
      } catch {
        return undefined; // written by something else: treat as signed out
      }
    },
    save: (s) => storage.setItem(key, JSON.stringify(s)),
    clear: () => storage.removeItem(key),
  };
}
