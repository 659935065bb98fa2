// The payments API's route handlers: the router has already authenticated the caller, checked
// the route's policy and validated the input (shared/http/api.ts).
import type { ApiRequest, AuditTarget, RouteHandler } from '#http/api.ts';
import { bodyInput } from '#http/api.ts';
import { ConflictError, ValidationError } from '#domain/errors.ts';
import type { Package } from '#domain/packages.ts';
import { InvalidSignatureError, type PaymentGateway } from '#adapters/payment-gateway.ts';
import type { Clock } from '#adapters/clock.ts';
import type { PackageService } from '#services/package-service.ts';
import type { InvoicePaymentService } from '#services/invoice-payment-service.ts';
import * as s from '#http/schemas/payments.ts';
import * as v from './views.ts';

const param = (req: ApiRequest, name: string): string => req.pathParams[name]!;

const packageRecord = (pkg: Pick<Package, 'id' | 'clientId' | 'clinicId'>): AuditTarget => ({
  clientId: pkg.clientId,
  clinicId: pkg.clinicId,
  record: { type: 'package', id: pkg.id },
});

export function paymentRoutes(
  svc: PackageService,
  invoices: InvoicePaymentService,
  gateway: PaymentGateway,
  clock: Clock,
): Record<string, RouteHandler> {
  return {
    'GET /v1/clinics/{clinicId}/programs': async (req) => ({
      status: 200,
      body: (await svc.programs(param(req, 'clinicId'))).map(v.programView),
    }),
    'POST /v1/clinics/{clinicId}/programs': async (req) => ({
      status: 201,
      body: v.programView(await svc.createProgram(req.caller, param(req, 'clinicId'), bodyInput(req, s.createProgramSchema))),
    }),
    'POST /v1/clinics/{clinicId}/programs/{programId}/retire': async (req) => {
      await svc.retireProgram(req.caller, param(req, 'clinicId'), param(req, 'programId'));
      return { status: 200, body: { id: param(req, 'programId'), retired: true } };
    },
    'POST /v1/packages': async (req) => {
      // the zone comes with the purchase: a read after it could fail and release the Idempotency-Key
      const { pkg, checkoutUrl, checkoutSessionId, timezone } = await svc.purchase(req.caller, bodyInput(req, s.purchaseSchema));
      return {
        status: 201,
        body: { package: v.packageView(pkg, timezone), checkoutUrl, checkoutSessionId },
        audit: [packageRecord(pkg)],
      };
    },
    'GET /v1/clients/{clientId}/packages': async (req) => {
      const { clinicId, packages, timezone } = await svc.listByClient(req.caller, param(req, 'clientId'));
      const clientId = param(req, 'clientId');
      return {
        status: 200,
        body: packages.map((p) => v.packageView(p, timezone)),
        audit: [{ clientId, clinicId, record: { type: 'client', id: clientId } }],
      };
    },
    'GET /v1/packages/{packageId}': async (req) => {
      const { pkg, timezone } = await svc.get(req.caller, param(req, 'packageId'));
      return { status: 200, body: v.packageView(pkg, timezone), audit: [packageRecord(pkg)] };
    },
    'GET /v1/packages/{packageId}/cancel-preview': async (req) => {
      const { pkg, preview } = await svc.cancelPreview(req.caller, param(req, 'packageId'));
      return { status: 200, body: v.cancelPreviewView(preview, pkg.price.currency), audit: [packageRecord(pkg)] };
    },
    'POST /v1/packages/{packageId}/cancel': async (req) => {
      const { pkg, refund, timezone } = await svc.cancel(req.caller, param(req, 'packageId'));
      return {
        status: 200,
        body: { package: v.packageView(pkg, timezone), refund: { amount: refund, currency: pkg.price.currency } },
        audit: [packageRecord(pkg)],
      };
    },
    'POST /v1/packages/{packageId}/payment-method': async (req) => {
      const { checkoutUrl, checkoutSessionId, pkg } = await svc.paymentMethodCheckout(req.caller, param(req, 'packageId'));
      return { status: 201, body: { checkoutUrl, checkoutSessionId }, audit: [packageRecord(pkg)] };
    },
    'POST /v1/invoices/{invoiceId}/checkout': async (req) => {
      const { checkoutUrl, checkoutSessionId, invoice } = await invoices.checkout(req.caller, param(req, 'invoiceId'));
      return {
        status: 201,
        body: { checkoutUrl, checkoutSessionId },
        audit: [{ clientId: invoice.clientId, clinicId: invoice.clinicId, record: { type: 'invoice', id: invoice.id } }],
      };
    },
    // Stripe: the signature over the raw body first; a bad, missing or stale one writes nothing.
    'POST /v1/webhooks/stripe': async (req) => {
      let event;
      try {
        event = gateway.verifyWebhook(req.rawBody ?? '', req.headers['stripe-signature'], clock.now());
      } catch (err) {
        if (!(err instanceof InvalidSignatureError)) throw err;
        if (err.notAnEvent) throw new ValidationError([{ path: '', message: 'Not a Stripe event' }], 'Invalid webhook body');
        throw new ValidationError(
          [{ path: 'Stripe-Signature', message: 'Missing, invalid or stale signature' }],
          'Invalid webhook signature',
        );
      }
      // audited by the service before the event counts as processed (a duplicate or an ignored type names none)
      const { status, changed } = await svc.handleEvent(event, (target, at) => req.caller.auditEntry(target, at));
      // another delivery of this event is being processed: Stripe will retry this one
      if (status === 'busy') throw new ConflictError('This event is being processed');
      return { status: 200, body: { received: true, status }, audit: changed ? [{ ...changed, recorded: true }] : [] };
    },
  };
}
