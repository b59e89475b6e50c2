// The sidebar: the user's orgs and their projects (switching is following a link), the open
// project's module pages, its chat channels with unread and mention badges, and its members and
// invite pages. On a phone it is a drawer (main.ts opens and closes it).
//
// Badges stay live without a push of counts: the sidebar follows the chat topics that announce what
// changes them (a message in a channel the user is in, the user's own read markers, mentions and
// new private channels, new public channels) and asks GetUnread again, at most once per burst.
import { ApiError } from './api';
import { el } from './dom';
import { errorText } from './forms';
import { t } from './prefs';
import { href, shellHref } from './router';
import { channels, joinChannel } from './tenancy';
import type { ChannelEntry, Org, Project } from './tenancy';

export interface OrgEntry extends Org { projects: Project[]; admin: boolean }
export interface PageEntry { moduleId: string; name: string; title: string }

export interface SidebarDeps {
  user: () => string;
  /** Follows exactly these topics for the sidebar. */
  follow: (topics: string[]) => void;
}

export class Sidebar {
  readonly element: HTMLElement;
  private readonly tree = el('nav', { class: 'orgs', 'aria-label': t('shell.orgs') });
  private readonly pages = el('nav', { id: 'nav', 'aria-label': t('shell.pages') });
  private readonly chat = el('nav', { id: 'channels', 'aria-label': t('shell.channels') });
  private readonly manage = el('nav', { class: 'manage', 'aria-label': t('shell.manage') });
  private project = '';
  private refreshTimer?: number;
  private generation = 0;

  constructor(private readonly deps: SidebarDeps) {
    this.element = el('aside', { id: 'sidebar', class: 'sidebar' },
      el('div', { class: 'sidebar-brand' }, el('a', { href: '#/', class: 'brand' }, t('shell.name'))),
      this.tree, this.pages, this.chat, this.manage);
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
      this.deps.follow([]);
    } else if (changed || !this.chat.childElementCount) {
      void this.refreshChannels();
    }
    this.markCurrent();
  }

  /** A chat event on a topic the sidebar follows: counts may have moved. */
  changed(): void {
    window.clearTimeout(this.refreshTimer);
    this.refreshTimer = window.setTimeout(() => void this.refreshChannels(), 100);
  }

  clear(): void {
    this.project = '';
    this.pages.replaceChildren();
    this.chat.replaceChildren();
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
  }

  private async refreshChannels(): Promise<void> {
    const project = this.project;
    const generation = ++this.generation;
    let list: ChannelEntry[];
    try {
      list = await channels(project);
    } catch (e) {
      if (generation === this.generation && !(e instanceof ApiError && e.status === 404)) {
        this.chat.replaceChildren(el('p', { class: 'field-error' }, errorText(e)));
      }
      return;
    }
    if (generation !== this.generation || project !== this.project) return;
    const user = this.deps.user();
    this.deps.follow([`chat/user/${user}`, `chat/project/${project}`,
      ...list.filter((c) => c.joined).map((c) => `chat/channel/${c.id}`)]);
    const joined = list.filter((c) => c.joined);
    const others = list.filter((c) => !c.joined && c.visibility === 'PUBLIC');
    this.chat.replaceChildren(el('h2', {}, t('shell.channels')),
      joined.length ? el('ul', {}, ...joined.map((c) => this.channelItem(project, c))) : el('p', { class: 'note empty' }, t('shell.channels.none')),
      ...(others.length ? [el('h3', {}, t('shell.channels.more')), el('ul', {}, ...others.map((c) => this.joinItem(project, c)))] : []));
    this.markCurrent();
  }

  private channelItem(project: string, c: ChannelEntry): HTMLElement {
    const name = c.kind === 'DIRECT' ? t('shell.channel.direct') : `# ${c.name}`;
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
