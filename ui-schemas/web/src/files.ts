// The project's files (task 22): a folder's entries with breadcrumbs, new folders, uploads by button
// or drag and drop with progress, rename, move (to a folder picked from the project's folders),
// delete (after an inline confirmation), download, and the project's quota. The shell's own page:
// file contents are bytes and drag and drop is the browser's, which a card cannot express. Any member
// may do each of these (hearth.files.v1: PROJECT_USER); the node refuses everyone else. The list is
// live: the project's files topic (`files/project/<id>`) tells of every entry written or deleted, by
// anyone, and the page applies each to its rows (and reads the quota again). Admins of the project
// (project-admin, org-admin, sys-admin: SetQuota is PROJECT_ADMIN) also set the project's quota.
import { el } from './dom';
import { errorText, form } from './forms';
import { locale, t } from './prefs';
import {
  bytes, createFolder, deleteEntry, fileContent, getEntry, listFolder, moveEntry, quota, renameEntry, setQuota, uploadFile,
} from './filecalls';
import { ApiError } from './api';
import { parseGiB, toGiB } from './sizes';
import type { FileEntry, Quota } from './filecalls';

/** Where a folder of a project opens ('' = the root). */
export function filesHref(project: string, folder = ''): string {
  return `#/p/${encodeURIComponent(project)}/~/files${folder ? '/' + encodeURIComponent(folder) : ''}`;
}

/** How the page follows its project's files topic (the shell's realtime connection). */
export interface FilesLive {
  /** Follows `topics` while the page is open: `event` hears each event, `resync` is called when some were lost. */
  follow(topics: string[], event: (topic: string, event: string, data: Record<string, unknown>) => void, resync: () => void): Promise<void>;
}

/** The realtime topic of a project's files (docs/files.md). */
export function filesTopic(project: string): string {
  return `files/project/${project}`;
}

export async function filesPage(project: string, projectName: string, folder: string, admin = false,
  live?: FilesLive): Promise<HTMLElement> {
  const lang = locale();
  const list = el('ul', { id: 'file-list', class: 'file-list', 'aria-label': t('shell.files.entries') });
  const quotaText = el('span', { id: 'files-quota-text' });
  // Nearly full shows amber, over 95 % red (the browser's meter colours: optimum at 0).
  const meter = el('meter', { id: 'files-quota-meter', min: '0', max: '1', low: '0.8', high: '0.95', optimum: '0', value: '0',
    'aria-labelledby': 'files-quota-text' }) as HTMLMeterElement;
  const uploads = el('ul', { id: 'uploads', class: 'uploads', 'aria-live': 'polite' });
  const general = el('p', { class: 'field-error', role: 'alert', id: 'files-error' });

  /** The rows on screen by entry id; `pending` holds what an event changed in a row the user is editing. */
  const rows = new Map<string, { entry: FileEntry; li: HTMLElement }>();
  const pending = new Map<string, FileEntry>();
  // Folders first, then files, each by name.
  const order = (a: FileEntry, b: FileEntry) => (a.kind === b.kind ? a.name.localeCompare(b.name, lang) : a.kind === 'FOLDER' ? -1 : 1);
  const emptyNote = () => el('li', { class: 'note empty' }, t('shell.files.empty'));

  const showQuota = (q: Quota) => {
    quotaText.textContent = t('shell.files.quota').replace('{0}', bytes(q.usedBytes, lang)).replace('{1}', bytes(q.quotaBytes, lang));
    meter.value = q.quotaBytes ? Math.min(1, q.usedBytes / q.quotaBytes) : 0;
    quotaText.dataset.used = String(q.usedBytes);
    quotaText.dataset.limit = String(q.quotaBytes);
    quotaText.dataset.custom = String(q.custom);
    quotaForm?.show(q);
  };

  const refresh = async () => {
    general.textContent = '';
    try {
      const [entries, q] = await Promise.all([listFolder(project, folder), quota(project)]);
      entries.sort(order);
      rows.clear();
      pending.clear();
      list.replaceChildren(...(entries.length ? entries.map((e) => {
        const li = row(e);
        rows.set(e.id, { entry: e, li });
        return li;
      }) : [emptyNote()]));
      showQuota(q);
    } catch (e) {
      general.textContent = errorText(e);
    }
  };

  /** Shows `e` (new or changed) in its place; a row being edited keeps its form until the user is done. */
  const place = (e: FileEntry) => {
    const old = rows.get(e.id);
    if (old?.li.dataset.editing) {
      pending.set(e.id, e);
      return;
    }
    const li = row(e);
    if (old) rows.delete(e.id);
    const next = [...rows.values()].map((r) => r.entry).concat(e).sort(order).find((x, i, all) => all[i - 1]?.id === e.id);
    rows.set(e.id, { entry: e, li });
    if (old && old.li.isConnected) old.li.remove();
    list.querySelector('li.empty')?.remove();
    list.insertBefore(li, next ? rows.get(next.id)!.li : null);
  };

  const unlist = (id: string) => {
    const old = rows.get(id);
    if (!old) return;
    rows.delete(id);
    pending.delete(id);
    old.li.remove();
    if (!rows.size) list.replaceChildren(emptyNote());
  };

  // Events: an entry written here (new, renamed, moved in) is shown; one moved elsewhere or deleted goes;
  // the quota (in force: the project's own or the node's default) is read again once a burst of usage events is over.
  let quotaTimer: ReturnType<typeof setTimeout> | undefined;
  const quotaLater = () => {
    clearTimeout(quotaTimer);
    quotaTimer = setTimeout(() => { quota(project).then(showQuota, () => {}); }, 150);
  };
  let crumbs: HTMLElement;
  let pathIds = new Set<string>();
  const asked = new Map<string, number>();
  const changed = async (event: string, data: Record<string, unknown>) => {
    if (event === 'usage.changed') return quotaLater();
    const id = String(data.id ?? '');
    if (!id) return;
    if (event === 'entry.deleted') {
      asked.set(id, (asked.get(id) ?? 0) + 1);
      if (id === folder) {
        general.textContent = t('shell.files.folderGone');
        rows.clear();
        list.replaceChildren(emptyNote());
        return;
      }
      unlist(id);
      return;
    }
    if (event !== 'entry.put') return;
    if (pathIds.has(id)) {
      // This folder or one above it was renamed or moved: the path says so.
      const fresh = await breadcrumbs(project, projectName, folder).catch(() => undefined);
      if (fresh) { crumbs.replaceWith(fresh); crumbs = fresh; pathIds = pathOf(fresh); }
    }
    if (String(data.parentId ?? '') !== folder) {
      asked.set(id, (asked.get(id) ?? 0) + 1); // an answer still on its way is out of date
      unlist(id); // moved out of this folder
      return;
    }
    // Read whole (the event carries no date or type); only the newest answer for an entry counts.
    const mine = (asked.get(id) ?? 0) + 1;
    asked.set(id, mine);
    try {
      const e = await getEntry(project, id);
      if (asked.get(id) !== mine) return;
      if (e.parentId === folder) place(e);
      else unlist(id); // moved away meanwhile
    } catch (err) {
      if (asked.get(id) === mine && err instanceof ApiError && err.code === 'NOT_FOUND') unlist(id); // deleted meanwhile
    }
  };

  const row = (e: FileEntry): HTMLElement => {
    const error = el('span', { class: 'field-error', role: 'alert', id: `entry-${e.id}-error` });
    const name = e.kind === 'FOLDER'
      ? el('a', { href: filesHref(project, e.id), class: 'entry-name open-folder' }, icon('folder'), e.name)
      : el('span', { class: 'entry-name' }, icon('file'), e.name);
    const meta = el('span', { class: 'note entry-meta' },
      e.kind === 'FILE' ? `${bytes(e.size, lang)} · ` : '',
      new Date(Number(e.updatedAtMicros) / 1000).toLocaleDateString(lang));
    const named = (key: string) => t(key).replace('{0}', e.name);
    const buttons: HTMLElement[] = [];
    if (e.kind === 'FILE') {
      buttons.push(el('button', { type: 'button', class: 'small download', 'aria-label': named('shell.files.downloadNamed'), onclick: async () => {
        error.textContent = '';
        try {
          const blob = await fileContent(project, e.id);
          const a = el('a', { href: URL.createObjectURL(blob), download: e.name, hidden: true }) as HTMLAnchorElement;
          document.body.append(a);
          a.click();
          a.remove();
          setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
        } catch (err) {
          error.textContent = errorText(err);
        }
      } }, t('shell.files.download')));
    }
    const rename = el('button', { type: 'button', class: 'small rename', 'aria-label': named('shell.files.renameNamed'), onclick: () => renaming() }, t('shell.files.rename'));
    const move = el('button', { type: 'button', class: 'small move', 'aria-label': named('shell.files.moveNamed'), onclick: () => void moving() }, t('shell.files.move'));
    const remove = el('button', { type: 'button', class: 'small danger delete', 'aria-label': named('shell.files.deleteNamed'), onclick: () => deleting() }, t('shell.files.delete'));
    buttons.push(rename, move, remove);
    const actions = el('span', { class: 'actions' }, ...buttons);
    const item = el('li', { class: 'file-entry', 'data-id': e.id, 'data-kind': e.kind, 'data-name': e.name },
      name, meta, actions, error);
    const editing = () => { item.dataset.editing = 'true'; };
    const restore = (focus: HTMLElement) => {
      actions.replaceChildren(...buttons);
      delete item.dataset.editing;
      focus.focus();
      // Someone changed this entry while the user was at it: shown now.
      const later = pending.get(e.id);
      if (later) {
        pending.delete(e.id);
        place(later);
      }
    };

    const renaming = () => {
      error.textContent = '';
      editing();
      const input = el('input', { class: 'rename-input', value: e.name, 'aria-label': named('shell.files.newNameOf'), 'aria-describedby': error.id }) as HTMLInputElement;
      const save = async () => {
        error.textContent = '';
        try {
          await renameEntry(project, e.id, input.value);
          await refresh();
        } catch (err) {
          // What was typed stays, with the node's refusal beside it.
          error.textContent = errorText(err);
          input.setAttribute('aria-invalid', 'true');
          input.focus();
        }
      };
      input.addEventListener('keydown', (k) => {
        if (k.key === 'Enter') void save();
        if (k.key === 'Escape') restore(rename);
      });
      actions.replaceChildren(input, el('button', { type: 'button', class: 'small primary', onclick: () => void save() }, t('shell.files.save')),
        el('button', { type: 'button', class: 'small', onclick: () => restore(rename) }, t('shell.cancel')));
      input.focus();
      input.select();
    };

    const moving = async () => {
      error.textContent = '';
      let folders: Array<[string, string]>;
      try {
        folders = await allFolders(project, e.kind === 'FOLDER' ? e.id : '');
      } catch (err) {
        error.textContent = errorText(err);
        return;
      }
      const choices: Array<[string, string]> = ([['', t('shell.files.root')]] as Array<[string, string]>).concat(folders).filter(([id]) => id !== e.parentId);
      if (!choices.length) {
        error.textContent = t('shell.files.noFolder');
        return;
      }
      editing();
      const select = el('select', { class: 'move-target', 'aria-label': named('shell.files.moveWhere'), 'aria-describedby': error.id },
        ...choices.map(([id, path]) => el('option', { value: id }, path))) as HTMLSelectElement;
      actions.replaceChildren(select, el('button', { type: 'button', class: 'small primary', onclick: async () => {
        error.textContent = '';
        try {
          await moveEntry(project, e.id, select.value);
          await refresh();
        } catch (err) {
          error.textContent = errorText(err);
        }
      } }, t('shell.files.moveHere')), el('button', { type: 'button', class: 'small', onclick: () => restore(move) }, t('shell.cancel')));
      select.focus();
    };

    const deleting = () => {
      error.textContent = '';
      editing();
      const question = named('shell.files.deleteQuestion');
      const yes = el('button', { type: 'button', class: 'small danger', onclick: async () => {
        try {
          await deleteEntry(project, e.id);
          await refresh();
        } catch (err) {
          error.textContent = errorText(err);
          restore(remove);
        }
      } }, t('shell.files.deleteConfirm'));
      actions.replaceChildren(el('span', { class: 'confirm', role: 'group', 'aria-label': question }, el('span', {}, question), yes,
        el('button', { type: 'button', class: 'small', onclick: () => restore(remove) }, t('shell.cancel'))));
      yes.focus();
    };

    return item;
  };

  const send = async (files: File[]) => {
    await Promise.all(files.map(async (file) => {
      const bar = el('progress', { max: '1', value: '0', 'aria-label': t('shell.files.uploading').replace('{0}', file.name) }) as HTMLProgressElement;
      const status = el('span', { class: 'note' }, t('shell.files.uploading').replace('{0}', file.name));
      const item = el('li', { class: 'upload', 'data-name': file.name }, status, bar);
      uploads.append(item);
      try {
        await uploadFile(project, folder, file, (f) => { bar.value = f; });
        bar.value = 1;
        item.dataset.done = 'true';
        status.textContent = t('shell.files.uploaded').replace('{0}', file.name);
        setTimeout(() => item.remove(), 4000);
      } catch (err) {
        item.dataset.failed = 'true';
        bar.remove();
        status.className = 'field-error';
        status.setAttribute('role', 'alert');
        status.textContent = `${file.name}: ${errorText(err)}`;
      }
    }));
    await refresh();
  };

  const picker = el('input', { type: 'file', id: 'upload-input', multiple: true, class: 'sr-only', tabindex: '-1', 'aria-hidden': 'true',
    onchange: () => {
      const files = [...(picker.files ?? [])];
      picker.value = '';
      if (files.length) void send(files);
    } }) as HTMLInputElement;
  const drop = el('div', { id: 'file-drop', class: 'file-drop' },
    el('p', { class: 'note drop-hint' }, t('shell.files.dropHint')), list);
  drop.addEventListener('dragover', (ev) => {
    if (!ev.dataTransfer?.types.includes('Files')) return;
    ev.preventDefault();
    drop.classList.add('dragging');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
  drop.addEventListener('drop', (ev) => {
    ev.preventDefault();
    drop.classList.remove('dragging');
    const files = [...(ev.dataTransfer?.files ?? [])];
    if (files.length) void send(files);
  });

  const newFolder = form({
    id: 'new-folder',
    fields: [{ name: 'name', label: t('shell.files.folderName') }],
    submit: t('shell.files.newFolder'),
    onSubmit: async (v) => {
      await createFolder(project, folder, v.name);
      (newFolder.elements.namedItem('name') as HTMLInputElement).value = '';
      await refresh();
    },
  });
  newFolder.classList.add('inline-form');

  const quotaForm = admin ? quotaControl(project, showQuota) : undefined;
  // Followed before the list is read: nothing written meanwhile is missed.
  const following = live?.follow([filesTopic(project)], (_topic, event, data) => void changed(event, data), () => void refresh());
  crumbs = await breadcrumbs(project, projectName, folder);
  pathIds = pathOf(crumbs);
  await refresh();
  const page = el('section', { class: 'shell-page wide files-page', id: 'files' },
    el('h1', {}, `${t('shell.files')} · ${projectName}`),
    crumbs,
    el('div', { class: 'quota', id: 'files-quota' }, el('p', {}, quotaText, meter), ...(quotaForm ? [quotaForm.element] : [])),
    el('div', { class: 'files-toolbar' },
      el('button', { type: 'button', id: 'upload-button', class: 'primary', onclick: () => picker.click() }, t('shell.files.upload')),
      picker, newFolder),
    uploads, general, drop);
  // Once the node confirmed the subscription, changes by others show here (data-live says so).
  following?.then(() => { page.dataset.live = 'true'; }, () => {});
  return page;
}

/**
 * The project's quota for its admins: a size in GiB, the unit it is shown in (0: the node's default) set with SetQuota; the
 * node's refusal shows beside the field, what was typed kept.
 */
function quotaControl(project: string, shown: (q: Quota) => void): { element: HTMLElement; show: (q: Quota) => void } {
  const saved = el('p', { class: 'field-ok', role: 'status', id: 'quota-saved' });
  const f = form({
    id: 'quota-form',
    fields: [{ name: 'gigabytes', label: t('shell.files.quotaLimit'), type: 'number', aliases: ['quota_bytes', 'quotaBytes'],
      attrs: { min: '0', step: 'any', inputmode: 'decimal' } }],
    submit: t('shell.files.quotaSet'),
    onSubmit: async (v) => {
      saved.textContent = '';
      const quotaBytes = parseGiB(v.gigabytes); // empty: 0, the node's default
      if (quotaBytes === undefined) throw new ApiError(400, 'INVALID_ARGUMENT', t('shell.files.quotaNumber'), { field: 'gigabytes' });
      const q = await setQuota(project, quotaBytes);
      shown(q);
      saved.textContent = t('shell.files.quotaSaved');
    },
    extra: [el('p', { class: 'note', id: 'quota-help' }, t('shell.files.quotaHelp')), saved],
  });
  f.classList.add('inline-form', 'quota-form');
  const input = f.elements.namedItem('gigabytes') as HTMLInputElement;
  let filled = false;
  return {
    element: el('details', { class: 'quota-admin', id: 'quota-admin' }, el('summary', {}, t('shell.files.quotaChange')), f),
    // The field starts with the quota in force (the project's own, else empty: the node's default); later answers leave what is typed.
    show: (q) => {
      if (filled) return;
      filled = true;
      input.value = q.custom ? toGiB(q.quotaBytes) : '';
    },
  };
}

/** The ids of the folders a breadcrumb trail names. */
function pathOf(crumbs: HTMLElement): Set<string> {
  return new Set((crumbs.dataset.path ?? '').split(' ').filter(Boolean));
}

/** A folder or file icon, drawn (no emoji font is needed), hidden from screen readers. */
function icon(kind: 'folder' | 'file'): SVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', `entry-icon ${kind}`);
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', kind === 'folder' ? 'M1 3.5h5l1.5 1.5H15v8.5H1z' : 'M3 1h6l4 4v10H3z M9 1v4h4');
  svg.append(path);
  return svg;
}

/** Root › folder › … › this folder, each a link but the last. */
async function breadcrumbs(project: string, projectName: string, folder: string): Promise<HTMLElement> {
  const path: FileEntry[] = [];
  for (let id = folder; id && path.length < 50;) {
    const e = await getEntry(project, id);
    path.unshift(e);
    id = e.parentId;
  }
  const items: Array<[string, string]> = [['', projectName], ...path.map((e): [string, string] => [e.id, e.name])];
  return el('nav', { class: 'breadcrumbs', 'aria-label': t('shell.files.path'), 'data-path': path.map((e) => e.id).join(' ') },
    el('ol', {}, ...items.map(([id, name], i) => el('li', {}, i === items.length - 1
      ? el('span', { 'aria-current': 'page' }, name)
      : el('a', { href: filesHref(project, id) }, name)))));
}

/** Every folder of the project as [id, "a / b / c"], leaving out `skip` and what is below it (a folder cannot move into itself). */
async function allFolders(project: string, skip: string): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  const queue: Array<[string, string]> = [['', '']];
  while (queue.length && out.length < 500) {
    const [id, path] = queue.shift()!;
    for (const e of await listFolder(project, id)) {
      if (e.kind !== 'FOLDER' || e.id === skip) continue;
      const p = path ? `${path} / ${e.name}` : e.name;
      out.push([e.id, p]);
      queue.push([e.id, p]);
    }
  }
  return out;
}
