// The ledger export's pure parts: the range rule, amounts from minor units, the spreadsheet-formula
// guard, one row per entry kind, and the buffer that puts rows of many invoices in date order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyCancellation,
  applyPackageCancel,
  applyPayment,
  applyRefund,
  ledgerEntries,
  newProgramInvoice,
  newSessionInvoice,
  totals,
  type Invoice,
} from '#domain/invoices.ts';
import {
  EXPORT_GIVE_UP_MS,
  LEDGER_CSV_COLUMNS,
  LedgerOrderBuffer,
  exportRangeIssues,
  inRange,
  exportStatusAt,
  formatMinorUnits,
  guardFormula,
  ledgerCsvRow,
} from '#domain/ledger-export.ts';
import type { Money } from '#domain/types.ts';
import { DAY, NY, appt, at, service } from './fixtures.ts';

const usd = (amount: number): Money => ({ amount, currency: 'USD' });
const T0 = at('2026-06-01', '12:00');

/** A self-pay preparation, paid, cancelled late (fee), the surplus refunded: charge, payment, charge, void, refund. */
function cancelledSession(): Invoice {
  let inv: Invoice = {
    ...newSessionInvoice({
      id: 'inv_1',
      clinicId: 'clinic-1',
      clientId: 'cli_1',
      currency: 'USD',
      appointment: appt('preparation', at('2026-06-10', '10:00'), { id: 'appt_1', mode: 'telehealth' }),
      service: service('preparation'),
      zone: NY,
      at: T0,
    }),
    number: '42',
  };
  inv = applyPayment(inv, { reference: 'pi_1', amount: usd(17_500), at: T0 + 60_000, method: 'card' });
  inv = applyCancellation(inv, { appointmentId: 'appt_1', kind: 'late', fee: usd(10_000), at: T0 + 8 * DAY });
  return applyRefund(inv, { reference: 're_1', amount: usd(7_500), at: T0 + 8 * DAY + 1, status: 'succeeded' });
}

const column = (row: string[], name: (typeof LEDGER_CSV_COLUMNS)[number]) => row[LEDGER_CSV_COLUMNS.indexOf(name)];

describe('the range of an export', () => {
  it('covers at most 366 days, both ends included, and never ends before it starts', () => {
    expect(exportRangeIssues('2026-01-01', '2026-12-31')).toEqual([]); // 365 days
    expect(exportRangeIssues('2024-01-01', '2024-12-31')).toEqual([]); // 366: a leap year
    expect(exportRangeIssues('2026-01-01', '2027-01-01')).toEqual([]); // 366
    expect(exportRangeIssues('2026-01-01', '2027-01-02')).toEqual([{ path: 'to', message: expect.stringMatching(/366 days/) }]);
    expect(exportRangeIssues('2026-03-01', '2026-03-01')).toEqual([]);
    expect(exportRangeIssues('2026-03-02', '2026-03-01')).toEqual([{ path: 'to', message: expect.stringMatching(/before/) }]);
  });

  it('holds the entries dated from its first day to its last, both included', () => {
    const on = (date: string) => inRange({ date }, '2026-03-01', '2026-03-31');
    expect(['2026-02-28', '2026-03-01', '2026-03-15', '2026-03-31', '2026-04-01'].map(on)).toEqual([false, true, true, true, false]);
  });

  it('an export still running long after it was asked for is failed; a file past its life is expired', () => {
    const created = T0;
    expect(exportStatusAt({ status: 'running', createdAt: created }, created + EXPORT_GIVE_UP_MS)).toBe('running');
    expect(exportStatusAt({ status: 'running', createdAt: created }, created + EXPORT_GIVE_UP_MS + 1)).toBe('failed');
    expect(exportStatusAt({ status: 'ready', createdAt: created }, created + 7 * DAY - 1)).toBe('ready');
    expect(exportStatusAt({ status: 'ready', createdAt: created }, created + 7 * DAY)).toBe('expired');
    expect(exportStatusAt({ status: 'failed', createdAt: created }, created + 30 * DAY)).toBe('failed');
  });
});

describe('amounts', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [-5, '-0.05'],
    [99, '0.99'],
    [-100, '-1.00'],
    [17_500, '175.00'],
    [-17_500, '-175.00'],
    [123_456_789, '1234567.89'],
    [-123_456_789, '-1234567.89'],
    [-0, '0.00'],
    [Number.MAX_SAFE_INTEGER, '90071992547409.91'],
  ])('%d minor units → %s', (minor, text) => {
    expect(formatMinorUnits(minor)).toBe(text);
  });

  it('refuses what is not a whole number of minor units', () => {
    for (const bad of [1.5, Number.NaN, Infinity, 2 ** 60]) expect(() => formatMinorUnits(bad)).toThrow(RangeError);
  });

  it('agrees with exact decimal arithmetic on any amount (no float rounding)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 53n) + 1n, max: 2n ** 53n - 1n }), (n) => {
        const abs = n < 0n ? -n : n;
        const expected = `${n < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
        expect(formatMinorUnits(Number(n))).toBe(expected);
      }),
    );
  });
});

describe('the spreadsheet-formula guard', () => {
  it.each(['=SUM(A1)', '+1', '-2', '@cmd', '\tx', '\rx', '＝1+1', '＋1', '－1', '＠x'])('%j gets a leading quote', (cell) => {
    expect(guardFormula(cell)).toBe(`'${cell}`);
  });

  it.each(['', 'Ada Lovelace', "'quoted", ' =padded', '1+1', 'a=b', '2026-06-01'])('%j stays as it is', (cell) => {
    expect(guardFormula(cell)).toBe(cell);
  });
});

describe('one row per ledger entry', () => {
  const inv = cancelledSession();
  const rows = ledgerEntries(inv, NY).map((e) => ledgerCsvRow(e, inv, 'Ada Lovelace'));

  it('has the contract’s 14 columns, in order', () => {
    expect(LEDGER_CSV_COLUMNS.join(',')).toBe(
      'date,invoice_number,invoice_id,client_id,client_name,entry,service,cpt_code,billable,description,amount,currency,method,reference',
    );
    for (const row of rows) expect(row).toHaveLength(14);
  });

  it('charge, payment, fee charge, void and refund, with the line’s or the payment’s details', () => {
    expect(rows).toEqual([
      [
        '2026-06-01',
        '42',
        'inv_1',
        'cli_1',
        'Ada Lovelace',
        'charge',
        'preparation',
        '90837',
        'true',
        'Preparation session',
        '175.00',
        'USD',
        '',
        'session:appt_1',
      ],
      ['2026-06-01', '42', 'inv_1', 'cli_1', 'Ada Lovelace', 'payment', '', '', '', '', '-175.00', 'USD', 'card', 'pi_1'],
      [
        '2026-06-09',
        '42',
        'inv_1',
        'cli_1',
        'Ada Lovelace',
        'charge',
        'late_cancellation',
        '',
        'false',
        'Late cancellation fee',
        '100.00',
        'USD',
        '',
        'late_cancellation:appt_1',
      ],
      [
        '2026-06-09',
        '42',
        'inv_1',
        'cli_1',
        'Ada Lovelace',
        'void',
        'preparation',
        '90837',
        'true',
        'Preparation session',
        '-175.00',
        'USD',
        '',
        'session:appt_1',
      ],
      ['2026-06-09', '42', 'inv_1', 'cli_1', 'Ada Lovelace', 'refund', '', '', '', '', '75.00', 'USD', 'stripe', 're_1'],
    ]);
    const cents = rows.map((r) => Math.round(Number(column(r, 'amount')) * 100));
    expect(cents.reduce((s, c) => s + c, 0)).toBe(totals(inv).balance);
  });

  it('a refund row says how the refund was made: the refund job’s through Stripe, or the way finance recorded', () => {
    const byCheque: Invoice = {
      ...inv,
      refunds: [...inv.refunds, { reference: 'CHQ-1001', amount: 2_500, at: T0 + 9 * DAY, status: 'succeeded', method: 'cheque' }],
    };
    const refundRows = ledgerEntries(byCheque, NY)
      .filter((e) => e.kind === 'refund')
      .map((e) => ledgerCsvRow(e, byCheque, 'Ada Lovelace'));
    expect(refundRows.map((r) => [column(r, 'method'), column(r, 'reference')])).toEqual([
      ['stripe', 're_1'],
      ['cheque', 'CHQ-1001'],
    ]);
  });

  it('a package credit is a credit row with the credit line’s details', () => {
    let program: Invoice = {
      ...newProgramInvoice({
        id: 'inv_2',
        clinicId: 'clinic-1',
        clientId: 'cli_1',
        currency: 'USD',
        at: T0,
        package: { id: 'pkg_1', programName: 'Care program', price: usd(290_000) },
      }),
      number: '7',
    };
    program = applyPackageCancel(program, { used: usd(95_000), at: T0 + DAY });
    const [charge, credit] = ledgerEntries(program, NY).map((e) => ledgerCsvRow(e, program, 'Ada Lovelace'));
    expect([column(charge!, 'entry'), column(charge!, 'service'), column(charge!, 'billable'), column(charge!, 'amount')]).toEqual([
      'charge',
      'program',
      'false',
      '2900.00',
    ]);
    expect([column(credit!, 'entry'), column(credit!, 'service'), column(credit!, 'description'), column(credit!, 'amount')]).toEqual([
      'credit',
      'package_credit',
      'Package cancellation credit',
      '-1950.00',
    ]);
  });

  it('guards every cell a spreadsheet would run, but never the amount', () => {
    const hostile: Invoice = {
      ...inv,
      lines: inv.lines.map((l) => ({ ...l, description: '=HYPERLINK("http://x","y")' })),
      payments: inv.payments.map((p) => ({ ...p, method: '@card' })),
    };
    const entries = ledgerEntries(hostile, NY);
    const charge = ledgerCsvRow(entries[0]!, hostile, '+1 Evil');
    expect(column(charge, 'description')).toBe(`'=HYPERLINK("http://x","y")`);
    expect(column(charge, 'client_name')).toBe("'+1 Evil");
    const payment = ledgerCsvRow(entries[1]!, hostile, '-Ada');
    expect(column(payment, 'method')).toBe("'@card");
    expect(column(payment, 'client_name')).toBe("'-Ada");
    expect(column(payment, 'amount')).toBe('-175.00');
  });
});

describe('date order across invoices read a page at a time', () => {
  it('lets out what is older than the bound, oldest first, ties in arrival order', () => {
    const buffer = new LedgerOrderBuffer();
    const row = (s: string) => [s];
    buffer.push(30, row('c'));
    buffer.push(10, row('a1'));
    buffer.push(20, row('b'));
    buffer.push(10, row('a2'));
    expect([...buffer.takeBefore(20)]).toEqual([['a1'], ['a2']]);
    expect(buffer.size).toBe(2);
    buffer.push(25, row('d'));
    expect([...buffer.drain()]).toEqual([['b'], ['d'], ['c']]);
    expect(buffer.late).toBe(0);
  });

  it('writes a row pushed older than one already let out, and counts it late', () => {
    const buffer = new LedgerOrderBuffer();
    buffer.push(10, ['a']);
    expect([...buffer.takeBefore(11)]).toEqual([['a']]);
    buffer.push(5, ['early']);
    expect([...buffer.drain()]).toEqual([['early']]);
    expect(buffer.late).toBe(1);
  });

  it('any pages of entries dated at or after their issue come out sorted, none lost', () => {
    // pages of issue times, ascending; each issue has entries at or after it
    const pages = fc.array(fc.array(fc.tuple(fc.nat(1_000), fc.array(fc.nat(5_000), { maxLength: 4 })), { minLength: 1, maxLength: 8 }), {
      maxLength: 12,
    });
    fc.assert(
      fc.property(pages, (raw) => {
        let issued = 0;
        const buffer = new LedgerOrderBuffer();
        const out: number[] = [];
        const all: number[] = [];
        for (const page of raw) {
          const issues = page.map(([gap, offsets]) => {
            issued += gap;
            return { at: issued, entries: offsets.map((o) => issued + o) };
          });
          for (const [at] of buffer.takeBefore(issues[0]!.at)) out.push(Number(at));
          for (const i of issues) {
            for (const e of i.entries) {
              buffer.push(e, [String(e)]);
              all.push(e);
            }
          }
        }
        for (const [at] of buffer.drain()) out.push(Number(at));
        expect(out).toEqual([...all].sort((a, b) => a - b));
        expect(buffer.late).toBe(0);
      }),
    );
  });
});
