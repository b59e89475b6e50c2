// The admin console's routes, kept apart from the console (loaded on demand) so the chrome can
// recognise them and the user menu can offer the console to whoever may see some part of it:
//   #/admin                       an overview: the sections this user may open
//   #/admin/<section>             the node's own (sys-admins): users, node, audit, modules, backups, cluster
//   #/admin/o/<org>               an org (its admins): module switches and flags, webhooks, federation
//   #/admin/p/<project>           a project (its admins): module switches and flags, webhooks, bots,
//                                 incoming webhooks, slash commands
// (#/admin/designer is the user-module designer's, designer/route.ts.)
import type { Me } from '../tenancy';

export const NODE_SECTIONS = ['users', 'node', 'audit', 'modules', 'backups', 'cluster'] as const;
export type NodeSection = typeof NODE_SECTIONS[number];

export type AdminRoute =
  | { kind: 'home' } | { kind: 'node'; section: NodeSection }
  | { kind: 'org'; org: string } | { kind: 'project'; project: string };

export const ADMIN_HREF = '#/admin';

export function adminRoute(hash = location.hash): AdminRoute | undefined {
  const parts = hash.replace(/^#\/?/, '').replace(/\/$/, '').split('/').map(decodeURIComponent);
  if (parts[0] !== 'admin' || parts[1] === 'designer') return undefined;
  if (parts.length === 1) return { kind: 'home' };
  if (parts.length === 2 && (NODE_SECTIONS as readonly string[]).includes(parts[1])) return { kind: 'node', section: parts[1] as NodeSection };
  if (parts.length === 3 && parts[1] === 'o' && parts[2]) return { kind: 'org', org: parts[2] };
  if (parts.length === 3 && parts[1] === 'p' && parts[2]) return { kind: 'project', project: parts[2] };
  return undefined;
}

export function adminHref(r: AdminRoute): string {
  switch (r.kind) {
    case 'home': return ADMIN_HREF;
    case 'node': return `${ADMIN_HREF}/${r.section}`;
    case 'org': return `${ADMIN_HREF}/o/${encodeURIComponent(r.org)}`;
    case 'project': return `${ADMIN_HREF}/p/${encodeURIComponent(r.project)}`;
  }
}

/** Whether some part of the console is this user's: the node's, an org's or a project's (the node checks every call anyway). */
export function mayAdminister(user: Me): boolean {
  return user.sysAdmin || user.memberships.some((m) => m.role === 'org-admin' || m.role === 'project-admin');
}
