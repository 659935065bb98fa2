// Scenario helpers: the scheduling and billing functions (and, on request, payments) on a fresh
// DynamoDB Local table with a fixed clock, seeded with the demo clinics, called with API Gateway v2
// events exactly as the local server and AWS build them.
import { Logger } from '@aws-lambda-powertools/logger';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { fixedClock } from '#adapters/clock.ts';
import { createSchedulingHandler } from '#functions/scheduling/app.ts';
import type { FunctionName } from '#http/routes.ts';
import { apiEvent, type As, type EventOptions } from './events.ts';
import { seedDemoData } from '#infra/local/seed.ts';
import { createPaymentsHandler } from '#functions/payments/app.ts';
import { createBillingHandler } from '#functions/billing/app.ts';
import { startLocalPayments, type DeliveredEvent, type LocalPayments } from '#infra/local/payments.ts';
import type { StripeEvent } from '#infra/local/stripe-stub.ts';
import { createTestTable, type TestTable } from './db.ts';

export type { As };
export type CallOptions = EventOptions;

export interface Reply {
  status: number;
  /** Parsed JSON; the bytes (a Buffer) of a binary answer (isBase64Encoded, e.g. a PDF). */
  body: any;
  headers: Record<string, string>;
}

/** 2026-12-01 12:00 UTC, a Tuesday: 07:00 in New York and Toronto. */
export const DEFAULT_NOW = Date.parse('2026-12-01T12:00:00Z');

export const admin: As = { role: 'admin', sub: 'admin-1' };
export const frontdesk = (clinicId = 'demo-nyc'): As => ({ role: 'frontdesk', clinicId, sub: `fd-${clinicId}` });
export const clinician = (clinicId = 'demo-nyc'): As => ({ role: 'clinician', clinicId, sub: `doc-${clinicId}` });
export const finance = (clinicId = 'demo-nyc'): As => ({ role: 'finance', clinicId, sub: `fin-${clinicId}` });
export const asClient = (clientId: string): As => ({ role: 'client', clientId, sub: `sub-${clientId}` });

export interface TestApi {
  table: TestTable;
  /** The Stripe stub and the event delivery of the offline payments (createTestApi({ payments: true })). */
  payments?: LocalPayments;
  /** Signs the events and posts them to the payments function's webhook, in order. */
  deliver(events: StripeEvent[]): Promise<DeliveredEvent[]>;
  /** The local server's sweep of expired Checkout Sessions, once, now (LocalPayments.deliverExpiries). */
  deliverExpiries(): Promise<DeliveredEvent[]>;
  clock: ReturnType<typeof fixedClock>;
  call(method: string, path: string, opts?: CallOptions): Promise<Reply>;
  /** Every item in the table: tests only, to prove a rejected request wrote nothing. */
  items(): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function createTestApi(opts: { now?: number; seed?: boolean; payments?: boolean } = {}): Promise<TestApi> {
  const table = await createTestTable();
  const clock = fixedClock(opts.now ?? DEFAULT_NOW);
  const deps = { doc: table.doc, tableName: table.tableName, clock };
  if (opts.seed !== false) await seedDemoData(deps);
  const logger = new Logger({ serviceName: 'test', logLevel: (process.env.TEST_LOG_LEVEL as 'ERROR') ?? 'CRITICAL' });
  const scheduling = createSchedulingHandler({ ...deps, logger });
  // the real Stripe SDK, its HTTP answered by the local stub (never Stripe's servers)
  const payments = opts.payments
    ? await startLocalPayments({ checkoutBaseUrl: 'http://localhost:3000/v1/dev/checkout', env: {}, now: () => clock.now() })
    : undefined;
  const paymentsHandler = payments
    ? createPaymentsHandler({ ...deps, logger, gateway: payments.gateway, appBaseUrl: 'http://localhost:3000' })
    : undefined;
  const billing = createBillingHandler({ ...deps, logger });
  const handlerFor = (fn: FunctionName) => {
    switch (fn) {
      case 'payments':
        if (!paymentsHandler) throw new Error('createTestApi({ payments: true }) for payment routes');
        return paymentsHandler;
      case 'billing':
        return billing;
      case 'scheduling':
        return scheduling;
    }
  };

  const call = async (method: string, path: string, o: CallOptions = {}): Promise<Reply> => {
    const built = apiEvent(method, path, o);
    if (!built) return { status: 404, body: { error: { code: 'not_found', message: 'No such route' } }, headers: {} };
    const { event } = built;
    const res = await handlerFor(built.fn)(event, {} as Context);
    const text = typeof res.body === 'string' ? res.body : '';
    return {
      status: res.statusCode ?? 0,
      body: res.isBase64Encoded ? Buffer.from(text, 'base64') : text === '' ? undefined : JSON.parse(text),
      headers: (res.headers ?? {}) as Record<string, string>,
    };
  };

  const items = async () => {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await table.doc.send(new ScanCommand({ TableName: table.tableName, ExclusiveStartKey: start, ConsistentRead: true }));
      out.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  };

  const deliver = async (events: StripeEvent[]) => {
    if (!payments || !paymentsHandler) throw new Error('createTestApi({ payments: true }) to deliver events');
    return payments.deliver(events, paymentsHandler);
  };
  const deliverExpiries = async () => {
    if (!payments || !paymentsHandler) throw new Error('createTestApi({ payments: true }) to deliver events');
    return payments.deliverExpiries(paymentsHandler);
  };

  return {
    table,
    clock,
    ...(payments ? { payments } : {}),
    deliver,
    deliverExpiries,
    call,
    items,
    close: async () => {
      await payments?.close();
      await table.drop();
    },
  };
}

/** A client of the clinic, registered through the API by its front desk. */
export async function signUp(api: TestApi, overrides: Record<string, unknown> = {}): Promise<string> {
  const n = Math.random().toString(36).slice(2, 8);
  const clinicId = typeof overrides.clinicId === 'string' ? overrides.clinicId : 'demo-nyc';
  const res = await api.call('POST', '/v1/clients', {
    as: frontdesk(clinicId),
    body: {
      clinicId: 'demo-nyc',
      firstName: 'Test',
      lastName: `Person${n}`,
      email: `person.${n}@example.com`,
      phone: '+12125550123',
      dateOfBirth: '1985-04-12',
      smsConsent: true,
      ...overrides,
    },
  });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}
