// Edit and Delete on one's own message in Hearth.Timeline. Edit turns the text into a textarea
// (Enter saves, Shift+Enter is a new line, Escape cancels); Delete asks for confirmation in place.
// A refusal from the node is shown under the message, and what was typed is kept.
import type { HostServices } from './services';
import type { Message } from './timeline-view';

export interface EditActions {
  edit?: (m: Message, text: string) => Promise<void>;
  remove?: (m: Message) => Promise<void>;
}

export class MessageEditor {
  readonly buttons = document.createElement('div');
  /** True while the editor or the confirmation is shown: the timeline leaves this message alone. */
  open = false;
  private readonly error = document.createElement('p');

  constructor(private readonly services: HostServices, private readonly message: Message,
      private readonly text: HTMLElement, private readonly actions: EditActions) {
    this.buttons.className = 'hearth-msg-actions';
    this.error.className = 'hearth-field-error';
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    this.showButtons();
  }

  private showButtons(): void {
    const t = this.services.t;
    const buttons: HTMLElement[] = [];
    if (this.actions.edit) buttons.push(button(t('shell.chat.edit'), () => this.startEdit(), 'hearth-msg-edit'));
    if (this.actions.remove) buttons.push(button(t('shell.chat.delete'), () => this.confirmDelete(), 'hearth-msg-delete'));
    this.buttons.replaceChildren(...buttons, this.error);
  }

  private startEdit(): void {
    const t = this.services.t;
    this.open = true;
    const area = document.createElement('textarea');
    area.className = 'hearth-edit';
    area.value = this.message.text;
    area.rows = Math.min(8, this.message.text.split('\n').length + 1);
    area.setAttribute('aria-label', t('shell.chat.editLabel'));
    const original = [...this.text.childNodes];
    const cancel = (): void => {
      this.open = false;
      this.text.replaceChildren(...original);
      this.showButtons();
    };
    const save = async (): Promise<void> => {
      // Closed before the answer: the saved message then replaces this element.
      this.open = false;
      try {
        await this.actions.edit!(this.message, area.value);
      } catch (e) {
        this.open = true;
        this.fail(e);
      }
    };
    area.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        void save();
      } else if (e.key === 'Escape') {
        cancel();
      }
    });
    this.text.replaceChildren(area);
    this.buttons.replaceChildren(button(t('shell.chat.save'), () => void save(), 'hearth-msg-save'),
      button(t('shell.chat.cancel'), cancel, 'hearth-msg-cancel'), this.error);
    area.focus();
  }

  private confirmDelete(): void {
    const t = this.services.t;
    this.open = true;
    const question = document.createElement('span');
    question.textContent = t('shell.chat.deleteConfirm');
    const no = button(t('shell.chat.cancel'), () => { this.open = false; this.showButtons(); }, 'hearth-msg-cancel');
    const yes = button(t('shell.chat.delete'), async () => {
      this.open = false;
      try {
        await this.actions.remove!(this.message);
      } catch (e) {
        this.open = true;
        this.fail(e);
      }
    }, 'hearth-msg-confirm danger');
    this.buttons.replaceChildren(question, yes, no, this.error);
    no.focus();
  }

  private fail(e: unknown): void {
    this.error.hidden = false;
    this.error.textContent = this.services.describe(e);
  }
}

function button(label: string, onClick: () => void, className: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}
