// The node's files calls (hearth.files.v1, docs/files.md) the shell makes, each behind one small
// function, like tenancy.ts. Every one is a project call: any member may list, upload, rename,
// move and delete, admins of the project also set its quota; the node refuses anyone else.
import { call, download, rpc, upload } from './api';
import { t } from './prefs';
import { formatBytes, unitsOf } from './sizes';

export interface FileEntry {
  id: string; parentId: string; name: string; kind: 'FOLDER' | 'FILE'; size: number; contentType: string;
  sha256: string; createdBy: string; updatedAtMicros: string;
}
export interface Quota { quotaBytes: number; usedBytes: number; maxFileBytes: number; custom: boolean }

const enc = encodeURIComponent;
const base = (project: string) => `/v1/projects/${enc(project)}`;

function entry(e: any): FileEntry {
  return { ...e, parentId: e.parentId ?? '', kind: e.kind === 'FOLDER' ? 'FOLDER' : 'FILE', size: Number(e.size ?? 0) };
}

/** Every entry of a folder ('' = the root), all pages. */
export async function listFolder(project: string, parent: string): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  let token = '';
  do {
    const q = new URLSearchParams({ parentId: parent, pageSize: '500', ...(token ? { pageToken: token } : {}) });
    const r = await call<{ entries?: any[]; nextPageToken?: string }>('GET', `${base(project)}/files?${q}`);
    out.push(...(r.entries ?? []).map(entry));
    token = r.nextPageToken ?? '';
  } while (token);
  return out;
}

export async function getEntry(project: string, id: string): Promise<FileEntry> {
  return entry(await call('GET', `${base(project)}/files/${enc(id)}`));
}

export async function createFolder(project: string, parent: string, name: string): Promise<FileEntry> {
  return entry(await call('POST', `${base(project)}/folders`, { projectId: project, parentId: parent, name }));
}

export async function renameEntry(project: string, id: string, name: string): Promise<FileEntry> {
  return entry(await call('POST', `${base(project)}/files/${enc(id)}/rename`, { projectId: project, id, name }));
}

export async function moveEntry(project: string, id: string, parent: string): Promise<FileEntry> {
  return entry(await call('POST', `${base(project)}/files/${enc(id)}/move`, { projectId: project, id, parentId: parent }));
}

export function deleteEntry(project: string, id: string): Promise<unknown> {
  return call('DELETE', `${base(project)}/files/${enc(id)}`);
}

function quotaOf(q: any): Quota {
  return { quotaBytes: Number(q.quotaBytes ?? 0), usedBytes: Number(q.usedBytes ?? 0), maxFileBytes: Number(q.maxFileBytes ?? 0), custom: Boolean(q.custom) };
}

export async function quota(project: string): Promise<Quota> {
  return quotaOf(await call<any>('GET', `${base(project)}/files-quota`));
}

/** Sets the project's quota (0: the node's default); admins of the project only (the node refuses others). */
export async function setQuota(project: string, quotaBytes: number): Promise<Quota> {
  return quotaOf(await rpc<any>('hearth.files.v1.FileService/SetQuota', { projectId: project, quotaBytes: String(quotaBytes) }, project));
}

/** Uploads one file into a folder, its bytes as the raw body (the node streams them). */
export async function uploadFile(project: string, folder: string, file: File, progress?: (f: number) => void, name = file.name): Promise<FileEntry> {
  return entry(await upload(project, name, folder, file, progress));
}

export function fileContent(project: string, id: string): Promise<Blob> {
  return download(project, id);
}

/** Bytes as people read them, in the binary units the node counts in (sizes.ts): 1.2 MiB. */
export function bytes(n: number | string, lang: string): string {
  return formatBytes(n, lang, unitsOf(t('shell.units.bytes')));
}
