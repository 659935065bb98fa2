// Offline payments (no Stripe key set): the page Checkout would show, and the helpers that make
// the stub of Stripe send what real Stripe would, signed, to the real webhook handler
// (docs/api.md, "Local-only helpers").
import { z } from 'zod';
import { ConflictError, NotFoundError } from '#domain/errors.ts';
import { parseWith } from '#http/validation.ts';
import { PackageRepository } from '#db/package-repo.ts';
import { StripeStubError, type StripeEvent } from './stripe-stub.ts';
import type { DevContext, DevRoute } from './dev-routes.ts';

const outcomeSchema = z.strictObject({ outcome: z.enum(['paid', 'failed']) });

function offline(ctx: DevContext) {
  const stub = ctx.payments?.stub;
  if (!ctx.payments || !stub) throw new ConflictError('Payments are not offline: a Stripe key is configured');
  return { payments: ctx.payments, stub };
}

/** The stub's misuse errors as the contract's 404 / 409. */
function stubCall<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof StripeStubError)
      throw err.code === 'not_found' ? new NotFoundError('checkout session') : new ConflictError(err.message);
    throw err;
  }
}

async function deliver(ctx: DevContext, events: StripeEvent[]) {
  const { payments } = offline(ctx);
  const delivered = await payments.deliver(events, ctx.handlers.payments);
  return { status: 200, body: { delivered } };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Only http(s) URLs go into the page (they are the app's own, from the checkout session). */
function safeReturnUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

export const CHECKOUT_DEV_ROUTES: DevRoute[] = [
  {
    method: 'GET',
    path: '/v1/dev/checkout/{sessionId}',
    handle: async (req, ctx) => {
      const { stub } = offline(ctx);
      const id = req.pathParams.sessionId ?? '';
      const session = stub.retrieve(id) as
        { amount_total?: number; currency?: string; status?: string; success_url?: string; cancel_url?: string | null } | undefined;
      if (!session) throw new NotFoundError('checkout session');
      const amount = ((session.amount_total ?? 0) / 100).toFixed(2);
      const currency = (session.currency ?? '').toUpperCase();
      // as on Stripe Checkout: paid → back to the app's success URL; declined → stay, with a way back
      const successUrl = safeReturnUrl(session.success_url);
      const cancelUrl = safeReturnUrl(session.cancel_url ?? undefined);
      const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Offline checkout</title></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5">
<main><h1>Offline checkout</h1><p>Amount due now: <strong>${escapeHtml(amount)} ${escapeHtml(currency)}</strong></p>
<p>Status: ${escapeHtml(session.status ?? '')}</p>
<button type="button" onclick="pay('paid')">Pay</button> <button type="button" onclick="pay('failed')">Decline the card</button>
<p id="said" role="alert"></p>
${cancelUrl ? `<p><a href="${escapeHtml(cancelUrl)}">Return without paying</a></p>` : ''}
<pre id="out"></pre></main>
<script>
const successUrl = ${JSON.stringify(successUrl ?? null).replace(/</g, '\\u003c')};
async function pay(outcome) {
  const res = await fetch(location.pathname + '/complete', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome }) });
  const body = await res.json();
  document.getElementById('out').textContent = JSON.stringify(body, null, 2);
  if (outcome === 'paid' && res.ok && successUrl) location.assign(successUrl);
  else document.getElementById('said').textContent = outcome === 'failed' ? 'Your card was declined. Nothing was charged.' : '';
}
</script></body></html>`;
      return { status: 200, body: html, headers: { 'content-type': 'text/html; charset=utf-8' } };
    },
  },
  {
    method: 'POST',
    path: '/v1/dev/checkout/{sessionId}/complete',
    handle: async (req, ctx) => {
      const { outcome } = parseWith(outcomeSchema, req.json() ?? {});
      const { stub } = offline(ctx);
      const events = stubCall(() => stub.completeCheckout(req.pathParams.sessionId ?? '', outcome));
      return deliver(ctx, events);
    },
  },
  {
    // the refund job once, now (it also runs every 30 s with the reminder job)
    method: 'POST',
    path: '/v1/dev/refunds/run',
    handle: async (_req, ctx) => {
      if (!ctx.refunds) throw new ConflictError('The refund job is not running in this server');
      return { status: 200, body: await ctx.refunds.run() };
    },
  },
  {
    // what Stripe does when a refund fails after it accepted it (a closed card): refund.updated and refund.failed, signed
    method: 'POST',
    path: '/v1/dev/refunds/{refundId}/fail',
    handle: async (req, ctx) => {
      const { stub } = offline(ctx);
      const events = stubCall(() => stub.refundEvents(req.pathParams.refundId ?? '', 'failed'));
      return deliver(ctx, events);
    },
  },
  {
    method: 'POST',
    path: '/v1/dev/packages/{packageId}/installments/next',
    handle: async (req, ctx) => {
      const { outcome } = parseWith(outcomeSchema, req.json() ?? {});
      const { stub } = offline(ctx);
      const pkg = await new PackageRepository(ctx.doc, ctx.tableName).require(req.pathParams.packageId ?? '');
      if (!pkg.stripe.scheduleId) throw new ConflictError('The package has no installment schedule (is its down payment paid?)');
      const scheduleId = pkg.stripe.scheduleId;
      const events = stubCall(() => stub.chargeNextInstallment(scheduleId, outcome));
      return deliver(ctx, events);
    },
  },
];
