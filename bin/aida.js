#!/usr/bin/env node
// The `aida` executable: registers the TypeScript loader, then runs bin/aida.ts.

// DuckDB queries run on libuv's thread pool: give it room before anything uses it, so health checks
// and static files never wait behind a long query.
process.env.UV_THREADPOOL_SIZE ??= '16';

const { register } = await import('tsx/esm/api');
register();
await import('./aida.ts');
