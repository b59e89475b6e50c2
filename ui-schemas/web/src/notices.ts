// The in-app notification list (docs/notifications.md#the-in-app-list): a bell in the bar with the
// unread count, and a panel of the user's mentions and direct messages, newest first. A click on one
// marks it read and opens its message; "Mark all read" clears the count. The count follows the
// realtime topic notifications/user/<id> (a notice added or marked read anywhere), so it is live
// without polling. The bell is the shell's chrome, like the user menu, not a card.
import { call } from './api';
import { el } from './dom';
import { locale, t } from './prefs';

export interface Notice {
  noticeId: string; kind: string; module: string; projectId: string; projectName: string; channelId: string;
  channelName: string; authorName: string; messageId: string; atMillis: number; text: string; read: boolean;
}

interface NoticePage { notices: Notice[]; nextPageToken: string; unreadCount: number }

export function noticesTopic(userId: string): string {
  return `notifications/user/${userId}`;
}

async function listNotices(pageToken = ''): Promise<NoticePage> {
  const r = await call<any>('GET', `/v1/me/notices?pageSize=20${pageToken ? '&pageToken=' + encodeURIComponent(pageToken) : ''}`);
  return {
    notices: (r.notices ?? []).map((n: any) => ({ ...n, atMillis: Number(n.atMillis ?? 0), read: Boolean(n.read), text: n.text ?? '',
      channelName: n.channelName ?? '', authorName: n.authorName ?? '', projectName: n.projectName ?? '' })),
    nextPageToken: r.nextPageToken ?? '', unreadCount: Number(r.unreadCount ?? 0),
  };
}

async function markRead(change: { noticeIds?: string[]; all?: boolean }): Promise<number> {
  const r = await call<any>('POST', '/v1/me/notices/read', change);
  return Number(r.unreadCount ?? 0);
}

/** Where a notice leads: its message in its channel. */
export function noticeHref(n: Notice): string {
  const q = new URLSearchParams({ channelId: n.channelId, message: n.messageId }).toString();
  return `#/p/${encodeURIComponent(n.projectId)}/${encodeURIComponent(n.module)}/channel?${q}`;
}

function title(n: Notice): string {
  const who = n.authorName || t('shell.notices.someone');
  if (n.kind === 'direct') return t('shell.notices.direct').replace('{0}', who);
  return n.channelName ? t('shell.notices.mention').replace('{0}', who).replace('{1}', n.channelName)
    : t('shell.notices.mentionUnnamed').replace('{0}', who);
}

export class NoticeBell {
  readonly element: HTMLDetailsElement;
  private readonly summary: HTMLElement;
  private readonly count: HTMLElement;
  private readonly list: HTMLElement;
  private readonly more: HTMLButtonElement;
  private next = '';
  private loading: Promise<void> | undefined;

  constructor() {
    this.count = el('span', { class: 'badge mention', id: 'notice-count', hidden: true });
    this.summary = el('summary', { id: 'notice-bell-button', class: 'icon' }, el('span', { 'aria-hidden': 'true' }, '🔔'), this.count);
    this.list = el('ul', { id: 'notice-list', class: 'notice-list' });
    this.more = el('button', { type: 'button', id: 'notice-more', hidden: true, onclick: () => void this.load(true) },
      t('shell.notices.more')) as HTMLButtonElement;
    this.element = el('details', { class: 'user-menu notice-bell', id: 'notice-bell' },
      this.summary,
      el('div', { class: 'menu notice-panel', role: 'region', 'aria-labelledby': 'notice-heading' },
        el('div', { class: 'notice-head' },
          el('h2', { id: 'notice-heading' }, t('shell.notices.title')),
          el('button', { type: 'button', id: 'notice-all-read', onclick: () => void this.allRead() }, t('shell.notices.allRead'))),
        this.list, this.more)) as HTMLDetailsElement;
    this.element.addEventListener('toggle', () => { if (this.element.open) void this.load(false); });
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { this.element.open = false; this.summary.focus(); }
    });
    document.addEventListener('click', (e) => { if (!this.element.contains(e.target as Node)) this.element.open = false; });
    this.show(0);
  }

  /** A notice was added or marked read (the realtime topic): the count, and the list when open, again. */
  changed(): void {
    void this.load(false);
  }

  /** The first page (or, with `more`, the next one): the count always, the list when it is open. */
  load(more: boolean): Promise<void> {
    const run = async () => {
      const page = await listNotices(more ? this.next : '');
      this.show(page.unreadCount);
      this.next = page.nextPageToken;
      this.more.hidden = !this.next;
      const items = page.notices.map((n) => this.item(n));
      if (more) this.list.append(...items);
      else this.list.replaceChildren(...(items.length ? items : [el('li', { class: 'note' }, t('shell.notices.empty'))]));
    };
    // One load at a time; a change while loading loads once more after it.
    const queued = (this.loading ?? Promise.resolve()).then(run, run).catch(() => undefined);
    this.loading = queued;
    return queued;
  }

  private show(unread: number): void {
    this.count.textContent = unread > 99 ? '99+' : String(unread);
    this.count.hidden = unread === 0;
    const label = unread ? t('shell.notices.labelUnread').replace('{0}', String(unread)) : t('shell.notices.title');
    this.summary.setAttribute('aria-label', label);
    this.summary.setAttribute('title', label);
  }

  private item(n: Notice): HTMLElement {
    const when = new Date(n.atMillis).toLocaleString(locale(), { dateStyle: 'short', timeStyle: 'short' });
    const link = el('a', { href: noticeHref(n), class: n.read ? 'notice' : 'notice unread', onclick: () => {
      this.element.open = false;
      if (!n.read) void markRead({ noticeIds: [n.noticeId] }).then((left) => this.show(left)).catch(() => undefined);
    } },
    el('span', { class: 'notice-title' }, title(n)),
    el('span', { class: 'note' }, [n.projectName, when].filter(Boolean).join(' · ')),
    ...(n.text ? [el('span', { class: 'notice-text' }, n.text)] : []),
    ...(n.read ? [] : [el('span', { class: 'sr-only' }, t('shell.notices.unread'))]));
    return el('li', {}, link);
  }

  private async allRead(): Promise<void> {
    this.show(await markRead({ all: true }).catch(() => Number(this.count.textContent) || 0));
    await this.load(false);
  }
}
