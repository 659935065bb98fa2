// A clinic's billing profile (what its receipts, superbills and invoices print) and a provider's
// licence: the places (states, provinces, postal codes) and the rules that tie the profile to the
// clinic's country. Pure: the request schemas check the shapes, ClinicService the clinic-specific
// rules (the schema does not know the clinic).
import type { BillingProfile, Country } from '#domain/types.ts';
import type { FieldIssue } from '#domain/errors.ts';
import { findDeniedWords } from '#domain/denylist.ts';
import { isValidEin, isValidGstHstNumber } from '#domain/npi.ts';

/** The 50 states and the District of Columbia (USPS codes). */
export const US_STATES: ReadonlySet<string> = new Set([
  ...['AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS'],
  ...['KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC'],
  ...['ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY'],
]);

/** The 10 provinces and 3 territories (Canada Post codes). */
export const CA_PROVINCES: ReadonlySet<string> = new Set(['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT']);

const REGIONS: Record<Country, ReadonlySet<string>> = { US: US_STATES, CA: CA_PROVINCES };

/** Whether `code` is a state (US) or province/territory (CA) code of `country`: upper case, e.g. NY, ON. */
export function isRegionOf(country: Country, code: string): boolean {
  return REGIONS[country].has(code);
}

/** A licence's jurisdiction: any US state (or DC) or Canadian province or territory. */
export function isJurisdiction(code: string): boolean {
  return US_STATES.has(code) || CA_PROVINCES.has(code);
}

const ZIP_RE = /^\d{5}(?:-\d{4})?$/;
// Canada Post: letter digit letter, space, digit letter digit. D F I O Q U are never used, and W Z
// never first.
const CA_POSTAL_RE = /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d$/;

/**
 * The stored spelling of a postal code: trimmed and upper case; a Canadian code written without
 * its space ("M5V2T6") gets it ("M5V 2T6"). Whether the result is valid is postalCodeProblem's.
 */
export function canonicalPostalCode(country: Country, code: string): string {
  const upper = code.trim().toUpperCase();
  return country === 'CA' && /^[A-Z]\d[A-Z]\d[A-Z]\d$/.test(upper) ? `${upper.slice(0, 3)} ${upper.slice(3)}` : upper;
}

/** Why a (canonical) postal code is not one of `country`, or undefined when it is. */
export function postalCodeProblem(country: Country, code: string): string | undefined {
  if (country === 'US') return ZIP_RE.test(code) ? undefined : 'Must be a US ZIP code, e.g. 10001 or 10001-1234';
  return CA_POSTAL_RE.test(code) ? undefined : 'Must be a Canadian postal code, e.g. M5V 2T6';
}

/** Why a tax id is not the kind a clinic of `country` has (US: EIN; Canada: GST/HST number), or undefined. */
export function taxIdProblem(country: Country, taxId: string): string | undefined {
  if (country === 'US') return isValidEin(taxId) ? undefined : 'A US clinic’s tax id must be its EIN, e.g. 12-3456789';
  return isValidGstHstNumber(taxId) ? undefined : 'A Canadian clinic’s tax id must be its GST/HST number, e.g. 123456789RT0001';
}

/**
 * What is wrong with a billing profile for a clinic of `country` (paths under `billing.`): the tax
 * id must be the country's kind, and the texts printed on receipts (the legal name, the tax note)
 * must not name the treatment, a drug, dosing or a diagnosis (the shared denylist, as clinic names).
 */
export function billingProfileIssues(country: Country, profile: BillingProfile): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const taxId = taxIdProblem(country, profile.taxId);
  if (taxId) issues.push({ path: 'billing.taxId', message: taxId });
  const printed = [
    ['legalName', profile.legalName],
    ['taxNote', profile.taxNote],
  ] as const;
  for (const [field, text] of printed) {
    const problem = text === undefined ? undefined : printedTextProblem(text);
    if (problem) issues.push({ path: `billing.${field}`, message: problem });
  }
  return issues;
}

/** Why text printed on receipts and statements (a legal name, a tax note) may not be, or undefined. */
export function printedTextProblem(text: string): string | undefined {
  if (findDeniedWords(text, 'name', { strict: true }).length === 0) return undefined;
  return 'Printed on receipts and statements: must not name the treatment, a drug, dosing, a mental-health condition or a diagnosis';
}

/**
 * What is wrong with an address's region and postal code for its country (paths in the address):
 * a region not of the country, a postal code not of its form. Of a country that is neither US nor
 * CA (refused on its own), the region must still be a state or province of either, the postal
 * code a ZIP or a Canadian postal code. `region` and `postalCode` are of the right shape.
 */
export function addressRegionIssues(country: unknown, region: string): FieldIssue[] {
  if (country === 'US' || country === 'CA') {
    return isRegionOf(country, region)
      ? []
      : [{ path: 'region', message: `Not a ${country === 'US' ? 'US state' : 'Canadian province or territory'}` }];
  }
  return isJurisdiction(region) ? [] : [{ path: 'region', message: 'Not a US state or Canadian province or territory' }];
}

/** The postal code's half of addressRegionIssues. */
export function addressPostalIssues(country: unknown, postalCode: string): FieldIssue[] {
  if (country === 'US' || country === 'CA') {
    const problem = postalCodeProblem(country, canonicalPostalCode(country, postalCode));
    return problem ? [{ path: 'postalCode', message: problem }] : [];
  }
  const either = (['US', 'CA'] as const).some((c) => postalCodeProblem(c, canonicalPostalCode(c, postalCode)) === undefined);
  return either ? [] : [{ path: 'postalCode', message: 'Must be a ZIP code (10001, 10001-1234) or a Canadian postal code (M5V 2T6)' }];
}
