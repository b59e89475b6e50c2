// Webhooks of an org (its admins) or a project (its admins): create one (the signing secret shown
// once), see its deliveries and send one again, delete it (asking first).
import { el } from '../dom';
import { form } from '../forms';
import { t } from '../prefs';
import * as api from './calls';
import type { Delivery, TenantScope, Webhook } from './calls';
import { busy, confirmed, outcome, scroller, section, stateName, when } from './ui';

export async function webhooksSection(scope: TenantScope): Promise<HTMLElement> {
  const list = el('ul', { class: 'admin-list', id: `admin-webhooks-${scope.kind}`, 'aria-label': t('admin.hooks') });
  const paint = async () => {
    const hooks = await api.listWebhooks(scope);
    list.replaceChildren(...hooks.map((h) => hookRow(h, () => void paint())));
    if (!hooks.length) list.append(el('li', { class: 'note' }, t('admin.hooks.none')));
  };
  await paint();
  const created = el('div', { class: 'one-time', 'aria-live': 'polite' });
  const f = form({
    id: `admin-hook-${scope.kind}`,
    fields: [
      { name: 'endpoint', label: t('admin.hooks.endpoint'), type: 'url', attrs: { placeholder: 'https://example.com/hearth' } },
      { name: 'topics', label: t('admin.hooks.topics'), value: 'chat/**' },
      { name: 'description', label: t('admin.hooks.description') },
    ],
    submit: t('admin.hooks.create'),
    onSubmit: async (v) => {
      const topics = v.topics.split(/[\s,]+/).filter(Boolean);
      const made = await api.createWebhook(scope, v.endpoint.trim(), topics, v.description.trim());
      const id = `admin-hook-secret-${scope.kind}`;
      created.replaceChildren(el('label', { for: id }, t('admin.hooks.secret')), el('input', { id, readonly: true, value: made.secret, class: 'secret' }),
        el('p', { class: 'note' }, t('admin.hooks.secretOnce')));
      await paint();
    },
  });
  return section(`admin-webhooks-section-${scope.kind}`, t('admin.hooks'), el('p', { class: 'note' }, t('admin.hooks.intro')), list,
    el('h3', {}, t('admin.hooks.new')), f, created);
}

function hookRow(h: Webhook, changed: () => void): HTMLElement {
  const target = h.endpoint || h.command || '';
  const line = outcome(`admin-hook-${h.id}-error`);
  const deliveries = el('div', { class: 'deliveries', id: `admin-deliveries-${h.id}` });
  const show = el('button', { type: 'button', class: 'small', 'data-action': 'deliveries', 'aria-expanded': 'false', 'aria-controls': deliveries.id,
    'aria-label': t('admin.hooks.deliveriesOf').replace('{0}', target),
    onclick: () => void busy(show, line, async () => {
      await listDeliveries(h, deliveries, line);
      show.setAttribute('aria-expanded', 'true');
    }) }, t('admin.hooks.deliveries'));
  const remove = confirmed(t('admin.hooks.delete'), t('admin.hooks.deleteQuestion').replace('{0}', target), t('admin.hooks.deleteConfirm'), line, async () => {
    await api.deleteWebhook(h.id);
    changed();
  }, { 'data-action': 'delete', 'aria-label': t('admin.hooks.deleteNamed').replace('{0}', target) });
  return el('li', { class: 'admin-row', 'data-webhook': h.id, 'data-state': h.state },
    el('span', { class: 'who' }, el('strong', { class: 'endpoint' }, target),
      el('span', { class: 'note' }, `${(h.topics ?? []).join(', ')} · ${stateName('webhook', h.state)}${h.description ? ` · ${h.description}` : ''}`),
      ...(h.lastError ? [el('span', { class: 'field-error' }, h.lastError)] : [])),
    show, remove, line, deliveries);
}

async function listDeliveries(h: Webhook, into: HTMLElement, line: ReturnType<typeof outcome>): Promise<void> {
  const rows = await api.listDeliveries(h.id);
  const body = el('tbody', {}, ...rows.map((d) => deliveryRow(h, d, line, () => void listDeliveries(h, into, line))));
  if (!rows.length) body.append(el('tr', {}, el('td', { colspan: '5', class: 'note' }, t('admin.hooks.noDeliveries'))));
  const refresh = el('button', { type: 'button', class: 'small', 'data-action': 'refresh-deliveries',
    onclick: () => void busy(refresh, line, () => listDeliveries(h, into, line)) }, t('admin.refresh'));
  into.replaceChildren(scroller(el('table', { class: 'admin-table' },
    el('caption', {}, t('admin.hooks.deliveries')),
    el('thead', {}, el('tr', {}, ...['admin.hooks.event', 'admin.hooks.status', 'admin.hooks.attempts', 'admin.hooks.last', ''].map((k) =>
      el('th', { scope: 'col' }, k ? t(k) : el('span', { class: 'sr-only' }, t('admin.hooks.actions')))))), body)), refresh);
}

function deliveryRow(h: Webhook, d: Delivery, line: ReturnType<typeof outcome>, changed: () => void): HTMLElement {
  const again = el('button', { type: 'button', class: 'small', 'data-action': 'redeliver', 'aria-label': t('admin.hooks.redeliverNamed').replace('{0}', d.type || d.id),
    onclick: () => void busy(again, line, async () => {
      const after = await api.redeliver(h.id, d.id);
      line.ok(t('admin.hooks.redelivered').replace('{0}', String(after.lastStatus ?? 0)));
      changed();
    }) }, t('admin.hooks.redeliver'));
  return el('tr', { 'data-delivery': d.id, 'data-status': d.status },
    el('td', {}, `${d.type || d.topic}`, el('br'), el('span', { class: 'note' }, d.topic)),
    el('td', {}, `${stateName('delivery', d.status)}${d.lastStatus ? ` (${d.lastStatus})` : ''}`),
    el('td', {}, String(d.attempts ?? 0)), el('td', {}, when(d.lastAttemptAt)), el('td', {}, again));
}
