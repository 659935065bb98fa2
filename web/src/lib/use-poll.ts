// Reads a record again and again while a payment made elsewhere (Stripe Checkout, on the client's
// screen or at the desk) may land on it: only the signed webhook settles it. The next read waits
// for the one before (a slow API is never asked twice at once), and after `forMs` it stops and says
// so (`timedOut`); it starts again when `active` does.
import { useEffect, useRef, useState } from 'react';

export function usePoll(
  active: boolean,
  read: () => Promise<void>,
  { everyMs, forMs }: { everyMs: number; forMs: number },
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
    const started = Date.now();
    let stopped = false;
    let timer: number | undefined;
    const next = () => {
      timer = window.setTimeout(() => {
        if (Date.now() - started > forMs) return setTimedOut(true);
        void latest
          .current()
          .catch(() => undefined)
          .finally(() => {
            if (!stopped) next();
          });
      }, everyMs);
    };
    next();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [active, everyMs, forMs]);
  return { timedOut: active && timedOut };
}
