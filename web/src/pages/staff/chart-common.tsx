// What the client chart's parts share: which role may do what on the chart (the API's grants in
// shared/http/routes.ts; the API still decides every call), and how a part the role may not read
// (403) is shown — as absent, not as an error for the whole page.
import { ApiError } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ui.tsx';
import type { StaffRole } from './common.tsx';

export interface ChartRights {
  /** PATCH /v1/clients/{id}: the client's details */
  editDetails: boolean;
  /** POST /v1/clients/{id}/clearance */
  recordClearance: boolean;
  /** GET /v1/clients/{id}/clearances: clinicians and admin (the front desk and finance are refused) */
  clearanceHistory: boolean;
  /** GET /v1/clients/{id}/diagnoses: never asked for the front desk */
  readDiagnoses: boolean;
  /** PUT /v1/clients/{id}/diagnoses */
  editDiagnoses: boolean;
  /** the staff booking page (POST /v1/appointments) */
  book: boolean;
  /** the staff superbill page (GET /v1/clients/{id}/superbill) */
  superbill: boolean;
  /** GET /v1/clients/{id}/invoices: the front desk, finance and admin (a clinician is refused) */
  invoices: boolean;
}

export function chartRights(role: StaffRole): ChartRights {
  const clinical = role === 'clinician' || role === 'admin';
  return {
    editDetails: role === 'frontdesk' || role === 'admin',
    recordClearance: clinical,
    clearanceHistory: clinical,
    readDiagnoses: role !== 'frontdesk',
    editDiagnoses: clinical,
    book: role === 'frontdesk' || role === 'admin',
    superbill: role === 'finance' || role === 'admin',
    invoices: role !== 'clinician',
  };
}

export const isForbidden = (err: unknown): boolean => err instanceof ApiError && err.status === 403;

/** A part of the chart that could not load: "not shown to your role" for a 403, else the error in plain words. */
export function PartError({ error, title }: { error: unknown; title: string }) {
  if (isForbidden(error)) return <p className="not-shown">Not shown to your role.</p>;
  return <ErrorAlert error={error} title={title} />;
}
