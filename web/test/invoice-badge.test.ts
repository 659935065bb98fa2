// The badge an invoice wears and its title (web/src/lib/invoices.ts): the API's status in the
// reader's words, except while money is owed back, when a green "Paid" would say all is settled,
// and what the invoice is for, with its session's date.
import { describe, expect, it } from 'vitest';
import { INVOICE_STATUS, invoiceBadge, invoiceTitle, STAFF_INVOICE_STATUS } from '../src/lib/invoices.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const invoice = (
  status: keyof typeof INVOICE_STATUS,
  balance: number,
  refundState: 'scheduled' | 'retrying' | 'dead_lettered' | null = null,
) => ({
  status,
  balance: usd(balance),
  refundState,
  paid: usd(balance < 0 ? -balance : 0),
  packageId: undefined as string | undefined,
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

  it('tells the client that a program whose payment was never completed charged nothing', () => {
    const lapsed = { ...invoice('void', 0), packageId: 'pkg_1' };
    expect(invoiceBadge(lapsed, 'client')).toEqual({ label: 'Nothing charged', tone: 'neutral' });
    expect(invoiceBadge(lapsed, 'staff').label).toBe('Void');
    // a cancelled program that had been paid is not that
    expect(invoiceBadge({ ...lapsed, paid: usd(50_000) }, 'client').label).toBe('Nothing due');
  });

  it('tells staff, not the client, that finance has a given-up refund to settle', () => {
    expect(invoiceBadge(invoice('paid', -17_500, 'dead_lettered'), 'staff')).toEqual({ label: 'Refund to settle', tone: 'bad' });
    expect(invoiceBadge(invoice('paid', -17_500, 'dead_lettered'), 'client')).toEqual({ label: 'Being refunded', tone: 'warn' });
  });
});

describe('an invoice’s title', () => {
  const line = (description: string, serviceDate?: string, voided = false) => ({
    description,
    voided,
    ...(serviceDate ? { serviceDate } : {}),
  });
  const inv = (
    lines: ReturnType<typeof line>[],
    more: { status?: keyof typeof INVOICE_STATUS; packageId?: string; paid?: number } = {},
  ) => ({
    number: 7,
    lines,
    status: more.status ?? 'open',
    packageId: more.packageId,
    paid: usd(more.paid ?? 0),
  });

  it('names the first line that counts, with its session’s date, so that two sessions of a kind tell apart', () => {
    expect(invoiceTitle(inv([line('Preparation session', '2026-12-07')]))).toBe('Preparation session · Dec 7, 2026');
    expect(invoiceTitle(inv([line('Preparation session', '2026-12-14')]))).toBe('Preparation session · Dec 14, 2026');
    expect(invoiceTitle(inv([line('Intake assessment', '2026-12-01', true), line('Late cancellation fee', '2026-12-01')]))).toBe(
      'Late cancellation fee · Dec 1, 2026',
    );
    expect(invoiceTitle(inv([line('Care program 4')], { status: 'paid', packageId: 'pkg_1', paid: 220_000 }))).toBe('Care program 4');
    expect(invoiceTitle(inv([]))).toBe('Invoice 7');
  });

  it('says a program whose payment was never completed was not bought', () => {
    expect(invoiceTitle(inv([line('Care program 4', undefined, true)], { status: 'void', packageId: 'pkg_1' }))).toBe(
      'Care program 4: not bought (the payment was not completed)',
    );
  });
});
