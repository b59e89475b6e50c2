// The shell's onboarding pages: the first-run choice (create an organisation, or join with an
// invite), creating an org and a project, and joining with an invite link or code.
import { el } from './dom';
import { form } from './forms';
import { t } from './prefs';
import { goShell, shellHref } from './router';
import { createOrg, createProject, redeemInvite } from './tenancy';
import type { OrgEntry } from './sidebar';

/** What the onboarding pages need from the shell. */
export interface ShellContext {
  orgs(): OrgEntry[];
  /** Lists orgs and projects again (after one was made or joined). */
  reloadTenancy(): Promise<void>;
  /** Opens the project's first page. */
  openProject(project: string, replace?: boolean): Promise<void>;
}

/** A signed-in user with no project: what they can do next. */
export function welcomePage(ctx: ShellContext): HTMLElement {
  const admin = ctx.orgs().filter((o) => o.admin);
  return el('section', { class: 'shell-page welcome' },
    el('h1', {}, t('shell.welcome.title')),
    el('p', { class: 'note' }, t('shell.noProjects')),
    el('div', { class: 'choices' },
      choice(t('shell.org.new'), t('shell.welcome.createOrg'), shellHref({ kind: 'new-org' }), 'create-org'),
      choice(t('shell.invite.join'), t('shell.welcome.join'), shellHref({ kind: 'join', code: '' }), 'join-invite'),
      ...admin.map((o) => choice(t('shell.project.newIn').replace('{0}', o.name), t('shell.welcome.createProject'),
        shellHref({ kind: 'new-project', org: o.id }), `new-project-${o.id}`))));
}

function choice(title: string, text: string, target: string, id: string): HTMLElement {
  return el('a', { class: 'choice', href: target, id }, el('strong', {}, title), el('span', {}, text));
}

export function newOrgPage(ctx: ShellContext): HTMLElement {
  return el('section', { class: 'shell-page' }, form({
    id: 'new-org', title: t('shell.org.new'), intro: t('shell.org.intro'),
    fields: [{ name: 'name', label: t('shell.org.name') }],
    submit: t('shell.org.create'),
    onSubmit: async (v) => {
      const org = await createOrg(v.name);
      await ctx.reloadTenancy();
      goShell({ kind: 'new-project', org: org.id });
    },
  }));
}

export function newProjectPage(ctx: ShellContext, orgId: string): HTMLElement {
  const org = ctx.orgs().find((o) => o.id === orgId);
  return el('section', { class: 'shell-page' }, form({
    id: 'new-project', title: t('shell.project.new'),
    intro: org ? t('shell.project.intro').replace('{0}', org.name) : undefined,
    fields: [{ name: 'name', label: t('shell.project.name') }],
    submit: t('shell.project.create'),
    onSubmit: async (v) => {
      const project = await createProject(orgId, v.name);
      await ctx.reloadTenancy();
      await ctx.openProject(project.id);
    },
  }));
}

/** Redeems `code` and opens the project (or org) it grants a role in. */
export async function join(ctx: ShellContext, code: string): Promise<void> {
  const membership = await redeemInvite(code);
  await ctx.reloadTenancy();
  if (membership.projectId) await ctx.openProject(membership.projectId, true);
  else goShell({ kind: 'welcome' }, true);
}

/** Joining with an invite link or its code, typed or pasted; `failed` shows why a link did not work. */
export function joinPage(ctx: ShellContext, code = '', failed?: unknown): HTMLElement {
  const f = form({
    id: 'join', title: t('shell.invite.join'), intro: t('shell.invite.joinIntro'),
    fields: [{ name: 'code', label: t('shell.invite.code'), value: code }],
    submit: t('shell.invite.accept'),
    onSubmit: (v) => join(ctx, codeOf(v.code)),
  });
  if (failed !== undefined) {
    // The same place a refusal of the form shows: the field.
    queueMicrotask(() => f.dispatchEvent(new CustomEvent('hearth:error', { detail: failed })));
  }
  return el('section', { class: 'shell-page' }, f);
}

/** The code of an invite link (…/#/join/<code>), or what was typed when it is a bare code. */
export function codeOf(text: string): string {
  const m = /#\/join\/([^/?#\s]+)/.exec(text.trim());
  return m ? decodeURIComponent(m[1]) : text.trim();
}
