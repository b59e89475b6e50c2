// A project's members (everyone sees who is in it; its admins change roles and remove people,
// a removal asking first) and, for its admins, invite links: role, expiry and uses, with a copy
// button. The node refuses what a role may not do whatever this page shows.
import { el } from './dom';
import { errorText, form } from './forms';
import { t } from './prefs';
import { createInvite, listInvites, listMembers, PROJECT_ROLES, removeMember, updateMember } from './tenancy';
import type { Membership } from './tenancy';

const EXPIRIES: Array<[string, string]> = [
  ['3600', 'shell.invite.expiry.hour'], ['86400', 'shell.invite.expiry.day'],
  ['604800', 'shell.invite.expiry.week'], ['2592000', 'shell.invite.expiry.month'],
];

export async function membersPage(project: string, projectName: string, me: string, admin: boolean): Promise<HTMLElement> {
  const members = await listMembers(project);
  const list = el('ul', { class: 'members', 'aria-label': t('shell.members') });
  list.append(...members.map((m) => row(project, m, me, admin, list)));
  return el('section', { class: 'shell-page wide' },
    el('h1', {}, `${t('shell.members')} · ${projectName}`),
    el('p', { class: 'note' }, admin ? t('shell.members.adminIntro') : t('shell.members.intro')),
    list);
}

function row(project: string, m: Membership, me: string, admin: boolean, list: HTMLElement): HTMLElement {
  const name = m.displayName || m.userId;
  const error = el('span', { class: 'field-error', role: 'alert', id: `member-${m.userId}-error` });
  const li = el('li', { class: 'member', 'data-user': m.userId },
    el('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(name)),
    el('span', { class: 'who' }, el('strong', {}, name), m.userId === me ? el('span', { class: 'note' }, ` (${t('shell.members.you')})`) : ''));
  if (!admin) {
    li.append(el('span', { class: 'role' }, roleName(m.role)), error);
    return li;
  }
  const select = el('select', { 'aria-label': t('shell.members.roleOf').replace('{0}', name), 'aria-describedby': error.id, class: 'role',
    onchange: async () => {
      error.textContent = '';
      const picked = select.value;
      try {
        const changed = await updateMember(project, m.userId, picked);
        m.role = changed.role;
        li.dataset.role = changed.role;
        error.textContent = t('shell.members.saved');
        error.className = 'field-ok';
      } catch (e) {
        select.value = m.role; // what the node still holds
        error.className = 'field-error';
        error.textContent = errorText(e);
      }
    } }, ...PROJECT_ROLES.map((r) => el('option', { value: r, selected: r === m.role }, roleName(r)))) as HTMLSelectElement;
  li.dataset.role = m.role;
  const remove = el('button', { type: 'button', class: 'danger small', 'aria-label': t('shell.members.removeNamed').replace('{0}', name),
    onclick: () => confirmRemove() }, t('shell.members.remove'));
  const actions = el('span', { class: 'actions' }, remove);
  const confirmRemove = () => {
    const yes = el('button', { type: 'button', class: 'danger small', onclick: async () => {
      error.textContent = '';
      try {
        await removeMember(project, m.userId);
        li.remove();
        list.dispatchEvent(new CustomEvent('hearth:removed', { detail: m.userId }));
      } catch (e) {
        error.className = 'field-error';
        error.textContent = errorText(e);
        actions.replaceChildren(remove);
      }
    } }, t('shell.members.removeConfirm'));
    const no = el('button', { type: 'button', class: 'small', onclick: () => { actions.replaceChildren(remove); remove.focus(); } }, t('shell.cancel'));
    actions.replaceChildren(el('span', { class: 'confirm', role: 'group', 'aria-label': t('shell.members.removeQuestion').replace('{0}', name) },
      el('span', {}, t('shell.members.removeQuestion').replace('{0}', name)), yes, no));
    yes.focus();
  };
  li.append(select, actions, error);
  return li;
}

export async function invitePage(project: string, projectName: string): Promise<HTMLElement> {
  const result = el('div', { class: 'invite-result', 'aria-live': 'polite' });
  const open = el('ul', { class: 'invites' });
  const showOpen = async () => {
    const invites = await listInvites(project).catch(() => []);
    open.replaceChildren(...invites.map((i) => el('li', {},
      `${roleName(i.role)} · ${t('shell.invite.usesLeft').replace('{0}', String(i.usesLeft))} · ${t('shell.invite.until')} ${new Date(i.expiresAt).toLocaleString()}`)));
  };
  const f = form({
    id: 'invite', title: `${t('shell.invite.title')} · ${projectName}`, intro: t('shell.invite.intro'),
    fields: [
      { name: 'role', label: t('shell.invite.role'), choices: PROJECT_ROLES.map((r) => [r, roleName(r)]), value: 'project-user' },
      { name: 'expiresInSeconds', label: t('shell.invite.expiry'), choices: EXPIRIES.map(([v, k]) => [v, t(k)]), value: '604800', aliases: ['expires_in_seconds'] },
      { name: 'maxUses', label: t('shell.invite.uses'), type: 'number', value: '1', attrs: { min: '1', max: '1000' }, aliases: ['max_uses'] },
    ],
    submit: t('shell.invite.create'),
    onSubmit: async (v) => {
      const made = await createInvite(project, v.role, Number(v.expiresInSeconds), Number(v.maxUses) || 0);
      const link = `${location.origin}/#/join/${encodeURIComponent(made.code)}`;
      const status = el('span', { class: 'field-ok', role: 'status' });
      const copy = el('button', { type: 'button', id: 'copy-invite', onclick: async () => {
        try {
          await navigator.clipboard.writeText(link);
          status.textContent = t('shell.invite.copied');
        } catch {
          // No clipboard (an insecure origin, a denied permission): the link is selected for Ctrl+C.
          input.select();
          status.textContent = t('shell.invite.copyByHand');
        }
      } }, t('shell.invite.copy'));
      const input = el('input', { id: 'invite-link', readonly: true, value: link, 'aria-label': t('shell.invite.link') }) as HTMLInputElement;
      result.replaceChildren(el('label', { for: 'invite-link' }, t('shell.invite.link')), el('div', { class: 'copy-row' }, input, copy), status,
        el('p', { class: 'note' }, t('shell.invite.once')));
      await showOpen();
    },
  });
  await showOpen();
  return el('section', { class: 'shell-page' }, f, result, el('h2', {}, t('shell.invite.open')), open);
}

export function roleName(role: string): string {
  return t(`shell.role.${role}`);
}

function initials(name: string): string {
  return name.split(/[\s@.]+/).filter(Boolean).slice(0, 2).map((w) => w[0]!.toUpperCase()).join('') || '?';
}
