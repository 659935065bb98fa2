// Finding a client by what the front desk types: any part of the name, the e-mail address or the
// phone number. Pure: the repository stores `searchTextOf(client)` on the profile (a string of
// normalised words, each preceded by a space) and keeps a profile whose text contains every
// term of `searchTerms(query)` — " rob" is in " robin tester …", so a term matches the start of
// any word, whatever the case or accents ("Zoë" is found by "zoe"). Digits are the exception: four
// or more match anywhere in the phone number, so that the last digits find it.
import type { Client } from './types.ts';

/** Most results one search answers (the rest: type more of the name). */
export const MAX_SEARCH_RESULTS = 20;

/** Lower case, accents dropped (NFKD without combining marks). */
const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();

/** The words of a name or a query: letters and digits, split at anything else (spaces, hyphens, apostrophes). */
const words = (s: string) =>
  fold(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/**
 * The profile's search text: the name's words, the e-mail address whole and its local part's
 * words, and the phone's digits with and without the country code (+1 212 555 0123 → 12125550123
 * and 2125550123). Stored profiles hold exactly this, so a change here needs their texts rewritten;
 * the search by a number's last digits (searchTerms) asks for nothing new of them.
 */
export function searchTextOf(client: Pick<Client, 'firstName' | 'lastName' | 'email' | 'phone'>): string {
  const email = fold(client.email);
  const digits = client.phone.replace(/\D/g, '');
  const terms = new Set([
    ...words(client.firstName),
    ...words(client.lastName),
    email,
    ...words(email.split('@')[0] ?? ''),
    digits,
    digits.startsWith('1') ? digits.slice(1) : digits,
  ]);
  return [...terms].map((t) => ` ${t}`).join('');
}

/** Fewest digits that match anywhere in a phone number rather than at its start. */
const MIN_INNER_DIGITS = 4;

/**
 * The terms a query must all match, each as " <word start>". An e-mail address is one term; a
 * phone number typed with punctuation ("(212) 555-01") is one term of its digits. From
 * MIN_INNER_DIGITS digits on, the term has no leading space and so matches anywhere in the
 * number: the front desk asks a caller for the last four digits ("0162") or the local number
 * ("555-0162"). Fewer digits match only a number's start, or "55" would find half the clinic.
 */
export function searchTerms(query: string): string[] {
  const q = query.trim();
  if (q.includes('@')) return [` ${fold(q)}`];
  const digits = q.replace(/[\s().+-]/g, '');
  if (/^\d+$/.test(digits)) return [digits.length >= MIN_INNER_DIGITS ? digits : ` ${digits}`];
  return [...new Set(words(q))].map((w) => ` ${w}`);
}

/**
 * The index's sort key part: last name, then first name (folded), so results come alphabetically.
 * Words join with "-" and the names with " ", both below every letter and digit, so that a shorter
 * name sorts first ("Van Jan" before "Van-Der Jan", "Ab" before "Abc").
 */
export const searchSortName = (client: Pick<Client, 'firstName' | 'lastName'>) =>
  `${words(client.lastName).join('-')} ${words(client.firstName).join('-')}`;
