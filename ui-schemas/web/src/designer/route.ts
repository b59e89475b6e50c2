// The designer's routes: #/admin/designer (a new module, from the template) and
// #/admin/designer/<id> (an installed module, to upgrade). Kept apart from the designer itself,
// which loads on demand: the chrome only needs to recognise the route, and whom to offer it.
import { call } from '../api';
export interface DesignerRoute { id: string }

export const DESIGNER_HREF = '#/admin/designer';

export function designerRoute(hash = location.hash): DesignerRoute | undefined {
  const m = /^#\/admin\/designer(?:\/([^/?]+))?\/?$/.exec(hash);
  return m ? { id: m[1] ? decodeURIComponent(m[1]) : '' } : undefined;
}

export function designerHref(id: string): string {
  return id ? `${DESIGNER_HREF}/${encodeURIComponent(id)}` : DESIGNER_HREF;
}

/** Who may install on this node (GetDesignerAccess): sys-admins, and project-admins when the node allows. */
export interface DesignerAccess { sysAdmin?: boolean; projectAdmins?: boolean }

export function designerAccess(): Promise<DesignerAccess> {
  return call<DesignerAccess>('GET', '/v1/user-module-designer');
}
