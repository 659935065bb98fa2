// Histories of a clinic's money for the revenue tests, built with the real domain functions (the
// invoices' own payments, refunds, cancellations and package cancel credit; the package cancel's
// refund rule), so that what revenue.ts reads is what the services write.
import {
  applyCancellation,
  applyPackageCancel,
  applyPayment,
  applyRefund,
  newProgramInvoice,
  newSessionInvoice,
  refundDue,
  totals,
  type Invoice,
} from '#domain/invoices.ts';
import type { CreditService, Package } from '#domain/packages.ts';
import { usedValue } from '#domain/package-rules.ts';
import type { Appointment, AppointmentStatus, ServiceCode } from '#domain/types.ts';
import type { RevenueFacts } from '#domain/revenue.ts';
import { NY, service } from './fixtures.ts';

export const ZONE = NY;
export const LIST: Record<CreditService, number> = { preparation: 17_500, exploration: 55_000, integration: 17_500 };
const usd = (amount: number) => ({ amount, currency: 'USD' as const });

/** A mutable clinic history: its invoices, packages and appointments, by id. */
export class World {
  readonly invoices = new Map<string, Invoice>();
  readonly packages = new Map<string, Package>();
  readonly appointments = new Map<string, Appointment>();
  private n = 0;

  constructor(
    readonly forfeitsOnLate = true,
    readonly listPrices: Record<CreditService, number> = LIST,
  ) {}

  facts(): RevenueFacts {
    return {
      zone: ZONE,
      currency: 'USD',
      lateCancellationForfeitsCredit: this.forfeitsOnLate,
      listPrices: this.listPrices,
      invoices: [...this.invoices.values()],
      packages: [...this.packages.values()],
      appointments: [...this.appointments.values()],
    };
  }

  private id(prefix: string): string {
    return `${prefix}-${++this.n}`;
  }

  // ---- packages -----------------------------------------------------------------------------

  /** A package bought at `at` for `price`, its invoice issued then. */
  buy(includes: Record<CreditService, number>, price: number, at: number): { pkg: string; invoice: string } {
    const pkg: Package = {
      id: this.id('pkg'),
      clinicId: 'clinic-1',
      clientId: 'client-1',
      programId: 'prg-1',
      programName: 'Care program',
      status: 'active',
      price: usd(price),
      payment: 'pay_in_full',
      credits: {
        preparation: { total: includes.preparation, used: 0 },
        exploration: { total: includes.exploration, used: 0 },
        integration: { total: includes.integration, used: 0 },
      },
      payments: [],
      stripe: {},
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    const invoice = newProgramInvoice({
      id: this.id('inv'),
      clinicId: 'clinic-1',
      clientId: 'client-1',
      currency: 'USD',
      at,
      package: pkg,
    });
    this.packages.set(pkg.id, { ...pkg, invoiceId: invoice.id });
    this.invoices.set(invoice.id, invoice);
    return { pkg: pkg.id, invoice: invoice.id };
  }

  /** A session booked against the package (one of its credits), with the status it ended in. */
  packageSession(pkgId: string, service: CreditService, startsAt: number, status: AppointmentStatus, late = false): string {
    const a = this.appointment(service, startsAt, status, late, { packageId: pkgId });
    return a.id;
  }

  /**
   * A staff cancel at `at` (package-cancel-service.ts): its booked sessions after `at` are freed,
   * the value used is the list value of the credits still taken, the invoice gets its credit
   * line, and what was paid above it is refunded at `refundAt` (not at all when null).
   */
  cancelPackage(pkgId: string, at: number, refundAt: number | null = at): { refund: number; usedValue: number } {
    const pkg = this.packages.get(pkgId)!;
    const used: Record<CreditService, number> = { preparation: 0, exploration: 0, integration: 0 };
    for (const a of this.appointments.values()) {
      if (a.packageId !== pkgId) continue;
      if (a.status === 'booked' && a.startsAt > at) {
        this.appointments.set(a.id, { ...a, status: 'cancelled', late: false, cancelledAt: at });
        continue;
      }
      const holds =
        ['booked', 'checked_in', 'completed', 'no_show'].includes(a.status) || (a.status === 'cancelled' && a.late && this.forfeitsOnLate);
      if (holds) used[a.service as CreditService] += 1;
    }
    const value = usedValue(used, this.listPrices);
    let invoice = applyPackageCancel(this.invoices.get(pkg.invoiceId!)!, { used: usd(value), at });
    const refund = refundDue(invoice);
    if (refundAt !== null && refund > 0) {
      invoice = applyRefund(invoice, { reference: this.id('re'), amount: usd(refund), at: refundAt, status: 'succeeded' });
    }
    this.invoices.set(invoice.id, invoice);
    this.packages.set(pkgId, {
      ...pkg,
      status: 'cancelled',
      cancellation: { at, usedValue: value, refundDue: refund, refunds: [], settledAt: refundAt ?? undefined },
      updatedAt: Math.max(at, refundAt ?? at),
    });
    return { refund, usedValue: value };
  }

  // ---- self-pay sessions --------------------------------------------------------------------

  /** A self-pay session booked at `bookedAt`, its invoice issued then. */
  selfPay(code: ServiceCode, startsAt: number, bookedAt: number): { appointment: string; invoice: string } {
    const invoiceId = this.id('inv');
    const a = this.appointment(code, startsAt, 'booked', false, { invoiceId });
    const invoice = newSessionInvoice({
      id: invoiceId,
      clinicId: 'clinic-1',
      clientId: 'client-1',
      currency: 'USD',
      at: bookedAt,
      zone: ZONE,
      service: service(code),
      appointment: a,
    });
    this.invoices.set(invoice.id, invoice);
    return { appointment: a.id, invoice: invoice.id };
  }

  /** Completed, checked in: only the appointment changes (the invoice does not). */
  setStatus(appointmentId: string, status: AppointmentStatus): void {
    const a = this.appointments.get(appointmentId)!;
    this.appointments.set(appointmentId, { ...a, status });
  }

  /** A self-pay session cancelled (on time or late) or missed at `at`, its invoice changed in the same step. */
  cancelSelfPay(appointmentId: string, kind: 'on_time' | 'late' | 'no_show', at: number, fee = 10_000): void {
    const a = this.appointments.get(appointmentId)!;
    const invoice = this.invoices.get(a.invoiceId!)!;
    const after =
      kind === 'on_time'
        ? applyCancellation(invoice, { appointmentId, kind, at })
        : applyCancellation(invoice, { appointmentId, kind, fee: usd(fee), at });
    this.invoices.set(after.id, after);
    this.appointments.set(appointmentId, {
      ...a,
      status: kind === 'no_show' ? 'no_show' : 'cancelled',
      ...(kind === 'no_show' ? {} : { late: kind === 'late', cancelledAt: at }),
    });
  }

  // ---- money --------------------------------------------------------------------------------

  pay(invoiceId: string, amount: number, at: number): void {
    const invoice = this.invoices.get(invoiceId)!;
    this.invoices.set(invoiceId, applyPayment(invoice, { reference: this.id('pi'), amount: usd(amount), at, method: 'card' }));
  }

  refund(invoiceId: string, amount: number, at: number, status: 'pending' | 'succeeded' | 'failed' = 'succeeded'): void {
    const invoice = this.invoices.get(invoiceId)!;
    this.invoices.set(invoiceId, applyRefund(invoice, { reference: this.id('re'), amount: usd(amount), at, status }));
  }

  /** Refunds whatever the invoice owes back (the refund job), at `at`. */
  settleRefund(invoiceId: string, at: number): void {
    const owed = refundDue(this.invoices.get(invoiceId)!);
    if (owed > 0) this.refund(invoiceId, owed, at);
  }

  /** What the invoice holds: paid − refunded (refunds not failed). */
  kept(invoiceId: string): number {
    const t = totals(this.invoices.get(invoiceId)!);
    return t.paid - t.refunded;
  }

  private appointment(
    service: ServiceCode,
    startsAt: number,
    status: AppointmentStatus,
    late: boolean,
    extra: Partial<Appointment>,
  ): Appointment {
    const a: Appointment = {
      id: this.id('appt'),
      clinicId: 'clinic-1',
      clientId: 'client-1',
      providerId: 'p1',
      roomId: null,
      service,
      mode: 'in_person',
      startsAt,
      endsAt: startsAt + 3_600_000,
      status,
      ...(status === 'cancelled' ? { late, cancelledAt: startsAt - (late ? 3_600_000 : 72 * 3_600_000) } : {}),
      createdAt: 0,
      updatedAt: 0,
      version: 1,
      ...extra,
    };
    this.appointments.set(a.id, a);
    return a;
  }
}

/** Every credit service with its count, for readable includes. */
export const includes = (preparation: number, exploration: number, integration: number): Record<CreditService, number> => ({
  preparation,
  exploration,
  integration,
});
