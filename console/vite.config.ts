import { defineConfig } from 'vite';

/**
 * The console SPA. `base: './'` makes every asset URL relative, so one build runs at /console/ on the local
 * stack and at / behind CloudFront. JSX goes through Vite's own oxc transform (no Babel plugin needed).
 */
export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // `npm run console:dev`: hot reload against a running `npm start` (port 3000) for the API, sign-in and config.
  server: {
    proxy: {
      '/console/api': 'http://localhost:3000',
      '/_dev': 'http://localhost:3000',
      '/config.json': { target: 'http://localhost:3000', rewrite: () => '/console/config.json' },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Debian's Chromium and every evergreen browser; no legacy bundle.
    target: 'es2022',
    // Chart.js alone is ~200 KB: one chunk is fine for an internal tool, the warning would only be noise.
    chunkSizeWarningLimit: 400,
  },
});
