// Vite builds the Lit web app from web/ into dist/web, which the server serves.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: '/',
  build: { outDir: '../dist/web', emptyOutDir: true, target: 'es2022' },
  server: {
    proxy: {
      // aida serve answers only to its own Host and Origin (DNS rebinding, CSRF): the dev proxy speaks as it
      '/api': { target: 'http://127.0.0.1:8787', changeOrigin: true, configure: (proxy) => proxy.on('proxyReq', (req) => req.removeHeader('origin')) },
    },
  },
});
