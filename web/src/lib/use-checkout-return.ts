// Back from Stripe Checkout (`?checkout=done`): the return proves nothing, only the signed webhook
// does. While the record is not settled, the page reads it again every 1.5 s; after two minutes
// it stops and says the confirmation is late (nothing more is needed from the person). Used by
// the invoice and the package pages, which say "Payment received — confirming…" meanwhile.
import { useEffect, useState } from 'react';

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
  const [waitedTooLong, setWaitedTooLong] = useState(false);
  const confirming = returned && !settled && !waitedTooLong;
  useEffect(() => {
    if (!confirming) return;
    const started = Date.now();
    const timer = window.setInterval(() => {
      if (Date.now() - started > POLL_LIMIT_MS) setWaitedTooLong(true);
      else void reload();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [confirming, reload]);
  return { confirming, waitedTooLong };
}
