// Measures what the client costs a browser: bundles everything the package exports (session,
// every service, realtime) with esbuild for the browser, minified, and prints the bytes raw and
// gzipped. Fails above the budget of docs/clients.md (40 kB gzipped).
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const BUDGET = 40 * 1024;
const out = await build({
  stdin: { contents: "export * from './dist/index.js';", resolveDir: join(import.meta.dirname, '..'), loader: 'js' },
  bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false,
});
const js = out.outputFiles[0].contents;
const gz = gzipSync(js, { level: 9 }).length;
console.log(`SIZE client-bundle-bytes=${js.length} client-bundle-gzip-bytes=${gz} (budget ${BUDGET})`);
if (gz > BUDGET) {
  console.error(`client: the browser bundle is ${gz} bytes gzipped, over the budget of ${BUDGET}`);
  process.exit(1);
}
