// Small pieces the console's sections share: a confirmation in place (no browser dialog), a line
// for a result or the node's refusal, sizes and times as people read them.
import { el } from '../dom';
import { errorText } from '../forms';
import { bytes as sizeText } from '../filecalls';
import { locale, t } from '../prefs';
import { stateKey, type StateKind } from './states';

/** A line beside an action: the node's refusal (in its words) or a short confirmation. */
export function outcome(id: string): HTMLElement & { ok(text: string): void; fail(e: unknown): void; clear(): void } {
  const line = el('p', { class: 'field-error', role: 'alert', id }) as HTMLElement & { ok(text: string): void; fail(e: unknown): void; clear(): void };
  line.ok = (text) => { line.className = 'field-ok'; line.setAttribute('role', 'status'); line.textContent = text; };
  line.fail = (e) => { line.className = 'field-error'; line.setAttribute('role', 'alert'); line.textContent = errorText(e); };
  line.clear = () => { line.textContent = ''; };
  return line;
}

/**
 * A button for a destructive action that asks first, in place: the button gives way to the question
 * with "yes" and "cancel" (as the members page does). `act` runs on yes; a refusal shows in `line`.
 */
export function confirmed(label: string, question: string, yesLabel: string, line: ReturnType<typeof outcome>,
    act: () => Promise<void>, attrs: Record<string, string> = {}): HTMLElement {
  const holder = el('span', { class: 'actions' });
  const button = el('button', { type: 'button', class: 'danger small', ...attrs, onclick: () => ask() }, label);
  const ask = () => {
    line.clear();
    const yes = el('button', { type: 'button', class: 'danger small', 'data-confirm': 'yes', onclick: async () => {
      (yes as HTMLButtonElement).disabled = true;
      try {
        await act();
      } catch (e) {
        line.fail(e);
      }
      holder.replaceChildren(button);
    } }, yesLabel);
    const no = el('button', { type: 'button', class: 'small', onclick: () => { holder.replaceChildren(button); button.focus(); } }, t('shell.cancel'));
    holder.replaceChildren(el('span', { class: 'confirm', role: 'group', 'aria-label': question }, el('span', {}, question), yes, no));
    yes.focus();
  };
  holder.append(button);
  return holder;
}

/** Runs `act` with `button` disabled meanwhile; a refusal goes to `line`. */
export async function busy(button: HTMLElement, line: ReturnType<typeof outcome>, act: () => Promise<void>): Promise<void> {
  (button as HTMLButtonElement).disabled = true;
  line.clear();
  try {
    await act();
  } catch (e) {
    line.fail(e);
  } finally {
    (button as HTMLButtonElement).disabled = false;
  }
}

/**
 * A state the node sent (a link's, a share's, a webhook's, a module's…) in the user's language. A
 * value this shell has no string for yet shows as the node sent it rather than as a string key.
 */
export function stateName(kind: StateKind, state: string | undefined): string {
  const key = stateKey(kind, state);
  const text = t(key);
  return text === key ? state ?? '' : text;
}

/** A size in the binary units the node counts in, as the files page shows them (sizes.ts). */
export function bytes(n: number | string): string {
  return sizeText(n, locale());
}

/** A time the node sent (RFC 3339 or Unix milliseconds) in the user's format. */
export function when(v: string | number | undefined): string {
  if (v === undefined || v === '' || v === '0' || v === 0) return '—';
  const d = typeof v === 'number' || /^\d+$/.test(v) ? new Date(Number(v)) : new Date(v);
  return Number.isNaN(d.getTime()) ? String(v) : d.toLocaleString();
}

/** A section of a console page: a heading and its content, labelled by the heading. */
export function section(id: string, title: string, ...children: Array<Node | string>): HTMLElement {
  return el('section', { class: 'admin-section', id, 'aria-labelledby': `${id}-title` }, el('h2', { id: `${id}-title` }, title), ...children);
}

/** A labelled text field with a button, e.g. a search; Enter submits. */
export function searchForm(id: string, label: string, button: string, value: string, onSearch: (q: string) => void): HTMLElement {
  const input = el('input', { id, type: 'search', value, autocomplete: 'off' }) as HTMLInputElement;
  return el('form', { class: 'admin-search', role: 'search', onsubmit: (e: Event) => { e.preventDefault(); onSearch(input.value.trim()); } },
    el('label', { for: id }, label), input, el('button', { type: 'submit' }, button));
}

/**
 * A table that scrolls sideways when it is wider than a phone: the region is focusable (keyboard
 * users can scroll it) and named by the table's caption.
 */
export function scroller(table: HTMLElement): HTMLElement {
  const name = table.querySelector('caption')?.textContent ?? '';
  return el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': name }, table);
}

/**
 * A secret the node gives once (a token, a hook's URL, a signing secret): read-only, with a copy
 * button (when the browser refuses the clipboard, the text is selected for Ctrl+C) and a note.
 */
export function oneTime(id: string, label: string, value: string, note: string): HTMLElement {
  const input = el('input', { id, readonly: true, value, class: 'secret' }) as HTMLInputElement;
  const copied = el('span', { class: 'field-ok', role: 'status' });
  const copy = el('button', { type: 'button', class: 'small', 'data-action': 'copy', 'aria-describedby': id, onclick: async () => {
    try {
      await navigator.clipboard.writeText(value);
      copied.textContent = t('shell.invite.copied');
    } catch {
      input.select();
      copied.textContent = t('shell.invite.copyByHand');
    }
  } }, t('admin.copy'));
  return el('div', { class: 'one-time' }, el('label', { for: id }, label), el('div', { class: 'copy-row' }, input, copy), copied,
    el('p', { class: 'note' }, note));
}
