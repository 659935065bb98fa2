// The web app checks an NPI and an ICD-10-CM code before sending, with the API's own modules
// (shared/domain/npi.ts, imported by web/src/lib/npi.ts and icd10.ts): what is left to test is the
// app's side — its words for a refused NPI, and that every code of its built-in list is one the
// API takes (and the list has no code twice). The staff invoice page's refund form has its own
// copy of the API's reference pattern and refund methods (lib/refund-rules.ts): compared here with
// the API's schema, so that what the page lets through is what the API takes.
import { describe, expect, it } from 'vitest';
import { isIcd10Code, isValidNpi } from '#domain/npi.ts';
import { npiProblem } from '../../web/src/lib/npi.ts';
import { COMMON_ICD10_CODES, normalizeIcd10, searchIcd10 } from '../../web/src/lib/icd10.ts';
import { noonIn, timeLabels, zoneLabelOn } from '../../web/src/lib/format.ts';
import { birthDateProblem, latestBirthDate } from '../../web/src/lib/birth-date.ts';
import { payableOnline } from '../../web/src/lib/payable.ts';
import { checkRefund, OUTSIDE_METHODS } from '../../web/src/lib/refund-rules.ts';
import { checkDeskPayment, DESK_METHODS } from '../../web/src/lib/desk-payment-rules.ts';
import { DESK_PAYMENT_METHODS, OUTSIDE_REFUND_METHODS } from '#domain/invoices.ts';
import { deskPaymentSchema, refundElsewhereSchema } from '#http/schemas/billing.ts';
import { ROUTES } from '#http/routes.ts';
import { actionWords } from '../../web/src/pages/staff/access-log-rules.ts';
import { checkVideoRoomUrl } from '../../web/src/lib/video-room-rules.ts';
import { videoRoomSchema } from '#http/schemas/scheduling.ts';

describe('the web app’s checks before sending', () => {
  it('an NPI: what is wrong, in words, exactly when the API would refuse it', () => {
    for (const npi of ['1234567893', '1843927561', '1679576722']) {
      expect(npiProblem(npi)).toBeUndefined();
      const off = `${npi.slice(0, 9)}${(Number(npi[9]) + 1) % 10}`;
      expect(isValidNpi(off)).toBe(false);
      expect(npiProblem(off)).toMatch(/check digit/);
    }
    for (const bad of ['', '123456789', '12345678930', '12345 67893', 'abcdefghij']) expect(npiProblem(bad)).toBe('An NPI is 10 digits.');
  });

  it('the built-in ICD-10-CM list: every code one the API takes, none twice, found by code and by words', () => {
    const codes = COMMON_ICD10_CODES.map((c) => c.code);
    for (const code of codes) expect(isIcd10Code(code), code).toBe(true);
    expect(new Set(codes.map((c) => c.replace('.', ''))).size).toBe(codes.length);
    expect(searchIcd10('F33').map((c) => c.code)).toContain('F33.1');
    expect(searchIcd10('recurrent moderate').map((c) => c.code)).toContain('F33.1');
    // the abbreviations clinicians type
    expect(searchIcd10('PTSD').map((c) => c.code)).toEqual(['F43.10', 'F43.11', 'F43.12']);
    expect(searchIcd10(' gad ').map((c) => c.code)).toEqual(['F41.1']);
    expect(searchIcd10('ocd').map((c) => c.code)).toEqual(['F42.2', 'F42.8', 'F42.9']);
    expect(normalizeIcd10(' f331 ')).toBe('F33.1');
  });
});

describe('the times a slot picker shows', () => {
  it('a time the fall-back repeats says which of the two it is; every other time is plain', () => {
    const zone = 'America/New_York';
    const isos = ['2026-11-01T00:30:00-04:00', '2026-11-01T01:00:00-04:00', '2026-11-01T01:00:00-05:00', '2026-11-01T02:00:00-05:00'];
    const labels = timeLabels(isos, zone);
    expect([...labels.values()].map((l) => l.replace(/\u202f/g, ' '))).toEqual(['12:30 AM', '1:00 AM EDT', '1:00 AM EST', '2:00 AM']);
    // the same instant twice (two practitioners) is not a repeated time
    expect(timeLabels(['2026-12-01T09:00:00-05:00', '2026-12-01T09:00:00-05:00'], zone).get('2026-12-01T09:00:00-05:00')).toMatch(
      /^9:00\sAM$/,
    );
  });
});

describe('the day view’s zone label', () => {
  it('names the zone as it is on the day shown, whatever today is', () => {
    expect(zoneLabelOn('America/New_York', '2027-03-15')).toBe('New York time (Eastern Daylight Time)');
    expect(zoneLabelOn('America/New_York', '2027-01-15')).toBe('New York time (Eastern Standard Time)');
    // the days clocks change: the change is at night, noon is after it
    expect(zoneLabelOn('America/New_York', '2027-03-14')).toBe('New York time (Eastern Daylight Time)');
    expect(zoneLabelOn('America/Toronto', '2027-11-07')).toBe('Toronto time (Eastern Standard Time)');
    expect(zoneLabelOn('America/Vancouver', '2027-07-01')).toBe('Vancouver time (Pacific Daylight Time)');
  });

  it('reads it at noon in the clinic’s zone', () => {
    expect(noonIn('America/New_York', '2027-01-15').toISOString()).toBe('2027-01-15T17:00:00.000Z');
    expect(noonIn('America/New_York', '2027-07-15').toISOString()).toBe('2027-07-15T16:00:00.000Z');
    expect(noonIn('America/St_Johns', '2027-07-15').toISOString()).toBe('2027-07-15T14:30:00.000Z');
  });
});

describe('a date of birth', () => {
  it('is refused on or after the clinic’s today, in plain words; the latest allowed is yesterday', () => {
    expect(birthDateProblem('2026-12-01', '2026-11-30')).toBe('Date of birth can’t be in the future.');
    expect(birthDateProblem('2026-11-30', '2026-11-30')).toBe('Date of birth must be before today.');
    expect(birthDateProblem('2026-11-29', '2026-11-30')).toBeUndefined();
    expect(birthDateProblem('', '2026-11-30')).toBeUndefined();
    // the API's dates start in 1900: a year typed short is said before sending, not in its words
    expect(birthDateProblem('0199-03-04', '2026-11-30')).toBe('Check the year: the date of birth must be 1900 or later.');
    expect(birthDateProblem('1899-12-31', '2026-11-30')).toBe('Check the year: the date of birth must be 1900 or later.');
    expect(birthDateProblem('1900-01-01', '2026-11-30')).toBeUndefined();
    expect(birthDateProblem('1990-02-30', '2026-11-30')).toBe('Enter a real date of birth.');
    expect(birthDateProblem('1990-5-1', '2026-11-30')).toBe('Enter a real date of birth.');
    expect(latestBirthDate('2026-03-01')).toBe('2026-02-28');
    expect(latestBirthDate('2027-01-01')).toBe('2026-12-31');
  });
});

describe('whether the app takes an invoice’s payment online', () => {
  const money = (amount: number) => ({ amount, currency: 'USD' as const });
  const invoice = (balance: number, packageId?: string) => ({ balance: money(balance), ...(packageId ? { packageId } : {}) });

  it('a session’s invoice with a balance; a program’s only once the program is cancelled; never with nothing due', () => {
    expect(payableOnline(invoice(17_500))).toBe(true);
    expect(payableOnline(invoice(0))).toBe(false);
    expect(payableOnline(invoice(12_000, 'pkg_1'))).toBe(false);
    expect(payableOnline(invoice(12_000, 'pkg_1'), 'active')).toBe(false);
    expect(payableOnline(invoice(12_000, 'pkg_1'), 'past_due')).toBe(false);
    expect(payableOnline(invoice(12_000, 'pkg_1'), 'cancelled')).toBe(true);
    expect(payableOnline(invoice(0, 'pkg_1'), 'cancelled')).toBe(false);
  });
});

describe('a refund made another way, as the staff invoice page checks it', () => {
  const due = { amount: 17_500, currency: 'USD' };

  it('offers exactly the ways the API records', () => {
    expect([...OUTSIDE_METHODS]).toEqual([...OUTSIDE_REFUND_METHODS]);
  });

  it('lets through exactly the references the API takes', () => {
    const typed = ['1042', 'Cheque-1042', 're_3PqX9a2eZvKYlo2C1Tq0', 'ET-2026/11:07#3', 'a.b_c1', '1'.repeat(64)];
    const wrong = ['', '#1042', '-1', "O'Brien", 'paid, thanks!', 'Chèque 12', 'a\nb', '1'.repeat(65)];
    // words: a space anywhere, or no digit at all
    wrong.push('Cheque 1042', 'ET-2026/11:07 #3', 'Ada Lovelace F33.2', 'ketamine', 'a.b_c');
    for (const reference of [...typed, ...wrong]) {
      const sent = checkRefund({ amount: '175.00', method: 'cheque', reference }, due, []).record !== undefined;
      const taken = refundElsewhereSchema.safeParse({ amount: 17_500, method: 'cheque', reference }).success;
      expect([sent, taken], JSON.stringify(reference)).toEqual(typed.includes(reference) ? [true, true] : [false, false]);
    }
  });
});

describe('the staff invoice page’s form for a payment taken at the clinic', () => {
  const balance = { amount: 17_500, currency: 'USD' };

  it('offers exactly the ways the API records', () => {
    expect([...DESK_METHODS].sort()).toEqual([...DESK_PAYMENT_METHODS].sort());
  });

  it('lets through exactly what the API takes, with and without a reference', () => {
    const cases: Array<[string, string]> = [
      ['cash', ''],
      ['cash', 'R-77'],
      ['cash', 'receipt'],
      ['cheque', ''],
      ['cheque', 'CHQ-1042'],
      ['cheque', 'CHQ 1042'],
      ['card_terminal', 'SLIP-0042'],
      ['bank_transfer', ''],
      ['other', 'Ada Lovelace'],
    ];
    for (const [method, reference] of cases) {
      const sent = checkDeskPayment({ amount: '175.00', method: method as 'cash', reference }, balance, []).record;
      const taken = deskPaymentSchema.safeParse({ amount: 17_500, method, ...(reference === '' ? {} : { reference }) }).success;
      expect([sent !== undefined, taken], `${method} ${JSON.stringify(reference)}`).toEqual([taken, taken]);
      if (sent) expect(deskPaymentSchema.safeParse(sent).success).toBe(true);
    }
  });
});

describe('the video room link on the practitioners’ settings', () => {
  it('sends exactly what the API takes, and nothing it refuses', () => {
    const cases = [
      'https://doxy.me/jordan-reyes',
      ' https://doxy.me/jordan-reyes ',
      'https://us02web.zoom.us/j/1234567890?pwd=abc',
      'HTTPS://Doxy.me/room',
      'http://doxy.me/jordan-reyes',
      'javascript:alert(1)',
      'doxy.me/jordan-reyes',
      'https://doxy.me/jordan reyes',
      'https://me:secret@doxy.me/room',
      'https://me@doxy.me/room',
      'https://localhost/room',
      'https://doxy./room',
      'https://[::1]/room',
      `https://a.io/${'x'.repeat(486)}`,
      `https://a.io/${'x'.repeat(487)}`,
      '',
    ];
    for (const typed of cases) {
      const sent = checkVideoRoomUrl(typed).url;
      const taken = videoRoomSchema.safeParse({ url: typed.trim() }).success && typed.trim() !== '';
      expect([sent !== undefined, taken], JSON.stringify(typed)).toEqual([taken, taken]);
      if (sent) expect(videoRoomSchema.safeParse({ url: sent }).success).toBe(true);
    }
  });
});

describe('the chart’s access log', () => {
  it('says in words every action a route records in the audit trail', () => {
    const audited = [...new Set(ROUTES.map((r) => r.audit).filter((a): a is string => a !== undefined))];
    expect(audited.length).toBeGreaterThan(20);
    for (const action of audited) expect(actionWords(action), action).not.toBe(action);
  });
});
