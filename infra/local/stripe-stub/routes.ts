// The endpoints the stub answers: method and path → the function that makes the answer. GETs
// of any stored object by id, with the expansions StripeGateway asks for.
import type { StubStore } from './store.ts';
import type { StripeObject } from './types.ts';
import { createCheckoutSession, expireCheckoutSession } from './checkout.ts';
import { expireIfDue } from './expiry.ts';
import { invoicePayments, listInvoices, payInvoice } from './invoices.ts';
import { createCustomer, createProduct, updateCustomer } from './resources.ts';
import { createRefund } from './refunds.ts';
import { cancelSchedule, createSchedule, updateSchedule, updateSubscription } from './schedules.ts';
import { clone, listAt } from './util.ts';

export type Handler = (params: string[], body: StripeObject, query: StripeObject) => StripeObject;

export interface Route {
  method: string;
  pattern: RegExp;
  handle: Handler;
}

/** GET /v1/<path>/:id answers the stored object of this type. */
const RETRIEVABLE: Record<string, string> = {
  'checkout/sessions': 'checkout.session',
  invoices: 'invoice',
  subscription_schedules: 'subscription_schedule',
  payment_intents: 'payment_intent',
  payment_methods: 'payment_method',
  customers: 'customer',
  products: 'product',
  charges: 'charge',
  refunds: 'refund',
  subscriptions: 'subscription',
  setup_intents: 'setup_intent',
};

/** A copy of the object with what `expand[]` asks for: a session's payment_intent or setup_intent, an invoice's payments. */
function withExpansions(store: StubStore, o: StripeObject, query: StripeObject): StripeObject {
  const expand = (listAt(query, 'expand') ?? []).map(String);
  const out = clone(o);
  if (out.object === 'checkout.session' && expand.includes('payment_intent') && typeof out.payment_intent === 'string') {
    out.payment_intent = clone(store.find(out.payment_intent) ?? null);
  }
  if (out.object === 'checkout.session' && expand.includes('setup_intent') && typeof out.setup_intent === 'string') {
    out.setup_intent = clone(store.find(out.setup_intent) ?? null);
  }
  if (out.object === 'invoice' && expand.includes('payments')) out.payments = invoicePayments(store, out);
  return out;
}

export function stubRoutes(store: StubStore): Route[] {
  return [
    { method: 'POST', pattern: /^\/v1\/customers$/, handle: (_p, b) => createCustomer(store, b) },
    { method: 'POST', pattern: /^\/v1\/customers\/([^/]+)$/, handle: (p, b) => updateCustomer(store, decodeURIComponent(p[0]!), b) },
    { method: 'POST', pattern: /^\/v1\/products$/, handle: (_p, b) => createProduct(store, b) },
    { method: 'POST', pattern: /^\/v1\/checkout\/sessions$/, handle: (_p, b) => createCheckoutSession(store, b) },
    {
      method: 'POST',
      pattern: /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/,
      handle: (p) => expireCheckoutSession(store, decodeURIComponent(p[0]!)),
    },
    { method: 'POST', pattern: /^\/v1\/subscription_schedules$/, handle: (_p, b) => createSchedule(store, b) },
    { method: 'POST', pattern: /^\/v1\/subscription_schedules\/([^/]+)\/cancel$/, handle: (p, b) => cancelSchedule(store, p[0]!, b) },
    { method: 'POST', pattern: /^\/v1\/subscription_schedules\/([^/]+)$/, handle: (p, b) => updateSchedule(store, p[0]!, b) },
    { method: 'POST', pattern: /^\/v1\/subscriptions\/([^/]+)$/, handle: (p, b) => updateSubscription(store, p[0]!, b) },
    { method: 'GET', pattern: /^\/v1\/invoices$/, handle: (_p, _b, q) => listInvoices(store, q) },
    { method: 'POST', pattern: /^\/v1\/invoices\/([^/]+)\/pay$/, handle: (p, b) => payInvoice(store, decodeURIComponent(p[0]!), b) },
    { method: 'POST', pattern: /^\/v1\/refunds$/, handle: (_p, b) => createRefund(store, b) },
    ...Object.entries(RETRIEVABLE).map(([path, objectName]) => ({
      method: 'GET',
      pattern: new RegExp(`^/v1/${path.replace('/', '\\/')}/([^/]+)$`),
      handle: (p: string[], _b: StripeObject, q: StripeObject) => {
        const id = decodeURIComponent(p[0]!);
        expireIfDue(store, id);
        return withExpansions(store, store.get(id, objectName), q);
      },
    })),
  ];
}
