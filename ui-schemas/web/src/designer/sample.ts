// Sample records for the designer's preview, made from the definition's field types and limits:
// text that fits maxLength, numbers within min/max, both booleans, real dates, each enum value in
// turn, defaults first. Records match the page's query (its `where`) and come in its order, so
// the preview shows what the page would show with data.
import { list } from './definition';
import type { Definition, EntityDef, FieldDef } from './definition';

const COUNT = 3;

/** The data a page of `def` gets ({items: [...]}, plus what the shell adds), or an empty list when its query is unknown. */
export function sampleData(def: Definition, pageName: string, strings: Record<string, string>): Record<string, unknown> {
  const page = list(def.pages).find((p) => p.name === pageName);
  const query = list(def.queries).find((q) => q.name === page?.query);
  const entity = list(def.entities).find((e) => e.name === query?.entity);
  let items = entity ? records(entity) : [];
  if (query?.where && typeof query.where === 'object') {
    items = items.map((r) => ({ ...r, ...query.where }));
  }
  const order = query?.orderBy;
  if (order) {
    items.sort((a, b) => String(a[order] ?? '').localeCompare(String(b[order] ?? ''), undefined, { numeric: true }));
  }
  return { items, strings, params: {}, project: 'preview', user: 'preview' };
}

function records(entity: EntityDef): Array<Record<string, unknown>> {
  return Array.from({ length: COUNT }, (_, n) => {
    const r: Record<string, unknown> = {
      id: `0190c0de-0000-7000-8000-00000000000${n + 1}`,
      project_id: 'preview',
      created_at: `2026-01-0${n + 1}T09:00:00Z`,
      updated_at: `2026-01-0${n + 1}T09:00:00Z`,
      created_by: 'preview',
    };
    for (const f of list(entity.fields)) {
      if (f && typeof f.name === 'string') r[f.name] = sample(f, n);
    }
    return r;
  });
}

/** The n-th sample value of a field; the first record takes the field's default when it has one. */
export function sample(f: FieldDef, n: number): unknown {
  if (n === 0 && f.default !== undefined) return f.default;
  switch (f.type) {
    case 'string': return fit(`${label(f)} ${n + 1}`, f.maxLength);
    case 'text': return fit(`${label(f)} ${n + 1}: a longer sample text, as someone would write it.`, f.maxLength);
    case 'number': return number(f, n);
    case 'bool': return n % 2 === 1;
    case 'date': return `2026-0${(n % 9) + 1}-${String(10 + n).padStart(2, '0')}`;
    case 'enum': {
      const values = list(f.values);
      return values.length ? values[n % values.length] : '';
    }
    case 'reference': return `0190c0de-0000-7000-8000-0000000001${n}0`;
    default: return '';
  }
}

function label(f: FieldDef): string {
  const name = f.names?.en ?? f.name.replace(/_/g, ' ');
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function fit(text: string, maxLength: number | undefined): string {
  return typeof maxLength === 'number' && maxLength > 0 ? text.slice(0, maxLength) : text;
}

/** Spread over [min, max] (either may be missing): min, the middle, max. */
function number(f: FieldDef, n: number): number {
  const min = typeof f.min === 'number' ? f.min : undefined;
  const max = typeof f.max === 'number' ? f.max : undefined;
  const lo = min ?? (max !== undefined ? Math.min(0, max) : 0);
  const hi = max ?? lo + 100;
  const v = lo + ((hi - lo) * n) / (COUNT - 1);
  return Number.isInteger(lo) && Number.isInteger(hi) ? Math.round(v) : Math.round(v * 100) / 100;
}
