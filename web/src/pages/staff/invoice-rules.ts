// Invoices as the staff read them, in figures and words: what a set of invoices still has due and
// what it owes back (never netted against each other).
import type { Invoice } from '../../lib/clinic-data.ts';
import type { Money } from '../../lib/format.ts';

export interface Balances {
  /** The positive balances added up: what clients still have to pay. */
  due: Money;
  /** The negative balances added up, as a positive amount: what is still to be given back. */
  owedBack: Money;
}

/**
 * What the invoices still have due, and what they owe back to clients. A balance below 0 is a
 * refund still to be made: adding it to the others would hide as much money still due (a list
 * with $2,600 due and $175 owed back is not "$2,425 due").
 */
export function balancesOf(invoices: readonly Pick<Invoice, 'balance'>[], currency: string): Balances {
  let due = 0;
  let owedBack = 0;
  for (const { balance } of invoices) {
    if (balance.amount > 0) due += balance.amount;
    else owedBack -= balance.amount;
  }
  return { due: { amount: due, currency }, owedBack: { amount: owedBack, currency } };
}
