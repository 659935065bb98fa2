// Invoices as the staff read them (web/src/pages/staff/invoice-rules.ts): what is still due and
// what is owed back, never netted.
import { describe, expect, it } from 'vitest';
import { balancesOf } from '../src/pages/staff/invoice-rules.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const withBalance = (amount: number) => ({ balance: usd(amount) });

describe('what a set of invoices still has due, and what it owes back', () => {
  it('keeps money owed back apart from money still due', () => {
    // the list the reviewer saw: $2,600 due on some, $175 owed back on one; its old total said $2,425
    const list = [17_500, 17_500, 55_000, 10_000, -17_500, 0, 160_000, 0].map(withBalance);
    expect(balancesOf(list, 'USD')).toEqual({ due: usd(260_000), owedBack: usd(17_500) });
  });

  it('owes nothing back when no balance is below 0, and is 0 for no invoice', () => {
    expect(balancesOf([17_500, 0].map(withBalance), 'USD')).toEqual({ due: usd(17_500), owedBack: usd(0) });
    expect(balancesOf([], 'CAD')).toEqual({ due: { amount: 0, currency: 'CAD' }, owedBack: { amount: 0, currency: 'CAD' } });
  });

  it('adds up several refunds owed back as a positive amount', () => {
    expect(balancesOf([-17_500, -10_000, 5_000].map(withBalance), 'USD')).toEqual({ due: usd(5_000), owedBack: usd(27_500) });
  });
});
