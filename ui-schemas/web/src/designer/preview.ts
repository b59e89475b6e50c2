// The live preview: one page of the definition rendered by the shell's own card renderer
// (cards.ts) with sample data made from the field types, in light, dark or both side by side.
// Actions are not run; the preview says which one a click would run.
import { hostConfig, prepare, render } from '../cards';
import { el } from '../dom';
import { locale, t } from '../prefs';
import type { Theme } from '../prefs';
import { list, localized } from './definition';
import type { Definition } from './definition';
import { sampleData } from './sample';

type Shown = Theme | 'both';

export class Preview {
  readonly element: HTMLElement;
  private readonly pages = el('select', { id: 'designer-preview-page' }) as HTMLSelectElement;
  private readonly cards = el('div', { class: 'previews' });
  private readonly note = el('p', { class: 'note', id: 'designer-preview-note', role: 'status' });
  private shown: Shown = 'both';
  private def?: Definition;
  private generation = 0;

  constructor() {
    this.pages.addEventListener('change', () => void this.draw());
    const themes = el('div', { class: 'segmented', role: 'radiogroup', 'aria-label': t('designer.preview.theme') },
      ...(['light', 'dark', 'both'] as Shown[]).map((v) => {
        const id = `designer-theme-${v}`;
        const input = el('input', { type: 'radio', name: 'designer-theme', id, value: v, checked: v === this.shown,
          onchange: () => { this.shown = v; void this.draw(); } });
        return el('span', {}, input, el('label', { for: id }, t(`designer.preview.${v}`)));
      }));
    this.element = el('section', { class: 'designer-preview', 'aria-labelledby': 'designer-preview-title' },
      el('h2', { id: 'designer-preview-title' }, t('designer.preview')),
      el('div', { class: 'preview-controls' },
        el('label', { for: 'designer-preview-page' }, t('designer.preview.page')), this.pages, themes),
      this.cards, this.note);
  }

  /** Shows `def`'s pages (keeping the chosen one when it is still there). */
  async update(def: Definition | undefined): Promise<void> {
    this.def = def;
    const pages = list(def?.pages).filter((p) => p && typeof p.name === 'string');
    const chosen = this.pages.value;
    this.pages.replaceChildren(...pages.map((p) => el('option', { value: p.name, selected: p.name === chosen },
      localized(p.titles, locale(), p.name))));
    await this.draw();
  }

  private async draw(): Promise<void> {
    const mine = ++this.generation;
    const def = this.def;
    const page = list(def?.pages).find((p) => p?.name === this.pages.value);
    if (!def || !page) {
      this.cards.replaceChildren(el('p', { class: 'note' }, t(def ? 'designer.preview.noPages' : 'designer.preview.notJson')));
      return;
    }
    const strings: Record<string, string> = { 'module.name': localized(def.names, locale(), def.id ?? '') };
    for (const p of list(def.pages)) strings[`page.${p.name}`] = localized(p.titles, locale(), p.name);
    const data = sampleData(def, page.name, strings);
    const themes: Theme[] = this.shown === 'both' ? ['light', 'dark'] : [this.shown];
    const configs = await Promise.all(themes.map((th) => hostConfig(th)));
    await prepare(targeted(page.card ?? {}), data).catch(() => { /* render() shows the failure in the card */ });
    if (mine !== this.generation) return;
    this.cards.replaceChildren(...themes.map((th, i) => {
      let card: HTMLElement;
      try {
        card = render({
          template: targeted(page.card ?? {}), data, hostConfig: configs[i],
          onSubmit: (d) => { this.note.textContent = t('designer.preview.submitted').replace('{0}', String(d.action ?? d.rpc ?? d.open ?? '?')); },
        }).element;
      } catch (e) {
        card = el('p', { class: 'field-error' }, String(e));
      }
      return el('figure', { class: `preview ${th}`, 'data-theme-preview': th },
        el('figcaption', {}, t(`designer.preview.${th}`)), card);
    }));
  }
}

/**
 * The card with each `"action": "<name>"` of its Submit data given an RPC-shaped target, as the
 * node gives it the action's method; the renderer would otherwise call the button untargeted.
 */
function targeted(card: object): object {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const o = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    const data = o.data as Record<string, unknown> | undefined;
    if (o.type === 'Action.Submit' && data && typeof data === 'object' && typeof data.action === 'string' && !data.rpc) {
      o.data = { ...data, rpc: 'hearth.designer.Preview/Action' };
    }
    return o;
  };
  return walk(card) as object;
}
