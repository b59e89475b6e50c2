// What the shell does with a card's actions. The renderer opens a ShowCard and toggles visibility
// itself; the others come here: OpenUrl opens a new tab (http, https and mailto only, without
// access back to the shell), Execute calls the RPC its verb names, Submit calls its `rpc` or opens
// its `open` page (docs/cards.md). An action that leads nowhere says so on the card: silence would
// look like a broken button.
import { Action, ExecuteAction, OpenUrlAction, SubmitAction } from 'adaptivecards';
import { t } from './prefs';

/** Schemes a card may open: never javascript:, data: or the like, which would run in or replace the shell. */
const OPENABLE = new Set(['http:', 'https:', 'mailto:']);
/** A method as the node's RPC route names it: package.Service/Method. */
const RPC = /^[A-Za-z_][\w.]*\.[A-Za-z_]\w*\/[A-Za-z_]\w*$/;

export interface ActionContext {
  /** An RPC call or a page to open: the action's data with the card's input values. */
  submit: (data: Record<string, unknown>) => void;
  /** A message on the card, for an action that cannot do what it says. */
  notify: (text: string) => void;
}

export function runAction(action: Action, ctx: ActionContext): void {
  if (action instanceof OpenUrlAction) {
    openUrl(action.url ?? '', ctx);
  } else if (action instanceof ExecuteAction) {
    const verb = action.verb ?? '';
    if (RPC.test(verb)) ctx.submit({ ...asObject(action.data), rpc: verb });
    else ctx.notify(t('shell.card.badVerb').replace('{verb}', verb));
  } else if (action instanceof SubmitAction) {
    const data = asObject(action.data);
    if (typeof data.rpc === 'string' || typeof data.open === 'string') ctx.submit(data);
    else ctx.notify(t('shell.card.untargeted'));
  }
}

function openUrl(url: string, ctx: ActionContext): void {
  let target: URL;
  try {
    target = new URL(url, window.location.href);
  } catch {
    ctx.notify(t('shell.card.blockedUrl').replace('{url}', url));
    return;
  }
  if (!OPENABLE.has(target.protocol)) {
    ctx.notify(t('shell.card.blockedUrl').replace('{url}', url));
    return;
  }
  window.open(target.href, '_blank', 'noopener,noreferrer');
}

function asObject(data: unknown): Record<string, unknown> {
  return data && typeof data === 'object' && !Array.isArray(data) ? { ...(data as Record<string, unknown>) } : {};
}

/** Shows `text` in a status line on top of the rendered card (replaced by the next one). */
export function showNotice(card: HTMLElement, text: string): void {
  let notice = card.querySelector<HTMLElement>(':scope > .hearth-card-notice');
  if (!notice) {
    notice = document.createElement('div');
    notice.className = 'hearth-card-notice';
    notice.setAttribute('role', 'status');
    card.prepend(notice);
  }
  notice.textContent = text;
}
