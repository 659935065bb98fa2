// The scheduling function (and, on request, the payments function with the real Stripe SDK
// against the local Stripe stub, as in test/helpers/api.ts) on its own DynamoDB Local (in
// memory), called with API Gateway v2 events built the way the local server and the tests build
// them (test/helpers/api.ts, copied here because that file pulls in vitest). The document
// client's `send` is wrapped so that the benchmark can see every DynamoDB call a request makes.
import { performance } from 'node:perf_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { fixedClock } from '#adapters/clock.ts';
import { createDocumentClient } from '#db/client.ts';
import { createTable } from '#db/create-table.ts';
import { createSchedulingHandler } from '#functions/scheduling/app.ts';
import { createPaymentsHandler } from '#functions/payments/app.ts';
import { createBillingHandler } from '#functions/billing/app.ts';
import type { ApiEvent } from '#http/api.ts';
import { startDynamoLocal, type DynamoLocal } from '#infra/local/dynamo.ts';
import { startLocalPayments, type LocalPayments } from '#infra/local/payments.ts';
import type { LambdaLike } from '#infra/local/server.ts';
import { apiEvent, type As } from '../helpers/events.ts';
import { seedDemoData } from '#infra/local/seed.ts';

export type { As };

export interface Reply {
  status: number;
  /** The parsed JSON body (parsed on first access, so never inside a timed section). */
  readonly body: any;
}

/** One DynamoDB call seen by the wrapped `send`. */
export interface CallRecord {
  command: string;
  /** performance.now() when the call was sent and when it settled. */
  start: number;
  end: number;
  ms: number;
  /** A deep copy of the command's input, only while `capture` is on. */
  input?: unknown;
}

export interface BenchApi {
  endpoint: string;
  tableName: string;
  doc: DynamoDBDocumentClient;
  /** An API Gateway v2 event for a request, built ahead of time so that building it is not timed. */
  event(method: string, path: string, opts?: { as?: As; body?: unknown; headers?: Record<string, string> }): ApiEvent;
  /** Runs the handler on a prepared event. */
  invoke(event: ApiEvent): Promise<Reply>;
  call(method: string, path: string, opts?: { as?: As; body?: unknown; headers?: Record<string, string> }): Promise<Reply>;
  /** Calls made through the document client since the last `takeCalls`. */
  takeCalls(): CallRecord[];
  capture: boolean;
  /** The functions' clock, fixed at BENCH_NOW: move it to act after an appointment's start (complete, no-show). */
  clock: ReturnType<typeof fixedClock>;
  /** With startBenchApi({ payments: true }): the offline payments (Stripe stub, signed delivery) and the payments handler. */
  payments?: { local: LocalPayments; handler: LambdaLike };
  close(): Promise<void>;
}

/** 2026-12-01 12:00 UTC, a Tuesday (the tests' fixed "now"). */
export const BENCH_NOW = Date.parse('2026-12-01T12:00:00Z');

type Send = (command: { input: unknown; constructor: { name: string } }, ...rest: unknown[]) => Promise<unknown>;

export async function startBenchApi(opts: { payments?: boolean } = {}): Promise<BenchApi> {
  const dynamo: DynamoLocal = await startDynamoLocal();
  let raw: DynamoDBClient | undefined;
  let doc: DynamoDBDocumentClient | undefined;
  let localPayments: LocalPayments | undefined;
  try {
    raw = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const tableName = 'bench';
    await createTable(raw, tableName);
    doc = createDocumentClient({ region: 'local', endpoint: dynamo.endpoint });

    // Count and time every call. The same wrapper sits under the booking and the raw case, so
    // its (tiny) cost is on both sides of the ratio.
    let calls: CallRecord[] = [];
    const target = doc as unknown as { send: Send };
    const send: Send = target.send.bind(doc);
    const api: BenchApi = {
      endpoint: dynamo.endpoint,
      tableName,
      doc,
      capture: false,
      clock: fixedClock(BENCH_NOW),
      event,
      invoke,
      call: (method, path, opts) => invoke(event(method, path, opts)),
      takeCalls: () => {
        const out = calls.sort((a, b) => a.start - b.start); // in the order they were sent
        calls = [];
        return out;
      },
      close: async () => {
        await localPayments?.close().catch(() => undefined);
        doc?.destroy();
        raw?.destroy();
        await dynamo.stop();
      },
    };
    target.send = async (command, ...rest) => {
      const input = api.capture ? structuredClone(command.input) : undefined;
      const start = performance.now();
      try {
        return await send(command, ...rest);
      } finally {
        const end = performance.now();
        calls.push({ command: command.constructor.name, start, end, ms: end - start, ...(api.capture ? { input } : {}) });
      }
    };

    const clock = api.clock;
    const deps = { doc, tableName, clock };
    await seedDemoData(deps);
    const logger = new Logger({ serviceName: 'bench', logLevel: 'CRITICAL' });
    const handler = createSchedulingHandler({ ...deps, logger });
    const billingHandler = createBillingHandler({ ...deps, logger });
    if (opts.payments) {
      // env {}: always the offline stub, never real Stripe, whatever STRIPE_* the shell has set;
      // events are stamped and signed at the fixed clock the handler verifies them against.
      localPayments = await startLocalPayments({
        checkoutBaseUrl: 'http://localhost:3000/v1/dev/checkout',
        env: {},
        now: () => clock.now(),
      });
      const paymentsHandler = createPaymentsHandler({
        ...deps,
        logger,
        gateway: localPayments.gateway,
        appBaseUrl: 'http://localhost:3000',
      });
      api.payments = { local: localPayments, handler: paymentsHandler };
    }
    const handlers = new WeakMap<ApiEvent, LambdaLike>();
    const context = {} as Context;

    function event(method: string, path: string, o: { as?: As; body?: unknown; headers?: Record<string, string> } = {}): ApiEvent {
      const built = apiEvent(method, path, o);
      if (!built) throw new Error(`no route for ${method} ${path}`);
      const e = built.event;
      if (built.fn === 'payments') {
        if (!api.payments) throw new Error(`${method} ${path} is a payments route: startBenchApi({ payments: true })`);
        handlers.set(e, api.payments.handler);
      }
      if (built.fn === 'billing') handlers.set(e, billingHandler);
      return e;
    }

    async function invoke(e: ApiEvent): Promise<Reply> {
      const fn = handlers.get(e) ?? handler;
      const res = (await fn(e, context)) as APIGatewayProxyStructuredResultV2;
      const text = typeof res.body === 'string' ? res.body : '';
      return {
        status: res.statusCode ?? 0,
        get body() {
          return text === '' ? undefined : JSON.parse(text);
        },
      };
    }

    return api;
  } catch (err) {
    await localPayments?.close().catch(() => undefined);
    doc?.destroy();
    raw?.destroy();
    await dynamo.stop();
    throw err;
  }
}
