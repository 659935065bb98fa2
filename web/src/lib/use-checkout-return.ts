// Back from Stripe Checkout (`?checkout=done`): the return proves nothing, only the signed webhook
// does. While the record is not settled, the page reads it again every 1.5 s (usePoll); after two
// minutes it stops and says the confirmation is late (nothing more is needed from the person). Used
// by the invoice and the package pages, which say "Payment received — confirming…" meanwhile.
import { usePoll } from './use-poll.ts';

const POLL_MS = 1500;
/** After this long without the webhook, the page stops waiting and says what to expect. */
const POLL_LIMIT_MS = 120_000;

export function useCheckoutReturn(
  returned: boolean,
  settled: boolean,
  reload: () => Promise<void>,
): {
  confirming: boolean;
  waitedTooLong: boolean;
} {
  const { timedOut } = usePoll(returned && !settled, reload, { everyMs: POLL_MS, forMs: POLL_LIMIT_MS });
  return { confirming: returned && !settled && !timedOut, waitedTooLong: timedOut };
}
