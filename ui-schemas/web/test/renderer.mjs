// The shell's card language for Node tests: scripts/card-schema.mjs bundles src/card-language.ts
// (the adaptivecards renderer with Hearth's host elements registered) and derives the validator's
// schema from it. Tests parse cards with that same bundle, so host elements render here too.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaFile = join(web, '../target/card-schema-for-tests.json');
execFileSync(process.execPath, [join(web, 'scripts/card-schema.mjs'), schemaFile], { stdio: 'pipe' });

const bundle = createRequire(import.meta.url)(join(web, '../target/card-language.cjs'));
/** The renderer (adaptivecards' exports) with the host elements registered. */
export const AC = bundle.AC;
/** The generated schema, as the Java validator reads it. */
export const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));

/** Parses `card` as the shell does (version 1.6); returns the card and every parse and validation message. */
export function parse(card) {
  const context = new AC.SerializationContext(AC.Versions.v1_6);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const messages = [];
  for (let i = 0; i < context.eventCount; i++) messages.push(`parse: ${context.getEventAt(i).message}`);
  for (const e of parsed.validateProperties().validationEvents) messages.push(`validate: ${e.message}`);
  return { parsed, context, messages };
}
