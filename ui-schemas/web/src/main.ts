// The shell: sign-in, the org and project switcher, navigation over the pages the node advertises,
// and the open page. Everything a module shows is a card (page.ts); only this chrome is the shell's.
import './shell.css';
import { call } from './api';
import { currentUser, onToken, restore, signOut } from './auth';
import { describe, PageView } from './page';
import { adopt, LANGUAGES, locale, localeSetting, setLocaleSetting, setThemeSetting, t, theme, themeSetting, watchTheme } from './prefs';
import type { NodeSettings, ThemeSetting } from './prefs';
import { Realtime } from './realtime';
import { currentRoute, go, href, onRoute, Route } from './router';
import { showSignIn } from './signin';
import { el } from './dom';
import { VIDEO_ROOM_PAGE, VideoRoom } from './video';

interface Project { id: string; name: string; orgId: string }

const app = document.getElementById('app')!;
let view: PageView | undefined;
/** The video room's tiles and connections while its page is open. */
let video: VideoRoom | undefined;
let projects: Project[] = [];
let navProject = '';

/** The node's announcement that a module's pages came or went (a module or user module started or stopped). */
const PAGES_TOPIC = 'ui/pages';

const realtime = new Realtime(
  (topic, event, data) => {
    if (topic === PAGES_TOPIC) return void pagesChanged(String(data.moduleId ?? ''));
    video?.event(topic, event, data);
    if (!video?.owns(topic)) view?.changed();
  },
  (online) => document.body.classList.toggle('offline', !online),
  () => {
    void view?.reload();
    void video?.resync();
  },
);
onToken((token) => realtime.setToken(token));
watchTheme(() => void view?.rethemed(theme()));
onRoute(() => void openRoute());

void (async () => {
  document.documentElement.lang = locale();
  if (await restore()) await startShell();
  else showSignIn(app, startShell);
})();

/** Builds the chrome for the signed-in user and opens the route in the address bar (or a default). */
async function startShell(): Promise<void> {
  // Before any text is drawn: the user's own language and theme on the node win over this device's.
  adopt(await call<NodeSettings>('GET', '/v1/me/settings').catch(() => ({})));
  document.documentElement.lang = locale();
  realtime.follow([PAGES_TOPIC]);
  projects = await loadProjects();
  app.replaceChildren(
    el('header', { class: 'bar' },
      el('strong', { class: 'brand' }, t('shell.name')),
      el('select', { id: 'project', 'aria-label': t('shell.project'), onchange: (e: Event) => pickProject((e.target as HTMLSelectElement).value) },
        ...projects.map((p) => el('option', { value: p.id }, p.name))),
      el('nav', { id: 'nav' }),
      el('span', { class: 'status' }, t('shell.offline')),
      settings(),
      el('button', { type: 'button', id: 'sign-out', onclick: () => void signOut().then(() => location.reload()) }, t('shell.signOut'))),
    el('main', { id: 'page', class: 'page' }, t('shell.loading')));
  await openRoute();
}

async function openRoute(): Promise<void> {
  if (!currentUser()) return;
  const route = currentRoute() ?? (await defaultRoute());
  if (!route) {
    showMessage(t('shell.noProjects'));
    return;
  }
  if (!currentRoute()) {
    go(route, true);
    return;
  }
  localStorage.setItem('hearth.project', route.project);
  (document.getElementById('project') as HTMLSelectElement).value = route.project;
  if (navProject !== route.project) void loadNav(route.project);
  openPage(route);
}

function openPage(route: Route): void {
  view?.close();
  video?.close();
  video = undefined;
  const host = document.getElementById('page')!;
  host.replaceChildren(t('shell.loading'));
  host.dataset.page = `${route.module}/${route.page}`;
  delete host.dataset.rendered;
  if (host.dataset.page === VIDEO_ROOM_PAGE && route.params.roomId) {
    video = new VideoRoom({
      project: route.project, roomId: route.params.roomId, user: currentUser(), text: t,
      follow: (topics) => realtime.followAlso(topics), whenLive: (topic) => realtime.whenLive(topic),
    });
    const room = video;
    room.start().catch((e) => console.warn('video room failed', e));
  }
  view = new PageView(host, {
    route, user: currentUser(), locale: locale(), theme: theme(), native: video?.element,
    open: (module, page, params) => go({ project: route.project, module, page, params }),
    follow: (topics) => realtime.follow([PAGES_TOPIC, ...topics]),
  });
  const opened = view;
  // A page opened again meanwhile wins: a late failure of this one must not cover it.
  view.open().catch((e) => { if (view === opened) showMessage(`${t('shell.pageMissing')} (${describe(e)})`); });
}

/**
 * A module's pages changed: navigation is listed again, and the open page is opened again when it
 * belongs to that module (its template or data may have changed, or it is gone), so users see an
 * installed, upgraded or removed user module without reloading.
 */
async function pagesChanged(moduleId: string): Promise<void> {
  const route = currentRoute();
  if (!route) return;
  await loadNav(route.project);
  if (!moduleId || route.module === moduleId) openPage(route);
}

/** The remembered project (or the first one) and its first page without parameters. */
async function defaultRoute(): Promise<Route | undefined> {
  const remembered = localStorage.getItem('hearth.project');
  const project = projects.find((p) => p.id === remembered) ?? projects[0];
  if (!project) return undefined;
  const pages = await listPages(project.id);
  const first = pages[0];
  return first ? { project: project.id, module: first.moduleId, page: first.name, params: {} } : undefined;
}

function pickProject(id: string): void {
  localStorage.setItem('hearth.project', id);
  void listPages(id).then((pages) => {
    if (pages[0]) go({ project: id, module: pages[0].moduleId, page: pages[0].name, params: {} });
    else showMessage(t('shell.pickPage'));
  });
}

/** Links to the project's pages that open without parameters. */
async function loadNav(project: string): Promise<void> {
  navProject = project;
  const pages = await listPages(project);
  document.getElementById('nav')?.replaceChildren(...pages.map((p) =>
    el('a', { href: href({ project, module: p.moduleId, page: p.name, params: {} }) }, p.title)));
}

async function listPages(project: string): Promise<Array<{ moduleId: string; name: string; title: string }>> {
  const q = `projectId=${encodeURIComponent(project)}&locale=${encodeURIComponent(locale())}`;
  const answer = await call<{ pages?: Array<{ moduleId: string; name: string; title: string; params?: string[] }> }>('GET', `/v1/pages?${q}`);
  return (answer.pages ?? []).filter((p) => !p.params?.length);
}

/** Every project the user can open: those of their orgs, and those other nodes share with them. */
async function loadProjects(): Promise<Project[]> {
  const orgs = (await call<{ orgs?: Array<{ id: string; name: string }> }>('GET', '/v1/orgs')).orgs ?? [];
  const lists = await Promise.all(orgs.map((o) =>
    call<{ projects?: Array<{ id: string; name: string }> }>('GET', `/v1/orgs/${o.id}/projects`)
      .then((r) => (r.projects ?? []).map((p) => ({ id: p.id, orgId: o.id, name: `${o.name} / ${p.name}` })))
      .catch(() => [] as Project[])));
  // Federation is an optional extension: a node without it answers 404 here.
  const shared = await call<{ projects?: Array<{ projectId: string; projectName: string; ownerOrgName: string }> }>(
    'GET', '/v1/federation/shared-projects').then((r) => r.projects ?? [], () => []);
  return [...lists.flat(), ...shared.map((s) => ({ id: s.projectId, orgId: '', name: `${s.ownerOrgName} / ${s.projectName}` }))];
}

function settings(): HTMLElement {
  const themes: ThemeSetting[] = ['system', 'light', 'dark'];
  return el('span', { class: 'settings' },
    el('select', { id: 'theme', 'aria-label': t('shell.theme'), onchange: (e: Event) => {
      const picked = (e.target as HTMLSelectElement).value as ThemeSetting;
      setThemeSetting(picked);
      void view?.rethemed(theme());
      void save({ theme: picked });
    } }, ...themes.map((v) => el('option', { value: v, selected: v === themeSetting() }, t(`shell.theme.${v}`)))),
    el('select', { id: 'language', 'aria-label': t('shell.language'), onchange: (e: Event) => {
      const picked = (e.target as HTMLSelectElement).value;
      setLocaleSetting(picked);
      // Every text on screen changes: simplest to start over, once the node has the choice.
      void save({ language: picked }).finally(() => location.reload());
    } }, el('option', { value: '' }, t('shell.language.auto')),
    ...LANGUAGES.map((l) => el('option', { value: l, selected: l === localeSetting() }, l.toUpperCase()))));
}

/** Keeps a choice made in the bar as the user's setting on the node; the device keeps it anyway. */
function save(change: NodeSettings): Promise<unknown> {
  return call('PATCH', '/v1/me/settings', change).catch(() => undefined);
}

function showMessage(text: string): void {
  document.getElementById('page')?.replaceChildren(el('p', { class: 'note' }, text));
}
