// A client's diagnosis codes (ICD-10-CM), recorded by a clinician for insurance (superbills). Kept
// apart from the client record, so that reads of the record (the front desk's) never carry them;
// read only by the client, clinicians, finance and admin (docs/security.md, "Minimum necessary").
// Diagnoses are PHI: never in a log line, an SMS or an error message (messages never echo a code).

/** At most this many codes per client (a CMS-1500 claim carries 12). */
export const MAX_DIAGNOSIS_CODES = 12;

/** A client's current codes: the first is the primary diagnosis. */
export interface ClientDiagnoses {
  clientId: string;
  clinicId: string;
  /** ICD-10-CM codes as given (#domain/npi.ts isIcd10Code), primary first, no duplicates. */
  codes: string[];
  /** Epoch ms of the last change. */
  updatedAt: number;
  /** The `sub` of who recorded them. */
  updatedBy: string;
  /** Optimistic concurrency: 1 for the first recording, one more per change. */
  version: number;
}

/** The code with its optional '.' removed: F43.10 and F4310 are the same code. */
export const icd10Key = (code: string): string => code.replace('.', '');

/** The index of every code that repeats an earlier one (with or without the '.'). */
export function duplicateCodeIndexes(codes: readonly string[]): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  codes.forEach((code, i) => {
    const key = icd10Key(code);
    if (seen.has(key)) out.push(i);
    else seen.add(key);
  });
  return out;
}
