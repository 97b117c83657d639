// Crawlers and the Feed channel (issue 12 item 3): user agents as the real products send them, in an
// Apache combined log and in a CSV events export; each request's is_bot, and the funnel counting
// exactly the people. Agent strings come from the vendors' pages and public logs (GPTBot/ClaudeBot:
// the operators' published strings; Slackbot, Feedly, Tiny Tiny RSS, UniversalFeedParser, UptimeRobot,
// Pingdom: as they appear in public access logs and bot lists; WeChat: Tencent's in-app WebView).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, type ConfigInput } from '../../bin/config.ts';
import { funnel } from '../../queries/funnel/funnel.ts';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

const bots: [string, string][] = [
  ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
  ['bingbot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
  ['AhrefsBot', 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)'],
  ['SemrushBot', 'Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)'],
  ['GPTBot', 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)'],
  ['ClaudeBot', 'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)'],
  ['facebookexternalhit', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
  ['Slackbot', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)'],
  ['Twitterbot', 'Twitterbot/1.0'],
  ['Feedly', 'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 1234 subscribers)'],
  ['Tiny Tiny RSS', 'Tiny Tiny RSS/21.06-7bd9572aa (http://tt-rss.org/)'],
  ['UniversalFeedParser', 'UniversalFeedParser/4.2-pre-314-svn +http://feedparser.org/'],
  ['curl', 'curl/8.5.0'],
  ['python-requests', 'python-requests/2.31.0'],
  ['Go-http-client', 'Go-http-client/2.0'],
  ['Wget', 'Wget/1.21.4'],
  ['UptimeRobot', 'Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)'],
  ['Pingdom', 'Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)'],
  ['HeadlessChrome', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36'],
  ['dash', '-'],
  ['empty', ''],
];
const people: [string, string][] = [
  ['Chrome', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'],
  ['Safari iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1'],
  ['Firefox', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0'],
  ['Edge', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0'],
  ['Samsung Internet', 'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36'],
  ['WeChat', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003130) NetType/WIFI Language/zh_CN'],
];
const agents = [...bots.map(([name, ua]) => ({ name, ua, bot: true })), ...people.map(([name, ua]) => ({ name, ua, bot: false }))];
const slug = (name: string) => `/a/${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

/** One GET per agent, each from its own address (so each is its own visitor), a minute apart. */
function accessLog(): string {
  return agents
    .map((a, i) => {
      const ts = `02/Mar/2026:10:${String(i).padStart(2, '0')}:00 +0000`;
      return `203.0.113.${i + 1} - - [${ts}] "GET ${slug(a.name)} HTTP/1.1" 200 5120 "-" "${a.ua}"`;
    })
    .join('\n') + '\n';
}

/** The same requests as a tracking export: visitor id, time, event, URL, user agent (CSV quoting). */
function eventsCsv(withAgent = true): string {
  const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
  const header = withAgent ? 'visitor_id,ts,event,url,user_agent' : 'visitor_id,ts,event,url';
  const lines = agents.map((a, i) => {
    const row = [`v${i + 1}`, `2026-03-02T11:${String(i).padStart(2, '0')}:00Z`, 'pageview', q(`https://shop.example${slug(a.name)}`)];
    return (withAgent ? [...row, q(a.ua)] : row).join(',');
  });
  return [header, ...lines].join('\n') + '\n';
}

async function botPaths(w: TempWarehouse): Promise<Record<string, boolean>> {
  const rows = await w.rows<{ path: string; is_bot: boolean }>('select path, is_bot from events order by path');
  return Object.fromEntries(rows.map((r) => [r.path, r.is_bot]));
}

async function visits(w: TempWarehouse, config: ConfigInput): Promise<number> {
  const r = await funnel.execute({ db: w.db, config: resolveConfig(config) }, { from: '2026-03-02', to: '2026-03-03' });
  return r.steps[0]!.count;
}

describe('crawlers by user agent', () => {
  let w: TempWarehouse;
  beforeAll(async () => {
    w = await tempWarehouse();
  });
  afterAll(async () => w?.close());

  it('has 21 non-browsers and 6 browsers in the fixture', () => {
    expect(bots.length).toBe(21);
    expect(people.length).toBe(6);
  });

  it('flags every non-browser in an access log and no browser; the funnel counts the 6 people', async () => {
    const s = await w.ingest(w.file('access.log', accessLog()));
    expect(s).toMatchObject({ format: 'access-log', rowsIn: 27, rowsLoaded: 27, rowsRejected: 0 });
    expect(await botPaths(w)).toEqual(Object.fromEntries(agents.map((a) => [slug(a.name), a.bot])));
    // no impressions: Attention counts visits = the 6 browsers, each its own visitor (address + agent)
    expect(await visits(w, {})).toBe(6);
    const [v] = await w.rows<{ n: number }>('select count(*)::integer as n from sessions where not is_bot');
    expect(v!.n).toBe(6);
  });
});

describe('crawlers in a CSV events export', () => {
  it('flags the same agents, an empty agent cell too; a file without a user agent column flags nothing', async () => {
    const w = await tempWarehouse();
    try {
      await w.ingest(w.file('events.csv', eventsCsv()));
      expect(await botPaths(w)).toEqual(Object.fromEntries(agents.map((a) => [slug(a.name), a.bot])));
      expect(await visits(w, {})).toBe(6);
    } finally {
      await w.close();
    }
    const bare = await tempWarehouse();
    try {
      await bare.ingest(bare.file('events.csv', eventsCsv(false)));
      const [r] = await bare.rows<{ bots: number; n: number }>('select (count(*) filter (where is_bot))::integer as bots, count(*)::integer as n from events');
      expect(r).toEqual({ bots: 0, n: 27 });
    } finally {
      await bare.close();
    }
  });

  it('config bot_user_agents adds to the maintained list (it does not replace it)', async () => {
    const config = { bot_user_agents: ['MicroMessenger'] };
    const w = await tempWarehouse(config);
    try {
      await w.ingest(w.file('access.log', accessLog()));
      const flagged = await botPaths(w);
      expect(flagged[slug('WeChat')]).toBe(true);
      expect(flagged[slug('Googlebot')]).toBe(true); // isbot's list still applies
      expect(flagged[slug('Chrome')]).toBe(false);
      expect(await visits(w, config)).toBe(5); // 6 browsers less WeChat
    } finally {
      await w.close();
    }
  });
});

describe('the Feed channel', () => {
  // s1 tagged by FeedBurner (utm_medium=feed), s2 tagged rss, s3 from Feedly's web reader, s4 from Google
  // (Organic search), s5 untagged without referrer (Direct). Each visitor's one pageview is one session.
  const web = `visitor_id,ts,event,url,referrer,user_agent
f1,2026-03-02T09:00:00Z,pageview,https://shop.example/blog/a?utm_source=feedburner&utm_medium=feed&utm_campaign=Feed%3A+shop,,"${people[0]![1]}"
f2,2026-03-02T09:10:00Z,pageview,https://shop.example/blog/b?utm_source=newsletter-rss&utm_medium=RSS,,"${people[0]![1]}"
f3,2026-03-02T09:20:00Z,pageview,https://shop.example/blog/c,https://feedly.com/i/subscription/feed/https://shop.example/rss,"${people[0]![1]}"
f4,2026-03-02T09:30:00Z,pageview,https://shop.example/blog/d,https://www.google.com/,"${people[0]![1]}"
f5,2026-03-02T09:40:00Z,pageview,https://shop.example/blog/e,,"${people[0]![1]}"
`;
  it('puts feed-tagged and feed-reader sessions in Feed, not Direct', async () => {
    const w = await tempWarehouse();
    try {
      await w.ingest(w.file('web.csv', web));
      const rows = await w.rows<{ visitor_id: string; channel: string }>('select visitor_id, channel from sessions order by visitor_id');
      expect(rows).toEqual([
        { visitor_id: 'f1', channel: 'Feed' },
        { visitor_id: 'f2', channel: 'Feed' },
        { visitor_id: 'f3', channel: 'Feed' },
        { visitor_id: 'f4', channel: 'Organic search' },
        { visitor_id: 'f5', channel: 'Direct' },
      ]);
    } finally {
      await w.close();
    }
  });
});
