// Reads a record again and again while a payment made elsewhere (Stripe Checkout, on the client's
// screen or at the desk) may land on it: only the signed webhook settles it. The reading itself is
// startPolling (poll-schedule.ts): the next read waits for the one before (a slow API is never
// asked twice at once) and for the pace (often at first, then further apart when the caller asks
// for it); nothing is read while the tab is hidden, and once at once when it is shown again. After
// `forMs` it stops and says so (`timedOut`); it starts again when `active` does.
import { useEffect, useRef, useState } from 'react';
import { startPolling, type PollPace } from './poll-schedule.ts';

export function usePoll(
  active: boolean,
  read: () => Promise<void>,
  { forMs, everyMs, steadyForMs, slowestMs }: PollPace & { forMs: number },
): { timedOut: boolean } {
  const [timedOut, setTimedOut] = useState(false);
  // the latest read, without restarting the clock each time the caller makes a new function
  const latest = useRef(read);
  useEffect(() => {
    latest.current = read;
  });
  useEffect(() => {
    if (!active) return;
    setTimedOut(false);
    const polling = startPolling({
      read: () => latest.current(),
      pace: { everyMs, steadyForMs, slowestMs },
      forMs,
      hidden: () => document.visibilityState === 'hidden',
      onTimedOut: () => setTimedOut(true),
    });
    const onVisibility = () => polling.visibilityChanged();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      polling.stop();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [active, everyMs, steadyForMs, slowestMs, forMs]);
  return { timedOut: active && timedOut };
}
