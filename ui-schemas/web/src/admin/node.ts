// The node's own sections of the console (sys-admins; the node refuses anyone else): users,
// registration, read-only mode and the user-module grant for project-admins with the node's stats,
// and the audit log.
import { el } from '../dom';
import { t } from '../prefs';
import * as api from './calls';
import type { AuditEvent, User } from './calls';
import { busy, bytes, confirmed, outcome, scroller, searchForm, section, when } from './ui';

/** Users: search, disable or enable, reset a password (the new one shown once), delete. */
export async function usersSection(me: string): Promise<HTMLElement> {
  const list = el('ul', { class: 'admin-list', id: 'admin-users', 'aria-label': t('admin.users') });
  const more = el('button', { type: 'button', id: 'admin-users-more', hidden: true }, t('admin.more'));
  const line = outcome('admin-users-error');
  let query = '';
  let next = '';
  const load = async (append: boolean) => {
    line.clear();
    try {
      const page = await api.listUsers(query, append ? next : '');
      next = page.next;
      if (!append) list.replaceChildren();
      list.append(...page.users.map((u) => userRow(u, me)));
      if (!list.childElementCount) list.append(el('li', { class: 'note' }, t('admin.users.none')));
      more.hidden = !next;
    } catch (e) {
      line.fail(e);
    }
  };
  more.addEventListener('click', () => void load(true));
  await load(false);
  return section('admin-users-section', t('admin.users'),
    searchForm('admin-user-query', t('admin.users.search'), t('admin.search'), '', (q) => { query = q; void load(false); }),
    line, list, more);
}

function userRow(u: User, me: string): HTMLElement {
  const name = u.displayName || u.email;
  const line = outcome(`admin-user-${u.id}-error`);
  const li = el('li', { class: 'admin-row', 'data-user': u.id, 'data-email': u.email });
  const badges = el('span', { class: 'badges' });
  const paint = () => {
    li.dataset.disabled = String(u.disabled);
    badges.replaceChildren(...(u.sysAdmin ? [el('span', { class: 'tag' }, t('admin.users.sysAdmin'))] : []),
      ...(u.disabled ? [el('span', { class: 'tag off' }, t('admin.users.disabled'))] : []));
    toggle.textContent = u.disabled ? t('admin.users.enable') : t('admin.users.disable');
    toggle.setAttribute('aria-label', (u.disabled ? t('admin.users.enableNamed') : t('admin.users.disableNamed')).replace('{0}', name));
  };
  const toggle = el('button', { type: 'button', class: 'small', 'data-action': 'toggle', onclick: () => void busy(toggle, line, async () => {
    const fresh = u.disabled ? await api.enableUser(u.id) : await api.disableUser(u.id);
    u.disabled = Boolean(fresh.disabled);
    paint();
    line.ok(u.disabled ? t('admin.users.disabledNow') : t('admin.users.enabledNow'));
  }) });
  const password = el('div', { class: 'one-time' });
  const reset = confirmed(t('admin.users.reset'), t('admin.users.resetQuestion').replace('{0}', name), t('admin.users.resetConfirm'), line, async () => {
    const fresh = await api.resetPassword(u.id);
    const id = `admin-password-${u.id}`;
    password.replaceChildren(el('label', { for: id }, t('admin.users.newPassword')),
      el('input', { id, readonly: true, value: fresh, class: 'secret' }), el('p', { class: 'note' }, t('admin.users.newPasswordOnce')));
  }, { 'data-action': 'reset', 'aria-label': t('admin.users.resetNamed').replace('{0}', name) });
  const remove = confirmed(t('admin.users.delete'), t('admin.users.deleteQuestion').replace('{0}', name), t('admin.users.deleteConfirm'), line, async () => {
    await api.deleteUser(u.id);
    li.remove();
  }, { 'data-action': 'delete', 'aria-label': t('admin.users.deleteNamed').replace('{0}', name) });
  li.append(el('span', { class: 'who' }, el('strong', {}, name), el('span', { class: 'note' }, u.email), badges),
    ...(u.id === me ? [el('span', { class: 'note' }, t('shell.members.you'))] : [toggle, reset, remove]), line, password);
  paint();
  return li;
}

/** Registration, read-only mode and the project-admins' user-module grant (saved at once), and the node's stats. */
export async function nodeSection(): Promise<HTMLElement> {
  const [settings, stats] = await Promise.all([api.getSettings(), api.nodeStats()]);
  const line = outcome('admin-settings-error');
  const box = (id: string, key: 'registrationsOpen' | 'readOnly' | 'projectAdminsInstallUserModules', label: string, help: string) => {
    const input = el('input', { type: 'checkbox', id, checked: Boolean(settings[key]), 'aria-describedby': `${id}-help admin-settings-error`,
      onchange: () => void busy(input, line, async () => {
        const wanted = (input as HTMLInputElement).checked;
        try {
          Object.assign(settings, await api.updateSettings({ [key]: wanted }));
        } finally {
          (input as HTMLInputElement).checked = Boolean(settings[key]);
        }
        line.ok(t('admin.saved'));
      }) });
    return el('div', { class: 'check' }, input, el('label', { for: id }, label), el('p', { class: 'note', id: `${id}-help` }, help));
  };
  const statsView = el('div', { id: 'admin-stats' });
  const paint = (s: api.NodeStats) => {
    const rows: Array<[string, string]> = [
      [t('admin.stats.node'), s.nodeId], [t('admin.stats.version'), s.version], [t('admin.stats.uptime'), duration(Number(s.uptimeSeconds))],
      [t('admin.stats.users'), String(s.users ?? 0)], [t('admin.stats.orgs'), String(s.orgs ?? 0)], [t('admin.stats.projects'), String(s.projects ?? 0)],
      [t('admin.stats.connections'), String(s.realtimeConnections ?? 0)], [t('admin.stats.heap'), `${bytes(s.heapUsedBytes ?? 0)} / ${bytes(s.heapCommittedBytes ?? 0)}`],
      [t('admin.stats.rss'), Number(s.rssBytes) ? bytes(s.rssBytes) : '—'],
    ];
    statsView.replaceChildren(el('dl', { class: 'stats' }, ...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { 'data-stat': k }, v)])),
      scroller(el('table', { class: 'admin-table' },
        el('caption', {}, t('admin.stats.stores')),
        el('thead', {}, el('tr', {}, ...[t('admin.stats.store'), t('admin.stats.sequence'), t('admin.stats.unapplied')].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...(s.stores ?? []).map((st) => el('tr', {}, el('th', { scope: 'row' }, st.name), el('td', {}, String(st.lastSequence ?? 0)),
          el('td', {}, String(st.unapplied ?? 0))))))));
  };
  paint(stats);
  const statsLine = outcome('admin-stats-error');
  const refresh = el('button', { type: 'button', id: 'admin-stats-refresh', onclick: () => void busy(refresh, statsLine, async () => paint(await api.nodeStats())) },
    t('admin.refresh'));
  return el('div', {},
    section('admin-settings', t('admin.settings'),
      box('admin-registrations', 'registrationsOpen', t('admin.settings.registrations'), t('admin.settings.registrationsHelp')),
      box('admin-read-only', 'readOnly', t('admin.settings.readOnly'), t('admin.settings.readOnlyHelp')),
      box('admin-user-modules', 'projectAdminsInstallUserModules', t('admin.settings.userModules'), t('admin.settings.userModulesHelp')), line),
    section('admin-stats-section', t('admin.stats'), statsView, refresh, statsLine));
}

function duration(seconds: number): string {
  const d = Math.floor(seconds / 86400), h = Math.floor((seconds % 86400) / 3600), m = Math.floor((seconds % 3600) / 60);
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : `${m}m ${Math.floor(seconds % 60)}s`;
}

/** The audit log, newest first, a page at a time, filtered by a word. */
export async function auditSection(): Promise<HTMLElement> {
  const body = el('tbody', {});
  const line = outcome('admin-audit-error');
  const newer = el('button', { type: 'button', id: 'admin-audit-newer', disabled: true }, t('admin.audit.newer'));
  const older = el('button', { type: 'button', id: 'admin-audit-older', disabled: true }, t('admin.audit.older'));
  const pageNo = el('span', { class: 'note', 'aria-live': 'polite' });
  let query = '';
  // The token of every page seen, so "newer" goes back the way "older" came.
  let tokens: string[] = [''];
  let next = '';
  const load = async () => {
    line.clear();
    try {
      const page = await api.listAudit(query, tokens[tokens.length - 1]);
      next = page.next;
      body.replaceChildren(...page.events.map(eventRow));
      if (!page.events.length) body.append(el('tr', {}, el('td', { colspan: '5', class: 'note' }, t('admin.audit.none'))));
      (older as HTMLButtonElement).disabled = !next;
      (newer as HTMLButtonElement).disabled = tokens.length === 1;
      pageNo.textContent = t('admin.audit.page').replace('{0}', String(tokens.length));
    } catch (e) {
      line.fail(e);
    }
  };
  older.addEventListener('click', () => { tokens.push(next); void load(); });
  newer.addEventListener('click', () => { tokens.pop(); void load(); });
  await load();
  return section('admin-audit', t('admin.audit'),
    searchForm('admin-audit-query', t('admin.audit.filter'), t('admin.search'), '', (q) => { query = q; tokens = ['']; void load(); }),
    line,
    scroller(el('table', { class: 'admin-table', id: 'admin-audit-table' },
      el('caption', { class: 'sr-only' }, t('admin.audit')),
      el('thead', {}, el('tr', {}, ...['admin.audit.at', 'admin.audit.actor', 'admin.audit.action', 'admin.audit.target', 'admin.audit.detail']
        .map((k) => el('th', { scope: 'col' }, t(k))))), body)),
    el('div', { class: 'pager' }, newer, pageNo, older));
}

function eventRow(e: AuditEvent): HTMLElement {
  return el('tr', { 'data-action': e.action },
    el('td', {}, when(e.at)), el('td', {}, e.actorId), el('td', {}, e.action.replace(/^hearth\./, '')), el('td', {}, e.target ?? ''),
    el('td', {}, e.detail ?? ''));
}
