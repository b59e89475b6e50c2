// Single sign-on (OpenID Connect) in the shell: "Sign in with …" buttons under the sign-in form for
// the node's providers; a click starts the sign-in on the node (StartSso) and leaves for the
// provider's login page. The node checks the provider's answer and sends the browser back here with
// `?sso=<flow>`; the shell completes it with the handoff secret it kept in this tab, so a flow id
// seen by anyone else is useless. An existing account with the same email is linked only with its
// password (the node asks: `details.linkRequired`). An org's own provider (its admins set it in the
// console) is offered at the org's sign-in address `#/o/<org id>`, or once an email of a domain it
// allows is typed.
import { ApiError, call, using } from './api';
import { el } from './dom';
import { form } from './forms';
import { t } from './prefs';

const FLOW_KEY = 'hearth.sso';

interface Provider { id: string; name: string; orgId?: string; orgName?: string }
interface Started { authorizationUrl: string; flowId: string; handoff: string }

/**
 * The buttons, filled in once the node has listed its providers (none: nothing is shown): the
 * node's own; an org's when the address is the org's sign-in address (`#/o/<org id>`); and those of
 * the orgs whose provider allows the domain of the email typed in `email` (looked up when it changes).
 */
export function ssoButtons(email?: HTMLInputElement): HTMLElement {
  const box = el('div', { class: 'sso', id: 'sso-providers', hidden: true });
  const org = /^#\/o\/([^/?]+)/.exec(location.hash)?.[1] ?? '';
  let asked = '';
  const paint = (typed: string) => {
    const q = new URLSearchParams();
    if (org) q.set('orgId', decodeURIComponent(org));
    if (typed.includes('@')) q.set('email', typed);
    asked = typed;
    void call<{ providers?: Provider[] }>('GET', `/v1/auth/sso/providers${q.toString() ? `?${q}` : ''}`).then((r) => {
      if (asked !== typed) return;
      const providers = r.providers ?? [];
      box.hidden = !providers.length;
      if (!providers.length) { box.replaceChildren(); return; }
      const error = el('p', { class: 'error', role: 'alert', id: 'sso-error' });
      box.replaceChildren(el('p', { class: 'sso-or' }, t('shell.sso.or')),
        ...providers.map((p) => el('button', { type: 'button', class: 'sso-button', 'data-provider': p.id,
          onclick: (e: Event) => void go(p, e.currentTarget as HTMLButtonElement, error) }, label(p))),
        error);
    }).catch(() => { /* no providers to offer: the password form is all there is */ });
  };
  paint('');
  email?.addEventListener('change', () => {
    const typed = email.value.trim();
    if (typed !== asked && (typed.includes('@') || asked.includes('@'))) paint(typed);
  });
  return box;
}

function label(p: Provider): string {
  return p.orgId ? t('shell.sso.withOrg').split('{0}').join(p.name).split('{1}').join(p.orgName || p.name)
    : t('shell.sso.with').replace('{0}', p.name);
}

async function go(p: Provider, button: HTMLButtonElement, error: HTMLElement): Promise<void> {
  button.disabled = true;
  error.textContent = '';
  try {
    const s = await call<Started>('POST', '/v1/auth/sso/start', { provider: p.id, returnTo: location.pathname + location.hash });
    sessionStorage.setItem(FLOW_KEY, JSON.stringify({ flowId: s.flowId, handoff: s.handoff, provider: p.name }));
    location.assign(s.authorizationUrl);
  } catch (e) {
    error.textContent = e instanceof Error ? e.message : String(e);
    button.disabled = false;
  }
}

/** The flow the provider sent this tab back with, taken out of the address bar; undefined if none. */
export function returnedFlow(): string | undefined {
  const url = new URL(location.href);
  const flow = url.searchParams.get('sso') ?? undefined;
  if (flow) {
    url.searchParams.delete('sso');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  }
  return flow;
}

/**
 * Completes the sign-in the provider sent this tab back from. Resolves when signed in; a refusal is
 * thrown as the node's ApiError, except linkRequired, which shows the password form in `app`.
 */
export async function completeSso(app: HTMLElement, flowId: string, signedIn: () => Promise<void>,
    back: (failed?: unknown) => void): Promise<void> {
  const kept = JSON.parse(sessionStorage.getItem(FLOW_KEY) ?? '{}') as { flowId?: string; handoff?: string; provider?: string };
  sessionStorage.removeItem(FLOW_KEY);
  const request = { flowId, handoff: kept.flowId === flowId ? kept.handoff ?? '' : '' };
  try {
    await using((c) => c.session.completeSso(request));
  } catch (e) {
    if (e instanceof ApiError && e.details.linkRequired === 'true') {
      return showLink(app, request, String(e.details.email ?? ''), kept.provider ?? '', signedIn, back);
    }
    return back(e);
  }
  await signedIn();
}

function showLink(app: HTMLElement, request: { flowId: string; handoff: string }, email: string, provider: string,
    signedIn: () => Promise<void>, back: () => void, totp = false): void {
  const f = form({
    id: 'sso-link',
    title: t('shell.sso.linkTitle'),
    intro: t('shell.sso.linkIntro').split('{0}').join(email).split('{1}').join(provider),
    fields: [
      { name: 'password', label: t('shell.password'), type: 'password', autocomplete: 'current-password' },
      ...(totp ? [{ name: 'totpCode', label: t('shell.me.totpCode'), autocomplete: 'one-time-code', aliases: ['totp_code'], attrs: { inputmode: 'numeric' } }] : []),
    ],
    submit: t('shell.sso.link'),
    onSubmit: async (v) => {
      try {
        await using((c) => c.session.completeSso({ ...request, password: v.password, ...(v.totpCode ? { totpCode: v.totpCode } : {}) }));
      } catch (e) {
        if (!totp && e instanceof ApiError && e.details.totpRequired === 'true') {
          return showLink(app, request, email, provider, signedIn, back, true);
        }
        throw e;
      }
      await signedIn();
    },
    extra: [el('button', { type: 'button', class: 'link', id: 'sso-link-cancel', onclick: () => back() }, t('shell.sso.back'))],
  });
  f.classList.add('sign-in');
  app.replaceChildren(el('main', { class: 'centered' }, el('p', { class: 'brand-big' }, t('shell.name')), f));
  (f.querySelector(totp ? '[name=totpCode]' : 'input') as HTMLInputElement | null)?.focus();
}
