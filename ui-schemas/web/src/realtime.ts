// One WebSocket to /v1/realtime (docs/realtime.md) for the whole tab. The shell says which topics
// the open page follows; the connection authenticates, subscribes to them from "now" and calls
// back on each event. After a drop it reconnects with backoff and tells the page to reload,
// because events may have been missed while it was away (a page reload is cheaper than tracking
// per-topic sequences for data the page fetches whole anyway). Besides the page's topics, the
// shell may follow topics of its own (the video room's signal topic) and wait until one is live.

type Listener = (topic: string, event: string, data: Record<string, unknown>) => void;

export class Realtime {
  private ws?: WebSocket;
  private topics = new Set<string>();
  /** Who follows which topics: the open page, the shell's own parts (video room, sidebar). */
  private sets = new Map<string, string[]>();
  private subscribed = new Set<string>();
  /** Topics the node confirmed (`subscribed`), and who waits for that. */
  private live = new Set<string>();
  private waiting = new Map<string, Array<{ resolve: () => void; reject: (e: Error) => void }>>();
  private token?: string;
  private backoff = 500;
  private retry?: number;
  private authenticated = false;

  constructor(
    private readonly onEvent: Listener,
    private readonly onStatus: (online: boolean) => void,
    private readonly onResync: () => void,
  ) {}

  /** Uses `token` from now on (re-authenticating an open connection); undefined closes it. */
  setToken(token: string | undefined): void {
    this.token = token;
    if (!token) {
      this.close();
    } else if (this.ws?.readyState === WebSocket.OPEN) {
      this.send({ type: 'auth', token, batch: true });
    } else if (!this.ws) {
      this.connect();
    }
  }

  /** Follows exactly `topics` (the open page's) from now on: new ones are subscribed, others unsubscribed. */
  follow(topics: string[]): void {
    this.followFor('page', topics);
  }

  /** Follows `topics` besides the page's, for the shell's own use (the video room's signals). */
  followAlso(topics: string[]): void {
    this.followFor('own', topics);
  }

  /** Follows exactly `topics` for `owner` (the sidebar's unread counts, …), besides everyone else's. */
  followFor(owner: string, topics: string[]): void {
    this.sets.set(owner, topics);
    this.apply();
  }

  /**
   * Resolves once the node confirmed the subscription to `topic` (events published from then on
   * reach this tab: ephemeral ones sent earlier never would); rejects with the node's error.
   */
  whenLive(topic: string): Promise<void> {
    if (this.live.has(topic)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiting.set(topic, [...(this.waiting.get(topic) ?? []), { resolve, reject }]);
    });
  }

  private apply(): void {
    this.topics = new Set([...this.sets.values()].flat());
    if (!this.authenticated) return;
    for (const t of this.subscribed) if (!this.topics.has(t)) this.unsubscribe(t);
    for (const t of this.topics) if (!this.subscribed.has(t)) this.subscribe(t);
  }

  private connect(): void {
    if (!this.token) return;
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/realtime`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => this.send({ type: 'auth', token: this.token, batch: true, id: 'auth' });
    ws.onmessage = (m) => this.receive(JSON.parse(String(m.data)));
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.authenticated = false;
      this.subscribed.clear();
      this.live.clear();
      this.onStatus(false);
      if (this.token) {
        this.retry = window.setTimeout(() => this.connect(), this.backoff);
        this.backoff = Math.min(this.backoff * 2, 15000);
      }
    };
  }

  private receive(frame: any): void {
    switch (frame.type) {
      case 'batch':
        frame.frames.forEach((f: any) => this.receive(f));
        break;
      case 'authenticated': {
        const again = this.authenticated;
        this.authenticated = true;
        if (again) break;
        const reconnected = this.backoff > 500 || this.retry !== undefined;
        this.backoff = 500;
        this.retry = undefined;
        this.onStatus(true);
        this.topics.forEach((t) => this.subscribe(t));
        if (reconnected) this.onResync();
        break;
      }
      case 'event':
        if (this.topics.has(frame.topic)) this.onEvent(frame.topic, String(frame.event ?? ''), frame.data ?? {});
        break;
      case 'subscribed':
        this.live.add(frame.topic);
        this.settle(frame.topic);
        break;
      case 'unsubscribed':
        // The node ended it (module stopped, permission lost): follow again once it may work.
        this.subscribed.delete(frame.topic);
        this.live.delete(frame.topic);
        break;
      case 'error':
        if (frame.id && String(frame.id).startsWith('sub:')) {
          const topic = String(frame.id).slice(4);
          this.subscribed.delete(topic);
          this.settle(topic, new Error(`${frame.code}: ${frame.message}`));
        }
        break;
    }
  }

  private settle(topic: string, error?: Error): void {
    const waiters = this.waiting.get(topic) ?? [];
    this.waiting.delete(topic);
    waiters.forEach((w) => (error ? w.reject(error) : w.resolve()));
  }

  private subscribe(topic: string): void {
    this.subscribed.add(topic);
    this.send({ type: 'subscribe', topic, from: 'now', id: `sub:${topic}` });
  }

  private unsubscribe(topic: string): void {
    this.subscribed.delete(topic);
    this.live.delete(topic);
    this.send({ type: 'unsubscribe', topic });
  }

  private send(frame: object): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private close(): void {
    window.clearTimeout(this.retry);
    this.retry = undefined;
    const ws = this.ws;
    this.ws = undefined;
    this.authenticated = false;
    this.subscribed.clear();
    this.live.clear();
    ws?.close();
  }
}
