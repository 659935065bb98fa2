// Programs: what a clinic sells as a bundle of session credits (docs/domain.md: 4 or 6 explorations,
// in tiers, the richest — "extra support" — with one integration per exploration; each with
// preparation sessions). Pure: no I/O, no clock (`now` is passed in), ids come from the caller.
//
// Pricing decision: a program costs the sum of the catalog's list prices of what it includes,
// for every tier, unless the clinic sets an explicit bundle price. No discount is built in,
// because a cancelled package refunds "what was paid minus the LIST value of the sessions used"
// (package-rules.ts, refundDue): pricing the bundle at list keeps that refund equal to the list
// value of the unused sessions, which is what a client and the finance team expect. A clinic that
// wants a bundle discount sets an explicit price on its program (programPrice's `bundlePrice`).
//
// Names are shown to clients and staff (and were sent to Stripe before the neutral line-item name):
// a program's name must not name the treatment, a drug, dosing or a diagnosis (shared denylist).

import { assertNoIssues, ValidationError, type FieldIssue } from '#domain/errors.ts';
import { deniedTerms, findDeniedWords } from '#domain/denylist.ts';
import { CREDIT_SERVICES, type CreditService, type Program, type ProgramTier } from '#domain/packages.ts';
import type { Currency, Money, Service } from '#domain/types.ts';

/** Longest program name accepted (Stripe line-item names and receipts stay readable). */
export const MAX_PROGRAM_NAME_LENGTH = 100;

/**
 * List prices of the credit services in a catalog, in minor units of `currency`. Throws a
 * ValidationError when the catalog has no price for one of them in that currency.
 */
export function creditListPrices(catalog: Service[], currency: Currency): Record<CreditService, number> {
  const out = {} as Record<CreditService, number>;
  for (const code of CREDIT_SERVICES) out[code] = listPrice(catalog, code, currency);
  return out;
}

function listPrice(catalog: Service[], code: CreditService, currency: Currency): number {
  const s = catalog.find((x) => x.code === code);
  if (!s) throw new ValidationError([{ path: `includes.${code}`, message: `The catalog has no ${code} service` }]);
  if (s.price.currency !== currency) {
    throw new ValidationError([
      { path: `includes.${code}`, message: `The catalog prices ${code} in ${s.price.currency}, not ${currency}` },
    ]);
  }
  if (!Number.isSafeInteger(s.price.amount) || s.price.amount < 0) {
    throw new ValidationError([{ path: `includes.${code}`, message: `The catalog price of ${code} is not a valid amount` }]);
  }
  return s.price.amount;
}

/**
 * The price of a program: the explicit bundle price when one is given, otherwise the sum of the
 * catalog list prices × the counts included. Counts must be whole numbers ≥ 0 and at least one
 * session included; a bundle price must be a whole number of minor units ≥ 1.
 */
export function programPrice(catalog: Service[], includes: Record<CreditService, number>, currency: Currency, bundlePrice?: number): Money {
  const issues: { path: string; message: string }[] = [];
  let sessions = 0;
  for (const code of CREDIT_SERVICES) {
    const n = includes[code];
    if (!Number.isSafeInteger(n) || n < 0) issues.push({ path: `includes.${code}`, message: 'Must be a whole number, 0 or more' });
    else sessions += n;
  }
  if (issues.length === 0 && sessions === 0) issues.push({ path: 'includes', message: 'A program must include at least one session' });
  if (bundlePrice !== undefined && (!Number.isSafeInteger(bundlePrice) || bundlePrice < 1)) {
    issues.push({ path: 'price', message: 'Must be a whole number of minor units, 1 or more' });
  }
  assertNoIssues(issues);

  if (bundlePrice !== undefined) return { amount: bundlePrice, currency };
  let amount = 0;
  for (const code of CREDIT_SERVICES) {
    const n = includes[code];
    if (n > 0) amount += listPrice(catalog, code, currency) * n;
  }
  return { amount, currency };
}

interface DefaultProgramSpec {
  explorations: number;
  tier: ProgramTier;
  includes: Record<CreditService, number>;
}

/** The four default programs: 4 and 6 explorations, standard and extra support. */
export const DEFAULT_PROGRAM_SPECS: readonly DefaultProgramSpec[] = Object.freeze([
  { explorations: 4, tier: 'standard', includes: { preparation: 2, exploration: 4, integration: 2 } },
  { explorations: 4, tier: 'extra_support', includes: { preparation: 2, exploration: 4, integration: 4 } },
  { explorations: 6, tier: 'standard', includes: { preparation: 2, exploration: 6, integration: 3 } },
  { explorations: 6, tier: 'extra_support', includes: { preparation: 3, exploration: 6, integration: 6 } },
]);

const TIER_LABEL: Record<ProgramTier, string> = { standard: 'standard support', extra_support: 'extra support' };

/** The neutral name of a program: "Care program 4 - standard support". */
export function programName(explorations: number, tier: ProgramTier): string {
  return `Care program ${explorations} - ${TIER_LABEL[tier]}`;
}

/**
 * The default programs of a clinic, priced at list from its catalog (see the pricing decision
 * at the top of this file), not retired, created at `now`. Ids come from `ids('prg')`.
 */
export function defaultPrograms(
  clinicId: string,
  catalog: Service[],
  currency: Currency,
  ids: (prefix: string) => string,
  now: number,
): Program[] {
  return DEFAULT_PROGRAM_SPECS.map((spec) => {
    const name = programName(spec.explorations, spec.tier);
    assertNeutralName(name);
    return {
      id: ids('prg'),
      clinicId,
      name,
      explorations: spec.explorations,
      tier: spec.tier,
      includes: { ...spec.includes },
      price: programPrice(catalog, spec.includes, currency),
      retired: false,
      createdAt: now,
    };
  });
}

/**
 * Lower-case words and phrases a program name must not contain: the shared denylist's terms for
 * programs (shared/domain/denylist.ts: the treatment, drugs, dosing, diagnoses and the session
 * words). Strict matching: also inside other words and across separators ("Esketamine",
 * "Explorations", "K-e-t-a-m-i-n-e"); short words only as whole words ("kap" is not in "kapok").
 */
export const PROGRAM_NAME_DENYLIST: readonly string[] = deniedTerms('program');

/** The denied words a name contains (empty when it is neutral). */
export function deniedProgramWords(name: string): string[] {
  return findDeniedWords(name, 'program', { strict: true });
}

/**
 * Why a name is not a usable, neutral program name, or undefined when it is: blank, more than
 * MAX_PROGRAM_NAME_LENGTH characters, or holding a denied word. The message names no denied word
 * back: it may be shown or logged.
 */
export function programNameProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name.trim() === '') return 'A program needs a name';
  if (name.length > MAX_PROGRAM_NAME_LENGTH) return `At most ${MAX_PROGRAM_NAME_LENGTH} characters`;
  if (deniedProgramWords(name).length > 0) {
    return 'Program names appear on card statements and receipts: they must not name the treatment, a drug, dosing or a diagnosis';
  }
  return undefined;
}

/** Throws a ValidationError (path 'name') unless the name is a usable, neutral program name (programNameProblem). */
export function assertNeutralName(name: string): void {
  const problem = programNameProblem(name);
  if (problem) throw new ValidationError([{ path: 'name', message: problem }]);
}

/** What is wrong with what a program includes for its number of explorations: each is one exploration session. */
export function programIncludesIssues(explorations: number, includes: { exploration: number }): FieldIssue[] {
  return includes.exploration === explorations ? [] : [{ path: 'includes.exploration', message: 'Must equal explorations' }];
}
