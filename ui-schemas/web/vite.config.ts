import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Writes the build's list of assets into the service worker (public/sw.js, `ASSETS`): each build
 * then has a worker of its own, which on activation deletes the cached assets of older builds.
 */
function serviceWorkerAssets(): Plugin {
  let assets: string[] = [];
  let outDir = '';
  return {
    name: 'hearth-sw-assets',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir.startsWith('/') ? config.build.outDir : join(config.root, config.build.outDir);
    },
    generateBundle(_, bundle) {
      assets = Object.keys(bundle).filter((f) => f.startsWith('assets/')).map((f) => f.slice('assets/'.length)).sort();
    },
    closeBundle() {
      const file = join(outDir, 'sw.js');
      const text = readFileSync(file, 'utf8');
      const marker = '/*HEARTH_ASSETS*/[]';
      if (!text.includes(marker)) throw new Error(`${file}: no ${marker} to fill in`);
      writeFileSync(file, text.replace(marker, JSON.stringify(assets)));
    },
  };
}

// The build lands in the ui-schemas jar under /web, which the node serves at /. Hashed file names
// let the node mark assets immutable and only index.html no-cache.
export default defineConfig({
  base: '/',
  plugins: [serviceWorkerAssets()],
  resolve: {
    alias: [
      // adaptive-expressions' prebuilt browser bundle calls its bundled `assert` as a namespace
      // object and fails on the first template; its CommonJS build works once the three Node
      // modules it touches are shimmed (src/shims).
      { find: /^adaptive-expressions$/, replacement: here('node_modules/adaptive-expressions/lib/index.js') },
      { find: /^assert$/, replacement: here('src/shims/assert.ts') },
      { find: /^util$/, replacement: here('src/shims/util.ts') },
      { find: /^os$/, replacement: here('src/shims/os.ts') },
    ],
  },
  build: {
    outDir: '../target/classes/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
});
