// Chat Markdown to HTML: code blocks (```), inline code, bold, italics, [links](https://…) and bare
// http(s) URLs, line breaks. The text is HTML-escaped before any markup is added, code and links are
// set aside first (so `**` inside code or an URL's `_` stays as typed), and only http(s) URLs become
// links, opening in a new tab without access back to the shell.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
/** A URL ends before trailing punctuation: "see https://x.org." links https://x.org. */
const LINK = /\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'])/g;

export function messageHtml(text: string): string {
  return text.split(/```/).map((part, i) => {
    if (i % 2 === 1) return `<pre class="hearth-code"><code>${escape(part.replace(/^[\w-]*\n/, ''))}</code></pre>`;
    return inline(part);
  }).join('');
}

function inline(text: string): string {
  const held: string[] = [];
  const hold = (html: string): string => `\u0000${held.push(html) - 1}\u0000`;
  let s = text.replace(/`([^`\n]+)`/g, (_, code) => hold(`<code>${escape(code)}</code>`));
  s = s.replace(LINK, (_, label, href, bare) => {
    const url = href ?? bare;
    return hold(`<a href="${escape(url)}" target="_blank" rel="noopener noreferrer">${escape(label ?? bare)}</a>`);
  });
  s = escape(s)
    .replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[\s(])[*_]([^*_\n]+)[*_](?=$|[\s).,!?])/gm, '$1<em>$2</em>')
    .replace(/^\n+|\n+$/g, '')
    .replace(/\n/g, '<br>');
  return s.replace(/\u0000(\d+)\u0000/g, (_, n) => held[Number(n)]);
}
