// A person's avatar: their picture when they set one (a file of a project, auth.v1.Profile's
// avatar_file_id and avatar_project_id) and the reader may download it there, else their initials.
// The bytes come through the API with the reader's token (an <img src> could not send it) and are
// shown from a blob: URL, kept per file for the tab's life.
import { fileContent } from './filecalls';

const cache = new Map<string, Promise<string | undefined>>();

/** A blob: URL of the picture, or undefined when there is none or the reader may not see it. */
export function avatarUrl(projectId: string, fileId: string): Promise<string | undefined> {
  if (!projectId || !fileId) return Promise.resolve(undefined);
  const key = `${projectId}/${fileId}`;
  let url = cache.get(key);
  if (!url) {
    url = fileContent(projectId, fileId).then((b) => URL.createObjectURL(b)).catch(() => undefined);
    cache.set(key, url);
  }
  return url;
}

export function initials(name: string): string {
  return name.split(/[\s@.]+/).filter(Boolean).slice(0, 2).map((w) => w[0]!.toUpperCase()).join('') || '?';
}

/** Fills `holder` (its text: the initials) with the picture once it is loaded. */
export function showAvatar(holder: HTMLElement, projectId: string, fileId: string): void {
  void avatarUrl(projectId, fileId).then((src) => {
    if (!src) return;
    const img = document.createElement('img');
    img.src = src;
    img.alt = '';
    img.className = 'avatar-img';
    holder.replaceChildren(img);
    holder.classList.add('has-picture');
  });
}
