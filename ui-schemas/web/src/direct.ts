// A new direct message or group conversation: the project's other people as checkboxes, and
// "Open conversation" (OpenDirect: the same channel for the same people every time). The node's
// refusal (too many people, someone not in the project) shows beside the list; the ticks stay.
import { ApiError } from './api';
import { el } from './dom';
import { errorText } from './forms';
import { t } from './prefs';
import { shellHref } from './router';
import { listMembers, openDirect } from './tenancy';

export async function directPage(project: string, projectName: string, me: string, opened: (channel: string) => void): Promise<HTMLElement> {
  const people = (await listMembers(project)).filter((m) => m.userId !== me)
    .sort((a, b) => (a.displayName || a.userId).localeCompare(b.displayName || b.userId));
  const title = el('h1', {}, t('shell.direct.new'));
  if (!people.length) {
    return el('section', { class: 'shell-page direct' }, title,
      el('p', { class: 'note' }, t('shell.direct.nobody').replace('{0}', projectName)),
      el('a', { href: shellHref({ kind: 'members', project }) }, t('shell.members')));
  }
  const error = el('p', { class: 'field-error', id: 'direct-error', role: 'alert' });
  const filter = el('input', { type: 'search', id: 'direct-filter', autocomplete: 'off', 'aria-controls': 'direct-people' }) as HTMLInputElement;
  const list = el('ul', { class: 'people', id: 'direct-people' }, ...people.map((m) => {
    const id = `direct-${m.userId}`;
    const name = m.displayName || m.userId;
    return el('li', { 'data-name': name.toLowerCase() },
      el('input', { type: 'checkbox', id, name: 'user', value: m.userId, 'aria-describedby': 'direct-error' }),
      el('label', { for: id }, el('span', { class: 'avatar', 'aria-hidden': 'true' }, (name[0] ?? '?').toUpperCase()), name));
  }));
  filter.addEventListener('input', () => {
    const q = filter.value.trim().toLowerCase();
    list.querySelectorAll<HTMLElement>('li').forEach((li) => { li.hidden = Boolean(q) && !(li.dataset.name ?? '').includes(q); });
  });
  const button = el('button', { type: 'submit', class: 'primary' }, t('shell.direct.open')) as HTMLButtonElement;
  const form = el('form', { class: 'shell-form', id: 'direct', novalidate: true }, title,
    el('p', { class: 'note' }, t('shell.direct.intro')),
    el('div', { class: 'field' }, el('label', { for: 'direct-filter' }, t('shell.direct.filter')), filter),
    el('fieldset', {}, el('legend', {}, t('shell.direct.people')), list),
    error, button) as HTMLFormElement;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const picked = [...list.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value);
    button.disabled = true;
    try {
      const channel = await openDirect(project, picked);
      opened(channel.id);
    } catch (err) {
      // The node's words, without the field's name: the list is the field.
      const field = err instanceof ApiError ? String(err.details.field ?? '') : '';
      const text = errorText(err);
      error.textContent = field && text.startsWith(`${field}: `) ? text.slice(field.length + 2) : text;
    } finally {
      button.disabled = false;
    }
  });
  return el('section', { class: 'shell-page direct' }, form);
}
