// Money typed as a person at the clinic writes it ("100.00", "$1,000") to the API's integer minor
// units and back: the settings forms (a fee, a price) and the invoice page's refund form.

const CURRENCY_WORDS: Record<string, string> = { USD: 'US dollars', CAD: 'Canadian dollars' };
export const currencyWords = (currency: string) => CURRENCY_WORDS[currency] ?? currency;

/** "100", "100.5", "$1,000.00" → minor units (USD and CAD have cents); undefined when it is no amount. */
export function parseMoney(text: string): number | undefined {
  const t = text
    .trim()
    .replace(/^(US|CA|C)?\$/i, '')
    .replace(/,/g, '')
    .trim();
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Minor units → "100.00", for an input the person edits. */
export const moneyText = (amount: number) => (amount / 100).toFixed(2);

export const moneyProblem = (currency: string) => `Enter an amount in ${currencyWords(currency)}, e.g. 100.00.`;
