// Profile and settings (task 26), opened from the user menu: #/me/profile (display name, avatar,
// bio), #/me/settings (language, theme, notifications per module), #/me/security (password, TOTP
// with a QR code) and #/me/tokens (API tokens, each secret shown once). The shell's own pages; the
// calls are in account.ts. The QR code library loads with this page's chunk only.
import { account, changePassword, createApiToken, disableTotp, enrolTotp, listApiTokens, projectModules, revokeApiToken,
  settings, settingsOptions, updateProfile, updateSettings, verifyTotp } from './account';
import type { Account } from './account';
import { initials, showAvatar } from './avatar';
import { el } from './dom';
import { errorText, form } from './forms';
import { uploadFile } from './filecalls';
import { LANGUAGES, locale, localeSetting, setLocaleSetting, setThemeSetting, t, themeSetting } from './prefs';
import type { ThemeSetting } from './prefs';
import { pushDeviceSwitch } from './pushdevice';
import { ME_TABS } from './router';
import type { MeTab } from './router';

export interface MeDeps {
  /** The project whose files receive an avatar (the open or remembered one), '' when none. */
  project(): string;
  /** The name or avatar changed: the chrome shows it. */
  profileChanged(): Promise<void>;
}

export async function mePage(tab: MeTab, deps: MeDeps): Promise<HTMLElement> {
  const me = await account();
  const tabs = el('nav', { class: 'me-tabs', 'aria-label': t('shell.me.title') },
    ...ME_TABS.map((x) => el('a', { href: `#/me/${x}`, id: `me-tab-${x}`, ...(x === tab ? { 'aria-current': 'page' } : {}) }, t(`shell.me.${x}`))));
  let body: HTMLElement;
  switch (tab) {
    case 'profile': body = profileTab(me, deps); break;
    case 'settings': body = await settingsTab(deps); break;
    case 'security': body = securityTab(me); break;
    case 'tokens': body = await tokensTab(); break;
  }
  return el('section', { class: 'shell-page wide me-page', id: `me-${tab}` }, el('h1', {}, t(`shell.me.${tab}`)), tabs, body);
}

function status(id: string): HTMLElement {
  return el('p', { class: 'field-ok', role: 'status', id });
}

function profileTab(me: Account, deps: MeDeps): HTMLElement {
  const p = me.profile;
  const picture = el('span', { class: 'avatar big', id: 'profile-avatar', 'aria-hidden': 'true' }, initials(p.displayName || me.email));
  if (p.avatarFileId) showAvatar(picture, p.avatarProjectId, p.avatarFileId);
  const avatarError = el('p', { class: 'field-error', role: 'alert', id: 'avatar-error' });
  const avatarOk = status('avatar-saved');
  const input = el('input', { type: 'file', id: 'avatar-input', accept: 'image/png,image/jpeg,image/gif,image/webp', class: 'sr-only',
    tabindex: '-1', 'aria-hidden': 'true', onchange: async () => {
      const file = input.files?.[0];
      input.value = '';
      if (!file) return;
      avatarError.textContent = '';
      avatarOk.textContent = '';
      const project = deps.project();
      if (!project) {
        avatarError.textContent = t('shell.me.avatarNeedsProject');
        return;
      }
      try {
        const ext = (/\.[a-z0-9]{1,5}$/i.exec(file.name)?.[0] ?? '').toLowerCase();
        const stored = await uploadFile(project, '', file, undefined, `avatar-${p.userId.slice(-8)}-${Date.now()}${ext}`);
        // The node deletes the picture this one replaces.
        const changed = await updateProfile({ avatarFileId: stored.id, avatarProjectId: project });
        picture.replaceChildren(initials(changed.displayName || me.email));
        showAvatar(picture, changed.avatarProjectId, changed.avatarFileId);
        remove.hidden = false;
        avatarOk.textContent = t('shell.me.avatarSaved');
        await deps.profileChanged();
      } catch (e) {
        avatarError.textContent = errorText(e);
      }
    } }) as HTMLInputElement;
  const pick = el('button', { type: 'button', id: 'avatar-button', 'aria-describedby': 'avatar-error', onclick: () => input.click() }, t('shell.me.avatarPick'));
  // No picture: the initials again, and the node deletes the picture's file.
  const remove = el('button', { type: 'button', id: 'avatar-remove', class: 'small', 'aria-describedby': 'avatar-error', hidden: !p.avatarFileId,
    onclick: async () => {
      avatarError.textContent = '';
      avatarOk.textContent = '';
      try {
        const changed = await updateProfile({ avatarFileId: '' });
        picture.replaceChildren(initials(changed.displayName || me.email));
        remove.hidden = true;
        avatarOk.textContent = t('shell.me.avatarRemoved');
        pick.focus();
        await deps.profileChanged();
      } catch (e) {
        avatarError.textContent = errorText(e);
      }
    } }, t('shell.me.avatarRemove')) as HTMLButtonElement;
  const saved = status('profile-saved');
  const f = form({
    id: 'profile',
    fields: [
      { name: 'displayName', label: t('shell.displayName'), value: p.displayName, autocomplete: 'name', aliases: ['display_name'] },
      { name: 'bio', label: t('shell.me.bio'), type: 'textarea', value: p.bio },
    ],
    submit: t('shell.me.save'),
    onSubmit: async (v) => {
      saved.textContent = '';
      await updateProfile({ displayName: v.displayName, bio: v.bio });
      saved.textContent = t('shell.me.saved');
      await deps.profileChanged();
    },
    extra: [saved],
  });
  return el('div', {},
    el('div', { class: 'avatar-row' }, picture,
      el('div', {}, el('p', { class: 'note' }, t('shell.me.avatarNote')), pick, ' ', remove, input, avatarError, avatarOk)),
    el('p', { class: 'note' }, me.email), f);
}

/** The browser's IANA zone ("Europe/Berlin"), else "" (UTC). */
function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone ?? '';
  } catch {
    return '';
  }
}

async function settingsTab(deps: MeDeps): Promise<HTMLElement> {
  const project = deps.project();
  const [s, options, modules] = await Promise.all([settings(), settingsOptions(),
    project ? projectModules(project, locale()).catch(() => new Map<string, string>()) : Promise.resolve(new Map<string, string>())]);
  const ids = [...new Set([...modules.keys(), ...Object.keys(s.notifications)])].sort();
  const levels = options.notificationLevels;
  const saved = status('settings-saved');
  const themes: ThemeSetting[] = ['system', 'light', 'dark'];
  const f = form({
    id: 'settings',
    fields: [
      { name: 'language', label: t('shell.language'), value: localeSetting(),
        choices: [['', t('shell.language.auto')], ...LANGUAGES.map((l): [string, string] => [l, t(`shell.language.${l}`)])] },
      { name: 'theme', label: t('shell.theme'), value: themeSetting(), choices: themes.map((v): [string, string] => [v, t(`shell.theme.${v}`)]) },
      ...ids.map((m) => ({
        name: `notify-${m}`, label: t('shell.me.notifyFor').replace('{0}', modules.get(m) ?? m), value: s.notifications[m] || 'mentions',
        choices: levels.map((l): [string, string] => [l, t(`shell.me.notify.${l}`)]),
      })),
      // Quiet hours (docs/notifications.md): both times or neither; the zone they are in, the browser's by default.
      { name: 'quietHoursStart', label: t('shell.me.quietFrom'), type: 'time', value: s.quietHoursStart ?? '', aliases: ['quiet_hours_start'] },
      { name: 'quietHoursEnd', label: t('shell.me.quietTo'), type: 'time', value: s.quietHoursEnd ?? '', aliases: ['quiet_hours_end'] },
      { name: 'timeZone', label: t('shell.me.timeZone'), value: s.timeZone || browserZone(), aliases: ['time_zone'],
        attrs: { placeholder: 'Europe/Berlin' } },
    ],
    submit: t('shell.me.save'),
    onSubmit: async (v) => {
      saved.textContent = '';
      const notifications: Record<string, string> = {};
      for (const m of ids) notifications[m] = v[`notify-${m}`];
      const languageChanged = v.language !== localeSetting();
      await updateSettings({ language: v.language, theme: v.theme, notifications,
        quietHoursStart: v.quietHoursStart, quietHoursEnd: v.quietHoursEnd, timeZone: v.timeZone.trim() });
      setThemeSetting(v.theme as ThemeSetting);
      if (languageChanged) {
        // Every text on screen changes: simplest to start over on this page.
        setLocaleSetting(v.language);
        location.reload();
        return;
      }
      saved.textContent = t('shell.me.saved');
    },
    extra: [saved],
  });
  const notes = ids.length ? [] : [el('p', { class: 'note' }, t('shell.me.notifyNone'))];
  return el('div', {}, el('p', { class: 'note' }, t('shell.me.settingsIntro')), f, ...notes, pushDeviceSwitch());
}

function securityTab(me: Account): HTMLElement {
  const done = status('password-saved');
  const password = form({
    id: 'password', title: t('shell.me.password'),
    fields: [
      { name: 'currentPassword', label: t('shell.me.currentPassword'), type: 'password', autocomplete: 'current-password', aliases: ['current_password'] },
      { name: 'newPassword', label: t('shell.me.newPassword'), type: 'password', autocomplete: 'new-password', aliases: ['new_password'] },
    ],
    submit: t('shell.me.changePassword'),
    onSubmit: async (v) => {
      done.textContent = '';
      await changePassword(v.currentPassword, v.newPassword);
      for (const n of ['currentPassword', 'newPassword']) (password.elements.namedItem(n) as HTMLInputElement).value = '';
      done.textContent = t('shell.me.passwordChanged');
    },
    extra: [done],
  });
  const totp = el('section', { id: 'totp', class: 'totp' });
  totpSection(totp, me.totpEnabled);
  return el('div', {}, password, totp);
}

/** TOTP off: enrol (password) → QR code and secret → confirm with a code. On: turn it off (password and a code). */
function totpSection(host: HTMLElement, on: boolean): void {
  host.dataset.on = String(on);
  const heading = el('h2', {}, t('shell.me.totp'));
  if (on) {
    const f = form({
      id: 'totp-disable',
      fields: [
        { name: 'password', label: t('shell.password'), type: 'password', autocomplete: 'current-password' },
        { name: 'code', label: t('shell.me.totpCode'), autocomplete: 'one-time-code', attrs: { inputmode: 'numeric' } },
      ],
      submit: t('shell.me.totpOff'),
      onSubmit: async (v) => {
        await disableTotp(v.password, v.code);
        totpSection(host, false);
      },
    });
    host.replaceChildren(heading, el('p', { class: 'field-ok', id: 'totp-status' }, t('shell.me.totpIsOn')), f);
    return;
  }
  const enrol = form({
    id: 'totp-enrol',
    fields: [{ name: 'password', label: t('shell.password'), type: 'password', autocomplete: 'current-password' }],
    submit: t('shell.me.totpStart'),
    onSubmit: async (v) => {
      const { secret, uri } = await enrolTotp(v.password);
      const qr = await qrImage(uri);
      const confirm = form({
        id: 'totp-verify',
        fields: [{ name: 'code', label: t('shell.me.totpCode'), autocomplete: 'one-time-code', attrs: { inputmode: 'numeric' } }],
        submit: t('shell.me.totpConfirm'),
        onSubmit: async (c) => {
          await verifyTotp(c.code);
          totpSection(host, true);
        },
      });
      host.replaceChildren(heading, el('p', { class: 'note' }, t('shell.me.totpScan')), qr,
        el('p', { class: 'note' }, t('shell.me.totpManual'), ' ', el('code', { id: 'totp-secret' }, secret)), confirm);
      (confirm.querySelector('input') as HTMLInputElement).focus();
    },
  });
  host.replaceChildren(heading, el('p', { class: 'note', id: 'totp-status' }, t('shell.me.totpIsOff')), enrol);
}

/** The otpauth:// URI as a QR code, drawn here (qrcode-generator, loaded with this chunk). */
async function qrImage(uri: string): Promise<HTMLElement> {
  const { default: qrcode } = await import('qrcode-generator');
  const qr = qrcode(0, 'M');
  qr.addData(uri);
  qr.make();
  return el('img', { id: 'totp-qr', class: 'qr', src: qr.createDataURL(5, 4), alt: t('shell.me.totpQr') });
}

const EXPIRIES = [0, 7, 30, 90, 365];

async function tokensTab(): Promise<HTMLElement> {
  const list = el('ul', { id: 'token-list', class: 'tokens', 'aria-label': t('shell.me.tokensList') });
  const result = el('div', { id: 'token-result', 'aria-live': 'polite' });
  const lang = locale();
  const when = (ts?: string) => (ts ? new Date(ts).toLocaleDateString(lang) : '');
  const show = async () => {
    const tokens = await listApiTokens();
    list.replaceChildren(...(tokens.length ? tokens.map((tok) => {
      const error = el('span', { class: 'field-error', role: 'alert' });
      const revoke = el('button', { type: 'button', class: 'small danger revoke', 'aria-label': t('shell.me.revokeNamed').replace('{0}', tok.name),
        onclick: () => {
          const question = t('shell.me.revokeQuestion').replace('{0}', tok.name);
          const yes = el('button', { type: 'button', class: 'small danger', onclick: async () => {
            try {
              await revokeApiToken(tok.id);
              await show();
            } catch (e) {
              error.textContent = errorText(e);
              actions.replaceChildren(revoke);
            }
          } }, t('shell.me.revokeConfirm'));
          actions.replaceChildren(el('span', { class: 'confirm', role: 'group', 'aria-label': question }, el('span', {}, question), yes,
            el('button', { type: 'button', class: 'small', onclick: () => { actions.replaceChildren(revoke); revoke.focus(); } }, t('shell.cancel'))));
          yes.focus();
        } }, t('shell.me.revoke'));
      const actions = el('span', { class: 'actions' }, revoke);
      return el('li', { class: 'token', 'data-id': tok.id, 'data-name': tok.name },
        el('strong', {}, tok.name),
        el('span', { class: 'note' }, [
          `${t('shell.me.tokenCreated')} ${when(tok.createdAt)}`,
          tok.expiresAt ? `${t('shell.me.tokenExpires')} ${when(tok.expiresAt)}` : t('shell.me.tokenNoExpiry'),
          tok.lastUsedAt ? `${t('shell.me.tokenUsed')} ${when(tok.lastUsedAt)}` : t('shell.me.tokenUnused'),
        ].join(' · ')),
        actions, error);
    }) : [el('li', { class: 'note empty' }, t('shell.me.tokensNone'))]));
  };
  const f = form({
    id: 'token',
    fields: [
      { name: 'name', label: t('shell.me.tokenName') },
      { name: 'expiresInDays', label: t('shell.me.tokenExpiry'), value: '90', aliases: ['expires_in_days'],
        choices: EXPIRIES.map((d): [string, string] => [String(d), d ? t('shell.me.tokenDays').replace('{0}', String(d)) : t('shell.me.tokenNever')]) },
    ],
    submit: t('shell.me.tokenCreate'),
    onSubmit: async (v) => {
      const made = await createApiToken(v.name, Number(v.expiresInDays));
      (f.elements.namedItem('name') as HTMLInputElement).value = '';
      const secret = el('input', { id: 'token-secret', readonly: true, value: made.secret, 'aria-label': t('shell.me.tokenSecret') }) as HTMLInputElement;
      const copied = el('span', { class: 'field-ok', role: 'status' });
      const copy = el('button', { type: 'button', id: 'copy-token', onclick: async () => {
        try {
          await navigator.clipboard.writeText(made.secret);
          copied.textContent = t('shell.invite.copied');
        } catch {
          secret.select();
          copied.textContent = t('shell.invite.copyByHand');
        }
      } }, t('shell.me.tokenCopy'));
      result.replaceChildren(el('label', { for: 'token-secret' }, t('shell.me.tokenSecret')), el('div', { class: 'copy-row' }, secret, copy), copied,
        el('p', { class: 'note' }, t('shell.me.tokenOnce')));
      await show();
    },
  });
  await show();
  return el('div', {}, el('p', { class: 'note' }, t('shell.me.tokensIntro')), f, result, el('h2', {}, t('shell.me.tokensList')), list);
}
