// A payment the client made at the clinic (cash, a cheque, the card terminal, a bank transfer),
// recorded by the front desk, finance or admin so that the invoice, the receipt, the ledger and
// the revenue report agree with the till. The rules are the domain's (recordDeskPayment in
// #domain/invoices.ts): a session's invoice, or a cancelled program's once its cancel is settled
// (programInvoiceTakesPayments), never more than is due, a reference once.
// Money given back for such a payment is given back at the clinic too: the refund job cannot
// refund it through Stripe and puts it on finance's list of refunds to settle (refund-job.ts).
import type { Clock } from '#adapters/clock.ts';
import type { IdGenerator } from '#adapters/ids.ts';
import { recordDeskPayment, type DeskPaymentMethod } from '#domain/invoices.ts';
import { programInvoiceTakesPayments } from '#domain/package-rules.ts';
import type { StoredInvoice } from '#db/invoice-repo.ts';
import type { Caller } from '#shared/auth/policy.ts';
import type { Repositories } from './context.ts';
import { changeInvoice } from './owed-refund-service.ts';

export type DeskPaymentServiceDeps = Pick<Repositories, 'invoices' | 'clinics' | 'packages'> & { clock: Clock; ids: IdGenerator };

export interface DeskPayment {
  /** Minor units of the invoice's currency. */
  amount: number;
  method: DeskPaymentMethod;
  /** Left out for cash: one is made ("CASH-…"), printed on the receipt like any other. */
  reference?: string | undefined;
}

export class DeskPaymentService {
  constructor(private readonly deps: DeskPaymentServiceDeps) {}

  /** Records it at the time of this request; the invoice as it is then and its clinic's zone. */
  async record(caller: Caller, invoiceId: string, payment: DeskPayment): Promise<{ invoice: StoredInvoice; timezone: string }> {
    const reference = payment.reference ?? `CASH-${this.deps.ids('cash').slice(5, 15).toUpperCase()}`;
    return changeInvoice(this.deps, caller, invoiceId, async (before) => {
      const programPaysItself =
        before.packageId !== undefined && !programInvoiceTakesPayments(await this.deps.packages.get(before.packageId));
      const after = recordDeskPayment(
        before,
        {
          reference,
          amount: { amount: payment.amount, currency: before.currency },
          at: this.deps.clock.now(),
          method: payment.method,
        },
        programPaysItself,
      );
      return this.deps.invoices.replace(before, after);
    });
  }
}
