// The badge an invoice wears (web/src/lib/invoices.ts): the API's status in the reader's words,
// except while money is owed back, when a green "Paid" would say all is settled.
import { describe, expect, it } from 'vitest';
import { INVOICE_STATUS, invoiceBadge, STAFF_INVOICE_STATUS } from '../src/lib/invoices.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const invoice = (
  status: keyof typeof INVOICE_STATUS,
  balance: number,
  refundState: 'scheduled' | 'retrying' | 'dead_lettered' | null = null,
) => ({
  status,
  balance: usd(balance),
  refundState,
});

describe('an invoice’s badge', () => {
  it('says the status in the client’s words and in the staff’s', () => {
    expect(invoiceBadge(invoice('open', 17_500), 'client')).toEqual({ label: 'Due', tone: 'warn' });
    expect(invoiceBadge(invoice('open', 17_500), 'staff')).toEqual({ label: 'Open', tone: 'warn' });
    expect(invoiceBadge(invoice('paid', 0), 'client')).toEqual({ label: 'Paid', tone: 'good' });
    expect(invoiceBadge(invoice('void', 0), 'client').label).toBe('Nothing due');
    expect(invoiceBadge(invoice('void', 0), 'staff').label).toBe('Void');
    expect(invoiceBadge(invoice('refunded', 0), 'staff').label).toBe('Refunded');
    for (const status of Object.keys(STAFF_INVOICE_STATUS) as (keyof typeof STAFF_INVOICE_STATUS)[]) {
      expect(invoiceBadge(invoice(status, 0), 'staff')).toBe(STAFF_INVOICE_STATUS[status]);
      expect(invoiceBadge(invoice(status, 0), 'client')).toBe(INVOICE_STATUS[status]);
    }
  });

  it('says a refund is coming, not "Paid", while money is owed back', () => {
    for (const refundState of ['scheduled', 'retrying', null] as const) {
      expect(invoiceBadge(invoice('paid', -17_500, refundState), 'client')).toEqual({ label: 'Being refunded', tone: 'warn' });
      expect(invoiceBadge(invoice('paid', -17_500, refundState), 'staff')).toEqual({ label: 'Being refunded', tone: 'warn' });
    }
    // a paid session voided: its money is owed back too
    expect(invoiceBadge(invoice('void', -5_000, 'scheduled'), 'staff').label).toBe('Being refunded');
  });

  it('tells staff, not the client, that finance has a given-up refund to settle', () => {
    expect(invoiceBadge(invoice('paid', -17_500, 'dead_lettered'), 'staff')).toEqual({ label: 'Refund to settle', tone: 'bad' });
    expect(invoiceBadge(invoice('paid', -17_500, 'dead_lettered'), 'client')).toEqual({ label: 'Being refunded', tone: 'warn' });
  });
});
