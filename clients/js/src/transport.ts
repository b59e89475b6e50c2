import { HearthError, type ErrorBody } from './errors.js';

/** Per-call options. */
export interface CallOptions {
  /** Sent as `X-Hearth-Project`: the node fills an empty `projectId` of the request from it. */
  project?: string;
  signal?: AbortSignal;
}

/** How calls reach the node: base address, fetch, and the headers every call carries. */
export interface TransportOptions {
  /** The node's address, e.g. `http://localhost:8080`; empty for the page's own origin (browsers). */
  baseUrl: string;
  fetch?: typeof fetch;
  /** The `Accept-Language` of every call: error messages come back in it (`en`, `ru`). */
  language?: () => string | undefined;
  /** The default `X-Hearth-Project`. */
  project?: () => string | undefined;
}

/** POSTs proto JSON to the node and turns every failure into a {@link HearthError}. */
export class Transport {
  readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    // Bound: browsers refuse a fetch called with another `this`.
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Calls `POST /v1/rpc/{service}/{method}` (every unary RPC the node serves is there by name). */
  rpc(service: string, method: string, request: unknown, token: string | undefined, options?: CallOptions): Promise<unknown> {
    return this.post(`/v1/rpc/${service}/${method}`, request ?? {}, token, options);
  }

  async post(path: string, body: unknown, token: string | undefined, options?: CallOptions): Promise<unknown> {
    const response = await this.send('POST', path, JSON.stringify(body), token,
      { 'content-type': 'application/json', accept: 'application/json' }, options);
    const text = await response.text();
    return text ? parse(text) : {};
  }

  /**
   * Sends any request with the common headers and returns the answer when it is a success; a
   * failure is thrown as a {@link HearthError} (the routes that stream bodies: file transfers).
   */
  async send(method: string, path: string, body: BodyInit | undefined, token: string | undefined,
    extraHeaders: Record<string, string>, options?: CallOptions): Promise<Response> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (token) headers.authorization = `Bearer ${token}`;
    const language = this.options.language?.();
    if (language) headers['accept-language'] = language;
    const project = options?.project ?? this.options.project?.();
    if (project) headers['x-hearth-project'] = project;
    let response: Response;
    try {
      response = await this.fetchFn(this.baseUrl + path, { method, headers, body, signal: options?.signal });
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw e;
      throw new HearthError('UNAVAILABLE', `the node at ${this.baseUrl || 'this origin'} did not answer: ${(e as Error)?.message ?? e}`);
    }
    if (!response.ok) {
      const text = await response.text();
      const json = text ? parse(text) : undefined;
      throw HearthError.fromResponse(response.status, json as ErrorBody | undefined, response.headers.get('retry-after'));
    }
    return response;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // not JSON (a proxy's error page): the status speaks for it
  }
}
