// Invoices stored directly (InvoiceRepository.create), for tests of the billing API that need
// invoices of a given shape, date and status whatever else bills a client.
import { defaultCatalog } from '#domain/catalog.ts';
import {
  REFUND_MAX_ATTEMPTS,
  applyCancellation,
  applyPayment,
  newProgramInvoice,
  newSessionInvoice,
  type Invoice,
} from '#domain/invoices.ts';
import type { Currency, Mode, ServiceCode } from '#domain/types.ts';
import { InvoiceRepository, type StoredInvoice } from '#db/invoice-repo.ts';
import type { TestApi } from './api.ts';

const ZONES: Record<string, { zone: string; currency: Currency }> = {
  'demo-nyc': { zone: 'America/New_York', currency: 'USD' },
  'demo-tor': { zone: 'America/Toronto', currency: 'CAD' },
};

const demoClinic = (clinicId: string) => {
  const clinic = ZONES[clinicId];
  if (!clinic) throw new Error(`not a demo clinic: ${clinicId}`);
  return clinic;
};

let n = 0;
const nextId = (prefix: string) => `${prefix}_${(++n).toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

/** A self-pay session's invoice issued at `at`, for a session at `startsAt` (default: a day later). */
export function sessionInvoice(o: {
  clientId: string;
  at: number;
  clinicId?: string;
  id?: string;
  appointmentId?: string;
  service?: ServiceCode;
  mode?: Mode;
  startsAt?: number;
}): Invoice {
  const clinicId = o.clinicId ?? 'demo-nyc';
  const { zone, currency } = demoClinic(clinicId);
  const code = o.service ?? 'preparation';
  const service = defaultCatalog(currency).find((s) => s.code === code)!;
  return newSessionInvoice({
    id: o.id ?? nextId('inv'),
    clinicId,
    clientId: o.clientId,
    currency,
    at: o.at,
    zone,
    service,
    appointment: {
      id: o.appointmentId ?? nextId('appt'),
      service: code,
      mode: o.mode ?? 'telehealth',
      startsAt: o.startsAt ?? o.at + 24 * 3_600_000,
    },
  });
}

/** A program purchase's invoice issued at `at`. */
export function programInvoice(o: {
  clientId: string;
  at: number;
  clinicId?: string;
  id?: string;
  packageId?: string;
  price?: number;
}): Invoice {
  const clinicId = o.clinicId ?? 'demo-nyc';
  const { currency } = demoClinic(clinicId);
  return newProgramInvoice({
    id: o.id ?? nextId('inv'),
    clinicId,
    clientId: o.clientId,
    currency,
    at: o.at,
    package: { id: o.packageId ?? nextId('pkg'), programName: 'Care program', price: { amount: o.price ?? 120_000, currency } },
  });
}

/** Stores invoices one after another (each takes its clinic's next number). */
export async function storeInvoices(api: TestApi, invoices: Invoice[]): Promise<StoredInvoice[]> {
  const repo = new InvoiceRepository(api.table.doc, api.table.tableName);
  const out: StoredInvoice[] = [];
  for (const invoice of invoices) out.push(await repo.create(invoice));
  return out;
}

/**
 * A session invoice the refund job gave up on: paid by card (payment intent `pi_…`), its session
 * cancelled on time, so all of it is owed back, and the job's state and to-do entry as the job
 * leaves them after its last failed attempt (InvoiceRepository.refundDeadLettered). Stored.
 */
export async function givenUpRefund(api: TestApi, o: { clientId: string; at: number; clinicId?: string }): Promise<StoredInvoice> {
  const repo = new InvoiceRepository(api.table.doc, api.table.tableName);
  const stored = await repo.create(sessionInvoice({ clientId: o.clientId, at: o.at, ...(o.clinicId ? { clinicId: o.clinicId } : {}) }));
  const line = stored.lines[0]!;
  const paid = applyPayment(stored, {
    reference: `pi_${stored.id}`,
    amount: { amount: line.amount, currency: stored.currency },
    at: o.at + 60_000,
    method: 'card',
  });
  const cancelled = applyCancellation(paid, { appointmentId: line.appointmentId!, kind: 'on_time', at: o.at + 120_000 });
  const owing = await repo.replace(stored, cancelled);
  const at = o.at + 180_000;
  return repo.refundDeadLettered(owing, { attempts: REFUND_MAX_ATTEMPTS, lastFailureAt: at, deadLetteredAt: at });
}
