// The little Markdown that TextBlocks render (chat messages are Markdown source): bold, italics,
// inline code, http(s) links and line breaks. Everything is HTML-escaped first, so text from the
// data cannot inject markup; anything else stays as typed.
import { AdaptiveCard } from 'adaptivecards';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function toHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c])
    .replace(/`([^`\n]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[\s(])[*_]([^*_\n]+)[*_](?=$|[\s).,!?])/g, '$1<em>$2</em>')
    .replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>')
    .replace(/\n/g, '<br>');
}

/** Makes every card render TextBlocks through {@link toHtml}. */
export function installMarkdown(): void {
  AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = toHtml(text);
    result.didProcess = true;
  };
}
