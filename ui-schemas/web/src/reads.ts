// Reads shared within an open page. A channel page's card loads the project's members and the
// channel's members as data sources, and three of its host elements (members panel, timeline, typing,
// composer) ask the node for the same lists again as they render: a channel switch made the same
// ListProjectMembers call four times, in two rounds. Here a read — a method named Get…, List… or
// Search…, the API's convention for calls that change nothing — made while the same read (same method,
// same request) is in flight or was answered moments ago shares that answer.
//
// An answer is forgotten on every event the page receives (`forgetReads`, called before the page's
// elements hear the event, so what they fetch in answer is fresh), on every reload, when the page
// closes, and after SHARED_MS whatever happens. A failed read is forgotten at once.

/** How long an answer is shared at most: the time a page takes to render its elements. */
export const SHARED_MS = 5_000;

const READ = /\/(Get|List|Search)[A-Z]/;
const answers = new Map<string, { at: number; answer: Promise<unknown> }>();

/** A read as it was made: its method and request. */
export interface Read { method: string; request: unknown }
const recorders = new Set<Read[]>();

/** Notes every read made from now until the returned function is called, which answers them. */
export function recordReads(): () => Read[] {
  const reads: Read[] = [];
  recorders.add(reads);
  return () => {
    recorders.delete(reads);
    return reads;
  };
}

/** True when `method` (`package.Service/Method`) is a read by the API's naming convention. */
export function isRead(method: string): boolean {
  return READ.test(method);
}

/** `send()`'s answer, or the answer of the same read made less than SHARED_MS ago (or still in flight). */
export function sharedRead<T>(method: string, request: unknown, send: () => Promise<T>, now = Date.now()): Promise<T> {
  if (!isRead(method)) return send();
  for (const r of recorders) r.push({ method, request });
  const key = `${method} ${JSON.stringify(request ?? {})}`;
  const known = answers.get(key);
  // Each caller gets its own copy: one that sorts or edits what it got changes nothing of another's.
  if (known && now - known.at < SHARED_MS) return known.answer.then(copy) as Promise<T>;
  const answer = send();
  const entry = { at: now, answer };
  answers.set(key, entry);
  answer.catch(() => { if (answers.get(key) === entry) answers.delete(key); });
  return answer.then(copy);
}

/** Forgets every shared answer: the page heard an event, reloads or closed. */
export function forgetReads(): void {
  answers.clear();
}

function copy<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/**
 * The reads among `reads` that depend on nothing but the page's parameters, project and user, as
 * templates: each string equal to one of `vars`' values ({"params.channelId": "c1", "project": …})
 * becomes `${name}`. A read holding any other string or a list (ids taken from loaded data, such
 * as the people whose presence is asked) is left out: it cannot be foretold for other parameters.
 */
export function templatesOf(reads: Read[], vars: Record<string, string>): Read[] {
  const names = new Map<string, string>();
  for (const [name, value] of Object.entries(vars)) if (value && !names.has(value)) names.set(value, name);
  const out = new Map<string, Read>();
  for (const { method, request } of reads) {
    let foretold = true;
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') {
        const name = names.get(v);
        if (name === undefined) foretold = false;
        return name === undefined ? v : `\${${name}}`;
      }
      if (Array.isArray(v)) {
        foretold = false;
        return v;
      }
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, walk(x)]));
      return v;
    };
    const template = walk(request ?? {});
    if (foretold) out.set(`${method} ${JSON.stringify(template)}`, { method, request: template });
  }
  return [...out.values()];
}
