// The payments API's route handlers: parse → authorize → call the service → map the result.
import type { ApiRequest, ApiResult, RouteHandler } from '#http/api.ts';
import { parseWith } from '#http/validation.ts';
import { requireRole } from '#shared/auth/principal.ts';
import { ConflictError, NotFoundError, ValidationError } from '#domain/errors.ts';
import { InvalidSignatureError, type PaymentGateway } from '#adapters/payment-gateway.ts';
import type { Clock } from '#adapters/clock.ts';
import type { PackageService } from '#services/package-service.ts';
import * as s from '#http/schemas/payments.ts';
import * as v from './views.ts';

function param(req: ApiRequest, name: string): string {
  const value = req.pathParams[name];
  if (!value || value.length > 100) throw new NotFoundError(name.replace(/Id$/, ''));
  return value;
}

function requiredBody<T>(schema: { safeParse(v: unknown): unknown } & Parameters<typeof parseWith>[0], req: ApiRequest): T {
  if (req.body === undefined) throw new ValidationError([{ path: '', message: 'A JSON body is required' }]);
  return parseWith(schema, req.body) as T;
}

export function paymentRoutes(svc: PackageService, gateway: PaymentGateway, clock: Clock): Record<string, RouteHandler> {
  return {
    'GET /v1/clinics/{clinicId}/programs': async (req) => ({
      status: 200,
      body: (await svc.programs(param(req, 'clinicId'))).map(v.programView),
    }),
    'POST /v1/clinics/{clinicId}/programs': async (req) => {
      requireRole(req.principal, ['admin']);
      const input = requiredBody<ReturnType<typeof s.createProgramSchema.parse>>(s.createProgramSchema, req);
      return { status: 201, body: v.programView(await svc.createProgram(req.principal, param(req, 'clinicId'), input)) };
    },
    'POST /v1/clinics/{clinicId}/programs/{programId}/retire': async (req) => {
      requireRole(req.principal, ['admin']);
      parseWith(s.emptySchema, req.body === undefined ? {} : req.body);
      await svc.retireProgram(req.principal, param(req, 'clinicId'), param(req, 'programId'));
      return { status: 200, body: { id: param(req, 'programId'), retired: true } };
    },
    'POST /v1/packages': async (req) => {
      requireRole(req.principal, ['client', 'frontdesk']);
      const input = requiredBody<ReturnType<typeof s.purchaseSchema.parse>>(s.purchaseSchema, req);
      const { pkg, checkoutUrl, checkoutSessionId } = await svc.purchase(req.principal, input);
      return { status: 201, body: { package: v.packageView(pkg), checkoutUrl, checkoutSessionId } };
    },
    'GET /v1/packages/{packageId}': async (req) => ({ status: 200, body: v.packageView(await svc.get(req.principal, param(req, 'packageId'))) }),
    'POST /v1/packages/{packageId}/cancel': async (req) => {
      requireRole(req.principal, ['frontdesk', 'finance']);
      parseWith(s.emptySchema, req.body === undefined ? {} : req.body);
      const { pkg, refund } = await svc.cancel(req.principal, param(req, 'packageId'));
      return { status: 200, body: { package: v.packageView(pkg), refund: { amount: refund, currency: pkg.price.currency } } };
    },
    // Stripe: the signature over the raw body first; a bad, missing or stale one writes nothing.
    'POST /v1/webhooks/stripe': async (req) => {
      let event;
      try {
        event = gateway.verifyWebhook(req.rawBody ?? '', req.headers['stripe-signature'], clock.now());
      } catch (err) {
        if (!(err instanceof InvalidSignatureError)) throw err;
        throw new ValidationError([{ path: 'Stripe-Signature', message: 'Missing, invalid or stale signature' }], 'Invalid webhook signature');
      }
      const { status } = await svc.handleEvent(event);
      // another delivery of this event is being processed: Stripe will retry this one
      if (status === 'busy') throw new ConflictError('This event is being processed');
      return { status: 200, body: { received: true, status } };
    },
  };
}
