// The payments function's routes (../routes.ts says what a declaration holds and who reads the
// table). Only this function's bundle holds this table and the request schemas it names
// (docs/decisions.md, "Cold start").
import { ADMIN, pays, PUBLIC, SELF_AND_STAFF, type RouteDef } from '../route-def.ts';
import * as pay from '../schemas/payments.ts';
import * as common from '../schemas/common.ts';

export const PAYMENT_ROUTES: readonly RouteDef[] = [
  // Programs, packages and payments
  pays('GET', '/v1/clinics/{clinicId}/programs', PUBLIC),
  pays('POST', '/v1/clinics/{clinicId}/programs', ADMIN, { body: pay.createProgramSchema, create: true }),
  pays('POST', '/v1/clinics/{clinicId}/programs/{programId}/retire', ADMIN, { body: common.emptySchema }),
  pays('POST', '/v1/packages', ['self', 'frontdesk', 'admin'], {
    body: pay.purchaseSchema,
    create: true,
    audit: 'package.purchase',
  }),
  pays('GET', '/v1/packages/{packageId}', SELF_AND_STAFF, { audit: 'package.read' }),
  // extension: a client's packages (the web app's My care), newest first
  pays('GET', '/v1/clients/{clientId}/packages', SELF_AND_STAFF, { audit: 'packages.list' }),
  // extension: what a cancel would refund, for the confirmation that says it first
  pays('GET', '/v1/packages/{packageId}/cancel-preview', ['frontdesk', 'finance', 'admin'], { audit: 'package.read' }),
  pays('POST', '/v1/packages/{packageId}/cancel', ['frontdesk', 'finance', 'admin'], {
    body: common.emptySchema,
    audit: 'package.cancel',
  }),
  // extension: another card for an installment plan, and the plan's failed payments made with it
  // (a Stripe Checkout Session in setup mode; the card is used only once the webhook says it was saved)
  pays('POST', '/v1/packages/{packageId}/payment-method', ['self', 'frontdesk', 'finance', 'admin'], {
    body: common.emptySchema,
    create: true,
    audit: 'package.payment_method',
  }),
  // paying a self-pay invoice's balance online (Stripe Checkout; paid only by the webhook)
  pays('POST', '/v1/invoices/{invoiceId}/checkout', ['self', 'frontdesk', 'admin'], {
    body: common.emptySchema,
    create: true,
    audit: 'invoice.checkout',
  }),
  // Stripe signs its deliveries; no JWT (the signature is checked on the raw body)
  // a payment, refund or failure Stripe reports changes the client's payment information: audited
  // with Stripe as the actor, on the package or invoice it changed
  pays('POST', '/v1/webhooks/stripe', ['stripe'], { audit: 'payment.webhook' }),
];
