// Request shapes of the billing API (the single source of validation and of the OpenAPI document).
// Built on first use, not at import, as in ./scheduling.ts (./lazy.ts); the shared pieces are in ./common.ts.
import * as z from './zod.ts';
import { INVOICE_STATUSES } from '#domain/invoices.ts';
import { EXPORT_KINDS, exportRangeIssues } from '#domain/ledger-export.ts';
import { periodIssues } from '#domain/superbill.ts';
import { revenueRangeIssues } from '#domain/revenue.ts';
import { dateRangeIssues } from '#domain/time.ts';
import type { FieldIssue } from '#domain/errors.ts';
import { route } from './lazy.ts';
import { across, idSchema as id, operatingDateSchema } from './common.ts';

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
