// Hash routes, so reload and back work without the node knowing them:
//   #/p/<project>/<module>/<page>?<param>=<value>&...
// An empty hash (or one the shell does not know) means "the project's first page".

export interface Route {
  project: string;
  module: string;
  page: string;
  params: Record<string, string>;
}

export function currentRoute(): Route | undefined {
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
  const target = href(r);
  // Setting the same hash, or replacing the history entry, fires no hashchange: fire it ourselves.
  const silent = replace || location.hash === target;
  if (replace) history.replaceState(null, '', target);
  else location.hash = target;
  if (silent) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function onRoute(listener: (r: Route | undefined) => void): void {
  window.addEventListener('hashchange', () => listener(currentRoute()));
}
