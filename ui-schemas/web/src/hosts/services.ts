// What host elements need from the shell while a page is open: calls to the node in the page's
// project, who the reader is, the shell's strings, and the page's realtime events. The page sets it
// (page.ts) before it renders; nothing here runs at import, so scripts/card-schema.mjs can load the
// elements in Node without a browser.
import { forgetReads } from '../reads';

/** A realtime event of one of the page's topics; a listener returns true when it applied it. */
export type LiveListener = (topic: string, event: string, data: Record<string, unknown>) => boolean;

export interface HostServices {
  /** Calls `package.Service/Method` in the page's project. */
  rpc<T = any>(method: string, request: object): Promise<T>;
  /** The reader's user id. */
  user: string;
  /** A shell string in the reader's language. */
  t(key: string): string;
  /** An error as the shell shows it: the node's code and message. */
  describe(e: unknown): string;
  /** The open page's parameters (a search result opens a channel with `message`: the one to show). */
  params?: Record<string, string>;
  /** Uploads a file to the page's project (its root folder); answers its entry. */
  upload?(file: Blob, name: string): Promise<FileEntry>;
  /** A file of the page's project: its bytes, as the reader's role allows. */
  download?(fileId: string): Promise<Blob>;
  /**
   * A picture stored as a file of a project (a person's avatar) as a URL an <img> can show, or
   * undefined when the reader may not see it. Absent outside the shell.
   */
  picture?(projectId: string, fileId: string): Promise<string | undefined>;
  /** Follows these topics besides the page's while it is open (a video room's signal topic). */
  follow?(topics: string[]): void;
  /** Resolves once a followed topic is live (the node confirmed the subscription). */
  whenLive?(topic: string): Promise<void>;
}

/** A file as hearth.files.v1.FileService answers it (proto3 JSON). */
export interface FileEntry { id: string; name: string; size?: string; contentType?: string; sha256?: string }

let current: HostServices | undefined;
/** Aborted when the page's services change or it closes: listeners on document or window go with it. */
let scope = new AbortController();
const listeners = new Set<LiveListener>();
/** What elements do when their page closes (a video room leaves). */
const closers = new Set<() => void>();
/** State an element keeps across re-renders of the same page (a timeline's loaded history). */
const kept = new Map<string, unknown>();

export function useHostServices(services: HostServices | undefined): void {
  current = services;
  forgetReads();
  scope.abort();
  scope = new AbortController();
  if (!services) {
    for (const close of closers) close();
    closers.clear();
    listeners.clear();
    kept.clear();
  }
}

/**
 * The open page's signal: an element adding a listener to document or window passes it
 * (`{ signal: pageSignal() }`), so the listener goes when the page does.
 */
export function pageSignal(): AbortSignal {
  return scope.signal;
}

export function hostServices(): HostServices | undefined {
  return current;
}

export function onLive(listener: LiveListener): void {
  listeners.add(listener);
}

/** Runs `close` when the page closes. */
export function onPageClose(close: () => void): void {
  closers.add(close);
}

/** Offers an event to the elements on the page; true when one of them applied it (no reload needed). */
export function offerLive(topic: string, event: string, data: Record<string, unknown>): boolean {
  forgetReads(); // what an element fetches in answer to the event must be fresh (reads.ts)
  let applied = false;
  for (const l of listeners) applied = l(topic, event, data) || applied;
  return applied;
}

/** The state kept under `key` on this page, made by `create` the first time. */
export function keep<T>(key: string, create: () => T): T {
  if (!kept.has(key)) kept.set(key, create());
  return kept.get(key) as T;
}
