// Runs examples/browser.js in headless Chromium on a node's origin, as docs/clients.md shows it:
// bundles it with esbuild (as Vite would), adds it to a page of the node's origin (its /health
// answer: a document served by the node itself, so Chromium's local-network checks pass), runs it,
// reloads the tab and runs it again (the session is restored from sessionStorage), printing what
// the page shows. Uses the shell's playwright-core
// (ui-schemas/web/node_modules) and Debian's Chromium.
//   HEARTH_URL=… HEARTH_EMAIL=… HEARTH_PASSWORD=… node scripts/browser-example.mjs
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const { chromium } = createRequire(join(root, '../../ui-schemas/web/package.json'))('playwright-core');
const url = process.env.HEARTH_URL;
const bundle = await build({
  entryPoints: [join(root, 'examples/browser.js')], bundle: true, format: 'iife', globalName: 'Example',
  platform: 'browser', write: false, alias: { '@hearth/client': join(root, 'dist/index.js') },
});

const browser = await chromium.launch({ executablePath: process.env.HEARTH_CHROMIUM ?? '/usr/bin/chromium' });
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.log(`[page] ${m.text()}`));
  for (const visit of ['first load', 'after a reload']) {
    await (visit === 'first load' ? page.goto(`${url}/health`) : page.reload());
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    console.log(`-- ${visit}: stored session ${await page.evaluate(() => sessionStorage.getItem('hearth.session') ? 'present' : 'absent')}`);
    const live = page.waitForEvent('console', { predicate: (m) => m.text().startsWith('message.created'), timeout: 10_000 });
    await page.evaluate(([e, p]) => Example.start(e, p, (line) => console.log(line)), [process.env.HEARTH_EMAIL, process.env.HEARTH_PASSWORD]);
    await live;
  }
} finally {
  await browser.close();
}
