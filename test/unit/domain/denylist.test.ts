import { describe, expect, it } from 'vitest';
import { DENYLIST, assertNeutralClinicName, deniedTerms, findDeniedWords, normaliseForDenylist } from '#domain/denylist.ts';
import { defaultCatalog } from '#domain/catalog.ts';
import { ValidationError } from '#domain/errors.ts';
import { PROGRAM_NAME_DENYLIST, deniedProgramWords } from '#domain/programs.ts';
import { SMS_DENYLIST, deniedWordsIn } from '#domain/sms.ts';

const inName = (text: string) => findDeniedWords(text, 'name', { strict: true });

describe('the one denylist', () => {
  it('holds the drug, psychiatric, diagnosis and dosing words, in lower-case ASCII, once each', () => {
    const terms = DENYLIST.map((d) => d.term);
    for (const w of [
      'ketamine',
      'esketamine',
      'spravato',
      'special k',
      'k-assisted',
      'kap',
      'psychiatry',
      'psychedelic',
      'mental health',
      'depression',
      'ptsd',
      'anxiety',
      'suicide',
      'addiction',
      'dose',
      'dosing',
      'infusion',
    ]) {
      expect(terms).toContain(w);
    }
    for (const w of terms) expect(w).toMatch(/^[a-z0-9 -]+$/);
    expect(new Set(terms).size).toBe(terms.length);
    expect(Object.isFrozen(DENYLIST)).toBe(true);
  });

  it('does not deny plain therapy, wellness or counselling in names', () => {
    for (const w of ['therapy', 'wellness', 'counselling', 'counseling']) expect(deniedTerms('name')).not.toContain(w);
  });

  it('program and SMS lists are views of it, not lists of their own', () => {
    const terms = DENYLIST.map((d) => d.term);
    expect(SMS_DENYLIST).toEqual(terms); // an SMS denies every term
    for (const w of PROGRAM_NAME_DENYLIST) expect(terms).toContain(w);
    for (const w of deniedTerms('name')) expect(PROGRAM_NAME_DENYLIST).toContain(w);
    expect(PROGRAM_NAME_DENYLIST).toContain('exploration');
    expect(deniedTerms('name')).not.toContain('exploration');
    expect(Object.isFrozen(SMS_DENYLIST)).toBe(true);
  });
});

describe('findDeniedWords in names (strict)', () => {
  it.each([
    ['Hudson Psychiatry', 'psychiatry'],
    ['Neuropsychiatric Associates', 'psychiatry'],
    ['K-assisted therapy center', 'k-assisted'],
    ['K assisted care', 'k-assisted'],
    ['Brooklyn Ketamine Center', 'ketamine'],
    ['Ketamin Praxis Berlin', 'ketamine'],
    ['NYKetamine', 'ketamine'],
    ['Esketamine Partners', 'esketamine'],
    ['Spravato Suite', 'spravato'],
    ['Special K Lounge', 'special k'],
    ['Special-K club', 'special k'],
    ['KAP Collective', 'kap'],
    ['Psychedelic Society', 'psychedelic'],
    ['Hudson Mental Health', 'mental health'],
    ['MentalHealth NYC', 'mental health'],
    ['Mental-healthcare partners', 'mental health'],
    ['Center for Depression', 'depression'],
    ['PTSD Care', 'ptsd'],
    ['Anxiety relief studio', 'anxiety'],
    ['Suicide prevention line', 'suicide'],
    ['Suicidal thoughts clinic', 'suicide'],
    ['Addiction recovery', 'addiction'],
    ['Dosing studio', 'dosing'],
    ['Low dose care', 'dose'],
    ['Infusions of Queens', 'infusion'],
    ['Microdosing lab', 'microdose'],
    ['Bipolar support', 'bipolar'],
  ])('%j names %j', (name, word) => {
    expect(inName(name)).toContain(word);
  });

  it.each([
    ['full-width letters', 'Ｋｅｔａｍｉｎｅ Clinic', 'ketamine'],
    ['mathematical bold letters', '𝐊𝐞𝐭𝐚𝐦𝐢𝐧𝐞 care', 'ketamine'],
    ['circled letters', 'ⓀⒶⓅ care', 'kap'],
    ['spaced letters', 'k e t a m i n e care', 'ketamine'],
    ['dotted letters', 'K.E.T.A.M.I.N.E', 'ketamine'],
    ['dashed short word', 'The K-A-P way', 'kap'],
    ['spaced short word', 'P T S D support', 'ptsd'],
    ['a word split in two', 'Ket amine Wellness', 'ketamine'],
    ['a zero-width space', 'Ket\u200Bamine care', 'ketamine'],
    ['a soft hyphen', 'Keta\u00ADmine care', 'ketamine'],
    ['accents', 'Clinique Kétamine', 'ketamine'],
    ['combining marks', 'K\u0336e\u0336tamine', 'ketamine'],
    ['Cyrillic look-alikes', '\u041Aet\u0430mine Center', 'ketamine'],
    ['Greek look-alikes', 'Ket\u03B1mine', 'ketamine'],
    ['digits for letters', 'K3tamine Klinic', 'ketamine'],
    ['signs for letters', '$pravato', 'spravato'],
    ['French', 'Psychédéliques Montréal', 'psychedelic'],
    ['French', 'Clinique de l’anxiété', 'anxiete'],
  ])('sees through %s: %j', (_trick, name, word) => {
    expect(inName(name)).toContain(word);
  });

  it.each([
    'Lakeshore Therapy (demo)',
    'Hudson Wellness (demo)',
    'Harbourside Counselling Centre',
    'Counseling Associates',
    'Brooklyn Psychotherapy Group', // a service word: denied in SMS, allowed in names
    'Kapstone',
    'Kaplan Wellness Group',
    'Special Kids Clinic',
    'Fundamental Health Partners', // "mental health" only from the start of a word
    'Pinot Roche Wellness', // "troche" only from the start of a word
    'Rosedale Family Care',
    'Closed-loop care',
    'Prairie Clinic',
    'Cross-border',
    'Studio 54 Wellness',
    'Hudson Integrative Medicine',
    'Exploration Wellness', // the session word is denied in program names and SMS only
    'Care program 4 - standard support',
  ])('accepts %j', (name) => {
    expect(inName(name)).toEqual([]);
  });

  it('the default catalog service names pass', () => {
    for (const currency of ['USD', 'CAD'] as const) {
      for (const s of defaultCatalog(currency)) expect(inName(s.name), s.name).toEqual([]);
    }
  });
});

describe('contexts and modes', () => {
  it('SMS also denies the service words; programs the session words', () => {
    expect(findDeniedWords('Lakeshore Therapy', 'sms', { strict: true })).toEqual(['therapy']);
    expect(findDeniedWords('Lakeshore Therapy', 'program', { strict: true })).toEqual([]);
    expect(deniedProgramWords('6 Explorations')).toContain('exploration');
    expect(deniedWordsIn('Your intake is booked')).toEqual(['intake']);
  });

  it('without strict only whole words (text we compose); strict also inside words', () => {
    expect(findDeniedWords('see nyketamine.example', 'sms')).toEqual([]);
    expect(findDeniedWords('see nyketamine.example', 'sms', { strict: true })).toEqual(['ketamine']);
    expect(findDeniedWords('Psychiatric care', 'sms')).toEqual(['psychiatry']); // a stem is a word start
    expect(findDeniedWords('k3tamine', 'sms')).toEqual([]); // digits are read as letters in strict only
    expect(findDeniedWords('k3tamine', 'sms', { strict: true })).toEqual(['ketamine']);
  });

  it('normalises width, case, accents, look-alikes and invisible characters', () => {
    expect(normaliseForDenylist('ＫÉ\u200Bt\u0430')).toBe('keta');
  });
});

describe('assertNeutralClinicName', () => {
  it('throws a ValidationError on name that does not echo the word', () => {
    let err: unknown;
    try {
      assertNeutralClinicName('Hudson Psychiatry');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).details).toEqual([{ path: 'name', message: expect.any(String) }]);
    expect((err as ValidationError).details[0]!.message).not.toMatch(/psychiatr/i);
    expect(() => assertNeutralClinicName('Lakeshore Therapy (demo)')).not.toThrow();
  });
});
