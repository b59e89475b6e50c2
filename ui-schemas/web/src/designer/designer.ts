// The user-module designer (docs/web.md#the-user-module-designer): a definition edited as JSON
// with the node's problems shown in place as one types (Validate, debounced; each problem's path
// mapped to its line, marked in the gutter and listed beside the editor), a live preview of its
// pages with sample data, and install or upgrade. Loaded on demand with the card renderer. The
// node decides who may install (sys-admins); this page only asks.
import { call } from '../api';
import { el } from '../dom';
import { errorText } from '../forms';
import { t } from '../prefs';
import { Apply } from './apply';
import type { ModuleInfo } from './apply';
import { parseDefinition, template } from './definition';
import { Editor } from './editor';
import { lineOf, pathLines } from './lines';
import { Preview } from './preview';
import { designerHref } from './route';
import './designer.css';

export interface Problem { path: string; message: string }

export interface DesignerContext {
  sysAdmin: boolean;
  projects: () => Array<{ id: string; name: string }>;
  /** The projects a project-admin may install user modules for (empty when the node does not let them). */
  installProjects: Array<{ id: string; name: string }>;
}

/** How long typing must pause before the definition is checked and previewed again. */
const PAUSE_MS = 400;

export async function designerPage(id: string, ctx: DesignerContext): Promise<HTMLElement> {
  const summary = el('p', { id: 'designer-summary', class: 'summary', role: 'status' });
  const problemList = el('ul', { id: 'designer-problems', class: 'problems' });
  const editor = new Editor(t('designer.editor'), 'designer-summary', () => changed());
  const preview = new Preview();
  const start = el('select', { id: 'designer-start' },
    el('option', { value: '' }, t('designer.start.template'))) as HTMLSelectElement;
  start.addEventListener('change', () => {
    if (start.value) location.hash = designerHref(start.value);
    else if (id) location.hash = designerHref('');
    else { editor.value = pretty(template()); changed(); }
  });
  const apply = new Apply({
    text: () => editor.value,
    projects: ctx.projects,
    // A sys-admin installs for the node; a project-admin for a project of theirs; anyone else is
    // refused by the node, with its message by the button.
    installProjects: ctx.sysAdmin || !ctx.installProjects.length ? undefined : ctx.installProjects,
    problems: (p) => show(p),
    applied: (installed) => {
      id = installed;
      history.replaceState(null, '', designerHref(installed));
      if (![...start.options].some((o) => o.value === installed)) start.append(el('option', { value: installed }, installed));
      start.value = installed;
    },
  });
  let timer: number | undefined;
  let checking = 0;

  /** The node's problems, marked on their lines and listed. */
  function show(problems: Problem[]): void {
    const lines = pathLines(editor.value);
    const placed = problems.map((p) => ({ ...p, line: lineOf(p.path, p.message, lines) }));
    editor.mark(placed.map((p) => ({ line: p.line, text: `${p.path}: ${p.message}` })));
    summary.className = `summary ${placed.length ? 'bad' : 'good'}`;
    summary.textContent = placed.length
      ? t(placed.length === 1 ? 'designer.problems.one' : 'designer.problems').replace('{0}', String(placed.length))
      : t('designer.valid');
    problemList.replaceChildren(...placed.map((p) => el('li', {},
      el('button', { type: 'button', class: 'link', 'data-line': String(p.line), onclick: () => editor.goTo(p.line) },
        el('span', { class: 'line' }, t('designer.line').replace('{0}', String(p.line))), ' ',
        el('code', {}, p.path)),
      el('span', { class: 'message' }, p.message))));
    performance.mark('hearth:designer-problems');
  }

  async function check(): Promise<void> {
    const mine = ++checking;
    const text = editor.value;
    apply.label();
    // Sent before the preview renders: the node checks while the browser draws.
    const validated = call<{ valid?: boolean; problems?: Problem[] }>('POST', '/v1/user-modules/validate', { definitionJson: text });
    void preview.update(parseDefinition(text));
    try {
      const answer = await validated;
      if (mine === checking) show(answer.problems ?? []);
    } catch (e) {
      if (mine !== checking) return;
      summary.className = 'summary bad';
      summary.textContent = `${t('designer.validateFailed')} ${errorText(e)}`;
    }
  }

  function changed(): void {
    performance.mark('hearth:designer-input');
    apply.edited();
    summary.className = 'summary';
    summary.textContent = t('designer.checking');
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void check(), PAUSE_MS);
  }

  const page = el('section', { class: 'designer', id: 'designer' },
    el('div', { class: 'designer-top' },
      el('h1', {}, t('designer.title')),
      el('label', { for: 'designer-start' }, t('designer.start')), start),
    ...(ctx.sysAdmin ? [] : [el('p', { class: 'note', id: 'designer-who' },
      t(ctx.installProjects.length ? 'designer.projectAdmin' : 'designer.notAdmin'))]),
    // Install and review sit under the editor: on a wide screen beside the preview they confirm.
    el('div', { class: 'designer-grid' },
      el('div', { class: 'designer-edit' }, editor.element, summary, problemList, apply.element),
      preview.element));

  try {
    const modules = await apply.refresh();
    start.append(...modules.map((m) => el('option', { value: m.id, selected: m.id === id },
      t('designer.start.installed').replace('{0}', m.name || m.id).replace('{1}', m.version ?? ''))));
    const text = id
      ? prettyText((await call<ModuleInfo>('GET', `/v1/user-modules/${encodeURIComponent(id)}`)).definitionJson ?? '')
      : pretty(template());
    editor.value = text;
  } catch (e) {
    page.append(el('p', { class: 'field-error', role: 'alert' }, errorText(e)));
    editor.value = pretty(template());
  }
  void check();
  return page;
}

function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function prettyText(json: string): string {
  try {
    return pretty(JSON.parse(json));
  } catch {
    return json;
  }
}
