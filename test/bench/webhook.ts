// Stripe's checkout.session.completed through the payments function's webhook route, on the same
// DynamoDB Local as the booking cases.
//
// For every package: the client buys it (POST /v1/packages, pay in full: the real Stripe SDK
// creates a Checkout Session on the local Stripe stub), the stub completes the checkout as paid
// and returns the one event Stripe would send, and that event is delivered ONCE the way Stripe
// delivers it (infra/local/payments.ts `deliver`: signed with the webhook secret, posted to
// POST /v1/webhooks/stripe). Only the payments handler's run on that delivery is timed: signature
// verification, the event claim, reading and updating the package, marking the event done.
// Signing the event and building the API Gateway event are Stripe's and API Gateway's work; the
// whole `deliver` call is reported apart, in a note. Afterwards (not timed) the package must read
// back as active: any other status, or a delivery answered other than 200 'processed', fails the
// bench.
import { performance } from 'node:perf_hooks';
import type { Context } from 'aws-lambda';
import type { ApiEvent } from '#http/api.ts';
import type { LambdaLike } from '#infra/local/server.ts';
import type { As, BenchApi, CallRecord } from './harness.ts';
import { createClients, CLINIC, FRONTDESK } from './booking.ts';
import { summarize, type Summary } from './stats.ts';

export interface WebhookResult {
  handler: Summary;
  /** The whole `deliver` call: signing, event building, the handler, reading the reply. */
  deliver: Summary;
  /** DynamoDB calls of each measured delivery. */
  calls: CallRecord[][];
  /** Handler ms of each measured delivery, in the order of `calls`. */
  handlerMs: number[];
  purchaseS: number;
  phaseS: number;
  warmup: number;
  programName: string;
  amount: string;
}

const asClient = (clientId: string): As => ({ role: 'client', clientId, sub: `sub-${clientId}` });

export async function benchWebhook(api: BenchApi, warmup: number, n: number): Promise<WebhookResult> {
  const payments = api.payments;
  if (!payments) throw new Error('webhook bench needs startBenchApi({ payments: true })');
  const started = performance.now();
  const stub = payments.local.stub;
  if (!stub) throw new Error('webhook bench needs the offline Stripe stub');

  const programs = await api.call('GET', `/v1/clinics/${CLINIC}/programs`);
  if (programs.status !== 200) throw new Error(`GET programs answered ${programs.status}: ${JSON.stringify(programs.body)}`);
  const program = (
    programs.body as Array<{ id: string; name: string; explorations: number; tier: string; price: { amount: number; currency: string } }>
  ).find((p) => p.explorations === 4 && p.tier === 'standard');
  if (!program) throw new Error(`${CLINIC} offers no 4-exploration standard program`);

  const clients = await createClients(api, warmup + n, 'w');

  // The handler, timed around its own run only (deliver calls it once per event).
  let handlerMs: number;
  const timed: LambdaLike = async (event: ApiEvent, context: Context) => {
    const t0 = performance.now();
    try {
      return await payments.handler(event, context);
    } finally {
      handlerMs = performance.now() - t0;
    }
  };

  const handlerTimes: number[] = [];
  const deliverTimes: number[] = [];
  const calls: CallRecord[][] = [];
  let purchaseMs = 0;

  for (let i = 0; i < warmup + n; i++) {
    const clientId = clients[i]!;
    const measured = i >= warmup;

    // Buy (not timed).
    const t0 = performance.now();
    const bought = await api.call('POST', '/v1/packages', {
      as: asClient(clientId),
      body: { clientId, programId: program.id, payment: 'pay_in_full' },
    });
    purchaseMs += performance.now() - t0;
    if (bought.status !== 201) throw new Error(`purchase ${i} answered ${bought.status}: ${JSON.stringify(bought.body)}`);
    const packageId = bought.body.package.id as string;
    const sessionId = bought.body.checkoutSessionId as string;
    if (bought.body.package.status !== 'pending_payment')
      throw new Error(`package ${packageId} starts ${bought.body.package.status}, not pending_payment`);

    const events = stub.completeCheckout(sessionId, 'paid');
    if (events.length !== 1 || events[0]!.type !== 'checkout.session.completed') {
      throw new Error(
        `completing ${sessionId} gave ${events.map((e) => e.type).join(', ') || 'no event'}, not one checkout.session.completed`,
      );
    }

    // One delivery (the handler's part timed).
    api.takeCalls();
    handlerMs = Number.NaN;
    const d0 = performance.now();
    const delivered = await payments.local.deliver(events, timed);
    const deliverMs = performance.now() - d0;
    const dbCalls = api.takeCalls();
    const reply = delivered[0];
    if (
      delivered.length !== 1 ||
      !reply ||
      reply.status !== 200 ||
      (reply.body as { status?: string } | undefined)?.status !== 'processed'
    ) {
      throw new Error(`delivery ${i} (package ${packageId}) answered ${reply?.status}: ${JSON.stringify(reply?.body)}`);
    }
    if (!Number.isFinite(handlerMs)) throw new Error(`delivery ${i} did not go through the payments handler`);

    // The state change (not timed).
    const pkg = await api.call('GET', `/v1/packages/${packageId}`, { as: FRONTDESK });
    if (pkg.status !== 200) throw new Error(`GET package ${packageId} answered ${pkg.status}: ${JSON.stringify(pkg.body)}`);
    const after = pkg.body as { status: string; payments?: Array<{ status: string }> };
    if (after.status !== 'active') throw new Error(`package ${packageId} is ${after.status} after checkout.session.completed, not active`);
    if (!after.payments?.some((p) => p.status === 'succeeded'))
      throw new Error(`package ${packageId} is active without a succeeded payment`);

    if (measured) {
      handlerTimes.push(handlerMs);
      deliverTimes.push(deliverMs);
      calls.push(dbCalls);
    }
  }

  return {
    handler: summarize(handlerTimes),
    deliver: summarize(deliverTimes),
    calls,
    handlerMs: handlerTimes,
    purchaseS: purchaseMs / 1000,
    phaseS: (performance.now() - started) / 1000,
    warmup,
    programName: program.name,
    amount: `${(program.price.amount / 100).toFixed(2)} ${program.price.currency}`,
  };
}
