// A request with several problems hears of all of them (docs/api.md, "Errors": `details` lists
// each problem with its path), the rules of shared/domain that read no stored data included: a
// range's order and length, the booking grid, a program's includes, neutral names, the fee's
// currency on a new clinic, installments' coupling to the payment. Each case breaks such a rule
// and one field's own check, and expects both; a rejected write writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, finance, frontdesk, signUp, type As, type Reply, type TestApi } from '#test/helpers/api.ts';

const NYC = 'demo-nyc';

let api: TestApi;
let clientId: string;
let appointmentId: string;

const THER = 'demo-nyc-ther-1';

beforeAll(async () => {
  api = await createTestApi({ payments: true });
  clientId = await signUp(api, { rideHome: { name: 'Pat', phone: '+12125550199' } });
  const res = await api.call('POST', '/v1/appointments', {
    as: frontdesk(),
    body: { clinicId: NYC, clientId, providerId: THER, service: 'preparation', mode: 'in_person', startsAt: '2026-12-08T10:00:00-05:00' },
  });
  if (res.status !== 201) throw new Error(`fixture booking failed: ${res.status} ${JSON.stringify(res.body)}`);
  appointmentId = res.body.id;
});
afterAll(async () => api.close());

type Item = Record<string, unknown>;
const itemKey = (i: Item) => `${String(i.PK)}|${String(i.SK)}`;
const snapshot = async () => (await api.items()).sort((a, b) => itemKey(a).localeCompare(itemKey(b)));

/** A 400 whose details hold each of `expected` ({path, message}, the message a string or a pattern). */
function expectDetails(res: Reply, expected: Array<{ path: string; message: string | RegExp }>): void {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe('validation_failed');
  const details = res.body.error.details as Array<{ path: string; message: string }>;
  for (const e of expected) {
    const message = typeof e.message === 'string' ? e.message : expect.stringMatching(e.message);
    expect(details).toContainEqual({ path: e.path, message });
  }
}

async function get(path: string, query: Record<string, string>, as?: As): Promise<Reply> {
  return api.call('GET', path, { query, ...(as ? { as } : {}) });
}

/** A write refused with these details, the table left exactly as it was. */
async function refusedWrite(
  method: string,
  path: string,
  as: As,
  body: unknown,
  expected: Array<{ path: string; message: string | RegExp }>,
): Promise<void> {
  const before = await snapshot();
  const res = await api.call(method, path, { as, body });
  expectDetails(res, expected);
  expect(await snapshot()).toEqual(before);
}

const UNKNOWN = (path: string) => ({ path, message: 'Unknown field' });
const BEFORE_FROM = { path: 'to', message: 'Must not be before from' };

describe('ranges: order and length with the other problems of the query or body', () => {
  it('GET availability: an unknown service and to before from', async () => {
    const res = await get(`/v1/clinics/${NYC}/availability`, { service: 'bogus', from: '2026-12-10', to: '2026-12-01' });
    expectDetails(res, [{ path: 'service', message: /Invalid option/ }, BEFORE_FROM]);
  });

  it('GET availability: a bad mode and more than 31 days', async () => {
    const res = await get(`/v1/clinics/${NYC}/availability`, {
      service: 'preparation',
      from: '2026-12-01',
      to: '2027-01-01',
      mode: 'video',
    });
    expectDetails(res, [
      { path: 'mode', message: /Invalid option/ },
      { path: 'to', message: 'The range may cover at most 31 days' },
    ]);
  });

  it('GET /v1/invoices: an unknown status and to before from', async () => {
    const res = await get('/v1/invoices', { clinicId: NYC, from: '2026-12-31', to: '2026-01-01', status: 'bogus' }, finance());
    expectDetails(res, [{ path: 'status', message: /Invalid option/ }, BEFORE_FROM]);
  });

  it('POST exports: an unknown field and to before from, and nothing is recorded', async () => {
    await refusedWrite('POST', `/v1/clinics/${NYC}/exports`, finance(), { kind: 'ledger', from: '2026-12-31', to: '2026-01-01', x: 1 }, [
      UNKNOWN('x'),
      BEFORE_FROM,
    ]);
  });

  it('POST exports: a bad kind and more than 366 days', async () => {
    await refusedWrite('POST', `/v1/clinics/${NYC}/exports`, finance(), { kind: 'journal', from: '2025-01-01', to: '2026-12-31' }, [
      { path: 'kind', message: /Invalid input/ },
      { path: 'to', message: 'An export covers at most 366 days' },
    ]);
  });

  it('GET superbill: an unknown parameter and to before from, or more than 366 days', async () => {
    const path = `/v1/clients/${clientId}/superbill`;
    expectDetails(await get(path, { from: '2026-12-31', to: '2026-01-01', x: '1' }, finance()), [UNKNOWN('x'), BEFORE_FROM]);
    expectDetails(await get(path, { from: '2025-01-01', to: '2026-12-31', x: '1' }, finance()), [
      UNKNOWN('x'),
      { path: 'to', message: 'A superbill covers at most 366 days' },
    ]);
  });

  it('GET revenue: an unknown parameter and to before from, or more than 366 days', async () => {
    const path = `/v1/clinics/${NYC}/reports/revenue`;
    expectDetails(await get(path, { from: '2026-12-31', to: '2026-01-01', x: '1' }, finance()), [UNKNOWN('x'), BEFORE_FROM]);
    expectDetails(await get(path, { from: '2025-01-01', to: '2026-12-31', x: '1' }, finance()), [
      UNKNOWN('x'),
      { path: 'to', message: 'The range may cover at most 366 days' },
    ]);
  });
});

describe('a malformed id, date or phone number does not hold the rules across fields back', () => {
  it('GET availability: an empty providerId and to before from', async () => {
    const res = await get(`/v1/clinics/${NYC}/availability`, { service: 'intake', from: '2026-12-10', to: '2026-12-01', providerId: '' });
    expectDetails(res, [
      { path: 'providerId', message: 'Must not be empty' },
      { path: 'to', message: 'Must not be before from' },
    ]);
  });

  it('POST /v1/appointments: a client id with a space, an impossible date elsewhere, and a start off the grid', async () => {
    const body = {
      clinicId: NYC,
      clientId: 'cli 1',
      providerId: THER,
      service: 'preparation',
      startsAt: '2026-12-07T09:07:00-05:00',
      mode: 'in_person',
    };
    await refusedWrite('POST', '/v1/appointments', frontdesk(), body, [
      { path: 'clientId', message: /Must be an id/ },
      { path: 'startsAt', message: 'Must be on a 15-minute boundary' },
    ]);
  });

  it('POST client search: an empty or blank query is one problem, not also "at least 2 characters"', async () => {
    for (const q of ['', ' ']) {
      const res = await api.call('POST', `/v1/clinics/${NYC}/clients/search`, { as: frontdesk(), body: { q } });
      expectDetails(res, [{ path: 'q', message: 'Must not be empty' }]);
      expect(res.body.error.details).toHaveLength(1);
    }
  });

  it('POST exports: a malformed from date is one problem, and an unknown field beside it another', async () => {
    const res = await api.call('POST', `/v1/clinics/${NYC}/exports`, {
      as: finance(),
      body: { kind: 'ledger', from: '2026-02-30', to: '2026-03-01', x: 1 },
    });
    expectDetails(res, [{ path: 'from', message: 'Not a real calendar date' }]);
    expect((res.body.error.details as Array<{ path: string }>).filter((d) => d.path === 'from')).toHaveLength(1);
  });
});

describe('the booking grid with the other problems of the body', () => {
  const OFF_GRID = { path: 'startsAt', message: 'Must be on a 15-minute boundary' };

  it('POST /v1/appointments: a start off the grid and a bad mode, and nothing is booked', async () => {
    const body = {
      clinicId: NYC,
      clientId,
      providerId: THER,
      service: 'preparation',
      startsAt: '2026-12-07T09:07:00-05:00',
      mode: 'bogus',
    };
    await refusedWrite('POST', '/v1/appointments', frontdesk(), body, [{ path: 'mode', message: /Invalid option/ }, OFF_GRID]);
  });

  it('POST reschedule: a start off the grid and a bad provider id, and the appointment stays', async () => {
    await refusedWrite(
      'POST',
      `/v1/appointments/${appointmentId}/reschedule`,
      frontdesk(),
      { startsAt: '2026-12-08T11:07:00-05:00', providerId: 7 },
      [{ path: 'providerId', message: /expected string/ }, OFF_GRID],
    );
  });
});

describe('programs: includes and name with the other problems of the body', () => {
  const path = `/v1/clinics/${NYC}/programs`;
  const body = () => ({
    name: 'Four sessions',
    explorations: 4,
    tier: 'standard',
    includes: { preparation: 2, exploration: 4, integration: 2 },
  });

  it('a bad tier and explorations the includes do not match, and nothing is created', async () => {
    await refusedWrite('POST', path, admin, { ...body(), tier: 'gold', includes: { preparation: 2, exploration: 3, integration: 2 } }, [
      { path: 'tier', message: /Invalid option/ },
      { path: 'includes.exploration', message: 'Must equal explorations' },
    ]);
  });

  it('a name naming the treatment and a bad price', async () => {
    await refusedWrite('POST', path, admin, { ...body(), name: 'Ketamine journey', price: 0 }, [
      { path: 'price', message: /Too small/ },
      { path: 'name', message: /must not name the treatment/ },
    ]);
  });
});

describe('purchases: installment terms with the other problems of the body', () => {
  const programId = async () => {
    const res = await api.call('GET', `/v1/clinics/${NYC}/programs`);
    return (res.body as Array<{ id: string; explorations: number; tier: string }>).find(
      (p) => p.explorations === 4 && p.tier === 'standard',
    )!.id;
  };

  it('terms for a payment in full, and an unknown field: both, and nothing is bought', async () => {
    const body = {
      clientId,
      programId: await programId(),
      payment: 'pay_in_full',
      installments: { count: 3, downPaymentPercent: 20 },
      x: 1,
    };
    await refusedWrite('POST', '/v1/packages', frontdesk(), body, [
      UNKNOWN('x'),
      { path: 'installments', message: 'Only for payment "installments"' },
    ]);
  });

  it('installments without terms, and a bad program id: both', async () => {
    await refusedWrite('POST', '/v1/packages', frontdesk(), { clientId, programId: 7, payment: 'installments' }, [
      { path: 'programId', message: /expected string/ },
      { path: 'installments', message: 'Required for installments' },
    ]);
  });
});

describe('clinics: names, the fee currency and the address with the other problems of the body', () => {
  const clinic = () => ({ name: 'Prairie Clinic', timezone: 'America/Chicago', currency: 'USD', country: 'US' });
  const caProfile = () => ({
    legalName: 'Harbour Therapy Inc.',
    address: { line1: '200 Queens Quay West', city: 'Toronto', region: 'ON', postalCode: 'M5J 2Y5', country: 'CA' },
    phone: '+14165550142',
    taxId: '123456782RT0001',
  });
  const DENIED_NAME = { path: 'name', message: /must not name the treatment/ };

  it('POST: a name naming the treatment and an unknown currency, and nothing is created', async () => {
    await refusedWrite('POST', '/v1/clinics', admin, { ...clinic(), name: 'Ketamine Place', currency: 'EUR' }, [
      DENIED_NAME,
      { path: 'currency', message: /Invalid option/ },
    ]);
  });

  it('POST: an SMS name an SMS may not carry and a bad country', async () => {
    await refusedWrite('POST', '/v1/clinics', admin, { ...clinic(), smsName: 'Ketamine Now', country: 'FR' }, [
      { path: 'smsName', message: /Must not name the treatment/ },
      { path: 'country', message: /Invalid option/ },
    ]);
  });

  it('POST: a fee in another currency than the clinic’s and another bad policy field', async () => {
    const policy = { lateCancellationFee: { amount: 5000, currency: 'CAD' }, minimumNoticeHours: -1 };
    await refusedWrite('POST', '/v1/clinics', admin, { ...clinic(), policy }, [
      { path: 'policy.minimumNoticeHours', message: /Too small/ },
      { path: 'policy.lateCancellationFee.currency', message: "Must be the clinic's currency (USD)" },
    ]);
  });

  it('PATCH: a name naming the treatment and a bad policy field, and the clinic stays', async () => {
    await refusedWrite('PATCH', `/v1/clinics/${NYC}`, admin, { name: 'Ketamine Place', policy: { bookingWindowDays: 0 } }, [
      DENIED_NAME,
      { path: 'policy.bookingWindowDays', message: /Too small/ },
    ]);
  });

  it('PATCH billing: a legal name naming the treatment and a bad phone', async () => {
    await refusedWrite(
      'PATCH',
      '/v1/clinics/demo-tor',
      admin,
      { billing: { ...caProfile(), legalName: 'Ketamine Clinic Inc.', phone: 5 } },
      [
        { path: 'billing.legalName', message: /Printed on receipts/ },
        { path: 'billing.phone', message: /expected string/ },
      ],
    );
  });

  it('PATCH billing: a region and postal code not of the country, and a bad city', async () => {
    const address = { ...caProfile().address, region: 'NY', postalCode: '10001', city: 5 };
    await refusedWrite('PATCH', '/v1/clinics/demo-tor', admin, { billing: { ...caProfile(), address } }, [
      { path: 'billing.address.city', message: /expected string/ },
      { path: 'billing.address.region', message: 'Not a Canadian province or territory' },
      { path: 'billing.address.postalCode', message: 'Must be a Canadian postal code, e.g. M5V 2T6' },
    ]);
  });

  it('PATCH billing: of a country that is none, a region and postal code of neither US nor Canada are reported', async () => {
    const address = { ...caProfile().address, country: 'FR', region: 'ZZ', postalCode: 'ABCDE' };
    await refusedWrite('PATCH', '/v1/clinics/demo-tor', admin, { billing: { ...caProfile(), address } }, [
      { path: 'billing.address.country', message: /Invalid option/ },
      { path: 'billing.address.region', message: 'Not a US state or Canadian province or territory' },
      { path: 'billing.address.postalCode', message: 'Must be a ZIP code (10001, 10001-1234) or a Canadian postal code (M5V 2T6)' },
    ]);
  });
});
