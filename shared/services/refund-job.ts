// The refund job: pays back what an invoice owes its client (refundDue > 0: an on-time cancel of
// a paid session, what was paid above a late-cancellation or no-show fee, an invoice paid twice;
// on a program's invoice, what its settled cancel still owes: a refund Stripe failed later, a
// charge that landed after the cancel — never while the package's own cancel is unfinished).
// Run by an EventBridge schedule in the payments function's stack (every five minutes;
// functions/refunds/handler.ts), locally on a timer and by POST /v1/dev/refunds/run.
//
// Where the work comes from: every invoice change that starts a debt puts the invoice's to-do entry
// in the same transaction (InvoiceRepository.replaceWrites), and the change that ends it deletes it,
// so a cancel committed is a refund that will be made — in the scheduling function, which never
// talks to Stripe. The job finds the entries through the due index (a Query, never a Scan), reads
// each invoice again and acts on it as it is now:
//   - nothing owed any more (e.g. a webhook recorded the refund meanwhile): the entry goes;
//   - otherwise it asks Stripe for the refunds planRefunds gives (newest payment first), each with
//     its idempotency key — a refund whose answer was lost is asked again with the same key and
//     Stripe replays it, so it is never made twice — and records each as Stripe accepted it.
// A Stripe error (down, refusing) or a refund that fails later (refund.failed: the webhook records
// it failed, the debt is back and so is the entry) is an attempt; the job tries again with a
// backoff (1 min, 2, 4, … 6 h) and after REFUND_MAX_ATTEMPTS gives up: the invoice shows its
// refund as dead-lettered and a `metric: "RefundDeadLettered"` log line raises the CloudWatch
// alarm, for a person to refund some other way. Money taken at the clinic (desk-payment-service.ts)
// cannot be refunded through Stripe: such an invoice goes to that list at once, without the alarm.
// Nothing is silently lost. Logs carry ids and amounts only.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock } from '#adapters/clock.ts';
import type { PaymentGateway } from '#adapters/payment-gateway.ts';
import {
  REFUND_MAX_ATTEMPTS,
  applyRefund,
  isDeskPayment,
  isPaymentIntent,
  nextRefundAttemptAt,
  planRefunds,
  refundDue,
  type Invoice,
  type RefundStatus,
} from '#domain/invoices.ts';
import { StaleReadError } from '#db/errors.ts';
import type { StoredInvoice } from '#db/invoice-repo.ts';
import type { Repositories } from './context.ts';

export type RefundJobDeps = Pick<Repositories, 'invoices' | 'packages' | 'audit'> & { clock: Clock };

/** The audit action of the entry the job writes for each invoice it acts on, and who it says acted. */
export const REFUND_AUDIT_ACTION = 'payment.refund';
const REFUND_JOB_ACTOR = { sub: 'refund-job', roles: [] };

/** What the job asks of the payment gateway: refunds, and the payment intents behind a program's charges. */
export type RefundGateway = Pick<PaymentGateway, 'refund' | 'retrieveCheckoutPayment' | 'invoicePaymentIntent'>;

export interface RefundJobResult {
  /** Invoices whose debt was refunded in full by this run. */
  refunded: string[];
  /** Invoices that failed an attempt and wait for the next. */
  retried: string[];
  /** Invoices given up on (alarm raised). */
  deadLettered: string[];
}

const STATUS_OF: Record<string, RefundStatus> = { succeeded: 'succeeded', failed: 'failed', canceled: 'failed' };

export class RefundJob {
  /**
   * `gateway` is asked for only by a run that finds a refund due (on AWS it reads Stripe's secret
   * and loads the SDK: most runs find nothing). If it cannot be had, the run fails before touching
   * an invoice: a broken secret is the job's error (its alarm), never an attempt counted against
   * the refunds waiting.
   */
  constructor(
    private readonly deps: RefundJobDeps,
    private readonly gateway: () => Promise<RefundGateway>,
    private readonly logger: Logger,
  ) {}

  async run(): Promise<RefundJobResult> {
    const result: RefundJobResult = { refunded: [], retried: [], deadLettered: [] };
    const now = this.deps.clock.now();
    const due = await this.deps.invoices.refundsDue(now);
    if (due.length === 0) return result;
    const gateway = await this.gateway();
    for (const invoiceId of due) {
      try {
        const outcome = await this.settle(gateway, invoiceId, now);
        if (outcome) result[outcome].push(invoiceId);
      } catch (err) {
        // another writer changed the invoice meanwhile: the next run sees it as it is then
        if (!(err instanceof StaleReadError)) throw err;
      }
    }
    return result;
  }

  private async settle(gateway: RefundGateway, invoiceId: string, now: number): Promise<keyof RefundJobResult | null> {
    let invoice = await this.deps.invoices.get(invoiceId);
    if (!invoice) return null;
    if (refundDue(invoice) === 0) {
      // recorded meanwhile (by the webhook)
      await this.deps.invoices.dropRefundTodo(invoice);
      return null;
    }
    if (invoice.packageId !== undefined) {
      // a program's cancel refunds by itself: while it is unfinished, the job leaves its invoice alone
      const pkg = await this.deps.packages.get(invoice.packageId);
      if (pkg?.cancellation && pkg.cancellation.settledAt === undefined) return null;
    }
    // the job acts on the client's payment data: audited before it asks Stripe or writes anything,
    // so that an entry that cannot be written stops the run (the next run acts, and audits, again)
    await this.deps.audit.append([
      {
        at: now,
        clientId: invoice.clientId,
        clinicId: invoice.clinicId,
        actor: REFUND_JOB_ACTOR,
        action: REFUND_AUDIT_ACTION,
        record: { type: 'invoice', id: invoice.id },
        requestId: `refund-run-${new Date(now).toISOString()}`,
      },
    ]);
    let intents: Map<string, string | null>;
    try {
      intents = await this.paymentIntents(gateway, invoice);
    } catch (err) {
      return this.failed(invoice, now, err);
    }
    const plan = planRefunds(invoice, (ref) => !!intents.get(ref));
    // money taken at the clinic is given back there: finance's list, without the alarm
    if (plan.length === 0)
      return this.giveUp(invoice, now, invoice.payments.some(isDeskPayment) ? 'paid_at_desk' : 'no_refundable_payment');
    try {
      for (const part of plan) {
        const res = await gateway.refund({
          invoiceId: invoice.id,
          paymentIntentId: intents.get(part.paymentReference)!,
          amount: part.amount,
          idempotencyKey: part.idempotencyKey,
        });
        const before: StoredInvoice = invoice;
        invoice = await this.deps.invoices.replace(
          before,
          applyRefund(before, {
            reference: res.refundId,
            amount: { amount: part.amount, currency: before.currency },
            at: now,
            status: STATUS_OF[res.status] ?? 'pending',
            paymentReference: part.paymentReference,
          }),
        );
      }
    } catch (err) {
      if (err instanceof StaleReadError) throw err;
      return this.failed(invoice, now, err);
    }
    return refundDue(invoice) === 0 ? 'refunded' : this.failed(invoice, now, new Error('refund refused'));
  }

  /**
   * The payment intent behind each payment of the invoice (null when none). A self-pay invoice's
   * payments are intents already; a program's invoice carries its package's references (the
   * Checkout Session of the purchase or down payment, Stripe's invoice of an installment), which
   * Stripe is asked for.
   */
  private async paymentIntents(gateway: RefundGateway, invoice: Invoice): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    for (const { reference } of invoice.payments) {
      if (isPaymentIntent(reference)) out.set(reference, reference);
      else if (reference.startsWith('cs_'))
        out.set(reference, (await gateway.retrieveCheckoutPayment?.(reference))?.paymentIntentId ?? null);
      else if (reference.startsWith('in_')) out.set(reference, (await gateway.invoicePaymentIntent?.(reference)) ?? null);
      else out.set(reference, null);
    }
    return out;
  }

  /** Attempts: the job's own failures plus the refunds that failed after Stripe took them. */
  private attempts(invoice: StoredInvoice): number {
    return (invoice.refundJob?.attempts ?? 0) + invoice.refunds.filter((r) => r.status === 'failed').length;
  }

  private async failed(invoice: StoredInvoice, now: number, err: unknown): Promise<keyof RefundJobResult> {
    const state = { attempts: (invoice.refundJob?.attempts ?? 0) + 1, lastFailureAt: now };
    const attempts = this.attempts({ ...invoice, refundJob: state });
    this.logger.warn('Refund attempt failed', { invoiceId: invoice.id, attempts, error: (err as Error)?.name });
    if (attempts >= REFUND_MAX_ATTEMPTS) return this.giveUp({ ...invoice, refundJob: state }, now, 'attempts_exhausted', invoice);
    await this.deps.invoices.refundDueAgain(invoice, state, nextRefundAttemptAt(attempts, now));
    return 'retried';
  }

  private async giveUp(
    invoice: StoredInvoice,
    now: number,
    reason: 'no_refundable_payment' | 'attempts_exhausted' | 'paid_at_desk',
    stored: StoredInvoice = invoice,
  ): Promise<'deadLettered'> {
    const state = {
      attempts: invoice.refundJob?.attempts ?? 0,
      lastFailureAt: invoice.refundJob?.lastFailureAt ?? now,
      deadLetteredAt: now,
    };
    await this.deps.invoices.refundDeadLettered(stored, state);
    if (reason === 'paid_at_desk') {
      // expected, not a failure: no metric, so no alarm; the invoice is on finance's list all the same
      this.logger.info('Refund left to give back at the clinic', { invoiceId: invoice.id, reason, amount: refundDue(invoice) });
    } else {
      // counted by the CloudWatch metric filter → alarm (infra/lib/ops.ts)
      this.logger.error('Refund dead-lettered', {
        metric: 'RefundDeadLettered',
        invoiceId: invoice.id,
        reason,
        amount: refundDue(invoice),
      });
    }
    return 'deadLettered';
  }
}
