import { defineConfig } from 'vite';

/**
 * The console's build: one script and one stylesheet with fixed names (app.js, app.css) under
 * dist/, which the console function inlines into its Lambda bundle (functions/system/console).
 * Served under /console/, so every URL in index.html is absolute under that base.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 100_000,
    cssCodeSplit: false,
    modulePreload: false,
    rolldownOptions: {
      output: { entryFileNames: 'app.js', chunkFileNames: 'app-[name].js', assetFileNames: 'app[extname]', codeSplitting: false },
    },
  },
});
