// Federation links of an org (its admins): invite another node's org, accept its invite, share a
// project over a link, pause and resume a link, stop sharing a project, remove a link. The list is
// live: it follows the org's federation topic (link.updated, whatever side changed the link), so
// what the peer's admins do shows without a reload. A node without federation says so, and is never
// asked for links (no 404).
import { el } from '../dom';
import { form } from '../forms';
import { t } from '../prefs';
import type { Project } from '../tenancy';
import * as api from './calls';
import type { Link } from './calls';
import type { ConsoleContext } from './console';
import { busy, confirmed, outcome, section, stateName } from './ui';

export async function federationSection(org: string, projects: Project[], on: boolean, follow?: ConsoleContext['follow']): Promise<HTMLElement> {
  if (!on) {
    return section('admin-federation', t('admin.fed'), el('p', { class: 'note', id: 'admin-federation-off' }, t('admin.fed.off')));
  }
  const list = el('ul', { class: 'admin-list', id: 'admin-links', 'aria-label': t('admin.fed.links') });
  const links = new Map<string, Link>();
  /** Puts a link (an action's answer or a live event) in its place; a removed one leaves. Only its row is drawn again. */
  const apply = (l: Link) => {
    if (!l?.id || l.orgId && l.orgId !== org) return;
    const had = links.has(l.id);
    const next = { ...links.get(l.id), ...l };
    // A write that changes nothing shown (the link's control sequence) leaves the row, and any question open in it, alone.
    if (had && l.state !== 'REMOVED' && JSON.stringify(next) === JSON.stringify(links.get(l.id))) return;
    if (l.state === 'REMOVED') links.delete(l.id);
    else links.set(l.id, next);
    const old = list.querySelector(`li[data-link="${CSS.escape(l.id)}"]`);
    if (!links.has(l.id)) old?.remove();
    else if (old && had) old.replaceWith(linkRow(org, links.get(l.id)!, projects, apply));
    else list.append(linkRow(org, links.get(l.id)!, projects, apply));
    none();
  };
  const none = () => {
    list.querySelector(':scope > li.note')?.remove();
    if (!links.size) list.append(el('li', { class: 'note' }, t('admin.fed.none')));
  };
  const paint = async () => {
    const all = await api.listLinks(org);
    links.clear();
    for (const l of all) links.set(l.id, l);
    list.replaceChildren(...all.map((l) => linkRow(org, l, projects, apply)));
    none();
  };
  // Follow first, then list: a change made between the two is not missed (applying it twice is harmless).
  const following = follow?.([api.federationTopic(org)], (_topic, event, data) => {
    if (event === 'link.updated') apply(data as unknown as Link);
  }, () => void paint());
  await paint();
  following?.then(() => { list.dataset.live = 'true'; }, () => {});
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
      apply(await api.acceptLink(org, v.linkToken.trim()));
    },
  });
  return section('admin-federation', t('admin.fed'), el('p', { class: 'note' }, t('admin.fed.intro')), list,
    el('h3', {}, t('admin.fed.inviteTitle')), invite, inviteLine, token, el('h3', {}, t('admin.fed.acceptTitle')), accept);
}

function linkRow(org: string, l: Link, projects: Project[], changed: (l: Link) => void): HTMLElement {
  const line = outcome(`admin-link-${l.id}-error`);
  const peer = l.peerOrgName || l.peerNodeId || l.id;
  const live = (l.shares ?? []).filter((s) => s.state !== 'DETACHED');
  const shared = new Set(live.map((s) => s.projectId));
  const id = `admin-share-${l.id}`;
  const active = l.state === 'ACTIVE';
  const pick = el('select', { id }, ...projects.filter((p) => !shared.has(p.id)).map((p) => el('option', { value: p.id }, p.name))) as HTMLSelectElement;
  const share = el('button', { type: 'button', class: 'small', onclick: () => void busy(share, line, async () => {
    changed(await api.shareProject(org, l.id, pick.value));
  }) }, t('admin.fed.share'));
  // A project the peer offers this org: replicated here once its admin accepts.
  const offered = (l.shares ?? []).filter((s) => !s.ownedHere && s.state === 'OFFERED').map((s) => {
    const name = s.projectName || s.projectId;
    const accept = el('button', { type: 'button', class: 'small', 'data-accept-share': s.projectId,
      'aria-label': t('admin.fed.acceptShareNamed').replace('{0}', name), onclick: () => void busy(accept, line, async () => {
        changed(await api.acceptShare(org, l.id, s.projectId));
      }) }, t('admin.fed.acceptShare'));
    return accept;
  });
  // Either side may stop sharing a project; it stays, read-only, where it was replicated.
  const unshare = live.map((s) => {
    const name = s.projectName || s.projectId;
    return confirmed(t('admin.fed.unshareNamed').replace('{0}', name), t('admin.fed.unshareQ').replace('{0}', name).replace('{1}', peer),
      t('admin.fed.unshareYes'), line, async () => changed(await api.unshareProject(org, l.id, s.projectId)), { 'data-unshare': s.projectId });
  });
  const toggle = el('button', { type: 'button', class: 'small', 'data-link-action': active ? 'pause' : 'resume',
    'aria-label': t(active ? 'admin.fed.pauseNamed' : 'admin.fed.resumeNamed').replace('{0}', peer),
    onclick: () => void busy(toggle, line, async () => changed(await (active ? api.pauseLink(org, l.id) : api.resumeLink(org, l.id)))) },
  t(active ? 'admin.fed.pause' : 'admin.fed.resume'));
  const remove = confirmed(t('admin.fed.remove'), t('admin.fed.removeQ').replace('{0}', peer), t('admin.fed.removeYes'), line,
    async () => changed(await api.removeLink(org, l.id)), { 'data-link-action': 'remove', 'aria-label': t('admin.fed.removeNamed').replace('{0}', peer) });
  return el('li', { class: 'admin-row', 'data-link': l.id, 'data-state': l.state ?? '' },
    el('span', { class: 'who' }, el('strong', {}, peer),
      el('span', { class: 'note link-state' }, `${l.peerNodeId ?? ''} · ${stateName('link', l.state)}`),
      ...(l.state === 'PAUSED' ? [el('span', { class: 'note paused', 'data-paused': 'true' }, t('admin.fed.paused'))] : []),
      el('span', { class: 'note shares' }, (l.shares ?? []).map((s) => `${s.projectName || s.projectId} (${stateName('share', s.state)})`).join(', ') || t('admin.fed.noShares'))),
    ...offered,
    // Label, select and button stay together (on a phone, a line of their own under the link).
    ...(active && pick.options.length ? [el('span', { class: 'share-pick' }, el('label', { for: id }, t('admin.fed.shareWhich')), pick, share)] : []),
    el('span', { class: 'actions' }, toggle, ...unshare, remove), line);
}
