// Attachments of chat messages, both ends: the tray of Hearth.Composer (files picked with its
// button, dropped on it or pasted into it are uploaded to the project's files at once, and their
// ids go with the next post), and what Hearth.Timeline shows under a message (an image as a
// thumbnail, any other file as a download button). Files are the node's project files
// (docs/files.md): uploaded and downloaded with the reader's own token, so a file shows only to
// those who may read it, and an image is shown from a blob: URL (the shell's CSP allows those).
import './compose.css';
import { formatBytes, unitsOf } from '../sizes';
import type { FileEntry, HostServices } from './services';

const GET_FILE = 'hearth.files.v1.FileService/Get';
/** Chat allows this many attachments per message (docs/chat.md). */
export const MAX_ATTACHMENTS = 10;

interface Pending { name: string; entry?: FileEntry; error?: string; node: HTMLElement }

/** The files waiting to go with the next message, and the controls that add them. */
export class AttachmentTray {
  readonly button: HTMLElement;
  readonly list = document.createElement('ul');
  private readonly pending: Pending[] = [];

  constructor(private readonly services: HostServices, form: HTMLElement, area: HTMLTextAreaElement, id: string,
      private readonly changed: () => void) {
    const t = services.t;
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.id = `${id}-file`;
    input.className = 'hearth-attach-input';
    input.addEventListener('change', () => {
      this.add([...(input.files ?? [])]);
      input.value = '';
    });
    const label = document.createElement('label');
    label.htmlFor = input.id;
    label.className = 'hearth-attach-button';
    label.title = t('shell.chat.attach');
    label.textContent = t('shell.chat.attach');
    // A label is not focusable: the input (visually hidden, still in the tab order) takes the focus
    // and Enter/Space open the picker; the label shows its focus ring.
    const wrap = document.createElement('span');
    wrap.className = 'hearth-attach';
    wrap.append(input, label);
    this.button = wrap;
    this.list.className = 'hearth-attach-list';
    this.list.setAttribute('aria-label', t('shell.chat.attachments'));
    this.list.hidden = true;

    form.addEventListener('dragover', (e) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      form.classList.add('hearth-drop-target');
    });
    form.addEventListener('dragleave', (e) => {
      if (!form.contains(e.relatedTarget as Node | null)) form.classList.remove('hearth-drop-target');
    });
    form.addEventListener('drop', (e) => {
      form.classList.remove('hearth-drop-target');
      const files = [...(e.dataTransfer?.files ?? [])];
      if (!files.length) return;
      e.preventDefault();
      this.add(files);
    });
    area.addEventListener('paste', (e) => {
      const files = [...(e.clipboardData?.files ?? [])];
      if (!files.length) return; // plain text pastes as usual
      e.preventDefault();
      this.add(files.map((f) => f.type.startsWith('image/') && /^image\.\w+$/.test(f.name || 'image.png') ? renamed(f) : f));
    });
  }

  /** Ids of the uploaded files, in the order added. */
  ids(): string[] {
    return this.pending.flatMap((p) => (p.entry ? [p.entry.id] : []));
  }

  /** An upload is still running: the post waits for it. */
  busy(): boolean {
    return this.pending.some((p) => !p.entry && !p.error);
  }

  /** After a post: the tray is empty again. */
  clear(): void {
    this.pending.splice(0).forEach((p) => p.node.remove());
    this.list.hidden = true;
    this.changed();
  }

  add(files: File[]): void {
    const t = this.services.t;
    for (const file of files) {
      const p: Pending = { name: file.name || 'file', node: document.createElement('li') };
      if (this.pending.length >= MAX_ATTACHMENTS) {
        p.error = t('shell.chat.attachTooMany').replace('{0}', String(MAX_ATTACHMENTS));
      }
      this.pending.push(p);
      this.list.append(p.node);
      this.list.hidden = false;
      this.draw(p);
      if (!p.error) void this.upload(p, file);
    }
    this.changed();
  }

  private async upload(p: Pending, file: File): Promise<void> {
    try {
      if (!this.services.upload) throw new Error(this.services.t('shell.chat.attachUnavailable'));
      p.entry = await uploadUnique(this.services, file, p.name);
    } catch (e) {
      p.error = this.services.describe(e);
    }
    this.draw(p);
    this.changed();
  }

  private draw(p: Pending): void {
    const t = this.services.t;
    p.node.className = 'hearth-attach-item';
    p.node.dataset.state = p.error ? 'error' : p.entry ? 'ready' : 'uploading';
    const name = document.createElement('span');
    name.className = 'hearth-attach-name';
    name.textContent = p.name;
    const state = document.createElement('span');
    state.className = p.error ? 'hearth-field-error' : 'hearth-attach-state';
    state.textContent = p.error ?? (p.entry ? size(Number(p.entry.size ?? 0), t) : t('shell.chat.uploading'));
    if (p.error) state.setAttribute('role', 'alert');
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'hearth-attach-remove';
    remove.textContent = '×';
    remove.setAttribute('aria-label', t('shell.chat.attachRemove').replace('{0}', p.name));
    remove.addEventListener('click', () => {
      this.pending.splice(this.pending.indexOf(p), 1);
      p.node.remove();
      this.list.hidden = this.pending.length === 0;
      this.changed();
    });
    p.node.replaceChildren(name, state, remove);
  }
}

/** Uploads under the file's name; a name already taken in the project's root gets a short suffix. */
async function uploadUnique(services: HostServices, file: Blob, name: string): Promise<FileEntry> {
  for (let attempt = 0; ; attempt++) {
    const tried = attempt === 0 ? name : suffixed(name, Math.random().toString(36).slice(2, 7));
    try {
      return await services.upload!(file, tried);
    } catch (e) {
      if ((e as { code?: string }).code !== 'ALREADY_EXISTS' || attempt >= 3) throw e;
    }
  }
}

function suffixed(name: string, suffix: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${suffix})${name.slice(dot)}` : `${name} (${suffix})`;
}

/** A pasted image comes as "image.png": named by the time it was pasted instead. */
function renamed(f: File): File {
  const ext = f.type.split('/')[1]?.replace(/[^a-z0-9]/gi, '') || 'png';
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return new File([f], `pasted-${stamp}.${ext}`, { type: f.type });
}

/** A file's size in the binary units the node counts in (sizes.ts), in the page's language. */
export function size(bytes: number, t: (key: string) => string): string {
  return formatBytes(bytes, document.documentElement.lang, unitsOf(t('shell.units.bytes')));
}

/** Entries and image URLs by file id, while the page is open (a re-render does not fetch them again). */
const entries = new Map<string, Promise<FileEntry>>();
const images = new Map<string, Promise<string>>();

/** A message's attachments as the timeline shows them: images as thumbnails, other files as download buttons. */
export function attachmentsView(services: HostServices, ids: string[]): HTMLElement {
  const box = document.createElement('ul');
  box.className = 'hearth-attachments';
  box.setAttribute('aria-label', services.t('shell.chat.attachments'));
  for (const id of ids) {
    const item = document.createElement('li');
    item.className = 'hearth-attachment';
    item.dataset.fileId = id;
    item.textContent = '…';
    box.append(item);
    void fill(services, item, id);
  }
  return box;
}

async function fill(services: HostServices, item: HTMLElement, id: string): Promise<void> {
  const t = services.t;
  let entry: FileEntry;
  try {
    if (!entries.has(id)) entries.set(id, services.rpc<FileEntry>(GET_FILE, { id }));
    entry = await entries.get(id)!;
  } catch (e) {
    entries.delete(id);
    item.className = 'hearth-attachment hearth-attachment-missing';
    item.textContent = `${t('shell.chat.attachmentMissing')} (${services.describe(e)})`;
    return;
  }
  const download = document.createElement('button');
  download.type = 'button';
  download.className = 'hearth-attachment-download';
  // Seen: "name · size"; heard: "Download name · size" (the visible text stays part of the name).
  const verb = document.createElement('span');
  verb.className = 'sr-only';
  verb.textContent = `${t('shell.chat.download')} `;
  download.append(verb, `${entry.name} · ${size(Number(entry.size ?? 0), t)}`);
  const error = document.createElement('span');
  error.className = 'hearth-field-error';
  error.setAttribute('role', 'alert');
  download.addEventListener('click', () => {
    error.textContent = '';
    void save(services, entry).catch((e) => { error.textContent = services.describe(e); });
  });
  const image = (entry.contentType ?? '').startsWith('image/') && !/svg/i.test(entry.contentType ?? '');
  item.replaceChildren();
  item.dataset.kind = image ? 'image' : 'file';
  if (image) {
    const img = document.createElement('img');
    img.className = 'hearth-attachment-thumb';
    img.alt = entry.name;
    img.decoding = 'async';
    item.append(img);
    try {
      if (!images.has(id)) images.set(id, services.download!(id).then((b) => URL.createObjectURL(b)));
      img.src = await images.get(id)!;
    } catch (e) {
      images.delete(id);
      img.replaceWith(Object.assign(document.createElement('span'), { className: 'hearth-field-error', textContent: services.describe(e) }));
    }
  }
  item.append(download, error);
}

/** Saves a file as the browser saves a download, under its name. */
async function save(services: HostServices, entry: FileEntry): Promise<void> {
  const blob = await services.download!(entry.id);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = entry.name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
