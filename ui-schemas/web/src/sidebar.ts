// The sidebar: the user's orgs and their projects (switching is following a link), the open
// project's module pages, its chat channels and direct conversations with unread and mention
// badges, and its members and invite pages. On a phone it is a drawer (main.ts opens and closes it).
//
// Badges stay live without a push of counts: the sidebar follows the chat topics that announce what
// changes them (a message in a channel the user is in, the user's own read markers, mentions and
// new private channels, new public channels) and asks GetUnread again, at most once per burst.
// Opening a channel marks it read (up to its newest message, and each new message while it is open
// and the tab visible), so its badge clears. While the tab is hidden, a mention or a direct message
// becomes a browser notification (notify.ts).
import { ApiError } from './api';
import { el } from './dom';
import { errorText } from './forms';
import { t } from './prefs';
import { hidden, notify, preview } from './notify';
import { currentRoute, href, shellHref } from './router';
import type { Route } from './router';
import { channels, joinChannel, listMembers, markLatestRead, markRead, unreadCounts } from './tenancy';
import type { ChannelEntry, Org, Project } from './tenancy';

export interface OrgEntry extends Org { projects: Project[]; admin: boolean }
export interface PageEntry { moduleId: string; name: string; title: string }

export interface SidebarDeps {
  user: () => string;
  /** Follows exactly these topics for the sidebar. */
  follow: (topics: string[]) => void;
  /** The open channel's name became known (or changed): the bar's title shows it. */
  retitle?: (title: string) => void;
}

/** A chat message as the channel topic's events carry it (proto JSON). */
interface MessageEvent { id?: string; channelId?: string; authorId?: string; text?: string; mentionUserIds?: string[] }
/** Events that change no count: no GetUnread for them. */
const EPHEMERAL = new Set(['typing', 'presence']);

export class Sidebar {
  readonly element: HTMLElement;
  private readonly tree = el('nav', { class: 'orgs', 'aria-label': t('shell.orgs') });
  private readonly pages = el('nav', { id: 'nav', 'aria-label': t('shell.pages') });
  private readonly chat = el('nav', { id: 'channels', 'aria-label': t('shell.channels') });
  private readonly directs = el('nav', { id: 'directs', 'aria-label': t('shell.directs') });
  private readonly manage = el('nav', { class: 'manage', 'aria-label': t('shell.manage') });
  private project = '';
  private refreshTimer?: number;
  /** The timer set is a full refresh (lists and counts), not counts alone. */
  private fullPending = false;
  private generation = 0;
  /** The open project's channels as last listed, and its people's names (direct conversations, notifications). */
  private list: ChannelEntry[] = [];
  private names = new Map<string, string>();
  private namesOf = '';
  /** The channel whose read marker is being moved (one call at a time). */
  private reading = '';

  constructor(private readonly deps: SidebarDeps) {
    this.element = el('aside', { id: 'sidebar', class: 'sidebar' },
      el('div', { class: 'sidebar-brand' }, el('a', { href: '#/', class: 'brand' }, t('shell.name'))),
      this.tree, this.pages, this.chat, this.directs, this.manage);
    // Back to a tab that was hidden: the open channel is being read now.
    document.addEventListener('visibilitychange', () => { if (!hidden()) this.readOpen(); });
  }

  /** The orgs and projects the user can open; `shared` are those other nodes share with them. */
  setTenancy(orgs: OrgEntry[], shared: Array<Project & { orgName: string }>): void {
    const projectLink = (p: Project) => el('li', {}, el('a', { href: `#/p/${encodeURIComponent(p.id)}`, 'data-project': p.id }, p.name));
    this.tree.replaceChildren(
      ...orgs.map((o) => el('section', { class: 'org', 'data-org': o.id },
        el('h2', {}, o.name),
        el('ul', {}, ...o.projects.map(projectLink),
          ...(o.admin ? [el('li', {}, el('a', { href: shellHref({ kind: 'new-project', org: o.id }), class: 'add' }, t('shell.project.new')))] : [])))),
      ...(shared.length ? [el('section', { class: 'org' }, el('h2', {}, t('shell.shared')), el('ul', {}, ...shared.map(projectLink)))] : []),
      el('ul', { class: 'org-actions' },
        el('li', {}, el('a', { href: shellHref({ kind: 'new-org' }), class: 'add' }, t('shell.org.new'))),
        el('li', {}, el('a', { href: shellHref({ kind: 'join', code: '' }), class: 'add' }, t('shell.invite.join')))));
    this.markCurrent();
  }

  /** The open project: its pages, its channels (when chat runs there) and, for its admins, the invite page. */
  setProject(project: string, pages: PageEntry[], admin: boolean): void {
    const changed = project !== this.project;
    this.project = project;
    this.pages.replaceChildren(...(pages.length ? [el('h2', {}, t('shell.pages'))] : []),
      ...pages.map((p) => el('a', { href: href({ project, module: p.moduleId, page: p.name, params: {} }) }, p.title)));
    this.manage.replaceChildren(el('h2', {}, t('shell.project')),
      el('a', { href: shellHref({ kind: 'files', project, folder: '' }), id: 'files-link' }, t('shell.files')),
      el('a', { href: shellHref({ kind: 'members', project }) }, t('shell.members')),
      ...(admin ? [el('a', { href: shellHref({ kind: 'invite', project }) }, t('shell.invite.title'))] : []));
    const chat = pages.some((p) => p.moduleId === 'chat');
    if (!chat) {
      this.chat.replaceChildren();
      this.directs.replaceChildren();
      this.list = [];
      this.deps.follow([]);
    } else if (changed || !this.chat.childElementCount) {
      void this.refreshChannels();
    }
    this.markCurrent();
  }

  /**
   * A chat event on a followed topic: counts may have moved; a message in the open channel is read
   * (when the tab is visible); a mention or direct message may become a notification.
   */
  event(topic: string, event: string, data: Record<string, unknown>): void {
    if (EPHEMERAL.has(event)) return;
    if (event === 'message.created' && topic.startsWith('chat/channel/')) {
      const m = data as MessageEvent;
      if (m.authorId !== this.deps.user() && m.id && m.channelId) {
        const r = currentRoute();
        if (this.isOpen(r, m.channelId) && !hidden() && this.list.some((c) => c.id === m.channelId && c.joined)) {
          // Read as it arrives: the marker's own event (read.updated) refreshes the counts.
          void markRead(this.project, m.channelId, m.id).catch(() => this.changed());
          return;
        }
        void this.notifyMessage(m);
      }
    } else if (event === 'mention' && topic.startsWith('chat/user/')) {
      void this.notifyMention(data);
    }
    // A public channel made, renamed or archived: the event carries it, nothing is fetched.
    if (topic.startsWith('chat/project/') && /^channel\.(created|updated|archived)$/.test(event) && this.applyChannel(event, data)) return;
    // Only counts (and who is in which channel, which GetUnread also says) can have moved, unless
    // the reader was added to a channel not listed yet.
    if (event === 'channel.added') this.changed();
    else this.countsChanged();
  }

  /** A public channel's event applied to the list and the sidebar drawn again; false when it cannot be. */
  private applyChannel(event: string, data: Record<string, unknown>): boolean {
    const id = String(data.id ?? '');
    if (!id || !this.project || String(data.projectId ?? this.project) !== this.project) return false;
    const old = this.list.find((c) => c.id === id);
    if (event === 'channel.archived' || data.archived === true) {
      this.list = this.list.filter((c) => c.id !== id);
    } else {
      const next: ChannelEntry = {
        id, name: String(data.name ?? old?.name ?? ''), kind: String(data.kind ?? old?.kind ?? 'CHANNEL'),
        visibility: String(data.visibility ?? old?.visibility ?? 'PUBLIC'),
        directMemberIds: Array.isArray(data.directMemberIds) ? data.directMemberIds.map(String) : old?.directMemberIds ?? [],
        joined: old?.joined ?? false, unread: old?.unread ?? 0, mentions: old?.mentions ?? 0,
      };
      this.list = old ? this.list.map((c) => (c.id === id ? next : c)) : [...this.list, next];
    }
    this.draw(this.project);
    // The creator is in a channel they made (in another tab of theirs): GetUnread says so (one call, not the lists again).
    if (!old && event === 'channel.created' && data.creatorId === this.deps.user()) this.countsChanged();
    return true;
  }

  /** Counts moved: GetUnread alone, once per burst; a channel it names that is not listed lists them all again. */
  countsChanged(): void {
    if (this.refreshTimer !== undefined && this.fullPending) return; // a full refresh is coming anyway
    window.clearTimeout(this.refreshTimer);
    this.fullPending = false;
    this.refreshTimer = window.setTimeout(() => void this.refreshCounts(), 100);
  }

  private async refreshCounts(): Promise<void> {
    this.refreshTimer = undefined;
    const project = this.project;
    const generation = ++this.generation;
    let counts: Map<string, { unread: number; mentions: number }>;
    try {
      counts = await unreadCounts(project);
    } catch {
      return this.refreshChannels();
    }
    if (generation !== this.generation || project !== this.project) return;
    if ([...counts.keys()].some((id) => !this.list.some((c) => c.id === id))) return this.refreshChannels();
    const before = JSON.stringify(this.list);
    this.list = this.list.map((c) => ({ ...c, joined: counts.has(c.id), unread: counts.get(c.id)?.unread ?? 0, mentions: counts.get(c.id)?.mentions ?? 0 }));
    if (JSON.stringify(this.list) !== before) this.draw(project);
  }

  /** The bar's title for a chat channel page: its name, or a direct conversation's people. */
  titleOf(route: Route | undefined): string | undefined {
    if (!route || route.module !== 'chat' || route.page !== 'channel' || route.project !== this.project) return undefined;
    const c = this.list.find((x) => x.id === route.params.channelId);
    return c ? this.label(c) : undefined;
  }

  /** A chat event on a topic the sidebar follows: counts may have moved. */
  changed(): void {
    window.clearTimeout(this.refreshTimer);
    this.fullPending = true;
    this.refreshTimer = window.setTimeout(() => void this.refreshChannels(), 100);
  }

  clear(): void {
    this.project = '';
    this.pages.replaceChildren();
    this.chat.replaceChildren();
    this.directs.replaceChildren();
    this.list = [];
    this.manage.replaceChildren();
    this.deps.follow([]);
    this.markCurrent();
  }

  /** Marks the links to the open project and page (aria-current), so the sidebar says where one is. */
  markCurrent(): void {
    const hash = location.hash;
    this.element.querySelectorAll('a').forEach((a) => {
      const target = a.getAttribute('href') ?? '';
      const current = a.dataset.project ? a.dataset.project === this.project : target === hash || (target.includes('?') && hash === target);
      if (current) a.setAttribute('aria-current', a.dataset.project ? 'true' : 'page');
      else a.removeAttribute('aria-current');
    });
    this.readOpen();
  }

  private async refreshChannels(): Promise<void> {
    this.refreshTimer = undefined;
    this.fullPending = false;
    const project = this.project;
    const generation = ++this.generation;
    let list: ChannelEntry[];
    try {
      const people = this.namesOf === project ? undefined : listMembers(project).catch(() => []);
      list = await channels(project);
      // Someone new in a direct conversation (they joined the project since): names are asked again.
      const unknown = list.some((c) => c.directMemberIds.some((u) => !this.names.has(u)));
      const members = await (people ?? (unknown ? listMembers(project).catch(() => []) : undefined));
      if (members && project === this.project) {
        this.names = new Map(members.map((m) => [m.userId, m.displayName || m.userId]));
        this.namesOf = project;
      }
    } catch (e) {
      if (generation === this.generation && !(e instanceof ApiError && e.status === 404)) {
        this.chat.replaceChildren(el('p', { class: 'field-error' }, errorText(e)));
      }
      return;
    }
    if (generation !== this.generation || project !== this.project) return;
    this.list = list;
    this.draw(project);
  }

  /** The channel part drawn from `this.list`, and the topics it needs followed. */
  private draw(project: string): void {
    const list = this.list;
    const user = this.deps.user();
    this.deps.follow([`chat/user/${user}`, `chat/project/${project}`,
      ...list.filter((c) => c.joined).map((c) => `chat/channel/${c.id}`)]);
    const joined = list.filter((c) => c.joined && c.kind !== 'DIRECT');
    const direct = list.filter((c) => c.joined && c.kind === 'DIRECT');
    const others = list.filter((c) => !c.joined && c.visibility === 'PUBLIC' && c.kind !== 'DIRECT');
    const browse = href({ project, module: 'chat', page: 'channel-list', params: {} });
    this.chat.replaceChildren(el('h2', {}, t('shell.channels')),
      joined.length ? el('ul', {}, ...joined.map((c) => this.channelItem(project, c))) : el('p', { class: 'note empty' }, t('shell.channels.none')),
      ...(others.length ? [el('h3', {}, t('shell.channels.more')), el('ul', {}, ...others.map((c) => this.joinItem(project, c)))] : []),
      el('a', { href: browse, class: 'add browse', id: 'browse-channels' }, t('shell.channels.browse')));
    this.directs.replaceChildren(
      el('div', { class: 'section-head' }, el('h2', {}, t('shell.directs')),
        el('a', { href: shellHref({ kind: 'direct', project }), class: 'icon-link', id: 'new-direct', title: t('shell.direct.new'),
          'aria-label': t('shell.direct.new') }, el('span', { 'aria-hidden': 'true' }, '+'))),
      direct.length ? el('ul', {}, ...direct.map((c) => this.channelItem(project, c))) : el('p', { class: 'note empty' }, t('shell.directs.none')));
    this.markCurrent();
    const title = this.titleOf(currentRoute());
    if (title) this.deps.retitle?.(title);
  }

  /** A channel's name in the sidebar: `# name`, or a direct conversation's other people. */
  private label(c: ChannelEntry): string {
    if (c.kind !== 'DIRECT') return `# ${c.name}`;
    const me = this.deps.user();
    const others = c.directMemberIds.filter((u) => u !== me);
    const names = (others.length ? others : [me]).map((u) => this.names.get(u) ?? t('shell.direct.someone'));
    return names.join(', ');
  }

  private isOpen(r: Route | undefined, channel: string): boolean {
    return Boolean(r && r.project === this.project && r.module === 'chat' && r.page === 'channel' && r.params.channelId === channel);
  }

  /** The open channel, when it has unread messages and the tab is visible: read up to its newest message. */
  private readOpen(): void {
    const r = currentRoute();
    if (!r || hidden()) return;
    const c = this.list.find((x) => this.isOpen(r, x.id));
    if (!c || !c.joined || (c.unread === 0 && c.mentions === 0) || this.reading === c.id) return;
    this.reading = c.id;
    const project = this.project;
    markLatestRead(project, c.id).catch(() => undefined).finally(() => { this.reading = ''; });
  }

  private async notifyMessage(m: MessageEvent): Promise<void> {
    const c = this.list.find((x) => x.id === m.channelId);
    if (!c?.joined) return;
    const me = this.deps.user();
    const author = this.names.get(m.authorId ?? '') ?? t('shell.direct.someone');
    const kind = c.kind === 'DIRECT' ? 'direct' : (m.mentionUserIds ?? []).includes(me) ? 'mention' : 'message';
    const title = kind === 'direct' ? t('shell.notify.directFrom').replace('{0}', author)
      : t(kind === 'mention' ? 'shell.notify.mentionIn' : 'shell.notify.messageIn').replace('{0}', author).replace('{1}', c.name);
    const project = this.project;
    await notify('chat', {
      kind, messageId: m.id!, title, body: preview(m.text ?? '') || t('shell.notify.attachment'),
      open: () => { location.hash = href({ project, module: 'chat', page: 'channel', params: { channelId: c.id } }); },
    });
  }

  /** A mention in a channel the sidebar does not follow (another project's): said without its text. */
  private async notifyMention(d: Record<string, unknown>): Promise<void> {
    const channel = String(d.channelId ?? '');
    const project = String(d.projectId ?? '');
    const messageId = String(d.messageId ?? '');
    if (!channel || !project || !messageId) return;
    // The channel's own message event brings the text: wait for it where the sidebar follows the channel.
    if (project === this.project && this.list.some((c) => c.id === channel && c.joined)) return;
    const author = (project === this.project && this.names.get(String(d.authorId ?? ''))) || t('shell.direct.someone');
    await notify('chat', {
      kind: 'mention', messageId, title: t('shell.notify.mentioned').replace('{0}', author), body: t('shell.notify.mentionBody'),
      open: () => { location.hash = href({ project, module: 'chat', page: 'channel', params: { channelId: channel } }); },
    });
  }

  private channelItem(project: string, c: ChannelEntry): HTMLElement {
    const name = this.label(c);
    // The badges show a number; screen readers hear what it counts instead.
    const badge = (cls: string, shown: string, said: string) =>
      el('span', { class: cls }, el('span', { 'aria-hidden': 'true' }, shown), el('span', { class: 'sr-only' }, ` (${said})`));
    const badges: HTMLElement[] = [];
    if (c.mentions > 0) badges.push(badge('badge mention', `@${c.mentions}`, t('shell.mentions').replace('{0}', String(c.mentions))));
    if (c.unread > 0) badges.push(badge('badge', String(c.unread), t('shell.unread').replace('{0}', String(c.unread))));
    return el('li', { 'data-channel': c.id, 'data-unread': String(c.unread), 'data-mentions': String(c.mentions) },
      el('a', { href: href({ project, module: 'chat', page: 'channel', params: { channelId: c.id } }),
        class: c.unread > 0 ? 'unread' : '' }, el('span', { class: 'name' }, name), ...badges));
  }

  private joinItem(project: string, c: ChannelEntry): HTMLElement {
    const error = el('span', { class: 'field-error', role: 'alert' });
    return el('li', { 'data-channel': c.id, class: 'not-joined' },
      el('span', { class: 'name' }, `# ${c.name}`),
      el('button', { type: 'button', class: 'small', 'aria-label': t('shell.channel.joinNamed').replace('{0}', c.name), onclick: async () => {
        try {
          await joinChannel(project, c.id);
          location.hash = href({ project, module: 'chat', page: 'channel', params: { channelId: c.id } });
          await this.refreshChannels();
        } catch (e) {
          error.textContent = errorText(e);
        }
      } }, t('shell.channel.join')), error);
  }
}
