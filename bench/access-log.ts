// A deterministic Apache combined log for the benchmark: pages and assets, crawlers, errors,
// referrers and utm-tagged landings, spread over 30 days.
import fs from 'node:fs';
import { createRng } from '../ingest/demo/index.ts';

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const agents = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
];
const pages = ['/', '/products', '/products/lamp', '/products/chair', '/blog/spring', '/cart', '/checkout', '/about'];
const assets = ['/static/app.js', '/static/site.css', '/img/logo.png', '/img/hero.jpg', '/favicon.ico'];
const referrers = ['-', '-', 'https://www.google.com/', 'https://www.facebook.com/', 'https://news.example.org/post'];

function clf(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Visits of 3-20 requests seconds apart, by 50,000 returning clients; about 45% of requests are assets. */
export async function writeAccessLog(file: string, lines: number, seed = 11): Promise<void> {
  const rng = createRng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)]!;
  const start = Date.UTC(2026, 9, 1);
  const span = 30 * 86400_000;
  const out = fs.createWriteStream(file);
  let chunk: string[] = [];
  let written = 0;
  let visitStart = start;
  while (written < lines) {
    visitStart += Math.floor((rng() * 2 * span * 10) / lines);
    const client = Math.floor(rng() * 50_000);
    const ip = `10.${(client >> 16) & 255}.${(client >> 8) & 255}.${client & 255}`;
    const ua = client % 37 === 0 ? agents[3]! : agents[client % 3]!;
    const referrer = pick(referrers);
    const tagged = rng() < 0.08;
    let ms = Math.min(visitStart, start + span);
    const requests = 3 + Math.floor(rng() * 18);
    for (let k = 0; k < requests && written < lines; k++, written++) {
      ms += Math.floor(rng() * 40_000);
      const asset = k > 0 && rng() < 0.45;
      let url = asset ? pick(assets) : pick(pages);
      if (k === 0 && tagged) url += '?utm_source=newsletter&utm_medium=email&utm_campaign=spring%20sale';
      const status = rng() < 0.03 ? 404 : rng() < 0.05 ? 304 : 200;
      chunk.push(`${ip} - - [${clf(ms)}] "GET ${url} HTTP/1.1" ${status} ${Math.floor(rng() * 50000)} "${k === 0 ? referrer : 'https://shop.example.com/'}" "${ua}"`);
    }
    if (chunk.length >= 50_000) {
      if (!out.write(chunk.join('\n') + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = [];
    }
  }
  out.end(chunk.length ? chunk.join('\n') + '\n' : '');
  await new Promise<void>((r) => out.once('finish', () => r()));
}
