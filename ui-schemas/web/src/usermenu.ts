// The user menu in the bar: who is signed in, theme, language and sign-out. A choice of theme or
// language is kept on this device and saved as the user's setting on the node (PATCH /v1/me/settings).
import { call } from './api';
import { signOut } from './auth';
import { ADMIN_HREF, mayAdminister } from './admin/route';
import { DESIGNER_HREF } from './designer/route';
import { initials, showAvatar } from './avatar';
import { el } from './dom';
import { presencePicker } from './presence';
import { notificationControl } from './notify';
import { LANGUAGES, localeSetting, setLocaleSetting, setThemeSetting, t, themeSetting } from './prefs';
import type { NodeSettings, ThemeSetting } from './prefs';
import type { Me } from './tenancy';

/** The document listeners of the menu on screen: a new menu (the user's roles or profile changed) drops the old one's. */
let listening: AbortController | undefined;

/** `designer`: whether to offer the user-module designer (a sys-admin, or a project-admin the node lets install). */
export function userMenu(user: Me, rethemed: () => void, designer = user.sysAdmin): HTMLElement {
  const name = user.displayName || user.email;
  const themes: ThemeSetting[] = ['system', 'light', 'dark'];
  const avatar = el('span', { class: 'avatar', id: 'user-avatar', 'aria-hidden': 'true' }, initials(name));
  if (user.avatarFileId && user.avatarProjectId) showAvatar(avatar, user.avatarProjectId, user.avatarFileId);
  const notifications = notificationControl();
  const menu = el('details', { class: 'user-menu', id: 'user-menu' },
    el('summary', { title: t('shell.userMenu').replace('{0}', name) },
      avatar,
      el('span', { class: 'user-name' }, name)),
    el('div', { class: 'menu' },
      el('p', { class: 'note' }, user.email),
      el('a', { href: '#/me/profile', id: 'profile-link', onclick: () => { menu.open = false; } }, t('shell.me.title')),
      // Only those who may install user modules get the designer (the node checks).
      ...(designer ? [el('a', { href: DESIGNER_HREF, id: 'designer-link', onclick: () => { menu.open = false; } }, t('designer.title'))] : []),
      ...(mayAdminister(user) ? [el('a', { href: ADMIN_HREF, id: 'admin-link', onclick: () => { menu.open = false; } }, t('admin.title'))] : []),
      ...presencePicker(),
      el('label', { for: 'theme' }, t('shell.theme')),
      el('select', { id: 'theme', onchange: (e: Event) => {
        const picked = (e.target as HTMLSelectElement).value as ThemeSetting;
        setThemeSetting(picked);
        rethemed();
        void save({ theme: picked });
      } }, ...themes.map((v) => el('option', { value: v, selected: v === themeSetting() }, t(`shell.theme.${v}`)))),
      el('label', { for: 'language' }, t('shell.language')),
      el('select', { id: 'language', onchange: (e: Event) => {
        const picked = (e.target as HTMLSelectElement).value;
        setLocaleSetting(picked);
        // Every text on screen changes: simplest to start over, once the node has the choice.
        void save({ language: picked }).finally(() => location.reload());
      } }, el('option', { value: '' }, t('shell.language.auto')),
      ...LANGUAGES.map((l) => el('option', { value: l, selected: l === localeSetting(), lang: l }, t(`shell.language.${l}`)))),
      notifications.element,
      el('button', { type: 'button', id: 'sign-out', onclick: () => void signOut().then(() => { location.hash = ''; location.reload(); }) },
        t('shell.signOut')))) as HTMLDetailsElement;
  menu.addEventListener('toggle', () => { if (menu.open) notifications.refresh(); });
  menu.dataset.designer = String(designer);
  // A click elsewhere or Escape closes it, as a menu does.
  listening?.abort();
  listening = new AbortController();
  document.addEventListener('click', (e) => { if (!menu.contains(e.target as Node)) menu.open = false; }, { signal: listening.signal });
  menu.addEventListener('keydown', (e) => { if (e.key === 'Escape') { menu.open = false; menu.querySelector('summary')?.focus(); } });
  return menu;
}

/** Keeps a choice made in the menu as the user's setting on the node; the device keeps it anyway. */
function save(change: NodeSettings): Promise<unknown> {
  return call('PATCH', '/v1/me/settings', change).catch(() => undefined);
}
