// A page's live rules (hearth.ui.v1.PageLive, declared by the module with PageData.live): how an
// event of the page's topics changes one source's data, so the page applies the event instead of
// loading every source again (docs/web.md, "Live"). Pure functions, tested in test/live.test.mjs.

/** One rule as GET /v1/pages/{module}/{page} gives it (proto JSON, lowerCamel). */
export interface LiveRule {
  event: string;
  op: 'upsert' | 'update' | 'remove' | 'reload' | 'keep' | string;
  record?: string;
  key?: string;
  at?: string;
  when?: Record<string, string>;
}

type Obj = Record<string, unknown>;

function get(value: unknown, path: string | undefined): unknown {
  if (!path) return value;
  let v = value;
  for (const name of path.split('.')) v = v && typeof v === 'object' ? (v as Obj)[name] : undefined;
  return v;
}

/** `value` with `list` put at `path` (copies on the way; the data bound before stays as it was). */
function put(value: unknown, path: string, list: unknown): unknown {
  if (!path) return list;
  const [head, ...rest] = path.split('.');
  const obj = (value && typeof value === 'object' ? value : {}) as Obj;
  return { ...obj, [head]: put(obj[head], rest.join('.'), list) };
}

function eventMatches(pattern: string, event: string): boolean {
  if (pattern === '*') return true;
  return pattern.endsWith('*') ? event.startsWith(pattern.slice(0, -1)) : pattern === event;
}

/**
 * The source's first rule whose event and `when` match the event, or undefined. `substitute` fills
 * `${params.x}`, `${user}` and `${project}` in `when`'s values.
 */
export function matchRule(rules: LiveRule[], event: string, data: Obj, substitute: (v: string) => string): LiveRule | undefined {
  return rules.find((r) => eventMatches(r.event, event)
    && Object.entries(r.when ?? {}).every(([field, value]) => String(get(data, field) ?? '') === substitute(value)));
}

/**
 * The source's data after `rule` (upsert, update or remove) applied the event's `data`: the same
 * object when nothing changed, undefined when the rule cannot apply (the source is then loaded
 * again): no list where `at` says, nothing to merge into, a record without its key.
 */
export function applyRule(rule: LiveRule, source: unknown, data: Obj): unknown {
  const key = rule.key || 'id';
  const at = rule.at ?? '';
  const target = get(source, at);
  if (rule.op === 'remove') {
    const id = get(data, rule.record || key);
    if (id === undefined || !Array.isArray(target)) return undefined;
    const kept = target.filter((e) => String((e as Obj)?.[key]) !== String(id));
    return kept.length === target.length ? source : put(source, at, kept);
  }
  if (rule.op !== 'upsert' && rule.op !== 'update') return undefined;
  const record = get(data, rule.record);
  if (!record || typeof record !== 'object' || (record as Obj)[key] === undefined) return undefined;
  const id = String((record as Obj)[key]);
  const merge = (old: unknown) => (rule.op === 'update' ? { ...(old as Obj), ...(record as Obj) } : record);
  if (!Array.isArray(target)) {
    // An object source (GetChannel's channel): the record is that object when the keys agree.
    if (!target || typeof target !== 'object' || String((target as Obj)[key]) !== id) return undefined;
    const next = merge(target);
    return same(next, target) ? source : put(source, at, next);
  }
  const i = target.findIndex((e) => String((e as Obj)?.[key]) === id);
  if (i < 0) return rule.op === 'update' ? undefined : put(source, at, [...target, record]);
  const next = merge(target[i]);
  if (same(next, target[i])) return source;
  const list = target.slice();
  list[i] = next;
  return put(source, at, list);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
