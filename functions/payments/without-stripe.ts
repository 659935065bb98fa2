// The payments routes whose handlers never call the gateway (./routes.ts): the programs, a
// package read and its cancel preview. functions/payments/handler.ts serves them without the Stripe SDK or Stripe's keys;
// every other route, a route added later included, gets the real gateway (docs/decisions.md,
// "Cold start"). test/integration/payments-without-stripe.test.ts serves each of them with a
// gateway that refuses every call.
export const WITHOUT_STRIPE: ReadonlySet<string> = new Set([
  'GET /v1/clinics/{clinicId}/programs',
  'POST /v1/clinics/{clinicId}/programs',
  'POST /v1/clinics/{clinicId}/programs/{programId}/retire',
  'GET /v1/packages/{packageId}',
  'GET /v1/packages/{packageId}/cancel-preview',
]);
