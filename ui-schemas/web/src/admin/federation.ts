// Federation links of an org (its admins): invite another node's org, accept its invite, share a
// project over a link. A node without federation says so, and is never asked for links (no 404).
import { el } from '../dom';
import { form } from '../forms';
import { t } from '../prefs';
import type { Project } from '../tenancy';
import * as api from './calls';
import type { Link } from './calls';
import { busy, outcome, section } from './ui';

export async function federationSection(org: string, projects: Project[], on: boolean): Promise<HTMLElement> {
  if (!on) {
    return section('admin-federation', t('admin.fed'), el('p', { class: 'note', id: 'admin-federation-off' }, t('admin.fed.off')));
  }
  const list = el('ul', { class: 'admin-list', id: 'admin-links', 'aria-label': t('admin.fed.links') });
  const paint = async () => {
    const links = await api.listLinks(org);
    list.replaceChildren(...links.map((l) => linkRow(org, l, projects, () => void paint())));
    if (!links.length) list.append(el('li', { class: 'note' }, t('admin.fed.none')));
  };
  await paint();
  const inviteLine = outcome('admin-link-invite-error');
  const token = el('div', { class: 'one-time', 'aria-live': 'polite' });
  const invite = el('button', { type: 'button', id: 'admin-link-invite', onclick: () => void busy(invite, inviteLine, async () => {
    const made = await api.createLinkInvite(org);
    token.replaceChildren(el('label', { for: 'admin-link-token' }, t('admin.fed.token')),
      el('input', { id: 'admin-link-token', readonly: true, value: made.linkToken, class: 'secret' }),
      el('p', { class: 'note' }, t('admin.fed.tokenHelp').replace('{0}', made.fingerprint ?? '')));
  }) }, t('admin.fed.invite'));
  const accept = form({
    id: 'admin-link-accept', fields: [{ name: 'linkToken', label: t('admin.fed.acceptToken'), aliases: ['link_token'] }], submit: t('admin.fed.accept'),
    onSubmit: async (v) => {
      await api.acceptLink(org, v.linkToken.trim());
      await paint();
    },
  });
  return section('admin-federation', t('admin.fed'), el('p', { class: 'note' }, t('admin.fed.intro')), list,
    el('h3', {}, t('admin.fed.inviteTitle')), invite, inviteLine, token, el('h3', {}, t('admin.fed.acceptTitle')), accept);
}

function linkRow(org: string, l: Link, projects: Project[], changed: () => void): HTMLElement {
  const line = outcome(`admin-link-${l.id}-error`);
  const shared = new Set((l.shares ?? []).map((s) => s.projectId));
  const id = `admin-share-${l.id}`;
  const pick = el('select', { id }, ...projects.filter((p) => !shared.has(p.id)).map((p) => el('option', { value: p.id }, p.name))) as HTMLSelectElement;
  const share = el('button', { type: 'button', class: 'small', onclick: () => void busy(share, line, async () => {
    await api.shareProject(org, l.id, pick.value);
    changed();
  }) }, t('admin.fed.share'));
  // A project the peer offers this org: replicated here once its admin accepts.
  const offered = (l.shares ?? []).filter((s) => !s.ownedHere && s.state === 'OFFERED').map((s) => {
    const name = s.projectName || s.projectId;
    const accept = el('button', { type: 'button', class: 'small', 'data-accept-share': s.projectId,
      'aria-label': t('admin.fed.acceptShareNamed').replace('{0}', name), onclick: () => void busy(accept, line, async () => {
        await api.acceptShare(org, l.id, s.projectId);
        changed();
      }) }, t('admin.fed.acceptShare'));
    return accept;
  });
  return el('li', { class: 'admin-row', 'data-link': l.id, 'data-state': l.state ?? '' },
    el('span', { class: 'who' }, el('strong', {}, l.peerOrgName || l.peerNodeId || l.id),
      el('span', { class: 'note' }, `${l.peerNodeId ?? ''} · ${l.state ?? ''}`),
      el('span', { class: 'note shares' }, (l.shares ?? []).map((s) => `${s.projectName || s.projectId} (${s.state ?? ''})`).join(', ') || t('admin.fed.noShares'))),
    ...offered,
    // Label, select and button stay together (on a phone, a line of their own under the link).
    ...(pick.options.length ? [el('span', { class: 'share-pick' }, el('label', { for: id }, t('admin.fed.shareWhich')), pick, share)] : []), line);
}
