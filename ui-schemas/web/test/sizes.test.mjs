// The shell's sizes (src/sizes.ts): binary units, as the node counts (docs/files.md: the default quota is
// 10 GiB = 10,737,418,240 bytes, which must not read "10.7 GB"), in English and Russian from the strings
// tables, and the quota field reading back what it shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
const bundle = buildSync({ entryPoints: [join(HERE, '../src/sizes.ts')], bundle: true, format: 'esm', write: false, platform: 'neutral' });
const { GIB, formatBytes, parseGiB, toGiB, unitsOf } =
  await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`);
const strings = (file) => JSON.parse(readFileSync(join(HERE, '../../src/main/resources/dev/hearth/ui/strings', file), 'utf8'));
const en = unitsOf(strings('shell.json')['shell.units.bytes']);
const ru = unitsOf(strings('shell_ru.json')['shell.units.bytes']);
const NBSP = '\u00a0';

test('sizes are in binary units: the node\'s default quota of 10 GiB reads 10 GiB, not 10.7 GB', () => {
  assert.deepEqual(en, ['B', 'KiB', 'MiB', 'GiB', 'TiB']);
  assert.equal(formatBytes(10_737_418_240, 'en-GB', en), `10${NBSP}GiB`);
  assert.equal(formatBytes(4 * GIB, 'en-GB', en), `4${NBSP}GiB`); // files.maxFileBytes
  assert.equal(formatBytes(0, 'en-GB', en), `0${NBSP}B`);
  assert.equal(formatBytes(1023, 'en-GB', en), `1,023${NBSP}B`);
  assert.equal(formatBytes(1024, 'en-GB', en), `1${NBSP}KiB`);
  assert.equal(formatBytes(1536, 'en-GB', en), `1.5${NBSP}KiB`);
  assert.equal(formatBytes(5000, 'en-GB', en), `4.9${NBSP}KiB`);
  assert.equal(formatBytes(1_048_576, 'en-GB', en), `1${NBSP}MiB`);
  assert.equal(formatBytes('3221225472', 'en-GB', en), `3${NBSP}GiB`); // int64 fields arrive as text
  assert.equal(formatBytes(2 * 1024 ** 4, 'en-GB', en), `2${NBSP}TiB`);
  assert.equal(formatBytes(5000 * 1024 ** 4, 'en-GB', en), `5,000${NBSP}TiB`);
  assert.equal(formatBytes(-5, 'en-GB', en), `0${NBSP}B`);
});

test('in Russian: КиБ, МиБ, ГиБ with a decimal comma', () => {
  assert.deepEqual(ru, ['Б', 'КиБ', 'МиБ', 'ГиБ', 'ТиБ']);
  assert.equal(formatBytes(10 * GIB, 'ru-RU', ru), `10${NBSP}ГиБ`);
  assert.equal(formatBytes(1536, 'ru-RU', ru), `1,5${NBSP}КиБ`);
  assert.equal(formatBytes(1.5 * 1024 * 1024, 'ru', ru), `1,5${NBSP}МиБ`);
  assert.equal(formatBytes(12, 'ru', ru), `12${NBSP}Б`);
});

test('a missing or malformed units entry falls back to the English units', () => {
  assert.deepEqual(unitsOf(''), en);
  assert.deepEqual(unitsOf('B KiB'), en);
});

test('the quota field takes GiB, the unit it shows, and reads back what it shows', () => {
  assert.equal(parseGiB(''), 0);
  assert.equal(parseGiB('  '), 0);
  assert.equal(parseGiB('10'), 10 * GIB);
  assert.equal(parseGiB('2.5'), 2.5 * GIB);
  assert.equal(parseGiB('2,5'), 2.5 * GIB);
  assert.equal(parseGiB('0.5'), 512 * 1024 * 1024);
  assert.equal(parseGiB('-1'), -GIB); // the node refuses it, in its words, beside the field
  assert.equal(parseGiB('ten'), undefined);
  assert.equal(parseGiB('1.2.3'), undefined);
  assert.equal(parseGiB('Infinity'), undefined);
  for (const bytes of [GIB, 10 * GIB, 2.5 * GIB, 1024, 1000, 1074, 1, 123_456_789_012, 5 * 1024 ** 4]) {
    const shown = toGiB(bytes);
    assert.equal(parseGiB(shown), bytes, `${bytes} shows as ${shown}`);
  }
  assert.equal(toGiB(10 * GIB), '10');
  assert.equal(toGiB(2.5 * GIB), '2.5');
  assert.equal(toGiB(512 * 1024 * 1024), '0.5');
});
