// The node's API as the shell uses it, over the one typed client of the repository (@hearth/client,
// clients/js): `hearth` is the tab's client — its session, its calls, its realtime connection and
// its file transfers. `call()` and `rpc()` are the shell's thin forms of it (JSON in, JSON out,
// errors as ApiError); a call refused with UNAUTHENTICATED while signed in is retried once after a
// token refresh by the client, so an access token that expired while the tab slept costs one round
// trip, not a sign-in.
import { HearthClient, HearthError, webStorage } from '@hearth/client';
import { locale } from './prefs';

/** Where the refresh token lives: this tab's sessionStorage (a reload stays signed in, closing the tab signs out). */
export const SESSION_KEY = 'hearth.session';
/** Where the shell kept the bare refresh token before it used @hearth/client: read once, so an upgrade keeps users signed in. */
const OLD_REFRESH_KEY = 'hearth.refresh';

function sessionStorageOfTab(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined; // storage refused (a sandboxed frame): the session lasts as long as the page
  }
}

function migrateOldSession(storage: Storage): void {
  const old = storage.getItem(OLD_REFRESH_KEY);
  if (old === null) return;
  if (!storage.getItem(SESSION_KEY) && old) storage.setItem(SESSION_KEY, JSON.stringify({ refreshToken: old, userId: '' }));
  storage.removeItem(OLD_REFRESH_KEY);
}

const storage = sessionStorageOfTab();
if (storage) migrateOldSession(storage);

/** The shell's one client of the node it was served by. */
export const hearth = new HearthClient({ storage: storage ? webStorage(storage, SESSION_KEY) : undefined });

/** A failed call: the node's `{code, message, details}` and the HTTP status (0: the node was not reached). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The client's error as the shell's: same code, message, status and details (lists kept as lists). */
export function apiError(e: unknown): unknown {
  if (e instanceof HearthError) return new ApiError(e.status, e.code, e.message, { ...e.detailValues });
  return e;
}

/** Runs a call of the client with the user's language, its failures as ApiErrors. */
export async function using<T>(send: (client: HearthClient) => Promise<T>): Promise<T> {
  // The language picked in the bar (else the browser's): the node answers errors in it, unless the
  // user's own setting on the node says otherwise.
  hearth.language = locale();
  try {
    return await send(hearth);
  } catch (e) {
    throw apiError(e);
  }
}

/** Calls `method path` with an optional JSON body and extra headers; resolves the JSON answer. */
export function call<T = any>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown,
    headers: Record<string, string> = {}): Promise<T> {
  return using((c) => c.request<T>(method, path, body, { headers }));
}

/** Calls an RPC by name (`package.Service/Method`) in a project, as pages and actions do. */
export function rpc<T = any>(name: string, request: unknown, projectId: string): Promise<T> {
  const slash = name.lastIndexOf('/');
  return using((c) => c.call(name.slice(0, slash), name.slice(slash + 1), request, { project: projectId || undefined }) as Promise<T>);
}

// File contents, which are not JSON: an upload with progress and a download as a Blob, through the
// client's file transfers (same headers, same errors, same one retry after a refresh as call()).

/** Uploads `body` to the project's files (`folderId` empty: its root); `progress` hears the fraction sent. */
export function upload<T = any>(projectId: string, name: string, folderId: string, body: Blob,
    progress?: (sent: number) => void): Promise<T> {
  return using((c) => c.fileTransfer.upload({ projectId, name, folderId: folderId || undefined, content: body },
    progress ? { onUploadProgress: progress } : undefined) as Promise<T>);
}

/** A file's content as bytes. */
export function download(projectId: string, fileId: string): Promise<Blob> {
  return using(async (c) => (await c.fileTransfer.download({ projectId, fileId })).blob());
}
