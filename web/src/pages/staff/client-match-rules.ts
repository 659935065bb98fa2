// Whether the client the front desk is about to add may already have a record at the clinic: a
// second record splits the client's chart, invoices and credits, and the API allows it (e-mail
// addresses are deliberately not unique: docs/decisions.md §11). Before adding, the form runs the
// staff search (POST …/clients/search) for the e-mail address, the phone number and the name, and
// keeps only the results that are the same person by one of these rules — the search matches the
// start of words, so "ann@x.com" also finds "ann@x.com.au" and "Ann Lee" finds "Annie Leeds".
import { searchSortName, searchTerms } from '../../../../shared/domain/client-search.ts';
import { toE164 } from '../../lib/phone.ts';

/** What the form holds (as typed). */
export interface NewClientKeys {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  dateOfBirth: string;
}

/** A search result: what the staff search answers, nothing more. */
export interface ExistingClient {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  dateOfBirth: string;
}

export type MatchReason = 'email' | 'phone' | 'nameAndBirth';

export interface PossibleMatch {
  client: ExistingClient;
  /** In the order of REASON_WORDS. */
  reasons: MatchReason[];
}

/** The search route's longest query; a longer one is cut (a cut query still finds by the start of a word). */
const MAX_QUERY = 100;

const REASON_WORDS: Record<MatchReason, string> = {
  email: 'same e-mail address',
  phone: 'same phone number',
  nameAndBirth: 'same name and date of birth',
};

const emailOf = (s: string) => s.trim().toLowerCase();
/** The number as the API stores it, when it is a whole North American one (else nothing to compare). */
const phoneOf = (s: string) => {
  const e164 = toE164(s);
  return /^\+1\d{10}$/.test(e164) ? e164 : undefined;
};
/** The name's words, case and accents aside ("Zoë Mary-Ann" is "zoe mary ann"). */
const nameOf = (c: Pick<NewClientKeys, 'firstName' | 'lastName'>) => searchSortName(c);
const hasName = (c: Pick<NewClientKeys, 'firstName' | 'lastName'>) =>
  searchTerms(c.firstName).length > 0 && searchTerms(c.lastName).length > 0;

/** The searches to run for the form: its e-mail address, its phone number, its name (with a date of birth to compare). */
export function matchQueries(form: NewClientKeys): string[] {
  const queries: string[] = [];
  const email = emailOf(form.email);
  if (email.includes('@')) queries.push(email);
  const phone = phoneOf(form.phone);
  if (phone) queries.push(phone);
  if (form.dateOfBirth !== '' && hasName(form)) queries.push(`${form.firstName.trim()} ${form.lastName.trim()}`);
  return queries.map((q) => q.slice(0, MAX_QUERY).trim()).filter((q) => searchTerms(q).length > 0 && q.length >= 2);
}

/** Why `existing` may be the client of the form (empty: another person). */
export function matchReasons(form: NewClientKeys, existing: ExistingClient): MatchReason[] {
  const reasons: MatchReason[] = [];
  const email = emailOf(form.email);
  if (email.includes('@') && emailOf(existing.email) === email) reasons.push('email');
  const phone = phoneOf(form.phone);
  if (phone !== undefined && existing.phone === phone) reasons.push('phone');
  if (form.dateOfBirth !== '' && hasName(form) && existing.dateOfBirth === form.dateOfBirth && nameOf(existing) === nameOf(form)) {
    reasons.push('nameAndBirth');
  }
  return reasons;
}

/** The results of every search that are possibly the form's client, each once, in the order first found. */
export function possibleMatches(form: NewClientKeys, found: readonly ExistingClient[]): PossibleMatch[] {
  const matches = new Map<string, PossibleMatch>();
  for (const client of found) {
    if (matches.has(client.id)) continue;
    const reasons = matchReasons(form, client);
    if (reasons.length > 0) matches.set(client.id, { client, reasons });
  }
  return [...matches.values()];
}

/** "same e-mail address", "same e-mail address, same phone number" (each reason whole: one of them has an "and"). */
export const matchWords = (reasons: readonly MatchReason[]): string => reasons.map((r) => REASON_WORDS[r]).join(', ');
