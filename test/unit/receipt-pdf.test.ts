// The PDF receipt (functions/billing/receipt-pdf.ts) without a database: what it says
// (receiptModel), how money and characters the standard fonts cannot draw are handled, and the
// PDF itself read back with pdf-lib — its metadata, its pages and the text of its content streams
// (test/helpers/pdf.ts: no poppler needed).
import { describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { receiptModel, renderReceiptPdf } from '#functions/billing/receipt-pdf.ts';
import { formatMoney, winAnsiText } from '#functions/billing/pdf-layout.ts';
import {
  applyCancellation,
  applyPayment,
  applyRefund,
  newProgramInvoice,
  newSessionInvoice,
  recordDeskPayment,
  type DeskPaymentMethod,
  type Invoice,
} from '#domain/invoices.ts';
import { defaultCatalog } from '#domain/catalog.ts';
import type { BillingProfile, Clinic } from '#domain/types.ts';
import { pageTexts, winAnsi } from '#test/helpers/pdf.ts';

/** 2026-12-02 03:00 UTC: still Dec 1 in New York and Toronto (clinic-local dates). */
const AT = Date.parse('2026-12-02T03:00:00Z');
const DAY = 86_400_000;
const NY = 'America/New_York';
const TORONTO = 'America/Toronto';

const US_PROFILE: BillingProfile = {
  legalName: 'Hudson Wellness PLLC',
  address: { line1: '250 West 57th Street', line2: 'Suite 1200', city: 'New York', region: 'NY', postalCode: '10107', country: 'US' },
  phone: '+12125550100',
  taxId: '12-3456789',
  npi: '1234567893',
};
const CA_PROFILE: BillingProfile = {
  legalName: 'Lakeshore Therapy Professional Corporation',
  address: { line1: '100 Queens Quay East', city: 'Toronto', region: 'ON', postalCode: 'M5E 1V3', country: 'CA' },
  phone: '+14165550100',
  taxId: '123456789RT0001',
  taxNote: 'Psychotherapy services are exempt from GST/HST. No GST/HST has been charged.',
};
const US = { name: 'Hudson Wellness', country: 'US', billing: US_PROFILE } satisfies Pick<Clinic, 'name' | 'country' | 'billing'>;
const CA = { name: 'Lakeshore Therapy', country: 'CA', billing: CA_PROFILE } satisfies Pick<Clinic, 'name' | 'country' | 'billing'>;
const ADA = { firstName: 'Ada', lastName: 'Lovelace' };

/** A self-pay preparation session (USD) paid by card, cancelled late (fee $50), the rest refunded; one refund failed. */
function sessionCase(): Invoice {
  const service = defaultCatalog('USD').find((s) => s.code === 'preparation')!;
  let inv = newSessionInvoice({
    id: 'inv_1',
    clinicId: 'c1',
    clientId: 'cl1',
    currency: 'USD',
    at: AT,
    zone: NY,
    service,
    appointment: { id: 'appt_1', service: 'preparation', mode: 'telehealth', startsAt: AT + 2 * DAY },
  });
  const price = inv.lines[0]!.amount;
  inv = applyPayment(inv, { reference: 'pi_card_1', amount: { amount: price, currency: 'USD' }, at: AT + 60_000, method: 'card' });
  inv = applyCancellation(inv, { appointmentId: 'appt_1', kind: 'late', fee: { amount: 5_000, currency: 'USD' }, at: AT + DAY });
  inv = applyRefund(inv, {
    reference: 're_ok',
    amount: { amount: price - 5_000, currency: 'USD' },
    at: AT + DAY + 60_000,
    status: 'succeeded',
  });
  inv = applyRefund(inv, { reference: 're_failed', amount: { amount: 1_000, currency: 'USD' }, at: AT + DAY + 120_000, status: 'failed' });
  return { ...inv, number: '42' };
}

/** A program purchase (CAD) paid in two installments, half still due. */
function programCase(): Invoice {
  let inv = newProgramInvoice({
    id: 'inv_2',
    clinicId: 'c2',
    clientId: 'cl2',
    currency: 'CAD',
    at: AT,
    package: { id: 'pkg_1', programName: 'Care program', price: { amount: 480_000, currency: 'CAD' } },
  });
  inv = applyPayment(inv, { reference: 'pi_down', amount: { amount: 120_000, currency: 'CAD' }, at: AT, method: 'card' });
  inv = applyPayment(inv, { reference: 'in_second', amount: { amount: 120_000, currency: 'CAD' }, at: AT + 30 * DAY, method: 'bnpl' });
  return { ...inv, number: '7' };
}

describe('formatMoney', () => {
  it('minor units as dollars with two decimals and thousands separators, "$" as at home in both countries', () => {
    expect(formatMoney(0, 'USD')).toBe('$0.00');
    expect(formatMoney(5, 'USD')).toBe('$0.05');
    expect(formatMoney(17_500, 'USD')).toBe('$175.00');
    expect(formatMoney(123_456_789, 'USD')).toBe('$1,234,567.89');
    expect(formatMoney(480_000, 'CAD')).toBe('$4,800.00');
    expect(formatMoney(-90_000, 'CAD')).toBe('-$900.00');
  });

  it('exact to the cent up to the largest safe integer (no floating-point division)', () => {
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'USD')).toBe('$90,071,992,547,409.91');
    expect(formatMoney(Number.MAX_SAFE_INTEGER - 2, 'USD')).toBe('$90,071,992,547,409.89');
    expect(() => formatMoney(1.5, 'USD')).toThrow(RangeError);
  });
});

describe('winAnsiText', () => {
  it('keeps what the font draws, folds other letters to their base letter, replaces the rest', async () => {
    const { drawable } = await winAnsi();
    expect(winAnsiText('José Müller-Ñúñez, “Zoë” — 100 €', drawable)).toBe('José Müller-Ñúñez, “Zoë” — 100 €');
    expect(winAnsiText('Łukasz Żółć Đorđe Ħal ı', drawable)).toBe('Lukasz Zólc Dorde Hal i');
    expect(winAnsiText('Ana 😀 李', drawable)).toBe('Ana ? ?');
    expect(winAnsiText('a\nb\tc\u0000d', drawable)).toBe('a b c d');
    expect(winAnsiText('e\u0301 o\u0308', drawable)).toBe('é ö'); // composed first
    expect(winAnsiText('👩‍👩‍👧 ️x', drawable)).toBe('??? x'); // joiners and variation selectors dropped
  });
});

describe('receiptModel', () => {
  it('a US clinic: legal name, address, phone, EIN; lines, payments, refunds that counted, totals', () => {
    const m = receiptModel(sessionCase(), US, ADA, NY);
    expect(m.title).toBe('Receipt');
    expect(m.issuer).toEqual({
      name: 'Hudson Wellness PLLC',
      details: ['250 West 57th Street', 'Suite 1200', 'New York, NY 10107', 'United States', 'Phone (212) 555-0100', 'EIN 12-3456789'],
    });
    expect(m.facts).toEqual([
      ['Invoice no.', '42'],
      ['Issue date', 'Dec 1, 2026'], // 03:00 UTC on Dec 2 is still Dec 1 in New York
      ['Status', 'Paid'],
    ]);
    expect(m.billedTo).toBe('Ada Lovelace');
    expect(m.lines).toEqual([
      { description: 'Preparation session', serviceDate: 'Dec 3, 2026', amount: '$175.00', voided: true },
      { description: 'Late cancellation fee', serviceDate: 'Dec 3, 2026', amount: '$50.00', voided: false },
    ]);
    expect(m.payments).toEqual([{ date: 'Dec 1, 2026', method: 'Card', reference: 'pi_card_1', amount: '$175.00' }]);
    expect(m.refunds).toEqual([{ date: 'Dec 2, 2026', reference: 're_ok', amount: '$125.00' }]); // not the failed one
    expect(m.summary).toEqual([
      { label: 'Total', value: '$50.00' },
      { label: 'Amount paid', value: '$175.00' },
      { label: 'Refunded', value: '$125.00' },
      { label: 'Balance due', value: '$0.00', strong: true },
    ]);
    expect(m.taxNote).toBeUndefined();
    expect(m.notes).toEqual(['Amounts in US dollars (USD).', 'Lines struck through were voided and are not included in the total.']);
    expect(m.createdAt.getTime()).toBe(AT);
    expect(m.modifiedAt.getTime()).toBe(AT + DAY + 120_000); // the last thing that happened to it
  });

  it('a Canadian clinic: business number and taxNote, "$" with the currency named, a balance still due', () => {
    const m = receiptModel(programCase(), CA, ADA, TORONTO);
    expect(m.issuer.details).toContain('Business number 123456789RT0001');
    expect(m.issuer.details).toContain('Canada');
    expect(m.taxNote).toBe(CA_PROFILE.taxNote);
    expect(m.lines).toEqual([{ description: 'Care program', serviceDate: '—', amount: '$4,800.00', voided: false }]);
    expect(m.payments.map((p) => [p.date, p.method, p.amount])).toEqual([
      ['Dec 1, 2026', 'Card', '$1,200.00'],
      ['Dec 31, 2026', 'Buy now, pay later', '$1,200.00'],
    ]);
    expect(m.summary.at(-1)).toEqual({ label: 'Balance due', value: '$2,400.00', strong: true });
    expect(m.facts[2]).toEqual(['Status', 'Partially paid']);
    expect(m.notes).toEqual(['Amounts in Canadian dollars (CAD).']);
  });

  it('a clinic without a billing profile yet: its name alone, nothing missing invented', () => {
    const m = receiptModel(programCase(), { name: 'Lakeshore Therapy', country: 'CA' }, ADA, TORONTO);
    expect(m.issuer).toEqual({ name: 'Lakeshore Therapy', details: [] });
    expect(m.taxNote).toBeUndefined();
    expect(m.footer).toBe('Lakeshore Therapy · Receipt for invoice 7');
  });

  it('a profile without line2 or taxNote leaves them out', () => {
    const m = receiptModel(
      sessionCase(),
      { ...US, billing: { ...US_PROFILE, address: { ...US_PROFILE.address, line2: undefined } } },
      ADA,
      NY,
    );
    expect(m.issuer.details).toEqual([
      '250 West 57th Street',
      'New York, NY 10107',
      'United States',
      'Phone (212) 555-0100',
      'EIN 12-3456789',
    ]);
  });

  it('a refund still to be made shows as refund due', () => {
    let inv = programCase();
    inv = applyPayment(inv, { reference: 'pi_rest', amount: { amount: 300_000, currency: 'CAD' }, at: AT + 40 * DAY, method: 'card' });
    expect(receiptModel(inv, CA, ADA, TORONTO).summary.at(-1)).toEqual({ label: 'Refund due', value: '$600.00', strong: true });
  });
});

describe('renderReceiptPdf', () => {
  it('a one-page PDF on US Letter with the invoice’s dates and the clinic as author', async () => {
    const bytes = await renderReceiptPdf(sessionCase(), US, ADA, NY);
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getPage(0).getSize()).toEqual({ width: 612, height: 792 });
    expect(doc.getTitle()).toBe('Receipt for invoice 42');
    expect(doc.getAuthor()).toBe('Hudson Wellness PLLC');
    expect(doc.getCreationDate()?.getTime()).toBe(AT);
    expect(doc.getModificationDate()?.getTime()).toBe(AT + DAY + 120_000);
  });

  it('draws what the model says: header, lines, totals, payments, refunds, notes, footer', async () => {
    const [text] = await pageTexts(await renderReceiptPdf(sessionCase(), US, ADA, NY));
    for (const expected of [
      'RECEIPT',
      'Hudson Wellness PLLC',
      '250 West 57th Street',
      'New York, NY 10107',
      'Phone (212) 555-0100',
      'EIN 12-3456789',
      'Invoice no.',
      '42',
      'Dec 1, 2026',
      'BILLED TO',
      'Ada Lovelace',
      'Preparation session',
      'Voided: not included in the total',
      'Late cancellation fee',
      'Dec 3, 2026',
      '$50.00',
      'Balance due',
      '$0.00',
      'pi_card_1',
      're_ok',
      '$125.00',
      'Amounts in US dollars (USD).',
      'Hudson Wellness PLLC · Receipt for invoice 42',
      'Page 1 of 1',
    ])
      expect(text!.split('\n'), expected).toContain(expected);
    expect(text).not.toContain('re_failed');
  });

  it('a Canadian receipt carries the business number and the taxNote; amounts in "$", the currency named once', async () => {
    const [text] = await pageTexts(await renderReceiptPdf(programCase(), CA, ADA, TORONTO));
    const lines = text!.split('\n');
    expect(lines).toContain('Business number 123456789RT0001');
    expect(lines).toContain('$4,800.00');
    expect(lines).toContain('$2,400.00');
    expect(lines).toContain('Amounts in Canadian dollars (CAD).');
    expect(text).not.toContain('CA$');
    expect(text!.replace(/\n/g, ' ')).toContain(CA_PROFILE.taxNote);
  });

  it('a clinic without a billing profile still gets a receipt, headed by its name', async () => {
    const [text] = await pageTexts(await renderReceiptPdf(programCase(), { name: 'Lakeshore Therapy', country: 'CA' }, ADA, TORONTO));
    expect(text!.split('\n')).toContain('Lakeshore Therapy');
    expect(text).not.toContain('Business number');
  });

  it('names and descriptions WinAnsi cannot encode are drawn folded or as ?, never an error', async () => {
    const inv = { ...sessionCase(), lines: sessionCase().lines.map((l) => ({ ...l, description: `${l.description} 🌿 ✓` })) };
    const client = { firstName: 'Łukasz 😀', lastName: 'Wójcik-Żółć\n李' };
    const [text] = await pageTexts(
      await renderReceiptPdf(inv, { ...US, billing: { ...US_PROFILE, legalName: 'Ωmega Clinic ☂' } }, client, NY),
    );
    const lines = text!.split('\n');
    expect(lines).toContain('Lukasz ? Wójcik-Zólc ?');
    expect(lines).toContain('?mega Clinic ?');
    expect(lines).toContain('Late cancellation fee ? ?');
  });

  it('the same inputs give the same bytes', async () => {
    const a = await renderReceiptPdf(sessionCase(), US, ADA, NY);
    await new Promise((r) => setTimeout(r, 5));
    const b = await renderReceiptPdf(sessionCase(), US, ADA, NY);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('long descriptions wrap and are cut; many payments run onto further pages, each with its footer', async () => {
    let inv = programCase();
    inv = { ...inv, lines: inv.lines.map((l) => ({ ...l, description: 'A very long description '.repeat(30) })) };
    for (let i = 0; i < 60; i++) {
      inv = applyPayment(inv, { reference: `pi_${i}`, amount: { amount: 100, currency: 'CAD' }, at: AT + i * 3_600_000, method: 'card' });
    }
    const pages = await pageTexts(await renderReceiptPdf(inv, CA, ADA, TORONTO));
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((text, i) => expect(text.split('\n')).toContain(`Page ${i + 1} of ${pages.length}`));
    // the description: at most three lines, the last one cut with an ellipsis
    const description = pages[0]!.split('\n').filter((l) => /^(A|very|long|description)\b/.test(l));
    expect(description.length).toBeLessThanOrEqual(3);
    expect(description.at(-1)).toMatch(/…$/);
    // every payment made it, the table header again on each page it continues on
    const all = pages.join('\n').split('\n');
    for (let i = 0; i < 60; i++) expect(all).toContain(`pi_${i}`);
    expect(pages.slice(1).some((p) => p.split('\n').includes('REFERENCE'))).toBe(true);
  });
});

describe('payments taken at the clinic on the receipt', () => {
  it('names each way of paying in words', () => {
    const service = defaultCatalog('USD').find((s) => s.code === 'preparation')!;
    let inv = newSessionInvoice({
      id: 'inv_9',
      clinicId: 'c1',
      clientId: 'cl1',
      currency: 'USD',
      at: AT,
      zone: NY,
      service,
      appointment: { id: 'appt_9', service: 'preparation', mode: 'in_person', startsAt: AT + 2 * DAY },
    });
    const ways: Array<[DeskPaymentMethod, string]> = [
      ['cash', 'Cash'],
      ['cheque', 'Cheque'],
      ['card_terminal', 'Card at the clinic'],
      ['bank_transfer', 'Bank transfer'],
      ['other', 'Other'],
    ];
    ways.forEach(([method], i) => {
      inv = recordDeskPayment(inv, { reference: `R-${i + 1}`, amount: { amount: 100, currency: 'USD' }, at: AT + i, method });
    });
    const m = receiptModel({ ...inv, number: '7' }, US, ADA, NY);
    expect(m.payments.map((p) => p.method)).toEqual(ways.map(([, words]) => words));
  });
});
