// Identifier shapes: NPI (Luhn over "80840" + the first nine digits), EIN, Canadian GST/HST
// account number, ICD-10-CM code shape.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isIcd10Code, isValidEin, isValidGstHstNumber, isValidNpi } from '#domain/npi.ts';

/**
 * The NPI check digit as CMS describes it, computed independently of the module: double every
 * other digit of the first nine starting from the rightmost, add the digits of the results and
 * the undoubled digits, add 24 (the "80840" prefix's share), and the check digit takes the sum
 * to the next multiple of 10.
 */
function cmsCheckDigit(nine: string): number {
  let sum = 24;
  for (let i = 0; i < 9; i++) {
    const d = Number(nine[8 - i]);
    const v = i % 2 === 0 ? d * 2 : d;
    sum += v > 9 ? v - 9 : v;
  }
  return (10 - (sum % 10)) % 10;
}

describe('isValidNpi', () => {
  it.each([
    '1234567893', // the CMS example
    '1245319599',
    '1679576722',
    '1588667638',
    '1215930367',
  ])('accepts the issued NPI %s', (npi) => {
    expect(isValidNpi(npi)).toBe(true);
  });

  it.each([
    ['1234567890', 'wrong check digit'],
    ['1234567894', 'wrong check digit'],
    ['1679576723', 'last digit changed'],
    ['1679575722', 'one digit changed'],
    ['1697576722', 'two digits swapped'],
    ['0000000000', 'Luhn over the digits alone would pass; with the 80840 prefix it fails'],
    ['123456784', 'nine digits (whose Luhn over 80840 would pass)'],
    ['12345678939', 'eleven digits (whose Luhn over 80840 would pass)'],
    ['123456789X', 'a letter'],
    [' 1234567893', 'a leading space'],
    ['1234-567893', 'a separator'],
    ['１２３４５６７８９３', 'full-width digits'],
    ['', 'empty'],
  ])('refuses %s (%s)', (npi) => {
    expect(isValidNpi(npi)).toBe(false);
  });

  it('the prefix matters: 1234567893 fails plain Luhn and passes with 80840', () => {
    // Without the prefix the check digit for 123456789 would be 7.
    expect(isValidNpi('1234567897')).toBe(false);
  });

  it('agrees with the CMS check-digit method: exactly one check digit is valid for any nine digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), (nine) => {
        const valid = [...'0123456789'].filter((d) => isValidNpi(nine + d));
        expect(valid).toEqual([String(cmsCheckDigit(nine))]);
      }),
      { seed: 7_2026, numRuns: 500 },
    );
  });
});

describe('isValidEin', () => {
  it.each(['12-3456789', '00-0000000', '98-7654321'])('accepts %s', (ein) => {
    expect(isValidEin(ein)).toBe(true);
  });

  it.each(['123456789', '123-456789', '12-345678', '12-34567890', '12 3456789', 'AB-3456789', ' 12-3456789', ''])('refuses %s', (ein) => {
    expect(isValidEin(ein)).toBe(false);
  });
});

describe('isValidGstHstNumber', () => {
  // Business numbers as GST/HST accounts, checked by shape: 123456789RT0001 included.
  it.each(['123456789RT0001', '123026635RT0001', '123222911RT0001', '752573725RT0001', '100007780RT0002'])('accepts %s', (bn) => {
    expect(isValidGstHstNumber(bn)).toBe(true);
  });

  it.each([
    ['123026635', 'the bare business number'],
    ['123026635RC0001', 'another program (RC, corporate income tax)'],
    ['123026635rt0001', 'lower case'],
    ['123026635 RT 0001', 'spaces'],
    ['123026635RT001', 'three-digit reference'],
    ['12302663RT0001', 'eight digits'],
    ['', 'empty'],
  ])('refuses %s (%s)', (bn) => {
    expect(isValidGstHstNumber(bn)).toBe(false);
  });
});

describe('isIcd10Code', () => {
  it.each(['F32.9', 'F329', 'F43.10', 'F4310', 'F32.A', 'C4A.0', 'T40.7X1A', 'Z71.89', 'U07.1', 'F41'])('accepts %s', (code) => {
    expect(isIcd10Code(code)).toBe(true);
  });

  it.each([
    ['f32.9', 'lower case'],
    ['132.9', 'starts with a digit'],
    ['FA2.9', 'second character a letter'],
    ['F3', 'too short'],
    ['F32.', 'a dot with nothing after it'],
    ['F32.12345', 'five after the dot'],
    ['F3212345', 'five more without the dot'],
    ['F32..9', 'two dots'],
    ['F3.29', 'dot in the wrong place'],
    [' F32.9', 'a leading space'],
    ['', 'empty'],
  ])('refuses %s (%s)', (code) => {
    expect(isIcd10Code(code)).toBe(false);
  });
});
