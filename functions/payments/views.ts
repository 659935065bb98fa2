// Packages and programs as the API shows them (docs/domain.md, "Programs, packages and payments"; docs/api.md, "A client's packages").
import type { Currency } from '#domain/types.ts';
import type { Package, Program } from '#domain/packages.ts';
import { CREDIT_SERVICES } from '#domain/packages.ts';
import { packageStatus, remaining, type CancelPreview } from '#domain/package-rules.ts';
import { formatInstant } from '#domain/time.ts';

export const programView = (p: Program) => ({
  id: p.id,
  clinicId: p.clinicId,
  name: p.name,
  explorations: p.explorations,
  tier: p.tier,
  includes: p.includes,
  price: p.price,
  retired: p.retired,
});

/** `tz`: the clinic's zone, in which the payments' times are given (with its offset). */
export const packageView = (pkg: Package, tz: string) => ({
  id: pkg.id,
  clientId: pkg.clientId,
  clinicId: pkg.clinicId,
  programId: pkg.programId,
  programName: pkg.programName,
  // derived again from the facts and the credits as they are now: the stored status changes only
  // with a payment fact, so a package whose last credit was just used shows 'completed' here
  status: packageStatus(pkg),
  price: pkg.price,
  payment: pkg.payment,
  credits: Object.fromEntries(
    CREDIT_SERVICES.map((s) => [s, { total: pkg.credits[s].total, used: pkg.credits[s].used, remaining: remaining(pkg.credits[s]) }]),
  ),
  payments: pkg.payments.map((p) => ({
    kind: p.kind,
    amount: p.amount,
    status: p.status,
    at: formatInstant(p.at, tz),
    ...(p.installment !== undefined ? { installment: p.installment } : {}),
  })),
  schedule: pkg.plan
    ? {
        count: pkg.plan.count,
        downPaymentPercent: pkg.plan.downPaymentPercent,
        downPayment: { amount: pkg.plan.downPayment, currency: pkg.price.currency },
        installments: pkg.plan.installments.map((i) => ({
          n: i.n,
          dueDate: i.dueDate,
          amount: { amount: i.amount, currency: pkg.price.currency },
          status: i.status,
          attempts: i.attempts,
        })),
      }
    : null,
  refunded: pkg.refunded ?? null,
  checkoutSessionId: pkg.checkoutSessionId ?? null,
  // the Checkout page to go back to while the payment is still awaited (an extension)
  checkoutUrl: packageStatus(pkg) === 'pending_payment' ? (pkg.checkoutUrl ?? null) : null,
  invoiceId: pkg.invoiceId ?? null,
});

/** What a cancel would do (GET /v1/packages/{packageId}/cancel-preview), amounts in the package's currency. */
export const cancelPreviewView = (p: CancelPreview, currency: Currency) => ({
  refund: { amount: p.refund, currency },
  paid: { amount: p.paid, currency },
  keeps: { amount: p.keeps, currency },
  futureSessions: p.futureSessions,
  unresolvedSessions: p.unresolvedSessions,
});
