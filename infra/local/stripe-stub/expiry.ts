// When Checkout Sessions expire, and the checkout.session.expired event each one makes, as Stripe
// sends it. A session expires when its `expires_at` passes by the stub's clock (noticed whenever
// the stub next looks at the session, or when it is swept: takeExpiryEvents), when the API expires
// it (POST /v1/checkout/sessions/:id/expire), or on the payment page (completeCheckout 'expired').
// Whatever expired it, its event waits in the store until it is handed out, once: a session
// expires only from open, so it makes one event, and handing it out takes it from the store.
import type { SessionState, StubStore } from './store.ts';
import type { StripeEvent } from './types.ts';

/** An open session expires (at `at`, epoch seconds; default now) and its event waits to be handed out. */
export function expireSession(store: StubStore, state: SessionState, at = store.nowSec()): void {
  if (state.obj.status !== 'open') return;
  state.obj.status = 'expired';
  store.expiryEvents.push(store.event('checkout.session.expired', state.obj, at));
}

/** An open session past its `expires_at` expires, dated then (Stripe expires it at that time, not when it is next looked at). */
export function expireIfDue(store: StubStore, sessionId: string): void {
  const state = store.sessions.get(sessionId);
  const at = Number(state?.obj.expires_at);
  if (state && state.obj.status === 'open' && store.nowSec() >= at) expireSession(store, state, at);
}

/**
 * Expires every open session past its `expires_at`, then hands out the expiry events not handed
 * out yet (only `sessionId`'s when given), oldest first: what Stripe would have sent meanwhile.
 */
export function takeExpiryEvents(store: StubStore, sessionId?: string): StripeEvent[] {
  for (const id of store.sessions.keys()) expireIfDue(store, id);
  const taken: StripeEvent[] = [];
  const kept: StripeEvent[] = [];
  for (const ev of store.expiryEvents) (sessionId === undefined || ev.data.object.id === sessionId ? taken : kept).push(ev);
  store.expiryEvents.splice(0, store.expiryEvents.length, ...kept);
  return taken.sort((a, b) => a.created - b.created);
}
