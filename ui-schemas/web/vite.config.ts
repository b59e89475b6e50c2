import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The build lands in the ui-schemas jar under /web, which the node serves at /. Hashed file names
// let the node mark assets immutable and only index.html no-cache.
export default defineConfig({
  base: '/',
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
