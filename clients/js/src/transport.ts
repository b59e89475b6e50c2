import { HearthError, type ErrorBody } from './errors.js';

/** Per-call options. */
export interface CallOptions {
  /** Sent as `X-Hearth-Project`: the node fills an empty `projectId` of the request from it. */
  project?: string;
  signal?: AbortSignal;
  /**
   * Hears the fraction of the request body sent (0–1) — an upload's progress bar. In a browser the
   * request then goes by XMLHttpRequest (fetch reports no upload progress); elsewhere by fetch, with
   * one call at 1 once the body is sent.
   */
  onUploadProgress?: (fraction: number) => void;
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
      const progress = options?.onUploadProgress;
      if (progress && body !== undefined && typeof XMLHttpRequest !== 'undefined') {
        response = await sendWithProgress(method, this.baseUrl + path, headers, body, progress, options?.signal);
      } else {
        response = await this.fetchFn(this.baseUrl + path, { method, headers, body, signal: options?.signal });
        progress?.(1);
      }
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

/** A request by XMLHttpRequest, answered as a fetch Response; `progress` hears the fraction of the body sent. */
function sendWithProgress(method: string, url: string, headers: Record<string, string>, body: BodyInit,
  progress: (fraction: number) => void, signal?: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open(method, url);
    x.responseType = 'blob';
    for (const [name, value] of Object.entries(headers)) x.setRequestHeader(name, value);
    x.upload.onprogress = (e) => { if (e.lengthComputable && e.total) progress(e.loaded / e.total); };
    x.onload = () => {
      const answer = new Headers();
      for (const line of x.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
        const colon = line.indexOf(':');
        if (colon > 0) answer.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
      }
      // A Response's status must be 200–599; XHR reports 0 only on network failure, handled by onerror.
      resolve(new Response(x.response as Blob, { status: x.status, statusText: x.statusText, headers: answer }));
    };
    x.onerror = () => reject(new TypeError('network error'));
    x.onabort = () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    signal?.addEventListener('abort', () => x.abort(), { once: true });
    x.send(body as XMLHttpRequestBodyInit);
  });
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // not JSON (a proxy's error page): the status speaks for it
  }
}
