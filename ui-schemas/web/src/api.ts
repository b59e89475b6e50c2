// The node's REST API as the shell uses it: JSON in, JSON out, errors as ApiError. A request that
// is refused with UNAUTHENTICATED while signed in is retried once after a token refresh, so an
// access token that expired while the tab slept costs one round trip, not a sign-in.
import { locale } from './prefs';

/** A failed call: the node's `{code, message, details}` and the HTTP status. */
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

/** What the API client needs from the session: the current token and a way to renew it. */
export interface Credentials {
  token(): string | undefined;
  /** Resolves true when a fresh access token is in place. */
  refresh(): Promise<boolean>;
}

let credentials: Credentials | undefined;

export function useCredentials(c: Credentials): void {
  credentials = c;
}

/** Calls `method path` with an optional JSON body and extra headers; resolves the JSON answer. */
export async function call<T = any>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown,
    headers: Record<string, string> = {}): Promise<T> {
  const first = await send(method, path, body, headers);
  // Not for the auth calls themselves: a refused refresh must not wait for another refresh.
  const retriable = !path.startsWith('/v1/auth/');
  if (first.status === 401 && retriable && credentials?.token() && (await credentials.refresh())) {
    return parse<T>(await send(method, path, body, headers));
  }
  return parse<T>(first);
}

/** Calls an RPC by name (`package.Service/Method`) in a project, as pages and actions do. */
export function rpc<T = any>(name: string, request: unknown, projectId: string): Promise<T> {
  return call<T>('POST', `/v1/rpc/${name}`, request, projectId ? { 'X-Hearth-Project': projectId } : {});
}

function send(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  // The language picked in the bar (else the browser's): the node answers errors in it, unless the
  // user's own setting on the node says otherwise.
  const h: Record<string, string> = { Accept: 'application/json', 'Accept-Language': locale(), ...headers };
  const token = credentials?.token();
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  return fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) })
    .catch((e) => { throw new ApiError(0, 'UNAVAILABLE', `the node cannot be reached (${e})`); });
}

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  let json: any = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { code: 'INTERNAL', message: text.slice(0, 200) };
  }
  if (!response.ok) {
    throw new ApiError(response.status, json.code ?? 'UNKNOWN', json.message ?? response.statusText, json.details ?? {});
  }
  return json as T;
}

// File contents, which are not JSON: an upload with progress (XMLHttpRequest: fetch reports no
// upload progress) and a download as a Blob. Same headers, same errors, same one retry after a
// refresh as call().

/** Posts `body` as the raw request body to `path`; `progress` hears the fraction sent. Resolves the JSON answer. */
export async function upload<T = any>(path: string, body: Blob, contentType: string, progress?: (sent: number) => void): Promise<T> {
  const once = () => new Promise<{ status: number; text: string }>((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', path);
    x.setRequestHeader('Accept', 'application/json');
    x.setRequestHeader('Accept-Language', locale());
    x.setRequestHeader('Content-Type', contentType || 'application/octet-stream');
    const token = credentials?.token();
    if (token) x.setRequestHeader('Authorization', `Bearer ${token}`);
    x.upload.onprogress = (e) => { if (e.lengthComputable && e.total) progress?.(e.loaded / e.total); };
    x.onload = () => resolve({ status: x.status, text: x.responseText });
    x.onerror = () => reject(new ApiError(0, 'UNAVAILABLE', 'the node cannot be reached'));
    x.send(body);
  });
  let answer = await once();
  if (answer.status === 401 && credentials?.token() && (await credentials.refresh())) answer = await once();
  return parse<T>(new Response(answer.text || null, { status: answer.status }));
}

/** GETs `path` as bytes (a file's content). */
export async function download(path: string): Promise<Blob> {
  const get = () => fetch(path, { headers: { 'Accept-Language': locale(), ...(credentials?.token() ? { Authorization: `Bearer ${credentials.token()}` } : {}) } })
    .catch((e) => { throw new ApiError(0, 'UNAVAILABLE', `the node cannot be reached (${e})`); });
  let r = await get();
  if (r.status === 401 && credentials?.token() && (await credentials.refresh())) r = await get();
  if (!r.ok) await parse(r);
  return r.blob();
}
