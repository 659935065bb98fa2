// Clinic names reach SMS, receipts and card statements: a treatment, drug, dosing or diagnosis word
// in one is a 400 on `name`, on create and on PATCH, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestApi, type TestApi } from '#test/helpers/api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => api.close());

const body = (name: string) => ({ name, timezone: 'America/Chicago', currency: 'USD', country: 'US' });

const DENIED = [
  'Hudson Psychiatry',
  'K-assisted therapy center',
  'Brooklyn Ketamine Center',
  'Ｋｅｔａｍｉｎｅ Care', // full-width
  'k e t a m i n e care',
  'Center for Depression & Anxiety',
  'Hudson Mental Health',
  'KAP Collective',
];

describe('clinic names', () => {
  it.each(DENIED)('POST /v1/clinics with %j → 400 on name, nothing written', async (name) => {
    const before = (await api.items()).length;
    const res = await api.call('POST', '/v1/clinics', { as: admin, body: body(name) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details).toEqual([{ path: 'name', message: expect.any(String) }]);
    expect(JSON.stringify(res.body).toLowerCase()).not.toMatch(/ketamine|psychiatr|depression/);
    expect((await api.items()).length).toBe(before);
  });

  it.each(DENIED)('PATCH /v1/clinics/{id} with %j → 400 on name, the name unchanged', async (name) => {
    const res = await api.call('PATCH', '/v1/clinics/demo-nyc', { as: admin, body: { name } });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'name', message: expect.any(String) }]);
    expect((await api.call('GET', '/v1/clinics/demo-nyc')).body.name).toBe('Hudson Wellness (demo)');
  });

  it('an SMS name (smsName) must be one an SMS may carry as written: no service word, GSM-7, at most 40 characters', async () => {
    const before = (await api.items()).length;
    for (const smsName of ['Prairie Therapy', 'Prairie ✓', 'x'.repeat(41)]) {
      const res = await api.call('POST', '/v1/clinics', { as: admin, body: { ...body('Prairie Counselling & Therapy'), smsName } });
      expect([res.status, res.body.error.details.map((d: { path: string }) => d.path)], smsName).toEqual([400, ['smsName']]);
      const patched = await api.call('PATCH', '/v1/clinics/demo-tor', { as: admin, body: { smsName } });
      expect([patched.status, patched.body.error.details.map((d: { path: string }) => d.path)], smsName).toEqual([400, ['smsName']]);
    }
    expect((await api.items()).length).toBe(before);
    const created = await api.call('POST', '/v1/clinics', {
      as: admin,
      body: { ...body('Prairie Counselling & Therapy'), smsName: 'Prairie' },
    });
    expect([created.status, created.body.smsName]).toEqual([201, 'Prairie']);
    expect((await api.call('GET', `/v1/clinics/${created.body.id}`)).body.smsName).toBe('Prairie');
    // the demo clinic whose name says "Therapy" is seeded with one
    expect((await api.call('GET', '/v1/clinics/demo-tor')).body.smsName).toBe('Lakeshore (demo)');
  });

  it('neutral names, "Therapy" and "Counselling" included, are accepted', async () => {
    const created = await api.call('POST', '/v1/clinics', { as: admin, body: body('Prairie Counselling & Therapy') });
    expect(created.status).toBe(201);
    const patched = await api.call('PATCH', '/v1/clinics/demo-tor', { as: admin, body: { name: 'Lakeshore Therapy (demo)' } });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe('Lakeshore Therapy (demo)');
    // a PATCH of the policy alone does not re-check (or need) a name
    const policy = await api.call('PATCH', '/v1/clinics/demo-nyc', { as: admin, body: { policy: { minimumNoticeHours: 24 } } });
    expect(policy.status).toBe(200);
  });
});
