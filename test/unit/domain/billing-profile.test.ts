// A clinic's billing profile: states and provinces, postal codes, the tax id of the clinic's
// country, and the printed texts against the shared denylist.
import { describe, expect, it } from 'vitest';
import {
  CA_PROVINCES,
  US_STATES,
  billingProfileIssues,
  canonicalPostalCode,
  isJurisdiction,
  isRegionOf,
  postalCodeProblem,
  taxIdProblem,
} from '#domain/billing-profile.ts';
import type { BillingProfile } from '#domain/types.ts';

describe('regions and jurisdictions', () => {
  it('knows the 50 states and DC, and the 13 provinces and territories', () => {
    expect(US_STATES.size).toBe(51);
    expect(CA_PROVINCES.size).toBe(13);
    for (const code of [...US_STATES, ...CA_PROVINCES]) expect(code).toMatch(/^[A-Z]{2}$/);
  });

  it('a region belongs to its own country only', () => {
    expect(isRegionOf('US', 'NY')).toBe(true);
    expect(isRegionOf('US', 'DC')).toBe(true);
    expect(isRegionOf('CA', 'ON')).toBe(true);
    expect(isRegionOf('CA', 'NY')).toBe(false);
    expect(isRegionOf('US', 'ON')).toBe(false);
    expect(isRegionOf('US', 'ny')).toBe(false);
    expect(isRegionOf('US', 'XX')).toBe(false);
  });

  it('a licence jurisdiction is any state or province', () => {
    for (const code of ['NY', 'CA', 'ON', 'QC', 'YT']) expect(isJurisdiction(code)).toBe(true);
    for (const code of ['XX', 'on', 'PR', '', 'NYC']) expect(isJurisdiction(code)).toBe(false);
  });
});

describe('postal codes', () => {
  it('US: ZIP and ZIP+4', () => {
    for (const zip of ['10014', '10014-1234']) expect(postalCodeProblem('US', zip)).toBeUndefined();
    for (const zip of ['1001', '100141', '10014-12', 'M5J 2Y5', '10014 1234']) expect(postalCodeProblem('US', zip)).toBeDefined();
  });

  it('Canada: A1A 1A1 without the letters Canada Post never uses', () => {
    for (const code of ['M5J 2Y5', 'K1A 0B1', 'T2P 1J9']) expect(postalCodeProblem('CA', code)).toBeUndefined();
    for (const code of ['M5J2Y5', 'D5J 2Y5', 'W5J 2Y5', 'M5O 2Y5', '10014', 'M5J 2Y']) expect(postalCodeProblem('CA', code)).toBeDefined();
  });

  it('canonical: trimmed, upper case, a Canadian code gets its space', () => {
    expect(canonicalPostalCode('CA', ' m5j2y5 ')).toBe('M5J 2Y5');
    expect(canonicalPostalCode('CA', 'm5j 2y5')).toBe('M5J 2Y5');
    expect(canonicalPostalCode('US', ' 10014-1234 ')).toBe('10014-1234');
    // a US address keeps what it was given: the check then refuses it
    expect(canonicalPostalCode('US', 'm5j2y5')).toBe('M5J2Y5');
  });
});

describe('the tax id of the clinic’s country', () => {
  it('US: an EIN, never a Canadian number', () => {
    expect(taxIdProblem('US', '13-4567890')).toBeUndefined();
    expect(taxIdProblem('US', '123456782RT0001')).toMatch(/EIN/);
    expect(taxIdProblem('US', '134567890')).toMatch(/EIN/);
  });

  it('Canada: a GST/HST number (checked by shape, as the contract says: its own example passes), never an EIN', () => {
    expect(taxIdProblem('CA', '123456782RT0001')).toBeUndefined();
    expect(taxIdProblem('CA', '123456789RT0001')).toBeUndefined();
    expect(taxIdProblem('CA', '123456789RC0001')).toMatch(/GST\/HST/);
    expect(taxIdProblem('CA', '13-4567890')).toMatch(/GST\/HST/);
  });
});

describe('billingProfileIssues', () => {
  const profile = (over: Partial<BillingProfile> = {}): BillingProfile => ({
    legalName: 'Hudson Wellness PLLC',
    address: { line1: '350 Hudson Street', city: 'New York', region: 'NY', postalCode: '10014', country: 'US' },
    phone: '+12125550100',
    taxId: '13-4567890',
    ...over,
  });

  it('none for a profile that fits the clinic', () => {
    expect(billingProfileIssues('US', profile())).toEqual([]);
    expect(
      billingProfileIssues('CA', profile({ taxId: '123456782RT0001', taxNote: 'Psychotherapy services are exempt from GST/HST.' })),
    ).toEqual([]);
  });

  it('the tax id of the other country, on billing.taxId', () => {
    expect(billingProfileIssues('US', profile({ taxId: '123456782RT0001' })).map((i) => i.path)).toEqual(['billing.taxId']);
    expect(billingProfileIssues('CA', profile()).map((i) => i.path)).toEqual(['billing.taxId']);
  });

  it('printed texts that name the treatment or a diagnosis, without echoing the word', () => {
    const issues = billingProfileIssues('US', profile({ legalName: 'NY Ketamine LLC', taxNote: 'PTSD care is exempt.' }));
    expect(issues.map((i) => i.path)).toEqual(['billing.legalName', 'billing.taxNote']);
    for (const i of issues) expect(i.message.toLowerCase()).not.toMatch(/ketamine|ptsd/);
  });
});
