// Offline payments (no Stripe key set): the page Checkout would show, and the helpers that make
// the stub of Stripe send what real Stripe would, signed, to the real webhook handler
// (docs/operations.md, "Local development helpers").
import { z } from 'zod';
import { ConflictError, NotFoundError } from '#domain/errors.ts';
import { parseWith } from '#http/validation.ts';
import { PackageRepository } from '#db/package-repo.ts';
import { InvoiceRepository } from '#db/invoice-repo.ts';
import { StaleReadError } from '#db/errors.ts';
import { REFUND_MAX_ATTEMPTS, refundDue, refundState } from '#domain/invoices.ts';
import { StripeStubError, type StripeEvent } from './stripe-stub.ts';
import type { DevContext, DevRoute } from './dev-routes.ts';

const outcomeSchema = z.strictObject({ outcome: z.enum(['paid', 'failed']) });
/** On the payment page the client may also let the session expire (now, whatever its `expires_at`). */
const pageOutcomeSchema = z.strictObject({ outcome: z.enum(['paid', 'failed', 'expired']) });

function offline(ctx: DevContext) {
  const stub = ctx.payments?.stub;
  if (!ctx.payments || !stub) throw new ConflictError('Payments are not offline: a Stripe key is configured');
  return { payments: ctx.payments, stub };
}

/** The stub's misuse errors as the API's 404 / 409 (docs/api.md, "Errors"). */
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

/**
 * What Stripe would have sent by now: the checkout.session.expired of every session past its
 * `expires_at` (or expired otherwise) not delivered yet, so a page or a payment that finds its
 * session expired finds its package lapsed too. The server's job timer sweeps the same way.
 */
async function deliverExpiries(ctx: DevContext): Promise<void> {
  const { payments } = offline(ctx);
  await payments.deliverExpiries(ctx.handlers.payments);
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

const PAGE_STYLE = `
body { font-family: system-ui, sans-serif; background: #f5f7f7; color: #1b2a30; margin: 0; line-height: 1.5 }
main { max-width: 28rem; margin: 3rem auto; padding: 1.5rem; background: #fff; border: 1px solid #d5dcde; border-radius: 12px }
h1 { font-size: 1.4rem; margin: 0 0 0.25rem }
.local { color: #4a5a60; font-size: 0.9rem; margin: 0 0 1.25rem }
.amount { font-size: 1.1rem; margin: 0 0 0.25rem }
.amount strong { font-size: 1.6rem }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 1.25rem 0 0.75rem }
button { font: inherit; font-weight: 600; padding: 0.6rem 1.1rem; border-radius: 8px; border: 2px solid #1e4d5c; cursor: pointer }
button.pay { background: #1e4d5c; color: #fff }
button.decline { background: #fff; color: #1e4d5c }
button:disabled { opacity: 0.6; cursor: wait }
#said:not(:empty) { background: #fbe9e7; border-left: 4px solid #a02c1c; padding: 0.5rem 0.75rem; border-radius: 6px }
a { color: #1e4d5c }
`;

/**
 * The offline Checkout page: the amount, Pay and Decline (which post to ./complete), and a way
 * back. What the helper answers is not shown (it is for scripts); a refusal is said in words.
 */
function checkoutPage(p: {
  amount: string;
  currency: string;
  /** Setup mode: a card saved for later charges, nothing charged here. */
  setup: boolean;
  state: 'open' | 'paid' | 'expired';
  successUrl?: string;
  cancelUrl?: string;
}): string {
  const said =
    p.state === 'paid'
      ? `<p>${p.setup ? 'This card is saved.' : 'This checkout is paid.'}${p.successUrl ? ` <a href="${escapeHtml(p.successUrl)}">Back to Kapstone</a>` : ''}</p>`
      : p.state === 'expired'
        ? '<p>This checkout has expired. Start the payment again from Kapstone.</p>'
        : `<div class="actions"><button type="button" class="pay" onclick="pay('paid')">${p.setup ? 'Save card' : 'Pay'}</button>
<button type="button" class="decline" onclick="pay('failed')">Decline the card</button></div>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Offline checkout</title><style>${PAGE_STYLE}</style></head>
<body><main><h1>Offline checkout</h1>
<p class="local">The local stand-in for Stripe Checkout: no card is charged and nothing leaves this machine.</p>
${
  p.setup
    ? '<p class="amount">Save a card for your payment plan. Nothing is charged on this page.</p>'
    : `<p class="amount">Amount due now: <strong>${escapeHtml(p.amount)} ${escapeHtml(p.currency)}</strong></p>`
}
${said}
<p id="said" role="alert"></p>
${p.cancelUrl && p.state === 'open' ? `<p><a href="${escapeHtml(p.cancelUrl)}">${p.setup ? 'Return without saving a card' : 'Return without paying'}</a></p>` : ''}</main>
<script>
const successUrl = ${JSON.stringify(p.successUrl ?? null).replace(/</g, '\\u003c')};
async function pay(outcome) {
  const buttons = document.querySelectorAll('button');
  const said = document.getElementById('said');
  buttons.forEach((b) => (b.disabled = true));
  said.textContent = '';
  try {
    const res = await fetch(location.pathname + '/complete', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome }) });
    if (!res.ok) {
      const body = await res.json().catch(() => null);
      said.textContent = (body && body.error && body.error.message) || 'The payment could not be made (HTTP ' + res.status + ').';
    } else if (outcome === 'paid') {
      if (successUrl) return location.assign(successUrl);
      said.textContent = 'Paid.';
    } else {
      said.textContent = 'Your card was declined. Nothing was charged.';
    }
  } catch {
    said.textContent = 'The local server did not answer.';
  }
  buttons.forEach((b) => (b.disabled = false));
}
</script></body></html>`;
}

export const CHECKOUT_DEV_ROUTES: DevRoute[] = [
  {
    method: 'GET',
    path: '/v1/dev/checkout/{sessionId}',
    handle: async (req, ctx) => {
      const { stub } = offline(ctx);
      const id = req.pathParams.sessionId ?? '';
      const session = stub.retrieve(id) as
        | {
            amount_total?: number | null;
            currency?: string;
            mode?: string;
            status?: string;
            success_url?: string;
            cancel_url?: string | null;
          }
        | undefined;
      await deliverExpiries(ctx);
      if (!session) throw new NotFoundError('checkout session');
      const amount = ((session.amount_total ?? 0) / 100).toFixed(2);
      const currency = (session.currency ?? '').toUpperCase();
      // as on Stripe Checkout: paid → back to the app's success URL; declined → stay, with a way back
      const successUrl = safeReturnUrl(session.success_url);
      const cancelUrl = safeReturnUrl(session.cancel_url ?? undefined);
      const state = session.status === 'complete' ? 'paid' : session.status === 'expired' ? 'expired' : 'open';
      const html = checkoutPage({ amount, currency, setup: session.mode === 'setup', state, successUrl, cancelUrl });
      return { status: 200, body: html, headers: { 'content-type': 'text/html; charset=utf-8' } };
    },
  },
  {
    method: 'POST',
    path: '/v1/dev/checkout/{sessionId}/complete',
    handle: async (req, ctx) => {
      const { outcome } = parseWith(pageOutcomeSchema, req.json() ?? {});
      const { stub } = offline(ctx);
      let events: StripeEvent[];
      try {
        events = stubCall(() => stub.completeCheckout(req.pathParams.sessionId ?? '', outcome));
      } finally {
        // a session the stub found expired (this one: then the answer is the 409 "expired, not
        // open") has its expiry delivered first, as Stripe sent it when the session expired
        await deliverExpiries(ctx);
      }
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
    // the refund job giving up on an invoice's refund at once, as after its last failed attempt: for
    // demos and the browser tests of what finance does next (the job's own way there is tested in
    // test/integration/owed-refunds.test.ts). 409 when nothing is owed back (the job made it first)
    method: 'POST',
    path: '/v1/dev/invoices/{invoiceId}/refund/give-up',
    handle: async (req, ctx) => {
      const invoices = new InvoiceRepository(ctx.doc, ctx.tableName);
      // between the server's job runs: never while the refund job may be asking Stripe for this
      // very refund (it would be made, yet shown as given up on)
      const giveUp = async () => {
        const before = await invoices.require(req.pathParams.invoiceId ?? '');
        if (refundDue(before) === 0) throw new ConflictError('Nothing is owed back on this invoice');
        const now = ctx.clock.now();
        try {
          const after = await invoices.refundDeadLettered(before, {
            attempts: REFUND_MAX_ATTEMPTS,
            lastFailureAt: now,
            deadLetteredAt: now,
          });
          return { status: 200, body: { invoiceId: after.id, refundState: refundState(after) } };
        } catch (err) {
          if (err instanceof StaleReadError) throw new ConflictError('The invoice changed meanwhile; try again');
          throw err;
        }
      };
      return ctx.jobs ? ctx.jobs.betweenRuns(giveUp) : giveUp();
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
