import { HearthError, type ErrorCode } from './errors.js';

/** One event on a topic (docs/realtime.md). `seq` is absent for ephemeral events (typing, presence). */
export interface RealtimeEvent<D = Record<string, unknown>> {
  topic: string;
  seq?: number;
  event: string;
  data: D;
  /** When the node accepted the write, µs since the epoch. */
  ts?: number;
}

export type EventListener = (event: RealtimeEvent) => void;

/** The least of a WebSocket this client uses: the browser's, or the `ws` package's in Node. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export type RealtimeState = 'connecting' | 'open' | 'closed';

export interface RealtimeOptions {
  /** `ws(s)://<node>/v1/realtime`. */
  url: string;
  /** The token to authenticate with; asked again at each (re)connect. */
  token: () => Promise<string | undefined> | string | undefined;
  /** A new token after the node closed with 4001 (expired or refused token). */
  refresh?: () => Promise<string | undefined>;
  /** Required in Node 20 (no global WebSocket there): e.g. `WebSocket` from the `ws` package. */
  WebSocket?: WebSocketConstructor;
  /** Let the node send several frames in one `batch` frame (default true). */
  batch?: boolean;
  /**
   * A `ping` this often (default 25,000 ms; 0: never). A connection that has heard nothing for two
   * intervals is taken for dead (a laptop that slept, a network that changed: the socket may not
   * report it for minutes) and replaced, resuming from the last sequence.
   */
  pingIntervalMs?: number;
  /** First reconnect delay, doubled after each failure up to `maxBackoffMs` (defaults 500 and 15,000). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A subscription the node refused or ended for good, or a topic whose missed events are gone. */
  onError?: (error: HearthError, topic?: string) => void;
  onState?: (state: RealtimeState) => void;
}

/** A topic followed by one listener. */
export interface Subscription {
  readonly topic: string;
  /** Resolves with the sequence the node starts after, the first time it confirms the subscription. */
  readonly ready: Promise<number>;
  /** Stops this listener; the topic is left when it had no other. */
  unsubscribe(): void;
}

/** What came over the connection, for tests and benchmarks. */
export interface RealtimeStats {
  connects: number;
  /** `authenticated` answers: one per connection, and one per re-auth with a renewed token. */
  authentications: number;
  events: number;
  batchFrames: number;
  duplicatesDropped: number;
}

interface Topic {
  listeners: Set<EventListener>;
  /** The last sequence delivered: a resume starts after it, and anything at or below it is a duplicate. */
  lastSeq?: number;
  from: number | 'now';
  confirmed: boolean;
  ready: Promise<number>;
  resolve: (seq: number) => void;
  reject: (e: HearthError) => void;
}

interface Frame {
  type: string;
  id?: string;
  topic?: string;
  seq?: number;
  event?: string;
  data?: Record<string, unknown>;
  ts?: number;
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
  frames?: Frame[];
}

/**
 * The WebSocket client of `/v1/realtime`: one connection for any number of topics. It
 * authenticates (and again with each new token), subscribes, and after a drop reconnects with
 * exponential backoff and resumes each topic from the last sequence it delivered, so every
 * durable event reaches the listeners exactly once and in order (duplicates are dropped by
 * sequence). Ephemeral events are delivered while connected and never replayed.
 */
export class Realtime {
  readonly stats: RealtimeStats = { connects: 0, authentications: 0, events: 0, batchFrames: 0, duplicatesDropped: 0 };
  private readonly topics = new Map<string, Topic>();
  /** Subscribe and auth frames waiting for their reply, by id. */
  private readonly pending = new Map<string, string>();
  private ws: WebSocketLike | undefined;
  private nextId = 1;
  private backoff: number;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pinger: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;
  private stopped = false;
  /** Between connect() and the socket's creation (the token may take a renewal): one socket at a time. */
  private opening = false;
  private authenticated = false;
  private refreshNext = false;
  private currentState: RealtimeState = 'closed';

  private readonly WebSocket: WebSocketConstructor;

  constructor(private readonly options: RealtimeOptions) {
    this.backoff = options.initialBackoffMs ?? 500;
    const ctor = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!ctor) throw new Error('no WebSocket here: pass the WebSocket option (in Node 20, WebSocket from the ws package)');
    this.WebSocket = ctor;
  }

  get state(): RealtimeState {
    return this.currentState;
  }

  /** The last sequence delivered on `topic`. */
  lastSeq(topic: string): number | undefined {
    return this.topics.get(topic)?.lastSeq;
  }

  /**
   * Follows `topic`: events after sequence `from` (the last one you saw), or from now on (the
   * default). Connects on first use. A second listener on a topic shares the first's subscription.
   * `D` types the events' data, e.g. `subscribe<MessageJson>('chat/channel/…', …)`.
   */
  subscribe<D = Record<string, unknown>>(topic: string, listener: (event: RealtimeEvent<D>) => void,
    options: { from?: number | 'now' } = {}): Subscription {
    let t = this.topics.get(topic);
    if (!t) {
      let resolve!: (seq: number) => void;
      let reject!: (e: HearthError) => void;
      const ready = new Promise<number>((res, rej) => { resolve = res; reject = rej; });
      ready.catch(() => { /* also reported to onError; a caller need not await it */ });
      const from = options.from ?? 'now';
      t = { listeners: new Set(), from, lastSeq: typeof from === 'number' ? from : undefined, confirmed: false, ready, resolve, reject };
      this.topics.set(topic, t);
      if (this.authenticated) this.sendSubscribe(topic, t);
      else this.connect();
    }
    // The data's type is the caller's word (a module defines it; chat's are its protos' JSON).
    const l = listener as unknown as EventListener;
    t.listeners.add(l);
    const entry = t;
    return {
      topic,
      ready: entry.ready,
      unsubscribe: () => {
        entry.listeners.delete(l);
        if (entry.listeners.size > 0 || this.topics.get(topic) !== entry) return;
        this.topics.delete(topic);
        if (this.authenticated) this.send({ type: 'unsubscribe', topic, id: this.id() });
      },
    };
  }

  /** Opens the connection if it is not open or opening (subscribe does this itself). */
  connect(): void {
    if (this.ws || this.retryTimer || this.opening) return;
    this.stopped = false;
    void this.open();
  }

  /** Authenticates the open connection again, with a new token (same user). */
  reauth(token: string | undefined): void {
    if (token && this.authenticated) this.send({ type: 'auth', token, batch: this.options.batch ?? true });
  }

  /** Closes the connection and stops reconnecting; topics are kept, so connect() resumes them. */
  close(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const ws = this.ws;
    this.drop();
    ws?.close(1000, 'closed by the client');
    this.setState('closed');
  }

  private async open(): Promise<void> {
    this.setState('connecting');
    this.opening = true;
    let token: string | undefined;
    try {
      token = this.refreshNext && this.options.refresh ? await this.options.refresh() : await this.options.token();
    } catch (e) {
      token = undefined;
    } finally {
      this.opening = false;
    }
    this.refreshNext = false;
    if (this.stopped) return;
    if (!token) {
      this.options.onError?.(new HearthError('UNAUTHENTICATED', 'realtime: not signed in', 401));
      this.setState('closed');
      return;
    }
    let ws: WebSocketLike;
    try {
      ws = new this.WebSocket(this.options.url);
    } catch (e) {
      this.options.onError?.(new HearthError('UNAVAILABLE', `realtime: cannot open ${this.options.url}: ${(e as Error)?.message ?? e}`));
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.stats.connects++;
      this.send({ type: 'auth', token, batch: this.options.batch ?? true, id: this.id('auth') });
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.lastHeard = Date.now();
      let frame: Frame;
      try {
        frame = JSON.parse(String(ev.data)) as Frame;
      } catch {
        return; // the node only sends JSON; anything else is not ours to act on
      }
      this.handle(frame);
    };
    ws.onerror = () => { /* onclose follows and reconnects */ };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.drop();
      if (ev.code === 4001) this.refreshNext = true;
      this.scheduleReconnect();
    };
  }

  private handle(frame: Frame): void {
    switch (frame.type) {
      case 'batch':
        this.stats.batchFrames++;
        for (const f of frame.frames ?? []) this.handle(f);
        return;
      case 'event':
        this.deliver(frame);
        return;
      case 'authenticated':
        this.stats.authentications++;
        if (this.authenticated) return; // a re-auth's answer
        this.authenticated = true;
        this.backoff = this.options.initialBackoffMs ?? 500;
        this.keepAlive();
        this.setState('open');
        for (const [topic, t] of this.topics) this.sendSubscribe(topic, t);
        return;
      case 'subscribed': {
        if (frame.id) this.pending.delete(frame.id);
        const t = this.topics.get(frame.topic ?? '');
        if (!t) return;
        if (t.lastSeq === undefined) t.lastSeq = frame.seq;
        if (!t.confirmed) t.resolve(frame.seq ?? 0);
        t.confirmed = true;
        return;
      }
      case 'unsubscribed':
        if (frame.code) this.ended(frame);
        return;
      case 'error':
        this.failed(frame);
        return;
      default:
        return; // pong, cutoff (the close that follows resumes from what was delivered)
    }
  }

  private deliver(frame: Frame): void {
    const t = this.topics.get(frame.topic ?? '');
    if (!t) return; // unsubscribed meanwhile
    if (frame.seq !== undefined && frame.seq !== null) {
      if (t.lastSeq !== undefined && frame.seq <= t.lastSeq) {
        this.stats.duplicatesDropped++;
        return;
      }
      t.lastSeq = frame.seq;
    }
    this.stats.events++;
    const event: RealtimeEvent = { topic: frame.topic!, seq: frame.seq, event: frame.event ?? '', data: frame.data ?? {}, ts: frame.ts };
    for (const l of [...t.listeners]) {
      try {
        l(event);
      } catch (e) {
        queueMicrotask(() => { throw e; }); // one listener's bug must not stop the others or the stream
      }
    }
  }

  /** The node ended a subscription: resume it later if it may come back, else give it up. */
  private ended(frame: Frame): void {
    const topic = frame.topic ?? '';
    const t = this.topics.get(topic);
    if (!t) return;
    t.lastSeq ??= frame.seq;
    if (frame.code === 'UNAVAILABLE' || frame.code === 'RESOURCE_EXHAUSTED') {
      // Its module stopped (it may be started again) or it fell behind: come back from where it was.
      setTimeout(() => {
        if (this.topics.get(topic) === t && this.authenticated) this.sendSubscribe(topic, t);
      }, this.options.initialBackoffMs ?? 500);
      return;
    }
    this.giveUp(topic, t, errorOf(frame));
  }

  private failed(frame: Frame): void {
    const topic = frame.id ? this.pending.get(frame.id) : undefined;
    if (frame.id) this.pending.delete(frame.id);
    const error = errorOf(frame);
    if (topic === '') {
      // The auth frame was refused: close, get a fresh token, come back.
      this.refreshNext = true;
      this.ws?.close(4001, 'auth refused');
      return;
    }
    const t = topic !== undefined ? this.topics.get(topic) : undefined;
    if (!t || topic === undefined) {
      this.options.onError?.(error);
      return;
    }
    if (error.code === 'FAILED_PRECONDITION' && error.details.resume === 'now') {
      // The events missed are no longer kept: the caller reloads through the API; we go on from now.
      this.options.onError?.(error, topic);
      t.lastSeq = undefined;
      t.from = 'now';
      this.sendSubscribe(topic, t);
      return;
    }
    if (error.code === 'ALREADY_EXISTS') return;
    this.giveUp(topic, t, error);
  }

  private giveUp(topic: string, t: Topic, error: HearthError): void {
    this.topics.delete(topic);
    if (!t.confirmed) t.reject(error);
    this.options.onError?.(error, topic);
  }

  private sendSubscribe(topic: string, t: Topic): void {
    const id = this.id();
    this.pending.set(id, topic);
    this.send({ type: 'subscribe', topic, from: t.lastSeq ?? t.from, id });
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.setState('connecting');
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.options.maxBackoffMs ?? 15_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.open();
    }, delay);
  }

  /** Pings while authenticated; a socket silent for two intervals is dropped and replaced. */
  private keepAlive(): void {
    const interval = this.options.pingIntervalMs ?? 25_000;
    const ws = this.ws;
    if (interval <= 0 || !ws) return;
    this.pinger = setInterval(() => {
      if (Date.now() - this.lastHeard <= 2 * interval) {
        this.send({ type: 'ping' });
        return;
      }
      this.drop();
      ws.close(4000, 'no answer to ping');
      this.scheduleReconnect();
    }, interval);
  }

  private drop(): void {
    if (this.pinger) clearInterval(this.pinger);
    this.pinger = undefined;
    const ws = this.ws;
    if (ws) {
      ws.onopen = null;
      ws.onmessage = null;
      ws.onclose = null;
    }
    this.ws = undefined;
    this.authenticated = false;
    this.pending.clear();
  }

  private send(frame: Record<string, unknown>): void {
    if (this.ws && this.ws.readyState === 1) this.ws.send(JSON.stringify(frame));
  }

  /** A frame id; the auth frame's maps to no topic (''), a subscribe's to its topic when sent. */
  private id(kind?: 'auth'): string {
    const id = String(this.nextId++);
    if (kind === 'auth') this.pending.set(id, '');
    return id;
  }

  private setState(state: RealtimeState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.options.onState?.(state);
  }
}

function errorOf(frame: Frame): HearthError {
  const details: Record<string, string> = {};
  for (const [k, v] of Object.entries(frame.details ?? {})) details[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return new HearthError((frame.code ?? 'INTERNAL') as ErrorCode, frame.message ?? frame.code ?? 'error', 0, details, { ...frame.details });
}
