// Installing or upgrading from the designer. A definition whose id is installed is an upgrade: its
// changes against the installed version are listed first (fields, pages, a line count), and only
// a confirmation sends it. The node's answer (its own change list, or its refusal) is shown here,
// where the action was, followed by links to the module's pages in a project.
import { ApiError, call } from '../api';
import { el } from '../dom';
import { errorText } from '../forms';
import { locale, t } from '../prefs';
import { href } from '../router';
import { list, localized, parseDefinition } from './definition';
import type { Definition } from './definition';
import { diff } from './diff';
import type { Problem } from './designer';

export interface ModuleInfo {
  id: string;
  moduleId?: string;
  version?: string;
  name?: string;
  definitionJson?: string;
  changes?: string[];
}

export interface ApplyDeps {
  text: () => string;
  projects: () => Array<{ id: string; name: string }>;
  /**
   * For a project-admin the node lets install: the projects they may install for (the module then
   * serves that one only). Undefined for a sys-admin, whose modules serve the whole node.
   */
  installProjects?: Array<{ id: string; name: string }>;
  /** The node refused the definition: its problems go to the editor. */
  problems: (problems: Problem[]) => void;
  /** Installed or upgraded: the page's address now names the module. */
  applied: (id: string) => void;
}

export class Apply {
  readonly element: HTMLElement;
  private readonly button = el('button', { type: 'button', class: 'primary', id: 'designer-apply' }) as HTMLButtonElement;
  private readonly review = el('div', { id: 'designer-review', class: 'review' });
  private readonly error = el('p', { class: 'field-error', id: 'designer-apply-error', role: 'alert' });
  private readonly done = el('div', { id: 'designer-done', class: 'done', role: 'status' });
  private installed = new Set<string>();
  /** The project a project-admin installs for. */
  private readonly target?: HTMLSelectElement;

  constructor(private readonly deps: ApplyDeps) {
    this.button.addEventListener('click', () => void this.start());
    const own = deps.installProjects;
    if (own) {
      this.target = el('select', { id: 'designer-for-project' },
        ...own.map((p) => el('option', { value: p.id }, p.name))) as HTMLSelectElement;
    }
    this.element = el('section', { class: 'designer-apply', 'aria-label': t('designer.apply') },
      ...(this.target ? [el('div', { class: 'row' }, el('label', { for: 'designer-for-project' }, t('designer.forProject')), this.target)] : []),
      this.button, this.error, this.review, this.done);
  }

  /** What names the project a project-admin acts for (nothing for a sys-admin). */
  private scope(): { projectId?: string } {
    return this.target ? { projectId: this.target.value } : {};
  }

  /** The ids installed on the node (List), which decide between install and upgrade. */
  async refresh(): Promise<ModuleInfo[]> {
    const answer = await call<{ userModules?: ModuleInfo[] }>('GET', '/v1/user-modules');
    const modules = answer.userModules ?? [];
    this.installed = new Set(modules.map((m) => m.id));
    this.label();
    return modules;
  }

  /** The button says what it will do with the definition being edited. */
  label(): void {
    const id = parseDefinition(this.deps.text())?.id;
    this.button.textContent = typeof id === 'string' && this.installed.has(id) ? t('designer.upgrade.review') : t('designer.install');
  }

  /** The text changed: a review or refusal of the text before no longer applies. */
  edited(): void {
    this.error.textContent = '';
    this.review.replaceChildren();
  }

  private async start(): Promise<void> {
    this.error.textContent = '';
    this.done.replaceChildren();
    this.review.replaceChildren();
    const text = this.deps.text();
    const def = parseDefinition(text);
    if (!def || typeof def.id !== 'string') {
      this.error.textContent = t('designer.error.noId');
      return;
    }
    if (!this.installed.has(def.id)) {
      await this.send(() => call<ModuleInfo>('POST', '/v1/user-modules', { definitionJson: text, ...this.scope() }), def);
      return;
    }
    let installed: Definition | undefined;
    try {
      const info = await call<ModuleInfo>('GET', `/v1/user-modules/${encodeURIComponent(def.id)}`);
      installed = parseDefinition(info.definitionJson ?? '');
    } catch (e) {
      this.error.textContent = errorText(e);
      return;
    }
    this.showReview(installed ?? {}, def, text);
  }

  private showReview(installed: Definition, next: Definition, text: string): void {
    const d = diff(installed, next);
    const items = d.changes.map((c) => el('li', { class: `change ${c.kind}` },
      el('span', { class: 'kind' }, t(`designer.change.${c.kind}`)), ' ', el('code', {}, c.what),
      ...(c.detail ? [' ', el('span', { class: 'note' }, c.kind === 'renamed' ? t('designer.change.from').replace('{0}', c.detail) : c.detail)] : [])));
    const apply = el('button', { type: 'button', class: 'primary', id: 'designer-confirm', onclick: () => {
      this.review.replaceChildren();
      void this.send(() => call<ModuleInfo>('POST', `/v1/user-modules/${encodeURIComponent(next.id!)}/upgrade`,
        { id: next.id, definitionJson: text, ...this.scope() }), next);
    } }, t('designer.upgrade.apply'));
    const cancel = el('button', { type: 'button', onclick: () => { this.review.replaceChildren(); this.button.focus(); } }, t('designer.cancel'));
    this.review.replaceChildren(
      el('h2', { id: 'designer-review-title' }, t('designer.upgrade.title')
        .replace('{0}', next.id ?? '').replace('{1}', d.fromVersion).replace('{2}', d.toVersion)),
      items.length ? el('ul', { class: 'changes', 'aria-labelledby': 'designer-review-title' }, ...items) : el('p', { class: 'note' }, t('designer.upgrade.none')),
      el('p', { class: 'note', id: 'designer-diff-summary' }, t('designer.upgrade.lines')
        .replace('{0}', String(d.linesAdded)).replace('{1}', String(d.linesRemoved))),
      el('div', { class: 'row' }, apply, cancel));
    apply.focus();
  }

  private async send(request: () => Promise<ModuleInfo>, def: Definition): Promise<void> {
    this.button.disabled = true;
    try {
      const info = await request();
      this.installed.add(info.id);
      this.label();
      this.showDone(info, def);
      this.deps.applied(info.id);
    } catch (e) {
      this.error.textContent = errorText(e);
      const problems = e instanceof ApiError ? e.details.problems : undefined;
      if (Array.isArray(problems)) this.deps.problems(problems as Problem[]);
    } finally {
      this.button.disabled = false;
    }
  }

  private showDone(info: ModuleInfo, def: Definition): void {
    // A module installed for a project is used there only.
    const projects = this.target ? (this.deps.installProjects ?? []).filter((p) => p.id === this.target!.value) : this.deps.projects();
    const links = el('ul', { class: 'page-links' });
    const select = el('select', { id: 'designer-project' },
      ...projects.map((p) => el('option', { value: p.id }, p.name))) as HTMLSelectElement;
    const fill = () => links.replaceChildren(...list(def.pages).map((p) => el('li', {}, el('a', {
      href: href({ project: select.value, module: info.moduleId || `um-${info.id}`, page: p.name, params: {} }),
    }, localized(p.titles, locale(), p.name)))));
    select.addEventListener('change', fill);
    fill();
    this.done.replaceChildren(
      el('p', { class: 'field-ok' }, t('designer.applied').replace('{0}', info.name || info.id).replace('{1}', info.version ?? '')),
      ...(info.changes?.length ? [el('p', { class: 'note' }, t('designer.applied.changes')),
        el('ul', { class: 'changes node' }, ...info.changes.map((c) => el('li', {}, c)))] : []),
      ...(projects.length && list(def.pages).length
        ? [el('div', { class: 'row' }, el('label', { for: 'designer-project' }, t('designer.useIn')), select), links]
        : []));
  }
}
