// Programs, packages, credits and payments: the vocabulary of the payments service
// (docs/domain.md: 4- or 6-exploration programs in tiers, pay in full, buy now pay later, or the
// clinic's own 0 % installment plan). Pure data and rules; no Stripe, no AWS.
import type { Money } from './types.ts';
import { DEFAULT_POLICY_VALUES } from './policy.ts';

export const PAYMENT_MODES = ['pay_in_full', 'bnpl', 'installments'] as const;
export type PaymentMode = (typeof PAYMENT_MODES)[number];

/** How a package's charges are paid, as an invoice shows them: BNPL through the provider, the rest by card. */
export const PAYMENT_METHOD_OF_MODE: Record<PaymentMode, string> = { pay_in_full: 'card', bnpl: 'bnpl', installments: 'card' };

export const PACKAGE_STATUSES = ['pending_payment', 'active', 'past_due', 'cancelled', 'completed'] as const;
export type PackageStatus = (typeof PACKAGE_STATUSES)[number];

/** The services a program bundles and a package holds credits for. */
export const CREDIT_SERVICES = ['preparation', 'exploration', 'integration'] as const;
export type CreditService = (typeof CREDIT_SERVICES)[number];

export type ProgramTier = 'standard' | 'extra_support';

export interface Program {
  id: string;
  clinicId: string;
  name: string;
  explorations: number;
  tier: ProgramTier;
  includes: Record<CreditService, number>;
  price: Money;
  retired: boolean;
  createdAt: number;
}

export interface CreditLine {
  total: number;
  used: number;
}

export type InstallmentStatus = 'scheduled' | 'paid' | 'failed' | 'cancelled';

export interface Installment {
  /** 1-based position in the plan. */
  n: number;
  amount: number; // minor units, the package currency
  /** Clinic-local date the charge is due. */
  dueDate: string;
  status: InstallmentStatus;
  attempts: number;
}

export interface InstallmentPlan {
  count: number;
  downPaymentPercent: number;
  downPayment: number; // minor units
  installments: Installment[];
}

export type PaymentKind = 'full' | 'down_payment' | 'installment' | 'refund';
export type PaymentStatus = 'succeeded' | 'failed' | 'pending';

export interface PaymentRecord {
  /** The Stripe object it came from (payment intent, invoice, refund), or a local id. */
  ref: string;
  kind: PaymentKind;
  amount: Money;
  status: PaymentStatus;
  at: number;
  installment?: number | undefined;
}

/** One refund a cancel had Stripe make: from which charge, how much, and Stripe's refund id. */
export interface CancelRefundPart {
  /** The charge refunded from (its PaymentRecord.ref): also what the refund's idempotency key names. */
  paymentRef: string;
  refundId: string;
  amount: number; // minor units
}

/**
 * A staff cancel and how far its refund got (package-cancel-service.ts). Written with the cancel,
 * before anything is asked of Stripe, and after every refund Stripe accepts, so that a cancel that
 * failed half-way is finished by the next one instead of being refused.
 */
export interface Cancellation {
  /** When the package was cancelled (epoch ms): its sessions booked after this are freed. */
  at: number;
  /** What the cancel refunds in all (minor units), fixed once the future sessions gave their credits back; unset before. */
  refundDue?: number | undefined;
  /**
   * The list value of the sessions used or forfeited (usedValue in package-rules.ts), fixed with
   * refundDue: the package's invoice keeps this much as its charge (a credit line of the rest).
   */
  usedValue?: number | undefined;
  /** The refunds made so far, at most one per charge. */
  refunds: CancelRefundPart[];
  /** When the refund was finished (every share refunded, or none could be): a later cancel is a 409. */
  settledAt?: number | undefined;
  /**
   * Until when (epoch ms) a cancel request is working on it: another request meanwhile is a 409.
   * Released when that request fails (so its retry finishes the cancel at once); a request stopped
   * without releasing it (a timeout) leaves it to run out (CANCEL_CLAIM_MS in package-rules.ts).
   */
  claimedUntil?: number | undefined;
}

export interface InstallmentPolicy {
  /** Smallest package price that may be financed, in the clinic currency's minor units. */
  minimumTotal: number;
  allowedCounts: number[];
  minimumDownPaymentPercent: number;
}

/** The defaults live with the rest of the clinic policy (policy.ts). */
export const DEFAULT_INSTALLMENT_POLICY: InstallmentPolicy = DEFAULT_POLICY_VALUES.installments;

export interface Package {
  id: string;
  clinicId: string;
  clientId: string;
  programId: string;
  programName: string;
  status: PackageStatus;
  /** Locked at purchase. */
  price: Money;
  payment: PaymentMode;
  credits: Record<CreditService, CreditLine>;
  plan?: InstallmentPlan | undefined;
  payments: PaymentRecord[];
  checkoutSessionId?: string | undefined;
  /**
   * The purchase's Checkout page: shown while the package waits for its payment, so that a client
   * who left it can come back and pay (Stripe keeps a session 24 h; when it expires, so does the
   * package) rather than buy again.
   */
  checkoutUrl?: string | undefined;
  /** The invoice of the purchase, written in the same transaction as the package (none on packages bought before invoices). */
  invoiceId?: string | undefined;
  stripe: {
    customerId?: string | undefined;
    paymentIntentId?: string | undefined;
    paymentMethodId?: string | undefined;
    scheduleId?: string | undefined;
    /** Epoch seconds of the first installment charge, as given to the schedule: numbers the invoices. */
    scheduleStartAt?: number | undefined;
  };
  refunded?: Money | undefined;
  /** Set by a staff cancel (not by an expired checkout). */
  cancellation?: Cancellation | undefined;
  createdAt: number;
  updatedAt: number;
  version: number;
}
