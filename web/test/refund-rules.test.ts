// "Record a refund made another way" on the staff invoice page (web/src/lib/refund-rules.ts): what
// it says before sending — an amount above nothing and at most what is still owed back, a way
// chosen, a reference that is an id and new on the invoice — what it sends, and how each way of
// giving money back is said (the Refunds table's How column, the form's choices).
import { describe, expect, it } from 'vitest';
import { checkRefund, OUTSIDE_METHODS, recordedWords, REFUND_METHOD_WORDS, refundFormFor } from '../src/lib/refund-rules.ts';

const due = { amount: 17_500, currency: 'USD' };
const filled = { ...refundFormFor(due), method: 'cheque' as const, reference: '1042' };

describe('a refund made another way, checked before it is sent', () => {
  it('opens with all that is owed back, in dollars, and no way chosen', () => {
    expect(refundFormFor(due)).toEqual({ amount: '175.00', method: '', reference: '' });
    expect(refundFormFor({ amount: 5, currency: 'CAD' }).amount).toBe('0.05');
  });

  it('sends the amount in cents, the way, and the reference trimmed', () => {
    expect(checkRefund({ amount: '$100.5', method: 'bank_transfer', reference: '  ET-2026/11:07#3  ' }, due, [])).toEqual({
      problems: {},
      record: { amount: 10_050, method: 'bank_transfer', reference: 'ET-2026/11:07#3' },
    });
    // all of it, written as people do
    expect(checkRefund({ ...filled, amount: '$175' }, due, []).record?.amount).toBe(17_500);
  });

  it('an amount: a number of dollars, above nothing, at most what is still owed back', () => {
    const amountProblem = (amount: string) => checkRefund({ ...filled, amount }, due, []).problems.amount;
    expect(amountProblem('')).toBe('Enter an amount in US dollars, e.g. 100.00.');
    expect(amountProblem('ten')).toBe('Enter an amount in US dollars, e.g. 100.00.');
    expect(amountProblem('-5')).toBe('Enter an amount in US dollars, e.g. 100.00.');
    expect(amountProblem('1.005')).toBe('Enter an amount in US dollars, e.g. 100.00.');
    expect(amountProblem('0.00')).toBe('Enter an amount above $0.00.');
    expect(amountProblem('175.01')).toBe('At most $175.00: that is what is still owed back.');
    expect(amountProblem('175.00')).toBeUndefined();
    expect(amountProblem('0.01')).toBeUndefined();
    expect(checkRefund({ ...filled, amount: '51' }, { amount: 5_000, currency: 'CAD' }, []).problems.amount).toBe(
      'At most $50.00: that is what is still owed back.',
    );
  });

  it('a way must be chosen: none is assumed', () => {
    const checked = checkRefund({ ...filled, method: '' }, due, []);
    expect(checked.problems).toEqual({ method: 'Choose how the money was given back.' });
    expect(checked.record).toBeUndefined();
  });

  it('a reference: an id of letters, digits and # . _ / : -, starting with a letter or digit, with a digit and no space, new on the invoice', () => {
    const referenceProblem = (reference: string, recorded: string[] = []) =>
      checkRefund({ ...filled, reference }, due, recorded).problems.reference;
    expect(referenceProblem('   ')).toBe('Enter the cheque number, the transfer’s id or the Stripe refund id.');
    expect(referenceProblem('#1042')).toBe('Start with a letter or a digit, e.g. 1042 rather than #1042.');
    expect(referenceProblem("O'Brien-7")).toBe('Use only letters, digits and # . _ / : - (an id, not a name or a note).');
    expect(referenceProblem('paid,thanks!1')).toBe('Use only letters, digits and # . _ / : - (an id, not a name or a note).');
    expect(referenceProblem('Chèque12')).toBe('Use only letters, digits and # . _ / : - (an id, not a name or a note).');
    // a sentence, a name or a diagnosis cannot pass for an id
    expect(referenceProblem('Ada Lovelace F33.2')).toBe('No spaces: write CHQ-1042 rather than CHQ 1042.');
    expect(referenceProblem('CHQ 1042')).toBe('No spaces: write CHQ-1042 rather than CHQ 1042.');
    expect(referenceProblem('ketamine')).toBe('An id has a number in it, e.g. the cheque’s number.');
    expect(referenceProblem('1'.repeat(64))).toBeUndefined();
    expect(referenceProblem('1'.repeat(65))).toBe('At most 64 characters.');
    expect(referenceProblem('re_3PqX9a2eZvKYlo2C1Tq0')).toBeUndefined();
    expect(referenceProblem('cheque-1042', ['re_1', 'Cheque-1042'])).toBe(
      'A refund with this reference is recorded on this invoice already.',
    );
    expect(referenceProblem('Cheque-1043', ['re_1', 'Cheque-1042'])).toBeUndefined();
  });

  it('every problem at once, and nothing to send', () => {
    const checked = checkRefund({ amount: '0', method: '', reference: '' }, due, []);
    expect(Object.keys(checked.problems)).toEqual(['amount', 'method', 'reference']);
    expect(checked.record).toBeUndefined();
  });
});

describe('how a refund was made, in words', () => {
  it('the refund job’s through Stripe, and each way finance records, each said differently', () => {
    expect(REFUND_METHOD_WORDS.stripe).toBe('Stripe (automatic)');
    expect(OUTSIDE_METHODS.map((m) => REFUND_METHOD_WORDS[m])).toEqual([
      'By hand in Stripe',
      'Bank transfer or e-Transfer',
      'Cheque',
      'Cash',
      'Other',
    ]);
    expect(new Set(Object.values(REFUND_METHOD_WORDS)).size).toBe(Object.keys(REFUND_METHOD_WORDS).length);
  });

  it('what was recorded, and what is still owed back after it', () => {
    const record = { amount: 10_000, method: 'cheque' as const, reference: '1042' };
    expect(recordedWords(record, { amount: 7_500, currency: 'USD' })).toBe(
      'Recorded: $100.00 given back (Cheque: 1042). $75.00 is still owed back to the client.',
    );
    expect(recordedWords({ ...record, amount: 17_500 }, { amount: 0, currency: 'USD' })).toBe(
      'Recorded: $175.00 given back (Cheque: 1042). Nothing more is owed back.',
    );
  });
});
