// A small expander of Adaptive Cards templates for the common case, so a page's first render does
// not wait for adaptivecards-templating and adaptive-expressions (~250 kB gzipped, most of the card
// renderer's weight). It understands a subset of the expression language — paths (`channel.name`,
// `$root.strings['chat.x']`, `$data`, `$index`), string, number and boolean literals, `!`, `==`,
// `!=`, `<`, `<=`, `>`, `>=`, `&&`, `||`, `+`, parentheses, the functions `count`, `if`, `where`,
// `foreach`, `join` and `contains` (the chat channel page: a DM's title, Join/Add members/Leave) and
// those of template-lite-functions.ts (`empty`, `first`, `length`, `substring`, `sub`, `concat`,
// `string`, `formatNumber`: the thread, survey and user-module pages), a path after a call
// (`first(xs).name`) — and mirrors adaptivecards-templating 2.3's `Template.expand` with
// adaptive-expressions 4.23 exactly for it: `$data` (repeating over arrays), `$when`, reserved
// fields, typed single expressions, interpolation, flattening of arrays; for the functions, their
// evaluators' rules: a lambda's variable is a layer of memory over the outer ones (it shadows only
// where it has a value: `m.x` of an item without `x` is sought in the outer layers, then as
// `$data.m.x`; `$root` and outer paths resolve as outside), where/foreach over an object go over
// `{key, value}` pairs (where gives an object back), where keeps items whose condition is anything
// but false, join is JavaScript's join, contains compares list items as `commonEquals` does for
// scalars, looks keys up ignoring case, and is false for other pairs; count counts text, lists and
// objects' keys. A path that finds nothing gives its own text `${path}` (the null substitution the
// template turns on) except where the engine evaluates without it — comparisons, `!`, `&&`, `||`,
// if()'s condition, empty(), an index and `$when` — where it is undefined; an index finding nothing
// is undefined, which drops the field it is alone in, and fails the expansion in text (as there: its
// toString() throws). `+` adds numbers and otherwise writes both sides as text, nothing as nothing. A
// path through something that is not an object — a list, text, a number, or data that is not (yet)
// an object: a `$root` that is null, a list or text — finds nothing, as the engine's memory does.
//
// Anything outside the subset, or any case where the full engine's behaviour turns on details the
// subset does not model (a null, mixed types, another function, an error, which the engine would
// swallow or throw, a lambda over text or numbers, contains() of a list and a list or object,
// escapes), throws `Unsupported`: the
// caller then loads the full engine and expands with it instead. So a template expands the same
// either way; test/template-lite.test.mjs and the card checks compare both on every card the
// repository ships.

import * as fn from './template-lite-functions';

/** The template (or this data) needs the full engine. */
export class Unsupported extends Error {}

type Value = unknown;
type Expr =
  | { k: 'lit'; v: string | number | boolean }
  | { k: 'path'; parts: string[] } // an accessor chain: `a.b.c` or `$root.x`
  | { k: 'index'; of: Expr; key: Expr } // `x['key']`, `x[0]`, `x['a.' + y]`
  | { k: 'member'; of: Expr; parts: string[] } // an accessor chain on a call's value: `first(xs).name`
  | { k: 'not'; e: Expr }
  | { k: 'call'; f: Fn; args: Expr[] }
  | { k: 'bin'; op: string; l: Expr; r: Expr };

/** A string of the template: text and expressions, or one expression (its value keeps its type). */
type Prepared = { k: 'one'; e: Expr } | { k: 'concat'; parts: Array<string | Expr> };

/** The functions the light path knows, with the fewest and most arguments each takes. */
const FUNCTIONS = {
  count: [1, 1], if: [3, 3], where: [3, 3], foreach: [3, 3], join: [2, 3], contains: [2, 2],
  empty: [1, 1], first: [1, 1], length: [1, 1], substring: [2, 3], sub: [2, Infinity], concat: [1, Infinity],
  string: [1, 2], formatNumber: [2, 3],
};
type Fn = keyof typeof FUNCTIONS;
/** A lambda's iteration variable and the item it stands for, innermost last. */
type Scope = { name: string; item: Value };
type State = { root: Value; data: Value; index: number | undefined; scopes: Scope[] };
const RESERVED = ['$data', '$when', '$root', '$index', '$host', '$_acTemplateVersion'];
function no(why: string): never {
  throw new Unsupported(why);
}

/** Expands `template` against `{ $root: data }` as `new Template(template).expand({ $root: data })` would. */
export function expandLite(template: unknown, data: unknown): unknown {
  const state: State = { root: data, data: undefined, index: undefined, scopes: [] };
  const cache = new Map<string, Prepared | string>();
  const prepare = (s: string): Prepared | string => {
    let p = cache.get(s);
    if (p === undefined) cache.set(s, p = prepareString(s));
    return p;
  };
  const evaluate = (e: Expr): Value => evaluateExpr(e, state, true);

  const expand = (node: unknown): unknown => {
    const saved = { data: state.data, index: state.index };
    let result: unknown;
    if (Array.isArray(node)) {
      let items: unknown[] = [];
      for (const item of node) {
        const x = expand(item);
        if (x !== null) {
          if (Array.isArray(x)) items = items.concat(x);
          else items.push(x);
        }
      }
      result = items;
    } else if (typeof node === 'string') {
      const p = prepare(node);
      result = typeof p === 'string' ? p : valueOf(p, evaluate);
    } else if (typeof node === 'object' && node !== null) {
      const obj = node as Record<string, unknown>;
      const when = obj.$when;
      let contexts: unknown[] = [undefined];
      let repeat = false;
      if (obj.$data !== undefined) {
        const d = obj.$data;
        if (typeof d !== 'string') no('$data is not an expression');
        const p = prepare(d as string);
        if (typeof p === 'string' || p.k !== 'one') no('$data is not one expression');
        const e = (p as { e: Expr }).e;
        if (e.k === 'call' && e.f === 'concat') no('$data of concat()');
        const value = evaluate(e);
        if (Array.isArray(value)) {
          contexts = value;
          repeat = true;
        } else {
          contexts = [value];
        }
      }
      const out: unknown[] = [];
      for (let i = 0; i < contexts.length; i++) {
        if (repeat) state.index = i;
        if (contexts[i] !== undefined) state.data = contexts[i];
        let drop = false;
        if (typeof when === 'string' && when.includes('${')) {
          const p = prepare(when);
          if (typeof p === 'string' || p.k !== 'one') no('$when is not one expression');
          // Without substitutions, as there: a missing value is undefined, not its `${path}`.
          const value = evaluateExpr((p as { e: Expr }).e, state, false);
          drop = !(typeof value === 'boolean' && value);
        } else if (when) {
          drop = true; // not an expression: the full engine drops the object too
        }
        if (!drop) {
          const expanded: Record<string, unknown> = {};
          for (const key of Object.keys(obj)) {
            if (RESERVED.includes(key)) continue;
            const value = expand(obj[key]);
            if (value !== undefined) expanded[key] = value;
          }
          out.push(expanded);
        }
      }
      result = out.length === 0 ? null : out.length === 1 ? out[0] : out;
    } else {
      result = node;
    }
    state.data = saved.data;
    state.index = saved.index;
    return result;
  };
  return expand(template);
}

function valueOf(p: Prepared, evaluate: (e: Expr) => Value): Value {
  if (p.k === 'one') {
    // A concat() alone is taken for the template's own interpolation there: each argument's value
    // as text, one after the other (an error or a missing value is the full engine's).
    if (p.e.k === 'call' && p.e.f === 'concat') p = { k: 'concat', parts: p.e.args };
    else return evaluate(p.e);
  }
  let text = '';
  for (const part of p.parts) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    const v = evaluate(part);
    // Nothing (an index that found nothing: a path would be substituted) fails the whole expansion there,
    // which calls toString() on each part's value; the card then shows that its template failed.
    if (v === undefined) throw new TypeError("Cannot read properties of undefined (reading 'toString')");
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') no('a non-scalar value in text');
    text += String(v);
  }
  return text;
}

/** A string of the template as text (no `${`) or its parts. */
function prepareString(s: string): Prepared | string {
  if (!s.includes('${')) return s;
  // Escapes and line breaks: the full engine's template-string rules, not modelled here.
  if (/[\\`\r\n]/.test(s)) no('escapes or line breaks in a template string');
  const parts: Array<string | Expr> = [];
  let i = 0;
  while (i < s.length) {
    const start = s.indexOf('${', i);
    if (start < 0) {
      parts.push(s.slice(i));
      break;
    }
    if (start > i) parts.push(s.slice(i, start));
    const parser = new Parser(s, start + 2);
    const e = parser.expression();
    parser.expect('}');
    parts.push(e);
    i = parser.pos;
  }
  const exprs = parts.filter((x) => typeof x !== 'string');
  // One expression keeps its value's type, unless it is a literal (`${1}`, `${(true)}`): the full
  // engine keeps a constant in its concatenation, so that gives text.
  if (parts.length === 1 && exprs.length === 1 && (parts[0] as Expr).k !== 'lit') return { k: 'one', e: parts[0] as Expr };
  return { k: 'concat', parts };
}

class Parser {
  constructor(private readonly s: string, public pos: number) {}

  expression(): Expr {
    return this.binary(0);
  }

  expect(c: string): void {
    this.space();
    if (this.s[this.pos] !== c) no(`expected ${c}`);
    this.pos++;
  }

  /** Loosest first, as the expression language's grammar orders them (there `==` binds tighter than `<`). */
  private static readonly LEVELS = [['||'], ['&&'], ['<=', '>=', '<', '>'], ['==', '!='], ['+']];

  private binary(level: number): Expr {
    if (level === Parser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      this.space();
      const op = Parser.LEVELS[level].find((o) => this.s.startsWith(o, this.pos)
        // `<` and `>` are not the start of `<=`/`>=` here (those come first), nor `=` alone, nor `<>`
        && !(o.length === 1 && '=<>'.includes(this.s[this.pos + 1] ?? '')));
      if (!op) return left;
      this.pos += op.length;
      left = { k: 'bin', op, l: left, r: this.binary(level + 1) };
    }
  }

  private unary(): Expr {
    this.space();
    if (this.s[this.pos] === '!' && this.s[this.pos + 1] !== '=') {
      this.pos++;
      return { k: 'not', e: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private primary(): Expr {
    this.space();
    const c = this.s[this.pos];
    if (c === '(') {
      this.pos++;
      const e = this.expression();
      this.expect(')');
      return e;
    }
    if (c === "'" || c === '"') {
      const end = this.s.indexOf(c, this.pos + 1);
      if (end < 0) no('an unterminated string');
      const v = this.s.slice(this.pos + 1, end);
      this.pos = end + 1;
      return { k: 'lit', v };
    }
    const num = /^[0-9]+(\.[0-9]+)?(?![0-9A-Za-z_.])/.exec(this.s.slice(this.pos));
    if (num) {
      this.pos += num[0].length;
      return { k: 'lit', v: Number(num[0]) };
    }
    const id = this.identifier();
    if (id === 'true' || id === 'false') return { k: 'lit', v: id === 'true' };
    if (id === 'null') no('null');
    this.space();
    if (this.s[this.pos] === '(') return this.member(this.call(id));
    const parts = [id];
    for (;;) {
      this.space();
      if (this.s[this.pos] === '(') no('a function call');
      if (this.s[this.pos] !== '.') break;
      this.pos++;
      parts.push(this.identifier());
    }
    return { k: 'path', parts };
  }

  /** The functions of FUNCTIONS, the ones pages use most; others are the full engine's. */
  private call(name: string): Expr {
    if (!Object.hasOwn(FUNCTIONS, name)) no(`the function ${name}()`);
    const [fewest, most] = FUNCTIONS[name as Fn];
    this.pos++;
    const args: Expr[] = [];
    this.space();
    if (this.s[this.pos] !== ')') {
      for (;;) {
        args.push(this.expression());
        this.space();
        if (this.s[this.pos] !== ',') break;
        this.pos++;
      }
    }
    this.expect(')');
    if (args.length < fewest || args.length > most) no(`${name}() with ${args.length} arguments`);
    if (name === 'where' || name === 'foreach') {
      // The second argument names the iteration variable: one identifier (the full engine rejects
      // anything else); one starting with `$` would meet the reserved names, so it is not modelled.
      const v = args[1];
      if (v.k !== 'path' || v.parts.length !== 1 || v.parts[0].startsWith('$')) no(`${name}() with a variable that is not a plain name`);
    }
    return { k: 'call', f: name as Fn, args };
  }

  /** `call(...).a.b`: an accessor chain on what a function gives. */
  private member(call: Expr): Expr {
    const parts: string[] = [];
    for (;;) {
      this.space();
      if (this.s[this.pos] !== '.') break;
      this.pos++;
      parts.push(this.identifier());
    }
    this.space();
    if (parts.length && this.s[this.pos] === '(') no('a function call');
    return parts.length ? { k: 'member', of: call, parts } : call;
  }

  /** `x['key']`, `x[0]`, `x['a.' + y]`, repeated; an accessor after an index (`x['a'].b`) is the full engine's. */
  private postfix(e: Expr): Expr {
    for (;;) {
      this.space();
      if (this.s[this.pos] !== '[') return e;
      this.pos++;
      const key = this.expression();
      this.expect(']');
      e = { k: 'index', of: e, key };
      this.space();
      if (this.s[this.pos] === '.') no('a path after an index');
    }
  }

  private identifier(): string {
    this.space();
    // The expression language's identifiers may also hold `-`, `#`, `@`, `%`: those are the full engine's.
    const m = /^\$?[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.pos));
    if (!m) no(`an expression the light path does not know at "${this.s.slice(this.pos, this.pos + 10)}"`);
    const next = this.s[this.pos + m![0].length] ?? '';
    if (/[-#@%$]/.test(next)) no('an identifier with -, #, @, % or $');
    this.pos += m![0].length;
    return m![0];
  }

  private space(): void {
    while (this.s[this.pos] === ' ' || this.s[this.pos] === '\t') this.pos++;
  }
}

/**
 * The value of `e`. `subst`: whether a path that finds nothing gives its text `${path}` (as the full
 * engine's null substitution does, which the template turns on) or undefined (inside comparisons,
 * `!`, `&&`, `||`, an if()'s condition, an index and `$when`, which evaluate without it).
 */
function evaluateExpr(e: Expr, state: State, subst: boolean): Value {
  const ev = (x: Expr, s = subst): Value => evaluateExpr(x, state, s);
  const missing = (path: string[]): Value => (subst ? '${' + path.join('.') + '}' : undefined);
  switch (e.k) {
    case 'lit':
      return e.v;
    case 'path': {
      // Inside where()/foreach() the memory is a stack: the innermost iteration variable first, then the
      // outer ones, then the template's. Each layer is asked for the whole path, and the first value
      // that is not undefined wins; so `m.x` of an item without `x` is looked up further out (`m.x` of
      // an outer variable, else `$data.m.x`). A variable's name matches ignoring case, as keys do.
      for (let i = state.scopes.length - 1; i >= 0; i--) {
        const scope = state.scopes[i];
        if (e.parts[0].toLowerCase() !== scope.name.toLowerCase()) continue;
        let v: Value = scope.item;
        for (const p of e.parts.slice(1)) v = lambdaProperty(v, p);
        if (v !== undefined) return notNull(v);
      }
      // As the full engine's memory: a path not starting with `$` is under `$data`; `$data` is the root until set.
      const parts = e.parts[0].startsWith('$') ? e.parts : ['$data', ...e.parts];
      const memory: Record<string, unknown> = {
        $root: state.root, $data: state.data !== undefined ? state.data : state.root, $index: state.index,
      };
      let v: Value = property(memory, parts[0]);
      for (const p of parts.slice(1)) v = walk(v, p);
      return v === undefined ? missing(e.parts) : notNull(v);
    }
    case 'member': {
      // The accessor asks the call's value for the chain; nothing found is substituted by the chain alone.
      let v = ev(e.of);
      for (const p of e.parts) v = walk(v, p);
      return v === undefined ? missing(e.parts) : notNull(v);
    }
    case 'index': {
      const of = ev(e.of);
      const key = ev(e.key, false);
      // An index is never substituted: a key or item that is not there is undefined.
      if (of === undefined) return undefined;
      if (typeof key === 'number') {
        if (!Number.isInteger(key) || !Array.isArray(of) || key < 0 || key >= of.length) no('an index out of a list');
        return notNull((of as unknown[])[key as number]);
      }
      if (typeof key !== 'string') no('an index that is neither text nor a whole number');
      return notNull(property(of, key as string));
    }
    case 'call':
      return call(e.f, e.args, state, subst);
    case 'not': {
      const v = ev(e.e, false);
      if (typeof v !== 'boolean') no('! of a non-boolean');
      return !v;
    }
    case 'bin': {
      // `+` passes substitution on; comparisons and `&&`, `||` evaluate without it.
      const l = ev(e.l, e.op === '+' && subst);
      const r = ev(e.r, e.op === '+' && subst);
      switch (e.op) {
        case '&&': case '||':
          if (typeof l !== 'boolean' || typeof r !== 'boolean') no(`${e.op} of non-booleans`);
          return e.op === '&&' ? l && r : l || r;
        case '==': case '!=': {
          // commonEquals: undefined (or null) equals only undefined (or null).
          if (l === undefined || r === undefined) return (l === r) === (e.op === '==');
          const same = typeof l === typeof r && ['string', 'number', 'boolean'].includes(typeof l);
          if (!same) no(`${e.op} of values of different or complex types`);
          const equal = typeof l === 'number' ? Math.abs(l - (r as number)) < Number.EPSILON : l === r;
          return e.op === '==' ? equal : !equal;
        }
        case '+':
          return add(l, r);
        default:
          if (typeof l !== 'number' || typeof r !== 'number') no(`${e.op} of non-numbers`);
          switch (e.op) {
            case '<': return (l as number) < (r as number);
            case '<=': return (l as number) <= (r as number);
            case '>': return (l as number) > (r as number);
            default: return (l as number) >= (r as number);
          }
      }
    }
  }
}

/**
 * `where(list, v, condition)` and `foreach(list, v, value)`, as adaptive-expressions 4.23 runs them: over
 * a list, or over an object as a list of `{key, value}` (where() then gives an object of the kept keys);
 * the variable is a layer of memory pushed for each item (see 'path'). where() keeps an item when the
 * condition is true or any value but false and null. Anything else (text, numbers, an error in the
 * condition, which where() would swallow) is the full engine's.
 */
function lambda(f: 'where' | 'foreach', args: Expr[], state: State, subst: boolean): Value {
  const source = evaluateExpr(args[0], state, subst);
  let items: unknown[];
  if (Array.isArray(source)) items = source;
  else if (isObject(source)) items = Object.keys(source).map((key) => ({ key, value: source[key] }));
  else return no(`${f}() over ${kind(source)}`);
  const name = (args[1] as { parts: string[] }).parts[0];
  const results: unknown[] = [];
  for (const item of items) {
    state.scopes.push({ name, item });
    try {
      const r = evaluateExpr(args[2], state, subst);
      if (r === undefined) no(`${f}() with an item that gives nothing`);
      results.push(r);
    } finally {
      state.scopes.pop();
    }
  }
  if (f === 'foreach') return results;
  const kept = items.filter((_, i) => results[i] !== false); // results are never null or undefined here
  if (Array.isArray(source)) return kept;
  const out: Record<string, unknown> = {};
  for (const pair of kept as Array<{ key: string; value: unknown }>) out[pair.key] = pair.value;
  return out;
}

/** `join(list, separator)` and `join(list, separator, last separator)`: JavaScript's join, as there. */
function join(args: Value[]): Value {
  const [list, sep, last] = args;
  if (!Array.isArray(list)) no('join() of something else than a list');
  if (typeof sep !== 'string' || (args.length === 3 && typeof last !== 'string')) no('join() with a separator that is not text');
  const l = list as unknown[];
  if (args.length === 2) return l.join(sep as string);
  if (l.length < 3) return l.join(last as string);
  return l.slice(0, l.length - 1).join(sep as string).concat(last as string, l[l.length - 1] as string);
}

/**
 * `contains(text, part)`, `contains(list, item)` (numbers equal within Number.EPSILON, other items
 * strictly; lists and objects sought are the full engine's) and `contains(object, key)` (a key
 * equal ignoring case); any other pair is false, as there.
 */
function contains(of: Value, x: Value): boolean {
  if (typeof of === 'string' && typeof x === 'string') return of.includes(x);
  if (Array.isArray(of)) {
    if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean') no('contains() of a list and a complex value');
    return of.some((item) => item === x
      || (typeof item === 'number' && typeof x === 'number' && Math.abs(item - x) < Number.EPSILON));
  }
  if (typeof x === 'string' && isObject(of)) return Object.keys(of).some((k) => k.toLowerCase() === x.toLowerCase());
  return false;
}

/**
 * `l + r` as adaptive-expressions' add: numbers add up; otherwise both are written as text one after
 * the other, a missing value (undefined: a path that found nothing where no substitution is made, an
 * index finding nothing) as nothing. Its errors — null, a boolean, a list or an object, a number and
 * nothing — are the full engine's (an error there is swallowed or thrown depending on where it is).
 */
function add(l: Value, r: Value): Value {
  const operand = (v: Value) => v === undefined || typeof v === 'string' || (typeof v === 'number' && !Number.isNaN(v));
  if (!operand(l) || !operand(r)) no(`+ of ${kind(l)} and ${kind(r)}`);
  if (typeof l === 'number' && typeof r === 'number') return l + r;
  if (typeof l === 'number' || typeof r === 'number') {
    if (l === undefined || r === undefined) no('+ of a number and nothing');
  }
  return (l === undefined ? '' : String(l)) + (r === undefined ? '' : String(r));
}

/** What a value is, for a reason the full engine is needed: `null`, `undefined`, `a list`, `text`, `a number`… */
function kind(v: Value): string {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'string' ? 'text' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function isObject(v: Value): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A property in an iteration variable's layer of memory: undefined (not an error) through anything but an object. */
function lambdaProperty(of: Value, name: string): Value {
  if (!isObject(of)) return undefined;
  const key = Object.keys(of).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : of[key];
}

/**
 * A property, found as the full engine finds it (accessProperty): the first own key equal to `name`
 * ignoring case; nothing of a missing or falsy value. Of a list or text that is an index's digits
 * (`xs['0']`: an item, a letter), of a number or `true` nothing: they have no other keys.
 */
function property(of: Value, name: string): Value {
  if (!of) return undefined;
  const key = Object.keys(of as object).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (of as Record<string, unknown>)[key];
}

/** A null value: the full engine's handling of null differs by context, so it decides. */
function notNull(v: Value): Value {
  if (v === null) no('a null value');
  return v;
}

/**
 * The next part of a path, as the engine's memory walks it (accessProperty): a key ignoring case of
 * an object; nothing (undefined) of anything else — a missing or falsy value, and a list, text, a
 * number or `true`, whose only keys are digits, which a path's names never are. So data that is
 * not (yet) an object, or a `$root` that is null, a list or text, gives what a missing path gives.
 */
function walk(of: Value, name: string): Value {
  return property(of, name);
}

/** The value of the function `f` called with `args`. */
function call(f: Fn, args: Expr[], state: State, subst: boolean): Value {
  const ev = (x: Expr, s = subst): Value => evaluateExpr(x, state, s);
  switch (f) {
    case 'if': {
      // Only the branch taken is evaluated, as there; the condition without substitution.
      const c = ev(args[0], false);
      if (typeof c !== 'boolean') no('if() on a non-boolean');
      return ev(c ? args[1] : args[2]);
    }
    case 'where': case 'foreach':
      return lambda(f, args, state, subst);
    case 'empty':
      return fn.empty(ev(args[0], false)); // a comparison: without substitution
    case 'substring':
      return fn.substring(ev(args[0]), () => ev(args[1]), args[2] && (() => ev(args[2])));
    case 'first':
      return notNull(fn.first(ev(args[0])));
    case 'concat':
      return fn.concat(args.map((a) => ev(a)));
    default:
      break;
  }
  const values = args.map((a) => ev(a));
  if (f === 'length') return fn.length(values[0]);
  if (f === 'sub') return fn.sub(values);
  if (f === 'string') return fn.string(values);
  if (f === 'formatNumber') return fn.formatNumber(values);
  if (values.some((v) => v === undefined)) no(`${f}() of a missing value`);
  if (f === 'join') return join(values);
  if (f === 'contains') return contains(values[0], values[1]);
  const v = values[0];
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (isObject(v)) return Object.keys(v).length;
  return no('count() of something else than a list, text or object');
}
