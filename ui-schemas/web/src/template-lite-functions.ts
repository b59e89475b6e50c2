// The light template expander's text and number functions — empty, first, length, substring, sub,
// concat, string, formatNumber — each as adaptive-expressions 4.23's evaluator computes it, for the
// values the light path models; anything else throws Unsupported (the full engine then decides).
// Numbers are written as its string() and formatNumber() write them: d3-format's `,.Nf` (grouped
// thousands, U+2212 minus) in the locale the browser reports, with the separators and digits of that
// engine's own table of locales (test/template-lite.test.mjs compares every one of them).
import { Unsupported } from './template-lite';

function no(why: string): never {
  throw new Unsupported(why);
}

/** adaptive-expressions' localeInfo, grouped: decimal mark, thousands separator, grouping, digits. Others write 1,234.5. */
const LOCALES: Array<[string, string, number[], string | undefined, string]> = [
  [',', '.', [3], undefined, 'ar-MA it-IT ca-ES es-ES ar-DZ nl-NL es-BO ar-TN pt-BR ar-LY pl-PL mk-MK de-DE'],
  ['.', ',', [3, 2, 2, 2, 2, 2, 2, 2, 2, 2], undefined, 'en-IN'],
  ['\u066b', '\u066c', [3], '\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669', 'ar-BH ar-PS ar-EG ar-IQ ar-AE '
    + 'ar-MR ar-TD ar-SY ar-JO ar-ER ar-LB ar-YE ar-SS ar-SO ar-DJ ar-SD ar-001 ar-SA ar-KW ar-QA ar-IL ar-OM ar-KM'],
  [',', '\u00a0', [3], undefined, 'uk-UA sv-SE fi-FI cs-CZ fr-CA ru-RU hu-HU fr-FR'],
  [',', "'", [3], undefined, 'de-CH'],
];
const DEFAULT: [string, string, number[], string | undefined] = ['.', ',', [3], undefined];

/** The locale string() and formatNumber() use: the browser's, as Intl reports it, unless the call names one. */
export function locale(args: unknown[], max: number): string {
  const named = args.length === max ? args[max - 1] : undefined;
  if (args.length === max && typeof named !== 'string') no('a locale that is not text');
  return (named as string | undefined) ?? Intl.DateTimeFormat().resolvedOptions().locale;
}

/** d3-format's `,.<precision>f` of `value` in `loc`: what string() and formatNumber() give for a number. */
export function fixed(value: number, precision: number, loc: string): string {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) no('a number toFixed writes in exponent form');
  const [decimal, thousands, grouping, digits] = LOCALES.find((l) => l[4].split(' ').includes(loc)) ?? DEFAULT;
  let negative = value < 0 || 1 / value < 0;
  let text = Math.abs(value).toFixed(Math.max(0, Math.min(20, precision)));
  if (negative && +text === 0) negative = false;
  const point = text.indexOf('.');
  let fraction = '';
  if (point >= 0) {
    fraction = decimal + text.slice(point + 1);
    text = text.slice(0, point);
  }
  // d3's formatGroup: groups from the right, sizes taken in turn (and again from the first).
  const groups: string[] = [];
  let i = text.length;
  let j = 0;
  let g = grouping[0];
  while (i > 0 && g > 0) {
    groups.push(text.substring(i -= g, i + g));
    g = grouping[j = (j + 1) % grouping.length];
  }
  const out = (negative ? '\u2212' : '') + groups.reverse().join(thousands) + fraction;
  return digits ? out.replace(/[0-9]/g, (d) => digits[+d]) : out;
}

/** `string(x)`, `string(x, locale)`: text as is, a number with as many decimals as it has, JSON for the rest. */
export function string(args: unknown[]): string {
  const [x] = args;
  const loc = locale(args, 2);
  if (typeof x === 'string') return x;
  if (typeof x === 'number' && !Number.isNaN(x)) {
    const s = x.toString();
    return fixed(x, s.includes('.') ? s.split('.')[1].length : 0, loc);
  }
  return stringify(x);
}

/** `formatNumber(number, precision)`, `formatNumber(number, precision, locale)`: rounded half up, then written. */
export function formatNumber(args: unknown[]): string {
  const [n, p] = args;
  const loc = locale(args, 3);
  if (typeof n !== 'number' || Number.isNaN(n)) no('formatNumber() of something else than a number');
  // The engine writes the precision into a d3 format: a fraction or a negative one is an error there.
  if (typeof p !== 'number' || !Number.isInteger(p) || p < 0 || p > 20) no('formatNumber() with a precision that is not 0 to 20');
  return fixed(Math.round((n as number) * Math.pow(10, p as number)) / Math.pow(10, p as number), p as number, loc);
}

/** The engine's commonStringify: '' for null, JSON (outer quotes trimmed) for objects and lists, else toString. */
export function stringify(x: unknown): string {
  if (x == null) return '';
  if (typeof x === 'object') return JSON.stringify(x).replace(/(^['"]*)/g, '').replace(/(['"]*$)/g, '');
  if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return String(x);
  return no('a value of another kind');
}

/** `empty(x)`: null, '', [] and {} are empty; a number or boolean is an error the comparison turns into false. */
export function empty(x: unknown): boolean {
  if (x == null) return true;
  if (typeof x === 'string' || Array.isArray(x)) return x.length === 0;
  if (typeof x === 'object') return Object.keys(x).length === 0;
  return false;
}

/** `first(x)`: a text's first character, a list's first item, else nothing (undefined). */
export function first(x: unknown): unknown {
  if (typeof x === 'string' && x.length > 0) return x[0];
  if (Array.isArray(x) && x.length > 0) return x[0];
  return undefined;
}

/** `length(text)`: undefined counts as ''; anything else but text is an error. */
export function length(x: unknown): number {
  if (x === undefined) return 0;
  if (typeof x !== 'string') no('length() of something else than text');
  return (x as string).length;
}

/** `substring(text, start)`, `substring(text, start, length)`, in range or an error; of undefined, ''. */
export function substring(s: unknown, start: () => unknown, count?: () => unknown): string {
  if (s === undefined) return '';
  if (typeof s !== 'string') no('substring() of something else than text');
  const str = s as string;
  const from = start();
  if (!Number.isInteger(from) || (from as number) < 0 || (from as number) > str.length) no('substring() from outside the text');
  const n = count ? count() : str.length - (from as number);
  if (!Number.isInteger(n) || (n as number) < 0 || (from as number) + (n as number) > str.length) no('substring() past the text');
  return str.substr(from as number, n as number);
}

/** `sub(a, b, ...)`: numbers only, from the left. */
export function sub(args: unknown[]): number {
  if (!args.every((a) => typeof a === 'number' && !Number.isNaN(a))) no('sub() of something else than numbers');
  return (args as number[]).reduce((a, b) => a - b);
}

/**
 * `concat(a, b, ...)` inside an expression: from the left, two nulls give nothing, text otherwise
 * (null as ''); lists, which it would join as lists, are the full engine's. One argument is itself.
 */
export function concat(args: unknown[]): unknown {
  let soFar = args[0];
  for (const next of args.slice(1)) {
    if (Array.isArray(soFar) || Array.isArray(next)) no('concat() of lists');
    if (soFar == null && next == null) soFar = undefined;
    else soFar = stringify(soFar) + stringify(next);
  }
  return soFar;
}
