// The revenue report (docs/api.md, "Revenue report"): recognized and deferred
// revenue, billing, collections and refunds of a clinic over a range of its local dates. The
// rules are in shared/domain/revenue.ts; this reads what they need, all of it by key or index
// (never a Scan): the clinic's setup (zone, currency, policy, catalog list prices), its invoices
// issued up to the end of the range (GSI2, page by page), the packages its program invoices bill
// (BatchGet), and its appointments starting up to the end of the range (GSI2).
//
// Everything from the clinic's first day is read, not only the range: what is deferred at the
// start of the range depends on every payment and every session before it. A clinic's whole
// history is a few thousand items a year; when that grows large, the per-invoice streams
// (revenueAccounts) are what a monthly snapshot would store.
//
// A clinic aggregate names no client and shows no client's payments, so the route records no
// audit entry (docs/security.md, "Audit trail"); it is finance's and admin's alone.
import type { Clinic } from '#domain/types.ts';
import type { Invoice } from '#domain/invoices.ts';
import { creditListPrices } from '#domain/programs.ts';
import { assertRevenueRange, revenueReport, type RevenueFigures } from '#domain/revenue.ts';
import { localDayEnd } from '#domain/time.ts';
import type { Caller } from '#shared/auth/policy.ts';
import type { Repositories } from './context.ts';

export type RevenueServiceDeps = Pick<Repositories, 'clinics' | 'invoices' | 'packages' | 'appointments'>;

export interface RevenueQuery {
  clinicId: string;
  /** Clinic-local dates, both included. */
  from: string;
  to: string;
}

/** The start of every read: before any record of any clinic. */
const BEGINNING = 0;

export class RevenueService {
  constructor(private readonly deps: RevenueServiceDeps) {}

  /**
   * The clinic's figures over `from`..`to`. 403 for staff of another clinic (before anything is
   * read), 400 on `to` for a range backwards or longer than 366 days, 404 for an unknown clinic.
   */
  async report(caller: Caller, q: RevenueQuery): Promise<{ clinic: Clinic; figures: RevenueFigures }> {
    caller.assert({ clinicId: q.clinicId });
    assertRevenueRange(q.from, q.to);
    const setup = await this.deps.clinics.setup(q.clinicId);
    const { clinic } = setup;
    const end = localDayEnd(q.to, clinic.timezone);
    const [invoices, appointments] = await Promise.all([
      this.invoicesIssuedBefore(clinic.id, end),
      this.deps.appointments.byClinic(clinic.id, BEGINNING, end),
    ]);
    const packageIds = invoices.flatMap((i) => (i.packageId === undefined ? [] : [i.packageId]));
    const packages = await this.deps.packages.getMany(packageIds);
    const figures = revenueReport(
      {
        zone: clinic.timezone,
        currency: clinic.currency,
        lateCancellationForfeitsCredit: clinic.policy.lateCancellationForfeitsCredit,
        listPrices: creditListPrices(setup.services, clinic.currency),
        invoices,
        packages,
        appointments,
      },
      q.from,
      q.to,
    );
    return { clinic, figures };
  }

  /** Every invoice of the clinic issued before `end` (epoch ms), following the listing's pages. */
  private async invoicesIssuedBefore(clinicId: string, end: number): Promise<Invoice[]> {
    const out: Invoice[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.deps.invoices.listByClinic(clinicId, BEGINNING, end, cursor);
      out.push(...page.invoices);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return out;
  }
}
