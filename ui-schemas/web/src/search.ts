// Message search in the bar (chat's SearchMessages, in the open project): a search field, and its
// results in a panel under the bar — channel, author, time and the text with the words marked. A
// result opens its channel with `message=<id>` (a reply: its thread's first message), and the page's Hearth.Timeline loads
// history back to that message, scrolls to it and highlights it. Escape or a click elsewhere closes
// the panel; focus goes back to the field.
import './search.css';
import { rpc } from './api';
import { el } from './dom';
import { errorText } from './forms';
import { t } from './prefs';
import { go } from './router';
import { channels, listMembers } from './tenancy';

interface Found { id: string; channelId: string; authorId: string; text: string; threadRootId?: string; createdAtMicros: string }

export class MessageSearch {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly panel = el('section', { id: 'search-results', class: 'search-results', 'aria-label': t('shell.search.results') });
  private project = '';
  private generation = 0;

  constructor() {
    this.input = el('input', { id: 'search-input', type: 'search', placeholder: t('shell.search.placeholder'), autocomplete: 'off',
      enterkeyhint: 'search', 'aria-controls': 'search-results' }) as HTMLInputElement;
    this.panel.hidden = true;
    this.element = el('form', { id: 'chat-search', class: 'chat-search', role: 'search', onsubmit: (e: Event) => {
      e.preventDefault();
      void this.search();
    } }, el('label', { for: 'search-input', class: 'sr-only' }, t('shell.search.label')), this.input, this.panel);
    this.element.hidden = true;
    this.element.addEventListener('keydown', (e) => {
      if ((e as KeyboardEvent).key === 'Escape' && !this.panel.hidden) {
        this.close();
        this.input.focus();
      }
    });
    document.addEventListener('click', (e) => { if (!this.element.contains(e.target as Node)) this.close(); });
  }

  /** The open project ('' hides the field: search is per project). */
  setProject(project: string): void {
    if (project !== this.project) this.close();
    this.project = project;
    this.element.hidden = !project;
  }

  close(): void {
    this.panel.hidden = true;
    this.generation++;
  }

  private async search(): Promise<void> {
    const query = this.input.value.trim();
    if (!query || !this.project) return;
    const mine = ++this.generation;
    const project = this.project;
    this.panel.hidden = false;
    this.panel.replaceChildren(el('p', { class: 'note', role: 'status' }, t('shell.search.searching')));
    try {
      const [found, chans, people] = await Promise.all([
        rpc<{ messages?: Found[] }>('hearth.chat.v1.ChatService/SearchMessages', { query, limit: 30 }, project),
        channels(project).catch(() => []),
        listMembers(project).catch(() => []),
      ]);
      if (mine !== this.generation) return;
      const channelName = new Map(chans.map((c) => [c.id, c.kind === 'DIRECT' ? t('shell.search.direct') : `#${c.name}`]));
      const name = new Map(people.map((p) => [p.userId, p.displayName]));
      const messages = found.messages ?? [];
      const words = query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2);
      this.panel.replaceChildren(
        el('p', { class: 'search-title', role: 'status' }, t(messages.length ? 'shell.search.count' : 'shell.search.none')
          .replace('{0}', String(messages.length)).replace('{1}', query)),
        ...(messages.length ? [el('ul', { class: 'search-list' }, ...messages.map((m) => el('li', {},
          el('button', { type: 'button', class: 'search-result', 'data-message': m.id, onclick: () => this.open(project, m) },
            el('span', { class: 'search-meta' },
              el('strong', {}, channelName.get(m.channelId) ?? t('shell.search.channel')), ' · ',
              name.get(m.authorId) ?? `@${m.authorId.slice(-6)}`, ' · ',
              new Date(Number(m.createdAtMicros) / 1000).toLocaleString(document.documentElement.lang || undefined,
                { dateStyle: 'medium', timeStyle: 'short' })),
            marked(m.text, words)))))] : []));
      (this.panel.querySelector('.search-result') as HTMLElement | null)?.focus();
    } catch (e) {
      if (mine !== this.generation) return;
      this.panel.replaceChildren(el('p', { class: 'field-error', role: 'alert' }, errorText(e)));
    }
  }

  private open(project: string, m: Found): void {
    this.close();
    // A reply is shown through its thread's first message, which the channel's timeline holds.
    go({ project, module: 'chat', page: 'channel', params: { channelId: m.channelId, message: m.threadRootId || m.id } });
  }
}

/** The message's text (at most 200 characters around the first match), the query's words in <mark>. */
function marked(text: string, words: string[]): HTMLElement {
  const lower = text.toLowerCase();
  const first = Math.min(...words.map((w) => lower.indexOf(w)).filter((i) => i >= 0), text.length);
  const start = Math.max(0, Math.min(first - 60, text.length - 200));
  const shown = (start > 0 ? '…' : '') + text.slice(start, start + 200) + (start + 200 < text.length ? '…' : '');
  const out = el('span', { class: 'search-text' });
  if (!words.length) {
    out.textContent = shown;
    return out;
  }
  const pattern = new RegExp(`(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'giu');
  for (const [i, part] of shown.split(pattern).entries()) out.append(i % 2 ? el('mark', {}, part) : part);
  return out;
}
