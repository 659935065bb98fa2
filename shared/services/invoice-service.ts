// Reading invoices (the billing API): one invoice, a client's, a clinic's by issue date. Read-only;
// the invoices themselves are written where what they bill happens (a self-pay booking, a
// purchase). Every read checks the record's scope through the Caller before anything is returned.
import { clientName, type Clinic } from '#domain/types.ts';
import { totals, type InvoiceStatus } from '#domain/invoices.ts';
import { assertNoIssues } from '#domain/errors.ts';
import { dateRangeIssues, localDayEnd, localDayStart } from '#domain/time.ts';
import type { Caller } from '#shared/auth/policy.ts';
import type { StoredInvoice } from '#db/invoice-repo.ts';
import type { StoredClient } from '#db/client-repo.ts';
import type { Repositories } from './context.ts';

/**
 * What the service reads: invoices, the clinic (its zone) and, for a client's listing, the client
 * record (its clinic decides who of the staff may list it, also when it has no invoice yet).
 */
export type InvoiceServiceDeps = Pick<Repositories, 'invoices' | 'clinics' | 'clients'>;

export interface ClinicInvoiceQuery {
  clinicId: string;
  /** Clinic-local dates, both included. */
  from: string;
  to: string;
  status?: InvoiceStatus | undefined;
  cursor?: string | undefined;
}

export class InvoiceService {
  constructor(private readonly deps: InvoiceServiceDeps) {}

  /** One invoice the caller may read (its client, or staff of its clinic), and its clinic's zone. */
  async get(caller: Caller, invoiceId: string): Promise<{ invoice: StoredInvoice; timezone: string }> {
    const invoice = await this.deps.invoices.require(invoiceId);
    caller.assert({ clinicId: invoice.clinicId, clientId: invoice.clientId });
    const clinic = await this.deps.clinics.require(invoice.clinicId);
    return { invoice, timezone: clinic.timezone };
  }

  /**
   * What a receipt prints: the invoice (scoped as `get`), its clinic (zone, billing profile) and
   * the client it bills (the name it is made out to).
   */
  async receipt(caller: Caller, invoiceId: string): Promise<{ invoice: StoredInvoice; clinic: Clinic; client: StoredClient }> {
    const invoice = await this.deps.invoices.require(invoiceId);
    caller.assert({ clinicId: invoice.clinicId, clientId: invoice.clientId });
    const [clinic, client] = await Promise.all([this.deps.clinics.require(invoice.clinicId), this.deps.clients.require(invoice.clientId)]);
    return { invoice, clinic, client };
  }

  /** A client's invoices, newest first. */
  async listByClient(caller: Caller, clientId: string): Promise<{ client: StoredClient; invoices: StoredInvoice[]; timezone: string }> {
    const client = await this.deps.clients.require(clientId);
    caller.assert({ clinicId: client.clinicId, clientId: client.id });
    const [clinic, invoices] = await Promise.all([this.deps.clinics.require(client.clinicId), this.deps.invoices.listByClient(client.id)]);
    return { client, invoices, timezone: clinic.timezone };
  }

  /**
   * A page of the clinic's invoices issued on the clinic-local days `from` to `to`, oldest first.
   * With `status`, only the invoices in that status (derived, not stored: see totals); the
   * repository reads on until the page is full (InvoiceRepository.listByClinic).
   */
  async listByClinic(
    caller: Caller,
    q: ClinicInvoiceQuery,
  ): Promise<{ clinic: Clinic; invoices: StoredInvoice[]; nextCursor: string | null; names: Map<string, string> }> {
    const clinic = await this.deps.clinics.require(q.clinicId);
    caller.assert({ clinicId: clinic.id });
    assertNoIssues(dateRangeIssues(q.from, q.to));
    const status = q.status;
    const page = await this.deps.invoices.listByClinic(
      clinic.id,
      localDayStart(q.from, clinic.timezone),
      localDayEnd(q.to, clinic.timezone),
      q.cursor ?? null,
      status === undefined ? undefined : (i) => totals(i).status === status,
      status ?? '',
    );
    return { clinic, invoices: page.invoices, nextCursor: page.nextCursor, names: await this.namesOf(page.invoices) };
  }

  /**
   * The clinic's invoices whose refund the refund job gave up on, oldest first: what finance still
   * has to settle (owed-refund-service.ts). Rare, so not paged.
   */
  async givenUpRefunds(
    caller: Caller,
    clinicId: string,
  ): Promise<{ clinic: Clinic; invoices: StoredInvoice[]; names: Map<string, string> }> {
    const clinic = await this.deps.clinics.require(clinicId);
    caller.assert({ clinicId: clinic.id });
    const invoices = await this.deps.invoices.givenUpRefunds(clinic.id);
    return { clinic, invoices, names: await this.namesOf(invoices) };
  }

  /**
   * Who each invoice is for, in one batch read: the front desk and finance see the clinic's clients
   * by name elsewhere (the day's schedule), and the listed clients are audited anyway.
   */
  private async namesOf(invoices: StoredInvoice[]): Promise<Map<string, string>> {
    const clients = await this.deps.clients.getMany([...new Set(invoices.map((i) => i.clientId))]);
    return new Map(clients.map((c) => [c.id, clientName(c)]));
  }
}
