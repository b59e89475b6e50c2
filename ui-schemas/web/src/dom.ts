// A tiny element builder for the shell's chrome (the pages themselves are cards).

type Attrs = Record<string, string | boolean | ((e: Event) => void)>;

export function el(tag: string, attrs: Attrs = {}, ...children: Array<Node | string>): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (typeof v === 'boolean') { if (v) e.setAttribute(k, ''); }
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}
