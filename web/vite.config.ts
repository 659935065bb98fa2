// The web app's build (`npm run web:build` → web/dist, served by `npm start`) and dev server
// (`npm run dev:web`: hot reload on :5173, the API proxied to `npm start` on :3000, or API_URL).
// No React plugin: esbuild compiles the JSX; the dev server reloads the page on a change.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const api = process.env.API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  esbuild: { jsx: 'automatic' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
  // the API and the runtime config (/config.json) come from `npm start`
  server: { port: 5173, strictPort: false, proxy: { '/v1': { target: api, changeOrigin: false }, '/config.json': { target: api } } },
});
