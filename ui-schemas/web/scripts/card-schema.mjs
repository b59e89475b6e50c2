// Generates the JSON schema (draft-07) of the card language the shell renders, from the renderer
// itself: every element and action type registered in adaptivecards' GlobalRegistry (plus Hearth's
// host elements, src/hosts), each with the properties its SerializableObjectSchema declares, their
// types and enum values. The Java CardValidator checks every page against this file, so the node
// accepts exactly what the shell renders; it is rebuilt on every build and never edited by hand.
//
// What the registry cannot say is written here, each piece checked where it can be:
// - the child collections a class parses in code rather than through its schema (body, items,
//   columns, ...): CHILDREN, and verifyChildren() proves the renderer reads each of them;
// - which properties the Adaptive Cards 1.6 specification requires: REQUIRED (the renderer
//   accepts almost anything missing); host elements say it themselves (`requiredProperties`);
// - the value shapes of the few CustomProperty definitions (code, not data): CUSTOM;
// - Hearth's extensions: `rpc` and `open` in the data of Action.Submit (docs/cards.md).
//
// Usage: node scripts/card-schema.mjs <output file>
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) throw new Error('usage: node scripts/card-schema.mjs <output file>');

// The shell's card language (renderer + host elements) as one CommonJS bundle, so Node loads the
// same classes the browser runs, registered the same way.
const bundle = join(here, '../../target/card-language.cjs');
await build({
  entryPoints: [join(here, '../src/card-language.ts')], bundle: true, platform: 'node', format: 'cjs',
  outfile: bundle, logLevel: 'error', loader: { '.css': 'empty' },
});
const { AC, hostElements } = createRequire(import.meta.url)(bundle);
const V16 = AC.Versions.v1_6;

/** Versions the shell renders; a card says one of them. */
const VERSION_PATTERN = '^1\\.[0-6]$';

/**
 * Required properties per definition, from the Adaptive Cards 1.6 schema explorer. Not a
 * TableCell's items, which the specification lists: its own samples (FlightUpdateTable) leave a
 * cell blank that way, and the renderer draws it.
 */
const REQUIRED = {
  AdaptiveCard: ['type', 'version'], TextBlock: ['text'], Image: ['url'], Media: ['sources'], MediaSource: ['url'],
  CaptionSource: ['mimeType', 'url', 'label'], RichTextBlock: ['inlines'], TextRun: ['text'], FactSet: ['facts'],
  Fact: ['title', 'value'], ImageSet: ['images'], ActionSet: ['actions'], Container: ['items'],
  'Input.Text': ['id'], 'Input.Number': ['id'], 'Input.Date': ['id'], 'Input.Time': ['id'],
  'Input.Toggle': ['id', 'title'], 'Input.ChoiceSet': ['id'], Choice: ['title', 'value'], 'choices.data': ['dataset'],
  'Action.OpenUrl': ['url'], 'Action.ShowCard': ['card'], 'Action.ToggleVisibility': ['targetElements'],
  BackgroundImage: ['url'], AuthCardButton: ['type', 'value'], TokenExchangeResource: ['id', 'uri', 'providerId'],
  Carousel: ['pages'], CarouselPage: ['items'],
};

/** The `type` a nested object may state (the spec's name for it), where the renderer has no type property. */
const NESTED_TYPE = {
  Fact: 'Fact', Choice: 'Input.Choice', MediaSource: 'MediaSource', CaptionSource: 'CaptionSource',
  BackgroundImage: 'BackgroundImage', ColumnDefinition: 'TableColumnDefinition', RefreshDefinition: 'Refresh',
  Authentication: 'Authentication', TokenExchangeResource: 'TokenExchangeResource',
};

const ci = (values) => caseInsensitiveEnum(values);
const pixels = { type: 'string', pattern: '^[0-9]+px$' };
const hhmm = { type: 'string', pattern: '^[0-9]{2}:[0-9]{2}$' };
const weightOrPixels = [{ type: 'number', minimum: 0 }, { type: 'string', pattern: '^[0-9]+(px)?$' }];
/**
 * Value shapes of CustomProperty definitions (their parse code, read by hand), by owner and name,
 * or by name alone where every owner parses it alike.
 */
const CUSTOM = {
  $schema: { type: 'string' },
  version: { type: 'string', pattern: VERSION_PATTERN },
  labelWidth: { anyOf: [{ type: 'number', minimum: 0, maximum: 100 }, { type: 'string', pattern: '^[0-9]+(px)?$' }] },
  associatedInputs: ci(['auto', 'none']),
  'Input.Time.value': hhmm, 'Input.Time.min': hhmm, 'Input.Time.max': hhmm, // TimeProperty
  'Action.ToggleVisibility.targetElements': { type: 'array', items: { $ref: '#/definitions/TargetElement' } },
  // Column compares "auto" and "stretch" exactly (case matters here); a table column takes neither.
  'Column.width': { anyOf: [...weightOrPixels, { type: 'string', enum: ['auto', 'stretch'] }] },
  'ColumnDefinition.width': { anyOf: weightOrPixels },
};

const definitions = {};
const elementTypes = registered(AC.GlobalRegistry.elements);
const actionTypes = registered(AC.GlobalRegistry.actions);
const standalone = elementTypes.filter((t) => new (AC.GlobalRegistry.elements.findByName(t).objectType)().isStandalone);
const CAROUSEL_FORBIDDEN = new AC.CarouselPage().getForbiddenChildElements?.() ?? [
  'Action.ToggleVisibility', 'Action.ShowCard', 'Media', 'ActionSet', 'Input.Text', 'Input.Date', 'Input.Time',
  'Input.Number', 'Input.ChoiceSet', 'Input.Toggle'];

const elements = (name = 'Element') => ({ type: 'array', items: { $ref: `#/definitions/${name}` } });
const objects = (name) => ({ type: 'array', items: { $ref: `#/definitions/${name}` } });
/** Collections a class parses in its own code (internalParse), not through its schema. */
const CHILDREN = {
  AdaptiveCard: { body: elements(), actions: elements('Action'), fallback: { $ref: '#/definitions/Element' } },
  InlineAdaptiveCard: { body: elements(), actions: elements('Action') },
  Container: { items: elements() },
  Column: { items: elements() },
  TableCell: { items: elements() },
  CarouselPage: { items: elements('CarouselElement') },
  ColumnSet: { columns: objects('Column') },
  ActionSet: { actions: elements('Action') },
  RichTextBlock: { inlines: { type: 'array', items: { anyOf: [{ type: 'string' }, { $ref: '#/definitions/TextRun' }] } } },
  'Action.ShowCard': { card: { $ref: '#/definitions/InlineAdaptiveCard' } },
  Table: { rows: objects('TableRow') },
  TableRow: { cells: objects('TableCell') },
  Carousel: { pages: objects('CarouselPage') },
};

for (const t of elementTypes) describe(new (AC.GlobalRegistry.elements.findByName(t).objectType)(), 'Element');
for (const t of actionTypes) describe(new (AC.GlobalRegistry.actions.findByName(t).objectType)(), 'Action');
for (const o of [new AC.Column(), new AC.TableRow(), new AC.TableCell(), new AC.CarouselPage()]) describe(o, 'Element');
describe(new AC.AdaptiveCard(), 'Element');
describe(new AC.ShowCardAction().card, 'Element');
// The renderer ignores these two on a ShowCard's card; the specification allows them there.
Object.assign(definitions.InlineAdaptiveCard.properties, { version: CUSTOM.version, $schema: CUSTOM.$schema });

definitions.Element = dispatch(standalone, 'an element type');
definitions.CarouselElement = dispatch(standalone.filter((t) => !CAROUSEL_FORBIDDEN.includes(t)),
  'an element type allowed in a carousel page');
definitions.Action = dispatch(actionTypes, 'an action type');
definitions.SelectAction = dispatch(actionTypes.filter((t) => t !== 'Action.ShowCard'),
  'an action type allowed here (not Action.ShowCard)');
definitions.ExecuteAction = dispatch(['Action.Execute'], 'Action.Execute (the only action a refresh runs)');
definitions.TargetElement = {
  anyOf: [{ type: 'string' }, closed({ elementId: { type: 'string' }, isVisible: { type: 'boolean' },
    type: { const: 'TargetElement' } }, ['elementId'])],
};
definitions.HostCapabilities = { type: 'object', additionalProperties: { type: 'string', pattern: '^(\\*|[0-9]+\\.[0-9]+)$' } };
definitions.HearthSubmitData = {
  description: 'Hearth reads `rpc` (call that method with the data and the inputs) and `open` (open that page); ' +
    'the other keys are the data sent, or the page parameters.',
  anyOf: [{ type: 'string' }, {
    type: 'object',
    properties: {
      rpc: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.]*\\.[A-Za-z_][A-Za-z0-9_]*/[A-Za-z_][A-Za-z0-9_]*$' },
      open: { type: 'string', pattern: '^[a-z][a-z0-9-]*/[a-z][a-z0-9-]*$' },
    },
  }],
};
verifyChildren();

const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://hearth.dev/schemas/adaptive-card-1.6.json',
  title: 'The Adaptive Cards language of the Hearth shell',
  description: `Generated by ui-schemas/web/scripts/card-schema.mjs from adaptivecards ${packageVersion()} ` +
    `(card version ${V16}) and Hearth's host elements; do not edit. See docs/cards.md.`,
  $ref: '#/definitions/AdaptiveCard',
  definitions: sortKeys(definitions),
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(schema, null, 1) + '\n');
console.log(`card schema: ${elementTypes.length} element types (${Object.keys(hostElements).length} of Hearth), ` +
  `${actionTypes.length} action types, ${Object.keys(definitions).length} definitions -> ${out}`);

/** Type names a registry renders at 1.6, sorted. */
function registered(registry) {
  const names = [];
  for (let i = 0; i < registry.getItemCount(); i++) {
    const r = registry.getItemAt(i);
    if (r.schemaVersion.compareTo(V16) <= 0) names.push(r.typeName);
  }
  return names.sort();
}

/** Adds the definition of one serializable object (and, recursively, of the objects it holds). */
function describe(object, kind) {
  const name = object instanceof AC.CardObject && object.getSchemaKey() !== 'InlineAdaptiveCard'
    ? object.getJsonTypeName() : object.getSchemaKey();
  if (definitions[name]) return name;
  definitions[name] = {}; // reserve: definitions may refer to themselves
  const properties = {};
  const schema = object.getSchema();
  for (let i = 0; i < schema.getCount(); i++) {
    const p = schema.getItemAt(i);
    if (!p.isSerializationEnabled || p.targetVersion.compareTo(V16) > 0) continue;
    const value = p.name === 'type' ? typeOf(object, name) : valueOf(p, name);
    properties[p.name] = properties[p.name] ? { anyOf: [properties[p.name], value] } : value;
  }
  if (!properties.type && NESTED_TYPE[name]) properties.type = { const: NESTED_TYPE[name] };
  Object.assign(properties, CHILDREN[name] ?? {});
  if (object instanceof AC.CardObject && name !== 'AdaptiveCard' && name !== 'InlineAdaptiveCard') {
    const same = kind === 'Action' ? 'Action' : name === 'Column' ? 'Column' : 'Element';
    properties.fallback = { anyOf: [ci(['drop']), { $ref: `#/definitions/${same}` }] };
  }
  const type = hostElements[name];
  const required = (type?.requiredProperties ?? REQUIRED[name] ?? []).filter((r) => r in properties);
  definitions[name] = closed(properties, required, hostElements[name] ? 'Hearth host element' : undefined);
  return name;
}

function typeOf(object, name) {
  if (object instanceof AC.CardObject) return { const: name === 'InlineAdaptiveCard' ? 'AdaptiveCard' : name };
  return { type: 'string' }; // AuthCardButton's own `type` field ("signin")
}

/** The JSON schema of one property's values, by the kind of its definition. */
function valueOf(p, owner) {
  if (p instanceof AC.ActionProperty) {
    return { $ref: p.forbiddenActionTypes.includes('Action.ShowCard') ? '#/definitions/SelectAction' : '#/definitions/Action' };
  }
  if (p instanceof AC.RefreshActionProperty) return { $ref: '#/definitions/ExecuteAction' };
  if (p instanceof AC.ValueSetProperty) return ci(p.values.filter(supported(p)).map((v) => v.value));
  if (p instanceof AC.EnumProperty) {
    return ci(p.values.filter(supported(p)).map((v) => camel(p.enumType[v.value])));
  }
  if (p instanceof AC.StringProperty) {
    if (p.regEx && owner !== 'choices.data') return { type: 'string', pattern: pattern(p.regEx) };
    if (p.regEx) return { const: 'Data.Query' }; // the query's own `type`
    return { type: 'string' };
  }
  if (p instanceof AC.BoolProperty) return { type: 'boolean' };
  if (p instanceof AC.NumProperty) return { type: 'number' };
  if (p instanceof AC.PixelSizeProperty) return pixels;
  if (p instanceof AC.StringArrayProperty) return { type: 'array', items: { type: 'string' } };
  if (p instanceof AC.SerializableObjectProperty) {
    const target = { $ref: `#/definitions/${describe(new p.objectType(), 'Object')}` };
    return p.objectType === AC.BackgroundImage ? { anyOf: [{ type: 'string' }, target] } : target; // a URL alone is fine
  }
  if (p instanceof AC.SerializableObjectCollectionProperty) {
    return { type: 'array', items: { $ref: `#/definitions/${describe(new p.objectType(), 'Object')}` } };
  }
  if (p instanceof AC.CustomProperty) {
    const shape = CUSTOM[`${owner}.${p.name}`] ?? CUSTOM[p.name];
    if (!shape) throw new Error(`${owner}.${p.name}: a CustomProperty card-schema.mjs does not know; add its shape to CUSTOM`);
    return shape;
  }
  if (p.constructor.name === 'ImageDimensionProperty') {
    return p.fallbackProperty ? { anyOf: [pixels, ci(p.fallbackProperty.values.map((v) => v.value))] } : pixels;
  }
  if (p.constructor === AC.PropertyDefinition && p.name === 'data') return { $ref: '#/definitions/HearthSubmitData' };
  throw new Error(`${owner}.${p.name}: a ${p.constructor.name} card-schema.mjs does not know`);
}

function supported(p) {
  return (v) => (v.targetVersion ?? p.targetVersion).compareTo(V16) <= 0;
}

/** An object of exactly these properties, plus the templating keys `$data` and `$when`. */
function closed(properties, required = [], description) {
  const d = { type: 'object' };
  if (description) d.description = description;
  d.properties = { ...properties, $data: {}, $when: { type: 'string' } };
  if (required.length) d.required = required;
  d.additionalProperties = false;
  return d;
}

/**
 * Chooses a definition by the value of `type`: one `if`/`then` per type, so that an object is
 * checked against its own type only, and an unknown type is reported as that, at its `type`.
 */
function dispatch(types, what) {
  return {
    type: 'object',
    required: ['type'],
    properties: { type: { description: what, enum: types } },
    allOf: types.map((t) => ({
      if: { properties: { type: { const: t } }, required: ['type'] },
      then: { $ref: `#/definitions/${t}` },
    })),
  };
}

/**
 * A string matching one of `values` in any case, as the renderer reads enums. JSON schema enums
 * are case-sensitive, so it is a pattern; `enumIgnoringCase` keeps the values for messages.
 */
function caseInsensitiveEnum(values) {
  const alternatives = values.map((v) => [...v].map((c) => (c.toLowerCase() === c.toUpperCase()
    ? c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : `[${c.toLowerCase()}${c.toUpperCase()}]`)).join(''));
  return { type: 'string', pattern: `^(${alternatives.join('|')})$`, enumIgnoringCase: values };
}

/** A JavaScript RegExp as a JSON schema pattern; an `i` flag becomes both cases in its letter ranges. */
function pattern(regEx) {
  return regEx.flags.includes('i') ? regEx.source.replace(/\[a-z\]/g, '[a-zA-Z]') : regEx.source;
}

function camel(s) {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function sortKeys(o) {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

function packageVersion() {
  return createRequire(import.meta.url)('adaptivecards/package.json').version;
}

/**
 * Proves each CHILDREN entry: the renderer, given that collection on that type, keeps it (its
 * toJSON has it back). A renderer update that renamed or dropped one fails the build here.
 */
function verifyChildren() {
  const text = { type: 'TextBlock', text: 'x' };
  const samples = {
    body: [text], items: [text], actions: [{ type: 'Action.Submit', title: 'x' }], columns: [{ type: 'Column', items: [text] }],
    inlines: ['x'], card: { type: 'AdaptiveCard', body: [text] }, cells: [{ type: 'TableCell', items: [text] }],
    rows: [{ type: 'TableRow', cells: [{ type: 'TableCell', items: [text] }] }], pages: [{ type: 'CarouselPage', items: [text] }],
    fallback: text,
  };
  const make = {
    AdaptiveCard: () => new AC.AdaptiveCard(), InlineAdaptiveCard: () => new AC.ShowCardAction().card,
    Column: () => new AC.Column(), TableRow: () => new AC.TableRow(), TableCell: () => new AC.TableCell(),
    CarouselPage: () => new AC.CarouselPage(),
  };
  for (const [owner, children] of Object.entries(CHILDREN)) {
    for (const key of Object.keys(children)) {
      if (key === 'fallback') continue; // read when fallback is needed only; checked by the card tests
      const create = make[owner] ?? (() => {
        const r = AC.GlobalRegistry.elements.findByName(owner) ?? AC.GlobalRegistry.actions.findByName(owner);
        return new r.objectType();
      });
      const object = create();
      const context = new AC.SerializationContext(V16);
      const source = { type: owner === 'InlineAdaptiveCard' ? 'AdaptiveCard' : owner, version: '1.6', [key]: samples[key] };
      if (owner === 'Carousel') source.pages = samples.pages;
      object.parse(source, context);
      const back = object.toJSON(context) ?? {};
      if (!(key in back)) throw new Error(`the renderer no longer reads '${key}' of ${owner}: update CHILDREN`);
    }
  }
}
