import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web app: Preact without a Vite plugin (esbuild compiles the JSX for Preact), built to
 * web/dist with relative asset paths so the same bundle works behind CloudFront and from the local
 * gateway. `npm run dev:web` proxies the API and local-only routes to a running local runtime
 * (`npm start`), at KF_API_URL or http://127.0.0.1:3000.
 */
const apiTarget = process.env.KF_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  publicDir: 'public',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // One entry chunk for the request and approval pages; the ledger pages are a second chunk
    // (a dynamic import in App.tsx), fetched on the first visit to 台帳.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/config.json': apiTarget,
      '/_local': apiTarget,
    },
  },
});
