import { defineConfig } from 'vite';

// The build lands in the ui-schemas jar under /web, which the node serves at /. Hashed file names
// let the node mark assets immutable and only index.html no-cache.
export default defineConfig({
  base: '/',
  build: {
    outDir: '../target/classes/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
  },
});
