// The DOM of Hearth.Timeline: a scrolling log of messages with day separators, each message with its
// author's avatar (initials), name, time, Markdown text and edited marker, and Edit / Delete on the
// reader's own. Message elements are kept by id and rebuilt only when that message changes, and the
// scroll position is managed here: anchored when older history comes in above, following the newest
// message when the reader was at the bottom.
import { describe as timeText } from './time';
import { attachmentsView } from './attachments';
import { messageHtml } from './message-text';
import type { HostServices } from './services';
import { MessageEditor } from './timeline-edit';
import type { Extras } from './message-tools';
import { highlightMentions } from './mentions';
import { messageCard } from './message-card';

/** A message as the list RPC and the realtime events give it (proto3 JSON). */
export interface Message {
  id: string;
  channelId: string;
  authorId: string;
  text: string;
  threadRootId?: string;
  deleted?: boolean;
  createdAtMicros: string;
  editedAtMicros?: string;
  replyCount?: number;
  revision?: string;
  attachmentFileIds?: string[];
  reactions?: Array<{ emoji: string; userIds?: string[] }>;
  pinned?: boolean;
  mentionUserIds?: string[];
  /** Posted by a bot account (docs/bots.md). */
  fromBot?: boolean;
  /** An Adaptive Card shown under the text (JSON). */
  cardJson?: string;
}

export interface TimelineActions {
  own(m: Message): boolean;
  edit?: (m: Message, text: string) => Promise<void>;
  remove?: (m: Message) => Promise<void>;
  nearTop(): void;
  /** Reactions, replies, pins (message-tools.ts). */
  extras?: (m: Message) => Extras | undefined;
}

type Placement = 'bottom' | 'anchor' | 'follow' | 'keep';
type Status = 'loading' | 'more' | 'start' | 'error';

export class TimelineView {
  readonly element = document.createElement('div');
  private readonly list = document.createElement('div');
  private readonly note = document.createElement('p');
  private readonly items = new Map<string, { revision: string; node: HTMLElement; editor?: MessageEditor }>();
  private authors = new Map<string, string>();
  /** Authors' avatars (a file of a project), when the members answer carries them. */
  private pictures = new Map<string, [string, string]>();
  private fromBottom = 0;
  private messages: Message[] = [];
  private state: { kind: Status; text?: string } = { kind: 'loading' };

  constructor(private readonly services: HostServices, private readonly actions: TimelineActions) {
    this.element.className = 'hearth-timeline';
    this.element.setAttribute('role', 'log');
    this.element.setAttribute('aria-label', services.t('shell.chat.timeline'));
    this.element.tabIndex = 0;
    this.note.className = 'hearth-timeline-note';
    this.list.className = 'hearth-timeline-list';
    this.element.append(this.note, this.list);
    this.element.addEventListener('scroll', () => {
      this.fromBottom = this.element.scrollHeight - this.element.clientHeight - this.element.scrollTop;
      if (this.element.scrollTop < 150) actions.nearTop();
    }, { passive: true });
  }

  setAuthors(members: Array<{ userId: string; displayName?: string; avatarFileId?: string; avatarProjectId?: string }>): void {
    this.authors = new Map(members.filter((m) => m.displayName).map((m) => [m.userId, m.displayName!]));
    this.pictures = new Map(members.filter((m) => m.avatarFileId && m.avatarProjectId)
      .map((m) => [m.userId, [m.avatarProjectId!, m.avatarFileId!]]));
    this.items.clear();
    this.show(this.messages, 'keep');
  }

  status(kind: Status, text?: string): void {
    this.state = { kind, text };
    const t = this.services.t;
    this.note.dataset.status = kind;
    this.note.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    this.note.textContent = kind === 'error' ? text ?? '' : kind === 'loading' ? t('shell.chat.loading')
      : kind === 'start' ? t(this.messages.length ? 'shell.chat.start' : 'shell.chat.empty') : '';
  }

  /** Scrolled back into the page after a re-render of the card: the same distance from the bottom. */
  reattached(): void {
    requestAnimationFrame(() => { this.element.scrollTop = this.element.scrollHeight - this.element.clientHeight - this.fromBottom; });
  }

  fitsWithoutScrolling(): boolean {
    return this.element.isConnected && this.element.scrollHeight <= this.element.clientHeight + 150;
  }

  show(messages: Message[], placement: Placement): void {
    this.messages = messages;
    const top = this.element.scrollTop;
    const height = this.element.scrollHeight;
    const atBottom = this.fromBottom < 48;
    const nodes: HTMLElement[] = [];
    let day = '';
    for (const m of messages) {
      const when = new Date(Number(m.createdAtMicros) / 1000);
      const d = when.toDateString();
      if (d !== day) {
        day = d;
        nodes.push(this.separator(when));
      }
      nodes.push(this.item(m));
    }
    this.list.replaceChildren(...nodes);
    if (this.state.kind === 'start') this.status('start'); // "no messages yet" until the first one
    if (placement === 'bottom' || (placement === 'follow' && atBottom)) {
      this.element.scrollTop = this.element.scrollHeight;
    } else if (placement === 'anchor') {
      this.element.scrollTop = top + (this.element.scrollHeight - height);
    }
    this.fromBottom = this.element.scrollHeight - this.element.clientHeight - this.element.scrollTop;
  }

  /** Scrolls `id` to the middle of the box and highlights it (a search result opened); false when it is not loaded. */
  reveal(id: string): boolean {
    const node = this.items.get(id)?.node;
    if (!node?.isConnected) return false;
    this.list.querySelectorAll('.hearth-msg-focus').forEach((n) => n.classList.remove('hearth-msg-focus'));
    node.classList.add('hearth-msg-focus');
    node.tabIndex = -1;
    node.scrollIntoView({ block: 'center' });
    node.focus({ preventScroll: true });
    this.fromBottom = this.element.scrollHeight - this.element.clientHeight - this.element.scrollTop;
    return true;
  }

  private item(m: Message): HTMLElement {
    const revision = `${m.revision ?? 0}/${m.deleted ? 'x' : ''}`;
    const had = this.items.get(m.id);
    // An edit in progress stays as it is until saved or cancelled (unless the message is gone).
    if (had && (had.revision === revision || (had.editor?.open && !m.deleted))) return had.node;
    const { node, editor } = this.render(m);
    this.items.set(m.id, { revision, node, editor });
    return node;
  }

  private separator(when: Date): HTMLElement {
    const s = document.createElement('div');
    s.className = 'hearth-day';
    s.setAttribute('role', 'separator');
    const today = new Date();
    const yesterday = new Date(today.getTime() - 86400000);
    s.textContent = when.toDateString() === today.toDateString() ? this.services.t('shell.chat.today')
      : when.toDateString() === yesterday.toDateString() ? this.services.t('shell.chat.yesterday')
        : when.toLocaleDateString(lang(), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    return s;
  }

  private render(m: Message): { node: HTMLElement; editor?: MessageEditor } {
    const t = this.services.t;
    const name = this.authors.get(m.authorId) ?? `@${m.authorId.slice(-6)}`;
    const node = el('article', 'hearth-msg');
    node.dataset.id = m.id;
    const avatar = el('div', 'hearth-avatar', initials(name));
    avatar.setAttribute('aria-hidden', 'true');
    avatar.style.setProperty('--hue', String(hue(m.authorId)));
    const picture = this.pictures.get(m.authorId);
    if (picture && this.services.picture) {
      void this.services.picture(picture[0], picture[1]).then((src) => {
        if (!src) return;
        const img = document.createElement('img');
        img.src = src;
        img.alt = '';
        img.className = 'hearth-avatar-img';
        avatar.replaceChildren(img);
        avatar.classList.add('has-picture');
      });
    }
    const when = new Date(Number(m.createdAtMicros) / 1000);
    const time = el('time', 'hearth-msg-time', timeText(when, 'time', lang()));
    time.setAttribute('datetime', when.toISOString());
    time.title = when.toLocaleString(lang());
    const head = el('div', 'hearth-msg-head', el('span', 'hearth-msg-author', name), time);
    if (m.fromBot) head.insertBefore(el('span', 'hearth-msg-bot', t('shell.chat.bot')), time);
    const edited = m.editedAtMicros && m.editedAtMicros !== '0' && !m.deleted;
    if (edited) head.append(el('span', 'hearth-msg-edited', t('shell.chat.edited')));
    const text = el('div', 'hearth-msg-text');
    if (m.deleted) {
      text.classList.add('hearth-msg-deleted');
      text.textContent = t('shell.chat.deleted');
    } else {
      text.innerHTML = messageHtml(m.text); // escaped first: see message-text.ts
      if (m.mentionUserIds?.length) highlightMentions(text, m.mentionUserIds.map((u) => this.authors.get(u) ?? ''));
    }
    const body = el('div', 'hearth-msg-body', head, text);
    if (m.cardJson && !m.deleted) {
      const card = messageCard(m.cardJson);
      if (card) body.append(card);
    }
    if (m.attachmentFileIds?.length && !m.deleted) body.append(attachmentsView(this.services, m.attachmentFileIds));
    const extras = this.actions.extras?.(m);
    if (extras) {
      head.append(...extras.head);
      body.append(...extras.below, extras.tools);
    } else if (m.replyCount) {
      body.append(el('div', 'hearth-msg-replies', `${m.replyCount} ${t('shell.chat.replies')}`));
    }
    let editor: MessageEditor | undefined;
    if (this.actions.own(m) && (this.actions.edit || this.actions.remove)) {
      editor = new MessageEditor(this.services, m, text, { edit: this.actions.edit, remove: this.actions.remove });
      (extras?.tools ?? body).append(editor.buttons);
    }
    node.append(avatar, body);
    return { node, editor };
  }
}

function el(tag: string, className: string, ...children: Array<Node | string>): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  e.append(...children);
  return e;
}

function lang(): string | undefined {
  return document.documentElement.lang || undefined;
}

/** Up to two letters: the first of the first and last words ("Ann Lee" → "AL", "@a1b2c3" → "A"). */
export function initials(name: string): string {
  const words = name.replace(/^@/, '').trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((w) => [...w][0] ?? '').join('').toUpperCase() || '?';
}

/** A stable colour per user. */
function hue(id: string): number {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) % 360;
  return h;
}
