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

/** True when `method` (`package.Service/Method`) is a read by the API's naming convention. */
export function isRead(method: string): boolean {
  return READ.test(method);
}

/** `send()`'s answer, or the answer of the same read made less than SHARED_MS ago (or still in flight). */
export function sharedRead<T>(method: string, request: unknown, send: () => Promise<T>, now = Date.now()): Promise<T> {
  if (!isRead(method)) return send();
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
