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

/**
 * Sends raw bytes (an upload: `POST /v1/projects/{p}/files?name=`) or fetches raw bytes (a download),
 * with the same token, refresh and errors as call(); resolves the Response when it is 2xx.
 */
export async function callRaw(method: 'GET' | 'POST', path: string, body?: Blob, headers: Record<string, string> = {}): Promise<Response> {
  const attempt = (): Promise<Response> => {
    const h: Record<string, string> = { 'Accept-Language': locale(), ...headers };
    const token = credentials?.token();
    if (token) h.Authorization = `Bearer ${token}`;
    return fetch(path, { method, headers: h, body })
      .catch((e) => { throw new ApiError(0, 'UNAVAILABLE', `the node cannot be reached (${e})`); });
  };
  let response = await attempt();
  if (response.status === 401 && credentials?.token() && (await credentials.refresh())) response = await attempt();
  if (!response.ok) await parse(response); // throws the node's error
  return response;
}
