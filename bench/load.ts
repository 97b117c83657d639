// Load step of `npm run bench` (issue 13): `aida serve` on a real loopback port over a warehouse of 1M
// events, 100 concurrent clients for 30 s, every request a dashboard URL with a period or parameter not
// asked before (nothing served from the cache). Counts what was admitted, shed (503 + Retry-After) and
// failed, the latency of admitted requests, /api/health polled alongside, the server's peak RSS and the
// host's load average before and after (the machine is shared: a busy host slows every number).
// Run alone: node --import tsx bench/load.ts --db FILE [--clients 100] [--seconds 30]
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

export interface LoadResult {
  clients: number;
  seconds: number;
  requests: number;
  /** 200s: the requests the admission control let in */
  admitted: number;
  /** deliberate 503s with Retry-After */
  shed: number;
  /** any other 5xx, or a failed connection: must be 0 */
  errors: number;
  /** 4xx: must be 0 (the URLs are valid) */
  clientErrors: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  healthChecks: number;
  healthP50: number;
  healthMax: number;
  serverPeakRssMB: number;
  loadBefore: number;
  loadAfter: number;
  perEndpoint: { endpoint: string; admitted: number; shed: number; p50: number; p99: number }[];
}

/**
 * An endless supply of distinct dashboard URLs: every page's endpoints over periods that differ in
 * start or end, so each request is computed (the cache is keyed by the exact query).
 */
export function variedDashboardUrls(lastDay: string): () => string {
  const day = (offset: number) => new Date(Date.parse(`${lastDay}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  const shapes = [
    (p: string) => `/api/funnel?${p}`,
    (p: string) => `/api/funnel?${p}&breakdown=channel`,
    (p: string) => `/api/funnel/trends?${p}&grain=week`,
    (p: string) => `/api/efficiency?${p}`,
    (p: string) => `/api/customers/tiers?${p}`,
    (p: string) => `/api/campaigns?${p}`,
    (p: string) => `/api/complaints?${p}`,
    (p: string) => `/api/paths?${p}&start=interest`,
    (p: string) => `/api/funnel/correlation?${p}&from_step=interest&to_step=action`,
  ];
  let i = 0;
  return () => {
    // 9 shapes × 60 start days × 40 lengths = 21,600 distinct URLs before any repeats
    const n = i++;
    const shape = shapes[n % shapes.length]!;
    const start = -((Math.floor(n / shapes.length) % 60) + 7);
    const length = (Math.floor(n / (shapes.length * 60)) % 40) + 7;
    return shape(`from=${day(start - length)}&to=${day(start + 1)}`);
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Polls the funnel (which also tells the last data day) until the server answers. */
async function waitUntilServing(base: string, child: ChildProcess, timeoutMs: number): Promise<{ lastDay: string }> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`aida serve exited with code ${child.exitCode}`);
    try {
      const r = await fetch(`${base}/api/funnel`);
      if (r.ok) {
        const body = (await r.json()) as { period: { to: string } };
        return { lastDay: new Date(Date.parse(`${body.period.to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10) };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('aida serve did not answer within the time limit');
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};

/** The server's peak resident set so far (Linux), in MB. */
function peakRssMB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every 200 ms: GET /api/health, its latency (Infinity when not 200); posts the list at the end. */
const healthPoller = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const ms = [];
  while (Date.now() < workerData.until) {
    const t = performance.now();
    const r = await fetch(workerData.url);
    await r.arrayBuffer();
    ms.push(r.ok ? performance.now() - t : Infinity);
    await new Promise((done) => setTimeout(done, 200));
  }
  parentPort.postMessage(ms);
})();`;

export async function loadBench(db: string, clients = 100, seconds = 30): Promise<LoadResult> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['bin/aida.js', 'serve', '--db', db, '--port', String(port)], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, UV_THREADPOOL_SIZE: '16' } });
  try {
    const { lastDay } = await waitUntilServing(base, child, 120_000);
    const nextUrl = variedDashboardUrls(lastDay);
    const samples: { endpoint: string; ms: number; status: number }[] = [];
    const health: number[] = [];
    const loadBefore = os.loadavg()[0]!;
    const deadline = performance.now() + seconds * 1000;
    const client = async () => {
      while (performance.now() < deadline) {
        const url = nextUrl();
        const t = performance.now();
        let status = 0;
        let retryAfter = 0;
        try {
          const r = await fetch(base + url);
          await r.arrayBuffer();
          status = r.status;
          retryAfter = Number(r.headers.get('retry-after') ?? 0);
        } catch {
          status = 0;
        }
        samples.push({ endpoint: url.split('?')[0]!, ms: performance.now() - t, status });
        // a well-behaved client waits as told before asking again
        if (status === 503 && retryAfter > 0) await pause(Math.min(retryAfter * 1000, Math.max(0, deadline - performance.now())));
      }
    };
    // health is polled from a thread of its own, so the 100 clients' event loop does not delay its clock
    const monitor = () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(healthPoller, { eval: true, workerData: { url: `${base}/api/health`, until: Date.now() + seconds * 1000 } });
        worker.once('message', (ms: number[]) => (health.push(...ms), resolve()));
        worker.once('error', reject);
      });
    const started = performance.now();
    await Promise.all([monitor(), ...Array.from({ length: clients }, client)]);
    const elapsed = (performance.now() - started) / 1000;
    const loadAfter = os.loadavg()[0]!;
    const rss = peakRssMB(child.pid!);
    const admitted = samples.filter((s) => s.status === 200);
    const ms = admitted.map((s) => s.ms);
    const endpoints = [...new Set(samples.map((s) => s.endpoint))];
    return {
      clients, seconds: elapsed, requests: samples.length, admitted: admitted.length,
      shed: samples.filter((s) => s.status === 503).length,
      errors: samples.filter((s) => s.status === 0 || (s.status >= 500 && s.status !== 503)).length,
      clientErrors: samples.filter((s) => s.status >= 400 && s.status < 500).length,
      requestsPerSecond: samples.length / elapsed,
      p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), max: Math.max(...ms),
      healthChecks: health.length, healthP50: quantile(health, 0.5), healthMax: Math.max(...health),
      serverPeakRssMB: rss, loadBefore, loadAfter,
      perEndpoint: endpoints.map((e) => {
        const mine = samples.filter((s) => s.endpoint === e);
        const xs = mine.filter((s) => s.status === 200).map((s) => s.ms);
        return { endpoint: e, admitted: xs.length, shed: mine.filter((s) => s.status === 503).length, p50: quantile(xs, 0.5), p99: quantile(xs, 0.99) };
      }),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
}

export function loadTable(r: LoadResult): string {
  const ms = (x: number) => x.toFixed(1);
  const pct = (n: number) => `${((100 * n) / Math.max(r.requests, 1)).toFixed(1)}%`;
  return [
    `| clients | seconds | requests | admitted | shed (503) | other 5xx / failed | 4xx | admitted p50 ms | admitted p99 ms | admitted max ms | health p50 ms | health max ms (target < 1000) | server peak RSS |`,
    `|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
    `| ${r.clients} | ${r.seconds.toFixed(1)} | ${r.requests} | ${r.admitted} | ${r.shed} (${pct(r.shed)}) | ${r.errors} | ${r.clientErrors} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${ms(r.healthP50)} | ${ms(r.healthMax)} | ${r.serverPeakRssMB} MB |`,
    '',
    '| endpoint | admitted | shed | p50 ms | p99 ms |',
    '|---|---:|---:|---:|---:|',
    ...r.perEndpoint.map((e) => `| ${e.endpoint} | ${e.admitted} | ${e.shed} | ${ms(e.p50)} | ${ms(e.p99)} |`),
    '',
    `Every request a distinct, uncached URL; a shed client waits its Retry-After. Load average (1 min) before / after: ${r.loadBefore.toFixed(2)} / ${r.loadAfter.toFixed(2)} on ${os.cpus().length} cores (other work on the machine slows every number).`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { db: { type: 'string' }, clients: { type: 'string', default: '100' }, seconds: { type: 'string', default: '30' } } });
  if (!values.db) throw new Error('--db FILE is required (a warehouse with 1M events, e.g. bench/out/db/query-1000000.duckdb)');
  console.log(loadTable(await loadBench(values.db, Number(values.clients), Number(values.seconds))));
}
