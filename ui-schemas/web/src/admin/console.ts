// The admin console (docs/web.md#the-admin-console): one page per part a role may run — the node's
// (sys-admins: users, settings and stats, audit log, modules and flags, backups, the cluster), an org's (its
// admins: module switches and flags, webhooks, federation) and a project's (its admins: module
// switches and flags, webhooks, bots, incoming webhooks and slash commands). The navigation lists only what the user administers; the node
// refuses every call a role may not make whatever this page shows. Loaded on demand.
import { el } from '../dom';
import { t } from '../prefs';
import type { OrgEntry } from '../sidebar';
import type { Me, Project } from '../tenancy';
import { backupsSection } from './backups';
import { clusterOn, federationOn } from './calls';
import { clusterSection } from './cluster';
import { botsSections } from './bots';
import { federationSection } from './federation';
import { webhooksSection } from './hooks';
import { orgSsoSection } from './orgsso';
import { flagsSection, modulesSection } from './modules';
import { auditSection, nodeSection, usersSection } from './node';
import { adminHref, NODE_SECTIONS } from './route';
import type { AdminRoute } from './route';
import './admin.css';

export interface ConsoleContext {
  user: Me;
  orgs: OrgEntry[];
  /** Follows realtime topics while the page is open (the shell's connection): events, and a call when some were lost. */
  follow?: (topics: string[], event: (topic: string, event: string, data: Record<string, unknown>) => void, resync: () => void) => Promise<void>;
}

/** The orgs and projects this user administers. */
export function administered(ctx: ConsoleContext): { orgs: OrgEntry[]; projects: Array<Project & { orgName: string }> } {
  const orgs = ctx.orgs.filter((o) => o.admin);
  const mine = new Set(ctx.user.memberships.filter((m) => m.role === 'project-admin').map((m) => m.projectId));
  const projects = ctx.orgs.flatMap((o) => o.projects.filter((p) => o.admin || mine.has(p.id)).map((p) => ({ ...p, orgName: o.name })));
  return { orgs, projects };
}

export async function adminPage(route: AdminRoute, ctx: ConsoleContext): Promise<HTMLElement> {
  const { orgs, projects } = administered(ctx);
  const here = adminHref(route);
  const link = (r: AdminRoute, text: string, id: string) => el('li', {},
    el('a', { href: adminHref(r), id, ...(adminHref(r) === here ? { 'aria-current': 'page' } : {}) }, text));
  const nav = el('nav', { class: 'admin-nav', 'aria-label': t('admin.title') },
    ...(ctx.user.sysAdmin ? [el('h2', {}, t('admin.nav.thisNode')), el('ul', {},
      ...NODE_SECTIONS.map((s) => link({ kind: 'node', section: s }, t(`admin.nav.${s}`), `admin-nav-${s}`)))] : []),
    ...(orgs.length ? [el('h2', {}, t('admin.nav.orgs')), el('ul', {}, ...orgs.map((o) => link({ kind: 'org', org: o.id }, o.name, `admin-nav-org-${o.id}`)))] : []),
    ...(projects.length ? [el('h2', {}, t('admin.nav.projects')), el('ul', {},
      ...projects.map((p) => link({ kind: 'project', project: p.id }, `${p.name} · ${p.orgName}`, `admin-nav-project-${p.id}`)))] : []));
  const body = await content(route, ctx, orgs, projects);
  return el('div', { class: 'admin', 'data-admin': here.replace(/^#\/admin\/?/, '') || 'home' },
    el('h1', {}, title(route, ctx)), nav, el('div', { class: 'admin-body' }, body));
}

function title(route: AdminRoute, ctx: ConsoleContext): string {
  switch (route.kind) {
    case 'home': return t('admin.title');
    case 'node': return t(`admin.nav.${route.section}`);
    case 'org': return `${t('admin.org')} · ${ctx.orgs.find((o) => o.id === route.org)?.name ?? route.org}`;
    case 'project': return `${t('admin.project')} · ${ctx.orgs.flatMap((o) => o.projects).find((p) => p.id === route.project)?.name ?? route.project}`;
  }
}

async function content(route: AdminRoute, ctx: ConsoleContext, orgs: OrgEntry[], projects: Project[]): Promise<HTMLElement> {
  const refused = () => el('p', { class: 'field-error', role: 'alert', id: 'admin-not-allowed' }, t('admin.notAllowed'));
  switch (route.kind) {
    case 'home':
      return el('p', { class: 'note' }, orgs.length || projects.length || ctx.user.sysAdmin ? t('admin.intro') : t('admin.notAllowed'));
    case 'node':
      if (!ctx.user.sysAdmin) return refused();
      switch (route.section) {
        case 'users': return usersSection(ctx.user.userId);
        case 'node': return nodeSection();
        case 'audit': return auditSection();
        case 'modules': return modulesSection();
        case 'backups': return backupsSection();
        case 'cluster': return clusterSection(await clusterOn().catch(() => false));
      }
      break;
    case 'org': {
      const org = orgs.find((o) => o.id === route.org);
      if (!org) return refused();
      const scope = { kind: 'org', id: org.id } as const;
      const [flags, hooks, fed, sso] = await Promise.all([flagsSection(scope), webhooksSection(scope),
        federationOn().catch(() => false).then((on) => federationSection(org.id, org.projects, on, ctx.follow)),
        orgSsoSection(org.id, org.projects)]);
      return el('div', {}, flags, hooks, fed, sso);
    }
    case 'project': {
      if (!projects.some((p) => p.id === route.project)) return refused();
      const scope = { kind: 'project', id: route.project } as const;
      const [flags, hooks, bots] = await Promise.all([flagsSection(scope), webhooksSection(scope), botsSections(route.project)]);
      return el('div', {}, flags, hooks, bots);
    }
  }
  return refused();
}
