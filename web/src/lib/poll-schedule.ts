// When a page reads a record again while a payment may land (use-poll.ts). Every read of an
// invoice or a package is an audited read of payment information, and most payments land in the
// first minute: reads come often at first, then further apart, and never while the tab is hidden.
// No React and no DOM (the tab's visibility is asked of the caller): web/test/poll-schedule.test.ts
// has its cases, with fake timers.

export interface PollPace {
  /** The wait between reads at first. */
  everyMs: number;
  /** For how long (since polling started) reads keep that pace; absent: always. */
  steadyForMs?: number;
  /** After that, each wait doubles the one before, up to this. */
  slowestMs?: number;
}

/**
 * The wait before the next read: `everyMs` while `elapsedMs` (since polling started) is within
 * `steadyForMs`, then twice the previous wait (`previousMs`), never more than `slowestMs`.
 */
export function nextPollDelay(previousMs: number | undefined, elapsedMs: number, pace: PollPace): number {
  const { everyMs, steadyForMs, slowestMs = everyMs } = pace;
  if (steadyForMs === undefined || elapsedMs < steadyForMs) return everyMs;
  return Math.max(everyMs, Math.min(slowestMs, (previousMs ?? everyMs) * 2));
}

export interface Polling {
  /** Call on the page's `visibilitychange`: hidden drops the wait under way, shown again reads at once. */
  visibilityChanged(): void;
  stop(): void;
}

/**
 * Reads again and again at the pace, each read after the one before has answered. While `hidden()`
 * nothing is read (nobody is looking; each read is audited); shown again after a dropped wait, one
 * read at once, then the pace goes on. Past `forMs` since the start, `onTimedOut` instead of a read.
 * Timers are the global ones (the tests use fake timers).
 */
export function startPolling({
  read,
  pace,
  forMs,
  hidden,
  onTimedOut,
  now = Date.now,
}: {
  read: () => Promise<void>;
  pace: PollPace;
  forMs: number;
  hidden: () => boolean;
  onTimedOut: () => void;
  now?: () => number;
}): Polling {
  const started = now();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay: number | undefined;
  let reading = false;
  // the tab was hidden between reads: the next read is made as soon as it is shown
  let paused = false;

  const next = () => {
    if (stopped) return;
    if (hidden()) {
      paused = true;
      return;
    }
    const elapsed = now() - started;
    if (elapsed >= forMs) return onTimedOut();
    delay = nextPollDelay(delay, elapsed, pace);
    timer = setTimeout(due, delay);
  };
  const readNow = () => {
    if (reading || stopped) return;
    reading = true;
    void read()
      .catch(() => undefined)
      .finally(() => {
        reading = false;
        next();
      });
  };
  const due = () => {
    timer = undefined;
    if (now() - started > forMs) onTimedOut();
    else readNow();
  };

  next();
  return {
    visibilityChanged() {
      if (stopped) return;
      if (hidden()) {
        // a read in flight finishes, and the next one waits for the tab (next)
        if (timer !== undefined) paused = true;
        clearTimeout(timer);
        timer = undefined;
      } else if (paused) {
        paused = false;
        readNow();
      }
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
