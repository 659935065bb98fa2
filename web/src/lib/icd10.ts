// ICD-10-CM codes as a clinician records them for insurance (superbills): a short built-in list of
// common mental-health codes to search, and the API's format check (shared/domain/npi.ts
// isIcd10Code) for any other code typed in full. The list only helps finding a code: whether a
// code exists or is billable at its length needs the whole code set, which the app does not carry.
// The format check and the limit are the API's own modules (pure; imported as they are).
import { isIcd10Code } from '../../../shared/domain/npi.ts';

/** At most this many codes per client (a CMS-1500 claim carries 12). */
export { MAX_DIAGNOSIS_CODES } from '../../../shared/domain/diagnoses.ts';
export { isIcd10Code };

export interface Icd10Code {
  code: string;
  description: string;
}

/** Common codes in psychotherapy and KAP clinics, with their short descriptions. */
export const COMMON_ICD10_CODES: readonly Icd10Code[] = [
  { code: 'F32.0', description: 'Major depressive disorder, single episode, mild' },
  { code: 'F32.1', description: 'Major depressive disorder, single episode, moderate' },
  { code: 'F32.2', description: 'Major depressive disorder, single episode, severe without psychotic features' },
  { code: 'F32.4', description: 'Major depressive disorder, single episode, in partial remission' },
  { code: 'F32.5', description: 'Major depressive disorder, single episode, in full remission' },
  { code: 'F32.9', description: 'Major depressive disorder, single episode, unspecified' },
  { code: 'F32.A', description: 'Depression, unspecified' },
  { code: 'F33.0', description: 'Major depressive disorder, recurrent, mild' },
  { code: 'F33.1', description: 'Major depressive disorder, recurrent, moderate' },
  { code: 'F33.2', description: 'Major depressive disorder, recurrent, severe without psychotic features' },
  { code: 'F33.41', description: 'Major depressive disorder, recurrent, in partial remission' },
  { code: 'F33.42', description: 'Major depressive disorder, recurrent, in full remission' },
  { code: 'F33.9', description: 'Major depressive disorder, recurrent, unspecified' },
  { code: 'F34.1', description: 'Dysthymic disorder (persistent depressive disorder)' },
  { code: 'F31.81', description: 'Bipolar II disorder' },
  { code: 'F31.31', description: 'Bipolar disorder, current episode depressed, mild' },
  { code: 'F31.32', description: 'Bipolar disorder, current episode depressed, moderate' },
  { code: 'F31.9', description: 'Bipolar disorder, unspecified' },
  { code: 'F40.00', description: 'Agoraphobia, unspecified' },
  { code: 'F40.10', description: 'Social phobia, unspecified' },
  { code: 'F40.11', description: 'Social phobia, generalized' },
  { code: 'F41.0', description: 'Panic disorder without agoraphobia' },
  { code: 'F41.1', description: 'Generalized anxiety disorder' },
  { code: 'F41.8', description: 'Other specified anxiety disorders' },
  { code: 'F41.9', description: 'Anxiety disorder, unspecified' },
  { code: 'F42.2', description: 'Mixed obsessional thoughts and acts' },
  { code: 'F42.8', description: 'Other obsessive-compulsive disorder' },
  { code: 'F42.9', description: 'Obsessive-compulsive disorder, unspecified' },
  { code: 'F43.10', description: 'Post-traumatic stress disorder, unspecified' },
  { code: 'F43.11', description: 'Post-traumatic stress disorder, acute' },
  { code: 'F43.12', description: 'Post-traumatic stress disorder, chronic' },
  { code: 'F43.20', description: 'Adjustment disorder, unspecified' },
  { code: 'F43.21', description: 'Adjustment disorder with depressed mood' },
  { code: 'F43.22', description: 'Adjustment disorder with anxiety' },
  { code: 'F43.23', description: 'Adjustment disorder with mixed anxiety and depressed mood' },
  { code: 'F50.00', description: 'Anorexia nervosa, unspecified' },
  { code: 'F50.82', description: 'Avoidant/restrictive food intake disorder' },
  { code: 'F50.9', description: 'Eating disorder, unspecified' },
  { code: 'F10.21', description: 'Alcohol dependence, in remission' },
  { code: 'F11.21', description: 'Opioid dependence, in remission' },
  { code: 'F12.21', description: 'Cannabis dependence, in remission' },
  { code: 'F13.21', description: 'Sedative, hypnotic or anxiolytic dependence, in remission' },
  { code: 'F14.21', description: 'Cocaine dependence, in remission' },
  { code: 'F15.21', description: 'Other stimulant dependence, in remission' },
  { code: 'F19.21', description: 'Other psychoactive substance dependence, in remission' },
];

/**
 * What a person typed as the code to record: trimmed, upper case, with the '.' after the third
 * character when left out ("f331" → "F33.1"). Not a code (a description, a typo): as typed, upper case.
 */
export function normalizeIcd10(input: string): string {
  const s = input.trim().toUpperCase().replace(/\s+/g, '');
  if (/^[A-Z]\d[A-Z\d][A-Z\d]{1,4}$/.test(s)) return `${s.slice(0, 3)}.${s.slice(3)}`;
  return s;
}

/** The code without its optional '.': F43.10 and F4310 are the same code (as the API compares). */
export const icd10Key = (code: string): string => code.replace('.', '');

/** The list's description of a code, if it is one of the common codes. */
export const icd10Description = (code: string): string | undefined =>
  COMMON_ICD10_CODES.find((c) => icd10Key(c.code) === icd10Key(code))?.description;

/** Abbreviations clinicians type for what the list describes in full: the codes they stand for (by prefix). */
const ABBREVIATIONS: Readonly<Record<string, readonly string[]>> = {
  ptsd: ['F43.1'],
  mdd: ['F32', 'F33'],
  gad: ['F41.1'],
  ocd: ['F42'],
  arfid: ['F50.82'],
  aud: ['F10'],
  oud: ['F11'],
};

/**
 * Common codes matching what was typed: by the start of the code (with or without the '.'), by
 * a common abbreviation ("ptsd" finds F43.10–F43.12), or by every word typed starting a word of
 * the description ("recurrent moderate" finds F33.1). Codes first, then abbreviations, then
 * descriptions; at most `limit`.
 */
export function searchIcd10(query: string, limit = 10): Icd10Code[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [];
  const key = icd10Key(q.replace(/\s+/g, '')).toUpperCase();
  const byCode = COMMON_ICD10_CODES.filter((c) => icd10Key(c.code).startsWith(key));
  const prefixes = ABBREVIATIONS[q] ?? [];
  const byAbbreviation = COMMON_ICD10_CODES.filter((c) => !byCode.includes(c) && prefixes.some((p) => c.code.startsWith(p)));
  const words = q.split(/[\s,/]+/).filter(Boolean);
  const byWords = COMMON_ICD10_CODES.filter((c) => {
    if (byCode.includes(c) || byAbbreviation.includes(c)) return false;
    const own = c.description.toLowerCase().split(/[\s,/()-]+/);
    return words.every((w) => own.some((o) => o.startsWith(w)));
  });
  return [...byCode, ...byAbbreviation, ...byWords].slice(0, limit);
}
