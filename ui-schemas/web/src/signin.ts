// The sign-in and sign-up form: drawn by the shell, since no page can be fetched before there is a
// session. Someone who opened an invite link sees that they were invited, and the form starts on
// "create account"; the invite itself waits in the tab (pendingInvite) until they are signed in.
import { signIn, signUp } from './auth';
import { el } from './dom';
import { form } from './forms';
import { t } from './prefs';

const INVITE_KEY = 'hearth.invite';

/** Keeps an invite code across the sign-up detour (and a reload), in this tab only. */
export function rememberInvite(code: string): void {
  sessionStorage.setItem(INVITE_KEY, code);
}

/** The invite code waiting to be redeemed, if any; taking it forgets it. */
export function takeInvite(): string {
  const code = sessionStorage.getItem(INVITE_KEY) ?? '';
  sessionStorage.removeItem(INVITE_KEY);
  return code;
}

export function hasInvite(): boolean {
  return Boolean(sessionStorage.getItem(INVITE_KEY));
}

export function showSignIn(app: HTMLElement, signedIn: () => Promise<void>, creating = hasInvite()): void {
  const f = form({
    id: creating ? 'sign-up' : 'sign-in',
    title: creating ? t('shell.signUp') : t('shell.signIn'),
    intro: hasInvite() ? t('shell.invite.signInFirst') : undefined,
    fields: [
      ...(creating ? [{ name: 'displayName', label: t('shell.displayName'), autocomplete: 'name', aliases: ['display_name'] }] : []),
      { name: 'email', label: t('shell.email'), type: 'email', autocomplete: 'email' },
      { name: 'password', label: t('shell.password'), type: 'password', autocomplete: creating ? 'new-password' : 'current-password' },
    ],
    submit: creating ? t('shell.signUp') : t('shell.signIn'),
    onSubmit: async (v) => {
      if (creating) await signUp(v.email, v.password, v.displayName);
      else await signIn(v.email, v.password);
      await signedIn();
    },
    extra: [el('button', { type: 'button', class: 'link', id: 'switch-sign-in', onclick: () => showSignIn(app, signedIn, !creating) },
      creating ? t('shell.haveAccount') : t('shell.noAccount'))],
  });
  f.classList.add('sign-in');
  app.replaceChildren(el('main', { class: 'centered' }, el('p', { class: 'brand-big' }, t('shell.name')), f));
  (f.querySelector('input') as HTMLInputElement | null)?.focus();
}
