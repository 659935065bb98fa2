// Request shapes of the billing API (the single source of validation and of the OpenAPI document).
// Built on first use, not at import, as in ./scheduling.ts (./lazy.ts); the shared pieces are in ./common.ts.
import * as z from './zod.ts';
import { INVOICE_STATUSES } from '#domain/invoices.ts';
import { EXPORT_KINDS } from '#domain/ledger-export.ts';
import { route } from './lazy.ts';
import { idSchema as id, operatingDateSchema } from './common.ts';

/**
 * A clinic's invoices issued from `from` to `to` (clinic-local dates, both included), oldest
 * first, 100 a page; `status` keeps only invoices in that status; `cursor` is the previous
 * page's `nextCursor`.
 */
export const invoiceListQuerySchema = route(() =>
  z.strictObject({
    clinicId: id(),
    from: operatingDateSchema(),
    to: operatingDateSchema(),
    status: z.optional(z.enum(INVOICE_STATUSES)),
    cursor: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,2000}$/, 'Not a cursor'))),
  }),
);

/**
 * A client's superbill (or receipt for insurance) over `from` to `to`, clinic-local dates, both
 * included; `to` before `from`, or more than 366 days, is a 400 on `to` (the service checks the pair).
 */
export const superbillQuerySchema = route(() => z.strictObject({ from: operatingDateSchema(), to: operatingDateSchema() }));

/**
 * A clinic's revenue report over `from` to `to`, clinic-local dates, both included; `to` before
 * `from`, or more than 366 days, is a 400 on `to` (the service checks the pair).
 */
export const revenueQuerySchema = route(() => z.strictObject({ from: operatingDateSchema(), to: operatingDateSchema() }));

/**
 * A finance export: `kind` "ledger" (the only one) over `from` to `to`, clinic-local dates, both
 * included; `to` before `from`, or more than 366 days, is a 400 on `to` (the service checks the pair).
 */
export const createExportSchema = route(() =>
  z.strictObject({ kind: z.enum(EXPORT_KINDS), from: operatingDateSchema(), to: operatingDateSchema() }),
);
