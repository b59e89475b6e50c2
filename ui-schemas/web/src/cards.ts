// Turns a page template and its data into a rendered Adaptive Card: the template is expanded —
// by the shell's light expander (template-lite.ts) when it covers the template and data, else by
// adaptivecards-templating, a chunk of its own loaded on demand (prepare()) — and adaptivecards
// renders it with the theme's host config. An error is shown inside the card (an attention
// container on top), and typed input values survive a re-render.
import { Action, AdaptiveCard, ChoiceSetInput, HostConfig } from 'adaptivecards';
import { expandLite, Unsupported } from './template-lite';
import { call } from './api';
import './card-language'; // Hearth's host elements, registered with the renderer (docs/cards.md)
import { runAction, showNotice } from './card-actions';
import './cards.css';
import './hosts/hosts.css';
import { installMarkdown } from './markdown';
import type { Theme } from './prefs';

installMarkdown();

const hostConfigs = new Map<Theme, Promise<HostConfig>>();

/** The node's host config for `theme` (GET /v1/ui/host-config/{theme}), fetched once. */
export function hostConfig(theme: Theme): Promise<HostConfig> {
  let hc = hostConfigs.get(theme);
  if (!hc) {
    hc = call('GET', `/v1/ui/host-config/${theme}`).then((json) => new HostConfig(json));
    hc.catch(() => hostConfigs.delete(theme));
    hostConfigs.set(theme, hc);
  }
  return hc;
}

export interface RenderRequest {
  template: object;
  data: object;
  hostConfig: HostConfig;
  /** Shown on top of the card, in the attention colour. */
  error?: string;
  /** Input values by id, put back into the inputs of the new card. */
  inputs?: Record<string, string>;
  /** A Submit (rpc or open) or Execute (rpc: its verb) action was invoked; `data` holds its data merged with the card's input values. */
  onSubmit: (data: Record<string, unknown>) => void;
}

export interface Rendered {
  element: HTMLElement;
  /** The current value of every input that has one, by id. */
  inputs(): Record<string, string>;
  /** What was drawn: the expanded card (before inputs were put back), the error on top, the host config. */
  readonly drawn: { card: string; error?: string; hostConfig: HostConfig };
}

type Expand = (template: object, data: object) => unknown;
/** adaptivecards-templating, once loaded. */
let fullEngine: Expand | undefined;
let loadingFull: Promise<Expand> | undefined;

/** Loads the full templating engine (adaptivecards-templating with adaptive-expressions). */
export function loadTemplating(): Promise<Expand> {
  loadingFull ??= import('./template-full').then((m) => (fullEngine = m.expandFull));
  loadingFull.catch(() => { loadingFull = undefined; });
  return loadingFull;
}

/**
 * Makes sure render() can expand `template` with `data`: a template the light expander covers
 * needs nothing more; another waits for the full engine. Call it before render() when the data changed.
 * Answers why the full engine is needed, or undefined when it is not.
 */
export async function prepare(template: object, data: object): Promise<string | undefined> {
  try {
    expandLite(template, data);
    return undefined;
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    await loadTemplating();
    return e.message;
  }
}

/** The template expanded against `data` as adaptivecards-templating does it (template-lite.ts explains). */
function expand(template: object, data: object): any {
  try {
    return expandLite(template, data);
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    if (!fullEngine) {
      void loadTemplating();
      throw new Error('the full template engine is still loading; call prepare() before render()');
    }
    return fullEngine(template, data);
  }
}

/**
 * Renders the card; with `previous` (a card on screen whose typed inputs `req.inputs` keeps), answers
 * `previous` itself when the new data expands to exactly the card it drew — an event that changed
 * nothing the card shows leaves the card, its focus and its open forms alone.
 */
export function render(req: RenderRequest, previous?: Rendered): Rendered {
  let expanded: any;
  let error = req.error;
  try {
    expanded = expand(req.template, req.data);
  } catch (e) {
    // A binding the data cannot satisfy throws inside the templating engine: say so on an empty card.
    console.error('template expansion failed', e);
    expanded = { type: 'AdaptiveCard', version: '1.6', body: [] };
    error = `${error ? error + '; ' : ''}the page's template failed: ${e}`;
  }
  const drawn = { card: JSON.stringify(expanded), error, hostConfig: req.hostConfig };
  if (previous && req.inputs && previous.drawn.card === drawn.card && previous.drawn.error === error
      && previous.drawn.hostConfig === req.hostConfig) {
    return previous;
  }
  if (req.inputs) restoreInputs(expanded, req.inputs);
  if (error) {
    expanded.body = [{
      type: 'Container', style: 'attention', id: 'hearth-error',
      items: [{ type: 'TextBlock', text: error, wrap: true, color: 'attention', weight: 'bolder' }],
    }, ...(expanded.body ?? [])];
  }
  const card = new AdaptiveCard();
  card.hostConfig = req.hostConfig;
  card.parse(expanded);
  const element = card.render() ?? document.createElement('div');
  card.onExecuteAction = (action: Action) => runAction(action, {
    submit: (data) => req.onSubmit(withLists(card, data)),
    notify: (text) => showNotice(element, text),
  });
  return {
    element,
    drawn,
    inputs: () => {
      const values: Record<string, string> = {};
      for (const input of card.getAllInputs()) {
        if (input.id && input.isSet()) values[input.id] = String(input.value);
      }
      return values;
    },
  };
}

/**
 * A multi-select Input.ChoiceSet's value is its choices joined with commas; the node takes a list
 * (a repeated field), so it is sent as one. Nothing picked: left out, like any empty input.
 */
function withLists(card: AdaptiveCard, data: Record<string, unknown>): Record<string, unknown> {
  const out = { ...data };
  for (const input of card.getAllInputs()) {
    if (input instanceof ChoiceSetInput && input.isMultiSelect && input.id && typeof out[input.id] === 'string') {
      const picked = String(out[input.id]).split(',').filter(Boolean);
      if (picked.length) out[input.id] = picked;
      else delete out[input.id];
    }
  }
  return out;
}

/** Sets `value` on every input of the expanded card whose id has a saved value. */
function restoreInputs(node: unknown, values: Record<string, string>): void {
  if (Array.isArray(node)) {
    node.forEach((n) => restoreInputs(n, values));
  } else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string' && o.id in values) {
      // An Input.Number takes a number: the string it was read as would be dropped, and with it what was typed.
      const n = Number(values[o.id]);
      o.value = o.type === 'Input.Number' && values[o.id] !== '' && Number.isFinite(n) ? n : values[o.id];
    }
    Object.values(o).forEach((v) => restoreInputs(v, values));
  }
}
