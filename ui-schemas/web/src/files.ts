// The project's files (task 22): a folder's entries with breadcrumbs, new folders, uploads by button
// or drag and drop with progress, rename, move (to a folder picked from the project's folders),
// delete (after an inline confirmation), download, and the project's quota. The shell's own page:
// file contents are bytes and drag and drop is the browser's, which a card cannot express. Any member
// may do each of these (hearth.files.v1: PROJECT_USER); the node refuses everyone else.
import { el } from './dom';
import { errorText, form } from './forms';
import { locale, t } from './prefs';
import {
  bytes, createFolder, deleteEntry, fileContent, getEntry, listFolder, moveEntry, quota, renameEntry, uploadFile,
} from './filecalls';
import type { FileEntry } from './filecalls';

/** Where a folder of a project opens ('' = the root). */
export function filesHref(project: string, folder = ''): string {
  return `#/p/${encodeURIComponent(project)}/~/files${folder ? '/' + encodeURIComponent(folder) : ''}`;
}

export async function filesPage(project: string, projectName: string, folder: string): Promise<HTMLElement> {
  const lang = locale();
  const list = el('ul', { id: 'file-list', class: 'file-list', 'aria-label': t('shell.files.entries') });
  const quotaText = el('span', { id: 'files-quota-text' });
  const meter = el('meter', { id: 'files-quota-meter', min: '0', max: '1', value: '0', 'aria-labelledby': 'files-quota-text' }) as HTMLMeterElement;
  const uploads = el('ul', { id: 'uploads', class: 'uploads', 'aria-live': 'polite' });
  const general = el('p', { class: 'field-error', role: 'alert', id: 'files-error' });

  const refresh = async () => {
    general.textContent = '';
    try {
      const [entries, q] = await Promise.all([listFolder(project, folder), quota(project)]);
      // Folders first, then files, each by name.
      entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name, lang) : a.kind === 'FOLDER' ? -1 : 1));
      list.replaceChildren(...(entries.length ? entries.map((e) => row(e)) : [el('li', { class: 'note empty' }, t('shell.files.empty'))]));
      quotaText.textContent = t('shell.files.quota').replace('{0}', bytes(q.usedBytes, lang)).replace('{1}', bytes(q.quotaBytes, lang));
      meter.value = q.quotaBytes ? Math.min(1, q.usedBytes / q.quotaBytes) : 0;
      quotaText.dataset.used = String(q.usedBytes);
      quotaText.dataset.limit = String(q.quotaBytes);
    } catch (e) {
      general.textContent = errorText(e);
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
    const restore = (focus: HTMLElement) => { actions.replaceChildren(...buttons); focus.focus(); };

    const renaming = () => {
      error.textContent = '';
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

    return el('li', { class: 'file-entry', 'data-id': e.id, 'data-kind': e.kind, 'data-name': e.name },
      name, meta, actions, error);
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

  const crumbs = await breadcrumbs(project, projectName, folder);
  await refresh();
  return el('section', { class: 'shell-page wide files-page', id: 'files' },
    el('h1', {}, `${t('shell.files')} · ${projectName}`),
    crumbs,
    el('p', { class: 'quota', id: 'files-quota' }, quotaText, meter),
    el('div', { class: 'files-toolbar' },
      el('button', { type: 'button', id: 'upload-button', class: 'primary', onclick: () => picker.click() }, t('shell.files.upload')),
      picker, newFolder),
    uploads, general, drop);
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
  return el('nav', { class: 'breadcrumbs', 'aria-label': t('shell.files.path') },
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
