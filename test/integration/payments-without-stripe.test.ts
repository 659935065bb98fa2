// The payments routes functions/payments/handler.ts serves without Stripe (WITHOUT_STRIPE, no SDK
// loaded and no secret read on their cold start): each is a declared payments route, and each
// works when the app's gateway refuses every call. A route in the list that reached Stripe would
// fail here, not on AWS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { admin, asClient, createTestApi, frontdesk, signUp, type TestApi } from '#test/helpers/api.ts';
import { apiEvent, type EventOptions } from '#test/helpers/events.ts';
import { ROUTES, routeKey } from '#http/routes.ts';
import { gatewayRefusing } from '#adapters/stripe-on-demand.ts';
import { createPaymentsHandler } from '#functions/payments/app.ts';
import { WITHOUT_STRIPE } from '#functions/payments/without-stripe.ts';

let api: TestApi;
let withoutStripe: ReturnType<typeof createPaymentsHandler>;
beforeAll(async () => {
  api = await createTestApi({ payments: true });
  withoutStripe = createPaymentsHandler({
    doc: api.table.doc,
    tableName: api.table.tableName,
    clock: api.clock,
    logger: new Logger({ serviceName: 'test', logLevel: 'CRITICAL' }),
    gateway: gatewayRefusing('a route in WITHOUT_STRIPE used Stripe'),
    appBaseUrl: 'http://localhost:3000',
  });
});
afterAll(async () => api.close());

/** A call to the Stripe-free app, as API Gateway would make it. */
async function call(method: string, path: string, o: EventOptions = {}): Promise<{ status: number; body: any; routeKey: string }> {
  const built = apiEvent(method, path, o);
  if (!built) throw new Error(`no route ${method} ${path}`);
  const res = await withoutStripe(built.event, {} as Context);
  return { status: res.statusCode ?? 0, body: res.body ? JSON.parse(res.body) : undefined, routeKey: built.event.routeKey };
}

describe('payments routes served without Stripe', () => {
  it('are declared payments routes', () => {
    const payments = new Set(ROUTES.filter((r) => r.fn === 'payments').map(routeKey));
    expect([...WITHOUT_STRIPE].filter((k) => !payments.has(k))).toEqual([]);
  });

  it('each answers with a gateway that refuses every call', async () => {
    const served = new Set<string>();
    const listed = await call('GET', '/v1/clinics/demo-nyc/programs');
    expect(listed.status).toBe(200);
    served.add(listed.routeKey);

    const created = await call('POST', '/v1/clinics/demo-nyc/programs', {
      as: admin,
      body: {
        name: 'Care program 2 - short',
        explorations: 2,
        tier: 'standard',
        includes: { preparation: 2, exploration: 2, integration: 2 },
        price: 150_000,
      },
    });
    expect(created.status).toBe(201);
    served.add(created.routeKey);

    const retired = await call('POST', `/v1/clinics/demo-nyc/programs/${created.body.id}/retire`, { as: admin, body: {} });
    expect(retired.status).toBe(200);
    served.add(retired.routeKey);

    // a package bought through the app with the (stubbed) Stripe gateway, read through this one
    const clientId = await signUp(api);
    const programId = listed.body.find((p: { explorations: number; tier: string }) => p.explorations === 4 && p.tier === 'standard').id;
    const bought = await api.call('POST', '/v1/packages', {
      as: asClient(clientId),
      body: { clientId, programId, payment: 'pay_in_full' },
    });
    expect(bought.status).toBe(201);
    const read = await call('GET', `/v1/packages/${bought.body.package.id}`, { as: asClient(clientId) });
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(bought.body.package.id);
    served.add(read.routeKey);
    const preview = await call('GET', `/v1/packages/${bought.body.package.id}/cancel-preview`, { as: frontdesk() });
    expect([preview.status, preview.body.refund.amount]).toEqual([200, 0]);
    served.add(preview.routeKey);

    expect([...served].sort()).toEqual([...WITHOUT_STRIPE].sort());
  });

  it('a route that does reach Stripe fails in that app (so the test above would catch one listed wrongly)', async () => {
    const clientId = await signUp(api);
    const programId = (await call('GET', '/v1/clinics/demo-nyc/programs')).body[0].id;
    const res = await call('POST', '/v1/packages', { as: asClient(clientId), body: { clientId, programId, payment: 'pay_in_full' } });
    expect(WITHOUT_STRIPE.has(res.routeKey)).toBe(false);
    expect(res.status).toBe(500);
  });
});
