// The weekly figures as text (web/i18n/weekly-format.ts, shared by the Weekly page and the snapshot file):
// people and orders read as whole numbers, the 4-week average included.
import { describe, expect, it } from 'vitest';
import { formats } from '../../web/i18n/format.ts';
import { weeklyValue } from '../../web/i18n/weekly-format.ts';

describe('weeklyValue', () => {
  const f = formats('en');
  it('rounds counts, a 4-week average of people too: (70 + 74 + 78 + 80) / 4 = 75.5 customers reads 76', () => {
    expect(weeklyValue(f, 'count', (70 + 74 + 78 + 80) / 4, 'GBP')).toBe('76');
    expect(weeklyValue(f, 'count', 1234.25, 'GBP')).toBe('1,234');
    expect(weeklyValue(formats('zh-Hans'), 'count', 12.5, 'GBP')).toBe('13'); // half away from zero, as Intl rounds
  });
  it('keeps money and rates as they were: cents below 1,000, significant digits below 1%', () => {
    expect(weeklyValue(f, 'money', 87.5, 'GBP')).toBe('£87.50');
    expect(weeklyValue(f, 'money', 1250.4, 'GBP')).toBe('£1,250');
    expect(weeklyValue(f, 'rate', 0.000063, 'GBP')).toBe('0.0063%');
    expect(weeklyValue(f, 'count', null, 'GBP')).toBe('–');
  });
});
