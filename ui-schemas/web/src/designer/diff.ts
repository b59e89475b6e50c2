// What an upgrade changes, worked out in the browser before it is applied: entities, fields
// (added, removed, renamed, changed), queries, pages and actions added or removed, and a line
// count of the whole document's difference. The node decides (and migrates); this is the preview.
import { list } from './definition';
import type { Definition, FieldDef } from './definition';

export interface Change {
  kind: 'added' | 'removed' | 'changed' | 'renamed';
  /** What changed: "entity item", "field item.colour", "page items"… */
  what: string;
  /** For a changed field: the properties whose value differs; for a rename, the old name. */
  detail?: string;
}

export interface Diff {
  fromVersion: string;
  toVersion: string;
  changes: Change[];
  linesAdded: number;
  linesRemoved: number;
}

export function diff(installed: Definition, next: Definition): Diff {
  const changes: Change[] = [];
  const before = new Map(list(installed.entities).map((e) => [e.name, e]));
  const after = new Map(list(next.entities).map((e) => [e.name, e]));
  for (const [name, e] of after) {
    const old = before.get(name);
    if (!old) {
      changes.push({ kind: 'added', what: `entity ${name}` });
      continue;
    }
    const oldFields = new Map(list(old.fields).map((f) => [f.name, f]));
    const newNames = new Set(list(e.fields).map((f) => f.name));
    for (const f of list(e.fields)) {
      const was = oldFields.get(f.name) ?? (f.renamedFrom && !newNames.has(f.renamedFrom) ? oldFields.get(f.renamedFrom) : undefined);
      if (!was) changes.push({ kind: 'added', what: `field ${name}.${f.name}`, detail: f.type });
      else if (was.name !== f.name) changes.push({ kind: 'renamed', what: `field ${name}.${f.name}`, detail: was.name });
      else {
        const differs = changedKeys(was, f);
        if (differs.length) changes.push({ kind: 'changed', what: `field ${name}.${f.name}`, detail: differs.join(', ') });
      }
    }
    const kept = new Set(list(e.fields).flatMap((f) => [f.name, ...(f.renamedFrom ? [f.renamedFrom] : [])]));
    for (const f of list(old.fields)) if (!kept.has(f.name)) changes.push({ kind: 'removed', what: `field ${name}.${f.name}` });
  }
  for (const name of before.keys()) if (!after.has(name)) changes.push({ kind: 'removed', what: `entity ${name}` });
  named('query', list(installed.queries), list(next.queries), changes);
  named('page', list(installed.pages), list(next.pages), changes);
  named('action', list(installed.actions), list(next.actions), changes);
  const [linesAdded, linesRemoved] = lineDiff(pretty(installed), pretty(next));
  return { fromVersion: String(installed.version ?? ''), toVersion: String(next.version ?? ''), changes, linesAdded, linesRemoved };
}

function changedKeys(a: FieldDef, b: FieldDef): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => k !== 'renamedFrom'));
  return [...keys].filter((k) => JSON.stringify((a as any)[k]) !== JSON.stringify((b as any)[k])).sort();
}

/** Added, removed and changed parts of one kind, matched by name. */
function named(kind: string, before: Array<{ name: string }>, after: Array<{ name: string }>, changes: Change[]): void {
  const old = new Map(before.map((x) => [x.name, x]));
  const now = new Set(after.map((x) => x.name));
  for (const x of after) {
    const was = old.get(x.name);
    if (!was) changes.push({ kind: 'added', what: `${kind} ${x.name}` });
    else if (JSON.stringify(was) !== JSON.stringify(x)) changes.push({ kind: 'changed', what: `${kind} ${x.name}` });
  }
  for (const x of before) if (!now.has(x.name)) changes.push({ kind: 'removed', what: `${kind} ${x.name}` });
}

function pretty(d: Definition): string[] {
  return JSON.stringify(d, null, 2).split('\n');
}

/** Lines added and removed between `a` and `b` (longest common subsequence; definitions are small). */
export function lineDiff(a: string[], b: string[]): [number, number] {
  const n = a.length;
  const m = b.length;
  let prev = new Uint32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    const row = new Uint32Array(m + 1);
    for (let j = 1; j <= m; j++) row[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], row[j - 1]);
    prev = row;
  }
  const common = prev[m];
  return [m - common, n - common];
}
