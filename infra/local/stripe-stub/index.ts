// The local Stripe stub: see infra/local/stripe-stub.ts for what it answers and the events it makes.
// This module starts one (state, endpoints, HTTP server) and hands out its test controls.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import type { StripeEvent, StripeObject, StripeStub, StripeStubOptions } from './types.ts';
import { StubStore } from './store.ts';
import { FailureQueue } from './failures.ts';
import { stubRoutes } from './routes.ts';
import { answer, stubHttpHandler } from './http.ts';
import { completeCheckout } from './checkout.ts';
import { expireIfDue, takeExpiryEvents } from './expiry.ts';
import { chargeNextInstallment } from './invoices.ts';
import { refundEvents } from './refunds.ts';
import { clone } from './util.ts';

export * from './types.ts';
export { decodeForm } from './form.ts';

/** Signs an event as Stripe would deliver it: the JSON body and its Stripe-Signature header. */
export function signEvent(
  event: StripeEvent | StripeObject,
  webhookSecret: string,
  timestamp?: number,
): { payload: string; header: string } {
  const payload = JSON.stringify(event, null, 2);
  const header = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: webhookSecret,
    ...(timestamp !== undefined ? { timestamp } : {}),
  });
  return { payload, header };
}

export async function startStripeStub(opts: StripeStubOptions): Promise<StripeStub> {
  const store = new StubStore(opts.now ?? Date.now, opts.checkoutBaseUrl.replace(/\/+$/, ''));
  const failures = new FailureQueue();
  const requests: StripeStub['requests'] = [];
  const handle = stubHttpHandler({ routes: stubRoutes(store), failures, requests });
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        answer(res, 500, {
          error: { type: 'api_error', message: `Stub failure: ${error instanceof Error ? error.message : String(error)}` },
        });
      } else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = '127.0.0.1';

  return {
    url: `http://${host}:${port}`,
    host,
    port,
    requests,
    completeCheckout: (sessionId, outcome, o) => completeCheckout(store, sessionId, outcome, o),
    takeExpiryEvents: () => takeExpiryEvents(store),
    takeApiEvents: () => store.apiEvents.splice(0, store.apiEvents.length),
    chargeNextInstallment: (scheduleId, outcome) => chargeNextInstallment(store, scheduleId, outcome),
    refundEvents: (refundId, outcome) => refundEvents(store, refundId, outcome),
    retrieve: (id) => {
      expireIfDue(store, id);
      const o = store.find(id);
      return o ? clone(o) : undefined;
    },
    list: (objectName) => store.list(objectName),
    injectFailure: (failure) => failures.add(failure),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
