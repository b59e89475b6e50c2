// The emoji picker of Hearth.Timeline's reactions: a small dialog with a search box and a grid of
// common emoji, each named in English and Russian (the search matches either; the button's label is
// the reader's language). Keyboard: the search box takes focus, ArrowDown moves into the grid, the
// arrow keys move within it, Enter or Space picks, Escape closes and gives focus back to the opener.
import { pageSignal } from './services';
import type { HostServices } from './services';

/** [emoji, English name, Russian name]. */
export const EMOJI: ReadonlyArray<readonly [string, string, string]> = [
  ['👍', 'thumbs up', 'палец вверх'], ['👎', 'thumbs down', 'палец вниз'], ['😀', 'grinning', 'улыбка'],
  ['😂', 'tears of joy', 'слёзы радости'], ['🤣', 'rolling on the floor laughing', 'катаюсь от смеха'],
  ['😊', 'smiling', 'радость'], ['🙂', 'slight smile', 'лёгкая улыбка'], ['😉', 'wink', 'подмигивание'],
  ['😍', 'heart eyes', 'влюблённость'], ['😎', 'sunglasses', 'крутой'], ['🤔', 'thinking', 'размышление'],
  ['😮', 'surprised', 'удивление'], ['😅', 'sweat smile', 'неловкая улыбка'], ['😢', 'crying', 'грусть'],
  ['🙁', 'frown', 'огорчение'], ['😡', 'angry', 'злость'], ['😴', 'sleeping', 'сон'], ['🤯', 'mind blown', 'взрыв мозга'],
  ['🥳', 'party face', 'праздник'], ['🎉', 'tada', 'хлопушка'], ['❤️', 'heart', 'сердце'], ['🔥', 'fire', 'огонь'],
  ['👏', 'clap', 'аплодисменты'], ['🙏', 'thanks', 'спасибо'], ['🙌', 'raised hands', 'ура'], ['👀', 'eyes', 'глаза'],
  ['👌', 'ok hand', 'хорошо'], ['✌️', 'victory', 'победа'], ['👋', 'wave', 'привет'], ['💪', 'muscle', 'сила'],
  ['🤝', 'handshake', 'рукопожатие'], ['🤷', 'shrug', 'пожимаю плечами'], ['✅', 'check mark', 'галочка'],
  ['❌', 'cross mark', 'крестик'], ['⚠️', 'warning', 'внимание'], ['💯', 'hundred points', 'сто баллов'],
  ['🚀', 'rocket', 'ракета'], ['⭐', 'star', 'звезда'], ['✨', 'sparkles', 'блёстки'], ['💡', 'idea', 'идея'],
  ['📌', 'pushpin', 'булавка'], ['🐛', 'bug', 'баг'], ['☕', 'coffee', 'кофе'], ['🍕', 'pizza', 'пицца'],
  ['🎂', 'birthday cake', 'торт'], ['💬', 'speech balloon', 'реплика'], ['🔔', 'bell', 'колокольчик'], ['🏁', 'finish', 'финиш'],
];

const COLUMNS = 8;

/** The emoji's name in the reader's language (the emoji itself when unknown). */
export function emojiName(emoji: string): string {
  const e = EMOJI.find(([c]) => c === emoji);
  if (!e) return emoji;
  return russian() ? e[2] : e[1];
}

function russian(): boolean {
  return (document.documentElement.lang || '').toLowerCase().startsWith('ru');
}

let open: { close: () => void } | undefined;

/** Opens the picker next to `opener`; `pick` gets the chosen emoji. One picker at a time. */
export function openPicker(services: HostServices, opener: HTMLElement, pick: (emoji: string) => void): void {
  open?.close();
  const t = services.t;
  const dialog = document.createElement('div');
  dialog.className = 'hearth-picker';
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-label', t('shell.chat.pickerTitle'));
  const search = document.createElement('input');
  search.type = 'search';
  search.className = 'hearth-picker-search';
  search.setAttribute('aria-label', t('shell.chat.pickerSearch'));
  search.placeholder = t('shell.chat.pickerSearch');
  const grid = document.createElement('div');
  grid.className = 'hearth-picker-grid';
  grid.setAttribute('role', 'group');
  grid.setAttribute('aria-label', t('shell.chat.pickerTitle'));
  const none = document.createElement('p');
  none.className = 'hearth-picker-none';
  none.textContent = t('shell.chat.pickerNone');
  none.hidden = true;
  dialog.append(search, grid, none);

  let buttons: HTMLButtonElement[] = [];
  const fill = (): void => {
    const q = search.value.trim().toLowerCase();
    const shown = EMOJI.filter(([c, en, ru]) => !q || en.includes(q) || ru.includes(q) || c === q);
    buttons = shown.map(([c]) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'hearth-picker-emoji';
      b.textContent = c;
      b.setAttribute('aria-label', emojiName(c));
      b.title = emojiName(c);
      b.tabIndex = -1;
      b.addEventListener('click', () => { close(); pick(c); });
      return b;
    });
    if (buttons[0]) buttons[0].tabIndex = 0;
    grid.replaceChildren(...buttons);
    none.hidden = buttons.length > 0;
  };
  const focusAt = (i: number): void => {
    const b = buttons[Math.max(0, Math.min(buttons.length - 1, i))];
    if (!b) return;
    for (const x of buttons) x.tabIndex = -1;
    b.tabIndex = 0;
    b.focus();
  };
  search.addEventListener('input', fill);
  search.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); focusAt(0); }
    if (e.key === 'Enter') { e.preventDefault(); buttons[0]?.click(); }
  });
  grid.addEventListener('keydown', (e) => {
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0) return;
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS, Home: -i, End: buttons.length };
    if (e.key in moves) {
      e.preventDefault();
      if (e.key === 'ArrowUp' && i < COLUMNS) search.focus();
      else focusAt(i + moves[e.key]);
    }
  });
  const outside = (e: Event): void => {
    if (!dialog.contains(e.target as Node) && e.target !== opener && !opener.contains(e.target as Node)) close(false);
  };
  // Its listeners go when it closes, and it closes when the page does (pageSignal).
  const listening = new AbortController();
  const close = (refocus = true): void => {
    dialog.remove();
    listening.abort();
    opener.setAttribute('aria-expanded', 'false');
    if (open?.close === close) open = undefined;
    if (refocus && opener.isConnected) opener.focus();
  };
  dialog.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(); }
  });
  open = { close };
  fill();
  document.body.append(dialog);
  opener.setAttribute('aria-expanded', 'true');
  place(dialog, opener);
  document.addEventListener('pointerdown', outside, { capture: true, signal: listening.signal });
  pageSignal().addEventListener('abort', () => close(false), { signal: listening.signal });
  search.focus();
}

/** Below the opener (above when there is no room), inside the window; on a phone a sheet at the bottom (messages.css). */
function place(dialog: HTMLElement, opener: HTMLElement): void {
  const r = opener.getBoundingClientRect();
  const w = dialog.offsetWidth;
  const h = dialog.offsetHeight;
  const left = Math.max(8, Math.min(window.innerWidth - w - 8, r.left));
  const top = r.bottom + 4 + h > window.innerHeight ? Math.max(8, r.top - h - 4) : r.bottom + 4;
  dialog.style.left = `${left}px`;
  dialog.style.top = `${top}px`;
}

/** Closes the picker if one is open (the page changed). */
export function closePicker(): void {
  open?.close();
}
