// Request shapes of the billing API (the single source of validation and of the OpenAPI document).
// Built on first use, not at import, as in ./scheduling.ts (./lazy.ts); the shared pieces are in ./common.ts.
import * as z from './zod.ts';
import { DESK_PAYMENT_METHODS, deskPaymentIssues, INVOICE_STATUSES, OUTSIDE_REFUND_METHODS } from '#domain/invoices.ts';
import { EXPORT_KINDS, exportRangeIssues } from '#domain/ledger-export.ts';
import { periodIssues } from '#domain/superbill.ts';
import { revenueRangeIssues } from '#domain/revenue.ts';
import { dateRangeIssues } from '#domain/time.ts';
import type { FieldIssue } from '#domain/errors.ts';
import { route } from './lazy.ts';
import { across, idSchema as id, intRange, operatingDateSchema } from './common.ts';

interface Range {
  from: string;
  to: string;
}

/**
 * `from` and `to`, clinic-local dates, and the rule of the range (also the service's, which direct
 * callers reach): reported with every other problem of the query or body (./common.ts, across).
 */
const range = (issues: (from: string, to: string) => FieldIssue[]) => ({
  fields: { from: operatingDateSchema(), to: operatingDateSchema() },
  rule: across(['from', 'to'], (r: Range) => issues(r.from, r.to)),
});

/**
 * A clinic's invoices issued from `from` to `to` (clinic-local dates, both included), oldest
 * first, 100 a page; `status` keeps only invoices in that status; `cursor` is the previous
 * page's `nextCursor`.
 */
export const invoiceListQuerySchema = route(() => {
  const { fields, rule } = range((from, to) => dateRangeIssues(from, to));
  return z
    .strictObject({
      clinicId: id(),
      ...fields,
      status: z.optional(z.enum(INVOICE_STATUSES)),
      cursor: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,2000}$/, 'Not a cursor'))),
    })
    .check(rule);
});

/**
 * A client's superbill (or receipt for insurance) over `from` to `to`, clinic-local dates, both
 * included; `to` before `from`, or more than 366 days, is a 400 on `to`.
 */
export const superbillQuerySchema = route(() => {
  const { fields, rule } = range(periodIssues);
  return z.strictObject(fields).check(rule);
});

/**
 * A clinic's revenue report over `from` to `to`, clinic-local dates, both included; `to` before
 * `from`, or more than 366 days, is a 400 on `to`.
 */
export const revenueQuerySchema = route(() => {
  const { fields, rule } = range(revenueRangeIssues);
  return z.strictObject(fields).check(rule);
});

/**
 * A finance export: `kind` "ledger" (the only one) over `from` to `to`, clinic-local dates, both
 * included; `to` before `from`, or more than 366 days, is a 400 on `to`.
 */
export const createExportSchema = route(() => {
  const { fields, rule } = range(exportRangeIssues);
  return z.strictObject({ kind: z.enum(EXPORT_KINDS), ...fields }).check(rule);
});

/**
 * A refund finance made some other way for what the refund job gave up on: how much (integer
 * minor units of the invoice's currency, at most what is owed back: the service says 409 above
 * that, as it depends on the invoice), how, and what identifies it there. The reference is an id
 * (a cheque number, a transfer id, a Stripe refund id): letters, digits and a few separators, no
 * space and at least one digit, so that it cannot hold free text such as a name, a sentence or a
 * diagnosis (the receipt and the ledger print it).
 */
export const refundElsewhereSchema = route(() =>
  z.strictObject({
    amount: intRange(1, 100_000_000, 'Integer minor units'),
    method: z.enum(OUTSIDE_REFUND_METHODS),
    reference: moneyReference(),
  }),
);

/**
 * What identifies money moved outside Stripe (a cheque number, a transfer id, a terminal's
 * receipt number): letters, digits and a few separators, no space and at least one digit, so that
 * it cannot hold free text such as a name, a sentence or a diagnosis (the receipt and the ledger
 * print it).
 */
const moneyReference = () =>
  z
    .string()
    .check(
      z.regex(
        /^(?=[^0-9]*[0-9])[A-Za-z0-9][A-Za-z0-9#._/:-]{0,63}$/,
        'An id such as a cheque number or a transfer id: up to 64 letters, digits and # . _ / : -, with a digit and no space',
      ),
    );

/**
 * A payment the client made at the clinic (cash, cheque, the card terminal, a bank transfer): how
 * much (integer minor units, at most what is due: the service says 409 above that), how, and what
 * identifies it; the reference may be left out for cash only (the service then makes one).
 */
export const deskPaymentSchema = route(() =>
  z
    .strictObject({
      amount: intRange(1, 100_000_000, 'Integer minor units'),
      method: z.enum(DESK_PAYMENT_METHODS),
      reference: z.optional(moneyReference()),
    })
    .check(across(['method', 'reference'], deskPaymentIssues)),
);
