// Money added up in JS: amounts come from DECIMAL(18,2) columns as exact cents, and their sum must be
// exact to the cent too (10.10 + 20.20 is 30.3, not 30.299999999999997).

/** The sum of money amounts (null without any), added as whole cents. */
export function sumMoney(amounts: (number | null)[]): number | null {
  const given = amounts.filter((x): x is number => x !== null);
  if (!given.length) return null;
  return given.reduce((cents, x) => cents + Math.round(x * 100), 0) / 100;
}
