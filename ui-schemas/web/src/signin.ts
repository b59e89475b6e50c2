// The sign-in and sign-up form: the one form the shell draws itself, since no page can be fetched
// before there is a session.
import { ApiError } from './api';
import { signIn, signUp } from './auth';
import { el } from './dom';
import { t } from './prefs';

export function showSignIn(app: HTMLElement, signedIn: () => Promise<void>, creating = false): void {
  const error = el('p', { class: 'error', role: 'alert' });
  const field = (name: string, type: string, label: string, auto: string) =>
    el('label', {}, label, el('input', { name, type, required: true, autocomplete: auto }));
  const form = el('form', { class: 'sign-in' },
    el('h1', {}, creating ? t('shell.signUp') : t('shell.signIn')),
    ...(creating ? [field('displayName', 'text', t('shell.displayName'), 'name')] : []),
    field('email', 'email', t('shell.email'), 'email'),
    field('password', 'password', t('shell.password'), creating ? 'new-password' : 'current-password'),
    error,
    el('button', { type: 'submit' }, creating ? t('shell.signUp') : t('shell.signIn')),
    el('button', { type: 'button', class: 'link', onclick: () => showSignIn(app, signedIn, !creating) },
      creating ? t('shell.haveAccount') : t('shell.noAccount'))) as HTMLFormElement;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? '';
    error.textContent = '';
    try {
      if (creating) await signUp(v('email'), v('password'), v('displayName'));
      else await signIn(v('email'), v('password'));
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.message : String(err);
      return;
    }
    await signedIn();
  });
  app.replaceChildren(form);
}
