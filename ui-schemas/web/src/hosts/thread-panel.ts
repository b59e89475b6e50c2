// The side panel of Hearth.Timeline: one message's thread (the message, its replies as a live
// timeline of their own, and a composer that replies in it) or the channel's pinned messages. At a
// desktop width it sits beside the timeline; on a phone it covers the screen with a Back button.
// Escape or the close button closes it and gives the focus back to the button that opened it. The
// root's reply count and reactions, and the pins, follow the same realtime events as the timeline.
import './messages.css';
import { composer } from './composer';
import type { HostServices } from './services';
import { TimelineView } from './timeline-view';
import type { Message, TimelineActions } from './timeline-view';

/** What the panels need of the channel's timeline. */
interface Owner {
  readonly actions: TimelineActions;
  readonly authors: Array<{ userId: string; displayName?: string }>;
}

/** A thread's replies: a timeline of their own (timeline.ts). */
interface Replies {
  attach(): HTMLElement;
}

interface Options {
  channelId: string;
  replyRpc: string;
  pinsRpc: string;
  authorsRpc: string;
  membersRpc: string;
}

let panels = 0;

export class ChatPanels {
  private readonly wrap = div('hearth-chat');
  private readonly main = div('hearth-chat-main');
  private readonly bar = div('hearth-chat-bar');
  private readonly panel = document.createElement('section');
  private readonly heading = document.createElement('h2');
  private readonly body = div('hearth-panel-body');
  private readonly close = document.createElement('button');
  private readonly pinsButton?: HTMLButtonElement;
  private readonly threads = new Map<string, { replies: Replies; composer: HTMLElement }>();
  private mode: '' | 'thread' | 'pins' = '';
  private root?: Message;
  private rootView?: TimelineView;
  private pins = new Map<string, Message>();
  private pinsView?: TimelineView;
  private pinsNote = document.createElement('p');
  private opener?: HTMLElement;

  constructor(private readonly services: HostServices, private readonly o: Options, private readonly owner: Owner,
      private readonly thread: (rootId: string) => Replies) {
    const t = services.t;
    const id = `hearth-panel-${++panels}`;
    this.panel.className = 'hearth-panel';
    this.panel.id = id;
    this.panel.hidden = true;
    this.heading.id = `${id}-title`;
    this.heading.tabIndex = -1;
    this.panel.setAttribute('aria-labelledby', this.heading.id);
    this.close.type = 'button';
    this.close.className = 'hearth-panel-close';
    this.close.addEventListener('click', () => this.hide());
    const head = div('hearth-panel-head');
    head.append(this.close, this.heading);
    this.panel.append(head, this.body);
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !e.defaultPrevented) {
        e.preventDefault();
        this.hide();
      }
    });
    this.pinsNote.className = 'hearth-panel-note';
    this.pinsNote.setAttribute('role', 'status');
    if (o.pinsRpc) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'hearth-pins-open';
      b.textContent = `📌 ${t('shell.chat.pins')}`;
      b.setAttribute('aria-controls', id);
      b.setAttribute('aria-expanded', 'false');
      b.addEventListener('click', () => (this.mode === 'pins' ? this.hide() : void this.openPins(b)));
      this.bar.append(b);
      this.pinsButton = b;
    }
    this.main.append(this.bar);
    this.wrap.append(this.main, this.panel);
  }

  /** The timeline's element, with the bar above it and the panel beside it. */
  attach(log: HTMLElement): HTMLElement {
    if (log.parentNode !== this.main) this.main.append(log);
    return this.wrap;
  }

  /** Opens `root`'s thread. */
  openThread(root: Message, opener: HTMLElement): void {
    const t = this.services.t;
    this.show('thread', opener);
    this.root = root;
    this.wrap.dataset.thread = root.id;
    this.heading.textContent = t('shell.chat.thread');
    this.rootView = new TimelineView(this.services, { ...this.owner.actions, extras: this.rootExtras() });
    this.rootView.setAuthors(this.owner.authors);
    this.rootView.element.classList.add('hearth-panel-root');
    this.rootView.element.setAttribute('aria-label', t('shell.chat.threadRoot'));
    this.rootView.status('more');
    this.rootView.show([root], 'keep');
    let thread = this.threads.get(root.id);
    if (!thread) {
      thread = {
        replies: this.thread(root.id),
        composer: composer(this.services, {
          rpc: this.o.replyRpc, channelId: this.o.channelId, threadRootId: root.id, label: t('shell.chat.replyLabel'),
          placeholder: '', maxLength: 4000, mentionsRpc: this.o.authorsRpc, membersRpc: this.o.membersRpc,
        }),
      };
      this.threads.set(root.id, thread);
    }
    const replies = thread.replies.attach();
    replies.setAttribute('aria-label', t('shell.chat.threadReplies'));
    this.body.replaceChildren(this.rootView.element, replies, thread.composer);
    thread.composer.querySelector('textarea')?.focus();
  }

  /** Opens the channel's pinned messages. */
  private async openPins(opener: HTMLElement): Promise<void> {
    const t = this.services.t;
    this.show('pins', opener);
    this.heading.textContent = t('shell.chat.pins');
    this.pinsView = new TimelineView(this.services, { ...this.owner.actions, nearTop: () => undefined });
    this.pinsView.setAuthors(this.owner.authors);
    this.pinsView.element.classList.add('hearth-panel-pins');
    this.pinsView.element.setAttribute('aria-label', t('shell.chat.pins'));
    this.pinsView.status('more');
    this.pinsNote.textContent = t('shell.chat.loading');
    this.body.replaceChildren(this.pinsNote, this.pinsView.element);
    this.heading.focus();
    try {
      const answer = await this.services.rpc<{ messages?: Message[] }>(this.o.pinsRpc, { channelId: this.o.channelId });
      this.pins = new Map((answer.messages ?? []).map((m) => [m.id, m]));
      this.showPins();
    } catch (e) {
      this.pinsNote.textContent = this.services.describe(e);
    }
  }

  /** A message the timeline saw (an event or an answer): the open root and the pins follow it. */
  seen(m: Message): void {
    if (this.mode === 'thread' && this.root && m.id === this.root.id) {
      this.root = m;
      this.rootView?.show([m], 'keep');
    }
    if (this.mode === 'pins' && this.pinsView) {
      const had = this.pins.has(m.id);
      if (m.pinned && !m.deleted) this.pins.set(m.id, m);
      else this.pins.delete(m.id);
      if (had || this.pins.has(m.id)) this.showPins();
    }
  }

  private showPins(): void {
    const sorted = [...this.pins.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.pinsNote.textContent = sorted.length ? '' : this.services.t('shell.chat.noPins');
    this.pinsNote.hidden = sorted.length > 0;
    this.pinsView?.show(sorted, 'keep');
  }

  /** Under the thread's root: reactions and pins as in the timeline, but no Reply (this is the thread). */
  private rootExtras(): TimelineActions['extras'] {
    const extras = this.owner.actions.extras;
    if (!extras) return undefined;
    return (m) => {
      const x = extras(m);
      x?.tools.querySelector('.hearth-msg-reply')?.remove();
      if (x) x.below = x.below.map((n) => (n.classList.contains('hearth-msg-replies') ? replyCount(this.services, m) : n));
      return x;
    };
  }

  private show(mode: 'thread' | 'pins', opener: HTMLElement): void {
    const t = this.services.t;
    this.mode = mode;
    this.opener = opener;
    this.wrap.dataset.panel = mode;
    delete this.wrap.dataset.thread;
    this.panel.hidden = false;
    // A wide screen shows ✕ (named for a screen reader), a phone "← Back": each name is its visible text.
    const x = span('hearth-panel-x', '✕', true);
    const wide = span('hearth-panel-wide hearth-sr', t(mode === 'thread' ? 'shell.chat.closeThread' : 'shell.chat.closePins'));
    const arrow = span('hearth-panel-back', '← ', true);
    const narrow = span('hearth-panel-back', t('shell.chat.back'));
    this.close.replaceChildren(x, wide, arrow, narrow);
    this.pinsButton?.setAttribute('aria-expanded', String(mode === 'pins'));
  }

  private hide(): void {
    const rootId = this.root?.id;
    this.mode = '';
    this.panel.hidden = true;
    this.wrap.dataset.panel = '';
    delete this.wrap.dataset.thread;
    this.root = undefined;
    this.pinsView = undefined;
    this.pinsButton?.setAttribute('aria-expanded', 'false');
    // The Reply button that opened a thread is rebuilt when its message changes (a new reply): its successor.
    const opener = this.opener?.isConnected ? this.opener
      : rootId ? this.main.querySelector<HTMLElement>(`[data-id="${rootId}"] .hearth-msg-reply`) : null;
    this.opener = undefined;
    (opener ?? this.pinsButton)?.focus();
  }
}

function replyCount(services: HostServices, m: Message): HTMLElement {
  const p = div('hearth-msg-replies');
  const n = m.replyCount ?? 0;
  p.textContent = n ? services.t('shell.chat.replyCount').replace('{0}', String(n)) : services.t('shell.chat.noReplies');
  return p;
}

function span(className: string, text: string, hidden = false): HTMLElement {
  const s = document.createElement('span');
  s.className = className;
  s.textContent = text;
  if (hidden) s.setAttribute('aria-hidden', 'true');
  return s;
}

function div(className: string): HTMLElement {
  const e = document.createElement('div');
  e.className = className;
  return e;
}
