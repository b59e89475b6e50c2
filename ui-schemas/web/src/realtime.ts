// The tab's one WebSocket to /v1/realtime (docs/realtime.md), @hearth/client's realtime client on
// the shell's session (`hearth.realtime()`): it authenticates (again with each renewed token),
// reconnects with backoff and resumes every topic from the last sequence it delivered, so durable
// events missed while away arrive afterwards, once each and in order. The shell says which topics
// its parts follow — the open page, the sidebar, the video room — and hears each event once.
// Only when the node no longer keeps what was missed is the page told to load its data again
// (`onResync`); ephemeral events (typing, presence, video signals) are never replayed, so
// `onReconnect` lets those parts announce themselves again.
import type { Realtime as Connection, Subscription } from '@hearth/client';
import { hearth } from './api';

type Listener = (topic: string, event: string, data: Record<string, unknown>) => void;

export class Realtime {
  private connection?: Connection;
  /** Who follows which topics: the open page, the shell's own parts (video room, sidebar). */
  private sets = new Map<string, string[]>();
  private subscriptions = new Map<string, Subscription>();
  /** Callers of whenLive() for a topic nobody follows yet. */
  private waiting = new Map<string, Array<{ resolve: () => void; reject: (e: Error) => void }>>();
  private signedIn = false;
  private wasOpen = false;
  private reconnecting = false;

  constructor(
    private readonly onEvent: Listener,
    private readonly onStatus: (online: boolean) => void,
    /** Events of a followed topic were lost (the node no longer keeps them): load the data again. */
    private readonly onResync: () => void,
    /** Connected again after a drop (durable events resumed): parts that live on ephemeral events announce again. */
    private readonly onReconnect: () => void = () => {},
  ) {}

  /** Signed in with `token` (the client re-authenticates by itself with renewed ones); undefined closes the connection. */
  setToken(token: string | undefined): void {
    this.signedIn = token !== undefined;
    if (!token) {
      this.connection?.close();
      this.wasOpen = false;
    } else if (this.subscriptions.size > 0) {
      this.conn().connect();
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
    const wanted = new Set([...this.sets.values()].flat());
    for (const [topic, sub] of this.subscriptions) {
      if (!wanted.has(topic)) {
        sub.unsubscribe();
        this.subscriptions.delete(topic);
      }
    }
    for (const topic of wanted) {
      if (this.subscriptions.has(topic)) continue;
      const sub = this.conn().subscribe(topic, (e) => this.onEvent(e.topic, e.event, e.data));
      this.subscriptions.set(topic, sub);
      const waiters = this.waiting.get(topic) ?? [];
      this.waiting.delete(topic);
      waiters.forEach((w) => sub.ready.then(() => w.resolve(), w.reject));
    }
  }

  /**
   * Resolves once the node confirmed the subscription to `topic` (events published from then on
   * reach this tab: ephemeral ones sent earlier never would); rejects with the node's error.
   */
  whenLive(topic: string): Promise<void> {
    const sub = this.subscriptions.get(topic);
    if (sub) return sub.ready.then(() => undefined);
    return new Promise((resolve, reject) => {
      this.waiting.set(topic, [...(this.waiting.get(topic) ?? []), { resolve, reject }]);
    });
  }

  private conn(): Connection {
    this.connection ??= hearth.realtime({
      onState: (state) => {
        if (state === 'open') {
          this.onStatus(true);
          // After the client has sent this connection's subscribe frames (it does so right after this).
          if (this.reconnecting) queueMicrotask(() => this.onReconnect());
          this.wasOpen = true;
          this.reconnecting = false;
        } else if (state === 'connecting' && this.wasOpen && this.signedIn) {
          // Dropped: shown as offline until the connection is back and has resumed.
          this.reconnecting = true;
          this.onStatus(false);
        }
      },
      onError: (error, topic) => {
        if (!topic) return;
        if (error.code === 'FAILED_PRECONDITION' && error.details.resume === 'now') {
          this.onResync();
          return;
        }
        // Refused or ended for good (permission lost): forgotten, so following it again subscribes anew.
        if (this.subscriptions.get(topic)) this.subscriptions.delete(topic);
        console.warn(`realtime: ${topic}: ${error.code} ${error.message}`);
      },
    });
    return this.connection;
  }
}
