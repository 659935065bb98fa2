// What finance does about a refund the refund job gave up on (refund-job.ts: after
// REFUND_MAX_ATTEMPTS failed attempts the invoice shows its refund as dead-lettered and an alarm
// goes off). Two ways out, both only for a refund given up on (the domain's checks:
// recordRefundMadeElsewhere, refundRetried in #domain/invoices.ts):
//   - retry: the job tries again from its first attempt (the card was replaced, Stripe's problem
//     was fixed); the refund is made by the job, never by this request, as every automatic refund;
//   - record: finance gave the money back some other way (by hand in Stripe's dashboard, a bank
//     transfer, a cheque, cash) and records it, so the invoice, the ledger and the revenue report
//     agree with the bank. Once nothing is owed, the job's to-do entry goes in the same write.
// Each reads the invoice and writes it on the version read; a change meanwhile (a webhook, the
// job) makes it read again and check again (withOptimisticRetry).
import type { Clock } from '#adapters/clock.ts';
import { recordRefundMadeElsewhere, refundRetried, type OutsideRefundMethod } from '#domain/invoices.ts';
import { withOptimisticRetry } from '#db/errors.ts';
import type { StoredInvoice } from '#db/invoice-repo.ts';
import type { Caller } from '#shared/auth/policy.ts';
import type { Repositories } from './context.ts';

export type OwedRefundServiceDeps = Pick<Repositories, 'invoices' | 'clinics'> & { clock: Clock };

export interface RefundMadeElsewhere {
  /** Minor units of the invoice's currency. */
  amount: number;
  method: OutsideRefundMethod;
  reference: string;
}

export class OwedRefundService {
  constructor(private readonly deps: OwedRefundServiceDeps) {}

  /** The job is to try the refund again, due now; the invoice as it is then and its clinic's zone. */
  async retry(caller: Caller, invoiceId: string): Promise<{ invoice: StoredInvoice; timezone: string }> {
    return this.change(caller, invoiceId, async (before) => {
      const now = this.deps.clock.now();
      return this.deps.invoices.refundDueAgain(before, refundRetried(before).refundJob, now);
    });
  }

  /** Records a refund finance made some other way, at the time of this request. */
  async record(caller: Caller, invoiceId: string, refund: RefundMadeElsewhere): Promise<{ invoice: StoredInvoice; timezone: string }> {
    return this.change(caller, invoiceId, async (before) => {
      const after = recordRefundMadeElsewhere(before, {
        reference: refund.reference,
        amount: { amount: refund.amount, currency: before.currency },
        at: this.deps.clock.now(),
        method: refund.method,
      });
      return this.deps.invoices.replace(before, after);
    });
  }

  private change(caller: Caller, invoiceId: string, write: (before: StoredInvoice) => Promise<StoredInvoice>) {
    return changeInvoice(this.deps, caller, invoiceId, write);
  }
}

/**
 * A change of one invoice by a person: read, checked against the caller's rights, then `write`
 * on the version read; a change meanwhile (a webhook, the refund job) makes it read again and
 * `write` check again (withOptimisticRetry). Answers the invoice and its clinic's zone.
 */
export async function changeInvoice(
  deps: Pick<Repositories, 'invoices' | 'clinics'>,
  caller: Caller,
  invoiceId: string,
  write: (before: StoredInvoice) => Promise<StoredInvoice>,
): Promise<{ invoice: StoredInvoice; timezone: string }> {
  const first = await deps.invoices.require(invoiceId);
  caller.assert({ clinicId: first.clinicId, clientId: first.clientId });
  const clinic = await deps.clinics.require(first.clinicId);
  let read: StoredInvoice | undefined = first;
  const invoice = await withOptimisticRetry(async () => {
    const before = read ?? (await deps.invoices.require(invoiceId));
    read = undefined;
    return write(before);
  });
  return { invoice, timezone: clinic.timezone };
}
