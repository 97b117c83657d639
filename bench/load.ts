// Load step of `npm run bench` (issue 5): `aida serve` on a real loopback port over a warehouse of 1M
// events, 50 concurrent clients for 20 s on the dashboard endpoints; errors, p50, p99, requests/s.
// Bounded in count and time. Run alone: node --import tsx bench/load.ts --db FILE [--clients 50] [--seconds 20]
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { parseArgs } from 'node:util';

export interface LoadResult {
  clients: number;
  seconds: number;
  requests: number;
  errors: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** first request of each distinct URL: computed, not served from the per-data-version cache */
  coldP50: number;
  coldMax: number;
  perEndpoint: { endpoint: string; requests: number; p50: number; p99: number }[];
}

/** The dashboard's requests: every page's endpoints over a few periods and options, as people click around. */
export function dashboardUrls(lastDay: string): string[] {
  const day = (offset: number) => new Date(Date.parse(`${lastDay}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  const periods = [`from=${day(-27)}&to=${day(1)}`, `from=${day(-6)}&to=${day(1)}`, `from=${day(-55)}&to=${day(-27)}`];
  const urls: string[] = [];
  for (const p of periods) {
    urls.push(
      `/api/funnel?${p}`, `/api/funnel?${p}&breakdown=channel`, `/api/funnel/trends?${p}&grain=week`, `/api/efficiency?${p}`,
      `/api/customers/tiers?${p}`, `/api/campaigns?${p}`, `/api/complaints?${p}`,
    );
  }
  urls.push('/api/retention?grain=month', '/api/retention?grain=week&mode=rolling', '/api/repurchase', '/api/customers/lifecycle', '/api/customers/at-risk', '/api/snapshot', '/api/health');
  return urls;
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

export async function loadBench(db: string, clients = 50, seconds = 20): Promise<LoadResult> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['bin/aida.js', 'serve', '--db', db, '--port', String(port)], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, UV_THREADPOOL_SIZE: '16' } });
  try {
    const { lastDay } = await waitUntilServing(base, child, 120_000);
    const urls = dashboardUrls(lastDay);
    const samples: { endpoint: string; ms: number; cold: boolean }[] = [];
    const seen = new Set<string>();
    let errors = 0;
    let next = 0;
    const deadline = performance.now() + seconds * 1000;
    const client = async () => {
      while (performance.now() < deadline) {
        const url = urls[next++ % urls.length]!;
        const cold = !seen.has(url);
        seen.add(url);
        const t = performance.now();
        try {
          const r = await fetch(base + url);
          await r.arrayBuffer();
          if (!r.ok) errors++;
        } catch {
          errors++;
        }
        samples.push({ endpoint: url.split('?')[0]!, ms: performance.now() - t, cold });
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: clients }, client));
    const elapsed = (performance.now() - started) / 1000;
    const all = samples.map((s) => s.ms);
    const cold = samples.filter((s) => s.cold).map((s) => s.ms);
    const endpoints = [...new Set(samples.map((s) => s.endpoint))];
    return {
      clients, seconds: elapsed, requests: samples.length, errors, requestsPerSecond: samples.length / elapsed,
      p50: quantile(all, 0.5), p99: quantile(all, 0.99), max: Math.max(...all), coldP50: quantile(cold, 0.5), coldMax: Math.max(...cold),
      perEndpoint: endpoints.map((e) => {
        const xs = samples.filter((s) => s.endpoint === e).map((s) => s.ms);
        return { endpoint: e, requests: xs.length, p50: quantile(xs, 0.5), p99: quantile(xs, 0.99) };
      }),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
}

export function loadTable(r: LoadResult): string {
  const ms = (x: number) => x.toFixed(1);
  return [
    `| clients | seconds | requests | errors | requests/s | p50 ms | p99 ms | max ms | cold p50 ms | cold max ms |`,
    `|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
    `| ${r.clients} | ${r.seconds.toFixed(1)} | ${r.requests} | ${r.errors} | ${r.requestsPerSecond.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${ms(r.coldP50)} | ${ms(r.coldMax)} |`,
    '',
    '| endpoint | requests | p50 ms | p99 ms |',
    '|---|---:|---:|---:|',
    ...r.perEndpoint.map((e) => `| ${e.endpoint} | ${e.requests} | ${ms(e.p50)} | ${ms(e.p99)} |`),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { db: { type: 'string' }, clients: { type: 'string', default: '50' }, seconds: { type: 'string', default: '20' } } });
  if (!values.db) throw new Error('--db FILE is required (a warehouse with 1M events, e.g. bench/out/db/query-1000000.duckdb)');
  console.log(loadTable(await loadBench(values.db, Number(values.clients), Number(values.seconds))));
}
