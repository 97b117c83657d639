#!/usr/bin/env node
// The `aida` executable: registers the TypeScript loader, then runs bin/aida.ts.
import { register } from 'tsx/esm/api';

register();
await import('./aida.ts');
