// Payments on a laptop. With STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET set, the payments
// function talks to real Stripe (test mode) unchanged. Without them it runs offline: the real
// Stripe SDK is pointed at the local Stripe stub, Checkout's page is a local one, and the dev
// helpers deliver Stripe-signed events (signed with the SDK's own test helper and the local
// webhook secret) to the very webhook handler that runs on AWS.
import type { Context } from 'aws-lambda';
import { StripeGateway } from '#adapters/stripe-gateway.ts';
import { ROUTES } from '#http/routes.ts';
import { buildEvent, matchRoute, toHttpResponse } from './http-adapter.ts';
import { signEvent, startStripeStub, type StripeEvent, type StripeStub } from './stripe-stub.ts';
import type { LambdaLike } from './server.ts';

export const OFFLINE_WEBHOOK_SECRET = 'whsec_kapstone_offline_local_only';

/** How many times a sweep delivers an expiry event the webhook keeps refusing (Stripe: for up to three days). */
export const EXPIRY_DELIVERY_ATTEMPTS = 10;

/** Rounds of events that the webhook's own Stripe calls make, delivered after the events given (LocalPayments.deliver). */
const API_EVENT_ROUNDS = 5;

export interface DeliveredEvent {
  type: string;
  status: number;
  body: unknown;
}

export interface LocalPayments {
  mode: 'offline' | 'stripe';
  gateway: StripeGateway;
  /** Offline only. */
  stub?: StripeStub;
  /**
   * Signs each event and hands it to the payments function's webhook route, in order; then the
   * events the webhook's calls to the stub made (StripeStub.takeApiEvents: an invoice it paid), as
   * Stripe sends them after answering.
   */
  deliver(events: StripeEvent[], handler: LambdaLike): Promise<DeliveredEvent[]>;
  /**
   * The sweep of expired Checkout Sessions (offline; nothing with real Stripe, which sends its own):
   * the stub's checkout.session.expired events not delivered yet (StripeStub.takeExpiryEvents),
   * and those the webhook refused (any answer but 2xx) on an earlier sweep, first: as Stripe
   * retries a delivery, up to EXPIRY_DELIVERY_ATTEMPTS times, then gives it up. The local server
   * runs it on its job timer and before the offline Checkout helpers answer.
   */
  deliverExpiries(handler: LambdaLike): Promise<DeliveredEvent[]>;
  close(): Promise<void>;
}

export async function startLocalPayments(opts: {
  checkoutBaseUrl: string;
  env?: NodeJS.ProcessEnv;
  /** The clock the stub stamps events with and signs them at (tests run at a fixed time). */
  now?: () => number;
  /**
   * Stripe's own time, when it differs from `now`: the stub stamps its objects and events with it
   * (`npm start`: the dev clock, as Stripe's test clocks move Stripe's time), while signatures
   * keep `now` (real time, as the webhook checks them).
   */
  stripeNow?: () => number;
}): Promise<LocalPayments> {
  const env = opts.env ?? process.env;
  const webhookRoute = matchRoute(ROUTES, 'POST', '/v1/webhooks/stripe');
  if (!webhookRoute) throw new Error('no webhook route');

  const online = env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET;
  const stripeNow = opts.stripeNow ?? opts.now;
  const stub = online
    ? undefined
    : await startStripeStub({ checkoutBaseUrl: opts.checkoutBaseUrl, ...(stripeNow ? { now: stripeNow } : {}) });
  const webhookSecret = online ? env.STRIPE_WEBHOOK_SECRET! : OFFLINE_WEBHOOK_SECRET;
  const gateway = online
    ? new StripeGateway({ secretKey: env.STRIPE_SECRET_KEY!, webhookSecret })
    : new StripeGateway({
        secretKey: 'sk_test_offline',
        webhookSecret,
        host: stub!.host,
        port: stub!.port,
        protocol: 'http',
        ...(stripeNow ? { now: stripeNow } : {}),
      });

  /** Signs each event and posts it to the webhook route, in order. */
  const deliverEach = async (events: StripeEvent[], handler: LambdaLike): Promise<DeliveredEvent[]> => {
    const out: DeliveredEvent[] = [];
    for (const ev of events) {
      const { payload, header } = signEvent(ev, webhookSecret, Math.floor((opts.now ?? Date.now)() / 1000));
      const event = buildEvent(
        {
          method: 'POST',
          url: '/v1/webhooks/stripe',
          rawHeaders: [
            'content-type',
            'application/json',
            'stripe-signature',
            header,
            'user-agent',
            'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          ],
          body: Buffer.from(payload),
        },
        { match: webhookRoute },
      );
      const res = toHttpResponse(await handler(event, {} as Context));
      const text = res.body.toString('utf8');
      out.push({ type: ev.type, status: res.statusCode, body: text ? JSON.parse(text) : undefined });
    }
    return out;
  };

  /** Expiry events the webhook refused, with the number of deliveries so far: sent again on the next sweep. */
  const refused = new Map<StripeEvent, number>();
  const local: LocalPayments = {
    mode: online ? 'stripe' : 'offline',
    gateway,
    ...(stub ? { stub } : {}),
    async deliver(events, handler) {
      const out: DeliveredEvent[] = [];
      // what the webhook's own calls to Stripe made it send (an invoice paid by invoices.pay), after
      // the events given, as Stripe sends them after answering; bounded, in case a handler loops
      const queue = [...events];
      for (let round = 0; queue.length > 0 && round < API_EVENT_ROUNDS; round++) {
        const batch = queue.splice(0, queue.length);
        out.push(...(await deliverEach(batch, handler)));
        queue.push(...(stub?.takeApiEvents() ?? []));
      }
      return out;
    },
    async deliverExpiries(handler) {
      const events = [...refused.keys(), ...(stub?.takeExpiryEvents() ?? [])];
      const delivered = await local.deliver(events, handler);
      events.forEach((ev, i) => {
        const attempts = (refused.get(ev) ?? 0) + 1;
        if (delivered[i]!.status < 300 || attempts >= EXPIRY_DELIVERY_ATTEMPTS) refused.delete(ev);
        else refused.set(ev, attempts);
      });
      return delivered;
    },
    close: async () => {
      await stub?.close();
    },
  };
  return local;
}
