// Hash routes, so reload and back work without the node knowing them:
//   #/p/<project>/<module>/<page>?<param>=<value>&...   a module's page (a card)
//   #/welcome, #/new-org, #/o/<org>/new-project, #/join[/<code>],
//   #/p/<project>/~/members, #/p/<project>/~/invite,
//   #/p/<project>/~/files[/<folder>], #/p/<project>/~/direct, #/me/<tab>   the shell's own pages (shellRoute)
// An empty hash (or one the shell does not know) means "the project's first page".

export interface Route {
  project: string;
  module: string;
  page: string;
  params: Record<string, string>;
}

/** A page of the shell's own (onboarding, tenancy), not a module's card. */
export type ShellRoute =
  | { kind: 'welcome' } | { kind: 'new-org' } | { kind: 'new-project'; org: string }
  | { kind: 'join'; code: string } | { kind: 'members'; project: string } | { kind: 'invite'; project: string }
  | { kind: 'files'; project: string; folder: string } | { kind: 'me'; tab: MeTab }
  | { kind: 'direct'; project: string };

/** The tabs of the profile and settings page (#/me/<tab>). */
export const ME_TABS = ['profile', 'settings', 'security', 'tokens'] as const;
export type MeTab = typeof ME_TABS[number];

export function shellRoute(hash = location.hash): ShellRoute | undefined {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (parts[0] === 'welcome' && parts.length === 1) return { kind: 'welcome' };
  if (parts[0] === 'new-org' && parts.length === 1) return { kind: 'new-org' };
  if (parts[0] === 'join' && parts.length <= 2) return { kind: 'join', code: parts[1] ?? '' };
  if (parts[0] === 'o' && parts[2] === 'new-project' && parts.length === 3) return { kind: 'new-project', org: parts[1] };
  if (parts[0] === 'p' && parts[2] === '~' && parts.length === 4 && (parts[3] === 'members' || parts[3] === 'invite' || parts[3] === 'direct')) {
    return { kind: parts[3], project: parts[1] };
  }
  if (parts[0] === 'p' && parts[2] === '~' && parts[3] === 'files' && (parts.length === 4 || parts.length === 5)) {
    return { kind: 'files', project: parts[1], folder: parts[4] ?? '' };
  }
  if (parts[0] === 'me' && parts.length <= 2) {
    const tab = (parts[1] || 'profile') as MeTab;
    if (ME_TABS.includes(tab)) return { kind: 'me', tab };
  }
  return undefined;
}

export function shellHref(r: ShellRoute): string {
  switch (r.kind) {
    case 'welcome': case 'new-org': return `#/${r.kind}`;
    case 'join': return r.code ? `#/join/${encodeURIComponent(r.code)}` : '#/join';
    case 'new-project': return `#/o/${encodeURIComponent(r.org)}/new-project`;
    case 'members': case 'invite': case 'direct': return `#/p/${encodeURIComponent(r.project)}/~/${r.kind}`;
    case 'files': return `#/p/${encodeURIComponent(r.project)}/~/files${r.folder ? '/' + encodeURIComponent(r.folder) : ''}`;
    case 'me': return `#/me/${r.tab}`;
  }
}

/** Opens a shell page; like go(), a hash already there still fires the listeners. */
export function goShell(r: ShellRoute, replace = false): void {
  navigate(shellHref(r), replace);
}

export function currentRoute(): Route | undefined {
  if (shellRoute()) return undefined;
  const m = /^#\/p\/([^/?]+)\/([^/?]+)\/([^/?]+)(?:\?(.*))?$/.exec(location.hash);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  new URLSearchParams(m[4] ?? '').forEach((v, k) => { params[k] = v; });
  return { project: decodeURIComponent(m[1]), module: decodeURIComponent(m[2]), page: decodeURIComponent(m[3]), params };
}

export function href(r: Route): string {
  const q = new URLSearchParams(r.params).toString();
  return `#/p/${encodeURIComponent(r.project)}/${encodeURIComponent(r.module)}/${encodeURIComponent(r.page)}${q ? '?' + q : ''}`;
}

export function go(r: Route, replace = false): void {
  navigate(href(r), replace);
}

function navigate(target: string, replace: boolean): void {
  // Setting the same hash, or replacing the history entry, fires no hashchange: fire it ourselves.
  const silent = replace || location.hash === target;
  if (replace) history.replaceState(null, '', target);
  else location.hash = target;
  if (silent) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function onRoute(listener: () => void): void {
  window.addEventListener('hashchange', () => listener());
}
