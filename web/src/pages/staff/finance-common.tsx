// What the finance pages share (invoices, one invoice, exports, revenue, a client's superbill): the
// API's shapes they read, the invoice statuses the list filters by, the clinic line (its zone and currency),
// clinic-local month math, saving a fetched file, and the 422 rules in words for staff (the shared
// api/errors.ts speaks to the client: "Please ask the clinic").
import type { ReactNode } from 'react';
import type { paths } from '../../api/openapi';
import { ApiError } from '../../api/client.ts';
import { describeError } from '../../api/errors.ts';
import { useApp } from '../../app-context.tsx';
import { Alert } from '../../components/ui.tsx';
import { clinicSetup, type ClinicSetup } from '../../lib/clinic-data.ts';
import { STAFF_INVOICE_STATUS } from '../../lib/invoices.ts';
import { zoneLabel } from '../../lib/format.ts';
import { useLoad } from '../../lib/use-load.ts';
import { Link } from '../../router.tsx';
import { withClinic, type StaffSession } from './common.tsx';

type Json<P extends keyof paths> = paths[P]['get'] extends { responses: { 200: { content: { 'application/json': infer T } } } } ? T : never;

export type InvoiceRow = Json<'/v1/invoices'>['items'][number];
export type InvoiceStatus = InvoiceRow['status'];
export type ExportJob = Json<'/v1/exports/{exportId}'>;
export type RevenueFigures = Json<'/v1/clinics/{clinicId}/reports/revenue'>;

export const INVOICE_STATUSES = Object.keys(STAFF_INVOICE_STATUS) as InvoiceStatus[];

/** The clinic's public setup (zone, currency, name), or undefined until a clinic is known. */
export function useClinicSetup(clinicId: string | undefined) {
  const { api } = useApp();
  return useLoad(() => (clinicId ? clinicSetup(api, clinicId) : Promise.resolve(undefined)), [api, clinicId]);
}

/** "Hudson Wellness (demo) · times in New York time (Eastern Standard Time) · amounts in USD". */
export function ClinicLine({ setup }: { setup: ClinicSetup | undefined }) {
  if (!setup) return null;
  const { clinic } = setup;
  return (
    <p className="fin-clinic-line">
      <strong>{clinic.name}</strong> · times in {zoneLabel(clinic.timezone)} · amounts in {clinic.currency}
    </p>
  );
}

// --- clinic-local dates (YYYY-MM-DD) ---------------------------------------------------------

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A real calendar date written YYYY-MM-DD (a query string's value is checked before use). */
export function isDate(s: string | null | undefined): s is string {
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * What is wrong with a range of dates before it is sent (the API's own checks, said in the browser:
 * its "Must not be before from" is no sentence for a person): both dates, in order, and at most
 * `maxDays` days, both ends included.
 */
export function rangeProblem(from: string, to: string, maxDays?: number): string | undefined {
  if (!isDate(from) || !isDate(to)) return 'Choose both dates.';
  if (to < from) return 'The last date comes before the first.';
  const days = Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000) + 1;
  if (maxDays !== undefined && days > maxDays) return `Choose at most ${maxDays} days.`;
  return undefined;
}

/** The first and last day of `month` (1–12) of `year`. */
export function monthRange(year: number, month: number): { from: string; to: string } {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { from: `${pad(year, 4)}-${pad(month)}-01`, to: `${pad(year, 4)}-${pad(month)}-${pad(last)}` };
}

/** The month that `date` falls in, first to last day. */
export const monthOf = (date: string) => monthRange(Number(date.slice(0, 4)), Number(date.slice(5, 7)));

// --- refusals in words for staff ----------------------------------------------------------------

const STAFF_RULES: Record<string, string> = {
  diagnosis_required: 'No diagnosis codes are recorded for this client yet: a clinician records them on the client’s chart.',
  provider_npi_missing:
    'A practitioner who saw this client in these dates has no NPI recorded yet: the clinic’s admin adds it to the practitioner’s record.',
  billing_profile_missing:
    'The clinic’s billing profile (legal name, address and tax number) is not complete yet: an admin fills it in under Settings.',
};

/** One sentence for a staff member: the staff words of a 422 rule, else the app's usual sentence. */
function staffError(err: unknown): string {
  if (err instanceof ApiError && err.code === 'rule_violated' && err.rule && STAFF_RULES[err.rule]) return STAFF_RULES[err.rule] ?? '';
  return describeError(err);
}

export function StaffErrorAlert({ error, title }: { error: unknown; title?: string }): ReactNode {
  if (!error) return null;
  return (
    <Alert kind="error" title={title}>
      {staffError(error)}
    </Alert>
  );
}

/** The invoice number as the link to its staff page (the same name to a screen reader in every list). */
export function InvoiceNumberLink({
  invoice,
  session,
  clinicId,
}: {
  invoice: { id: string; number: number };
  session: StaffSession;
  clinicId: string;
}) {
  return (
    <Link
      href={withClinic(`/staff/invoices/${encodeURIComponent(invoice.id)}`, session, clinicId)}
      aria-label={`Invoice ${invoice.number}`}
    >
      {invoice.number}
    </Link>
  );
}
