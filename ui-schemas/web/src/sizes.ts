// Sizes as the node counts them: in binary units (1 KiB = 1024 bytes, 1 GiB = 2^30), the units its
// limits and defaults are written in (docs/files.md: a 10 GiB quota, 4 GiB files). Every size the
// shell shows goes through formatBytes() — the files list, the quota and its use, uploads and
// attachments, the admin console — and the quota field takes GiB, the unit it is shown in. The unit
// words are the strings table's (`shell.units.bytes`: "B KiB MiB GiB TiB", "Б КиБ МиБ ГиБ ТиБ").
// Pure (no DOM, no string table), so test/sizes.test.mjs runs it under Node.

export const GIB = 1024 ** 3;

/** `n` bytes in the largest binary unit below it, with one decimal at most, in `lang`'s number format: "10 GiB", "1,5 МиБ". */
export function formatBytes(n: number | string, lang: string | undefined, units: readonly string[]): string {
  let v = Number(n);
  if (!Number.isFinite(v) || v < 0) v = 0;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  let text: string;
  try {
    text = v.toLocaleString(lang || undefined, { maximumFractionDigits: i === 0 ? 0 : 1 });
  } catch {
    text = v.toLocaleString(undefined, { maximumFractionDigits: i === 0 ? 0 : 1 }); // a locale the browser does not know
  }
  return `${text}\u00a0${units[i]}`;
}

/** The unit words of a strings table's `shell.units.bytes` (five, space-separated). */
export function unitsOf(text: string): string[] {
  const units = text.split(/\s+/).filter(Boolean);
  return units.length === 5 ? units : ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
}

/**
 * A number of GiB as typed in the quota field ("2.5", "2,5", " 10 "), in bytes (whole); '' is 0 (the
 * node's default). Undefined when it is not a number: the field says so.
 */
export function parseGiB(text: string): number | undefined {
  const t = text.trim().replace(',', '.');
  if (!t) return 0;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return undefined;
  const gib = Number(t);
  return Number.isFinite(gib) ? Math.round(gib * GIB) : undefined;
}

/** Bytes as the quota field shows them: a number of GiB that parseGiB() reads back to the same bytes. */
export function toGiB(bytes: number): string {
  const gib = Number(bytes) / GIB;
  // Up to 6 decimals keeps byte-exact quotas of up to ~1 PiB readable; more when those do not round-trip.
  for (const digits of [6, 9, 12]) {
    const text = String(Number(gib.toFixed(digits)));
    if (parseGiB(text) === Number(bytes)) return text;
  }
  return String(gib);
}
