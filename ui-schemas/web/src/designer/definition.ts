// The parts of a user-module definition (docs/user-modules.md) the designer reads: loosely typed,
// because the text being edited may be half-written; the node's Validate is the judge.

export interface FieldDef {
  name: string;
  type: string;
  names?: Record<string, string>;
  required?: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
  values?: string[];
  entity?: string;
  default?: unknown;
  renamedFrom?: string;
}
export interface EntityDef { name: string; names?: Record<string, string>; fields?: FieldDef[] }
export interface QueryDef { name: string; entity: string; where?: Record<string, unknown>; orderBy?: string; limit?: number }
export interface PageDef { name: string; titles?: Record<string, string>; query: string; card: object }
export interface ActionDef { name: string; kind: string; entity: string }
export interface Definition {
  id?: string;
  version?: string;
  names?: Record<string, string>;
  entities?: EntityDef[];
  queries?: QueryDef[];
  pages?: PageDef[];
  actions?: ActionDef[];
}

/** The definition in `text`, or undefined when it is not a JSON object. */
export function parseDefinition(text: string): Definition | undefined {
  try {
    const d = JSON.parse(text);
    return d && typeof d === 'object' && !Array.isArray(d) ? d as Definition : undefined;
  } catch {
    return undefined;
  }
}

export function list<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

/** A localized text in `locale`, else English, else `fallback`. */
export function localized(texts: Record<string, string> | undefined, locale: string, fallback: string): string {
  const lang = locale.split('-')[0];
  return texts?.[locale] ?? texts?.[lang] ?? texts?.en ?? fallback;
}

/** Where a new module starts: one entity, a query, a page listing its records with a form, and an action. */
export function template(): Definition {
  return {
    id: 'notes',
    version: '1.0.0',
    names: { en: 'Notes', ru: 'Заметки' },
    entities: [{
      name: 'note', names: { en: 'Note', ru: 'Заметка' },
      fields: [
        { name: 'title', type: 'string', required: true, maxLength: 200 },
        { name: 'body', type: 'text', maxLength: 10000 },
        { name: 'priority', type: 'enum', values: ['low', 'normal', 'high'], default: 'normal' },
      ],
    }],
    queries: [{ name: 'all', entity: 'note', orderBy: 'title', limit: 100 }],
    pages: [{
      name: 'notes', titles: { en: 'Notes', ru: 'Заметки' }, query: 'all',
      card: {
        type: 'AdaptiveCard', version: '1.6',
        body: [
          { type: 'TextBlock', text: "${strings['page.notes']}", size: 'large', weight: 'bolder' },
          { type: 'TextBlock', text: 'No notes yet', $when: '${count(items) == 0}', isSubtle: true },
          { type: 'Container', $data: '${items}', separator: true, items: [
            { type: 'TextBlock', text: '${title}', weight: 'bolder', wrap: true },
            { type: 'TextBlock', text: '${body}', wrap: true, isSubtle: true, $when: "${body != ''}" },
            { type: 'FactSet', facts: [{ title: 'Priority', value: '${priority}' }] },
          ] },
          { type: 'Input.Text', id: 'title', label: 'Title', maxLength: 200, separator: true },
          { type: 'Input.Text', id: 'body', label: 'Text', isMultiline: true },
        ],
        actions: [{ type: 'Action.Submit', title: 'Add note', style: 'positive', data: { action: 'add-note' } }],
      },
    }],
    actions: [{ name: 'add-note', kind: 'create', entity: 'note', roles: ['project-user'] } as ActionDef],
  };
}
