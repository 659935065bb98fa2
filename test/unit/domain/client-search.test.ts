// The front desk's client search, as pure functions: what a profile's search text holds and
// which terms a query asks for (shared/domain/client-search.ts). A term matches when the text
// contains it, i.e. when it starts one of the text's words.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchSortName, searchTerms, searchTextOf } from '#domain/client-search.ts';

const robin = { firstName: 'Robin', lastName: 'Tester-Zoë', email: 'Robin.T@Example.com', phone: '+12125550177' };
const matches = (client: typeof robin, query: string) => {
  const terms = searchTerms(query);
  const text = searchTextOf(client);
  return terms.length > 0 && terms.every((t) => text.includes(t));
};

describe('client search', () => {
  it.each([
    ['rob', true],
    ['ROBIN', true],
    ['tes', true],
    ['zoe', true], // accents folded
    ['Zoë', true],
    ['tester rob', true], // every word, any order
    ['robin smith', false], // every word must match
    ['obin', false], // a word's start, not its middle
    ['robin.t@example.com', true], // the e-mail address whole
    ['robin.t@exam', true],
    ['(212) 555-01', true], // the phone as typed, without the country code
    ['+1 212 555 0177', true],
    ['12125550177', true],
    ['555', false], // fewer than four digits must start the number
    ['177', false],
    ['212', true],
    ['0177', true], // four or more: anywhere in it, so the last four find it
    ['555-0177', true], // the local number
    ['5550', true],
    ['0178', false],
    ['99990177', false], // every digit typed must be there
  ])('%s → %s', (query, found) => {
    expect(matches(robin, query)).toBe(found);
  });

  it('a query of punctuation only asks for nothing', () => {
    expect(searchTerms(' -- ')).toEqual([]);
  });

  it('sorts by last name, then first name, folded', () => {
    const names = [
      { firstName: 'Ana', lastName: 'Zed' },
      { firstName: 'Émile', lastName: 'Ávila' },
      { firstName: 'bo', lastName: 'avila' },
      { firstName: 'Al', lastName: 'Avil' }, // a shorter last name first
      { firstName: 'Cy', lastName: 'Avila Cruz' },
    ].sort((a, b) => searchSortName(a).localeCompare(searchSortName(b)));
    expect(names.map((n) => n.firstName)).toEqual(['Al', 'bo', 'Émile', 'Cy', 'Ana']);
  });

  it('every start of every word of a name finds it (property)', () => {
    const word = fc.stringMatching(/^[A-Za-z]{1,12}$/);
    fc.assert(
      fc.property(word, word, fc.nat(), (first, last, cut) => {
        const client = { firstName: first, lastName: last, email: 'x@example.com', phone: '+12125550100' };
        const prefix = last.slice(0, 1 + (cut % last.length));
        return matches(client, prefix) && matches(client, `${first} ${prefix}`);
      }),
      { seed: 29_112_026, numRuns: 200 },
    );
  });
});
