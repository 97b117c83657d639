// The interface languages and t(): pure lookups, shared by the pages and the chart functions (which
// also run in Node for the weekly snapshot).
import { en, type MessageKey } from './en.ts';
import { zhHans } from './zh-hans.ts';
import { zhHant } from './zh-hant.ts';

export type { MessageKey } from './en.ts';

export const locales = ['en', 'zh-Hans', 'zh-Hant'] as const;
export type Locale = (typeof locales)[number];

/** Each language named in itself, for the switch. */
export const localeNames: Record<Locale, string> = { en: 'English', 'zh-Hans': '简体中文', 'zh-Hant': '繁體中文' };

const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, 'zh-Hans': zhHans, 'zh-Hant': zhHant };

export function isLocale(x: unknown): x is Locale {
  return typeof x === 'string' && (locales as readonly string[]).includes(x);
}

/** The closest supported language to a BCP 47 tag (zh-TW/zh-HK/zh-Hant → 繁體, other zh → 简体). */
export function matchLocale(tag: string | undefined | null): Locale {
  if (!tag) return 'en';
  if (isLocale(tag)) return tag;
  const t = tag.toLowerCase();
  if (t.startsWith('zh')) return /hant|tw|hk|mo/.test(t) ? 'zh-Hant' : 'zh-Hans';
  return 'en';
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(locale: Locale = 'en'): Translate {
  const dict = dictionaries[locale];
  return (key, params) => {
    const text = dict[key] ?? en[key];
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
  };
}

/**
 * The interface text for a label the API sent in English: translated when `key` is a message whose
 * English text the label starts with ("Attention (visits)" keeps its suffix), else the label itself
 * (custom funnel steps, configured names).
 */
export function translateKey(t: Translate, key: string, label: string): string {
  if (!(key in en)) return label;
  const english: string = en[key as MessageKey];
  if (label === english || !label) return t(key as MessageKey);
  if (label.startsWith(english)) return `${t(key as MessageKey)}${label.slice(english.length)}`;
  return /^[QI][0-5]$/.test(key) ? t(key as MessageKey) : label;
}
