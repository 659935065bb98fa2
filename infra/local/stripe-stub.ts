// A small in-memory stand-in for Stripe's HTTP API, for the real `stripe` SDK to talk to in tests
// and in the offline runtime (point StripeGateway at it with host/port/protocol 'http'). It answers
// the few endpoints the payments service uses, with Stripe-shaped objects and Stripe-shaped errors,
// records every request it receives (to prove what would have left for Stripe), and makes the
// webhook EVENTS real Stripe would send, as plain event objects for signEvent() to sign.
//
// Endpoints (form-encoded bodies as the SDK sends them, `a[b][0][c]=v`):
//   POST /v1/customers, /v1/products, /v1/checkout/sessions, /v1/subscription_schedules,
//        /v1/subscription_schedules/:id/cancel, /v1/refunds
//   GET  /v1/checkout/sessions/:id (expand[]=payment_intent), /v1/invoices/:id (expand[]=payments),
//        /v1/subscription_schedules/:id, /v1/payment_intents/:id, /v1/payment_methods/:id,
//        /v1/customers/:id, /v1/products/:id, /v1/charges/:id, /v1/refunds/:id, /v1/subscriptions/:id
//   anything else: 404 in Stripe's error shape. No or malformed API key: 401.
// Failures on demand (injectFailure): the next N requests to an endpoint answer a Stripe error (a
// card decline, a 5xx, a 429) or lose their connection, before or after the request is processed.
// Like Stripe, POSTs honour Idempotency-Key: the same key with the same request replays the first
// response (header Idempotent-Replayed: true); the same key with other parameters is a 400
// idempotency_error. Unknown parameters are a 400 as on Stripe — including the ones this API
// version removed (`payment_method_types` on Checkout, `iterations` on schedule phases).
//
// WHERE THE WEBHOOK HANDLER READS THINGS (identical to real Stripe under API 2026-10-28.endive —
// webhook payloads never expand ids, and includable fields such as `invoice.payments` are absent):
//   checkout.session.completed / .async_payment_succeeded / .async_payment_failed / .expired
//     data.object is a Checkout Session: metadata.packageId (also client_reference_id),
//     metadata.clinicId, metadata.clientId; payment_status ('paid' | 'unpaid'); status;
//     payment_intent (an id string, null on expiry without an attempt); customer (an id string);
//     amount_total; currency (lower-case). The saved card is NOT in the event: it is the payment
//     intent's `payment_method`; StripeGateway.retrieveCheckoutPayment(sessionId) reads it back
//     (GET /v1/checkout/sessions/:id?expand[]=payment_intent).
//     A completed session with payment_status 'unpaid' (async methods) is paid only when
//     checkout.session.async_payment_succeeded follows; _failed means it never will be.
//     .expired comes once per session, whatever expired it: its `expires_at` passing by the
//     stub's clock (dated then), POST /v1/checkout/sessions/:id/expire, or the page (outcome
//     'expired'); takeExpiryEvents() hands out the ones not handed out yet.
//   payment_intent.payment_failed — a declined attempt on Checkout's page (outcome 'failed', not
//     async): the session stays open, nothing to change; data.object.metadata.packageId.
//   invoice.paid / invoice.payment_failed
//     data.object is an Invoice: parent.subscription_details.metadata.packageId;
//     parent.subscription_details.subscription; customer; currency; amount_paid (paid) /
//     amount_due / amount_remaining; attempt_count (1, 2, … on retries); id (the same invoice id
//     across retries of one installment); next_payment_attempt; lines.data[0].period.start = the
//     installment's due instant → installmentNumber(startAt, period.start) from stripe-gateway.ts.
//     The paying intent is not in the payload: StripeGateway.invoicePaymentIntent(invoiceId).
//   refund.updated / refund.failed — data.object is a Refund: id, status, amount, currency,
//     payment_intent, metadata.packageId, failure_reason.
//   charge.refunded — data.object is a Charge: payment_intent, amount_refunded (cumulative),
//     refunded; metadata.packageId only for charges made through Checkout (installment charges
//     carry no metadata on real Stripe either).
//
// The stub itself lives in infra/local/stripe-stub/, one module per part:
//   types.ts      the public types (StripeStub, StripeEvent, InjectedFailure, …)
//   store.ts      the state: objects by id, private session/schedule/invoice state, the clock
//   http.ts       reading, recording and answering requests; API key, Idempotency-Key, failures
//   routes.ts     the endpoint table and the expansions of GETs
//   checkout.ts   Checkout Sessions and what the payment page does (completeCheckout)
//   expiry.ts     sessions expiring, and their checkout.session.expired events
//   resources.ts  customers, products, prices, payment methods, charges
//   schedules.ts  subscription schedules; invoices.ts their installment charges and invoices
//   refunds.ts    refunds and their events
//   failures.ts   injected failures; form.ts form decoding; params.ts parameter refusals
//   index.ts      startStripeStub and signEvent
// This file is the entry point everything imports.
export * from './stripe-stub/index.ts';
