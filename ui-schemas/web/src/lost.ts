// A chat channel the reader lost while its page was open: removed from a private channel (the node
// now answers NOT_FOUND) or from a public one (its data no longer lists them). Instead of the card
// with the node's error, a clear state in their language: whose channel it was, a way back to the
// channels, and Join again where they may. Opened without ever having been readable: it cannot be opened.
import { ApiError, rpc } from './api';
import { el } from './dom';
import { t } from './prefs';
import type { Route } from './router';

type Data = Record<string, unknown>;
interface Channel { id?: string; name?: string; visibility?: string }

const JOIN = 'hearth.chat.v1.ChatService/JoinChannel';

/** The chat channel page: the one page whose reader can lose it from under them. */
export function isChannelPage(route: Route): boolean {
  return route.module === 'chat' && route.page === 'channel';
}

/** The node says the reader may not read it (a private channel hides itself behind NOT_FOUND). */
export function refused(e: unknown): boolean {
  return e instanceof ApiError && (e.code === 'NOT_FOUND' || e.code === 'PERMISSION_DENIED');
}

/** They were among the channel's members in `before` (what was on screen) and are not in `after`. */
export function removed(user: string, before: Data, after: Data): boolean {
  const members = (d: Data): string[] => (Array.isArray(d.channelMembers) ? d.channelMembers : [])
    .map((m: { userId?: string }) => String(m?.userId ?? ''));
  return members(before).includes(user) && !members(after).includes(user);
}

/**
 * The state shown instead of the card. `before`: the data last shown (empty when the page never
 * opened); `rejoined` runs after Join again succeeds (the page loads again).
 */
export function lostChannel(route: Route, before: Data, rejoined: () => void): HTMLElement {
  const channel = (before.channel ?? {}) as Channel;
  const known = Boolean(channel.id);
  const open = channel.visibility === 'PUBLIC';
  const error = el('p', { class: 'field-error', role: 'alert', id: 'lost-channel-error' });
  const actions = el('div', { class: 'actions' },
    el('a', { href: `#/p/${encodeURIComponent(route.project)}/chat/channel-list`, id: 'lost-channel-back' }, t('shell.chat.backToChannels')));
  if (known && open) {
    actions.prepend(el('button', { type: 'button', class: 'primary', id: 'lost-channel-join', onclick: async () => {
      error.textContent = '';
      try {
        await rpc(JOIN, { channelId: channel.id }, route.project);
        rejoined();
      } catch (e) {
        error.textContent = e instanceof ApiError ? `${e.code}: ${e.message}` : String(e);
      }
    } }, t('shell.chat.rejoin')));
  }
  return el('section', { class: 'shell-page lost-channel', id: 'lost-channel', role: 'status' },
    el('h1', {}, known ? t('shell.chat.removed').replace('{0}', channel.name ?? '') : t('shell.chat.unavailable')),
    el('p', { class: 'note' }, known ? t(open ? 'shell.chat.removed.public' : 'shell.chat.removed.private') : t('shell.chat.unavailable.note')),
    actions, error);
}
