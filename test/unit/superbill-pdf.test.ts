// The superbill and receipt-for-insurance PDF (functions/billing/superbill-pdf.ts) without a
// database: what it says (superbillModel), the PDF read back with pdf-lib (test/helpers/pdf.ts),
// pages that continue under a repeated header, the same bytes for the same input; and how the
// route picks the PDF from the Accept header (wantsPdf).
import { describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { renderSuperbillPdf, superbillModel, type SuperbillPdfContext } from '#functions/billing/superbill-pdf.ts';
import { wantsPdf } from '#functions/billing/routes.ts';
import type { InsuranceReceipt, Superbill, SuperbillLine } from '#domain/superbill.ts';
import { defaultCatalog } from '#domain/catalog.ts';
import { pageTexts } from '#test/helpers/pdf.ts';

const usd = (amount: number) => ({ amount, currency: 'USD' as const });
const cad = (amount: number) => ({ amount, currency: 'CAD' as const });

function usLine(day: number, over: Partial<SuperbillLine> = {}): SuperbillLine {
  return {
    serviceDate: `2026-12-${String(day).padStart(2, '0')}`,
    service: 'preparation',
    cptCode: '90837',
    modifiers: [],
    placeOfService: '11',
    units: 1,
    diagnosisPointers: ['A', 'B'],
    provider: { name: 'Jordan Reyes', npi: '1245319599', licence: { number: '021734', jurisdiction: 'NY' } },
    charge: usd(17_500),
    paid: usd(17_500),
    ...over,
  };
}

function us(lines: SuperbillLine[]): Superbill {
  return {
    kind: 'superbill',
    clinic: {
      legalName: 'Hudson Wellness PLLC',
      address: { line1: '350 Hudson Street', line2: 'Suite 400', city: 'New York', region: 'NY', postalCode: '10014', country: 'US' },
      phone: '+12125550100',
      taxId: '13-4567890',
      npi: '1843927561',
    },
    client: { name: 'Zoë Łukasiewicz', dateOfBirth: '1985-04-12' },
    diagnosisCodes: ['F33.2', 'F43.10'],
    lines,
    totals: {
      charge: usd(lines.reduce((s, l) => s + l.charge.amount, 0)),
      paid: usd(lines.reduce((s, l) => s + l.paid.amount, 0)),
    },
  };
}

const CA: InsuranceReceipt = {
  kind: 'receipt',
  clinic: {
    legalName: 'Lakeshore Therapy Inc.',
    address: { line1: '200 Queens Quay West', line2: null, city: 'Toronto', region: 'ON', postalCode: 'M5J 2Y5', country: 'CA' },
    phone: '+14165550142',
    taxId: '864213574RT0001',
    taxNote: 'Psychotherapy services are exempt from GST/HST.',
  },
  client: { name: 'Ada Lovelace', dateOfBirth: '1985-04-12' },
  diagnosisCodes: [],
  lines: [
    {
      serviceDate: '2026-12-14',
      service: 'integration',
      units: 1,
      diagnosisPointers: [],
      provider: { name: 'Sam Okafor', credentials: 'RP', licence: { number: '10234', jurisdiction: 'ON' } },
      charge: cad(17_500),
      paid: cad(8_750),
    },
  ],
  totals: { charge: cad(17_500), paid: cad(8_750) },
};

const ctx = (currency: 'USD' | 'CAD', to = '2026-12-31'): SuperbillPdfContext => ({
  from: '2026-12-01',
  to,
  clinicName: 'Demo',
  currency,
  services: defaultCatalog(currency),
});

describe('what the superbill says', () => {
  it('US: the clinic with EIN and NPI, the period, the patient, lettered diagnoses, CPT, modifier, POS, pointers, NPI and licence', () => {
    const m = superbillModel(us([usLine(14), usLine(15, { modifiers: ['95'], placeOfService: '10', paid: usd(0) })]), ctx('USD'));
    expect(m.title).toBe('Superbill');
    expect(m.issuer.ids).toEqual([
      ['EIN', '13-4567890'],
      ['NPI', '1843927561'],
    ]);
    expect(m.issuer.address).toEqual(['350 Hudson Street', 'Suite 400', 'New York, NY 10014', 'United States', 'Phone (212) 555-0100']);
    expect(m.period).toBe('Dec 1, 2026 – Dec 31, 2026');
    expect(m.person).toEqual({ name: 'Zoë Łukasiewicz', dateOfBirth: 'Apr 12, 1985' });
    expect(m.diagnoses).toEqual([
      { pointer: 'A', code: 'F33.2' },
      { pointer: 'B', code: 'F43.10' },
    ]);
    expect(m.lines[1]).toEqual({
      date: 'Dec 15, 2026',
      cptCode: '90837',
      service: 'Preparation session',
      modifiers: '95',
      placeOfService: '10',
      units: '1',
      pointers: 'AB',
      provider: 'Jordan Reyes',
      providerIds: 'NPI 1245319599 · Lic. NY 021734',
      charge: '$175.00',
      paid: '$0.00',
    });
    expect(m.totals.map((t) => t.value)).toEqual(['$350.00', '$175.00']);
    expect(m.signature).toBe('Provider signature');
  });

  it('Canada: business number, tax note, credentials and college registration; no CPT', () => {
    const m = superbillModel(CA, ctx('CAD'));
    expect(m.title).toBe('Receipt for insurance');
    expect(m.issuer.ids).toEqual([['Business number', '864213574RT0001']]);
    expect(m.taxNote).toBe('Psychotherapy services are exempt from GST/HST.');
    expect(m.lines[0]).toMatchObject({
      cptCode: '',
      provider: 'Sam Okafor, RP',
      providerIds: 'College registration 10234 (ON)',
      paid: '$87.50',
    });
  });
});

describe('the PDF', () => {
  it('US: one page for a month, with every part a superbill has', async () => {
    const bytes = await renderSuperbillPdf(us([usLine(14), usLine(21, { modifiers: ['95'], placeOfService: '10' })]), ctx('USD'));
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const pages = await pageTexts(bytes);
    expect(pages).toHaveLength(1);
    const text = pages[0]!;
    for (const s of [
      'Hudson Wellness PLLC',
      'SUPERBILL',
      '13-4567890',
      '1843927561',
      'Dec 1, 2026 – Dec 31, 2026',
      'Zoë Lukasiewicz', // Ł folded to what Helvetica can draw
      'Apr 12, 1985',
      'F33.2',
      'F43.10',
      '90837',
      'NPI 1245319599 · Lic. NY 021734',
      '$350.00',
      'Provider signature',
      'Page 1 of 1',
    ])
      expect(text, s).toContain(s);
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(doc.getTitle()).toBe('Superbill Dec 1, 2026 – Dec 31, 2026');
  });

  it('Canada: the receipt form, no CPT or NPI', async () => {
    const text = (await pageTexts(await renderSuperbillPdf(CA, ctx('CAD')))).join('\n');
    for (const s of [
      'RECEIPT FOR INSURANCE',
      '864213574RT0001',
      'exempt from GST/HST',
      'Sam Okafor, RP',
      'College registration 10234 (ON)',
      '$87.50',
      'Amounts in Canadian dollars (CAD).',
    ])
      expect(text, s).toContain(s);
    expect(text).not.toContain('CA$');
    expect(text).not.toMatch(/CPT|NPI|90837/);
  });

  it('a year of sessions continues over pages, each with the short header and the table header again', async () => {
    const lines = Array.from({ length: 100 }, (_, i) => usLine((i % 28) + 1));
    const pages = await pageTexts(await renderSuperbillPdf(us(lines), ctx('USD', '2027-11-30')));
    expect(pages.length).toBeGreaterThan(3);
    for (const [i, page] of pages.entries()) {
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
      if (i > 0) expect(page).toContain('Superbill (continued)');
    }
    // every row is drawn once; the closing block once, on the last page
    expect(pages.join('\n').match(/NPI 1245319599/g)).toHaveLength(100);
    expect(pages.at(-1)).toContain('Provider signature');
    expect(pages.slice(0, -1).join('\n')).not.toContain('Total paid');
  });

  it('no session: says so, and still renders', async () => {
    const text = (await pageTexts(await renderSuperbillPdf(us([]), ctx('USD')))).join('\n');
    expect(text).toContain('No billable sessions in this period.');
  });

  it('the same input gives the same bytes', async () => {
    const doc = us([usLine(3), usLine(9)]);
    expect(Buffer.from(await renderSuperbillPdf(doc, ctx('USD'))).equals(Buffer.from(await renderSuperbillPdf(doc, ctx('USD'))))).toBe(
      true,
    );
  });
});

describe('wantsPdf (the Accept header)', () => {
  it('the PDF only when application/pdf is asked for and no JSON type ranks above it', () => {
    expect(wantsPdf(undefined)).toBe(false);
    expect(wantsPdf('')).toBe(false);
    expect(wantsPdf('*/*')).toBe(false);
    expect(wantsPdf('application/json')).toBe(false);
    expect(wantsPdf('application/pdf')).toBe(true);
    expect(wantsPdf('Application/PDF')).toBe(true);
    expect(wantsPdf('application/pdf, */*;q=0.1')).toBe(true);
    expect(wantsPdf('application/json, application/pdf;q=0.5')).toBe(false);
    expect(wantsPdf('application/json;q=0.4, application/pdf')).toBe(true);
    expect(wantsPdf('application/pdf;q=0')).toBe(false);
  });
});
