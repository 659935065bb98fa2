// The clearance history (docs/api.md, "Clearance history (extension)"): every clearance recorded
// for a client, newest first, through the real scheduling function on DynamoDB Local. Recording
// one writes its entry and the profile's current clearance together or not at all; the history
// goes to those who see a clearance's details on the client record (clinicians of its clinic,
// admin, the client itself), and reading it is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NOW, admin, asClient, clinician, createTestApi, finance, frontdesk, signUp, type TestApi } from '#test/helpers/api.ts';

const NYC = 'demo-nyc';
const TOR = 'demo-tor';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => api.close());

const history = (clientId: string, as = clinician()) => api.call('GET', `/v1/clients/${clientId}/clearances`, { as });
const record = (clientId: string, body: Record<string, unknown>, as = clinician()) =>
  api.call('POST', `/v1/clients/${clientId}/clearance`, { as, body });
const entryItems = async (clientId: string) =>
  (await api.items()).filter((i) => i.PK === `CLIENT#${clientId}` && String(i.SK).startsWith('CLEARANCE#'));

describe('GET /v1/clients/{clientId}/clearances', () => {
  it('two clearances recorded: two entries, newest first, each with its details and recorder; the profile holds the newer', async () => {
    const clientId = await signUp(api);
    expect(
      (await record(clientId, { status: 'not_cleared', screenedFor: ['Uncontrolled high blood pressure'], notes: 'BP 165/100' })).status,
    ).toBe(201);
    api.clock.advance(3 * 86_400_000);
    const second = await record(
      clientId,
      { status: 'cleared', screenedFor: ['Uncontrolled high blood pressure', 'Interacting medications'], validUntil: '2027-06-30' },
      admin,
    );
    expect(second.status).toBe(201);
    api.clock.set(DEFAULT_NOW);

    const res = await history(clientId);
    expect(res.status).toBe(200);
    expect(res.body).toStrictEqual({
      clearances: [
        {
          status: 'cleared',
          screenedFor: ['Uncontrolled high blood pressure', 'Interacting medications'],
          validUntil: '2027-06-30',
          notes: null,
          recordedAt: '2026-12-04T07:00:00-05:00',
          recordedBy: { id: admin.sub },
        },
        {
          status: 'not_cleared',
          screenedFor: ['Uncontrolled high blood pressure'],
          validUntil: null,
          notes: 'BP 165/100',
          recordedAt: '2026-12-01T07:00:00-05:00',
          recordedBy: { id: clinician().sub },
        },
      ],
    });
    expect(second.body.status.clearance).toMatchObject({ status: 'cleared', validUntil: '2027-06-30' });
    expect(await entryItems(clientId)).toHaveLength(2);
  });

  it('two clinicians recording in the same millisecond: both kept (no entry overwrites another)', async () => {
    const clientId = await signUp(api);
    // the clock stands still: both clearances carry the same instant
    const replies = await Promise.all([
      record(clientId, { status: 'cleared', screenedFor: ['Cardiovascular conditions'], notes: 'first' }),
      record(clientId, { status: 'not_cleared', screenedFor: ['Cardiovascular conditions'], notes: 'second' }, admin),
    ]);
    expect(replies.map((r) => r.status)).toEqual([201, 201]);
    const res = await history(clientId);
    expect(res.body.clearances.map((c: { notes: string }) => c.notes).sort()).toEqual(['first', 'second']);
    // the profile holds the one that committed last, and the history holds it too
    const current = (await api.call('GET', `/v1/clients/${clientId}`, { as: clinician() })).body.status.clearance;
    expect(res.body.clearances.map((c: { notes: string }) => c.notes)).toContain(current.notes);
  });

  it('a refused clearance writes neither the entry nor the profile', async () => {
    const clientId = await signUp(api);
    const refused = await record(clientId, { status: 'cleared', screenedFor: [], validUntil: '2026-11-30' });
    expect(refused.status).toBe(400);
    expect((await history(clientId)).body).toEqual({ clearances: [] });
    expect(await entryItems(clientId)).toEqual([]);
    expect((await api.call('GET', `/v1/clients/${clientId}`, { as: clinician() })).body.status.clearance.status).toBe('none');
  });

  it('the client reads its own; admin reads any', async () => {
    const clientId = await signUp(api);
    await record(clientId, { status: 'cleared', screenedFor: ['Interacting medications'], notes: 'ok' });
    for (const as of [asClient(clientId), admin]) {
      const res = await history(clientId, as);
      expect(res.status, as.role).toBe(200);
      expect(res.body.clearances).toHaveLength(1);
      expect(res.body.clearances[0]).toMatchObject({ screenedFor: ['Interacting medications'], notes: 'ok' });
    }
  });

  it('403 for the front desk and finance of its clinic, another clinic’s clinician and another client; nothing audited', async () => {
    const clientId = await signUp(api);
    const other = await signUp(api);
    await record(clientId, { status: 'cleared', screenedFor: ['Interacting medications'] });
    const auditBefore = (await api.items()).filter((i) => i.PK === `AUDIT#${clientId}`).length;
    for (const as of [frontdesk(NYC), finance(NYC), clinician(TOR), frontdesk(TOR), asClient(other)]) {
      const res = await history(clientId, as);
      expect(res.status, `${as.role} ${as.clinicId ?? as.clientId}`).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await api.items()).filter((i) => i.PK === `AUDIT#${clientId}`)).toHaveLength(auditBefore);
  });

  it('404 for a client that does not exist', async () => {
    const res = await history('cli_no_such_client');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('reading it is audited as a read of the client record', async () => {
    const clientId = await signUp(api);
    api.clock.advance(60_000);
    await history(clientId, asClient(clientId));
    api.clock.set(DEFAULT_NOW);
    const trail = await api.call('GET', `/v1/clients/${clientId}/audit`, { as: admin });
    const read = trail.body.entries.find((e: { action: string }) => e.action === 'clearances.read');
    expect(read).toMatchObject({
      actor: { sub: asClient(clientId).sub, roles: ['client'] },
      record: { type: 'client', id: clientId },
    });
  });
});
