// Buying a program: the package is created pending_payment with a Stripe Checkout Session for what
// is charged now; it turns active only from a verified webhook (payment-facts.ts), never from the
// browser's return.
//
// The Checkout Session is created BEFORE the package is written, and the package is written once,
// with its session: its id is chosen first and goes to Stripe in the session's metadata and in
// the idempotency key (`checkout-<package id>`). So a Stripe outage (503 payment_unavailable)
// leaves nothing behind in the table — not even if the function is killed mid-call, which
// "delete the pending package when the call fails" could not promise (the delete never runs, or
// fails too). The reverse case — the session made, the package write failing — leaves only an
// open session whose URL nobody was given; it expires after 24 h, and its
// checkout.session.expired names a package that does not exist, so the webhook changes nothing.
import type { PaymentGateway } from '#adapters/payment-gateway.ts';
import type { Package, PaymentMode, Program } from '#domain/packages.ts';
import type { Clinic } from '#domain/types.ts';
import { ConflictError, NotFoundError, RuleViolation, assertNoIssues } from '#domain/errors.ts';
import { firstDueDateAfter, installmentEligibility, installmentsTermsIssues, planInstallments } from '#domain/installments.ts';
import { creditsFor, packageStatus } from '#domain/package-rules.ts';
import { localDate } from '#domain/time.ts';
import { newProgramInvoice } from '#domain/invoices.ts';
import { withOptimisticRetry } from '#db/errors.ts';
import { NUMBERING_ATTEMPTS } from '#db/invoice-repo.ts';
import type { Caller } from '#shared/auth/policy.ts';
import type { Clock } from '#adapters/clock.ts';
import type { IdGenerator } from '#adapters/ids.ts';
import type { Repositories } from './context.ts';
import { applyFacts } from './payment-facts.ts';

export interface PurchaseInput {
  clientId: string;
  programId: string;
  payment: PaymentMode;
  installments?: { count: number; downPaymentPercent: number } | undefined;
}

export interface PurchaseOptions {
  /** Where Checkout sends the browser back (the clinic's web app); the package page shows the state. */
  appBaseUrl: string;
}

type CheckoutMethod = 'card' | 'affirm' | 'klarna';

/** How a purchase is paid: the Checkout methods offered, what is charged now, and the plan of the rest. */
interface PaymentTerms {
  methods: CheckoutMethod[];
  chargeNow: number;
  plan: Package['plan'];
}

/** What PurchaseService uses besides the gateway: the client, the clinic's programs, the client's packages, the clock and ids. */
export type PurchaseServiceDeps = Pick<Repositories, 'clients' | 'clinics' | 'packages' | 'invoices'> & { clock: Clock; ids: IdGenerator };

export class PurchaseService {
  constructor(
    private readonly deps: PurchaseServiceDeps,
    private readonly gateway: PaymentGateway,
    private readonly opts: PurchaseOptions,
  ) {}

  /** `timezone`: the clinic's, in which the answer shows the package's times (read before anything is written). */
  async purchase(
    caller: Caller,
    input: PurchaseInput,
  ): Promise<{ pkg: Package; checkoutUrl: string; checkoutSessionId: string; timezone: string }> {
    const client = await this.deps.clients.require(input.clientId);
    caller.assert({ clinicId: client.clinicId, clientId: client.id });
    const setup = await this.deps.clinics.setup(client.clinicId);
    const { clinic } = setup;
    const program = setup.programs.find((pr) => pr.id === input.programId);
    if (!program) throw new NotFoundError('program');
    if (program.retired) throw new ConflictError('This program is no longer offered');
    const now = this.deps.clock.now();
    const terms = await this.paymentTerms(client.id, clinic, program.price.amount, input, now);
    const pkg = newPackage({
      id: this.deps.ids('pkg'),
      invoiceId: this.deps.ids('inv'),
      clinicId: clinic.id,
      clientId: client.id,
      program,
      payment: input.payment,
      plan: terms.plan,
      now,
    });
    // Stripe first, then the one write (see the top of this file).
    const session = await this.gateway.createCheckout({
      packageId: pkg.id,
      clinicId: clinic.id,
      clientId: client.id,
      methods: terms.methods,
      currency: pkg.price.currency,
      amount: terms.chargeNow,
      description: 'Care package', // neutral: no clinic-chosen text (the program's name) reaches Stripe
      saveCard: input.payment === 'installments',
      successUrl: `${this.opts.appBaseUrl}/packages/${pkg.id}?checkout=done`,
      cancelUrl: `${this.opts.appBaseUrl}/packages/${pkg.id}?checkout=cancelled`,
      idempotencyKey: `checkout-${pkg.id}`,
    });
    const saved = { ...pkg, checkoutSessionId: session.id, checkoutUrl: session.url };
    await this.store(saved, clinic, now);
    await this.closeEarlierCheckouts(client.id, program.id, saved.id, now);
    return { pkg: saved, checkoutUrl: session.url, checkoutSessionId: session.id, timezone: clinic.timezone };
  }

  /**
   * The same program's checkouts the client opened before and left unpaid (Back from the payment
   * page, then buying again): closed at Stripe and their packages cancelled with their invoices,
   * as an expired checkout is, so one purchase leaves one package and one invoice, not an unpaid
   * twin that says money is owed. A checkout that was paid meanwhile ('not_open') is left as it
   * is, its webhook makes that package active. Done after the new one is stored (a purchase that
   * fails leaves the earlier page payable), and best effort: one left open expires by itself
   * (24 h, or 60 to 90 minutes for a saved card) and its package with it.
   */
  private async closeEarlierCheckouts(clientId: string, programId: string, keep: string, now: number): Promise<void> {
    const expire = this.gateway.expireCheckout?.bind(this.gateway);
    if (!expire) return;
    const open = (await this.deps.packages.ofClient(clientId)).filter((e) => e.status === 'pending_payment' && e.packageId !== keep);
    if (open.length === 0) return;
    for (const pkg of await this.deps.packages.getMany(open.map((e) => e.packageId))) {
      const sessionId = pkg.checkoutSessionId;
      if (pkg.programId !== programId || !sessionId || packageStatus(pkg) !== 'pending_payment') continue;
      try {
        if ((await expire(sessionId)) === 'expired')
          await applyFacts(this.deps, pkg.id, [{ kind: 'checkout_expired', ref: sessionId, at: now }]);
      } catch {
        // left to expire by itself (see above)
      }
    }
  }

  /**
   * The package and its invoice (one line for the program at the locked price) in one
   * transaction, under the clinic's next invoice number; a number taken meanwhile is re-read and
   * tried again (docs/access-patterns.md, "Invoice numbers").
   */
  private async store(pkg: Package & { invoiceId: string }, clinic: Clinic, now: number): Promise<void> {
    const invoice = newProgramInvoice({
      id: pkg.invoiceId,
      clinicId: clinic.id,
      clientId: pkg.clientId,
      currency: clinic.currency,
      at: now,
      package: pkg,
    });
    await withOptimisticRetry(async () => {
      const writes = this.deps.invoices.invoiceWrites(invoice, await this.deps.invoices.nextNumber(clinic.id));
      await this.deps.packages.create(pkg, writes);
    }, NUMBERING_ATTEMPTS);
  }

  /** Pay in full by card, by a pay-later method where Stripe offers one, or on the clinic's installment plan. */
  private async paymentTerms(clientId: string, clinic: Clinic, total: number, input: PurchaseInput, now: number): Promise<PaymentTerms> {
    let methods: CheckoutMethod[] = ['card'];
    if (input.payment === 'bnpl') {
      const bnpl = this.gateway.bnplMethods(clinic.country, clinic.currency);
      if (bnpl.length === 0) {
        throw new RuleViolation('bnpl_unavailable', `Buy now, pay later is not offered for ${clinic.currency} in ${clinic.country}`);
      }
      methods = bnpl;
    }
    assertNoIssues(installmentsTermsIssues(input.payment, input.installments));
    // terms given exactly when the payment is "installments"
    if (!input.installments) return { methods, chargeNow: total, plan: undefined };
    const { count, downPaymentPercent } = input.installments;
    const pastDue = (await this.deps.packages.ofClient(clientId)).some((e) => e.status === 'past_due');
    const eligible = installmentEligibility({
      policy: clinic.policy.installments,
      total,
      count,
      downPaymentPercent,
      hasPastDuePackage: pastDue,
    });
    if (!eligible.ok) throw new RuleViolation('installments_not_eligible', eligible.reason);
    const plan = planInstallments({ total, downPaymentPercent, count, firstDueDate: firstDueDateAfter(localDate(now, clinic.timezone)) });
    return { methods, chargeNow: plan.downPayment, plan };
  }
}

/** A package as bought: waiting for its payment, at the program's price locked now, every credit unused. */
function newPackage(p: {
  id: string;
  invoiceId: string;
  clinicId: string;
  clientId: string;
  program: Program;
  payment: PaymentMode;
  plan: Package['plan'];
  now: number;
}): Package & { invoiceId: string } {
  const { program, now } = p;
  return {
    id: p.id,
    invoiceId: p.invoiceId,
    clinicId: p.clinicId,
    clientId: p.clientId,
    programId: program.id,
    programName: program.name,
    status: 'pending_payment',
    price: program.price,
    payment: p.payment,
    credits: creditsFor(program.includes),
    plan: p.plan,
    payments: [],
    stripe: {},
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}
