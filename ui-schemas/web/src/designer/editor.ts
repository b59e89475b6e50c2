// The definition's editor: a plain textarea (no wrapping, so a line of text is a line on screen)
// with a gutter of line numbers that marks the lines with problems. The gutter scrolls with the
// text; a click on a problem in the list puts the caret on its line.
import { el } from '../dom';

export interface Mark { line: number; text: string }

export class Editor {
  readonly element: HTMLElement;
  readonly textarea: HTMLTextAreaElement;
  private readonly gutter = el('div', { class: 'gutter', 'aria-hidden': 'true' });
  private marks: Mark[] = [];

  constructor(label: string, describedBy: string, onInput: () => void) {
    this.textarea = el('textarea', {
      id: 'designer-json', class: 'code', spellcheck: 'false', wrap: 'off', autocapitalize: 'off',
      autocomplete: 'off', 'aria-label': label, 'aria-describedby': describedBy,
    }) as HTMLTextAreaElement;
    this.textarea.addEventListener('input', () => {
      this.numbers();
      onInput();
    });
    this.textarea.addEventListener('scroll', () => { this.gutter.scrollTop = this.textarea.scrollTop; });
    // Tab indents (two spaces) instead of leaving the editor; Escape then Tab still leaves it.
    let escaped = false;
    this.textarea.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { escaped = true; return; }
      if (e.key === 'Tab' && !e.shiftKey && !escaped) {
        e.preventDefault();
        document.execCommand('insertText', false, '  ');
      }
      escaped = false;
    });
    this.element = el('div', { class: 'editor' }, this.gutter, this.textarea);
  }

  get value(): string {
    return this.textarea.value;
  }

  set value(text: string) {
    this.textarea.value = text;
    this.numbers();
  }

  /** Marks these lines as having problems (their texts as the number's tooltip). */
  mark(marks: Mark[]): void {
    this.marks = marks;
    this.numbers();
    this.textarea.setAttribute('aria-invalid', String(marks.length > 0));
  }

  /** Puts the caret at the start of `line` and scrolls it into view. */
  goTo(line: number): void {
    const lines = this.textarea.value.split('\n');
    const offset = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    this.textarea.focus();
    this.textarea.setSelectionRange(offset, offset + (lines[line - 1]?.length ?? 0));
    const height = this.textarea.scrollHeight / Math.max(lines.length, 1);
    this.textarea.scrollTop = Math.max(0, (line - 3) * height);
  }

  private numbers(): void {
    const count = this.textarea.value.split('\n').length;
    const byLine = new Map<number, string[]>();
    for (const m of this.marks) byLine.set(m.line, [...(byLine.get(m.line) ?? []), m.text]);
    const rows: HTMLElement[] = [];
    for (let n = 1; n <= count; n++) {
      const texts = byLine.get(n);
      rows.push(texts
        ? el('div', { class: 'problem', title: texts.join('\n'), 'data-line': String(n) }, `● ${n}`)
        : el('div', {}, String(n)));
    }
    this.gutter.replaceChildren(...rows, el('div', { class: 'spare' }, ' '));
    this.gutter.scrollTop = this.textarea.scrollTop;
  }
}
