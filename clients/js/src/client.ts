import type { DescMessage, MessageJsonType } from '@bufbuild/protobuf';
import { HearthError } from './errors.js';
import { FileTransfers } from './files.js';
import { Realtime, type RealtimeOptions, type WebSocketConstructor } from './realtime.js';
import { Session } from './session.js';
import { memoryStorage, type TokenStorage } from './storage.js';
import { Transport, type CallOptions } from './transport.js';
import { serviceNames, type ServiceDescriptors } from './gen/services.js';

type JsonOf<D> = D extends DescMessage ? MessageJsonType<D> : never;

/** One unary method: its request and response in proto JSON (lowerCamel names, enums by name, int64 as strings). */
export type UnaryCall<M> = M extends { input: infer I; output: infer O }
  ? (request?: JsonOf<I>, options?: CallOptions) => Promise<JsonOf<O>>
  : never;

/** A service's unary methods, named as in protobuf-es (`PostMessage` → `postMessage`). Streams are not here. */
export type ServiceClient<S extends { method: object }> = {
  [K in keyof S['method'] as S['method'][K] extends { methodKind: 'unary' } ? K : never]: UnaryCall<S['method'][K]>;
};

/** Every service of the node: `client.chat`, `client.tenancy`, `client.auth`, … */
export type Services = { [K in keyof ServiceDescriptors]: ServiceClient<ServiceDescriptors[K]> };

/** The request type of a method, e.g. `RequestOf<'chat', 'postMessage'>` (PostMessageRequestJson). */
export type RequestOf<S extends keyof Services, M extends keyof Services[S]> =
  Services[S][M] extends (request?: infer R, options?: CallOptions) => Promise<unknown> ? R : never;

/** The response type of a method, e.g. `ResponseOf<'chat', 'postMessage'>` (MessageJson). */
export type ResponseOf<S extends keyof Services, M extends keyof Services[S]> =
  Services[S][M] extends (...args: never[]) => Promise<infer O> ? O : never;

export interface ClientOptions {
  /** The node's address, e.g. `http://localhost:8080`; leave out in a page the node serves. */
  baseUrl?: string;
  /** Where the refresh token is kept: {@link memoryStorage} (the default) or `webStorage()`. */
  storage?: TokenStorage;
  /** Use an API token (`hth_…`) instead of signing in. */
  apiToken?: string;
  /** `Accept-Language` for every call (error messages come in it). */
  language?: string;
  /** Default `X-Hearth-Project`: fills an empty `projectId` of each request. */
  project?: string;
  /** Renew the access token this long before it expires (default 60 s). */
  renewBeforeSeconds?: number;
  fetch?: typeof fetch;
  /** For {@link HearthClient.realtime} in Node 20: the `ws` package's WebSocket. */
  WebSocket?: WebSocketConstructor;
}

export interface HearthClient extends Services {}

/**
 * A typed client of one node. Each service is a property whose methods post proto JSON to
 * `/v1/rpc/{package.Service}/{Method}` with the session's token; a call refused with 401 is
 * retried once after renewing the token. Failures are {@link HearthError}s.
 *
 * ```ts
 * const hearth = new HearthClient({ baseUrl: 'http://localhost:8080' });
 * await hearth.session.logIn({ email, password });
 * await hearth.chat.postMessage({ projectId, channelId, text: 'hello' });
 * ```
 */
export class HearthClient {
  readonly session: Session;
  readonly transport: Transport;
  /** File uploads and downloads (`FileTransferService`, whose methods are streams) over their REST routes. */
  readonly fileTransfer: FileTransfers;
  /** The default project (`X-Hearth-Project`); change it when the user switches project. */
  project: string | undefined;
  /** The language of error messages (`Accept-Language`). */
  language: string | undefined;
  private readonly webSocket: WebSocketConstructor | undefined;

  constructor(options: ClientOptions = {}) {
    this.project = options.project;
    this.language = options.language;
    this.webSocket = options.WebSocket;
    this.transport = new Transport({
      baseUrl: options.baseUrl ?? '',
      fetch: options.fetch,
      language: () => this.language,
      project: () => this.project,
    });
    this.session = new Session(this.transport, options.storage ?? memoryStorage(), options.renewBeforeSeconds, options.apiToken);
    this.fileTransfer = new FileTransfers((method, path, body, headers, callOptions) =>
      this.authorized((token) => this.transport.send(method, path, body, token, headers, callOptions)));
    for (const [key, fullName] of Object.entries(serviceNames)) {
      Object.defineProperty(this, key, { value: this.service(fullName), enumerable: true });
    }
  }

  /**
   * Calls a method by its full name (`hearth.chat.v1.ChatService`, `PostMessage`): what the typed
   * properties do, for names known only at run time (a page's data sources).
   */
  call(service: string, method: string, request: unknown = {}, options?: CallOptions): Promise<unknown> {
    return this.authorized((token) => this.transport.rpc(service, method, request, token, options));
  }

  /**
   * Calls one of the node's REST routes (`GET /v1/me`, `POST /v1/orgs`, … in docs/api.md) with the
   * session's token: `body` goes as JSON, the JSON answer comes back (`{}` when empty). Like the
   * typed methods, a 401 renews the token once and a failure is a {@link HearthError}.
   */
  request<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown,
    options?: CallOptions & { headers?: Record<string, string> }): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...options?.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return this.authorized(async (token) => {
      const response = await this.transport.send(method, path, body === undefined ? undefined : JSON.stringify(body),
        token, headers, options);
      const text = await response.text();
      if (!text) return {} as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new HearthError('INTERNAL', `${method} ${path}: the answer is not JSON`, response.status);
      }
    });
  }

  /** Runs `send` with the session's token; a 401 renews the token and runs it once more. */
  private async authorized<T>(send: (token: string | undefined) => Promise<T>): Promise<T> {
    const token = await this.session.accessToken();
    try {
      return await send(token);
    } catch (e) {
      // The token may have been refused before its time (a clock off, a key rotated): renew once.
      if (!(e instanceof HearthError) || e.status !== 401 || !token || !this.session.signedIn) throw e;
      const fresh = await this.session.refresh();
      if (fresh === token) throw e;
      return send(fresh);
    }
  }

  /** The Adaptive Cards host config of a theme (`GET /v1/ui/host-config/{theme}`, public): the cards' colours, fonts, spacing. */
  async hostConfig(theme: 'light' | 'dark'): Promise<Record<string, unknown>> {
    const response = await this.transport.send('GET', `/v1/ui/host-config/${encodeURIComponent(theme)}`, undefined,
      undefined, { accept: 'application/json' });
    return await response.json() as Record<string, unknown>;
  }

  /**
   * A realtime client on this node's `/v1/realtime`, authenticated with this session's token and
   * again with each renewed one. Call `close()` on it when done.
   */
  realtime(options: Partial<RealtimeOptions> = {}): Realtime {
    const rt = new Realtime({
      url: realtimeUrl(this.transport.baseUrl),
      token: () => this.session.accessToken(),
      refresh: () => this.session.refresh(),
      WebSocket: this.webSocket,
      ...options,
    });
    const off = this.session.onToken((token) => rt.reauth(token));
    const close = rt.close.bind(rt);
    rt.close = () => { off(); close(); };
    return rt;
  }

  private service(fullName: string): object {
    const methods = new Map<string, (request?: unknown, options?: CallOptions) => Promise<unknown>>();
    // Methods are known to the types only (no runtime descriptors): the name is the proto's with its first letter raised.
    return new Proxy({}, {
      get: (_, prop) => {
        if (typeof prop !== 'string' || prop === 'then') return undefined;
        let m = methods.get(prop);
        if (!m) {
          const rpc = prop.charAt(0).toUpperCase() + prop.slice(1);
          m = (request, options) => this.call(fullName, rpc, request, options);
          methods.set(prop, m);
        }
        return m;
      },
    });
  }
}

/** `http(s)://host` → `ws(s)://host/v1/realtime`; the page's own origin when `baseUrl` is empty. */
export function realtimeUrl(baseUrl: string): string {
  if (baseUrl) return baseUrl.replace(/^http/, 'ws') + '/v1/realtime';
  const loc = (globalThis as { location?: { protocol: string; host: string } }).location;
  if (!loc) throw new Error('baseUrl is required outside a browser');
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/v1/realtime`;
}
