// A client's superbill (US) or receipt for insurance (Canada) over a period: the reads, then the
// pure domain (shared/domain/superbill.ts) decides what is listed and what each line charges.
// Read-only. The client, finance and admin may ask (the route's grants), each checked against the
// client record through the Caller before anything else is read. Nothing here logs: the answer
// carries diagnoses, names and payments (PHI).
import type { Clinic, Service } from '#domain/types.ts';
import type { Package } from '#domain/packages.ts';
import { assertNoIssues } from '#domain/errors.ts';
import { localDate } from '#domain/time.ts';
import { periodIssues, superbill, type SuperbillDocument } from '#domain/superbill.ts';
import type { Caller } from '#shared/auth/policy.ts';
import type { StoredClient } from '#db/client-repo.ts';
import type { Repositories } from './context.ts';

/** What the service reads: the client (its appointments and diagnoses), the clinic's setup, invoices and packages. */
export type SuperbillServiceDeps = Pick<Repositories, 'clients' | 'clinics' | 'invoices' | 'packages'>;

export interface SuperbillPeriod {
  /** Clinic-local dates, both included, at most MAX_SUPERBILL_DAYS apart. */
  from: string;
  to: string;
}

export interface SuperbillRead {
  document: SuperbillDocument;
  client: StoredClient;
  clinic: Clinic;
  /** The catalog (service names for the PDF). */
  services: Service[];
}

export class SuperbillService {
  constructor(private readonly deps: SuperbillServiceDeps) {}

  /**
   * The client's superbill (or receipt) for `period`. 400 on a period that ends before it starts
   * or spans more than 366 days (on `to`); 403 unless the caller may read the client's records;
   * 422 for the rules of shared/domain/superbill.ts.
   */
  async superbill(caller: Caller, clientId: string, period: SuperbillPeriod): Promise<SuperbillRead> {
    assertNoIssues(periodIssues(period.from, period.to));
    const client = await this.deps.clients.require(clientId);
    caller.assert({ clinicId: client.clinicId, clientId: client.id });

    const [setup, diagnoses, appointments] = await Promise.all([
      this.deps.clinics.setup(client.clinicId),
      this.deps.clients.diagnoses(client.id),
      this.deps.clients.appointments(client.id),
    ]);
    const { clinic } = setup;
    // only what the period's completed sessions need: their invoices (self-pay) and packages
    const inPeriod = appointments.filter((a) => {
      if (a.status !== 'completed') return false;
      const date = localDate(a.startsAt, clinic.timezone);
      return date >= period.from && date <= period.to;
    });
    const invoiceIds = [...new Set(inPeriod.flatMap((a) => (a.packageId === undefined && a.invoiceId ? [a.invoiceId] : [])))];
    const packageIds = [...new Set(inPeriod.flatMap((a) => (a.packageId === undefined ? [] : [a.packageId])))];
    const [sessionInvoices, packages] = await Promise.all([
      invoiceIds.length > 0 ? this.deps.invoices.getMany(invoiceIds) : Promise.resolve([]),
      Promise.all(packageIds.map((id) => this.deps.packages.get(id))),
    ]);
    // a cancelled package's invoice may hold a payment its package does not: what the cancel left owing
    const cancelledInvoiceIds = packages.flatMap((p) => (p?.cancellation && p.invoiceId ? [p.invoiceId] : []));
    const invoices = [...sessionInvoices, ...(cancelledInvoiceIds.length > 0 ? await this.deps.invoices.getMany(cancelledInvoiceIds) : [])];
    const document = superbill({
      clinic,
      client,
      diagnosisCodes: diagnoses?.codes ?? [],
      from: period.from,
      to: period.to,
      appointments,
      // another client's or clinic's record never counts, whatever an appointment names
      invoices: invoices.filter((i) => i.clientId === client.id && i.clinicId === clinic.id),
      packages: packages.filter((p): p is Package => p !== null && p.clientId === client.id && p.clinicId === clinic.id),
      services: setup.services,
      providers: setup.providers,
    });
    return { document, client, clinic, services: setup.services };
  }
}
