// What Hearth.Timeline adds under a message besides Edit / Delete: its reactions (a button per emoji
// with its count, pressed when the reader is among them: pressing toggles the reader's own), an
// "Add reaction" button opening the emoji picker, the thread's reply count and a Reply button
// (opening the thread panel), Pin / Unpin and a "Pinned" mark. Each is there only when the card names
// the RPC it needs; the node's refusal shows under the message.
import { emojiName, openPicker } from './emoji';
import type { HostServices } from './services';
import type { Message } from './timeline-view';

export interface ToolActions {
  react?: (m: Message, emoji: string, add: boolean) => Promise<void>;
  /** Opens the message's thread; `opener` gets the focus back when it closes. */
  reply?: (m: Message, opener: HTMLElement) => void;
  pin?: (m: Message, pinned: boolean) => Promise<void>;
}

export interface Extras {
  /** Beside the author and time. */
  head: HTMLElement[];
  /** Under the text. */
  below: HTMLElement[];
  /** The row of buttons; Edit / Delete join it. */
  tools: HTMLElement;
}

export function messageExtras(services: HostServices, m: Message, actions: ToolActions): Extras {
  const t = services.t;
  const head: HTMLElement[] = [];
  const below: HTMLElement[] = [];
  const tools = el('div', 'hearth-msg-toolbar');
  const error = el('p', 'hearth-field-error');
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const attempt = (work: Promise<void>): void => {
    error.hidden = true;
    work.catch((e) => { error.hidden = false; error.textContent = services.describe(e); });
  };
  if (m.pinned && !m.deleted) head.push(el('span', 'hearth-msg-pinned', `📌 ${t('shell.chat.pinned')}`));
  if (m.deleted) return { head, below, tools };

  const react = actions.react;
  const reactions = (m.reactions ?? []).filter((r) => (r.userIds ?? []).length > 0);
  if (reactions.length) {
    const row = el('div', 'hearth-reactions');
    row.setAttribute('role', 'group');
    row.setAttribute('aria-label', t('shell.chat.reactions'));
    for (const r of reactions) {
      const mine = (r.userIds ?? []).includes(services.user);
      const count = (r.userIds ?? []).length;
      const chip = button(`${r.emoji} ${count}`, 'hearth-reaction', () => react && attempt(react(m, r.emoji, !mine)));
      chip.dataset.emoji = r.emoji;
      chip.setAttribute('aria-pressed', String(mine));
      chip.setAttribute('aria-label', `${emojiName(r.emoji)}: ${count}`);
      if (!react) chip.disabled = true;
      row.append(chip);
    }
    below.push(row);
  }
  if (actions.reply && !m.threadRootId && m.replyCount) {
    const open = button(t('shell.chat.replyCount').replace('{0}', String(m.replyCount)),
      'hearth-msg-replies', () => actions.reply!(m, open));
    open.setAttribute('aria-haspopup', 'dialog');
    below.push(open);
  }
  if (react) {
    const add = button('☺+', 'hearth-msg-react', () => openPicker(services, add, (emoji) => {
      const had = (m.reactions ?? []).some((r) => r.emoji === emoji && (r.userIds ?? []).includes(services.user));
      attempt(react(m, emoji, !had));
    }));
    add.setAttribute('aria-label', t('shell.chat.addReaction'));
    add.title = t('shell.chat.addReaction');
    add.setAttribute('aria-haspopup', 'dialog');
    add.setAttribute('aria-expanded', 'false');
    tools.append(add);
  }
  if (actions.reply && !m.threadRootId) {
    const reply = button(t('shell.chat.reply'), 'hearth-msg-reply', () => actions.reply!(m, reply));
    tools.append(reply);
  }
  if (actions.pin) {
    const pin = actions.pin;
    tools.append(button(t(m.pinned ? 'shell.chat.unpin' : 'shell.chat.pin'), 'hearth-msg-pin', () => attempt(pin(m, !m.pinned))));
  }
  below.push(error);
  return { head, below, tools };
}

function el(tag: string, className: string, ...children: Array<Node | string>): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  e.append(...children);
  return e;
}

function button(label: string, className: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}
