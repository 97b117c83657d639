// Number, money, percentage, date and duration formats per interface language (Intl), cached.
import type { Locale } from './index.ts';

export const intlLocale: Record<Locale, string> = { en: 'en-GB', 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-TW' };
const cache = new Map<string, Intl.NumberFormat>();

function nf(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(intlLocale[locale], options);
    cache.set(key, f);
  }
  return f;
}

export interface Formats {
  locale: Locale;
  /** whole counts: 12,345 */
  int: (n: number | null | undefined) => string;
  /** a number with up to `digits` decimals */
  num: (n: number | null | undefined, digits?: number) => string;
  /** compact axis ticks: 12K, 1.2M (万 in Chinese) */
  compact: (n: number | null | undefined) => string;
  /** a 0–1 rate as a percentage */
  pct: (x: number | null | undefined, digits?: number) => string;
  /** a 0–1 rate as a percentage with 3 significant digits below 1% (0.00026%), else like pct */
  pctSig: (x: number | null | undefined) => string;
  /** money in `currency` (falls back to two decimals when the code is unknown) */
  money: (x: number | null | undefined, currency?: string) => string;
  /** seconds as the largest sensible unit: 45 s, 12 min, 3.5 h, 2.1 d */
  duration: (seconds: number | null | undefined) => string;
  /** money without decimals, for axis ticks */
  moneyTick: (x: number | null | undefined, currency?: string) => string;
  /** a ratio such as ROAS: 2.35× */
  times: (x: number | null | undefined) => string;
  /** a query result's number with every digit kept, grouped the locale's way (a DECIMAL's exact text too) */
  exact: (x: number | string) => string;
}

const dash = '–';

export function formats(locale: Locale = 'en'): Formats {
  const ok = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);
  return {
    locale,
    int: (n) => (ok(n) ? nf(locale, { maximumFractionDigits: 0 }).format(n) : dash),
    num: (n, digits = 2) => (ok(n) ? nf(locale, { maximumFractionDigits: digits }).format(n) : dash),
    compact: (n) => (ok(n) ? nf(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(n) : dash),
    pct: (x, digits = 1) => (ok(x) ? nf(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x) : dash),
    pctSig: (x) => {
      if (!ok(x)) return dash;
      if (x !== 0 && Math.abs(x) < 0.01) return nf(locale, { style: 'percent', maximumSignificantDigits: 3 }).format(x);
      return nf(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x);
    },
    money: (x, currency) => {
      if (!ok(x)) return dash;
      if (currency && /^[A-Z]{3}$/.test(currency)) {
        try {
          return nf(locale, { style: 'currency', currency, maximumFractionDigits: 2 }).format(x);
        } catch {
          // an unknown ISO code: plain number below
        }
      }
      return nf(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
    },
    duration: (s) => {
      if (!ok(s)) return dash;
      const unit = (value: number, u: 'second' | 'minute' | 'hour' | 'day') =>
        nf(locale, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: value < 10 ? 1 : 0 }).format(value);
      if (s < 90) return unit(s, 'second');
      if (s < 90 * 60) return unit(s / 60, 'minute');
      if (s < 36 * 3600) return unit(s / 3600, 'hour');
      return unit(s / 86400, 'day');
    },
    moneyTick: (x, currency) => {
      if (!ok(x)) return dash;
      if (currency && /^[A-Z]{3}$/.test(currency)) {
        try {
          return nf(locale, { style: 'currency', currency, maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(x);
        } catch {
          // unknown code: plain below
        }
      }
      return nf(locale, { maximumFractionDigits: 0 }).format(x);
    },
    times: (x) => (ok(x) ? `${nf(locale, { maximumFractionDigits: 2 }).format(x)}×` : dash),
    exact: (x) => {
      // the text JS or DuckDB gives is exact: group it, keeping its digits; text Intl would round
      // (scientific notation, more than 20 decimals, Infinity/NaN) is shown as it is
      const text = String(x);
      const m = /^-?\d+(?:\.(\d{1,20}))?$/.exec(text);
      if (!m) return text;
      // (Intl formats a decimal string exactly, beyond a double's precision)
      return nf(locale, { maximumFractionDigits: m[1]?.length ?? 0 }).format(text as unknown as number);
    },
  };
}
