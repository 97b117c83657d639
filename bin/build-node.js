#!/usr/bin/env node
// Bundles the command and server (bin/aida.ts and everything it imports from bin, ingest, queries, server,
// web) with esbuild into dist/node — one file per lazily imported command, so a start reads a few files
// instead of hundreds of modules — and stamps the build; `node bin/build-node.js` forces it, bin/aida.js
// calls ensureBuilt() on every start. Type checking is `npm run typecheck` (tsc), not part of the build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outDir = path.join(root, 'dist/node');
const stamp = path.join(outDir, '.built');
const sourceDirs = ['bin', 'ingest', 'queries', 'server', 'web'];
// native bindings, packages that find their own files at run time, and the dev-only web build
const external = ['@duckdb/*', 'jsdom', 'playwright-core', 'vite', 'lightningcss', 'fsevents'];

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds when forced, when there is no build, or when a source file is newer than the last build. */
export async function ensureBuilt(force = false) {
  const built = fs.statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (!force && Math.max(...sourceDirs.map((d) => newestSource(path.join(root, d)))) <= built) return;
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    console.error('aida: dist/node is missing or older than the sources, and esbuild is not installed to build it (run npm install)');
    process.exit(1);
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: [path.join(root, 'bin/aida.ts')],
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    external,
    // CommonJS packages inside an ES module bundle still call require() for Node's own modules
    banner: { js: "import { createRequire as __aidaRequire } from 'node:module'; const require = __aidaRequire(import.meta.url);" },
    logLevel: 'warning',
  }).catch(() => undefined);
  if (!result || result.errors.length > 0) process.exit(1);
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) await ensureBuilt(true);
