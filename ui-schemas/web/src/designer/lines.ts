// Where a JSON path of the node's problems ($.entities[0].fields[2].type) is in the text being
// edited: a small JSON walker that records the line each member key and array element starts on.
// Text that does not parse still maps what came before the mistake; the rest falls back to the
// nearest known parent, so a problem is always marked somewhere.

/** Line (1-based) of each path reached while walking `text`. */
export function pathLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const space = () => {
    while (i < text.length && /\s/.test(text[i])) {
      if (text[i] === '\n') line++;
      i++;
    }
  };
  const string = (): string => {
    const start = ++i;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text[i] === '\n') line++;
      i++;
    }
    const raw = text.slice(start, i++);
    try {
      return JSON.parse(`"${raw}"`);
    } catch {
      return raw;
    }
  };
  const value = (path: string): void => {
    space();
    if (!lines.has(path)) lines.set(path, line);
    const c = text[i];
    if (c === '{') {
      i++;
      for (;;) {
        space();
        if (text[i] === '}') { i++; return; }
        if (text[i] !== '"') throw new Error('key expected');
        const keyLine = line;
        const key = string();
        const child = /^[A-Za-z_$][\w$-]*$/.test(key) ? `${path}.${key}` : `${path}['${key}']`;
        lines.set(child, keyLine);
        space();
        if (text[i++] !== ':') throw new Error(': expected');
        value(child);
        lines.set(child, keyLine); // the key's line, not the value's
        space();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        throw new Error(', expected');
      }
    } else if (c === '[') {
      i++;
      for (let n = 0; ; n++) {
        space();
        if (text[i] === ']') { i++; return; }
        value(`${path}[${n}]`);
        space();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        throw new Error(', expected');
      }
    } else if (c === '"') {
      string();
    } else {
      while (i < text.length && /[^\s,\]}]/.test(text[i])) i++;
    }
  };
  try {
    value('$');
  } catch {
    // malformed: what was mapped before the mistake stays usable
  }
  return lines;
}

/**
 * The line a problem belongs on: its path's, else its nearest mapped parent's; a malformed-JSON
 * problem at `$` carries its own "(line N, column M)".
 */
export function lineOf(path: string, message: string, lines: Map<string, number>): number {
  if (path === '$') {
    const m = /line (\d+)/.exec(message);
    if (m) return Number(m[1]);
  }
  let p = path;
  while (p) {
    const found = lines.get(p);
    if (found !== undefined) return found;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) break;
    p = p.slice(0, cut);
  }
  return 1;
}
