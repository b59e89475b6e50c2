// The shell's own forms (sign-in, onboarding, tenancy): labelled fields, and a refusal shown next
// to the field the node names (`details.field`), else next to the button, in the node's words (it
// answers in the user's language). What was typed stays in the fields.
import { ApiError } from './api';
import { el } from './dom';
import { t } from './prefs';

export interface Field {
  name: string;
  label: string;
  type?: string;
  value?: string;
  autocomplete?: string;
  /** Choices make a select: [value, label]. */
  choices?: Array<[string, string]>;
  /** Other names the node may use for this field (snake_case proto names). */
  aliases?: string[];
  attrs?: Record<string, string>;
}

export interface FormSpec {
  id: string;
  title?: string;
  intro?: string;
  fields: Field[];
  submit: string;
  /** Gets the values by field name; a thrown ApiError is shown where it belongs. */
  onSubmit: (values: Record<string, string>) => Promise<void>;
  extra?: Array<Node>;
}

export function form(spec: FormSpec): HTMLFormElement {
  const errors = new Map<string, HTMLElement>();
  const general = el('p', { class: 'error', role: 'alert', id: `${spec.id}-error` });
  const rows = spec.fields.map((f) => {
    const errorId = `${spec.id}-${f.name}-error`;
    const error = el('span', { class: 'field-error', id: errorId, role: 'alert' });
    errors.set(f.name, error);
    for (const a of f.aliases ?? []) errors.set(a, error);
    const attrs: Record<string, string> = { name: f.name, id: `${spec.id}-${f.name}`, 'aria-describedby': errorId, ...(f.attrs ?? {}) };
    const input = f.choices
      ? el('select', attrs, ...f.choices.map(([v, label]) => el('option', { value: v, selected: v === f.value }, label)))
      : f.type === 'textarea' ? el('textarea', { ...attrs, rows: '4' }, f.value ?? '')
      : el('input', { ...attrs, type: f.type ?? 'text', value: f.value ?? '', autocomplete: f.autocomplete ?? 'off' });
    return el('div', { class: 'field' }, el('label', { for: `${spec.id}-${f.name}` }, f.label), input, error);
  });
  const button = el('button', { type: 'submit', class: 'primary' }, spec.submit) as HTMLButtonElement;
  const f = el('form', { class: 'shell-form', id: spec.id, novalidate: true },
    ...(spec.title ? [el('h1', {}, spec.title)] : []),
    ...(spec.intro ? [el('p', { class: 'note' }, spec.intro)] : []),
    ...rows, general, button, ...(spec.extra ?? [])) as HTMLFormElement;
  // A refusal that came before the form could be used (an invite link that did not work).
  f.addEventListener('hearth:error', (e) => showError((e as CustomEvent).detail, errors, general, f));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const x of [general, ...errors.values()]) x.textContent = '';
    f.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    const values: Record<string, string> = {};
    for (const field of spec.fields) values[field.name] = (f.elements.namedItem(field.name) as HTMLInputElement).value;
    button.disabled = true;
    try {
      await spec.onSubmit(values);
    } catch (err) {
      showError(err, errors, general, f);
    } finally {
      button.disabled = false;
    }
  });
  return f;
}

function showError(err: unknown, errors: Map<string, HTMLElement>, general: HTMLElement, f: HTMLFormElement): void {
  const field = err instanceof ApiError ? String(err.details.field ?? '') : '';
  const target = errors.get(field) ?? errors.get(camel(field));
  const text = errorText(err);
  if (target) {
    // Next to its field the node's "name: " prefix says nothing the place does not.
    target.textContent = text.startsWith(`${field}: `) ? text.slice(field.length + 2) : text;
    const input = f.querySelector(`[aria-describedby="${target.id}"]`) as HTMLElement | null;
    input?.setAttribute('aria-invalid', 'true');
    input?.focus();
  } else {
    general.textContent = text;
  }
}

/** A refusal as people read it: the node's message (already in their language); the code only when there is none. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.status === 0 ? t('shell.error.offline') : err.message || err.code;
  return String(err);
}

function camel(s: string): string {
  return s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
