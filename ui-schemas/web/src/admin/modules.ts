// Modules and flags: plugin modules installed (a jar uploaded), upgraded (the same id again),
// stopped and started (sys-admins); the user modules with the designer; and feature flags with the
// module switches (`module.<id>`) at the node, an org or a project, each at the level its admin holds.
import { el } from '../dom';
import { t } from '../prefs';
import { designerHref } from '../designer/route';
import * as api from './calls';
import type { Flag, ModuleInfo, Scope } from './calls';
import { busy, confirmed, outcome, scroller, section, stateName } from './ui';

export async function modulesSection(): Promise<HTMLElement> {
  const list = el('ul', { class: 'admin-list', id: 'admin-modules', 'aria-label': t('admin.modules.plugins') });
  const line = outcome('admin-modules-error');
  const paint = async () => {
    const modules = await api.listModules();
    list.replaceChildren(...modules.map((m) => moduleRow(m, line, () => void paint().catch((e) => line.fail(e)))));
  };
  await paint();
  const file = el('input', { type: 'file', id: 'admin-module-jar', accept: '.jar,application/java-archive', 'aria-describedby': 'admin-module-upload-error' }) as HTMLInputElement;
  const uploadLine = outcome('admin-module-upload-error');
  const upload = el('button', { type: 'submit', class: 'primary', id: 'admin-module-install' }, t('admin.modules.install'));
  const form = el('form', { class: 'admin-upload', onsubmit: (e: Event) => {
    e.preventDefault();
    void busy(upload, uploadLine, async () => {
      const jar = file.files?.[0];
      if (!jar) throw new Error(t('admin.modules.pickJar'));
      const info = await api.installModule(await base64(jar));
      uploadLine.ok(t('admin.modules.installed').replace('{0}', info.moduleId).replace('{1}', info.version));
      file.value = '';
      await paint();
    });
  } }, el('label', { for: 'admin-module-jar' }, t('admin.modules.jar')), file, upload, uploadLine);
  const userModules = await api.listUserModules().catch(() => []);
  const ums = el('ul', { class: 'admin-list', id: 'admin-user-modules', 'aria-label': t('admin.modules.user') },
    ...userModules.map((u) => el('li', { class: 'admin-row' }, el('span', { class: 'who' }, el('strong', {}, u.name || u.id),
      el('span', { class: 'note' }, `${u.moduleId} · ${u.version ?? ''} · ${stateName('module', u.state)}`)),
    el('a', { href: designerHref(u.id), 'aria-label': t('admin.modules.designNamed').replace('{0}', u.name || u.id) }, t('admin.modules.design')))));
  if (!userModules.length) ums.append(el('li', { class: 'note' }, t('admin.modules.noUser')));
  return el('div', {},
    section('admin-plugins', t('admin.modules.plugins'), el('p', { class: 'note' }, t('admin.modules.intro')), line, list, form),
    section('admin-user-modules-section', t('admin.modules.user'), ums,
      el('a', { href: designerHref(''), id: 'admin-designer-link' }, t('admin.modules.newUser'))),
    await flagsSection({ kind: 'node' }));
}

function moduleRow(m: ModuleInfo, line: ReturnType<typeof outcome>, changed: () => void): HTMLElement {
  const started = m.state === 'STARTED';
  const li = el('li', { class: 'admin-row', 'data-module': m.moduleId, 'data-state': m.state },
    el('span', { class: 'who' }, el('strong', {}, m.moduleId), el('span', { class: 'note' }, `${m.version} · ${stateName('module', m.state)}`),
      ...(m.error ? [el('span', { class: 'field-error' }, m.error)] : [])));
  if (started) {
    li.append(confirmed(t('admin.modules.stop'), t('admin.modules.stopQuestion').replace('{0}', m.moduleId), t('admin.modules.stopConfirm'), line, async () => {
      await api.stopModule(m.moduleId);
      line.ok(t('admin.modules.stopped').replace('{0}', m.moduleId));
      changed();
    }, { 'data-action': 'stop', 'aria-label': t('admin.modules.stopNamed').replace('{0}', m.moduleId) }));
  } else {
    const start = el('button', { type: 'button', class: 'small', 'data-action': 'start', 'aria-label': t('admin.modules.startNamed').replace('{0}', m.moduleId),
      onclick: () => void busy(start, line, async () => {
        await api.startModule(m.moduleId);
        line.ok(t('admin.modules.started').replace('{0}', m.moduleId));
        changed();
      }) }, t('admin.modules.start'));
    li.append(start);
  }
  return li;
}

/** A file as base64 (proto JSON's form of bytes). */
async function base64(file: Blob): Promise<string> {
  const data = new Uint8Array(await file.arrayBuffer());
  let s = '';
  for (let i = 0; i < data.length; i += 0x8000) s += String.fromCharCode(...data.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * The flags of a scope, each with a choice "inherit / on / off" (inherit clears this level's value),
 * what it resolves to and where that comes from. At an org or project the module switches come first.
 */
export async function flagsSection(scope: Scope): Promise<HTMLElement> {
  const all = await api.listFlags(scope);
  // A module's node-wide state is its running state (stop/start above), not a flag value.
  const flags = scope.kind === 'node' ? all.filter((f) => !f.name.startsWith('module.')) : all;
  const line = outcome(`admin-flags-${scope.kind}-error`);
  const modules = flags.filter((f) => f.name.startsWith('module.'));
  const features = flags.filter((f) => !f.name.startsWith('module.'));
  const table = (caption: string, rows: Flag[], id: string) => scroller(el('table', { class: 'admin-table flags', id },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...['admin.flags.name', 'admin.flags.value', 'admin.flags.effective'].map((k) => el('th', { scope: 'col' }, t(k))))),
    el('tbody', {}, ...rows.map((f) => flagRow(scope, f, line)))));
  const title = scope.kind === 'node' ? t('admin.flags.node') : t('admin.flags.scoped');
  return section(`admin-flags-${scope.kind}`, title, el('p', { class: 'note' }, t(`admin.flags.intro.${scope.kind}`)), line,
    ...(modules.length ? [table(t('admin.flags.modules'), modules, `admin-switches-${scope.kind}`)] : []),
    table(t('admin.flags.features'), features, `admin-flag-table-${scope.kind}`));
}

function own(scope: Scope, f: Flag): boolean | undefined {
  return scope.kind === 'node' ? f.nodeValue : scope.kind === 'org' ? f.orgValue : f.projectValue;
}

function flagRow(scope: Scope, f: Flag, line: ReturnType<typeof outcome>): HTMLElement {
  const id = `flag-${scope.kind}-${f.name.replace(/[^a-z0-9]+/gi, '-')}`;
  const effective = el('td', { class: 'effective' });
  const tr = el('tr', { 'data-flag': f.name });
  const paint = () => {
    tr.dataset.enabled = String(Boolean(f.enabled));
    effective.textContent = `${f.enabled ? t('admin.flags.on') : t('admin.flags.off')} · ${t(`admin.flags.source.${f.source ?? 'DEFAULT'}`)}`;
  };
  const value = own(scope, f);
  const select = el('select', { id, 'aria-label': t('admin.flags.valueOf').replace('{0}', f.name), 'aria-describedby': line.id,
    onchange: () => void busy(select, line, async () => {
      const picked = (select as HTMLSelectElement).value;
      try {
        const fresh = picked === '' ? await api.clearFlag(scope, f.name) : await api.setFlag(scope, f.name, picked === 'on');
        // A level's value is absent when unset: the answer replaces, not merges, them.
        delete f.nodeValue;
        delete f.orgValue;
        delete f.projectValue;
        Object.assign(f, fresh);
        f.enabled = Boolean(f.enabled);
        line.ok(t('admin.flags.saved').replace('{0}', f.name));
      } finally {
        const now = own(scope, f);
        (select as HTMLSelectElement).value = now === undefined ? '' : now ? 'on' : 'off';
        paint();
      }
    }) },
  el('option', { value: '', selected: value === undefined }, t('admin.flags.inherit')),
  el('option', { value: 'on', selected: value === true }, t('admin.flags.on')),
  el('option', { value: 'off', selected: value === false }, t('admin.flags.off')));
  tr.append(el('th', { scope: 'row' }, el('code', {}, f.name), el('span', { class: 'note' }, f.description ?? '')), el('td', {}, select), effective);
  paint();
  return tr;
}
