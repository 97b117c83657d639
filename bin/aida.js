#!/usr/bin/env node
// The `aida` executable: runs the bundled JavaScript in dist/node, building it first when a source file is
// newer than the last build (bin/build-node.js).
import { ensureBuilt } from './build-node.js';

// DuckDB queries run on libuv's thread pool: give it room before anything uses it, so health checks
// and static files never wait behind a long query.
process.env.UV_THREADPOOL_SIZE ??= '16';

await ensureBuilt();
await import('../dist/node/aida.js');
