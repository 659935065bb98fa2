// Phone numbers on the cut-down metadata (shared/domain/phone.ts): the committed metadata is what
// scripts/phone-metadata.ts generates from the installed libphonenumber-js, and the answers are
// the ones libphonenumber-js/max (every country's metadata) gives.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { canonicalPhone, isValidPhone, NOT_A_PHONE_NUMBER, NOT_US_OR_CA_LINE, phoneProblem } from '#domain/phone.ts';
import { generatePhoneMetadata, PHONE_METADATA_PATH } from '../../scripts/phone-metadata.ts';

/** The rule as it was written on libphonenumber-js/max, the reference. */
function maxProblem(e164: string): string | undefined {
  let number;
  try {
    number = parsePhoneNumberWithError(e164);
  } catch {
    return NOT_A_PHONE_NUMBER;
  }
  if (!number.isValid()) return NOT_A_PHONE_NUMBER;
  const type = number.getType();
  if (
    !number.country ||
    !['US', 'CA'].includes(number.country) ||
    !type ||
    !['FIXED_LINE', 'MOBILE', 'FIXED_LINE_OR_MOBILE'].includes(type)
  ) {
    return NOT_US_OR_CA_LINE;
  }
  return undefined;
}

describe('the metadata file', () => {
  it('is what scripts/phone-metadata.ts generates from the installed libphonenumber-js (run it after an upgrade)', () => {
    expect(readFileSync(PHONE_METADATA_PATH, 'utf8')).toBe(generatePhoneMetadata());
  });

  it('holds calling code 1 with the US and Canada only', () => {
    const file = JSON.parse(readFileSync(PHONE_METADATA_PATH, 'utf8')) as {
      metadata: { country_calling_codes: object; countries: object };
    };
    expect(file.metadata.country_calling_codes).toEqual({ '1': ['US', 'CA'] });
    expect(Object.keys(file.metadata.countries)).toEqual(['US', 'CA']);
  });
});

describe('phoneProblem', () => {
  // the demo and test numbers used across the repository (555-01xx is fictional but valid)
  const OK = [
    '+12125550100',
    '+12125550123',
    '+12125550188',
    '+12125550199',
    '+14165550123',
    '+14165550188',
    '+16045551234',
    '+15145550123',
    '+13105550123',
  ];
  it.each(OK)('accepts %s, in canonical E.164', (phone) => {
    expect(phoneProblem(phone)).toBeUndefined();
    expect(canonicalPhone(phone)).toBe(phone);
    expect(isValidPhone(phone)).toBe(true);
  });

  const NOT_US_OR_CA: Array<[string, string]> = [
    ['Jamaica (+1 876)', '+18762101234'],
    ['Jamaica (+1 658)', '+16582901234'],
    ['the Bahamas (+1 242)', '+12423591234'],
    ['Puerto Rico (+1 787)', '+17872345678'],
    ['Puerto Rico (+1 939)', '+19392345678'],
    ['the Dominican Republic (+1 809)', '+18092345678'],
    ['Guam (+1 671)', '+16713001234'],
    ['the US Virgin Islands (+1 340)', '+13406421234'],
    ['premium rate (+1 900)', '+19005550123'],
    ...['800', '833', '844', '855', '866', '877', '888'].map((p): [string, string] => [`toll-free ${p}`, `+1${p}5550123`]),
    ['a personal number (+1 500)', '+15005550123'],
    ['a personal number (+1 533)', '+15335550123'],
    ['the United Kingdom (London)', '+442079460958'],
    ['the United Kingdom (mobile)', '+447400123456'],
    ['France', '+33612345678'],
    ['Australia (mobile)', '+61412345678'],
    ['Australia (Sydney)', '+61291234567'],
  ];
  it.each(NOT_US_OR_CA)('refuses %s (%s) as not a US or Canadian line, as libphonenumber-js/max does', (_, phone) => {
    expect(maxProblem(phone)).toBe(NOT_US_OR_CA_LINE);
    expect(phoneProblem(phone)).toBe(NOT_US_OR_CA_LINE);
  });

  const INVALID = ['+15555550123', '+12121234567', '+12120123456', '+11235550123', '+1212555012', '+121255501234', '+1999'];
  it.each(INVALID)('refuses %s as not a valid number, as libphonenumber-js/max does', (phone) => {
    expect(maxProblem(phone)).toBe(NOT_A_PHONE_NUMBER);
    expect(phoneProblem(phone)).toBe(NOT_A_PHONE_NUMBER);
    expect(isValidPhone(phone)).toBe(false);
  });

  it('answers as libphonenumber-js/max for every +1 area code (accepts exactly the same numbers)', () => {
    // two exchanges per area code, plus exchanges starting 0 and 1 (never valid in the US or Canada)
    const differences: string[] = [];
    for (let npa = 200; npa < 1000; npa++) {
      for (const rest of ['5550123', '2345678', '9001234', '0551234', '1551234']) {
        const phone = `+1${npa}${rest}`;
        const [ours, max] = [phoneProblem(phone), maxProblem(phone)];
        if (ours === undefined || max === undefined) {
          if (ours !== max) differences.push(`${phone}: ${String(ours)} (max: ${String(max)})`);
          else expect(canonicalPhone(phone)).toBe(parsePhoneNumberWithError(phone).format('E.164'));
        } else if (ours !== max && !(ours === NOT_US_OR_CA_LINE && max === NOT_A_PHONE_NUMBER)) {
          // the one difference allowed: a number in another +1 country's area code that is not
          // valid there either is "not a US or Canadian line" here (that country's metadata is not kept)
          differences.push(`${phone}: ${ours} (max: ${max})`);
        }
      }
    }
    expect(differences).toEqual([]);
  });
});
