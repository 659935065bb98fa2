// Paying an invoice online (the payments API): a Stripe Checkout Session for the invoice's balance.
// The invoice is paid only when the signed webhook says so (PaymentEvents in payment-facts.ts),
// never from the browser's return, exactly as packages are.
//
// What goes to Stripe: the balance, the currency, a neutral line text ("Invoice 12 — <clinic
// name>", or "Invoice 12" when the name holds a word a payment line may not: isNeutralPaymentText,
// the test the gateway applies again) and opaque ids (invoice, clinic, client) in the metadata. No
// service, no diagnosis, no client name.
//
// The session's idempotency key names the invoice and its version: asking again while nothing
// changed gives the same session back (Stripe replays it, within the same half hour); once a
// payment, refund or fee changed the invoice, a new one for the new balance. The session is
// short-lived (60 to 90 minutes, `shortLived` in payment-gateway.ts), so a page left open is not
// paid after the invoice was voided or changed. Two sessions paid for one invoice (two tabs, or a
// page paid just before its invoice changed) are two payments: the surplus is a balance below 0,
// which the refund job pays back (refund-job.ts).
import type { PaymentGateway } from '#adapters/payment-gateway.ts';
import { totals } from '#domain/invoices.ts';
import { programInvoiceTakesPayments } from '#domain/package-rules.ts';
import { isNeutralPaymentText } from '#domain/denylist.ts';
import { ConflictError } from '#domain/errors.ts';
import type { Caller } from '#shared/auth/policy.ts';
import type { Repositories } from './context.ts';

export interface InvoiceCheckoutOptions {
  /** Where Checkout sends the browser back (the web app's invoice page, which shows the state). */
  appBaseUrl: string;
}

export type InvoicePaymentServiceDeps = Pick<Repositories, 'invoices' | 'clinics' | 'packages'>;

export class InvoicePaymentService {
  constructor(
    private readonly deps: InvoicePaymentServiceDeps,
    private readonly gateway: PaymentGateway,
    private readonly opts: InvoiceCheckoutOptions,
  ) {}

  /**
   * A Checkout Session for what is due on the invoice. 409 when nothing is due, and for a
   * program's invoice while its package's own checkout and installment plan pay it. Once the
   * package is cancelled (and its cancel settled) nothing else can collect what it still owes —
   * sessions used or forfeited beyond what was paid, the installments having stopped — so its
   * invoice is paid here like any other; the payment goes on the invoice (the package's record
   * keeps its own payments, and syncPackageInvoice only ever adds to the invoice).
   */
  async checkout(
    caller: Caller,
    invoiceId: string,
  ): Promise<{ checkoutUrl: string; checkoutSessionId: string; invoice: { id: string; clientId: string; clinicId: string } }> {
    const invoice = await this.deps.invoices.require(invoiceId);
    caller.assert({ clinicId: invoice.clinicId, clientId: invoice.clientId });
    if (invoice.packageId !== undefined) {
      if (!programInvoiceTakesPayments(await this.deps.packages.get(invoice.packageId))) {
        throw new ConflictError("A program's invoice is paid through its package (its checkout or installment plan)");
      }
    }
    const { balance } = totals(invoice);
    if (balance <= 0) throw new ConflictError('Nothing is due on this invoice');
    const clinic = await this.deps.clinics.require(invoice.clinicId);
    // the clinic's name only when the payment provider may see it: names allow session words
    // ("Exploration Centre") that a payment line may not carry (the gateway would refuse it)
    const line = `Invoice ${invoice.number}`;
    const description = isNeutralPaymentText(`${line} — ${clinic.name}`) ? `${line} — ${clinic.name}` : line;
    const session = await this.gateway.createCheckout({
      invoiceId: invoice.id,
      clinicId: invoice.clinicId,
      clientId: invoice.clientId,
      methods: ['card'],
      currency: invoice.currency,
      amount: balance,
      description,
      saveCard: false,
      successUrl: `${this.opts.appBaseUrl}/invoices/${invoice.id}?checkout=done`,
      cancelUrl: `${this.opts.appBaseUrl}/invoices/${invoice.id}?checkout=cancelled`,
      idempotencyKey: `invoice-checkout-${invoice.id}-v${invoice.version}`,
      // the balance may change (a cancel voids the invoice, a fee replaces a line): a page left open expires
      shortLived: true,
    });
    return { checkoutUrl: session.url, checkoutSessionId: session.id, invoice };
  }
}
