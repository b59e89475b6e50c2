// Browser notifications (the Notification API) while the tab is hidden: a mention or a direct
// message, or any message of a joined channel for users whose level for the module is "all". The
// level is the user's setting on the node (`notifications` of /v1/me/settings: all, mentions — the
// default — or none), read again each time the tab is hidden, so a change made elsewhere applies.
// Permission is asked only from a click (the user menu's button), never on load. A click on a
// notification focuses the tab and opens what it is about.
import { el } from './dom';
import { t } from './prefs';
import { notificationLevel } from './tenancy';

export type Permission = 'default' | 'granted' | 'denied' | 'unsupported';

export interface Incoming {
  /** What it is: a mention of the user, a direct message, or another message. */
  kind: 'mention' | 'direct' | 'message';
  /** Shown once per message, whichever topic told of it first. */
  messageId: string;
  title: string;
  body: string;
  /** What a click opens (the tab is focused first). */
  open: () => void;
}

const levels = new Map<string, Promise<string>>();
const shown = new Set<string>();

document.addEventListener('visibilitychange', () => { if (hidden()) levels.clear(); });

export function hidden(): boolean {
  return document.visibilityState === 'hidden';
}

export function permission(): Permission {
  return 'Notification' in window ? (Notification.permission as Permission) : 'unsupported';
}

/** Asks the browser for permission; call from a user gesture only. */
export async function askPermission(): Promise<Permission> {
  if (!('Notification' in window)) return 'unsupported';
  try {
    return (await Notification.requestPermission()) as Permission;
  } catch {
    return permission();
  }
}

/** Shows `n` when the tab is hidden, the browser allows it and the user's level for `module` wants it. */
export async function notify(module: string, n: Incoming): Promise<boolean> {
  if (!hidden() || permission() !== 'granted' || shown.has(n.messageId)) return false;
  shown.add(n.messageId);
  let level = levels.get(module);
  if (!level) {
    level = notificationLevel(module).catch(() => 'mentions');
    levels.set(module, level);
  }
  const wanted = await level;
  if (wanted === 'none' || (wanted !== 'all' && n.kind === 'message')) return false;
  const note = new Notification(n.title, { body: n.body, tag: n.messageId, icon: '/icon-192.png' });
  note.onclick = () => {
    window.focus();
    n.open();
    note.close();
  };
  return true;
}

/**
 * The user menu's part: whether the browser may notify, and a button that asks it (a click is the
 * gesture browsers require). `refresh` puts its state right when the menu opens again.
 */
export function notificationControl(): { element: HTMLElement; refresh: () => void } {
  const status = el('span', { id: 'notify-status', class: 'note', role: 'status' });
  const button = el('button', { type: 'button', id: 'notify-enable', class: 'small', onclick: async () => {
    await askPermission();
    refresh();
  } }, t('shell.notify.enable')) as HTMLButtonElement;
  const refresh = () => {
    const p = permission();
    status.textContent = t(`shell.notify.${p}`);
    button.hidden = p !== 'default';
  };
  refresh();
  return { element: el('div', { class: 'notify-control' }, el('span', { class: 'label' }, t('shell.notify.title')), status, button), refresh };
}

/** A message's text as a notification shows it: one short paragraph. */
export function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 159)}…` : flat;
}
