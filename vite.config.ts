// Vite builds the Lit web app from web/ into dist/web, which the server serves.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: '/',
  build: { outDir: '../dist/web', emptyOutDir: true, target: 'es2022' },
  server: { proxy: { '/api': 'http://127.0.0.1:8787' } },
});
