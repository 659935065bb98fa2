// Which existing clients the new-client form warns about (web/src/pages/staff/client-match-rules.ts):
// the searches it runs, and of their results only the same e-mail address, the same phone number,
// or the same name and date of birth — not the other clients the search finds by a word's start.
import { describe, expect, it } from 'vitest';
import {
  matchQueries,
  matchReasons,
  matchWords,
  possibleMatches,
  type ExistingClient,
  type NewClientKeys,
} from '../src/pages/staff/client-match-rules.ts';

const form: NewClientKeys = {
  firstName: 'Zoë',
  lastName: 'Moreau-Li',
  email: ' Zoe.Moreau@Example.com ',
  phone: '(212) 555-0160',
  dateOfBirth: '1984-07-19',
};

const existing = (over: Partial<ExistingClient>): ExistingClient => ({
  id: 'cl_1',
  firstName: 'Robin',
  lastName: 'Tester',
  email: 'robin@example.com',
  phone: '+16465550199',
  dateOfBirth: '1990-01-01',
  ...over,
});

describe('the searches before adding a client', () => {
  it('asks for the e-mail address, the phone number as E.164 and the name', () => {
    expect(matchQueries(form)).toEqual(['zoe.moreau@example.com', '+12125550160', 'Zoë Moreau-Li']);
  });

  it('leaves out what cannot match: no address, a number not whole, a name without a date of birth', () => {
    expect(matchQueries({ ...form, email: 'zoe', phone: '555', dateOfBirth: '' })).toEqual([]);
    expect(matchQueries({ ...form, firstName: ' - ' })).toEqual(['zoe.moreau@example.com', '+12125550160']);
  });

  it('cuts a query to the 100 characters the search takes', () => {
    const long = `${'a'.repeat(120)}@example.com`;
    const [q] = matchQueries({ ...form, email: long });
    expect(q).toHaveLength(100);
  });
});

describe('what counts as the same client', () => {
  it('the same e-mail address, whatever its case and spaces', () => {
    expect(matchReasons(form, existing({ email: 'zoe.moreau@example.com' }))).toEqual(['email']);
    // the search finds addresses that only start the same
    expect(matchReasons(form, existing({ email: 'zoe.moreau@example.com.au' }))).toEqual([]);
  });

  it('the same phone number, however it was typed', () => {
    expect(matchReasons({ ...form, phone: '212 555 0160' }, existing({ phone: '+12125550160' }))).toEqual(['phone']);
    expect(matchReasons({ ...form, phone: '1-212-555-0160' }, existing({ phone: '+12125550160' }))).toEqual(['phone']);
    expect(matchReasons(form, existing({ phone: '+12125550161' }))).toEqual([]);
    // a number not typed whole matches nothing
    expect(matchReasons({ ...form, phone: '555' }, existing({ phone: '555' }))).toEqual([]);
  });

  it('the same name (case, accents, hyphens aside) and date of birth; the name alone is not enough', () => {
    const same = { firstName: 'zoe', lastName: 'MOREAU LI', dateOfBirth: '1984-07-19' };
    expect(matchReasons(form, existing(same))).toEqual(['nameAndBirth']);
    expect(matchReasons(form, existing({ ...same, dateOfBirth: '1984-07-20' }))).toEqual([]);
    // the search finds "Zoey Moreau-Lind" by the start of each word
    expect(matchReasons(form, existing({ ...same, firstName: 'Zoey', lastName: 'Moreau-Lind' }))).toEqual([]);
    expect(matchReasons({ ...form, dateOfBirth: '' }, existing({ ...same, dateOfBirth: '' }))).toEqual([]);
  });

  it('says every reason, in the same order', () => {
    const all = existing({
      email: 'zoe.moreau@example.com',
      phone: '+12125550160',
      firstName: 'Zoë',
      lastName: 'Moreau-Li',
      dateOfBirth: '1984-07-19',
    });
    expect(matchReasons(form, all)).toEqual(['email', 'phone', 'nameAndBirth']);
    expect(matchWords(['email'])).toBe('same e-mail address');
    expect(matchWords(['email', 'phone', 'nameAndBirth'])).toBe('same e-mail address, same phone number, same name and date of birth');
  });
});

describe('the matches of all the searches', () => {
  it('keeps each client once, in the order first found, and drops the others', () => {
    const byEmail = existing({ id: 'a', email: 'zoe.moreau@example.com', phone: '+12125550160' });
    const byPhone = existing({ id: 'b', phone: '+12125550160' });
    const other = existing({ id: 'c', email: 'zoe.moreau@example.org' });
    expect(possibleMatches(form, [byEmail, other, byPhone, byEmail])).toEqual([
      { client: byEmail, reasons: ['email', 'phone'] },
      { client: byPhone, reasons: ['phone'] },
    ]);
    expect(possibleMatches(form, [other])).toEqual([]);
  });
});
