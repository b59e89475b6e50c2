// Hearth.Timeline: a channel's messages as a chat shows them, which a card's Container list cannot:
// it loads older history through the list RPC's cursor when scrolled to the top (keeping the first
// visible message where it was), applies the page's realtime events to the message they name
// (created, updated, deleted: no refetch, no re-render of the card), and lets the reader edit and
// delete their own messages. The loaded history is kept while the page is open, so a re-render of
// the card (another event, a theme change) shows the same element at the same scroll position.
import { useMessageCardHost } from './message-card';
import { CardElement, NumProperty, StringProperty, Versions } from 'adaptivecards';
import { hostServices, keep, onLive } from './services';
import type { HostServices } from './services';
import { TimelineView } from './timeline-view';
import type { Message, TimelineActions } from './timeline-view';
import { messageExtras } from './message-tools';
import { ChatPanels } from './thread-panel';

export class HearthTimeline extends CardElement {
  static readonly JsonTypeName = 'Hearth.Timeline';
  static readonly requiredProperties = ['source', 'channelId'];

  /** The list RPC: takes {channelId, threadRootId, before, limit}, answers {messages (oldest first), olderCursor}. */
  static readonly sourceProperty = new StringProperty(Versions.v1_0, 'source', true);
  static readonly channelIdProperty = new StringProperty(Versions.v1_0, 'channelId', true);
  /** Set to show one thread's replies instead of the channel's top-level messages. */
  static readonly threadRootIdProperty = new StringProperty(Versions.v1_0, 'threadRootId', true);
  /** The realtime topic whose message.created/updated/deleted events (a message each) are applied. */
  static readonly topicProperty = new StringProperty(Versions.v1_0, 'topic', true);
  /** Called with {channelId, messageId, text} to edit one's own message; no Edit button without it. */
  static readonly editRpcProperty = new StringProperty(Versions.v1_0, 'editRpc', true);
  /** Called with {channelId, messageId} to delete one's own message; no Delete button without it. */
  static readonly deleteRpcProperty = new StringProperty(Versions.v1_0, 'deleteRpc', true);
  /** Answers {members: [{userId, displayName}]}: the authors' names (else a short id). */
  static readonly authorsRpcProperty = new StringProperty(Versions.v1_0, 'authorsRpc', true);
  /** Called with {channelId, messageId, emoji, add}: reactions and the emoji picker; none without it. */
  static readonly reactRpcProperty = new StringProperty(Versions.v1_0, 'reactRpc', true);
  /** Called with {channelId, messageId, pinned}: Pin / Unpin on every message. */
  static readonly pinRpcProperty = new StringProperty(Versions.v1_0, 'pinRpc', true);
  /** Called with {channelId}, answers {messages}: the channel's pins, in a side panel. */
  static readonly pinsRpcProperty = new StringProperty(Versions.v1_0, 'pinsRpc', true);
  /** Called with {channelId, threadRootId, text, mentionUserIds}: Reply opens a thread side panel posting with it. */
  static readonly replyRpcProperty = new StringProperty(Versions.v1_0, 'replyRpc', true);
  /** Answers {members: [{userId}]} for {channelId}: who the thread composer's `@` offers (with authorsRpc's names). */
  static readonly membersRpcProperty = new StringProperty(Versions.v1_0, 'membersRpc', true);
  /** Messages per page, 1 to 100. */
  static readonly pageSizeProperty = new NumProperty(Versions.v1_0, 'pageSize', 50);

  getJsonTypeName(): string {
    return HearthTimeline.JsonTypeName;
  }

  private text(p: StringProperty): string {
    return this.getValue(p) ?? '';
  }

  protected internalRender(): HTMLElement | undefined {
    useMessageCardHost(this.hostConfig);
    const services = hostServices();
    const options: TimelineOptions = {
      source: this.text(HearthTimeline.sourceProperty),
      channelId: this.text(HearthTimeline.channelIdProperty),
      threadRootId: this.text(HearthTimeline.threadRootIdProperty),
      topic: this.text(HearthTimeline.topicProperty),
      editRpc: this.text(HearthTimeline.editRpcProperty),
      deleteRpc: this.text(HearthTimeline.deleteRpcProperty),
      authorsRpc: this.text(HearthTimeline.authorsRpcProperty),
      reactRpc: this.text(HearthTimeline.reactRpcProperty),
      pinRpc: this.text(HearthTimeline.pinRpcProperty),
      pinsRpc: this.text(HearthTimeline.pinsRpcProperty),
      replyRpc: this.text(HearthTimeline.replyRpcProperty),
      membersRpc: this.text(HearthTimeline.membersRpcProperty),
      pageSize: Math.min(100, Math.max(1, Math.round(this.getValue(HearthTimeline.pageSizeProperty) ?? 50))),
    };
    if (!services) {
      const empty = document.createElement('div');
      empty.className = 'hearth-timeline';
      return empty;
    }
    const key = `timeline\n${options.source}\n${options.channelId}\n${options.threadRootId}`;
    return keep(key, () => new Timeline(services, options)).attach();
  }
}

export interface TimelineOptions {
  source: string;
  channelId: string;
  threadRootId: string;
  topic: string;
  editRpc: string;
  deleteRpc: string;
  authorsRpc: string;
  reactRpc: string;
  pinRpc: string;
  pinsRpc: string;
  replyRpc: string;
  membersRpc: string;
  pageSize: number;
}

/** The history of one timeline while its page is open: messages by id, the cursor, the view. */
export class Timeline {
  private readonly messages = new Map<string, Message>();
  private olderCursor = '';
  private loading = false;
  private started = false;
  private readonly view: TimelineView;
  /** What the view's buttons do; the side panels show messages with the same. */
  readonly actions: TimelineActions;
  /** The thread and pins panels beside a channel's timeline (thread-panel.ts), when the card asks for them. */
  private readonly panels?: ChatPanels;
  /** The authors' names, once loaded (the side panels show messages with them too). */
  authors: Array<{ userId: string; displayName?: string }> = [];

  constructor(private readonly services: HostServices, private readonly options: TimelineOptions) {
    const o = options;
    const topLevel = !o.threadRootId;
    if (topLevel && (o.replyRpc || o.pinsRpc)) {
      this.panels = new ChatPanels(services, o, this, (rootId) => new Timeline(services, { ...o, threadRootId: rootId }));
    }
    this.actions = {
      own: (m) => m.authorId === services.user && !m.deleted,
      edit: o.editRpc ? (m, text) => this.act(o.editRpc, { messageId: m.id, text }) : undefined,
      remove: o.deleteRpc ? (m) => this.act(o.deleteRpc, { messageId: m.id }) : undefined,
      nearTop: () => void this.loadOlder(),
      extras: o.reactRpc || o.pinRpc || this.panels ? (m) => messageExtras(services, m, {
        react: o.reactRpc ? (x, emoji, add) => this.act(o.reactRpc, { messageId: x.id, emoji, add }) : undefined,
        pin: o.pinRpc ? (x, pinned) => this.act(o.pinRpc, { messageId: x.id, pinned }) : undefined,
        reply: this.panels && o.replyRpc ? (x, opener) => this.panels!.openThread(x, opener) : undefined,
      }) : undefined,
    };
    this.view = new TimelineView(services, this.actions);
    onLive((topic, event, data) => this.live(topic, event, data));
  }

  /** The element to show: built once, then the same one (history, scroll position, edits in progress). */
  attach(): HTMLElement {
    if (!this.started) {
      this.started = true;
      void this.start();
    } else {
      this.view.reattached();
    }
    return this.panels ? this.panels.attach(this.view.element) : this.view.element;
  }

  private loadAuthors(): void {
    this.services.rpc<{ members?: Array<{ userId: string; displayName?: string; avatarFileId?: string; avatarProjectId?: string }> }>(this.options.authorsRpc, {})
      .then((a) => {
        this.authors = a.members ?? [];
        this.view.setAuthors(this.authors);
      })
      .catch((e) => console.warn('timeline: authors not loaded', e));
  }

  /** Authors asked about once already: a message from someone not (or no longer) a member asks only once. */
  private readonly unknownAuthors = new Set<string>();

  private async start(): Promise<void> {
    if (this.options.authorsRpc) this.loadAuthors();
    await this.loadOlder(true);
    const wanted = this.services.params?.message;
    if (wanted && this.services.params?.channelId === this.options.channelId) await this.reveal(wanted);
  }

  /**
   * A message asked for by the page (a search result): older pages of 100 are loaded until it is in
   * (at most 50 pages), then it is scrolled to and highlighted. History stays one unbroken run.
   */
  private async reveal(id: string): Promise<void> {
    for (let pages = 0; !this.messages.has(id) && this.olderCursor && pages < 50; pages++) {
      while (this.loading) await new Promise((r) => setTimeout(r, 30));
      if (this.messages.has(id) || !this.olderCursor) break;
      await this.loadOlder(false, 100);
    }
    if (this.messages.has(id)) requestAnimationFrame(() => this.view.reveal(id));
  }

  /** The newest page first, then each older page when the reader nears the top. */
  private async loadOlder(first = false, limit = this.options.pageSize): Promise<void> {
    if (this.loading || (!first && !this.olderCursor)) return;
    this.loading = true;
    this.view.status('loading');
    try {
      const page = await this.services.rpc<{ messages?: Message[]; olderCursor?: string }>(this.options.source, {
        channelId: this.options.channelId, threadRootId: this.options.threadRootId || undefined,
        before: first ? undefined : this.olderCursor, limit,
      });
      for (const m of page.messages ?? []) if (!this.messages.has(m.id)) this.messages.set(m.id, m);
      this.olderCursor = page.olderCursor ?? '';
      this.view.status(this.olderCursor ? 'more' : 'start');
      this.view.show(this.sorted(), first ? 'bottom' : 'anchor');
    } catch (e) {
      this.view.status('error', this.services.describe(e));
    } finally {
      this.loading = false;
    }
    // A first page shorter than the box cannot be scrolled: fetch older pages until it fills.
    if (this.olderCursor && this.view.fitsWithoutScrolling()) void this.loadOlder();
  }

  /** A realtime event: the message it carries replaces ours (or joins them); other events are not ours. */
  private live(topic: string, event: string, data: Record<string, unknown>): boolean {
    if (topic !== this.options.topic && topic !== '') return false;
    if (event === 'typing') return topic !== '';
    if (event === 'page.reloaded' && this.started && !this.loading) {
      // The page reloads after a reconnect too, when events may have been missed: catch up on the newest page.
      void this.catchUp();
      return false;
    }
    if (!event.startsWith('message.')) return false;
    const m = data as unknown as Message;
    if (m.channelId !== this.options.channelId) return false;
    this.panels?.seen(m);
    if ((m.threadRootId ?? '') !== this.options.threadRootId) {
      // A reply in a thread this timeline does not show: its root's reply count comes as its own update.
      return true;
    }
    this.apply(m);
    return true;
  }

  private async catchUp(): Promise<void> {
    try {
      const page = await this.services.rpc<{ messages?: Message[] }>(this.options.source, {
        channelId: this.options.channelId, threadRootId: this.options.threadRootId || undefined, limit: this.options.pageSize,
      });
      for (const m of page.messages ?? []) this.apply(m);
    } catch (e) {
      console.warn('timeline: catching up failed', e);
    }
  }

  private apply(m: Message): void {
    const had = this.messages.get(m.id);
    if (had && Number(had.revision ?? 0) >= Number(m.revision ?? 0) && had.deleted === m.deleted) return; // nothing new, or late
    this.messages.set(m.id, m);
    this.view.show(this.sorted(), had ? 'keep' : 'follow');
    // Someone who joined after the names were read (a new member, a bot answering a command): read them again.
    if (!had && this.options.authorsRpc && this.authors.length && m.authorId
        && !this.authors.some((a) => a.userId === m.authorId) && !this.unknownAuthors.has(m.authorId)) {
      this.unknownAuthors.add(m.authorId);
      this.loadAuthors();
    }
  }

  /** Calls an RPC on one message; the message it answers is applied here (and to the panels). */
  async act(rpc: string, request: Record<string, unknown>): Promise<void> {
    const m = await this.services.rpc<Message>(rpc, { channelId: this.options.channelId, ...request });
    if (m?.id) {
      this.panels?.seen(m);
      this.apply(m);
    }
  }

  /** UUIDv7 ids sort by time. */
  private sorted(): Message[] {
    return [...this.messages.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}
