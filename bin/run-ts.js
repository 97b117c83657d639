#!/usr/bin/env node
// Runs a TypeScript file (the benchmark) with the same loader and thread-pool size as `aida`.

// DuckDB queries run on libuv's thread pool: give it room before anything uses it, so health checks
// and static files never wait behind a long query.
process.env.UV_THREADPOOL_SIZE ??= '16';

const { register } = await import('tsx/esm/api');
register();
const { pathToFileURL } = await import('node:url');
const [script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], script, ...args];
await import(pathToFileURL(script).href);
