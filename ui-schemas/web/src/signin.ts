// The sign-in and sign-up form: drawn by the shell, since no page can be fetched before there is a
// session. Someone who opened an invite link sees that they were invited, and the form starts on
// "create account"; the invite itself waits in the tab (pendingInvite) until they are signed in.
import { ApiError } from './api';
import { signIn, signUp } from './auth';
import { el } from './dom';
import { form } from './forms';
import { t } from './prefs';
import { ssoButtons } from './sso';

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

/**
 * The form. An account with TOTP on is asked for its one-time code once the node says so
 * (`details.totpRequired`): the form comes back with a code field, email and password kept.
 */
export function showSignIn(app: HTMLElement, signedIn: () => Promise<void>, creating = hasInvite(),
    totp?: { email: string; password: string }, failed?: unknown): HTMLFormElement {
  const f = form({
    id: creating ? 'sign-up' : 'sign-in',
    title: creating ? t('shell.signUp') : t('shell.signIn'),
    intro: totp ? t('shell.signIn.totpIntro') : hasInvite() ? t('shell.invite.signInFirst') : undefined,
    fields: [
      ...(creating ? [{ name: 'displayName', label: t('shell.displayName'), autocomplete: 'name', aliases: ['display_name'] }] : []),
      { name: 'email', label: t('shell.email'), type: 'email', autocomplete: 'email' },
      { name: 'password', label: t('shell.password'), type: 'password', autocomplete: creating ? 'new-password' : 'current-password' },
      ...(totp ? [{ name: 'totpCode', label: t('shell.me.totpCode'), autocomplete: 'one-time-code', aliases: ['totp_code'], attrs: { inputmode: 'numeric' } }] : []),
    ],
    submit: creating ? t('shell.signUp') : t('shell.signIn'),
    onSubmit: async (v) => {
      if (creating) await signUp(v.email, v.password, v.displayName);
      else {
        try {
          await signIn(v.email, v.password, v.totpCode);
        } catch (e) {
          if (!totp && e instanceof ApiError && e.details.totpRequired) {
            showSignIn(app, signedIn, false, { email: v.email, password: v.password });
            return;
          }
          throw e;
        }
      }
      await signedIn();
    },
    extra: [el('button', { type: 'button', class: 'link', id: 'switch-sign-in', onclick: () => showSignIn(app, signedIn, !creating) },
      creating ? t('shell.haveAccount') : t('shell.noAccount'))],
  });
  f.classList.add('sign-in');
  // Single sign-on under the password form (signing in or creating: the provider's first sign-in creates the account).
  app.replaceChildren(el('main', { class: 'centered' }, el('p', { class: 'brand-big' }, t('shell.name')), f, ...(totp ? [] : [ssoButtons(f.elements.namedItem('email') as HTMLInputElement)])));
  // A refusal from before the form existed (a single sign-on the node refused), shown in the form.
  if (failed) queueMicrotask(() => f.dispatchEvent(new CustomEvent('hearth:error', { detail: failed })));
  if (totp) {
    (f.elements.namedItem('email') as HTMLInputElement).value = totp.email;
    (f.elements.namedItem('password') as HTMLInputElement).value = totp.password;
    (f.elements.namedItem('totpCode') as HTMLInputElement).focus();
    return f;
  }
  (f.querySelector('input') as HTMLInputElement | null)?.focus();
  return f;
}
