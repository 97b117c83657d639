// Vite builds the Lit web app from web/ into dist/web, which the server serves; each text file is also
// written compressed (.br, .gz) so the server sends the smaller copy without compressing per request.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/** Brotli and gzip copies beside every .js/.css/.html/.svg/.json the build wrote (at their best levels). */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'aida-precompress',
    apply: 'build',
    configResolved: (config) => void (outDir = path.resolve(config.root, config.build.outDir)),
    closeBundle() {
      for (const entry of fs.readdirSync(outDir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !/\.(js|css|html|svg|json)$/.test(entry.name)) continue;
        const file = path.join(entry.parentPath, entry.name);
        const body = fs.readFileSync(file);
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(body));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: 'web',
  base: '/',
  plugins: [precompress()],
  build: { outDir: '../dist/web', emptyOutDir: true, target: 'es2022' },
  server: {
    proxy: {
      // aida serve answers only to its own Host and Origin (DNS rebinding, CSRF): the dev proxy speaks as it
      '/api': { target: 'http://127.0.0.1:8787', changeOrigin: true, configure: (proxy) => proxy.on('proxyReq', (req) => req.removeHeader('origin')) },
    },
  },
});
