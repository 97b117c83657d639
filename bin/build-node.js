#!/usr/bin/env node
// Compiles the command and server (bin, ingest, queries, server, web) to dist/node with TypeScript, and
// stamps the build; `node bin/build-node.js` forces it, bin/aida.js calls ensureBuilt() on every start.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const stamp = path.join(root, 'dist/node/.built');
const sourceDirs = ['bin', 'ingest', 'queries', 'server', 'web'];

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
export function ensureBuilt(force = false) {
  const built = fs.statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (!force && Math.max(...sourceDirs.map((d) => newestSource(path.join(root, d)))) <= built) return;
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  if (!fs.existsSync(tsc)) {
    console.error('aida: dist/node is missing or older than the sources, and TypeScript is not installed to build it (run npm install)');
    process.exit(1);
  }
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) process.exit(1);
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) ensureBuilt(true);
