// The stub's state: every object by id (what GET /v1/<things>/:id answers), the private state
// behind Checkout Sessions, subscription schedules and invoices, the expiry events still to hand
// out, and the clock objects are stamped with. One store per started stub; the endpoint and event modules read and change it.
import { STRIPE_API_VERSION } from '#adapters/stripe-gateway.ts';
import type { StripeEvent, StripeObject } from './types.ts';
import { missing } from './params.ts';
import { clone, randomId } from './util.ts';

export interface SessionState {
  obj: StripeObject;
  setupFutureUsage: string | null;
  intentMetadata: Record<string, string>;
  /** Setup mode: the metadata of the SetupIntent made when the card is saved. */
  setupIntentMetadata?: Record<string, string>;
}

export interface InvoiceState {
  obj: StripeObject;
  scheduleId: string;
  position: number;
  intentId: string;
}

export interface ScheduleCharge {
  amount: number;
  priceId: string;
  metadata: Record<string, string>;
}

export interface ScheduleState {
  obj: StripeObject;
  /** One entry per monthly charge. */
  charges: ScheduleCharge[];
  startAt: number;
  currency: string;
  paymentMethodId: string;
  invoices: InvoiceState[];
  subscriptionId: string | null;
}

export class StubStore {
  /** Public objects by id, in creation order. */
  readonly objects = new Map<string, StripeObject>();
  readonly sessions = new Map<string, SessionState>();
  readonly schedules = new Map<string, ScheduleState>();
  readonly invoices = new Map<string, InvoiceState>();
  /** checkout.session.expired events made but not handed out yet (expiry.ts). */
  readonly expiryEvents: StripeEvent[] = [];
  /** Events that API calls made (an invoice paid by POST /v1/invoices/:id/pay), not handed out yet. */
  readonly apiEvents: StripeEvent[] = [];

  constructor(
    /** Epoch milliseconds. */
    readonly now: () => number,
    /** Where the hosted payment page lives, without a trailing slash. */
    readonly checkoutBase: string,
  ) {}

  nowSec(): number {
    return Math.floor(this.now() / 1000);
  }

  put(o: StripeObject): StripeObject {
    this.objects.set(o.id as string, o);
    return o;
  }

  /** The object itself (not a copy), or undefined. */
  find(id: string): StripeObject | undefined {
    return this.objects.get(id);
  }

  /** The object of that type, or Stripe's 404 resource_missing naming `param`. */
  get(id: string, objectName: string, param = 'id'): StripeObject {
    const o = this.objects.get(id);
    if (!o || o.object !== objectName) throw missing(objectName, id, param);
    return o;
  }

  /** Copies of every object of one type, oldest first. */
  list(objectName: string): StripeObject[] {
    return [...this.objects.values()].filter((o) => o.object === objectName).map(clone);
  }

  /** An event as Stripe would send it, carrying a snapshot of the object now; dated now unless `created` (epoch seconds). */
  event(type: string, object: StripeObject, created = this.nowSec()): StripeEvent {
    return {
      id: randomId('evt', 24),
      object: 'event',
      api_version: STRIPE_API_VERSION,
      created,
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: clone(object) },
    };
  }
}
