// The shell: sign-in, onboarding, the sidebar (orgs, projects, pages, channels), the user menu and
// the open page. Everything a module shows is a card (page.ts, loaded on demand with the card
// renderer); this chrome and the onboarding and tenancy pages are the shell's own.
import './shell.css';
import { call } from './api';
import { currentUser, onToken, restore } from './auth';
import { el } from './dom';
import { errorText } from './forms';
import { directPage } from './direct';
import { invitePage, membersPage } from './members';
import { codeOf, join, joinPage, newOrgPage, newProjectPage, welcomePage } from './onboarding';
import type { ShellContext } from './onboarding';
import { adopt, locale, t, theme, watchTheme } from './prefs';
import type { NodeSettings } from './prefs';
import { presenceProject } from './presence';
import { Realtime } from './realtime';
import { currentRoute, go, goShell, onRoute, shellRoute } from './router';
import { designerAccess, designerRoute } from './designer/route';
import type { DesignerAccess } from './designer/route';
import { adminRoute } from './admin/route';
import type { AdminRoute } from './admin/route';
import type { Route, ShellRoute } from './router';
import { Sidebar } from './sidebar';
import type { OrgEntry, PageEntry } from './sidebar';
import { MessageSearch } from './search';
import { rememberInvite, showSignIn, takeInvite } from './signin';
import { completeSso, returnedFlow } from './sso';
import { listOrgs, listProjects, me, sharedProjects } from './tenancy';
import type { Me, Project } from './tenancy';
import { userMenu } from './usermenu';
import { NoticeBell, noticesTopic } from './notices';
import type { PageView } from './page';

const app = document.getElementById('app')!;
let view: PageView | undefined;
let user: Me | undefined;
let orgs: OrgEntry[] = [];
let shared: Array<Project & { orgName: string }> = [];
let navProject = '';
/** The projects this project-admin may install user modules for (the node allows it), for the designer. */
let designerProjects: Project[] = [];
let navPages: PageEntry[] = [];
/** The open page's topics: only their events go to the page (the sidebar follows others, for its badges). */
let pageTopics = new Set<string>();
/** Topics the open page's host elements follow besides (a video room's signals). */
let alsoTopics = new Set<string>();
/** The open shell page's part that follows its topics (the files page): hears their events, and when some were lost. */
let shellListener: { event: (topic: string, event: string, data: Record<string, unknown>) => void; resync: () => void } | undefined;
/** Raised by every navigation: a late answer for an older one must not cover the newer page. */
let opening = 0;

/** The node's announcement that a module's pages came or went (a module or user module started or stopped). */
const PAGES_TOPIC = 'ui/pages';

const realtime = new Realtime(
  (topic, event, data) => {
    if (topic === PAGES_TOPIC) return void pagesChanged(String(data.moduleId ?? ''));
    if (topic.startsWith('notifications/user/')) return void bell?.changed();
    // Typing and presence (ephemeral, frequent) change no count.
    if (topic.startsWith('chat/') && event !== 'typing' && event !== 'presence') sidebar.event(topic, event, data);
    // Only the open page's own topics (and those its host elements follow) reach it: the sidebar's do not reload the card.
    if (pageTopics.has(topic) || alsoTopics.has(topic)) view?.changed(topic, event, data);
    if (pageTopics.has(topic)) shellListener?.event(topic, event, data);
  },
  (online) => document.body.classList.toggle('offline', !online),
  // Events the node no longer keeps were missed: the page and the sidebar load theirs again.
  () => {
    void view?.reload();
    shellListener?.resync();
    sidebar.changed();
    bell?.changed();
  },
  // Back after a drop, durable events resumed by sequence: host elements with state of their own (a video room) check it.
  () => {
    void view?.resumed();
    sidebar.changed();
  },
);
const sidebar = new Sidebar({
  user: () => currentUser(), follow: (topics) => realtime.followFor('sidebar', topics),
  retitle: (title) => { if (view) setTitle(title); },
});
const search = new MessageSearch();
/** The bar's bell: the user's notices and their unread count, live (notices.ts). */
let bell: NoticeBell | undefined;
onToken((token) => realtime.setToken(token));
watchTheme(() => void view?.rethemed(theme()));
onRoute(() => {
  closeDrawer();
  void openRoute();
});

const shell: ShellContext = {
  orgs: () => orgs,
  reloadTenancy: () => loadTenancy(),
  openProject: (project, replace) => openProject(project, replace),
};

void (async () => {
  document.documentElement.lang = locale();
  registerServiceWorker();
  // An invite link opened while signed out: the code waits in the tab through sign-up or sign-in.
  const r = shellRoute();
  if (r?.kind === 'join' && r.code) rememberInvite(r.code);
  // Back from a single sign-on provider: the node has the answer; complete it with this tab's secret.
  const flow = returnedFlow();
  if (flow) await completeSso(app, flow, startShell, (failed) => void showSignIn(app, startShell, false, undefined, failed));
  else if (await restore()) await startShell();
  else showSignIn(app, startShell);
})();

/** Builds the chrome for the signed-in user and opens the route in the address bar (or a default). */
async function startShell(): Promise<void> {
  // Before any text is drawn: the user's own language and theme on the node win over this device's.
  adopt(await call<NodeSettings>('GET', '/v1/me/settings').catch(() => ({})));
  document.documentElement.lang = locale();
  realtime.followFor('shell', [PAGES_TOPIC]);
  bell = new NoticeBell();
  realtime.followFor('notices', [noticesTopic(currentUser())]);
  void bell.load(false);
  // Fetched while the chrome loads: the first module page needs the card renderer.
  void import('./page');
  app.replaceChildren(
    el('a', { href: '#page', class: 'skip' }, t('shell.skip')),
    sidebar.element,
    el('div', { class: 'backdrop', onclick: () => closeDrawer() }),
    el('div', { class: 'main' },
      el('header', { class: 'bar' },
        el('button', { type: 'button', id: 'menu-button', class: 'icon', 'aria-controls': 'sidebar', 'aria-expanded': 'false',
          'aria-label': t('shell.menu'), onclick: () => toggleDrawer() }, '☰'),
        el('span', { id: 'title', class: 'title' }),
        search.element,
        el('span', { class: 'status', role: 'status' }, t('shell.offline')),
        el('span', { id: 'notice-slot' }, bell.element),
        el('span', { id: 'user-slot' })),
      el('main', { id: 'page', class: 'page', tabindex: '-1' }, t('shell.loading'))));
  const tenancy = loadTenancy();
  const code = takeInvite();
  if (!code && currentRoute()) {
    // A module's page (a reload, a link): it opens while the sidebar's lists load.
    const opened = openRoute();
    await tenancy;
    await opened;
    if (navProject) sidebar.setProject(navProject, navPages, isProjectAdmin(navProject));
    return;
  }
  await tenancy;
  if (code) {
    try {
      await join(shell, code);
    } catch (e) {
      show(joinPage(shell, code, e));
    }
    return;
  }
  await openRoute();
}

/** The profile changed (name, avatar): the user menu shows it at once. */
async function refreshUserMenu(): Promise<void> {
  user = await me();
  document.getElementById('user-slot')?.replaceChildren(userMenu(user, () => void view?.rethemed(theme())));
}

/** The user, their orgs with the projects they may see, and projects other nodes share with them. */
async function loadTenancy(): Promise<void> {
  user = await me();
  const access = user.sysAdmin ? Promise.resolve({}) : designerAccess().catch(() => ({}));
  // Made again when the user's roles may have changed (a new org, an accepted invite), unless it is open.
  if (!(document.getElementById('user-menu') as HTMLDetailsElement | null)?.open) {
    document.getElementById('user-slot')?.replaceChildren(userMenu(user, () => void view?.rethemed(theme())));
  }
  const adminOf = new Set(user.memberships.filter((m) => m.role === 'org-admin').map((m) => m.orgId));
  const list = await listOrgs();
  orgs = await Promise.all(list.map(async (o) => ({
    ...o, admin: user!.sysAdmin || adminOf.has(o.id), projects: await listProjects(o.id).catch(() => [] as Project[]),
  })));
  // Only a user who holds a role in a project of no org here can have shared projects: asking
  // anyone else would be a 404 on every load of a node without federation.
  const known = new Set(orgs.flatMap((o) => o.projects.map((p) => p.id)));
  const foreign = user.memberships.some((m) => m.projectId && !known.has(m.projectId));
  shared = foreign ? await sharedProjects().catch(() => []) : [];
  sidebar.setTenancy(orgs, shared);
  // A project-admin gets the designer when the node lets project-admins install for their projects.
  designerProjects = (await access as DesignerAccess).projectAdmins
    ? [...orgs.flatMap((o) => o.projects), ...shared].filter((p) => isProjectAdmin(p.id)) : [];
  const offered = user.sysAdmin || designerProjects.length > 0;
  const menu = document.getElementById('user-menu');
  if (menu && menu.dataset.designer !== String(offered)) {
    menu.replaceWith(userMenu(user, () => void view?.rethemed(theme()), offered));
  }
}

async function openRoute(): Promise<void> {
  if (!currentUser()) return;
  const mine = ++opening;
  const designer = designerRoute();
  if (designer) return openDesigner(designer.id, mine);
  const admin = adminRoute();
  if (admin) return openAdmin(admin, mine);
  const s = shellRoute();
  if (s && (s.kind === 'members' || s.kind === 'invite' || s.kind === 'files' || s.kind === 'direct') && !knownProject(s.project)) return notMember();
  if (s) return openShellPage(s, mine);
  const bare = /^#\/p\/([^/?]+)\/?$/.exec(location.hash);
  if (bare) return openProject(decodeURIComponent(bare[1]), true, mine);
  const route = currentRoute();
  if (!route) {
    const fallback = await defaultProject();
    // The user may have gone elsewhere meanwhile (a click in the sidebar): that route wins.
    if (mine !== opening) return;
    if (fallback) return openProject(fallback, true, mine);
    goShell({ kind: 'welcome' }, true);
    return;
  }
  // A module page of a project the user is not in still opens: the node refuses its data, and the
  // card says so (the shell is not the boundary). The shell's own pages say it plainly instead.
  localStorage.setItem('hearth.project', route.project);
  await Promise.all([showProject(route.project), openPage(route, mine)]);
}

/**
 * Opens the project's first page, or its members page when no module has a page there. With
 * `mine`, only while no later navigation began (else it would undo a route the user chose meanwhile).
 */
async function openProject(project: string, replace = false, mine?: number): Promise<void> {
  const pages = await listPages(project).catch(() => []);
  if (mine !== undefined && mine !== opening) return;
  const first = pages[0];
  if (first) go({ project, module: first.moduleId, page: first.name, params: {} }, replace);
  else goShell({ kind: 'members', project }, replace);
}

/** The sidebar's project part follows the open project. */
async function showProject(project: string): Promise<void> {
  if (navProject !== project) {
    navProject = project;
    navPages = await listPages(project).catch(() => []);
  }
  sidebar.setProject(project, navPages, isProjectAdmin(project));
  search.setProject(project);
  presenceProject(project);
}

/** A project in the user's lists (a sys-admin may open any). */
function knownProject(project: string): boolean {
  return Boolean(user?.sysAdmin) || orgs.some((o) => o.projects.some((p) => p.id === project)) || shared.some((p) => p.id === project);
}

/** A link to a project the user is not in (any more): said plainly, with the way home. */
function notMember(): void {
  closePage();
  navProject = '';
  sidebar.clear(); search.setProject('');
  setTitle(t('shell.project.notMember'));
  show(el('section', { class: 'shell-page' }, el('p', { class: 'field-error not-member', role: 'alert' }, t('shell.project.notMember')),
    el('a', { href: '#/' }, t('shell.home'))));
}

function isProjectAdmin(project: string): boolean {
  if (!user) return false;
  if (user.sysAdmin) return true;
  const org = orgs.find((o) => o.projects.some((p) => p.id === project));
  return Boolean(org?.admin) || user.memberships.some((m) => m.projectId === project && m.role === 'project-admin');
}

function projectName(project: string): string {
  for (const o of orgs) for (const p of o.projects) if (p.id === project) return p.name;
  return shared.find((p) => p.id === project)?.name ?? project;
}

async function openShellPage(s: ShellRoute, mine: number): Promise<void> {
  closePage();
  if (s.kind === 'members' || s.kind === 'invite' || s.kind === 'files' || s.kind === 'direct') await showProject(s.project);
  else { navProject = ''; sidebar.clear(); search.setProject(''); }
  const titles: Record<ShellRoute['kind'], string> = {
    welcome: t('shell.welcome.title'), 'new-org': t('shell.org.new'), 'new-project': t('shell.project.new'),
    join: t('shell.invite.join'), members: t('shell.members'), invite: t('shell.invite.title'),
    files: t('shell.files'), me: t('shell.me.title'), direct: t('shell.direct.new'),
  };
  setTitle(titles[s.kind]);
  try {
    let page: HTMLElement;
    switch (s.kind) {
      case 'welcome': page = welcomePage(shell); break;
      case 'new-org': page = newOrgPage(shell); break;
      case 'new-project': page = newProjectPage(shell, s.org); break;
      case 'join':
        if (s.code) {
          // Signed in already: the link is accepted at once.
          try {
            await join(shell, codeOf(s.code));
            return;
          } catch (e) {
            page = joinPage(shell, s.code, e);
          }
        } else {
          page = joinPage(shell);
        }
        break;
      case 'members': page = await membersPage(s.project, projectName(s.project), currentUser(), isProjectAdmin(s.project)); break;
      case 'invite': page = await invitePage(s.project, projectName(s.project)); break;
      case 'files': page = await (await import('./files')).filesPage(s.project, projectName(s.project), s.folder,
        isProjectAdmin(s.project), { follow: (topics, event, resync) => {
          // Only while this is still the page being opened (a later navigation follows its own).
          if (mine !== opening) return Promise.reject(new Error('closed'));
          pageTopics = new Set(topics);
          shellListener = { event, resync };
          realtime.follow(topics);
          return Promise.all(topics.map((x) => realtime.whenLive(x))).then(() => undefined);
        } }); break;
      case 'me': page = await (await import('./profile')).mePage(s.tab, {
        project: () => localStorage.getItem('hearth.project') || orgs.flatMap((o) => o.projects)[0]?.id || '',
        profileChanged: () => refreshUserMenu(),
      }); break;
      case 'direct': {
        const project = s.project;
        page = await directPage(project, projectName(project), currentUser(),
          (channelId) => go({ project, module: 'chat', page: 'channel', params: { channelId } }));
        break;
      }
    }
    if (mine === opening) show(page);
  } catch (e) {
    if (mine === opening) show(el('p', { class: 'field-error', role: 'alert' }, errorText(e)));
  }
  sidebar.markCurrent();
}

/** The user-module designer (designer/), loaded on demand with the card renderer. */
async function openDesigner(id: string, mine: number): Promise<void> {
  closePage();
  navProject = '';
  sidebar.clear(); search.setProject('');
  setTitle(t('designer.title'));
  showMessage(t('shell.loading'));
  try {
    const { designerPage } = await import('./designer/designer');
    const page = await designerPage(id, { sysAdmin: Boolean(user?.sysAdmin), projects: () => [...orgs.flatMap((o) => o.projects), ...shared],
      installProjects: designerProjects });
    if (mine === opening) show(page);
  } catch (e) {
    if (mine === opening) show(el('p', { class: 'field-error', role: 'alert' }, errorText(e)));
  }
}

/** The admin console (admin/), loaded on demand; it shows each user only what they administer. */
async function openAdmin(route: AdminRoute, mine: number): Promise<void> {
  closePage();
  navProject = '';
  sidebar.clear();
  setTitle(t('admin.title'));
  showMessage(t('shell.loading'));
  try {
    const { adminPage } = await import('./admin/console');
    const page = await adminPage(route, { user: user!, orgs, follow: (topics, event, resync) => {
      // Only while this is still the page being opened (a later navigation follows its own).
      if (mine !== opening) return Promise.reject(new Error('closed'));
      pageTopics = new Set(topics);
      shellListener = { event, resync };
      realtime.follow(topics);
      return Promise.all(topics.map((x) => realtime.whenLive(x))).then(() => undefined);
    } });
    if (mine === opening) show(page);
  } catch (e) {
    if (mine === opening) show(el('p', { class: 'field-error', role: 'alert' }, errorText(e)));
  }
}

async function openPage(route: Route, mine: number): Promise<void> {
  closePage();
  const host = document.getElementById('page')!;
  host.replaceChildren(t('shell.loading'));
  host.dataset.page = `${route.module}/${route.page}`;
  delete host.dataset.rendered;
  delete host.dataset.theme;
  delete host.dataset.shell;
  delete host.dataset.live;
  delete host.dataset.applied;
  sidebar.markCurrent();
  // The card renderer loads on demand: the first screen does not need it.
  const { PageView: View } = await import('./page');
  if (mine !== opening) return;
  view = new View(host, {
    route, user: currentUser(), locale: locale(), theme: theme(),
    followAlso: (topics) => { alsoTopics = new Set(topics); realtime.followAlso(topics); }, whenLive: (topic) => realtime.whenLive(topic),
    open: (module, page, params) => go({ project: route.project, module, page, params }),
    follow: (topics) => {
      pageTopics = new Set(topics);
      realtime.follow(topics);
      // data-live: the node confirmed every topic of the page (what others do from now on shows here).
      void Promise.all(topics.map((x) => realtime.whenLive(x))).then(() => { if (view === opened) host.dataset.live = 'true'; }, () => {});
    },
    // An action may change what the sidebar lists (a channel joined, left or created).
    acted: () => sidebar.changed(),
  });
  const opened = view;
  opened.open().then(() => { if (view === opened) setTitle(sidebar.titleOf(route) ?? document.title); })
    // A page opened again meanwhile wins: a late failure of this one must not cover it.
    .catch((e) => { if (view === opened) showMessage(`${t('shell.pageMissing')} (${errorText(e)})`); });
}

function closePage(): void {
  view?.close();
  view = undefined;
  shellListener = undefined;
  pageTopics = new Set();
  alsoTopics = new Set();
  realtime.follow([]);
  realtime.followAlso([]);
}

/**
 * A module's pages changed: navigation is listed again, and the open page is opened again when it
 * belongs to that module (its template or data may have changed, or it is gone), so users see an
 * installed, upgraded or removed user module without reloading.
 */
async function pagesChanged(moduleId: string): Promise<void> {
  const route = currentRoute();
  const project = route?.project ?? navProject;
  if (!project) return;
  navProject = '';
  await showProject(project);
  if (route && (!moduleId || route.module === moduleId)) await openPage(route, ++opening);
}

/** The remembered project, else the first one the user can open. */
async function defaultProject(): Promise<string | undefined> {
  const all = [...orgs.flatMap((o) => o.projects), ...shared];
  const remembered = localStorage.getItem('hearth.project');
  return (all.find((p) => p.id === remembered) ?? all[0])?.id;
}

/**
 * The project's pages that open without parameters, the node's own (module "hearth") last so a
 * project opens on a module's page. The node's members card is left out: the shell's members page
 * (in the sidebar's project part) shows the same and lets admins act.
 */
async function listPages(project: string): Promise<PageEntry[]> {
  const q = `projectId=${encodeURIComponent(project)}&locale=${encodeURIComponent(locale())}`;
  const answer = await call<{ pages?: Array<PageEntry & { params?: string[] }> }>('GET', `/v1/pages?${q}`);
  const pages = (answer.pages ?? []).filter((p) => !p.params?.length && !(p.moduleId === 'hearth' && p.name === 'members'));
  return [...pages.filter((p) => p.moduleId !== 'hearth'), ...pages.filter((p) => p.moduleId === 'hearth')];
}

function show(page: HTMLElement): void {
  const host = document.getElementById('page');
  if (!host) return;
  delete host.dataset.page;
  delete host.dataset.rendered;
  delete host.dataset.theme;
  host.dataset.shell = 'true';
  host.replaceChildren(page);
}

function showMessage(text: string): void {
  document.getElementById('page')?.replaceChildren(el('p', { class: 'note' }, text));
}

function setTitle(text: string): void {
  const title = document.getElementById('title');
  if (title) title.textContent = text;
  document.title = text ? `${text} · ${t('shell.name')}` : t('shell.name');
}

function toggleDrawer(): void {
  const open = !document.body.classList.contains('drawer-open');
  document.body.classList.toggle('drawer-open', open);
  document.getElementById('menu-button')?.setAttribute('aria-expanded', String(open));
  if (open) (document.querySelector('#sidebar a') as HTMLElement | null)?.focus();
}

function closeDrawer(): void {
  document.body.classList.remove('drawer-open');
  document.getElementById('menu-button')?.setAttribute('aria-expanded', 'false');
}

/** The shell is an installable app; its service worker caches the hashed assets only (sw.js). */
function registerServiceWorker(): void {
  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    navigator.serviceWorker.register('/sw.js').catch((e) => console.warn('service worker not registered', e));
  }
}
