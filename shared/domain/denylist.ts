// The one list of words that must not reach SMS, Stripe, receipts or card statements through text
// a clinic chooses (its name, its programs' names) or that we compose (SMS). None of those channels
// is private, and carriers refuse controlled-substance content.
//
// One list, each entry in a category; each use (context) denies some categories:
//   - 'name'    (clinic names, catalog service names): the treatment and drugs, psychiatric /
//               mental-health / diagnosis words, dosing and routes;
//   - 'program' (program names): those, plus the session words ("exploration");
//   - 'sms'     (every SMS text, and the clinic-supplied parts of it): all of them, plus the
//               service words ("therapy", "intake", …): an SMS never names the service.
// Plain "therapy", "wellness", "counselling" are allowed in names ("Lakeshore Therapy (demo)").
//
// Matching, always case-insensitive and on normalised text (see normaliseForDenylist): NFKC
// (full-width, ligatures, mathematical letters, circled letters), invisible format characters
// dropped, accents dropped, common Cyrillic/Greek look-alikes mapped to Latin. Runs of three or more
// single-character tokens are joined ("k e t a m i n e", "K.A.P."). A term matches as a whole word
// (a phrase across any or no separator: "mental health", "mental-health", "mentalhealth"); a `stem`
// term also when followed by more letters ("psychiatr" → psychiatry, psychiatric, psychiatrist).
// `strict` matching (names and every clinic-supplied text) also finds terms of five letters or more
// inside a word ("NYKetamine", "Neuropsychiatry") or starting at a word and running across separators
// ("Ket amine"), and tries a digits-for-letters reading ("k3tamine", "$pravato").
// Not caught: a word split inside another word ("NYK etamine"), look-alikes outside the table,
// misspellings. Messages built from a hit never echo the word (they may be logged or shown).

import { ValidationError } from '#domain/errors.ts';

export type DeniedCategory = 'treatment' | 'psychiatric' | 'dosing' | 'session' | 'service';
export type DenyContext = 'name' | 'program' | 'sms';

const CONTEXT_CATEGORIES: Record<DenyContext, readonly DeniedCategory[]> = {
  name: ['treatment', 'psychiatric', 'dosing'],
  program: ['treatment', 'psychiatric', 'dosing', 'session'],
  sms: ['treatment', 'psychiatric', 'dosing', 'session', 'service'],
};

export interface DeniedTerm {
  /** Lower-case ASCII word or phrase: what a hit reports. */
  term: string;
  category: DeniedCategory;
  /**
   * 'stem': the term's letters (or `stem`) followed by anything ("suicid" → suicide, suicidal).
   * 'word': only ever a whole word or phrase, never inside another word ("special k" is not in
   * "Special Kids"). Default: whole word, and in strict matching inside words when 5+ letters.
   */
  match?: 'stem' | 'word';
  /** For 'stem': the letters that start every form, when shorter than the term. */
  stem?: string;
}

const t = (term: string, category: DeniedCategory, match?: 'stem' | 'word', stem?: string): DeniedTerm => ({
  term,
  category,
  ...(match ? { match } : {}),
  ...(stem ? { stem } : {}),
});

export const DENYLIST: readonly DeniedTerm[] = Object.freeze([
  // the treatment and drugs
  t('ketamine', 'treatment', 'stem', 'ketamin'), // also "Ketamin" (German) and "kétamine" (French)
  t('esketamine', 'treatment'),
  t('ketalar', 'treatment'),
  t('spravato', 'treatment'),
  t('special k', 'treatment', 'word'),
  t('k-assisted', 'treatment'),
  t('kap', 'treatment'),
  t('psychedelic', 'treatment', 'stem', 'psychedel'), // psychedelics, psychédélique(s)
  t('psychoactive', 'treatment'),
  t('hallucinogen', 'treatment', 'stem'),
  t('dissociative', 'treatment'),
  t('anesthetic', 'treatment', 'stem'),
  t('anaesthetic', 'treatment', 'stem'),
  t('plant medicine', 'treatment'),
  t('medicine session', 'treatment'),
  t('psilocybin', 'treatment'),
  t('mdma', 'treatment'),
  t('lsd', 'treatment'),
  t('ayahuasca', 'treatment'),
  t('ibogaine', 'treatment'),
  t('cannabis', 'treatment'),
  t('drug', 'treatment'),
  t('drugs', 'treatment'),
  t('medication', 'treatment'),
  t('medications', 'treatment'),
  t('controlled substance', 'treatment'),
  t('medicament', 'treatment'), // French
  t('medicaments', 'treatment'),
  t('drogue', 'treatment'),
  t('drogues', 'treatment'),
  // dosing and routes
  t('dose', 'dosing'),
  t('doses', 'dosing'),
  t('dosed', 'dosing'),
  t('dosing', 'dosing'),
  t('dosage', 'dosing'),
  t('microdose', 'dosing', 'stem', 'microdos'),
  t('milligram', 'dosing', 'stem'),
  t('infusion', 'dosing', 'stem'),
  t('injection', 'dosing', 'stem'),
  t('intramuscular', 'dosing'),
  t('intravenous', 'dosing'),
  t('sublingual', 'dosing'),
  t('lozenge', 'dosing', 'stem'),
  t('troche', 'dosing', 'stem'),
  t('nasal spray', 'dosing'),
  // psychiatric, mental health, diagnoses
  t('psychiatry', 'psychiatric', 'stem', 'psychiatr'), // psychiatric, psychiatrist, psychiatrie
  t('mental health', 'psychiatric'),
  t('mental illness', 'psychiatric'),
  t('behavioral health', 'psychiatric'),
  t('behavioural health', 'psychiatric'),
  t('diagnosis', 'psychiatric'),
  t('depression', 'psychiatric'),
  t('depressive', 'psychiatric'),
  t('depressed', 'psychiatric'),
  t('treatment-resistant', 'psychiatric'),
  t('ptsd', 'psychiatric'),
  t('trauma', 'psychiatric'),
  t('anxiety', 'psychiatric'),
  t('anxiete', 'psychiatric'), // French, matched without accents
  t('panic disorder', 'psychiatric'),
  t('eating disorder', 'psychiatric'),
  t('bipolar', 'psychiatric'),
  t('ocd', 'psychiatric'),
  t('adhd', 'psychiatric'),
  t('schizophrenia', 'psychiatric'),
  t('psychosis', 'psychiatric'),
  t('psychotic', 'psychiatric'),
  t('suicide', 'psychiatric', 'stem', 'suicid'), // suicidal
  t('self-harm', 'psychiatric'),
  t('addiction', 'psychiatric'),
  t('substance use', 'psychiatric'),
  t('alcohol', 'psychiatric', 'stem'), // alcoholism
  t('opioid', 'psychiatric', 'stem'),
  // the sessions of the course of care (program names and SMS)
  t('exploration', 'session'),
  t('explorations', 'session'),
  // the services (SMS only: the catalog's own names use them, and so may a clinic's name)
  t('integration', 'service'),
  t('preparation', 'service'),
  t('intake', 'service'),
  t('assessment', 'service'),
  t('therapy', 'service'),
  t('therapies', 'service'),
  t('therapist', 'service'),
  t('therapeutic', 'service'),
  t('psychotherapy', 'service'),
  t('psychotherapist', 'service'),
  t('therapie', 'service'), // French
  t('psychotherapie', 'service'),
  t('medical evaluation', 'service'),
  t('evaluation', 'service'),
  t('prescription', 'service'),
  t('substance', 'service'),
]);

/** The terms a context denies, in list order (frozen). */
export function deniedTerms(context: DenyContext): readonly string[] {
  const categories = CONTEXT_CATEGORIES[context];
  return Object.freeze(DENYLIST.filter((d) => categories.includes(d.category)).map((d) => d.term));
}

// Look-alikes NFKC keeps apart from Latin letters (lower case; applied after lower-casing).
const CONFUSABLES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  һ: 'h',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  μ: 'u',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ı: 'i',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
};

// Digits and signs standing for letters, tried as a second reading in strict matching.
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };

/** Text as the denylist reads it: NFKC, no format characters, lower case, no accents, look-alikes mapped. */
export function normaliseForDenylist(text: string): string {
  const plain = text
    .normalize('NFKC')
    .replace(/\p{Cf}+/gu, '') // zero-width spaces and joiners, soft hyphens
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
  let out = '';
  for (const ch of plain) out += CONFUSABLES[ch] ?? ch;
  return out;
}

/** Words of the text; runs of 3+ single characters joined into one word ("k e t a m i n e"). */
function words(normalised: string): string[] {
  const tokens = normalised.split(/[^a-z0-9]+/).filter((w) => w !== '');
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length >= 3) out.push(run.join(''));
    else out.push(...run);
    run = [];
  };
  for (const w of tokens) {
    if (w.length === 1) run.push(w);
    else {
      flush();
      out.push(w);
    }
  }
  flush();
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface CompiledTerm {
  entry: DeniedTerm;
  /** On words joined by single spaces: the term as whole words (a stem: at a word start). */
  whole: RegExp;
  /** Letters searched inside words and across separators in strict matching (null: never). */
  letters: string | null;
}

const MIN_INSIDE_LETTERS = 5;

function compile(entry: DeniedTerm): CompiledTerm {
  const base = entry.match === 'stem' && entry.stem ? entry.stem : entry.term;
  const parts = base.split(/[^a-z0-9]+/).filter((p) => p !== '');
  const body = parts.map(escapeRegExp).join(' ?');
  const end = entry.match === 'stem' ? '' : '(?: |$)';
  const letters = parts.join('');
  return {
    entry,
    whole: new RegExp(`(?:^| )${body}${end}`),
    letters: entry.match !== 'word' && letters.length >= MIN_INSIDE_LETTERS ? letters : null,
  };
}

let compiled: readonly CompiledTerm[] | undefined;

/**
 * The list's patterns, made on the first check of a process (some 70 RegExps, about 0.4 ms) and
 * kept: most requests check no text, and a module-level list made them at every cold start.
 */
function compiledTerms(): readonly CompiledTerm[] {
  return (compiled ??= DENYLIST.map(compile));
}

interface Reading {
  words: string[];
  /** The words joined by single spaces. */
  spaced: string;
  /** The words joined without separators, and where each word starts in it. */
  collapsed: string;
  starts: number[];
}

function reading(normalised: string): Reading {
  const ws = words(normalised);
  const starts: number[] = [];
  let offset = 0;
  for (const w of ws) {
    starts.push(offset);
    offset += w.length;
  }
  return { words: ws, spaced: ws.join(' '), collapsed: ws.join(''), starts };
}

function hits(r: Reading, term: CompiledTerm, strict: boolean): boolean {
  if (term.whole.test(r.spaced)) return true;
  if (!strict || term.letters === null) return false;
  const letters = term.letters;
  if (r.words.some((w) => w.includes(letters))) return true;
  // from the start of a word, across separators ("Ket amine", "Mental-Health care")
  return r.starts.some((offset) => r.collapsed.startsWith(letters, offset));
}

export interface DenyOptions {
  /**
   * Clinic-supplied text (names, URLs, hints): also inside words, across separators and with
   * digits read as letters. Default false: whole words only (text we compose ourselves).
   */
  strict?: boolean;
}

/** The denied terms of `context` that `text` contains, in list order (empty when it is neutral). */
export function findDeniedWords(text: string, context: DenyContext, opts: DenyOptions = {}): string[] {
  const strict = opts.strict ?? false;
  const normalised = normaliseForDenylist(text);
  const readings = [reading(normalised)];
  if (strict) {
    let leet = '';
    for (const ch of normalised) leet += LEET[ch] ?? ch;
    if (leet !== normalised) readings.push(reading(leet));
  }
  const categories = CONTEXT_CATEGORIES[context];
  return compiledTerms()
    .filter((c) => categories.includes(c.entry.category) && readings.some((r) => hits(r, c, strict)))
    .map((c) => c.entry.term);
}

/**
 * Whether text may go to the payment provider as a line's name or description: no treatment,
 * service, drug, dosing or diagnosis word (context `program`, strict). The one test for it, used
 * by the service that composes the text and by the gateway's last check before it leaves.
 */
export function isNeutralPaymentText(text: string): boolean {
  return findDeniedWords(text, 'program', { strict: true }).length === 0;
}

/**
 * Why a clinic-chosen name may not be used, or undefined when it may: it contains a term denied in
 * names (strict matching). The message names no denied word back.
 */
export function clinicNameProblem(name: string): string | undefined {
  if (findDeniedWords(name, 'name', { strict: true }).length === 0) return undefined;
  return 'Clinic names appear in SMS, on receipts and card statements: they must not name the treatment, a drug, dosing, a mental-health condition or a diagnosis';
}

/** Throws a ValidationError on `path` when a clinic-chosen name may not be used (clinicNameProblem). */
export function assertNeutralClinicName(name: string, path = 'name'): void {
  const problem = clinicNameProblem(name);
  if (problem) throw new ValidationError([{ path, message: problem }]);
}
