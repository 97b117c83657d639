// The values aida takes from @duckdb/node-api, loaded with require(): the package is CommonJS, and an
// ES-module import of it makes Node scan each of its files for export names (about 140 ms of CPU on
// every start that opens a database, `aida sql` included). Types still come from the package itself.
import { createRequire } from 'node:module';
import type * as DuckDB from '@duckdb/node-api';

const duckdb = createRequire(import.meta.url)('@duckdb/node-api') as typeof DuckDB;

export const { DuckDBInstance, DuckDBTimestampTZValue, DuckDBTypeId, JsonDuckDBValueConverter, StatementType } = duckdb;
export type DuckDBInstance = DuckDB.DuckDBInstance;
export type DuckDBTypeId = DuckDB.DuckDBTypeId;
export type StatementType = DuckDB.StatementType;
