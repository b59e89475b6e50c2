// The cluster (sys-admins; docs/cluster.md): the processes this node's cluster has — roles, the
// stores each holds, each store's last sequence and replica lag —, every store's lease, and the
// planned move of a store to another process (`hearth cluster move`). A single node says it is not
// a cluster, and is never asked for the cluster's placement (no 404).
import { el } from '../dom';
import { t } from '../prefs';
import * as api from './calls';
import type { ClusterProcess } from './calls';
import { busy, outcome, scroller, section, when } from './ui';

export async function clusterSection(on: boolean): Promise<HTMLElement> {
  if (!on) return section('admin-cluster', t('admin.cluster'), el('p', { class: 'note', id: 'admin-cluster-off' }, t('admin.cluster.off')));
  const line = outcome('admin-cluster-error');
  const answered = el('p', { class: 'note', id: 'admin-cluster-answered' });
  const processes = el('tbody', {});
  const leases = el('tbody', {});
  const store = el('select', { id: 'admin-move-store' }) as HTMLSelectElement;
  const target = el('select', { id: 'admin-move-to' }) as HTMLSelectElement;
  const paint = async () => {
    const s = await api.clusterStatus();
    answered.textContent = t('admin.cluster.answered').replace('{0}', s.processId).replace('{1}', String(s.replicas ?? 1));
    processes.replaceChildren(...s.processes.map(processRow));
    if (!s.processes.length) processes.append(el('tr', {}, el('td', { colspan: '5', class: 'note' }, t('admin.cluster.noProcesses'))));
    leases.replaceChildren(...s.leases.map((l) => el('tr', { 'data-lease': l.store, 'data-holder': l.holder },
      el('th', { scope: 'row' }, l.store), el('td', {}, el('code', {}, l.holder)), el('td', {}, String(l.revision ?? '')), el('td', {}, when(l.renewedAt)))));
    if (!s.leases.length) leases.append(el('tr', {}, el('td', { colspan: '4', class: 'note' }, t('admin.cluster.noLeases'))));
    keep(store, s.leases.map((l) => l.store));
    keep(target, s.processes.map((p) => p.processId));
  };
  await paint().catch((e) => line.fail(e));
  const refresh = el('button', { type: 'button', class: 'small', id: 'admin-cluster-refresh', onclick: () => void busy(refresh, line, paint) },
    t('admin.cluster.refresh'));
  const move = el('button', { type: 'button', class: 'primary', id: 'admin-move', onclick: () => void busy(move, line, async () => {
    const r = await api.moveStore(store.value, target.value);
    line.ok((r.outcome === 'already-there' ? t('admin.cluster.already') : t('admin.cluster.moved'))
      .replace('{0}', r.store).replace('{1}', r.from).replace('{2}', r.to).replace('{3}', String(r.writePauseMillis ?? 0)));
    await paint();
  }) }, t('admin.cluster.move'));
  return section('admin-cluster', t('admin.cluster'), el('p', { class: 'note' }, t('admin.cluster.intro')), answered,
    el('div', { class: 'row' }, refresh), line,
    scroller(el('table', { class: 'admin-table', id: 'admin-cluster-processes' },
      el('caption', {}, t('admin.cluster.processes')),
      el('thead', {}, el('tr', {}, ...['admin.cluster.process', 'admin.cluster.roles', 'admin.cluster.holds', 'admin.cluster.stores', 'admin.cluster.heartbeat']
        .map((k) => el('th', { scope: 'col' }, t(k))))), processes)),
    scroller(el('table', { class: 'admin-table', id: 'admin-cluster-leases' },
      el('caption', {}, t('admin.cluster.leases')),
      el('thead', {}, el('tr', {}, ...['admin.cluster.store', 'admin.cluster.holder', 'admin.cluster.revision', 'admin.cluster.renewed']
        .map((k) => el('th', { scope: 'col' }, t(k))))), leases)),
    el('h3', {}, t('admin.cluster.moveTitle')), el('p', { class: 'note' }, t('admin.cluster.moveHelp')),
    el('div', { class: 'row move-row' }, el('label', { for: 'admin-move-store' }, t('admin.cluster.store')), store,
      el('label', { for: 'admin-move-to' }, t('admin.cluster.to')), target, move));
}

/** Fills a select with `values`, keeping the choice when it is still there. */
function keep(select: HTMLSelectElement, values: string[]): void {
  const chosen = select.value;
  select.replaceChildren(...values.map((v) => el('option', { value: v }, v)));
  if (values.includes(chosen)) select.value = chosen;
}

function processRow(p: ClusterProcess): HTMLElement {
  const roles = [...(p.front ? [t('admin.cluster.front')] : []),
    (p.owns ?? []).length ? t('admin.cluster.mayOwn').replace('{0}', (p.owns ?? []).join(', ')) : t('admin.cluster.ownsNothing')];
  const stores = (p.stores ?? []).map((s) => el('li', { 'data-store': s.name },
    `${s.name}: ${s.lastSequence ?? '0'}`, s.replicaLag === undefined ? ''
      : el('span', { class: Number(s.replicaLag) > 0 ? 'tag off' : 'note' }, ` · ${t('admin.cluster.lag').replace('{0}', String(s.replicaLag))}`)));
  return el('tr', { 'data-process': p.processId },
    el('th', { scope: 'row' }, el('code', {}, p.processId), el('br', {}), el('span', { class: 'note' }, p.apiUrl ?? '')),
    el('td', {}, roles.join('; ')),
    el('td', { class: 'holds' }, (p.owned ?? []).join(', ') || '—'),
    el('td', {}, el('ul', { class: 'plain' }, ...stores)),
    el('td', {}, when(p.heartbeatAt)));
}

