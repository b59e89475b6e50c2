// Backups (sys-admins): the node's backups in its configured target, take one now (incremental,
// or full), and verify one (files, sequences and decryption). Restores need the node's machine and
// stay with `hearth restore` (docs/backups.md).
import { el } from '../dom';
import { t } from '../prefs';
import * as api from './calls';
import type { Backup } from './calls';
import { busy, bytes, outcome, scroller, section, when } from './ui';

export async function backupsSection(): Promise<HTMLElement> {
  const line = outcome('admin-backups-error');
  const body = el('tbody', {});
  const target = el('p', { class: 'note', id: 'admin-backup-target' });
  const paint = async () => {
    const list = await api.listBackups();
    target.textContent = t('admin.backups.target').replace('{0}', list.target);
    body.replaceChildren(...list.backups.map((b) => row(b, line)));
    if (!list.backups.length) body.append(el('tr', {}, el('td', { colspan: '5', class: 'note' }, t('admin.backups.none'))));
  };
  let unavailable = '';
  await paint().catch((e) => { unavailable = String((e as Error).message ?? e); line.fail(e); });
  const full = el('input', { type: 'checkbox', id: 'admin-backup-full' }) as HTMLInputElement;
  const create = el('button', { type: 'button', class: 'primary', id: 'admin-backup-create', disabled: Boolean(unavailable),
    onclick: () => void busy(create, line, async () => {
      const made = await api.createBackup(full.checked);
      line.ok(t('admin.backups.made').replace('{0}', made.id).replace('{1}', bytes(made.bytes ?? 0)));
      await paint();
    }) }, t('admin.backups.create'));
  return section('admin-backups', t('admin.backups'), el('p', { class: 'note' }, t('admin.backups.intro')), target,
    el('div', { class: 'row' }, el('span', { class: 'check' }, full, el('label', { for: 'admin-backup-full' }, t('admin.backups.full'))), create),
    line,
    scroller(el('table', { class: 'admin-table', id: 'admin-backup-table' },
      el('caption', { class: 'sr-only' }, t('admin.backups')),
      el('thead', {}, el('tr', {}, ...['admin.backups.id', 'admin.backups.kind', 'admin.backups.when', 'admin.backups.size', 'admin.backups.verify']
        .map((k) => el('th', { scope: 'col' }, t(k))))), body)));
}

function row(b: Backup, line: ReturnType<typeof outcome>): HTMLElement {
  const result = el('span', { class: 'verify-result', role: 'status' });
  const verify = el('button', { type: 'button', class: 'small', 'data-action': 'verify', 'aria-label': t('admin.backups.verifyNamed').replace('{0}', b.id),
    onclick: () => void busy(verify, line, async () => {
      result.textContent = t('admin.backups.verifying');
      try {
        const v = await api.verifyBackup(b.id);
        result.className = v.ok ? 'verify-result field-ok' : 'verify-result field-error';
        result.textContent = v.ok ? t('admin.backups.sound').replace('{0}', String(v.chain?.length ?? 1)).replace('{1}', String(v.events ?? 0))
          : `${t('admin.backups.broken')} ${(v.problems ?? []).join('; ')}`;
      } catch (e) {
        result.textContent = '';
        throw e;
      }
    }) }, t('admin.backups.verify'));
  return el('tr', { 'data-backup': b.id, 'data-kind': b.kind },
    el('th', { scope: 'row' }, el('code', {}, b.id)), el('td', {}, t(`admin.backups.kind.${b.kind}`)), el('td', {}, when(b.createdAt)),
    el('td', {}, bytes(b.bytes ?? 0)), el('td', {}, verify, ' ', result));
}
