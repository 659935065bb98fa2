// Generates shared/domain/phone-metadata.json: the libphonenumber-js metadata of country calling
// code 1 cut down to the US and Canada, taken from the installed package's own max metadata
// (libphonenumber-js/metadata.max.json, the one `libphonenumber-js/max` uses: getType() needs its
// type patterns). The Lambda bundles then carry ~3 KB of metadata instead of ~190 KB, and the
// answers for US and Canadian numbers are the max metadata's (shared/domain/phone.ts).
//
// Besides the metadata, the file lists the leading digits (area codes) of the other countries
// that share calling code 1 (Jamaica, the Bahamas, Puerto Rico…), so that their numbers are
// still told apart from numbers that belong to no country: "Must be a US or Canadian…" rather
// than "Not a valid phone number".
//
// `npx tsx scripts/phone-metadata.ts` rewrites the file; test/unit/phone.test.ts fails while the
// committed file differs from what this generates from the installed package (after an upgrade
// of libphonenumber-js: run this, and commit the result).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

export const PHONE_METADATA_PATH = resolve(import.meta.dirname, '..', 'shared', 'domain', 'phone-metadata.json');

/** The countries kept, in the order libphonenumber-js tries them for calling code 1. */
const KEPT = ['US', 'CA'] as const;

/** Index of `leading_digits` in a country's entry of the compressed (version 4) metadata. */
const LEADING_DIGITS = 10;

interface MaxMetadata {
  version: number;
  country_calling_codes: Record<string, string[]>;
  countries: Record<string, unknown[]>;
}

/** The file's text, as generated from the installed libphonenumber-js. */
export function generatePhoneMetadata(): string {
  const pkg = JSON.parse(readFileSync(require.resolve('libphonenumber-js/package.json'), 'utf8')) as { version: string };
  const max = JSON.parse(readFileSync(require.resolve('libphonenumber-js/metadata.max.json'), 'utf8')) as MaxMetadata;
  if (max.version !== 4) throw new Error(`libphonenumber-js metadata version ${max.version}: this script reads version 4`);
  const nanp = max.country_calling_codes['1'];
  if (!nanp || nanp[0] !== 'US' || !nanp.includes('CA'))
    throw new Error(`calling code 1 is no longer US first, CA among them: ${String(nanp)}`);
  const otherNanpLeadingDigits: Record<string, string> = {};
  for (const country of nanp.filter((c) => !(KEPT as readonly string[]).includes(c))) {
    const leading = max.countries[country]?.[LEADING_DIGITS];
    // without leading digits, libphonenumber-js tells the country by its type patterns: those are
    // not kept, so such a country could not be told apart here
    if (typeof leading !== 'string' || leading === '') throw new Error(`${country} (calling code 1) has no leading digits in the metadata`);
    otherNanpLeadingDigits[country] = leading;
  }
  const countries: Record<string, unknown[]> = {};
  for (const country of KEPT) {
    const plan = max.countries[country];
    if (!plan) throw new Error(`no ${country} in libphonenumber-js/metadata.max.json`);
    countries[country] = plan;
  }
  const file = {
    source: `libphonenumber-js ${pkg.version} metadata.max.json (scripts/phone-metadata.ts)`,
    metadata: { version: max.version, country_calling_codes: { '1': [...KEPT] }, countries, nonGeographic: {} },
    otherNanpLeadingDigits,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  writeFileSync(PHONE_METADATA_PATH, generatePhoneMetadata());
  process.stdout.write(`wrote ${PHONE_METADATA_PATH}\n`);
}
