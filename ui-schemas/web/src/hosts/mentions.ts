// `@` autocomplete for Hearth.Composer: typing `@` and the start of a name (after a space or at the
// start) lists the people who match, by display name; ArrowUp/ArrowDown move, Enter or Tab picks,
// Escape closes. A pick writes `@Display Name ` into the text and remembers who it was, and the
// message is posted with the ids of those whose `@Name` is still in the text (`mentionUserIds`):
// the node counts and announces mentions by id, never by parsing the text.
import { pageSignal } from './services';
import type { HostServices } from './services';

export interface MentionOptions {
  /** Answers {members: [{userId, displayName}]}: who can be named. */
  mentionsRpc: string;
  /** Optional: answers {members: [{userId}]} for {channelId}: only they are offered. */
  membersRpc: string;
  channelId: string;
}

interface Person { userId: string; name: string }

export interface Mentions {
  /** The ids of the people picked whose `@Name` is still in `text`. */
  ids(text: string): string[];
  /** After a send: forget the picks. */
  reset(): void;
  /** The list, placed after the text box. */
  element: HTMLElement;
}

let lists = 0;

export function attachMentions(services: HostServices, area: HTMLTextAreaElement, o: MentionOptions): Mentions {
  const t = services.t;
  const id = `hearth-mentions-${++lists}`;
  const list = document.createElement('ul');
  list.className = 'hearth-mentions';
  list.id = id;
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', t('shell.chat.mentionList'));
  list.hidden = true;
  area.setAttribute('aria-autocomplete', 'list');
  area.setAttribute('aria-controls', id);

  let people: Promise<Person[]> | undefined;
  const load = (): Promise<Person[]> => people ??= (async () => {
    const [all, members] = await Promise.all([
      services.rpc<{ members?: Array<{ userId: string; displayName?: string }> }>(o.mentionsRpc, {}),
      o.membersRpc ? services.rpc<{ members?: Array<{ userId: string }> }>(o.membersRpc, { channelId: o.channelId }) : undefined,
    ]);
    const inChannel = members ? new Set((members.members ?? []).map((m) => m.userId)) : undefined;
    return (all.members ?? [])
      .filter((m) => m.userId !== services.user && m.displayName && (!inChannel || inChannel.has(m.userId)))
      .map((m) => ({ userId: m.userId, name: m.displayName! }))
      .sort((a, b) => a.name.localeCompare(b.name));
  })().catch((e) => { people = undefined; console.warn('mentions: members not loaded', e); return []; });

  const picked = new Map<string, string>(); // name → userId
  let shown: Person[] = [];
  let active = 0;
  let start = -1; // where the `@` is

  const close = (): void => {
    list.hidden = true;
    shown = [];
    start = -1;
      area.removeAttribute('aria-activedescendant');
  };
  const highlight = (i: number): void => {
    active = (i + shown.length) % shown.length;
    [...list.children].forEach((li, n) => li.setAttribute('aria-selected', String(n === active)));
    area.setAttribute('aria-activedescendant', `${id}-${active}`);
    list.children[active]?.scrollIntoView({ block: 'nearest' });
  };
  const choose = (p: Person): void => {
    const caret = area.selectionStart;
    const before = area.value.slice(0, start);
    const after = area.value.slice(caret);
    const inserted = `@${p.name} `;
    area.value = before + inserted + after.replace(/^ /, '');
    const at = before.length + inserted.length;
    area.setSelectionRange(at, at);
    picked.set(p.name, p.userId);
    close();
    area.focus();
  };
  const update = async (): Promise<void> => {
    const caret = area.selectionStart;
    const text = area.value.slice(0, caret);
    const m = /(^|\s)@([^\s@]*(?: [^\s@]*)?)$/.exec(text);
    if (!m || area.selectionEnd !== caret) { close(); return; }
    const query = m[2].toLowerCase();
    const at = caret - m[2].length - 1;
    const everyone = await load();
    if (area.selectionStart !== caret || area.value.slice(0, caret) !== text) return; // typed on meanwhile
    shown = everyone.filter((p) => p.name.toLowerCase().startsWith(query)
      || p.name.toLowerCase().split(/\s+/).some((w) => w.startsWith(query))).slice(0, 8);
    if (!shown.length) { close(); return; }
    start = at;
    list.replaceChildren(...shown.map((p, i) => {
      const li = document.createElement('li');
      li.id = `${id}-${i}`;
      li.setAttribute('role', 'option');
      li.dataset.userId = p.userId;
      li.textContent = p.name;
      li.addEventListener('mousedown', (e) => { e.preventDefault(); choose(p); });
      return li;
    }));
    list.hidden = false;
    highlight(0);
  };

  area.addEventListener('input', () => void update());
  // Closed when the focus goes elsewhere, not when a re-render of the card moves the box (focus on body).
  area.addEventListener('blur', () => setTimeout(() => {
    const now = document.activeElement;
    if (now && now !== area && now !== document.body) close();
  }, 150));
  document.addEventListener('pointerdown', (e) => {
    if (!list.hidden && e.target !== area && !list.contains(e.target as Node)) close();
  }, { capture: true, signal: pageSignal() });
  area.addEventListener('keydown', (e) => {
    if (list.hidden || !shown.length) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      highlight(active + (e.key === 'ArrowDown' ? 1 : -1));
    } else if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
      choose(shown[active]);
    } else if (e.key === 'Escape') {
      close();
    } else {
      return;
    }
    e.preventDefault();
    e.stopImmediatePropagation(); // not a send, not leaving the box
  });

  return {
    element: list,
    ids: (text) => [...picked].filter(([name]) => text.includes(`@${name}`)).map(([, userId]) => userId)
      .filter((u, i, all) => all.indexOf(u) === i),
    reset: () => picked.clear(),
  };
}

/** Marks `@Name` of each mentioned person in a rendered message (text outside code and links). */
export function highlightMentions(text: HTMLElement, names: string[]): void {
  const wanted = names.filter(Boolean).map((n) => `@${n}`);
  if (!wanted.length) return;
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!(n.parentElement?.closest('code, a'))) nodes.push(n as Text);
  }
  for (const node of nodes) {
    let rest: Text = node;
    for (;;) {
      const value = rest.data;
      const hits = wanted.map((w) => [value.indexOf(w), w] as const).filter(([i]) => i >= 0).sort((a, b) => a[0] - b[0]);
      if (!hits.length) break;
      const [at, w] = hits[0];
      const mark = rest.splitText(at);
      rest = mark.splitText(w.length);
      const span = document.createElement('span');
      span.className = 'hearth-mention';
      span.textContent = w;
      mark.replaceWith(span);
    }
  }
}
