// An org's own sign-in provider (OpenID Connect), in the org's console page (its admins): issuer,
// client id and secret (never shown again: the node only says whether one is stored), the email
// domains it may sign in, and the claim mapping, one rule a line:
//   groups=eng | Eng | project-user      a claim value → a role in a project (by its name)
//   groups=admins | org-admin            → org-admin of the whole org
//   * | Eng | project-user               everyone signing in through the provider
// The node reads the issuer's discovery document before saving; a refusal shows by its field (a
// rule's by its line).
import { ApiError, call } from '../api';
import { el } from '../dom';
import { form } from '../forms';
import { t } from '../prefs';
import type { Project } from '../tenancy';
import { confirmed, outcome, section } from './ui';

interface Rule { claim?: string; value?: string; projectId?: string; role: string }
interface OrgSso {
  orgId: string; configured: boolean; name?: string; issuer?: string; clientId?: string; hasClientSecret?: boolean;
  allowedDomains?: string[]; rules?: Rule[]; providerId?: string; signInPath?: string; redirectUri?: string;
}

const ROLES = ['org-admin', 'project-admin', 'project-user'];

export async function orgSsoSection(orgId: string, projects: Project[]): Promise<HTMLElement> {
  const holder = el('div', {});
  const paint = async () => {
    const sso = await call<OrgSso>('GET', `/v1/orgs/${encodeURIComponent(orgId)}/sso`);
    holder.replaceChildren(body(orgId, sso, projects, () => void paint()));
  };
  await paint();
  return section('admin-sso-section', t('admin.sso'), el('p', { class: 'note' }, t('admin.sso.intro')), holder);
}

function body(orgId: string, sso: OrgSso, projects: Project[], changed: () => void): HTMLElement {
  const where = `${location.origin}${location.pathname}#/o/${encodeURIComponent(orgId)}`;
  const status = sso.configured
    ? el('p', { class: 'note', id: 'admin-sso-status' }, t('admin.sso.active').replace('{0}', where))
    : el('p', { class: 'note', id: 'admin-sso-status' }, t('admin.sso.none'));
  const redirect = el('p', { class: 'note' }, t('admin.sso.redirect').replace('{0}', sso.redirectUri ?? ''));
  const line = outcome('admin-sso-outcome');
  const f = form({
    id: 'admin-sso',
    fields: [
      { name: 'name', label: t('admin.sso.name'), value: sso.name ?? '' },
      { name: 'issuer', label: t('admin.sso.issuer'), type: 'url', value: sso.issuer ?? '', attrs: { placeholder: 'https://id.example.org/realms/corp' } },
      { name: 'clientId', label: t('admin.sso.clientId'), value: sso.clientId ?? '', aliases: ['client_id'] },
      { name: 'clientSecret', label: sso.hasClientSecret ? t('admin.sso.secretKept') : t('admin.sso.secret'), type: 'password',
        autocomplete: 'new-password', aliases: ['client_secret'] },
      { name: 'allowedDomains', label: t('admin.sso.domains'), value: (sso.allowedDomains ?? []).join(', '), aliases: ['allowed_domains'],
        attrs: { placeholder: 'example.org' } },
      { name: 'rules', label: t('admin.sso.rules'), type: 'textarea', value: (sso.rules ?? []).map((r) => ruleLine(r, projects)).join('\n'),
        attrs: { placeholder: 'groups=eng | Eng | project-user' } },
    ],
    submit: t('admin.sso.save'),
    onSubmit: async (v) => {
      const body: Record<string, unknown> = {
        name: v.name.trim(), issuer: v.issuer.trim(), clientId: v.clientId.trim(),
        allowedDomains: v.allowedDomains.split(/[\s,]+/).filter(Boolean),
        rules: parseRules(v.rules, projects),
      };
      if (v.clientSecret) body.clientSecret = v.clientSecret;
      try {
        await call('PUT', `/v1/orgs/${encodeURIComponent(orgId)}/sso`, body);
      } catch (e) {
        throw onRuleLine(e);
      }
      changed();
    },
  });
  f.querySelector('textarea')?.after(el('span', { class: 'note', id: 'admin-sso-rules-help' }, t('admin.sso.rulesHelp')));
  const remove = sso.configured
    ? [confirmed(t('admin.sso.delete'), t('admin.sso.deleteQuestion'), t('admin.sso.deleteConfirm'), line, async () => {
      await call('DELETE', `/v1/orgs/${encodeURIComponent(orgId)}/sso`);
      changed();
    }, { id: 'admin-sso-delete' }), line]
    : [];
  return el('div', {}, status, redirect, f, ...remove);
}

function ruleLine(r: Rule, projects: Project[]): string {
  const when = r.claim ? `${r.claim}=${r.value ?? ''}` : '*';
  if (!r.projectId) return `${when} | ${r.role}`;
  return `${when} | ${projects.find((p) => p.id === r.projectId)?.name ?? r.projectId} | ${r.role}`;
}

/** The rules typed, one a line; a line the shell cannot read is refused by its number, as the node's are. */
function parseRules(text: string, projects: Project[]): Rule[] {
  return text.split('\n').map((s) => s.trim()).filter(Boolean).map((s, i) => {
    const parts = s.split('|').map((p) => p.trim());
    const bad = (why: string) => new ApiError(400, 'INVALID_ARGUMENT', `${t('admin.sso.line').replace('{0}', String(i + 1))}: ${why}`, { field: 'rules' });
    if (parts.length < 2 || parts.length > 3) throw bad(t('admin.sso.lineShape'));
    const [when, ...rest] = parts;
    const role = rest[rest.length - 1];
    if (!ROLES.includes(role)) throw bad(t('admin.sso.lineRole'));
    let claim = '', value = '';
    if (when !== '*') {
      const eq = when.indexOf('=');
      if (eq <= 0) throw bad(t('admin.sso.lineShape'));
      claim = when.slice(0, eq).trim();
      value = when.slice(eq + 1).trim();
    }
    let projectId = '';
    if (rest.length === 2) {
      const p = projects.find((x) => x.name === rest[0] || x.id === rest[0]);
      if (!p) throw bad(t('admin.sso.lineProject').replace('{0}', rest[0]));
      projectId = p.id;
    }
    return { claim, value, projectId, role };
  });
}

/** The node names a rule as `rules[2].role`: shown beside the rules, by its line. */
function onRuleLine(e: unknown): unknown {
  if (!(e instanceof ApiError)) return e;
  const m = /^rules\[(\d+)\]\.([A-Za-z_]+)$/.exec(String(e.details.field ?? ''));
  if (!m) return e;
  const message = e.message.replace(/^rules\[\d+\]\.[A-Za-z_]+: /, '');
  return new ApiError(e.status, e.code, `${t('admin.sso.line').replace('{0}', String(Number(m[1]) + 1))}: ${message}`,
    { ...e.details, field: 'rules' });
}
