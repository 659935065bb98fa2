// The refund job failing until it gives up, for tests of what follows: Stripe's refund endpoint
// answers 500 to every attempt (and to the SDK's own retries), and the job runs once per attempt
// with the test clock moved past each backoff. The clock is left where the last run put it.
import { REFUND_MAX_ATTEMPTS } from '#domain/invoices.ts';
import { STRIPE_MAX_NETWORK_RETRIES } from '#adapters/stripe-gateway.ts';
import type { RefundJob } from '#services/refund-job.ts';
import type { TestApi } from './api.ts';

export async function runRefundJobUntilItGivesUp(api: TestApi, job: RefundJob): Promise<void> {
  api.payments!.stub!.injectFailure({
    status: 500,
    times: (STRIPE_MAX_NETWORK_RETRIES + 1) * REFUND_MAX_ATTEMPTS,
    method: 'POST',
    path: '/v1/refunds',
    error: { type: 'api_error', message: 'boom' },
  });
  for (let i = 0; i < REFUND_MAX_ATTEMPTS; i++) {
    await job.run();
    api.clock.advance(7 * 3_600_000); // past the longest backoff (6 h)
  }
}
